using System.CommandLine;
using PaddleNet.Imaging;

namespace PaddleNet.Cli.Commands;

/// <summary>The PaddleClas-style <c>-c CONFIG</c> and repeatable <c>-o KEY=VALUE</c> options shared by predict and eval.</summary>
internal static class ConfigOptions
{
    public static Option<string> Config() => new("--config", "-c")
    {
        Description = "PaddleClas config (inference_cls.yaml); relative paths in it resolve against the current directory",
        Required = true,
    };

    public static Option<string[]> Overrides() => new("--override", "-o")
    {
        Description = "Override one config value as KEY=VALUE (dotted path, list indexes allowed; the value is read like Python eval). Repeat for more",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary><c>--max-image-pixels N</c>, for every command that reads images (predict, eval, detect, ocr, clas-system, serve).</summary>
    public static Option<long?> MaxImagePixels() => new("--max-image-pixels")
    {
        Description = $"Refuse an image whose header declares more than N pixels (width x height), before decoding it (default {ImageDecodeOptions.DefaultMaxPixels})",
    };

    /// <summary>The decode limits for <paramref name="maxPixels"/> (the default when not given).</summary>
    public static ImageDecodeOptions Decode(long? maxPixels) => maxPixels switch
    {
        null => ImageDecodeOptions.Default,
        < 1 => throw new PaddleNetException($"--max-image-pixels must be at least 1, got {maxPixels}"),
        long n => new ImageDecodeOptions { MaxPixels = n },
    };
}
