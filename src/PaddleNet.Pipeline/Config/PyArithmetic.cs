namespace PaddleNet.Pipeline.Config;

/// <summary>
/// Python's numeric operators on <see cref="long"/> (int; bool counts as int) and <see cref="double"/> (float),
/// with Python's results: <c>/</c> always gives a float, <c>//</c> and <c>%</c> floor, <c>**</c> of a negative int
/// exponent gives a float. Other operand types throw <see cref="FormatException"/> (the caller treats it as "not a value").
/// </summary>
internal static class PyArithmetic
{
    public static object Add(object? a, object? b) => a is string sa && b is string sb ? sa + sb : Binary(a, b, (x, y) => checked(x + y), (x, y) => x + y);

    public static object Subtract(object? a, object? b) => Binary(a, b, (x, y) => checked(x - y), (x, y) => x - y);

    public static object Multiply(object? a, object? b) => Binary(a, b, (x, y) => checked(x * y), (x, y) => x * y);

    public static object Divide(object? a, object? b)
    {
        double x = AsDouble(a), y = AsDouble(b);
        if (y == 0) throw new DivideByZeroException();
        return x / y;
    }

    public static object FloorDivide(object? a, object? b) => Binary(a, b,
        (x, y) => y == 0 ? throw new DivideByZeroException() : FloorDiv(x, y),
        (x, y) => y == 0 ? throw new DivideByZeroException() : Math.Floor(x / y));

    public static object Modulo(object? a, object? b) => Binary(a, b,
        (x, y) => y == 0 ? throw new DivideByZeroException() : x - FloorDiv(x, y) * y,
        (x, y) =>
        {
            if (y == 0) throw new DivideByZeroException();
            double m = x % y;
            return m != 0 && (m < 0) != (y < 0) ? m + y : m;
        });

    public static object Power(object? a, object? b)
    {
        if (IsInt(a) && IsInt(b) && AsLong(b) >= 0)
        {
            long x = AsLong(a), e = AsLong(b), r = 1;
            while (e > 0)
            {
                if ((e & 1) != 0) r = checked(r * x);
                e >>= 1;
                if (e > 0) x = checked(x * x);
            }
            return r;
        }
        return Math.Pow(AsDouble(a), AsDouble(b));
    }

    public static object Negate(object? a) => IsInt(a) ? (object)checked(-AsLong(a)) : -AsDouble(a);

    public static object Plus(object? a) => IsInt(a) ? (object)AsLong(a) : AsDouble(a);

    private static object Binary(object? a, object? b, Func<long, long, long> ints, Func<double, double, double> floats) =>
        IsInt(a) && IsInt(b) ? (object)ints(AsLong(a), AsLong(b)) : floats(AsDouble(a), AsDouble(b));

    private static long FloorDiv(long x, long y)
    {
        long q = x / y;
        return (x % y != 0) && ((x < 0) != (y < 0)) ? q - 1 : q;
    }

    private static bool IsInt(object? v) => v is long or bool;

    private static long AsLong(object? v) => v switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new FormatException("not an int"),
    };

    private static double AsDouble(object? v) => v switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new FormatException("not a number"),
    };
}
