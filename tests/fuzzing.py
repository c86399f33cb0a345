"""Mutators and readers for fuzzing ledger files: shared by the suite and scripts/fuzz.py.

A :class:`Target` is one reader with the valid files it starts from and the
mutators that damage a copy of one of them. Each mutator takes a
:class:`random.Random` (Hypothesis's, in the suite; a seeded one, in the script)
and the path of the copy, changes the file in place, and returns a short
description of what it did. The reader then opens the file: it must load, or
raise :class:`~whereabouts.io.LedgerFileError`; anything else is a bug.

More readers (CSV, DataFrames, the CLI's arguments) are added with
:func:`register`; ``scripts/fuzz.py --reader NAME`` and the tests pick them up.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import random
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from whereabouts import Kind, Ledger, Place, Source
from whereabouts.examples import assad_2024
from whereabouts.io import LedgerFileError, SqliteLedger, copy_into, native

Mutator = Callable[[random.Random, Path], str]
"""Change the file at the path in place; say what was done."""
Reader = Callable[[Path], object]
"""Read the file; raise only the library's error."""


@dataclass(frozen=True)
class Target:
    """A reader to fuzz: the valid files it starts from and the ways to damage them."""

    name: str
    suffix: str
    seeds: Callable[[], Sequence[Path]]
    """Valid files (built once, then only copied)."""
    mutators: dict[str, Mutator]
    read: Reader
    expected: tuple[type[BaseException], ...] = (LedgerFileError,)
    """What the reader may raise; anything else counts as a crash."""
    sidecars: tuple[str, ...] = field(default=())
    """Suffixes of files the reader leaves next to the input (``-wal``), removed after."""


TARGETS: dict[str, Target] = {}


def register(target: Target) -> Target:
    """Add a reader to fuzz (``scripts/fuzz.py --reader NAME`` lists them)."""
    TARGETS[target.name] = target
    return target


def mutate(target: Target, rng: random.Random, path: Path, *, rounds: int = 0) -> list[str]:
    """Apply 1-3 (or ``rounds``) of ``target``'s mutators to the file at ``path``."""
    names = sorted(target.mutators)
    done = []
    for _ in range(rounds or rng.choice((1, 1, 1, 2, 3))):
        name = rng.choice(names)
        done.append(f"{name}: {target.mutators[name](rng, path)}")
    return done


def prepare(target: Target, rng: random.Random, folder: Path, name: str = "input") -> Path:
    """A copy of one of ``target``'s seed files in ``folder``, to damage.

    Give each input its own ``name``: SQLite keeps what it knows of a file by
    its inode, and a new file copied over one it has seen may read as damaged.
    """
    seed = rng.choice(list(target.seeds()))
    path = folder / f"{name}{target.suffix}"
    discard(target, path)
    shutil.copyfile(seed, path)
    return path


def discard(target: Target, path: Path) -> None:
    """Remove an input and what the reader left beside it."""
    for suffix in ("", *target.sidecars):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# -- seed ledgers -------------------------------------------------------------------------


def rich_ledger() -> Ledger:
    """A small ledger using every record type and every version 2 field."""
    ledger = Ledger()
    amal = ledger.add_person("Amal Haddad", id="amal", aliases=("Amal H.",),
                             description="a journalist", note="née Khalil")
    family = ledger.add_group("the Haddad family", id="haddads", members=[amal])
    ledger.relate(amal, "related to", family, label="spokeswoman of", note="since 2020")
    tehran = Place.city("Tehran", country="IR", point=(35.69, 51.39))
    evin = Place.facility("Evin prison", parent=tehran)
    ledger.register_place(evin, aliases=["Evin"])
    lawyer = Source("her lawyer", via=Source("a court clerk"), published="2025-03-10")
    held = ledger.observe(amal, Kind.DETAINED, place=evin, when="2024-11-19/2025-03-06",
                          throughout=True, source=lawyer, reported="2025-03-10", grading="B2")
    seen = ledger.observe([amal, family], Kind.SEEN_AT,
                          place=[Place.from_country("LB"), Place.from_country("SY")],
                          when="2025-03-12", source=Source("a neighbour"), note="at a café",
                          after=[held])
    ledger.deny(seen, source="her family", reported="2025-03-20", reason="still in Tehran")
    turned = ledger.observe(amal, "turned back on the way to", place=Place.from_country("TR"),
                            when="2025-04", source="a wire", reported="2025-04-30")
    ledger.correct(turned, source="a wire", reported="2025-05-02", when="2025-04-02")
    later = ledger.observe(amal, Kind.REPORTED_AT, place=Place.region("the Gulf", ["AE", "QA"]),
                           when="2025-06", source="rumour", reported="2025-06-30", grading="E5")
    ledger.retract(later, source="rumour", reported="2025-07-01", reason="mistaken identity")
    return ledger


