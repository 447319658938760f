using PaddleNet.Model;
using PaddleNet.Model.Legacy;

namespace PaddleNet;

/// <summary>Which exporter generation a model came from.</summary>
public enum ModelFormat
{
    /// <summary>ProgramDesc protobuf + one combined parameter file (<c>.pdmodel</c>+<c>.pdiparams</c>, 1.x <c>__model__</c>+<c>__params__</c>).</summary>
    LegacyCombined,

    /// <summary>Paddle 1.x ProgramDesc + one file per persistable variable.</summary>
    LegacySeparate,

    /// <summary>A ProgramDesc without parameters (inspection only).</summary>
    LegacyProgramOnly,

    /// <summary>Paddle 3 PIR JSON program (<c>inference.json</c>) + <c>.pdiparams</c>.</summary>
    PirJson,

    /// <summary>A PIR JSON program without parameters (inspection only).</summary>
    PirProgramOnly,

    /// <summary>A Paddle Lite optimized model: a single <c>.nb</c> (meta_version 0, 1 or 2) or the two-file <c>__model__.nb</c> + <c>param.nb</c>.</summary>
    PaddleLite,
}

/// <summary>
/// A Paddle model loaded into PaddleNet's single program representation: whatever the file
/// format, the program uses legacy Paddle op names, slots and attributes, and parameters are tensors.
/// Immutable once loaded.
/// </summary>
public sealed class PaddleModel
{
    internal PaddleModel(ModelFormat format, string? source, string? producerVersion, int? pirVersion,
        Program program, IReadOnlyDictionary<string, Tensor> parameters, bool hasWeights,
        string? liteVersion = null, int? liteMetaVersion = null, SyntheticWeightOptions? synthetic = null, bool replacedWeights = false)
    {
        Synthetic = synthetic;
        ReplacedWeights = replacedWeights;
        LiteVersion = liteVersion;
        LiteMetaVersion = liteMetaVersion;
        Format = format;
        Source = source;
        ProducerVersion = producerVersion;
        PirVersion = pirVersion;
        Program = program;
        Parameters = parameters;
        HasWeights = hasWeights;
        (Inputs, Outputs) = ProgramSignature.Find(program, source);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var block in program.Blocks)
        {
            foreach (var op in block.Ops) counts[op.Type] = counts.GetValueOrDefault(op.Type) + 1;
        }
        OperatorCounts = counts;
        foreach (var t in parameters.Values)
        {
            ParameterElements += t.ElementCount;
            ParameterBytes += t.RawData.LongLength;
        }
    }

    /// <summary>The file format it was read from.</summary>
    public ModelFormat Format { get; }

    /// <summary>Where the program came from (a path), or null for in-memory models.</summary>
    public string? Source { get; }

    /// <summary>The Paddle version that wrote the file ("2.4.1"), when the file records it.</summary>
    public string? ProducerVersion { get; }

    /// <summary>PIR serialization version (<c>base_code.version</c>) for PIR programs.</summary>
    public int? PirVersion { get; }

    /// <summary>For Paddle Lite models: the version of the <c>opt</c> tool that wrote the file (<c>v2.13-rc</c>), when the file records it.</summary>
    public string? LiteVersion { get; }

    /// <summary>For Paddle Lite models: the <c>.nb</c> meta_version (0 naive buffer, 1 or 2 FlatBuffers); null for other formats.</summary>
    public int? LiteMetaVersion { get; }

    /// <summary>Inputs in feed order; shapes use -1 for dynamic dimensions.</summary>
    public IReadOnlyList<TensorInfo> Inputs { get; }

    /// <summary>Outputs in fetch order.</summary>
    public IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>Operator type → count, over all blocks, after normalisation to legacy op names.</summary>
    public IReadOnlyDictionary<string, int> OperatorCounts { get; }

    /// <summary>False when only the program was found (no parameter file): inspection only.</summary>
    public bool HasWeights { get; }

    /// <summary>True when the parameters are stand-ins from <see cref="WithSyntheticWeights"/>: outputs mean nothing.</summary>
    public bool HasSyntheticWeights => Synthetic is not null;

    /// <summary>The options the synthetic weights were made with, or null for real weights.</summary>
    public SyntheticWeightOptions? Synthetic { get; }

    /// <summary>True when synthetic weights replaced weights the files did provide.</summary>
    public bool ReplacedWeights { get; }

    /// <summary>
    /// This program with synthetic parameters in place of its own (program-only files included): every declared
    /// parameter of its declared shape and type, from a seeded generator (see <see cref="SyntheticWeightOptions"/>).
    /// A parameter over <see cref="SyntheticWeightOptions.MaxParameterBytes"/> or with a dynamic shape is a
    /// <see cref="ModelFormatException"/>, raised before anything is allocated for it.
    /// </summary>
    public PaddleModel WithSyntheticWeights(SyntheticWeightOptions? options = null)
    {
        options ??= new SyntheticWeightOptions();
        var parameters = SyntheticWeights.Generate(Program, Parameters, Source, options);
        return new PaddleModel(Format, Source, ProducerVersion, PirVersion, Program, parameters, hasWeights: true, LiteVersion, LiteMetaVersion,
            options, replacedWeights: HasWeights && Parameters.Count > 0);
    }

    /// <summary>Number of parameter tensors.</summary>
    public int ParameterCount => Parameters.Count;

    /// <summary>Elements in all parameter tensors.</summary>
    public long ParameterElements { get; }

    /// <summary>Bytes of all parameter tensors.</summary>
    public long ParameterBytes { get; }

    internal Program Program { get; }

    /// <summary>Number of blocks in the program (1 plus one per control-flow body).</summary>
    public int BlockCount => Program.Blocks.Count;

    /// <summary>
    /// Every operator of every block, in program order, as <c>paddlenet inspect --ops</c> lists it: its signature
    /// (<c>type(slot=[vars], ...) -&gt; (slot=[vars])</c>) and its attributes (name → display text, names sorted),
    /// without Paddle's bookkeeping attributes (<c>op_*</c>, <c>struct_name</c>, <c>use_mkldnn</c>, <c>use_cudnn</c>).
    /// </summary>
    public IReadOnlyList<OperatorDescription> DescribeOperators()
    {
        var list = new List<OperatorDescription>();
        foreach (var block in Program.Blocks)
        {
            for (int i = 0; i < block.Ops.Count; i++)
            {
                var op = block.Ops[i];
                var attrs = op.Attributes.All
                    .Where(kv => !kv.Key.StartsWith("op_", StringComparison.Ordinal) && kv.Key is not "struct_name" and not "use_mkldnn" and not "use_cudnn")
                    .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                    .Select(kv => new KeyValuePair<string, string>(kv.Key, AttributeMap.Describe(kv.Value)))
                    .ToArray();
                list.Add(new OperatorDescription(block.Index, block.ParentIndex, i, op.Type, op.ToString(), attrs));
            }
        }
        return list;
    }

    internal IReadOnlyDictionary<string, Tensor> Parameters { get; }

    /// <summary>
    /// Loads a model from a directory (probing Paddle's file names, see <see cref="ModelLocator"/>)
    /// or from a program file (parameters found beside it).
    /// </summary>
    public static PaddleModel Load(string path) => ModelLoader.Load(ModelLocator.Locate(path));

    /// <summary>Loads a program file and an explicit parameter file.</summary>
    public static PaddleModel Load(string programPath, string parametersPath) =>
        ModelLoader.Load(ModelLocator.Explicit(programPath, parametersPath));

    /// <summary>Loads a model from memory: program bytes and (optionally) combined parameter bytes.</summary>
    public static PaddleModel Load(ReadOnlyMemory<byte> program, ReadOnlyMemory<byte>? parameters) =>
        ModelLoader.Load(program.Span, parameters.HasValue ? parameters.Value : (ReadOnlyMemory<byte>?)null, null, null); // not `: null`, which converts to an empty memory

    /// <summary>Loads a model from streams (read to the end).</summary>
    public static PaddleModel Load(Stream program, Stream? parameters)
    {
        ArgumentNullException.ThrowIfNull(program);
        var prog = ReadAll(program);
        ReadOnlyMemory<byte>? pars = null;
        if (parameters is not null) pars = ReadAll(parameters);
        return ModelLoader.Load(prog, pars, null, null);
    }

    private static byte[] ReadAll(Stream s)
    {
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}

/// <summary>One operator of a program, for display (see <see cref="PaddleModel.DescribeOperators"/>).</summary>
/// <param name="BlockIndex">The block holding it (0 is the main block).</param>
/// <param name="ParentBlockIndex">That block's parent (-1 for the main block).</param>
/// <param name="Index">Its position in the block.</param>
/// <param name="Type">The operator type, e.g. <c>conv2d</c>.</param>
/// <param name="Signature">Type, input and output slots with their variables.</param>
/// <param name="Attributes">Attribute name → display text, sorted by name.</param>
public sealed record OperatorDescription(int BlockIndex, int ParentBlockIndex, int Index, string Type, string Signature, IReadOnlyList<KeyValuePair<string, string>> Attributes);
