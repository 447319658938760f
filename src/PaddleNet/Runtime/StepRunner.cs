namespace PaddleNet.Runtime;

/// <summary>Runs a step list, naming the failing operator in the error (shared by the session and control-flow bodies).</summary>
internal static class StepRunner
{
    public static void Run(PlanStep[] steps, RunContext ctx, int blockIndex = 0)
    {
        for (int s = 0; s < steps.Length; s++)
        {
            try
            {
                steps[s].Kernel.Execute(ctx);
            }
            catch (ShapeMismatchException e) when (e.OpType is null)
            {
                throw new ShapeMismatchException(e.Subject, e.Expected, e.Actual, Where(steps[s], blockIndex, quoted: false));
            }
            catch (Exception e) when (e is not PaddleNetException)
            {
                throw new PaddleNetException($"operator {Where(steps[s], blockIndex)} failed: {e.Message}", e);
            }
        }
    }

    private static string Where(PlanStep step, int blockIndex, bool quoted = true)
    {
        var type = quoted ? $"'{step.OpType}'" : step.OpType;
        return blockIndex == 0 ? $"{type} (op #{step.OpIndex})" : $"{type} (block {blockIndex}, op #{step.OpIndex})";
    }
}
