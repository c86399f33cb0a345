"""A large CSV file read by Arrow a block at a time (``whereabouts.io._arrow_csv``).

Every outcome is the general reader's: the ledger of reading the file whole, the
same problems with the same lines and columns. What differs is only which blocks
go straight into a batch; each way a block is left to the general reader (not
plain, a cell refused, a batch the ledger refuses, a quote from there on) is
tried here, and a test counts that the plain blocks did go by Arrow.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_io_bulk import (
    generated,
    registered,
    row,
    same_as_reference,
    sheet_ledger,
    write_sheet,
)
from whereabouts import Ledger
from whereabouts.io import COLUMNS, LedgerFileError, _arrow_csv, _columns, read_csv
from whereabouts.io import csv as csv_module

pytest.importorskip("pyarrow")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Each Arrow block offered to the ledger: True if appended, False if refused. Files
    count as large; blocks are about 200 bytes (a few rows)."""
    monkeypatch.setattr(csv_module, "STREAM_BYTES", 0)
    monkeypatch.setattr(csv_module, "ARROW", True)
    monkeypatch.setattr(csv_module, "PART_ROWS", 3)
    monkeypatch.setattr(_arrow_csv, "BLOCK_BYTES", 200)
    offered: list[bool] = []
    real = _columns._extended

    def noted(ledger: Ledger, ready: _columns.Ready) -> object:
        appended = real(ledger, ready)
        offered.append(appended is not None)
        return appended

    monkeypatch.setattr(_columns, "_extended", noted)
    return offered


def whole(path: Path, make: Callable[[], Ledger], *, keep_valid: bool = False,
          ) -> tuple[Ledger, list[str]]:
    """The ledger and the problems of reading ``path`` whole (a small file's way)."""
    saved = csv_module.STREAM_BYTES
    csv_module.STREAM_BYTES = 2**62
    try:
        return blocks(path, make, keep_valid=keep_valid)
    finally:
        csv_module.STREAM_BYTES = saved


def blocks(path: Path, make: Callable[[], Ledger], *, keep_valid: bool = False,
           ) -> tuple[Ledger, list[str]]:
    """The ledger and the problems of reading ``path`` (counted as large: in blocks)."""
    ledger = make()
    try:
        report = read_csv(path, ledger, keep_valid=keep_valid)
    except LedgerFileError as err:
        return ledger, [str(p) for p in err.problems]
    return ledger, [str(p) for p in report.problems]


def plain_rows(count: int) -> list[list[str]]:
    return [row(id=f"r{n}", subjects="Amal Haddad" if n % 2 else "sami",
                when=f"2024-12-{1 + n % 6:02d}T0{n % 10}:15:00Z") for n in range(count)]


def write(path: Path, rows: list[list[str]], *, header: str = ",".join(COLUMNS),
          newline: str = "\n") -> Path:
    path.write_bytes((header + newline + "".join(
        ",".join(cells) + newline for cells in rows)).encode("utf-8"))
    return path


def test_generated_data_goes_by_arrow_and_gives_the_row_by_row_ledger(
        tmp_path: Path, counted: list[bool], monkeypatch: pytest.MonkeyPatch) -> None:
    files = generated(tmp_path, 1500)
    monkeypatch.setattr(_arrow_csv, "BLOCK_BYTES", 4096)
    ours, problems = same_as_reference(files.observations, registered(files))
    assert problems == []
    assert len(ours) == 1500
    assert len(counted) > 10
    assert all(counted)


def test_plain_blocks_skip_the_planner(tmp_path: Path, counted: list[bool],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from whereabouts.io import _plan

    planned: list[int] = []
    real = _plan.plan

    def noted(*args: object, **kwargs: object) -> object:
        planned.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_plan, "plan", noted)
    monkeypatch.setattr(_columns, "plan", noted)
    path = write(tmp_path / "plain.csv", plain_rows(40))
    ledger, problems = blocks(path, sheet_ledger)
    assert problems == []
    assert planned == []
    assert len(counted) > 5
    assert all(counted)
    assert ledger == whole(path, sheet_ledger)[0]
    assert [o.id for o in ledger.observations][-2:] == ["r38", "r39"]


def test_without_pyarrow_the_general_reader_reads(tmp_path: Path, counted: list[bool],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_arrow_csv, "available", lambda: False)
    path = write(tmp_path / "plain.csv", plain_rows(20))
    ledger, problems = blocks(path, sheet_ledger)
    assert (problems, counted) == ([], [])
    assert ledger == whole(path, sheet_ledger)[0]


