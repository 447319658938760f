namespace PaddleNet.Model;

/// <summary>Finds a program's inputs (feed ops by <c>col</c>) and outputs (fetch ops by <c>col</c>).</summary>
internal static class ProgramSignature
{
    public static (IReadOnlyList<TensorInfo> Inputs, IReadOnlyList<TensorInfo> Outputs) Find(Program program, string? source)
    {
        var main = program.Main;
        var inputs = new SortedDictionary<int, TensorInfo>();
        var outputs = new SortedDictionary<int, TensorInfo>();
        foreach (var op in main.Ops)
        {
            if (op.Type == "feed")
            {
                var name = op.Output("Out") ?? throw new ModelFormatException(source, "a feed op has no output", field: "feed.Out");
                int col = op.Attributes.GetInt("col", inputs.Count);
                if (!inputs.TryAdd(col, Describe(main, name, source))) throw new ModelFormatException(source, $"two feed ops use col {col}", field: "feed.col");
            }
            else if (op.Type == "fetch")
            {
                var name = op.Input("X") ?? throw new ModelFormatException(source, "a fetch op has no input", field: "fetch.X");
                int col = op.Attributes.GetInt("col", outputs.Count);
                // PIR fetch ops carry their own output name (fetch_name_0); legacy outputs are named by the fetched var.
                var info = Describe(main, name, source);
                if (op.Attributes.Raw("name") is string display) info = info with { Name = display };
                if (!outputs.TryAdd(col, info)) throw new ModelFormatException(source, $"two fetch ops use col {col}", field: "fetch.col");
            }
        }
        return (inputs.Values.ToArray(), outputs.Values.ToArray());
    }

    private static TensorInfo Describe(Block main, string name, string? source)
    {
        if (!main.Vars.TryGetValue(name, out var v)) throw new ModelFormatException(source, $"variable '{name}' is used but not declared", field: name);
        return new TensorInfo(name, v.DataType ?? DataType.Float32, v.Dims);
    }
}
