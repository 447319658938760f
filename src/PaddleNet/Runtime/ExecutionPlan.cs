using PaddleNet.Kernels;
using PaddleNet.Model;

namespace PaddleNet.Runtime;

/// <summary>One step of the plan: a configured kernel, where it came from, and the values it reads and writes.</summary>
internal sealed record PlanStep(Kernel Kernel, string OpType, int OpIndex, int[] Reads, int[] Writes);

/// <summary>
/// The immutable, executable form of a program: values renamed to SSA ids (a later write to a
/// name gets a new id, so reused names and in-place aliases such as batch_norm's MeanOut never
/// clobber weights), constants bound to parameters, and one kernel per operator in order, plus a
/// memory plan: values whose lifetimes do not overlap share a buffer slot.
/// </summary>
internal sealed class ExecutionPlan
{
    private ExecutionPlan(int valueCount, PlanStep[] steps, (TensorInfo Info, int Id)[] inputs, (TensorInfo Info, int Id)[] outputs, (int Id, Tensor Tensor)[] constants)
    {
        ValueCount = valueCount;
        Steps = steps;
        Inputs = inputs;
        Outputs = outputs;
        Constants = constants;
        (SlotOf, SlotCount) = PlanMemory(valueCount, steps, inputs, outputs, constants);
    }

    /// <summary>Buffer slot of each value; computed values with disjoint lifetimes share a slot.</summary>
    public int[] SlotOf { get; }

    public int SlotCount { get; }

    /// <summary>
    /// Greedy slot reuse by liveness. A value lives from the step that writes it to the last step that
    /// reads it (plan outputs: to the end); a step's outputs are placed before the slots of values it
    /// reads for the last time are released, so no kernel ever writes a buffer it is still reading.
    /// Constants and inputs keep their own slots (they are bound to caller or weight memory).
    /// </summary>
    private static (int[] SlotOf, int SlotCount) PlanMemory(int valueCount, PlanStep[] steps, (TensorInfo Info, int Id)[] inputs, (TensorInfo Info, int Id)[] outputs, (int Id, Tensor Tensor)[] constants)
    {
        var slotOf = new int[valueCount];
        Array.Fill(slotOf, -1);
        int slots = 0;
        foreach (var (id, _) in constants) slotOf[id] = slots++;
        foreach (var (_, id) in inputs) slotOf[id] = slots++;
        var lastUse = new int[valueCount];
        Array.Fill(lastUse, -1);
        for (int s = 0; s < steps.Length; s++)
        {
            foreach (var id in steps[s].Reads) lastUse[id] = s;
        }
        foreach (var (_, id) in outputs) lastUse[id] = int.MaxValue;
        var free = new Stack<int>();
        var releaseAt = new List<int>[steps.Length];
        for (int s = 0; s < steps.Length; s++)
        {
            foreach (var id in steps[s].Writes)
            {
                if (slotOf[id] >= 0) continue;
                slotOf[id] = free.Count > 0 ? free.Pop() : slots++;
                int end = Math.Max(lastUse[id], s);
                if (end < steps.Length) (releaseAt[end] ??= new List<int>()).Add(id);
            }
            if (releaseAt[s] is { } dying)
            {
                foreach (var id in dying) free.Push(slotOf[id]);
            }
        }
        for (int id = 0; id < valueCount; id++)
        {
            if (slotOf[id] < 0) slotOf[id] = slots++;
        }
        return (slotOf, slots);
    }

    public int ValueCount { get; }
    public PlanStep[] Steps { get; }
    public (TensorInfo Info, int Id)[] Inputs { get; }
    public (TensorInfo Info, int Id)[] Outputs { get; }
    public (int Id, Tensor Tensor)[] Constants { get; }

    public static ExecutionPlan Build(PaddleModel model, bool optimize = true)
    {
        if (!model.HasWeights) throw new ModelFormatException(model.Source, "the model's parameters were not found; a session needs them (pass the .pdiparams file or the model directory), or synthetic stand-ins to try the architecture (SessionOptions.SyntheticWeights, --synthetic-weights)");
        var program = model.Program;
        var main = program.Main;
        var current = new Dictionary<string, int>(StringComparer.Ordinal);
        var (ops, parameters) = optimize
            ? GraphPasses.Run(model)
            : (main.Ops, new Dictionary<string, Tensor>(model.Parameters, StringComparer.Ordinal));
        if (model.Format == ModelFormat.PaddleLite) ops = Kernels.Lite.Int8OutputLowering.Apply(ops);
        var constants = new List<(int, Tensor)>();
        var constantById = new Dictionary<int, Tensor>();
        int next = 0;

        int Resolve(string name)
        {
            if (current.TryGetValue(name, out var id)) return id;
            if (parameters.TryGetValue(name, out var t))
            {
                id = next++;
                var declared = main.Vars.TryGetValue(name, out var v) ? v.DataType : null;
                var bound = Tensors.ConvertParameter(t, declared);
                constants.Add((id, bound));
                constantById[id] = bound;
                current[name] = id;
                return id;
            }
            // A name read before any write: an unset optional output the kernel will not touch.
            id = next++;
            current[name] = id;
            return id;
        }

        int Define(string name)
        {
            var id = next++;
            current[name] = id;
            return id;
        }

        var inputs = new SortedDictionary<int, (TensorInfo, int)>();
        var outputs = new SortedDictionary<int, (TensorInfo, int)>();
        var steps = new List<PlanStep>();
        var signature = (In: model.Inputs, Out: model.Outputs);
        for (int i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            if (op.Type == GraphPasses.Alias)
            {
                current[op.Output("Out")!] = Resolve(op.Input("X")!);
                continue;
            }
            if (op.Type == "feed")
            {
                int col = op.Attributes.GetInt("col", inputs.Count);
                var name = op.Output("Out")!;
                var info = signature.In.First(t => t.Name == name);
                inputs[col] = (info, Define(name));
                continue;
            }
            if (op.Type == "fetch")
            {
                int col = op.Attributes.GetInt("col", outputs.Count);
                var name = op.Input("X")!;
                if (!current.ContainsKey(name) && !parameters.ContainsKey(name)) throw new ModelFormatException(model.Source, $"fetch #{col} reads '{name}', which nothing computes", field: name);
                outputs[col] = (model.Outputs[outputs.Count], Resolve(name));
                continue;
            }
            if (!KernelRegistry.TryGet(op.Type, out var factory))
            {
                throw new UnsupportedOperatorException(model.Source, op.Type, 0, i);
            }
            // Inputs resolve against the names defined so far; outputs then get fresh ids.
            var inputIds = new Dictionary<string, int>(StringComparer.Ordinal);
            var outputIds = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var name in op.Inputs.Values.SelectMany(a => a)) inputIds[name] = Resolve(name);
            foreach (var name in op.Outputs.Values.SelectMany(a => a)) outputIds[name] = Define(name);
            var builder = new KernelBuilder(op, 0, i, model.Source, n => inputIds.TryGetValue(n, out var id) ? id : Resolve(n), id => constantById.GetValueOrDefault(id), name => main.Vars.GetValueOrDefault(name)?.DataType, n => outputIds[n]);
            steps.Add(new PlanStep(factory(builder), op.Type, i, inputIds.Values.Distinct().ToArray(), outputIds.Values.ToArray()));
        }
        if (program.Blocks.Count > 1 && steps.Count == 0) throw new UnsupportedOperatorException(model.Source, "sub-block", 1, 0, "control-flow programs are not supported");
        return new ExecutionPlan(next, steps.ToArray(), inputs.Values.ToArray(), outputs.Values.ToArray(), constants.ToArray());
    }
}
