using PaddleNet.Imaging;

namespace PaddleNet.Detection;

/// <summary>
/// Reads PaddleDetection's NMS output: rows [class, score, x1, y1, x2, y2] grouped per image by the counts output, and
/// for Mask R-CNN the masks output [M, H, W] (int32, 1 inside, pasted into the original image by the export's
/// MaskPostProcess; H, W cover the largest image of the batch).
/// </summary>
internal static class DetectionOutput
{
    public static IReadOnlyList<DetectionResult> Split(Tensor boxes, Tensor counts, Tensor? masks, IReadOnlyList<Image> images, DetectionConfig config, double threshold)
    {
        // multiclass_nms v1 says "nothing found" with a lone [1, 1] = −1
        bool none = boxes.DataType == DataType.Float32 && boxes.Shape.Length == 2 && boxes.Shape[0] == 1 && boxes.Shape[1] == 1 && boxes.AsSpan<float>()[0] == -1;
        if (!none && (boxes.DataType != DataType.Float32 || boxes.Shape.Length != 2 || (boxes.Shape[1] != 6 && boxes.Shape[0] > 0)))
        {
            throw new ShapeMismatchException("detector boxes output", "float32 [M, 6]", boxes.ToString());
        }

        if (counts.DataType != DataType.Int32 || counts.ElementCount != images.Count)
        {
            throw new ShapeMismatchException("detector box-count output", $"int32 [{images.Count}]", counts.ToString());
        }

        ReadOnlySpan<float> rows = boxes.AsSpan<float>();
        ReadOnlySpan<int> n = counts.AsSpan<int>();
        int m = none ? 0 : boxes.Shape[0];
        if (masks is not null && (masks.DataType != DataType.Int32 || masks.Shape.Length != 3 || masks.Shape[0] != m))
        {
            throw new ShapeMismatchException("detector masks output", $"int32 [{m}, H, W]", masks.ToString());
        }
        var results = new DetectionResult[images.Count];
        int start = 0;
        for (int b = 0; b < images.Count; b++)
        {
            var objects = new List<DetectedObject>();
            int count = n[b];
            if (count < 0 || start + count > m)
            {
                throw new ShapeMismatchException("detector box counts", $"counts summing to at most {m} rows", $"{count} rows for image {b} from row {start}");
            }

            for (int r = start; r < start + count; r++)
            {
                ReadOnlySpan<float> row = rows.Slice(r * 6, 6);
                // visualize.py keeps score > threshold and class > -1 (a lone -1 row means "nothing found").
                if (!(row[1] > threshold) || !(row[0] > -1)) continue;
                int cls = (int)row[0];
                var obj = new DetectedObject(cls, config.LabelOf(cls), row[1], new BoundingBox(row[2], row[3], row[4], row[5]));
                if (masks is not null) obj = obj with { Mask = CropMask(masks, r, images[b].Width, images[b].Height) };
                objects.Add(obj);
            }

            start += count;
            results[b] = new DetectionResult(images[b].Width, images[b].Height, objects);
        }

        return results;
    }

    /// <summary>Row <paramref name="r"/> of the masks, cut to the image (visualize.py's <c>np_masks[:, :im_h, :im_w]</c>) as 0/1 bytes.</summary>
    private static byte[] CropMask(Tensor masks, int r, int width, int height)
    {
        int mh = masks.Shape[1], mw = masks.Shape[2];
        var src = masks.AsSpan<int>().Slice(r * mh * mw, mh * mw);
        var dst = new byte[width * height];
        for (int y = 0; y < Math.Min(height, mh); y++)
        {
            for (int x = 0; x < Math.Min(width, mw); x++) dst[y * width + x] = src[y * mw + x] != 0 ? (byte)1 : (byte)0;
        }

        return dst;
    }
}
