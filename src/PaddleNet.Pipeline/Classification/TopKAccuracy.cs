using PaddleNet.Imaging;
using PaddleNet.Pipeline.Postprocess;

namespace PaddleNet.Pipeline;

/// <summary>Top-1 / top-5 accuracy of a classifier's raw output over labelled images.</summary>
public sealed record TopKAccuracy(int Top1Count, int Top5Count, int Total)
{
    /// <summary>Share of images whose label is the best score (0 when there are none).</summary>
    public double Top1 => Total == 0 ? 0 : (double)Top1Count / Total;

    /// <summary>Share of images whose label is among the five best scores (0 when there are none).</summary>
    public double Top5 => Total == 0 ? 0 : (double)Top5Count / Total;

    /// <summary>The report <c>paddlenet eval</c> prints: image count, then top-1 and top-5 as Python's
    /// <c>"{:.4f}"</c> (half to even on the exact value) with the counts, one per line, each ending in <c>\n</c>.</summary>
    public string Report() =>
        $"images: {Total}\n" +
        $"top-1: {Output.PyFormat.Fixed(Top1, 4)} ({Top1Count}/{Total})\n" +
        $"top-5: {Output.PyFormat.Fixed(Top5, 4)} ({Top5Count}/{Total})\n";

    /// <summary>
    /// Runs <paramref name="items"/> in batches of <paramref name="batchSize"/>; the label counts as found within k if
    /// it is among the k best scores (ties: highest id first, see the Topk notes). Unreadable images are misses.
    /// </summary>
    public static TopKAccuracy Evaluate(ImageClassifier classifier, IReadOnlyList<(string Path, int Label)> items, int batchSize, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        int top1 = 0, top5 = 0;
        for (int start = 0; start < items.Count; start += batchSize)
        {
            var chunk = items.Skip(start).Take(batchSize).ToArray();
            var images = new List<Image>();
            var labels = new List<int>();
            foreach (var (path, label) in chunk)
            {
                if (classifier.TryDecode(path) is { } image)
                {
                    images.Add(image);
                    labels.Add(label);
                }
            }
            var rows = classifier.Predict(images);
            for (int i = 0; i < rows.Length; i++)
            {
                var order = TopOrder.Descending(rows[i], 5);
                if (order.Length > 0 && order[0] == labels[i]) top1++;
                if (order.Contains(labels[i])) top5++;
            }
            progress?.Invoke(chunk.Length);
        }
        return new TopKAccuracy(top1, top5, items.Count);
    }
}
