using PublicApiGenerator;

namespace PaddleNet.Api.Tests;

/// <summary>
/// The public API of each shipped assembly, checked in under tests/PaddleNet.Api.Tests/api/. A change fails this
/// test until it is reviewed: the test writes <c>NAME.received.txt</c> beside the listing; compare, then accept it
/// by copying it over <c>NAME.txt</c> (or run with <c>PADDLENET_ACCEPT_API=1</c>, which rewrites the listings).
/// </summary>
public sealed class PublicApiTests
{
    private static readonly ApiGeneratorOptions Options = new() { IncludeAssemblyAttributes = false };

    public static TheoryData<string> AssemblyNames()
    {
        var data = new TheoryData<string>();
        foreach (var a in Shipped.Assemblies) data.Add(a.GetName().Name!);
        return data;
    }

    [Theory]
    [MemberData(nameof(AssemblyNames))]
    public void PublicApi_MatchesTheReviewedListing(string assemblyName)
    {
        var assembly = Shipped.Assemblies.Single(a => a.GetName().Name == assemblyName);
        string actual = assembly.GeneratePublicApi(Options).Replace("\r\n", "\n");
        string folder = Path.Combine(SharedData.RepoRoot, "tests", "PaddleNet.Api.Tests", "api");
        string listing = Path.Combine(folder, assemblyName + ".txt");
        string received = Path.Combine(folder, assemblyName + ".received.txt");
        if (Environment.GetEnvironmentVariable("PADDLENET_ACCEPT_API") == "1")
        {
            File.WriteAllText(listing, actual);
        }

        Assert.True(File.Exists(listing), $"{listing} is missing: review {received} and save it under that name");
        string expected = File.ReadAllText(listing).Replace("\r\n", "\n");
        if (expected != actual)
        {
            File.WriteAllText(received, actual);
            Assert.Fail($"The public API of {assemblyName} changed. Review the difference (diff {listing} {received}); if intended, copy the received file over the listing.");
        }

        File.Delete(received);
    }
}
