using System.Reflection;
using System.Runtime.CompilerServices;

namespace PaddleNet.Api.Tests;

/// <summary>The CLI and the server are ordinary clients: no shipped assembly opens its internals to another shipped one.</summary>
public sealed class VisibilityTests
{
    [Fact]
    public void InternalsVisibleTo_ShippedAssemblies_OnlyTestAssemblies()
    {
        var offenders = Shipped.Assemblies
            .SelectMany(a => a.GetCustomAttributes<InternalsVisibleToAttribute>().Select(v => $"{a.GetName().Name} -> {v.AssemblyName}"))
            .Where(pair => !Shipped.IsTestSide(pair[(pair.IndexOf("-> ", StringComparison.Ordinal) + 3)..].Split(',')[0]))
            .ToArray();

        Assert.True(offenders.Length == 0, "InternalsVisibleTo to non-test assemblies: " + string.Join("; ", offenders));
    }

    [Fact]
    public void InternalsVisibleTo_ShippedAssemblies_AreChecked()
    {
        // The check above must see real attributes: the engine opens its internals to its tests.
        Assert.Contains(typeof(Tensor).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>(), v => v.AssemblyName == "PaddleNet.Tests");
    }
}
