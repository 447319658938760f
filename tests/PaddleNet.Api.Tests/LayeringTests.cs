using System.Xml.Linq;

namespace PaddleNet.Api.Tests;

/// <summary>Dependencies go one way: engine ← Imaging ← Pipeline/Detection/Ocr ← Serving/Cli, nothing back.</summary>
public sealed class LayeringTests
{
    private static string SrcFolder => Path.Combine(SharedData.RepoRoot, "src");

    public static TheoryData<string> Projects()
    {
        var data = new TheoryData<string>();
        foreach (string csproj in Directory.GetFiles(SrcFolder, "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(csproj));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void ProjectReferences_GoDownTheLayersOnly(string project)
    {
        Assert.True(Shipped.MayReference.TryGetValue(project, out var allowed), $"src/{project} has no layer: add it to Shipped.MayReference");
        string csproj = Directory.GetFiles(SrcFolder, project + ".csproj", SearchOption.AllDirectories).Single();
        var referenced = XDocument.Load(csproj).Descendants("ProjectReference").Where(r => r.Attribute("Include") is not null)
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToArray();

        Assert.All(referenced, r => Assert.True(allowed.Contains(r), $"{project} references {r}; it may reference only: {string.Join(", ", allowed)}"));
    }

    [Fact]
    public void AssemblyReferences_GoDownTheLayersOnly()
    {
        foreach (var assembly in Shipped.Assemblies)
        {
            string name = assembly.GetName().Name!;
            var allowed = Shipped.MayReference[name];
            var referenced = assembly.GetReferencedAssemblies().Select(r => r.Name!).Where(r => r.StartsWith("PaddleNet", StringComparison.Ordinal)).ToArray();
            Assert.All(referenced, r => Assert.True(allowed.Contains(r), $"{name} references {r}; it may reference only: {string.Join(", ", allowed)}"));
        }
    }

    [Fact]
    public void Layers_Engine_ReferencesNoOtherPaddleNetAssembly()
    {
        // The table itself: the engine is the bottom layer.
        Assert.Empty(Shipped.MayReference["PaddleNet"]);
        Assert.DoesNotContain(typeof(Tensor).Assembly.GetReferencedAssemblies(), r => r.Name!.StartsWith("PaddleNet.", StringComparison.Ordinal));
    }
}
