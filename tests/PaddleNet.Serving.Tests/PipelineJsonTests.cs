using WireTensor = PaddleNet.Serving.Protocols.Pipeline.Wire.Tensor;
using Google.Protobuf;
using PaddleNet.Serving.Protocols.Pipeline;
using PaddleNet.Serving.Protocols.Pipeline.Wire;

namespace PaddleNet.Serving.Tests;

/// <summary>The gateway's JSON rendering, byte for byte against the captured tensor example.</summary>
public sealed class PipelineJsonTests
{
    [Fact]
    public void TensorsExample_RendersByteForByte()
    {
        var response = new Response { ErrNo = 0, ErrMsg = "" };
        response.Key.Add(["label", "html", "uni"]);
        response.Value.Add(["['daisy']", "<a>&b", "雏菊 é"]);
        var t = new WireTensor { ElemType = 0, Name = "t" };
        t.Int64Data.Add([1, -2, 9007199254740993]);
        t.Shape.Add(3);
        var f = new WireTensor { ElemType = 1, Name = "f" };
        f.FloatData.Add([0.5f, 1f, 0.1f]);
        f.Shape.Add([1, 3]);
        f.Lod.Add([0, 1]);
        var b = new WireTensor { ElemType = 13, Name = "b", ByteData = ByteString.CopyFrom(0x00, 0x01, 0xFF) };
        response.Tensors.Add([t, f, b]);
        Assert.Equal(File.ReadAllText(SharedData.PathOf("serving/http_pipeline_response_tensors_example.json")), PipelineJson.Render(response));
    }

    [Fact]
    public void SuccessAndErrorExamples_RenderByteForByte()
    {
        var ok = new Response();
        ok.Key.Add(["label", "prob"]);
        ok.Value.Add(["['daisy']", "[0.9341402053833008]"]);
        Assert.Equal(File.ReadAllText(SharedData.PathOf("serving/http_pipeline_response_example.json")), PipelineJson.Render(ok));
        var error = new Response { ErrNo = 3002, ErrMsg = "Failed to inference: Service name error." };
        Assert.Equal(File.ReadAllText(SharedData.PathOf("serving/http_pipeline_response_error_example.json")), PipelineJson.Render(error));
    }

    [Theory]
    [InlineData(1e-7f, "1e-7")]
    [InlineData(1.5e21f, "1.5e+21")]
    [InlineData(123456.7f, "123456.7")]
    [InlineData(-0.25f, "-0.25")]
    [InlineData(float.NaN, "\"NaN\"")]
    [InlineData(float.NegativeInfinity, "\"-Infinity\"")]
    public void Float32_AsGoEncodingJson(float value, string expected) => Assert.Equal(expected, GoJson.Float32(value));

    [Fact]
    public void RequestJson_IsReadLikeTheGateway()
    {
        var r = PipelineJson.ParseRequest("{\"key\":[\"a\"],\"value\":[\"v\"],\"logid\":\"12\",\"unknown\":[1,{\"x\":2}],\"tensors\":[{\"int64_data\":[\"5\",6],\"float_data\":[\"NaN\"],\"byte_data\":\"AAH/\"}]}"u8);
        Assert.Equal(12, r.Logid);
        Assert.Equal([5L, 6L], r.Tensors[0].Int64Data);
        Assert.True(float.IsNaN(r.Tensors[0].FloatData[0]));
        Assert.Equal([0, 1, 255], r.Tensors[0].ByteData.ToByteArray().Select(x => (int)x));
        Assert.Equal(new Request(), PipelineJson.ParseRequest(""u8));
        Assert.Equal(13, PipelineJson.ParseRequest("{\"logid\":13}"u8).Logid);
    }

    [Fact]
    public void CapturedGatewayForward_ParsesToNameAndMethod()
    {
        var r = Request.Parser.ParseFrom(SharedData.ReadAllBytes("serving/grpc_gateway_forwarded_request.bin"));
        Assert.Equal("imagenet", r.Name);
        Assert.Equal("prediction", r.Method);
        Assert.Equal(["image"], r.Key);
        Assert.Equal(["aGVsbG8="], r.Value);
        Assert.Equal("", r.Clientip);
    }
}
