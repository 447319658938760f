using PaddleNet.Model;

namespace PaddleNet.Tests.Kernels.ControlFlow;

/// <summary>Builds small multi-block programs by hand (legacy op vocabulary) for control-flow tests.</summary>
internal sealed class ProgramBuilder
{
    private readonly Program _program = new();
    private readonly Dictionary<string, Tensor> _parameters = new(StringComparer.Ordinal);
    private int _feeds, _fetches;

    public ProgramBuilder() => _program.Blocks.Add(new Block(0, -1));

    /// <summary>Adds a sub-block whose parent is <paramref name="parent"/>; returns its index.</summary>
    public int SubBlock(int parent = 0)
    {
        _program.Blocks.Add(new Block(_program.Blocks.Count, parent));
        return _program.Blocks.Count - 1;
    }

    public ProgramBuilder Var(string name, DataType type, long[] dims, int block = 0, VarKind kind = VarKind.DenseTensor)
    {
        _program.Blocks[block].Vars[name] = new Variable(name, kind, type, dims, persistable: false);
        return this;
    }

    public ProgramBuilder Array(string name, DataType type, int block = 0) => Var(name, type, [], block, VarKind.TensorArray);

    public ProgramBuilder Parameter(string name, Tensor value)
    {
        _program.Main.Vars[name] = new Variable(name, VarKind.DenseTensor, value.DataType, value.Shape.ToArray().Select(d => (long)d).ToArray(), persistable: true);
        _parameters[name] = value;
        return this;
    }

    public ProgramBuilder Feed(string name, DataType type, params long[] dims)
    {
        Var(name, type, dims);
        var op = new Operator("feed");
        op.Inputs["X"] = ["feed"];
        op.Outputs["Out"] = [name];
        op.Attributes.Set("col", (long)_feeds++);
        _program.Main.Ops.Add(op);
        return this;
    }

    public ProgramBuilder Fetch(string name)
    {
        var op = new Operator("fetch");
        op.Inputs["X"] = [name];
        op.Outputs["Out"] = ["fetch"];
        op.Attributes.Set("col", (long)_fetches++);
        _program.Main.Ops.Add(op);
        return this;
    }

    /// <summary>Adds an op: <paramref name="io"/> is "in:Slot=a,b" / "out:Slot=c" entries; attributes as name/value pairs.</summary>
    public ProgramBuilder Op(int block, string type, string[] io, params (string Name, object Value)[] attrs)
    {
        var op = new Operator(type);
        foreach (var entry in io)
        {
            var (dir, rest) = (entry[..entry.IndexOf(':')], entry[(entry.IndexOf(':') + 1)..]);
            var slot = rest[..rest.IndexOf('=')];
            var names = rest[(rest.IndexOf('=') + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries);
            (dir == "in" ? op.Inputs : op.Outputs)[slot] = names;
        }
        foreach (var (n, v) in attrs) op.Attributes.Set(n, v);
        _program.Blocks[block].Ops.Add(op);
        return this;
    }

    public PaddleModel Build() => new(ModelFormat.LegacyCombined, "hand-built", null, null, _program, _parameters, hasWeights: true);
}
