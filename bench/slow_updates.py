"""What the slowest replies of a bench_updates run waited for.

    .venv/bin/python bench/bench_updates.py --no-postgres --skip-echo --timeline /tmp/tl \\
        --variant trace=/tmp/trace.json
    .venv/bin/python bench/slow_updates.py /tmp/tl/sqlite-0.json /tmp/trace.json [--top 15]

Joins the harness's timeline (handed out, first reply) with the bot's own (`trace=` switch of
bench/run_variant.py: when each update was handled, each thread call, each garbage collection).
Both use time.perf_counter (CLOCK_MONOTONIC), so the two processes' times compare directly.
For each slow update: time queued before the bot began it, time handling it, the update handled
just before it, and the thread calls and collections that overlapped it.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("timeline", type=Path)
    parser.add_argument("trace", type=Path)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    timeline = json.loads(args.timeline.read_text())
    trace = json.loads(args.trace.read_text())
    handled = {uid: (start, end) for uid, start, end in trace["updates"]}
    order = sorted(trace["updates"], key=lambda u: u[1])
    previous = {order[i][0]: order[i - 1] for i in range(1, len(order))}

    queued, handling = [], []
    for uid, _kind, handed, _replied in timeline:
        if uid in handled:
            queued.append((handled[uid][0] - handed) * 1000)
            handling.append((handled[uid][1] - handled[uid][0]) * 1000)
    print(f"{len(timeline)} updates; queued before handling: median {statistics.median(queued):.1f} ms, "
          f"max {max(queued):.1f} ms; handling: median {statistics.median(handling):.1f} ms, "
          f"max {max(handling):.1f} ms")
    gcs = [(end - start) * 1000 for start, end, _gen, _n in trace["gc"]]
    by_gen = {g: [(e - s) * 1000 for s, e, gen, _ in trace["gc"] if gen == g] for g in (0, 1, 2)}
    print(f"{len(gcs)} collections over the run; " + ", ".join(
        f"gen {g}: {len(v)} (max {max(v):.1f} ms, total {sum(v):.0f} ms)" for g, v in by_gen.items() if v))

    slow = sorted(timeline, key=lambda t: t[3] - t[2], reverse=True)[:args.top]
    for uid, kind, handed, replied in slow:
        latency = (replied - handed) * 1000
        start, end = handled.get(uid, (float("nan"), float("nan")))
        print(f"\n#{uid} {kind}: {latency:.1f} ms = queued {(start - handed) * 1000:.1f} + handled "
              f"{(end - start) * 1000:.1f} ms (reply {(replied - start) * 1000:.1f} ms after start)")
        before = previous.get(uid)
        if before is not None:
            print(f"  before it: #{before[0]} handled {(before[2] - before[1]) * 1000:.1f} ms, "
                  f"ended {(before[2] - handed) * 1000:+.1f} ms from this one's hand-out")
        for name, called, *rest in trace["threads"]:
            returned = rest[-1]
            if called < replied and returned > handed:
                ran = f"ran {(rest[1] - rest[0]) * 1000:.1f} ms after waiting {(rest[0] - called) * 1000:.1f}" \
                    if len(rest) == 3 else "did not run"
                print(f"  thread {name}: {ran} ms, from {(called - handed) * 1000:+.1f} ms")
        for gstart, gend, gen, collected in trace["gc"]:
            if gstart < replied and gend > handed:
                print(f"  gc gen {gen}: {(gend - gstart) * 1000:.1f} ms at {(gstart - handed) * 1000:+.1f} ms "
                      f"({collected} collected)")


if __name__ == "__main__":
    main()
