namespace PaddleNet;

/// <summary>Arithmetic a session runs its heavy operators in (<see cref="SessionOptions.Precision"/>).</summary>
public enum Precision
{
    /// <summary>32-bit float everywhere: the parity the references check (default).</summary>
    Fp32 = 0,

    /// <summary>
    /// Opt-in bfloat16 products with fp32 accumulation (convolutions, fully connected layers), for CPUs with
    /// AVX512_BF16. Refused today on every CPU with <see cref="UnsupportedPrecisionException"/>: see its message.
    /// </summary>
    Bf16 = 1,
}

/// <summary>The session was asked for a <see cref="PaddleNet.Precision"/> this machine or this build cannot run.</summary>
public sealed class UnsupportedPrecisionException : PaddleNetException
{
    /// <summary><paramref name="precision"/> needs <paramref name="missingFeature"/>, which is absent (<paramref name="message"/> says where).</summary>
    public UnsupportedPrecisionException(Precision precision, string missingFeature, string message)
        : base(message)
    {
        Precision = precision;
        MissingFeature = missingFeature;
    }

    /// <summary>The precision asked for.</summary>
    public Precision Precision { get; }

    /// <summary>What is missing: a CPU feature (<c>AVX512_BF16</c>) or the runtime support for it.</summary>
    public string MissingFeature { get; }
}
