using System.Globalization;
using System.Text;

namespace PaddleNet.Pipeline.Config;

/// <summary>
/// The part of Python's expression language PaddleClas configs rely on: <c>ast.literal_eval</c> (numbers, strings,
/// <c>True</c>/<c>False</c>/<c>None</c>, lists, tuples, dicts, unary signs) and, for <c>-o</c> values, <c>eval</c>
/// of the same plus arithmetic (<c>+ - * / // % **</c>), e.g. <c>1.0/255.0</c>. Tuples become lists.
/// Anything else (names, calls, attribute access) does not parse: the caller keeps the raw string, which is what
/// Python's <c>try: eval(v) except: v</c> gives for paths such as <c>images/a.jpg</c>. One deliberate divergence:
/// a bare name of a Python builtin (<c>dir</c>, <c>id</c>, …) stays a string instead of becoming the builtin.
/// </summary>
internal sealed class PyExpression
{
    private readonly string _text;
    private readonly bool _arithmetic;
    private int _pos;

    private PyExpression(string text, bool arithmetic)
    {
        _text = text;
        _arithmetic = arithmetic;
    }

    /// <summary><c>ast.literal_eval(text)</c>; false when Python would raise.</summary>
    public static bool TryLiteralEval(string text, out object? value) => TryParse(text, arithmetic: false, out value);

    /// <summary><c>eval(text)</c> restricted to literals and arithmetic; false when it would raise (or is outside that subset).</summary>
    public static bool TryEval(string text, out object? value) => TryParse(text, arithmetic: true, out value);

    private static bool TryParse(string text, bool arithmetic, out object? value)
    {
        value = null;
        // Both literal_eval and eval strip leading spaces and tabs.
        var parser = new PyExpression(text.TrimStart(' ', '\t'), arithmetic);
        try
        {
            parser.SkipSpace();
            var first = parser.Expression();
            parser.SkipSpace();
            if (parser.Peek(',') )
            {
                var tuple = new List<object?> { first };
                while (parser.Accept(","))
                {
                    parser.SkipSpace();
                    if (parser.AtEnd) break;
                    tuple.Add(parser.Expression());
                    parser.SkipSpace();
                }
                first = tuple;
            }
            parser.SkipWhitespaceAndNewlines();
            if (!parser.AtEnd) return false;
            value = first;
            return true;
        }
        catch (FormatException) { return false; }
        catch (OverflowException) { return false; }
        catch (DivideByZeroException) { return false; }
    }

    private bool AtEnd => _pos >= _text.Length;

    private bool Peek(char c) => _pos < _text.Length && _text[_pos] == c;

