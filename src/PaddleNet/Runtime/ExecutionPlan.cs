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

    /// <summary>Tensor-array values, emptied at the start of every run (empty for programs without arrays).</summary>
    public int[] ArrayIds { get; private init; } = [];

    /// <summary>Default bound on the iterations of one <c>while</c> op in one run (<see cref="SessionOptions.MaxLoopIterations"/>).</summary>
    public const int DefaultMaxLoopIterations = 100_000;

    public static ExecutionPlan Build(PaddleModel model, bool optimize = true, int maxLoopIterations = DefaultMaxLoopIterations) =>
        new PlanBuilder(model, optimize, maxLoopIterations, problems: null).Build();

    /// <summary>
    /// Builds the plan but, instead of stopping at the first operator it cannot run, records every
    /// <see cref="UnsupportedOperatorException"/> in <paramref name="problems"/> (for <c>paddlenet check</c>).
    /// </summary>
    internal static ExecutionPlan? Analyze(PaddleModel model, List<UnsupportedOperatorException> problems)
    {
        // Unoptimised: every op is checked as written (fusions would hide ops and renumber them).
        var plan = new PlanBuilder(model, optimize: false, DefaultMaxLoopIterations, problems).Build();
        return problems.Count == 0 ? plan : null;
    }

    internal static ExecutionPlan Create(int valueCount, PlanStep[] steps, (TensorInfo Info, int Id)[] inputs, (TensorInfo Info, int Id)[] outputs, (int Id, Tensor Tensor)[] constants, int[] arrayIds) =>
        new(valueCount, steps, inputs, outputs, constants) { ArrayIds = arrayIds };
}
