"""A ledger kept in a SQLite file: every change committed before it returns.

:class:`SqliteLedger` is a :class:`~whereabouts.ledger.Ledger` (every query
works the same) whose changes are written to a SQLite database (stdlib
``sqlite3``, WAL mode) and committed before the method returns. Reopening
the file gives an equal ledger; two processes may append to one file at once
and nothing is lost.

>>> import tempfile, pathlib
>>> from whereabouts import Place
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "case.db")
...     with SqliteLedger.open(path) as ledger:
...         nour = ledger.add_person("Nour Khalil")
...         seen = ledger.observe(nour, "seen at", place=Place.from_country("LB"),
...                               when="2024-12-09", source="a wire", reported="2024-12-10")
...     with SqliteLedger.open(path) as again:
...         print(again.last_known("Nour Khalil"))
Nour Khalil: in Lebanon, since 2024-12-09
  o1: 2024-12-09 seen at Lebanon (a wire, reported 2024-12-10, F6)
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Literal, TypeVar, overload

from whereabouts.batch import Batch
from whereabouts.entities import Entity, Group, Person, Relation, RelationKind
from whereabouts.errors import WhereaboutsError, brief
from whereabouts.io._records import (
    FORMAT,
    VERSION,
    Codec,
    Decoded,
    RecordError,
    Registered,
    apply,
    parse,
    version_of,
)
from whereabouts.io.errors import LedgerFileError, Problem
from whereabouts.ledger import DateRef, EntityRef, Ledger, PlaceRef, PlaceResolver
from whereabouts.observations import Denial, Kind, Observation, Retraction
from whereabouts.places import Place
from whereabouts.sources import Grading, Source

__all__ = ["SqliteLedger"]

_T = TypeVar("_T")
SQLITE_MAGIC = b"SQLite format 3\x00"
_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    id TEXT,
    body TEXT NOT NULL
);
"""
_INSERT = "INSERT INTO records (type, id, body) VALUES (?, ?, ?)"
_PULL = "SELECT seq, body FROM records WHERE seq > ? ORDER BY seq"
_RAISE_VERSION = ("UPDATE meta SET value = ? WHERE name = 'version' "
                  "AND CAST(value AS INTEGER) < ?")


