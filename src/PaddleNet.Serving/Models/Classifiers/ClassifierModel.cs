using Microsoft.Extensions.Logging;
using PaddleNet.Imaging;
using PaddleNet.Pipeline;
using PaddleNet.Pipeline.Config;
using PaddleNet.Pipeline.Preprocess;
using PaddleNet.Serving.Batching;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Models.Classifiers;

/// <summary>
/// A PaddleClas classifier (<see cref="ImageClassifier"/>: the config's preprocess and the model) behind a
/// <see cref="BatchScheduler{TIn,TOut}"/>. Images are decoded and preprocessed on the requests' threads (in
/// parallel), the worker only stacks the samples and runs the batch in one forward pass, and the Topk postprocess
/// runs back on the request's thread. Preprocessed tensors (PaddleHub clas_system) skip the preprocess.
/// </summary>
internal sealed class ClassifierModel : IClassifierModel
{
    private readonly ImageClassifier _classifier;
    private readonly TopkLabels _topk;
    private readonly BatchScheduler<ClassifierInput, float[]> _scheduler;
    private readonly ILogger _logger;
    private readonly ImageDecodeOptions _decode;
    private readonly ThreadLocal<Dictionary<string, Tensor>> _batchTensors = new(() => new Dictionary<string, Tensor>(StringComparer.Ordinal));

    public ClassifierModel(ModelConfig config, ServingServices services)
    {
        Config = config;
        _decode = services.Decode;
        _logger = services.LoggerFactory.CreateLogger($"PaddleNet.Serving.Model.{config.Name}");
        ClsConfig cls = ClassifierConfigReader.Read(config);
        _topk = new TopkLabels(cls, config.Name);
        try
        {
            _classifier = ImageClassifier.Create(cls, new ImageClassifierOptions { Threads = config.Threads });
        }
        catch (Exception e) when (e is PaddleNetException or IOException or UnauthorizedAccessException)
        {
            throw new ServingConfigException($"model '{config.Name}': cannot load {cls.ModelDirectory}: {e.Message}", e);
        }
        _scheduler = new BatchScheduler<ClassifierInput, float[]>(
            config.Name, config.Batching, config.Limits, config.Concurrency, Run, services.Metrics, _logger);
        services.Metrics.TrackQueue(config.Name, () => _scheduler.Depth);
        services.Metrics.TrackRunning(config.Name, () => _scheduler.Running);
    }

    public string Name => Config.Name;

    public string Kind => ClassifierFactory.KindName;

    public ModelConfig Config { get; }

    public int QueueDepth => _scheduler.Depth;

    /// <summary>Classes reported by default (the config's Topk.topk).</summary>
    public int DefaultTopK => _topk.TopK;

    public async Task<IReadOnlyList<ClassifiedImage>> ClassifyAsync(IReadOnlyList<byte[]> encodedImages, CancellationToken cancellationToken)
    {
        CheckCount(encodedImages.Count);
        _scheduler.ThrowIfRefused(encodedImages.Count);
        var inputs = new ClassifierInput[encodedImages.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            // The decoded pixels live only until preprocessed: one image at a time, not the whole request.
            Image image = RequestImage.Decode(encodedImages[i], i, _decode);
            try
            {
                inputs[i] = new ClassifierInput(_classifier.Preprocess(image));
            }
            catch (PaddleNetException e)
            {
                throw new InvalidInputException($"image {i}: {e.Message}", e);
            }
        }
        return Results(await _scheduler.SubmitAsync(inputs, cancellationToken).ConfigureAwait(false));
    }

    public async Task<IReadOnlyList<ClassifiedImage>> ClassifyTensorAsync(float[] data, int[] shape, CancellationToken cancellationToken)
    {
        if (shape.Length != 4 || shape.Any(d => d <= 0)) throw new InvalidInputException($"shape [{string.Join(", ", shape)}] is not N×C×H×W with positive sizes");
        long per = (long)shape[1] * shape[2] * shape[3];
        if (per * shape[0] != data.Length) throw new InvalidInputException($"shape [{string.Join(", ", shape)}] needs {per * shape[0]} floats, got {data.Length}");
        CheckCount(shape[0]);
        var expected = _classifier.Session.Inputs[0].Shape;
        for (int d = 1; d < 4 && d < expected.Count; d++)
        {
            if (expected[d] > 0 && expected[d] != shape[d]) throw new InvalidInputException($"shape [{string.Join(", ", shape)}] does not fit the model input [{string.Join(", ", expected)}]");
        }
        var chw = shape[1..];
        var inputs = Enumerable.Range(0, shape[0]).Select(n => ClassifierInput.FromSample(data.AsSpan((int)(n * per), (int)per).ToArray(), chw)).ToArray();
        return Results(await _scheduler.SubmitAsync(inputs, cancellationToken).ConfigureAwait(false));
    }

