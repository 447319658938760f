namespace PaddleNet.TestSupport;

/// <summary>
/// Byte-level mutations of a model file (bit flips, interesting bytes, truncation, inserted and deleted runs, a large
/// integer over a 4-byte window to stress length fields), shared by the unit fuzz test and the long campaign
/// (tests/PaddleNet.Fuzz, <c>scripts/fuzz</c>). Deterministic for a given <see cref="Random"/>.
/// </summary>
internal static class ModelMutator
{
    private static readonly byte[] s_interesting = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0x0A, 0x22, 0x7B, 0x5B];

    public static byte[] Mutate(byte[] input, Random rng, out string what)
    {
        var b = (byte[])input.Clone();
        switch (rng.Next(6))
        {
            case 0:
                {
                    int n = 1 + rng.Next(8);
                    for (int k = 0; k < n && b.Length > 0; k++) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                    what = "bit flips";
                    return b;
                }
            case 1:
                {
                    int n = 1 + rng.Next(4);
                    for (int k = 0; k < n && b.Length > 0; k++) b[rng.Next(b.Length)] = s_interesting[rng.Next(s_interesting.Length)];
                    what = "interesting bytes";
                    return b;
                }
            case 2:
                what = "truncate";
                return b[..rng.Next(b.Length)];
            case 3:
                {
                    int at = rng.Next(b.Length + 1);
                    var junk = new byte[1 + rng.Next(16)];
                    rng.NextBytes(junk);
                    what = "insert";
                    return [.. b[..at], .. junk, .. b[at..]];
                }
            case 4:
                {
                    if (b.Length < 2) { what = "noop"; return b; }
                    int from = rng.Next(b.Length), len = 1 + rng.Next(Math.Min(64, b.Length - from));
                    what = "delete";
                    return [.. b[..from], .. b[(from + len)..]];
                }
            default:
                {
                    // Large little-endian integer over a 4-byte window: stresses length fields.
                    if (b.Length < 4) { what = "noop"; return b; }
                    int at = rng.Next(b.Length - 3);
                    BitConverter.GetBytes(rng.Next(2) == 0 ? int.MaxValue : rng.Next()).CopyTo(b, at);
                    what = "length field";
                    return b;
                }
        }
    }
}