class _Base:
    """The plain :class:`Ledger` methods of a SqliteLedger: change memory, write nothing."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def add(self, entity: Entity) -> Entity:
        return Ledger.add(self._ledger, entity)

    def relate(self, subject: str, kind: RelationKind, object: str, *, label: str = "",
               note: str = "") -> Relation:
        return Ledger.relate(self._ledger, subject, kind, object, label=label, note=note)

    def register_place(self, place: Place, *, aliases: Iterable[str] = ()) -> Place:
        return Ledger.register_place(self._ledger, place, aliases=aliases)

    def append(self, entry: Observation | Retraction | Denial
               ) -> Observation | Retraction | Denial:
        return Ledger.append(self._ledger, entry)


class SqliteLedger(Ledger):
    """A :class:`~whereabouts.ledger.Ledger` backed by a SQLite file; open one with :meth:`open`.

    Every change (:meth:`add`, :meth:`relate`, :meth:`register_place`,
    :meth:`append`, and so everything built on them: ``add_person``,
    ``add_group``, ``observe``, ``correct``, ``retract``, ``deny``) runs in its own
    ``BEGIN IMMEDIATE`` transaction: it first reads what other processes
    committed since, then checks and applies the change, writes it, and
    commits before returning. A change that is refused, or whose write fails,
    leaves both the file and the ledger as they were. :meth:`transaction`
    groups several changes into one commit (all or nothing).

    The file holds a ``meta`` table (``format``, ``version``) and a
    ``records`` table with one row per record of the native format
    (``docs/files.md``), in the order the changes were made. As in a native
    file, ``version`` is the lowest that holds every record: it goes from 1 to 2,
    in the same transaction, when the first record that needs 2 is written.
    """

    def __init__(self, connection: sqlite3.Connection, *, path: str,
                 gazetteer: PlaceResolver | None = None, timeout: float = 60.0) -> None:
        """Use :meth:`open`; this wraps a connection that :meth:`open` has checked."""
        super().__init__(gazetteer=gazetteer)
        self._conn = connection
        self._path = path
        self._timeout = timeout
        self._codec = Codec()
        self._seen = 0  # the last row read from the records table
        self._base = _Base(self)
        self._write_lock = threading.RLock()
        self._depth = 0
        self._dirty = False  # memory changed inside the open transaction
        self._broken = False  # a write failed half-way inside the open transaction

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, create: bool = True,
        gazetteer: PlaceResolver | None = None,
        synchronous: Literal["FULL", "NORMAL"] = "FULL", timeout: float = 60.0,
    ) -> SqliteLedger:
        """Open the ledger in the SQLite file ``path``, creating it if ``create`` allows.

        ``synchronous="FULL"`` (the default) syncs the write-ahead log to disk
        at every commit, so a committed change survives a power cut too;
        ``"NORMAL"`` syncs only at checkpoints: a change still survives the
        process being killed, but a power cut may undo the last few (never
        damage the file), and writes are faster. ``timeout`` is how many
        seconds to wait for another process's write to finish.

        Raises :class:`~whereabouts.io.LedgerFileError` when the file is not
        a SQLite database, is a database but not a ledger, was written by a
        newer version, or holds records that do not load (all are listed).
        """
        name = os.fspath(path)
        if synchronous not in ("FULL", "NORMAL"):
            raise WhereaboutsError("expected 'FULL' or 'NORMAL'", field="synchronous",
                                   value=synchronous)
        file = Path(path)
        try:
            if not file.exists() and not create:
                raise LedgerFileError(name, [Problem(message="no such file")])
            if file.is_file() and file.stat().st_size:
                with file.open("rb") as handle:
                    if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                        raise LedgerFileError(name, [Problem(message="not a SQLite database")])
        except OSError as err:
            raise LedgerFileError(name, [Problem(
                message=f"cannot read the file: {err.strerror or err}")]) from None
        try:
            connection = sqlite3.connect(name, timeout=timeout, isolation_level=None,
                                         check_same_thread=False)
        except sqlite3.Error as err:
            raise LedgerFileError(name, [Problem(message=f"cannot open: {err}")]) from None
        try:
            _prepare(connection, name, create=create, synchronous=synchronous)
            ledger = cls(connection, path=name, gazetteer=gazetteer, timeout=timeout)
            problems: list[Problem] = []
            ledger._pull(problems)
        except (sqlite3.Error, UnicodeDecodeError) as err:
            # A damaged file: "file is not a database", "database disk image is
            # malformed", "malformed database schema"; a name in its schema that
            # is not UTF-8 comes out of sqlite3 as a UnicodeDecodeError.
            connection.close()
            raise LedgerFileError(name, [Problem(message=_damaged(err))]) from None
        except BaseException:
            connection.close()
            raise
        if problems:
            connection.close()
            raise LedgerFileError(name, problems)
        return ledger

    @property
    def path(self) -> str:
        """The database file."""
        return self._path

    def close(self) -> None:
        """Close the database; the ledger stays readable in memory but takes no more changes."""
        with self._write_lock:
            self._conn.close()

    def __enter__(self) -> SqliteLedger:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<SqliteLedger {self._path!r}: {len(self)} entries>"

    # -- reading what others wrote ------------------------------------------------

    def refresh(self) -> int:
        """Read the changes other processes committed since; returns how many records."""
        with self._write_lock:
            return self._sql(lambda: self._pull())

    def _pull(self, problems: list[Problem] | None = None) -> int:
        """Apply the records committed after ``self._seen``; on a problem, raise or collect.

        Returns how many records were read.
        """
        rows = self._conn.execute(_PULL, (self._seen,)).fetchall()
        for seq, body in rows:
            try:
                part = self._codec.decode(parse(_body(body)))
                if part is not None:
                    apply(self._base, part)
            except (WhereaboutsError, ValueError) as err:
                problem = (Problem.of(err, line=seq) if isinstance(err, WhereaboutsError)
                           else Problem(line=seq, message=str(err)))
                if problems is None:
                    raise LedgerFileError(self._path, [problem]) from None
                problems.append(problem)
            self._seen = seq
        return len(rows)

    def _reload(self) -> None:
        """Rebuild the in-memory ledger from the file (after a write that failed half-way)."""
        Ledger.__init__(self, gazetteer=self.gazetteer)
        self._codec = Codec()
        self._seen = 0
        self._pull()

    def _begin(self) -> None:
        """``BEGIN IMMEDIATE``, waiting for another writer by short sleeps, not SQLite's.

        SQLite's own busy handler sleeps 1, 2, 5, 10... ms between tries: two
        processes appending in a loop would spend most of their time asleep.
        Here a waiting writer tries again every 0.1-0.5 ms (the time one
        append holds the lock), up to the ``timeout`` given to :meth:`open`.
        """
        deadline = time.monotonic() + self._timeout
        self._conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as err:
                    if "locked" not in str(err) or time.monotonic() > deadline:
                        raise  # SQLITE_BUSY reads "database is locked"
                time.sleep(random.uniform(0.0001, 0.0005))
        finally:
            self._conn.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")

    def _sql(self, step: Callable[[], _T]) -> _T:
        try:
            return step()
        except (sqlite3.Error, UnicodeDecodeError) as err:
            raise LedgerFileError(self._path, [Problem(message=_damaged(err))]) from err

    # -- writing ------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[SqliteLedger]:
        """Group changes into one commit: all are kept, or (on an exception) none.

        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     with SqliteLedger.open(pathlib.Path(folder, "case.db")) as ledger:
        ...         try:
        ...             with ledger.transaction():
        ...                 _ = ledger.add_person("Amal Haddad")
        ...                 _ = ledger.add_person("Amal Haddad", id="amal-haddad")
        ...         except WhereaboutsError as err:
        ...             print(err)
        ...         print(len(ledger.entities))
        id: 'amal-haddad': id already in the ledger
        0
        """
        with self._write_lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self._sql(self._begin)
            self._depth, self._dirty, self._broken = 1, False, False
            mark, seen = self._codec.mark(), self._seen
            try:
                self._sql(lambda: self._pull())
                mark, seen = self._codec.mark(), self._seen
                yield self
                if self._broken:
                    raise LedgerFileError(self._path, [Problem(
                        message="a write failed inside this transaction: nothing was kept")])
                self._sql(lambda: self._conn.execute("COMMIT"))
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                self._codec.restore(mark)
                self._seen = seen
                if self._dirty:
                    self._reload()
                raise
            finally:
                self._depth, self._dirty = 0, False

    def _write(self, change: Callable[[], _T], parts: Callable[[_T], Iterable[Decoded]]) -> _T:
        """Apply ``change`` in memory (checked, all or nothing), then write the ``parts``
        of its result and commit them."""
        with self.transaction():
            mark, seen = self._codec.mark(), self._seen
            result = change()
            try:
                records = (r for p in parts(result) for r in self._codec.encode_part(p))
                version = 1
                for record in records:
                    body = json.dumps(record, ensure_ascii=False)
                    cursor = self._conn.execute(_INSERT, (record["type"], record.get("id"), body))
                    self._seen = cursor.lastrowid or self._seen
                    version = max(version, version_of(record))
                if version > 1:
                    self._conn.execute(_RAISE_VERSION, (str(version), version))
            except BaseException as err:
                self._codec.restore(mark)
                self._seen = seen
                self._dirty = self._broken = True  # the transaction rolls back, rebuilds memory
                if isinstance(err, sqlite3.Error):
                    raise LedgerFileError(self._path, [Problem(message=str(err))]) from err
                raise
            self._dirty = True
            return result

    def add(self, entity: Entity) -> Entity:
        return self._write(lambda: Ledger.add(self, entity), lambda e: (e,))

    def relate(
        self, subject: EntityRef, kind: RelationKind | str, object: EntityRef, *,
        label: str = "", note: str = "",
    ) -> Relation:
        return self._write(
            lambda: Ledger.relate(self, subject, kind, object, label=label, note=note),
            lambda r: (r,),
        )

    def register_place(self, place: Place, *, aliases: Iterable[str] = ()) -> Place:
        names = tuple(aliases)
        return self._write(lambda: Ledger.register_place(self, place, aliases=names),
                           lambda p: (Registered(p, names),))

    @overload
    def append(self, entry: Observation) -> Observation: ...
    @overload
    def append(self, entry: Retraction) -> Retraction: ...
    @overload
    def append(self, entry: Denial) -> Denial: ...

    def append(self, entry: Observation | Retraction | Denial
               ) -> Observation | Retraction | Denial:
        return self._write(lambda: Ledger.append(self, entry), lambda e: (e,))

    def extend(self, batch: Batch) -> Sequence[Observation]:
        """Append a batch (see :meth:`Ledger.extend`) in one transaction, a record a row."""
        return self._write(lambda: Ledger.extend(self, batch), lambda rows: rows)

    # The builders below pick ids from what the ledger holds: they run inside the
    # write transaction, after reading what other processes committed.

    def add_person(
        self, name: str, *, id: str | None = None, aliases: Iterable[str] = (),
        description: str = "", note: str = "",
    ) -> Person:
        with self.transaction():
            return super().add_person(name, id=id, aliases=aliases, description=description,
                                      note=note)

    def add_group(
        self, name: str, *, id: str | None = None, aliases: Iterable[str] = (),
        members: Iterable[EntityRef] = (), description: str = "", note: str = "",
    ) -> Group:
        with self.transaction():
            return super().add_group(name, id=id, aliases=aliases, members=members,
                                     description=description, note=note)

    def observe(
        self, subjects: EntityRef | Sequence[EntityRef], kind: Kind | str, *,
        place: PlaceRef | None = None, when: DateRef | None = None,
        source: Source | str, reported: DateRef | None = None,
        grading: Grading | str | None = None, note: str = "",
        after: Observation | str | Sequence[Observation | str] = (), id: str | None = None,
        throughout: bool | None = None,
    ) -> Observation:
        with self.transaction():
            return super().observe(subjects, kind, place=place, when=when, source=source,
                                   reported=reported, grading=grading, note=note, after=after,
                                   id=id, throughout=throughout)

    def correct(
        self, target: Observation | str, *, source: Source | str, reported: DateRef | None = None,
        subjects: EntityRef | Sequence[EntityRef] | None = None, kind: Kind | str | None = None,
        place: PlaceRef | None = None, when: DateRef | None = None,
        grading: Grading | str | None = None, note: str = "", id: str | None = None,
        throughout: bool | None = None,
    ) -> Observation:
        with self.transaction():
            return super().correct(target, source=source, reported=reported, subjects=subjects,
                                   kind=kind, place=place, when=when, grading=grading, note=note,
                                   id=id, throughout=throughout)

    def retract(
        self, target: Observation | str, *, source: Source | str,
        reported: DateRef | None = None, reason: str = "", id: str | None = None,
    ) -> Retraction:
        with self.transaction():
            return super().retract(target, source=source, reported=reported, reason=reason, id=id)

    def deny(
        self, target: Observation | str, *, source: Source | str,
        reported: DateRef | None = None, reason: str = "", id: str | None = None,
    ) -> Denial:
        with self.transaction():
            return super().deny(target, source=source, reported=reported, reason=reason, id=id)


def _body(body: object) -> str:
    """A ``records.body`` cell as JSON text; what else SQLite can hold there is refused."""
    if isinstance(body, str):
        return body
    if isinstance(body, bytes):  # a BLOB: read as UTF-8 JSON text, as json.loads did
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as err:
            raise RecordError(f"body: a BLOB that is not UTF-8 text (byte "
                              f"0x{body[err.start]:02x}), expected the record's JSON text"
                              ) from None
    what = "NULL" if body is None else f"{type(body).__name__} {brief(body)}"
    raise RecordError(f"body: {what}, expected the record's JSON text")


def _version(value: object) -> int | None:
    """``meta.version`` as a number: text of digits (what this release writes) or an INTEGER."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 10:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return None


