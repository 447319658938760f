namespace PaddleNet.Model.Lite;

/// <summary>
/// Repairs variable declarations that Lite programs leave unusable for execution (formats.md §4.6):
/// <list type="bullet">
/// <item>Lite's memory-optimise pass reuses variable names, so a reused name keeps the declaration of one of
/// its tensors: a <c>shape</c> op may write a variable declared float32. Lite's shape kernel always writes
/// int32, so such outputs are re-declared int32.</item>
/// <item>Old naive-buffer programs (meta_version 0, two-file) leave activations' descs blank, the feed variable
/// included: a blank feed read as an NCHW image (conv2d/depthwise_conv2d <c>Input</c>, pool2d <c>X</c>,
/// prior_box/density_prior_box <c>Image</c>) is declared [-1, -1, -1, -1] float32, so callers know its rank.</item>
/// </list>
/// </summary>
internal static class LiteProgramFixups
{
    public static void Apply(Program program)
    {
        foreach (var block in program.Blocks)
        {
            foreach (var op in block.Ops)
            {
                if (op.Type == "shape" && op.Output("Out") is string o && block.Vars.TryGetValue(o, out var v)
                    && v.DataType is not (DataType.Int32 or DataType.Int64))
                {
                    v.DataType = DataType.Int32;
                }
            }
        }
        var main = program.Main;
        foreach (var feed in main.Ops.Where(op => op.Type == "feed"))
        {
            if (feed.Output("Out") is not string name || !main.Vars.TryGetValue(name, out var v) || v.Dims.Length != 0) continue;
            bool image = main.Ops.Any(op =>
                (op.Type is "conv2d" or "depthwise_conv2d" && op.Input("Input") == name)
                || (op.Type == "pool2d" && op.Input("X") == name)
                || (op.Type is "prior_box" or "density_prior_box" && op.Input("Image") == name));
            if (!image) continue;
            v.Dims = [-1, -1, -1, -1];
            v.DataType ??= DataType.Float32;
        }
    }
}
