namespace PaddleNet.Pipeline.Inputs;

/// <summary>
/// <c>get_image_list(infer_imgs)</c> (PaddleClas develop): one file, or every file under a folder (recursively;
/// symlinked folders not followed), whose text after the last <c>.</c> is exactly one of <see cref="Extensions"/>
/// (case-sensitive: <c>.PNG</c> is skipped), sorted by the full path string in code-point order. Paths keep the
/// form of the input (joined like <c>os.path.join</c>), so relative input gives relative paths.
/// </summary>
public static class ImageList
{
    /// <summary>The accepted extensions, exactly as PaddleClas lists them.</summary>
    public static IReadOnlyList<string> Extensions { get; } = ["jpg", "png", "jpeg", "JPEG", "JPG", "bmp"];

    /// <summary>The image files at <paramref name="path"/> (a file or a folder), as <c>get_image_list</c> lists them; throws when there are none.</summary>
    public static IReadOnlyList<string> Get(string? path)
    {
        if (string.IsNullOrEmpty(path) || !(File.Exists(path) || Directory.Exists(path)))
        {
            throw new PaddleNetException($"not found any img file in {path ?? "None"}");
        }
        var images = new List<string>();
        if (File.Exists(path))
        {
            if (HasImageExtension(path)) images.Add(path);
        }
        else
        {
            Walk(path, images);
        }
        if (images.Count == 0) throw new PaddleNetException($"not found any img file in {path}");
        images.Sort(CodePointComparer.Instance);
        return images;
    }

    /// <summary><c>name.split('.')[-1] in img_end</c>.</summary>
    public static bool HasImageExtension(string name)
    {
        int dot = name.LastIndexOf('.');
        string ext = dot < 0 ? name : name[(dot + 1)..];
        return Extensions.Contains(ext, StringComparer.Ordinal);
    }

    private static void Walk(string root, List<string> images)
    {
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };
        foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", options))
        {
            if (HasImageExtension(file.Name)) images.Add(Path.Join(root, file.Name));
        }
        foreach (var dir in new DirectoryInfo(root).EnumerateDirectories("*", options))
        {
            if (dir.LinkTarget is null) Walk(Path.Join(root, dir.Name), images);
        }
    }

    /// <summary>Python's string order: by Unicode code point (UTF-16 ordinal order differs only above U+FFFF).</summary>
    private sealed class CodePointComparer : IComparer<string>
    {
        public static readonly CodePointComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null) return string.CompareOrdinal(x, y);
            var a = x.EnumerateRunes().GetEnumerator();
            var b = y.EnumerateRunes().GetEnumerator();
            while (true)
            {
                bool hasA = a.MoveNext(), hasB = b.MoveNext();
                if (!hasA || !hasB) return hasA.CompareTo(hasB);
                int c = a.Current.Value.CompareTo(b.Current.Value);
                if (c != 0) return c;
            }
        }
    }
}
