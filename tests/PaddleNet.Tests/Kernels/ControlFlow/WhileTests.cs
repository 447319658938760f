using PaddleNet.Tests.Support;
using PaddleNet.Model;

namespace PaddleNet.Tests.Kernels.ControlFlow;

/// <summary>
/// while, tensor arrays, increment and less_than on hand-built programs. Expected values come from a
/// plain C# loop over the same float32 arithmetic (acc = acc * 0.5 + x), not from the engine.
/// </summary>
public sealed class WhileTests
{
    private static readonly (string, object)[] NoAttrs = [];

    /// <summary>
    /// acc = x; i = 0; while (i &lt; n) { acc = acc * 0.5 + x; arr[i] = acc; i++ } → acc, i, stack(arr), len(arr).
    /// </summary>
    internal static PaddleModel AccumulateModel(bool withArray = true)
    {
        var p = new ProgramBuilder();
        int body = p.SubBlock();
        p.Feed("x", DataType.Float32, 2, 3).Feed("n", DataType.Int64, 1)
            .Var("acc", DataType.Float32, [2, 3]).Var("i", DataType.Int64, [1]).Var("cond", DataType.Bool, [1])
            .Var("stacked", DataType.Float32, [-1, 2, 3]).Var("sizes", DataType.Int32, [-1]).Var("len", DataType.Int64, [1])
            .Array("arr", DataType.Float32)
            .Var("half", DataType.Float32, [2, 3], body);
        p.Op(0, "assign", ["in:X=x", "out:Out=acc"], NoAttrs)
            .Op(0, "fill_constant", ["out:Out=i"], ("dtype", 3L), ("shape", new long[] { 1 }), ("value", 0.0))
            .Op(0, "less_than", ["in:X=i", "in:Y=n", "out:Out=cond"], ("axis", -1L))
            .Op(0, "while", ["in:Condition=cond", "in:X=acc,i,n,x", "out:Out=acc,i,cond,arr", "out:StepScopes=scopes"], ("sub_block", new BlockRef(body)), ("is_test", true));
        p.Op(body, "scale", ["in:X=acc", "out:Out=half"], ("scale", 0.5), ("bias", 0.0))
            .Op(body, "elementwise_add", ["in:X=half", "in:Y=x", "out:Out=acc"], ("axis", -1L));
        if (withArray) p.Op(body, "write_to_array", ["in:X=acc", "in:I=i", "out:Out=arr"], NoAttrs);
        p.Op(body, "increment", ["in:X=i", "out:Out=i"], ("step", 1.0))
            .Op(body, "less_than", ["in:X=i", "in:Y=n", "out:Out=cond"], ("axis", -1L));
        if (withArray)
        {
            p.Op(0, "tensor_array_to_tensor", ["in:X=arr", "out:Out=stacked", "out:OutIndex=sizes"], ("axis", 0L), ("use_stack", true))
                .Op(0, "lod_array_length", ["in:X=arr", "out:Out=len"], NoAttrs);
        }
        p.Fetch("acc").Fetch("i");
        if (withArray) p.Fetch("stacked").Fetch("sizes").Fetch("len");
        return p.Build();
    }

    private static float[] Input() => [1f, -2f, 0.25f, 3.5f, -0.125f, 7f];

    private static List<float[]> Oracle(float[] x, int n)
    {
        var steps = new List<float[]>();
        var acc = (float[])x.Clone();
        for (int k = 0; k < n; k++)
        {
            var next = new float[acc.Length];
            for (int j = 0; j < acc.Length; j++) next[j] = acc[j] * 0.5f + x[j];
            acc = next;
            steps.Add(acc);
        }
        return steps;
    }

