"""Figures for the gazetteer (not a test): import cost, first load, warm throughput, misses.

Run from the repository root::

    python benchmarks/bench_gazetteer.py

Prints one table. Targets from the issue: import under 100 ms more than attrs +
pycountry; first resolution at most 0.5 s and 60 MiB; warm exact resolution at
least 300,000 names/s; an unknown name with suggestions within 20 ms.
"""

from __future__ import annotations

import contextlib
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAMES = [
    "Damascus", "Latakia", "Beirut", "Moscow", "Dubai", "Abu Dhabi", "Geneva", "Kyiv", "Bombay",
    "Mumbai", "Singapore", "Kabul", "Tashkent", "Iraq", "Lebanon", "Libya", "Russia", "Syria",
    "Türkiye", "Turkey", "UAE", "the UAE", "United Arab Emirates", "Paris", "Georgia", "Congo",
    "Korea", "Washington", "USSR", "Burma", "Europe", "the Middle East", "Aleppo", "Homs",
    "Tripoli", "Cairo", "Baghdad", "Tehran", "Istanbul", "Ankara",
]
UNKNOWN = ["Damscus", "Beyrut City", "Latakiya", "Alepo", "Khmeimim base", "Tashkand"]

_FIRST = """
import time, tracemalloc
from whereabouts.gazetteer import Gazetteer
gaz = Gazetteer()
if {trace}:
    tracemalloc.start()
t = time.perf_counter()
gaz.resolve("Damascus")
elapsed = time.perf_counter() - t
print(tracemalloc.get_traced_memory()[1] / 2**20 if {trace} else elapsed)
"""


def _run(code: str) -> float:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    return float(done.stdout)


def _import_seconds(statement: str, runs: int = 9) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    return min(_run(code) for _ in range(runs))  # the least disturbed run


def main() -> None:
    from whereabouts.gazetteer import Gazetteer

    base = _import_seconds("import attrs, pycountry")
    ours = _import_seconds("import whereabouts.gazetteer")
    package = _import_seconds("import whereabouts")
    load_seconds = statistics.median(_run(_FIRST.format(trace=False)) for _ in range(5))
    load_mib = _run(_FIRST.format(trace=True))

    gaz = Gazetteer()
    for name in NAMES:
        gaz.resolve(name)
    rounds = 20_000
    start = time.perf_counter()
    for _ in range(rounds):
        for name in NAMES:
            gaz.resolve(name)
    warm = rounds * len(NAMES) / (time.perf_counter() - start)

    uncached_gaz = Gazetteer()  # same data, result cache emptied before every call
    start = time.perf_counter()
    count = 0
    for _ in range(200):
        for name in NAMES:
            uncached_gaz._cache.clear()
            uncached_gaz.resolve(name)
            count += 1
    uncached = count / (time.perf_counter() - start)

    start = time.perf_counter()
    gaz.suggest(UNKNOWN[0])  # the first miss builds the suggestion pool
    pool_seconds = time.perf_counter() - start
    misses = []
    for _ in range(5):
        for name in UNKNOWN:
            start = time.perf_counter()
            with contextlib.suppress(LookupError):
                gaz.resolve(name)
            misses.append(time.perf_counter() - start)

    rows = [
        ("import whereabouts.gazetteer minus attrs + pycountry (best of 9)",
         f"{(ours - base) * 1000:.0f} ms", "< 100 ms"),
        ("  import attrs + pycountry", f"{base * 1000:.0f} ms", ""),
        ("  import whereabouts (the package, without the gazetteer)",
         f"{package * 1000:.0f} ms", ""),
        ("  the gazetteer's own share", f"{(ours - package) * 1000:.0f} ms", ""),
        ("first resolution (loads the data), median of 5", f"{load_seconds:.2f} s", "<= 0.5 s"),
        ("first resolution, tracemalloc peak", f"{load_mib:.0f} MiB", "<= 60 MiB"),
        ("warm exact resolution, repeated names", f"{warm:,.0f} names/s", ">= 300,000/s"),
        ("exact resolution, result cache emptied", f"{uncached:,.0f} names/s", ""),
        ("first unknown name (builds suggestion pool)", f"{pool_seconds * 1000:.0f} ms", ""),
        ("unknown name with suggestions, median",
         f"{statistics.median(misses) * 1000:.1f} ms", "<= 20 ms"),
        ("unknown name with suggestions, worst", f"{max(misses) * 1000:.1f} ms", ""),
    ]
    width = max(len(row[0]) for row in rows)
    print(f"{'figure':<{width}}  {'measured':>18}  target")
    for label, value, target in rows:
        print(f"{label:<{width}}  {value:>18}  {target}")
    print(f"python {sys.version.split()[0]} on {sys.platform}")


if __name__ == "__main__":
    main()
