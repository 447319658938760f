using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Lite;

/// <summary>
/// Paddle <c>rnn</c> with <c>mode</c> "LSTM" (PP-OCR v2 CRNN heads; formats.md §5.10), float32, inference only
/// ("GRU" goes to <see cref="Nn.RnnGruKernel"/>).
/// Input [T,N,I] (time-major), PreState [h0, c0] each [L·D, N, H], WeightList = for each layer l and direction d
/// (D = 2 when <c>is_bidirec</c>) W_ih [4H, in] and W_hh [4H, H], then the biases b_ih [4H], b_hh [4H] in the same
/// order. Out [T,N,D·H] (direction d in columns d·H ..), State [h_n, c_n] each [L·D, N, H].
/// Gates g = W_ih·x + b_ih + W_hh·h + b_hh split in row blocks i, f, c̃, o: c = σ(f)·c + σ(i)·tanh(c̃),
/// h = σ(o)·tanh(c); the reverse direction walks t = T−1 … 0. SequenceLength (when given) is not supported;
/// dropout is off at inference. Reserve and DropoutState are written empty.
/// Scratch comes from the run context's scratch (no steady-state allocation).
/// </summary>
internal sealed class RnnLstmKernel : Kernel
{
    private readonly int _input, _h0, _c0, _out, _hn, _cn, _reserve, _dropoutState;
    private readonly int[] _weights;
    private readonly int _layers, _dirs, _hidden;

    private RnnLstmKernel(int input, int h0, int c0, int[] weights, int output, int hn, int cn, int reserve, int dropoutState, int layers, int dirs, int hidden)
    {
        _input = input; _h0 = h0; _c0 = c0; _weights = weights; _out = output; _hn = hn; _cn = cn;
        _reserve = reserve; _dropoutState = dropoutState; _layers = layers; _dirs = dirs; _hidden = hidden;
    }

    public static Kernel Create(KernelBuilder b)
    {
        var a = b.Attrs;
        var mode = a.GetString("mode", "LSTM");
        if (mode == "GRU") return Nn.RnnGruKernel.Create(b);
        if (mode != "LSTM") throw b.Unsupported($"mode '{mode}' (LSTM and GRU only)");
        if (b.Input("SequenceLength") >= 0) throw b.Unsupported("SequenceLength");
        int layers = a.GetInt("num_layers", 1), hidden = a.GetInt("hidden_size", 0);
        int dirs = a.GetBool("is_bidirec", false) ? 2 : 1;
        if (layers <= 0 || hidden <= 0) throw b.Unsupported($"num_layers {layers}, hidden_size {hidden}");
        var weights = b.InputList("WeightList");
        if (weights.Length != 4 * layers * dirs || weights.Any(w => w < 0)) throw b.Unsupported($"WeightList has {weights.Length} tensors, expected {4 * layers * dirs}");
        var pre = b.InputList("PreState");
        if (pre.Length != 2 || pre.Any(p => p < 0)) throw b.Unsupported("PreState must be [h0, c0]");
        var state = b.OutputList("State");
        return new RnnLstmKernel(b.RequiredInput("Input"), pre[0], pre[1], weights, b.RequiredOutput("Out"),
            state.Length > 0 ? state[0] : -1, state.Length > 1 ? state[1] : -1, b.Output("Reserve"), b.Output("DropoutState"), layers, dirs, hidden);
    }

