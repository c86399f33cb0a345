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
or ``waters: NAME`` (see :func:`whereabouts.io._cells.in_no_country`).
Files may be UTF-8 with or without a byte-order mark, with CRLF or LF line
ends, and quoted fields may hold commas and newlines.

The import works a column at a time (see :mod:`whereabouts.io._columns`):
each distinct value of a column is checked once, the rows become codes into
tables of those values, and the valid rows go into the ledger with one
:meth:`Ledger.extend <whereabouts.Ledger.extend>`; the result is the ledger
that observing the rows one by one gives. With pyarrow installed, a large file's
plain blocks are read by Arrow straight into batches (see
:mod:`whereabouts.io._arrow_csv`), with the same result.

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
import difflib
import io
import json
import logging
import os
import sys
from array import array
from collections.abc import Generator, Iterator, Sequence
from contextlib import closing, contextmanager
from importlib import resources
from itertools import chain, compress, count, islice, repeat
from pathlib import Path
from typing import Any, NamedTuple

import attrs

from whereabouts.errors import UnknownPlace, WhereaboutsError
from whereabouts.io import _arrow_csv
from whereabouts.io._atomic import write_atomic
from whereabouts.io._cells import COLUMNS, DERIVED, OPTIONAL, place_named, source
from whereabouts.io._columns import Chunk, Ready, import_chunks, import_columns, paused_gc
from whereabouts.io._exact import exact_place, exact_source, readable
from whereabouts.io._text import decode, read_bytes
from whereabouts.io.errors import LedgerFileError, Problem
from whereabouts.io.report import Report
from whereabouts.ledger import Ledger
from whereabouts.observations import Denial, Observation, Retraction, stay_by_default
from whereabouts.places import Place, PlaceKind, Where
from whereabouts.sources import Source

__all__ = ["COLUMNS", "OPTIONAL", "CsvExport", "read_csv", "template_text", "to_csv",
           "write_csv"]

