using PaddleNet.Runtime;

namespace PaddleNet.Kernels.ControlFlow;

/// <summary>
/// Paddle op while: runs the sub-block while Condition (a one-element bool tensor the body updates)
/// holds. Loop-carried values are <see cref="LoopState"/>s. A loop that has not ended after
/// <c>maxIterations</c> passes stops with an error instead of hanging the caller.
/// </summary>
internal sealed class WhileKernel(int condition, PlanStep[] body, int bodyBlock, LoopState[] states, int maxIterations, int blockIndex, int opIndex) : Kernel
{
    public override void Execute(RunContext ctx)
    {
        LoopState.Enter(ctx, states);
        int passes = 0;
        while (LoopState.IsTrue(ctx, condition, "while", blockIndex, opIndex))
        {
            if (++passes > maxIterations)
            {
                throw new PaddleNetException($"operator 'while' (block {blockIndex}, op #{opIndex}) did not finish within {maxIterations} iterations (raise SessionOptions.MaxLoopIterations if the model really needs more)");
            }
            StepRunner.Run(body, ctx, bodyBlock);
            LoopState.Commit(ctx, states);
        }
    }
}
