using Grpc.Core;
using Microsoft.Extensions.Logging;
using PaddleNet.Serving.Metrics;
using PaddleNet.Serving.Models;
using PaddleNet.Serving.Protocols.Pipeline.Wire;

namespace PaddleNet.Serving.Protocols.Pipeline;

/// <summary>
/// <c>/baidu.paddle_serving.pipeline_serving.PipelineService/inference</c>. Pipeline errors travel in
/// <c>err_no</c>; a full queue is RESOURCE_EXHAUSTED and shutdown UNAVAILABLE, both with a <c>retry-after</c> trailer.
/// </summary>
internal sealed class PipelineGrpcService : PipelineService.PipelineServiceBase
{
    private readonly PipelineInference _inference;
    private readonly ServingMetrics _metrics;

    private readonly string _defaultModel;
    private readonly ILogger<PipelineGrpcService> _logger;

    public PipelineGrpcService(PipelineInference inference, ServingMetrics metrics, ModelRegistry registry, ILogger<PipelineGrpcService> logger)
    {
        _logger = logger;
        _inference = inference;
        _metrics = metrics;
        _defaultModel = registry.Default.Name;
    }

    public override async Task<Response> inference(Request request, ServerCallContext context)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string model = request.Name.Length == 0 ? _defaultModel : request.Name;
        try
        {
            var response = await _inference.InferAsync(request, context.CancellationToken).ConfigureAwait(false);
            _metrics.ObserveRequest("pipeline_grpc", model, response.ErrNo == 0 ? "ok" : "err_" + response.ErrNo, clock.Elapsed);
            return response;
        }
        catch (QueueFullException e)
        {
            _metrics.ObserveRequest("pipeline_grpc", model, "busy", clock.Elapsed);
            context.ResponseTrailers.Add("retry-after", ((int)e.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
            throw new RpcException(new Status(StatusCode.ResourceExhausted, e.Message));
        }
        catch (ServerClosingException e)
        {
            _metrics.ObserveRequest("pipeline_grpc", model, "closing", clock.Elapsed);
            context.ResponseTrailers.Add("retry-after", "1");
            throw new RpcException(new Status(StatusCode.Unavailable, e.Message));
        }
        catch (Exception e) when (e is not (RpcException or OperationCanceledException))
        {
            _metrics.ObserveRequest("pipeline_grpc", model, "internal", clock.Elapsed);
            _logger.LogError(e, "pipeline gRPC request for {Model} failed", model);
            throw new RpcException(new Status(StatusCode.Internal, "internal error (see the server log)"));
        }
    }
}
