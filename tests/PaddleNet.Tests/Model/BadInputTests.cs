using System.Buffers.Binary;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Model;

public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paddlenet-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string LegacyDir => SharedData.Path("ops", "conv2d", "k3_s1_p1", "legacy");

    private string CopyLegacy()
    {
        var dst = Path.Combine(_dir, "m");
        Directory.CreateDirectory(dst);
        foreach (var f in Directory.EnumerateFiles(LegacyDir)) File.Copy(f, Path.Combine(dst, Path.GetFileName(f)));
        return dst;
    }

    [Fact]
    public void Load_EmptyProgram_ThrowsNamingTheFile()
    {
        var path = Path.Combine(_dir, "inference.pdmodel");
        File.WriteAllBytes(path, []);
        var e = Assert.Throws<ModelFormatException>(() => PaddleModel.Load(path));
        Assert.Equal(path, e.ModelPath);
    }

    [Fact]
    public void Load_UnknownFormat_ThrowsListingWhatWasExpected()
    {
        var path = Path.Combine(_dir, "model.pdmodel");
        File.WriteAllText(path, "GIF89a not a model");
        var e = Assert.Throws<ModelFormatException>(() => PaddleModel.Load(path));
        Assert.Contains("unknown model format", e.Message);
    }

    [Fact]
    public void Load_DirectoryWithoutProgram_ListsEveryNameTried()
    {
        var e = Assert.Throws<ModelFormatException>(() => PaddleModel.Load(_dir));
        foreach (var name in new[] { "inference.json", "inference.pdmodel", "model.pdmodel", "__model__" }) Assert.Contains(name, e.Message);
    }

    [Fact]
    public void Load_TruncatedParameters_ThrowsWithOffsetAndVariable()
    {
        var dir = CopyLegacy();
        var pars = Path.Combine(dir, "model.pdiparams");
        var bytes = File.ReadAllBytes(pars);
        File.WriteAllBytes(pars, bytes[..^7]);
        var e = Assert.Throws<ModelFormatException>(() => PaddleModel.Load(dir));
        Assert.Equal("p_w", e.Field);
        Assert.NotNull(e.Offset);
        Assert.Contains("needs", e.Message);
    }

    [Fact]
    public void Load_TrailingBytesAfterParameters_Throws()
    {
        var dir = CopyLegacy();
        var pars = Path.Combine(dir, "model.pdiparams");
        File.WriteAllBytes(pars, [.. File.ReadAllBytes(pars), 1, 2, 3]);
        var e = Assert.Throws<ModelFormatException>(() => PaddleModel.Load(dir));
        Assert.Contains("3 bytes remain", e.Message);
    }

    [Fact]
    public void Load_UnsupportedDtypeInRecord_ThrowsNamingTheCode()
    {
        var dir = CopyLegacy();
        var pars = Path.Combine(dir, "model.pdiparams");
        var bytes = File.ReadAllBytes(pars);
        // Record layout: 4 version, 8 lod_level, 4 version, 4 desc size, desc (08 <dtype> ...).
        Assert.Equal(0x08, bytes[20]);
        bytes[21] = 23; // COMPLEX64
        File.WriteAllBytes(pars, bytes);
        var e = Assert.Throws<ModelFormatException>(() => PaddleModel.Load(dir));
        Assert.Contains("data type code 23", e.Message);
        Assert.Equal(20, e.Offset); // the TensorDesc that holds the code
    }

    [Fact]
    public void Load_HugeDeclaredDimension_ThrowsWithoutAllocating()
    {
        var dir = CopyLegacy();
        var pars = Path.Combine(dir, "model.pdiparams");
        var bytes = File.ReadAllBytes(pars);
        int descSize = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16));
        // Replace the first dim (varint after tag 0x10) with 2^31-1.
        var desc = bytes.AsSpan(20, descSize).ToArray();
        int tag = Array.IndexOf(desc, (byte)0x10);
        var huge = new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 };
        var newDesc = desc[..(tag + 1)].Concat(huge).Concat(desc[(tag + 2)..]).ToArray();
        var patched = bytes[..16].Concat(BitConverter.GetBytes(newDesc.Length)).Concat(newDesc).Concat(bytes[(20 + descSize)..]).ToArray();
        File.WriteAllBytes(pars, patched);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ModelFormatException>(() => PaddleModel.Load(dir));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 20, "the loader allocated by an unchecked length");
        Assert.Contains("needs more than", e.Message);
    }

    [Fact]
    public void Load_MissingPerVariableFile_ThrowsNamingTheVariable()
    {
        var src = SharedData.Path("models", "cls", "mnist_mlp");
        var dst = Path.Combine(_dir, "mnist");
        Directory.CreateDirectory(dst);
        foreach (var f in Directory.EnumerateFiles(src)) File.Copy(f, Path.Combine(dst, Path.GetFileName(f)));
        File.Delete(Path.Combine(dst, "fc_1.w_0"));
        var e = Assert.Throws<ModelFormatException>(() => PaddleModel.Load(dst));
        Assert.Equal("fc_1.w_0", e.Field);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void Load_StrayFilesInSeparateFolder_AreIgnored()
    {
        var src = SharedData.Path("models", "cls", "mnist_mlp");
        var dst = Path.Combine(_dir, "mnist");
        Directory.CreateDirectory(dst);
        foreach (var f in Directory.EnumerateFiles(src)) File.Copy(f, Path.Combine(dst, Path.GetFileName(f)));
        File.WriteAllText(Path.Combine(dst, "notes.txt"), "not a tensor");
        var model = PaddleModel.Load(dst);
        Assert.Equal(ModelFormat.LegacySeparate, model.Format);
    }

    [Fact]
    public void Load_ParameterShapeDiffersFromProgram_ThrowsExpectedVersusFound()
    {
        // Swap the params of two different convs: same record layout, different declared shape.
        var other = SharedData.Path("ops", "conv2d", "k3_groups2", "legacy", "model.pdiparams");
        var dir = CopyLegacy();
        File.Copy(other, Path.Combine(dir, "model.pdiparams"), overwrite: true);
        var e = Assert.Throws<ModelFormatException>(() => PaddleModel.Load(dir));
        Assert.Contains("declares [4, 3, 3, 3]", e.Message);
    }

    [Fact]
    public void Load_PirJsonWithBadMagic_Throws()
    {
        var path = Path.Combine(_dir, "inference.json");
        File.WriteAllText(path, "{\"base_code\":{\"magic\":\"xyz\",\"version\":1},\"program\":{\"regions\":[]}}");
        var e = Assert.Throws<ModelFormatException>(() => PaddleModel.Load(path));
        Assert.Equal("base_code.magic", e.Field);
    }

    [Fact]
    public void Load_PirJsonUsingUndefinedValue_ThrowsNamingTheOp()
    {
        var path = Path.Combine(_dir, "inference.json");
        File.WriteAllText(path, """
            {"base_code":{"magic":"pir","trainable":true,"version":4},"program":{"regions":[{"#":"region_0","blocks":[{"#":"block_0","args":[],"ops":[
            {"#":"1.relu","A":[],"I":[{"%":7}],"O":[{"%":8,"TT":{"#":"0.t_dtensor","D":[{"#":"0.t_f32"},[1],"NCHW",[],0]}}]}]}]}]}}
            """);
        var e = Assert.Throws<ModelFormatException>(() => PaddleModel.Load(path));
        Assert.Contains("op #0 (1.relu) uses value 7", e.Message);
    }
}
