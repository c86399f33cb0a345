"""How long ``whereabouts.io.read_csv`` takes to import generated observations, beside pandas.

For each ``--n`` it times, on the data of ``benchmarks/generate.py`` (cached under
``benchmarks/.data/`` as ``run.py`` caches it):

* ``pandas.read_csv`` of the file (the yardstick: parsing only, no checks);
* ``read_csv`` of the valid file into a ledger that holds the places and entities;
* the same file with 1 % of its rows changed in varied ways (a kind, a date, a
  place, an id, an ``after`` link, a grade, a missing cell, too few fields, and
  some valid rows naming new people), with ``keep_valid=True`` (imports the rest)
  and by default (raises, imports nothing), each listing every problem.

and prints the best of ``--repeat`` times, the ratios to pandas and of the bad
file to the valid one, and where the valid import's time goes (reading the text,
checking the columns, ``Ledger.extend``). Setting up the ledger (registering the
places, adding the entities, as ``benchmarks/ours.py`` does) is not timed.

    python benchmarks/bench_load.py --n 1e5 1e6 --repeat 3
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout first, never another one

from benchmarks import generate  # noqa: E402  (after the path fix above)
from benchmarks.generate import Files  # noqa: E402

DATA = ROOT / "benchmarks" / ".data"


def dataset(n: int, seed: int, places: int) -> Files:
    """The generated set in the default shape (as ``run.py`` caches it), written on first
    use."""
    full = Files(DATA / f"n{n}-seed{seed}-places{places}-random-second" / "full")
    if not full.observations.exists():
        print(f"generating {n:,} observations ...", flush=True)
        tmp = Files(full.directory.with_name("full.tmp"))
        data = generate.generate(n, seed=seed, places=places, order="random",
                                 precision="second")
        generate.write(data, tmp.directory)
        tmp.directory.replace(full.directory)
    return full


# -- a file with bad rows ----------------------------------------------------------------

TYPOS = ("Kavelo", "Nowherex", "Rimasrixx")
"""Unknown place names. Each distinct one costs the gazetteer a search for suggestions
(about 0.4 s against 5,000 registered places), whatever reads the file."""
NEWCOMERS = ("Nour Khalil", "Sami Nasser", "Rami Haddad")
"""Names no entity has: valid rows that create people (and tie later rows to them)."""

SPOILS: tuple[tuple[str, Callable[[list[str], random.Random], list[str]]], ...] = (
    ("kind", lambda r, _: [*r[:2], "flew to", *r[3:]]),
    ("date", lambda r, _: [*r[:4], "2024-13-01", *r[5:]]),
    ("report date", lambda r, _: [*r[:6], "2024-02-30", *r[7:]]),  # empty: not known
    ("place", lambda r, rng: [*r[:3], rng.choice(TYPOS), *r[4:]]),
    ("source", lambda r, _: [*r[:5], "", *r[6:]]),
    ("reliability", lambda r, _: [*r[:7], "G", *r[8:]]),
    ("credibility", lambda r, _: [*r[:8], "9", *r[9:]]),
    ("duplicate id", lambda r, _: ["o1", *r[1:]]),
    ("invalid id", lambda r, rng: [f"bad id {rng.randrange(1000)}", *r[1:]]),
    ("after unknown", lambda r, _: [*r[:10], "nowhere"]),
    ("no subject", lambda r, _: [r[0], "", *r[2:]]),
    ("new person", lambda r, rng: [r[0], rng.choice(NEWCOMERS), *r[2:]]),
    ("too few fields", lambda r, _: r[:6]),
    ("place not taken",
     lambda r, _: [*r[:2], "whereabouts unknown" if r[3] else "seen at", *r[3:]]),
    ("after its report", lambda r, _: [*r[:4], "2031", *r[5:]]),
)


def spoiled(files: Files, share: float, seed: int = 1) -> Path:
    """A copy of the observations with ``share`` of the rows made bad, each one way."""
    path = files.directory.parent / "load" / f"spoiled-{share:g}.csv"
    if path.exists():
        return path
    with files.observations.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rng = random.Random(seed)
    for index in rng.sample(range(1, len(rows)), max(1, int((len(rows) - 1) * share))):
        rows[index] = SPOILS[index % len(SPOILS)][1](rows[index], rng)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


# -- the ledger the rows go into -----------------------------------------------------------


def prepared(files: Files) -> Callable[[], Any]:
    """A maker of ledgers holding the set's places and entities (as benchmarks/ours.py)."""
    from whereabouts import Ledger, Place

    with files.places.open(newline="", encoding="utf-8") as f:
        places = list(csv.reader(f))[1:]
    with files.entities.open(newline="", encoding="utf-8") as f:
        entities = list(csv.DictReader(f))

    def make() -> Any:
        ledger = Ledger()
        for name, country in places:
            ledger.register_place(Place.city(name, country=country))
        for row in entities:
            if row["kind"] == "person":
                ledger.add_person(row["name"], id=row["id"])
        for row in entities:
            if row["kind"] == "group":
                members = row["members"].split(";") if row["members"] else []
                ledger.add_group(row["name"], id=row["id"], members=members)
        return ledger

    return make


