using System.Reflection;
using System.Runtime.CompilerServices;
using PaddleNet.Runtime;
using PaddleNet.Tests.Support;

namespace PaddleNet.Tests.Runtime;

/// <summary>An <see cref="InferenceSession"/> that is dropped without <c>Dispose</c> gives its intra-op threads back
/// once collected (they used to live as long as the process).</summary>
public sealed class SessionThreadOwnershipTests
{
    private static string Model => Path.Combine(SharedData.Path("ops", "conv2d", "k3_s1_p1", "pir"), "model.json");

    private static IntraOpPool PoolOf(InferenceSession session) =>
        (IntraOpPool)typeof(InferenceSession).GetField("_pool", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(session)!;

    // Not inlined: the sessions must be unreachable once this returns.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (IntraOpPool[] Pools, WeakReference[] Sessions, int LiveBeforeDrop) CreateAndDrop(int count)
    {
        var pools = new IntraOpPool[count];
        var sessions = new WeakReference[count];
        var strong = new InferenceSession[count];
        for (int i = 0; i < count; i++)
        {
            strong[i] = new InferenceSession(Model, new SessionOptions { IntraOpThreads = 4 });
            pools[i] = PoolOf(strong[i]);
            sessions[i] = new WeakReference(strong[i]);
        }
        // Counted while the sessions are still reachable: a collection started by a test running in parallel
        // could otherwise finalize one before the count.
        int live = pools.Sum(p => p.LiveWorkers);
        GC.KeepAlive(strong);
        return (pools, sessions, live);
    }

    private static async Task<int> LiveAfterCollecting(IntraOpPool[] pools)
    {
        int live = pools.Sum(p => p.LiveWorkers);
        for (int attempt = 0; attempt < 100 && live > 0; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(50);
            live = pools.Sum(p => p.LiveWorkers);
        }

        return live;
    }

    [Fact]
    public async Task SessionCollectedWithoutDispose_ReleasesItsThreads()
    {
        var (pools, sessions, liveBeforeDrop) = CreateAndDrop(5);
        Assert.Equal(15, liveBeforeDrop);

        int live = await LiveAfterCollecting(pools);

        Assert.All(sessions, s => Assert.False(s.IsAlive));
        Assert.Equal(0, live);
    }

    [Fact]
    public async Task DisposedSession_StopsItsThreads()
    {
        var session = new InferenceSession(Model, new SessionOptions { IntraOpThreads = 3 });
        var pool = PoolOf(session);
        Assert.Equal(2, pool.LiveWorkers);

        session.Dispose();

        Assert.Equal(0, await LiveAfterCollecting([pool]));
    }
}
