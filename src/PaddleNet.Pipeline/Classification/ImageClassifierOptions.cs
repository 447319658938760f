using PaddleNet.Imaging;

namespace PaddleNet.Pipeline;

/// <summary>Options for <see cref="ImageClassifier"/>.</summary>
public sealed class ImageClassifierOptions
{
    /// <summary>Intra-op threads; <see langword="null"/> uses <c>Global.cpu_num_threads</c> (default 1).</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Where PaddleClas's label-map messages go (a missing <c>class_id_map_file</c>, a bad line). PaddleClas prints
    /// them to stdout, so <c>predict</c> passes stdout; <see langword="null"/> drops them.
    /// </summary>
    public TextWriter? Messages { get; init; }

    /// <summary>Where warnings (unreadable images) go; <see langword="null"/> drops them.</summary>
    public TextWriter? Warnings { get; init; }

    /// <summary>Limits checked before an image is decoded (pixel count, file size); <see langword="null"/> uses
    /// <see cref="ImageDecodeOptions.Default"/>.</summary>
    public ImageDecodeOptions? Decode { get; init; }
}
