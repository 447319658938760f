using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace PaddleNet.Imaging.Interop;

/// <summary>
/// Loads <c>paddlenet_native</c> once, checks its ABI version, and turns native statuses into exceptions.
/// </summary>
/// <remarks>
/// Resolution order (first hit wins; nothing edits <c>PATH</c> or <c>LD_LIBRARY_PATH</c>):
/// <list type="number">
/// <item>.NET's default probing for the name (deps.json native assets, the application folder, the system paths);</item>
/// <item><c>runtimes/&lt;rid&gt;/native/</c> under <see cref="AppContext.BaseDirectory"/> (a plain copy, not listed in deps.json);</item>
/// <item>dev-build fallback: <c>build/native/runtimes/&lt;rid&gt;/native/</c> in <see cref="AppContext.BaseDirectory"/>
/// and each folder above it (the CMake build output of a repository checkout).</item>
/// </list>
/// A failure lists every location tried. The outcome, success or failure, is cached for the process.
/// </remarks>
internal static class NativeImaging
{
    private static readonly Lazy<IntPtr> s_library = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Where the library was loaded from (a path, or a description of default probing).</summary>
    internal static string? LoadedFrom { get; private set; }

    /// <summary>Loads and checks the native library if not yet done; throws <see cref="NativeImagingLibraryException"/>.</summary>
    internal static void EnsureLoaded() => _ = s_library.Value;

    /// <summary>OpenCV's version string as reported by the shim (e.g. "4.6.0").</summary>
    internal static unsafe string BackendVersion
    {
        get
        {
            EnsureLoaded();
            byte* buffer = stackalloc byte[64];
            ThrowIfFailed(PaddleNetNative.GetBackendVersion(buffer, 64, out int length), "PaddleNetNative_GetBackendVersion");
            return Encoding.UTF8.GetString(buffer, Math.Min(length, 63));
        }
    }

    /// <summary>
    /// The one place native statuses become exceptions. <paramref name="operation"/> names what was attempted;
    /// <paramref name="fileName"/> is the image path for decode calls (<see langword="null"/> for memory).
    /// Decode statuses throw <see cref="ImageDecodeException"/>; everything else <see cref="PaddleNetImagingException"/>.
    /// </summary>
    internal static void ThrowIfFailed(int status, string operation, string? fileName = null, string? fontPath = null)
    {
        if (status == PaddleNetNative.Ok)
        {
            return;
        }

        string native = LastErrorMessage();
        if (fontPath is not null)
        {
            // A font is not an image: no ImageDecodeException; the native message names the font and the reason.
            throw new PaddleNetImagingException($"{operation} failed with {StatusName(status)}: {native}", status, native);
        }

        ImageDecodeFailure? reason = status switch
        {
            PaddleNetNative.FileOpenFailed => ImageDecodeFailure.CannotOpen,
            PaddleNetNative.EmptyInput => ImageDecodeFailure.Empty,
            PaddleNetNative.UnknownFormat => ImageDecodeFailure.UnknownFormat,
            PaddleNetNative.DecodeFailed => ImageDecodeFailure.Corrupt,
            // OpenCV throws on some hostile headers (sizes past its own limits) and may fail to allocate: for a
            // decode these are the data's fault, reported like any other undecodable image.
            PaddleNetNative.Backend or PaddleNetNative.OutOfMemory when operation.StartsWith("PaddleNetNative_Decode", StringComparison.Ordinal) => ImageDecodeFailure.Corrupt,
            _ => null,
        };
        if (reason is ImageDecodeFailure r)
        {
            throw new ImageDecodeException(fileName, r, StripSource(native, fileName), status, native);
        }

        string what = fileName is null ? operation : $"{operation} ({fileName})";
        throw new PaddleNetImagingException($"{what} failed with {StatusName(status)}: {native}", status, native);
    }