@cache
def _seed_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="whereabouts-fuzz-seeds-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@cache
def native_seeds() -> tuple[Path, ...]:
    """The example case and a ledger of every record type, as native files."""
    out = []
    for name, ledger in (("assad", assad_2024()), ("rich", rich_ledger())):
        path = _seed_folder() / f"{name}.jsonl"
        native.save(ledger, path)
        out.append(path)
    return tuple(out)


@cache
def sqlite_seeds() -> tuple[Path, ...]:
    """The same ledgers as SQLite files, checkpointed: each one file, no -wal beside it."""
    out = []
    for name, ledger in (("assad", assad_2024()), ("rich", rich_ledger())):
        path = _seed_folder() / f"{name}.db"
        with SqliteLedger.open(path) as store:
            copy_into(ledger, store)
        with contextlib.closing(sqlite3.connect(path)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        out.append(path)
    return tuple(out)


# -- hostile values -----------------------------------------------------------------------

_NUMBERS = ("0", "-1", "1.5", "1e999", "-1e999", "1e-999", "2", "3", "99", "-0.0",
            "1" + "0" * 400, "9" * 4300, "9" * 4301, "9" * 5000, "1" + "0" * 400 + ".5",
            "123456789012345678901234567890e300")
_TEXTS = ("", " ", "\\u0000", "\\udcff", "\\ud800", "amal\\udcffx", "\\ud83d\\ude00", "\\uffff",
          "\\u202e", "\\u200b", "e\\u0301" * 50, "ﷺ" * 20, "İ", "ß", "\\n", "a\\r\\nb",
          "o1", "amal", "LB", "a-wire", "2024-13-01", "2024-12-09", "F6", "Z9", "seen at",
          "person", "x" * 300, "x" * 200_000, "a in " * 60 + "a", "../../etc/passwd",
          "=HYPERLINK(\\\"x\\\")", "\\\\", "\\\"")


def hostile(rng: random.Random) -> str:
    """The JSON text of a value no record should hold (or an odd one it may)."""
    pick = rng.randrange(9)
    if pick == 0:
        return rng.choice(("null", "true", "false", "[]", "{}", "[1]", '{"a": 1}', '[null]',
                           '["o1", 2]', '[[]]', '["LB", "LB"]', "[1, 2, 3]", "[90, 180]",
                           "[91, 0]", "[true, false]"))
    if pick == 1:
        return rng.choice(_NUMBERS)
    if pick == 2:
        depth = rng.choice((10, 100, 500, 900, 990, 1000, 1100, 5000, 100_000))
        if rng.random() < 0.5:
            return "[" * depth + "]" * depth
        return '{"a": ' * depth + "1" + "}" * depth
    if pick == 3:
        text = "".join(chr(rng.randrange(0x110000)) for _ in range(rng.randrange(1, 20)))
        return json.dumps(text, ensure_ascii=rng.random() < 0.5)
    if pick == 4:
        return "[" + ", ".join(f'"{rng.choice(_TEXTS)}"' for _ in range(rng.randrange(4))) + "]"
    if pick == 5:  # a long list
        return "[" + ", ".join(['"o1"'] * rng.choice((2, 100, 10_000))) + "]"
    return f'"{rng.choice(_TEXTS)}"'


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")


def _records(lines: list[bytes]) -> list[int]:
    """Indexes of the lines that hold a JSON object."""
    return [i for i, line in enumerate(lines) if line.startswith(b"{")]


def _replace_field(rng: random.Random, line: bytes) -> tuple[bytes, str]:
    """The line with one field (maybe a new one) set to a hostile value."""
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):  # an earlier mutation's work
        return line, "not JSON, left"
    if not isinstance(record, dict):
        return line, "not an object, left"
    keys = [*record, "type", "id", "extra", "place", "source", "reported", "version"]
    key = rng.choice(keys)
    marker = "\x00HOSTILE\x00"
    record[key] = marker
    value = hostile(rng)
    text = json.dumps(record, ensure_ascii=False).replace(json.dumps(marker), value)
    return text.encode("utf-8", "surrogatepass"), f"{key} = {value[:40]!r}"


