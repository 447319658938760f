namespace PaddleNet.Cli.Commands;

/// <summary>A one-line progress bar on stderr, drawn only when stderr is the real console and a terminal.</summary>
internal sealed class ProgressBar
{
    private readonly TextWriter _stderr;
    private readonly int _total;
    private readonly bool _enabled;
    private int _done;

    public ProgressBar(TextWriter stderr, int total)
    {
        _stderr = stderr;
        _total = total;
        _enabled = total > 0 && ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
    }

    public void Step(int count = 1)
    {
        if (!_enabled) return;
        _done = Math.Min(_total, _done + count);
        const int Width = 30;
        int filled = _done * Width / _total;
        _stderr.Write($"\r[{new string('#', filled)}{new string(' ', Width - filled)}] {_done}/{_total}");
        if (_done == _total) _stderr.Write("\r" + new string(' ', Width + 24) + "\r");
    }
}
