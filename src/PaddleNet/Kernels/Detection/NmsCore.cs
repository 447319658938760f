namespace PaddleNet.Kernels.Detection;

/// <summary>
/// The pieces of Paddle's CPU NMS kernels (phi <c>multiclass_nms3</c>, <c>matrix_nms</c>) shared by
/// the NMS ops: IoU, score-sorted candidates, greedy NMS with adaptive eta, and libstdc++'s
/// <c>std::partial_sort</c> (used by matrix_nms; its tie order is part of Paddle's output).
/// All arithmetic is float like phi's <c>T = float</c> instantiation.
/// </summary>
internal static class NmsCore
{
    /// <summary>phi BBoxArea: 0 for an invalid box, w·h when normalized, else (w+1)(h+1).</summary>
    public static float BoxArea(ReadOnlySpan<float> b, bool normalized)
    {
        if (b[2] < b[0] || b[3] < b[1]) return 0f;
        float w = b[2] - b[0];
        float h = b[3] - b[1];
        return normalized ? w * h : (w + 1) * (h + 1);
    }

    /// <summary>phi JaccardOverlap for 4-coordinate boxes (intersection +1 per side when !normalized).</summary>
    public static float IoU(ReadOnlySpan<float> b1, ReadOnlySpan<float> b2, bool normalized)
    {
        if (b2[0] > b1[2] || b2[2] < b1[0] || b2[1] > b1[3] || b2[3] < b1[1]) return 0f;
        float ixmin = Math.Max(b1[0], b2[0]);
        float iymin = Math.Max(b1[1], b2[1]);
        float ixmax = Math.Min(b1[2], b2[2]);
        float iymax = Math.Min(b1[3], b2[3]);
        float norm = normalized ? 0f : 1f;
        float iw = ixmax - ixmin + norm;
        float ih = iymax - iymin + norm;
        float inter = iw * ih;
        float a1 = BoxArea(b1, normalized);
        float a2 = BoxArea(b2, normalized);
        return inter / (a1 + a2 - inter);
    }

    /// <summary>
    /// phi GetMaxScoreIndex: indices i (0..n) with scores[i·scoreStride] &gt; threshold, stable-sorted by
    /// score descending, truncated to topK when topK &gt; −1. Writes into <paramref name="order"/>, returns the count.
    /// </summary>
    public static int MaxScoreIndex(ReadOnlySpan<float> scores, int n, int scoreStride, float threshold, int topK, Span<int> order, Span<ulong> work = default)
    {
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            if (scores[i * scoreStride] > threshold) order[count++] = i;
        }
        StableSortDescending(order[..count], scores, scoreStride, work);
        if (topK > -1 && topK < count) count = topK;
        return count;
    }

    /// <summary>
    /// Sorts <paramref name="idx"/> by keys[idx·stride] descending, ties in their current order — what
    /// <c>std::stable_sort</c> gives for phi's score pairs. Each element becomes one 64-bit key
    /// (order-preserving score bits, then its position) sorted as a primitive: O(n log n), no comparer.
    /// Keys must not be NaN (candidates passed a <c>&gt;</c> threshold test); −0 ties with +0.
    /// </summary>
    public static void StableSortDescending(Span<int> idx, ReadOnlySpan<float> keys, int stride = 1, Span<ulong> work = default)
    {
        int n = idx.Length;
        if (n < 2) return;
        // Kernels pass run scratch (at least n long); a direct caller without it gets a fresh buffer.
        var p = work.Length >= n ? work[..n] : new ulong[n];
        {
            for (int i = 0; i < n; i++)
            {
                float k = keys[idx[i] * stride];
                if (k == 0) k = 0f; // −0 ties with +0 as in a float comparison
                uint bits = BitConverter.SingleToUInt32Bits(k);
                uint ascending = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
                p[i] = ((ulong)~ascending << 32) | (uint)i;
            }
            p.Sort();
            // sorted positions → values (all of idx is read before any of it is overwritten)
            for (int i = 0; i < n; i++) p[i] = (uint)idx[(int)(uint)p[i]];
            for (int i = 0; i < n; i++) idx[i] = (int)p[i];
        }
    }

    /// <summary>
    /// Greedy NMS over the candidates in <paramref name="order"/> (already sorted): a box is kept when its
    /// IoU with every kept box is ≤ the adaptive threshold; after each keep, if eta &lt; 1 and the
    /// threshold &gt; 0.5, threshold *= eta. Box b lives at boxes[b·boxStride .. +4]. Kept indices go to
    /// <paramref name="kept"/>; returns how many.
    /// </summary>
    public static int Greedy(ReadOnlySpan<float> boxes, int boxStride, ReadOnlySpan<int> order, float nmsThreshold, float eta, bool normalized, Span<int> kept)
    {
        int nk = 0;
        float adaptive = nmsThreshold;
        foreach (int idx in order)
        {
            bool keep = true;
            var bi = boxes.Slice(idx * boxStride, 4);
            for (int k = 0; k < nk; k++)
            {
                float overlap = IoU(bi, boxes.Slice(kept[k] * boxStride, 4), normalized);
                keep = overlap <= adaptive;
                if (!keep) break;
            }
            if (keep) kept[nk++] = idx;
            if (keep && eta < 1 && adaptive > 0.5f) adaptive *= eta;
        }
        return nk;
    }

    /// <summary>
    /// libstdc++ <c>std::partial_sort(first, first+middle, last, comp)</c> with comp(a,b) = keys[a] &gt; keys[b]:
    /// heap-select then sort-heap, reproducing its (unstable) order of ties exactly.
    /// </summary>
    public static void PartialSortDescending(Span<int> v, int middle, ReadOnlySpan<float> keys)
    {
        if (v.IsEmpty) return;
        // __heap_select (with an empty heap, middle == 0, libstdc++ still swaps larger elements into the
        // first slot; matrix_nms with nms_top_k = 0 then keeps that one)
        MakeHeap(v[..middle], keys);
        for (int i = middle; i < v.Length; i++)
        {
            if (keys[v[i]] > keys[v[0]])
            {
                int value = v[i];
                v[i] = v[0];
                AdjustHeap(v, 0, middle, value, keys);
            }
        }
        // __sort_heap
        for (int last = middle; last > 1;)
        {
            last--;
            int value = v[last];
            v[last] = v[0];
            AdjustHeap(v, 0, last, value, keys);
        }
    }

    private static void MakeHeap(Span<int> v, ReadOnlySpan<float> keys)
    {
        int len = v.Length;
        if (len < 2) return;
        for (int parent = (len - 2) / 2; ; parent--)
        {
            AdjustHeap(v, parent, len, v[parent], keys);
            if (parent == 0) return;
        }
    }

    private static void AdjustHeap(Span<int> v, int hole, int len, int value, ReadOnlySpan<float> keys)
    {
        int top = hole;
        int second = hole;
        while (second < (len - 1) / 2)
        {
            second = 2 * (second + 1);
            if (keys[v[second]] > keys[v[second - 1]]) second--;
            v[hole] = v[second];
            hole = second;
        }
        if ((len & 1) == 0 && second == (len - 2) / 2)
        {
            second = 2 * (second + 1);
            v[hole] = v[second - 1];
            hole = second - 1;
        }
        // __push_heap
        int parent = (hole - 1) / 2;
        while (hole > top && keys[v[parent]] > keys[value])
        {
            v[hole] = v[parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        v[hole] = value;
    }
}
