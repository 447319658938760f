using PaddleNet.Kernels.Detection;
using PaddleNet.Model;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Kernels.Detection;

/// <summary>
/// The legacy FPN R-CNN (shared/programs) carries per-image RoI counts as LoD. LodLowering must route them through
/// generate_proposals → collect → distribute → roi_align, and via lod_reset, mul/softmax, reshape2/box_coder to box_clip
/// and multiclass_nms; a batch of two images must give each image's own detections.
/// </summary>
public sealed class LodLoweringTests
{
    private const string RcnnProgram = "programs/det_ams_rcnn_sketch2wireframe.pdmodel";

    [Fact]
    public void Rcnn_EveryLodConsumer_GetsItsCounts()
    {
        var model = PaddleModel.Load(SharedData.Path(RcnnProgram));
        var ops = model.Program.Main.Ops;
        var lowered = LodLowering.Apply(ops, model.Program.Main, new Dictionary<Operator, int>(ReferenceEqualityComparer.Instance));
        Assert.Equal(ops.Count, lowered.Count);
        Assert.All(lowered.Where(o => o.Type == "generate_proposals"), o => Assert.NotNull(o.Output("RpnRoisNum")));
        var collect = lowered.Single(o => o.Type == "collect_fpn_proposals");
        Assert.Equal(5, collect.InputList("MultiLevelRoIsNum").Length);
        var distribute = lowered.Single(o => o.Type == "distribute_fpn_proposals");
        Assert.Equal(collect.Output("RoisNum"), distribute.Input("RoisNum"));
        var levelNums = distribute.OutputList("MultiLevelRoIsNum");
        Assert.Equal(levelNums, lowered.Where(o => o.Type == "roi_align").Select(o => o.Input("RoisNum")).ToArray());
        // the box head's rows: lod_reset(Y = collect) → mul → … → softmax / reshape2 → box_coder → box_clip
        Assert.Equal(collect.Output("RoisNum"), lowered.Single(o => o.Type == "sequence_expand").Input("paddlenet_YRoisNum"));
        Assert.Equal(collect.Output("RoisNum"), lowered.Single(o => o.Type == "box_clip").Input("paddlenet_RoisNum"));
        Assert.Equal(collect.Output("RoisNum"), lowered.Single(o => o.Type == "multiclass_nms").Input("RoisNum"));
        // the program itself is untouched
        Assert.Null(ops.Single(o => o.Type == "multiclass_nms").Input("RoisNum"));
    }

    [Fact]
    public void Rcnn_BatchOfTwo_IsEachImageOnItsOwn()
    {
        var model = PaddleModel.Load(SharedData.Path(RcnnProgram));
        // Paddle's collect_fpn_proposals keeps post_nms_topN over the whole batch, not per image: lift it so that the
        // images cannot compete for RoIs and every other stage is per image.
        model.Program.Main.Ops.Single(o => o.Type == "collect_fpn_proposals").Attributes.Set("post_nms_topN", 1_000_000L);
        using var session = new InferenceSession(model, new SessionOptions { IntraOpThreads = 2, SyntheticWeights = new SyntheticWeightOptions { Seed = 1 } });
        const int s = 128;
        var rng = new Random(4);
        float[] a = Enumerable.Range(0, 3 * s * s).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] b = Enumerable.Range(0, 3 * s * s).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        Tensor Run(params float[][] images)
        {
            int n = images.Length;
            var info = Enumerable.Range(0, n).SelectMany(_ => new float[] { s, s, 1 }).ToArray();
            return session.Run(new Dictionary<string, Tensor>
            {
                ["image"] = Tensor.FromSpan<float>(images.SelectMany(x => x).ToArray(), [n, 3, s, s]),
                ["im_info"] = Tensor.FromSpan<float>(info, [n, 3]),
                ["im_shape"] = Tensor.FromSpan<float>(info, [n, 3]),
            })[0];
        }
        var oa = Run(a).AsSpan<float>().ToArray();
        var ob = Run(b).AsSpan<float>().ToArray();
        var both = Run(a, b);
        Assert.True(oa.Length >= 6 && ob.Length >= 6 && oa[0] >= 0 && ob[0] >= 0, "each image alone should give detections");
        var expected = oa.Concat(ob).ToArray();
        Assert.Equal([expected.Length / 6, 6], both.Shape.ToArray());
        TensorAssert.Close(Tensor.FromSpan<float>(expected, [expected.Length / 6, 6]), both, OracleTolerances.BatchAbs, OracleTolerances.BatchRel, "batch [a, b] vs a and b alone");
    }
}
