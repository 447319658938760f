using PaddleNet.Model;
using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Lite;

/// <summary>
/// Paddle Lite's fusion_elementwise_{add,sub,mul,div,max,min,pow}_activation (written by opt's
/// elementwise-activation fuse pass): Out = act(elementwise_op(X, Y, axis)). Runs the registered
/// elementwise kernel, then the activation in place on its output. act_type: relu, relu6, tanh, sigmoid,
/// abs, leaky_relu (alpha) or hard_swish, as Lite's kernels accept; anything else is refused at load.
/// </summary>
internal sealed class FusionElementwiseActivationKernel(Kernel elementwise, Kernel activation) : Kernel
{
    private static readonly Dictionary<string, string> ActivationOps = new(StringComparer.Ordinal)
    {
        ["relu"] = "relu", ["relu6"] = "relu6", ["tanh"] = "tanh", ["sigmoid"] = "sigmoid", ["abs"] = "abs",
        ["leaky_relu"] = "leaky_relu", ["hard_swish"] = "hard_swish",
    };

    public static KernelFactory Factory(string elementwiseType) => b =>
    {
        var actType = b.Attrs.GetString("act_type", "");
        if (!ActivationOps.TryGetValue(actType, out var actOp)) throw b.Unsupported($"attribute 'act_type' = \"{actType}\" (relu, relu6, tanh, sigmoid, abs, leaky_relu, hard_swish)");
        var inner = new Operator(elementwiseType);
        foreach (var (k, v) in b.Op.Inputs) inner.Inputs[k] = v;
        foreach (var (k, v) in b.Op.Outputs) inner.Outputs[k] = v;
        foreach (var (k, v) in b.Op.Attributes.All) inner.Attributes.Set(k, v);
        int output = b.RequiredOutput("Out");
        if (!KernelRegistry.TryGet(elementwiseType, out var eltFactory) || !KernelRegistry.TryGet(actOp, out var actFactory)) throw b.Unsupported($"no kernel for {elementwiseType} or {actOp}");
        var elt = eltFactory(new KernelBuilder(inner, b.BlockIndex, b.OpIndex, b.ModelPath, n => b.Op.Input("X") == n ? b.Input("X") : b.Input("Y"), b.Constant, null, _ => output));
        // The activation reads and writes Out: an elementwise map, safe in place.
        var act = new Operator(actOp);
        act.Inputs["X"] = ["out"];
        act.Outputs["Out"] = ["out"];
        if (actOp == "leaky_relu") act.Attributes.Set("alpha", b.Attrs.GetDouble("alpha", b.Attrs.GetDouble("leaky_relu_alpha", 0.02)));
        if (actOp == "relu6") act.Attributes.Set("threshold", b.Attrs.GetDouble("threshold", 6.0));
        return new FusionElementwiseActivationKernel(elt, actFactory(new KernelBuilder(act, b.BlockIndex, b.OpIndex, b.ModelPath, _ => output, _ => null)));
    };

    public override void Execute(RunContext ctx)
    {
        elementwise.Execute(ctx);
        activation.Execute(ctx);
    }
}
