using System.Globalization;
using System.Text;
using Google.Protobuf;
using PaddleNet.Serving.Protocols.Pipeline.Wire;

namespace PaddleNet.Serving.Protocols.Pipeline;

/// <summary>
/// The JSON of the Paddle Serving 0.9.0 HTTP gateway (grpc-gateway v1.16.0, <c>JSONPb{OrigName, EmitDefaults}</c>):
/// compact, no trailing newline, every field in field-number order, repeated fields as <c>[]</c>, int64 as
/// strings, empty bytes as <c>null</c>. Requests are read leniently, as the gateway does (snake_case or
/// camelCase names, unknown fields ignored, int64 as string or number, an empty body is an empty Request).
/// </summary>
internal static class PipelineJson
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>Parses a request body; <see cref="InvalidProtocolBufferException"/> or <see cref="FormatException"/> when it is not a Request.</summary>
    public static Request ParseRequest(ReadOnlySpan<byte> body)
    {
        if (body.Trim(" \t\r\n"u8).IsEmpty) return new Request();
        return Parser.Parse<Request>(Encoding.UTF8.GetString(body));
    }

    public static string Render(Response response)
    {
        var sb = new StringBuilder(256);
        sb.Append("{\"err_no\":").Append(response.ErrNo.ToString(CultureInfo.InvariantCulture));
        sb.Append(",\"err_msg\":");
        GoJson.String(sb, response.ErrMsg);
        sb.Append(",\"key\":");
        Strings(sb, response.Key);
        sb.Append(",\"value\":");
        Strings(sb, response.Value);
        sb.Append(",\"tensors\":[");
        for (int i = 0; i < response.Tensors.Count; i++)
        {
            if (i > 0) sb.Append(',');
            Tensor(sb, response.Tensors[i]);
        }
        return sb.Append("]}").ToString();
    }

    /// <summary>grpc-gateway's error body: <c>{"error":M,"code":C,"message":M,"details":[]}</c>.</summary>
    public static string RenderGatewayError(int grpcCode, string message)
    {
        var sb = new StringBuilder();
        sb.Append("{\"error\":");
        GoJson.String(sb, message);
        sb.Append(",\"code\":").Append(grpcCode.ToString(CultureInfo.InvariantCulture)).Append(",\"message\":");
        GoJson.String(sb, message);
        return sb.Append(",\"details\":[]}").ToString();
    }

    private static void Tensor(StringBuilder sb, Wire.Tensor t)
    {
        sb.Append("{\"int64_data\":");
        List(sb, t.Int64Data, v => "\"" + v.ToString(CultureInfo.InvariantCulture) + "\"");
        sb.Append(",\"float_data\":");
        List(sb, t.FloatData, GoJson.Float32);
        sb.Append(",\"int_data\":");
        List(sb, t.IntData, v => v.ToString(CultureInfo.InvariantCulture));
        sb.Append(",\"float64_data\":");
        List(sb, t.Float64Data, GoJson.Float64);
        sb.Append(",\"uint32_data\":");
        List(sb, t.Uint32Data, v => v.ToString(CultureInfo.InvariantCulture));
        sb.Append(",\"bool_data\":");
        List(sb, t.BoolData, v => v ? "true" : "false");
        sb.Append(",\"complex64_data\":");
        List(sb, t.Complex64Data, GoJson.Float32);
        sb.Append(",\"complex128_data\":");
        List(sb, t.Complex128Data, GoJson.Float64);
        sb.Append(",\"str_data\":");
        Strings(sb, t.StrData);
        sb.Append(",\"byte_data\":").Append(t.ByteData.IsEmpty ? "null" : "\"" + t.ByteData.ToBase64() + "\"");
        sb.Append(",\"elem_type\":").Append(t.ElemType.ToString(CultureInfo.InvariantCulture));
        sb.Append(",\"shape\":");
        List(sb, t.Shape, v => v.ToString(CultureInfo.InvariantCulture));
        sb.Append(",\"lod\":");
        List(sb, t.Lod, v => v.ToString(CultureInfo.InvariantCulture));
        sb.Append(",\"name\":");
        GoJson.String(sb, t.Name);
        sb.Append('}');
    }

    private static void Strings(StringBuilder sb, IEnumerable<string> values)
    {
        sb.Append('[');
        bool first = true;
        foreach (var v in values)
        {
            if (!first) sb.Append(',');
            first = false;
            GoJson.String(sb, v);
        }
        sb.Append(']');
    }

    private static void List<T>(StringBuilder sb, IEnumerable<T> values, Func<T, string> format)
    {
        sb.Append('[').Append(string.Join(',', values.Select(format))).Append(']');
    }
}
