using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;

namespace PaddleNet.Imaging.Tests;

/// <summary>
/// Hostile input to <see cref="Image.Decode(string, ImageDecodeOptions)"/>: decompression bombs (built here, tiny on
/// disk), oversized files and buffers, and paths that are not regular files (directory, FIFO, socket, device).
/// </summary>
public sealed class HostileImageTests
{
    private static readonly Lazy<byte[]> Bomb = new(() => HostileImages.Bomb);

    private static byte[] Png(int width, int height, byte colorType, byte[] idat) => HostileImages.Png(width, height, colorType, idat);

    [Fact]
    public void Decode_PngBombFile_RefusedFromHeaderQuickly()
    {
        using var dir = new TempDir();
        string path = dir.Write("bomb.png", Bomb.Value);
        Assert.True(Bomb.Value.Length < 2_000_000, $"the bomb is {Bomb.Value.Length} bytes");
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<ImageDecodeException>(() => Image.Decode(path));

        clock.Stop();
        Assert.Equal(ImageDecodeFailure.TooManyPixels, e.Reason);
        Assert.Equal(path, e.FileName);
        Assert.Contains("20000x20000", e.Message, StringComparison.Ordinal);
        Assert.Contains("100000000", e.Message, StringComparison.Ordinal);
        Assert.True(clock.ElapsedMilliseconds < 1000, $"took {clock.ElapsedMilliseconds} ms");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 1_000_000, "the refusal allocated pixel-sized memory");
    }

    [Fact]
    public void Decode_PngBombBytes_RefusedNamingMemory()
    {
        var e = Assert.Throws<ImageDecodeException>(() => Image.Decode(Bomb.Value));

        Assert.Equal(ImageDecodeFailure.TooManyPixels, e.Reason);
        Assert.Null(e.FileName);
        Assert.StartsWith("<memory>:", e.Message, StringComparison.Ordinal);
        Assert.Contains("400000000 pixels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeGray_PngBomb_Refused()
    {
        var e = Assert.Throws<ImageDecodeException>(() => Image.DecodeGray(Bomb.Value));

        Assert.Equal(ImageDecodeFailure.TooManyPixels, e.Reason);
    }

    /// <summary>Headers of every format the reader knows, each declaring 30000×30000 with nothing behind it.</summary>
    public static TheoryData<string, byte[]> DeclaredHuge
    {
        get
        {
            var data = new TheoryData<string, byte[]>();
            byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC2, 0, 11, 8, 0x75, 0x30, 0x75, 0x30, 3, 1, 0x11, 0];
            data.Add("JPEG", jpeg);
            var bmp = new byte[54];
            "BM"u8.CopyTo(bmp);
            BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
            BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), 30000);
            BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), -30000);
            data.Add("BMP", bmp);
            data.Add("TIFF", HostileImages.TiffDeclaring(30000, 30000));
            var webp = new byte[30];
            "RIFF"u8.CopyTo(webp);
            "WEBPVP8X"u8.CopyTo(webp.AsSpan(8));
            webp[16] = 10;
            webp[24] = 0x2F; webp[25] = 0x75; // 29999 = 0x752F, 24-bit little-endian
            webp[27] = 0x2F; webp[28] = 0x75;
            data.Add("WebP", webp);
            data.Add("PNM", "P6\n# a comment\n30000 30000\n255\n"u8.ToArray());
            data.Add("Radiance HDR", "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 30000 +X 30000\n"u8.ToArray());
            var sun = new byte[32];
            BinaryPrimitives.WriteUInt32BigEndian(sun, 0x59A66A95);
            BinaryPrimitives.WriteUInt32BigEndian(sun.AsSpan(4), 30000);
            BinaryPrimitives.WriteUInt32BigEndian(sun.AsSpan(8), 30000);
            BinaryPrimitives.WriteUInt32BigEndian(sun.AsSpan(12), 24);
            data.Add("Sun raster", sun);
            data.Add("PNG", Png(30000, 30000, 2, [0x78, 0x9C, 3, 0, 0, 0, 0, 1]));
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(DeclaredHuge))]
    public void Decode_HeaderDeclaring900Megapixels_RefusedBeforeDecoding(string format, byte[] bytes)
    {
        using var dir = new TempDir();
        string path = dir.Write("huge.img", bytes);

        var fromMemory = Assert.Throws<ImageDecodeException>(() => Image.Decode(bytes));
        var fromFile = Assert.Throws<ImageDecodeException>(() => Image.Decode(path));

        Assert.Equal(ImageDecodeFailure.TooManyPixels, fromMemory.Reason);
        Assert.Equal(ImageDecodeFailure.TooManyPixels, fromFile.Reason);
        Assert.Contains($"the {format} header declares 30000x30000", fromFile.Message, StringComparison.Ordinal);
    }

    /// <summary>The header's size is the decoded size for every odd file OpenCV decodes, and the limit is exact:
    /// width × height pixels pass, one fewer is refused.</summary>
    [Theory]
    [MemberData(nameof(OddImageTests.DecodedFilesExceptTruncated), MemberType = typeof(OddImageTests))]
    public void Decode_OddFile_LimitIsExactAtDecodedPixelCount(string file)
    {
        string path = SharedData.PathOf($"{References.OddFolder}/{file}");
        Image image = Image.Decode(path);
        long pixels = (long)image.Width * image.Height;

        Image atLimit = Image.Decode(path, new ImageDecodeOptions { MaxPixels = pixels });
        var e = Assert.Throws<ImageDecodeException>(() => Image.Decode(path, new ImageDecodeOptions { MaxPixels = pixels - 1 }));
        var fromBytes = Assert.Throws<ImageDecodeException>(() => Image.Decode(File.ReadAllBytes(path), new ImageDecodeOptions { MaxPixels = pixels - 1 }));

        Assert.True(image.Pixels.SequenceEqual(atLimit.Pixels));
        Assert.Equal(ImageDecodeFailure.TooManyPixels, e.Reason);
        Assert.Equal(ImageDecodeFailure.TooManyPixels, fromBytes.Reason);
        Assert.Contains($"= {pixels} pixels", e.Message, StringComparison.Ordinal);
        Assert.Contains($"header declares", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_BufferOverMaxBytes_RefusedBeforeDecoding()
    {
        byte[] bytes = File.ReadAllBytes(SharedData.PathOf("models/images/scenes/dog.jpg"));

        var e = Assert.Throws<ImageDecodeException>(() => Image.Decode(bytes, new ImageDecodeOptions { MaxBytes = bytes.Length - 1 }));

        Assert.Equal(ImageDecodeFailure.TooManyBytes, e.Reason);
        Assert.Contains($"{bytes.Length} bytes", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, Image.Decode(bytes, new ImageDecodeOptions { MaxBytes = bytes.Length }).Channels);
    }

    [Fact]
    public void Decode_FileOverMaxBytes_RefusedWithoutReading()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "sparse.jpg");
        using (var f = File.Create(path)) f.SetLength(1L << 33); // 8 GiB, sparse: nothing is written

        var e = Assert.Throws<ImageDecodeException>(() => Image.Decode(path));

        Assert.Equal(ImageDecodeFailure.TooManyBytes, e.Reason);
        Assert.Contains("8589934592 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_NonPositiveLimits_Rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodeOptions { MaxPixels = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodeOptions { MaxBytes = -1 });
        Assert.Equal(100_000_000, ImageDecodeOptions.Default.MaxPixels);
    }

    [Fact]
    public void Decode_Directory_SaysItIsADirectory()
    {
        using var dir = new TempDir();
        string path = Directory.CreateDirectory(Path.Combine(dir.Path, "photo.jpg")).FullName;

        var e = Assert.Throws<ImageDecodeException>(() => Image.Decode(path));

        Assert.Equal(ImageDecodeFailure.NotRegularFile, e.Reason);
        Assert.Contains("is a directory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_Fifo_RefusedAtOnceInsteadOfBlocking()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "x.jpg");
        Run("mkfifo", path);

        var decode = Task.Run(() => Assert.Throws<ImageDecodeException>(() => Image.Decode(path)));
        bool finished = await Task.WhenAny(decode, Task.Delay(TimeSpan.FromSeconds(10))) == decode;
        if (!finished)
        {
            using (File.OpenWrite(path)) { } // unblock the reader so the test run can end
        }

        Assert.True(finished, "decoding a FIFO blocked");
        var e = await decode;
        Assert.Equal(ImageDecodeFailure.NotRegularFile, e.Reason);
        Assert.Contains("is a FIFO (named pipe)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Socket_Refused()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "s.png");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        var e = Assert.Throws<ImageDecodeException>(() => Image.Decode(path));

        Assert.Equal(ImageDecodeFailure.NotRegularFile, e.Reason);
        Assert.Contains("is a socket", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_SymlinkToDevZero_RefusedNamingTheTarget()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "z.jpg");
        File.CreateSymbolicLink(path, "/dev/zero");

        var e = Assert.Throws<ImageDecodeException>(() => Image.Decode(path));
        var gray = Assert.Throws<ImageDecodeException>(() => Image.DecodeGray(path));

        Assert.Equal(ImageDecodeFailure.NotRegularFile, e.Reason);
        Assert.Equal(ImageDecodeFailure.NotRegularFile, gray.Reason);
        Assert.Contains("symbolic link to '/dev/zero', which is a character device", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_SymlinkToRegularImage_Decodes()
    {
        using var dir = new TempDir();
        string target = SharedData.PathOf("models/images/scenes/dog.jpg");
        string path = Path.Combine(dir.Path, "link.jpg");
        File.CreateSymbolicLink(path, target);

        Assert.True(Image.Decode(target).Pixels.SequenceEqual(Image.Decode(path).Pixels));
    }

    private static void Run(string program, params string[] args)
    {
        using var p = Process.Start(program, args);
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    internal sealed class TempDir : IDisposable
    {
        public TempDir() => Path = Directory.CreateTempSubdirectory("paddlenet-hostile-").FullName;

        public string Path { get; }

        public string Write(string name, byte[] bytes)
        {
            string path = System.IO.Path.Combine(Path, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
