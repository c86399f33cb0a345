"""Damaged ledger files: every reader says what is wrong, and never crashes (issue 11).

Each reproducer of the issue is here, with what the reader now says.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from whereabouts.errors import brief
from whereabouts.examples import assad_2024
from whereabouts.io import LedgerFileError, SqliteLedger, check, copy_into, load, read, save
from whereabouts.io._records import RecordError
from whereabouts.io.errors import Problem

HEADER = '{"format": "whereabouts-ledger", "version": 1}\n'
PERSON = '{"type": "person", "id": "amal", "name": "Amal"}\n'


def problems_of(path: Path) -> list[str]:
    """The problems ``load`` lists, without the path; ``read`` and ``check`` agree."""
    with pytest.raises(LedgerFileError) as info:
        load(path)
    assert [str(p) for p in read(path).problems] == [str(p) for p in info.value.problems]
    assert not check(path).ok
    return [str(p) for p in info.value.problems]


def native_file(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "case.jsonl"
    path.write_text(header + "".join(lines), encoding="utf-8")
    return path


# -- native files ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["[]", "{}", '["person"]', "1", "null"])
def test_a_type_that_is_no_text(tmp_path: Path, value: str) -> None:
    # {"type": []} raised TypeError: unhashable type: 'list'
    path = native_file(tmp_path, PERSON, f'{{"type": {value}}}\n')
    [problem] = problems_of(path)
    assert problem.startswith("3: type: ")
    assert problem.endswith("not a record type (known: person, relation, place, registered, "
                            "source, observation, retraction, denial, group)")


def test_a_hundred_thousand_brackets(tmp_path: Path) -> None:
    # raised RecursionError from the JSON decoder
    path = native_file(tmp_path, PERSON, "[" * 100_000 + "\n")
    assert problems_of(path) == ["3: invalid JSON: nested too deeply (a record is an object of "
                                 "texts, numbers and lists)"]


def test_a_header_of_brackets(tmp_path: Path) -> None:
    path = native_file(tmp_path, PERSON, header="[" * 100_000 + "\n")
    [problem] = problems_of(path)
    assert problem.startswith("1: not a whereabouts ledger")


@pytest.mark.parametrize("where", ["id", "name", "version"])
def test_a_number_of_five_thousand_digits(tmp_path: Path, where: str) -> None:
    # raised ValueError: Exceeds the limit (4300 digits) for integer string conversion
    number = "9" * 5000
    if where == "version":
        path = native_file(tmp_path, PERSON, header=f'{{"format": "whereabouts-ledger", '
                                                     f'"version": {number}}}\n')
        [problem] = problems_of(path)
        assert problem.startswith("1: not a whereabouts ledger")
        return
    path = native_file(tmp_path, f'{{"type": "person", "id": "a", "{where}": {number}}}\n')
    assert problems_of(path) == ["2: invalid JSON: a number of over 4300 digits"]


def test_a_number_just_under_the_limit(tmp_path: Path) -> None:
    path = native_file(tmp_path, f'{{"type": "person", "id": "a", "name": {"9" * 4300}}}\n')
    assert problems_of(path) == ["2: name: <an integer of 4300 digits>: expected text, "
                                 "not a number"]


@pytest.mark.parametrize("field", ["type", "id", "name", "aliases", "note", "extra"])
def test_a_deeply_nested_field(tmp_path: Path, field: str) -> None:
    # the message repeated the value with repr(): RecursionError while building it
    deepest = sys.getrecursionlimit()
    for depth in (50, deepest // 2, deepest - 100, deepest - 10, deepest + 10, 100_000):
        value = "[" * depth + "]" * depth
        path = native_file(tmp_path, f'{{"type": "person", "id": "a", "name": "A", '
                                     f'"{field}": {value}}}\n')
        [problem] = problems_of(path)
        assert problem.startswith("2: ")
        assert len(problem) < 300


def test_a_deep_value_in_a_message_is_cut() -> None:
    deep: list[object] = []
    for _ in range(200_000):
        deep = [deep]
    err = RecordError("expected text, not a list", field="name", value=deep)
    assert str(err) == f"name: {'[' * 75}... (cut): expected text, not a list"
    assert str(Problem.of(err, line=7)).startswith("7: name: [[[")
    assert brief({"a": deep})[:6] == "{'a': "


@pytest.mark.parametrize("point", ["[1e999, 0]", "[NaN, 0]", f"[{'1' * 400}, 0]", "[true, 0]",
                                   "[1, 2, 3]", '"1, 2"'])
def test_a_point_out_of_reach(tmp_path: Path, point: str) -> None:
    path = native_file(tmp_path, '{"type": "place", "id": "x", "name": "X", "kind": "city", '
                                 f'"country": "SY", "point": {point}}}\n')
    [problem] = problems_of(path)
    assert problem.startswith("2: point: ")


@pytest.mark.parametrize("grading", ["null", "[]", "2", '"Z9"'])
def test_a_grading_of_the_wrong_type(tmp_path: Path, grading: str) -> None:
    path = native_file(
        tmp_path, PERSON, '{"type": "source", "id": "w", "name": "a wire"}\n',
        '{"type": "observation", "id": "o1", "subjects": ["amal"], "kind": "died", '
        f'"source": "w", "reported": "2024-12-10", "grading": {grading}}}\n')
    [problem] = problems_of(path)
    assert problem.startswith("4: grading: ")


def test_a_lone_surrogate_in_a_file_is_refused(tmp_path: Path) -> None:
    # JSON can spell a lone surrogate; the ledger it made could never be saved
    path = native_file(tmp_path, '{"type": "person", "id": "a", "name": "Amal \\udcff"}\n')
    [problem] = problems_of(path)
    assert problem.startswith("2: name: 'Amal \\udcff': ")
    assert "UTF-8" in problem


def test_a_native_ledger_cut_anywhere(tmp_path: Path) -> None:
    whole = tmp_path / "whole.jsonl"
    save(assad_2024(), whole)
    data = whole.read_bytes()
    path = tmp_path / "cut.jsonl"
    refused = 0
    for cut in range(0, len(data), 37):
        path.write_bytes(data[:cut])
        try:
            load(path)  # a cut at a line's end leaves a shorter ledger
        except LedgerFileError:
            refused += 1
    assert refused > len(data) // 37 // 2


# -- SQLite ledgers -------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "case.db"
    with SqliteLedger.open(path) as store:
        copy_into(assad_2024(), store)
    return path


def sql(path: Path, *statements: str, args: tuple[object, ...] = ()) -> None:
    with sqlite3.connect(path, isolation_level=None) as connection:
        connection.execute("PRAGMA writable_schema = ON")
        for statement in statements:
            connection.execute(statement, args if "?" in statement else ())
    connection.close()


def open_problems(path: Path) -> list[str]:
    with pytest.raises(LedgerFileError) as info:
        SqliteLedger.open(path, create=False)
    assert not check(path).ok
    return str(info.value).splitlines()


UNTYPED_META = ("UPDATE sqlite_master SET sql = 'CREATE TABLE meta (name TEXT PRIMARY KEY, value)' "
                "WHERE name = 'meta'")


def test_a_version_stored_as_an_integer_is_read(db: Path) -> None:
    # meta.version as INTEGER raised AttributeError: 'int' object has no attribute 'isdigit'
    sql(db, UNTYPED_META)
    sql(db, "UPDATE meta SET value = 1 WHERE name = 'version'")
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT typeof(value) FROM meta WHERE name = 'version'"
                                  ).fetchone() == ("integer",)
    connection.close()
    with SqliteLedger.open(db, create=False) as store:
        assert store == assad_2024()


@pytest.mark.parametrize(("value", "says"), [
    (3, "version: 3: written by a newer whereabouts"),
    (1.5, "version: 1.5: not a format version (meta table)"),
    (b"\xff", "version: b'\\xff': not a format version (meta table)"),
    (0, "version: 0: not a format version (meta table)"),
    ("٣", "version: '٣': not a format version (meta table)"),
    ("9" * 5000, f"version: '{'9' * 74}...' (5002 chars): not a format version (meta table)"),
    (None, "version: None: not a format version (meta table)"),
])
def test_a_version_of_another_type(db: Path, value: object, says: str) -> None:
    sql(db, UNTYPED_META)
    sql(db, "UPDATE meta SET value = ? WHERE name = 'version'", args=(value,))
    assert open_problems(db) == [f"{db}: {says}" + (" (this one reads format version 2 and "
                                                    "older); upgrade whereabouts to read it"
                                                    if value == 3 else "")]


def test_a_missing_version(db: Path) -> None:
    sql(db, "DELETE FROM meta WHERE name = 'version'")
    assert open_problems(db) == [f"{db}: version: missing from the meta table"]


def test_a_format_of_another_type(db: Path) -> None:
    sql(db, "UPDATE meta SET value = X'FF' WHERE name = 'format'")
    assert open_problems(db) == [f"{db}: a SQLite database, but not a whereabouts ledger (meta "
                                 "format is b'\\xff', expected 'whereabouts-ledger')"]


UNTYPED_BODY = ("UPDATE sqlite_master SET sql = replace(sql, 'body TEXT NOT NULL', 'body') "
                "WHERE name = 'records'")


@pytest.mark.parametrize(("value", "says"), [
    (None, "body: NULL, expected the record's JSON text"),
    (5, "body: int 5, expected the record's JSON text"),
    (2.5, "body: float 2.5, expected the record's JSON text"),
    (b"\xff\xfe", "body: a BLOB that is not UTF-8 text (byte 0xff), expected the record's "
                  "JSON text"),
    ("[" * 100_000, "invalid JSON: nested too deeply (a record is an object of texts, numbers "
                    "and lists)"),
    ('{"type": []}', "type: []: not a record type (known: person, relation, place, registered, "
                     "source, observation, retraction, denial, group)"),
    ('{"id": ' + "9" * 5000 + "}", "invalid JSON: a number of over 4300 digits"),
])
def test_a_body_of_another_type(db: Path, value: object, says: str) -> None:
    # records.body NULL raised TypeError: the JSON object must be str, bytes or bytearray
    sql(db, UNTYPED_BODY)
    sql(db, "UPDATE records SET body = ? WHERE seq = 84", args=(value,))  # the last record
    assert open_problems(db) == [f"{db}:84: {says}"]


def test_a_body_blob_of_json_is_still_read(db: Path) -> None:
    sql(db, "UPDATE records SET body = CAST(body AS BLOB)")
    with SqliteLedger.open(db, create=False) as store:
        assert store == assad_2024()


def test_a_body_that_is_not_utf8(db: Path) -> None:
    sql(db, "UPDATE records SET body = CAST(X'FF7B7D' AS TEXT) WHERE seq = 84")
    [problem] = open_problems(db)
    assert problem.startswith(f"{db}: Could not decode to UTF-8 column 'body'")


def test_a_sqlite_ledger_cut_anywhere(db: Path, tmp_path: Path) -> None:
    # 14 of 144 truncation points gave a raw TypeError
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = db.read_bytes()
    outcomes = set()
    for n, cut in enumerate(range(0, len(data), 256)):
        path = tmp_path / f"cut-{n}.db"
        path.write_bytes(data[:cut])
        try:
            with SqliteLedger.open(path, create=False):
                outcomes.add("loads")
        except LedgerFileError:
            outcomes.add("refused")
    assert "refused" in outcomes


def _schema_at(data: bytes) -> int:
    return data.index(b"CREATE TABLE records")


@pytest.mark.parametrize("offset", [0, 3, 13, 20, 40, 60])
def test_a_flipped_bit_in_the_schema(db: Path, tmp_path: Path, offset: int) -> None:
    # a flipped bit in the schema raised UnicodeDecodeError (SQLite quoted the bad byte)
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = bytearray(db.read_bytes())
    data[_schema_at(bytes(data)) + offset] ^= 0x80
    path = tmp_path / "flipped.db"
    path.write_bytes(bytes(data))
    [problem] = open_problems(path)
    assert problem.startswith(f"{path}: malformed database schema")


def test_a_flipped_bit_in_the_magic(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[3] ^= 1
    db.write_bytes(bytes(data))
    assert open_problems(db) == [f"{db}: not a SQLite database"]


def test_a_page_that_is_not_a_database(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = bytearray(db.read_bytes())
    data[16:18] = b"\x00\x03"  # a page size that cannot be
    db.write_bytes(bytes(data))
    [problem] = open_problems(db)
    assert problem in (f"{db}: file is not a database", f"{db}: database disk image is malformed")


def test_a_table_named_by_a_blob(db: Path) -> None:
    # found by scripts/fuzz.py (sqlite, seed 0, input 42674: two flipped bits):
    # sorting the table names for the message raised TypeError (str < bytes)
    sql(db, "UPDATE sqlite_master SET name = CAST(name AS BLOB) WHERE name = 'meta'")
    [problem] = open_problems(db)
    assert problem.startswith(f"{db}: ")


def test_a_folder_or_an_unreadable_file(tmp_path: Path) -> None:
    [problem] = open_problems(tmp_path)
    assert problem.startswith(f"{tmp_path}: ")
