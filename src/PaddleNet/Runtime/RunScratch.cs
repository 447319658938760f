using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PaddleNet.Runtime;

/// <summary>
/// A run context's scratch memory: one set of buffers per intra-op thread (index
/// <see cref="IntraOpPool.CurrentWorker"/>; the calling thread is 0), so concurrent runs never share
/// scratch and nothing is process-wide. Buffers grow on first need and are kept between runs; after
/// each run <see cref="Settle"/> grows every thread's buffers to the largest need any thread had, so
/// a later run whose chunks land on other threads (dynamic chunk claiming) finds them sized and a
/// steady-state run allocates nothing. The pointers it hands out stay valid only while this object is
/// reachable, so a method that takes pointers from it ends with <c>GC.KeepAlive</c> on it: an argument
/// is dead to the GC after its last use, and a collection mid-kernel would free buffers still being
/// written (a test passing <c>new RunScratch(..)</c> straight into a kernel crashed that way).
/// </summary>
internal sealed unsafe class RunScratch
{
    private const int SlotA = 0, SlotB = 1, SlotC = 2, SlotShared = 3, Slots = 4;

    private readonly Worker[] _workers;

    public RunScratch(int threads)
    {
        _workers = new Worker[Math.Max(1, threads)];
        for (int i = 0; i < _workers.Length; i++) _workers[i] = new Worker();
    }

    public int Threads => _workers.Length;

    /// <summary>Pinned scratch slot A of the current thread (packed GEMM operand A), at least <paramref name="n"/> floats.</summary>
    public float* A(long n) => Current.Pinned(SlotA, n);

    /// <summary>Pinned scratch slot B of the current thread (packed B panels, im2col).</summary>
    public float* B(long n) => Current.Pinned(SlotB, n);

    /// <summary>Pinned scratch slot C of the current thread (tiles, padded planes).</summary>
    public float* C(long n) => Current.Pinned(SlotC, n);

    /// <summary>A buffer the calling thread fills or shares with the pool's threads for one call (never a parallel body's own scratch).</summary>
    public float* Shared(long n) => Current.Pinned(SlotShared, n);

    /// <summary>
    /// Opens a frame on the current thread's typed scratch: spans taken from it stay valid until the frame is
    /// disposed (frames nest). Use with <c>using</c>.
    /// </summary>
    public Frame Open() => new(Current);

