"""Observations to and from CSV, one a row, for spreadsheets.

The columns, in this order (``docs/template.csv`` is an empty sheet with them):

===============  ==============================================================
``id``           the observation's id; empty for ``o1``, ``o2``... in order
``subjects``     names or ids of people and groups, separated by ``;``
``kind``         a kind of observation: ``seen at``, ``departed``, ``died``...
``place``        a place name; ``|`` between names means "one of these"
``when``         when it happened (EDTF); empty when not known
``source``       who said so; a relay chain reads ``origin → relay → outlet``
``reported``     when the claim was made public (EDTF); empty when not known
``reliability``  A-F, empty for F (cannot be judged)
``credibility``  1-6, empty for 6 (cannot be judged)
``note``         free text
``after``        ids of observations this one certainly came after, ``;`` between
===============  ==============================================================

Two more columns are optional:

===============  ==============================================================
``throughout``   ``true`` for a stay (held at every instant of ``when``),
                 ``false`` for not one; empty: a stay when ``when`` is ``{A..B}``
``narrative``    a label: each row comes after the row above it with that label
===============  ==============================================================

An empty ``reported`` cell means the report date is not known.

Names in ``subjects`` that fit no one in the ledger become new people (their
id a slug of the name); a name that fits several is a problem. Place names
are resolved by the ledger's gazetteer: an ambiguous or unknown one is a
problem. A place in no country may be spelt with its kind, ``craft: NAME``
or ``waters: NAME`` (see :func:`whereabouts.io._columns.in_no_country`).
Files may be UTF-8 with or without a byte-order mark, with CRLF or LF line
ends, and quoted fields may hold commas and newlines.

The import works a column at a time (see :mod:`whereabouts.io._columns`):
each distinct value of a column is checked once, the rows become codes into
tables of those values, and the valid rows go into the ledger with one
:meth:`Ledger.extend <whereabouts.Ledger.extend>`; the result is the ledger
that observing the rows one by one gives.

>>> import tempfile, pathlib
>>> sheet = '''id,subjects,kind,place,when,source,reported,reliability,credibility,note,after
... ,Nour Khalil,seen at,Beirut,2024-12-07,a wire,2024-12-08,B,2,,
... ,Nour Khalil,arrived at,Dubai | Doha,,a wire,2024-12-20,B,3,"reported, not seen",o1
... '''
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "case.csv")
...     _ = path.write_text(sheet, encoding="utf-8")
...     report = read_csv(path)
>>> report.ok, [person.name for person in report.created], len(report.added)
(True, ['Nour Khalil'], 2)
>>> print(report.ledger.last_known("Nour Khalil").headline)
Nour Khalil: in Dubai (AE) or Doha (QA)
>>> print(to_csv(report.ledger), end="")
id,subjects,kind,place,when,source,reported,reliability,credibility,note,after
o1,Nour Khalil,seen at,Beirut,2024-12-07,a wire,2024-12-08,B,2,,
o2,Nour Khalil,arrived at,Dubai | Doha,,a wire,2024-12-20,B,3,"reported, not seen",o1

A file with problems imports nothing, and says everything that is wrong in it
(here the second row's problems also leave the third row's ``after`` pointing
nowhere):

>>> from whereabouts.io import LedgerFileError
>>> bad = sheet.replace("2024-12-07", "2024-13-07").replace("arrived at", "flew to")
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "case.csv")
...     _ = path.write_text(bad, encoding="utf-8")
...     try:
...         read_csv(path)
...     except LedgerFileError as err:
...         for problem in err.problems:
...             print(problem)
2:5: when: '2024-13-07': month 13 does not exist
3:3: kind: 'flew to': not a kind of observation (known: 'seen at', ...)
3:11: after: 'o1': no such observation on an earlier row or in the ledger
"""

from __future__ import annotations

import csv
import io
import os
from array import array
from collections.abc import Iterator, Sequence
from itertools import compress, count, repeat
from pathlib import Path
from typing import NamedTuple

from whereabouts._bulk import stay_by_default
from whereabouts.errors import UnknownPlace, WhereaboutsError
from whereabouts.io._atomic import write_atomic
from whereabouts.io._columns import COLUMNS, OPTIONAL, import_columns, paused_gc, place_named
from whereabouts.io._text import decode, read_bytes
from whereabouts.io.errors import LedgerFileError, Problem
from whereabouts.io.report import Report
from whereabouts.ledger import Ledger
from whereabouts.observations import Denial, Observation, Retraction
from whereabouts.places import Place, PlaceKind