def test_a_sheet_with_an_optional_column_goes_by_the_general_reader(
        tmp_path: Path, counted: list[bool]) -> None:
    rows = [[*cells, ""] for cells in plain_rows(20)]
    path = write(tmp_path / "told.csv", rows, header=",".join((*COLUMNS, "narrative")))
    ledger, problems = blocks(path, sheet_ledger)
    assert (problems, counted) == ([], [])
    assert ledger == whole(path, sheet_ledger)[0]


def _edited(rows: list[list[str]], at: int, **cells: str) -> list[list[str]]:
    rows = [list(cells_) for cells_ in rows]
    rows[at] = row(**{**dict(zip(COLUMNS, rows[at], strict=True)), **cells})
    return rows


# Each way a block is left to the general reader, in a block after plain ones.
CASES: dict[str, Callable[[list[list[str]]], list[list[str]]]] = {
    "a bad kind": lambda rows: _edited(rows, 25, kind="flew to"),
    "a bad date": lambda rows: _edited(rows, 25, when="2024-13-01"),
    "a place not known": lambda rows: _edited(rows, 25, place="Atlantis"),
    "an ambiguous place": lambda rows: _edited(rows, 25, place="Tripoli"),
    "a bad grade": lambda rows: _edited(rows, 25, reliability="Q"),
    "a bad source": lambda rows: _edited(rows, 25, source="a → "),
    "a new person": lambda rows: _edited(rows, 25, subjects="Nour Khalil"),
    "a name fitting several": lambda rows: _edited(rows, 25, subjects="Amal"),
    "a group": lambda rows: _edited(rows, 25, subjects="the crew; Amal Haddad"),
    "no subjects": lambda rows: _edited(rows, 25, subjects=" "),
    "a subject twice": lambda rows: _edited(rows, 25, subjects="sami; sami"),
    "a row without an id": lambda rows: _edited(rows, 25, id=""),
    "an id in the ledger": lambda rows: _edited(rows, 25, id="earlier"),
    "an id of a person": lambda rows: _edited(rows, 25, id="amal"),
    "an id given twice": lambda rows: _edited(rows, 25, id="r3"),
    "a bad id": lambda rows: _edited(rows, 25, id="r 25"),
    "a default id": lambda rows: _edited(rows, 25, id="o26"),
    "after an earlier row": lambda rows: _edited(rows, 25, after="r24; earlier"),
    "after a later row": lambda rows: _edited(rows, 25, after="r30"),
    "after itself": lambda rows: _edited(rows, 25, after="r25"),
    "after a row later in time": lambda rows: _edited(
        _edited(rows, 2, when="2024-12-06"), 25, when="2024-12-02", after="r2"),
    "a kind without its place": lambda rows: _edited(rows, 25, place=""),
    "a date after its report": lambda rows: _edited(rows, 25, when="2024-12-09"),
    "a stay": lambda rows: _edited(rows, 25, when="{2024-12-01..2024-12-05}"),
    "a note with spaces": lambda rows: _edited(rows, 25, note="  seen by a neighbour  "),
    "an escaped formula": lambda rows: _edited(rows, 25, note="'=1+1"),
    "a quote": lambda rows: _edited(rows, 25, note='"said ""hello"""'),
    "a row of another width": lambda rows: [*rows[:25], rows[25][:-1], *rows[26:]],
    "a blank row": lambda rows: [*rows[:25], [""] * len(COLUMNS), *rows[25:]],
}


ACCEPTED = {"a group", "a default id", "after an earlier row", "a stay", "a note with spaces",
            "a row without an id"}
"""Cases whose block goes straight in all the same."""
REFUSED = {"a subject twice", "an id in the ledger", "an id of a person", "an id given twice",
           "a bad id", "after a later row", "after itself", "after a row later in time",
           "a kind without its place", "a date after its report", "the default id of a row"}
"""Cases whose batch the ledger refuses (the others, Arrow's reader leaves)."""


def default_ledger() -> Ledger:
    """The sheet ledger with a row whose id is its default, ``o4``."""
    ledger = sheet_ledger()
    ledger.observe("sami", "seen at", place="Beirut", when="2024-12-03", source="a wire",
                   reported="2024-12-04")
    return ledger


CASES["the default id of a row"] = lambda rows: _edited(rows, 25, id="o4")


def _without_ids(rows: list[list[str]]) -> list[list[str]]:
    return [row(**{**dict(zip(COLUMNS, cells, strict=True)), "id": ""}) for cells in rows]


CASES["no ids at all"] = _without_ids
CASES["no ids, after a row by its o{n}"] = lambda rows: _edited(
    _without_ids(rows), 25, after="o5")  # the file's first row, after the ledger's four
CASES["an o{n} given ahead of the defaults"] = lambda rows: _edited(
    _without_ids(rows), 10, id="o20")  # the row that would have had o20 gets o21
