"""Time whereabouts against pandas, DuckDB and sqlite3 on W1-W5, and check they agree.

Run from a checkout, after ``pip install -e '.[benchmark]'``::

    python benchmarks/run.py --n 100000
    python benchmarks/run.py --n 1000000 --json results.json
    python benchmarks/run.py --n 10000000 --memory-only     # whereabouts' import only

The workloads (``docs/performance.md`` has the figures and the method):

W1  load the CSV files into the tool
W2  last known location of everyone
W3  last known location of one person (median per call over a sample of people)
W4  everyone's location as of a date (2022-06-30)
W5  everyone last known in one country (Syria, the busiest) as of that date

What is timed is what a user holds. whereabouts: every W2-W5 figure is the first
call on a freshly loaded ledger (loaded again for each workload and repeat, the load
untimed there, with the caches queries fill cleared), and the answer is read inside
the timing: its ``columns()`` and their arrays where the result has them, else its
``entities``, ``statuses`` and ``places``. W3 times each person's first call on the
fresh ledger. Calls repeated on the same ledger (answered from what the first call
kept) are reported apart, labelled "repeated". The peers keep no answers: their
figure is the median after one untimed warm-up call, each result fully built (a
concrete DataFrame, rows fetched, numpy arrays fetched).

The data is generated once per parameter set and cached under ``benchmarks/.data/``
of this checkout (git-ignored): by default shuffled rows and date-times to the
second (``--order time --precision day`` gives the data of the figures before issue
12). Memory is measured per tool in a fresh interpreter: held after loading (the
resident set's growth after ``gc`` and ``malloc_trim``, and the Python heap by
tracemalloc) and the resident set's peak while loading.

Every peer also answers W2-W5 on the *precise subset* (see ``peers.py``); all must
agree, and whereabouts must agree with them on the people whose claims are all
precise. Any disagreement is printed and the exit status is 1. The runner imports
only from its own checkout: run from elsewhere, or with another checkout's
``whereabouts`` or ``benchmarks`` imported first, it exits with status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def own_checkout(root: Path, modules: dict[str, ModuleType]) -> str | None:
    """One line naming what was imported from outside ``root``; None when all is well."""
    strays = []
    for name, module in modules.items():
        path = Path(module.__file__ or "").resolve().parent
        if not path.is_relative_to(root):
            strays.append(f"{name} from {path}")
    if not strays:
        return None
    return (f"benchmarks/run.py: imported {' and '.join(strays)}, not from its own checkout"
            f" {root}; run the run.py of the checkout you mean to measure")


sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT)]
import benchmarks  # noqa: E402  (this checkout's: its root is first on the path)
import whereabouts  # noqa: E402

if __name__ == "__main__":
    _stray = own_checkout(ROOT, {"whereabouts": whereabouts, "benchmarks": benchmarks})
    if _stray:
        print(_stray, file=sys.stderr)
        sys.exit(2)

import argparse  # noqa: E402
import contextlib  # noqa: E402
import ctypes  # noqa: E402
import gc  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from typing import Any  # noqa: E402

from benchmarks import generate, peers  # noqa: E402
from benchmarks.generate import AS_OF, COUNTRIES, Files  # noqa: E402
from benchmarks.ours import Whereabouts, canonical  # noqa: E402
from benchmarks.peers import PEERS, Tool  # noqa: E402

DATA = ROOT / "benchmarks" / ".data"
WORKLOADS = ("W1", "W2", "W3", "W4", "W5")
TITLES = {
    "W1": "load the CSV",
    "W2": "everyone's last known location",
    "W3": "one person",
    "W4": "everyone as of a date",
    "W5": "everyone in a country as of a date",
}
RATIO_PEERS = ("pandas", "DuckDB", "SQLite")
COUNTRY = COUNTRIES[0]
W3_SAMPLE = 1000
QUERY_CACHES = ("_answers", "_later_answers", "_later", "_standings")
"""What a ledger's queries keep (answers per entity, those read from the standing and
not yet worked out, standings at a date): cleared before
each timed first call. Add to it when the engine keeps something new. The view of all
claims (``_views``) is left: the load builds it, as it builds everyone's standing now."""
TARGETS = {  # issue 12, at 10^6 on second-precision random-order data
    "W1": "no slower than pandas",
    "W2": "2x faster than the best peer",
    "W3": "under SQLite's time",
    "W4": "2x faster than the best peer",
    "W5": "2x faster than the best peer",
    "memory": "at most 200 B per claim held",
    "import": "under 100 ms",
    "peak": "under 4 GB at 10^7",
}
KIB, GB = 1024, 1e9


