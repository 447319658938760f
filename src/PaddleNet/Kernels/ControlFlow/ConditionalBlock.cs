using PaddleNet.Runtime;

namespace PaddleNet.Kernels.ControlFlow;

/// <summary>
/// Paddle op conditional_block: runs the sub-block once when the condition holds. With
/// is_scalar_condition the condition is Cond[0]'s first element; otherwise (Paddle's legacy form) the
/// block runs when every Cond tensor is non-empty. Names the block writes keep their earlier value
/// (or stay undefined) when it does not run.
/// </summary>
internal sealed class ConditionalBlockKernel(int[] conditions, bool scalarCondition, PlanStep[] body, int bodyBlock, LoopState[] states, int blockIndex, int opIndex) : Kernel
{
    public override void Execute(RunContext ctx)
    {
        LoopState.Enter(ctx, states);
        if (!ShouldRun(ctx)) return;
        StepRunner.Run(body, ctx, bodyBlock);
        LoopState.Commit(ctx, states);
    }

    private bool ShouldRun(RunContext ctx)
    {
        if (scalarCondition) return LoopState.IsTrue(ctx, conditions[0], "conditional_block", blockIndex, opIndex);
        foreach (var c in conditions)
        {
            if (!ctx.IsDefined(c) || ctx.ElementCount(c) == 0) return false;
        }
        return true;
    }
}
