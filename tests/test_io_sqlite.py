"""SqliteLedger: committed changes, reopening, two writers, and files that are not ledgers."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from whereabouts import Kind, Ledger, Place, Source
from whereabouts.errors import UnknownEntity, WhereaboutsError
from whereabouts.examples import assad_2024
from whereabouts.io import LedgerFileError, SqliteLedger


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "case.db"


def test_the_seed_is_stored_and_reopened_equal(path: Path) -> None:
    with SqliteLedger.open(path) as store:
        assad_2024(store)
    with SqliteLedger.open(path, create=False) as again:
        seed = assad_2024()
        assert again == seed
        assert str(again.everyone()) == str(seed.everyone())
        assert again.place("Khmeimim air base") == seed.place("Khmeimim air base")
        assert repr(again) == f"<SqliteLedger {str(path)!r}: 23 entries>"
        assert again.path == str(path)


def test_each_change_is_committed_before_it_returns(path: Path, paper: Source) -> None:
    with SqliteLedger.open(path) as store:
        store.add_person("Amal Haddad", id="amal")
        store.observe("amal", Kind.SEEN_AT, place=Place.from_country("LB"), source=paper)
        with sqlite3.connect(path) as other:  # another connection sees both, at once
            count = other.execute("SELECT count(*) FROM records").fetchone()[0]
        assert count == 4  # person, place, source, observation


def test_a_refused_change_leaves_file_and_memory_unchanged(path: Path, paper: Source) -> None:
    with SqliteLedger.open(path) as store:
        store.add_person("Amal Haddad", id="amal")
        with pytest.raises(UnknownEntity):
            store.observe("nobody", Kind.SEEN_AT, place=Place.from_country("LB"), source=paper)
        with pytest.raises(WhereaboutsError):
            store.add_group("crew", id="amal")
        assert len(store) == 0
        assert [e.id for e in store.entities] == ["amal"]
    with SqliteLedger.open(path) as again:
        assert [e.id for e in again.entities] == ["amal"]
        assert len(again) == 0


def test_a_failed_write_leaves_file_and_memory_unchanged(path: Path, paper: Source) -> None:
    with SqliteLedger.open(path) as store:
        store.add_person("Amal Haddad", id="amal")
        with sqlite3.connect(path) as other:
            other.execute("CREATE TRIGGER no_boom BEFORE INSERT ON records "
                          "WHEN NEW.body LIKE '%boom%' BEGIN SELECT RAISE(ABORT, 'disk on fire'); "
                          "END")
        with pytest.raises(LedgerFileError, match="disk on fire"):
            store.observe("amal", Kind.DIED, source=paper, note="boom")
        with pytest.raises(LedgerFileError, match="disk on fire"):
            store.add_group("the boom crew", members=["amal"])
        assert len(store) == 0
        assert [e.id for e in store.entities] == ["amal"]
        assert store.relations == ()
        store.observe("amal", Kind.DIED, source=paper)  # the place and source are written now
    with SqliteLedger.open(path) as again:
        assert [o.id for o in again.observations] == ["o1"]


def test_a_transaction_is_all_or_nothing(path: Path, paper: Source) -> None:
    with SqliteLedger.open(path) as store:
        with store.transaction():
            store.add_person("Amal Haddad", id="amal")
            store.observe("amal", Kind.SEEN_AT, place=Place.from_country("LB"), source=paper)

        def change_then_fail() -> None:
            with store.transaction():
                store.add_person("Sami Nasser", id="sami")
                store.observe("sami", Kind.SEEN_AT, place=Place.from_country("SY"), source=paper)
                raise RuntimeError("changed my mind")

        with pytest.raises(RuntimeError):
            change_then_fail()
        assert [e.id for e in store.entities] == ["amal"]
        assert len(store) == 1
        store.observe("amal", Kind.SEEN_AT, place=Place.from_country("SY"), source=paper)
    with SqliteLedger.open(path) as again:
        assert [e.id for e in again.entities] == ["amal"]
        assert [o.place.name for o in again.observations if o.place] == [
            "Lebanon", "Syria"]


def test_two_ledgers_on_one_file_see_each_others_writes(path: Path, paper: Source) -> None:
    with SqliteLedger.open(path) as one, SqliteLedger.open(path) as two:
        one.add_person("Amal Haddad", id="amal")
        first = one.observe("amal", Kind.DIED, source=paper)
        second = two.observe("amal", Kind.ATTACKED, source=paper, after=first)
        assert (first.id, second.id) == ("o1", "o2")
        assert one.refresh() == 1  # the observation (its source was already written)
        assert one == two
        assert one.refresh() == 0


def test_corrections_retractions_and_relations_are_kept(path: Path, paper: Source) -> None:
    with SqliteLedger.open(path) as store:
        store.add_person("Amal", id="amal")
        store.add_person("Sami", id="sami")
        store.add_group("crew", id="crew", members=["amal"])
        store.relate("crew", "has member", "sami")
        first = store.observe(["amal", "sami"], Kind.SEEN_AT, place=["Beirut", "Damascus"],
                              source=paper) if False else store.observe(
            "amal", Kind.SEEN_AT, place=Place.from_country("LB"), source=paper)
        store.correct(first, source=paper, place=Place.from_country("SY"))
        store.retract(first, source=paper, reason="misread")
        snapshot = Ledger()
        for entity in store.entities:
            snapshot.add(entity)
    with SqliteLedger.open(path) as again:
        assert again == store
        assert [str(r) for r in again.relations] == ["amal member of crew", "sami member of crew"]


def test_normal_synchronous_mode_is_accepted(path: Path) -> None:
    with SqliteLedger.open(path, synchronous="NORMAL") as store:
        store.add_person("Amal")
    with pytest.raises(WhereaboutsError, match="synchronous"):
        SqliteLedger.open(path, synchronous="OFF")  # type: ignore[arg-type]


def test_a_closed_ledger_takes_no_more_changes(path: Path) -> None:
    store = SqliteLedger.open(path)
    store.close()
    with pytest.raises(LedgerFileError, match="closed"):
        store.add_person("Amal")
    assert store.entities == ()


# -- files that are not ledgers -------------------------------------------------------------


def open_problem(path: Path, **options: bool) -> str:
    with pytest.raises(LedgerFileError) as info:
        SqliteLedger.open(path, **options)
    assert info.value.path == str(path)
    return str(info.value)


def test_a_sqlite_file_that_is_not_a_ledger(path: Path) -> None:
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE customers (name TEXT)")
    assert open_problem(path) == (
        f"{path}: a SQLite database, but not a whereabouts ledger (it has no 'meta' table; its "
        "tables: customers)")
    with sqlite3.connect(path) as other:  # untouched: no table added, journal mode kept
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_meta_table_of_another_format(path: Path) -> None:
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE meta (name TEXT, value TEXT)")
        other.execute("INSERT INTO meta VALUES ('format', 'something-else')")
    assert "not a whereabouts ledger (meta format is 'something-else'" in open_problem(path)


def test_a_newer_version(path: Path) -> None:
    SqliteLedger.open(path).close()
    with sqlite3.connect(path) as other:
        other.execute("UPDATE meta SET value = '3' WHERE name = 'version'")
    assert open_problem(path) == (
        f"{path}: version: 3: written by a newer whereabouts (this one reads format version 2 "
        "and older); upgrade whereabouts to read it")


def test_records_that_do_not_load_are_all_listed(path: Path) -> None:
    with SqliteLedger.open(path) as store:
        store.add_person("Amal", id="amal")
    with sqlite3.connect(path) as other:
        other.execute("INSERT INTO records (type, body) VALUES ('person', '{\"type\": \"person\"')")
        other.execute("INSERT INTO records (type, body) VALUES "
                      "('person', '{\"type\": \"person\", \"id\": \"amal\", \"name\": \"Amal\"}')")
    assert open_problem(path).splitlines() == [
        f"{path}:2: invalid JSON at column 18: Expecting ',' delimiter",
        f"{path}:3: id: 'amal': id already in the ledger",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"id,subjects\n", "not a SQLite database"),
     (b"\x00\x01\x02garbage", "not a SQLite database"),
     (b"SQLite format 3\x00" + b"\xff" * 200, "file is not a database")],
)
def test_files_that_are_not_sqlite(path: Path, content: bytes, message: str) -> None:
    path.write_bytes(content)
    assert open_problem(path) == f"{path}: {message}"


def test_opening_without_create(path: Path) -> None:
    assert open_problem(path, create=False) == f"{path}: no such file"
    sqlite3.connect(path).close()  # an empty database
    assert open_problem(path, create=False) == f"{path}: an empty database, not a ledger"


# -- two processes ---------------------------------------------------------------------------

WRITER = textwrap.dedent("""
    import sys
    from whereabouts import Place, Source
    from whereabouts.io import SqliteLedger
    path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ledger = SqliteLedger.open(path)
    lebanon, wire = Place.from_country("LB"), Source("wire")
    print("ready", flush=True)
    sys.stdin.readline()
    for n in range(count):
        ledger.observe("amal", "seen at", place=lebanon, source=wire, reported="2024-12-10",
                       note=f"{tag}{n}")
