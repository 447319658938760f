using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Kernels.Shape;

/// <summary>
/// set_value against numpy's <c>x[slices] = value</c> (Paddle's test_set_value_op.py oracle): the slice of each axis is
/// Python's <c>range(*slice(start, stop, step).indices(dim))</c>, the value broadcast over the selected block.
/// </summary>
public sealed class SetValueTests
{
    private static List<int> PyRange(int dim, long start, long stop, long step)
    {
        // slice.indices(dim), as CPython computes it.
        long lower = step < 0 ? -1 : 0, upper = step < 0 ? dim - 1 : dim;
        long s = start < 0 ? Math.Max(start + dim, lower) : Math.Min(start, upper);
        long e = stop < 0 ? Math.Max(stop + dim, lower) : Math.Min(stop, upper);
        var r = new List<int>();
        for (long i = s; step > 0 ? i < e : i > e; i += step) r.Add((int)i);
        return r;
    }

    /// <summary>numpy oracle: every selected position gets value[flat position in the block, broadcast].</summary>
    private static float[] Oracle(Tensor x, long[] axes, long[] starts, long[] ends, long[] steps, Func<int[], float> valueAt)
    {
        var shape = x.Shape.ToArray();
        var sel = shape.Select(d => Enumerable.Range(0, d).ToList()).ToArray();
        for (int i = 0; i < axes.Length; i++)
        {
            int a = (int)(axes[i] < 0 ? axes[i] + shape.Length : axes[i]);
            sel[a] = PyRange(shape[a], starts[i], ends[i], steps[i]);
        }
        var y = x.AsSpan<float>().ToArray();
        var blockShape = sel.Select(s => s.Count).ToArray();
        long total = blockShape.Aggregate(1L, (p, d) => p * d);
        for (long f = 0; f < total; f++)
        {
            var bi = OpHarness.Unravel(f, blockShape);
            var xi = bi.Select((v, d) => sel[d][v]).ToArray();
            y[OpHarness.Ravel(xi, shape)] = valueAt(bi);
        }
        return y;
    }

    [Theory]
    [InlineData(new long[] { 0 }, new long[] { 0 }, new long[] { 2 }, new long[] { 1 })]
    [InlineData(new long[] { 1 }, new long[] { -3 }, new long[] { -1 }, new long[] { 1 })]
    [InlineData(new long[] { 0, 2 }, new long[] { 0, 1 }, new long[] { 3, 5 }, new long[] { 2, 2 })]
    [InlineData(new long[] { -1 }, new long[] { 4 }, new long[] { -10 }, new long[] { -2 })]
    [InlineData(new long[] { 2 }, new long[] { -1 }, new long[] { -1 }, new long[] { -1 })] // end -1 with a negative step: before index 0 (Paddle)
    [InlineData(new long[] { 1 }, new long[] { 2 }, new long[] { 1 }, new long[] { 1 })] // empty
    public void ScalarValue_MatchesNumpyAssignment(long[] axes, long[] starts, long[] ends, long[] steps)
    {
        var rng = new Random(3);
        var x = OpHarness.Floats(rng, 3, 4, 5);
        var y = new OpHarness("set_value").Input("Input", x).Output("Out")
            .Attr("axes", axes).Attr("starts", starts).Attr("ends", ends).Attr("steps", steps)
            .Attr("shape", new long[] { 1 }).Attr("fp32_values", new[] { 7.5 }).Attr("dtype", 5L).Run1();
        // Paddle's end -1 with a negative step means "through index 0": numpy spells that stop=None (-dim-1).
        var npEnds = ends.Select((e, i) => steps[i] < 0 && e == -1 ? -x.Shape[(int)(axes[i] < 0 ? axes[i] + 3 : axes[i])] - 1L : e).ToArray();
        Assert.Equal(Oracle(x, axes, starts, npEnds, steps, _ => 7.5f), y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void TensorValue_BroadcastsOverBlock_WithDecreaseAxis()
    {
        // x[:, 1, 0:4:2] = v with v of shape [2] broadcast over the 3 rows (decrease axis 1 drops the size-1 dim).
        var rng = new Random(5);
        var x = OpHarness.Floats(rng, 3, 4, 5);
        var v = Tensor.FromSpan<float>([10f, 20f], [2]);
        var y = new OpHarness("set_value").Input("Input", x).Input("ValueTensor", v).Output("Out")
            .Attr("axes", new long[] { 1, 2 }).Attr("starts", new long[] { 1, 0 }).Attr("ends", new long[] { 2, 4 }).Attr("steps", new long[] { 1, 2 })
            .Attr("decrease_axes", new long[] { 1 }).Run1();
        Assert.Equal(Oracle(x, [1, 2], [1, 0], [2, 4], [1, 2], bi => bi[2] == 0 ? 10f : 20f), y.AsSpan<float>().ToArray());
    }

    [Fact]
    public void StartsFromTensorList_Int64Input_IntValueConverted()
    {
        // SLANet's form: starts/ends from 1-element tensors, steps attribute, value of another dtype converted.
        var x = Tensor.FromSpan<long>(Enumerable.Range(0, 12).Select(i => (long)i).ToArray(), [3, 4]);
        var start = Tensor.FromSpan<long>([1L], [1]);
        var end = Tensor.FromSpan<int>([3], [1]);
        var v = Tensor.FromSpan<float>([-1.9f, -2.9f, -3.9f], [3, 1]);
        var y = new OpHarness("set_value").Input("Input", x).Input("ValueTensor", v).Input("StartsTensorList", start).Input("EndsTensorList", end).Output("Out")
            .Attr("axes", new long[] { 1 }).Attr("steps", new long[] { 1 }).Run1();
        Assert.Equal(DataType.Int64, y.DataType);
        Assert.Equal(new long[] { 0, -1, -1, 3, 4, -2, -2, 7, 8, -3, -3, 11 }, y.AsSpan<long>().ToArray());
    }

    [Fact]
    public void BadValueShape_IsTypedError()
    {
        var x = OpHarness.Floats(new Random(1), 3, 4);
        var v = Tensor.FromSpan<float>([1f, 2f, 3f], [3]);
        var h = new OpHarness("set_value").Input("Input", x).Input("ValueTensor", v).Output("Out")
            .Attr("axes", new long[] { 1 }).Attr("starts", new long[] { 0 }).Attr("ends", new long[] { 2 }).Attr("steps", new long[] { 1 });
        Assert.Throws<ShapeMismatchException>(() => h.Run1());
    }
}
