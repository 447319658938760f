using Microsoft.Extensions.Logging;
using PaddleNet.Imaging;
using PaddleNet.Pipeline;
using PaddleNet.Pipeline.Config;
using PaddleNet.Serving.Batching;
using PaddleNet.Serving.Config;
using PaddleNet.Serving.Hosting;

namespace PaddleNet.Serving.Models.Classifiers;

/// <summary>
/// A PaddleClas classifier (<see cref="ImageClassifier"/>: the config's preprocess and the model) behind a
/// <see cref="BatchScheduler{TIn,TOut}"/>. Images are decoded on the request's thread; the worker preprocesses and
/// runs the batch in one forward pass. Preprocessed tensors (PaddleHub clas_system) run on a second session of the
/// same model, created on first use.
/// </summary>
internal sealed class ClassifierModel : IClassifierModel
{
    private readonly ImageClassifier _classifier;
    private readonly TopkLabels _topk;
    private readonly Lazy<InferenceSession> _tensorSession;
    private readonly BatchScheduler<ClassifierInput, ClassifiedImage> _scheduler;
    private readonly ILogger _logger;

    public ClassifierModel(ModelConfig config, ServingServices services)
    {
        Config = config;
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
        _tensorSession = new Lazy<InferenceSession>(
            () => new InferenceSession(PaddleModel.Load(cls.ModelDirectory), new SessionOptions { IntraOpThreads = config.Threads }),
            LazyThreadSafetyMode.ExecutionAndPublication);
        _scheduler = new BatchScheduler<ClassifierInput, ClassifiedImage>(
            config.Name, config.Batching, config.Limits, config.Concurrency, Run, services.Metrics, _logger);
        services.Metrics.TrackQueue(config.Name, () => _scheduler.Depth);
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
        var inputs = new ClassifierInput[encodedImages.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            try
            {
                inputs[i] = ClassifierInput.FromImage(Image.Decode(encodedImages[i]));
            }
            catch (ImageDecodeException e)
            {
                throw new InvalidInputException($"image {i}: not a decodable image ({encodedImages[i].Length} bytes)", e);
            }
        }
        return await _scheduler.SubmitAsync(inputs, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ClassifiedImage>> ClassifyTensorAsync(float[] data, int[] shape, CancellationToken cancellationToken)
    {
        if (shape.Length != 4 || shape.Any(d => d <= 0)) throw new InvalidInputException($"shape [{string.Join(", ", shape)}] is not N×C×H×W with positive sizes");
        long per = (long)shape[1] * shape[2] * shape[3];
        if (per * shape[0] != data.Length) throw new InvalidInputException($"shape [{string.Join(", ", shape)}] needs {per * shape[0]} floats, got {data.Length}");
        CheckCount(shape[0]);
        var expected = _tensorSession.Value.Inputs[0].Shape;
        for (int d = 1; d < 4 && d < expected.Count; d++)
        {
            if (expected[d] > 0 && expected[d] != shape[d]) throw new InvalidInputException($"shape [{string.Join(", ", shape)}] does not fit the model input [{string.Join(", ", expected)}]");
        }
        var chw = shape[1..];
        var inputs = Enumerable.Range(0, shape[0]).Select(n => ClassifierInput.FromSample(data.AsSpan((int)(n * per), (int)per).ToArray(), chw)).ToArray();
        return await _scheduler.SubmitAsync(inputs, cancellationToken).ConfigureAwait(false);
    }

    public PaddleNet.Pipeline.Classification Rank(ClassifiedImage image, int topK) => _topk.Apply(image.Scores, topK);

    public void Close() => _scheduler.Close();

    public async ValueTask DisposeAsync()
    {
        await _scheduler.DisposeAsync().ConfigureAwait(false);
        _classifier.Dispose();
        if (_tensorSession.IsValueCreated) _tensorSession.Value.Dispose();
    }

    private void CheckCount(int count)
    {
        if (count == 0) throw new InvalidInputException("no image in the request");
        if (count > Config.Limits.MaxImagesPerRequest) throw new InvalidInputException($"{count} images in one request; the limit is {Config.Limits.MaxImagesPerRequest}");
    }

    private IReadOnlyList<ClassifiedImage> Run(IReadOnlyList<ClassifierInput> inputs)
    {
        var results = new ClassifiedImage[inputs.Count];
        var imageSlots = Enumerable.Range(0, inputs.Count).Where(i => inputs[i].Image is not null).ToArray();
        if (imageSlots.Length > 0)
        {
            var rows = PredictImages(imageSlots.Select(i => inputs[i].Image!).ToArray());
            for (int k = 0; k < imageSlots.Length; k++) results[imageSlots[k]] = Result(rows[k]);
        }
        foreach (var group in Enumerable.Range(0, inputs.Count).Where(i => inputs[i].Sample is not null).GroupBy(i => string.Join('x', inputs[i].SampleShape!)))
        {
            var slots = group.ToArray();
            var chw = inputs[slots[0]].SampleShape!;
            var stacked = slots.SelectMany(i => inputs[i].Sample!).ToArray();
            var session = _tensorSession.Value;
            var output = session.Run(new Dictionary<string, Tensor> { [session.Inputs[0].Name] = Tensor.FromSpan<float>(stacked, [slots.Length, .. chw]) })[0];
            var values = output.AsSpan<float>();
            int width = values.Length / slots.Length;
            for (int k = 0; k < slots.Length; k++) results[slots[k]] = Result(values.Slice(k * width, width).ToArray());
        }
        return results;
    }

    // One forward pass; a config without a crop can preprocess images of different sizes to different shapes, which do not stack: run those one by one.
    private float[][] PredictImages(Image[] images)
    {
        try
        {
            return _classifier.Predict(images);
        }
        catch (PaddleNetException) when (images.Length > 1)
        {
            _logger.LogDebug("model {Model}: batch of {Count} did not stack; running images one by one", Name, images.Length);
            return images.Select(i => _classifier.Predict([i])[0]).ToArray();
        }
    }

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
