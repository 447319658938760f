namespace PaddleNet.Model.Pir;

/// <summary>Result of reading a PIR program: the normalised program and the parameter names in file order.</summary>
internal sealed record PirProgram(Program Program, int Version, IReadOnlyList<string> ParameterNames);

/// <summary>
/// Reads a Paddle 3 PIR JSON program and normalises it into the legacy vocabulary, so that a PIR
/// export and a legacy export of the same network look the same downstream:
/// <list type="bullet">
/// <item>pd_op names, operand order and attribute names become legacy op types, slots and attributes (<see cref="PirOpTable"/>);</item>
/// <item>constant "mutable attribute" operands (<c>full_int_array</c>, <c>full</c>, and <c>combine</c>s of them) are folded back into attributes;</item>
/// <item>non-constant ones become the legacy tensor / tensor-list slots (<c>stack</c>ed scalars become a list, as legacy <c>ShapeTensor</c>);</item>
/// <item><c>builtin.combine</c>/<c>split</c>/<c>slice</c> disappear into slot lists; <c>data</c>/<c>feed</c>/<c>fetch</c> become feed/fetch ops.</item>
/// </list>
/// </summary>
internal static class PirProgramReader
{
    public static PirProgram Read(ReadOnlySpan<byte> bytes, string? path)
    {
        var (version, ops) = PirJson.Parse(bytes, path);
        return new Normalizer(path, ops).Run(version);
    }

    private sealed class Normalizer
    {
        private readonly string? _path;
        private readonly List<PirOp> _ops;
        private readonly Dictionary<long, PirOp> _producer = new();
        private readonly Dictionary<long, PirType> _types = new();
        private readonly Dictionary<long, string> _names = new();
        private readonly Dictionary<long, string[]> _vectors = new();
        private readonly Dictionary<long, object> _constants = new();
        private readonly Dictionary<long, int> _materialUses = new();
        private readonly Program _program = new();
        private readonly List<(Operator Op, Block Block, long[] Results, bool Removable)> _emitted = new();
        private readonly List<PirOp> _allOps = new();
        private Block _current = null!;
        private readonly List<string> _parameters = new();

        public Normalizer(string? path, List<PirOp> ops)
        {
            _path = path;
            _ops = ops;
        }

        private Block Main => _program.Blocks[0];

        public PirProgram Run(int version)
        {
            _program.Blocks.Add(new Block(0, -1));
            Main.Vars["feed"] = new Variable("feed", VarKind.FeedList, null, [], true);
            Main.Vars["fetch"] = new Variable("fetch", VarKind.FetchList, null, [], true);
            IndexValues();
            _current = Main;
            EmitBlock(_ops);
            RemoveUnusedConstants();
            _parameters.Sort(StringComparer.Ordinal);
            return new PirProgram(_program, version, _parameters);
        }

        private int _feedCol;

