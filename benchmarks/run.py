"""Time whereabouts against pandas, DuckDB and sqlite3 on W1-W5, and check they agree.

Run from the repository root, after ``pip install -e '.[benchmark]'``::

    python benchmarks/run.py --n 100000
    python benchmarks/run.py --n 1000000 --budget 480 --json results.json

The workloads (``docs/performance.md`` has the figures):

W1  load the CSV files into the tool
W2  last known location of everyone
W3  last known location of one person (median per call over a sample of people)
W4  everyone's location as of a date (2022-06-30)
W5  everyone last known in one country (Syria, the busiest) as of that date

The data is generated once per ``--n``/``--seed`` and cached under
``benchmarks/.data/`` (git-ignored). Every tool runs in this one process; each
figure is the median of ``--repeat`` runs. Memory is the growth of the resident
set while loading: whereabouts is loaded first, here, before any peer is
imported; each peer is loaded once more in a fresh subprocess for its figure.

whereabouts gets a time budget (``--budget`` seconds, all its workloads
together). A workload whose estimate does not fit what is left is printed as
"skipped (over budget)" with the estimate, instead of running for hours.

Before printing, every peer loads the *precise subset* (day-precision rows about
one person each, see ``peers.py``) and answers W2-W5 there; all peers must give
the same answers, and whereabouts, on the full ledger, must give the same answers
for the people whose claims are all precise. Any disagreement is printed and the
exit status is 1: a benchmark whose tools disagree measures nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime as dt
import gc
import itertools
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # appended: PYTHONPATH may point at another whereabouts
    sys.path.append(str(ROOT))

from benchmarks import generate, peers  # noqa: E402  (after the path fix above)
from benchmarks.generate import AS_OF, COUNTRIES, Files  # noqa: E402
from benchmarks.ours import Whereabouts  # noqa: E402
from benchmarks.peers import PEERS, Tool  # noqa: E402

DATA = ROOT / "benchmarks" / ".data"
WORKLOADS = ("W1", "W2", "W3", "W4", "W5")
TITLES = {
    "W1": "load the CSV into the tool",
    "W2": "last known location of everyone",
    "W3": "last known location of one person",
    "W4": "everyone's location as of a date",
    "W5": "everyone last known in one country as of a date",
}
RATIO_PEERS = ("pandas", "DuckDB", "SQLite")
COUNTRY = COUNTRIES[0]
W3_SAMPLE = 1000


# -- data ---------------------------------------------------------------------------


def dataset(n: int, seed: int, places: int) -> tuple[Files, Files, float]:
    """The cached full and precise sets for these parameters, and the seconds it took."""
    directory = DATA / f"n{n}-seed{seed}-places{places}"
    full = Files(directory / "full")
    start = time.perf_counter()
    if not full.observations.exists():
        print(f"generating {n:,} observations into {directory} ...", flush=True)
        tmp = Files(directory / "full.tmp")
        generate.write(generate.generate(n, seed=seed, places=places), tmp.directory)
        tmp.directory.replace(full.directory)
    precise = peers.precise_subset(full, directory / "precise")
    return full, precise, time.perf_counter() - start


def person_sample(files: Files, size: int, seed: int) -> list[str]:
    ids = [row["id"] for row in peers.entity_rows(files) if row["kind"] == "person"]
    return sorted(random.Random(seed).sample(ids, min(size, len(ids))))


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


@dataclass
class Figure:
    """The timings of one workload for one tool (seconds; per call for W3)."""

    times: list[float] = field(default_factory=list)
    skipped: str = ""
    first: float | None = None
    """whereabouts only: the first call after loading (its answers are cached after)."""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None


@dataclass
class Outcome:
    """What one tool did: figures, memory, answers for the cross-check."""

    name: str
    figures: dict[str, Figure] = field(default_factory=dict)
    memory: int | None = None  # bytes of resident set grown by loading
    answers: dict[str, Any] = field(default_factory=dict)  # on the full data
    precise: dict[str, Any] = field(default_factory=dict)  # on the precise subset
    notes: list[str] = field(default_factory=list)


def repeat_timed(fn: Callable[[], Any], repeat: int, cap: float) -> tuple[list[float], Any]:
    """Run ``fn`` up to ``repeat`` times, stopping once ``cap`` seconds are spent."""
    times: list[float] = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        if sum(times) >= cap:
            break
    return times, result


def per_call(tool: Tool, sample: Sequence[str], repeat: int, cap: float) -> list[float]:
    """W3: seconds per ``last_one`` call, one figure per pass over the sample."""
    figures = []
    spent = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        done = 0
        for subject in sample:
            tool.last_one(subject)
            done += 1
            if time.perf_counter() - start > cap:
                break
        elapsed = time.perf_counter() - start
        figures.append(elapsed / done)
        spent += elapsed
        if spent >= cap:
            break
    return figures


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


def run_peer(cls: type[Tool], full: Files, precise: Files, sample: Sequence[str],
             workloads: Sequence[str], repeat: int) -> Outcome:
    outcome = Outcome(cls.name)
    tool = cls()
    figures = outcome.figures
    if "W1" in workloads:
        def load() -> None:
            tool.close()
            tool.load(full)

        figures["W1"] = Figure(repeat_timed(load, repeat, cap=120)[0])
    else:
        tool.load(full)
    calls: dict[str, Callable[[], Any]] = {
        "W2": tool.last_all,
        "W4": lambda: tool.as_of_all(AS_OF),
        "W5": lambda: tool.in_country(COUNTRY, AS_OF),
    }
    for w, call in calls.items():
        if w in workloads:
            call()  # warm-up, untimed
            times, _ = repeat_timed(call, repeat, cap=60)
            figures[w] = Figure(times)
    if "W3" in workloads:
        per_call(tool, sample[:50], 1, cap=5)  # warm-up
        figures["W3"] = Figure(per_call(tool, sample, repeat, cap=30))
    tool.close()
    tool.load(precise)
    outcome.precise = answers(tool, sample, AS_OF, {})
    tool.close()
    return outcome


def run_whereabouts(full: Files, sample: Sequence[str], workloads: Sequence[str], repeat: int,
                    budget: float) -> Outcome:
    """whereabouts through its public API, within ``budget`` seconds overall."""
    from whereabouts.gazetteer import Gazetteer

    outcome = Outcome("whereabouts")
    figures = outcome.figures
    Gazetteer().resolve("Damascus")  # load the gazetteer's data before measuring memory
    deadline = time.perf_counter() + budget
    n = sum(1 for _ in full.observations.open(encoding="utf-8")) - 1
    entities = sum(1 for _ in peers.entity_rows(full))

    def left() -> float:
        return deadline - time.perf_counter()

    # W1: extrapolate from loading 1 % and 2 % of the rows (a fixed cost for places and
    # people, then a cost per row), then load everything if it fits.
    tool = Whereabouts()
    a = max(1, min(n, max(1000, n // 100)))
    b = min(n, 2 * a)
    spent = []
    for limit in (a, b):
        start = time.perf_counter()
        tool.load(full, limit=limit)
        spent.append(time.perf_counter() - start)
    tool.close()
    slope = max(0.0, (spent[1] - spent[0]) / max(1, b - a))
    estimate = spent[0] + slope * (n - a)
    if estimate > left():
        figures["W1"] = Figure(skipped=f"skipped (over budget): est. {estimate:.0f} s")
        for w in WORKLOADS[1:]:
            figures[w] = Figure(skipped="skipped (not loaded)")
        return outcome
    gc.collect()
    before = rss()
    start = time.perf_counter()
    tool.load(full)
    load_time = time.perf_counter() - start
    gc.collect()
    outcome.memory = rss() - before
    loads = [load_time]
    if "W1" in workloads:  # more loads only while they are cheap
        while len(loads) < repeat and load_time * 3 < left() and load_time < 20:
            fresh = Whereabouts()
            start = time.perf_counter()
            fresh.load(full)
            loads.append(time.perf_counter() - start)
            fresh.close()
        figures["W1"] = Figure(loads, first=loads[0])

    # The first query after loading may build indexes or views; it is reported apart.
    # Then W3 over the sample, first calls (nothing cached about these people yet) and
    # repeated calls (whereabouts may keep answers until the ledger changes).
    start = time.perf_counter()
    tool.last_one(sample[0])
    first = time.perf_counter() - start
    outcome.notes.append(f"first query after loading: {first:.3g} s")
    cap = min(30.0, max(1.0, left() / 10))
    start = time.perf_counter()
    done = 0
    for subject in sample[1:]:
        tool.last_one(subject)
        done += 1
        if time.perf_counter() - start > cap:
            break
    one = (time.perf_counter() - start) / max(1, done)
    results: dict[str, Any] = {}
    if "W3" in workloads:
        figures["W3"] = Figure(per_call(tool, sample[1:done + 1], repeat, cap=cap), first=one)
    # everyone() asks last_known of every entity: estimate from one call.
    calls: dict[str, Callable[[], Any]] = {
        "W2": tool.last_all,
        "W4": lambda: tool.as_of_all(AS_OF),
        "W5": lambda: tool.in_country(COUNTRY, AS_OF),
    }
    if "W2" in workloads:  # everyone() reads the standing the loader built; work it out anew
        days = iter(f"9999-12-{day:02}" for day in range(31, 0, -1))  # each a new question
        times, _ = repeat_timed(lambda: tool.ledger.everyone(as_of=next(days)),
                                min(repeat, 30), cap=cap)
        outcome.notes.append(
            f"W2 worked out from scratch (everyone(as_of='9999-12-31')): "
            f"{statistics.median(times) * 1e3:.3g} ms median, first {times[0] * 1e3:.3g} ms")
    for w, call in calls.items():
        if w not in workloads:
            continue
        guess = one * entities * 1.2
        if guess > left():
            figures[w] = Figure(skipped=f"skipped (over budget): est. {guess:.0f} s")
            continue
        first = None
        if w == "W5":  # W4 already worked out the standing at AS_OF: time a day not asked
            day = (dt.date.fromisoformat(AS_OF) - dt.timedelta(days=1)).isoformat()
            start = time.perf_counter()
            tool.in_country(COUNTRY, day)
            first = time.perf_counter() - start
        times, results[w] = repeat_timed(call, repeat, cap=min(left() / 2, max(guess, 10)))
        figures[w] = Figure(times[1:] or times, first=times[0] if first is None else first)
    # The answers for the cross-check: what was computed, plus the W3 sample of precise
    # people (the rest would cost the same as W2 again).
    out: dict[str, Any] = {}
    if "W2" in results:
        out["W2"] = tool.answers_all(results["W2"])
    if "W4" in results:
        out["W4"] = tool.answers_all(results["W4"])
    if "W5" in results:
        out["W5"] = tool.answers_in(results["W5"])
    outcome.answers = out
    outcome.notes.append(f"whereabouts budget left: {max(0.0, left()):.0f} s of {budget:.0f} s")
    tool_sample = sample if one * len(sample) < max(5.0, left()) else sample[:50]
    out["W3"] = {s: tool.answer_one(tool.last_one(s)) for s in tool_sample}
    tool.close()
    return outcome


def peer_memory(name: str, full: Files, *, traced: bool = False) -> int | None:
    """Resident-set growth when ``name`` loads ``full``, in a fresh interpreter; with
    ``traced``, the Python heap (tracemalloc, which also sees numpy's and ``array``'s
    buffers) still held after loading instead."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--memory-of", name,
         "--data", str(full.directory), *(["--traced"] if traced else [])],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        return None
    return int(done.stdout.split()[-1])


