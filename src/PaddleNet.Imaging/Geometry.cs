using PaddleNet.Imaging.Interop;

namespace PaddleNet.Imaging;

/// <summary>A rotated rectangle as OpenCV's <c>RotatedRect</c>: centre, side lengths and angle in degrees.</summary>
public readonly record struct RotatedRect(float CenterX, float CenterY, float Width, float Height, float Angle);

/// <summary>Where <see cref="Image.WarpPerspective"/> samples outside the source (values equal <c>cv::BorderTypes</c>).</summary>
public enum BorderMode
{
    /// <summary><c>BORDER_CONSTANT</c> with 0.</summary>
    Constant = 0,

    /// <summary><c>BORDER_REPLICATE</c>: the nearest edge pixel.</summary>
    Replicate = 1,
}

/// <summary>Turns for <see cref="Image.Rotate"/> (values equal <c>cv::RotateFlags</c>).</summary>
public enum Rotation
{
    /// <summary><c>ROTATE_90_CLOCKWISE</c>.</summary>
    Clockwise90 = 0,

    /// <summary><c>ROTATE_180</c>.</summary>
    Rotate180 = 1,

    /// <summary><c>ROTATE_90_COUNTERCLOCKWISE</c>: what <c>numpy.rot90</c> does.</summary>
    CounterClockwise90 = 2,
}

/// <summary>
/// OpenCV's contour and polygon geometry through the native shim, as text detectors' post-processing calls it
/// (<c>cv2.findContours</c>, <c>cv2.minAreaRect</c>, <c>cv2.boxPoints</c>, <c>cv2.fillPoly</c> + <c>cv2.mean</c>,
/// <c>cv2.getPerspectiveTransform</c>). Points are interleaved x, y pairs.
/// </summary>
public static class Geometry
{
    /// <summary>
    /// <c>cv2.findContours(mask, RETR_LIST, CHAIN_APPROX_SIMPLE)</c> on a <paramref name="width"/> × <paramref name="height"/>
    /// mask (non-zero is foreground): each contour's points as x, y pairs, in OpenCV's order.
    /// </summary>
    public static unsafe IReadOnlyList<int[]> FindContours(ReadOnlySpan<byte> mask, int width, int height)
    {
        long needed = (long)width * height;
        if (width <= 0 || height <= 0 || mask.Length != needed)
        {
            throw new ArgumentException($"A {width}x{height} mask needs exactly {needed} bytes, but {mask.Length} were given.", nameof(mask));
        }

        NativeImaging.EnsureLoaded();
        SafeContoursHandle handle;
        fixed (byte* m = mask)
        {
            NativeImaging.ThrowIfFailed(PaddleNetNative.FindContours(m, mask.Length, height, width, out handle), "PaddleNetNative_FindContours");
        }

        using (handle)
        {
            NativeImaging.ThrowIfFailed(PaddleNetNative.ContoursGetSize(handle, out int count, out long total), "PaddleNetNative_ContoursGetSize");
            if (count == 0) return [];
            var lengths = new int[count];
            var points = new int[checked((int)(2 * total))];
            fixed (int* l = lengths)
            fixed (int* p = points)
            {
                NativeImaging.ThrowIfFailed(PaddleNetNative.ContoursCopyTo(handle, l, count, p, points.Length), "PaddleNetNative_ContoursCopyTo");
            }

            var result = new int[count][];
            int offset = 0;
            for (int i = 0; i < count; i++)
            {
                result[i] = points.AsSpan(offset, 2 * lengths[i]).ToArray();
                offset += 2 * lengths[i];
            }

            return result;
        }
    }

    /// <summary><c>cv2.minAreaRect</c> of integer points (x, y pairs, at least one point).</summary>
    public static unsafe RotatedRect MinAreaRect(ReadOnlySpan<int> points)
    {
        if (points.Length < 2 || points.Length % 2 != 0)
        {
            throw new ArgumentException($"Expected x, y pairs of at least one point, got {points.Length} values.", nameof(points));
        }

        NativeImaging.EnsureLoaded();
        float* r = stackalloc float[5];
        fixed (int* p = points)
        {
            NativeImaging.ThrowIfFailed(PaddleNetNative.MinAreaRect(p, points.Length / 2, r), "PaddleNetNative_MinAreaRect");
        }

        return new RotatedRect(r[0], r[1], r[2], r[3], r[4]);
    }

    /// <summary><c>cv2.boxPoints</c>: the 4 corners of <paramref name="rect"/> as x, y pairs into <paramref name="corners"/> (8 floats).</summary>
    public static unsafe void BoxPoints(RotatedRect rect, Span<float> corners)
    {
        if (corners.Length < 8) throw new ArgumentException("Need room for 8 floats.", nameof(corners));
        NativeImaging.EnsureLoaded();
        float* r = stackalloc float[5] { rect.CenterX, rect.CenterY, rect.Width, rect.Height, rect.Angle };
        fixed (float* c = corners)
        {
            NativeImaging.ThrowIfFailed(PaddleNetNative.BoxPoints(r, c), "PaddleNetNative_BoxPoints");
        }
    }

    /// <summary>
    /// The mean of <paramref name="map"/> (<paramref name="width"/> × <paramref name="height"/> floats) over the polygon
    /// <paramref name="points"/> (relative to (<paramref name="x0"/>, <paramref name="y0"/>)) inside the inclusive region
    /// x0..x1, y0..y1: <c>cv2.mean(map[y0:y1+1, x0:x1+1], mask)[0]</c> with the mask drawn by <c>cv2.fillPoly(mask, [points], 1)</c>.
    /// </summary>
    public static unsafe double PolygonMean(ReadOnlySpan<float> map, int width, int height, int x0, int y0, int x1, int y1, ReadOnlySpan<int> points)
    {
        if (points.Length < 2 || points.Length % 2 != 0)
        {
            throw new ArgumentException($"Expected x, y pairs of at least one point, got {points.Length} values.", nameof(points));
        }

        NativeImaging.EnsureLoaded();
        fixed (float* m = map)
        fixed (int* p = points)
        {
            NativeImaging.ThrowIfFailed(
                PaddleNetNative.PolygonMean(m, map.Length, height, width, x0, y0, x1, y1, p, points.Length / 2, out double mean),
                "PaddleNetNative_PolygonMean");
            return mean;
        }
    }

    /// <summary><c>cv2.getPerspectiveTransform(source, destination)</c> for 4 + 4 float points: the 3×3 row-major matrix.</summary>
    public static unsafe double[] GetPerspectiveTransform(ReadOnlySpan<float> source, ReadOnlySpan<float> destination)
    {
        if (source.Length != 8 || destination.Length != 8)
        {
            throw new ArgumentException($"Expected 4 x, y pairs on each side, got {source.Length} and {destination.Length} values.");
        }

        NativeImaging.EnsureLoaded();
        var matrix = new double[9];
        fixed (float* s = source)
        fixed (float* d = destination)
        fixed (double* m = matrix)
        {
            NativeImaging.ThrowIfFailed(PaddleNetNative.GetPerspectiveTransform(s, d, m), "PaddleNetNative_GetPerspectiveTransform");
        }

        return matrix;
    }
}
