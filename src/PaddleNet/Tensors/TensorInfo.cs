namespace PaddleNet;

/// <summary>Name, element type and shape of a model input or output (-1 = dynamic).</summary>
public sealed record TensorInfo(string Name, DataType DataType, IReadOnlyList<long> Shape)
{
    /// <summary><c>name: type[shape]</c>.</summary>
    public override string ToString() => $"{Name}: {DataType.Name()}[{string.Join(", ", Shape)}]";
}
