using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Parity;

/// <summary>
/// Whole models against real Paddle Inference (models/**/reference and bench/*/reference, the plain
/// configuration): every output within the manifest's tolerance, per-row arg-max identical, NMS outputs
/// as box sets. A model that still needs a pending op (pending-ops.txt) must be refused at load naming it.
/// </summary>
public sealed class ModelParityTests
{
    private static readonly HashSet<string> BoxSetOps = ["multiclass_nms", "multiclass_nms3", "matrix_nms"];

    public static TheoryData<string> Manifests()
    {
        var data = new TheoryData<string>();
        foreach (var root in new[] { "models", "bench" })
        {
            foreach (var m in SharedData.ManifestFiles(root))
            {
                var rel = SharedData.Relative(m);
                if (rel.StartsWith("models/lite", StringComparison.Ordinal) || rel.StartsWith("models/images", StringComparison.Ordinal)) continue;
                data.Add(rel);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void ReferenceModel_Run_MatchesPaddle(string manifestRel)
    {
        var manifest = SharedData.Path(manifestRel);
        var modelDir = Path.GetDirectoryName(Path.GetDirectoryName(manifest))!;
        var model = PaddleModel.Load(modelDir);
        InferenceSession session;
        try
        {
            session = new InferenceSession(model);
        }
        catch (UnsupportedOperatorException e)
        {
            Assert.Contains(e.OpType, OpsParityTests.PendingOps);
            return;
        }
        using (session)
        {
            bool nms = model.OperatorCounts.Keys.Any(BoxSetOps.Contains);
            foreach (var c in ReferenceCase.Load(manifest))
            {
                var outputs = session.Run(c.Inputs.ToDictionary(kv => kv.Key, kv => NpyFile.Read(kv.Value)));
                Assert.Equal(c.Outputs.Count, outputs.Count);
                for (int k = 0; k < outputs.Count; k++)
                {
                    var expected = NpyFile.Read(c.Outputs[k]);
                    var what = $"{manifestRel} case {c.Name} output {k}";
                    if (nms)
                    {
                        BoxSetAssert.Equivalent(expected, outputs[k], k, c.Abs, c.Rel, what);
                        continue;
                    }
                    TensorAssert.Close(expected, outputs[k], c.Abs, c.Rel, what);
                    if (expected.Shape.Length == 2 && expected.DataType == DataType.Float32) AssertSameArgMax(expected, outputs[k], what);
                }
            }
        }
    }

    private static void AssertSameArgMax(Tensor expected, Tensor actual, string what)
    {
        int rows = expected.Shape[0], cols = expected.Shape[1];
        var e = expected.AsSpan<float>();
        var a = actual.AsSpan<float>();
        for (int r = 0; r < rows; r++)
        {
            int ie = 0, ia = 0;
            for (int j = 1; j < cols; j++)
            {
                if (e[r * cols + j] > e[r * cols + ie]) ie = j;
                if (a[r * cols + j] > a[r * cols + ia]) ia = j;
            }
            Assert.True(ie == ia, $"{what}: row {r} arg-max {ia}, Paddle {ie}");
        }
    }
}
