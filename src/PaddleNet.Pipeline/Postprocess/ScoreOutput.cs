using PaddleNet.Pipeline.Config;

namespace PaddleNet.Pipeline.Postprocess;

/// <summary>
/// PaddleClas <c>ScoreOutput(decimal_places)</c>: the whole row, <c>np.around</c>ed in float32. No class ids and no
/// label names, so <c>predict_cls</c> prints only <c>score(s)</c>.
/// </summary>
internal sealed class ScoreOutput : IPostprocessOp
{
    private readonly int _decimals;

    public ScoreOutput(OpParameters p)
    {
        var places = p.Get("decimal_places") ?? throw new PaddleNetException($"{p.Key("decimal_places")} is required");
        _decimals = ConfigValues.Int(places, p.Key("decimal_places"));
        p.EnsureAllUsed();
    }

    public string Name => "ScoreOutput";

    public Classification Apply(ReadOnlySpan<float> probabilities)
    {
        var scores = new double[probabilities.Length];
        for (int i = 0; i < scores.Length; i++) scores[i] = PyRound.Around(probabilities[i], _decimals);
        return new Classification([], scores, null);
    }
}
