using System.Diagnostics;

namespace PaddleNet.Ocr;

/// <summary>Time spent per stage of one or more OCR runs, model time apart from pre- and post-processing (ms).</summary>
public sealed class StageTimes
{
    /// <summary>Milliseconds preparing model inputs.</summary>
    public double Preprocess { get; internal set; }
    /// <summary>Milliseconds in the model.</summary>
    public double Model { get; internal set; }
    /// <summary>Milliseconds turning model outputs into results.</summary>
    public double Postprocess { get; internal set; }
    /// <summary>Model runs counted.</summary>
    public int Runs { get; internal set; }

    /// <summary>The three stages added, in milliseconds.</summary>
    public double Total => Preprocess + Model + Postprocess;

    internal void Add(StageTimes other)
    {
        Preprocess += other.Preprocess;
        Model += other.Model;
        Postprocess += other.Postprocess;
        Runs += other.Runs;
    }

    internal static double Since(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

/// <summary>Loads the model files the OCR flow takes: a folder with a legacy or PIR program, a program file, or a Lite <c>.nb</c>.</summary>
internal static class OcrModelLoader
{
    public static InferenceSession Load(string path, string flag, int threads)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path) && !Directory.Exists(path)) throw new OcrException($"{path}: {flag}: no such file or folder");
        PaddleModel model;
        try
        {
            model = PaddleModel.Load(path);
        }
        catch (PaddleNetException e)
        {
            throw new OcrException($"{path}: {flag}: {e.Message}", e);
        }

        var session = new InferenceSession(model, new SessionOptions { IntraOpThreads = Math.Max(1, threads) });
        if (session.Inputs.Count != 1)
        {
            session.Dispose();
            throw new OcrException($"{path}: {flag}: expected one image input, the model has {session.Inputs.Count} ({string.Join(", ", session.Inputs.Select(i => i.Name))})");
        }

        var x = session.Inputs[0];
        if (x.Shape.Count != 4 || (x.Shape[1] != 3 && x.Shape[1] != -1))
        {
            session.Dispose();
            throw new OcrException($"{path}: {flag}: expected an NCHW image input with 3 channels, the model declares {x.Name} [{string.Join(", ", x.Shape)}]");
        }

        return session;
    }
}
