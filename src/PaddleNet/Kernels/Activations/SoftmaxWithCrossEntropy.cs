using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Activations;

/// <summary>
/// Paddle <c>softmax_with_cross_entropy</c> (PIR <c>cross_entropy_with_softmax</c>): Logits, Label → Softmax (same shape as
/// Logits), Loss (Logits' shape with the class dim 1). Along attribute <c>axis</c> (−1): hard labels (int32/int64, class dim 1)
/// give loss = −log softmax[label], 0 where label = <c>ignore_index</c> (−100); <c>soft_label</c> labels (Logits' dtype and
/// shape) give −Σ label·log softmax. Computed max-shifted in double (log softmax = x − max − log Σ e^(x − max)). float32/float64.
/// </summary>
internal sealed class SoftmaxWithCrossEntropyKernel : Kernel
{
    private readonly int _logits, _label, _softmax, _loss, _axis, _ignore;
    private readonly bool _soft;

    private SoftmaxWithCrossEntropyKernel(KernelBuilder b)
    {
        _logits = b.RequiredInput("Logits");
        _label = b.RequiredInput("Label");
        _softmax = b.Output("Softmax");
        _loss = b.RequiredOutput("Loss");
        _axis = b.Attrs.GetInt("axis", -1);
        _ignore = b.Attrs.GetInt("ignore_index", -100);
        _soft = b.Attrs.GetBool("soft_label", false);
    }

    public static Kernel Create(KernelBuilder b) => new SoftmaxWithCrossEntropyKernel(b);

    public override void Execute(RunContext ctx)
    {
        const string op = "softmax_with_cross_entropy";
        var xs = ctx.Shape(_logits);
        var type = ctx.Type(_logits);
        if (type is not (DataType.Float32 or DataType.Float64)) throw new ShapeMismatchException("softmax_with_cross_entropy Logits", "float32 or float64", type.Name(), op);
        int r = xs.Length;
        int a = DataMove.NormAxis(_axis, r, "softmax_with_cross_entropy axis");
        int n = xs[a];
        long outer = DataMove.Product(xs, 0, a), inner = DataMove.Product(xs, a + 1);
        Span<int> ls = stackalloc int[r];
        xs.CopyTo(ls);
        ls[a] = 1;
        if (_soft ? !ctx.Shape(_label).SequenceEqual(xs) : ctx.ElementCount(_label) != outer * inner) throw new ShapeMismatchException("softmax_with_cross_entropy Label", _soft ? "Logits' shape" : $"{outer * inner} class ids", $"[{string.Join(", ", ctx.Shape(_label).ToArray())}]", op);
        int es = type.SizeOf();
        var sm = _softmax >= 0 ? ctx.AllocateBytes(_softmax, type, xs) : default;
        var loss = ctx.AllocateBytes(_loss, type, ls);
        for (long o = 0; o < outer; o++)
        {
            for (long i = 0; i < inner; i++)
            {
                long b = o * n * inner + i;
                double max = double.NegativeInfinity;
                for (int j = 0; j < n; j++) max = Math.Max(max, ctx.ReadDouble(_logits, (int)(b + j * inner)));
                double sum = 0;
                for (int j = 0; j < n; j++) sum += Math.Exp(ctx.ReadDouble(_logits, (int)(b + j * inner)) - max);
                double logSum = Math.Log(sum);
                double l = 0;
                if (_soft)
                {
                    for (int j = 0; j < n; j++) l -= ctx.ReadDouble(_label, (int)(b + j * inner)) * (ctx.ReadDouble(_logits, (int)(b + j * inner)) - max - logSum);
                }
                else
                {
                    long label = ctx.ReadInt64(_label, (int)(o * inner + i));
                    if (label != _ignore)
                    {
                        if (label < 0 || label >= n) throw new ShapeMismatchException("softmax_with_cross_entropy Label", $"class ids in [0, {n})", label.ToString(System.Globalization.CultureInfo.InvariantCulture), op);
                        l = -(ctx.ReadDouble(_logits, (int)(b + label * inner)) - max - logSum);
                    }
                }
                DataMove.Fill(loss.Slice((int)((o * inner + i) * es), es), type, l);
                if (_softmax >= 0)
                {
                    for (int j = 0; j < n; j++) DataMove.Fill(sm.Slice((int)((b + j * inner) * es), es), type, Math.Exp(ctx.ReadDouble(_logits, (int)(b + j * inner)) - max - logSum));
                }
            }
        }
    }
}
