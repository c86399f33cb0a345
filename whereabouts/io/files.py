"""Any ledger file, whatever its format: tell which it is, open it, check it.

The format is read from the content, not the name: a SQLite database starts
with ``SQLite format 3``, a native file with its JSON header (or, if the
header is damaged, its name ends in ``.jsonl``); anything else is taken for
CSV.

>>> import tempfile, pathlib
>>> from whereabouts.examples import assad_2024
>>> from whereabouts.io import save
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "case.txt")
...     save(assad_2024(), path)
...     report = check(path)
...     detect(path), report.ok, report.read, len(report.ledger)
('native', True, 84, 23)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, TypeVar

from whereabouts._log import task
from whereabouts.io import native
from whereabouts.io._records import Codec, replay
from whereabouts.io.csv import read_csv
from whereabouts.io.errors import LedgerFileError, Problem
from whereabouts.io.report import Report
from whereabouts.io.sqlite import SQLITE_MAGIC, SqliteLedger
from whereabouts.ledger import Ledger, PlaceResolver

_L = TypeVar("_L", bound=Ledger)

__all__ = ["check", "copy_into", "detect", "open_ledger"]

Format = Literal["native", "sqlite", "csv"]
_SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
_NATIVE_SUFFIXES = (".jsonl", ".ndjson", ".json")


def detect(path: str | os.PathLike[str]) -> Format:
    """``"sqlite"``, ``"native"`` or ``"csv"``, from the file's first bytes.

    A missing or empty file is told by its name: ``.db``, ``.sqlite`` and
    ``.sqlite3`` are SQLite, ``.csv`` is CSV, anything else native.
    """
    suffix = Path(path).suffix.lower()
    file = Path(path)
    try:
        with file.open("rb") as handle:
            start = handle.read(64)
    except OSError:
        start = b""
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        return "native"
    if not text:
        if suffix in _SQLITE_SUFFIXES:
            return "sqlite"
        return "csv" if suffix == ".csv" else "native"
    return "native" if suffix in _NATIVE_SUFFIXES else "csv"


def open_ledger(path: str | os.PathLike[str], *, create: bool = False,
                gazetteer: PlaceResolver | None = None) -> Ledger:
    """The ledger in a native or SQLite file; a CSV file is imported into a new ledger.

    With ``create``, a missing file gives an empty ledger: a
    :class:`~whereabouts.io.SqliteLedger` for a ``.db``/``.sqlite`` name,
    else an in-memory one to :func:`~whereabouts.io.save` later.
    Raises :class:`~whereabouts.io.LedgerFileError` for a missing file
    (without ``create``) or one with problems.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with open_ledger(pathlib.Path(folder, "new.db"), create=True) as ledger:
    ...         print(type(ledger).__name__, len(ledger))
    ...     open_ledger(pathlib.Path(folder, "none.jsonl"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    whereabouts.io.errors.LedgerFileError: .../none.jsonl: no such file
    """
    with task(f"reading {os.fspath(path)}"):
        return _open(Path(path), os.fspath(path), create, gazetteer)


def _open(file: Path, name: str, create: bool, gazetteer: PlaceResolver | None) -> Ledger:
    kind = detect(file)
    if not file.exists():
        if not create:
            raise LedgerFileError(name, [Problem(message="no such file")])
        if kind == "sqlite":
            return SqliteLedger.open(file, gazetteer=gazetteer)
        return Ledger(gazetteer=gazetteer)
    if kind == "sqlite":
        return SqliteLedger.open(file, create=False, gazetteer=gazetteer)
    if kind == "csv":
        return read_csv(file, Ledger(gazetteer=gazetteer)).ledger
    return native.load(file, gazetteer=gazetteer)


def check(path: str | os.PathLike[str], *, gazetteer: PlaceResolver | None = None) -> Report:
    """Read any ledger file (native, SQLite or CSV) and report every problem in it.

    Never raises for what the file holds: the :class:`~whereabouts.io.Report`
    lists the problems, and its ledger holds what was valid.
    """
    with task(f"checking {os.fspath(path)}"):
        return _check(Path(path), os.fspath(path), gazetteer)


def _check(file: Path, name: str, gazetteer: PlaceResolver | None) -> Report:
    kind = detect(file)
    if not file.is_file():
        return Report(path=name, format=kind, ledger=Ledger(gazetteer=gazetteer),
                      problems=(Problem(message="no such file"),))
    if kind == "native":
        return native.read(file, gazetteer=gazetteer)
    if kind == "csv":
        try:
            return read_csv(file, Ledger(gazetteer=gazetteer), keep_valid=True)
        except LedgerFileError as err:
            return Report(path=name, format=kind, ledger=Ledger(gazetteer=gazetteer),
                          problems=err.problems)
    try:
        with SqliteLedger.open(file, create=False, gazetteer=gazetteer) as ledger:
            count = len(ledger.entities) + len(ledger.relations) + len(ledger.entries)
            return Report(path=name, format=kind, ledger=ledger, read=count)
    except LedgerFileError as err:
        return Report(path=name, format=kind, ledger=Ledger(gazetteer=gazetteer),
                      problems=err.problems)


def copy_into(ledger: Ledger, target: _L) -> _L:
    """Add everything ``ledger`` holds to ``target`` and return ``target``.

    People, groups, relations, registered places and entries go through
    ``target``'s checked methods, in order; a
    :class:`~whereabouts.io.SqliteLedger` takes them in one transaction. The
    way to move a case from a native file into SQLite, or into a ledger with
    another gazetteer.

    >>> import tempfile, pathlib
    >>> from whereabouts.examples import assad_2024
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with SqliteLedger.open(pathlib.Path(folder, "assad.db")) as store:
    ...         copy_into(assad_2024(), store) == assad_2024()
    True
    """
    records = list(Codec().encode(ledger))
    if isinstance(target, SqliteLedger):
        with target.transaction():
            replay(records, target)
    else:
        replay(records, target)
    return target
