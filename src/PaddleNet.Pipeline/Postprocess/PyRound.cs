namespace PaddleNet.Pipeline.Postprocess;

/// <summary><c>np.around</c>: scale by 10^decimals, round half to even, scale back; float64 for Python floats, float32 for float32 arrays.</summary>
internal static class PyRound
{
    public static double Around(double x, int decimals)
    {
        if (decimals >= 0)
        {
            double f = Math.Pow(10, decimals);
            return Math.Round(x * f, MidpointRounding.ToEven) / f;
        }
        double g = Math.Pow(10, -decimals);
        return Math.Round(x / g, MidpointRounding.ToEven) * g;
    }

    public static float Around(float x, int decimals)
    {
        if (decimals >= 0)
        {
            float f = (float)Math.Pow(10, decimals);
            return MathF.Round(x * f, MidpointRounding.ToEven) / f;
        }
        float g = (float)Math.Pow(10, -decimals);
        return MathF.Round(x / g, MidpointRounding.ToEven) * g;
    }
}