# -- data ---------------------------------------------------------------------------


def dataset(n: int, seed: int, places: int, order: str = "random",
            precision: str = "second") -> tuple[Files, Files, float]:
    """The cached full and precise sets for these parameters, and the seconds it took."""
    directory = DATA / f"n{n}-seed{seed}-places{places}-{order}-{precision}"
    full = Files(directory / "full")
    start = time.perf_counter()
    if not full.observations.exists():
        print(f"generating {n:,} observations into {directory} ...", flush=True)
        tmp = Files(directory / "full.tmp")
        data = generate.generate(n, seed=seed, places=places, order=order, precision=precision)
        generate.write(data, tmp.directory)
        tmp.directory.replace(full.directory)
    precise = peers.precise_subset(full, directory / "precise")
    return full, precise, time.perf_counter() - start


def person_sample(files: Files, size: int, seed: int) -> list[str]:
    ids = [row["id"] for row in peers.entity_rows(files) if row["kind"] == "person"]
    return sorted(random.Random(seed).sample(ids, min(size, len(ids))))


def warm_up(tool: Tool, full: Files) -> None:
    """Load the first 100 rows and drop them: lazy imports and one-off tables, untimed."""
    with tempfile.TemporaryDirectory() as tmp:
        small = Files(Path(tmp))
        for name in ("places", "entities"):
            getattr(small, name).write_bytes(getattr(full, name).read_bytes())
        with full.observations.open(encoding="utf-8") as src:
            small.observations.write_text("".join(itertools.islice(src, 101)),
                                          encoding="utf-8")
        tool.load(small)
        tool.close()


# -- what a user holds ----------------------------------------------------------------


def materialise(result: Any) -> int:
    """Read a whole-ledger answer of whereabouts as a user would; the number of answers.

    With ``columns()`` (arrays of codes and small tables), call it and touch every
    array and table; otherwise read the ``entities``, ``statuses`` and ``places``
    columns (of ``definite``, for a ``Presence``).
    """
    columns = getattr(result, "columns", None)
    if callable(columns):
        table = columns()
        for name in ("entity", "status", "place"):
            array = getattr(table, name)
            if len(array):
                array[-1]
        len(table.ids), len(table.places)
        return len(table.entity)
    held = result.definite if hasattr(result, "definite") else result
    return len(held.entities) + len(held.statuses) + len(held.places)


def clear_query_caches(ledger: Any) -> None:
    for name in QUERY_CACHES:
        cache = getattr(ledger, name, None)
        if cache is not None and hasattr(cache, "clear"):
            cache.clear()


# -- measuring ----------------------------------------------------------------------


def rss() -> int:
    """The resident set size of this process, in bytes (Linux; 0 elsewhere), after
    handing freed heap memory back to the system (glibc's ``malloc_trim``), so that
    what a load parsed and dropped does not count as held: the same for every tool."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def peak_rss() -> int:
    """The peak resident set of this process since :func:`reset_peak` (Linux; 0 else)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * KIB
    except OSError:
        pass
    return 0


def reset_peak() -> None:
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets VmHWM to the current resident set (Linux 4.0+)


@dataclass
class Figure:
    """The timings of one workload for one tool (seconds; per call for W3)."""

    times: list[float] = field(default_factory=list)
    repeated: list[float] = field(default_factory=list)
    """whereabouts: the same call again on the same ledger (what the first one kept)."""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def repeated_median(self) -> float | None:
        return statistics.median(self.repeated) if self.repeated else None


@dataclass
class Memory:
    """Bytes held after loading, and the resident set's peak while loading."""

    held: int | None = None  # resident set growth, after gc and malloc_trim
    traced: int | None = None  # Python heap still allocated (tracemalloc)
    peak: int | None = None  # the process's peak resident set during the load


