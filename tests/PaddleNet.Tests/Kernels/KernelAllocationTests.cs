using PaddleNet.Tests.Kernels.Shape;

namespace PaddleNet.Tests.Kernels;

/// <summary>
/// Issue 14 item 6 for kernels that used to allocate or rent per run (viterbi_decode, unique, einsum, deformable_conv,
/// GRU, strided softmax, wide top_k): a steady-state run on a reused context allocates nothing, at 1 and 2 intra-op
/// threads, after a full GC. Runs in the scripts/test ISA reruns (name contains "Kernels").
/// </summary>
public sealed class KernelAllocationTests
{
    private static long[] L(params int[] v) => v.Select(x => (long)x).ToArray();

    public static TheoryData<string, int> Cases()
    {
        var d = new TheoryData<string, int>();
        foreach (var name in new[] { "viterbi_decode", "viterbi_decode_tags", "unique_sorted", "unique_unsorted_float", "einsum_bmm", "einsum_ellipsis", "einsum_sum", "deformable_conv", "deformable_conv_v1", "rnn_gru", "softmax_strided", "top_k_v2_wide" })
        {
            d.Add(name, 1);
            d.Add(name, 2);
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SteadyStateRun_AllocatesNothing(string name, int threads)
    {
        Assert.Equal(0, Harness(name).SteadyStateAllocatedBytes(threads));
    }

    private static OpHarness Harness(string name)
    {
        var rng = new Random(3);
        switch (name)
        {
            case "viterbi_decode":
            case "viterbi_decode_tags":
                return new OpHarness("viterbi_decode").Input("Input", OpHarness.Floats(rng, 4, 8, 10)).Input("Transition", OpHarness.Floats(rng, 10, 10))
                    .Input("Length", Tensor.FromSpan<long>([8, 3, 5, 1], [4])).Output("Scores").Output("Path").Attr("include_bos_eos_tag", name.EndsWith("tags", StringComparison.Ordinal));
            case "unique_sorted":
                return new OpHarness("unique").Input("X", Tensor.FromSpan<long>([2, 3, 3, 1, 5, 3, 2], [7])).Output("Out").Output("Indices").Output("Index").Output("Counts").Attr("is_sorted", true).Attr("dtype", 3L);
            case "unique_unsorted_float":
                return new OpHarness("unique").Input("X", Tensor.FromSpan<float>([2f, 3f, 3f, 1f, 5f, 3f, 2f], [7])).Output("Out").Output("Index");
            case "einsum_bmm":
                return new OpHarness("einsum").Input("Operands", OpHarness.Floats(rng, 2, 3, 4), OpHarness.Floats(rng, 2, 4, 5)).Output("Out").Attr("equation", "bij,bjk->bik");
            case "einsum_ellipsis":
                return new OpHarness("einsum").Input("Operands", OpHarness.Floats(rng, 2, 3, 4), OpHarness.Floats(rng, 2, 4, 5)).Output("Out").Attr("equation", "...ij,...jk");
            case "einsum_sum":
                return new OpHarness("einsum").Input("Operands", OpHarness.Floats(rng, 2, 3, 4)).Output("Out").Attr("equation", "bij->");
            case "deformable_conv":
            case "deformable_conv_v1":
            {
                bool mask = name == "deformable_conv";
                int n = 2, c = 4, h = 5, w = 6, o = 4, kh = 3, kw = 2, ho = 5, wo = 4;
                var hb = new OpHarness(name).Input("Input", OpHarness.Floats(rng, n, c, h, w)).Input("Offset", OpHarness.Floats(rng, n, 2 * kh * kw, ho, wo))
                    .Input("Filter", OpHarness.Floats(rng, o, c, kh, kw)).Output("Output")
                    .Attr("strides", L(1, 2)).Attr("paddings", L(1, 1)).Attr("dilations", L(1, 1)).Attr("groups", 1L).Attr("deformable_groups", 1L);
                if (mask) hb.Input("Mask", OpHarness.Floats(rng, n, kh * kw, ho, wo));
                return hb;
            }
            case "rnn_gru":
            {
                int t = 5, n = 3, inSize = 4, h = 3;
                var ws = new List<Tensor>();
                var bs = new List<Tensor>();
                for (int l = 0; l < 2; l++)
                {
                    for (int d = 0; d < 2; d++)
                    {
                        ws.Add(OpHarness.Floats(rng, 3 * h, l == 0 ? inSize : 2 * h));
                        ws.Add(OpHarness.Floats(rng, 3 * h, h));
                        bs.Add(OpHarness.Floats(rng, 3 * h));
                        bs.Add(OpHarness.Floats(rng, 3 * h));
                    }
                }
                return new OpHarness("rnn").Input("Input", OpHarness.Floats(rng, t, n, inSize)).Input("PreState", OpHarness.Floats(rng, 4, n, h))
                    .Input("WeightList", ws.Concat(bs).ToArray()).Input("SequenceLength", Tensor.FromSpan<long>([5, 2, 0], [n]))
                    .Output("Out").Output("State", 1).Output("Reserve").Output("DropoutState")
                    .Attr("mode", "GRU").Attr("hidden_size", (long)h).Attr("input_size", (long)inSize).Attr("num_layers", 2L).Attr("is_bidirec", true).Attr("is_test", true);
            }
            case "softmax_strided":
                return new OpHarness("softmax").Input("X", OpHarness.Floats(rng, 2, 8, 5, 7)).Output("Out").Attr("axis", 1L);
            case "top_k_v2_wide":
                return new OpHarness("top_k_v2").Input("X", OpHarness.Floats(rng, 3, 300)).Output("Out").Output("Indices").Attr("k", 5L);
            default:
                throw new ArgumentException(name);
        }
    }
}
