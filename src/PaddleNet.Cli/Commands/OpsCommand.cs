using System.CommandLine;
using System.Text.Json;
using PaddleNet.Kernels;

namespace PaddleNet.Cli.Commands;

/// <summary><c>paddlenet ops [--json]</c>: the operator types the engine runs, legacy names with their PIR spellings.</summary>
internal static class OpsCommand
{
    public static Command Create(TextWriter stdout)
    {
        var json = new Option<bool>("--json") { Description = "Print [{\"type\": legacy name, \"pir\": [pd_op names]}]" };
        var markdown = new Option<bool>("--markdown") { Description = "Print the README's support table (markdown)" };
        var command = new Command("ops", "List the supported operator types (legacy names and PIR spellings)") { json, markdown };
        command.SetAction(result =>
        {
            var table = OpSupport.Table();
            if (result.GetValue(markdown))
            {
                stdout.Write(OpSupport.MarkdownTable());
            }
            else if (result.GetValue(json))
            {
                using var buffer = new MemoryStream();
                using (var w = new Utf8JsonWriter(buffer))
                {
                    w.WriteStartArray();
                    foreach (var (type, pir) in table)
                    {
                        w.WriteStartObject();
                        w.WriteString("type", type);
                        w.WriteStartArray("pir");
                        foreach (var p in pir) w.WriteStringValue(p);
                        w.WriteEndArray();
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            }
            else
            {
                foreach (var (type, pir) in table) stdout.WriteLine(pir.Count == 0 ? type : $"{type,-40} {string.Join(" ", pir)}");
            }
            return Program.Ok;
        });
        return command;
    }
}
