using System.Text.Json;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Parity;

/// <summary>
/// The one-operator conformance suite (shared/ops, real Paddle 3.3.1 outputs): every case runs in
/// both formats and must match Paddle within the manifest's tolerance. Op types listed in
/// pending-ops.txt are not implemented yet: for them the test asserts the load-time
/// UnsupportedOperatorException instead, so the list cannot go stale.
/// </summary>
public sealed class OpsParityTests
{
    internal static IReadOnlySet<string> PendingOps => Pending;

    private static readonly HashSet<string> Pending = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Parity", "pending-ops.txt"))
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal);

    private static readonly HashSet<string> BoxSetOps = ["multiclass_nms", "multiclass_nms3", "matrix_nms"];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var manifest in SharedData.ManifestFiles("ops"))
        {
            var caseDir = Path.GetDirectoryName(Path.GetDirectoryName(manifest))!;
            foreach (var format in new[] { "legacy", "pir" })
            {
                if (Directory.Exists(Path.Combine(caseDir, format))) data.Add(SharedData.Relative(caseDir), format);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OpCase_Run_MatchesPaddle(string caseRel, string format)
    {
        var caseDir = SharedData.Path(caseRel);
        var manifest = Path.Combine(caseDir, "reference", "manifest.json");
        string opType;
        using (var doc = Model.ModelLoadingTests.ParseManifest(manifest)) opType = doc.RootElement.GetProperty("cases")[0].GetProperty("op_type").GetString()!;
        var model = PaddleModel.Load(Path.Combine(caseDir, format));
        if (Pending.Contains(opType))
        {
            var e = Assert.Throws<UnsupportedOperatorException>(() => new InferenceSession(model));
            Assert.Contains(e.OpType, Pending); // the PIR twin may first meet another pending op (a reshape of Y)
            return;
        }
        using var session = new InferenceSession(model);
        foreach (var c in ReferenceCase.Load(manifest))
        {
            var inputs = c.Inputs.ToDictionary(kv => kv.Key, kv => NpyFile.Read(kv.Value));
            var outputs = session.Run(inputs);
            Assert.Equal(c.Outputs.Count, outputs.Count);
            for (int k = 0; k < outputs.Count; k++)
            {
                var refFile = c.Outputs[k];
                var pirOnly = refFile.Replace($"{c.Name}.out.", $"{c.Name}.pir_out.");
                if (format == "pir" && File.Exists(pirOnly)) refFile = pirOnly;
                var expected = NpyFile.Read(refFile);
                var what = $"{caseRel} [{format}] case {c.Name} output {k}";
                if (BoxSetOps.Contains(opType)) BoxSetAssert.Equivalent(expected, outputs[k], k, c.Abs, c.Rel, what);
                else TensorAssert.Close(expected, outputs[k], c.Abs, c.Rel, what);
            }
        }
    }
}
