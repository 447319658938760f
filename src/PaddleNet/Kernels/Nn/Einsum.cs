using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Nn;

/// <summary>
/// Paddle <c>einsum</c> (PIR <c>einsum</c>): Operands[] → Out by attribute <c>equation</c> (numpy.einsum notation: letters,
/// one optional "..." per term that broadcasts numpy-style, repeated letters in a term take the diagonal; without "->"
/// the output is "..." then the letters used once, alphabetically). InnerCache/XShape outputs are Paddle's training caches
/// and stay unset. float32/float64: every output element is a plain sum of products in double over the contracted labels.
/// </summary>
internal sealed class EinsumKernel : Kernel
{
    private readonly int[] _xs;
    private readonly int _out;
    private readonly string[] _terms;
    private readonly string _output;
    private readonly bool _explicit;

    private EinsumKernel(KernelBuilder b)
    {
        _xs = b.InputList("Operands");
        _out = b.RequiredOutput("Out");
        var eq = b.Attrs.GetString("equation", "").Replace(" ", "", StringComparison.Ordinal);
        var parts = eq.Split("->");
        if (parts.Length > 2) throw b.Unsupported($"equation '{eq}'");
        _terms = parts[0].Split(',');
        _explicit = parts.Length == 2;
        if (_terms.Length != _xs.Length || _xs.Length == 0) throw b.Unsupported($"equation '{eq}' has {_terms.Length} terms for {_xs.Length} operands");
        foreach (var t in _terms.Append(_explicit ? parts[1] : ""))
        {
            var letters = t.Replace("...", "", StringComparison.Ordinal);
            if (t.Length - letters.Length > 3 || letters.Any(ch => !char.IsAsciiLetter(ch))) throw b.Unsupported($"equation '{eq}': term '{t}'");
        }
        if (_explicit)
        {
            var o = parts[1].Replace("...", "", StringComparison.Ordinal);
            if (o.Distinct().Count() != o.Length || o.Any(ch => !parts[0].Contains(ch))) throw b.Unsupported($"equation '{eq}': bad output term");
            _output = parts[1];
        }
        else
        {
            var all = string.Concat(_terms).Replace("...", "", StringComparison.Ordinal);
            _output = (parts[0].Contains("...", StringComparison.Ordinal) ? "..." : "") + string.Concat(all.Distinct().Where(ch => all.Count(x => x == ch) == 1).Order());
        }
    }

    public static Kernel Create(KernelBuilder b) => new EinsumKernel(b);

    public override void Execute(RunContext ctx)
    {
        const string op = "einsum";
        var type = ctx.Type(_xs[0]);
        bool mixed = false;
        foreach (var x in _xs) mixed |= ctx.Type(x) != type;
        if (type is not (DataType.Float32 or DataType.Float64) || mixed) throw new ShapeMismatchException("einsum Operands", "float32 or float64, all the same", type.Name(), op);
        // Labels: 0..E-1 are the ellipsis dims (right-aligned), E + (letter) the letters.
        int e = 0;
        for (int k = 0; k < _xs.Length; k++)
        {
            int letters = LetterCount(_terms[k]);
            int extra = ctx.Rank(_xs[k]) - letters;
            if (extra < 0 || (extra > 0 && !_terms[k].Contains("...", StringComparison.Ordinal))) throw new ShapeMismatchException($"einsum operand {k}", $"rank matching '{_terms[k]}'", $"rank {ctx.Rank(_xs[k])}", op);
            e = Math.Max(e, extra);
        }
        int labels = e + 52;
        // Per-run scratch only: sizes, per-operand strides by label, label maps and the index vector.
        using var frame = ctx.Scratch.Open();
        var size = frame.Take<long>(labels);
        size.Fill(-1);
        var strides = frame.TakeCleared<long>(_xs.Length * labels);
        for (int k = 0; k < _xs.Length; k++)
        {
            var shape = ctx.Shape(_xs[k]);
            var map = frame.Take<int>(shape.Length);
            Expand(_terms[k], e, map);
            long st = 1;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                int lab = map[d];
                if (shape[d] != 1)
                {
                    if (size[lab] > 1 && size[lab] != shape[d]) throw new ShapeMismatchException($"einsum operand {k}", $"dim {d} = {size[lab]}", shape[d].ToString(System.Globalization.CultureInfo.InvariantCulture), op);
                    size[lab] = shape[d];
                    strides[k * labels + lab] += st;
                }
                else if (size[lab] < 0)
                {
                    size[lab] = 1;
                }
                st *= shape[d];
            }
        }
        var outLabels = frame.Take<int>(e + LetterCount(_output));
        Expand(_output, e, outLabels);
        var sumAll = frame.Take<int>(labels);
        int sumCount = 0;
        for (int l = 0; l < labels; l++)
        {
            if (size[l] >= 0 && !outLabels.Contains(l)) sumAll[sumCount++] = l;
        }
        var sumLabels = sumAll[..sumCount];
        Span<int> oshape = stackalloc int[outLabels.Length];
        for (int i = 0; i < outLabels.Length; i++) oshape[i] = (int)Math.Max(size[outLabels[i]], 1);
        var dst = ctx.AllocateBytes(_out, type, oshape);
        long outN = DataMove.Product(oshape);
        long sumN = 1;
        foreach (var l in sumLabels) sumN *= size[l];
        var idx = frame.TakeCleared<long>(labels);
        int es = type.SizeOf();
        for (long f = 0; f < outN; f++)
        {
            long rest = f;
            for (int i = outLabels.Length - 1; i >= 0; i--)
            {
                idx[outLabels[i]] = rest % oshape[i];
                rest /= oshape[i];
            }
            double acc = 0;
            for (long s = 0; s < sumN; s++)
            {
                rest = s;
                for (int i = sumLabels.Length - 1; i >= 0; i--)
                {
                    idx[sumLabels[i]] = rest % size[sumLabels[i]];
                    rest /= size[sumLabels[i]];
                }
                double prod = 1;
                for (int k = 0; k < _xs.Length; k++)
                {
                    long off = 0;
                    var st = strides.Slice(k * labels, labels);
                    for (int l = 0; l < labels; l++) off += st[l] * idx[l];
                    prod *= ctx.ReadDouble(_xs[k], (int)off);
                }
                acc += prod;
            }
            DataMove.Fill(dst.Slice((int)(f * es), es), type, acc);
        }
    }

    /// <summary>Label of each dim of a term for an operand of rank <c>map.Length</c> (ellipsis dims right-aligned into <paramref name="e"/>).</summary>
    private static void Expand(string term, int e, Span<int> map)
    {
        int rank = map.Length;
        int ell = term.IndexOf("...", StringComparison.Ordinal);
        int beforeLen = ell < 0 ? term.Length : ell, afterStart = ell < 0 ? term.Length : ell + 3;
        int extra = rank - beforeLen - (term.Length - afterStart);
        int d = 0;
        for (int i = 0; i < beforeLen; i++) map[d++] = e + Letter(term[i]);
        for (int i = 0; i < extra; i++) map[d++] = e - extra + i;
        for (int i = afterStart; i < term.Length; i++) map[d++] = e + Letter(term[i]);
    }

    /// <summary>Letters of a term (its length without the ellipsis).</summary>
    private static int LetterCount(string term) => term.Length - (term.Contains("...", StringComparison.Ordinal) ? 3 : 0);

    private static int Letter(char ch) => ch is >= 'a' and <= 'z' ? ch - 'a' : 26 + ch - 'A';
}
