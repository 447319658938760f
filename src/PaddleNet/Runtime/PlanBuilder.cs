using PaddleNet.Kernels;
using PaddleNet.Kernels.ControlFlow;
using PaddleNet.Model;

namespace PaddleNet.Runtime;

/// <summary>
/// Compiles a program into an <see cref="ExecutionPlan"/>. Values are SSA ids: every write to a name
/// gets a fresh id, so in-place ops and reused names never clobber a value still needed. Control-flow
/// ops (<c>while</c>, <c>conditional_block</c>) compile their sub-block into a nested step list over the
/// same value space; a name the body writes that is visible outside (loop-carried state, branch outputs)
/// gets a dedicated state value that the op initialises from the value before it and updates after
/// each pass of the body. Tensor arrays are not SSA: an array name keeps one id and is mutated in place.
/// </summary>
internal sealed class PlanBuilder
{
    private readonly PaddleModel _model;
    private readonly Program _program;
    private readonly int _maxLoopIterations;
    private readonly List<UnsupportedOperatorException>? _problems;
    private readonly Dictionary<string, Tensor> _parameters;
    private readonly List<Operator> _mainOps;
    private readonly List<(int, Tensor)> _constants = new();
    private readonly Dictionary<int, Tensor> _constantById = new();
    private readonly HashSet<int> _arrayIds = new();
    private readonly Dictionary<Operator, int> _mainIndex = new(ReferenceEqualityComparer.Instance);
    private int _next;

