"""The benchmark instrument: a deterministic generator, peers that agree, and whereabouts
agreeing with them wherever the dates leave no doubt. Nothing here is timed."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
import types
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


@pytest.fixture(scope="module", params=[("random", "second"), ("time", "day")],
                ids=["random-second", "time-day"])
def small(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> tuple[generate.Files, generate.Files]:
    """A generated ledger of 600 observations and its precise subset, on disk: in the
    default shape (shuffled, date-times) and the one of the figures before issue 12."""
    order, precision = request.param
    directory = tmp_path_factory.mktemp("bench")
    data = generate.generate(N, seed=SEED, places=PLACES, order=order, precision=precision)
    full = generate.write(data, directory / "full")
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
    data = generate.generate(n, seed=SEED, places=500, order="random", precision="second")
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
    assert all(re.fullmatch(r"[0-9]{4}(-[0-9]{2}){0,2}|[0-9-]{10}T[0-9:]{8}Z", row[4])
               for row in rows)
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


def test_the_old_shape_is_time_order_and_days() -> None:
    data = generate.generate(300, seed=SEED, places=PLACES)  # the function's defaults
    rows = list(data.rows())
    assert [row[0] for row in rows] == [f"o{i}" for i in range(1, 301)]
    assert [row[6] for row in rows] == sorted(row[6] for row in rows)  # by report date
    assert all(re.fullmatch(r"[0-9]{4}(-[0-9]{2}){0,2}", row[4]) for row in rows)


def test_the_messy_shape_is_shuffled_with_second_precision() -> None:
    n = 2000
    data = generate.generate(n, seed=SEED, places=PLACES, order="random", precision="second")
    rows = list(data.rows())
    ids = [row[0] for row in rows]
    assert sorted(ids) == sorted(f"o{i}" for i in range(1, n + 1))
    assert ids != [f"o{i}" for i in range(1, n + 1)]  # ids do not follow the rows
    assert [row[6] for row in rows] != sorted(row[6] for row in rows)  # nor report dates
    # 'after' names an earlier row about the same subject that cannot have started later
    place_of = {row[0]: i for i, row in enumerate(rows)}
    linked = [(place_of[row[10]], i) for i, row in enumerate(rows) if row[10]]
    assert linked
    for prior, i in linked:
        assert prior < i
        assert rows[prior][1] == rows[i][1]
        assert peers.seconds(rows[prior][4]) // 86400 <= peers.seconds(rows[i][4]) // 86400
    whens = [row[4] for row in rows]
    times = [w for w in whens if len(w) > 10]
    assert all(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z", w)
               for w in times)
    assert len(set(times)) > 0.99 * len(times)  # about one distinct time a claim
    # the same ledger written to days: the month and year shares are untouched
    days = generate.generate(n, seed=SEED, places=PLACES, order="random", precision="day")
    assert days.precision == data.precision
    assert days.day == data.day
    assert [w[:10] for w in whens] == [row[4] for row in days.rows()]


@pytest.mark.parametrize(("option", "value"), [("order", "reported"), ("precision", "hour")])
def test_generator_options_are_checked(option: str, value: str) -> None:
    with pytest.raises(ValueError, match=f"{option} must be one of .*{value}"):
        generate.generate(10, **{option: value})


def test_the_generator_command_takes_the_options(tmp_path: Path) -> None:
    generate.main(["--n", "50", "--seed", str(SEED), "--places", "20", "--order", "time",
                   "--precision", "day", "--out", str(tmp_path / "old")])
    rows = _rows(generate.Files(tmp_path / "old").observations)
    assert rows[0]["id"] == "o1"
    assert all(len(r["when"]) <= 10 for r in rows)
    generate.main(["--n", "50", "--seed", str(SEED), "--places", "20", "--out",
                   str(tmp_path / "new")])
    assert any("T" in r["when"] for r in _rows(generate.Files(tmp_path / "new").observations))


def test_seconds_reads_every_form_the_generator_writes() -> None:
    assert peers.seconds("1970") == 0
    assert peers.seconds("1970-01-02") == 86400
    assert peers.seconds("2019-03-04T12:34:56Z") == peers.seconds("2019-03-04") + 45296
    assert peers.next_day("2024-02-28") == "2024-02-29"
    with pytest.raises(ValueError, match="12:34"):
        peers.seconds("2019-03-04T12:34")


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


# -- the runner's own checks (nothing timed) ---------------------------------------


def test_the_runner_refuses_another_checkouts_modules(tmp_path: Path) -> None:
    """A copy of benchmarks/ away from the package imports whereabouts from elsewhere:
    the runner names both paths in one line and exits with status 2."""
    shutil.copytree(ROOT / "benchmarks", tmp_path / "benchmarks",
                    ignore=shutil.ignore_patterns(".data", "__pycache__"))
    done = subprocess.run([sys.executable, str(tmp_path / "benchmarks" / "run.py"), "--n", "10"],
                          capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    import whereabouts

    assert str(Path(whereabouts.__file__).resolve().parent) in lines[0]
    assert str(tmp_path.resolve()) in lines[0]
    assert not (tmp_path / "benchmarks" / ".data").exists()  # nothing generated


def test_own_checkout_names_the_stray_module(tmp_path: Path) -> None:
    inside, outside = types.ModuleType("inside"), types.ModuleType("outside")
    inside.__file__ = str(tmp_path / "root" / "benchmarks" / "__init__.py")
    outside.__file__ = str(tmp_path / "other" / "whereabouts" / "__init__.py")
    root = (tmp_path / "root").resolve()
    assert run.own_checkout(root, {"benchmarks": inside}) is None
    problem = run.own_checkout(root, {"benchmarks": inside, "whereabouts": outside})
    assert problem is not None
    assert f"whereabouts from {(tmp_path / 'other' / 'whereabouts').resolve()}" in problem
    assert str(root) in problem
    assert "benchmarks from" not in problem


def test_materialise_calls_columns_when_there_are_some() -> None:
    touched: list[str] = []

    class Table:
        def __getattr__(self, name: str) -> list[int]:
            touched.append(name)
            return [1, 2, 3]

    class Answer:
        def columns(self) -> Table:
            return Table()

    assert run.materialise(Answer()) == 3
    assert set(touched) == {"entity", "status", "place", "ids", "places"}


def test_materialise_reads_the_columns_of_a_roll_and_a_presence() -> None:
    from whereabouts import Ledger

    ledger = Ledger()
    ledger.add_person("Amal Haddad", id="p1")
    ledger.observe("p1", "seen at", place="Beirut", when="2024-12-01", source="a wire")
    assert run.materialise(ledger.everyone()) == 1  # its columns(): one answer
    assert run.materialise(ledger.who_is_in("Lebanon")) == 1

    class Held:  # a result without columns(): its three tuples are read
        entities, statuses, places = ("p1",), ("located",), ("Beirut",)

    assert run.materialise(Held()) == 3


def _outcome(name: str, **medians: float) -> run.Outcome:
    outcome = run.Outcome(name)
    outcome.figures = {w: run.Figure([t]) for w, t in medians.items()}
    return outcome


def test_verdicts_judge_each_target() -> None:
    ours = _outcome("whereabouts", W1=2.0, W2=0.004, W3=5e-6, W4=0.006, W5=0.01)
    ours.memory = run.Memory(held=150_000, peak=3 * 10**9)
    pandas = _outcome("pandas", W1=1.0, W2=0.010, W4=0.011, W5=0.03)
    sqlite = _outcome("SQLite", W1=5.0, W2=0.5, W3=4e-6, W4=0.4, W5=0.5)
    found = {row[0].split()[0]: row[3]
             for row in run.verdicts([ours, pandas, sqlite], 1000, 0.12, peak_n=10**7)}
    assert found == {"W1": "missed", "W2": "met", "W3": "missed", "W4": "missed",
                     "W5": "met", "memory": "met", "import": "missed", "peak": "met"}
    small = run.verdicts([ours, pandas, sqlite], 1000, 0.05)
    assert [row[3] for row in small if row[0].startswith("peak")] == [
        "not judged: below 10^7"]


def test_the_figures_table_has_a_row_per_figure_and_a_ratio() -> None:
    ours = _outcome("whereabouts", W2=0.004)
    ours.figures["W2"].repeated = [0.001]
    table = run.figures_table([ours, _outcome("pandas", W2=0.010)], ["W2"], 1000)
    lines = table.splitlines()
    assert lines[0].startswith("| figure")
    assert "2.5x faster" in lines[2]
    assert "W2 repeated on the same ledger" in lines[3]
    assert "10x faster" in lines[3]


def test_the_import_is_judged_from_bytecode_and_shown_compiled_too() -> None:
    ours = _outcome("whereabouts", W2=0.004)
    rows = {row[0]: row for row in run.verdicts([ours], 1000, 0.05, from_source=0.11)}
    assert rows["import whereabouts"][2:] == (
        "50 ms from bytecode; 110 ms compiled from source", "met")


def test_the_import_is_timed_from_this_checkout_both_ways() -> None:
    """Each way imports this checkout's package (a copy of it, compiled from source):
    an import of any other raises."""
    assert run.import_time(runs=1) > 0
    assert run.import_time(runs=1, cached=False) > 0
