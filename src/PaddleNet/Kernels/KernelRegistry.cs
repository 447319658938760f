using PaddleNet.Runtime;

namespace PaddleNet.Kernels;

/// <summary>
/// The one table of operators PaddleNet runs, keyed by Paddle's legacy op type (PIR programs are
/// normalised to these names at load). Each op family registers itself in its own file through a
/// partial method, so adding an op touches one line in one family file.
/// </summary>
internal static partial class KernelRegistry
{
    private static readonly Dictionary<string, KernelFactory> s_factories = Build();

    public static bool TryGet(string opType, out KernelFactory factory) => s_factories.TryGetValue(opType, out factory!);

    public static IReadOnlyCollection<string> OpTypes => s_factories.Keys;

    /// <summary>True when a program may contain this op type: a kernel or a control-flow op the plan compiles.</summary>
    public static bool IsSupported(string opType) => s_factories.ContainsKey(opType) || ControlFlowOps.Contains(opType);

    /// <summary>Every supported op type (kernels and control flow), sorted.</summary>
    public static IReadOnlyList<string> SupportedOpTypes => s_factories.Keys.Concat(ControlFlowOps).Order(StringComparer.Ordinal).ToArray();

    private static Dictionary<string, KernelFactory> Build()
    {
        var d = new Dictionary<string, KernelFactory>(StringComparer.Ordinal);
        RegisterElementwise(d);
        RegisterActivations(d);
        RegisterShapeOps(d);
        RegisterReductions(d);
        RegisterNn(d);
        RegisterDetection(d);
        RegisterMisc(d);
        RegisterLite(d);
        RegisterControlFlow(d);
        RegisterQuant(d);
        return d;
    }

    static partial void RegisterElementwise(Dictionary<string, KernelFactory> d);

    static partial void RegisterActivations(Dictionary<string, KernelFactory> d);

    static partial void RegisterShapeOps(Dictionary<string, KernelFactory> d);

    static partial void RegisterReductions(Dictionary<string, KernelFactory> d);

    static partial void RegisterNn(Dictionary<string, KernelFactory> d);

    static partial void RegisterDetection(Dictionary<string, KernelFactory> d);

    static partial void RegisterMisc(Dictionary<string, KernelFactory> d);

    static partial void RegisterLite(Dictionary<string, KernelFactory> d);

    static partial void RegisterControlFlow(Dictionary<string, KernelFactory> d);

    static partial void RegisterQuant(Dictionary<string, KernelFactory> d);
}
