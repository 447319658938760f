using Microsoft.Extensions.Logging;
using PaddleNet.Pipeline.Config;
using PaddleNet.Serving.Models;
using PaddleNet.Serving.Protocols.Pipeline.Wire;

namespace PaddleNet.Serving.Protocols.Pipeline;

/// <summary>
/// Paddle Serving 0.9.0's pipeline server behind both transports (gRPC and the HTTP gateway), with PaddleClas's
/// classification op: every distinct key is one base64 image (duplicate keys: the last value wins, dict order),
/// the answer is <c>{"label": str(list), "prob": str(list)}</c> with the first maximum of each row, labels with
/// commas removed. Pipeline errors are answered in <c>err_no</c>/<c>err_msg</c>; overload and shutdown are thrown
/// (<see cref="QueueFullException"/>, <see cref="ServerClosingException"/>) for the transport to map.
/// </summary>
public sealed class PipelineInference
{
    private readonly ModelRegistry _registry;
    private readonly ILogger<PipelineInference> _logger;
    private long _dataId;

    /// <summary>Answers pipeline requests with the models of <paramref name="registry"/>.</summary>
    public PipelineInference(ModelRegistry registry, ILogger<PipelineInference> logger)
    {
        _registry = registry;
        _logger = logger;
    }

    /// <summary>Runs <paramref name="request"/> on the model it names; bad input and timeouts come back as Paddle Serving's error codes, not as exceptions.</summary>
    public async Task<Response> InferAsync(Request request, CancellationToken cancellationToken)
    {
        long dataId = Interlocked.Increment(ref _dataId) - 1;
        IServedModel? model = request.Name.Length == 0 ? _registry.Default : _registry.TryGet(request.Name, out var m) ? m : null;
        if (model is null && request.Name == Models.Ocr.OcrFactory.PipelineName) model = _registry.Models.FirstOrDefault(x => x is IOcrModel);
        if (model is IOcrModel ocr) return await OcrAsync(ocr, request, dataId, cancellationToken).ConfigureAwait(false);
        if (model is not IClassifierModel classifier)
        {
            _logger.LogInformation("pipeline request for unknown service '{Name}'", request.Name);
            return Error(PipelineErrorCodes.NoService, "Failed to inference: Service name error.");
        }
        string prefix = $"(data_id={dataId} log_id={request.Logid}) [{classifier.Name}|0]";
        var images = new List<byte[]>();
        try
        {
            var feed = Feed(request);
            if (feed.Count == 0) throw new FormatException("need at least one array to concatenate");
            foreach (var (_, value) in feed) images.Add(PythonBase64.Decode(value));
        }
        catch (FormatException e)
        {
            _logger.LogInformation("{Prefix} bad input: {Message}", prefix, e.Message);
            return Error(PipelineErrorCodes.Unknow, $"{prefix} Failed to preprocess: {e.Message}");
        }
        try
        {
            var results = await classifier.ClassifyAsync(images, cancellationToken).ConfigureAwait(false);
            var response = new Response { ErrNo = PipelineErrorCodes.Ok, ErrMsg = "" };
            response.Key.Add("label");
            response.Key.Add("prob");
            response.Value.Add("[" + string.Join(", ", results.Select(r => PyRepr.String(Label(r)))) + "]");
            response.Value.Add("[" + string.Join(", ", results.Select(r => PyRepr.Float(r.BestScore))) + "]");
            return response;
        }
        catch (InvalidInputException e)
        {
            _logger.LogInformation("{Prefix} bad input: {Message}", prefix, e.Message);
            string why = e.InnerException is PaddleNet.Imaging.ImageDecodeException ? "'NoneType' object has no attribute 'shape'" : e.Message;
            return Error(PipelineErrorCodes.Unknow, $"{prefix} Failed to preprocess: {why}");
        }
        catch (RequestTimeoutException e)
        {
            _logger.LogWarning("{Prefix} {Message}", prefix, e.Message);
            return Error(PipelineErrorCodes.Timeout, $"{prefix} Failed to process: timeout");
        }
    }

    /// <summary>
    /// PaddleOCR's <c>deploy/pdserving/web_service.py</c>: each feed value is a base64 image; the answer is
    /// <c>{"result": str(result_list)}</c> with <c>[(text, score), box]</c> per line scoring at least 0.5.
    /// </summary>
    private async Task<Response> OcrAsync(IOcrModel ocr, Request request, long dataId, CancellationToken cancellationToken)
    {
        string prefix = $"(data_id={dataId} log_id={request.Logid}) [{ocr.Name}|0]";
        var images = new List<byte[]>();
        try
        {
            var feed = Feed(request);
            if (feed.Count == 0) throw new FormatException("need at least one array to concatenate");
            foreach (var (_, value) in feed) images.Add(PythonBase64.Decode(value));
            var results = await ocr.ReadAsync(images, cancellationToken).ConfigureAwait(false);
            var lines = results.SelectMany(r => r.Lines).Where(l => l.Score >= 0.5f && l.Text is not null && l.Box is not null).Select(l =>
                "[(" + PyRepr.String(l.Text!) + ", " + NumpyFloat32(l.Score) + "), [" +
                string.Join(", ", Enumerable.Range(0, 4).Select(i => "[" + PyRepr.Float(l.Box![2 * i]) + ", " + PyRepr.Float(l.Box[2 * i + 1]) + "]")) + "]]");
            var response = new Response { ErrNo = PipelineErrorCodes.Ok, ErrMsg = "" };
            response.Key.Add("result");
            response.Value.Add("[" + string.Join(", ", lines) + "]");
            return response;
        }
        catch (Exception e) when (e is FormatException or InvalidInputException)
        {
            _logger.LogInformation("{Prefix} bad input: {Message}", prefix, e.Message);
            string why = e.InnerException is PaddleNet.Imaging.ImageDecodeException ? "'NoneType' object has no attribute 'shape'" : e.Message;
            return Error(PipelineErrorCodes.Unknow, $"{prefix} Failed to preprocess: {why}");
        }
        catch (RequestTimeoutException e)
        {
            _logger.LogWarning("{Prefix} {Message}", prefix, e.Message);
            return Error(PipelineErrorCodes.Timeout, $"{prefix} Failed to process: timeout");
        }
    }

    // str() of a numpy float32 scalar: its shortest round-trip digits (what .NET prints for a float), as a Python float repr.
    private static string NumpyFloat32(float f) =>
        PyRepr.Float(double.Parse(f.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture));

    // dict(zip(key, value)) plus string tensors (name → the concatenated str_data); other tensors are not images.
    private static List<KeyValuePair<string, string>> Feed(Request request)
    {
        var order = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Put(string k, string v)
        {
            if (!values.ContainsKey(k)) order.Add(k);
            values[k] = v;
        }
        for (int i = 0; i < request.Key.Count; i++)
        {
            if (i >= request.Value.Count) break;
            Put(request.Key[i], request.Value[i]);
        }
        foreach (var t in request.Tensors)
        {
            if (t.ElemType != 12) throw new FormatException($"tensor '{t.Name}' (elem_type {t.ElemType}) is not a base64 image string");
            Put(t.Name, string.Concat(t.StrData));
        }
        return order.Select(k => new KeyValuePair<string, string>(k, values[k])).ToList();
    }

    private static string Label(ClassifiedImage r) => (r.BestLabel ?? r.BestId.ToString(System.Globalization.CultureInfo.InvariantCulture)).Trim().Replace(",", "", StringComparison.Ordinal);

    private static Response Error(int code, string message) => new() { ErrNo = code, ErrMsg = message };
}
