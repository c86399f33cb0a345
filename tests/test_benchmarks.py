"""The benchmark instrument: a deterministic generator, peers that agree, and whereabouts
agreeing with them wherever the dates leave no doubt. Nothing here is timed."""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import generate, peers, run  # noqa: E402  (benchmarks/ is not installed)
from benchmarks.ours import Whereabouts  # noqa: E402

SEED = 3
N = 600
PLACES = 100


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[generate.Files, generate.Files]:
    """A generated ledger of 600 observations and its precise subset, on disk."""
    directory = tmp_path_factory.mktemp("bench")
    full = generate.write(generate.generate(N, seed=SEED, places=PLACES), directory / "full")
    return full, peers.precise_subset(full, directory / "precise")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# -- the generator ------------------------------------------------------------------


def test_the_same_seed_gives_the_same_ledger() -> None:
    first = list(generate.generate(N, seed=SEED, places=PLACES).rows())
    assert list(generate.generate(N, seed=SEED, places=PLACES).rows()) == first
    assert list(generate.generate(N, seed=SEED + 1, places=PLACES).rows()) != first


def test_files_have_the_documented_columns(small: tuple[generate.Files, generate.Files]) -> None:
    full, _ = small
    for path, columns in ((full.observations, generate.COLUMNS),
                          (full.places, generate.PLACE_COLUMNS),
                          (full.entities, generate.ENTITY_COLUMNS)):
        with path.open(encoding="utf-8") as f:
            assert tuple(f.readline().strip().split(",")) == columns
    assert len(_rows(full.observations)) == N
    assert len(_rows(full.places)) == PLACES


def test_shares_and_shapes() -> None:
    n = 20_000
    data = generate.generate(n, seed=SEED, places=500)
    rows = list(data.rows())
    share = Counter()
    for row in rows:
        when = row[4]
        share["month"] += len(when) == 7
        share["year"] += len(when) == 4
        share["unknown"] += row[2] == generate.UNKNOWN
        share["alternatives"] += " | " in row[3]
        share["group"] += row[1].startswith("g")
        share["after"] += bool(row[10])
    expected = {"month": 0.10, "year": 0.03, "unknown": 0.03, "alternatives": 0.01,
                "group": 0.01, "after": 0.005}
    for name, target in expected.items():
        assert share[name] / n == pytest.approx(target, rel=0.3), name
    assert len(data.people) == n // 20
    assert all(re.fullmatch(r"[0-9]{4}(-[0-9]{2}){0,2}", row[4]) for row in rows)
    # every subject's claims fall on distinct days, and are reported on or after them
    days = Counter((data.subject[i], data.day[i]) for i in range(n))
    assert max(days.values()) == 1
    assert all(data.reported[i] >= data.day[i] for i in range(n))
    # 'after' links point back to the same subject's earlier rows
    for i, prior in enumerate(data.after):
        if prior >= 0:
            assert prior < i
            assert data.subject[prior] == data.subject[i]
    # the precise people's rows are all day-precision, about them alone, with one place
    precise = {data.people.index(p) for p in data.precise_people}
    assert all(data.precision[i] == 0 and data.place2[i] < 0 and data.after[i] < 0
               for i in range(n) if data.subject[i] in precise)
    members = {m for _, group in data.groups for m in group}
    assert not members & data.precise_people


def test_place_names_resolve_to_the_registered_places() -> None:
    from whereabouts import Ledger, Place

    data = generate.generate(50, seed=SEED, places=PLACES)
    ledger = Ledger()
    for name, country in data.places:
        ledger.register_place(Place.city(name, country=country))
    assert all(ledger.place(name).country == country for name, country in data.places)


def test_the_precise_people_are_the_ones_the_runner_derives(
        small: tuple[generate.Files, generate.Files]) -> None:
    _, precise = small
    data = generate.generate(N, seed=SEED, places=PLACES)
    assert peers.precise_people(precise) == data.precise_people
    assert data.precise_people  # the cross-check below has people to compare


# -- peers and whereabouts agree ------------------------------------------------------