    private Worker Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            int w = IntraOpPool.CurrentWorker;
            if ((uint)w >= (uint)_workers.Length) throw new InvalidOperationException($"intra-op thread {w} has no scratch in a context for {_workers.Length} threads");
            return _workers[w];
        }
    }

    /// <summary>Grows every thread's buffers to the largest need seen on any thread. Call on the run's thread after the run, with no parallel call in flight.</summary>
    public void Settle()
    {
        if (_workers.Length == 1) return;
        for (int s = 0; s < Slots; s++)
        {
            long need = 0;
            foreach (var w in _workers) need = Math.Max(need, w.Need[s]);
            foreach (var w in _workers) w.Pinned(s, need);
        }
        long arena = 0;
        foreach (var w in _workers) arena = Math.Max(arena, w.ArenaNeed);
        foreach (var w in _workers) w.Reserve(arena);
    }

    /// <summary>Bytes held by all threads' buffers (for tests).</summary>
    internal long Bytes
    {
        get
        {
            long b = 0;
            foreach (var w in _workers)
            {
                foreach (var a in w.Buffers) b += (a?.LongLength ?? 0) * sizeof(float);
                b += w.GuardedBytes;
                b += w.Arena.LongLength;
            }
            return b;
        }
    }

    internal sealed class Worker
    {
        public readonly float[]?[] Buffers = new float[Slots][];
        public readonly long[] Need = new long[Slots];
        public byte[] Arena = [];
        public long ArenaNeed;
        public int Top;

        public float* Pinned(int slot, long n)
        {
            if (n > Need[slot]) Need[slot] = n;
            if (n > int.MaxValue / 4) throw new ShapeMismatchException("scratch", "at most 2 GiB", $"{n} floats");
            if (GuardedScratch.Enabled) return Guarded(slot, n);
            var a = Buffers[slot];
            if (a is null || a.Length < n)
            {
                // Pinned (POH): callers hold raw pointers across the call.
                Buffers[slot] = a = GC.AllocateUninitializedArray<float>((int)Math.Max(n, 64), pinned: true);
            }
            return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(a));
        }

        private readonly GuardedScratch.Block[] _guarded = new GuardedScratch.Block[Slots];

        public Worker()
        {
            if (!GuardedScratch.Enabled) GC.SuppressFinalize(this);
        }

        // Guarded mappings are unmapped with their worker (a kernel still using one then faults: scratch outlived by its user).
        ~Worker()
        {
            for (int s = 0; s < Slots; s++) GuardedScratch.Free(ref _guarded[s]);
        }

        /// <summary>
        /// <see cref="GuardedScratch"/> mode: every request that differs in size gets a fresh guarded mapping and the old
        /// one is unmapped, so a write outside the request or through a pointer taken before the slot was re-requested
        /// faults at once instead of corrupting a neighbour.
        /// </summary>
        private float* Guarded(int slot, long n)
        {
            ref var b = ref _guarded[slot];
            n = Math.Max(n, 1);
            if (b.Floats != n)
            {
                GuardedScratch.Free(ref b);
                b = GuardedScratch.Allocate(n);
            }
            return b.Data;
        }

        public long GuardedBytes
        {
            get
            {
                long s = 0;
                foreach (var b in _guarded) s += b.Floats * sizeof(float);
                return s;
            }
        }

        /// <summary>Grows the typed arena to <paramref name="bytes"/> when no frame is open.</summary>
        public void Reserve(long bytes)
        {
            if (Top != 0 || Arena.LongLength >= bytes) return;
            if (bytes > int.MaxValue) throw new ShapeMismatchException("scratch", "at most 2 GiB", $"{bytes} bytes");
            Arena = GC.AllocateUninitializedArray<byte>((int)bytes);
        }
    }

    /// <summary>A nested region of one thread's typed scratch; <see cref="Take{T}"/> carves spans from it.</summary>
    public ref struct Frame
    {
        private readonly Worker _w;
        private readonly int _start;

        internal Frame(Worker w)
        {
            _w = w;
            if (w.Top == 0) w.Reserve(w.ArenaNeed);
            _start = w.Top;
        }

        /// <summary>
        /// <paramref name="n"/> elements of uninitialised scratch, valid until this frame is disposed. A need
        /// beyond the arena is served by a one-off array and recorded, so the next run's arena covers it.
        /// </summary>
        public Span<T> Take<T>(int n) where T : unmanaged
        {
            ArgumentOutOfRangeException.ThrowIfNegative(n);
            long offset = (_w.Top + 63L) & ~63L; // 64-byte aligned within the arena
            long end = offset + (long)n * Unsafe.SizeOf<T>();
            if (end > _w.ArenaNeed) _w.ArenaNeed = end;
            if (end > _w.Arena.LongLength)
            {
                if (end > int.MaxValue) throw new ShapeMismatchException("scratch", "at most 2 GiB", $"{end} bytes");
                _w.Top = (int)end;
                return MemoryMarshal.Cast<byte, T>(GC.AllocateUninitializedArray<byte>(n * Unsafe.SizeOf<T>()).AsSpan());
            }
            _w.Top = (int)end;
            return MemoryMarshal.Cast<byte, T>(_w.Arena.AsSpan((int)offset, n * Unsafe.SizeOf<T>()));
        }

        /// <summary>Like <see cref="Take{T}"/>, zero-filled.</summary>
        public Span<T> TakeCleared<T>(int n) where T : unmanaged
        {
            var s = Take<T>(n);
            s.Clear();
            return s;
        }

        public readonly void Dispose() => _w.Top = _start;
    }
}