def _memory_child(name: str, directory: Path, traced: bool) -> None:
    cls = next(c for c in (Whereabouts, *PEERS) if c.name == name)
    for module in cls.modules:
        __import__(module)
    tool = cls()
    full = Files(Path(directory))
    with tempfile.TemporaryDirectory() as tmp:  # a tiny load first: lazy imports, caches
        small = Files(Path(tmp))
        for name in ("places", "entities"):
            getattr(small, name).write_bytes(getattr(full, name).read_bytes())
        with full.observations.open(encoding="utf-8") as src:
            small.observations.write_text("".join(itertools.islice(src, 100)),
                                          encoding="utf-8")
        tool.load(small)
        tool.close()
    gc.collect()
    if traced:
        tracemalloc.start()
        tool.load(full)
        gc.collect()
        print(tracemalloc.get_traced_memory()[0])
        return
    before = rss()
    tool.load(full)
    gc.collect()
    print(rss() - before)


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


def table(outcomes: list[Outcome], workloads: Sequence[str], n: int) -> str:
    """A Markdown table; whereabouts gets two columns, first call and repeated calls."""
    columns: list[tuple[str, Outcome, bool]] = []
    for o in outcomes:
        if o.name == "whereabouts":
            columns += [("whereabouts first", o, True), ("whereabouts repeat", o, False)]
        else:
            columns.append((o.name, o, False))
    header = ["workload", *(c[0] for c in columns), "best peer", "first / best",
              "repeat / best"]
    rows = [header]
    for w in workloads:
        row = [f"{w} {TITLES[w]}"]
        for _, o, first in columns:
            fig = o.figures.get(w)
            row.append("-" if fig is None else fig.skipped or
                       fmt_time(fig.first if first else fig.median))
        best = min(((o.figures[w].median, o.name) for o in outcomes
                    if o.name in RATIO_PEERS and w in o.figures and o.figures[w].median),
                   default=None)
        ours = next((o.figures[w] for o in outcomes
                     if o.name == "whereabouts" and w in o.figures), None)
        row.append("-" if best is None else f"{best[1]} {fmt_time(best[0])}")
        for value in (None if ours is None else ours.first,
                      None if ours is None else ours.median):
            row.append("-" if best is None or value is None else _ratio(value / best[0]))
        rows.append(row)
    memory = ["bytes per observation after loading"]
    for _, o, first in columns:
        memory.append("-" if o.memory is None or (not first and o.name == "whereabouts") else
                      f"{o.memory / n:.0f}")
    rows.append([*memory, "", "", ""])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
             for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _ratio(x: float) -> str:
    return f"{x:.3g}x slower" if x >= 1 else f"{1 / x:.3g}x faster"


