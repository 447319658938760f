using System.Text.Json;
using PaddleNet.Serving.Models;
using PaddleNet.Serving.Protocols.Pipeline;

namespace PaddleNet.Serving.Protocols.Hub;

/// <summary>
/// A parsed <c>/predict/&lt;module&gt;</c> body. PaddleHub passes every top-level key as a keyword argument of the
/// module's serving method, so the allowed keys depend on the form: the generic CV form
/// <c>serving_method(images: list[str], top_k=1)</c>, or PaddleClas <c>clas_system</c>'s
/// <c>serving_method(images: str, revert_params: dict)</c> with a base64 float32 N×C×H×W batch. Mistakes raise
/// <see cref="InvalidInputException"/> with Python's wording (status 101).
/// </summary>
internal sealed class HubRequest
{
    private HubRequest(IReadOnlyList<byte[]>? images, int topK, float[]? tensor, int[]? shape)
    {
        Images = images;
        TopK = topK;
        Tensor = tensor;
        Shape = shape;
    }

    public IReadOnlyList<byte[]>? Images { get; }

    public int TopK { get; }

    public float[]? Tensor { get; }

    public int[]? Shape { get; }

    public static HubRequest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidInputException($"serving_method() argument after ** must be a mapping, not {PyType(root)}");
        var args = root.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        if (!args.TryGetValue("images", out var images))
        {
            Unexpected(args, "top_k", "revert_params");
            throw new InvalidInputException("serving_method() missing 1 required positional argument: 'images'");
        }
        return images.ValueKind == JsonValueKind.String ? ClasSystem(args, images.GetString()!) : Generic(args, images);
    }

    private static HubRequest Generic(Dictionary<string, JsonElement> args, JsonElement images)
    {
        Unexpected(args, "images", "top_k");
        if (images.ValueKind != JsonValueKind.Array) throw new InvalidInputException($"images must be a list of base64 strings, not {PyType(images)}");
        var decoded = new List<byte[]>();
        foreach (var item in images.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw new InvalidInputException($"a bytes-like object is required, not '{PyType(item)}'");
            decoded.Add(DecodeString(item));
        }
        int topK = 1;
        if (args.TryGetValue("top_k", out var k) && (k.ValueKind != JsonValueKind.Number || !k.TryGetInt32(out topK) || topK < 1))
        {
            throw new InvalidInputException("top_k must be a positive int");
        }
        return new HubRequest(decoded, topK, null, null);
    }

    // The JSON string's raw UTF-8 bytes decoded straight into the image's array (no UTF-16 string of the base64);
    // a string with escapes (rare in base64: "\/") is unescaped by GetString first.
    private static byte[] DecodeString(JsonElement item)
    {
        ReadOnlySpan<byte> raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(item);
        if (raw.Length >= 2 && raw[0] == (byte)'"') raw = raw[1..^1]; // the quotes
        return raw.IndexOf((byte)'\\') < 0 ? PythonBase64.Decode(raw) : PythonBase64.Decode(item.GetString()!);
    }

    private static HubRequest ClasSystem(Dictionary<string, JsonElement> args, string images)
    {
        Unexpected(args, "images", "revert_params");
        if (!args.TryGetValue("revert_params", out var revert)) throw new InvalidInputException("serving_method() missing 1 required positional argument: 'revert_params'");
        if (revert.ValueKind != JsonValueKind.Object || !revert.TryGetProperty("shape", out var shapeNode) || shapeNode.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidInputException("'shape'");
        }
        string dtype = revert.TryGetProperty("dtype", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "float32";
        if (dtype != "float32") throw new InvalidInputException($"dtype {dtype} is not supported (the model takes float32)");
        var shape = shapeNode.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) ? v : throw new InvalidInputException("'shape' must be a list of ints")).ToArray();
        byte[] bytes = PythonBase64.Decode(images);
        if (bytes.Length % 4 != 0) throw new InvalidInputException("buffer size must be a multiple of element size");
        var floats = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, floats, 0, bytes.Length);
        long want = shape.Aggregate(1L, (a, b) => a * b);
        if (shape.Length == 0 || want != floats.Length) throw new InvalidInputException($"cannot reshape array of size {floats.Length} into shape ({string.Join(", ", shape)}{(shape.Length == 1 ? "," : "")})");
        return new HubRequest(null, 0, floats, shape);
    }

    private static void Unexpected(Dictionary<string, JsonElement> args, params string[] allowed)
    {
        foreach (var key in args.Keys)
        {
            if (!allowed.Contains(key)) throw new InvalidInputException($"serving_method() got an unexpected keyword argument '{key}'");
        }
    }

    private static string PyType(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "list",
        JsonValueKind.Object => "dict",
        JsonValueKind.String => "str",
        JsonValueKind.Number => e.TryGetInt64(out _) ? "int" : "float",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "NoneType",
    };
}