@dataclass
class Outcome:
    """What one tool did: figures, memory, answers for the cross-check."""

    name: str
    figures: dict[str, Figure] = field(default_factory=dict)
    memory: Memory = field(default_factory=Memory)
    answers: dict[str, Any] = field(default_factory=dict)  # on the full data
    precise: dict[str, Any] = field(default_factory=dict)  # on the precise subset
    notes: list[str] = field(default_factory=list)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def per_person(call: Callable[[str], Any], sample: Sequence[str]) -> float:
    """W3: the median seconds of one call (its answer read), over ``sample``."""
    times = []
    clock = time.perf_counter
    for subject in sample:
        start = clock()
        call(subject)
        times.append(clock() - start)
    return statistics.median(times)


def answers(tool: Tool, sample: Sequence[str], day: str, results: dict[str, Any]) -> \
        dict[str, Any]:
    """Canonical answers from results already computed (or computed now, untimed)."""
    out: dict[str, Any] = {}
    w2 = results["W2"] if "W2" in results else tool.last_all()
    out["W2"] = tool.answers_all(w2)
    out["W3"] = {s: tool.answer_one(tool.last_one(s)) for s in sample}
    out["W4"] = tool.answers_all(results["W4"] if "W4" in results else tool.as_of_all(day))
    out["W5"] = tool.answers_in(results["W5"] if "W5" in results else
                                tool.in_country(COUNTRY, day))
    return out


def _queries(tool: Tool) -> dict[str, Callable[[], Any]]:
    return {
        "W2": tool.last_all,
        "W4": lambda: tool.as_of_all(AS_OF),
        "W5": lambda: tool.in_country(COUNTRY, AS_OF),
    }


def run_peer(cls: type[Tool], full: Files, precise: Files, sample: Sequence[str],
             workloads: Sequence[str], repeat: int) -> Outcome:
    """A peer: W1 loads, then each query after one warm-up call (it keeps no answers)."""
    outcome = Outcome(cls.name)
    tool = cls()
    warm_up(tool, full)
    figures = outcome.figures
    loads: list[float] = []
    for _ in range(repeat if "W1" in workloads else 1):
        tool.close()
        gc.collect()
        loads.append(timed(lambda: tool.load(full))[0])
        if sum(loads) > 120:
            break
    if "W1" in workloads:
        figures["W1"] = Figure(loads)
    for w, call in _queries(tool).items():
        if w in workloads:
            call()
            figures[w] = Figure([timed(call)[0] for _ in range(repeat)])
    if "W3" in workloads:
        per_person(tool.last_one, sample[:50])
        figures["W3"] = Figure([per_person(tool.last_one, sample) for _ in range(repeat)])
    tool.close()
    tool.load(precise)
    outcome.precise = answers(tool, sample, AS_OF, {})
    tool.close()
    return outcome


def run_whereabouts(full: Files, sample: Sequence[str], workloads: Sequence[str], repeat: int,
                    budget: float) -> Outcome:
    """whereabouts through its public API: every query the first on a fresh ledger."""
    from whereabouts.gazetteer import Gazetteer

    outcome = Outcome("whereabouts")
    figures = outcome.figures
    Gazetteer().resolve("Damascus")  # the gazetteer's data, loaded once per process
    warm_up(Whereabouts(), full)
    loads: list[float] = []

    def fresh() -> Whereabouts:
        tool = Whereabouts()
        gc.collect()
        loads.append(timed(lambda: tool.load(full))[0])
        clear_query_caches(tool.ledger)
        return tool

    queries = [w for w in ("W2", "W3", "W4", "W5") if w in workloads]
    tool = fresh()
    runs = max(1, min(repeat, int(budget / (loads[0] * max(1, len(queries))))))
    if runs < repeat:
        outcome.notes.append(f"{runs} runs, not {repeat}: a load takes {loads[0]:.1f} s"
                             f" and --budget is {budget:.0f} s")
    ours = Whereabouts()
    out: dict[str, Any] = {}  # the last run's answers, for the cross-check (untimed)

    def one_person(subject: str) -> Any:
        return canonical(tool.ledger.last_known(subject))

    for run in range(runs):
        last = run == runs - 1
        for w in queries:
            if tool is None:
                tool = fresh()
            figure = figures.setdefault(w, Figure())
            if w == "W3":
                figure.times.append(per_person(one_person, sample))
                figure.repeated.append(per_person(one_person, sample))
                if last:
                    out["W3"] = {s: one_person(s) for s in sample}
            else:
                call = _queries(tool)[w]

                def read(call: Callable[[], Any] = call) -> Any:
                    result = call()
                    materialise(result)
                    return result

                spent, result = timed(read)
                figure.times.append(spent)
                figure.repeated.extend(timed(read)[0] for _ in range(3))
                if last:
                    out[w] = ours.answers_in(result) if w == "W5" else ours.answers_all(result)
                del result  # it holds its ledger: no old ledger stays alive
            tool.close()
            tool = None  # type: ignore[assignment]
    if tool is not None:
        tool.close()
    while "W1" in workloads and len(loads) < repeat:
        fresh().close()
    if "W1" in workloads:
        figures["W1"] = Figure(loads)
    outcome.answers = out
    return outcome


