"""A large CSV file's plain blocks, read by Arrow straight into batches.

When pyarrow is installed, :func:`~whereabouts.io.read_csv` reads a large file
(see :data:`~whereabouts.io.csv.STREAM_BYTES`) by :func:`blocks`: about
:data:`BLOCK_BYTES` of whole lines at a time, split into columns by Arrow's CSV
parser, each column coded by Arrow into its distinct values. Only those values
are checked in Python (a kind, a place, a source, a name each once, the dates by
:func:`~whereabouts._whens.parse_many`), and the block becomes one
:class:`~whereabouts.batch.Batch`, which :meth:`Ledger.extend
<whereabouts.Ledger.extend>` checks whole by the rules of one row at a time: no
string per cell is made, but for the ids and the dates.

This is the common case only: a block whose rows name only people the ledger
holds, read as plain text (no quote, no blank line, no cell escaped against
spreadsheet formulas, no column but :data:`COLUMNS`). Rows without an id get the
ledger's next ``o{n}`` as :meth:`Ledger.extend <whereabouts.Ledger.extend>` numbers
them, which is how observing them one by one numbers them.
Anything else, and any cell or row the checks refuse, sends the block to the
general reader (:class:`Ready` keeps how to make its :class:`Chunk` parts), which
finds and words every problem with its line and column; a quote makes the
general reader take the rest of the file (a quoted field may hold line breaks).
The ledger and the problems are those of the general reader; only the time
differs.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from functools import partial
from typing import Any, BinaryIO

from whereabouts._whens import parse_many
from whereabouts.batch import Batch, code_column
from whereabouts.errors import WhereaboutsError
from whereabouts.io._cells import COLUMNS, place, read_kind, source, split
from whereabouts.io._columns import Chunk, Ready
from whereabouts.ledger import Ledger
from whereabouts.places import Place, Where
from whereabouts.sources import Grading, Source

__all__ = ["BLOCK_BYTES", "available", "blocks", "plain_header"]

BLOCK_BYTES = 32 * 2**20
"""About how much of the file a block holds (whole lines): some 400,000 rows. What the
blocks take from the allocators is not all given back: at 10^6 claims the ledger held
211 B a claim after a load in 16 MiB blocks, 191 in 32 MiB, 185 in 64 (the runner's
``--memory-only``), at about the same speed from 16 MiB up (8 MiB: ~10 % slower)."""


def available() -> bool:
    """Whether pyarrow can be imported (it is an optional dependency)."""
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


class _Refused(Exception):
    """A block this reader leaves to the general one."""


def blocks(file: BinaryIO, header: list[str], delimiter: str, line: int, ledger: Ledger,
           general: Callable[[bytes, int], Iterator[Chunk]],
           rest: Callable[[int, int], Iterator[Chunk]]) -> Generator[Ready | Chunk, None, None]:
    """The rest of ``file`` (binary, at the start of line ``line``), a block at a time:
    each a :class:`Ready` batch, or for a block this reader leaves the :class:`Chunk`
    parts ``general(data, line)`` makes of it; at a quote, ``rest(offset, line)`` gives
    the rest of the file's chunks from the general reader, from that block's first
    byte."""
    reader = _Reader(header, delimiter, ledger)
    with file:
        while True:
            offset = file.tell()
            data = file.read(BLOCK_BYTES)
            if not data:
                return
            if not data.endswith(b"\n"):
                data += file.readline()
            if b'"' in data or b"\0" in data:
                file.close()
                yield from rest(offset, line)
                return
            first = line
            line += data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
            try:
                batch, rows = reader.batch(data)
            except _Refused:
                yield from general(data, first)
                continue
            yield Ready(batch, rows, partial(general, data, first))


def _plain(data: bytes, delimiter: str) -> bool:
    """Whether the block's lines are plain: no line ending in CR alone, no cell that may
    start with the quote that escapes a formula. (A blank line is a row of one cell,
    which Arrow's parser refuses, told not to skip it.)"""
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return False
    if b"'" in data:
        sep = delimiter.encode()
        if data.startswith(b"'") or sep + b"'" in data or b"\n'" in data:
            return False
    return True


class _Reader:
    """Blocks into batches, with what holds from one block to the next."""

    def __init__(self, header: list[str], delimiter: str, ledger: Ledger) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pa_csv

        self._pa = pa
        self._pc = pc
        self._csv = pa_csv
        # The system's allocator, not Arrow's default (mimalloc): that one kept some
        # 80 MB of a 10^6 load's blocks after it; malloc gives them back.
        self._pool = pa.system_memory_pool()
        self._read = pa_csv.ReadOptions(column_names=header, use_threads=True,
                                        block_size=BLOCK_BYTES + 2**20)
        self._parse = pa_csv.ParseOptions(delimiter=delimiter, quote_char=False,
                                          newlines_in_values=False, ignore_empty_lines=False)
        self._convert = pa_csv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False,
            quoted_strings_can_be_null=False)
        self._delimiter = delimiter
        self._ledger = ledger
        self._kinds: dict[str, Any] = {}
        self._places: dict[str, Where | None] = {}
        self._known: dict[str, Place | WhereaboutsError] = {}
        self._sources: dict[str, Source] = {}
        self._names: dict[str, str] = {}
        self._entities = -1  # how many entities the ledger held when names were found
        self._distinct: dict[str, float] = {}  # distinct cells / cells of each date column

    def batch(self, data: bytes) -> tuple[Batch, int]:
        """The block as a batch and its number of rows; :class:`_Refused` if it is not
        plain or some cell is refused here."""

        pa = self._pa
        if not _plain(data, self._delimiter):
            raise _Refused
        try:
            table = self._csv.read_csv(pa.py_buffer(data), read_options=self._read,
                                       parse_options=self._parse,
                                       convert_options=self._convert, memory_pool=self._pool)
        except pa.ArrowInvalid:  # a row of another width, text not UTF-8...
            raise _Refused from None
        rows = table.num_rows
        # The columns of few distinct cells first: a block refused for one of those makes
        # no string per row (such strings, made and dropped, leave Python's allocator
        # holding more after the load: 236 MB at 10^6 with a new name in each block when
        # the ids came first, 163 read the general way).
        kinds, kind_table = self._coded(table, "kind", self._kinds, read_kind)
        places, place_table = self._coded(table, "place", self._places, self._place)
        sources, source_table = self._coded(table, "source", self._sources,
                                            lambda raw: source(raw.strip()))
        subjects, subject_table = self._subjects(table)
        gradings, grading_table = self._gradings(table)
        reported, reported_table = self._dates(table, "reported")
        whens, when_table = self._dates(table, "when")
        given: list[str] = list(map(str.strip, table.column("id").to_pylist()))
        ids: Sequence[str | None] | None = given
        if "" in given:  # a row without an id gets the ledger's next o{n} from Ledger.extend
            ids = [oid or None for oid in given] if any(given) else None
        return Batch(
            subjects=code_column(subjects), subject_table=subject_table,
            kinds=code_column(kinds), kind_table=kind_table,
            places=code_column(places), place_table=place_table,
            whens=code_column(whens), when_table=when_table,
            reported=code_column(reported), reported_table=reported_table,
            sources=code_column(sources), source_table=source_table,
            gradings=code_column(gradings) if len(gradings) else (), grading_table=grading_table,
            ids=ids, notes=self._filled(table, "note"),
            after={row: links for row, raw in self._filled(table, "after").items()
                   if (links := tuple(split(raw, ";")))},
        ), rows

    def _encoded(self, table: Any, name: str) -> tuple[Any, list[str]]:
        """A column as int64 codes into its distinct cells (Arrow's hash table)."""
        import numpy as np

        encoded = self._pc.dictionary_encode(
            table.column(name).combine_chunks(memory_pool=self._pool), memory_pool=self._pool)
        return (_int32s(encoded.indices, len(encoded)).astype(np.int64),
                encoded.dictionary.to_pylist())

    def _coded(self, table: Any, name: str, known: dict[str, Any],
               check: Callable[[str], Any]) -> tuple[Any, list[Any]]:
        """A column as codes into its values, each distinct cell checked once per file."""
        codes, cells = self._encoded(table, name)
        values = []
        for raw in cells:
            value = known.get(raw, known)
            if value is known:
                try:
                    value = known[raw] = check(raw)
                except WhereaboutsError:
                    raise _Refused from None
            values.append(value)
        return codes, values

    def _place(self, raw: str) -> Where | None:
        return place(self._ledger, raw.strip(), known=self._known)

    def _subjects(self, table: Any) -> tuple[Any, list[tuple[str, ...]]]:
        """The subjects cells as codes into tuples of entity ids: each name found once
        (again after the general reader added people), one that fits no one or several
        refused here."""
        ledger = self._ledger
        if len(ledger.entities) != self._entities:
            self._names.clear()
            self._entities = len(ledger.entities)
        names = self._names
        codes, cells = self._encoded(table, "subjects")
        values = []
        for raw in cells:
            found = []
            for name in split(raw, ";"):
                oid = names.get(name)
                if oid is None:
                    try:
                        oid = names[name] = ledger.entity(name, field="subjects").id
                    except WhereaboutsError:
                        raise _Refused from None  # a new person, or a name fitting several
                found.append(oid)
            if not found:
                raise _Refused
            values.append(tuple(found))
        return codes, values

    def _dates(self, table: Any, name: str) -> tuple[Any, Any]:
        """A column of dates as codes into a table of them, read by ``parse_many``: of
        its distinct cells, unless most cells of the file's first block were distinct
        (dates to the second): then of every cell, as hashing them would find few
        twice (10^6 such cells: 0.3 s to code, 0.05 s to copy out)."""
        import numpy as np

        if self._distinct.get(name, 0.0) > 0.5:
            cells = table.column(name).to_pylist()
            codes = np.arange(len(cells), dtype=np.int64)
        else:
            codes, cells = self._encoded(table, name)
            self._distinct.setdefault(name, len(cells) / max(len(codes), 1))
        dates, failures = parse_many(list(map(str.strip, cells)), field=name,
                                     blank_is_none=True)
        if failures:
            raise _Refused
        return codes, dates

    def _gradings(self, table: Any) -> tuple[Any, list[Grading]]:
        """The grades as codes into every pair of the distinct reliabilities and
        credibilities (none when every row is ungraded), as the general reader codes them."""
        reliability, reliabilities = self._encoded(table, "reliability")
        credibility, credibilities = self._encoded(table, "credibility")
        try:
            grading_table = [Grading(r.strip() or "F", c.strip() or "6")
                             for r in reliabilities for c in credibilities]
        except WhereaboutsError:
            raise _Refused from None
        if all(grading == Grading() for grading in grading_table):
            return (), []
        return reliability * len(credibilities) + credibility, grading_table

    def _filled(self, table: Any, name: str) -> dict[int, str]:
        """The cells of a column that are not empty, by row (found by their lengths)."""
        import numpy as np

        column = table.column(name).combine_chunks(memory_pool=self._pool)
        offsets = _int32s(column, len(column) + 1)
        rows = np.flatnonzero(offsets[1:] != offsets[:-1]).tolist()
        if len(rows) * 8 < len(column):  # a few: each read alone
            return {row: column[row].as_py() for row in rows}
        texts = column.to_pylist()
        return {row: texts[row] for row in rows}


def _int32s(array: Any, count: int) -> Any:
    """An Arrow array's int32 values (or a string array's offsets) as numpy, read from its
    buffer: ``to_numpy``, ``pa.array`` and compute functions given Python values import
    pandas (some 17 MB and a third of a second) to look for its types."""
    import numpy as np

    return np.frombuffer(array.buffers()[1], dtype=np.int32, count=count,
                         offset=array.offset * 4)


def plain_header(header: list[str]) -> bool:
    """Whether a header has the columns of :data:`COLUMNS` and no other."""
    return sorted(header) == sorted(COLUMNS)
