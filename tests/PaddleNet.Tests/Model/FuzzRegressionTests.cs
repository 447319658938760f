using System.Text;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Model;

/// <summary>
/// Mutants found by the long campaign (scripts/fuzz, docs/reliability.md), rebuilt here from the shared seeds: each
/// threw an untyped exception before its fix and must now be a <see cref="ModelFormatException"/>.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static readonly string ConvPir = SharedData.Path("ops", "conv2d", "k3_s1_p1", "pir");

    // pir case 131: the parameter op's persistable flag (OA[0]) read with GetInt32 threw FormatException for any
    // number that is not a 32-bit integer.
    [Theory]
    [InlineData("-9223372036854775808")]
    [InlineData("2.5")]
    [InlineData("1e400")]
    public void PirParameterFlagNotAnInt32_LoadsOrIsModelFormatException(string flag)
    {
        string json = File.ReadAllText(Path.Combine(ConvPir, "model.json"));
        Assert.Contains("\"OA\":[1,0,1]", json, StringComparison.Ordinal);
        byte[] mutant = Encoding.UTF8.GetBytes(json.Replace("\"OA\":[1,0,1]", $"\"OA\":[{flag},0,1]", StringComparison.Ordinal));
        byte[] pars = File.ReadAllBytes(Path.Combine(ConvPir, "model.pdiparams"));

        if (flag.Contains('.') || flag.Contains('e'))
        {
            var e = Assert.Throws<ModelFormatException>(() => PaddleModel.Load(mutant, pars.AsMemory()));
            Assert.Equal("p.OA", e.Field);
        }
        else
        {
            Assert.NotNull(PaddleModel.Load(mutant, pars.AsMemory())); // any integer is a flag: non-zero is set
        }
    }

    // v1 case 699: the final scale op of the 1.x MLP reads 'fc[2.tmp_2' (one byte flipped), which nothing writes; the
    // scale (1, 0) is folded into an alias, so the fetched output was never computed and copying it out threw
    // InvalidOperationException from the run context.
    [Fact]
    public void FetchOfAValueNothingWrites_IsModelFormatExceptionNamingTheOutput()
    {
        byte[] program = File.ReadAllBytes(SharedData.Path("models", "cls", "mnist_mlp", "__model__"));
        byte[] scaleInput = Encoding.ASCII.GetBytes("\n\u0001X\u0012\nfc_2.tmp_2\u0012%\n\u0003Out");
        int at = program.AsSpan().IndexOf(scaleInput);
        Assert.True(at >= 0, "the scale op's input is not where the seed had it");
        program[at + 6] = (byte)'[';
        var model = PaddleModel.Load(program, null).WithSyntheticWeights();
        using var session = new InferenceSession(model, new SessionOptions { IntraOpThreads = 1 });
        var inputs = model.Inputs.ToDictionary(i => i.Name, i => new Tensor(i.DataType, i.Shape.Select(d => d < 0 ? 1 : (int)d).ToArray()));

        var e = Assert.Throws<ModelFormatException>(() => session.Run(inputs));

        Assert.Equal(model.Outputs[0].Name, e.Field);
        Assert.Contains("was not computed", e.Message, StringComparison.Ordinal);
    }

    // pir case 24162: a bit flip renamed the results of a '1.full' ("O" -> "K"); reading its constant indexed the
    // missing result (IndexOutOfRangeException).
    [Fact]
    public void PirFullWithoutResult_IsModelFormatException()
    {
        string dir = SharedData.Path("ops", "clip", "0_6", "pir");
        string json = File.ReadAllText(Path.Combine(dir, "model.json"));
        const string Results = "\"N\":\"place\"}],\"I\":[],\"O\":[";
        Assert.Contains(Results, json, StringComparison.Ordinal);
        byte[] mutant = Encoding.UTF8.GetBytes(json.Replace(Results, Results.Replace("\"O\"", "\"K\"", StringComparison.Ordinal), StringComparison.Ordinal));

        var e = Assert.Throws<ModelFormatException>(() => PaddleModel.Load(mutant, null));

        Assert.Contains("has no result", e.Message, StringComparison.Ordinal);
    }

    // v1 case 41314: the 1.x MLP's final scale (1, 0) with its output slot renamed "Oet": the identity became an alias
    // with a null output name (ArgumentNullException in the graph passes).
    [Fact]
    public void IdentityWithoutOutput_IsModelFormatException()
    {
        byte[] program = File.ReadAllBytes(SharedData.Path("models", "cls", "mnist_mlp", "__model__"));
        byte[] slot = Encoding.ASCII.GetBytes("fc_2.tmp_2\u0012%\n\u0003Out\u0012\u001esave_infer_model");
        int at = program.AsSpan().IndexOf(slot);
        Assert.True(at >= 0, "the scale op's output slot is not where the seed had it");
        program[at + 15] = (byte)'e'; // "Out" -> "Oet"
        var model = PaddleModel.Load(program, null).WithSyntheticWeights();

        var e = Assert.Throws<ModelFormatException>(() => new InferenceSession(model, new SessionOptions { IntraOpThreads = 1 }).Dispose());

        Assert.Contains("has no 'Out' output", e.Message, StringComparison.Ordinal);
    }
}
