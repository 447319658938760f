namespace PaddleNet.Serving.Batching;

/// <summary>One queued input and the promise its request awaits.</summary>
internal sealed class WorkItem<TIn, TOut>
{
    public WorkItem(TIn input, CancellationToken requestAborted)
    {
        Input = input;
        RequestAborted = requestAborted;
    }

    public TIn Input { get; }

    /// <summary>Cancelled when the request gives up: its client goes away (HTTP disconnect, gRPC cancellation) or the
    /// model's timeout passes.</summary>
    public CancellationToken RequestAborted { get; }

    public TaskCompletionSource<TOut> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The request gave up (timeout, disconnect): the worker skips it.</summary>
    public bool Abandoned => Completion.Task.IsCompleted;
}