ACCEPTED |= {"no ids at all", "no ids, after a row by its o{n}",
             "an o{n} given ahead of the defaults"}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("keep_valid", [False, True])
def test_a_block_left_to_the_general_reader_gives_its_outcome(
        tmp_path: Path, counted: list[bool], case: str, keep_valid: bool) -> None:
    blocks(write(tmp_path / "plain.csv", plain_rows(40)), default_ledger)
    plain = len(counted)
    counted.clear()
    path = write(tmp_path / "case.csv", CASES[case](plain_rows(40)))
    ours, problems = blocks(path, default_ledger, keep_valid=keep_valid)
    theirs, expected = whole(path, default_ledger, keep_valid=keep_valid)
    if case in ACCEPTED:
        assert all(counted)
    elif case in REFUSED:
        assert counted.count(False) == 1  # offered, refused, then read the general way
    else:
        assert all(counted)  # left to the general reader without being offered
        assert len(counted) < plain
    assert problems == expected
    assert ours == theirs
    assert [o.id for o in ours.observations] == [o.id for o in theirs.observations]
    assert [e.id for e in ours.entities] == [e.id for e in theirs.entities]
    assert counted[:3] == [True] * 3  # the plain blocks before still went by Arrow


def test_a_blank_line_a_cr_line_end_and_text_not_utf8_in_a_later_block(
        tmp_path: Path, counted: list[bool]) -> None:
    rows = _edited(plain_rows(40), 35, kind="flew to")  # a problem after: its line
    lines = [",".join(cells) + "\n" for cells in rows]
    texts = {
        "all cr": "".join(line.replace("\n", "\r") for line in lines),
        "blank": "".join(lines[:25]) + "\n" + "".join(lines[25:]),
        "crlf": "".join(lines[:25]) + "".join(line.replace("\n", "\r\n") for line in lines[25:]),
        "cr": "".join(lines[:25]) + lines[25].replace("\n", "\r") + "".join(lines[26:]),
    }
    header = ",".join(COLUMNS) + "\n"
    for name, text in texts.items():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(((header.replace("\n", "\r") if name == "all cr" else header)
                          + text).encode("utf-8"))
        assert blocks(path, sheet_ledger) == whole(path, sheet_ledger), name
    path = tmp_path / "latin1.csv"
    path.write_bytes((header + "".join(lines[:25])).encode("utf-8")
                     + "".join(lines[25:]).replace("a wire", "a câble").encode("latin-1"))
    ours, problems = blocks(path, sheet_ledger)
    assert problems
    assert problems == whole(path, sheet_ledger)[1]
    assert ours == sheet_ledger()  # put back as it was


def test_the_lane_imports_no_pandas(tmp_path: Path) -> None:
    """pyarrow imports pandas when an array is turned into numpy, built from Python values
    or compared with a Python value: 17 MB held and a third of a second, for nothing."""
    path = write(tmp_path / "plain.csv", plain_rows(40))
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from tests.test_io_bulk import sheet_ledger\n"
        "from whereabouts.io import csv, read_csv, _arrow_csv\n"
        "csv.STREAM_BYTES = 0\n"
        "_arrow_csv.BLOCK_BYTES = 300\n"
        f"report = read_csv({str(path)!r}, sheet_ledger())\n"
        "print(len(report.added), 'pyarrow' in sys.modules, 'pandas' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    assert done.stdout.split() == ["40", "True", "False"]


def test_ids_that_are_their_rows_defaults_are_not_kept(tmp_path: Path,
                                                       counted: list[bool]) -> None:
    """A file of a ledger's own ``o1``, ``o2``... (as written out) keeps no id: each is its
    row's default (11 bytes a row, and 12 in the index, otherwise)."""
    rows = [row(id=f"o{n + 1}", subjects="sami") for n in range(40)]
    rows[30] = row(id="memo", subjects="sami")  # no number: kept in the dict of ids
    ledger, problems = blocks(write(tmp_path / "own.csv", rows), lambda: Ledger(
        gazetteer=sheet_ledger().gazetteer))
    assert problems == []
    assert all(counted)
    assert [o.id for o in ledger.observations][29:32] == ["o30", "memo", "o32"]
    assert len(ledger._store.ids) == 1


def test_names_are_found_again_once_the_general_reader_added_people(
        tmp_path: Path, counted: list[bool]) -> None:
    """A name Arrow's reader found in one block may fit several people once a block read
    the general way has created another: it is looked up again, not taken from before."""
    rows = plain_rows(40)
    rows[2] = row(id="r2", subjects="Haddad")  # Amal Haddad, the only Haddad so far
    rows[20] = row(id="r20", subjects="Nour Haddad")  # a new person: the general reader
    rows[35] = row(id="r35", subjects="Haddad")  # now fits two
    path = write(tmp_path / "names.csv", rows)
    ours, problems = blocks(path, sheet_ledger, keep_valid=True)
    theirs, expected = whole(path, sheet_ledger, keep_valid=True)
    assert problems == expected
    assert any(p.startswith("37:2: subjects: 'Haddad'") for p in problems)
    assert ours == theirs
    assert counted[0]


