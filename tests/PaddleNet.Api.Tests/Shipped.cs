using System.Reflection;

namespace PaddleNet.Api.Tests;

/// <summary>The shipped assemblies (one anchor type each) and the layer each sits in.</summary>
internal static class Shipped
{
    public static IReadOnlyList<Assembly> Assemblies { get; } =
    [
        typeof(Tensor).Assembly,
        typeof(Imaging.Image).Assembly,
        typeof(Pipeline.ImageClassifier).Assembly,
        typeof(Detection.ObjectDetector).Assembly,
        typeof(Ocr.OcrSystem).Assembly,
        typeof(Serving.Hosting.ServingServer).Assembly,
        typeof(Cli.Program).Assembly,
    ];

    /// <summary>
    /// Which shipped projects each may reference: engine ← Imaging ← Pipeline/Detection/Ocr ← Serving/Cli. A new
    /// project under src/ must be added here (the layering test fails until it is).
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> MayReference { get; } = new Dictionary<string, string[]>
    {
        ["PaddleNet"] = [],
        ["PaddleNet.Imaging"] = ["PaddleNet"],
        ["PaddleNet.Pipeline"] = ["PaddleNet", "PaddleNet.Imaging"],
        ["PaddleNet.Detection"] = ["PaddleNet", "PaddleNet.Imaging"],
        ["PaddleNet.Ocr"] = ["PaddleNet", "PaddleNet.Imaging"],
        ["PaddleNet.Serving"] = ["PaddleNet", "PaddleNet.Imaging", "PaddleNet.Pipeline", "PaddleNet.Detection", "PaddleNet.Ocr"],
        ["PaddleNet.Cli"] = ["PaddleNet", "PaddleNet.Imaging", "PaddleNet.Pipeline", "PaddleNet.Detection", "PaddleNet.Ocr", "PaddleNet.Serving"],
    };

    /// <summary>Assemblies allowed to see internals: test assemblies and the kernel micro-benchmarks, none shipped.</summary>
    public static bool IsTestSide(string assemblyName) =>
        assemblyName.EndsWith(".Tests", StringComparison.Ordinal) || assemblyName == "PaddleNet.Benchmarks";
}