# -- mutators of any file -----------------------------------------------------------------


def flip_bits(rng: random.Random, path: Path) -> str:
    data = bytearray(path.read_bytes())
    if not data:
        return "empty"
    count = rng.choice((1, 1, 2, 3, 8, 32))
    head = rng.random() < 0.5  # often in the header and schema, where one bit matters most
    spots = []
    for _ in range(count):
        spot = rng.randrange(min(len(data), 4096) if head else len(data))
        data[spot] ^= 1 << rng.randrange(8)
        spots.append(spot)
    path.write_bytes(bytes(data))
    return f"{count} bits at {spots[:4]}"


def truncate(rng: random.Random, path: Path) -> str:
    data = path.read_bytes()
    cut = rng.randrange(len(data) + 1)
    path.write_bytes(data[:cut])
    return f"cut at {cut} of {len(data)}"


def splice_bytes(rng: random.Random, path: Path) -> str:
    data = path.read_bytes()
    spot = rng.randrange(len(data) + 1)
    junk = rng.choice((b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xed\xb3\xbf", b"\r", b"\n",
                       b"\xc3", b"{", b"}", b'"', b"\\", b"\\u", b"[" * 2000,
                       bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))))
    if rng.random() < 0.3:
        path.write_bytes(data[:spot] + data[spot + len(junk):])  # a deletion
        return f"deleted {len(junk)} bytes at {spot}"
    path.write_bytes(data[:spot] + junk + data[spot:])
    return f"inserted {junk[:16]!r} at {spot}"


# -- mutators of native files -------------------------------------------------------------


def insert_line(rng: random.Random, path: Path) -> str:
    lines = _lines(path)
    spot = rng.randrange(len(lines) + 1)
    pick = rng.randrange(4)
    if pick == 0:
        new = rng.choice(lines)  # a duplicate
    elif pick == 1:
        new = hostile(rng).encode("utf-8", "surrogatepass")
    elif pick == 2:
        new, _ = _replace_field(rng, rng.choice(lines))
    else:
        new = rng.choice((b"", b" ", b"{}", b"[]", b"null", b"{", b'{"type": "person"}',
                          b'{"format": "whereabouts-ledger", "version": 2}'))
    lines.insert(spot, new)
    path.write_bytes(b"\n".join(lines))
    return f"line {spot + 1}: {new[:40]!r}"


def delete_lines(rng: random.Random, path: Path) -> str:
    lines = _lines(path)
    start = rng.randrange(len(lines))
    count = rng.choice((1, 1, 2, 5))
    del lines[start:start + count]
    path.write_bytes(b"\n".join(lines))
    return f"{count} from line {start + 1}"


def swap_lines(rng: random.Random, path: Path) -> str:
    lines = _lines(path)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    path.write_bytes(b"\n".join(lines))
    return f"lines {a + 1} and {b + 1}"


def mutate_field(rng: random.Random, path: Path) -> str:
    lines = _lines(path)
    records = _records(lines)
    if not records:
        return "no record"
    spot = rng.choice(records)
    lines[spot], what = _replace_field(rng, lines[spot])
    path.write_bytes(b"\n".join(lines))
    return f"line {spot + 1}: {what}"