    /// <summary>This thread's last error text from the shim (empty after a successful call).</summary>
    internal static unsafe string LastErrorMessage()
    {
        const int Stack = 512;
        byte* buffer = stackalloc byte[Stack];
        if (PaddleNetNative.GetLastErrorMessage(buffer, Stack, out int length) != PaddleNetNative.Ok)
        {
            return "<no message: PaddleNetNative_GetLastErrorMessage failed>";
        }

        if (length < Stack)
        {
            return Encoding.UTF8.GetString(buffer, length);
        }

        var large = new byte[length + 1];
        fixed (byte* p = large)
        {
            if (PaddleNetNative.GetLastErrorMessage(p, large.Length, out length) != PaddleNetNative.Ok)
            {
                return "<no message: PaddleNetNative_GetLastErrorMessage failed>";
            }

            return Encoding.UTF8.GetString(p, Math.Min(length, large.Length - 1));
        }
    }

    internal static string StatusName(int status) => status switch
    {
        PaddleNetNative.InvalidArgument => "PADDLENET_NATIVE_E_INVALID_ARGUMENT",
        PaddleNetNative.BufferTooSmall => "PADDLENET_NATIVE_E_BUFFER_TOO_SMALL",
        PaddleNetNative.FileOpenFailed => "PADDLENET_NATIVE_E_FILE_OPEN_FAILED",
        PaddleNetNative.EmptyInput => "PADDLENET_NATIVE_E_EMPTY_INPUT",
        PaddleNetNative.UnknownFormat => "PADDLENET_NATIVE_E_UNKNOWN_FORMAT",
        PaddleNetNative.DecodeFailed => "PADDLENET_NATIVE_E_DECODE_FAILED",
        PaddleNetNative.OutOfMemory => "PADDLENET_NATIVE_E_OUT_OF_MEMORY",
        PaddleNetNative.Backend => "PADDLENET_NATIVE_E_BACKEND",
        PaddleNetNative.Internal => "PADDLENET_NATIVE_E_INTERNAL",
        _ => $"unknown status {status}",
    };

    // The shim's decode messages start with "'<path>': " or "<memory>: "; the exception says that already.
    private static string StripSource(string native, string? fileName)
    {
        // A file decoded from its bytes (Windows) carries the memory prefix.
        foreach (string prefix in fileName is null ? ["<memory>: "] : new[] { $"'{fileName}': ", "<memory>: " })
        {
            if (native.StartsWith(prefix, StringComparison.Ordinal))
            {
                return native[prefix.Length..];
            }
        }

        return native;
    }

