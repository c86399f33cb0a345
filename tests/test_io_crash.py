"""A writer killed mid-save (SIGKILL) never leaves a damaged file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from whereabouts import Kind, Ledger, Place, Source
from whereabouts.io import dumps, load, save

from .conftest import NoGazetteer

SAVER = textwrap.dedent("""
    import os, sys, time
    from whereabouts.io import load, save
    real_fsync = os.fsync
    def slow_fsync(fd):  # a slow disk: the kill often lands between write and rename
        time.sleep(0.03)
        real_fsync(fd)
    os.fsync = slow_fsync
    target, *versions = sys.argv[1:]
    ledgers = [load(v) for v in versions]
    print("ready", flush=True)
    n = 0
    while True:
        save(ledgers[n % len(ledgers)], target)
        n += 1
""")


def big_ledger(count: int) -> Ledger:
    ledger = Ledger(gazetteer=NoGazetteer())
    ledger.add_person("Amal Haddad", id="amal")
    places = [Place.city(f"Town {n}", country="LB", point=(33.0 + n / 100, 35.5))
              for n in range(50)]
    wire = Source("a wire", published="2024-12-31")
    for n in range(count):
        ledger.observe("amal", Kind.SEEN_AT, place=places[n % 50], when="2024-12", source=wire,
                       note=f"sighting {n}")
    return ledger


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_a_killed_writer_leaves_a_complete_version(tmp_path: Path) -> None:
    versions = [big_ledger(3000), big_ledger(3001)]
    texts = {dumps(v) for v in versions}
    sources = []
    for n, version in enumerate(versions):
        sources.append(tmp_path / f"v{n}.jsonl")
        save(version, sources[-1])
    target = tmp_path / "case.jsonl"
    save(versions[0], target)
    rng = random.Random(7)
    strays: set[Path] = set()
    for _ in range(6):
        with subprocess.Popen([sys.executable, "-c", SAVER, str(target), *map(str, sources)],
                              stdout=subprocess.PIPE, text=True) as writer:
            assert writer.stdout is not None
            assert writer.stdout.readline() == "ready\n"
            time.sleep(rng.uniform(0.05, 0.4))  # several saves in, one under way
            os.kill(writer.pid, signal.SIGKILL)
            assert writer.wait(timeout=30) == -signal.SIGKILL
        strays.update(tmp_path.glob(".case.jsonl.*.tmp"))  # the next save may remove them
        assert target.read_text(encoding="utf-8") in texts
        assert load(target) in versions
    # Kills landed inside saves (their temporary files are left behind), not only between.
    assert strays
