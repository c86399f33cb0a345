"""Figures for the gazetteer (not a test): import cost, first load, warm throughput, misses.

Run from the repository root::

    python benchmarks/bench_gazetteer.py

Prints one table. Targets from the issue: import under 100 ms more than attrs +
pycountry; first resolution at most 0.5 s and 60 MiB; warm exact resolution at
least 300,000 names/s; an unknown name with suggestions within 20 ms.

Then hostile names (issue #11): every shape in ``HOSTILE``, each name up to the
300-character limit resolved ``--rounds`` times with the result cache emptied
(median and worst), and CSV imports of 1,000 and 10,000 rows whose place cells
are all distinct hostile names (the time should grow tenfold, not more).
``--hostile`` prints only that part.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from whereabouts.gazetteer import Gazetteer

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


LIMIT = 300  # whereabouts.gazetteer.MAX_NAME (the versions before it was exported too)


def _fill(unit: str, sep: str = " ", tail: str = "") -> str:
    """``unit`` repeated with ``sep`` while the name stays within the limit."""
    out = unit
    while len(out + sep + unit + tail) <= LIMIT:
        out += sep + unit
    return out + tail


HOSTILE: dict[str, list[str]] = {
    "the issue's reproducer": ["a in " * 59 + "a", _fill("a", " in ")],
    "X in Y in ..., parts unknown": [_fill("zq", " in "), _fill("qx", " in "), _fill("b", " in "),
                                     _fill("Xylo", " in ")],
    "X in Y in ..., parts known": [_fill("hospital", " in ", " in Damascus"),
                                   _fill("Damascus", " in "), _fill("Paris", " in "),
                                   _fill("Europe", " in ")],
    "many commas": [_fill("zq", ", "), _fill("a", ","), "," * 298 + "a", _fill("Damascus", ", ")],
    "commas and in": [_fill("zq in zq", ", "), _fill("zq, zq", " in "), _fill("a, zq", " in "),
                      _fill("hospital in zq", ", ", ", Damascus")],
    "one letter, 300 times": ["a" * LIMIT, "z" * LIMIT, "é" * LIMIT, "ا" * LIMIT, "Ж" * LIMIT],
    "many words": [_fill("zqx"), _fill("abc"), _fill("Damascus"), _fill("w"), _fill("the")],
    "mixed scripts": [_fill("Москва دمشق 東京 Ελλάδα"), _fill("aЖ"), _fill("دا", ""),
                      _fill("東", ""), _fill("a\u0301", "")],
    "characters NFKD expands": ["\u3316" * LIMIT, "\ufdfa" * LIMIT, "\ufb03" * LIMIT],
    "near / in / at repeated": [_fill("near in at"), _fill("in"), _fill("at in"),
                                _fill("near", " in "), _fill("in", " in ")],
    "short tokens to the limit": [_fill("a b"), _fill("x y z in"), _fill("al the", " in "),
                                  " ".join("abcdefghijklmnopqrstuvwxyz" * 12)[:LIMIT]],
    "airport words": [_fill("airport"), _fill("international airport"),
                      _fill("zq airport", " in ")],
    "unknown, many close names": ["saaeinrt", "sanaaaaaar", "s aeimnort", "m aaaiioprrrttu",
                                  "Damscus", "Beyrut City", "aeinorstlu"],
}


def _resolve_seconds(gaz: Gazetteer, name: str) -> tuple[float, float]:
    """Seconds to resolve ``name`` with the result cache emptied: (processor, wall)."""
    from whereabouts.errors import WhereaboutsError

    gaz._cache.clear()
    cpu, wall = time.process_time(), time.perf_counter()
    with contextlib.suppress(WhereaboutsError):  # unknown, ambiguous: an answer too
        gaz.resolve(name)
    return time.process_time() - cpu, time.perf_counter() - wall


def _hostile_csv(rows: int, folder: Path) -> Path:
    """A CSV whose place cells are ``rows`` distinct hostile names."""
    names = [name for shape in HOSTILE.values() for name in shape]
    path = folder / f"hostile-{rows}.csv"
    lines = ["id,subjects,kind,place,when,source,reported,reliability,credibility,note,after"]
    for row in range(rows):
        code = "".join("abcdefghijklmnopqrstuvwxyz"[row // 26**i % 26] for i in range(4))
        name = names[row % len(names)][:LIMIT - 5].rstrip() + " " + code  # distinct
        lines.append(f',Nour Khalil,seen at,"{name.replace(chr(34), chr(34) * 2)}",2024-12-07,'
                     "a wire,,,,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def hostile(rounds: int) -> None:
    from whereabouts import Ledger
    from whereabouts.gazetteer import Gazetteer
    from whereabouts.io import read_csv

    gaz = Gazetteer()
    gaz.resolve("Damascus")
    gaz.resolve("Deutschland")
    with contextlib.suppress(LookupError):
        gaz.resolve("Damscus")  # loads the variants and the suggestion pool
    # Processor time: on a shared machine the wall clock also counts the waits for a
    # processor (the load factor); both are printed.
    print(f"{'hostile shape (each name up to 300 characters)':<48}  {'names':>5}  "
          f"{'median':>9}  {'worst':>9}  {'worst, wall':>11}")
    everything: list[float] = []
    walls: list[float] = []
    for label, names in HOSTILE.items():
        assert all(len(name) <= LIMIT for name in names), label
        times = [_resolve_seconds(gaz, name) for name in names for _ in range(rounds)]
        spent = [t[0] for t in times]
        everything += spent
        walls += [t[1] for t in times]
        print(f"{label:<48}  {len(names):>5}  {statistics.median(spent) * 1000:>6.2f} ms  "
              f"{max(spent) * 1000:>6.2f} ms  {max(t[1] for t in times) * 1000:>8.2f} ms",
              flush=True)
    print(f"{'all shapes (target: under 20 ms)':<48}  {'':>5}  "
          f"{statistics.median(everything) * 1000:>6.2f} ms  {max(everything) * 1000:>6.2f} ms  "
          f"{max(walls) * 1000:>8.2f} ms")
    cpu = time.process_time()
    gc.collect()
    print(f"(one full garbage collection, which any resolution may trigger: "
          f"{(time.process_time() - cpu) * 1000:.1f} ms)")

    with tempfile.TemporaryDirectory() as folder:
        seconds = {}
        for rows in (1_000, 10_000):
            path = _hostile_csv(rows, Path(folder))
            cpu, wall = time.process_time(), time.perf_counter()
            report = read_csv(path, Ledger(gazetteer=Gazetteer()), keep_valid=True)
            seconds[rows] = time.process_time() - cpu
            print(f"CSV import, {rows:>6,} rows of distinct hostile place names: "
                  f"{seconds[rows]:.2f} s ({seconds[rows] / rows * 1e6:.0f} µs a row; wall "
                  f"{time.perf_counter() - wall:.2f} s; {len(report.problems):,} rows refused)",
                  flush=True)
        print(f"10,000 rows / 1,000 rows: {seconds[10_000] / seconds[1_000]:.1f} (linear: 10)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--hostile", action="store_true", help="only the hostile names")
    parser.add_argument("--rounds", type=int, default=5, help="times each hostile name is resolved")
    args = parser.parse_args()
    if not args.hostile:
        figures()
        print()
    hostile(args.rounds)
    print(f"python {sys.version.split()[0]} on {sys.platform}")


def figures() -> None:
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


if __name__ == "__main__":
    main()