    public override void Execute(RunContext ctx)
    {
        var xs = ctx.Shape(_input);
        if (xs.Length != 3) throw new ShapeMismatchException("rnn Input", "[T, N, I]", $"rank {xs.Length}", "rnn");
        int t = xs[0], n = xs[1], h = _hidden, ld = _layers * _dirs;
        Span<int> stateShape = [ld, n, h];
        CheckState(ctx, _h0, stateShape);
        CheckState(ctx, _c0, stateShape);
        int width = _dirs * h;
        using var frame = ctx.Scratch.Open();
        Span<float> bufA = frame.Take<float>(Math.Max(1, t * n * width));
        Span<float> gates = frame.Take<float>(4 * h);
        Span<float> hc = frame.Take<float>(2 * n * h);
                {
            Span<int> outShape = [t, n, width];
            var output = ctx.Allocate<float>(_out, outShape);
            var hn = _hn >= 0 ? ctx.Allocate<float>(_hn, stateShape) : default;
            var cn = _cn >= 0 ? ctx.Allocate<float>(_cn, stateShape) : default;
            var h0 = ctx.Read<float>(_h0);
            var c0 = ctx.Read<float>(_c0);
            scoped ReadOnlySpan<float> layerIn = ctx.Read<float>(_input);
            int inSize = xs[2];
            scoped Span<float> layerOut;
            for (int l = 0; l < _layers; l++)
            {
                // the last layer writes Out directly; earlier layers alternate through the pooled buffer
                bool last = l == _layers - 1;
                layerOut = last ? output : bufA.Slice(0, t * n * width);
                if (!last && l > 0)
                {
                    // layer input lives in bufA: copy it to Out's buffer first (Out is free until the last layer)
                    layerIn.CopyTo(output);
                    layerIn = output[..(t * n * width)];
                }
                for (int d = 0; d < _dirs; d++)
                {
                    int cell = l * _dirs + d;
                    var wih = ctx.Read<float>(_weights[2 * cell]);
                    var whh = ctx.Read<float>(_weights[2 * cell + 1]);
                    var bih = ctx.Read<float>(_weights[2 * ld + 2 * cell]);
                    var bhh = ctx.Read<float>(_weights[2 * ld + 2 * cell + 1]);
                    if (wih.Length != 4 * h * inSize || whh.Length != 4 * h * h || bih.Length != 4 * h || bhh.Length != 4 * h)
                        throw new ShapeMismatchException($"rnn WeightList[{cell}]", $"W_ih [{4 * h}, {inSize}], W_hh [{4 * h}, {h}], biases [{4 * h}]", $"{wih.Length}, {whh.Length}, {bih.Length}, {bhh.Length} elements", "rnn");
                    var hState = hc.Slice(0, n * h);
                    var cState = hc.Slice(n * h, n * h);
                    h0.Slice(cell * n * h, n * h).CopyTo(hState);
                    c0.Slice(cell * n * h, n * h).CopyTo(cState);
                    for (int step = 0; step < t; step++)
                    {
                        int ti = d == 0 ? step : t - 1 - step;
                        for (int b = 0; b < n; b++)
                        {
                            var x = layerIn.Slice((ti * n + b) * inSize, inSize);
                            var hb = hState.Slice(b * h, h);
                            var cb = cState.Slice(b * h, h);
                            Cell(x, hb, cb, wih, whh, bih, bhh, gates.Slice(0, 4 * h), h);
                            hb.CopyTo(layerOut.Slice((ti * n + b) * width + d * h, h));
                        }
                    }
                    if (!hn.IsEmpty) hState.CopyTo(hn.Slice(cell * n * h, n * h));
                    if (!cn.IsEmpty) cState.CopyTo(cn.Slice(cell * n * h, n * h));
                }
                layerIn = layerOut;
                inSize = width;
            }
            Span<int> empty = [0];
            if (_reserve >= 0) ctx.Allocate<float>(_reserve, empty);
            if (_dropoutState >= 0) ctx.AllocateBytes(_dropoutState, DataType.UInt8, empty);
        }
    }

    private static void CheckState(RunContext ctx, int id, ReadOnlySpan<int> expected)
    {
        if (!ctx.Shape(id).SequenceEqual(expected))
            throw new ShapeMismatchException("rnn PreState", $"[{string.Join(", ", expected.ToArray())}]", $"[{string.Join(", ", ctx.Shape(id).ToArray())}]", "rnn");
    }

    /// <summary>Scalar reference of one LSTM step for one sequence: updates h and c in place.</summary>
    internal static void Cell(ReadOnlySpan<float> x, Span<float> h, Span<float> c, ReadOnlySpan<float> wih, ReadOnlySpan<float> whh, ReadOnlySpan<float> bih, ReadOnlySpan<float> bhh, Span<float> gates, int hidden)
    {
        int inSize = x.Length;
        for (int r = 0; r < 4 * hidden; r++)
        {
            float s = bih[r] + bhh[r];
            var wi = wih.Slice(r * inSize, inSize);
            for (int k = 0; k < inSize; k++) s += wi[k] * x[k];
            var wh = whh.Slice(r * hidden, hidden);
            for (int k = 0; k < hidden; k++) s += wh[k] * h[k];
            gates[r] = s;
        }
        for (int k = 0; k < hidden; k++)
        {
            float i = Sigmoid(gates[k]);
            float f = Sigmoid(gates[hidden + k]);
            float g = MathF.Tanh(gates[2 * hidden + k]);
            float o = Sigmoid(gates[3 * hidden + k]);
            c[k] = f * c[k] + i * g;
            h[k] = o * MathF.Tanh(c[k]);
        }
    }

    private static float Sigmoid(float v) => 1f / (1f + MathF.Exp(-v));
}