__all__ = ["COLUMNS", "OPTIONAL", "read_csv", "to_csv", "write_csv"]


def read_csv(path: str | os.PathLike[str], ledger: Ledger | None = None, *,
             keep_valid: bool = False) -> Report:
    """Import the observations of a CSV file into ``ledger`` (a new one if not given).

    Every row is checked first, with the same rules as :meth:`Ledger.observe`
    (each distinct value of a column once). If any row has a problem, nothing
    is imported and :class:`~whereabouts.io.LedgerFileError` lists every
    problem, each with its line and column; with ``keep_valid=True`` the
    valid rows are imported and the report lists the problems of the rest.
    A :class:`~whereabouts.io.SqliteLedger` takes the whole import in one
    transaction. The returned :class:`~whereabouts.io.Report` holds the
    ledger, the observations added and the people created.
    """
    name = os.fspath(path)
    target = Ledger() if ledger is None else ledger
    problems: list[Problem] = []
    with paused_gc():
        sheet = _sheet(Path(path), problems)
    if sheet is None:
        raise LedgerFileError(name, problems)
    return import_columns(name, "csv", target, sheet.cells, sheet.lines, numbers=sheet.numbers,
                          problems=sheet.odd, read=sheet.read, keep_valid=keep_valid)


# -- the text as columns -------------------------------------------------------------


class _Sheet(NamedTuple):
    """A CSV file's data rows, column by column (the header checked)."""

    cells: dict[str, Sequence[str]]
    numbers: dict[str, int]
    """Each column's number (its place in the header, from 1)."""
    lines: Sequence[int]
    """The line each row starts on."""
    odd: list[Problem]
    """A problem for each row with the wrong number of fields."""
    read: int
    """How many rows were read (blank lines aside)."""


class _Rows(NamedTuple):
    """The rows of a CSV text, before the header is checked."""

    header: list[str] | None
    """The first row that is not blank; None if there is none."""
    columns: list[Sequence[str]]
    """The rows with as many fields as the header, column by column."""
    lines: Sequence[int]
    odd: list[tuple[int, list[str]]]
    """The rows with another number of fields, and their lines."""


def _sheet(path: Path, problems: list[Problem]) -> _Sheet | None:
    """The file's data rows; None (and problems) if the file or its header is wrong."""
    text = _text(path, problems)
    if text is None:
        return None
    rows = _plain(text) or _quoted(text, problems)
    if rows is None:
        return None
    if rows.header is None:
        problems.append(Problem(message="empty file: expected a header row with the columns "
                                        + ", ".join(COLUMNS)))
        return None
    header = [cell.strip().lower() for cell in rows.header]
    check_header(header, problems)
    if problems:
        return None
    columns, lines = _drop_blank(rows.columns, rows.lines, header.index("kind"))
    odd = [Problem(line=line, column=min(len(cells), len(header)) + 1,
                   message=f"{len(cells)} fields, but the header has {len(header)} columns")
           for line, cells in rows.odd if not _blank(cells)]
    return _Sheet(cells=dict(zip(header, columns, strict=True)),
                  numbers={column: n for n, column in enumerate(header, start=1)},
                  lines=lines, odd=odd, read=len(lines) + len(odd))


def _text(path: Path, problems: list[Problem]) -> str | None:
    data = read_bytes(path, problems)
    if data is None:
        return None
    return decode(data, problems, what="a CSV file", hint="save the sheet as CSV UTF-8")


def _blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _plain(text: str) -> _Rows | None:
    """The rows of a text without quotes, split at commas and line ends; None if it has any.

    What :func:`csv.reader` reads from such a text, without a list per row:
    a million rows take a fraction of the time.
    """
    if '"' in text:
        return None
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None  # a line ending in CR alone
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if max(map(len, lines)) > csv.field_size_limit():
        return None  # let the csv module say which field is too large
    first = next((n for n, line in enumerate(lines) if line.replace(",", "").strip()), None)
    if first is None:
        return _Rows(None, [], [], [])
    header = lines[first].split(",")
    data = lines[first + 1:]
    while data and not data[-1]:
        data.pop()
    width = len(header)
    odd = list(compress(count(), map(int.__ne__, map(str.count, data, repeat(",")),
                                     repeat(width - 1))))
    numbers: Sequence[int] = range(first + 2, first + 2 + len(data))
    if odd:
        keep = bytearray(b"\x01") * len(data)
        for n in odd:
            keep[n] = 0
        data, numbers = list(compress(data, keep)), array("q", compress(numbers, keep))
    flat = ",".join(data).split(",") if data else []
    return _Rows(header, [flat[k::width] for k in range(width)], numbers,
                 [(first + 2 + n, lines[first + 1 + n].split(",")) for n in odd])