def drop_field(rng: random.Random, path: Path) -> str:
    lines = _lines(path)
    records = _records(lines)
    if not records:
        return "no record"
    spot = rng.choice(records)
    try:
        record = json.loads(lines[spot])
    except (ValueError, RecursionError):  # an earlier mutation's work
        return "not JSON"
    if not isinstance(record, dict) or not record:
        return "empty"
    key = rng.choice(sorted(record))
    del record[key]
    lines[spot] = json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass")
    path.write_bytes(b"\n".join(lines))
    return f"line {spot + 1}: without {key}"


def swap_values(rng: random.Random, path: Path) -> str:
    """Give one record's field the value of another's (a reference to the wrong thing)."""
    lines = _lines(path)
    records = _records(lines)
    if len(records) < 2:
        return "too few records"
    try:
        a, b = (json.loads(lines[rng.choice(records)]) for _ in range(2))
    except (ValueError, RecursionError):  # an earlier mutation's work
        return "not JSON"
    if not (isinstance(a, dict) and isinstance(b, dict) and a and b):
        return "not objects"
    key = rng.choice(sorted(a))
    a[key] = b[rng.choice(sorted(b))]
    spot = rng.choice(records)
    lines[spot] = json.dumps(a, ensure_ascii=False).encode("utf-8", "surrogatepass")
    path.write_bytes(b"\n".join(lines))
    return f"line {spot + 1}: {key} = {a[key]!r:.40}"


NATIVE = register(Target(
    name="native", suffix=".jsonl", seeds=native_seeds,
    mutators={"flip_bits": flip_bits, "truncate": truncate, "splice_bytes": splice_bytes,
              "insert_line": insert_line, "delete_lines": delete_lines,
              "swap_lines": swap_lines, "mutate_field": mutate_field, "drop_field": drop_field,
              "swap_values": swap_values},
    read=lambda path: native.load(path),
))


# -- mutators of SQLite ledgers -----------------------------------------------------------


def _sql(path: Path, *statements: tuple[str, tuple[object, ...]]) -> str:
    try:
        db = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as err:
        return f"refused: {err}"
    try:
        db.execute("PRAGMA writable_schema = ON")
        for sql, args in statements:
            db.execute(sql, args)
        return "; ".join(sql[:60] for sql, _ in statements)
    except (sqlite3.Error, ValueError) as err:  # the damage could not be done: the file is as was
        return f"refused: {err}"
    finally:
        db.close()


def _sql_value(rng: random.Random) -> object:
    pick = rng.randrange(8)
    if pick == 0:
        return None
    if pick == 1:
        return rng.choice((0, 1, 2, 3, -1, 2**63 - 1, -(2**63)))
    if pick == 2:
        return rng.choice((1.0, 2.5, float("inf"), float("-inf"), float("nan")))
    if pick == 3:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40)))
    if pick == 4:
        return rng.choice((b"1", b"2", b'{"type": "person", "id": "x", "name": "X"}', b"\xff"))
    if pick == 5:
        return hostile(rng).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return rng.choice(("", "1", "2", "٣", "²", "1.0", " 1", "whereabouts-ledger", "{}", "[]",
                       "null", '{"type": "person"}', "9" * 5000))


def _query(path: Path, sql: str, *args: object) -> list[tuple[object, ...]] | None:
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            return db.execute(sql, args).fetchall()
    except (sqlite3.Error, ValueError):
        return None


def _rows(path: Path) -> list[int]:
    rows = _query(path, "SELECT seq FROM records")
    return [int(row[0]) for row in rows or () if isinstance(row[0], int)]


def sql_body(rng: random.Random, path: Path) -> str:
    """A record's body (or type, id) replaced by a value of any SQLite type."""
    seqs = _rows(path)
    if not seqs:
        return "no rows"
    seq = rng.choice(seqs)
    column = rng.choice(("body", "body", "body", "type", "id"))
    if column == "body" and rng.random() < 0.5:  # a JSON-aware change of the body
        rows = _query(path, "SELECT body FROM records WHERE seq = ?", seq)
        if not rows:
            return "unreadable"
        new, what = _replace_field(rng, str(rows[0][0]).encode("utf-8", "surrogatepass"))
        value: object = new.decode("utf-8", "replace")
    else:
        value = _sql_value(rng)
        what = f"{value!r:.40}"
    if column == "body" and value is None:  # NOT NULL: as a damaged or edited file may lack
        _sql(path, ("UPDATE sqlite_master SET sql = replace(sql, 'body TEXT NOT NULL', "
                    "'body TEXT') WHERE name = 'records'", ()))
    return _sql(path, (f"UPDATE records SET {column} = ? WHERE seq = ?", (value, seq))
                ) + f" ({what})"