    /// <summary>The .NET runtime identifier of this process's platform, as CMake names its output folder.</summary>
    internal static string RuntimeIdentifier
    {
        get
        {
            string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
            string arch = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => "x64",
                Architecture.X86 => "x86",
                Architecture.Arm64 => "arm64",
                Architecture.Arm => "arm",
                var other => other.ToString().ToLowerInvariant(),
            };
            return $"{os}-{arch}";
        }
    }

    /// <summary>The library's file name on this platform.</summary>
    internal static string LibraryFileName =>
        OperatingSystem.IsWindows() ? PaddleNetNative.LibraryName + ".dll"
        : OperatingSystem.IsMacOS() ? "lib" + PaddleNetNative.LibraryName + ".dylib"
        : "lib" + PaddleNetNative.LibraryName + ".so";

    /// <summary>The explicit candidate paths, in the order they are tried after default probing.</summary>
    internal static IReadOnlyList<string> CandidatePaths()
    {
        string rid = RuntimeIdentifier;
        string file = LibraryFileName;
        var candidates = new List<string>();
        void Add(string path)
        {
            string full = Path.GetFullPath(path);
            if (!candidates.Contains(full, StringComparer.Ordinal))
            {
                candidates.Add(full);
            }
        }

        // The application folder itself first: default probing already looked there, but a file that is there and
        // fails (wrong architecture) is then diagnosed by name.
        Add(Path.Combine(AppContext.BaseDirectory, file));
        Add(Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", file));
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            Add(Path.Combine(dir.FullName, "build", "native", "runtimes", rid, "native", file));
        }

        return candidates;
    }

    private static IntPtr Load()
    {
        Assembly assembly = typeof(NativeImaging).Assembly;
        var probed = new List<string>();
        var errors = new List<string>();
        string? openCvHint = null;

        IntPtr handle = IntPtr.Zero;
        string defaultProbe = $"default probing for '{PaddleNetNative.LibraryName}' (deps.json native assets, {AppContext.BaseDirectory}, system library paths)";
        probed.Add(defaultProbe);
        if (NativeLibrary.TryLoad(PaddleNetNative.LibraryName, assembly, null, out handle))
        {
            LoadedFrom = defaultProbe;
        }
        else
        {
            foreach (string candidate in CandidatePaths())
            {
                if (!File.Exists(candidate))
                {
                    probed.Add(candidate + " (not found)");
                    continue;
                }

                try
                {
                    handle = NativeLibrary.Load(candidate);
                    LoadedFrom = candidate;
                    break;
                }
                catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
                {
                    // The file exists but cannot be loaded (wrong architecture, missing OpenCV libraries, ...).
                    string? mismatch = NativeLibraryFile.Mismatch(candidate, RuntimeIdentifier);
                    string why = mismatch ?? e.Message;
                    probed.Add($"{candidate} ({why})");
                    errors.Add($"{candidate}: {why}");
                    // Missing OpenCV libraries only explain a failure for a library built for this platform;
                    // a file of the wrong kind (a linux .so renamed to .dll) is reported as that instead.
                    if (mismatch is null) openCvHint ??= OpenCvDependencies.MissingLibrariesHint(candidate, e.Message);
                }
            }
        }

        if (handle == IntPtr.Zero && openCvHint is not null)
        {
            throw new NativeImagingLibraryException(
                $"Cannot load the native library '{PaddleNetNative.LibraryName}' ({LibraryFileName}, {RuntimeIdentifier}): {openCvHint} Tried, in order:" +
                Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", probed),
                probed);
        }

        if (handle == IntPtr.Zero)
        {
            string problem = errors.Count > 0 ? errors[0] : "not found";
            string remedy = OperatingSystem.IsWindows()
                ? $"Put the {RuntimeIdentifier} {LibraryFileName} beside {Path.GetFileName(Environment.ProcessPath) ?? "the program"}: " +
                  "it is in the paddlenet-win-x64 folder that 'scripts/publish win-x64' builds, and in the PaddleNet.Imaging " +
                  "package under runtimes/win-x64/native/; it is self-contained (OpenCV linked in, no other DLL to install)."
                : "Build it with 'cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release && cmake --build build/native' " +
                  "(needs OpenCV 4: libopencv-dev), or ship it in runtimes/<rid>/native/.";
            throw new NativeImagingLibraryException(
                $"Cannot load the native library {LibraryFileName} ({RuntimeIdentifier}): {problem}. {remedy} Tried, in order:" +
                Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", probed),
                probed);
        }

        IntPtr loaded = handle;
        NativeLibrary.SetDllImportResolver(assembly, (name, _, _) => name == PaddleNetNative.LibraryName ? loaded : IntPtr.Zero);

        int version;
        try
        {
            version = PaddleNetNative.GetAbiVersion();
        }
        catch (EntryPointNotFoundException e)
        {
            throw new NativeImagingLibraryException(
                $"'{LoadedFrom}' has no PaddleNetNative_GetAbiVersion export: not a PaddleNet shim, or a very old one.", probed, e);
        }

        if (version != PaddleNetNative.AbiVersion)
        {
            throw new NativeImagingLibraryException(
                $"'{LoadedFrom}' implements native ABI version {version}, but PaddleNet.Imaging {assembly.GetName().Version} needs version {PaddleNetNative.AbiVersion}. Rebuild native/ from the same checkout.",
                probed);
        }

        return handle;
    }
}
