using PaddleNet.Model;
using PaddleNet.Runtime;

namespace PaddleNet.Tests.Kernels.ControlFlow;

/// <summary>
/// conditional_block + select_input as paddle.static.nn.cond exports them:
/// y = sum(x) &gt; 0 ? x * 2 : x - 1, with the expected values computed here in float32.
/// </summary>
public sealed class ConditionalBlockTests
{
    private static PaddleModel IfElseModel(bool scalarCondition)
    {
        var p = new ProgramBuilder();
        int thenBlock = p.SubBlock();
        int elseBlock = p.SubBlock();
        p.Feed("x", DataType.Float32, 3)
            .Var("s", DataType.Float32, [1]).Var("zero", DataType.Float32, [1]).Var("cond", DataType.Bool, [1]).Var("ncond", DataType.Bool, [1])
            .Var("mask", DataType.Int32, [1]).Var("t", DataType.Float32, [3]).Var("f", DataType.Float32, [3]).Var("y", DataType.Float32, [3]);
        p.Op(0, "reduce_sum", ["in:X=x", "out:Out=s"], ("dim", new long[] { 0 }), ("keep_dim", true), ("reduce_all", false))
            .Op(0, "fill_constant", ["out:Out=zero"], ("dtype", 5L), ("shape", new long[] { 1 }), ("value", 0.0))
            .Op(0, "greater_than", ["in:X=s", "in:Y=zero", "out:Out=cond"], ("axis", -1L))
            .Op(0, "conditional_block", ["in:Cond=cond", "in:Input=x", "out:Out=t", "out:Scope=s1"], ("sub_block", new BlockRef(thenBlock)), ("is_scalar_condition", scalarCondition))
            .Op(0, "logical_not", ["in:X=cond", "out:Out=ncond"])
            .Op(0, "conditional_block", ["in:Cond=ncond", "in:Input=x", "out:Out=f", "out:Scope=s2"], ("sub_block", new BlockRef(elseBlock)), ("is_scalar_condition", scalarCondition))
            .Op(0, "cast", ["in:X=cond", "out:Out=mask"], ("in_dtype", 0L), ("out_dtype", 2L))
            .Op(0, "select_input", ["in:X=f,t", "in:Mask=mask", "out:Out=y"]);
        p.Op(thenBlock, "scale", ["in:X=x", "out:Out=t"], ("scale", 2.0), ("bias", 0.0));
        p.Op(elseBlock, "scale", ["in:X=x", "out:Out=f"], ("scale", 1.0), ("bias", -1.0));
        p.Fetch("y");
        return p.Build();
    }

    [Fact]
    public void IfElse_ScalarCondition_TakesEachBranch()
    {
        using var session = new InferenceSession(IfElseModel(scalarCondition: true));
        foreach (var x in new[] { new[] { 1f, 2f, -0.5f }, [-1f, 0.25f, -3f], [3f, 3f, 3f], [0f, 0f, 0f] })
        {
            bool positive = x[0] + x[1] + x[2] > 0;
            var expected = x.Select(v => positive ? v * 2f : v * 1f + -1f).ToArray();
            var y = session.Run(new Dictionary<string, Tensor> { ["x"] = Tensor.FromSpan<float>(x, [3]) })[0];
            Assert.Equal(expected, y.AsSpan<float>().ToArray());
        }
    }

    [Fact]
    public void ConditionalBlock_NonScalarCondition_RunsWhenConditionIsNonEmpty()
    {
        // Paddle's non-scalar form runs the block whenever every Cond tensor has elements, whatever their values:
        // both branches run and select_input picks by the mask.
        using var session = new InferenceSession(IfElseModel(scalarCondition: false));
        var y = session.Run(new Dictionary<string, Tensor> { ["x"] = Tensor.FromSpan<float>([-1f, -1f, -1f], [3]) })[0];
        Assert.Equal([-2f, -2f, -2f], y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void SelectInput_BranchNotComputed_IsAnError()
    {
        var p = new ProgramBuilder();
        int thenBlock = p.SubBlock();
        p.Feed("x", DataType.Float32, 1).Feed("mask", DataType.Int32, 1).Var("c", DataType.Bool, [1]).Var("t", DataType.Float32, [1]).Var("y", DataType.Float32, [1]);
        p.Op(0, "fill_constant", ["out:Out=c"], ("dtype", 0L), ("shape", new long[] { 1 }), ("value", 0.0))
            .Op(0, "conditional_block", ["in:Cond=c", "in:Input=x", "out:Out=t"], ("sub_block", new BlockRef(thenBlock)), ("is_scalar_condition", true))
            .Op(0, "select_input", ["in:X=x,t", "in:Mask=mask", "out:Out=y"])
            .Op(thenBlock, "scale", ["in:X=x", "out:Out=t"], ("scale", 2.0));
        p.Fetch("y");
        using var session = new InferenceSession(p.Build());
        Tensor x = Tensor.FromSpan<float>([3f], [1]);
        Assert.Equal([3f], session.Run(new Dictionary<string, Tensor> { ["x"] = x, ["mask"] = Tensor.FromSpan<int>([0], [1]) })[0].AsSpan<float>().ToArray());
        var e = Assert.Throws<PaddleNetException>(() => session.Run(new Dictionary<string, Tensor> { ["x"] = x, ["mask"] = Tensor.FromSpan<int>([1], [1]) }));
        Assert.Contains("branch 1", e.Message);
        Assert.Throws<ShapeMismatchException>(() => session.Run(new Dictionary<string, Tensor> { ["x"] = x, ["mask"] = Tensor.FromSpan<int>([2], [1]) }));
    }

    [Fact]
    public void SelectOutput_WritesTheSelectedOutputOnly()
    {
        var op = new Operator("select_output");
        op.Inputs["X"] = ["x"];
        op.Inputs["Mask"] = ["m"];
        op.Outputs["Out"] = ["o0", "o1"];
        var ids = new Dictionary<string, int> { ["x"] = 0, ["m"] = 1, ["o0"] = 2, ["o1"] = 3 };
        Assert.True(PaddleNet.Kernels.KernelRegistry.TryGet("select_output", out var factory));
        var kernel = factory(new KernelBuilder(op, 0, 0, null, n => ids[n], _ => null));
        using var pool = new IntraOpPool(1);
        var ctx = new RunContext(4, pool);
        ctx.BindInput(0, Tensor.FromSpan<float>([1.5f, 2.5f], [2]));
        foreach (var k in new[] { 1, 0, 1 })
        {
            ctx.BindInput(1, Tensor.FromSpan<int>([k], [1]));
            kernel.Execute(ctx);
            Assert.True(ctx.IsDefined(2 + k));
            Assert.False(ctx.IsDefined(3 - k));
            Assert.Equal([1.5f, 2.5f], ctx.Read<float>(2 + k).ToArray());
        }
    }

    [Fact]
    public void SubBlockReference_OutOfRange_IsRefusedAtLoad()
    {
        var p = new ProgramBuilder();
        p.Feed("x", DataType.Float32, 1).Var("c", DataType.Bool, [1]);
        p.Op(0, "fill_constant", ["out:Out=c"], ("dtype", 0L), ("shape", new long[] { 1 }), ("value", 1.0))
            .Op(0, "while", ["in:Condition=c", "out:Out=c"], ("sub_block", new BlockRef(7)));
        p.Fetch("x");
        var e = Assert.Throws<UnsupportedOperatorException>(() => new InferenceSession(p.Build()));
        Assert.Equal("while", e.OpType);
        Assert.Equal(2, e.OpIndex); // feed is op #0
        Assert.Contains("sub_block", e.Message);
    }
}