""")
COUNT = 10_000


def test_two_processes_appending_at_once_lose_nothing(path: Path) -> None:
    with SqliteLedger.open(path) as store:
        store.add_person("Amal Haddad", id="amal")
    with contextlib.ExitStack() as stack:
        writers = [stack.enter_context(subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), tag, str(COUNT)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)) for tag in "AB"]
        for writer in writers:
            assert writer.stdout is not None
            assert writer.stdout.readline() == "ready\n"
        start = time.perf_counter()
        for writer in writers:  # start both at once
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.close()
        for writer in writers:
            assert writer.wait(timeout=300) == 0
    elapsed = time.perf_counter() - start
    with SqliteLedger.open(path) as again:
        notes = [o.note for o in again.observations]
        ids = {o.id for o in again.observations}
    assert len(notes) == len(ids) == 2 * COUNT
    assert set(notes) == {f"{tag}{n}" for tag in "AB" for n in range(COUNT)}
    for tag in "AB":  # each writer's own order is kept
        mine = [int(n[1:]) for n in notes if n[0] == tag]
        assert mine == sorted(mine)
    print(f"2 x {COUNT} appends in {elapsed:.1f} s")


def test_a_batch_is_stored_in_one_transaction(path: Path, paper: Source) -> None:
    from tests.test_batch import _batch, _valid

    with SqliteLedger.open(path) as ledger:
        for name in ("amal", "badr", "dana"):
            ledger.add_person(name.title(), id=name)
        ledger.add_group("Family", id="family", members=["amal", "badr"])
        bad = [*_valid(), {**_valid()[0], "when": "2025-02"}]
        with pytest.raises(WhereaboutsError, match="row 3, when"):
            ledger.extend(_batch(bad))
        assert len(ledger) == 0
        appended = ledger.extend(_batch(_valid()))
        assert [o.id for o in appended] == ["o1", "o2", "family-1"]
        expected = ledger.entries
    with SqliteLedger.open(path) as again:
        assert again.entries == expected
        assert again.last_known("badr").status is ledger.last_known("badr").status


def _version(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return str(db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()[0])


def test_stays_denials_and_unknown_report_dates_are_kept(path: Path, paper: Source) -> None:
    lb = Place.from_country("LB")
    with SqliteLedger.open(path) as store:
        store.add_person("Amal", id="amal")
        first = store.observe("amal", Kind.SEEN_AT, place=lb, source=paper)
        assert _version(path) == "1"
        held = store.observe("amal", Kind.DETAINED, place=lb, when="2024-11-19/2024-12-20",
                             throughout=True, source=paper)
        assert held.throughout
        assert _version(path) == "2"  # raised in the write that needed it
        unknown = store.observe("amal", Kind.TURNED_BACK, place=lb, source=Source("a cousin"))
        assert unknown.reported is None
        denial = store.deny(first, source="the ministry", reported="2025-01-02", reason="no")
        assert store.entries[-1] == denial
        story = store.narrative()
        story.observe("amal", Kind.SEEN_AT, place=lb, when="2024-12-21", source=paper, id="a")
        story.observe("amal", Kind.SEEN_AT, place=lb, when="2024-12-22", source=paper, id="b")
    with SqliteLedger.open(path) as again:
        assert again == store
        assert again.observation("b").after == ("a",)
        assert again.entries[3] == denial
        assert str(again.last_known("amal")) == str(store.last_known("amal"))


def test_appending_a_denial_built_elsewhere(path: Path, paper: Source) -> None:
    from whereabouts.observations import Denial

    with SqliteLedger.open(path) as store:
        store.add_person("Amal", id="amal")
        store.observe("amal", Kind.SEEN_AT, place=Place.from_country("LB"), source=paper)
        denial: Denial = store.append(Denial(id="d1", target="o1", source=paper,
                                             reported="2025-01-02"))
        with pytest.raises(WhereaboutsError, match="no such observation"):
            store.deny("o9", source=paper)
    with SqliteLedger.open(path) as again:
        assert again.entries[-1] == denial
        assert len(again) == 2


def test_a_refused_write_does_not_raise_the_version(path: Path, paper: Source) -> None:
    with SqliteLedger.open(path) as store:
        store.add_person("Amal", id="amal")

        def both() -> None:
            with store.transaction():
                store.observe("amal", Kind.REFUSED_ENTRY, place=Place.from_country("LB"),
                              source=paper)
                store.observe("nobody", Kind.SEEN_AT, place=Place.from_country("LB"),
                              source=paper)

        with pytest.raises(WhereaboutsError):
            both()
        assert len(store) == 0
    assert _version(path) == "1"