def _quoted(text: str, problems: list[Problem]) -> _Rows | None:
    """The rows of any CSV text, by :func:`csv.reader`; None (and a problem) if it is not CSV."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as err:
        return _broken(text, reader.line_num, err, problems)
    first = next((n for n, cells in enumerate(rows) if not _blank(cells)), None)
    if first is None:
        return _Rows(None, [], [], [])
    numbers = _starts(text, rows)
    header, width = rows[first], len(rows[first])
    data = rows[first + 1:]
    lines = numbers[first + 1:]
    odd = [n for n, size in enumerate(map(len, data)) if size != width]
    if odd:
        keep = bytearray(b"\x01") * len(data)
        for n in odd:
            keep[n] = 0
        data, lines = list(compress(data, keep)), list(compress(lines, keep))
    columns: list[Sequence[str]] = list(zip(*data, strict=True)) if data else [()] * width
    return _Rows(header, columns, lines,
                 [(numbers[first + 1 + n], rows[first + 1 + n]) for n in odd])


def _broken(text: str, line: int, err: csv.Error, problems: list[Problem]) -> _Rows | None:
    """What to say of a text the csv module stops reading at ``line``.

    As a row-by-row reader would: a header before the break is checked first.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header = None
    try:
        for cells in reader:
            if not _blank(cells):
                header = [cell.strip().lower() for cell in cells]
                break
    except csv.Error:
        pass
    if header is not None:
        check_header(header, problems)
        if problems:
            return None
    problems.append(Problem(line=line, message=f"not valid CSV: {err}"))
    if header is None:
        problems.append(Problem(message="empty file: expected a header row with the columns "
                                        + ", ".join(COLUMNS)))
    return None


def _starts(text: str, rows: list[list[str]]) -> Sequence[int]:
    """The line each row starts on (rows whose fields hold line breaks span several)."""
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    physical = ends + (0 if not text or text.endswith(("\n", "\r")) else 1)
    if physical == len(rows):
        return range(1, len(rows) + 1)
    starts = array("q")
    line = 1
    for cells in rows:
        starts.append(line)
        line += 1 + sum(c.count("\n") + c.count("\r") - c.count("\r\n") for c in cells)
    return starts


def _drop_blank(columns: list[Sequence[str]], lines: Sequence[int], probe: int,
                ) -> tuple[list[Sequence[str]], Sequence[int]]:
    """The rows without those whose fields are all blank (their ``probe`` field is, first)."""
    blank = [n for n in _blank_candidates(columns[probe])
             if all(not column[n].strip() for column in columns)]
    if not blank:
        return columns, lines
    keep = bytearray(b"\x01") * len(lines)
    for n in blank:
        keep[n] = 0
    return [list(compress(column, keep)) for column in columns], list(compress(lines, keep))


def _blank_candidates(cells: Sequence[str]) -> Iterator[int]:
    blank = {cell for cell in dict.fromkeys(cells) if not cell.strip()}
    if blank:
        yield from (n for n, cell in enumerate(cells) if cell in blank)


def check_header(header: list[str], problems: list[Problem]) -> None:
    """Add a problem (at line 1) for each column of ``header`` that is not one of
    :data:`COLUMNS` or :data:`OPTIONAL` or is there twice, and for the columns of
    :data:`COLUMNS` it lacks."""
    seen: set[str] = set()
    for number, column in enumerate(header, start=1):
        if column not in COLUMNS and column not in OPTIONAL:
            problems.append(Problem(line=1, column=number, message=(
                f"unknown column {column!r} (the columns are: {', '.join(COLUMNS)}; "
                f"optional: {', '.join(OPTIONAL)})")))
        elif column in seen:
            problems.append(Problem(line=1, column=number, message=f"column {column!r} twice"))
        seen.add(column)
    missing = [c for c in COLUMNS if c not in seen]
    if missing:
        problems.append(Problem(line=1, message=f"missing column{'s' if len(missing) > 1 else ''}"
                                                f": {', '.join(missing)}"))


