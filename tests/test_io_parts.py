"""A large CSV file read a part at a time: the ledger and the problems of reading it whole.

``read_csv`` reads a file larger than ``STREAM_BYTES`` ``PART_ROWS`` lines at a
time, appending each part once checked, and puts the ledger back if a row of any
part is wrong. Here every file counts as large and parts are a few rows, so that
each tie between rows (ids, ``after`` links, corrections, people created,
narratives) crosses a part boundary; every outcome is held to the row-by-row
reference of ``test_io_bulk`` and to the file read whole.
"""

from __future__ import annotations

import csv as stdcsv
from collections.abc import Callable, KeysView
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_io_bulk import (
    WITH,
    Places,
    generated,
    registered,
    row,
    same_as_reference,
    sheet_ledger,
    sheets,
    storied,
    storied_sheets,
    write_sheet,
)
from whereabouts import Ledger, Place
from whereabouts.io import COLUMNS, LedgerFileError, SqliteLedger, _arrow_csv, read_csv
from whereabouts.io import csv as csv_module
from whereabouts.io._columns import Chunk, import_chunks


@pytest.fixture(autouse=True)
def general_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts read by the general reader (``_parts``), unless a test asks for Arrow's."""
    monkeypatch.setattr(csv_module, "ARROW", False)


