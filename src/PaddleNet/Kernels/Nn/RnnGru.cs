using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>rnn</c> with <c>mode</c> "GRU" (LAC's bidirectional encoder), float32, inference only. Input [T, N, I]
/// (time-major), PreState [h0] of [L·D, N, H], WeightList = W_ih [3H, in] and W_hh [3H, H] per layer and direction, then
/// b_ih [3H], b_hh [3H] in the same order, SequenceLength [N] (optional, int). Gates in row blocks r, z, c:
/// r = σ(x_r + h_r), z = σ(x_z + h_z), c = tanh(x_c + r·h_c) with x_* = W_ih·x + b_ih, h_* = W_hh·h + b_hh, and
/// h' = (h − c)·z + c — paddle.nn.GRUCell and test_rnn_op.py's numpy GRUCell. The reverse direction walks t = T−1 … 0.
/// Steps at or past a sequence's length output 0 and keep the state (the numpy oracle's mask), so the reverse direction
/// starts at each sequence's last real step. Out [T, N, D·H], State [h_n]; Reserve and DropoutState are written empty.
/// </summary>
internal sealed class RnnGruKernel : Kernel
{
    private readonly int _input, _h0, _seqLen, _out, _hn, _reserve, _dropoutState;
    private readonly int[] _weights;
    private readonly int _layers, _dirs, _hidden;

    private RnnGruKernel(KernelBuilder b, int layers, int dirs, int hidden, int[] weights, int h0)
    {
        _input = b.RequiredInput("Input");
        _h0 = h0;
        _seqLen = b.Input("SequenceLength");
        _out = b.RequiredOutput("Out");
        var state = b.OutputList("State");
        _hn = state.Length > 0 ? state[0] : -1;
        _reserve = b.Output("Reserve");
        _dropoutState = b.Output("DropoutState");
        _weights = weights;
        _layers = layers;
        _dirs = dirs;
        _hidden = hidden;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        int layers = a.GetInt("num_layers", 1), hidden = a.GetInt("hidden_size", 0);
        int dirs = a.GetBool("is_bidirec", false) ? 2 : 1;
        if (layers <= 0 || hidden <= 0) throw b.Unsupported($"num_layers {layers}, hidden_size {hidden}");
        var weights = b.InputList("WeightList");
        if (weights.Length != 4 * layers * dirs || weights.Any(w => w < 0)) throw b.Unsupported($"WeightList has {weights.Length} tensors, expected {4 * layers * dirs}");
        var pre = b.InputList("PreState");
        if (pre.Length != 1 || pre[0] < 0) throw b.Unsupported("PreState must be [h0] for GRU");
        return new RnnGruKernel(b, layers, dirs, hidden, weights, pre[0]);
    }

    public override void Execute(RunContext ctx)
    {
        const string op = "rnn";
        var xs = ctx.Shape(_input);
        if (xs.Length != 3) throw new ShapeMismatchException("rnn Input", "[T, N, I]", $"rank {xs.Length}", op);
        int t = xs[0], n = xs[1], h = _hidden, ld = _layers * _dirs, width = _dirs * h;
        Span<int> stateShape = [ld, n, h];
        if (!ctx.Shape(_h0).SequenceEqual(stateShape)) throw new ShapeMismatchException("rnn PreState", $"[{ld}, {n}, {h}]", $"[{string.Join(", ", ctx.Shape(_h0).ToArray())}]", op);
        using var frame = ctx.Scratch.Open();
        var len = frame.Take<long>(n);
        for (int b = 0; b < n; b++)
        {
            len[b] = _seqLen >= 0 ? ctx.ReadInt64(_seqLen, b) : t;
            if (len[b] < 0 || len[b] > t) throw new ShapeMismatchException("rnn SequenceLength", $"lengths in [0, {t}]", len[b].ToString(System.Globalization.CultureInfo.InvariantCulture), op);
        }
        var output = ctx.Allocate<float>(_out, [t, n, width]);
        var hn = _hn >= 0 ? ctx.Allocate<float>(_hn, stateShape) : default;
        var h0 = ctx.Read<float>(_h0);
        int inSize = xs[2];
        // Layer input/output in run scratch: layer 0 reads the op input, later layers the previous layer's output.
        var layerIn = frame.Take<float>(t * n * Math.Max(inSize, width));
        ctx.Read<float>(_input).CopyTo(layerIn);
        var layerOut = frame.Take<float>(t * n * width);
        var hState = frame.Take<float>(h);
        var xg = frame.Take<float>(3 * h);
        var hg = frame.Take<float>(3 * h);
        for (int l = 0; l < _layers; l++)
        {
            for (int d = 0; d < _dirs; d++)
            {
                int cell = l * _dirs + d;
                var wih = ctx.Read<float>(_weights[2 * cell]);
                var whh = ctx.Read<float>(_weights[2 * cell + 1]);
                var bih = ctx.Read<float>(_weights[2 * ld + 2 * cell]);
                var bhh = ctx.Read<float>(_weights[2 * ld + 2 * cell + 1]);
                if (wih.Length != 3 * h * inSize || whh.Length != 3 * h * h || bih.Length != 3 * h || bhh.Length != 3 * h)
                    throw new ShapeMismatchException($"rnn WeightList[{cell}]", $"W_ih [{3 * h}, {inSize}], W_hh [{3 * h}, {h}], biases [{3 * h}]", $"{wih.Length}, {whh.Length}, {bih.Length}, {bhh.Length} elements", op);
                for (int b = 0; b < n; b++)
                {
                    h0.Slice((cell * n + b) * h, h).CopyTo(hState);
                    for (int step = 0; step < t; step++)
                    {
                        int ti = d == 0 ? step : t - 1 - step;
                        var dst = layerOut.Slice((ti * n + b) * width + d * h, h);
                        if (ti >= len[b])
                        {
                            dst.Clear();
                            continue;
                        }
                        var x = layerIn.Slice((ti * n + b) * inSize, inSize);
                        for (int r = 0; r < 3 * h; r++)
                        {
                            float sx = bih[r], sh = bhh[r];
                            var wi = wih.Slice(r * inSize, inSize);
                            for (int k = 0; k < inSize; k++) sx += wi[k] * x[k];
                            var wh = whh.Slice(r * h, h);
                            for (int k = 0; k < h; k++) sh += wh[k] * hState[k];
                            xg[r] = sx;
                            hg[r] = sh;
                        }
                        for (int k = 0; k < h; k++)
                        {
                            float rg = Sigmoid(xg[k] + hg[k]);
                            float z = Sigmoid(xg[h + k] + hg[h + k]);
                            float c = MathF.Tanh(xg[2 * h + k] + rg * hg[2 * h + k]);
                            hState[k] = (hState[k] - c) * z + c;
                        }
                        hState.CopyTo(dst);
                    }
                    if (_hn >= 0) hState.CopyTo(hn.Slice((cell * n + b) * h, h));
                }
            }
            layerOut.CopyTo(layerIn);
            inSize = width;
        }
        layerOut.CopyTo(output);
        if (_reserve >= 0) ctx.Allocate<float>(_reserve, [0]);
        if (_dropoutState >= 0) ctx.AllocateBytes(_dropoutState, DataType.UInt8, [0]);
    }

    private static float Sigmoid(float v) => 1f / (1f + MathF.Exp(-v));
}
