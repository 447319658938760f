using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace PaddleNet.Imaging.Interop;

/// <summary>
/// Names the OpenCV libraries the shim needs and the system lacks, with the Debian/Ubuntu packages that provide
/// them, so that a machine without OpenCV gets "install libopencv-imgcodecs406" instead of a bare loader error.
/// </summary>
internal static partial class OpenCvDependencies
{
    // A shared-object name as it sits in the shim's dynamic string table (DT_NEEDED) or a loader message:
    // libopencv_imgcodecs.so.406 (Debian 12), libopencv_core.so.4.5d (Ubuntu 22.04).
    [GeneratedRegex(@"libopencv_([a-z0-9_]+)\.so\.([0-9][0-9a-z.]*[0-9a-z])")]
    private static partial Regex Soname();

    /// <summary>The OpenCV sonames written in <paramref name="shimPath"/> (read as bytes: its dynamic string table holds them).</summary>
    internal static IReadOnlyList<string> Needed(string shimPath)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(shimPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        return Sonames(Encoding.Latin1.GetString(bytes));
    }

    /// <summary>The distinct OpenCV sonames in <paramref name="text"/>, in order of appearance.</summary>
    internal static IReadOnlyList<string> Sonames(string text) =>
        Soname().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The Debian/Ubuntu package holding a soname: libopencv_imgcodecs.so.406 → libopencv-imgcodecs406.</summary>
    internal static string DebianPackage(string soname)
    {
        var m = Soname().Match(soname);
        if (!m.Success) throw new ArgumentException($"not an OpenCV soname: {soname}", nameof(soname));
        return "libopencv-" + m.Groups[1].Value.Replace('_', '-') + m.Groups[2].Value;
    }

    /// <summary>
    /// The explanation for a shim that exists but does not load: the OpenCV libraries the loader cannot find
    /// (checked one by one when <paramref name="shimPath"/> is readable, else taken from
    /// <paramref name="loaderMessage"/>) and how to install them; <see langword="null"/> when OpenCV is not the cause.
    /// </summary>
    internal static string? MissingLibrariesHint(string? shimPath, string loaderMessage, Func<string, bool>? canLoad = null)
    {
        canLoad ??= name =>
        {
            if (!NativeLibrary.TryLoad(name, out IntPtr handle)) return false;
            NativeLibrary.Free(handle);
            return true;
        };
        IReadOnlyList<string> needed = shimPath is null ? [] : Needed(shimPath);
        var missing = needed.Where(n => !canLoad(n)).ToList();
        if (missing.Count == 0) missing = Sonames(loaderMessage).ToList();
        if (missing.Count == 0) return null;
        string packages = string.Join(' ', missing.Select(DebianPackage));
        return $"the OpenCV libraries it needs are missing: {string.Join(", ", missing)}. " +
            $"Install them (Debian 12): apt-get install {packages} " +
            "(Ubuntu 24.04 adds 't64' to each name; libopencv-dev pulls in all of them). " +
            "The engine alone (PaddleNet: inspect, run, bench) does not need OpenCV.";
    }
}