def machine() -> dict[str, Any]:
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "versions": _versions(),
    }


def _commit(directory: Path) -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, check=False, cwd=directory)
    return done.stdout.strip() or "unknown (not a git checkout)"


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("whereabouts", "pandas", "duckdb", "numpy"):
        with contextlib.suppress(PackageNotFoundError):
            found[name] = version(name)
    found["sqlite"] = __import__("sqlite3").sqlite_version
    return found


# -- command line -------------------------------------------------------------------


def _count(text: str) -> int:
    return int(float(text.replace("_", "")))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=_count, default=100_000,
                        help="observations (1e6 and 1_000_000 work too)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--workloads", default=",".join(WORKLOADS),
                        help="comma-separated, e.g. W1,W3")
    parser.add_argument("--tools", default="",
                        help="comma-separated tool names (default: all installed)")
    parser.add_argument("--budget", type=float, default=480.0,
                        help="seconds whereabouts may spend on all its workloads")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--places", type=int, default=5000)
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--no-memory", action="store_true",
                        help="skip the peers' memory subprocesses")
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
    tools = [t for t in tools if not wanted or t.name.lower() in wanted]
    missing = [t.name for t in tools if not t.available()]
    tools = [t for t in tools if t.available()]
    if missing:
        print(f"not installed, left out: {', '.join(missing)}"
              " (pip install -e '.[benchmark]')")

    full, precise, generated = dataset(args.n, args.seed, args.places)
    sample = person_sample(full, W3_SAMPLE, args.seed)
    info = machine()
    import whereabouts

    info["whereabouts_path"] = str(Path(whereabouts.__file__).parent)
    info["commit"] = _commit(Path(whereabouts.__file__).parent)
    print(f"whereabouts from {info['whereabouts_path']} (commit {info['commit']})")
    print(f"{args.n:,} observations ({full.directory}); data ready in {generated:.1f} s;"
          f" Python {info['python']}, {info['cpus']} CPUs, {info['date']}", flush=True)

    outcomes = []
    for cls in tools:
        print(f"running {cls.name} ...", flush=True)
        start = time.perf_counter()
        if cls is Whereabouts:
            outcome = run_whereabouts(full, sample, workloads, args.repeat, args.budget)
            if not args.no_memory:  # measured as for the peers, in a fresh interpreter
                outcome.memory = peer_memory(cls.name, full)
                # tracemalloc keeps a trace per object: past a few million rows the
                # import's hundred million cell strings need more memory than the data.
                held = peer_memory(cls.name, full, traced=True) if args.n <= 2e6 else None
                if held is not None:
                    outcome.notes.append(
                        f"held after loading (tracemalloc): {held / args.n:.0f} bytes per "
                        f"observation, {held / 2**20:.0f} MiB")
        else:
            outcome = run_peer(cls, full, precise, sample, workloads, args.repeat)
            if not args.no_memory:
                outcome.memory = peer_memory(cls.name, full)
        gc.collect()
        print(f"  done in {time.perf_counter() - start:.1f} s", flush=True)
        outcomes.append(outcome)

    problems = cross_check(outcomes, peers.precise_people(precise))
    print()
    print(f"n = {args.n:,}; medians of up to {args.repeat} runs; W3 per call;"
          f" ratios against the best of {', '.join(RATIO_PEERS)}")
    print(table(outcomes, workloads, args.n))
    for o in outcomes:
        for note in o.notes:
            print(f"{o.name}: {note}")
    checked = sorted({w for o in outcomes for w in o.answers} | (
        {w for o in outcomes for w in o.precise}))
    if problems:
        print("\nDISAGREEMENT: the tools do not give the same answers:")
        for problem in problems:
            print(f"  {problem}")
    else:
        print(f"\ncross-check passed ({', '.join(checked)}): every peer agrees on the precise"
              " subset; whereabouts agrees on the precise people for "
              + ", ".join(sorted(w for o in outcomes if o.name == "whereabouts"
                                 for w in o.answers)))
    if args.json:
        args.json.write_text(json.dumps({
            "n": args.n, "seed": args.seed, "places": args.places, "repeat": args.repeat,
            "machine": info, "problems": problems,
            "tools": {o.name: {
                "figures": {w: {"times": f.times, "median": f.median, "first": f.first,
                                "skipped": f.skipped}
                            for w, f in o.figures.items()},
                "memory_bytes": o.memory, "notes": o.notes,
            } for o in outcomes},
        }, indent=2) + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
