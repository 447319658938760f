using PaddleNet.Imaging.Interop;

namespace PaddleNet.Imaging.Tests;

/// <summary>The error a machine without OpenCV gets: which libraries are missing and which packages hold them.</summary>
public sealed class OpenCvDependenciesTests
{
    private static string RepoShim => Path.Combine(SharedData.RepoRoot, "build", "native", "runtimes", NativeImaging.RuntimeIdentifier, "native", NativeImaging.LibraryFileName);

    [Theory]
    // Debian 12 (bookworm) package names; Ubuntu 22.04's OpenCV 4.5 soname carries its "d" suffix into the name.
    [InlineData("libopencv_imgcodecs.so.406", "libopencv-imgcodecs406")]
    [InlineData("libopencv_core.so.406", "libopencv-core406")]
    [InlineData("libopencv_imgproc.so.4.5d", "libopencv-imgproc4.5d")]
    public void DebianPackage_Soname_IsThePackageThatShipsIt(string soname, string package)
    {
        Assert.Equal(package, OpenCvDependencies.DebianPackage(soname));
    }

    [Fact]
    public void Needed_RepoShim_ListsTheOpenCvModulesItLinks()
    {
        Assert.True(File.Exists(RepoShim), $"{RepoShim} missing: build native/ first");

        // The shim links core, imgproc and imgcodecs (native/CMakeLists.txt), each as the system's soname.
        var modules = OpenCvDependencies.Needed(RepoShim).Select(s => s[..s.IndexOf(".so.", StringComparison.Ordinal)]).Order().ToArray();
        Assert.Equal(["libopencv_core", "libopencv_imgcodecs", "libopencv_imgproc"], modules);
    }

    [Fact]
    public void MissingLibrariesHint_OneLibraryAbsent_NamesItAndItsPackageOnly()
    {
        var needed = OpenCvDependencies.Needed(RepoShim);
        string absent = needed.Single(n => n.StartsWith("libopencv_imgcodecs.", StringComparison.Ordinal));

        string? hint = OpenCvDependencies.MissingLibrariesHint(RepoShim, $"{absent}: cannot open shared object file", n => n != absent);

        Assert.NotNull(hint);
        Assert.Contains(absent, hint);
        Assert.Contains("apt-get install " + OpenCvDependencies.DebianPackage(absent) + " ", hint);
        Assert.DoesNotContain("libopencv_core", hint);
    }

    [Fact]
    public void MissingLibrariesHint_UnreadableShim_FallsBackToTheLoaderMessage()
    {
        string? hint = OpenCvDependencies.MissingLibrariesHint(
            "/nonexistent/libpaddlenet_native.so",
            "libopencv_core.so.406: cannot open shared object file: No such file or directory",
            _ => true);

        Assert.NotNull(hint);
        Assert.Contains("apt-get install libopencv-core406 ", hint);
    }

    [Fact]
    public void MissingLibrariesHint_OtherLoaderError_IsNull()
    {
        Assert.Null(OpenCvDependencies.MissingLibrariesHint(null, "wrong ELF class: ELFCLASS32", _ => true));
    }
}
