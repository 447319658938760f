using PaddleNet.Imaging;

namespace PaddleNet.Detection;

/// <summary>Reads PaddleDetection's NMS output: rows [class, score, x1, y1, x2, y2] grouped per image by the counts output.</summary>
internal static class DetectionOutput
{
    public static IReadOnlyList<DetectionResult> Split(Tensor boxes, Tensor counts, IReadOnlyList<Image> images, DetectionConfig config, double threshold)
    {
        if (boxes.DataType != DataType.Float32 || boxes.Shape.Length != 2 || (boxes.Shape[1] != 6 && boxes.Shape[0] > 0))
        {
            throw new ShapeMismatchException("detector boxes output", "float32 [M, 6]", boxes.ToString());
        }

        if (counts.DataType != DataType.Int32 || counts.ElementCount != images.Count)
        {
            throw new ShapeMismatchException("detector box-count output", $"int32 [{images.Count}]", counts.ToString());
        }

        ReadOnlySpan<float> rows = boxes.AsSpan<float>();
        ReadOnlySpan<int> n = counts.AsSpan<int>();
        int m = boxes.Shape[0];
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
                objects.Add(new DetectedObject(cls, config.LabelOf(cls), row[1], new BoundingBox(row[2], row[3], row[4], row[5])));
            }

            start += count;
            results[b] = new DetectionResult(images[b].Width, images[b].Height, objects);
        }

        return results;
    }
}