LANE_CHOICES: dict[str, list[str]] = {
    "id": [*[""] * 12, "a", "o1", "o3", "earlier", "amal", "r0"],  # "": an id of its own
    "subjects": ["Amal Haddad", "amal", "Sami", "sami", "the crew", "Amal Haddad; Sami",
                 "Haddad", "amal", "sami", "Amal", "Nour Khalil", "sami; sami"],
    "kind": ["seen at", "seen at", "seen at", "seen at", "seen at", "died",
             "whereabouts unknown"],
    "place": ["Beirut", "Beirut", "Beirut", "Dubai | Doha", "Moscow", ""],
    "when": ["2024-12-07", "2024-12-07T10:00:00Z", "2024-12", "", "2024-12-09",
             "{2024-12-01..2024-12-05}"],
    "source": ["a wire", "a wire", "witnesses -> a wire"],
    "reported": ["2024-12-10", "2024-12-10", "2024-12-10", "", "2024-12-08"],
    "reliability": ["", "B"],
    "credibility": ["", "2"],
    "note": ["", "", "a note"],
    "after": ["", "", "", "", "", "", "r0", "r1; earlier", "o1", "nowhere", "a"],
}


@st.composite
def lane_sheets(draw: st.DrawFn) -> list[list[str]]:
    """Sheets whose rows are mostly ones Arrow's reader takes (each with an id, naming
    people the ledger holds), with the ties and faults that send a block elsewhere."""
    rows = draw(st.lists(st.fixed_dictionaries(
        {c: st.sampled_from(LANE_CHOICES[c]) for c in COLUMNS}), min_size=1, max_size=12))
    return [[r[c] or (f"r{n}" if c == "id" else "") for c in COLUMNS]
            for n, r in enumerate(rows)]


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=lane_sheets(), keep_valid=st.booleans())
def test_any_sheet_in_blocks_gives_what_row_by_row_gives(
        tmp_path: Path, counted: list[bool], rows: list[list[str]], keep_valid: bool) -> None:
    path = write_sheet(tmp_path / "random.csv", rows)
    same_as_reference(path, sheet_ledger, keep_valid=keep_valid)


def test_rows_without_ids_get_the_ledger_s_next_ids(tmp_path: Path, counted: list[bool]) -> None:
    rows = _edited(_without_ids(plain_rows(40)), 10, id="o20")
    ledger, problems = blocks(write(tmp_path / "none.csv", rows), default_ledger)
    assert problems == []
    assert all(counted)
    ids = [o.id for o in ledger.observations]
    # The ledger holds three observations and a retraction: the file's first row is o5.
    assert ids[3:7] == ["o5", "o6", "o7", "o8"]
    assert ids[13] == "o20"  # given, ahead of the defaults
    assert ids[17:20] == ["o19", "o21", "o22"]  # the row that would have had o20 moved on


def test_a_block_left_to_the_general_reader_is_read_in_its_parts(
        tmp_path: Path, counted: list[bool], monkeypatch: pytest.MonkeyPatch) -> None:
    """A refused block's rows are read again in parts of ``PART_ROWS`` lines, as any: all
    of a block's 400,000 rows at once held 640 MB after a load of 10^6 claims with a new
    name in each block, against 163 MB. Here the whole file is one block."""
    monkeypatch.setattr(_arrow_csv, "BLOCK_BYTES", 10**6)
    sizes: list[int] = []
    real = _columns.Prepared

    def noted(cells: object, lines: list[int], numbers: object) -> object:
        sizes.append(len(lines))
        return real(cells, lines, numbers)  # type: ignore[arg-type]

    monkeypatch.setattr(_columns, "Prepared", noted)
    for name, rows in (("refused by the ledger", _edited(plain_rows(40), 30, place="")),
                       ("left by Arrow's reader", _edited(plain_rows(40), 30,
                                                          subjects="Nour Khalil"))):
        path = write(tmp_path / "one.csv", rows)
        expected = whole(path, sheet_ledger, keep_valid=True)
        sizes.clear()
        counted.clear()
        assert blocks(path, sheet_ledger, keep_valid=True) == expected, name
        assert counted == ([False] if name == "refused by the ledger" else []), name
        assert sizes == [3] * 13 + [1], name  # PART_ROWS is 3 here
