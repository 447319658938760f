using System.CommandLine;
using System.Text.Json;
using PaddleNet.Runtime;

namespace PaddleNet.Cli.Commands;

/// <summary>
/// <c>paddlenet check MODEL [--json]</c>: would this model run? Lists every operator (any block) the engine
/// refuses, with block, op index and reason. Exit 0 when it would run, 1 otherwise. Program-only files are
/// checked against zero-filled parameters of the declared shapes.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("model") { Description = "Model directory, program file (.pdmodel, __model__, inference.json; weights optional) or Paddle Lite .nb" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: {path, runs, operators, problems: [{block, op_index, op_type, reason, message}]}" };
        var synthetic = SyntheticWeightsOption.Create();
        var command = new Command("check", "Check that every operator of a model (and its attribute forms) is supported; exit 1 if not") { model, json, synthetic };
        command.SetAction(result =>
        {
            var m = PaddleModel.Load(result.GetValue(model)!);
            if (SyntheticWeightsOption.Get(result, synthetic) is { } sw) m = m.WithSyntheticWeights(sw);
            if (!result.GetValue(json)) SyntheticWeightsOption.Report(m, stdout, Console.Error);
            var problems = ModelChecker.Check(m);
            if (result.GetValue(json)) WriteJson(m, problems, stdout);
            else WriteText(m, problems, stdout);
            return problems.Count == 0 ? Program.Ok : Program.UserError;
        });
        return command;
    }

    private static string Reason(UnsupportedOperatorException p) => p.Detail ?? "no kernel for this operator type";

    private static void WriteText(PaddleModel m, IReadOnlyList<UnsupportedOperatorException> problems, TextWriter o)
    {
        o.WriteLine($"model:     {m.Source}");
        o.WriteLine($"operators: {m.OperatorCounts.Values.Sum()} in {m.BlockCount} block(s), {m.OperatorCounts.Count} types");
        foreach (var p in problems)
        {
            o.WriteLine($"  block {p.BlockIndex} op #{p.OpIndex,-5} {p.OpType,-32} {Reason(p)}");
        }
        o.WriteLine(problems.Count == 0 ? "ok: every operator is supported" : $"unsupported: {problems.Count} operator(s), {problems.Select(p => p.OpType).Distinct().Count()} type(s): {string.Join(", ", problems.Select(p => p.OpType).Distinct().Order(StringComparer.Ordinal))}");
    }

    private static void WriteJson(PaddleModel m, IReadOnlyList<UnsupportedOperatorException> problems, TextWriter o)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("path", m.Source);
            w.WriteBoolean("runs", problems.Count == 0);
            w.WriteNumber("operators", m.OperatorCounts.Values.Sum());
            w.WriteStartArray("problems");
            foreach (var p in problems)
            {
                w.WriteStartObject();
                w.WriteNumber("block", p.BlockIndex);
                w.WriteNumber("op_index", p.OpIndex);
                w.WriteString("op_type", p.OpType);
                w.WriteString("reason", Reason(p));
                w.WriteString("message", p.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        o.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
