"""How many bytes a ledger holds per claim once a CSV is loaded, and who holds them.

Makes ``--n`` claims with the benchmarks' generator in random row order with
second-precision times (the generator's ``order="random", precision="second"``
when it has them; otherwise the rows are shuffled and each day-precision date
given a random second here), loads them with :func:`whereabouts.io.read_csv`
as the benchmarks' W1 does, and reports, each in a fresh process:

* ``rss``: resident memory after the load, after ``gc.collect()`` and
  ``malloc_trim(0)``, less the same before the load (numpy imported), per claim;
* ``trace``: memory tracemalloc sees held after the load, per claim, and its
  top holders by file and line.

Run: ``python scripts/measure_memory.py --n 1000000`` (about 2 GB at 10^6: wrap
it in ``flock /tmp/whereabouts-heavy.lock`` on a shared machine). The CSVs are
kept in ``--data`` (default ``benchmarks/.data/memory-<n>``) for the next run.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import ctypes
import gc
import json
import random
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _generated(n: int, folder: Path) -> Path:
    """The CSVs for ``n`` claims in ``folder``, written if they are not there yet."""
    sys.path.insert(0, str(ROOT))  # this checkout's benchmarks package, not another's
    from benchmarks import generate as gen

    if (folder / "observations.csv").exists():
        return folder
    try:
        data = gen.generate(n, order="random", precision="second")  # type: ignore[call-arg]
        gen.write(data, folder)
        return folder
    except TypeError:  # a generator without the options: shuffle and add seconds here
        gen.write(gen.generate(n), folder)
    path = folder / "observations.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    when = header.index("when")
    chance = random.Random(12)
    for row in body:
        if len(row[when]) == 10:  # a day: a second in it
            second = chance.randrange(86400)
            row[when] += f"T{second // 3600:02}:{second // 60 % 60:02}:{second % 60:02}Z"
    chance.shuffle(body)
    after, ids = header.index("after"), header.index("id")
    position = {row[ids]: n for n, row in enumerate(body)}
    for n, row in enumerate(body):  # a link to a row now later is dropped
        if row[after] and position[row[after]] > n:
            row[after] = ""
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(body)
    return folder


def _load(folder: Path) -> object:
    """A ledger loaded as the benchmarks' W1 loads it."""
    from benchmarks.generate import Files
    from benchmarks.ours import Whereabouts

    tool = Whereabouts()
    tool.load(Files(folder))
    return tool.ledger


def _resident() -> int:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    import resource

    return pages * resource.getpagesize()


def _trim() -> None:
    gc.collect()
    with contextlib.suppress(OSError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _measure(mode: str, folder: Path, n: int, top: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    import numpy  # noqa: F401  # imported before the baseline: not a held cost

    import whereabouts  # noqa: F401

    _trim()
    if mode == "rss":
        before = _resident()
        started = time.perf_counter()
        ledger = _load(folder)
        seconds = time.perf_counter() - started
        _trim()
        held = _resident() - before
        claims = len(ledger)  # type: ignore[arg-type]
        return {"mode": mode, "claims": claims, "load_seconds": round(seconds, 2),
                "rss_bytes_per_claim": round(held / claims, 1)}
    tracemalloc.start()
    ledger = _load(folder)
    _trim()
    current, peak = tracemalloc.get_traced_memory()
    snapshot = tracemalloc.take_snapshot()
    claims = len(ledger)  # type: ignore[arg-type]
    holders = [
        {"where": f"{stat.traceback[0].filename.replace(str(ROOT) + '/', '')}:"
                  f"{stat.traceback[0].lineno}",
         "mib": round(stat.size / 2**20, 1), "blocks": stat.count,
         "bytes_per_claim": round(stat.size / claims, 1)}
        for stat in snapshot.statistics("lineno")[:top]
    ]
    return {"mode": mode, "claims": claims,
            "traced_bytes_per_claim": round(current / claims, 1),
            "traced_peak_mib": round(peak / 2**20, 1), "top": holders}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--mode", choices=("rss", "trace", "both"), default="both")
    args = parser.parse_args(argv)
    folder = args.data or ROOT / "benchmarks" / ".data" / f"memory-{args.n}"
    if args.mode != "both":
        print(json.dumps(_measure(args.mode, folder, args.n, args.top)))
        return
    _generated(args.n, folder)
    for mode in ("rss", "trace"):
        out = subprocess.run(
            [sys.executable, __file__, "--n", str(args.n), "--data", str(folder),
             "--top", str(args.top), "--mode", mode],
            check=True, capture_output=True, text=True).stdout
        found = json.loads(out)
        if mode == "rss":
            print(f"{found['claims']:,} claims loaded in {found['load_seconds']} s; "
                  f"resident after gc + malloc_trim: {found['rss_bytes_per_claim']} B/claim")
        else:
            print(f"traced (tracemalloc): {found['traced_bytes_per_claim']} B/claim held, "
                  f"peak {found['traced_peak_mib']} MiB; top holders:")
            for holder in found["top"]:
                print(f"  {holder['mib']:8.1f} MiB {holder['blocks']:>9,} blocks "
                      f"{holder['bytes_per_claim']:7.1f} B/claim  {holder['where']}")


if __name__ == "__main__":
    main()
