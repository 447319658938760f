namespace PaddleNet.Tests.Support;

/// <summary>
/// The shared test data folder (<c>PADDLENET_SHARED</c>, default <c>../shared</c> beside the repo).
/// A missing file is a test failure, never a skip: in CI the folder is always there.
/// </summary>
internal static class Shared
{
    public static string Root { get; } = FindRoot();

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Path(params string[] parts)
    {
        var p = System.IO.Path.Combine([Root, .. parts]);
        if (!File.Exists(p) && !Directory.Exists(p)) throw new FileNotFoundException($"shared test data missing: {p} (PADDLENET_SHARED={Root})", p);
        return p;
    }

    /// <summary>Every folder under <paramref name="relative"/> that holds a reference/manifest.json.</summary>
    public static IEnumerable<string> ManifestFiles(string relative) =>
        Directory.EnumerateFiles(Path(relative), "manifest.json", SearchOption.AllDirectories)
            .Where(f => System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(f)) == "reference")
            .Order(StringComparer.Ordinal);

    public static string Relative(string path) => System.IO.Path.GetRelativePath(Root, path);

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "PaddleNet.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"PaddleNet.sln not found above {AppContext.BaseDirectory}");
    }

    private static string FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("PADDLENET_SHARED");
        var root = string.IsNullOrEmpty(env) ? System.IO.Path.GetFullPath(System.IO.Path.Combine(FindRepoRoot(), "..", "shared")) : System.IO.Path.GetFullPath(env);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"shared test data folder not found: {root} (set PADDLENET_SHARED)");
        return root;
    }
}
