using PaddleNet.Tests.Support;
using System.Globalization;
using PaddleNet.Tests.Kernels.ControlFlow;

namespace PaddleNet.Tests.Model;

/// <summary>
/// PIR control flow (pd_op.while / pd_op.if with nested regions, cf.yield, tensor arrays, increment_, select_input) on
/// hand-written Paddle 3 programs. No real PIR export with control flow exists in the shared data, so these follow the
/// layout of Paddle's writer (formats.md §3.4, §3.11): results are numbered before the op's regions, block arguments
/// get negative ids, the body of a while ends with cf.yield(next condition, loop values…). Expected values come from
/// plain C# loops, and the while program is checked against its legacy twin (<see cref="WhileTests.AccumulateModel"/>).
/// </summary>
public sealed class PirControlFlowTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pircf").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes PIR JSON with nested regions; ids are handed out in the writer's order (results before regions).</summary>
    private sealed class Pir
    {
        private readonly Stack<List<string>> _blocks = new();
        private int _next = 1, _arg = -1, _region = 1, _block = 1;

        public Pir() => _blocks.Push([]);

        private List<string> Ops => _blocks.Peek();

        private static string Dt(DataType t) => t switch
        {
            DataType.Float32 => "f32",
            DataType.Int32 => "i32",
            DataType.Int64 => "i64",
            DataType.Bool => "bool",
            _ => throw new ArgumentException(t.ToString()),
        };

        public static string T(DataType t, params int[] shape) => $"{{\"#\":\"0.t_dtensor\",\"D\":[{{\"#\":\"0.t_{Dt(t)}\"}},[{string.Join(",", shape)}],\"NCHW\",[],0]}}";

        public static string Arr(DataType t) => $"{{\"#\":\"1.t_tensor_array\",\"D\":[{{\"#\":\"0.t_{Dt(t)}\"}},[],\"NCHW\"]}}";

        public static string Attr(string name, string kind, string data) => $"{{\"AT\":{{\"#\":\"{kind}\",\"D\":{data}}},\"N\":\"{name}\"}}";

        public void Raw(string opJson) => Ops.Add(opJson);

        public int Feed(string name, DataType t, params int[] shape)
        {
            int id = _next++;
            Ops.Add($"{{\"#\":\"1.data\",\"A\":[{Attr("name", "0.a_str", $"\"{name}\"")},{Attr("shape", "1.a_intarray", $"[{string.Join(",", shape)}]")},{Attr("dtype", "1.a_dtype", $"\"{DataTypeName(t)}\"")}],\"I\":[],\"O\":[{{\"%\":{id},\"TT\":{T(t, shape)}}}]}}");
            return id;
        }

        private static string DataTypeName(DataType t) => t switch
        {
            DataType.Float32 => "float32",
            DataType.Int32 => "int32",
            DataType.Int64 => "int64",
            DataType.Bool => "bool",
            _ => throw new ArgumentException(t.ToString()),
        };

        public int Full(double value, DataType t)
        {
            int id = _next++;
            Ops.Add($"{{\"#\":\"1.full\",\"A\":[{Attr("shape", "1.a_intarray", "[1]")},{Attr("value", "0.a_f64", value.ToString("R", CultureInfo.InvariantCulture))},{Attr("dtype", "1.a_dtype", $"\"{DataTypeName(t)}\"")},{Attr("place", "1.a_place", "[1,0,\"\"]")}],\"I\":[],\"O\":[{{\"%\":{id},\"TT\":{T(t, 1)}}}]}}");
            return id;
        }

        /// <summary>An op (name with its dialect prefix) with attributes already in JSON; returns its result ids.</summary>
        public int[] Op(string name, int[] inputs, string[] attrs, params string[] resultTypes)
        {
            var ids = resultTypes.Select(_ => _next++).ToArray();
            Ops.Add(OpJson(name, inputs, attrs, resultTypes, ids, null));
            return ids;
        }

        public int Op1(string name, int[] inputs, string type, params string[] attrs) => Op(name, inputs, attrs, type)[0];

        private static string OpJson(string name, int[] inputs, string[] attrs, string[] types, int[] ids, string? regions)
        {
            var i = string.Join(",", inputs.Select(x => $"{{\"%\":{x}}}"));
            var o = string.Join(",", types.Select((t, k) => $"{{\"%\":{ids[k]},\"TT\":{t}}}"));
            var r = regions is null ? "" : $",\"regions\":[{regions}]";
            return $"{{\"#\":\"{name}\",\"A\":[{string.Join(",", attrs)}],\"I\":[{i}],\"O\":[{o}]{r}}}";
        }

        private string Block(string[] argTypes, Func<int[], int[]> body, out int[] yielded)
        {
            var args = argTypes.Select(_ => _arg--).ToArray();
            _blocks.Push([]);
            yielded = body(args);
            Ops.Add(OpJson("2.yield", yielded, [], [], [], null));
            var ops = _blocks.Pop();
            var a = string.Join(",", argTypes.Select((t, k) => $"{{\"#\":{args[k]},\"TT\":{t}}}"));
            return $"{{\"#\":\"block_{_block++}\",\"args\":[{a}],\"ops\":[{string.Join(",", ops)}]}}";
        }

        private string Region(string block) => $"{{\"#\":\"region_{_region++}\",\"blocks\":[{block}]}}";

        /// <summary>pd_op.while(cond, inits…); <paramref name="body"/> gets the block arguments and returns (next cond, values…).</summary>
        public int[] While(int cond, int[] inits, string[] types, Func<int[], int[]> body)
        {
            var ids = types.Select(_ => _next++).ToArray();
            var region = Region(Block(types, body, out _));
            Ops.Add(OpJson("1.while", [cond, .. inits], [], types, ids, region));
            return ids;
        }

        /// <summary>pd_op.if(cond) with then/else bodies that return their yielded values.</summary>
        public int[] If(int cond, string[] types, Func<int[]> then, Func<int[]> otherwise)
        {
            var ids = types.Select(_ => _next++).ToArray();
            var t = Region(Block([], _ => then(), out _));
            var e = Region(Block([], _ => otherwise(), out _));
            Ops.Add(OpJson("1.if", [cond], [], types, ids, $"{t},{e}"));
            return ids;
        }

        public void Fetch(int id, int col, string type)
        {
            int oid = _next++;
            Ops.Add($"{{\"#\":\"1.fetch\",\"A\":[{Attr("name", "0.a_str", $"\"fetch_name_{col}\"")},{Attr("col", "0.a_i32", col.ToString(CultureInfo.InvariantCulture))}],\"I\":[{{\"%\":{id}}}],\"O\":[{{\"%\":{oid},\"TT\":{type}}}]}}");
        }

        public string Json => "{\"base_code\":{\"magic\":\"pir\",\"trainable\":true,\"version\":1},\"program\":{\"regions\":[{\"#\":\"region_0\",\"blocks\":[{\"#\":\"block_0\",\"args\":[],\"ops\":["
            + string.Join(",", _blocks.Peek()) + "]}]}]}}";
    }

    private static readonly string F23 = Pir.T(DataType.Float32, 2, 3);
    private static readonly string I1 = Pir.T(DataType.Int64, 1);
    private static readonly string B1 = Pir.T(DataType.Bool, 1);

    private string Save(Pir p)
    {
        var path = Path.Combine(_dir, $"m{Guid.NewGuid():N}.json");
        File.WriteAllText(path, p.Json);
        return path;
    }

    /// <summary>The PIR spelling of <see cref="WhileTests.AccumulateModel"/>: acc = acc * 0.5 + x, arr[i] = acc, i++ while i &lt; n.</summary>
    private string AccumulateProgram()
    {
        var p = new Pir();
        int x = p.Feed("x", DataType.Float32, 2, 3), n = p.Feed("n", DataType.Int64, 1);
        int i0 = p.Full(0, DataType.Int64);
        int c0 = p.Op1("1.less_than", [i0, n], B1);
        int arr0 = p.Op1("1.create_array", [], Pir.Arr(DataType.Float32), Pir.Attr("dtype", "1.a_dtype", "\"float32\""));
        var r = p.While(c0, [x, i0, arr0], [F23, I1, Pir.Arr(DataType.Float32)], a =>
        {
            int half = p.Full(0.5, DataType.Float32);
            int scaled = p.Op1("1.scale", [a[0], half], F23, Pir.Attr("bias", "0.a_f32", "0.0"), Pir.Attr("bias_after_scale", "0.a_bool", "true"));
            int acc = p.Op1("1.add", [scaled, x], F23);
            int arr = p.Op1("1.array_write_", [a[2], acc, a[1]], Pir.Arr(DataType.Float32));
            int i = p.Op1("1.increment_", [a[1]], I1, Pir.Attr("value", "0.a_f32", "1.0"));
            int c = p.Op1("1.less_than", [i, n], B1);
            return [c, acc, i, arr];
        });
        var stacked = p.Op("1.array_to_tensor", [r[2]], [Pir.Attr("axis", "0.a_i32", "0"), Pir.Attr("use_stack", "0.a_bool", "true")], Pir.T(DataType.Float32, -1, 2, 3), Pir.T(DataType.Int32, -1));
        int len = p.Op1("1.array_length", [r[2]], I1);
        p.Fetch(r[0], 0, F23);
        p.Fetch(r[1], 1, I1);
        p.Fetch(stacked[0], 2, Pir.T(DataType.Float32, -1, 2, 3));
        p.Fetch(stacked[1], 3, Pir.T(DataType.Int32, -1));
        p.Fetch(len, 4, I1);
        return Save(p);
    }

    private static readonly float[] X = [1f, -2f, 0.25f, 3.5f, -0.125f, 7f];

    private static Dictionary<string, Tensor> Feeds(long n) => new() { ["x"] = Tensor.FromSpan<float>(X, [2, 3]), ["n"] = Tensor.FromSpan<long>([n], [1]) };

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(37)]
    public void While_MatchesItsLegacyTwinAndTheOracle(int n)
    {
        using var pir = new InferenceSession(AccumulateProgram());
        using var legacy = new InferenceSession(WhileTests.AccumulateModel());
        var p = pir.Run(Feeds(n));
        var l = legacy.Run(Feeds(n));
        Assert.Equal(l.Count, p.Count);
        for (int k = 0; k < l.Count; k++)
        {
            Assert.Equal(l[k].DataType, p[k].DataType);
            Assert.Equal(l[k].Shape.ToArray(), p[k].Shape.ToArray());
            Assert.Equal(l[k].Bytes.ToArray(), p[k].Bytes.ToArray());
        }
        // And against plain arithmetic, so the two cannot agree on a wrong answer.
        var acc = (float[])X.Clone();
        var steps = new List<float>();
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < acc.Length; j++) acc[j] = acc[j] * 0.5f + X[j];
            steps.AddRange(acc);
        }
        Assert.Equal(acc, p[0].AsSpan<float>().ToArray());
        Assert.Equal([(long)n], p[1].AsSpan<long>().ToArray());
        Assert.Equal(steps.ToArray(), p[2].AsSpan<float>().ToArray());
        Assert.Equal([(long)n], p[4].AsSpan<long>().ToArray());
    }

    [Fact]
    public void While_LeavesTheInitialValueUntouched_AndArraysStartEmptyEachRun()
    {
        // x is both the loop's initial value and read inside the body: the loop must work on a copy.
        using var s = new InferenceSession(AccumulateProgram());
        s.Run(Feeds(9));
        var outs = s.Run(Feeds(2));
        Assert.Equal([2L], outs[4].AsSpan<long>().ToArray());
        Assert.Equal(X.Select(v => (v * 0.5f + v) * 0.5f + v).ToArray(), outs[0].AsSpan<float>().ToArray());
    }

    [Fact]
    public void While_SteadyState_AllocatesNothing_AndManyThreadsShareOneSession()
    {
        using var s = new InferenceSession(AccumulateProgram());
        Tensor[] inputs = [Tensor.FromSpan<float>(X, [2, 3]), Tensor.FromSpan<long>([12L], [1])];
        var outputs = s.Run(Feeds(12)).Select(t => new Tensor(t.DataType, t.Shape)).ToArray();
        s.Run(inputs, outputs);
        Action run = () => s.Run(inputs, outputs);
        Assert.Equal(0, SteadyState.AllocatedBytes(run, runsPerWindow: 5));

        int failures = 0;
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (int r = 0; r < 15; r++)
            {
                int n = 1 + ((t * 5 + r) % 9);
                var outs = s.Run(Feeds(n));
                if (outs[4].AsSpan<long>()[0] != n || outs[2].Shape[0] != n) Interlocked.Increment(ref failures);
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.Equal(0, failures);
    }

    /// <summary>(a, b) = (b, a + b): a yielded value that is another loop value's block argument must be read before it is rebound.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(20)]
    public void While_SwappedLoopValues_Fibonacci(int n)
    {
        var p = new Pir();
        int fn = p.Feed("n", DataType.Int64, 1);
        int a0 = p.Full(0, DataType.Int64), b0 = p.Full(1, DataType.Int64), i0 = p.Full(0, DataType.Int64);
        int c0 = p.Op1("1.less_than", [i0, fn], B1);
        var r = p.While(c0, [a0, b0, i0], [I1, I1, I1], a =>
        {
            int sum = p.Op1("1.add", [a[0], a[1]], I1);
            int i = p.Op1("1.increment_", [a[2]], I1, Pir.Attr("value", "0.a_f32", "1.0"));
            int c = p.Op1("1.less_than", [i, fn], B1);
            return [c, a[1], sum, i];
        });
        p.Fetch(r[0], 0, I1);
        p.Fetch(r[1], 1, I1);
        using var s = new InferenceSession(Save(p));
        var outs = s.Run(new Dictionary<string, Tensor> { ["n"] = Tensor.FromSpan<long>([n], [1]) });
        long fa = 0, fb = 1;
        for (int k = 0; k < n; k++) (fa, fb) = (fb, fa + fb);
        Assert.Equal([fa], outs[0].AsSpan<long>().ToArray());
        Assert.Equal([fb], outs[1].AsSpan<long>().ToArray());
    }

    /// <summary>(a, b) = (b, a): without reading both block arguments before rebinding, both would end up equal.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public void While_SwapOfTwoLoopValues(int n)
    {
        var p = new Pir();
        int fn = p.Feed("n", DataType.Int64, 1);
        int a0 = p.Full(3, DataType.Int64), b0 = p.Full(8, DataType.Int64), i0 = p.Full(0, DataType.Int64);
        int c0 = p.Op1("1.less_than", [i0, fn], B1);
        var r = p.While(c0, [a0, b0, i0], [I1, I1, I1], a =>
        {
            int i = p.Op1("1.increment_", [a[2]], I1, Pir.Attr("value", "0.a_f32", "1.0"));
            return [p.Op1("1.less_than", [i, fn], B1), a[1], a[0], i];
        });
        p.Fetch(r[0], 0, I1);
        p.Fetch(r[1], 1, I1);
        using var s = new InferenceSession(Save(p));
        var outs = s.Run(new Dictionary<string, Tensor> { ["n"] = Tensor.FromSpan<long>([n], [1]) });
        Assert.Equal([n % 2 == 0 ? 3L : 8L], outs[0].AsSpan<long>().ToArray());
        Assert.Equal([n % 2 == 0 ? 8L : 3L], outs[1].AsSpan<long>().ToArray());
    }

    /// <summary>A while nested in a while: the inner counter restarts on every outer pass (acc counts m·n), as the legacy NestedWhile test.</summary>
    [Theory]
    [InlineData(3, 4)]
    [InlineData(1, 0)]
    [InlineData(0, 5)]
    [InlineData(5, 7)]
    public void NestedWhile_InnerCounterRestartsEachOuterPass(long m, long n)
    {
        var p = new Pir();
        var f1 = Pir.T(DataType.Float32, 1);
        int fm = p.Feed("m", DataType.Int64, 1), fn = p.Feed("n", DataType.Int64, 1);
        int acc0 = p.Full(0, DataType.Float32), j0 = p.Full(0, DataType.Int64);
        var r = p.While(p.Op1("1.less_than", [j0, fm], B1), [acc0, j0], [f1, I1], outer =>
        {
            int i0 = p.Full(0, DataType.Int64);
            var inner = p.While(p.Op1("1.less_than", [i0, fn], B1), [outer[0], i0], [f1, I1], a =>
            {
                int one = p.Full(1, DataType.Float32);
                int acc = p.Op1("1.add", [a[0], one], f1);
                int i = p.Op1("1.increment_", [a[1]], I1, Pir.Attr("value", "0.a_f32", "1.0"));
                return [p.Op1("1.less_than", [i, fn], B1), acc, i];
            });
            int j = p.Op1("1.increment_", [outer[1]], I1, Pir.Attr("value", "0.a_f32", "1.0"));
            return [p.Op1("1.less_than", [j, fm], B1), inner[0], j];
        });
        p.Fetch(r[0], 0, f1);
        p.Fetch(r[1], 1, I1);
        using var s = new InferenceSession(Save(p));
        var outs = s.Run(new Dictionary<string, Tensor> { ["m"] = Tensor.FromSpan<long>([m], [1]), ["n"] = Tensor.FromSpan<long>([n], [1]) });
        Assert.Equal([(float)(m * n)], outs[0].AsSpan<float>().ToArray());
        Assert.Equal([m], outs[1].AsSpan<long>().ToArray());
    }

    /// <summary>
    /// An array loop value written only on some passes, inside an if whose branches both yield the array (in place):
    /// arr gets i for every even i &lt; n, so its length is ceil(n/2) and its stacked elements are 0, 2, 4…
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(9)]
    public void ArrayWrittenInsideAnIfInsideAWhile(int n)
    {
        var p = new Pir();
        var arrT = Pir.Arr(DataType.Int64);
        int fn = p.Feed("n", DataType.Int64, 1);
        int i0 = p.Full(0, DataType.Int64), k0 = p.Full(0, DataType.Int64);
        int arr0 = p.Op1("1.create_array", [], arrT, Pir.Attr("dtype", "1.a_dtype", "\"int64\""));
        var r = p.While(p.Op1("1.less_than", [i0, fn], B1), [arr0, i0, k0], [arrT, I1, I1], a =>
        {
            int two = p.Full(2, DataType.Int64), zero = p.Full(0, DataType.Int64);
            int even = p.Op1("1.equal", [p.Op1("1.remainder", [a[1], two], I1), zero], B1);
            var written = p.If(even, [arrT, I1],
                () => [p.Op1("1.array_write_", [a[0], a[1], a[2]], arrT), p.Op1("1.increment_", [a[2]], I1, Pir.Attr("value", "0.a_f32", "1.0"))],
                () => [a[0], a[2]]);
            int i = p.Op1("1.increment_", [a[1]], I1, Pir.Attr("value", "0.a_f32", "1.0"));
            return [p.Op1("1.less_than", [i, fn], B1), written[0], i, written[1]];
        });
        var stacked = p.Op("1.array_to_tensor", [r[0]], [Pir.Attr("axis", "0.a_i32", "0"), Pir.Attr("use_stack", "0.a_bool", "false")], Pir.T(DataType.Int64, -1), Pir.T(DataType.Int32, -1));
        p.Fetch(p.Op1("1.array_length", [r[0]], I1), 0, I1);
        p.Fetch(stacked[0], 1, Pir.T(DataType.Int64, -1));
        using var s = new InferenceSession(Save(p));
        var outs = s.Run(new Dictionary<string, Tensor> { ["n"] = Tensor.FromSpan<long>([n], [1]) });
        var evens = Enumerable.Range(0, n).Where(v => v % 2 == 0).Select(v => (long)v).ToArray();
        Assert.Equal([(long)evens.Length], outs[0].AsSpan<long>().ToArray());
        Assert.Equal(evens, outs[1].AsSpan<long>().ToArray());
    }

    private string IfProgram()
    {
        var p = new Pir();
        var f4 = Pir.T(DataType.Float32, 4);
        int x = p.Feed("x", DataType.Float32, 4), t = p.Feed("t", DataType.Float32, 1);
        int zero = p.Full(0, DataType.Float32);
        int cond = p.Op1("1.greater_than", [t, zero], B1);
        var r = p.If(cond, [f4, f4],
            () => [p.Op1("1.multiply", [x, x], f4), x],
            () =>
            {
                int one = p.Full(1, DataType.Float32);
                int e = p.Op1("1.subtract", [x, one], f4);
                return [e, e];
            });
        int after = p.Op1("1.add", [r[0], r[1]], f4);
        p.Fetch(r[0], 0, f4);
        p.Fetch(r[1], 1, f4);
        p.Fetch(after, 2, f4);
        return Save(p);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-1f)]
    [InlineData(0f)]
    public void If_RunsTheBranchTheConditionPicks(float t)
    {
        using var s = new InferenceSession(IfProgram());
        float[] x = [1.5f, -2f, 0f, 4f];
        // Twice, flipping the branch in between, so a stale result of the other branch would show.
        for (int round = 0; round < 2; round++)
        {
            float tt = round == 0 ? t : -t;
            var outs = s.Run(new Dictionary<string, Tensor> { ["x"] = Tensor.FromSpan<float>(x, [4]), ["t"] = Tensor.FromSpan<float>([tt], [1]) });
            var r0 = tt > 0 ? x.Select(v => v * v).ToArray() : x.Select(v => v - 1f).ToArray();
            var r1 = tt > 0 ? x : x.Select(v => v - 1f).ToArray();
            Assert.Equal(r0, outs[0].AsSpan<float>().ToArray());
            Assert.Equal(r1, outs[1].AsSpan<float>().ToArray());
            Assert.Equal(r0.Zip(r1, (a, b) => a + b).ToArray(), outs[2].AsSpan<float>().ToArray());
        }
    }

    /// <summary>An if nested in a while body, reading a block argument and a value from the top level.</summary>
    [Theory]
    [InlineData(6, 2)]
    [InlineData(3, 5)]
    [InlineData(0, 1)]
    public void IfInsideWhile(int n, int k)
    {
        var p = new Pir();
        var f1 = Pir.T(DataType.Float32, 1);
        int fn = p.Feed("n", DataType.Int64, 1), fk = p.Feed("k", DataType.Int64, 1), fx = p.Feed("x", DataType.Float32, 1);
        int acc0 = p.Full(1, DataType.Float32), i0 = p.Full(0, DataType.Int64);
        int c0 = p.Op1("1.less_than", [i0, fn], B1);
        var r = p.While(c0, [acc0, i0], [f1, I1], a =>
        {
            int small = p.Op1("1.less_than", [a[1], fk], B1);
            var acc = p.If(small, [f1],
                () => [p.Op1("1.add", [a[0], fx], f1)],
                () => [p.Op1("1.multiply", [a[0], p.Full(2, DataType.Float32)], f1)]);
            int i = p.Op1("1.increment_", [a[1]], I1, Pir.Attr("value", "0.a_f32", "1.0"));
            return [p.Op1("1.less_than", [i, fn], B1), acc[0], i];
        });
        p.Fetch(r[0], 0, f1);
        using var s = new InferenceSession(Save(p));
        var outs = s.Run(new Dictionary<string, Tensor>
        {
            ["n"] = Tensor.FromSpan<long>([n], [1]),
            ["k"] = Tensor.FromSpan<long>([k], [1]),
            ["x"] = Tensor.FromSpan<float>([0.75f], [1]),
        });
        float expected = 1f;
        for (int i = 0; i < n; i++) expected = i < k ? expected + 0.75f : expected * 2f;
        Assert.Equal([expected], outs[0].AsSpan<float>().ToArray());
    }

    /// <summary>
    /// A conv output read by a relu at the top level and inside a branch: fusing the relu into the conv would hand the
    /// branch rectified values, so the lowered op must list the branch's outer reads (as Paddle's conditional_block does).
    /// </summary>
    [Fact]
    public void ValuesReadInsideABranch_AreNotRewrittenByTopLevelFusion()
    {
        var p = new Pir();
        var f = Pir.T(DataType.Float32, 1, 1, 2, 2);
        int x = p.Feed("x", DataType.Float32, 1, 1, 2, 2), w = p.Feed("w", DataType.Float32, 1, 1, 1, 1), t = p.Feed("t", DataType.Float32, 1);
        static string Ints(params int[] v) => $"[{string.Join(",", v.Select(i => $"{{\"#\":\"0.a_i32\",\"D\":{i}}}"))}]";
        int conv = p.Op1("1.conv2d", [x, w], f, Pir.Attr("strides", "0.a_array", Ints(1, 1)), Pir.Attr("paddings", "0.a_array", Ints(0, 0)),
            Pir.Attr("padding_algorithm", "0.a_str", "\"EXPLICIT\""), Pir.Attr("dilations", "0.a_array", Ints(1, 1)), Pir.Attr("groups", "0.a_i32", "1"),
            Pir.Attr("data_format", "0.a_str", "\"NCHW\""));
        int relu = p.Op1("1.relu", [conv], f);
        int cond = p.Op1("1.greater_than", [t, p.Full(0, DataType.Float32)], B1);
        var y = p.If(cond, [f], () => [p.Op1("1.add", [conv, conv], f)], () => [conv]);
        p.Fetch(relu, 0, f);
        p.Fetch(y[0], 1, f);
        using var s = new InferenceSession(Save(p));
        var outs = s.Run(new Dictionary<string, Tensor>
        {
            ["x"] = Tensor.FromSpan<float>([1f, -2f, 3f, -4f], [1, 1, 2, 2]),
            ["w"] = Tensor.FromSpan<float>([0.5f], [1, 1, 1, 1]),
            ["t"] = Tensor.FromSpan<float>([1f], [1]),
        });
        Assert.Equal([0.5f, 0f, 1.5f, 0f], outs[0].AsSpan<float>().ToArray());
        Assert.Equal([1f, -2f, 3f, -4f], outs[1].AsSpan<float>().ToArray());
    }

    [Fact]
    public void SelectInput_PicksByMask()
    {
        var p = new Pir();
        var f2 = Pir.T(DataType.Float32, 2);
        int m = p.Feed("mask", DataType.Int32, 1), a = p.Feed("a", DataType.Float32, 2), b = p.Feed("b", DataType.Float32, 2);
        p.Fetch(p.Op1("1.select_input", [m, a, b], f2), 0, f2);
        using var s = new InferenceSession(Save(p));
        foreach (int mask in new[] { 0, 1 })
        {
            var outs = s.Run(new Dictionary<string, Tensor>
            {
                ["mask"] = Tensor.FromSpan<int>([mask], [1]),
                ["a"] = Tensor.FromSpan<float>([1f, 2f], [2]),
                ["b"] = Tensor.FromSpan<float>([3f, 4f], [2]),
            });
            Assert.Equal(mask == 0 ? new[] { 1f, 2f } : [3f, 4f], outs[0].AsSpan<float>().ToArray());
        }
    }

    [Fact]
    public void While_ThatNeverEnds_StopsAtTheIterationLimit()
    {
        var p = new Pir();
        int fx = p.Feed("x", DataType.Int64, 1);
        int yes = p.Op1("1.full", [], B1, Pir.Attr("shape", "1.a_intarray", "[1]"), Pir.Attr("value", "0.a_f64", "1.0"), Pir.Attr("dtype", "1.a_dtype", "\"bool\""));
        var r = p.While(yes, [fx], [I1], a => [yes, p.Op1("1.increment_", [a[0]], I1, Pir.Attr("value", "0.a_f32", "1.0"))]);
        p.Fetch(r[0], 0, I1);
        using var s = new InferenceSession(Save(p), new SessionOptions { MaxLoopIterations = 40 });
        var e = Assert.Throws<PaddleNetException>(() => s.Run(new Dictionary<string, Tensor> { ["x"] = Tensor.FromSpan<long>([0], [1]) }));
        Assert.Contains("did not finish within 40 iterations", e.Message);
    }

    /// <summary>
    /// Mutation fuzzing of a PIR program with regions (ids, counts and op names changed at random, and every
    /// truncation): loading, planning and running either succeed or throw a <see cref="PaddleNetException"/>.
    /// </summary>
    [Fact]
    public void MutatedControlFlowPrograms_OnlyEverThrowPaddleNetException()
    {
        var original = File.ReadAllText(AccumulateProgram());
        var numbers = System.Text.RegularExpressions.Regex.Matches(original, "-?[0-9]+").Select(m => (m.Index, m.Length)).ToArray();
        string[] names = ["1.while", "1.if", "2.yield", "1.array_write_", "1.array_read", "1.create_array", "1.array_length", "1.less_than", "1.increment_", "1.add"];
        var rng = new Random(20261206);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var options = new SessionOptions { MaxLoopIterations = 200 };
        int loaded = 0;
        for (int k = 0; k < 300 && clock.Elapsed < TimeSpan.FromSeconds(60); k++)
        {
            var text = original;
            for (int edits = 1 + rng.Next(3); edits > 0; edits--)
            {
                if (rng.Next(3) == 0)
                {
                    var from = names[rng.Next(names.Length)];
                    int at = text.IndexOf($"\"{from}\"", StringComparison.Ordinal);
                    if (at >= 0) text = string.Concat(text.AsSpan(0, at + 1), names[rng.Next(names.Length)], text.AsSpan(at + 1 + from.Length));
                }
                else
                {
                    var (at, len) = numbers[rng.Next(numbers.Length)];
                    if (at + len <= text.Length && System.Text.RegularExpressions.Regex.IsMatch(text.Substring(at, len), "^-?[0-9]+$"))
                    {
                        text = string.Concat(text.AsSpan(0, at), (rng.Next(46) - 6).ToString(CultureInfo.InvariantCulture), text.AsSpan(at + len));
                    }
                }
            }
            try
            {
                var model = PaddleModel.Load(System.Text.Encoding.UTF8.GetBytes(text), null);
                using var session = new InferenceSession(model, options);
                loaded++;
                session.Run(Feeds(1 + rng.Next(4)));
            }
            catch (PaddleNetException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"mutation {k}: {e.GetType().Name}: {e.Message}\n{text}");
            }
        }
        var bytes = System.Text.Encoding.UTF8.GetBytes(original);
        for (int n = 0; n < bytes.Length; n += 5) Assert.Throws<ModelFormatException>(() => PaddleModel.Load(bytes.AsMemory(0, n), null));
        Assert.True(loaded > 0, "no mutation loaded: the fuzzing only exercised the JSON parser");
    }

    private ModelFormatException Refused(string json)
    {
        var path = Path.Combine(_dir, $"bad{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return Assert.Throws<ModelFormatException>(() => PaddleModel.Load(path));
    }

    private static string Program(params string[] ops) =>
        "{\"base_code\":{\"magic\":\"pir\",\"trainable\":true,\"version\":1},\"program\":{\"regions\":[{\"#\":\"region_0\",\"blocks\":[{\"#\":\"block_0\",\"args\":[],\"ops\":["
        + string.Join(",", ops) + "]}]}]}}";

    private static string Data(int id, string name) =>
        $"{{\"#\":\"1.data\",\"A\":[{Pir.Attr("name", "0.a_str", $"\"{name}\"")},{Pir.Attr("shape", "1.a_intarray", "[1]")},{Pir.Attr("dtype", "1.a_dtype", "\"bool\"")}],\"I\":[],\"O\":[{{\"%\":{id},\"TT\":{B1}}}]}}";

    private static string WhileOp(string operands, string results, string blockArgs, string bodyOps) =>
        $"{{\"#\":\"1.while\",\"A\":[],\"I\":[{operands}],\"O\":[{results}],\"regions\":[{{\"#\":\"region_1\",\"blocks\":[{{\"#\":\"block_1\",\"args\":[{blockArgs}],\"ops\":[{bodyOps}]}}]}}]}}";

    private static string Yield(params int[] ids) => $"{{\"#\":\"2.yield\",\"A\":[],\"I\":[{string.Join(",", ids.Select(i => $"{{\"%\":{i}}}"))}],\"O\":[]}}";

    private static string Not(int input, int id) => $"{{\"#\":\"1.logical_not\",\"A\":[],\"I\":[{{\"%\":{input}}}],\"O\":[{{\"%\":{id},\"TT\":{B1}}}]}}";

    [Fact]
    public void HostilePrograms_AreRefusedNamingTheOpAndField()
    {
        var c = Data(1, "c");
        // A while body that does not end with cf.yield.
        var e = Refused(Program(c, WhileOp("{\"%\":1},{\"%\":1}", $"{{\"%\":2,\"TT\":{B1}}}", $"{{\"#\":-1,\"TT\":{B1}}}", Not(-1, 3))));
        Assert.Contains("pd_op.while", e.Message);
        Assert.Contains("cf.yield", e.Message);

        // Operands that do not match the results (a condition plus one loop value per result).
        e = Refused(Program(c, WhileOp("{\"%\":1}", $"{{\"%\":2,\"TT\":{B1}}}", $"{{\"#\":-1,\"TT\":{B1}}}", Yield(1, -1))));
        Assert.Contains("operands", e.Message);

        // A block argument with a non-negative id.
        e = Refused(Program(c, WhileOp("{\"%\":1},{\"%\":1}", $"{{\"%\":2,\"TT\":{B1}}}", $"{{\"#\":5,\"TT\":{B1}}}", Yield(1, 5))));
        Assert.Contains("should be negative", e.Message);

        // A body value used after the loop (values do not escape their region).
        e = Refused(Program(c, WhileOp("{\"%\":1},{\"%\":1}", $"{{\"%\":2,\"TT\":{B1}}}", $"{{\"#\":-1,\"TT\":{B1}}}", Not(-1, 3) + "," + Yield(3, 3)), Not(3, 4)));
        Assert.Contains("uses value 3", e.Message);

        // An input declared inside a region.
        e = Refused(Program(c, WhileOp("{\"%\":1},{\"%\":1}", $"{{\"%\":2,\"TT\":{B1}}}", $"{{\"#\":-1,\"TT\":{B1}}}", Data(3, "inner") + "," + Yield(3, 3))));
        Assert.Contains("top-level block", e.Message);

        // An array op on a plain tensor.
        e = Refused(Program(c, $"{{\"#\":\"1.array_length\",\"A\":[],\"I\":[{{\"%\":1}}],\"O\":[{{\"%\":2,\"TT\":{I1}}}]}}"));
        Assert.Contains("(1.array_length): operand 0 should be a tensor array", e.Message);

        // cf.yield outside any region.
        e = Refused(Program(c, Yield(1)));
        Assert.Contains("cf.yield", e.Message);

        // An if with one region, and one whose then-branch yields the wrong number of values.
        var oneRegion = $"{{\"#\":\"1.if\",\"A\":[],\"I\":[{{\"%\":1}}],\"O\":[],\"regions\":[{{\"#\":\"region_1\",\"blocks\":[{{\"#\":\"block_1\",\"args\":[],\"ops\":[{Yield()}]}}]}}]}}";
        e = Refused(Program(c, oneRegion));
        Assert.Contains("pd_op.if", e.Message);
        var badYield = $"{{\"#\":\"1.if\",\"A\":[],\"I\":[{{\"%\":1}}],\"O\":[{{\"%\":2,\"TT\":{B1}}}],\"regions\":["
            + $"{{\"#\":\"region_1\",\"blocks\":[{{\"#\":\"block_1\",\"args\":[],\"ops\":[{Yield()}]}}]}},"
            + $"{{\"#\":\"region_2\",\"blocks\":[{{\"#\":\"block_2\",\"args\":[],\"ops\":[{Yield(1)}]}}]}}]}}";
        e = Refused(Program(c, badYield));
        Assert.Contains("then block should end with cf.yield of 1 values", e.Message);

        // A value from the then-branch read in the else-branch.
        var crossed = $"{{\"#\":\"1.if\",\"A\":[],\"I\":[{{\"%\":1}}],\"O\":[{{\"%\":2,\"TT\":{B1}}}],\"regions\":["
            + $"{{\"#\":\"region_1\",\"blocks\":[{{\"#\":\"block_1\",\"args\":[],\"ops\":[{Not(1, 3)},{Yield(3)}]}}]}},"
            + $"{{\"#\":\"region_2\",\"blocks\":[{{\"#\":\"block_2\",\"args\":[],\"ops\":[{Yield(3)}]}}]}}]}}";
        e = Refused(Program(c, crossed));
        Assert.Contains("(2.yield) uses value 3", e.Message);
    }
}
