using System.Globalization;

namespace PaddleNet.Detection;

/// <summary>A box in original-image pixels: left, top, right, bottom (PaddleDetection's x1, y1, x2, y2).</summary>
public readonly record struct BoundingBox(float X1, float Y1, float X2, float Y2)
{
    /// <summary><c>X2 - X1</c>, in pixels.</summary>
    public float Width => X2 - X1;

    /// <summary><c>Y2 - Y1</c>, in pixels.</summary>
    public float Height => Y2 - Y1;
}

/// <summary>One detection: class id, its label from <c>label_list</c>, score, and box.</summary>
public sealed record DetectedObject(int ClassId, string Label, float Score, BoundingBox Box)
{
    /// <summary>Instance mask of a Mask R-CNN: one byte per pixel of the original image (row-major, 1 inside); empty
    /// for box-only models.</summary>
    public ReadOnlyMemory<byte> Mask { get; init; }

    /// <summary>
    /// The line PaddleDetection v2.6 <c>deploy/python/visualize.py</c> prints for a box:
    /// <c>class_id:{:d}, confidence:{:.4f}, left_top:[{:.2f},{:.2f}],right_bottom:[{:.2f},{:.2f}]</c>
    /// (sic: no space before <c>right_bottom</c>; the source joins two string literals).
    /// </summary>
    public string ToPaddleDetectionString() => string.Create(
        CultureInfo.InvariantCulture,
        $"class_id:{ClassId}, confidence:{(double)Score:F4}, left_top:[{(double)Box.X1:F2},{(double)Box.Y1:F2}],right_bottom:[{(double)Box.X2:F2},{(double)Box.Y2:F2}]");
}

/// <summary>The detections of one image, in the model's order (by class, then by descending score).</summary>
public sealed class DetectionResult
{
    /// <summary>The detections of an image of <paramref name="imageWidth"/> × <paramref name="imageHeight"/> pixels.</summary>
    public DetectionResult(int imageWidth, int imageHeight, IReadOnlyList<DetectedObject> objects)
    {
        ImageWidth = imageWidth;
        ImageHeight = imageHeight;
        Objects = objects;
    }

    /// <summary>Width of the original image, in pixels.</summary>
    public int ImageWidth { get; }

    /// <summary>Height of the original image, in pixels.</summary>
    public int ImageHeight { get; }

    /// <summary>The boxes scoring above the threshold; empty when nothing was found.</summary>
    public IReadOnlyList<DetectedObject> Objects { get; }
}