    private static IReadOnlyList<Tensor> Run(InferenceSession s, float[] x, long n) =>
        s.Run(new Dictionary<string, Tensor> { ["x"] = Tensor.FromSpan<float>(x, [2, 3]), ["n"] = Tensor.FromSpan<long>([n], [1]) });

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(37)]
    public void While_CarriesStateAndFillsArray(int n)
    {
        using var session = new InferenceSession(AccumulateModel());
        var x = Input();
        var expected = Oracle(x, n);
        var outs = Run(session, x, n);
        Assert.Equal(expected[^1], outs[0].AsSpan<float>().ToArray());
        Assert.Equal([(long)n], outs[1].AsSpan<long>().ToArray());
        Assert.Equal([n, 2, 3], outs[2].Shape.ToArray());
        Assert.Equal(expected.SelectMany(a => a).ToArray(), outs[2].AsSpan<float>().ToArray());
        Assert.Equal(Enumerable.Repeat(1, n).ToArray(), outs[3].AsSpan<int>().ToArray());
        Assert.Equal([(long)n], outs[4].AsSpan<long>().ToArray());
    }

    [Fact]
    public void While_ArraysStartEmptyOnEveryRun()
    {
        using var session = new InferenceSession(AccumulateModel());
        var x = Input();
        Run(session, x, 9);
        var outs = Run(session, x, 3); // same pooled context: the 9-element array must not leak in
        Assert.Equal([3L], outs[4].AsSpan<long>().ToArray());
        Assert.Equal(Oracle(x, 3).SelectMany(a => a).ToArray(), outs[2].AsSpan<float>().ToArray());
    }

    [Fact]
    public void While_ZeroIterations_LeavesStateAsBefore()
    {
        using var session = new InferenceSession(AccumulateModel(withArray: false));
        var x = Input();
        var outs = Run(session, x, 0);
        Assert.Equal(x, outs[0].AsSpan<float>().ToArray());
        Assert.Equal([0L], outs[1].AsSpan<long>().ToArray());
        // And again after a run that did loop (stale loop state must not survive).
        Run(session, x, 4);
        Assert.Equal(x, Run(session, x, 0)[0].AsSpan<float>().ToArray());
    }

    [Fact]
    public void While_WithoutOptimization_SameResult()
    {
        using var session = new InferenceSession(AccumulateModel(), new SessionOptions { OptimizeGraph = false });
        Assert.Equal(Oracle(Input(), 6)[^1], Run(session, Input(), 6)[0].AsSpan<float>().ToArray());
    }

    /// <summary>Loop state, arrays and body values keep their buffers between runs: a steady-state run allocates nothing.</summary>
    [Fact]
    public void While_SteadyState_AllocatesNothing()
    {
        using var session = new InferenceSession(AccumulateModel());
        Tensor[] inputs = [Tensor.FromSpan<float>(Input(), [2, 3]), Tensor.FromSpan<long>([12L], [1])];
        var outputs = session.Run(new Dictionary<string, Tensor> { ["x"] = inputs[0], ["n"] = inputs[1] }).Select(t => new Tensor(t.DataType, t.Shape)).ToArray();
        session.Run(inputs, outputs);
        Action run = () => session.Run(inputs, outputs);
        Assert.Equal(0, SteadyState.AllocatedBytes(run, runsPerWindow: 5));
        Assert.Equal(Oracle(Input(), 12)[^1], outputs[0].AsSpan<float>().ToArray());
    }

    [Fact]
    public void While_ManyThreadsOneSession_EachGetsItsOwnLoop()
    {
        using var session = new InferenceSession(AccumulateModel());
        var x = Input();
        int failures = 0;
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (int r = 0; r < 20; r++)
            {
                int n = 1 + ((t * 7 + r) % 11);
                try
                {
                    var outs = Run(session, x, n);
                    if (!outs[0].AsSpan<float>().SequenceEqual(Oracle(x, n)[^1]) || outs[4].AsSpan<long>()[0] != n) Interlocked.Increment(ref failures);
                }
                catch (PaddleNetException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.Equal(0, failures);
    }

    [Fact]
    public void While_ThatNeverEnds_StopsAtTheIterationLimit()
    {
        var p = new ProgramBuilder();
        int body = p.SubBlock();
        p.Feed("x", DataType.Float32, 1).Var("i", DataType.Int64, [1]).Var("cond", DataType.Bool, [1]);
        p.Op(0, "fill_constant", ["out:Out=i"], ("dtype", 3L), ("shape", new long[] { 1 }), ("value", 0.0))
            .Op(0, "fill_constant", ["out:Out=cond"], ("dtype", 0L), ("shape", new long[] { 1 }), ("value", 1.0))
            .Op(0, "while", ["in:Condition=cond", "in:X=i", "out:Out=i"], ("sub_block", new BlockRef(body)))
            .Op(body, "increment", ["in:X=i", "out:Out=i"], ("step", 1.0));
        p.Fetch("i");
        using var session = new InferenceSession(p.Build(), new SessionOptions { MaxLoopIterations = 50 });
        var e = Assert.Throws<PaddleNetException>(() => session.Run(new Dictionary<string, Tensor> { ["x"] = Tensor.FromSpan<float>([1f], [1]) }));
        Assert.Contains("'while' (block 0, op #3) did not finish within 50 iterations", e.Message);
        Assert.Contains("MaxLoopIterations", e.Message);
    }

    [Fact]
    public void NestedWhile_InnerCounterRestartsEachOuterPass()
    {
        // acc = 0; for j in 0..m: { i = 0; for i in 0..n: acc += 1 } → m * n.
        var p = new ProgramBuilder();
        int outer = p.SubBlock();
        int inner = p.SubBlock(outer);
        p.Feed("m", DataType.Int64, 1).Feed("n", DataType.Int64, 1)
            .Var("acc", DataType.Float32, [1]).Var("j", DataType.Int64, [1]).Var("c1", DataType.Bool, [1]);
        p.Op(0, "fill_constant", ["out:Out=acc"], ("dtype", 5L), ("shape", new long[] { 1 }), ("value", 0.0))
            .Op(0, "fill_constant", ["out:Out=j"], ("dtype", 3L), ("shape", new long[] { 1 }), ("value", 0.0))
            .Op(0, "less_than", ["in:X=j", "in:Y=m", "out:Out=c1"], ("axis", -1L))
            .Op(0, "while", ["in:Condition=c1", "in:X=acc,j,m,n", "out:Out=acc,j,c1"], ("sub_block", new BlockRef(outer)));
        p.Op(outer, "fill_constant", ["out:Out=i"], ("dtype", 3L), ("shape", new long[] { 1 }), ("value", 0.0))
            .Op(outer, "less_than", ["in:X=i", "in:Y=n", "out:Out=c2"], ("axis", -1L))
            .Op(outer, "while", ["in:Condition=c2", "in:X=acc,i,n", "out:Out=acc,i,c2"], ("sub_block", new BlockRef(inner)))
            .Op(outer, "increment", ["in:X=j", "out:Out=j"], ("step", 1.0))
            .Op(outer, "less_than", ["in:X=j", "in:Y=m", "out:Out=c1"], ("axis", -1L));
        p.Op(inner, "scale", ["in:X=acc", "out:Out=acc"], ("scale", 1.0), ("bias", 1.0))
            .Op(inner, "increment", ["in:X=i", "out:Out=i"], ("step", 1.0))
            .Op(inner, "less_than", ["in:X=i", "in:Y=n", "out:Out=c2"], ("axis", -1L));
        p.Fetch("acc").Fetch("j");
        using var session = new InferenceSession(p.Build());
        foreach (var (m, n) in new[] { (3L, 4L), (1L, 0L), (0L, 5L), (5L, 7L) })
        {
            var outs = session.Run(new Dictionary<string, Tensor> { ["m"] = Tensor.FromSpan<long>([m], [1]), ["n"] = Tensor.FromSpan<long>([n], [1]) });
            Assert.Equal([(float)(m * n)], outs[0].AsSpan<float>().ToArray());
            Assert.Equal([m], outs[1].AsSpan<long>().ToArray());
        }
    }

    [Fact]
    public void ReadFromArray_ReadsWhatWasWritten_AndRefusesUnwritten()
    {
        var p = new ProgramBuilder();
        p.Feed("x", DataType.Float32, 2).Feed("k", DataType.Int64, 1).Array("arr", DataType.Float32).Var("y", DataType.Float32, [2]).Var("two", DataType.Int64, [1]);
        p.Op(0, "fill_constant", ["out:Out=two"], ("dtype", 3L), ("shape", new long[] { 1 }), ("value", 2.0))
            .Op(0, "write_to_array", ["in:X=x", "in:I=two", "out:Out=arr"], NoAttrs)
            .Op(0, "read_from_array", ["in:X=arr", "in:I=k", "out:Out=y"], NoAttrs);
        p.Fetch("y");
        using var session = new InferenceSession(p.Build());
        Tensor x = Tensor.FromSpan<float>([4f, 5f], [2]);
        var y = session.Run(new Dictionary<string, Tensor> { ["x"] = x, ["k"] = Tensor.FromSpan<long>([2], [1]) })[0];
        Assert.Equal([4f, 5f], y.AsSpan<float>().ToArray());
        var e = Assert.Throws<ShapeMismatchException>(() => session.Run(new Dictionary<string, Tensor> { ["x"] = x, ["k"] = Tensor.FromSpan<long>([1], [1]) }));
        Assert.Contains("read_from_array", e.Message);
    }

    [Fact]
    public void AssignOfAnArray_CopiesItsElements()
    {
        var p = new ProgramBuilder();
        p.Feed("x", DataType.Float32, 2).Array("a", DataType.Float32).Array("b", DataType.Float32)
            .Var("zero", DataType.Int64, [1]).Var("one", DataType.Int64, [1]).Var("len", DataType.Int64, [1]).Var("y", DataType.Float32, [2]);
        p.Op(0, "fill_constant", ["out:Out=zero"], ("dtype", 3L), ("shape", new long[] { 1 }), ("value", 0.0))
            .Op(0, "fill_constant", ["out:Out=one"], ("dtype", 3L), ("shape", new long[] { 1 }), ("value", 1.0))
            .Op(0, "write_to_array", ["in:X=x", "in:I=zero", "out:Out=a"], NoAttrs)
            .Op(0, "assign", ["in:X=a", "out:Out=b"], NoAttrs)
            .Op(0, "write_to_array", ["in:X=x", "in:I=one", "out:Out=a"], NoAttrs) // a grows; the copy b must not
            .Op(0, "lod_array_length", ["in:X=b", "out:Out=len"], NoAttrs)
            .Op(0, "read_from_array", ["in:X=b", "in:I=zero", "out:Out=y"], NoAttrs);
        p.Fetch("len").Fetch("y");
        using var session = new InferenceSession(p.Build());
        var outs = session.Run(new Dictionary<string, Tensor> { ["x"] = Tensor.FromSpan<float>([2f, 3f], [2]) });
        Assert.Equal([1L], outs[0].AsSpan<long>().ToArray());
        Assert.Equal([2f, 3f], outs[1].AsSpan<float>().ToArray());
    }
}