@pytest.fixture(params=[1, 2, 3])
def line_parts(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Every file read by the general reader in parts of 1, 2 or 3 lines."""
    monkeypatch.setattr(csv_module, "STREAM_BYTES", 0)
    monkeypatch.setattr(csv_module, "PART_ROWS", request.param)
    return int(request.param)


@pytest.fixture(params=[("lines", 1), ("lines", 2), ("lines", 3), ("blocks", 1),
                        ("blocks", 90)], ids=lambda p: f"{p[0]}-{p[1]}")
def parts(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Every file read in parts of 1, 2 or 3 lines by the general reader, or by Arrow in
    blocks of one line (a byte, then the rest of its line) or of about 90 bytes (a line
    or two); a block Arrow leaves is read by the general reader in parts of 2 lines."""
    reader, size = request.param
    monkeypatch.setattr(csv_module, "STREAM_BYTES", 0)
    if reader == "lines":
        monkeypatch.setattr(csv_module, "PART_ROWS", size)
        return int(size)
    pytest.importorskip("pyarrow")
    monkeypatch.setattr(csv_module, "ARROW", True)
    monkeypatch.setattr(_arrow_csv, "BLOCK_BYTES", size)
    monkeypatch.setattr(csv_module, "PART_ROWS", 2)
    return 2


def whole(path: Path, make: Callable[[], Ledger] = sheet_ledger, **options: bool) -> list[str]:
    """The problems of reading ``path`` whole (as a small file) into a fresh ledger."""
    saved = csv_module.STREAM_BYTES, csv_module.PART_ROWS
    csv_module.STREAM_BYTES = 2**62
    try:
        try:
            report = read_csv(path, make(), **options)
        except LedgerFileError as err:
            return [str(p) for p in err.problems]
        return [str(p) for p in report.problems]
    finally:
        csv_module.STREAM_BYTES, csv_module.PART_ROWS = saved


def whole_ledger(path: Path) -> Ledger:
    """The ledger of reading ``path`` whole into a sheet ledger."""
    saved = csv_module.STREAM_BYTES
    csv_module.STREAM_BYTES = 2**62
    try:
        return read_csv(path, sheet_ledger()).ledger
    finally:
        csv_module.STREAM_BYTES = saved


def test_a_file_is_read_in_parts_only_when_large(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_sheet(tmp_path / "small.csv", [row(id=f"r{n}") for n in range(5)])
    seen: list[int] = []
    real = import_chunks

    def counting(*args: object, **kwargs: object) -> object:
        chunks = list(args[3])  # type: ignore[call-overload]
        seen.append(len(chunks))
        return real(*args[:3], chunks, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(csv_module, "import_chunks", counting)
    read_csv(path, sheet_ledger())
    assert seen == []  # small: read whole
    monkeypatch.setattr(csv_module, "STREAM_BYTES", 0)
    monkeypatch.setattr(csv_module, "PART_ROWS", 2)
    assert len(read_csv(path, sheet_ledger()).added) == 5
    assert seen == [3]


def test_an_error_in_a_later_part_keeps_nothing(tmp_path: Path, parts: int) -> None:
    rows = [row(id=f"r{n}") for n in range(7)]
    rows[5] = row(id="r5", kind="flew to")
    path = write_sheet(tmp_path / "late.csv", rows)
    ledger = sheet_ledger()
    with pytest.raises(LedgerFileError) as caught:
        read_csv(path, ledger)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1
    assert problems[0].startswith("7:3: kind: 'flew to': not a kind of observation")
    assert problems == whole(path)
    assert ledger == sheet_ledger()  # put back as it was
    assert [o.id for o in ledger.observations] == ["earlier", "vague"]
    ledger.observe("sami", "seen at", place="Beirut", when="2024-12-05", source="a wire",
                   reported="2024-12-06")  # still a working ledger
    with pytest.raises(LedgerFileError):
        read_csv(path)  # a new ledger, thrown away


def test_a_ledger_put_back_keeps_its_relations_places_and_entries(
        tmp_path: Path, parts: int) -> None:
    def make() -> Ledger:
        ledger = sheet_ledger()
        ledger.relate("amal", "sibling", "amal-n")
        ledger.register_place(Place.city("Kavelox", country="SY"), aliases=["Kav"])
        ledger.deny("earlier", source="a wire", reported="2024-12-04", id="denied")
        return ledger

    rows = [row(id=f"r{n}", subjects="Nour Khalil", place="Kavelox") for n in range(5)]
    path = write_sheet(tmp_path / "late.csv", [*rows, row(id="r5", reliability="G")])
    ledger = make()
    with pytest.raises(LedgerFileError) as caught:
        read_csv(path, ledger)
    assert [str(p) for p in caught.value.problems] == whole(path, make)
    assert ledger == make()
    assert [p.name for p, _ in ledger.registered_places] == ["Kavelox"]
    assert len(ledger.relations) == 2  # the crew's member and the siblings
    assert "nour-khalil" not in {e.id for e in ledger.entities}
    assert ledger.place("Kavelox").country == "SY"
    report = read_csv(path, ledger, keep_valid=True)
    assert [o.id for o in report.added] == ["r0", "r1", "r2", "r3", "r4"]
    assert [p.id for p in report.created] == ["nour-khalil"]


def test_answers_built_before_a_failed_import_see_the_change(tmp_path: Path) -> None:
    ledger = sheet_ledger()
    roll = ledger.everyone()
    rows = [row(id=f"r{n}") for n in range(4)] + [row(id="bad", when="2024-13-01")]
    path = write_sheet(tmp_path / "late.csv", rows)
    saved = csv_module.STREAM_BYTES, csv_module.PART_ROWS
    csv_module.STREAM_BYTES, csv_module.PART_ROWS = 0, 2
    try:
        with pytest.raises(LedgerFileError):
            read_csv(path, ledger)
    finally:
        csv_module.STREAM_BYTES, csv_module.PART_ROWS = saved
    with pytest.raises(RuntimeError, match="changed"):
        roll.answers[0]


def test_references_across_parts(tmp_path: Path, parts: int) -> None:
    """``after`` links to earlier parts' rows and the ledger's, a person created in one part
    named in the next, ``o{n}`` ids, and a link to a row of a later part (a problem)."""
    path = write_sheet(tmp_path / "ties.csv", [
        row(id="a", when="2024-12-01", reported="2024-12-02"),
        row(id="", subjects="Nour Khalil", when="2024-12-02", reported="2024-12-03"),
        row(id="b", when="2024-12-03", reported="2024-12-04", after="a"),
        row(id="", subjects="nour khalil", when="2024-12-04", reported="2024-12-05",
            after="b; earlier"),
        row(id="c", when="2024-12-05", reported="2024-12-06", after="o7"),
        row(id="d", when="2024-12-06", reported="2024-12-07", after="e"),
        row(id="e", subjects="nour-khalil", when="2024-12-07", reported="2024-12-08",
            after="c"),
    ])
    ledger, problems = same_as_reference(path, sheet_ledger, keep_valid=True)
    assert problems == ["7:11: after: 'e': no such observation on an earlier row or in the "
                        "ledger"]
    assert problems == whole(path, keep_valid=True)
    assert ledger.observation("c").after == ("o7",)
    assert ledger.observation("o7").subjects == ("nour-khalil",)
    assert [p.id for p in ledger.people].count("nour-khalil") == 1


def test_duplicate_ids_across_parts(tmp_path: Path, parts: int) -> None:
    path = write_sheet(tmp_path / "twice.csv", [
        row(id="x"), row(id="y"), row(id="z"), row(id="x"), row(id="earlier"), row(id="y"),
    ])
    with pytest.raises(LedgerFileError) as caught:
        read_csv(path, sheet_ledger())
    problems = [str(p) for p in caught.value.problems]
    assert problems == [
        f"{line}:1: id: '{oid}': id already in the ledger or on an earlier row"
        for line, oid in ((5, "x"), (6, "earlier"), (7, "y"))]
    assert problems == whole(path)
    same_as_reference(path, sheet_ledger)


def test_keep_valid_across_parts(tmp_path: Path, parts: int) -> None:
    path = write_sheet(tmp_path / "some.csv", [
        row(id="a"), row(id="b", kind="flew to"), row(id="c", after="b"), row(id="d"),
        row(id="e", place="Xyzzyland"), row(id="f", after="d"), row(id="g", when="2024-13-01"),
    ])
    ledger, problems = same_as_reference(path, sheet_ledger, keep_valid=True)
    assert [p.split(":")[0] for p in problems] == ["3", "4", "6", "8"]
    assert problems == whole(path, keep_valid=True)
    assert [o.id for o in ledger.observations][2:] == ["a", "d", "f"]


def test_a_sqlite_ledger_keeps_nothing_of_a_file_wrong_in_a_later_part(
        tmp_path: Path, parts: int) -> None:
    path = write_sheet(tmp_path / "late.csv", [row(id=f"r{n}") for n in range(5)]
                       + [row(id="r5", subjects="Nobody Known", source="")])
    with SqliteLedger.open(tmp_path / "case.db") as ledger:
        ledger.add_person("Sami Nasser", id="sami")
        with pytest.raises(LedgerFileError):
            read_csv(path, ledger)
        assert len(ledger) == 0
        assert [e.id for e in ledger.entities] == ["sami"]
    with SqliteLedger.open(tmp_path / "case.db") as again:
        assert len(again) == 0
        assert [e.id for e in again.entities] == ["sami"]


def test_a_sqlite_ledger_keeps_a_file_read_in_parts(tmp_path: Path, parts: int) -> None:
    path = write_sheet(tmp_path / "fine.csv", [row(id=f"r{n}", subjects="Sami Nasser")
                                               for n in range(5)])
    with SqliteLedger.open(tmp_path / "case.db") as ledger:
        ledger.add_person("Sami Nasser", id="sami")
        assert len(read_csv(path, ledger).added) == 5
    with SqliteLedger.open(tmp_path / "case.db") as again:
        assert [o.id for o in again.observations] == [f"r{n}" for n in range(5)]


def test_corrections_and_retractions_across_parts(tmp_path: Path, parts: int) -> None:
    header = [*COLUMNS, "entry", "target"]
    plain = row(id="a", when="2024-12-01", reported="2024-12-02")
    fixed = row(id="a2", when="2024-12-03", reported="2024-12-05")
    path = write_sheet(tmp_path / "entries.csv", [
        [*plain, "", ""],
        [*row(id="b"), "", ""],
        [*fixed, "correction", "a"],
        ["r1", "", "", "", "", "a wire", "2024-12-06", "", "", "", "", "retraction", "b"],
        [*row(id="c", after="a2"), "", ""],
        ["r2", "", "", "", "", "a wire", "2024-12-06", "", "", "", "", "retraction", "zz"],
    ], header=header)
    with pytest.raises(LedgerFileError) as caught:
        read_csv(path, sheet_ledger())
    problems = [str(p) for p in caught.value.problems]
    assert problems == ["7:13: target: 'zz': no such observation on an earlier row or in the "
                        "ledger"]
    assert problems == whole(path)
    ledger = sheet_ledger()
    report = read_csv(path, ledger, keep_valid=True)
    assert [e.id for e in report.added] == ["a", "b", "a2", "r1", "c"]
    assert ledger.observation("a2").corrects == "a"
    assert ledger.observation("c").after == ("a2",)


def test_narratives_across_parts(tmp_path: Path, parts: int) -> None:
    files = generated(tmp_path, 200, seed=6)
    with files.observations.open(newline="", encoding="utf-8") as file:
        rows = list(stdcsv.reader(file))[1:]
    for ids in (True, False):
        path = write_sheet(tmp_path / f"storied-{ids}.csv", storied(rows, seed=6, ids=ids),
                           header=WITH)
        ours, _ = same_as_reference(path, registered(files), keep_valid=True)
        assert any(o.after for o in ours.observations)


def test_generated_data_in_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = generated(tmp_path, 1500)
    monkeypatch.setattr(csv_module, "STREAM_BYTES", 0)
    monkeypatch.setattr(csv_module, "PART_ROWS", 400)
    same_as_reference(files.observations, registered(files))


def test_a_file_quoted_from_a_later_part_on(tmp_path: Path, parts: int) -> None:
    path = write_sheet(tmp_path / "quoted.csv", [
        row(id="a"), row(id="b"), row(id="c", note="one, two\nthree"), [""] * 11,
        row(id="d", note='say "hi"'), row(id="e"), ["f", "x"],
    ])
    ledger, problems = same_as_reference(path, sheet_ledger, keep_valid=True)
    assert problems == ["9:3: 2 fields, but the header has 11 columns"]
    assert problems == whole(path, keep_valid=True)
    assert ledger.observation("c").note == "one, two\nthree"


def test_text_that_is_not_text_in_a_later_part(tmp_path: Path, parts: int) -> None:
    path = write_sheet(tmp_path / "bytes.csv", [row(id=f"r{n}") for n in range(6)])
    data = path.read_bytes()
    for bad, message in ((b"\xff", "not UTF-8 text (byte 0xff)"),
                         (b"\x00", "binary data (a NUL byte)")):
        spoilt = tmp_path / "spoilt.csv"
        spoilt.write_bytes(data.replace(b"r5", b"r" + bad))
        ledger = sheet_ledger()
        with pytest.raises(LedgerFileError) as caught:
            read_csv(spoilt, ledger)
        assert [str(p) for p in caught.value.problems] == whole(spoilt)
        assert message in str(caught.value)
        assert ledger == sheet_ledger()


def test_crlf_and_a_semicolon_file_in_parts(tmp_path: Path, parts: int) -> None:
    rows = [row(id=f"r{n}", note="'=1+1" if n == 2 else "") for n in range(5)]
    path = write_sheet(tmp_path / "plain.csv", rows)
    text = path.read_text(encoding="utf-8")
    for name, changed in (("crlf.csv", text.replace("\n", "\r\n")),
                          ("semi.csv", text.replace(",", ";")),
                          ("bom.csv", "\ufeff" + text)):
        other = tmp_path / name
        other.write_bytes(changed.encode("utf-8"))
        ledger = read_csv(other, sheet_ledger()).ledger
        assert ledger == whole_ledger(other)
        assert ledger.observation("r2").note == "=1+1"  # the quote that kept a formula out


def test_import_chunks_of_no_parts_imports_nothing() -> None:
    numbers = {c: n for n, c in enumerate(("id", "subjects", "kind", "place", "when", "source",
                                           "reported", "reliability", "credibility", "note",
                                           "after"), start=1)}
    report = import_chunks("none", "csv", Ledger(), iter(()), numbers=numbers,
                           keep_valid=False)
    assert report.ok
    assert (len(report.added), report.read) == (0, 0)
    two = [Chunk(dict.fromkeys(numbers, ()), (), (), 0)] * 2
    assert len(import_chunks("none", "csv", Ledger(), two, numbers=numbers,
                             keep_valid=False).added) == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=sheets(), keep_valid=st.booleans(), empty=st.booleans())
def test_any_sheet_in_parts_gives_what_row_by_row_gives(
        tmp_path: Path, parts: int, rows: list[list[str]], keep_valid: bool,
        empty: bool) -> None:
    path = write_sheet(tmp_path / "random.csv", rows)
    same_as_reference(path, (lambda: Ledger(gazetteer=Places())) if empty else sheet_ledger,
                      keep_valid=keep_valid)


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(sheet=storied_sheets(), keep_valid=st.booleans())
def test_any_storied_sheet_in_parts_gives_what_row_by_row_gives(
        tmp_path: Path, parts: int, sheet: tuple[list[str], list[list[str]]],
        keep_valid: bool) -> None:
    header, rows = sheet
    path = write_sheet(tmp_path / "random.csv", rows, header=header)
    same_as_reference(path, sheet_ledger, keep_valid=keep_valid)


def test_people_created_on_refused_rows_count_in_later_parts(tmp_path: Path,
                                                             parts: int) -> None:
    """A refused row still creates its new people for the rows after it, as row by row:
    their ids are taken and their names found, in the next part too."""
    path = write_sheet(tmp_path / "ghosts.csv", [
        row(id="", subjects="amal", place=""),  # refused (no place); creates "amal"
        row(id="", subjects="Nour Khalil", place=""),  # refused too; creates nour-khalil
        row(id="x1"), row(id="x2"),
        row(id="amal"),  # taken by the person created above
        row(id="x3", subjects="Nour"),  # fits Nour Khalil, created above
    ])
    problems = whole(path, lambda: Ledger(gazetteer=Places()), keep_valid=True)
    assert "6:1: id: 'amal': id already in the ledger or on an earlier row" in problems
    ledger, found = same_as_reference(path, lambda: Ledger(gazetteer=Places()),
                                      keep_valid=True)
    assert found == problems
    assert ledger.observation("x3").subjects == ("nour-khalil",)


def test_a_person_made_on_a_refused_row_makes_a_later_part_s_name_ambiguous(
        tmp_path: Path, parts: int) -> None:
    """A name that already fits two people fits three once a refused row of an earlier
    part made a third: found again in the later part, as row by row (hypothesis found it)."""
    header = [*COLUMNS, "throughout"]
    rows = [[*row(id="", subjects="Amal Haddad"), ""],
            [*row(id="", subjects="Amal Khalil", when=""), "true"],
            [*row(id="", subjects="Amal"), ""]]
    path = write_sheet(tmp_path / "ghost-name.csv", rows, header=header)
    _, found = same_as_reference(path, sheet_ledger, keep_valid=True)
    assert any("'Amal': fits 3 entities" in problem for problem in found)


def test_a_file_in_parts_works_out_everyones_standing_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parts count as one bulk load: the standing is worked out at its end, not after
    every part, and everyone() then answers as for the file read whole."""
    rows = [row(id=f"r{n}", when=f"2024-12-{n + 1:02d}") for n in range(7)]
    path = write_sheet(tmp_path / "many.csv", rows)
    whole_ledger = read_csv(path, sheet_ledger()).ledger
    monkeypatch.setattr(csv_module, "STREAM_BYTES", 0)
    monkeypatch.setattr(csv_module, "PART_ROWS", 2)
    worked_out: list[int] = []
    real = Ledger._work_out

    def counting(self: Ledger, *args: object) -> object:
        worked_out.append(len(self))
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Ledger, "_work_out", counting)
    ledger = sheet_ledger()
    read_csv(path, ledger)
    assert worked_out == [len(ledger)]  # once, with every row in
    roll = ledger.everyone()
    assert worked_out == [len(ledger)]  # kept
    expected = whole_ledger.everyone()
    assert (roll.statuses, roll.places) == (expected.statuses, expected.places)


def test_each_part_is_freed_once_appended(tmp_path: Path, line_parts: int,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The load pauses the cyclic collector, so a part's planning (which holds its cells)
    must be freed by reference counting alone: no pass of the planner outlives its
    part. Were a pass and its replay left pointing at each other, every part's cells
    would stay alive until the whole file was read."""
    import gc
    import weakref

    from whereabouts.io import _plan

    passes: list[weakref.ref[object]] = []
    real = _plan.Pass.__init__

    def noted(self: _plan.Pass, *args: object) -> None:
        real(self, *args)  # type: ignore[arg-type]
        passes.append(weakref.ref(self))

    monkeypatch.setattr(_plan.Pass, "__init__", noted)
    rows = [row(id=f"r{n}") for n in range(7)]
    rows[4] = row(id="r4", after="r1")  # a tie to an earlier part: replayed
    path = write_sheet(tmp_path / "parts.csv", rows)
    enabled = gc.isenabled()
    gc.disable()
    try:
        assert len(read_csv(path, sheet_ledger()).added) == 7
        assert len(passes) >= 7 // line_parts
        assert [ref for ref in passes if ref() is not None] == []
    finally:
        if enabled:
            gc.enable()


class _CountedEntities(dict):  # type: ignore[type-arg]
    """A ledger's entities that count how often they, or their keys, are walked."""

    walks = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        _CountedEntities.walks += 1
        return super().__iter__()

    def keys(self):  # type: ignore[no-untyped-def]
        return KeysView(self)  # walks the entities through __iter__


def test_a_part_looks_its_ids_up_without_walking_every_entity(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each part's ids are checked against the ledger's entities by looking the ids up,
    never by walking the entities (``ids.isdisjoint(entities)`` walks its argument):
    a walk at every part made a load of 3 million claims about 500,000 people 11 %
    slower, and grows with both."""
    monkeypatch.setattr(csv_module, "STREAM_BYTES", 0)
    monkeypatch.setattr(csv_module, "PART_ROWS", 2)
    ledger = sheet_ledger()
    for n in range(40):
        ledger.add_person(f"Person {n}", id=f"person-{n}")
    monkeypatch.setattr(ledger, "_entities", _CountedEntities(ledger._entities))
    monkeypatch.setattr(_CountedEntities, "walks", 0)
    path = write_sheet(tmp_path / "parts.csv", [row(id=f"r{n}") for n in range(12)])
    assert len(read_csv(path, ledger).added) == 12
    assert _CountedEntities.walks == 0


def test_searches_in_a_load_never_convert_the_array_searched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """numpy converts the array it searches to the type of what it looks for, at every
    call: int64 rows looked for among the int32 rows given an id copied 40 MB at each
    part of a 10^7 load. Ids that look like defaults (``o7``) are looked for so."""
    import numpy as np

    real = np.searchsorted
    converted: list[tuple[str, str]] = []

    def watched(a: object, v: object, *args: object, **kwargs: object) -> object:
        if isinstance(a, np.ndarray) and isinstance(v, np.ndarray) and (
                np.result_type(a, v) != a.dtype):
            converted.append((str(a.dtype), str(v.dtype)))
        return real(a, v, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(np, "searchsorted", watched)
    monkeypatch.setattr(csv_module, "STREAM_BYTES", 0)
    monkeypatch.setattr(csv_module, "PART_ROWS", 2)
    numbers = [9, 13, 4, 15, 7, 5, 11, 14, 8, 6, 10, 12]
    path = write_sheet(tmp_path / "parts.csv", [row(id=f"o{n}") for n in numbers])
    ledger = sheet_ledger()
    assert len(read_csv(path, ledger).added) == len(numbers)
    assert ledger.everyone()
    assert ledger.last_known("amal") is not None
    assert converted == []