# -- timing ------------------------------------------------------------------------------------


def best(repeat: int, setup: Callable[[], Any], run: Callable[[Any], Any]) -> tuple[float, Any]:
    """The shortest of ``repeat`` runs of ``run(setup())``, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        result = None  # the last run's ledger is freed here, not while the next is timed
        state = setup()
        gc.collect()
        start = time.perf_counter()
        result = run(state)
        times.append(time.perf_counter() - start)
        del state
    return min(times), result


def import_csv(path: Path, keep_valid: bool) -> Callable[[Any], Any]:
    from whereabouts.io import LedgerFileError, read_csv

    def run(ledger: Any) -> Any:
        try:
            return read_csv(path, ledger, keep_valid=keep_valid)
        except LedgerFileError as err:
            return err

    return run


def phases(path: Path, ledger: Any) -> dict[str, float]:
    """Where a valid import's time goes: the text to columns, the checks, the extend."""
    from whereabouts.io import _columns
    from whereabouts.io.csv import _sheet

    times: dict[str, float] = {}
    with _columns.paused_gc():  # as read_csv does
        start = time.perf_counter()
        sheet = _sheet(path, [])
        assert sheet is not None
        times["text to columns"] = time.perf_counter() - start
        start = time.perf_counter()
        planned = _columns.plan(sheet.cells, sheet.lines, ledger, numbers=sheet.numbers)
        times["checks and codes"] = time.perf_counter() - start
        start = time.perf_counter()
        _columns.load(ledger, planned)
        times["Ledger.extend"] = time.perf_counter() - start
    return times


def measure(n: int, args: argparse.Namespace) -> None:
    import pandas as pd

    files = dataset(n, args.seed, args.places)
    bad = spoiled(files, 0.01)
    make = prepared(files)
    print(f"\n{n:,} rows ({files.observations.stat().st_size / 2**20:.1f} MiB), "
          f"best of {args.repeat}:")
    rows: list[tuple[str, float, float | None]] = []
    for label, path in (("valid file", files.observations), ("1 % bad rows", bad)):
        yardstick, _ = best(args.repeat, lambda: None, lambda _, p=path: pd.read_csv(p))
        rows.append((f"pandas.read_csv, {label}", yardstick, None))
        runs = [("read_csv", False)] if path == files.observations else [
            ("read_csv keep_valid=True", True), ("read_csv (raises)", False)]
        for name, keep in runs:
            seconds, result = best(args.repeat, make, import_csv(path, keep))
            problems = len(getattr(result, "problems", ()))
            rows.append((f"{name}, {label} ({problems:,} problems)", seconds, yardstick))
    valid = rows[1][1]
    for name, seconds, yardstick in rows:
        ratio = "" if yardstick is None else f"{seconds / yardstick:5.2f}x pandas"
        versus = f"  {seconds / valid:5.2f}x valid" if "bad" in name and yardstick else ""
        print(f"  {name:<58} {seconds:7.2f} s  {ratio}{versus}")
    for phase, seconds in phases(files.observations, make()).items():
        print(f"    {phase:<56} {seconds:7.2f} s")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=float, nargs="+", default=[1e5, 1e6])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--places", type=int, default=5000)
    args = parser.parse_args(argv)
    import whereabouts

    print(f"whereabouts from {Path(whereabouts.__file__).parent}")
    for n in args.n:
        measure(int(n), args)


if __name__ == "__main__":
    main()
