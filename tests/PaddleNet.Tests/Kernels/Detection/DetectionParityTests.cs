using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Kernels.Detection;

/// <summary>
/// The detection family's shared/ops cases run through a 2-thread session: first the same comparison
/// as Parity/OpsParityTests (manifest tolerance; NMS outputs as sets), then — on Linux, where .NET's
/// MathF.Exp/Log are glibc's expf/logf like Paddle's — bit-exact equality including NMS row order,
/// which these kernels reach by following phi's CPU kernels operation for operation.
/// Run the family alone with <c>--filter FullyQualifiedName~Kernels.Detection</c>.
/// </summary>
public sealed class DetectionParityTests
{
    private static readonly string[] Ops = ["prior_box", "box_coder", "yolo_box", "multiclass_nms3", "matrix_nms"];

    private static readonly HashSet<string> BoxSetOps = ["multiclass_nms", "multiclass_nms3", "matrix_nms"];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var op in Ops)
        {
            foreach (var caseDir in Directory.GetDirectories(SharedData.Path("ops", op)).Order(StringComparer.Ordinal))
            {
                if (!File.Exists(System.IO.Path.Combine(caseDir, "reference", "manifest.json"))) continue;
                foreach (var format in new[] { "legacy", "pir" })
                {
                    if (Directory.Exists(System.IO.Path.Combine(caseDir, format))) data.Add(SharedData.Relative(caseDir), format);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DetectionCase_Run_MatchesPaddle(string caseRel, string format)
    {
        var caseDir = SharedData.Path(caseRel);
        var manifest = System.IO.Path.Combine(caseDir, "reference", "manifest.json");
        string opType = caseRel.Replace('\\', '/').Split('/')[1];
        var model = PaddleModel.Load(System.IO.Path.Combine(caseDir, format));
        using var session = new InferenceSession(model, new SessionOptions { IntraOpThreads = 2 });
        int compared = 0;
        foreach (var c in ReferenceCase.Load(manifest))
        {
            var inputs = c.Inputs.ToDictionary(kv => kv.Key, kv => NpyFile.Read(kv.Value));
            var outputs = session.Run(inputs);
            Assert.Equal(c.Outputs.Count, outputs.Count);
            for (int k = 0; k < outputs.Count; k++)
            {
                var expected = NpyFile.Read(c.Outputs[k]);
                var what = $"{caseRel} [{format}] case {c.Name} output {k}";
                if (BoxSetOps.Contains(opType)) BoxSetAssert.Equivalent(expected, outputs[k], k, c.Abs, c.Rel, what);
                else TensorAssert.Close(expected, outputs[k], c.Abs, c.Rel, what);
                if (OperatingSystem.IsLinux())
                {
                    var e = TensorAssert.ToDoubles(expected);
                    var a = TensorAssert.ToDoubles(outputs[k]);
                    int first = Enumerable.Range(0, e.Length).FirstOrDefault(i => e[i] != a[i] && !(double.IsNaN(e[i]) && double.IsNaN(a[i])), -1);
                    Assert.True(first < 0, $"{what}: not bit-exact at element {first}: {(first < 0 ? 0 : a[first])} vs Paddle {(first < 0 ? 0 : e[first])}");
                }
                compared++;
            }
        }
        Assert.True(compared > 0, $"{caseRel}: no outputs compared");
    }
}
