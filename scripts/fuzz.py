"""Fuzz the ledger readers: damage valid files many times over and count what comes out.

    python scripts/fuzz.py --reader native --n 100000
    python scripts/fuzz.py --reader sqlite --n 100000 --jobs 4 --out fuzz-sqlite
    python scripts/fuzz.py --reader native --replay 4711     # one input again, in the open

Each input is a copy of a valid ledger file damaged by one to three mutators
(``tests/fuzzing.py``: bit flips, truncation, inserted and deleted lines,
hostile field values, SQL writes of the wrong type...), chosen by a random
generator seeded from ``--seed`` and the input's number, so a run is the same
whatever ``--jobs`` says and any input can be rebuilt with ``--replay``. The
reader must load it or raise ``LedgerFileError``; the script counts clean
loads, library errors, other exceptions (the first few tracebacks and inputs
are saved in ``--out``) and inputs that took over ``--slow`` seconds.
Exit status 1 if any input raised something else or was slow.

Readers are registered in ``tests/fuzzing.py`` (``register(Target(...))``);
``--reader`` offers each one.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzzing import TARGETS, Target, discard, mutate, prepare

OK, LIBRARY, OTHER, HUNG = "clean load", "library error", "other exception", "stopped"
MUTATOR = "mutator failed"  # the fuzzer's own bug, not the reader's: counted apart


class _Stopped(BaseException):
    """An input that ran past the hard limit."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stopped


def _rng(seed: int, reader: str, index: int) -> random.Random:
    return random.Random(f"{seed}:{reader}:{index}")


def build(target: Target, seed: int, index: int, folder: Path) -> tuple[Path, list[str]]:
    """Input number ``index``: a seed file copied into ``folder`` and damaged."""
    rng = _rng(seed, target.name, index)
    path = prepare(target, rng, folder, name=f"input-{index}")
    return path, mutate(target, rng, path)


def run_one(target: Target, path: Path, hard_limit: float) -> tuple[str, float, str]:
    """Read one input: (outcome, seconds, traceback if another exception)."""
    signal.signal(signal.SIGALRM, _stop)
    signal.setitimer(signal.ITIMER_REAL, hard_limit)
    start = time.perf_counter()
    try:
        target.read(path)
        outcome, detail = OK, ""
    except target.expected:
        outcome, detail = LIBRARY, ""
    except _Stopped:
        outcome, detail = HUNG, f"stopped after {hard_limit} s"
    except BaseException as err:  # what the fuzzing is for
        if isinstance(err, KeyboardInterrupt):
            raise
        outcome, detail = OTHER, traceback.format_exc()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return outcome, time.perf_counter() - start, detail


_FOLDER: Path | None = None


