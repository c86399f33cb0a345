"""The native ledger file: JSON Lines, lossless, one part a line, in a stable order.

The first line is the header, ``{"format": "whereabouts-ledger", "version": 1}``
(version 2 when a record needs it: a stay, an unknown report date, a denial, an
attempt); each further line is one record: a person or group, a relation, a
place, a registered place, a source, an observation, a retraction or a denial
(see ``docs/files.md`` for every field). Places and sources are written once, on
the line before their first use, and referred to by id. ``save`` then
``load`` gives an equal ledger.

>>> import tempfile, pathlib
>>> from whereabouts.examples import assad_2024
>>> ledger = assad_2024()
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "assad.jsonl")
...     save(ledger, path)
...     again = load(path)
...     print(path.read_text(encoding="utf-8").splitlines()[0])
{"format": "whereabouts-ledger", "version": 1}
>>> again == ledger, str(again.everyone()) == str(ledger.everyone())
(True, True)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from whereabouts.errors import WhereaboutsError, brief
from whereabouts.io._atomic import write_atomic
from whereabouts.io._records import FORMAT, VERSION, Codec, RecordError, apply, parse, version_of
from whereabouts.io._text import decode, read_bytes
from whereabouts.io.errors import Problem
from whereabouts.io.report import Report
from whereabouts.ledger import Ledger, PlaceResolver

__all__ = ["HEADER", "dumps", "load", "read", "save"]

HEADER = {"format": FORMAT, "version": VERSION}
"""The first line of a native ledger file of the newest version this release writes."""
SQLITE_MAGIC = b"SQLite format 3\x00"


def dumps(ledger: Ledger) -> str:
    """The ledger as the text of a native file (what :func:`save` writes).

    >>> from whereabouts import Ledger
    >>> ledger = Ledger()
    >>> _ = ledger.add_person("Amal Haddad")
    >>> print(dumps(ledger), end="")
    {"format": "whereabouts-ledger", "version": 1}
    {"type": "person", "id": "amal-haddad", "name": "Amal Haddad"}
    """
    records = list(Codec().encode(ledger))
    version = max(map(version_of, records), default=1)
    lines = [json.dumps({"format": FORMAT, "version": version})]
    lines.extend(json.dumps(record, ensure_ascii=False) for record in records)
    return "\n".join(lines) + "\n"


def save(ledger: Ledger, path: str | os.PathLike[str]) -> None:
    """Write ``ledger`` to ``path`` atomically: a crash leaves the old file or the new one."""
    write_atomic(path, dumps(ledger).encode("utf-8"))


def load(path: str | os.PathLike[str], *, keep_valid: bool = False,
         gazetteer: PlaceResolver | None = None) -> Ledger:
    """Read a native ledger file.

    Raises :class:`~whereabouts.io.LedgerFileError` listing every problem of
    the file, unless ``keep_valid`` is true: then the records without
    problems are kept and the rest dropped (:func:`read` says which).
    ``gazetteer`` resolves place names for the returned ledger.
    """
    report = read(path, gazetteer=gazetteer)
    if report.problems and not keep_valid:
        raise report.error()
    return report.ledger


def read(path: str | os.PathLike[str], *, gazetteer: PlaceResolver | None = None) -> Report:
    """Read a native ledger file, keeping what is valid and a :class:`Problem` for the rest.

    Never raises for what the file holds; a file that cannot be opened at all
    is one problem without a line.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "case.jsonl")
    ...     _ = path.write_text('{"format": "whereabouts-ledger", "version": 1}\\n'
    ...                         '{"type": "person", "id": "amal", "name": "Amal"}\\n'
    ...                         '{"type": "person", "id": "amal", "name": "Amal"}\\n')
    ...     report = read(path)
    >>> [e.id for e in report.ledger.entities], [str(p) for p in report.problems]
    (['amal'], ["3: id: 'amal': id already in the ledger"])
    """
    name = os.fspath(path)
    ledger = Ledger(gazetteer=gazetteer)
    problems: list[Problem] = []
    count = 0
    text = _text(Path(path), problems)
    if text is not None:
        count = _read_lines(text, ledger, problems)
    return Report(path=name, format="native", ledger=ledger, problems=tuple(problems),
                  read=count)


def _text(path: Path, problems: list[Problem]) -> str | None:
    data = read_bytes(path, problems)
    if data is None:
        return None
    if not data.strip():
        problems.append(Problem(message="empty file: a ledger starts with its header line"))
        return None
    if data.startswith(SQLITE_MAGIC):
        problems.append(Problem(message="a SQLite file, not a native ledger file: open it "
                                        "with SqliteLedger.open"))
        return None
    return decode(data, problems, what="a ledger file", hint="not a ledger file")


def _read_lines(text: str, ledger: Ledger, problems: list[Problem]) -> int:
    lines = text.split("\n")
    ends_cleanly = lines[-1] == ""
    if ends_cleanly:
        lines.pop()
    if not _header(lines[0], problems):
        return 0
    codec = Codec()
    count = 0
    last = len(lines)
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            record = parse(line)
        except RecordError as err:
            hint = "; the file looks cut short" if number == last and not ends_cleanly else ""
            problems.append(Problem(line=number, message=f"{err.reason}{hint}"))
            continue
        count += 1
        try:
            part = codec.decode(record)
            if part is not None:
                apply(ledger, part)
        except WhereaboutsError as err:
            problems.append(Problem.of(err, line=number))
    return count


def _header(line: str, problems: list[Problem]) -> bool:
    """Check the header line; False when the rest cannot be read (a newer version)."""
    expected = json.dumps({"format": FORMAT, "version": 1})
    try:
        header = parse(line)
    except RecordError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        problems.append(Problem(line=1, message=f"not a whereabouts ledger: the first line "
                                                f"must be the header {expected}"))
        return False
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(Problem(line=1, field="version",
                                message=f"{brief(version)}: not a format version"))
        return False
    if version > VERSION:
        problems.append(Problem(line=1, field="version", message=(
            f"{version}: written by a newer whereabouts (this one reads format version "
            f"{VERSION} and older); upgrade whereabouts to read it")))
        return False
    return True