def sql_meta(rng: random.Random, path: Path) -> str:
    """``meta`` rows of the wrong type, missing, or extra; maybe its column untyped first."""
    name = rng.choice(("version", "version", "format", "other"))
    value = _sql_value(rng)
    untype = ("UPDATE sqlite_master SET sql = 'CREATE TABLE meta (name TEXT PRIMARY KEY, value)' "
              "WHERE name = 'meta'", ())
    steps: list[tuple[str, tuple[object, ...]]] = [untype] if rng.random() < 0.7 else []
    pick = rng.randrange(4)
    if pick == 0:
        steps.append(("DELETE FROM meta WHERE name = ?", (name,)))
    else:
        steps.append(("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value)))
    done = _sql(path, *steps[:1])
    if len(steps) > 1:
        done += "; " + _sql(path, *steps[1:])
    return f"{done} ({name} = {value!r:.40})"


def sql_schema(rng: random.Random, path: Path) -> str:
    """Tables dropped, renamed or rebuilt with other columns; rows deleted or moved."""
    choices: list[tuple[str, tuple[object, ...]]] = [
        ("DROP TABLE records", ()),
        ("DROP TABLE meta", ()),
        ("ALTER TABLE records RENAME TO old_records", ()),
        ("ALTER TABLE records RENAME COLUMN body TO content", ()),
        ("ALTER TABLE meta RENAME COLUMN value TO val", ()),
        ("ALTER TABLE records ADD COLUMN extra BLOB", ()),
        ("CREATE TABLE extra (x)", ()),
        ("DELETE FROM records WHERE seq % 3 = 0", ()),
        ("DELETE FROM records", ()),
        ("DELETE FROM meta", ()),
        ("UPDATE records SET seq = seq + 1000 WHERE seq % 4 = 1", ()),
        ("UPDATE records SET seq = -seq WHERE seq % 5 = 2", ()),
        ("INSERT INTO records (type, id, body) SELECT type, id, body FROM records", ()),
        ("UPDATE sqlite_master SET sql = replace(sql, 'TEXT', 'BLOB') WHERE name = 'records'",
         ()),
        ("UPDATE sqlite_master SET sql = 'CREATE TABLE records (seq INTEGER PRIMARY KEY, body)' "
         "WHERE name = 'records'", ()),
        ("UPDATE sqlite_master SET name = 'x' WHERE name = 'meta'", ()),
        ("CREATE VIEW v AS SELECT * FROM records", ()),
        ("PRAGMA user_version = 7", ()),
    ]
    step = rng.choice(choices)
    return _sql(path, step)


def sql_text_encoding(rng: random.Random, path: Path) -> str:
    """A text cell written as bytes that are not UTF-8 (SQLite stores what it is given)."""
    seqs = _rows(path)
    if not seqs:
        return "no rows"
    seq = rng.choice(seqs)
    column = rng.choice(("body", "type", "id"))
    return _sql(path, (f"UPDATE records SET {column} = CAST(? AS TEXT) WHERE seq = ?",
                       (bytes([rng.randrange(128, 256)]) + b'{"type"', seq)))


def _read_sqlite(path: Path) -> object:
    with SqliteLedger.open(path, create=False) as ledger:
        return len(ledger)


SQLITE = register(Target(
    name="sqlite", suffix=".db", seeds=sqlite_seeds,
    mutators={"flip_bits": flip_bits, "truncate": truncate, "splice_bytes": splice_bytes,
              "sql_body": sql_body, "sql_meta": sql_meta, "sql_schema": sql_schema,
              "sql_text_encoding": sql_text_encoding},
    read=_read_sqlite, sidecars=("-wal", "-shm", "-journal"),
))


# -- mutators of CSV files -----------------------------------------------------------------


@cache
def csv_seeds() -> tuple[Path, ...]:
    """The same ledgers exported to CSV, one also saved as a European spreadsheet
    saves it (``;`` between cells)."""
    from whereabouts.io import write_csv

    out = []
    for name, ledger in (("assad", assad_2024()), ("rich", rich_ledger())):
        path = _seed_folder() / f"{name}.csv"
        write_csv(ledger, path)
        out.append(path)
    import csv

    semicolons = _seed_folder() / "assad-semicolons.csv"
    with out[0].open(newline="", encoding="utf-8") as source, \
            semicolons.open("w", newline="", encoding="utf-8") as target:
        csv.writer(target, delimiter=";").writerows(csv.reader(source))
    out.append(semicolons)
    return tuple(out)


def _cells(line: str) -> list[str]:
    import csv
    import io

    return next(csv.reader(io.StringIO(line)), [])


def mutate_cell(rng: random.Random, path: Path) -> str:
    """Replace one cell of one row with a hostile value (quoted as a spreadsheet would)."""
    import csv
    import io

    lines = path.read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    if len(lines) < 2:
        return "too short"
    at = rng.randrange(len(lines))
    cells = _cells(lines[at])
    if not cells:
        return "empty row"
    column = rng.randrange(len(cells))
    cells[column] = rng.choice((
        hostile(rng).strip('"'), "", " ", "=HYPERLINK(\"http://x\")", "'=1", "\x00", "a\nb",
        "x" * rng.choice((300, 200_000)), "2024-13-45", "June 2025", "03/04/2025",
        "a | b | c", "craft:", "waters: ", "B9", "Z1", "o1", "../..", "{2024..}",
        "true", "maybe", "-1", "1e999", "\udcff", "Киев", "a in " * 60 + "a",
    ))
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    lines[at] = out.getvalue()
    path.write_bytes(b"".join(_raw(line) + b"\n" for line in lines))
    return f"row {at + 1}, cell {column + 1}"


def _raw(line: str) -> bytes:
    """A line's bytes: bytes the file held as they were; a lone surrogate a hostile
    value brought (which ``surrogateescape`` cannot write) as its three UTF-8-like bytes."""
    try:
        return line.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return line.encode("utf-8", "surrogatepass")


def mutate_header(rng: random.Random, path: Path) -> str:
    """Drop, repeat, rename or reorder the header's columns."""
    lines = path.read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    if not lines:
        return "empty"
    names = lines[0].split(",")
    pick = rng.randrange(4)
    if pick == 0 and names:
        names.pop(rng.randrange(len(names)))
    elif pick == 1 and names:
        names.append(rng.choice(names))
    elif pick == 2 and names:
        names[rng.randrange(len(names))] = rng.choice(("url", "reportd", "", "ID", "kind "))
    else:
        rng.shuffle(names)
    lines[0] = ",".join(names)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogateescape")
    return f"header change {pick}"


def _csv_target() -> Ledger:
    """A ledger holding the seeds' people, groups, relations and registered places,
    but none of their claims: what a CSV of claims is read into."""
    target = Ledger()
    for ledger in (assad_2024(), rich_ledger()):
        for entity in ledger.entities:
            target.add(entity)
        for relation in ledger.relations:
            target.relate(relation.subject, relation.kind, relation.object,
                          label=relation.label, note=relation.note)
        for place, aliases in ledger.registered_places:
            target.register_place(place, aliases=aliases)
    return target


def _read_csv(path: Path) -> object:
    from whereabouts.io import read_csv

    return read_csv(path, _csv_target())


CSV = register(Target(
    name="csv", suffix=".csv", seeds=csv_seeds,
    mutators={"flip_bits": flip_bits, "truncate": truncate, "splice_bytes": splice_bytes,
              "delete_lines": delete_lines, "swap_lines": swap_lines,
              "mutate_cell": mutate_cell, "mutate_header": mutate_header},
    read=_read_csv,
))
