namespace PaddleNet.Detection;

/// <summary>An <c>infer_cfg.yml</c> is missing, malformed, or asks for something PaddleNet does not support
/// (an unknown <c>arch</c> or preprocess op). The message names the file and the offending key or value.</summary>
public sealed class DetectionConfigException : PaddleNetException
{
    /// <summary>A problem with the config at <paramref name="path"/>; the message starts with the path.</summary>
    public DetectionConfigException(string path, string message, Exception? inner = null)
        : base($"{path}: {message}", inner)
    {
        ConfigPath = path;
    }

    /// <summary>The <c>infer_cfg.yml</c> concerned.</summary>
    public string ConfigPath { get; }
}
