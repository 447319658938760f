using PaddleNet.Model;

namespace PaddleNet.Runtime;

/// <summary>
/// Answers "would this model run?" without running it: compiles the full plan (every block) and
/// collects each operator the engine refuses, with its block, index and reason. A program without
/// weights is compiled against synthetic parameters of the declared shapes (<see cref="PaddleModel.WithSyntheticWeights"/>), so attribute forms
/// are checked exactly as a session would check them.
/// </summary>
internal static class ModelChecker
{
    public static IReadOnlyList<UnsupportedOperatorException> Check(PaddleModel model)
    {
        var problems = new List<UnsupportedOperatorException>();
        ExecutionPlan.Analyze(model.HasWeights ? model : model.WithSyntheticWeights(), problems);
        return problems;
    }
}
