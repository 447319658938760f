using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// Paddle <c>viterbi_decode</c> (paddle.text.viterbi_decode; LAC's CRF decoder): Input [B, T, N] emission scores,
/// Transition [N, N], Length [B] (int64) → Scores [B] (Input's dtype), Path [B, max(Length)] int64.
/// With <c>include_bos_eos_tag</c> (default true) tag N−1 is the start tag (alpha starts at −1e4 except 0 there) and
/// row N−2 of Transition is added at each sequence's last step. Past a sequence's length its path is 0.
/// Follows Paddle's numpy oracle step for step (argmax takes the first of equal scores); float32/float64, computed in double.
/// </summary>
internal sealed class ViterbiDecodeKernel : Kernel
{
    private readonly int _input, _transition, _length, _scores, _path;
    private readonly bool _useTag;

    private ViterbiDecodeKernel(KernelBuilder b)
    {
        _input = b.RequiredInput("Input");
        _transition = b.RequiredInput("Transition");
        _length = b.RequiredInput("Length");
        _scores = b.RequiredOutput("Scores");
        _path = b.RequiredOutput("Path");
        _useTag = b.Attrs.GetBool("include_bos_eos_tag", true);
    }

    public static Kernel Create(KernelBuilder b) => new ViterbiDecodeKernel(b);

    public override void Execute(RunContext ctx)
    {
        const string op = "viterbi_decode";
        var s = ctx.Shape(_input);
        if (s.Length != 3) throw new ShapeMismatchException("viterbi_decode Input", "[batch, steps, tags]", $"rank {s.Length}", op);
        int bs = s[0], steps = s[1], n = s[2];
        var ts = ctx.Shape(_transition);
        if (ts.Length != 2 || ts[0] != n || ts[1] != n) throw new ShapeMismatchException("viterbi_decode Transition", $"[{n}, {n}]", $"[{string.Join(", ", ts.ToArray())}]", op);
        if (ctx.ElementCount(_length) != bs) throw new ShapeMismatchException("viterbi_decode Length", $"{bs} lengths", ctx.ElementCount(_length).ToString(System.Globalization.CultureInfo.InvariantCulture), op);
        if (_useTag && n < 2) throw new ShapeMismatchException("viterbi_decode Transition", "at least 2 tags with include_bos_eos_tag", n.ToString(System.Globalization.CultureInfo.InvariantCulture), op);
        using var frame = ctx.Scratch.Open();
        var left = frame.Take<long>(bs);
        long maxLen = 0;
        for (int b = 0; b < bs; b++)
        {
            left[b] = ctx.ReadInt64(_length, b);
            if (left[b] < 0 || left[b] > steps) throw new ShapeMismatchException("viterbi_decode Length", $"lengths in [0, {steps}]", left[b].ToString(System.Globalization.CultureInfo.InvariantCulture), op);
            maxLen = Math.Max(maxLen, left[b]);
        }
        var alpha = frame.Take<double>(bs * n);
        var next = frame.Take<double>(bs * n);
        for (int b = 0; b < bs; b++)
        {
            for (int j = 0; j < n; j++) alpha[b * n + j] = _useTag ? -1e4 : 0;
            alpha[b * n + n - 1] = 0;
        }
        // Back-pointers of steps 1..maxLen-1 (history[h] is step h+1), one [bs, n] block each.
        int historyCount = (int)Math.Max(0, maxLen - 1);
        var history = frame.Take<int>(checked(historyCount * bs * n));
        var arg0 = frame.Take<int>(bs * n);
        for (int i = 0; i < maxLen; i++)
        {
            if (i == 0 && !_useTag)
            {
                for (int b = 0; b < bs; b++)
                {
                    for (int j = 0; j < n; j++) alpha[b * n + j] = ctx.ReadDouble(_input, (b * steps + i) * n + j);
                    left[b]--;
                }
                continue;
            }
            var arg = i >= 1 ? history.Slice((i - 1) * bs * n, bs * n) : arg0;
            for (int b = 0; b < bs; b++)
            {
                for (int j = 0; j < n; j++)
                {
                    double best = double.NegativeInfinity;
                    int bi = 0;
                    for (int k = 0; k < n; k++)
                    {
                        double v = alpha[b * n + k] + ctx.ReadDouble(_transition, k * n + j);
                        if (v > best || k == 0)
                        {
                            best = v;
                            bi = k;
                        }
                    }
                    arg[b * n + j] = bi;
                    next[b * n + j] = best + ctx.ReadDouble(_input, (b * steps + i) * n + j);
                }
            }
            for (int b = 0; b < bs; b++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (left[b] > 0) alpha[b * n + j] = next[b * n + j];
                    if (_useTag && left[b] == 1) alpha[b * n + j] += ctx.ReadDouble(_transition, (n - 2) * n + j);
                }
                left[b]--;
            }
        }
        int cols = historyCount + 1;
        var scores = ctx.AllocateBytes(_scores, ctx.Type(_input), [bs]);
        var path = ctx.Allocate<long>(_path, [bs, cols]);
        var last = frame.Take<long>(bs);
        for (int b = 0; b < bs; b++)
        {
            double best = double.NegativeInfinity;
            int bi = 0;
            for (int j = 0; j < n; j++)
            {
                if (alpha[b * n + j] > best || j == 0)
                {
                    best = alpha[b * n + j];
                    bi = j;
                }
            }
            DataMove.Fill(scores.Slice(b * ctx.Type(_input).SizeOf(), ctx.Type(_input).SizeOf()), ctx.Type(_input), best);
            last[b] = bi;
            path[b * cols + cols - 1] = left[b] >= 0 ? bi : 0;
        }
        for (int h = historyCount - 1, col = cols - 2; h >= 0; h--, col--)
        {
            var hist = history.Slice(h * bs * n, bs * n);
            for (int b = 0; b < bs; b++)
            {
                left[b]++;
                long upd = left[b] > 0 ? hist[b * n + (int)last[b]] : 0;
                if (left[b] == 0) upd = last[b];
                path[b * cols + col] = upd;
                last[b] = upd + (left[b] < 0 ? last[b] : 0);
            }
        }
    }
}
