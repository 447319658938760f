namespace PaddleNet.Serving.Config;

/// <summary>A serving config that cannot be used: the message names the file and the key.</summary>
public sealed class ServingConfigException : PaddleNetException
{
    /// <summary>A config error described by <paramref name="message"/>.</summary>
    public ServingConfigException(string message) : base(message)
    {
    }

    /// <summary>A config error described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public ServingConfigException(string message, Exception inner) : base(message, inner)
    {
    }
}
