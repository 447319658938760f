#!/usr/bin/env python3
"""Mixed-load soak client for scripts/soak (stdlib only): keeps --connections workers busy against a PaddleNet
server on loopback with good images, PNG bombs, broken images, bodies declared over the limit, malformed JSON and
wrong methods, plus --slow workers that trickle a body below Kestrel's minimum rate. Samples the server's RSS.
Prints one summary; exits 1 on any 5xx, any failed exchange (reset, garbage, timeout) or RSS growth over the limit."""
import argparse, asyncio, base64, json, random, struct, sys, time, zlib


def png_bomb(width=20000, height=20000):
    row = b"\0" * (width + 1)
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(row) for _ in range(height)) + z.flush()
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def server_memory(host, port):
    """The server's own memory gauges from /metrics (MB): GC heap and committed, native malloc in use and free."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    await writer.drain()
    text = (await reader.read()).decode(errors="replace")
    writer.close()
    out = {}
    for name, key in [("paddlenet_gc_heap_bytes", "gc heap"), ("paddlenet_gc_committed_bytes", "gc committed"),
                      ("paddlenet_native_heap_in_use_bytes", "malloc in use"), ("paddlenet_native_heap_free_bytes", "malloc free")]:
        for line in text.splitlines():
            if line.startswith(name + " "):
                out[key] = float(line.split()[1]) / 2**20
    return out


def request(method, path, body=b"", ctype="application/json", declared=None):
    length = len(body) if declared is None else declared
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: {ctype}\r\nContent-Length: {length}\r\n\r\n"
    return head.encode() + body


async def exchange(host, port, data, timeout=60):
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        writer.write(data)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout)
        await asyncio.wait_for(reader.read(), timeout)  # Connection: close: the rest of the answer
        parts = status_line.split()
        return int(parts[1]) if len(parts) >= 2 and parts[0].startswith(b"HTTP/") else -1
    finally:
        writer.close()


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--seconds", type=float, default=1800)
    p.add_argument("--warmup", type=float, default=10)
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--slow", type=int, default=2)
    p.add_argument("--good", required=True)
    p.add_argument("--broken", required=True)
    p.add_argument("--model", default="digits")
    p.add_argument("--max-rss-growth", type=float, default=0.2)
    p.add_argument("--settle", type=float, default=4, help="seconds without requests before the idle and end RSS")
    a = p.parse_args()
    host, path = "127.0.0.1", f"/v1/models/{a.model}:predict"

    def as_json(img):
        return b'{"image":"' + base64.b64encode(img) + b'"}'

    good = request("POST", path, as_json(open(a.good, "rb").read()))
    bomb = request("POST", path, as_json(png_bomb()))
    broken = [request("POST", path, as_json(open(a.broken, "rb").read())),
              request("POST", path, as_json(bytes(random.Random(7).randrange(256) for _ in range(4096))))]
    kinds = [("good", 70, [good]), ("bomb", 8, [bomb]), ("broken", 8, broken),
             ("oversized", 6, [request("POST", path, b'{"image":"', declared=64 * 1024 * 1024)]),
             ("bad_json", 5, [request("POST", path, b'{"image": [1, 2')]),
             ("wrong_method", 3, [b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"])]
    weights = [k[1] for k in kinds]

    rss_fresh = rss_mb(a.pid)  # loaded and ready, no request yet
    # "Idle": the server after start, model load and one good request, then as long without requests as "end" waits
    # (the server's idle trim, 2 s by default, has run in both): the baseline the hostile load is compared with.
    await exchange(host, a.port, good)
    await asyncio.sleep(a.settle)
    rss_idle = rss_mb(a.pid)
    mem_idle = await server_memory(host, a.port)
    stats = {k[0]: {} for k in kinds}
    stats["slow"] = {}
    latencies, failures = [], []
    rng = random.Random(17)
    warming = True

    def count(kind, status):
        if not warming:
            stats[kind][status] = stats[kind].get(status, 0) + 1

    async def worker():
        while time.monotonic() < stop:
            kind, _, bodies = rng.choices(kinds, weights)[0]
            t0 = time.monotonic()
            try:
                status = await exchange(host, a.port, rng.choice(bodies))
            except Exception as e:  # reset, timeout: a crashed request
                failures.append(f"{kind}: {type(e).__name__}: {e}")  # counted during the warm-up too
                continue
            if not warming:
                latencies.append(time.monotonic() - t0)
            count(kind, status)

    async def slow_client():
        # 4 bytes a second, under Kestrel's 240 B/s minimum: the answer (408) is read as soon as it comes, before
        # writing more (writing after the server's close would bring a reset that discards the answer).
        head = request("POST", path, b"", declared=100000)
        while time.monotonic() < stop:
            try:
                reader, writer = await asyncio.open_connection(host, a.port)
                writer.write(head + b'{"image":"')
                line = b""
                for _ in range(40):
                    try:
                        line = await asyncio.wait_for(reader.readline(), 1.0)
                        break
                    except asyncio.TimeoutError:
                        writer.write(b"AAAA")
                        await writer.drain()
                parts = line.split()
                count("slow", int(parts[1]) if len(parts) >= 2 else -1)
                writer.close()
            except Exception as e:
                failures.append(f"slow: {type(e).__name__}: {e}")

    samples = []  # (seconds since the warm-up ended, RSS) under load

    async def sampler():
        nonlocal peak
        while time.monotonic() < stop:
            r = rss_mb(a.pid)
            peak = max(peak, r)
            if not warming:
                samples.append((time.monotonic() - t_start, r))
            await asyncio.sleep(0.5)

    # The same mixed load warms the JIT, the model and the GC heap before RSS is taken as the start; the counts
    # and latencies cover the measured part only.
    stop = time.monotonic() + a.warmup + a.seconds
    peak = rss_idle
    rss_start = rss_idle

    mem_start = {}

    async def after_warmup():
        nonlocal warming, rss_start, t_start, mem_start
        await asyncio.sleep(a.warmup)
        rss_start = rss_mb(a.pid)
        mem_start = await server_memory(host, a.port)
        t_start = time.monotonic()
        warming = False

    t_start = time.monotonic()
    await asyncio.gather(after_warmup(), *[worker() for _ in range(a.connections)], *[slow_client() for _ in range(a.slow)], sampler())
    elapsed = time.monotonic() - t_start
    await asyncio.sleep(a.settle)  # idle: what the server keeps after the load
    rss_end = rss_mb(a.pid)
    mem_end = await server_memory(host, a.port)
    peak = max(peak, rss_end)

    total = sum(sum(v.values()) for v in stats.values())
    by_class = {}
    for v in stats.values():
        for s, n in v.items():
            by_class[f"{s // 100}xx" if s > 0 else "garbled"] = by_class.get(f"{s // 100}xx" if s > 0 else "garbled", 0) + n
    latencies.sort()
    pct = lambda q: 1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0
    growth = rss_end / rss_start - 1 if rss_start else 0
    print(f"soak: {elapsed:.0f} s, {a.connections} connections + {a.slow} slow clients, model {a.model}")
    print(f"requests {total}  req/s {total / elapsed:.1f}  p50 {pct(0.50):.1f} ms  p99 {pct(0.99):.1f} ms")
    print("status classes " + "  ".join(f"{k} {v}" for k, v in sorted(by_class.items())) + f"  failed exchanges {len(failures)}")
    for kind, v in stats.items():
        print(f"  {kind:13s} " + "  ".join(f"{s}: {n}" for s, n in sorted(v.items())))
    print(f"RSS MB fresh {rss_fresh:.0f} (no request yet)  idle {rss_idle:.0f} (one request, {a.settle:.0f} s idle)  start {rss_start:.0f} (after {a.warmup:.0f} s of the same load)"
          f"  peak {peak:.0f}  end {rss_end:.0f} ({a.settle:.0f} s idle)  (growth end/start {100 * growth:+.1f}%, end/idle {rss_end / rss_idle:.2f}x)")
    # Drift under load: the median RSS of the first and the last minute (or tenth) of the measured part.
    span = min(60.0, elapsed / 10)
    first = sorted(r for t, r in samples if t <= span)
    last = sorted(r for t, r in samples if t >= elapsed - span)
    if first and last:
        f, l = first[len(first) // 2], last[len(last) // 2]
        print(f"RSS under load, median of the first / last {span:.0f} s: {f:.0f} / {l:.0f} MB (drift {100 * (l / f - 1):+.1f}%)")
    fmt = lambda m: ", ".join(f"{k} {v:.0f}" for k, v in m.items()) or "n/a"
    print(f"server memory MB (from /metrics)  idle: {fmt(mem_idle)}  |  start: {fmt(mem_start)}  |  end: {fmt(mem_end)}")
    for f in failures[:5]:
        print("  failure: " + f)
    bad = by_class.get("5xx", 0) > 0 or by_class.get("garbled", 0) > 0 or failures or growth > a.max_rss_growth
    if bad:
        print("soak: FAILED (5xx, failed exchanges or RSS growth over %.0f%%)" % (100 * a.max_rss_growth))
    sys.exit(1 if bad else 0)


asyncio.run(main())
