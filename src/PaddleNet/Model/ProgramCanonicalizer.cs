namespace PaddleNet.Model;

/// <summary>
/// Operator multiset of a program with exporter idioms removed, for comparing two exports of the
/// same network (e.g. a Paddle 2.0 file and its Paddle 2.3 re-export). Rewrites, all semantics-preserving
/// for the declared shapes: <c>scale</c>(1, 0) and <c>upscale_in_train</c> dropout are identities;
/// <c>matmul</c> v1 with alpha 1 is <c>matmul_v2</c>; <c>slice</c> of <c>shape</c>(X) over dimensions X
/// declares statically is the constant <c>fill_constant</c>; ops left without consumers are dropped.
/// Not used for execution (declared dims of real files can be stale), only for comparison.
/// </summary>
internal static class ProgramCanonicalizer
{
    public static SortedDictionary<string, int> CanonicalOperatorCounts(Program program)
    {
        var main = program.Main;
        var ops = new List<Operator>();
        var rename = new Dictionary<string, string>(StringComparer.Ordinal);
        var shapeOf = new Dictionary<string, string>(StringComparer.Ordinal); // shape op output -> X
        string R(string n) => rename.TryGetValue(n, out var r) ? R(r) : n;
        foreach (var op in main.Ops)
        {
            var type = op.Type;
            if ((type == "scale" && op.Input("ScaleTensor") is null && op.Attributes.GetDouble("scale", 1) == 1 && op.Attributes.GetDouble("bias", 0) == 0)
                || (type == "dropout" && op.Attributes.GetString("dropout_implementation", "downgrade_in_infer") == "upscale_in_train"))
            {
                rename[op.Output("Out")!] = op.Input("X")!;
                continue;
            }
            var copy = new Operator(type == "matmul" && op.Attributes.GetDouble("alpha", 1) == 1 ? "matmul_v2" : type);
            foreach (var (k, v) in op.Inputs) copy.Inputs[k] = v.Select(R).ToArray();
            foreach (var (k, v) in op.Outputs) copy.Outputs[k] = v;
            if (type == "shape" && op.Input("Input") is string x) shapeOf[op.Output("Out")!] = x;
            if (type == "slice" && op.Input("Input") is string s && shapeOf.TryGetValue(s, out var src) && IsStaticSlice(main, src, op))
            {
                copy = new Operator("fill_constant");
                foreach (var (k, v) in op.Outputs) copy.Outputs[k] = v;
            }
            ops.Add(copy);
        }
        // Drop ops whose outputs nothing reads (repeat: removing one can orphan its producers).
        bool changed = true;
        while (changed)
        {
            var read = new HashSet<string>(ops.SelectMany(o => o.Inputs.Values.SelectMany(a => a)), StringComparer.Ordinal);
            changed = ops.RemoveAll(o => o.Type is not ("fetch" or "feed") && o.Outputs.Values.SelectMany(a => a).All(n => !read.Contains(n))) > 0;
        }
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var op in ops) counts[op.Type] = counts.GetValueOrDefault(op.Type) + 1;
        return counts;
    }

    private static bool IsStaticSlice(Block main, string x, Operator slice)
    {
        if (!main.Vars.TryGetValue(x, out var v) || slice.Input("StartsTensor") is not null || slice.Input("EndsTensor") is not null
            || slice.InputList("StartsTensorList").Length > 0 || slice.InputList("EndsTensorList").Length > 0)
        {
            return false;
        }
        var starts = slice.Attributes.GetLongs("starts");
        var ends = slice.Attributes.GetLongs("ends");
        if (starts.Length != 1 || ends.Length != 1) return false;
        int rank = v.Dims.Length;
        long start = starts[0] < 0 ? starts[0] + rank : starts[0];
        long end = Math.Min(ends[0] < 0 ? ends[0] + rank : ends[0], rank);
        if (start < 0 || end <= start) return false;
        for (long d = start; d < end; d++)
        {
            if (v.Dims[d] < 0) return false;
        }
        return true;
    }
}
