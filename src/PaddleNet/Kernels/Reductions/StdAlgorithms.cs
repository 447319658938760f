using System.Numerics;

namespace PaddleNet.Kernels.Reductions;

/// <summary>A (value, index) pair as Paddle's CPU top-k sorts them.</summary>
internal struct ValueIndex<T> where T : unmanaged
{
    public T Value;
    public long Index;
}

/// <summary>
/// Bit-exact ports of the libstdc++ (GCC) algorithms Paddle's CPU top-k uses — std::partial_sort,
/// std::nth_element (introselect) and std::sort (introsort + insertion sort, threshold 16) — so that the
/// order of EQUAL values (which these unstable algorithms scramble) matches Paddle's output.
/// The comparator is Paddle's: largest ⇒ (isnan(l) ∧ ¬isnan(r)) ∨ l &gt; r; smallest ⇒ (¬isnan(l) ∧ isnan(r)) ∨ l &lt; r.
/// </summary>
internal static class StdAlgorithms
{
    private const int Threshold = 16;

    private static bool Comp<T>(in ValueIndex<T> l, in ValueIndex<T> r, bool largest) where T : unmanaged, INumber<T>
    {
        bool ln = T.IsNaN(l.Value), rn = T.IsNaN(r.Value);
        return largest ? (ln && !rn) || l.Value > r.Value : (!ln && rn) || l.Value < r.Value;
    }

    private static void Swap<T>(Span<ValueIndex<T>> a, int i, int j) where T : unmanaged => (a[i], a[j]) = (a[j], a[i]);

    private static int Lg(int n) => 31 - BitOperations.LeadingZeroCount((uint)n);

    public static void PartialSort<T>(Span<ValueIndex<T>> a, int middle, bool largest) where T : unmanaged, INumber<T>
    {
        HeapSelect(a, 0, middle, a.Length, largest);
        SortHeap(a, 0, middle, largest);
    }

    public static void NthElement<T>(Span<ValueIndex<T>> a, int nth, bool largest) where T : unmanaged, INumber<T>
    {
        if (a.Length == 0 || nth == a.Length) return;
        int first = 0, last = a.Length;
        int depth = Lg(last - first) * 2;
        while (last - first > 3)
        {
            if (depth == 0)
            {
                HeapSelect(a, first, nth + 1, last, largest);
                Swap(a, first, nth);
                return;
            }
            --depth;
            int cut = UnguardedPartitionPivot(a, first, last, largest);
            if (cut <= nth) first = cut;
            else last = cut;
        }
        InsertionSort(a, first, last, largest);
    }

    public static void Sort<T>(Span<ValueIndex<T>> a, int first, int last, bool largest) where T : unmanaged, INumber<T>
    {
        if (first == last) return;
        IntroSortLoop(a, first, last, Lg(last - first) * 2, largest);
        if (last - first > Threshold)
        {
            InsertionSort(a, first, first + Threshold, largest);
            for (int i = first + Threshold; i != last; i++) UnguardedLinearInsert(a, i, largest);
        }
        else
        {
            InsertionSort(a, first, last, largest);
        }
    }

    private static void IntroSortLoop<T>(Span<ValueIndex<T>> a, int first, int last, int depth, bool largest) where T : unmanaged, INumber<T>
    {
        while (last - first > Threshold)
        {
            if (depth == 0)
            {
                HeapSelect(a, first, last, last, largest);
                SortHeap(a, first, last, largest);
                return;
            }
            --depth;
            int cut = UnguardedPartitionPivot(a, first, last, largest);
            IntroSortLoop(a, cut, last, depth, largest);
            last = cut;
        }
    }

    private static int UnguardedPartitionPivot<T>(Span<ValueIndex<T>> a, int first, int last, bool largest) where T : unmanaged, INumber<T>
    {
        int mid = first + (last - first) / 2;
        MoveMedianToFirst(a, first, first + 1, mid, last - 1, largest);
        return UnguardedPartition(a, first + 1, last, first, largest);
    }

