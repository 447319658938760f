using PaddleNet.Model;

namespace PaddleNet.Runtime;

/// <summary>
/// Answers "would this model run?" without running it: compiles the full plan (every block) and
/// collects each operator the engine refuses, with its block, index and reason. A program without
/// weights is compiled against zero-filled parameters of the declared shapes, so attribute forms
/// are checked exactly as a session would check them.
/// </summary>
internal static class ModelChecker
{
    public static IReadOnlyList<UnsupportedOperatorException> Check(PaddleModel model)
    {
        var problems = new List<UnsupportedOperatorException>();
        ExecutionPlan.Analyze(model.HasWeights ? model : WithSyntheticParameters(model, static (_, _) => { }), problems);
        return problems;
    }

    /// <summary>
    /// The same program with parameters made up for every persistable dense variable of the main
    /// block, of its declared type and shape (unknown dimensions become 1); <paramref name="fill"/>
    /// may write their contents (zero otherwise).
    /// </summary>
    public static PaddleModel WithSyntheticParameters(PaddleModel model, Action<string, Tensor> fill)
    {
        var parameters = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var v in model.Program.Main.Vars.Values)
        {
            if (!v.IsParameter || v.Name is "feed" or "fetch") continue;
            var shape = v.Dims.Select(d => d < 0 ? 1 : checked((int)d)).ToArray();
            var t = new Tensor(v.DataType ?? DataType.Float32, shape);
            fill(v.Name, t);
            parameters[v.Name] = t;
        }
        return model.WithParameters(parameters);
    }
}
