"""Micro benchmarks: EDTF parsing, place resolution, and the cost of ``import whereabouts``.

Run from the repository root (``pip install -e '.[benchmark]'`` for the ``edtf``
column)::

    python benchmarks/micro.py

* **EDTF parse**, per string, for five forms. *cold*: every string is new (distinct
  texts, so ``When.parse``'s cache cannot help: the cost of reading a column of
  mostly distinct dates); *warm*: the same text again (a cache hit: a column of
  repeated dates). Beside them ``edtf.parse_edtf`` (python-edtf), cold, and for a
  day ``datetime.date.fromisoformat``.
* **Place resolution**, per name: the 40 real names of ``bench_gazetteer.py`` and 5,000
  registered synthetic places, *warm* (resolved before by the same gazetteer) and
  *cold* (first time for a fresh gazetteer whose data is already loaded).
* **import**: ``import whereabouts`` in a fresh interpreter, median and best of 10,
  against ``import attrs, pycountry``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout first, never another one

FORMS = ("day", "month", "interval", "open interval", "set")


def distinct_texts(form: str, count: int, batch: int = 0) -> list[str]:
    """``count`` different EDTF texts of one form; each ``batch`` gives fresh ones."""
    first = batch * count
    base = date(1000, 1, 1) + timedelta(days=first)
    days = [(base + timedelta(days=i)).isoformat() for i in range(count + 10)]
    if form == "day":
        return days[:count]
    if form == "month":  # 108,000 months in years 1000-9999, then with qualifiers
        return [f"{1000 + (m // 12) % 9000:04d}-{m % 12 + 1:02d}{'?~%'[:m // 108_000 % 4][-1:]}"
                for m in range(first, first + count)]
    if form == "interval":
        return [f"{days[i]}/{days[i + 7]}" for i in range(count)]
    if form == "open interval":
        return [f"{days[i]}/.." for i in range(count)]
    if form == "set":
        return [f"[{days[i]},{days[i + 4]}..{days[i + 6]}]" for i in range(count)]
    raise ValueError(form)


def per_item(fn: Callable[[str], Any], texts: Sequence[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        fn(text)
    return (time.perf_counter() - start) / len(texts)


def edtf_figures(repeat: int, count: int) -> dict[str, dict[str, float | None]]:
    from whereabouts import When

    parse = When.parse
    out: dict[str, dict[str, float | None]] = {}
    try:
        import edtf
    except ImportError:
        edtf = None
    for form in FORMS:
        cold = statistics.median(
            per_item(parse, distinct_texts(form, count, batch=r + 1))
            for r in range(repeat))
        one = distinct_texts(form, 1)[0]
        parse(one)
        warm = statistics.median(per_item(parse, [one] * count) for _ in range(repeat))
        theirs = None
        if edtf is not None:
            texts = distinct_texts(form, 30, batch=repeat + 2)
            try:
                theirs = statistics.median(per_item(edtf.parse_edtf, texts) for _ in range(3))
            except Exception:  # python-edtf rejects some forms; then there is no figure
                theirs = None
        out[form] = {"cold": cold, "warm": warm, "edtf": theirs}
    days = distinct_texts("day", count)
    out["day"]["fromisoformat"] = statistics.median(
        per_item(date.fromisoformat, days) for _ in range(repeat))
    return out


def place_figures(repeat: int) -> dict[str, dict[str, float]]:
    from benchmarks.bench_gazetteer import NAMES
    from benchmarks.generate import COUNTRIES, place_names
    from whereabouts import Ledger, Place
    from whereabouts.gazetteer import Gazetteer

    Gazetteer().resolve("Damascus")  # load the data once; cold below means a new instance
    out: dict[str, dict[str, float]] = {}
    colds, warms = [], []
    for _ in range(repeat):
        gaz = Gazetteer()
        colds.append(per_item(gaz.resolve, NAMES))
        warms.append(per_item(gaz.resolve, NAMES * 50))
    out["real names (resolve)"] = {"cold": statistics.median(colds),
                                   "warm": statistics.median(warms)}
    names = place_names(5000)
    places = [Place.city(n, country=COUNTRIES[i % len(COUNTRIES)]) for i, n in enumerate(names)]
    colds, warms = [], []
    for _ in range(max(1, repeat // 2)):
        ledger = Ledger()
        for place in places:
            ledger.register_place(place)
        colds.append(per_item(ledger.place, names))
        warms.append(per_item(ledger.place, names * 5))
    out["5,000 registered (Ledger.place)"] = {"cold": statistics.median(colds),
                                              "warm": statistics.median(warms)}
    return out


def import_figures(runs: int) -> dict[str, dict[str, float]]:
    out = {}
    for statement in ("import whereabouts", "import attrs, pycountry"):
        code = (f"import time; t = time.perf_counter(); {statement}; "
                "print(time.perf_counter() - t)")
        times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                      text=True, check=True, cwd=ROOT).stdout)
                 for _ in range(runs)]
        out[statement] = {"median": statistics.median(times), "best": min(times)}
    return out


def _us(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e6:.3g} us"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--count", type=int, default=20_000, help="strings per EDTF pass")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    imports = import_figures(10)
    dates = edtf_figures(args.repeat, args.count)
    places = place_figures(args.repeat)
    print("EDTF parse, per string (median of passes)")
    print("| form | When.parse cold | When.parse warm (cached) | edtf.parse_edtf |")
    print("|---|---|---|---|")
    for form, fig in dates.items():
        print(f"| {form} ({distinct_texts(form, 1)[0]}) | {_us(fig['cold'])} |"
              f" {_us(fig['warm'])} | {_us(fig['edtf'])} |")
    print(f"date.fromisoformat, per day: {_us(dates['day']['fromisoformat'])}")
    print("\nPlace resolution, per name")
    print("| names | cold | warm |")
    print("|---|---|---|")
    for label, fig in places.items():
        print(f"| {label} | {_us(fig['cold'])} | {_us(fig['warm'])} |")
    print("\nImport, fresh interpreter (10 runs)")
    print("| statement | median | best |")
    print("|---|---|---|")
    for statement, fig in imports.items():
        print(f"| `{statement}` | {fig['median'] * 1e3:.1f} ms | {fig['best'] * 1e3:.1f} ms |")
    if args.json:
        args.json.write_text(json.dumps({"edtf": dates, "places": places, "import": imports},
                                        indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
