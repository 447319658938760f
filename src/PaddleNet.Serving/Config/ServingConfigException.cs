namespace PaddleNet.Serving.Config;

/// <summary>A serving config that cannot be used: the message names the file and the key.</summary>
public sealed class ServingConfigException : PaddleNetException
{
    public ServingConfigException(string message) : base(message)
    {
    }

    public ServingConfigException(string message, Exception inner) : base(message, inner)
    {
    }
}
