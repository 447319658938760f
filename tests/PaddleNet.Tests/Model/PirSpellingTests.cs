using System.Globalization;
using PaddleNet.Tests.Kernels.Shape;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Model;

/// <summary>
/// The PIR spelling of the issue-13 ops: a one-op Paddle 3 program (feed → pd_op → fetch, in the JSON layout of the shared
/// PIR exports) runs through the loader's normaliser and must give exactly what the legacy op gives on the same inputs.
/// </summary>
public sealed class PirSpellingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pirspell").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes a small PIR program: feeds, optional constant int arrays, one op, fetches of its results.</summary>
    private sealed class PirBuilder
    {
        private readonly List<string> _ops = [];
        private int _next = 1;

        private static string Dtype(DataType t) => t switch
        {
            DataType.Float32 => "f32",
            DataType.Float64 => "f64",
            DataType.Int32 => "i32",
            DataType.Int64 => "i64",
            DataType.Bool => "bool",
            _ => throw new ArgumentException(t.ToString()),
        };

        private static string Tt(DataType t, int[] shape) => $"{{\"#\":\"0.t_dtensor\",\"D\":[{{\"#\":\"0.t_{Dtype(t)}\"}},[{string.Join(",", shape)}],\"NCHW\",[],0]}}";

        public int Feed(string name, Tensor t, int col)
        {
            int id = _next++;
            _ops.Add($"{{\"#\":\"1.feed\",\"A\":[{{\"AT\":{{\"#\":\"0.a_str\",\"D\":\"{name}\"}},\"N\":\"name\"}},{{\"AT\":{{\"#\":\"0.a_i32\",\"D\":{col}}},\"N\":\"col\"}}],\"I\":[],\"O\":[{{\"%\":{id},\"TT\":{Tt(t.DataType, t.Shape.ToArray())}}}]}}");
            return id;
        }

        public int IntArray(params long[] v)
        {
            int id = _next++;
            var items = string.Join(",", v.Select(x => $"{{\"#\":\"0.a_i64\",\"D\":{x}}}"));
            _ops.Add($"{{\"#\":\"1.full_int_array\",\"A\":[{{\"AT\":{{\"#\":\"0.a_array\",\"D\":[{items}]}},\"N\":\"value\"}},{{\"AT\":{{\"#\":\"1.a_dtype\",\"D\":\"int64\"}},\"N\":\"dtype\"}},{{\"AT\":{{\"#\":\"1.a_place\",\"D\":[1,0,\"\"]}},\"N\":\"place\"}}],\"I\":[],\"O\":[{{\"%\":{id},\"TT\":{Tt(DataType.Int64, [v.Length])}}}]}}");
            return id;
        }

        public int Full(double value, DataType t)
        {
            int id = _next++;
            _ops.Add($"{{\"#\":\"1.full\",\"A\":[{{\"AT\":{{\"#\":\"1.a_intarray\",\"D\":[1]}},\"N\":\"shape\"}},{{\"AT\":{{\"#\":\"0.a_f64\",\"D\":{value.ToString(CultureInfo.InvariantCulture)}}},\"N\":\"value\"}},{{\"AT\":{{\"#\":\"1.a_dtype\",\"D\":\"{(t == DataType.Int32 ? "int32" : "int64")}\"}},\"N\":\"dtype\"}},{{\"AT\":{{\"#\":\"1.a_place\",\"D\":[1,0,\"\"]}},\"N\":\"place\"}}],\"I\":[],\"O\":[{{\"%\":{id},\"TT\":{Tt(t, [1])}}}]}}");
            return id;
        }

        /// <summary>The op; attrs are (name, "0.a_xxx", json value). Returns its result ids.</summary>
        public int[] Op(string name, int[] inputs, (string N, string T, string D)[] attrs, params (DataType T, int[] Shape)[] results)
        {
            var ids = results.Select(_ => _next++).ToArray();
            var a = string.Join(",", attrs.Select(x => $"{{\"AT\":{{\"#\":\"{x.T}\",\"D\":{x.D}}},\"N\":\"{x.N}\"}}"));
            var i = string.Join(",", inputs.Select(x => $"{{\"%\":{x}}}"));
            var o = string.Join(",", results.Select((r, k) => $"{{\"%\":{ids[k]},\"TT\":{Tt(r.T, r.Shape)}}}"));
            _ops.Add($"{{\"#\":\"1.{name}\",\"A\":[{a}],\"I\":[{i}],\"O\":[{o}]}}");
            return ids;
        }

        /// <summary>An op whose results may be vectors: each result is a list of element types (one element = a plain tensor).</summary>
        public int[] OpVec(string name, int[] inputs, (string N, string T, string D)[] attrs, params (DataType T, int[] Shape)[][] results)
        {
            var ids = results.Select(_ => _next++).ToArray();
            var a = string.Join(",", attrs.Select(x => $"{{\"AT\":{{\"#\":\"{x.T}\",\"D\":{x.D}}},\"N\":\"{x.N}\"}}"));
            var i = string.Join(",", inputs.Select(x => $"{{\"%\":{x}}}"));
            string Type((DataType T, int[] Shape)[] r) => r.Length == 1 ? Tt(r[0].T, r[0].Shape) : $"{{\"#\":\"0.t_vec\",\"D\":[{string.Join(",", r.Select(e => Tt(e.T, e.Shape)))}]}}";
            var o = string.Join(",", results.Select((r, k) => $"{{\"%\":{ids[k]},\"TT\":{Type(r)}}}"));
            _ops.Add($"{{\"#\":\"1.{name}\",\"A\":[{a}],\"I\":[{i}],\"O\":[{o}]}}");
            return ids;
        }

        /// <summary>builtin.split of a vector value into its elements.</summary>
        public int[] Split(int vec, params (DataType T, int[] Shape)[] elements)
        {
            var ids = elements.Select(_ => _next++).ToArray();
            var o = string.Join(",", elements.Select((e, k) => $"{{\"%\":{ids[k]},\"TT\":{Tt(e.T, e.Shape)}}}"));
            _ops.Add($"{{\"#\":\"0.split\",\"A\":[],\"I\":[{{\"%\":{vec}}}],\"O\":[{o}]}}");
            return ids;
        }

        public void Fetch(int id, string name, int col, DataType t, int[] shape)
        {
            int oid = _next++;
            _ops.Add($"{{\"#\":\"1.fetch\",\"A\":[{{\"AT\":{{\"#\":\"0.a_str\",\"D\":\"{name}\"}},\"N\":\"name\"}},{{\"AT\":{{\"#\":\"0.a_i32\",\"D\":{col}}},\"N\":\"col\"}}],\"I\":[{{\"%\":{id}}}],\"O\":[{{\"%\":{oid},\"TT\":{Tt(t, shape)}}}]}}");
        }

        public string Json => "{\"base_code\":{\"magic\":\"pir\",\"trainable\":true,\"version\":4},\"program\":{\"regions\":[{\"#\":\"region_0\",\"blocks\":[{\"#\":\"block_0\",\"args\":[],\"ops\":["
            + string.Join(",", _ops) + "]}]}]}}";
    }

    private IReadOnlyList<Tensor> Run(PirBuilder b, params (string Name, Tensor T)[] feeds)
    {
        var path = Path.Combine(_dir, $"m{Guid.NewGuid():N}.json");
        File.WriteAllText(path, b.Json);
        using var s = new InferenceSession(path);
        return s.Run(feeds.ToDictionary(f => f.Name, f => f.T));
    }

    private static (string, string, string) A(string n, string t, string d) => (n, t, d);

    private static void Same(Tensor legacy, Tensor pir, string what) => TensorAssert.Close(legacy, pir, 0, 0, what);

    [Fact]
    public void SetValueWithTensor_Inplace_MatchesLegacy()
    {
        var rng = new Random(1);
        var x = OpHarness.Floats(rng, 3, 4, 5);
        var v = OpHarness.Floats(rng, 3, 2, 5);
        var b = new PirBuilder();
        int fx = b.Feed("x", x, 0), fv = b.Feed("v", v, 1);
        int st = b.IntArray(1), en = b.IntArray(4), sp = b.IntArray(2);
        var o = b.Op("set_value_with_tensor_", [fx, fv, st, en, sp], [A("axes", "0.a_array", "[{\"#\":\"0.a_i64\",\"D\":1}]"), A("decrease_axes", "0.a_array", "[]"), A("none_axes", "0.a_array", "[]")], (DataType.Float32, [3, 4, 5]));
        b.Fetch(o[0], "out", 0, DataType.Float32, [3, 4, 5]);
        var pir = Run(b, ("x", x), ("v", v))[0];
        var legacy = new OpHarness("set_value").Input("Input", x).Input("ValueTensor", v).Output("Out")
            .Attr("axes", new long[] { 1 }).Attr("starts", new long[] { 1 }).Attr("ends", new long[] { 4 }).Attr("steps", new long[] { 2 }).Run1();
        Same(legacy, pir, "set_value_with_tensor_");
    }

    [Fact]
    public void OneHot_Embedding_GridSample_MatchLegacy()
    {
        var rng = new Random(2);
        var ids = Tensor.FromSpan<long>([3, 0, 2, 1], [2, 2]);
        var b = new PirBuilder();
        int fi = b.Feed("ids", ids, 0);
        int depth = b.Full(5, DataType.Int32);
        var oh = b.Op("one_hot", [fi, depth], [], (DataType.Float32, [2, 2, 5]));
        b.Fetch(oh[0], "oh", 0, DataType.Float32, [2, 2, 5]);
        var pir = Run(b, ("ids", ids))[0];
        Same(new OpHarness("one_hot_v2").Input("X", ids).Output("Out").Attr("depth", 5L).Run1(), pir, "one_hot");

        var w = OpHarness.Floats(rng, 6, 3);
        b = new PirBuilder();
        fi = b.Feed("ids", ids, 0);
        int fw = b.Feed("w", w, 1);
        var em = b.Op("embedding", [fi, fw], [A("padding_idx", "0.a_i64", "2"), A("sparse", "0.a_bool", "false")], (DataType.Float32, [2, 2, 3]));
        b.Fetch(em[0], "em", 0, DataType.Float32, [2, 2, 3]);
        pir = Run(b, ("ids", ids), ("w", w))[0];
        Same(new OpHarness("lookup_table_v2").Input("Ids", ids).Input("W", w).Output("Out").Attr("padding_idx", 2L).Run1(), pir, "embedding");

        var x = OpHarness.Floats(rng, 1, 2, 4, 5);
        var grid = OpHarness.Floats(rng, 1, 3, 3, 2);
        b = new PirBuilder();
        int gx = b.Feed("x", x, 0), gg = b.Feed("g", grid, 1);
        var gs = b.Op("grid_sample", [gx, gg], [A("mode", "0.a_str", "\"bilinear\""), A("padding_mode", "0.a_str", "\"border\""), A("align_corners", "0.a_bool", "false")], (DataType.Float32, [1, 2, 3, 3]));
        b.Fetch(gs[0], "gs", 0, DataType.Float32, [1, 2, 3, 3]);
        pir = Run(b, ("x", x), ("g", grid))[0];
        Same(new OpHarness("grid_sampler").Input("X", x).Input("Grid", grid).Output("Output").Attr("padding_mode", "border").Attr("align_corners", false).Run1("Output"), pir, "grid_sample");
    }

    [Fact]
    public void SortIndexAndActivationSpellings_MatchLegacy()
    {
        var rng = new Random(3);
        var x = OpHarness.Floats(rng, 3, 6);
        var idx = Tensor.FromSpan<long>([0, 5, 5, 1, 2, 3], [3, 2]);

        Tensor Pir(string op, (string, string, string)[] attrs, DataType outType, int[] outShape, int results = 1, bool withIndex = false)
        {
            var b = new PirBuilder();
            int fx = b.Feed("x", x, 0);
            int[] inputs = withIndex ? [fx, b.Feed("i", idx, 1)] : [fx];
            var outs = b.Op(op, inputs, attrs, Enumerable.Range(0, results).Select(k => k == 1 ? (DataType.Int64, outShape) : (outType, outShape)).ToArray());
            b.Fetch(outs[results - 1], "o", 0, results == 1 ? outType : DataType.Int64, outShape);
            return withIndex ? Run(b, ("x", x), ("i", idx))[0] : Run(b, ("x", x))[0];
        }

        Same(new OpHarness("argsort").Input("X", x).Output("Out").Output("Indices").Attr("axis", 1L).Attr("descending", true).Run1("Indices"),
            Pir("argsort", [A("axis", "0.a_i32", "1"), A("descending", "0.a_bool", "true"), A("stable", "0.a_bool", "false")], DataType.Float32, [3, 6], results: 2), "argsort");
        Same(new OpHarness("tril_triu").Input("X", x).Output("Out").Attr("diagonal", 1L).Attr("lower", false).Run1(),
            Pir("triu", [A("diagonal", "0.a_i32", "1")], DataType.Float32, [3, 6]), "triu");
        Same(new OpHarness("softshrink").Input("X", x).Output("Out").Attr("lambda", 0.3).Run1(),
            Pir("softshrink", [A("threshold", "0.a_f32", "0.3")], DataType.Float32, [3, 6]), "softshrink");
        Same(new OpHarness("brelu").Input("X", x).Output("Out").Attr("t_min", -0.2).Attr("t_max", 0.4).Run1(),
            Pir("hardtanh", [A("t_min", "0.a_f32", "-0.2"), A("t_max", "0.a_f32", "0.4")], DataType.Float32, [3, 6]), "hardtanh");
        Same(new OpHarness("logsumexp").Input("X", x).Output("Out").Attr("axis", new long[] { 1 }).Attr("keepdim", true).Run1(),
            Pir("logsumexp", [A("axis", "0.a_array", "[{\"#\":\"0.a_i64\",\"D\":1}]"), A("keepdim", "0.a_bool", "true"), A("reduce_all", "0.a_bool", "false")], DataType.Float32, [3, 1]), "logsumexp");
        Same(new OpHarness("take_along_axis").Input("Input", x).Input("Index", idx).Output("Result").Attr("Axis", 1L).Run1("Result"),
            Pir("take_along_axis", [A("axis", "0.a_i32", "1")], DataType.Float32, [3, 2], withIndex: true), "take_along_axis");
        Same(new OpHarness("index_sample").Input("X", x).Input("Index", idx).Output("Out").Run1(),
            Pir("index_sample", [], DataType.Float32, [3, 2], withIndex: true), "index_sample");
    }

    [Fact]
    public void RcnnOpSpellings_MatchLegacy()
    {
        var rng = new Random(4);
        var x = OpHarness.Floats(rng, 1, 2, 6, 6);
        var rois = Tensor.FromSpan<float>([0, 0, 5, 4, 1, 2, 6, 6, 2, 1, 3, 5], [3, 4]);
        var num = Tensor.FromSpan<int>([3], [1]);
        var b = new PirBuilder();
        int fx = b.Feed("x", x, 0), fr = b.Feed("r", rois, 1), fn = b.Feed("n", num, 2);
        var ra = b.Op("roi_align", [fx, fr, fn], [A("pooled_height", "0.a_i32", "2"), A("pooled_width", "0.a_i32", "3"), A("spatial_scale", "0.a_f32", "0.5"),
            A("sampling_ratio", "0.a_i32", "-1"), A("aligned", "0.a_bool", "true")], (DataType.Float32, [3, 2, 2, 3]));
        b.Fetch(ra[0], "o", 0, DataType.Float32, [3, 2, 2, 3]);
        Same(new OpHarness("roi_align").Input("X", x).Input("ROIs", rois).Input("RoisNum", num).Output("Out").Attr("pooled_height", 2L).Attr("pooled_width", 3L)
            .Attr("spatial_scale", 0.5).Attr("aligned", true).Run1(), Run(b, ("x", x), ("r", rois), ("n", num))[0], "pd_op.roi_align");

        var boxes = Tensor.FromSpan<float>([-3, 2, 40, 9, 5, 5, 7, 70], [2, 4]);
        var info = Tensor.FromSpan<float>([30, 20, 1], [1, 3]);
        b = new PirBuilder();
        int fb = b.Feed("b", boxes, 0), fi = b.Feed("i", info, 1);
        var bc = b.Op("box_clip", [fb, fi], [], (DataType.Float32, [2, 4]));
        b.Fetch(bc[0], "o", 0, DataType.Float32, [2, 4]);
        Same(new OpHarness("box_clip").Input("Input", boxes).Input("ImInfo", info).Output("Output").Run1("Output"), Run(b, ("b", boxes), ("i", info))[0], "pd_op.box_clip");

        int a = 2, h = 3, w = 4;
        var scores = OpHarness.Floats(rng, 1, a, h, w);
        var deltas = OpHarness.Floats(rng, 1, 4 * a, h, w);
        var shape = Tensor.FromSpan<float>([48, 64], [1, 2]);
        var anchorsData = new float[h * w * a * 4];
        PaddleNet.Kernels.Detection.AnchorGeneratorKernel.Reference(anchorsData, h, w, [16f], [0.5f, 1f], 16, 16, 0.5f);
        var anchors = Tensor.FromSpan<float>(anchorsData, [h, w, a, 4]);
        var vars = Tensor.FromSpan<float>(Enumerable.Repeat(1f, h * w * a * 4).ToArray(), [h, w, a, 4]);
        b = new PirBuilder();
        int[] ins = [b.Feed("s", scores, 0), b.Feed("d", deltas, 1), b.Feed("m", shape, 2), b.Feed("a", anchors, 3), b.Feed("v", vars, 4)];
        var gp = b.Op("generate_proposals", ins, [A("pre_nms_top_n", "0.a_i32", "20"), A("post_nms_top_n", "0.a_i32", "5"), A("nms_thresh", "0.a_f32", "0.5"),
            A("min_size", "0.a_f32", "0.1"), A("eta", "0.a_f32", "1"), A("pixel_offset", "0.a_bool", "false")],
            (DataType.Float32, [-1, 4]), (DataType.Float32, [-1, 1]), (DataType.Int32, [1]));
        b.Fetch(gp[0], "rois", 0, DataType.Float32, [-1, 4]);
        b.Fetch(gp[2], "num", 1, DataType.Int32, [1]);
        var pir = Run(b, ("s", scores), ("d", deltas), ("m", shape), ("a", anchors), ("v", vars));
        var legacy = new OpHarness("generate_proposals_v2").Input("Scores", scores).Input("BboxDeltas", deltas).Input("ImShape", shape).Input("Anchors", anchors)
            .Input("Variances", vars).Output("RpnRois").Output("RpnRoiProbs").Output("RpnRoisNum").Attr("pre_nms_topN", 20L).Attr("post_nms_topN", 5L)
            .Attr("nms_thresh", 0.5).Attr("min_size", 0.1).Attr("eta", 1.0).Attr("pixel_offset", false);
        Same(legacy.Run1("RpnRois"), pir[0], "pd_op.generate_proposals rois");
        Same(legacy.Run1("RpnRoisNum"), pir[1], "pd_op.generate_proposals rois_num");
    }

    [Fact]
    public void DistributeFpnProposals_VectorResults_MatchLegacy()
    {
        var rois = Tensor.FromSpan<float>([0, 0, 10, 10, 0, 0, 300, 200, 5, 5, 40, 60, 0, 0, 900, 900, 1, 1, 3, 2], [5, 4]);
        var num = Tensor.FromSpan<int>([5], [1]);
        var b = new PirBuilder();
        int fr = b.Feed("r", rois, 0), fn = b.Feed("n", num, 1);
        (DataType, int[]) box = (DataType.Float32, [-1, 4]), count = (DataType.Int32, [1]);
        var res = b.OpVec("distribute_fpn_proposals", [fr, fn], [A("min_level", "0.a_i32", "2"), A("max_level", "0.a_i32", "3"), A("refer_level", "0.a_i32", "4"),
            A("refer_scale", "0.a_i32", "224"), A("pixel_offset", "0.a_bool", "true")], [box, box], [count, count], [(DataType.Int32, [-1, 1])]);
        var levels = b.Split(res[0], box, box);
        var nums = b.Split(res[1], count, count);
        b.Fetch(levels[1], "l3", 0, DataType.Float32, [-1, 4]);
        b.Fetch(nums[1], "n3", 1, DataType.Int32, [1]);
        b.Fetch(res[2], "restore", 2, DataType.Int32, [-1, 1]);
        var pir = Run(b, ("r", rois), ("n", num));
        var legacy = new OpHarness("distribute_fpn_proposals").Input("FpnRois", rois).Input("RoisNum", num).Output("MultiFpnRois", 2).Output("MultiLevelRoIsNum", 2)
            .Output("RestoreIndex").Attr("min_level", 2L).Attr("max_level", 3L).Attr("refer_level", 4L).Attr("refer_scale", 224L).Attr("pixel_offset", true);
        Same(legacy.Run("MultiFpnRois")[1], pir[0], "pd_op.distribute_fpn_proposals level 3");
        Same(legacy.Run("MultiLevelRoIsNum")[1], pir[1], "pd_op.distribute_fpn_proposals level 3 count");
        Same(legacy.Run1("RestoreIndex"), pir[2], "pd_op.distribute_fpn_proposals restore index");
        Assert.Equal(2, pir[1].AsSpan<int>()[0]); // 300×200 and 900×900 reach level 3 (clamped)
    }
}
