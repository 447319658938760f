namespace PaddleNet.Pipeline.Config;

/// <summary>
/// The config listing PaddleClas logs before it runs (<c>print_config</c>): one key per line as <c>key : value</c>,
/// nested mappings (and lists of mappings) indented by 4, a dashed line after each top-level section.
/// </summary>
public static class ConfigDump
{
    private static readonly string Separator = new('-', 60);

    /// <summary>Writes <paramref name="config"/> to <paramref name="writer"/> as PaddleClas prints it.</summary>
    public static void Write(ConfigMap config, TextWriter writer)
    {
        Write(config, writer, 0);
    }

    private static void Write(ConfigMap map, TextWriter writer, int indent)
    {
        string pad = new(' ', indent);
        foreach (var (key, value) in map)
        {
            if (value is ConfigMap nested)
            {
                writer.WriteLine($"{pad}{key} : ");
                Write(nested, writer, indent + 4);
            }
            else if (value is List<object?> list && list.Count > 0 && list[0] is ConfigMap)
            {
                writer.WriteLine($"{pad}{key} : ");
                foreach (var item in list)
                {
                    if (item is ConfigMap m) Write(m, writer, indent + 4);
                    else writer.WriteLine($"{pad}    {PyRepr.Str(item)}");
                }
            }
            else
            {
                writer.WriteLine($"{pad}{key} : {PyRepr.Str(value)}");
            }
            if (indent == 0) writer.WriteLine(Separator);
        }
    }
}