    private bool Accept(string token)
    {
        if (string.CompareOrdinal(_text, _pos, token, 0, token.Length) != 0) return false;
        _pos += token.Length;
        return true;
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && (_text[_pos] == ' ' || _text[_pos] == '\t')) _pos++;
    }

    private void SkipWhitespaceAndNewlines()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private static FormatException Bad(string why) => new(why);

    private object? Expression()
    {
        var left = Term();
        while (true)
        {
            SkipSpace();
            if (!_arithmetic) return left;
            if (Accept("+")) left = PyArithmetic.Add(left, Term());
            else if (Accept("-")) left = PyArithmetic.Subtract(left, Term());
            else return left;
        }
    }

    private object? Term()
    {
        var left = Factor();
        while (true)
        {
            SkipSpace();
            if (!_arithmetic || Peek('*') && _pos + 1 < _text.Length && _text[_pos + 1] == '*') return left;
            if (Accept("*")) left = PyArithmetic.Multiply(left, Factor());
            else if (Accept("//")) left = PyArithmetic.FloorDivide(left, Factor());
            else if (Accept("/")) left = PyArithmetic.Divide(left, Factor());
            else if (Accept("%")) left = PyArithmetic.Modulo(left, Factor());
            else return left;
        }
    }

    private object? Factor()
    {
        SkipSpace();
        if (Accept("-")) return PyArithmetic.Negate(Factor());
        if (Accept("+")) return PyArithmetic.Plus(Factor());
        return Power();
    }

    private object? Power()
    {
        var atom = Atom();
        SkipSpace();
        if (_arithmetic && Accept("**")) return PyArithmetic.Power(atom, Factor());
        return atom;
    }

    private object? Atom()
    {
        SkipSpace();
        if (AtEnd) throw Bad("unexpected end");
        char c = _text[_pos];
        if (c == '[') { _pos++; return Sequence(']'); }
        if (c == '(')
        {
            _pos++;
            SkipSpace();
            if (Accept(")")) return new List<object?>();
            var inner = Expression();
            SkipSpace();
            if (Accept(")")) return inner;
            if (!Accept(",")) throw Bad("expected ')'");
            var rest = Sequence(')');
            rest.Insert(0, inner);
            return rest;
        }
        if (c == '{') { _pos++; return Dict(); }
        if (c is '\'' or '"') return Strings();
        if (char.IsAsciiDigit(c) || c == '.' && _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1])) return Number();
        if (char.IsLetter(c) || c == '_')
        {
            int start = _pos;
            while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
            var name = _text[start.._pos];
            if (name is "r" or "R" or "u" or "U" && Peek('\'') || name is "r" or "R" or "u" or "U" && Peek('"'))
                return Strings(raw: name is "r" or "R");
            return name switch
            {
                "True" => true,
                "False" => false,
                "None" => null,
                _ => throw Bad($"name '{name}'"),
            };
        }
        throw Bad($"unexpected '{c}'");
    }

    private List<object?> Sequence(char close)
    {
        var items = new List<object?>();
        while (true)
        {
            SkipWhitespaceAndNewlines();
            if (Accept(close.ToString())) return items;
            items.Add(Expression());
            SkipWhitespaceAndNewlines();
            if (Accept(close.ToString())) return items;
            if (!Accept(",")) throw Bad($"expected ',' or '{close}'");
        }
    }

    private ConfigMap Dict()
    {
        var map = new ConfigMap();
        while (true)
        {
            SkipWhitespaceAndNewlines();
            if (Accept("}")) return map;
            var key = Expression();
            SkipWhitespaceAndNewlines();
            if (!Accept(":")) throw Bad("sets are not supported");
            var value = Expression();
            // Our maps are string-keyed; other key types are outside what configs use.
            map[key as string ?? PyRepr.Str(key)] = value;
            SkipWhitespaceAndNewlines();
            if (Accept("}")) return map;
            if (!Accept(",")) throw Bad("expected ',' or '}'");
        }
    }

    private string Strings(bool raw = false)
    {
        var sb = new StringBuilder();
        sb.Append(OneString(raw));
        while (true)
        {
            SkipSpace();
            if (Peek('\'') || Peek('"')) sb.Append(OneString(false));
            else return sb.ToString();
        }
    }

    private string OneString(bool raw)
    {
        char quote = _text[_pos++];
        if (Accept(new string(quote, 2))) throw Bad("triple-quoted strings are not supported");
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd) throw Bad("unterminated string");
            char c = _text[_pos++];
            if (c == quote) return sb.ToString();
            if (c == '\n') throw Bad("newline in string");
            if (c != '\\') { sb.Append(c); continue; }
            if (AtEnd) throw Bad("unterminated string");
            char e = _text[_pos++];
            if (raw) { sb.Append('\\').Append(e); continue; }
            switch (e)
            {
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '0': sb.Append('\0'); break;
                case '\n': break;
                case 'x': sb.Append((char)HexDigits(2)); break;
                case 'u': sb.Append((char)HexDigits(4)); break;
                case 'U': sb.Append(char.ConvertFromUtf32(HexDigits(8))); break;
                default: sb.Append('\\').Append(e); break; // Python keeps unknown escapes verbatim.
            }
        }
    }

    private int HexDigits(int n)
    {
        if (_pos + n > _text.Length) throw Bad("truncated escape");
        int v = int.Parse(_text.AsSpan(_pos, n), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        _pos += n;
        return v;
    }

    private object Number()
    {
        int start = _pos;
        if (_text[_pos] == '0' && _pos + 1 < _text.Length && "xXoObB".Contains(_text[_pos + 1]))
        {
            char kind = char.ToLowerInvariant(_text[_pos + 1]);
            _pos += 2;
            int digitsStart = _pos;
            while (_pos < _text.Length && (char.IsAsciiHexDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
            var digits = _text[digitsStart.._pos].Replace("_", "", StringComparison.Ordinal);
            if (digits.Length == 0) throw Bad("empty number");
            int radix = kind switch { 'x' => 16, 'o' => 8, _ => 2 };
            long v = 0;
            foreach (char d in digits)
            {
                int dv = char.IsAsciiDigit(d) ? d - '0' : char.ToLowerInvariant(d) - 'a' + 10;
                if (dv >= radix) throw Bad("bad digit");
                v = checked(v * radix + dv);
            }
            return v;
        }
        while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
        bool isFloat = false;
        if (Peek('.')) { isFloat = true; _pos++; while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] == '_')) _pos++; }
        if (Peek('e') || Peek('E'))
        {
            int save = _pos++;
            if (Peek('+') || Peek('-')) _pos++;
            if (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
            {
                isFloat = true;
                while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
            }
            else _pos = save;
        }
        if (Peek('j') || Peek('J')) throw Bad("complex numbers are not supported");
        if (_pos < _text.Length && (char.IsLetter(_text[_pos]) || _text[_pos] == '_')) throw Bad("bad number");
        var token = _text[start.._pos];
        if (token.EndsWith('_') || token.Contains("__", StringComparison.Ordinal)) throw Bad("bad underscore");
        token = token.Replace("_", "", StringComparison.Ordinal);
        if (isFloat) return double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture);
        // Python 3 rejects leading zeros in decimal ints ("010" is a SyntaxError) except for zero itself.
        if (token.Length > 1 && token[0] == '0' && token.Any(ch => ch != '0')) throw Bad("leading zeros");
        return long.Parse(token, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