def _available(cls: type[peers.Tool]) -> type[peers.Tool]:
    for module in cls.modules:
        pytest.importorskip(module)
    return cls


def _answers(cls: type[peers.Tool], files: generate.Files, sample: list[str]) -> run.Outcome:
    tool = cls()
    tool.load(files)
    outcome = run.Outcome(cls.name)
    outcome.precise = run.answers(tool, sample, generate.AS_OF, {})
    tool.close()
    return outcome


def _sample(files: generate.Files) -> list[str]:
    return run.person_sample(files, 1000, SEED)


@pytest.mark.parametrize("cls", peers.PEERS, ids=[c.name for c in peers.PEERS])
def test_each_peer_agrees_with_the_plain_dict(
        cls: type[peers.Tool], small: tuple[generate.Files, generate.Files]) -> None:
    _, precise = small
    sample = _sample(precise)
    reference = _answers(peers.DictBisect, precise, sample)
    other = _answers(_available(cls), precise, sample)
    assert run.cross_check([reference, other], frozenset()) == []
    assert reference.precise["W5"]  # the country query finds someone


def test_peers_report_a_latest_unknown_as_unknown(tmp_path: Path) -> None:
    """The trap in pandas' groupby().last() and DuckDB's arg_max: a latest row with no
    place must give 'unknown', not the place before it."""
    data = generate.generate(40, seed=SEED, places=10)
    full = generate.write(data, tmp_path / "full")
    with full.observations.open("a", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerow(
            ["o999", data.people[0], generate.UNKNOWN, "", "2030-01-01", "Source 001",
             "2030-01-02", "A", "1", "", ""])
    for cls in peers.PEERS:
        if not cls.available():
            continue
        tool = cls()
        tool.load(full)
        assert tool.answers_all(tool.last_all())[data.people[0]] == ("unknown", None), cls.name
        assert tool.answer_one(tool.last_one(data.people[0])) == ("unknown", None), cls.name
        tool.close()


def test_whereabouts_agrees_with_the_peers_where_the_dates_are_precise(
        small: tuple[generate.Files, generate.Files]) -> None:
    full, precise = small
    rows = _rows(full.observations)
    # the ledger has every kind of doubt the engine must handle
    assert any(len(r["when"]) < 10 for r in rows)
    assert any(" | " in r["place"] for r in rows)
    assert any(r["kind"] == generate.UNKNOWN for r in rows)
    assert any(r["subjects"].startswith("g") for r in rows)

    sample = _sample(full)
    reference = _answers(peers.DictBisect, precise, sample)
    ours = Whereabouts()
    ours.load(full)
    outcome = run.Outcome("whereabouts")
    outcome.answers = run.answers(ours, sample, generate.AS_OF, {})
    people = peers.precise_people(precise)
    assert run.cross_check([reference, outcome], people) == []
    # ... and the comparison is not empty: precise people with answers in each workload
    assert {p for p in people if p in outcome.answers["W2"]}
    assert outcome.answers["W5"] & people
    # while elsewhere the uncertainty shows (which the peers cannot say)
    statuses = Counter(status for status, _ in outcome.answers["W2"].values())
    assert statuses["disputed"] > 0

    # on the precise subset alone, whereabouts agrees with the peers about everyone
    alone = Whereabouts()
    alone.load(precise)
    mine = run.Outcome("whereabouts")
    mine.answers = run.answers(alone, sample, generate.AS_OF, {})
    everyone = frozenset(r["id"] for r in _rows(full.entities) if r["kind"] == "person")
    assert run.cross_check([reference, mine], everyone) == []


def test_a_disagreement_is_reported() -> None:
    ref = run.Outcome("dict+bisect")
    ref.precise = {"W2": {"p1": ("located", "A")}, "W3": {}, "W4": {}, "W5": set()}
    ours = run.Outcome("whereabouts")
    ours.answers = {"W2": {"p1": ("located", "B")}}
    problems = run.cross_check([ref, ours], frozenset({"p1"}))
    assert len(problems) == 1
    assert "W2" in problems[0]
