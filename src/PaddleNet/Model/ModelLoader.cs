using PaddleNet.Model.Legacy;
using PaddleNet.Model.Lite;
using PaddleNet.Model.Pir;

namespace PaddleNet.Model;

/// <summary>Reads program + parameters in any supported format into a <see cref="PaddleModel"/>.</summary>
internal static class ModelLoader
{
    public static PaddleModel Load(ModelLocation location)
    {
        var programBytes = ReadFile(location.ProgramPath);
        if (location.SeparateParamsDir is not null)
        {
            return Load(programBytes, null, location.ProgramPath, location.SeparateParamsDir);
        }
        ReadOnlyMemory<byte>? pars = null;
        if (location.CombinedParamsPath is not null) pars = ReadFile(location.CombinedParamsPath);
        return Load(programBytes, pars, location.ProgramPath, null, location.CombinedParamsPath);
    }

    public static PaddleModel Load(ReadOnlySpan<byte> program, ReadOnlyMemory<byte>? combinedParams, string? programPath, string? separateDir, string? paramsPath = null)
    {
        var kind = ModelSniffer.Sniff(program);
        switch (kind)
        {
            case SniffedFormat.PirJson:
                {
                    var pir = PirProgramReader.Read(program, programPath);
                    var names = pir.ParameterNames;
                    if (combinedParams is null)
                    {
                        return new PaddleModel(ModelFormat.PirProgramOnly, programPath, null, pir.Version, pir.Program, Empty, hasWeights: names.Count == 0);
                    }
                    var parameters = ParameterStream.ReadCombined(combinedParams.Value.Span, paramsPath ?? "<parameters>", names);
                    CheckAgainstProgram(pir.Program, parameters, paramsPath);
                    return new PaddleModel(ModelFormat.PirJson, programPath, null, pir.Version, pir.Program, parameters, hasWeights: true);
                }
            case SniffedFormat.ProgramDesc:
                {
                    var (prog, version) = LegacyProgramReader.Read(program, programPath);
                    var producer = LegacyProgramReader.FormatVersion(version);
                    var names = prog.Main.Vars.Values.Where(v => v.IsParameter).Select(v => v.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
                    if (combinedParams is not null)
                    {
                        var parameters = ParameterStream.ReadCombined(combinedParams.Value.Span, paramsPath ?? "<parameters>", names);
                        CheckAgainstProgram(prog, parameters, paramsPath);
                        return new PaddleModel(ModelFormat.LegacyCombined, programPath, producer, null, prog, parameters, hasWeights: true);
                    }
                    if (separateDir is not null && names.Length > 0 && names.Any(n => File.Exists(Path.Combine(separateDir, n))))
                    {
                        var parameters = ReadSeparate(separateDir, names);
                        CheckAgainstProgram(prog, parameters, separateDir);
                        return new PaddleModel(ModelFormat.LegacySeparate, programPath, producer, null, prog, parameters, hasWeights: true);
                    }
                    return new PaddleModel(ModelFormat.LegacyProgramOnly, programPath, producer, null, prog, Empty, hasWeights: names.Length == 0);
                }
            case SniffedFormat.PaddleLite:
                {
                    var lite = LiteModelReader.Read(program.ToArray(), programPath);
                    return new PaddleModel(ModelFormat.PaddleLite, programPath, LegacyProgramReader.FormatVersion(lite.ProducerVersion), null,
                        lite.Program, lite.Parameters, hasWeights: true, lite.LiteVersion, lite.MetaVersion);
                }
            case SniffedFormat.PaddleLiteNaiveProgram:
                {
                    var lite = LiteModelReader.ReadTwoFile(program.ToArray(), programPath, combinedParams?.ToArray(), paramsPath);
                    bool hasWeights = combinedParams is not null || !lite.Program.Main.Vars.Values.Any(v => v.IsParameter);
                    return new PaddleModel(ModelFormat.PaddleLite, programPath, LegacyProgramReader.FormatVersion(lite.ProducerVersion), null,
                        lite.Program, lite.Parameters, hasWeights, lite.LiteVersion, lite.MetaVersion);
                }
            case SniffedFormat.ParameterStream:
                throw new ModelFormatException(programPath, "this is a parameter file (.pdiparams), not a program; pass the .pdmodel/.json program or the model directory");
            default:
                throw new ModelFormatException(programPath, "unknown model format: expected a Paddle ProgramDesc protobuf (.pdmodel, __model__), a PIR JSON program (inference.json) or a Paddle Lite .nb file", 0);
        }
    }

    private static readonly IReadOnlyDictionary<string, Tensor> Empty = new Dictionary<string, Tensor>();

    private static Dictionary<string, Tensor> ReadSeparate(string dir, IReadOnlyList<string> names)
    {
        var result = new Dictionary<string, Tensor>(names.Count, StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (name.Contains('/') || name.Contains('\\') || name is "." or "..")
            {
                throw new ModelFormatException(dir, $"parameter name '{name}' cannot be a file name", field: name);
            }
            var file = Path.Combine(dir, name);
            if (!File.Exists(file)) throw new ModelFormatException(file, $"parameter file for variable '{name}' is missing ({result.Count} of {names.Count} found so far)", field: name);
            var bytes = ReadFile(file);
            int offset = 0;
            result[name] = ParameterStream.ReadRecord(bytes, ref offset, file, name);
            if (offset != bytes.Length) throw new ModelFormatException(file, $"{bytes.Length - offset} bytes remain after the tensor", offset, name);
        }
        return result;
    }

    /// <summary>A parameter's stored shape must match the program's declaration (dtype may differ: fp16 saves).</summary>
    private static void CheckAgainstProgram(Program program, IReadOnlyDictionary<string, Tensor> parameters, string? paramsPath)
    {
        foreach (var (name, tensor) in parameters)
        {
            if (!program.Main.Vars.TryGetValue(name, out var v) || v.Dims.Length == 0) continue;
            var declared = v.Dims;
            var stored = tensor.Shape;
            bool same = declared.Length == stored.Length;
            for (int i = 0; same && i < stored.Length; i++) same = declared[i] < 0 || declared[i] == stored[i];
            bool scalarCompat = stored.Length == 0 && declared.Length == 1 && declared[0] == 1;
            if (!same && !scalarCompat)
            {
                throw new ModelFormatException(paramsPath, $"parameter shape mismatch: the program declares [{string.Join(", ", declared)}], the file holds [{string.Join(", ", stored.ToArray())}]", field: name);
            }
        }
    }

    internal static byte[] ReadFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length > int.MaxValue) throw new ModelFormatException(path, $"file is {info.Length} bytes; files over 2 GiB are not supported");
            return File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new ModelFormatException(path, $"cannot read: {e.Message}", inner: e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ModelFormatException(path, $"cannot read: {e.Message}", inner: e);
        }
    }
}
