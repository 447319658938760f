namespace PaddleNet.IO;

/// <summary>A path that Windows cannot open as the file it names: a reserved device name, a character
/// Windows forbids, or a name too long for the file system.</summary>
public sealed class InvalidWindowsPathException : PaddleNetException
{
    /// <summary>Windows cannot open <paramref name="path"/>, for the reason in <paramref name="problem"/>.</summary>
    public InvalidWindowsPathException(string path, string problem)
        : base($"{path}: Windows cannot open this path: {problem}")
    {
        PathName = path;
        Problem = problem;
    }

    /// <summary>The path as it was given.</summary>
    public string PathName { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}

/// <summary>
/// Checks a path against Win32's naming rules before it is opened, so that <c>CON</c> does not open the console
/// (and wait for input), <c>a?.png</c> does not surface as a bare "syntax is incorrect" I/O error, and a name the
/// file system cannot hold is named as such. Pure string logic: it runs (and is tested) on every OS, and callers
/// apply it on Windows only.
/// </summary>
/// <remarks>
/// Not flagged: paths longer than MAX_PATH (260). .NET opens them with the extended-length prefix, and PaddleNet
/// reads image bytes in .NET on Windows, so they work; only one name over 255 characters or a whole path over
/// 32,767 characters cannot exist.
/// </remarks>
public static class WindowsPath
{
    /// <summary>Longest single file or folder name NTFS (and the Win32 API) allows.</summary>
    public const int MaxComponentLength = 255;

    /// <summary>Longest path even the extended-length (<c>\\?\</c>) form allows.</summary>
    public const int MaxPathLength = 32767;

    private static readonly string[] Reserved =
    [
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00b9", "COM\u00b2", "COM\u00b3",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00b9", "LPT\u00b2", "LPT\u00b3",
    ];

    /// <summary>Throws <see cref="InvalidWindowsPathException"/> when <see cref="Problem"/> finds one, and only on Windows.</summary>
    public static void ThrowIfInvalidOnWindows(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            ThrowIfInvalid(path);
        }
    }

    /// <summary>Throws <see cref="InvalidWindowsPathException"/> when <see cref="Problem"/> finds one (on any OS).</summary>
    public static void ThrowIfInvalid(string path)
    {
        if (Problem(path) is string problem)
        {
            throw new InvalidWindowsPathException(path, problem);
        }
    }

    /// <summary>Why Windows cannot open <paramref name="path"/> as a file, or <see langword="null"/> when it can.
    /// Both <c>\</c> and <c>/</c> separate names; <c>C:</c> drive prefixes and <c>\\server\share</c> are allowed.</summary>
    public static string? Problem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return "the path is empty";
        }

        if (path.Length > MaxPathLength)
        {
            return $"it is {path.Length} characters long; Windows paths hold at most {MaxPathLength}";
        }

        int start = 0;
        if (path.StartsWith(@"\\?\", StringComparison.Ordinal) || path.StartsWith(@"\\.\", StringComparison.Ordinal))
        {
            // Extended-length or device paths bypass Win32 name parsing: the caller asked for exactly this.
            return null;
        }

        if (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0]))
        {
            start = 2;
        }

        for (int i = start; i < path.Length; i++)
        {
            char c = path[i];
            if (c < 32)
            {
                return $"it contains the control character U+{(int)c:X4} at position {i}";
            }

            if (c is '<' or '>' or '"' or '|' or '?' or '*' or ':')
            {
                return c == ':'
                    ? $"':' at position {i} is allowed only after a drive letter (C:), elsewhere it names an alternate data stream"
                    : $"it contains '{c}' at position {i}, which Windows forbids in file names (< > : \" | ? *)";
            }
        }

        foreach (string name in path[start..].Split('\\', '/'))
        {
            if (name.Length == 0 || name is "." or "..")
            {
                continue;
            }

            if (name.Length > MaxComponentLength)
            {
                return $"the name '{name[..20]}...' is {name.Length} characters long; Windows file names hold at most {MaxComponentLength}";
            }

            if (name[^1] is '.' or ' ')
            {
                return $"the name '{name}' ends with a dot or a space, which Windows silently drops (it would open '{name.TrimEnd('.', ' ')}')";
            }

            // "CON", "con.png" and "Com1 .txt" all name the device: the part before the first dot, trailing spaces ignored.
            int dot = name.IndexOf('.', StringComparison.Ordinal);
            string stem = (dot < 0 ? name : name[..dot]).TrimEnd(' ');
            foreach (string device in Reserved)
            {
                if (stem.Equals(device, StringComparison.OrdinalIgnoreCase))
                {
                    return $"'{name}' is the reserved device name {device}, not a file (rename it)";
                }
            }
        }

        return null;
    }
}