_log = logging.getLogger("whereabouts.io")
_DELIMITERS = (",", ";", "\t")
"""What may stand between columns: a comma, or what spreadsheets in many locales save
(a semicolon), or a tab."""
_RISKY = frozenset("=+-@\t\r")
"""The first characters that make a spreadsheet take a cell for a formula (OWASP)."""
_ESCAPED = _RISKY | {"'"}
_LARGEST = min(sys.maxsize, 2**31 - 1)


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

    A file larger than :data:`STREAM_BYTES` is read :data:`PART_ROWS` lines at a
    time, each part checked and appended before the next is read, so that only
    one part's cells are held at once; if a row is wrong (and ``keep_valid`` is
    false) the ledger is then put back as it was. The ledger and the problems are
    those of reading the file whole.
    """
    name = os.fspath(path)
    target = Ledger() if ledger is None else ledger
    problems: list[Problem] = []
    with paused_gc(), _large_fields():
        stream = _stream(Path(path), target)
        if stream is not None:
            try:
                with closing(stream.chunks):
                    return import_chunks(name, "csv", target, stream.chunks,
                                         numbers=stream.numbers, keep_valid=keep_valid,
                                         notices=stream.notices, fresh=ledger is None)
            except _Whole:  # the ledger is as it was: read the file whole, as a small one
                target = Ledger() if ledger is None else ledger
        sheet = _sheet(Path(path), problems)
    if sheet is None:
        raise LedgerFileError(name, problems)
    return import_columns(name, "csv", target, sheet.cells, sheet.lines, numbers=sheet.numbers,
                          problems=sheet.odd, read=sheet.read, keep_valid=keep_valid,
                          notices=sheet.notices, fresh=ledger is None)


def template_text() -> str:
    """The CSV template: the header row of a sheet to fill in (``docs/template.csv``,
    shipped in the package as ``whereabouts/io/template.csv``).

    >>> template_text().splitlines()[0].split(",")[:4]
    ['id', 'subjects', 'kind', 'place']
    """
    return resources.files("whereabouts.io").joinpath("template.csv").read_text(
        encoding="utf-8")


@contextmanager
def _large_fields() -> Iterator[None]:
    """Let the csv module read fields of any size (its default stops at 131,072
    characters, shorter than some notes), as it was after."""
    before = csv.field_size_limit(_LARGEST)
    try:
        yield
    finally:
        csv.field_size_limit(before)


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
    notices: list[str]
    """What is worth knowing about how the file was read: its delimiter, columns ignored."""


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
    notices: list[str] = []
    delimiter = _delimiter(text)
    if delimiter != ",":
        notices.append(f"columns separated by {delimiter!r}, not by commas")
    rows = _plain(text, delimiter) or _quoted(text, problems, delimiter)
    if rows is None:
        return None
    if rows.header is None:
        problems.append(Problem(message="empty file: expected a header row with the columns "
                                        + ", ".join(COLUMNS)))
        return None
    header = [cell.strip().lower() for cell in rows.header]
    ignored = set(check_header(header, problems, notices))
    if problems:
        return None
    columns, lines = _drop_blank(rows.columns, rows.lines, header.index("kind"))
    odd = [Problem(line=line, column=min(len(cells), len(header)) + 1,
                   message=f"{len(cells)} fields, but the header has {len(header)} columns")
           for line, cells in rows.odd if not _blank(cells)]
    if _escapes(text, delimiter):
        columns = [_unescaped(column) for column in columns]
    read = [n for n in range(len(header)) if n + 1 not in ignored]
    return _Sheet(cells={header[n]: columns[n] for n in read},
                  numbers={header[n]: n + 1 for n in read},
                  lines=lines, odd=odd, read=len(lines) + len(odd), notices=notices)


# -- a large file, a part at a time ---------------------------------------------------

STREAM_BYTES = 16 * 2**20
"""Files larger than this are read a part at a time (:func:`_stream`); smaller ones whole."""
ARROW = True
"""Whether a large file is read by Arrow where it can be (with pyarrow installed: see
:func:`_stream`); tests turn it off to read every part by :func:`_parts`."""
PART_ROWS = 12_500
"""Lines read, checked and appended at a time from a large file: their cells are
all that is held of the file's text at once. What a part's cells take from Python's
allocator stays reserved after the load (arenas pinned by the values kept), so the
part is small: at 10^6 shuffled claims, 12,500 lines a part hold about 220 B a claim
after the load (benchmarks/run.py), 25,000 about 245 B, 100,000 about 450 B; 12,500
cost some 3 % more time than 25,000 (docs/performance.md)."""


class _Whole(Exception):
    """A large file that the part reader leaves to the whole-file reader: not UTF-8 text,
    a NUL byte, a field longer than the csv module reads, CSV it cannot read. That
    reader says what is wrong, as it does for a small file."""


class _Stream(NamedTuple):
    numbers: dict[str, int]
    notices: list[str]
    chunks: Generator[Chunk | Ready, None, None]


def _stream(path: Path, ledger: Ledger) -> _Stream | None:
    """A large file's header, checked, and its rows a part at a time; None for a small
    file, or one whose start the whole-file reader must read (to say what is wrong).

    With pyarrow installed, a file with the columns of :data:`COLUMNS` only is read
    by :func:`whereabouts.io._arrow_csv.blocks` (its plain blocks straight into
    batches for ``ledger``), else by :func:`_parts`."""
    try:
        if path.stat().st_size <= STREAM_BYTES:
            return None
        file = path.open(encoding="utf-8-sig", newline="")
    except OSError:
        return None
    try:
        first = file.readline()
        if '"' in first or "\x00" in first or len(first.splitlines()) != 1:
            raise _Whole  # a quoted header, or one the whole reader looks past blank lines for
        delimiter = _delimiter(first)
        header = [cell.strip().lower() for cell in first.rstrip("\r\n").split(delimiter)]
        problems: list[Problem] = []
        notices: list[str] = []
        if delimiter != ",":
            notices.append(f"columns separated by {delimiter!r}, not by commas")
        ignored = set(check_header(header, problems, notices))
        if problems or not first.replace(delimiter, "").strip():
            raise _Whole
    except (_Whole, UnicodeDecodeError, csv.Error):
        file.close()
        return None
    read = [n for n in range(len(header)) if n + 1 not in ignored]
    numbers = {header[n]: n + 1 for n in read}
    if ARROW and first.endswith("\n") and _arrow_csv.plain_header(header) and (
            _arrow_csv.available()):
        file.close()
        return _Stream(numbers, notices, _arrow_parts(path, header, read, delimiter, ledger))
    return _Stream(numbers, notices,
                   _parts(file, header, read, delimiter, 2))


def _arrow_parts(path: Path, header: list[str], read: list[int], delimiter: str,
                 ledger: Ledger) -> Generator[Chunk | Ready, None, None]:
    """The rows after the header (a line ending in LF) by
    :func:`whereabouts.io._arrow_csv.blocks`: a block it leaves is read by
    :func:`_parts` (``general``), and from a quote on so is the rest of the file
    (``rest``)."""
    def general(data: bytes, line: int) -> Iterator[Chunk]:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise _Whole from err
        # In parts of PART_ROWS lines, as any: a block's rows at once (400,000 here)
        # would pin as much of Python's allocator after the load (640 MB held at 10^6,
        # a new name in each block, against 163).
        return _parts(io.StringIO(text, newline=""), header, read, delimiter, line)

    def rest(offset: int, line: int) -> Iterator[Chunk]:
        raw = path.open("rb")
        raw.seek(offset)
        return _parts(io.TextIOWrapper(raw, encoding="utf-8", newline=""), header, read,
                      delimiter, line)

    file = path.open("rb")
    file.readline()  # the header, read above
    return _arrow_csv.blocks(file, header, delimiter, 2, ledger, general, rest)


def _parts(file: Any, header: list[str], read: list[int], delimiter: str,
           line: int) -> Generator[Chunk, None, None]:
    """The rows of ``file`` after its header (``line`` is the first one's), in parts of
    :data:`PART_ROWS` lines: split at ``delimiter`` while no quote is met, then by
    :func:`csv.reader`. Raises :class:`_Whole` for what only the whole-file reader
    words (see there)."""
    try:
        with file:
            while True:
                block = list(islice(file, PART_ROWS))
                if not block:
                    return
                text = "".join(block)
                if "\x00" in text:
                    raise _Whole
                if '"' in text:
                    yield from _quoted_parts(chain(block, file), header, read, delimiter, line)
                    return
                rows = _plain_part(text, block, delimiter, len(header), line)
                escapes = _escapes(text, delimiter)
                line += len(block)
                del block, text
                yield _chunk(rows, header, read, escapes)
    except (UnicodeDecodeError, csv.Error) as err:
        raise _Whole from err


def _plain_part(text: str, block: list[str], delimiter: str, width: int,
                line: int) -> _Rows:
    """Rows of lines without quotes (see :func:`_plain`), the first on ``line``."""
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            raise _Whole  # a line ending in CR alone
        text = text.replace("\r\n", "\n")
    data = text.split("\n")
    if data and not data[-1]:
        data.pop()  # the end of the last line
    if len(data) != len(block) or max(map(len, data)) > csv.field_size_limit():
        raise _Whole  # a line break the csv module reads otherwise, or a field too large
    return _Rows(None, *_columns_of(data, delimiter, width, line))


def _columns_of(data: list[str], delimiter: str, width: int, line: int) -> \
        tuple[list[Sequence[str]], Sequence[int], list[tuple[int, list[str]]]]:
    """The columns of lines without quotes, the first on ``line``: the cells of the
    lines with ``width`` cells, their line numbers, and the other lines split (numbered),
    for the row-by-row checks to name."""
    odd = list(compress(count(), map(int.__ne__, map(str.count, data, repeat(delimiter)),
                                     repeat(width - 1))))
    numbers: Sequence[int] = range(line, line + len(data))
    odd_rows = [(line + n, data[n].split(delimiter)) for n in odd]
    if odd:
        keep = bytearray(b"\x01") * len(data)
        for n in odd:
            keep[n] = 0
        data, numbers = list(compress(data, keep)), array("q", compress(numbers, keep))
    flat = delimiter.join(data).split(delimiter) if data else []
    columns: list[Sequence[str]] = [flat[k::width] for k in range(width)]
    return columns, numbers, odd_rows


def _quoted_parts(lines: Iterator[str], header: list[str], read: list[int], delimiter: str,
                  line: int) -> Iterator[Chunk]:
    """The rows of the rest of a file by :func:`csv.reader`, in parts; ``line`` is the
    line of its first line."""
    reader = csv.reader(lines, delimiter=delimiter)
    width = len(header)
    while True:
        rows: list[list[str]] = []
        starts = array("q")
        before = reader.line_num
        for cells in islice(reader, PART_ROWS):
            rows.append(cells)
            starts.append(line + before)
            before = reader.line_num
        if not rows:
            return
        odd = [n for n, size in enumerate(map(len, rows)) if size != width]
        odd_rows = [(starts[n], rows[n]) for n in odd]
        lines_kept: Sequence[int] = starts
        if odd:
            keep = bytearray(b"\x01") * len(rows)
            for n in odd:
                keep[n] = 0
            rows, lines_kept = list(compress(rows, keep)), array("q", compress(starts, keep))
        columns: list[Sequence[str]] = list(zip(*rows, strict=True)) if rows else [()] * width
        del rows
        yield _chunk(_Rows(None, columns, lines_kept, odd_rows), header, read, True)


def _chunk(rows: _Rows, header: list[str], read: list[int], escapes: bool) -> Chunk:
    """A part of the file as the importer takes it (see :func:`_sheet`); ``escapes``: whether
    a cell may start with the quote that neutralised a formula (see :func:`_escapes`)."""
    columns, lines = rows.columns, rows.lines
    if len(lines):
        columns, lines = _drop_blank(columns, lines, header.index("kind"))
    odd = [Problem(line=line, column=min(len(cells), len(header)) + 1,
                   message=f"{len(cells)} fields, but the header has {len(header)} columns")
           for line, cells in rows.odd if not _blank(cells)]
    if escapes:
        columns = [_unescaped(column) for column in columns]
    return Chunk(cells={header[n]: columns[n] for n in read}, lines=lines, problems=odd,
                 read=len(lines) + len(odd))


def _delimiter(text: str) -> str:
    """What separates the columns: of a comma, a semicolon and a tab, the one that splits
    the first line into the most column names (a comma when none does better)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    best, most = ",", 0
    for delimiter in _DELIMITERS:
        try:
            cells = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:
            continue
        known = len({c.strip().lower() for c in cells} & {*COLUMNS, *OPTIONAL})
        if known > most:
            best, most = delimiter, known
    return best


def _escapes(text: str, delimiter: str) -> bool:
    """Whether some cell of the text may start with a quote that neutralised a formula."""
    return "'" in text and (text.startswith("'") or any(  # most parts have no quote at all
        f"{before}'" in text for before in (delimiter, "\n", "\r", '"')))


def _unescaped(cells: Sequence[str]) -> Sequence[str]:
    """The cells with the quote that neutralised a formula taken off (see :func:`_cell`)."""
    rows = list(compress(count(), map(str.startswith, cells, repeat("'"))))
    if not rows:
        return cells
    cells = list(cells)
    for row in rows:
        cell = cells[row]
        if cell[1:2] in _ESCAPED and len(cell) > 1:
            cells[row] = cell[1:]
    return cells


def _text(path: Path, problems: list[Problem]) -> str | None:
    data = read_bytes(path, problems)
    if data is None:
        return None
    return decode(data, problems, what="a CSV file", hint="save the sheet as CSV UTF-8")


def _blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _plain(text: str, delimiter: str = ",") -> _Rows | None:
    """The rows of a text without quotes, split at ``delimiter`` and line ends; None if it
    has any.

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
    first = next((n for n, line in enumerate(lines) if line.replace(delimiter, "").strip()),
                 None)
    if first is None:
        return _Rows(None, [], [], [])
    header = lines[first].split(delimiter)
    data = lines[first + 1:]
    while data and not data[-1]:
        data.pop()
    return _Rows(header, *_columns_of(data, delimiter, len(header), first + 2))


def _quoted(text: str, problems: list[Problem], delimiter: str = ",") -> _Rows | None:
    """The rows of any CSV text, by :func:`csv.reader`; None (and a problem) if it is not CSV."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as err:
        return _broken(text, reader.line_num, err, problems, delimiter)
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


def _broken(text: str, line: int, err: csv.Error, problems: list[Problem],
            delimiter: str = ",") -> _Rows | None:
    """What to say of a text the csv module stops reading at ``line``.

    As a row-by-row reader would: a header before the break is checked first.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
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


def check_header(header: list[str], problems: list[Problem],
                 notices: list[str] | None = None) -> list[int]:
    """Check the column names of ``header``; return the numbers (from 1) of the columns
    to leave unread.

    A problem (at line 1) for a column that is there twice, for each column of
    :data:`COLUMNS` the header lacks (``reliability`` and ``credibility`` may be
    given as one ``grading``), and for an unknown column whose name is close to
    one it lacks (a typo: ``reported_`` for ``reported``). Other unknown columns
    are left unread, each with a notice in ``notices``; without ``notices``,
    they are problems too. The columns :func:`~whereabouts.io.to_dataframe`
    works out from the others (:data:`~whereabouts.io._cells.DERIVED`) are
    left unread quietly.
    """
    known = (*COLUMNS, *OPTIONAL)
    seen: set[str] = set()
    ignored: list[int] = []
    for number, column in enumerate(header, start=1):
        if column in known or column in DERIVED:
            if column in seen:
                problems.append(Problem(line=1, column=number,
                                        message=f"column {column!r} twice"))
            seen.add(column)
            if column in DERIVED:
                ignored.append(number)
            continue
        close = [c for c in difflib.get_close_matches(column, known, n=1, cutoff=0.8)
                 if c not in header]
        if notices is None or close:
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(Problem(line=1, column=number, message=(
                f"unknown column {column!r} ({hint}the columns are: {', '.join(COLUMNS)}; "
                f"optional: {', '.join(OPTIONAL)})")))
        else:
            ignored.append(number)
            notices.append(f"column {number} ({column!r}) is not one whereabouts reads: "
                           "left unread")
    missing = [c for c in COLUMNS if c not in seen and not (
        c in ("reliability", "credibility") and "grading" in seen)]
    if missing:
        problems.append(Problem(line=1, message=f"missing column{'s' if len(missing) > 1 else ''}"
                                                f": {', '.join(missing)}"))
    return ignored


# -- writing -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CsvExport:
    """What :func:`write_csv` wrote: how many rows, which columns, and what of the
    ledger a CSV does not carry (``lost``; empty when the sheet holds it all)."""

    path: str | None
    rows: int
    columns: tuple[str, ...]
    lost: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether reading the sheet back gives every entry, and nothing else was left out."""
        return not self.lost

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        lines = [f"{where}csv, {self.rows} rows written"]
        lines.extend(f"  not carried: {item}" for item in self.lost)
        return "\n".join(lines)


def to_csv(ledger: Ledger) -> str:
    """The ledger's entries as CSV text (what :func:`write_csv` writes).

    Every entry is a row: observations (corrected, retracted and denied ones
    included), and the corrections, retractions and denials themselves, marked
    in an ``entry`` column with the observation they are about in ``target``.
    Optional columns are written only when some row needs them: ``throughout``
    when an observation's date does not say whether it is a stay, ``entry``
    and ``target`` when there is a correction, retraction or denial, and
    ``exact`` when a cell cannot carry its value exactly (a place the
    gazetteer would read as another one, a source with a kind, a date, a URL
    or an arrow in a name, a note with a NUL). ``narrative`` is never written:
    the ``after`` links carry the order. A cell a spreadsheet would run as a
    formula is written with a ``'`` before it (see :func:`neutralised`).

    What a CSV does not carry (relations, groups, the aliases of people and
    places...) is logged as a warning under the ``whereabouts`` logger;
    :func:`write_csv` also returns it.
    """
    return _export(ledger, None)[0]


def write_csv(ledger: Ledger, path: str | os.PathLike[str]) -> CsvExport:
    """Write the ledger's entries to a CSV file (UTF-8), atomically; say what it holds.

    The text is :func:`to_csv`'s. The returned :class:`CsvExport` lists what the
    sheet does not carry (also logged as a warning).

    >>> import tempfile, pathlib
    >>> from whereabouts.examples import assad_2024
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "assad.csv")
    ...     report = write_csv(assad_2024(), path)
    ...     print(path.read_text(encoding="utf-8").splitlines()[3])
    aides-join,Bashar al-Assad; Bouthaina Shaaban; Assad's close allies and aides,departed,...
    >>> report.rows, report.lost[0]
    (23, '15 relations (members of groups, family ties): keep the native file for them')
    """
    text, report = _export(ledger, os.fspath(path))
    write_atomic(path, text.encode("utf-8"))
    return report


def neutralised(text: str) -> str:
    """A cell as written: with a ``'`` before it if a spreadsheet would take it for a
    formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return:
    OWASP's rule), or if it starts with ``'`` and one of those or another ``'`` (so
    that reading takes exactly one ``'`` off exactly the cells writing put one on).

    >>> print(neutralised('=HYPERLINK("http://x")'), neutralised("'=1"), neutralised("'tis"))
    '=HYPERLINK("http://x") ''=1 'tis
    """
    if text[:1] in _RISKY or (text[:1] == "'" and text[1:2] in _ESCAPED):
        return "'" + text
    return text


def _cell(text: str, delimiter: str = ",") -> str:
    """A CSV field (RFC 4180): neutralised, text the file cannot hold replaced (the
    ``exact`` column carries it), and quoted if it holds a delimiter, a quote or a line
    break."""
    text = readable(neutralised(text))
    if any(char in text for char in (delimiter, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def _export(ledger: Ledger, path: str | None) -> tuple[str, CsvExport]:
    names = _Names(ledger)
    rows: list[dict[str, str]] = []
    for entry in ledger.entries:
        rows.append(_withdrawal_row(entry, names) if isinstance(entry, Retraction | Denial)
                    else _row(entry, names))
    used = {column for row in rows for column, cell in row.items() if cell}
    columns = [*COLUMNS, *(c for c in ("throughout", "entry", "target", "exact") if c in used)]
    lines = [",".join(columns)]
    lines.extend(",".join(_cell(row.get(column, "")) for column in columns) for row in rows)
    lost = tuple(_lost(ledger))
    report = CsvExport(path=path, rows=len(rows), columns=tuple(columns), lost=lost)
    if lost:
        _log.warning("%s: a CSV does not carry %s", path or "CSV export", "; ".join(lost))
    return "".join(line + "\n" for line in lines), report


def _lost(ledger: Ledger) -> list[str]:
    """What of ``ledger`` a CSV leaves out: all but its entries and the names of its people."""
    lost = []
    if ledger.relations:
        lost.append(f"{_count(len(ledger.relations), 'relation')} (members of groups, family "
                    "ties): keep the native file for them")
    if ledger.groups:
        lost.append(f"{_count(len(ledger.groups), 'group')}: written by name, read back as "
                    "people unless the ledger read into has them")
    detailed = [e for e in ledger.entities if e.aliases or e.description or e.note]
    if detailed:
        lost.append(f"the aliases, descriptions or notes of {_count(len(detailed), 'entity')}")
    renamed = [e for e in ledger.people if _slug(e.name) != e.id]
    if renamed:
        lost.append(f"the ids of {_count(len(renamed), 'person', 'people')} (e.g. "
                    f"{renamed[0].id!r}): read back with ids made from their names unless the "
                    "ledger read into has them")
    if ledger.registered_places:
        lost.append(f"{_count(len(ledger.registered_places), 'registered place')} with "
                    "aliases (the rows carry the places they use, not their aliases)")
    return lost


def _count(n: int, noun: str, plural: str | None = None) -> str:
    if n == 1:
        return f"1 {noun}"
    return f"{n} {plural or (noun[:-1] + 'ies' if noun.endswith('y') else noun + 's')}"


def _slug(name: str) -> str:
    from whereabouts.io._cells import slug

    return slug(name)


def _throughout(obs: Observation) -> str:
    """The ``throughout`` cell: empty when the date gives it (a stay dated ``{A..B}``,
    or no stay), else ``true`` or ``false``, as the native file writes it."""
    if obs.throughout is stay_by_default(obs.kind, obs.when):
        return ""
    return "true" if obs.throughout else "false"


class _Names:
    """How to write an entity, a place or a source so that reading it back finds the same."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self._places: dict[Place, str | None] = {}
        self._entities: dict[str, str] = {}
        self._sources: dict[Source, tuple[str, bool]] = {}

    def entity(self, eid: str) -> str:
        known = self._entities.get(eid)
        if known is None:
            entity = self._ledger.entity(eid)
            try:
                same = self._ledger.entity(entity.name) == entity
            except WhereaboutsError:
                same = False
            plain = ";" not in entity.name and readable(entity.name) == entity.name
            known = self._entities[eid] = entity.name if same and plain else eid
        return known

    def place(self, where: Where) -> tuple[str, Any]:
        """The ``place`` cell, and the exact value to write beside it (None if none is
        needed: every name reads back as its place)."""
        spellings = [self._place(p) for p in where.options]
        if all(s is not None and "|" not in s for s in spellings):
            return " | ".join(s for s in spellings if s is not None), None
        return " | ".join(p.name for p in where.options), exact_place(where)

    def _place(self, place: Place) -> str | None:
        if place not in self._places:
            self._places[place] = self._spelling(place)
        return self._places[place]

    def _spelling(self, place: Place) -> str | None:
        """The first spelling that reads back as ``place``; None if none does."""
        for name in self._spellings(place):
            if readable(name) != name or name != name.strip():
                return None
            try:
                if place_named(self._ledger, name, {}) == place:
                    return name
            except UnknownPlace:
                if place.kind in (PlaceKind.CRAFT, PlaceKind.WATERS):
                    continue  # its kind's spelling comes next
                break  # "NAME, COUNTRY" is not known either
            except WhereaboutsError:
                continue
        return None

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

    def source(self, src: Source) -> tuple[str, Any]:
        """The ``source`` cell, and the exact value to write beside it (None if the cell
        reads back as the source)."""
        known = self._sources.get(src)
        if known is None:
            cell = " → ".join(s.name for s in src.chain)
            try:
                same = source(cell.strip()) == src
            except WhereaboutsError:
                same = False
            known = self._sources[src] = (cell, same)
        cell, same = known
        return cell, None if same else exact_source(src)


def _exact_cell(exact: dict[str, Any]) -> str:
    if not exact:
        return ""
    text = json.dumps(exact, ensure_ascii=False)
    return text if readable(text) == text else json.dumps(exact)


def _row(obs: Observation, names: _Names) -> dict[str, str]:
    exact: dict[str, Any] = {}
    place = ""
    if obs.place is not None:
        place, exact_where = names.place(obs.place)
        if exact_where is not None:
            exact["place"] = exact_where
    cited, exact_source_ = names.source(obs.source)
    if exact_source_ is not None:
        exact["source"] = exact_source_
    if readable(obs.note) != obs.note:
        exact["note"] = obs.note
    return {
        "id": obs.id,
        "subjects": "; ".join(names.entity(s) for s in obs.subjects),
        "kind": obs.kind.value,
        "place": place,
        "when": "" if obs.when is None else str(obs.when),
        "source": cited,
        "reported": "" if obs.reported is None else str(obs.reported),
        "reliability": obs.grading.reliability.name,
        "credibility": str(obs.grading.credibility.value),
        "note": obs.note,
        "after": "; ".join(obs.after),
        "throughout": _throughout(obs),
        "entry": "" if obs.corrects is None else "correction",
        "target": obs.corrects or "",
        "exact": _exact_cell(exact),
    }


def _withdrawal_row(entry: Retraction | Denial, names: _Names) -> dict[str, str]:
    exact: dict[str, Any] = {}
    cited, exact_source_ = names.source(entry.source)
    if exact_source_ is not None:
        exact["source"] = exact_source_
    if readable(entry.reason) != entry.reason:
        exact["note"] = entry.reason
    return {
        "id": entry.id,
        "source": cited,
        "reported": str(entry.reported),
        "note": entry.reason,
        "entry": "retraction" if isinstance(entry, Retraction) else "denial",
        "target": entry.target,
        "exact": _exact_cell(exact),
    }