        /// <summary>Normalises a block's ops into <see cref="_current"/> (a region's terminating cf.yield is left to its owner).</summary>
        private void EmitBlock(IEnumerable<PirOp> ops)
        {
            foreach (var op in ops)
            {
                switch (op.Name)
                {
                    case "p":
                        break;
                    case "1.data" or "1.feed":
                        {
                            var name = _names[op.Results[0].Id];
                            var feed = new Operator("feed");
                            feed.Inputs["X"] = ["feed"];
                            feed.Outputs["Out"] = [name];
                            feed.Attributes.Set("col", op.Attributes.TryGetValue("col", out var c) ? c : (long)_feedCol);
                            _feedCol++;
                            Emit(feed, op, removable: false);
                            break;
                        }
                    case "1.fetch":
                        {
                            var x = Operand(op, 0);
                            var fetch = new Operator("fetch");
                            fetch.Inputs["X"] = [Use(x)];
                            fetch.Outputs["Out"] = ["fetch"];
                            fetch.Attributes.Set("col", op.Attributes.GetValueOrDefault("col") ?? 0L);
                            if (op.Attributes.TryGetValue("name", out var n)) fetch.Attributes.Set("name", n);
                            Emit(fetch, op, removable: false, results: []);
                            break;
                        }
                    case "0.combine" or "0.split" or "0.slice":
                        break; // folded into slot lists (IndexValues)
                    case "1.full_int_array":
                        {
                            var values = op.Attributes.TryGetValue("value", out var v) ? v : Array.Empty<long>();
                            var assign = new Operator("assign_value");
                            assign.Outputs["Out"] = [_names[op.Results[0].Id]];
                            var longs = values switch { long[] l => l, double[] d => Array.ConvertAll(d, x => (long)x), _ => [] };
                            assign.Attributes.Set("shape", new[] { (long)longs.Length });
                            assign.Attributes.Set("dtype", op.Attributes.GetValueOrDefault("dtype") ?? (long)DataType.Int64.ToPaddle());
                            assign.Attributes.Set("int64_values", longs);
                            Emit(assign, op, removable: true);
                            break;
                        }
                    case "1.while":
                        LowerWhile(op);
                        break;
                    case "1.if":
                        LowerIf(op);
                        break;
                    case "2.yield":
                        throw new ModelFormatException(_path, $"op #{op.Index} (cf.yield) should be the last op of a pd_op.if / pd_op.while block", field: "cf.yield");
                    case "1.create_array":
                        {
                            var create = new Operator("create_array");
                            create.Outputs["Out"] = [ValueName(op.Results[0].Id)];
                            Emit(create, op, removable: false);
                            break;
                        }
                    case "1.array_write_":
                        {
                            var write = new Operator("write_to_array");
                            Use(Operand(op, 0));
                            write.Inputs["X"] = [Use(Operand(op, 1))];
                            write.Inputs["I"] = [Use(Operand(op, 2))];
                            write.Outputs["Out"] = [ValueName(op.Results[0].Id)];
                            Emit(write, op, removable: false);
                            break;
                        }
                    case "1.array_read":
                        {
                            var read = new Operator("read_from_array");
                            read.Inputs["X"] = [Use(Operand(op, 0))];
                            read.Inputs["I"] = [Use(Operand(op, 1))];
                            read.Outputs["Out"] = [ValueName(op.Results[0].Id)];
                            Emit(read, op, removable: false);
                            break;
                        }
                    case "1.select_input":
                        {
                            // select_input(mask, in0, in1): the legacy op's Mask and X list.
                            if (op.Operands.Length < 2) throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.select_input) needs a mask and at least one input, found {op.Operands.Length} operands", field: "I");
                            var select = new Operator("select_input");
                            select.Inputs["Mask"] = [Use(op.Operands[0])];
                            select.Inputs["X"] = op.Operands.Skip(1).Select(Use).ToArray();
                            select.Outputs["Out"] = [ValueName(op.Results[0].Id)];
                            Emit(select, op, removable: false);
                            break;
                        }
                    case "1.assign_out_":
                        {
                            // out = copy of x (the operand it overwrites in place is just a buffer here).
                            var assign = new Operator("assign");
                            assign.Inputs["X"] = [Use(Operand(op, 0))];
                            assign.Outputs["Out"] = [ValueName(op.Results[0].Id)];
                            Emit(assign, op, removable: false);
                            break;
                        }
                    default:
                        NormalizeOp(op);
                        break;
                }
            }
        }

        /// <summary>Names every value, records types, vectors and constants, and declares variables.</summary>
        private void IndexValues()
        {
            IndexBlock(_ops, [], new HashSet<long>(), top: true);
            // Vectors produced by multi-result ops and never unpacked still need element names.
            foreach (var op in _allOps)
            {
                foreach (var (id, type) in op.Results)
                {
                    if (type.IsVector && !_vectors.ContainsKey(id))
                    {
                        _vectors[id] = type.Elements.Select((t, k) =>
                        {
                            var element = $"pir.{id}.{k}";
                            Declare(element, t, persistable: false);
                            return element;
                        }).ToArray();
                    }
                }
            }
        }

