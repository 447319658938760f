using PaddleNet.Runtime;

namespace PaddleNet.Kernels.ControlFlow;

/// <summary>Paddle op select_input: Out = X[Mask] (Mask a one-element int32 tensor), the merge after an if/else.</summary>
internal sealed class SelectInputKernel(int[] xs, int mask, int output) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var xs = b.InputList("X");
        if (xs.Length == 0) throw b.Unsupported("input slot 'X' is empty");
        return new SelectInputKernel(xs, b.RequiredInput("Mask"), b.RequiredOutput("Out"));
    }

    public override void Execute(RunContext ctx)
    {
        int k = Branch.Read(ctx, mask, xs.Length);
        if (!ctx.IsDefined(xs[k])) throw new PaddleNetException($"select_input: branch {k} was selected but did not compute its value");
        ctx.CopyValue(xs[k], output, ctx.Shape(xs[k]));
    }
}

/// <summary>Paddle op select_output: Out[Mask] = X; the other outputs are left uncomputed (the branch not taken).</summary>
internal sealed class SelectOutputKernel(int x, int mask, int[] outputs) : Kernel
{
    public static Kernel Create(KernelBuilder b)
    {
        var outs = b.OutputList("Out");
        if (outs.Length == 0) throw b.Unsupported("output slot 'Out' is empty");
        return new SelectOutputKernel(b.RequiredInput("X"), b.RequiredInput("Mask"), outs);
    }

    public override void Execute(RunContext ctx)
    {
        int k = Branch.Read(ctx, mask, outputs.Length);
        for (int i = 0; i < outputs.Length; i++)
        {
            if (i != k) ctx.Undefine(outputs[i]);
        }
        ctx.CopyValue(x, outputs[k], ctx.Shape(x));
    }
}

internal static class Branch
{
    public static int Read(RunContext ctx, int mask, int count)
    {
        if (ctx.ElementCount(mask) != 1) throw new ShapeMismatchException("Mask", "one element", $"[{string.Join(", ", ctx.Shape(mask).ToArray())}]");
        long k = ctx.ReadInt64(mask, 0);
        if (k < 0 || k >= count) throw new ShapeMismatchException("Mask", $"a branch index in [0, {count})", k.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return (int)k;
    }
}
