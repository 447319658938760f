using Google.Protobuf;
using WireTensor = PaddleNet.Serving.Protocols.Pipeline.Wire.Tensor;
using Grpc.Core;
using Grpc.Net.Client;
using PaddleNet.Serving.Protocols.Pipeline.Wire;

namespace PaddleNet.Serving.Tests;

/// <summary>The pipeline gRPC service with Grpc.Net.Client, including the official client's captured request bytes sent as they are.</summary>
[Collection("protocol server")]
public sealed class PipelineGrpcTests
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);
    private readonly TestServer _s;

    public PipelineGrpcTests(ProtocolServerFixture fixture) => _s = fixture.Server;

    private GrpcChannel Channel() => GrpcChannel.ForAddress($"http://127.0.0.1:{_s.Server.GrpcPort}");

    [Fact]
    public async Task CapturedOfficialClientBytes_AreAnswered()
    {
        byte[] captured = SharedData.ReadAllBytes("serving/grpc_pipeline_request.bin");
        Assert.Equal(189_814, captured.Length);
        var parsed = Request.Parser.ParseFrom(captured);
        Assert.Equal(["image"], parsed.Key);
        Assert.Equal("127.0.0.1", parsed.Clientip);
        Assert.Equal("", parsed.Name);

        using var channel = Channel();
        var method = new Method<byte[], Response>(MethodType.Unary, "baidu.paddle_serving.pipeline_serving.PipelineService", "inference", Raw,
            Marshallers.Create<Response>(r => r.ToByteArray(), Response.Parser.ParseFrom));
        var response = await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(), captured);
        Assert.Equal(0, response.ErrNo);
        Assert.Equal(["label", "prob"], response.Key);
        Assert.Equal(2, response.Value.Count);
        Assert.Equal("['Maltese dog Maltese terrier Maltese']", response.Value[0]);
        Assert.Equal("[{prob}]", PaddleTop1.Masked(response.Value[1], "["));
        Assert.Empty(response.Tensors);
    }

    [Fact]
    public async Task GeneratedClient_NamesAndErrors()
    {
        using var channel = Channel();
        var client = new PipelineService.PipelineServiceClient(channel);
        var digits = new Request { Name = "digits" };
        digits.Key.Add("img");
        digits.Value.Add(Convert.ToBase64String(File.ReadAllBytes(Path.Combine(SharedData.RepoRoot, "models/digits/images/0_0036.png"))));
        var ok = await client.inferenceAsync(digits);
        Assert.Equal(0, ok.ErrNo);
        Assert.Equal("['zero']", ok.Value[0]);

        var wrong = await client.inferenceAsync(new Request { Name = "nope" });
        Assert.Equal(3002, wrong.ErrNo);
        Assert.Equal("Failed to inference: Service name error.", wrong.ErrMsg);

        var tensor = new Request { Logid = 7 };
        tensor.Tensors.Add(new WireTensor { Name = "image", ElemType = 12, StrData = { "aGVs", "bG8=" } });
        var notImage = await client.inferenceAsync(tensor);
        Assert.Equal(10000, notImage.ErrNo);
        Assert.Contains("log_id=7", notImage.ErrMsg);
    }

    [Fact]
    public async Task OversizedMessage_IsResourceExhausted_AndServerKeepsServing()
    {
        using var channel = Channel();
        var client = new PipelineService.PipelineServiceClient(channel);
        var huge = new Request();
        huge.Key.Add("image");
        huge.Value.Add(new string('A', 3 * 1024 * 1024));
        var e = await Assert.ThrowsAsync<RpcException>(() => client.inferenceAsync(huge).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        await CapturedOfficialClientBytes_AreAnswered();
    }
}