        /// <summary>
        /// Indexes one block: a value is visible in the block that defines it and in blocks nested in it, after
        /// its definition (PIR's dominance rule), so a use from a sibling region or before the definition is refused.
        /// </summary>
        private void IndexBlock(List<PirOp> ops, (long Id, PirType Type)[] args, HashSet<long> visible, bool top)
        {
            var definedHere = new List<long>();
            foreach (var (id, type) in args)
            {
                if (id >= 0) throw new ModelFormatException(_path, $"block argument id {id} should be negative", field: "args.#");
                if (!_types.TryAdd(id, type)) throw new ModelFormatException(_path, $"value id {id} is defined twice", field: "args.#");
                visible.Add(id);
                definedHere.Add(id);
            }
            foreach (var op in ops)
            {
                _allOps.Add(op);
                if (!top && op.Name is "p" or "1.data" or "1.feed" or "1.fetch")
                {
                    throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}) belongs in the top-level block, not inside a control-flow region", field: op.Name);
                }
                foreach (var operand in op.Operands)
                {
                    if (operand != 0 && !visible.Contains(operand))
                    {
                        throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}) uses value {operand}, which is not defined before it in this block or an enclosing one", field: "I.%");
                    }
                }
                for (int k = 0; k < op.Operands.Length; k++)
                {
                    if (IsArrayValue(op.Operands[k]) && !TakesArray(op.Name, k))
                    {
                        throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}): operand {k} is a tensor array, which this op does not take", field: "I");
                    }
                }
                if (op.HasRegions && op.Name is not ("1.while" or "1.if"))
                {
                    throw new UnsupportedOperatorException(_path, op.Name, 0, op.Index, "only pd_op.if and pd_op.while may carry regions");
                }
                for (int r = 0; r < op.Results.Length; r++)
                {
                    var (id, type) = op.Results[r];
                    if (id <= 0) throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}) defines value id {id}; ids must be positive", field: "O.%");
                    if (!_producer.TryAdd(id, op)) throw new ModelFormatException(_path, $"value id {id} is defined twice (op #{_producer[id].Index} and op #{op.Index})", field: "O.%");
                    _types[id] = type;
                }
                switch (op.Name)
                {
                    case "1.while":
                        IndexWhile(op, visible);
                        break;
                    case "1.if":
                        IndexIf(op, visible);
                        break;
                    case "1.create_array":
                        if (op.Operands.Length != 0 || !_types[Result(op, 0)].IsArray)
                        {
                            throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.create_array) should take no operands and give one tensor array", field: "O");
                        }
                        Name(Result(op, 0), _types[Result(op, 0)]);
                        break;
                    case "1.array_read" or "1.array_length" or "1.array_to_tensor":
                        if (!IsArrayValue(Operand(op, 0))) throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}): operand 0 should be a tensor array", field: "I");
                        Result(op, 0);
                        foreach (var (id, type) in op.Results) Name(id, type);
                        break;
                    case "1.select_input" or "1.assign_out_":
                        Name(Result(op, 0), op.Results[0].Type);
                        break;
                    case "1.array_write_":
                        {
                            // The written array is the same array: the result aliases the operand's name.
                            long array = Operand(op, 0), result = Result(op, 0);
                            if (!IsArrayValue(array)) throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.array_write_): operand 0 should be a tensor array", field: "I");
                            _names[result] = ValueName(array);
                            break;
                        }
                    case "p":
                        {
                            var (id, type) = op.Results[0];
                            var name = op.ParameterName!;
                            if (Main.Vars.ContainsKey(name)) throw new ModelFormatException(_path, $"parameter '{name}' is declared twice", field: name);
                            _names[id] = name;
                            Declare(name, type, persistable: op.Persistable);
                            if (op.Persistable) _parameters.Add(name);
                            break;
                        }
                    case "1.data" or "1.feed":
                        {
                            if (op.Results.Length != 1) throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}) should have one result", field: "O");
                            var name = op.Attributes.TryGetValue("name", out var n) && n is string s && s.Length > 0 ? s : $"input_{op.Index}";
                            if (Main.Vars.ContainsKey(name)) throw new ModelFormatException(_path, $"input '{name}' is declared twice", field: name);
                            _names[op.Results[0].Id] = name;
                            Declare(name, op.Results[0].Type, persistable: false);
                            break;
                        }
                    case "0.combine":
                        if (op.Results.Length != 1) throw new ModelFormatException(_path, $"op #{op.Index} (builtin.combine) should have one result", field: "O");
                        _vectors[op.Results[0].Id] = op.Operands.Select(ValueName).ToArray();
                        break;
                    case "0.split":
                        {
                            long vec = Operand(op, 0);
                            var names = op.Results.Select(r => Name(r.Id, r.Type)).ToArray();
                            _vectors[vec] = names;
                            break;
                        }
                    case "0.slice":
                        {
                            long vec = Operand(op, 0);
                            long at = op.Attributes.GetValueOrDefault("index") is long l ? l : 0;
                            // A vector has a handful of elements; a hostile index must not size the names below.
                            if (at < 0 || at > 65536) throw new ModelFormatException(_path, $"op #{op.Index} (builtin.slice) attribute 'index' = {at} is out of range", field: "index");
                            int index = (int)at;
                            var elementType = _types[vec].Elements.Count > index ? _types[vec].Elements[index] : PirType.Null;
                            if (!_vectors.TryGetValue(vec, out var elems))
                            {
                                elems = Enumerable.Range(0, Math.Max(index + 1, _types[vec].Elements.Count)).Select(k => $"pir.{vec}.{k}").ToArray();
                                _vectors[vec] = elems;
                            }
                            if (index < 0 || index >= elems.Length) throw new ModelFormatException(_path, $"op #{op.Index} (builtin.slice) index {index} is out of range", field: "index");
                            _names[op.Results[0].Id] = elems[index];
                            Declare(elems[index], elementType, persistable: false);
                            break;
                        }
                    default:
                        foreach (var (id, type) in op.Results)
                        {
                            if (!type.IsVector) Name(id, type);
                        }
                        break;
                }
                if (op.Name is not ("1.while" or "1.if"))
                {
                    // Arrays live under one name and are updated in place: only these ops may give one.
                    bool arrays = op.Name is "1.create_array" or "1.array_write_" || (op.Name is "1.assign" or "1.assign_out_" && op.Operands.Length > 0 && IsArrayValue(op.Operands[0]));
                    foreach (var (_, type) in op.Results)
                    {
                        if (type.IsArray != arrays) throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}) should give {(arrays ? "a tensor array" : "no tensor array")}", field: "O.TT");
                    }
                }
                if (op.Name is "1.full_int_array" or "1.full" or "0.combine" && op.Results.Length == 0)
                {
                    throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}) has no result", field: op.Name);
                }
                if (op.Name is "1.full_int_array" or "1.full") RecordConstant(op);
                if (op.Name == "0.combine" && op.Operands.All(_constants.ContainsKey))
                {
                    _constants[op.Results[0].Id] = op.Operands.Select(o => _constants[o]).SelectMany(Flatten).ToArray();
                }
                foreach (var (id, _) in op.Results)
                {
                    visible.Add(id);
                    definedHere.Add(id);
                }
            }
            if (!top)
            {
                foreach (var id in definedHere) visible.Remove(id);
            }
        }

        private static IEnumerable<double> Flatten(object v) => v switch
        {
            double[] d => d,
            long[] l => l.Select(x => (double)x),
            double d => [d],
            long l => [(double)l],
            _ => [],
        };

        private void RecordConstant(PirOp op)
        {
            var id = op.Results[0].Id;
            if (op.Name == "1.full_int_array")
            {
                _constants[id] = op.Attributes.GetValueOrDefault("value") switch
                {
                    long[] l => l,
                    double[] d => Array.ConvertAll(d, x => x == Math.Floor(x) && Math.Abs(x) < 9.2e18 ? (long)x
                        : throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}) attribute 'value' holds {x}, not an integer", field: "value")),
                    _ => Array.Empty<long>(),
                };
                return;
            }
            // full(shape, value): constant when small; the value repeated numel times.
            var shape = op.Attributes.GetValueOrDefault("shape") as long[] ?? [];
            long numel = 1;
            foreach (var d in shape)
            {
                if (d > 64) return; // large (or hostile): not folded, and the product cannot overflow
                numel *= Math.Max(d, 0);
                if (numel > 64) return;
            }
            double value = op.Attributes.GetValueOrDefault("value") switch { double d => d, long l => l, _ => 0 };
            _constants[id] = Enumerable.Repeat(value, (int)numel).ToArray();
        }

        private static readonly PirType BoolScalar = new("0.t_dtensor", DataType.Bool, [1], []);

        private long Result(PirOp op, int index)
        {
            if (index >= op.Results.Length) throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}) has {op.Results.Length} results; result {index} is missing", field: "O");
            return op.Results[index].Id;
        }

        /// <summary>Where a tensor array may be an operand: the array ops' first operand, loop values, yields, and assigns (copies).</summary>
        private static bool TakesArray(string op, int operand) => op switch
        {
            "1.array_write_" or "1.array_read" or "1.array_length" or "1.array_to_tensor" or "1.assign" or "1.assign_out_" => operand == 0,
            "1.while" => operand > 0,
            "2.yield" => true,
            _ => false,
        };

        private bool IsArrayValue(long id) => _types.TryGetValue(id, out var t) && t.IsArray;

        private static string WhileCondition(PirOp op) => $"pir.while{op.Index}.cond";

        /// <summary>
        /// pd_op.while(cond, x1..xn) { ^(a1..an) ... cf.yield(cond', y1..yn) } → results r1..rn. Each loop value k gets
        /// one name shared by rk and ak (a tensor array keeps its operand's name: arrays are updated in place).
        /// </summary>
        private void IndexWhile(PirOp op, HashSet<long> visible)
        {
            if (op.Regions.Count != 1 || op.Regions[0].Count != 1)
            {
                throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.while) should have one region with one block (the body), found {op.Regions.Count} region(s)", field: "pd_op.while.regions");
            }
            var body = op.Regions[0][0];
            int n = op.Results.Length;
            if (op.Operands.Length != n + 1 || op.Operands.Any(o => o == 0))
            {
                throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.while) has {op.Operands.Length} operands for {n} results; expected the condition and one loop value per result, none absent", field: "pd_op.while.I");
            }
            if (body.Args.Length != n)
            {
                throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.while): the body block has {body.Args.Length} arguments; {n} expected (one per loop value)", field: "pd_op.while.args");
            }
            var yield = body.Ops.Count > 0 && body.Ops[^1].Name == "2.yield" ? body.Ops[^1] : null;
            if (yield is null || yield.Operands.Length != n + 1 || yield.Operands.Any(o => o == 0))
            {
                throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.while): the body should end with cf.yield of the next condition and {n} loop values", field: "pd_op.while.cf.yield");
            }
            Declare(WhileCondition(op), BoolScalar, persistable: false);
            for (int k = 0; k < n; k++)
            {
                var (rid, rtype) = op.Results[k];
                long x = op.Operands[k + 1];
                string name = IsArrayValue(x) ? ValueName(x) : Name(rid, rtype);
                _names[rid] = name;
                if (IsArrayValue(x)) _types[rid] = _types[x];
                var argId = body.Args[k].Id;
                if (body.Args[k].Type.IsArray != IsArrayValue(x) || rtype.IsArray != IsArrayValue(x))
                {
                    throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.while): loop value {k}, its block argument and its result disagree on being a tensor array", field: "pd_op.while.args");
                }
                if (_names.ContainsKey(argId)) throw new ModelFormatException(_path, $"value id {argId} is defined twice", field: "args.#");
                _names[argId] = name;
            }
            IndexBlock(body.Ops, body.Args, visible, top: false);
            for (int k = 0; k < n; k++)
            {
                if (IsArrayValue(yield.Operands[k + 1]) != IsArrayValue(op.Operands[k + 1]))
                {
                    throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.while): loop value {k} is {(IsArrayValue(op.Operands[k + 1]) ? "" : "not ")}a tensor array, but the body yields {(IsArrayValue(yield.Operands[k + 1]) ? "one" : "a tensor")}", field: "pd_op.while.cf.yield");
                }
            }
        }

        /// <summary>pd_op.if(cond) { then ... cf.yield(t1..tn) } else { ... cf.yield(e1..en) } → results r1..rn.</summary>
        private void IndexIf(PirOp op, HashSet<long> visible)
        {
            if (op.Regions.Count != 2)
            {
                throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.if) should have two regions (then, else), found {op.Regions.Count}", field: "pd_op.if.regions");
            }
            if (op.Operands.Length != 1 || op.Operands[0] == 0)
            {
                throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.if) should have one operand, the condition; found {op.Operands.Length}", field: "pd_op.if.I");
            }
            int n = op.Results.Length;
            var yields = new PirOp?[2];
            for (int branch = 0; branch < 2; branch++)
            {
                var region = op.Regions[branch];
                var which = branch == 0 ? "then" : "else";
                if (region.Count > 1) throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.if): the {which} region has {region.Count} blocks; 1 expected", field: "pd_op.if.regions");
                if (region.Count == 0)
                {
                    if (n > 0) throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.if): the {which} region is empty but the op has {n} results", field: "pd_op.if.regions");
                    continue;
                }
                var block = region[0];
                if (block.Args.Length != 0) throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.if): the {which} block should take no arguments", field: "pd_op.if.args");
                var last = block.Ops.Count > 0 && block.Ops[^1].Name == "2.yield" ? block.Ops[^1] : null;
                if (n > 0 && (last is null || last.Operands.Length != n || last.Operands.Any(o => o == 0)))
                {
                    throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.if): the {which} block should end with cf.yield of {n} values", field: "pd_op.if.cf.yield");
                }
                IndexBlock(block.Ops, [], visible, top: false);
                yields[branch] = last;
            }
            for (int k = 0; k < n; k++)
            {
                var (rid, rtype) = op.Results[k];
                long t = yields[0]!.Operands[k], e = yields[1]!.Operands[k];
                if (IsArrayValue(t) != IsArrayValue(e)) throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.if): result {k} is a tensor array in one branch only", field: "pd_op.if.cf.yield");
                if (IsArrayValue(t))
                {
                    _types[rid] = _types[t];
                    // Both branches hand back the same (in-place updated) array: the result is that array.
                    if (ValueName(t) == ValueName(e)) _names[rid] = ValueName(t);
                    else Name(rid, _types[t]);
                }
                else
                {
                    if (rtype.IsArray) throw new ModelFormatException(_path, $"op #{op.Index} (pd_op.if): result {k} is typed a tensor array, but the branches yield tensors", field: "pd_op.if.O");
                    Name(rid, rtype);
                }
            }
        }

        private void EmitAssign(string from, string to, PirOp op)
        {
            var assign = new Operator("assign");
            assign.Inputs["X"] = [from];
            assign.Outputs["Out"] = [to];
            Emit(assign, op, removable: false, results: []);
        }

        /// <summary>Names a sub-block (nested ones included) reads but does not itself write.</summary>
        private string[] OuterReads(Block sub)
        {
            var reads = new List<string>();
            var writes = new HashSet<string>(StringComparer.Ordinal);
            void Walk(Block b)
            {
                foreach (var op in b.Ops)
                {
                    reads.AddRange(op.Inputs.Values.SelectMany(a => a));
                    writes.UnionWith(op.Outputs.Values.SelectMany(a => a));
                    if (op.Attributes.Raw("sub_block") is BlockRef { Index: var i }) Walk(_program.Blocks[i]);
                }
            }
            Walk(sub);
            return reads.Where(n => n.Length > 0 && !writes.Contains(n)).Distinct(StringComparer.Ordinal).ToArray();
        }

        private Block NewBlock()
        {
            var block = new Block(_program.Blocks.Count, _current.Index);
            _program.Blocks.Add(block);
            return block;
        }

        /// <summary>
        /// Lowers pd_op.while onto the legacy form the plan runs: the loop values are copied into their loop names
        /// before a <c>while</c> op whose sub-block is the body followed by assigns of the yielded values to those
        /// names (the plan makes every name written there loop-carried state).
        /// </summary>
        private void LowerWhile(PirOp op)
        {
            var body = op.Regions[0][0];
            var yield = body.Ops[^1];
            int n = op.Results.Length;
            var parent = _current;
            var cond = WhileCondition(op);
            EmitAssign(Use(op.Operands[0]), cond, op);
            var names = new string[n];
            for (int k = 0; k < n; k++)
            {
                names[k] = ValueName(op.Results[k].Id);
                var init = Use(op.Operands[k + 1]);
                if (init != names[k]) EmitAssign(init, names[k], op);
            }
            var sub = NewBlock();
            _current = sub;
            EmitBlock(body.Ops.Take(body.Ops.Count - 1));
            // A yielded value that is another loop value's name must be read before that name is rebound.
            var loopNames = new HashSet<string>(names, StringComparer.Ordinal);
            var writes = new List<(string From, string To)>();
            for (int k = 0; k < n; k++)
            {
                var src = Use(yield.Operands[k + 1]);
                if (src == names[k]) continue;
                if (loopNames.Contains(src))
                {
                    var tmp = $"pir.while{op.Index}.yield{k}";
                    Declare(tmp, _types[yield.Operands[k + 1]], persistable: false);
                    EmitAssign(src, tmp, yield);
                    src = tmp;
                }
                writes.Add((src, names[k]));
            }
            EmitAssign(Use(yield.Operands[0]), cond, yield);
            foreach (var (from, to) in writes) EmitAssign(from, to, yield);
            _current = parent;
            var loop = new Operator("while");
            loop.Inputs["Condition"] = [cond];
            // Like Paddle's own while, X lists every outer value the body reads, so load-time passes that count
            // uses (conv/BN folding, activation fusion) see the body's reads.
            loop.Inputs["X"] = OuterReads(sub).Concat(names).Distinct(StringComparer.Ordinal).ToArray();
            loop.Outputs["Out"] = names.Append(cond).Distinct(StringComparer.Ordinal).ToArray();
            loop.Attributes.Set("sub_block", new BlockRef(sub.Index));
            loop.Attributes.Set("is_test", true);
            Emit(loop, op, removable: false);
        }

        /// <summary>
        /// Lowers pd_op.if onto two <c>conditional_block</c>s (the else one on <c>logical_not(cond)</c>), each ending
        /// with assigns of its yielded values to the result names.
        /// </summary>
        private void LowerIf(PirOp op)
        {
            var parent = _current;
            var cond = Use(op.Operands[0]);
            var names = op.Results.Select(r => ValueName(r.Id)).ToArray();
            for (int branch = 0; branch < 2; branch++)
            {
                if (op.Regions[branch].Count == 0) continue;
                var ops = op.Regions[branch][0].Ops;
                var yield = ops.Count > 0 && ops[^1].Name == "2.yield" ? ops[^1] : null;
                var bodyOps = yield is null ? ops : ops.Take(ops.Count - 1).ToList();
                var sources = yield is null ? Array.Empty<string>() : yield.Operands.Take(names.Length).Select(Use).ToArray();
                bool copies = sources.Where((s, k) => s != names[k]).Any();
                if (bodyOps.Count == 0 && !copies) continue; // nothing to run in this branch
                var c = cond;
                if (branch == 1)
                {
                    c = $"pir.if{op.Index}.else";
                    Declare(c, BoolScalar, persistable: false);
                    var not = new Operator("logical_not");
                    not.Inputs["X"] = [cond];
                    not.Outputs["Out"] = [c];
                    Emit(not, op, removable: false, results: []);
                }
                var sub = NewBlock();
                _current = sub;
                EmitBlock(bodyOps);
                for (int k = 0; k < sources.Length; k++)
                {
                    if (sources[k] != names[k]) EmitAssign(sources[k], names[k], yield!);
                }
                _current = parent;
                var block = new Operator("conditional_block");
                block.Inputs["Cond"] = [c];
                block.Inputs["Input"] = OuterReads(sub);
                block.Outputs["Out"] = names;
                block.Attributes.Set("sub_block", new BlockRef(sub.Index));
                block.Attributes.Set("is_scalar_condition", true);
                Emit(block, op, removable: false, results: []);
            }
        }

        private string Name(long id, PirType type)
        {
            if (_names.TryGetValue(id, out var existing)) return existing;
            var name = $"pir.{id}";
            _names[id] = name;
            Declare(name, type, persistable: false);
            return name;
        }

        private void Declare(string name, PirType type, bool persistable)
        {
            if (Main.Vars.ContainsKey(name)) return;
            var kind = type.Kind switch { "0.t_dtensor" => VarKind.DenseTensor, "1.t_tensor_array" => VarKind.TensorArray, _ => VarKind.Other };
            Main.Vars[name] = new Variable(name, kind, type.DataType, type.Dims, persistable);
        }

        private string ValueName(long id) => id == 0 ? "" : _names.TryGetValue(id, out var n) ? n : $"pir.{id}";

        private long Operand(PirOp op, int index)
        {
            if (index >= op.Operands.Length) throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}) has {op.Operands.Length} operands; operand {index} is missing", field: "I");
            return op.Operands[index];
        }

        private string Use(long id)
        {
            _materialUses[id] = _materialUses.GetValueOrDefault(id) + 1;
            return ValueName(id);
        }

        private string[] UseAll(long id)
        {
            if (_vectors.TryGetValue(id, out var elems))
            {
                foreach (var e in elems) MarkUsedByName(e);
                return elems;
            }
            return [Use(id)];
        }

        private void MarkUsedByName(string name)
        {
            foreach (var (id, n) in _names)
            {
                if (n == name)
                {
                    _materialUses[id] = _materialUses.GetValueOrDefault(id) + 1;
                    return;
                }
            }
        }

        private void NormalizeOp(PirOp op)
        {
            var shortName = op.Name.StartsWith("1.", StringComparison.Ordinal) ? op.Name[2..] : op.Name;
            if (!PirOpTable.Specs.TryGetValue(shortName, out var spec))
            {
                // Unknown to the table: keep it, operands in X, results in Out, so inspect works and the
                // engine can name it when it refuses it.
                var unknown = new Operator(op.Name.StartsWith("1.", StringComparison.Ordinal) ? shortName : op.Name);
                unknown.Inputs["X"] = op.Operands.Where(o => o != 0).SelectMany(UseAll).ToArray();
                unknown.Outputs["Out"] = op.Results.SelectMany(r => r.Type.IsVector ? _vectors[r.Id] : [ValueName(r.Id)]).ToArray();
                foreach (var (k, v) in op.Attributes) unknown.Attributes.Set(k, v);
                Emit(unknown, op, removable: false);
                return;
            }

            var legacy = new Operator(spec.Legacy);
            int tensorOperands = spec.Inputs.Length;
            var mutables = spec.Mutables ?? [];
            if (op.Operands.Length > tensorOperands + mutables.Length)
            {
                throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}) has {op.Operands.Length} operands; at most {tensorOperands + mutables.Length} expected", field: "I");
            }
            foreach (var (k, v) in op.Attributes)
            {
                if (k == "struct_name") continue;
                legacy.Attributes.Set(k, v);
            }
            foreach (var (from, to) in spec.Renames ?? [])
            {
                if (legacy.Attributes.Raw(from) is { } v)
                {
                    legacy.Attributes.Remove(from);
                    legacy.Attributes.Set(to, v);
                }
            }
            for (int i = 0; i < Math.Min(tensorOperands, op.Operands.Length); i++)
            {
                var id = op.Operands[i];
                if (id == 0) continue;
                legacy.Inputs[spec.Inputs[i]] = UseAll(id);
            }
            for (int m = 0; m < mutables.Length && tensorOperands + m < op.Operands.Length; m++)
            {
                var id = op.Operands[tensorOperands + m];
                if (id != 0) BindMutable(op, legacy, mutables[m], id);
            }
            for (int r = 0; r < op.Results.Length && r < spec.Outputs.Length; r++)
            {
                var (id, type) = op.Results[r];
                legacy.Outputs[spec.Outputs[r]] = type.IsVector ? _vectors[id] : [ValueName(id)];
            }
            if (op.Results.Length > spec.Outputs.Length && op.Results.Skip(spec.Outputs.Length).Any(r => _allOps.Any(o => o.Operands.Contains(r.Id))))
            {
                throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}) has {op.Results.Length} results; {spec.Outputs.Length} expected", field: "O");
            }
            FixAttributes(op, legacy);
            spec.Fix?.Invoke(legacy);
            Emit(legacy, op, removable: spec.Legacy is "fill_constant" or "stack" or "assign_value");
        }

        /// <summary>Folds a mutable-attribute operand into an attribute, or wires it to the legacy tensor slot.</summary>
        private void BindMutable(PirOp op, Operator legacy, MutableOperand m, long id)
        {
            if (_constants.TryGetValue(id, out var c))
            {
                var values = Flatten(c).ToArray();
                bool integral = c is long[] || (_types.TryGetValue(id, out var t) && t.DataType is DataType.Int32 or DataType.Int64 or DataType.Int16 or DataType.Int8 or DataType.UInt8 or DataType.Bool);
                if (m.Scalar)
                {
                    if (values.Length != 1) throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}): operand for '{m.Attr}' should hold one value, it holds {values.Length}", field: m.Attr);
                    legacy.Attributes.Set(m.Attr, integral ? (object)(long)values[0] : values[0]);
                }
                else
                {
                    legacy.Attributes.Set(m.Attr, integral ? values.Select(v => (long)v).ToArray() : values);
                }
                return;
            }
            // A stack of scalars feeding a shape-like operand is the legacy list of 1-element tensors.
            if (m.ListSlot is not null && _producer.TryGetValue(id, out var producer) && producer.Name == "1.stack"
                && producer.Operands.Length == 1 && _vectors.TryGetValue(producer.Operands[0], out var scalars))
            {
                legacy.Inputs[m.ListSlot] = scalars;
                foreach (var s in scalars) MarkUsedByName(s);
                return;
            }
            if (_vectors.ContainsKey(id))
            {
                if (m.ListSlot is null) throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}): operand for '{m.Attr}' is a list, which the legacy op cannot take", field: m.Attr);
                legacy.Inputs[m.ListSlot] = UseAll(id);
                return;
            }
            if (m.TensorSlot is null)
            {
                throw new UnsupportedOperatorException(_path, op.Name, 0, op.Index, $"'{m.Attr}' must be a constant here, but it is computed at run time");
            }
            legacy.Inputs[m.TensorSlot] = [Use(id)];
        }

        /// <summary>Attribute conventions that differ beyond a rename.</summary>
        private void FixAttributes(PirOp op, Operator legacy)
        {
            switch (legacy.Type)
            {
                case "cast":
                    if (op.Operands.Length > 0 && _types.TryGetValue(op.Operands[0], out var inType) && inType.DataType is DataType dt)
                    {
                        legacy.Attributes.Set("in_dtype", (long)dt.ToPaddle());
                    }
                    break;
                case "fill_constant":
                    if (legacy.Attributes.Raw("value") is null) legacy.Attributes.Set("value", 0.0);
                    break;
                case "shape":
                    // shape64 → shape: the result var already carries int64.
                    break;
            }
        }

        private void Emit(Operator legacy, PirOp op, bool removable, long[]? results = null)
        {
            _current.Ops.Add(legacy);
            _emitted.Add((legacy, _current, results ?? op.Results.Select(r => r.Id).ToArray(), removable));
        }

        /// <summary>Drops constant/stack ops whose every result was folded away (no material use).</summary>
        private void RemoveUnusedConstants()
        {
            var dead = new HashSet<Operator>();
            foreach (var (op, _, results, removable) in _emitted)
            {
                if (removable && results.All(r => _materialUses.GetValueOrDefault(r) == 0)) dead.Add(op);
            }
            foreach (var block in _program.Blocks) block.Ops.RemoveAll(dead.Contains);
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var op in _program.Blocks.SelectMany(b => b.Ops))
            {
                foreach (var a in op.Inputs.Values) used.UnionWith(a);
                foreach (var a in op.Outputs.Values) used.UnionWith(a);
            }
            foreach (var v in Main.Vars.Values.ToArray())
            {
                if (!used.Contains(v.Name) && !v.Persistable) Main.Vars.Remove(v.Name);
            }
        }
    }
}
