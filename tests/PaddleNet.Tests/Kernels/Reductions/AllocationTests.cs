using static PaddleNet.Tests.Kernels.Reductions.ReductionsHarness;

namespace PaddleNet.Tests.Kernels.Reductions;

/// <summary>Steady-state Execute of this family's kernels allocates nothing (buffers are reused between runs).</summary>
public sealed class AllocationTests
{
    [Fact]
    public void Execute_SteadyState_AllocatesNothing()
    {
        var rng = new Random(42);
        var x4 = F(RandomFloats(rng, 2 * 3 * 8 * 9), 2, 3, 8, 9);
        var c3 = F(RandomFloats(rng, 3, 0.5f, 1f), 3);
        var cases = new (string Op, Action<PaddleNet.Model.AttributeMap> Attrs, (string, Tensor)[] Inputs, string[] Outputs)[]
        {
            ("reduce_sum", a => a.Set("dim", new long[] { -1 }), [("X", x4)], ["Out"]),
            ("reduce_mean", a => a.Set("dim", new long[] { 1, 2 }), [("X", x4)], ["Out"]),
            ("reduce_max", a => a.Set("dim", new long[] { 0, 2 }), [("X", x4)], ["Out"]),
            ("arg_max", a => a.Set("axis", 1L), [("X", x4)], ["Out"]),
            ("top_k_v2", a => a.Set("k", 3L), [("X", x4)], ["Out", "Indices"]),
            ("cumsum", a => a.Set("axis", 1L), [("X", x4)], ["Out"]),
            ("p_norm", a => a.Set("axis", 1L), [("X", x4)], ["Out"]),
            ("batch_norm", _ => { }, [("X", x4), ("Scale", c3), ("Bias", c3), ("Mean", c3), ("Variance", c3)], ["Y"]),
            ("layer_norm", a => a.Set("begin_norm_axis", 2L), [("X", x4)], ["Y", "Mean", "Variance"]),
            ("group_norm", a => a.Set("groups", 3L), [("X", x4), ("Scale", c3), ("Bias", c3)], ["Y"]),
            ("instance_norm", _ => { }, [("X", x4)], ["Y"]),
            ("nearest_interp_v2", a => { a.Set("scale", new double[] { 2, 2 }); a.Set("align_corners", false); }, [("X", x4)], ["Out"]),
            ("bilinear_interp_v2", a => { a.Set("out_h", 5L); a.Set("out_w", 17L); a.Set("align_corners", false); a.Set("align_mode", 0L); }, [("X", x4)], ["Out"]),
            ("bicubic_interp_v2", a => { a.Set("out_h", 5L); a.Set("out_w", 17L); a.Set("align_corners", false); }, [("X", x4)], ["Out"]),
            ("pixel_shuffle", a => a.Set("upscale_factor", 1L), [("X", x4)], ["Out"]),
        };
        foreach (var (op, attrs, inputs, outputs) in cases)
        {
            Assert.True(SteadyStateAllocatedBytes(op, attrs, inputs, outputs) == 0, $"{op} allocates in steady state");
        }
    }
}