    public PaddleNet.Pipeline.Classification Rank(ClassifiedImage image, int topK) => _topk.Apply(image.Scores, topK);

    public void Close() => _scheduler.Close();

    public async ValueTask DisposeAsync()
    {
        await _scheduler.DisposeAsync().ConfigureAwait(false);
        _classifier.Dispose();
        _batchTensors.Dispose();
    }

    private void CheckCount(int count)
    {
        if (count == 0) throw new InvalidInputException("no image in the request");
        if (count > Config.Limits.MaxImagesPerRequest) throw new InvalidInputException($"{count} images in one request; the limit is {Config.Limits.MaxImagesPerRequest}");
    }

    // The worker's part: stack the preprocessed samples (normally one shape: one tensor, one forward pass) and split
    // output 0 into rows. Decoding, preprocessing and the Topk postprocess run on the requests' threads.
    private IReadOnlyList<float[]> Run(IReadOnlyList<ClassifierInput> inputs, CancellationToken abandoned)
    {
        var results = new float[inputs.Count][];
        string key = inputs[0].StackKey;
        bool oneShape = true;
        for (int i = 1; i < inputs.Count && oneShape; i++) oneShape = inputs[i].StackKey == key;
        if (oneShape)
        {
            RunStacked(inputs, Enumerable.Range(0, inputs.Count).ToArray(), results, abandoned);
            return results;
        }
        _logger.LogDebug("model {Model}: batch of {Count} has several input shapes; one pass per shape", Name, inputs.Count);
        foreach (var group in Enumerable.Range(0, inputs.Count).GroupBy(i => inputs[i].StackKey)) RunStacked(inputs, group.ToArray(), results, abandoned);
        return results;
    }

    private void RunStacked(IReadOnlyList<ClassifierInput> inputs, int[] slots, float[][] results, CancellationToken abandoned)
    {
        var batch = Stack(inputs, slots);
        var session = _classifier.Session;
        var output = session.Run(new Dictionary<string, Tensor>(1) { [session.Inputs[0].Name] = batch }, new RunOptions { CancellationToken = abandoned })[0];
        if (output.DataType != DataType.Float32) throw new PaddleNetException($"output 0 is {output}, expected float32");
        var values = output.AsSpan<float>();
        if (values.Length % slots.Length != 0) throw new PaddleNetException($"output 0 {output} does not split into {slots.Length} rows");
        int width = values.Length / slots.Length;
        for (int k = 0; k < slots.Length; k++) results[slots[k]] = values.Slice(k * width, width).ToArray();
    }

    // Copies the samples into this worker thread's batch tensor of that shape (made once, reused for every batch of
    // the same size: no large per-batch allocations, one copy per sample).
    private Tensor Stack(IReadOnlyList<ClassifierInput> inputs, int[] slots)
    {
        var first = inputs[slots[0]].Sample;
        int[] shape = [slots.Length, .. first.Shape];
        string key = slots.Length + "x" + first.Describe();
        var cache = _batchTensors.Value!;
        if (!cache.TryGetValue(key, out var tensor))
        {
            if (cache.Count >= 8) cache.Clear();
            tensor = new Tensor(first.Type switch { ArrayType.Float32 => DataType.Float32, ArrayType.Float16 => DataType.Float16, _ => DataType.UInt8 }, shape);
            cache[key] = tensor;
        }
        int n = first.Length;
        for (int k = 0; k < slots.Length; k++)
        {
            var sample = inputs[slots[k]].Sample;
            switch (first.Type)
            {
                case ArrayType.Float32: sample.Floats.AsSpan().CopyTo(tensor.AsSpan<float>().Slice(k * n, n)); break;
                case ArrayType.Float16: sample.Halves.AsSpan().CopyTo(tensor.AsSpan<Half>().Slice(k * n, n)); break;
                default: sample.Bytes.AsSpan().CopyTo(tensor.AsSpan<byte>().Slice(k * n, n)); break;
            }
        }
        return tensor;
    }

    private ClassifiedImage[] Results(float[][] rows) => Array.ConvertAll(rows, Result);

    private ClassifiedImage Result(float[] row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++)
        {
            if (row[i] > row[best]) best = i;
        }
        return new ClassifiedImage(_topk.Apply(row), best, row.Length > 0 ? row[best] : float.NaN, _topk.Label(best), row);
    }
}