    public PlanBuilder(PaddleModel model, bool optimize, int maxLoopIterations, List<UnsupportedOperatorException>? problems)
    {
        if (!model.HasWeights) throw new ModelFormatException(model.Source, "the model's parameters were not found; a session needs them (pass the .pdiparams file or the model directory), or synthetic stand-ins to try the architecture (SessionOptions.SyntheticWeights, --synthetic-weights)");
        if (maxLoopIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxLoopIterations), "must be at least 1");
        _model = model;
        _program = model.Program;
        _maxLoopIterations = maxLoopIterations;
        _problems = problems;
        (_mainOps, _parameters) = optimize
            ? GraphPasses.Run(model)
            : (model.Program.Main.Ops, new Dictionary<string, Tensor>(model.Parameters, StringComparer.Ordinal));
        if (model.Format == ModelFormat.PaddleLite) _mainOps = Kernels.Lite.Int8OutputLowering.Apply(_mainOps);
        // Errors name an op by its index in the program as written, not in the rewritten list.
        for (int i = 0; i < model.Program.Main.Ops.Count; i++) _mainIndex.TryAdd(model.Program.Main.Ops[i], i);
        _mainOps = Kernels.Detection.LodLowering.Apply(_mainOps, _program.Main, _mainIndex);
    }

    /// <summary>Name → value id for one block, falling back to the enclosing block's scope.</summary>
    private sealed class Scope(Scope? parent, Block block)
    {
        public Scope? Parent { get; } = parent;
        public Block Block { get; } = block;
        public Dictionary<string, int> Names { get; } = new(StringComparer.Ordinal);

        /// <summary>Ids this scope's ops read from enclosing scopes (they must stay alive while the block runs).</summary>
        public HashSet<int> OuterReads { get; } = new();
    }

    public ExecutionPlan Build()
    {
        var root = new Scope(null, _program.Main);
        var inputs = new SortedDictionary<int, (TensorInfo, int)>();
        var outputs = new SortedDictionary<int, (TensorInfo, int)>();
        var steps = new List<PlanStep>();
        for (int i = 0; i < _mainOps.Count; i++)
        {
            var op = _mainOps[i];
            if (op.Type == GraphPasses.Alias)
            {
                root.Names[op.Output("Out")!] = Resolve(root, op.Input("X")!);
                continue;
            }
            if (op.Type == "feed")
            {
                int col = op.Attributes.GetInt("col", inputs.Count);
                var name = op.Output("Out") ?? throw new ModelFormatException(_model.Source, $"feed #{col} has no 'Out' output", field: "feed");
                var info = _model.Inputs.FirstOrDefault(t => t.Name == name) ?? throw new ModelFormatException(_model.Source, $"feed #{col} writes '{name}', which is not a model input", field: name);
                inputs[col] = (info, Define(root, name));
                continue;
            }
            if (op.Type == "fetch")
            {
                int col = op.Attributes.GetInt("col", outputs.Count);
                var name = op.Input("X") ?? throw new ModelFormatException(_model.Source, $"fetch #{col} has no 'X' input", field: "fetch");
                if (Lookup(root, name) < 0 && !_parameters.ContainsKey(name)) throw new ModelFormatException(_model.Source, $"fetch #{col} reads '{name}', which nothing computes", field: name);
                outputs[col] = (_model.Outputs[outputs.Count], Resolve(root, name));
                continue;
            }
            if (CompileOp(root, op, 0, _mainIndex.GetValueOrDefault(op, i)) is { } step) steps.Add(step);
        }
        return ExecutionPlan.Create(_next, steps.ToArray(), inputs.Values.ToArray(), outputs.Values.ToArray(), _constants.ToArray(), _arrayIds.Order().ToArray());
    }

    private PlanStep? CompileOp(Scope scope, Operator op, int blockIndex, int opIndex)
    {
        try
        {
            try
            {
                return op.Type switch
                {
                    "while" => CompileWhile(scope, op, blockIndex, opIndex),
                    "conditional_block" => CompileConditional(scope, op, blockIndex, opIndex),
                    _ => CompileKernel(scope, op, blockIndex, opIndex),
                };
            }
            catch (AttributeException e)
            {
                throw new ModelFormatException(_model.Source, $"operator '{op.Type}' (block {blockIndex}, op #{opIndex}): {e.Message}", field: e.Attribute, inner: e);
            }
        }
        catch (PaddleNetException e) when (_problems is not null)
        {
            _problems.Add(e as UnsupportedOperatorException ?? new UnsupportedOperatorException(_model.Source, op.Type, blockIndex, opIndex, e.Message));
            // Keep going: give the outputs ids so later ops still resolve.
            foreach (var name in op.Outputs.Values.SelectMany(a => a)) Define(scope, name);
            return null;
        }
    }

    private PlanStep CompileKernel(Scope scope, Operator op, int blockIndex, int opIndex)
    {
        if (op.Type == "assign" && op.Input("X") is string src && Lookup(scope, src) is var srcId && _arrayIds.Contains(srcId) && op.Output("Out") is string dstName)
        {
            // assign of a tensor array copies its elements into the target array.
            int dst = DefineArray(scope, dstName);
            return new PlanStep(new Kernels.ControlFlow.AssignArrayKernel(srcId, dst), op.Type, opIndex, [srcId, dst], []);
        }
        if (!KernelRegistry.TryGet(op.Type, out var factory))
        {
            throw new UnsupportedOperatorException(_model.Source, op.Type, blockIndex, opIndex);
        }
        // Inputs resolve against the names defined so far; outputs then get fresh ids (arrays keep theirs).
        var inputIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var outputIds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in op.Inputs.Values.SelectMany(a => a)) inputIds[name] = Resolve(scope, name);
        foreach (var (slot, names) in op.Outputs)
        {
            foreach (var name in names) outputIds[name] = IsArray(scope, op, slot, name) ? DefineArray(scope, name) : Define(scope, name);
        }
        var builder = new KernelBuilder(op, blockIndex, opIndex, _model.Source,
            n => inputIds.TryGetValue(n, out var id) ? id : Resolve(scope, n),
            id => _constantById.GetValueOrDefault(id),
            name => DeclaredType(scope, name),
            n => outputIds[n]);
        var kernel = factory(builder);
        // An array written in place is also read (its earlier elements survive).
        var reads = inputIds.Values.Concat(outputIds.Values.Where(_arrayIds.Contains)).Distinct().ToArray();
        return new PlanStep(kernel, op.Type, opIndex, reads, outputIds.Values.Where(id => !_arrayIds.Contains(id)).ToArray());
    }

    private PlanStep CompileWhile(Scope scope, Operator op, int blockIndex, int opIndex)
    {
        var (sub, child, state) = OpenSubBlock(scope, op, blockIndex, opIndex);
        var condName = op.Input("Condition") ?? throw new UnsupportedOperatorException(_model.Source, op.Type, blockIndex, opIndex, "input slot 'Condition' is missing");
        var body = CompileBlock(child, sub);
        var (states, reads) = CloseSubBlock(scope, child, state);
        // The condition is read before the first pass (its value before the op) and after each pass (its state).
        int condState = state.FindIndex(s => s.Name == condName);
        int cond = condState >= 0 ? state[condState].StateId : Resolve(scope, condName);
        var kernel = new WhileKernel(cond, body, sub.Index, states, _maxLoopIterations, blockIndex, opIndex);
        return new PlanStep(kernel, op.Type, opIndex, reads.Append(cond).Distinct().ToArray(), []);
    }

    private PlanStep CompileConditional(Scope scope, Operator op, int blockIndex, int opIndex)
    {
        var conds = op.InputList("Cond").Select(n => Resolve(scope, n)).ToArray();
        if (conds.Length == 0) throw new UnsupportedOperatorException(_model.Source, op.Type, blockIndex, opIndex, "input slot 'Cond' is empty");
        bool scalar = op.Attributes.GetBool("is_scalar_condition", false);
        var (sub, child, state) = OpenSubBlock(scope, op, blockIndex, opIndex);
        var body = CompileBlock(child, sub);
        var (states, reads) = CloseSubBlock(scope, child, state);
        var kernel = new ConditionalBlockKernel(conds, scalar, body, sub.Index, states, blockIndex, opIndex);
        return new PlanStep(kernel, op.Type, opIndex, reads.Concat(conds).Distinct().ToArray(), []);
    }

    private readonly record struct StateVar(string Name, int Before, int StateId);

    private (Block Sub, Scope Child, List<StateVar> State) OpenSubBlock(Scope scope, Operator op, int blockIndex, int opIndex)
    {
        if (op.Attributes.Raw("sub_block") is not BlockRef { Index: var subIndex } || subIndex <= 0 || subIndex >= _program.Blocks.Count || subIndex == blockIndex)
        {
            throw new UnsupportedOperatorException(_model.Source, op.Type, blockIndex, opIndex, $"attribute 'sub_block' should name a block in [1, {_program.Blocks.Count}), found {AttributeMap.Describe(op.Attributes.Raw("sub_block") ?? "nothing")}");
        }
        var sub = _program.Blocks[subIndex];
        var child = new Scope(scope, sub);
        var state = new List<StateVar>();
        var outs = new HashSet<string>(op.OutputList("Out"), StringComparer.Ordinal);
        foreach (var name in WrittenNames(sub, new HashSet<int> { blockIndex }))
        {
            if (IsArrayName(child, name)) continue;
            int before = Lookup(scope, name);
            if (before < 0 && _parameters.ContainsKey(name)) before = Resolve(scope, name);
            if (before < 0 && !outs.Contains(name)) continue; // a temporary of the body
            int sid = _next++;
            child.Names[name] = sid;
            state.Add(new StateVar(name, before, sid));
        }
        return (sub, child, state);
    }

    private (LoopState[] States, IEnumerable<int> Reads) CloseSubBlock(Scope scope, Scope child, List<StateVar> state)
    {
        var states = new LoopState[state.Count];
        for (int k = 0; k < state.Count; k++)
        {
            var s = state[k];
            states[k] = new LoopState(s.Before, s.StateId, child.Names[s.Name]);
            scope.Names[s.Name] = s.StateId; // later ops see the value the control-flow op leaves
        }
        var reads = child.OuterReads.Concat(state.Where(s => s.Before >= 0).Select(s => s.Before));
        foreach (var id in child.OuterReads) scope.OuterReads.Add(id);
        return (states, reads.ToArray());
    }

    private PlanStep[] CompileBlock(Scope scope, Block block)
    {
        var steps = new List<PlanStep>();
        for (int i = 0; i < block.Ops.Count; i++)
        {
            var op = block.Ops[i];
            if (op.Type is "feed" or "fetch") throw new UnsupportedOperatorException(_model.Source, op.Type, block.Index, i, "feed and fetch belong in the main block");
            if (CompileOp(scope, op, block.Index, i) is { } step) steps.Add(step);
        }
        return steps.ToArray();
    }

    /// <summary>Names written by a block's ops, nested sub-blocks included, in first-write order.</summary>
    private List<string> WrittenNames(Block block, HashSet<int> visiting)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (!visiting.Add(block.Index)) throw new ModelFormatException(_model.Source, $"block {block.Index} contains itself through its sub_block attributes", field: $"block {block.Index}");
        foreach (var op in block.Ops)
        {
            foreach (var n in op.Outputs.Values.SelectMany(a => a))
            {
                if (seen.Add(n)) names.Add(n);
            }
            if (op.Attributes.Raw("sub_block") is BlockRef { Index: var i } && i > 0 && i < _program.Blocks.Count)
            {
                foreach (var n in WrittenNames(_program.Blocks[i], visiting))
                {
                    if (seen.Add(n)) names.Add(n);
                }
            }
        }
        visiting.Remove(block.Index);
        return names;
    }

    private static int Lookup(Scope scope, string name)
    {
        var path = new List<Scope>();
        for (var s = scope; s is not null; s = s.Parent)
        {
            if (s.Names.TryGetValue(name, out var id))
            {
                foreach (var inner in path) inner.OuterReads.Add(id);
                return id;
            }
            path.Add(s);
        }
        return -1;
    }

    private int Resolve(Scope scope, string name)
    {
        int id = Lookup(scope, name);
        if (id >= 0) return id;
        var root = scope;
        while (root.Parent is not null) root = root.Parent;
        if (_parameters.TryGetValue(name, out var t))
        {
            id = _next++;
            var bound = Tensors.ConvertParameter(t, DeclaredType(root, name));
            _constants.Add((id, bound));
            _constantById[id] = bound;
            root.Names[name] = id;
            return id;
        }
        // A name read before any write: an unset optional output the kernel will not touch.
        id = _next++;
        scope.Names[name] = id;
        return id;
    }

    private int Define(Scope scope, string name)
    {
        var id = _next++;
        scope.Names[name] = id;
        return id;
    }

    private int DefineArray(Scope scope, string name)
    {
        int id = Lookup(scope, name);
        if (id < 0 || !_arrayIds.Contains(id))
        {
            // An array lives in the scope of the block that declares it, so a loop body filling an
            // array declared outside fills the one later ops read.
            var owner = scope;
            while (owner.Parent is not null && !owner.Block.Vars.ContainsKey(name)) owner = owner.Parent;
            id = Define(owner, name);
        }
        _arrayIds.Add(id);
        return id;
    }

    private static bool IsArray(Scope scope, Operator op, string slot, string name) =>
        (op.Type, slot) is ("write_to_array", "Out") or ("array_write", "Out") or ("create_array", "Out") || IsArrayName(scope, name);

    private static bool IsArrayName(Scope scope, string name)
    {
        for (var s = scope; s is not null; s = s.Parent)
        {
            if (s.Block.Vars.TryGetValue(name, out var v)) return v.Kind == VarKind.TensorArray;
        }
        return false;
    }

    private static DataType? DeclaredType(Scope scope, string name)
    {
        for (var s = scope; s is not null; s = s.Parent)
        {
            if (s.Block.Vars.TryGetValue(name, out var v)) return v.DataType;
        }
        return null;
    }
}
