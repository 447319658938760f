namespace PaddleNet.Serving.Hosting;

/// <summary>Ready once the models are loaded and the server listens; not ready again once shutdown starts.</summary>
public sealed class Readiness
{
    private volatile bool _ready;

    /// <summary>Whether <c>/readyz</c> answers ready.</summary>
    public bool IsReady => _ready;

    /// <summary>Sets what <c>/readyz</c> answers.</summary>
    public void Set(bool ready) => _ready = ready;
}
