using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace PaddleNet.Cli.Commands;

/// <summary><c>paddlenet inspect MODEL [--json]</c>: format, inputs, outputs, op histogram, parameters.</summary>
internal static class InspectCommand
{
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("model") { Description = "Model directory, program file (.pdmodel, __model__, inference.json) or Paddle Lite .nb" };
        var parameters = new Option<string?>("--params") { Description = "Explicit parameter file (.pdiparams/__params__) or per-variable folder" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (schema in src/PaddleNet.Cli/README.md)" };
        var ops = new Option<bool>("--ops") { Description = "Also list every operator in program order, with its inputs, outputs and attributes" };
        var command = new Command("inspect", "Show a model's format, inputs, outputs, operators and parameters") { model, parameters, json, ops };
        command.SetAction(result =>
        {
            var path = result.GetValue(model)!;
            var paramsPath = result.GetValue(parameters);
            var m = paramsPath is null ? PaddleModel.Load(path) : PaddleModel.Load(path, paramsPath);
            if (result.GetValue(json)) WriteJson(m, stdout);
            else WriteText(m, stdout);
            if (result.GetValue(ops)) WriteOps(m, stdout);
            return Program.Ok;
        });
        return command;
    }

    /// <summary>The stable names used in <c>--json</c>'s "format" field.</summary>
    internal static string FormatName(ModelFormat f) => f switch
    {
        ModelFormat.LegacyCombined => "legacy_combined",
        ModelFormat.LegacySeparate => "legacy_separate",
        ModelFormat.LegacyProgramOnly => "legacy_program",
        ModelFormat.PirJson => "pir_json",
        ModelFormat.PirProgramOnly => "pir_program",
        ModelFormat.PaddleLite => "paddle_lite",
        _ => f.ToString(),
    };

    private static void WriteText(PaddleModel m, TextWriter o)
    {
        o.WriteLine($"model:      {m.Source}");
        var version = m.PirVersion is int v ? $" (PIR serialization version {v})" : "";
        o.WriteLine($"format:     {FormatName(m.Format)}{version}");
        o.WriteLine($"producer:   {(m.ProducerVersion is null ? "not recorded" : "Paddle " + m.ProducerVersion)}");
        if (m.LiteMetaVersion is int meta) o.WriteLine($"lite:       {m.LiteVersion ?? "version not recorded"} (meta_version {meta})");
        o.WriteLine("inputs:");
        foreach (var t in m.Inputs) o.WriteLine($"  {t.Name,-24} {t.DataType.Name(),-8} [{string.Join(", ", t.Shape)}]");
        o.WriteLine("outputs:");
        foreach (var t in m.Outputs) o.WriteLine($"  {t.Name,-24} {t.DataType.Name(),-8} [{string.Join(", ", t.Shape)}]");
        o.WriteLine($"operators:  {m.OperatorCounts.Values.Sum()} ({m.OperatorCounts.Count} types)");
        foreach (var (type, count) in m.OperatorCounts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            o.WriteLine($"  {type,-28} {count,5}");
        }
        var ci = CultureInfo.InvariantCulture;
        o.WriteLine(m.HasWeights
            ? $"parameters: {m.ParameterCount.ToString("N0", ci)} tensors, {m.ParameterElements.ToString("N0", ci)} elements, {m.ParameterBytes.ToString("N0", ci)} bytes"
            : "parameters: none loaded (program only)");
    }

    private static void WriteOps(PaddleModel m, TextWriter o)
    {
        int block = -1;
        foreach (var op in m.DescribeOperators())
        {
            if (op.BlockIndex != block)
            {
                block = op.BlockIndex;
                o.WriteLine($"block {op.BlockIndex} (parent {op.ParentBlockIndex}):");
            }
            var attrs = op.Attributes.Select(kv => $"{kv.Key}={kv.Value}");
            o.WriteLine($"  #{op.Index,-4} {op.Signature}  {{{string.Join(" ", attrs)}}}");
        }
    }

    private static void WriteJson(PaddleModel m, TextWriter o)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("path", m.Source);
            w.WriteString("format", FormatName(m.Format));
            w.WriteString("producer_version", m.ProducerVersion);
            if (m.PirVersion is int pv) w.WriteNumber("pir_version", pv);
            else w.WriteNull("pir_version");
            w.WriteString("lite_version", m.LiteVersion);
            if (m.LiteMetaVersion is int lm) w.WriteNumber("lite_meta_version", lm);
            else w.WriteNull("lite_meta_version");
            WriteTensors(w, "inputs", m.Inputs);
            WriteTensors(w, "outputs", m.Outputs);
            w.WriteStartObject("ops");
            foreach (var (type, count) in m.OperatorCounts) w.WriteNumber(type, count);
            w.WriteEndObject();
            w.WriteStartObject("params");
            w.WriteBoolean("loaded", m.HasWeights);
            w.WriteNumber("count", m.ParameterCount);
            w.WriteNumber("elements", m.ParameterElements);
            w.WriteNumber("bytes", m.ParameterBytes);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        o.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteTensors(Utf8JsonWriter w, string name, IReadOnlyList<TensorInfo> tensors)
    {
        w.WriteStartArray(name);
        foreach (var t in tensors)
        {
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            w.WriteString("dtype", t.DataType.Name());
            w.WriteStartArray("shape");
            foreach (var d in t.Shape) w.WriteNumberValue(d);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