# -- memory and import, each in a fresh interpreter -------------------------------------


def memory_of(name: str, full: Files, *, traced: bool) -> Memory:
    """What ``name`` holds after loading ``full``, measured in a fresh interpreter: the
    resident set (growth and peak) or, with ``traced``, the Python heap (tracemalloc,
    which also sees numpy's and ``array``'s buffers)."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--memory-of", name,
         "--data", str(full.directory), *(["--traced"] if traced else [])],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    if done.returncode != 0:
        print(f"memory of {name}: {done.stderr.strip()[-2000:]}", file=sys.stderr)
        return Memory()
    found = json.loads(done.stdout.splitlines()[-1])
    return Memory(**found)


def _memory_child(name: str, directory: Path, traced: bool) -> None:
    cls = next(c for c in (Whereabouts, *PEERS) if c.name == name)
    for module in cls.modules:
        __import__(module)
    for module in cls.lazy_modules:
        with contextlib.suppress(ImportError):
            __import__(module)
    tool = cls()
    full = Files(Path(directory))
    warm_up(tool, full)
    gc.collect()
    if traced:
        tracemalloc.start()
        tool.load(full)
        gc.collect()
        print(json.dumps({"traced": tracemalloc.get_traced_memory()[0]}))
        return
    before = rss()
    reset_peak()
    tool.load(full)
    peak = peak_rss()
    gc.collect()
    print(json.dumps({"held": rss() - before, "peak": peak}))


def import_time(runs: int = 15, *, cached: bool = True) -> float:
    """The median seconds of ``import whereabouts`` (this checkout's) in fresh interpreters.

    ``cached``: as a user's Python imports it, from the bytecode Python writes at the
    first import (pip writes it at install): one import writes it, then ``runs`` are
    timed. Else compiled from source at every import: a copy of the package without
    its ``__pycache__``, with ``PYTHONDONTWRITEBYTECODE`` set (this machine sets it for
    every process, so every import figure before 2026-12-05 was this one: compiling
    is about half of it)."""
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as scratch:
        root = ROOT
        if cached:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            root = Path(scratch)
            shutil.copytree(ROOT / "whereabouts", root / "whereabouts",
                            ignore=shutil.ignore_patterns("__pycache__"))
        code = (f"import sys, time; sys.path.insert(0, {str(root)!r}); t = time.perf_counter();"
                " import whereabouts; print(time.perf_counter() - t, whereabouts.__file__)")
        times = []
        for _ in range(runs + cached):
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  check=True, cwd=root, env=env)
            seconds, path = done.stdout.split()
            if not Path(path).resolve().is_relative_to(root.resolve()):
                raise RuntimeError(f"import time: whereabouts came from {path}, not {root}")
            times.append(float(seconds))
    return statistics.median(times[1:] if cached else times)


# -- checking -----------------------------------------------------------------------


def cross_check(outcomes: list[Outcome], precise_people: frozenset[str]) -> list[str]:
    """Disagreements: peers against the first peer on the precise subset, and
    whereabouts (full ledger) against that peer on the precise people."""
    problems: list[str] = []
    peer_outcomes = [o for o in outcomes if o.precise]
    if not peer_outcomes:
        return ["no peer ran: nothing to check against"]
    ref = peer_outcomes[0]
    for other in peer_outcomes[1:]:
        for w, expected in ref.precise.items():
            got = other.precise[w]
            if got != expected:
                problems.append(f"{other.name} differs from {ref.name} on {w} (precise subset):"
                                f" {_diff(expected, got)}")
    for o in outcomes:
        if o.name != "whereabouts":
            continue
        for w, got in o.answers.items():
            expected = ref.precise[w]
            if isinstance(got, set):
                mine, theirs = got & precise_people, expected & precise_people
            else:
                keys = precise_people & set(got) if w == "W3" else precise_people
                mine = {k: got.get(k) for k in keys}
                theirs = {k: expected.get(k) for k in keys}
            if mine != theirs:
                problems.append(f"whereabouts differs from {ref.name} on {w} (precise people):"
                                f" {_diff(theirs, mine)}")
    return problems


def _diff(expected: Any, got: Any) -> str:
    if isinstance(expected, dict) and isinstance(got, dict):
        keys = sorted(k for k in set(expected) | set(got) if expected.get(k) != got.get(k))
        shown = ", ".join(f"{k}: {expected.get(k)} != {got.get(k)}" for k in keys[:3])
        return f"{len(keys)} differ ({shown})"
    if isinstance(expected, set) and isinstance(got, set):
        return (f"missing {sorted(expected - got)[:3]} ({len(expected - got)}),"
                f" extra {sorted(got - expected)[:3]} ({len(got - expected)})")
    return f"{expected!r} != {got!r}"


# -- reporting ----------------------------------------------------------------------


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} us"


def _ratio(x: float) -> str:
    return f"{x:.3g}x slower" if x >= 1 else f"{1 / x:.3g}x faster"


def _markdown(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
             for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def best_peer(outcomes: list[Outcome], w: str) -> tuple[float, str] | None:
    return min(((o.figures[w].median, o.name) for o in outcomes
                if o.name in RATIO_PEERS and w in o.figures and o.figures[w].median),
               default=None)


def _per_claim(value: int | None, n: int) -> str:
    return "-" if value is None else f"{value / n:,.0f}"


def figures_table(outcomes: list[Outcome], workloads: Sequence[str], n: int) -> str:
    """Every tool's figures, whereabouts first, and whereabouts' ratio to the best peer."""
    header = ["figure", *(o.name for o in outcomes), "best peer", "whereabouts / best peer"]
    ours = next((o for o in outcomes if o.name == "whereabouts"), None)
    rows = [header]
    for w in workloads:
        row = [f"{w} {TITLES[w]}" + (" (per call)" if w == "W3" else "")]
        row += [fmt_time(o.figures[w].median) if w in o.figures else "-" for o in outcomes]
        best = best_peer(outcomes, w)
        mine = None if ours is None or w not in ours.figures else ours.figures[w].median
        row.append("-" if best is None else f"{best[1]} {fmt_time(best[0])}")
        row.append("-" if best is None or mine is None else _ratio(mine / best[0]))
        rows.append(row)
    for w in workloads:
        if ours is None or w not in ours.figures or not ours.figures[w].repeated:
            continue
        mine = ours.figures[w].repeated_median
        row = [f"{w} repeated on the same ledger"]
        row += [fmt_time(mine) if o is ours else "" for o in outcomes]
        best = best_peer(outcomes, w)
        row += ["", "-" if best is None or mine is None else _ratio(mine / best[0])]
        rows.append(row)
    for label, key in (("held after load, B/claim (RSS, after malloc_trim)", "held"),
                       ("held after load, B/claim (tracemalloc)", "traced")):
        values = [getattr(o.memory, key) for o in outcomes]
        if any(v is not None for v in values):
            rows.append([label, *(_per_claim(v, n) for v in values), "", ""])
    peaks = [o.memory.peak for o in outcomes]
    if any(peaks):
        rows.append(["peak RSS while loading", *("-" if not p else f"{p / GB:.2f} GB"
                                                  for p in peaks), "", ""])
    return _markdown(rows)


def verdicts(outcomes: list[Outcome], n: int, import_seconds: float | None,
             peak_n: int | None = None, *, from_source: float | None = None,
             ) -> list[tuple[str, str, str, str]]:
    """``(figure, target, measured, "met"/"missed"/...)`` for each target of issue 12."""
    out = []
    ours = next((o for o in outcomes if o.name == "whereabouts"), None)
    for w in WORKLOADS:
        if ours is None or w not in ours.figures or ours.figures[w].median is None:
            continue
        mine = ours.figures[w].median
        assert mine is not None
        if w == "W1":
            ref = next((o for o in outcomes if o.name == "pandas" and w in o.figures), None)
            theirs = None if ref is None else (ref.figures[w].median, "pandas")
            factor = 1.0
        elif w == "W3":
            ref = next((o for o in outcomes if o.name == "SQLite" and w in o.figures), None)
            theirs = None if ref is None else (ref.figures[w].median, "SQLite")
            factor = 1.0
        else:
            theirs = best_peer(outcomes, w)
            factor = 0.5
        if theirs is None or theirs[0] is None:
            out.append((f"{w} {TITLES[w]}", TARGETS[w], fmt_time(mine), "no peer to compare"))
            continue
        met = mine <= theirs[0] * factor if w != "W3" else mine < theirs[0]
        out.append((f"{w} {TITLES[w]}", TARGETS[w],
                    f"{fmt_time(mine)}; {theirs[1]} {fmt_time(theirs[0])}"
                    f" ({_ratio(mine / theirs[0])})", "met" if met else "missed"))
    if ours is not None and ours.memory.held is not None:
        held = ours.memory.held / n
        traced = "" if ours.memory.traced is None else \
            f" ({ours.memory.traced / n:,.0f} traced)"
        out.append(("memory held after load", TARGETS["memory"],
                    f"{held:,.0f} B/claim resident{traced}", "met" if held <= 200 else "missed"))
    if import_seconds is not None:
        measured = fmt_time(import_seconds) + " from bytecode" + (
            "" if from_source is None else f"; {fmt_time(from_source)} compiled from source")
        out.append(("import whereabouts", TARGETS["import"], measured,
                    "met" if import_seconds < 0.1 else "missed"))
    if ours is not None and ours.memory.peak:
        at = peak_n or n
        judged = "met" if ours.memory.peak < 4 * GB else "missed"
        out.append((f"peak RSS loading {at:,} claims", TARGETS["peak"],
                    f"{ours.memory.peak / GB:.2f} GB",
                    judged if at >= 10**7 else "not judged: below 10^7"))
    return out


def verdict_table(rows: list[tuple[str, str, str, str]]) -> str:
    return _markdown([["figure", "target (issue 12)", "measured", ""], *map(list, rows)])


def machine() -> dict[str, Any]:
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
        "versions": _versions(),
        "commit": _commit(ROOT),
        "whereabouts_path": str(Path(whereabouts.__file__).parent),
    }


def _commit(directory: Path) -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, check=False, cwd=directory)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, check=False, cwd=directory)
    commit = done.stdout.strip() or "unknown (not a git checkout)"
    return commit + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("whereabouts", "pandas", "duckdb", "numpy", "pyarrow"):
        with contextlib.suppress(PackageNotFoundError):
            found[name] = version(name)
    found["sqlite"] = __import__("sqlite3").sqlite_version
    return found


def describe(info: dict[str, Any]) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    return (f"{info['cpus']} CPUs, {info['memory_gib']} GiB, {info['platform']}, CPython"
            f" {info['python']}; {versions}; commit {info['commit']}; {info['date']}")


# -- command line -------------------------------------------------------------------


def _count(text: str) -> int:
    return int(float(text.replace("_", "")))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=_count, default=100_000,
                        help="observations (1e6 and 1_000_000 work too)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--workloads", default=",".join(WORKLOADS),
                        help="comma-separated, e.g. W1,W3")
    parser.add_argument("--tools", default="",
                        help="comma-separated tool names (default: all installed)")
    parser.add_argument("--budget", type=float, default=900.0,
                        help="seconds of whereabouts' reloads; fewer runs past it")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--places", type=int, default=5000)
    parser.add_argument("--order", choices=generate.ORDERS, default="random")
    parser.add_argument("--precision", choices=generate.PRECISIONS, default="second")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--no-memory", action="store_true",
                        help="skip the memory subprocesses and the import timing")
    parser.add_argument("--memory-only", action="store_true",
                        help="only whereabouts' load memory (held, peak) and import time")
    parser.add_argument("--memory-of", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_of:
        _memory_child(args.memory_of, args.data, args.traced)
        return 0

    workloads = [w.strip().upper() for w in args.workloads.split(",") if w.strip()]
    unknown = sorted(set(workloads) - set(WORKLOADS))
    if unknown:
        parser.error(f"unknown workloads: {', '.join(unknown)}")
    wanted = {t.strip().lower() for t in args.tools.split(",") if t.strip()}
    tools: list[type[Tool]] = [Whereabouts, *PEERS]
    if args.memory_only:
        tools, workloads = [Whereabouts], []
    tools = [t for t in tools if not wanted or t.name.lower() in wanted]
    missing = [t.name for t in tools if not t.available()]
    tools = [t for t in tools if t.available()]
    if missing:
        print(f"not installed, left out: {', '.join(missing)}"
              " (pip install -e '.[benchmark]')")

    full, precise, generated = dataset(args.n, args.seed, args.places, args.order,
                                       args.precision)
    sample = person_sample(full, W3_SAMPLE, args.seed)
    info = machine()
    print(f"whereabouts from {info['whereabouts_path']}")
    print(f"{args.n:,} observations, {args.order} order, {args.precision} precision"
          f" ({full.directory}); data ready in {generated:.1f} s")
    print(describe(info), flush=True)
    # tracemalloc keeps a trace per object: past a few million rows it needs more memory
    # than the data.
    trace = args.n <= 2 * 10**6

    outcomes = []
    for cls in tools:
        print(f"running {cls.name} ...", flush=True)
        start = time.perf_counter()
        if args.memory_only:
            outcome = Outcome(cls.name)
        elif cls is Whereabouts:
            outcome = run_whereabouts(full, sample, workloads, args.repeat, args.budget)
        else:
            outcome = run_peer(cls, full, precise, sample, workloads, args.repeat)
        if not args.no_memory:
            outcome.memory = memory_of(cls.name, full, traced=False)
            if trace:
                outcome.memory.traced = memory_of(cls.name, full, traced=True).traced
        gc.collect()
        print(f"  done in {time.perf_counter() - start:.1f} s", flush=True)
        outcomes.append(outcome)
    import_seconds = None if args.no_memory else import_time()
    from_source = None if args.no_memory else import_time(cached=False)

    problems = [] if args.memory_only else cross_check(outcomes,
                                                       peers.precise_people(precise))
    checks = verdicts(outcomes, args.n, import_seconds, from_source=from_source)
    print()
    print(f"{args.n:,} claims, {args.order} order, {args.precision} precision; medians of"
          f" {args.repeat} runs; whereabouts: first calls on a fresh ledger, answers read"
          " inside the timing")
    print(describe(info))
    print()
    print(figures_table(outcomes, workloads, args.n))
    print()
    print(verdict_table(checks))
    for o in outcomes:
        for note in o.notes:
            print(f"{o.name}: {note}")
    if problems:
        print("\nDISAGREEMENT: the tools do not give the same answers:")
        for problem in problems:
            print(f"  {problem}")
    elif not args.memory_only:
        print("\ncross-check passed: every peer agrees on the precise subset; whereabouts"
              " agrees on the precise people for "
              + ", ".join(sorted(w for o in outcomes if o.name == "whereabouts"
                                 for w in o.answers)))
    if args.json:
        args.json.write_text(json.dumps({
            "n": args.n, "seed": args.seed, "places": args.places, "repeat": args.repeat,
            "order": args.order, "precision": args.precision, "machine": info,
            "problems": problems, "import_seconds": import_seconds,
            "import_seconds_from_source": from_source,
            "targets": [dict(zip(("figure", "target", "measured", "verdict"), c, strict=True))
                        for c in checks],
            "tools": {o.name: {
                "figures": {w: {"times": f.times, "median": f.median,
                                "repeated": f.repeated, "repeated_median": f.repeated_median}
                            for w, f in o.figures.items()},
                "memory": vars(o.memory), "notes": o.notes,
            } for o in outcomes},
        }, indent=2) + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
