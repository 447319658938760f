namespace PaddleNet.Model;

/// <summary>Where a model's program and parameters are.</summary>
internal sealed record ModelLocation(string ProgramPath, string? CombinedParamsPath, string? SeparateParamsDir);

/// <summary>
/// Finds a model's files the way Paddle does. In a directory the program is the first of
/// <see cref="ProgramNames"/> that exists; the parameters are the program's stem + <c>.pdiparams</c>,
/// or for 1.x names <c>__params__</c>/<c>params</c>, or else one file per variable in the same folder.
/// Paddle Lite: <c>model.nb</c>, then <c>__model__.nb</c> (with <c>param.nb</c> beside it), then the only
/// other <c>*.nb</c> file of the directory.
/// </summary>
internal static class ModelLocator
{
    /// <summary>Probe order for a directory. A list, not a set: the order is the contract.</summary>
    public static readonly IReadOnlyList<string> ProgramNames =
        ["inference.json", "inference.pdmodel", "model.json", "model.pdmodel", "__model__", "model", "model.nb", "__model__.nb"];

    /// <summary>The parameter file of the headerless two-file Lite layout.</summary>
    public const string LiteTwoFileParams = "param.nb";

    public static ModelLocation Locate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            foreach (var name in ProgramNames)
            {
                var candidate = Path.Combine(path, name);
                if (File.Exists(candidate)) return ForProgram(candidate);
            }
            var nb = Directory.EnumerateFiles(path, "*.nb").Where(f => Path.GetFileName(f) != LiteTwoFileParams).Order(StringComparer.Ordinal).ToArray();
            if (nb.Length == 1) return ForProgram(nb[0]);
            if (nb.Length > 1)
            {
                throw new ModelFormatException(path, $"this directory holds {nb.Length} Paddle Lite models ({string.Join(", ", nb.Select(Path.GetFileName))}); pass one file");
            }
            throw new ModelFormatException(path, $"no model program in this directory (tried {string.Join(", ", ProgramNames)}, *.nb)");
        }
        if (File.Exists(path)) return ForProgram(path);
        throw new ModelFormatException(path, "no such file or directory");
    }

    public static ModelLocation Explicit(string programPath, string paramsPath)
    {
        if (!File.Exists(programPath)) throw new ModelFormatException(programPath, "program file not found");
        if (Directory.Exists(paramsPath)) return new ModelLocation(programPath, null, paramsPath);
        if (!File.Exists(paramsPath)) throw new ModelFormatException(paramsPath, "parameter file not found");
        return new ModelLocation(programPath, paramsPath, null);
    }

    private static ModelLocation ForProgram(string programPath)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(programPath))!;
        var file = Path.GetFileName(programPath);
        if (file.EndsWith(".nb", StringComparison.Ordinal))
        {
            // A single .nb holds program and parameters; only the headerless __model__.nb has a param.nb.
            var liteParams = Path.Combine(dir, LiteTwoFileParams);
            return new ModelLocation(programPath, file == "__model__.nb" && File.Exists(liteParams) ? liteParams : null, null);
        }
        string? stem = file.EndsWith(".pdmodel", StringComparison.Ordinal) ? file[..^".pdmodel".Length]
            : file.EndsWith(".json", StringComparison.Ordinal) ? file[..^".json".Length]
            : null;
        if (stem is not null)
        {
            var combined = Path.Combine(dir, stem + ".pdiparams");
            return new ModelLocation(programPath, File.Exists(combined) ? combined : null, null);
        }
        foreach (var name in new[] { "__params__", "params", file + ".pdiparams" })
        {
            var combined = Path.Combine(dir, name);
            if (File.Exists(combined)) return new ModelLocation(programPath, combined, null);
        }
        return new ModelLocation(programPath, null, dir);
    }
}
