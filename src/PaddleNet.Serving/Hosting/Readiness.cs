namespace PaddleNet.Serving.Hosting;

/// <summary>Ready once the models are loaded and the server listens; not ready again once shutdown starts.</summary>
public sealed class Readiness
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void Set(bool ready) => _ready = ready;
}