def _damaged(err: BaseException) -> str:
    """What a sqlite3 error (or a schema name that is not UTF-8) says about the file."""
    if isinstance(err, UnicodeDecodeError):
        return ("malformed database schema (it holds a byte that is not UTF-8: "
                f"0x{err.object[err.start]:02x})")
    return str(err)


def _prepare(connection: sqlite3.Connection, path: str, *, create: bool,
             synchronous: str) -> None:
    """Check that the database is a ledger (or create one in an empty file); set WAL."""
    def tables() -> set[str]:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        # a damaged schema may name a table with a BLOB or a number
        return {row[0] if isinstance(row[0], str) else brief(row[0]) for row in rows}

    found = tables()
    if "meta" not in found:
        if found:
            raise LedgerFileError(path, [Problem(message=(
                "a SQLite database, but not a whereabouts ledger (it has no 'meta' table; "
                f"its tables: {', '.join(sorted(found))})"))])
        if not create:
            raise LedgerFileError(path, [Problem(message="an empty database, not a ledger")])
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("BEGIN IMMEDIATE")
        try:
            if not tables():  # another process may have created it meanwhile
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        connection.execute(statement)
                connection.executemany("INSERT INTO meta (name, value) VALUES (?, ?)",
                                       [("format", FORMAT), ("version", "1")])
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    meta = dict(connection.execute("SELECT name, value FROM meta").fetchall())
    if meta.get("format") != FORMAT or "records" not in tables():
        raise LedgerFileError(path, [Problem(message=(
            f"a SQLite database, but not a whereabouts ledger (meta format is "
            f"{brief(meta.get('format'))}, expected {FORMAT!r})"))])
    if "version" not in meta:
        raise LedgerFileError(path, [Problem(field="version",
                                             message="missing from the meta table")])
    version = _version(meta["version"])
    if version is None:
        raise LedgerFileError(path, [Problem(field="version", message=(
            f"{brief(meta.get('version'))}: not a format version (meta table)"))])
    if version > VERSION:
        raise LedgerFileError(path, [Problem(field="version", message=(
            f"{version}: written by a newer whereabouts (this one reads format version "
            f"{VERSION} and older); upgrade whereabouts to read it"))])
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA synchronous={synchronous}")
