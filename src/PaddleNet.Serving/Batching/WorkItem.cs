namespace PaddleNet.Serving.Batching;

/// <summary>One queued input and the promise its request awaits.</summary>
internal sealed class WorkItem<TIn, TOut>
{
    public WorkItem(TIn input) => Input = input;

    public TIn Input { get; }

    public TaskCompletionSource<TOut> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The request gave up (timeout, disconnect): the worker skips it.</summary>
    public bool Abandoned => Completion.Task.IsCompleted;
}
