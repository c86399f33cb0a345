"""Writing a generated ledger as Parquet (``write_parquet``) beside the native save, and
reading each back, with the time and the memory each takes (docs/scale-out.md).

Run ``python benchmarks/bench_parquet.py --data DIR`` on a set written by
``python benchmarks/generate.py --n N --out DIR``. The ledger is loaded as
``benchmarks/bench_load.py`` loads it (its places and entities, then ``read_csv``);
then, in this process:

* ``save`` (the native file) and ``write_parquet``: wall time, and the peak resident
  memory above what the loaded ledger already held, sampled every 5 ms;

and, with ``--read``, each in a fresh process: ``load`` of the native file and
``read_parquet`` of the dataset, wall time and the process's peak resident memory.
Run it under ``flock /tmp/whereabouts-heavy.lock`` at 10^7 claims.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_load import prepared  # noqa: E402
from benchmarks.generate import Files  # noqa: E402


def rss() -> int:
    """This process's resident memory now, in bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def peak_rss() -> int:
    """This process's peak resident memory so far (VmHWM), in bytes."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status
                    if line.startswith("VmHWM:"))


def measured(run: Callable[[], Any]) -> tuple[float, int]:
    """Wall time of ``run()`` and its peak resident memory above the start, sampled."""
    start_rss, peak, done = rss(), [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss())
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    return elapsed, max(peak[0], rss()) - start_rss


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() \
        else path.stat().st_size


_CHILD = """
import json, sys, time
from whereabouts.io import load, read_parquet
start = time.perf_counter()
ledger = (read_parquet if sys.argv[1] == "parquet" else load)(sys.argv[2])
elapsed = time.perf_counter() - start
with open("/proc/self/status") as status:  # VmHWM: this process's own peak (ru_maxrss
    peak = next(int(line.split()[1]) * 1024 for line in status  # counts the parent's too)
                if line.startswith("VmHWM:"))
print(json.dumps({"seconds": elapsed, "entries": len(ledger), "peak": peak}))
"""


def read_back(kind: str, path: Path) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", _CHILD, kind, str(path)], check=True,
                         capture_output=True, text=True).stdout
    found: dict[str, Any] = json.loads(out)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a set of generate.py")
    parser.add_argument("--out", type=Path, default=None,
                        help="where to write (default: DATA/out, removed after)")
    parser.add_argument("--read", action="store_true", help="also read each back")
    parser.add_argument("--load-only", action="store_true",
                        help="stop after the first line: the CSV load's time and memory")
    parser.add_argument("--no-native", dest="native", action="store_false",
                        help="leave out the native file (its save holds every record at "
                             "once: some GB at 10^7)")
    args = parser.parse_args()
    from whereabouts.io import read_csv, save, write_parquet

    files = Files(args.data)
    out = args.out or args.data / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    start = time.perf_counter()
    ledger = prepared(files)()
    read_csv(files.observations, ledger)
    loaded = time.perf_counter() - start
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    print(f"loaded {len(ledger):,} entries in {loaded:.1f} s (peak resident "
          f"{peak_rss() / 2**30:.2f} GiB, held {rss() / 2**30:.2f} GiB)", flush=True)
    if args.load_only:
        shutil.rmtree(out, ignore_errors=True)
        return
    results = {}
    writes = [("save (native)", out / "case.jsonl", lambda p: save(ledger, p))] * args.native
    writes.append(("write_parquet", out / "case.parquet", lambda p: write_parquet(ledger, p)))
    for name, path, write in writes:
        seconds, peak = measured(lambda w=write, p=path: w(p))
        results[name] = (seconds, peak, size(path))
        print(f"{name}: {seconds:.1f} s, peak {peak / 2**20:,.0f} MiB above the ledger, "
              f"{size(path) / 2**20:,.0f} MiB on disk", flush=True)
    if args.read:
        del ledger
        reads = [("native", out / "case.jsonl")] * args.native
        for kind, path in [*reads, ("parquet", out / "case.parquet")]:
            found = read_back(kind, path)
            print(f"read back {kind}: {found['seconds']:.1f} s, {found['entries']:,} entries, "
                  f"peak resident {found['peak'] / 2**30:.2f} GiB", flush=True)
    if args.out is None:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
