namespace PaddleNet.TestSupport;

/// <summary>
/// Locates the shared test data (../shared/README.md): <c>$PADDLENET_SHARED</c>, else <c>../shared</c> next to the
/// repository root, which is the first folder above <see cref="AppContext.BaseDirectory"/> holding PaddleNet.sln
/// or .git. In CI the folder is always present, so a missing file fails the test; nothing here skips.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    /// <summary>The repository root (folder with PaddleNet.sln or .git).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Full path of <paramref name="relative"/> (forward slashes) under the shared folder; throws when missing.</summary>
    public static string PathOf(string relative)
    {
        string full = System.IO.Path.Combine(Root, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Shared test file is missing: {full} (PADDLENET_SHARED={Environment.GetEnvironmentVariable("PADDLENET_SHARED") ?? "<unset>"})", full);
        }

        return full;
    }

    /// <summary>Full path of a manifest path such as <c>shared/models/images/x.jpg</c> (relative to the repo's parent).</summary>
    public static string PathOfManifestEntry(string manifestPath)
    {
        const string Prefix = "shared/";
        return PathOf(manifestPath.StartsWith(Prefix, StringComparison.Ordinal) ? manifestPath[Prefix.Length..] : manifestPath);
    }

    public static byte[] ReadAllBytes(string relative) => File.ReadAllBytes(PathOf(relative));

    /// <summary>Full path of a file or folder under the shared folder, given as path parts; throws when missing.</summary>
    public static string Path(params string[] parts)
    {
        string p = System.IO.Path.GetFullPath(System.IO.Path.Combine([Root, .. parts]));
        if (!File.Exists(p) && !Directory.Exists(p)) throw new FileNotFoundException($"Shared test data is missing: {p} (PADDLENET_SHARED={Environment.GetEnvironmentVariable("PADDLENET_SHARED") ?? "<unset>"})", p);
        return p;
    }

    /// <summary><paramref name="path"/> relative to the shared folder (test case names stay machine-independent).</summary>
    public static string Relative(string path) => System.IO.Path.GetRelativePath(Root, path);

    /// <summary>Every <c>reference/manifest.json</c> under <paramref name="relative"/>, in ordinal order.</summary>
    public static IEnumerable<string> ManifestFiles(string relative) =>
        Directory.EnumerateFiles(Path(relative), "manifest.json", SearchOption.AllDirectories)
            .Where(f => System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(f)) == "reference")
            .Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        string? env = Environment.GetEnvironmentVariable("PADDLENET_SHARED");
        string root = !string.IsNullOrEmpty(env)
            ? System.IO.Path.GetFullPath(env)
            : System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoRoot, "..", "shared"));
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Shared test data folder not found: {root} (set PADDLENET_SHARED, or place it at ../shared next to the repository).");
        }

        return root;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "PaddleNet.sln")) ||
                Directory.Exists(System.IO.Path.Combine(dir.FullName, ".git")) ||
                File.Exists(System.IO.Path.Combine(dir.FullName, ".git")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No folder with PaddleNet.sln or .git above {AppContext.BaseDirectory}.");
    }
}
