using PaddleNet.Model;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Model;

/// <summary>
/// Real exports from shared/programs that stopped at a missing op before issue 13 now run end to end: the program file
/// with synthetic weights (every parameter the program declares, seeded uniform values), real input shapes.
/// </summary>
public sealed class RealExportRunTests
{
    private static PaddleModel WithSyntheticWeights(string file)
    {
        var m = PaddleModel.Load(SharedData.Path("programs", file));
        Assert.False(m.HasWeights);
        var rng = new Random(13);
        var parameters = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var v in m.Program.Main.Vars.Values.Where(v => v.IsParameter).OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            Assert.All(v.Dims, d => Assert.True(d > 0, $"{v.Name}: static dims expected"));
            var shape = v.Dims.Select(d => (int)d).ToArray();
            var data = Enumerable.Range(0, shape.Aggregate(1, (p, d) => p * d)).Select(_ => (float)(rng.NextDouble() * 0.2 - 0.1)).ToArray();
            Assert.Equal(DataType.Float32, v.DataType);
            parameters[v.Name] = Tensor.FromSpan<float>(data, shape);
        }
        return new PaddleModel(m.Format, m.Source, m.ProducerVersion, m.PirVersion, m.Program, parameters, hasWeights: true);
    }

    [Fact]
    public void Lac_LookupGruViterbi_RunsAndDecodesValidTags()
    {
        // Baidu LAC: lookup_table_v2 → bidirectional 2-layer GRU (rnn) → fc → viterbi_decode.
        using var session = new InferenceSession(WithSyntheticWeights("lac.inference.pdmodel"));
        var tokens = Tensor.FromSpan<long>([5, 17, 2, 99, 3, 8, 1, 4, 6, 0, 0, 0], [2, 6]);
        var length = Tensor.FromSpan<long>([6, 3], [2]);
        var outputs = session.Run(new Dictionary<string, Tensor> { ["token_ids"] = tokens, ["length"] = length });
        var path = Assert.Single(outputs);
        Assert.Equal(DataType.Int64, path.DataType);
        Assert.Equal(new[] { 2, 6 }, path.Shape.ToArray());
        var tags = session.Model.Program.Main.Vars.Values.First(v => v.Name == "linear_chain_crf_0.w_0").Dims[1];
        Assert.All(path.AsSpan<long>().ToArray(), t => Assert.InRange(t, 0, tags - 1));
        // Past its length the second sequence's path is 0, as Paddle's decoder writes it.
        Assert.Equal(new long[] { 0, 0, 0 }, path.AsSpan<long>().ToArray()[9..12]);
    }

    [Fact]
    public void X2PaddleMnasNet_AffineChannel_RunsToClassScores()
    {
        using var session = new InferenceSession(WithSyntheticWeights("x2paddle_tf_mnasnet.pdmodel"));
        var info = Assert.Single(session.Inputs);
        var shape = info.Shape.ToArray().Select(d => d < 0 ? 1 : (int)d).ToArray();
        var rng = new Random(2);
        var x = Tensor.FromSpan<float>(Enumerable.Range(0, shape.Aggregate(1, (p, d) => p * d)).Select(_ => (float)rng.NextDouble()).ToArray(), shape);
        var outputs = session.Run(new Dictionary<string, Tensor> { [info.Name] = x });
        Assert.NotEmpty(outputs);
        var floats = outputs.Where(o => o.DataType == DataType.Float32).ToArray();
        Assert.NotEmpty(floats);
        Assert.All(floats, o => Assert.All(o.AsSpan<float>().ToArray(), v => Assert.True(float.IsFinite(v))));
    }
}