    private static void MoveMedianToFirst<T>(Span<ValueIndex<T>> v, int result, int a, int b, int c, bool largest) where T : unmanaged, INumber<T>
    {
        if (Comp(v[a], v[b], largest))
        {
            if (Comp(v[b], v[c], largest)) Swap(v, result, b);
            else if (Comp(v[a], v[c], largest)) Swap(v, result, c);
            else Swap(v, result, a);
        }
        else if (Comp(v[a], v[c], largest)) Swap(v, result, a);
        else if (Comp(v[b], v[c], largest)) Swap(v, result, c);
        else Swap(v, result, b);
    }

    private static int UnguardedPartition<T>(Span<ValueIndex<T>> a, int first, int last, int pivot, bool largest) where T : unmanaged, INumber<T>
    {
        while (true)
        {
            while (Comp(a[first], a[pivot], largest)) ++first;
            --last;
            while (Comp(a[pivot], a[last], largest)) --last;
            if (!(first < last)) return first;
            Swap(a, first, last);
            ++first;
        }
    }

    private static void InsertionSort<T>(Span<ValueIndex<T>> a, int first, int last, bool largest) where T : unmanaged, INumber<T>
    {
        if (first == last) return;
        for (int i = first + 1; i != last; i++)
        {
            if (Comp(a[i], a[first], largest))
            {
                var val = a[i];
                a.Slice(first, i - first).CopyTo(a.Slice(first + 1, i - first));
                a[first] = val;
            }
            else
            {
                UnguardedLinearInsert(a, i, largest);
            }
        }
    }

    private static void UnguardedLinearInsert<T>(Span<ValueIndex<T>> a, int last, bool largest) where T : unmanaged, INumber<T>
    {
        var val = a[last];
        int next = last - 1;
        while (Comp(val, a[next], largest))
        {
            a[last] = a[next];
            last = next;
            --next;
        }
        a[last] = val;
    }

    private static void HeapSelect<T>(Span<ValueIndex<T>> a, int first, int middle, int last, bool largest) where T : unmanaged, INumber<T>
    {
        MakeHeap(a, first, middle, largest);
        for (int i = middle; i < last; i++)
        {
            if (Comp(a[i], a[first], largest)) PopHeap(a, first, middle, i, largest);
        }
    }

    private static void PopHeap<T>(Span<ValueIndex<T>> a, int first, int last, int result, bool largest) where T : unmanaged, INumber<T>
    {
        var value = a[result];
        a[result] = a[first];
        AdjustHeap(a, first, 0, last - first, value, largest);
    }

    private static void MakeHeap<T>(Span<ValueIndex<T>> a, int first, int last, bool largest) where T : unmanaged, INumber<T>
    {
        int len = last - first;
        if (len < 2) return;
        int parent = (len - 2) / 2;
        while (true)
        {
            var value = a[first + parent];
            AdjustHeap(a, first, parent, len, value, largest);
            if (parent == 0) return;
            parent--;
        }
    }

    private static void AdjustHeap<T>(Span<ValueIndex<T>> a, int first, int holeIndex, int len, ValueIndex<T> value, bool largest) where T : unmanaged, INumber<T>
    {
        int topIndex = holeIndex;
        int secondChild = holeIndex;
        while (secondChild < (len - 1) / 2)
        {
            secondChild = 2 * (secondChild + 1);
            if (Comp(a[first + secondChild], a[first + secondChild - 1], largest)) secondChild--;
            a[first + holeIndex] = a[first + secondChild];
            holeIndex = secondChild;
        }
        if ((len & 1) == 0 && secondChild == (len - 2) / 2)
        {
            secondChild = 2 * (secondChild + 1);
            a[first + holeIndex] = a[first + secondChild - 1];
            holeIndex = secondChild - 1;
        }
        // __push_heap
        int parent = (holeIndex - 1) / 2;
        while (holeIndex > topIndex && Comp(a[first + parent], value, largest))
        {
            a[first + holeIndex] = a[first + parent];
            holeIndex = parent;
            parent = (holeIndex - 1) / 2;
        }
        a[first + holeIndex] = value;
    }

    private static void SortHeap<T>(Span<ValueIndex<T>> a, int first, int last, bool largest) where T : unmanaged, INumber<T>
    {
        while (last - first > 1)
        {
            --last;
            PopHeap(a, first, last, last, largest);
        }
    }
}
