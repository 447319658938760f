using PaddleNet.Runtime;

namespace PaddleNet.Kernels.ControlFlow;

/// <summary>
/// A name a sub-block writes that is visible after it: <see cref="StateId"/> starts as a copy of
/// <see cref="Before"/> (the value before the op, -1 if none) and takes the body's last value of the
/// name, <see cref="Final"/>, after each pass (nothing to copy when the body never rebinds it).
/// </summary>
internal readonly record struct LoopState(int Before, int StateId, int Final)
{
    public static void Enter(RunContext ctx, LoopState[] states)
    {
        foreach (var s in states)
        {
            if (s.Before >= 0 && ctx.IsDefined(s.Before)) ctx.CopyValue(s.Before, s.StateId, ctx.Shape(s.Before));
            else ctx.Undefine(s.StateId);
        }
    }

    public static void Commit(RunContext ctx, LoopState[] states)
    {
        foreach (var s in states)
        {
            if (s.Final != s.StateId && ctx.IsDefined(s.Final)) ctx.CopyValue(s.Final, s.StateId, ctx.Shape(s.Final));
        }
    }

    /// <summary>A condition tensor's verdict: its first element, non-zero meaning true.</summary>
    public static bool IsTrue(RunContext ctx, int id, string opType, int blockIndex, int opIndex)
    {
        if (!ctx.IsDefined(id)) throw new PaddleNetException($"{opType} (block {blockIndex}, op #{opIndex}): the condition has not been computed");
        if (ctx.ElementCount(id) < 1) throw new ShapeMismatchException($"{opType} (block {blockIndex}, op #{opIndex}) condition", "one element", "an empty tensor");
        return ctx.ReadDouble(id, 0) != 0;
    }
}