# -- writing -------------------------------------------------------------------------


def to_csv(ledger: Ledger) -> str:
    """The ledger's observations as CSV text (what :func:`write_csv` writes).

    Every observation is a row, including those later corrected, retracted
    or denied; CSV does not carry retractions, denials, ``corrects`` links,
    source kinds, dates and URLs, or anything about people but their names:
    the native format does. A ``throughout`` column follows the others when
    some observation's date does not say it (a stay dated ``A/B``, or a date
    ``{A..B}`` that is not one);
    ``narrative`` is never written: the ``after`` links carry the order.
    """
    names = _Names(ledger)
    observations = [e for e in ledger.entries if not isinstance(e, Retraction | Denial)]
    stays = [_throughout(o) for o in observations]
    if any(stays):
        rows = [[*COLUMNS, "throughout"], *([*_row(o, names), stay]
                                            for o, stay in zip(observations, stays, strict=True))]
    else:
        rows = [list(COLUMNS), *(_row(o, names) for o in observations)]
    return "".join(",".join(_cell(cell) for cell in row) + "\n" for row in rows)


def _throughout(obs: Observation) -> str:
    """The ``throughout`` cell: empty when the date gives it (a stay dated ``{A..B}``,
    or no stay), else ``true`` or ``false``, as the native file writes it."""
    if obs.throughout is stay_by_default(obs.kind, obs.when):
        return ""
    return "true" if obs.throughout else "false"


def _cell(text: str) -> str:
    """A CSV field (RFC 4180): quoted if it holds a comma, a quote or a line break."""
    if any(char in text for char in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_csv(ledger: Ledger, path: str | os.PathLike[str]) -> None:
    """Write the ledger's observations to a CSV file (UTF-8), atomically.

    >>> import tempfile, pathlib
    >>> from whereabouts.examples import assad_2024
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "assad.csv")
    ...     write_csv(assad_2024(), path)
    ...     print(path.read_text(encoding="utf-8").splitlines()[3])
    aides-join,Bashar al-Assad; Bouthaina Shaaban; Assad's close allies and aides,departed,...
    """
    write_atomic(path, to_csv(ledger).encode("utf-8"))


class _Names:
    """How to write an entity or a place so that reading it back finds the same one."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self._places: dict[Place, str] = {}
        self._entities: dict[str, str] = {}

    def entity(self, eid: str) -> str:
        known = self._entities.get(eid)
        if known is None:
            entity = self._ledger.entity(eid)
            try:
                same = self._ledger.entity(entity.name) == entity
            except WhereaboutsError:
                same = False
            known = self._entities[eid] = (
                entity.name if same and ";" not in entity.name else eid)
        return known

    def place(self, place: Place) -> str:
        known = self._places.get(place)
        if known is None:
            known = self._places[place] = self._spelling(place)
        return known

    def _spelling(self, place: Place) -> str:
        """The first spelling that reads back as ``place``; its name if none does."""
        for name in self._spellings(place):
            try:
                if place_named(self._ledger, name, {}) == place:
                    return name
            except UnknownPlace:
                if place.kind in (PlaceKind.CRAFT, PlaceKind.WATERS):
                    continue  # its kind's spelling comes next
                break  # "NAME, COUNTRY" is not known either
            except WhereaboutsError:
                continue
        if place.kind in (PlaceKind.CRAFT, PlaceKind.WATERS):  # its name and kind, at least
            return f"{place.kind.value}: {place.name}"
        return place.name

    @staticmethod
    def _spellings(place: Place) -> Iterator[str]:
        yield place.name
        if place.kind in (PlaceKind.CRAFT, PlaceKind.WATERS):
            yield f"{place.kind.value}: {place.name}"
            return
        country = place.parent
        while country is not None and country.parent is not None:
            country = country.parent
        if country is not None:
            yield f"{place.name}, {country.name}"


def _row(obs: Observation, names: _Names) -> list[str]:
    place = "" if obs.place is None else " | ".join(names.place(p) for p in obs.place.options)
    return [
        obs.id,
        "; ".join(names.entity(s) for s in obs.subjects),
        obs.kind.value,
        place,
        "" if obs.when is None else str(obs.when),
        " → ".join(s.name for s in obs.source.chain),
        "" if obs.reported is None else str(obs.reported),
        obs.grading.reliability.name,
        str(obs.grading.credibility.value),
        obs.note,
        "; ".join(obs.after),
    ]
