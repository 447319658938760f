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
        private readonly List<(Operator Op, long[] Results, bool Removable)> _emitted = new();
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
            int feedCol = 0;
            foreach (var op in _ops)
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
                            feed.Attributes.Set("col", op.Attributes.TryGetValue("col", out var c) ? c : (long)feedCol);
                            feedCol++;
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
                    default:
                        NormalizeOp(op);
                        break;
                }
            }
            RemoveUnusedConstants();
            _parameters.Sort(StringComparer.Ordinal);
            return new PirProgram(_program, version, _parameters);
        }

        /// <summary>Names every value, records types, vectors and constants, and declares variables.</summary>
        private void IndexValues()
        {
            foreach (var op in _ops)
            {
                if (op.HasRegions)
                {
                    throw new UnsupportedOperatorException(_path, op.Name, 0, op.Index, "PIR control flow (ops with regions) is not supported");
                }
                for (int r = 0; r < op.Results.Length; r++)
                {
                    var (id, type) = op.Results[r];
                    if (id <= 0) throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}) defines value id {id}; ids must be positive", field: "O.%");
                    if (!_producer.TryAdd(id, op)) throw new ModelFormatException(_path, $"value id {id} is defined twice (op #{_producer[id].Index} and op #{op.Index})", field: "O.%");
                    _types[id] = type;
                }
                foreach (var operand in op.Operands)
                {
                    if (operand != 0 && !_producer.ContainsKey(operand))
                    {
                        throw new ModelFormatException(_path, $"op #{op.Index} ({op.Name}) uses value {operand} before it is defined", field: "I.%");
                    }
                }
                switch (op.Name)
                {
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
                if (op.Name is "1.full_int_array" or "1.full") RecordConstant(op);
                if (op.Name == "0.combine" && op.Operands.All(_constants.ContainsKey))
                {
                    _constants[op.Results[0].Id] = op.Operands.Select(o => _constants[o]).SelectMany(Flatten).ToArray();
                }
            }
            // Vectors produced by multi-result ops and never unpacked still need element names.
            foreach (var op in _ops)
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
            Main.Vars[name] = new Variable(name, type.Kind == "0.t_dtensor" ? VarKind.DenseTensor : VarKind.Other, type.DataType, type.Dims, persistable);
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
            if (op.Results.Length > spec.Outputs.Length && op.Results.Skip(spec.Outputs.Length).Any(r => _ops.Any(o => o.Operands.Contains(r.Id))))
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
            Main.Ops.Add(legacy);
            _emitted.Add((legacy, results ?? op.Results.Select(r => r.Id).ToArray(), removable));
        }

        /// <summary>Drops constant/stack ops whose every result was folded away (no material use).</summary>
        private void RemoveUnusedConstants()
        {
            var dead = new HashSet<Operator>();
            foreach (var (op, results, removable) in _emitted)
            {
                if (removable && results.All(r => _materialUses.GetValueOrDefault(r) == 0)) dead.Add(op);
            }
            Main.Ops.RemoveAll(dead.Contains);
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var op in Main.Ops)
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
