"""Where whereabouts spends its time and memory on a generated ledger (cProfile, tracemalloc).

Run from the repository root, after ``python benchmarks/run.py --n N`` has made the
data (or it is generated here)::

    python benchmarks/diagnose.py --n 100000

Prints, for loading (W1), the first query (which builds the ledger's view), a
sample of ``last_known`` calls (W3; W2, W4 and W5 are one such call per entity), and
one ``who_is_in`` over a smaller ledger, the functions that take the most time; then
the memory held per observation, by allocation site.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout first, never another one

from benchmarks import generate, run  # noqa: E402  (after the path fix above)
from benchmarks.ours import Whereabouts  # noqa: E402


def profiled(title: str, fn: Callable[[], Any], top: int) -> Any:
    profile = cProfile.Profile()
    start = time.perf_counter()
    result = profile.runcall(fn)
    elapsed = time.perf_counter() - start
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    print(f"\n=== {title}: {elapsed:.2f} s under the profiler ===")
    lines = out.getvalue().splitlines()
    start_at = next(i for i, line in enumerate(lines) if "ncalls" in line)
    print("\n".join(lines[start_at:start_at + top + 1]))
    return result


def memory(files: generate.Files, n: int, top: int) -> None:
    from whereabouts.gazetteer import Gazetteer

    Gazetteer().resolve("Damascus")  # the gazetteer's data is not the ledger's
    gc.collect()
    tracemalloc.start(1)
    before = tracemalloc.take_snapshot()
    tool = Whereabouts()
    tool.load(files)
    gc.collect()
    after = tracemalloc.take_snapshot()
    total = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    print(f"\n=== memory held after loading: {total / n:.0f} bytes per observation"
          f" ({total / 2**20:.0f} MiB for {n:,}) ===")
    for stat in after.compare_to(before, "lineno")[:top]:
        frame = stat.traceback[0]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        print(f"{stat.size_diff / n:8.1f} B/obs {stat.count_diff / n:6.2f} objects/obs  {where}")
    tracemalloc.stop()
    tool.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=run._count, default=100_000)
    parser.add_argument("--calls", type=int, default=200, help="last_known calls to profile")
    parser.add_argument("--top", type=int, default=18)
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    args = parser.parse_args(argv)
    full, _, _ = run.dataset(args.n, args.seed, 5000)
    sample = run.person_sample(full, args.calls, args.seed)

    tool = Whereabouts()
    profiled(f"W1: load {args.n:,} observations", lambda: tool.load(full), args.top)
    profiled("first query after loading (builds the view)",
             lambda: tool.last_one(sample[0]), args.top)
    profiled(f"W3: last_known for {len(sample)} people",
             lambda: [tool.last_one(s) for s in sample], args.top)
    tool.close()
    small_n = max(1000, args.n // 10)
    small, _, _ = run.dataset(small_n, args.seed, 5000)
    smaller = Whereabouts()
    smaller.load(small)
    smaller.last_one(run.person_sample(small, 1, args.seed)[0])
    profiled(f"W5: who_is_in(Syria) on {small_n:,} observations",
             lambda: smaller.in_country(generate.COUNTRIES[0], generate.AS_OF), args.top)
    smaller.close()
    memory(full, args.n, args.top)


if __name__ == "__main__":
    main()