def _work(job: tuple[str, int, int, int, float]) -> list[tuple[int, str, float, str, list[str]]]:
    """A chunk of inputs, in a worker process with its own scratch folder."""
    global _FOLDER
    name, seed, start, stop, hard_limit = job
    target = TARGETS[name]
    if _FOLDER is None:
        _FOLDER = Path(tempfile.mkdtemp(prefix="whereabouts-fuzz-"))
        atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)
    out = []
    for index in range(start, stop):
        try:
            path, done = build(target, seed, index, _FOLDER)
        except Exception:  # a mutator's own bug: report it, apart from the reader's
            out.append((index, MUTATOR, 0.0, traceback.format_exc(), []))
            continue
        outcome, seconds, detail = run_one(target, path, hard_limit)
        discard(target, path)
        out.append((index, outcome, seconds, detail, done))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reader", choices=sorted(TARGETS), required=True)
    parser.add_argument("--n", type=int, default=1000, help="inputs to try (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="fixed seed (default 0)")
    parser.add_argument("--start", type=int, default=0, help="first input number (default 0)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes (default: one per CPU)")
    parser.add_argument("--slow", type=float, default=5.0,
                        help="seconds over which an input counts as slow (default 5)")
    parser.add_argument("--hard-limit", type=float, default=60.0,
                        help="seconds after which an input is stopped (default 60)")
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"),
                        help="folder for tracebacks, inputs and summary.json (default fuzz-out)")
    parser.add_argument("--keep", type=int, default=5,
                        help="how many failing inputs to save (default 5)")
    parser.add_argument("--replay", type=int, metavar="I",
                        help="rebuild input I, say what was done to it, read it in the open")
    args = parser.parse_args(argv)
    target = TARGETS[args.reader]

    if args.replay is not None:
        folder = Path(tempfile.mkdtemp(prefix="whereabouts-fuzz-"))
        path, done = build(target, args.seed, args.replay, folder)
        print(f"input {args.replay}: {path}", *done, sep="\n  ")
        target.read(path)
        print("clean load")
        return 0

    started = time.monotonic()
    counts: Counter[str] = Counter()
    slow: list[tuple[float, int]] = []
    failures: list[tuple[int, str, str, list[str]]] = []
    broken: list[tuple[int, str]] = []
    slowest = 0.0
    chunk = 100
    jobs = [(target.name, args.seed, i, min(i + chunk, args.start + args.n), args.hard_limit)
            for i in range(args.start, args.start + args.n, chunk)]
    target.seeds()  # built once here, so that a fork shares them
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for done_chunks, results in enumerate(pool.map(_work, jobs), start=1):
            for index, outcome, seconds, detail, steps in results:
                counts[outcome] += 1
                slowest = max(slowest, seconds)
                if seconds > args.slow or outcome == HUNG:
                    slow.append((seconds, index))
                if outcome not in (OK, LIBRARY, MUTATOR):
                    failures.append((index, outcome, detail, steps))
                elif outcome == MUTATOR and len(broken) < args.keep:
                    broken.append((index, detail))
            if done_chunks % 100 == 0:
                print(f"  {sum(counts.values())} inputs, {time.monotonic() - started:.0f} s",
                      file=sys.stderr)
    elapsed = time.monotonic() - started

    args.out.mkdir(parents=True, exist_ok=True)
    for index, detail in broken:
        (args.out / f"{target.name}-mutator-{index}.txt").write_text(detail, encoding="utf-8")
    for index, outcome, detail, steps in failures[: args.keep]:
        folder = Path(tempfile.mkdtemp(prefix="whereabouts-fuzz-"))
        path, _ = build(target, args.seed, index, folder)
        shutil.copyfile(path, args.out / f"{target.name}-{index}{target.suffix}")
        (args.out / f"{target.name}-{index}.txt").write_text(
            f"input {index} ({outcome}), seed {args.seed}\n" + "\n".join(steps) + "\n\n" + detail,
            encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
    for seconds, index in sorted(slow, reverse=True)[: args.keep]:
        folder = Path(tempfile.mkdtemp(prefix="whereabouts-fuzz-"))
        path, steps = build(target, args.seed, index, folder)
        shutil.copyfile(path, args.out / f"{target.name}-slow-{index}{target.suffix}")
        (args.out / f"{target.name}-slow-{index}.txt").write_text(
            f"input {index}: {seconds:.1f} s, seed {args.seed}\n" + "\n".join(steps) + "\n",
            encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)

    other = sum(n for outcome, n in counts.items() if outcome not in (OK, LIBRARY, MUTATOR))
    summary = {
        "reader": target.name, "seed": args.seed, "start": args.start, "inputs": args.n,
        "clean loads": counts[OK], "library errors": counts[LIBRARY],
        "other exceptions": other, "mutator failures": counts[MUTATOR],
        "by outcome": dict(counts),
        f"over {args.slow:g} s": len(slow), "slowest seconds": round(slowest, 3),
        "seconds": round(elapsed, 1), "jobs": args.jobs,
        "python": sys.version.split()[0],
    }
    (args.out / f"summary-{target.name}.json").write_text(json.dumps(summary, indent=2) + "\n",
                                                          encoding="utf-8")
    print(f"{target.name}: {args.n} inputs (seed {args.seed}) in {elapsed:.0f} s: "
          f"{counts[OK]} clean loads, {counts[LIBRARY]} library errors, {other} other "
          f"exceptions, {len(slow)} over {args.slow:g} s (slowest {slowest:.2f} s)"
          + (f"; {counts[MUTATOR]} inputs not built (mutator failed)" if counts[MUTATOR] else ""))
    if failures or slow:
        print(f"  saved under {args.out}/", file=sys.stderr)
    return 1 if failures or slow else 0


if __name__ == "__main__":
    sys.exit(main())
