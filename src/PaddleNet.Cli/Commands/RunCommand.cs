using System.CommandLine;
using System.Text.Json;

namespace PaddleNet.Cli.Commands;

/// <summary><c>paddlenet run MODEL --input NAME=FILE.npy ... --output-dir DIR [--threads N] [--precision fp32|bf16]</c>.</summary>
internal static class RunCommand
{
    public static Command Create(TextWriter stdout, TextWriter? stderr = null)
    {
        var model = new Argument<string>("model") { Description = "Model directory or program file" };
        var inputs = new Option<string[]>("--input", "-i") { Description = "An input as NAME=FILE.npy (repeat for each input)", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false, Required = true };
        var outDir = new Option<string>("--output-dir", "-o") { Description = "Folder for out.<k>.npy and outputs.json", Required = true };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads", DefaultValueFactory = _ => 1 };
        var synthetic = SyntheticWeightsOption.Create();
        var precision = PrecisionOption.Create();
        var command = new Command("run", "Run a model on .npy inputs and write its outputs as .npy files") { model, inputs, outDir, threads, synthetic, precision };
        command.SetAction(result =>
        {
            using var session = new InferenceSession(result.GetValue(model)!, new SessionOptions { IntraOpThreads = Math.Max(1, result.GetValue(threads)), SyntheticWeights = SyntheticWeightsOption.Get(result, synthetic), Precision = PrecisionOption.Get(result, precision) });
            SyntheticWeightsOption.Report(session, stdout, stderr ?? Console.Error);
            var feeds = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var spec in result.GetValue(inputs)!)
            {
                int eq = spec.IndexOf('=');
                if (eq <= 0) throw new PaddleNetException($"--input '{spec}': expected NAME=FILE.npy");
                var name = spec[..eq];
                var file = spec[(eq + 1)..];
                if (!File.Exists(file)) throw new PaddleNetException($"--input {name}: file not found: {file}");
                feeds[name] = NpyFile.Read(file);
            }
            var outputs = session.Run(feeds);
            var dir = result.GetValue(outDir)!;
            Directory.CreateDirectory(dir);
            using var json = new MemoryStream();
            using (var w = new Utf8JsonWriter(json, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteString("weights", session.Model.Synthetic is { } sw ? $"synthetic (seed {sw.Seed})" : "model");
                w.WriteStartArray("outputs");
                for (int k = 0; k < outputs.Count; k++)
                {
                    var file = $"out.{k}.npy";
                    NpyFile.Write(Path.Combine(dir, file), outputs[k]);
                    w.WriteStartObject();
                    w.WriteNumber("index", k);
                    w.WriteString("name", session.Outputs[k].Name);
                    w.WriteString("file", file);
                    w.WriteString("dtype", outputs[k].DataType.Name());
                    w.WriteStartArray("shape");
                    foreach (var d in outputs[k].Shape) w.WriteNumberValue(d);
                    w.WriteEndArray();
                    w.WriteEndObject();
                    stdout.WriteLine($"{k}: {session.Outputs[k].Name} {outputs[k]} -> {Path.Combine(dir, file)}");
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            File.WriteAllBytes(Path.Combine(dir, "outputs.json"), json.ToArray());
            return Program.Ok;
        });
        return command;
    }
}
