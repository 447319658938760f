using PaddleNet.Tests.Kernels.Shape;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Kernels.Nn;

/// <summary>rnn mode GRU (LAC's encoder) against test_rnn_op.py's numpy GRU (rnn_numpy.GRUCell + the masked BiRNN loop).</summary>
public sealed class RnnGruTests
{
    private static double Sig(double v) => 1 / (1 + Math.Exp(-v));

    [Theory]
    [InlineData(true, 2, true)]
    [InlineData(false, 1, false)]
    [InlineData(true, 1, false)]
    public void Gru_MatchesNumpyOracle(bool bidirec, int layers, bool withLengths)
    {
        var rng = new Random(9);
        int t = 5, n = 3, inSize = 4, h = 3, dirs = bidirec ? 2 : 1, ld = layers * dirs;
        var x = OpHarness.Floats(rng, t, n, inSize);
        var h0 = OpHarness.Floats(rng, ld, n, h);
        var ws = new List<Tensor>();
        var bs = new List<Tensor>();
        for (int l = 0; l < layers; l++)
        {
            for (int d = 0; d < dirs; d++)
            {
                int inL = l == 0 ? inSize : dirs * h;
                ws.Add(OpHarness.Floats(rng, 3 * h, inL));
                ws.Add(OpHarness.Floats(rng, 3 * h, h));
                bs.Add(OpHarness.Floats(rng, 3 * h));
                bs.Add(OpHarness.Floats(rng, 3 * h));
            }
        }
        long[] lengths = withLengths ? [5, 2, 0] : [5, 5, 5];
        var hb = new OpHarness("rnn").Input("Input", x).Input("PreState", h0).Input("WeightList", ws.Concat(bs).ToArray())
            .Output("Out").Output("State", 1).Output("Reserve").Output("DropoutState")
            .Attr("mode", "GRU").Attr("hidden_size", (long)h).Attr("input_size", (long)inSize).Attr("num_layers", (long)layers).Attr("is_bidirec", bidirec).Attr("is_test", true);
        if (withLengths) hb.Input("SequenceLength", Tensor.FromSpan<long>(lengths, [n]));
        var y = hb.Run1("Out");
        var state = hb.Run1("State");

        // numpy oracle
        var input = Enumerable.Range(0, t).Select(ti => Enumerable.Range(0, n).Select(b => x.AsSpan<float>().Slice((ti * n + b) * inSize, inSize).ToArray().Select(v => (double)v).ToArray()).ToArray()).ToArray();
        var finalH = new double[ld][][];
        for (int l = 0; l < layers; l++)
        {
            var next = Enumerable.Range(0, t).Select(_ => Enumerable.Range(0, n).Select(_ => new double[dirs * h]).ToArray()).ToArray();
            for (int d = 0; d < dirs; d++)
            {
                int cell = l * dirs + d;
                var wih = ws[2 * cell].AsSpan<float>().ToArray();
                var whh = ws[2 * cell + 1].AsSpan<float>().ToArray();
                var bih = bs[2 * cell].AsSpan<float>().ToArray();
                var bhh = bs[2 * cell + 1].AsSpan<float>().ToArray();
                int inL = input[0][0].Length;
                var state0 = Enumerable.Range(0, n).Select(b => h0.AsSpan<float>().Slice((cell * n + b) * h, h).ToArray().Select(v => (double)v).ToArray()).ToArray();
                for (int step = 0; step < t; step++)
                {
                    int ti = d == 0 ? step : t - 1 - step; // is_reverse: flip inputs and mask
                    for (int b = 0; b < n; b++)
                    {
                        double mask = ti < lengths[b] ? 1 : 0;
                        var hp = state0[b];
                        double Gx(int r) => bih[r] + Enumerable.Range(0, inL).Sum(k => wih[r * inL + k] * input[ti][b][k]);
                        double Gh(int r) => bhh[r] + Enumerable.Range(0, h).Sum(k => whh[r * h + k] * hp[k]);
                        var hNew = new double[h];
                        for (int k = 0; k < h; k++)
                        {
                            double r = Sig(Gx(k) + Gh(k)), z = Sig(Gx(h + k) + Gh(h + k));
                            double c = Math.Tanh(Gx(2 * h + k) + r * Gh(2 * h + k));
                            hNew[k] = (1 - z) * c + z * hp[k];
                        }
                        for (int k = 0; k < h; k++)
                        {
                            double upd = mask * hNew[k] + (1 - mask) * hp[k];
                            next[ti][b][d * h + k] = hNew[k] * mask;
                            hNew[k] = upd;
                        }
                        state0[b] = hNew;
                    }
                }
                finalH[cell] = state0;
            }
            input = next;
        }
        var expected = input.SelectMany(r => r.SelectMany(v => v)).Select(v => (float)v).ToArray();
        TensorAssert.Close(Tensor.FromSpan<float>(expected, [t, n, dirs * h]), y, OracleTolerances.Abs, OracleTolerances.Rel, "rnn GRU Out");
        var expectedState = finalH.SelectMany(c => c.SelectMany(v => v)).Select(v => (float)v).ToArray();
        TensorAssert.Close(Tensor.FromSpan<float>(expectedState, [ld, n, h]), state, OracleTolerances.Abs, OracleTolerances.Rel, "rnn GRU State");
    }
}
