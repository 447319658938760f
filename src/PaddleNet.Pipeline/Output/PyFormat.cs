using System.Globalization;
using System.Numerics;
using System.Text;

namespace PaddleNet.Pipeline.Output;

/// <summary>Python's <c>"{:.Nf}".format(x)</c>: the exact binary value rounded half to even at N decimals.</summary>
internal static class PyFormat
{
    /// <summary>
    /// <c>"{:.Nf}"</c>. .NET's <c>"F2"</c> rounds exact midpoints away from zero (0.125 → "0.13"); Python gives
    /// "0.12". This works on the exact value of the double (mantissa × 2^exponent) with big integers.
    /// </summary>
    public static string Fixed(double value, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        bool negative = double.IsNegative(value);
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        int rawExponent = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xFFFFFFFFFFFFFL;
        BigInteger mantissa = rawExponent == 0 ? fraction : fraction | (1L << 52);
        int exponent = (rawExponent == 0 ? 1 : rawExponent) - 1075;

        // value × 10^decimals = mantissa × 2^exponent × 10^decimals, rounded half to even.
        BigInteger scaled = mantissa * BigInteger.Pow(10, decimals);
        BigInteger rounded;
        if (exponent >= 0)
        {
            rounded = scaled << exponent;
        }
        else
        {
            BigInteger divisor = BigInteger.One << -exponent;
            rounded = BigInteger.DivRem(scaled, divisor, out var remainder);
            int cmp = (remainder * 2).CompareTo(divisor);
            if (cmp > 0 || (cmp == 0 && !rounded.IsEven)) rounded += 1;
        }

        string digits = rounded.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
        var sb = new StringBuilder();
        if (negative) sb.Append('-');
        sb.Append(digits, 0, digits.Length - decimals);
        if (decimals > 0) sb.Append('.').Append(digits, digits.Length - decimals, decimals);
        return sb.ToString();
    }
}
