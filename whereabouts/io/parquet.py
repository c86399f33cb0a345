"""A ledger as a Parquet dataset, a folder of six tables (``pip install whereabouts[parquet]``).

:func:`write_parquet` writes ``entities``, ``relations``, ``places``,
``registered``, ``sources`` and ``claims`` (``docs/scale-out.md`` lists every
column), a row group at a time, straight from the ledger's columns: no object is
built per claim, so memory stays bounded however large the ledger.
:func:`read_parquet` reads them back, a batch of rows at a time, through the bulk
path (:meth:`Ledger.extend <whereabouts.Ledger.extend>`), into an equal ledger;
a dataset with a problem raises :class:`~whereabouts.io.LedgerFileError` naming
the file, the column and the first bad row, and gives no ledger. pyarrow is
imported only when either is called.

>>> import tempfile, pathlib
>>> from whereabouts.examples import assad_2024
>>> ledger = assad_2024()
>>> with tempfile.TemporaryDirectory() as folder:
...     write_parquet(ledger, pathlib.Path(folder, "assad"))
...     print(sorted(p.name for p in pathlib.Path(folder, "assad").iterdir()))
...     again = read_parquet(pathlib.Path(folder, "assad"))
['claims.parquet', 'entities.parquet', 'places.parquet', 'registered.parquet',
 'relations.parquet', 'sources.parquet']
>>> again == ledger
True
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from whereabouts._ids import Ids
from whereabouts._optional import _module
from whereabouts._store import KINDS, RETRACTION, Store
from whereabouts._whens import (
    DAY,
    MONTH,
    NONE,
    OBJECT,
    SECOND_OFFSET,
    SECOND_Z,
    YEAR,
    Dates,
    parse_many,
)
from whereabouts.batch import Batch, code_column
from whereabouts.entities import Group, Person, Relation, RelationKind
from whereabouts.errors import WhereaboutsError, brief
from whereabouts.io._records import Codec
from whereabouts.io._tables import FORMAT, TABLES, VERSION, Column, Table, arrow_schema
from whereabouts.io.errors import LedgerFileError, Problem
from whereabouts.ledger import Ledger, PlaceResolver
from whereabouts.observations import Denial, Family, Kind, Observation, Retraction
from whereabouts.places import Alternatives, Place, PlaceKind, Where
from whereabouts.sources import Grading, Source, SourceKind
from whereabouts.when import When

__all__ = ["check_target", "read_parquet", "read_tables", "write_parquet"]

ROWS = 1 << 20
"""Rows per row group written, and per batch read: what bounds the memory either takes."""
_ENTRY = ("observation", "correction", "retraction", "denial")


def _pa() -> Any:
    return _module("pyarrow", "needs pyarrow: pip install 'whereabouts[parquet]'", "pyarrow")


def _pq() -> Any:
    _pa()
    import pyarrow.parquet

    return pyarrow.parquet


def _np() -> Any:
    import numpy

    return numpy


# -- writing ----------------------------------------------------------------------------


def write_parquet(ledger: Ledger, directory: str | os.PathLike[str], *,
                  replace: bool = False, rows: int = ROWS) -> None:
    """Write ``ledger`` as a Parquet dataset in the folder ``directory``.

    The tables are written into a new folder beside ``directory`` and renamed
    to it when all are complete, so a reader never sees half a dataset. A
    ``directory`` that exists and holds anything is refused unless ``replace``:
    then the old folder is renamed away, the new one renamed in, the old one
    deleted. ``rows`` is the size of a row group (and so of the memory the
    largest table takes while written). Raises
    :class:`~whereabouts.io.MissingDependency` without pyarrow.
    """
    pq = _pq()
    target = Path(os.path.abspath(directory))
    _check_target(target, os.fspath(directory), replace=replace,
                  hint="pass replace=True to replace it")
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp",
                                 dir=target.parent))
    try:
        writer = _Writer(ledger, max(1, rows))
        for spec in TABLES:
            schema = arrow_schema(spec)
            with pq.ParquetWriter(work / spec.file, schema) as out:
                for columns in writer.tables[spec.name]():
                    out.write_table(_pa().Table.from_pydict(
                        dict(zip([c.name for c in spec.columns], columns, strict=True)),
                        schema=schema))
        _swap(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def check_target(directory: str | os.PathLike[str], *, replace: bool = False,
                 protect: Sequence[str | os.PathLike[str]] = (),
                 hint: str = "give --force to replace it") -> None:
    """Check that a dataset may be written to ``directory`` (see :func:`write_parquet`),
    before anything is computed for it; ``protect`` lists files it must not replace
    (the ledger being read), with ``replace`` or without. Raises
    :class:`~whereabouts.errors.WhereaboutsError` (field ``output``) saying why not,
    ``hint`` saying how to replace a folder that is not empty."""
    target = Path(directory)
    if not os.fspath(directory):
        raise WhereaboutsError("empty: name the folder to write", field="output", value="")
    here = target.resolve()
    for path in protect:
        kept = Path(path).resolve()
        if kept == here or here in kept.parents:
            raise WhereaboutsError(f"holds the ledger being read ({os.fspath(path)}): write "
                                   "the dataset to another folder", field="output",
                                   value=os.fspath(directory))
    _check_target(Path(os.path.abspath(directory)), os.fspath(directory), replace=replace,
                  hint=hint)


def _check_target(target: Path, name: str, *, replace: bool, hint: str) -> None:
    if not target.parent.is_dir():
        raise WhereaboutsError(f"no such folder: {os.path.dirname(name)}", field="output",
                               value=name)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise WhereaboutsError("not a folder: a Parquet dataset is written as one",
                               field="output", value=name)
    if target.is_dir() and any(target.iterdir()) and not replace:
        raise WhereaboutsError(f"a folder that is not empty: {hint}", field="output",
                               value=name)


def _swap(work: Path, target: Path) -> None:
    """Put the finished folder ``work`` in the place of ``target``."""
    if not target.exists():
        work.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        work.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


Columns = list[Any]


class _Writer:
    """The ledger's tables as chunks of Arrow columns, in each table's column order."""

    def __init__(self, ledger: Ledger, rows: int) -> None:
        self.ledger = ledger
        self.store: Store = ledger._store
        self.rows = rows
        self.codec = Codec()
        self.tables: dict[str, Callable[[], Iterator[Columns]]] = {
            "entities": self.entities, "relations": self.relations, "places": self.places,
            "registered": self.registered, "sources": self.sources, "claims": self.claims,
        }
        # Every place and source gets its id now, in the order the native file lists
        # them: registered places first, then the store's tables.
        self.registered_ids = [self.codec._place_ref(place, [])
                               for place, _ in ledger.registered_places]
        self.place_ids = [self._where(w) for w in self.store.places.values]
        self.source_ids = [self.codec._source_ref(s, []) for s in self.store.sources.values]
        self.withdrawal_sources = {row: self.codec._source_ref(entry.source, [])
                                   for row, entry in self.store.retractions.items()}

    def _where(self, where: Where | None) -> str | list[str] | None:
        return None if where is None else self.codec._where(where, [])

    def _chunks(self, items: Sequence[Any], columns: Callable[[Sequence[Any]], Columns]
                ) -> Iterator[Columns]:
        for start in range(0, max(len(items), 1), self.rows):
            yield columns(items[start:start + self.rows])

    def entities(self) -> Iterator[Columns]:
        def columns(part: Sequence[Person | Group]) -> Columns:
            return [[e.id for e in part],
                    ["group" if isinstance(e, Group) else "person" for e in part],
                    [e.name for e in part], [list(e.aliases) for e in part],
                    [e.description for e in part], [e.note for e in part]]
        return self._chunks(self.ledger.entities, columns)

    def relations(self) -> Iterator[Columns]:
        def columns(part: Sequence[Relation]) -> Columns:
            return [[r.subject for r in part], [r.kind.value for r in part],
                    [r.object for r in part], [r.label for r in part], [r.note for r in part]]
        return self._chunks(self.ledger.relations, columns)

    def places(self) -> Iterator[Columns]:
        places = list(self.codec.places.items())
        ids = {place: pid for pid, place in reversed(places)}

        def columns(part: Sequence[tuple[str, Place]]) -> Columns:
            return [[pid for pid, _ in part], [p.key for _, p in part],
                    [p.name for _, p in part], [p.kind.value for _, p in part],
                    [p.country for _, p in part], [sorted(p.countries) for _, p in part],
                    [p.subdivision for _, p in part],
                    [None if p.point is None else p.point[0] for _, p in part],
                    [None if p.point is None else p.point[1] for _, p in part],
                    [None if p.parent is None else ids[p.parent] for _, p in part]]
        return self._chunks(places, columns)

    def registered(self) -> Iterator[Columns]:
        pairs = list(zip(self.registered_ids, self.ledger.registered_places, strict=True))

        def columns(part: Sequence[tuple[str, tuple[Place, tuple[str, ...]]]]) -> Columns:
            return [[pid for pid, _ in part], [list(aliases) for _, (_, aliases) in part]]
        return self._chunks(pairs, columns)

    def sources(self) -> Iterator[Columns]:
        sources = list(self.codec.sources.items())
        ids = {source: sid for sid, source in reversed(sources)}

        def columns(part: Sequence[tuple[str, Source]]) -> Columns:
            return [[sid for sid, _ in part], [s.name for _, s in part],
                    [s.kind.value for _, s in part],
                    [None if s.published is None else str(s.published) for _, s in part],
                    [s.url for _, s in part],
                    [None if s.via is None else ids[s.via] for _, s in part]]
        return self._chunks(sources, columns)

    def claims(self) -> Iterator[Columns]:
        claims = _Claims(self)
        for start in range(0, max(len(self.store), 1), self.rows):
            yield claims.chunk(start, min(start + self.rows, len(self.store)))


class _Sparse:
    """A dict keyed by store row, its keys sorted once, read a range of rows at a time."""

    def __init__(self, values: Mapping[int, Any]) -> None:
        np = _np()
        self.values = values
        self.keys = np.array(sorted(values), dtype=np.int64)

    def within(self, start: int, stop: int) -> list[int]:
        np = _np()
        lo, hi = np.searchsorted(self.keys, [start, stop])
        rows: list[int] = self.keys[lo:hi].tolist()
        return rows


class _Claims:
    """The ``claims`` table of a store, a range of rows at a time, from its columns."""

    def __init__(self, writer: _Writer) -> None:
        pa, np = _pa(), _np()
        store = self.store = writer.store
        self.entity_ids = pa.array(store.entity_ids, type=pa.string())
        place_ids = writer.place_ids
        self.place_texts = pa.array([p if isinstance(p, str) else "" for p in place_ids],
                                    pa.string())
        self.single_place = np.array([isinstance(p, str) for p in place_ids])
        self.options = {code: p for code, p in enumerate(place_ids) if isinstance(p, list)}
        extra = sorted(set(writer.withdrawal_sources.values()) - set(writer.source_ids))
        self.source_texts = pa.array([*writer.source_ids, *extra] or [""], pa.string())
        self.source_code = {sid: code for code, sid in enumerate(self.source_texts.to_pylist())}
        self.withdrawal_sources = writer.withdrawal_sources
        self.grading_texts = pa.array([g.code for g in store.gradings.values], pa.string())
        self.kind_texts = pa.array([k.value for k in KINDS], pa.string())
        self.entry_texts = pa.array(list(_ENTRY), pa.string())
        self.more = _Sparse(store.more_subjects)
        self.notes = _Sparse(store.notes)
        self.after = _Sparse(store.after)
        self.corrects = _Sparse(store.corrects)
        self.withdrawn = _Sparse(store.retractions)
        self.stays = _Sparse(store.stays)

    def chunk(self, start: int, stop: int) -> Columns:
        pa, np = _pa(), _np()
        store, n = self.store, stop - start
        kind = np.frombuffer(store.kind, dtype=np.int8)[start:stop].astype(np.int32)
        withdrawal = kind == RETRACTION
        kind[withdrawal] = 0
        entry = np.zeros(n, dtype=np.int32)
        target: dict[int, str] = {}
        for row in self.corrects.within(start, stop):
            entry[row - start] = 1
            target[row - start] = store.id_of(store.corrects[row])
        notes = {row - start: store.notes[row] for row in self.notes.within(start, stop)}
        source = np.frombuffer(store.source, dtype=np.int32)[start:stop].copy()
        for row in self.withdrawn.within(start, stop):
            withdrawn = store.retractions[row]
            entry[row - start] = 2 if isinstance(withdrawn, Retraction) else 3
            target[row - start] = withdrawn.target
            if withdrawn.reason:
                notes[row - start] = withdrawn.reason
            source[row - start] = self.source_code[self.withdrawal_sources[row]]
        # The dates these rows use, as a table of their own: a ledger's dates can be
        # as many as its claims (one a second), so a table of all would not be bounded.
        used, local = np.unique(np.concatenate([
            np.frombuffer(store.when, dtype=np.int32)[start:stop],
            np.frombuffer(store.reported, dtype=np.int32)[start:stop]]), return_inverse=True)
        when, reported = local[:n], local[n:]
        texts = _date_texts(store.whens, used)
        known = np.frombuffer(store.whens.shape, dtype=np.int8)[used] != NONE
        starts, ends = store.whens.bounds(codes=used)
        place = np.frombuffer(store.place, dtype=np.int32)[start:stop]
        grading = np.frombuffer(store.grading, dtype=np.int8)[start:stop]
        seq = np.arange(start, stop, dtype=np.int64)
        default_ids = _pc().binary_join_element_wise(
            "o", _pc().cast(pa.array(seq + 1), pa.string()), "")
        own = np.flatnonzero(store.ids.have(seq)) if len(store.ids) else ()  # rows with ids
        ids = default_ids if not len(own) else _pc().coalesce(
            _own_ids(store.ids, start, stop), default_ids)
        lower, upper = starts[when], np.minimum(ends[when], ends[reported])
        throughout = np.zeros(n, dtype=bool)
        for row in self.stays.within(start, stop):
            begun, *_, ended = store.stays[row]
            lower[row - start], upper[row - start] = begun, ended
            throughout[row - start] = True
        subjects = self._subjects(start, stop, withdrawal)
        options: dict[int, list[str]] = {}
        if self.options:
            for row in np.flatnonzero(np.isin(place, list(self.options))).tolist():
                options[row] = self.options[int(place[row])]
        after = {row - start: [store.id_of(r) for r in store.after[row]]
                 for row in self.after.within(start, stop)}
        return [
            pa.array(seq),
            ids,
            _dictionary(entry, self.entry_texts),
            subjects,
            _dictionary(kind, self.kind_texts, withdrawal),
            _dictionary(place, self.place_texts, ~self.single_place[place] | withdrawal),
            _lists(n, options, null_default=True),
            _dictionary(when, texts, ~known[when] | withdrawal),
            pa.array(starts[when], mask=withdrawal),
            pa.array(ends[when], mask=withdrawal),
            pa.array(throughout, mask=withdrawal),
            _dictionary(reported, texts, ~known[reported]),
            pa.array(starts[reported]),
            pa.array(ends[reported]),
            pa.array(lower, mask=withdrawal),
            pa.array(upper, mask=withdrawal),
            _dictionary(source, self.source_texts),
            _dictionary(grading.astype(np.int32), self.grading_texts, withdrawal),
            _sparse_texts(n, notes, ""),
            _lists(n, after),
            _sparse_texts(n, target, None),
        ]

    def _subjects(self, start: int, stop: int, withdrawal: Any) -> Any:
        """Each row's entity ids: one for most rows, several for some, none for a withdrawal."""
        pa, np = _pa(), _np()
        store = self.store
        codes = np.frombuffer(store.subject, dtype=np.int32)[start:stop]
        lengths = np.where(withdrawal, 0, 1)
        more = {row - start: store.more_subjects[row] for row in self.more.within(start, stop)}
        for row, numbers in more.items():
            lengths[row] = len(numbers)
        offsets = np.zeros(len(codes) + 1, dtype=np.int32)
        np.cumsum(lengths, out=offsets[1:])
        flat = np.zeros(int(offsets[-1]), dtype=np.int32)
        single = lengths == 1
        flat[offsets[:-1][single]] = codes[single]
        for row, numbers in more.items():
            flat[offsets[row]:offsets[row + 1]] = numbers
        return pa.ListArray.from_arrays(pa.array(offsets), self.entity_ids.take(pa.array(flat)))


def _pc() -> Any:
    _pa()
    import pyarrow.compute

    return pyarrow.compute


def _dictionary(codes: Any, texts: Any, null: Any = None) -> Any:
    """A dictionary-encoded column of ``texts[code]`` per row (null where ``null``),
    its dictionary only the texts the rows use."""
    pa, np = _pa(), _np()
    used, indices = np.unique(codes, return_inverse=True)
    return pa.DictionaryArray.from_arrays(
        pa.array(indices.astype(np.int32), mask=null), texts.take(pa.array(used)))


def _date_texts(dates: Dates, codes: Any) -> Any:
    """The EDTF text of the entries ``codes`` (an integer array) as an Arrow string array
    ("" for none): the plain dates (see ``_whens``) formatted by Arrow from their
    numbers, in C++, not one When built and written out per date (a million distinct
    ones at 10^6 claims)."""
    pa, pc, np = _pa(), _pc(), _np()
    shape = np.frombuffer(dates.shape, dtype=np.int8)[codes]
    lower = np.frombuffer(dates.lower, dtype=np.int64)[codes]
    offset = dates.offsets()[codes].astype(np.int64)
    plain = (shape != NONE) & (shape != OBJECT)
    local = np.where(plain, lower + offset * 60, 0)  # the wall-clock time written
    full = pc.strftime(pa.array(local, pa.timestamp("s")), format="%Y-%m-%dT%H:%M:%S")
    texts = full
    for code, length in ((YEAR, 4), (MONTH, 7), (DAY, 10)):
        texts = pc.if_else(pa.array(shape == code), pc.utf8_slice_codeunits(full, 0, length),
                           texts)
    suffixes = [(shape == SECOND_Z, "Z")]  # then each offset written, once
    for minutes in np.unique(offset[shape == SECOND_OFFSET]).tolist():
        hours, rest = divmod(abs(minutes), 60)
        suffixes.append(((shape == SECOND_OFFSET) & (offset == minutes),
                         f"{'-' if minutes < 0 else '+'}{hours:02}:{rest:02}"))
    ends = np.zeros(len(shape), dtype=np.int32)
    table = [""]
    for rows, suffix in suffixes:
        ends[rows] = len(table)
        table.append(suffix)
    texts = pc.binary_join_element_wise(texts, pa.array(table).take(pa.array(ends)), "")
    texts = pc.if_else(pa.array(shape == NONE), "", texts)
    objects = shape == OBJECT
    if objects.any():
        texts = pc.replace_with_mask(texts, pa.array(objects), pa.array(
            [str(dates[code]) for code in codes[objects].tolist()], pa.string()))
    return texts


def _own_ids(ids: Ids, start: int, stop: int) -> Any:
    """The ids given to rows ``start`` to ``stop`` (null for a row without one), as an
    Arrow string array: the compact ones written by Arrow from their prefix, number and
    width (see ``_ids``), not one Python string each."""
    pa, pc, np = _pa(), _pc(), _np()
    rows, prefix, number, width = ids.compact_between(start, stop)
    digits = pc.cast(pa.array(number), pa.string())
    for size in np.unique(width).tolist():
        digits = pc.if_else(pa.array(width == size), pc.utf8_lpad(digits, size, "0"), digits)
    texts = pc.binary_join_element_wise(
        pa.array(ids.prefixes or [""], pa.string()).take(pa.array(prefix)), digits, "")
    at = np.full(stop - start, -1, dtype=np.int64)
    at[rows - start] = np.arange(len(rows))
    others = ids.others_between(start, stop)
    if others:
        at[np.array(list(others), dtype=np.int64) - start] = len(rows) + np.arange(len(others))
        texts = pa.concat_arrays([texts, pa.array(list(others.values()), pa.string())])
    return texts.take(pa.array(at, mask=at < 0))


def _sparse_texts(n: int, texts: Mapping[int, str], default: str | None) -> Any:
    """A text column of ``n`` rows: ``texts`` at their rows, ``default`` elsewhere."""
    pa, np = _pa(), _np()
    values = pa.array([default, *texts.values()], pa.string())
    codes = np.zeros(n, dtype=np.int32)
    codes[list(texts)] = np.arange(1, len(texts) + 1, dtype=np.int32)
    return values.take(pa.array(codes))


def _lists(n: int, lists: Mapping[int, Sequence[str]], *, null_default: bool = False) -> Any:
    """A list column of ``n`` rows: ``lists`` at their rows, empty (or null) elsewhere."""
    pa, np = _pa(), _np()
    lengths = np.zeros(n, dtype=np.int32)
    for row, items in lists.items():
        lengths[row] = len(items)
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    values = pa.array([item for items in lists.values() for item in items], pa.string())
    mask = None
    if null_default:
        missing = np.ones(n, dtype=bool)
        missing[list(lists)] = False
        mask = pa.array(missing)
    return pa.ListArray.from_arrays(pa.array(offsets), values, mask=mask)


# -- reading ----------------------------------------------------------------------------


def read_parquet(directory: str | os.PathLike[str], *, gazetteer: PlaceResolver | None = None,
                 rows: int = ROWS) -> Ledger:
    """Read a Parquet dataset that :func:`write_parquet` wrote (or any tool, in its schema).

    Raises :class:`~whereabouts.io.LedgerFileError` for a dataset with a
    problem (a missing table or column, a wrong type, a bad value, a claim about
    an unknown entity, an id used twice...), naming the file, the column and the
    first bad row (counted from 0); then no ledger is returned. ``rows`` is
    how many claims are read and checked at a time. ``gazetteer`` resolves place
    names for the returned ledger.
    """
    folder = Path(directory)
    if not folder.is_dir():
        what = "not a folder" if folder.exists() else "no such folder"
        raise LedgerFileError(folder, [Problem(message=f"{what}: a Parquet dataset is a "
                                                       "folder of tables")])
    files: dict[str, tuple[str | Path, Any]] = {}
    try:
        for spec in TABLES:
            files[spec.name] = _open(folder / spec.file, spec)
        return _Reader(files, Ledger(gazetteer=gazetteer), max(1, rows)).read()
    finally:
        for _, file in files.values():
            file.close()
        files.clear()
        _pa().default_memory_pool().release_unused()  # see _batches


def read_tables(tables: Mapping[str, Any], *, gazetteer: PlaceResolver | None = None,
                rows: int = ROWS) -> Ledger:
    """A ledger from the six tables as pyarrow Tables (``{"claims": table, ...}``), as
    :func:`read_parquet` reads them from files: for tables already in memory, or a part
    of a dataset (the claims about some entities; ``seq`` need only increase). A
    problem names the table as ``<claims>``, and its row in the table given.

    >>> import pyarrow.compute as pc, pyarrow.parquet as pq, tempfile, pathlib
    >>> from whereabouts.examples import assad_2024
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_parquet(assad_2024(), pathlib.Path(folder, "assad"))
    ...     tables = {name: pq.read_table(pathlib.Path(folder, "assad", f"{name}.parquet"))
    ...               for name in ("entities", "relations", "places", "registered",
    ...                            "sources", "claims")}
    >>> read_tables(tables) == assad_2024()
    True

    A part must hold the claims its ``after`` links and corrections name:

    >>> claims = tables["claims"]
    >>> tables["claims"] = claims.filter(pc.greater_equal(claims["seq"], 15))
    >>> read_tables(tables)
    Traceback (most recent call last):
    ...
    whereabouts.io.errors.LedgerFileError: <claims>: row 0, after: 'iyad-leaves': no such
    observation in the ledger
    """
    pa = _pa()
    found: dict[str, tuple[str, Any]] = {}
    for spec in TABLES:
        name = f"<{spec.name}>"
        table = tables.get(spec.name)
        if not isinstance(table, pa.Table):
            raise LedgerFileError(name, [Problem(message=(
                "missing: a pyarrow Table is needed" if table is None
                else f"expected a pyarrow Table, not {type(table).__name__}"))])
        _check_schema(name, spec, table.schema)
        found[spec.name] = (name, _InMemory(table))
    return _Reader(found, Ledger(gazetteer=gazetteer), max(1, rows)).read()


class _InMemory:
    """A pyarrow Table read as a Parquet file is, a batch at a time."""

    def __init__(self, table: Any) -> None:
        self.table = table

    def iter_batches(self, batch_size: int) -> Iterator[Any]:
        return iter(self.table.to_batches(max_chunksize=batch_size))


class _Bad(Exception):
    """A problem at a row and column of the table being read."""

    def __init__(self, row: int | None, column: str | None, error: WhereaboutsError | str
                 ) -> None:
        super().__init__(column)
        self.row, self.column, self.error = row, column, error


def _open(path: Path, spec: Table) -> tuple[str | Path, Any]:
    """The Parquet file of a table, its columns checked against the spec."""
    if not path.is_file():
        raise LedgerFileError(path, [Problem(message=f"missing: the {spec.name} table of the "
                                                     "dataset")])
    pa = _pa()
    try:
        file = _pq().ParquetFile(path)
        schema = file.schema_arrow
    except (OSError, pa.ArrowException) as err:
        raise LedgerFileError(path, [Problem(message=f"not a Parquet file: "
                                                     f"{brief(str(err))}")]) from None
    _check_schema(path, spec, schema)
    return path, file


def _check_schema(path: str | Path, spec: Table, schema: Any) -> None:
    """Refuse a table whose columns are not the spec's, or of a newer format version."""
    made = json.loads((schema.metadata or {}).get(b"whereabouts", b"{}"))
    if isinstance(made, dict) and made.get("format") == FORMAT and not (
            isinstance(made.get("version"), int) and made["version"] <= VERSION):
        raise LedgerFileError(path, [Problem(message=(
            f"written by a newer whereabouts (format version {brief(made.get('version'))}; "
            f"this one reads version {VERSION}): upgrade whereabouts to read it"))])
    names = [c.name for c in spec.columns]
    problems = [Problem(field=c.name, message="missing column") for c in spec.columns
                if c.name not in schema.names]
    problems += [Problem(field=name, message="not a column of this table (its columns: "
                                             f"{', '.join(names)})")
                 for name in schema.names if name not in names]
    for column in spec.columns:
        if column.name in schema.names:
            found = schema.field(column.name).type
            if not _fits(found, column):
                problems.append(Problem(field=column.name,
                                        message=f"expected {column.type}, not {found}"))
    if problems:
        raise LedgerFileError(path, problems)


def _fits(found: Any, column: Column) -> bool:
    """Whether an Arrow type reads as the column's type."""
    pa = _pa()
    types = pa.types
    if types.is_dictionary(found):
        found = found.value_type
    if column.type == "string":
        return bool(types.is_string(found) or types.is_large_string(found))
    if column.type == "list<string>":
        if not (types.is_list(found) or types.is_large_list(found)):
            return False
        item = found.value_type
        item = item.value_type if types.is_dictionary(item) else item
        return bool(types.is_string(item) or types.is_large_string(item))
    if column.type == "int64":
        return bool(types.is_integer(found))
    if column.type == "float64":
        return bool(types.is_floating(found))
    return bool(types.is_boolean(found))


def _batches(file: Any, spec: Table, rows: int) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of a table, a batch at a time: (the first row's number, columns by name),
    nulls refused where the spec allows none."""
    start = 0
    for batch in file.iter_batches(batch_size=rows):
        columns = {name: batch.column(name) for name in batch.schema.names}
        for column in spec.columns:
            values = columns[column.name]
            if not column.nullable and values.null_count:
                row = int(_np().flatnonzero(values.is_null().to_numpy(zero_copy_only=False))[0])
                raise _Bad(start + row, column.name, "null where a value is needed")
        yield start, columns
        start += batch.num_rows
        del batch, columns
        # Arrow's allocator (mimalloc by default) keeps what a batch freed for the next
        # one, and what it keeps grows over a long read: at 10^7 claims it held GiBs
        # after the read. Handed back a batch at a time, it stays one batch's worth.
        _pa().default_memory_pool().release_unused()


def _texts(values: Any) -> list[Any]:
    """A text or list column's values as Python lists (dictionary-encoded or not)."""
    pa = _pa()
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    out: list[Any] = values.to_pylist()
    return out


_BATCH_FIELDS = {"subjects": "subjects", "kinds": "kind", "places": "place", "place": "place",
                 "whens": "when", "when": "when", "reported": "reported", "sources": "source",
                 "gradings": "grading", "id": "id", "ids": "id", "after": "after",
                 "notes": "note", "throughout": "throughout", "stay": "throughout",
                 "point": "latitude"}
_ROW = re.compile(r"row (\d+)(?:, ([a-z_]+))?")


class _Reader:
    def __init__(self, files: Mapping[str, tuple[str | Path, Any]], ledger: Ledger, rows: int
                 ) -> None:
        self.last_seq = -1
        self.files = files
        self.ledger = ledger
        self.rows = rows
        self.places: dict[str, Place] = {}
        self.sources: dict[str, Source] = {}
        self.whens: dict[str | None, When | None] = {None: None}

    def read(self) -> Ledger:
        with self.ledger._one_load():  # everyone's standing worked out once, at the end
            return self._read()

    def _read(self) -> Ledger:
        pa = _pa()
        for spec in TABLES:
            path, file = self.files[spec.name]
            try:
                step: Callable[[int, dict[str, Any]], None] = getattr(self, f"_{spec.name}")
                for start, columns in _batches(file, spec, self.rows):
                    step(start, columns)
            except _Bad as bad:
                raise _error(path, bad) from None
            except (OSError, pa.ArrowException) as err:
                raise LedgerFileError(path, [Problem(message=f"cannot be read: "
                                                             f"{brief(str(err))}")]) from None
        return self.ledger

    def _entities(self, start: int, columns: dict[str, Any]) -> None:
        ids, types, names, aliases, descriptions, notes = (
            _texts(columns[c]) for c in ("id", "type", "name", "aliases", "description",
                                         "note"))
        for row, (eid, kind, name, also, description, note) in enumerate(zip(
                ids, types, names, aliases, descriptions, notes, strict=True), start=start):
            if kind not in ("person", "group"):
                raise _Bad(row, "type", f"{brief(kind)}: expected person or group")
            cls = Person if kind == "person" else Group
            with _at(row, None):
                self.ledger.add(cls(eid, name, aliases=tuple(also), description=description,
                                    note=note))

    def _relations(self, start: int, columns: dict[str, Any]) -> None:
        for row, (subject, kind, obj, label, note) in enumerate(zip(
                *(_texts(columns[c]) for c in ("subject", "kind", "object", "label", "note")),
                strict=True), start=start):
            with _at(row, "kind"):
                relation_kind = RelationKind.coerce(kind)
            with _at(row, None):
                self.ledger.relate(subject, relation_kind, obj, label=label, note=note)

    def _places(self, start: int, columns: dict[str, Any]) -> None:
        names = ("id", "key", "name", "kind", "country", "countries", "subdivision",
                 "latitude", "longitude", "parent")
        for row, values in enumerate(zip(*(_texts(columns[c]) for c in names), strict=True),
                                     start=start):
            pid, key, name, kind, country, countries, subdivision, lat, lon, parent = values
            if pid in self.places:
                raise _Bad(row, "id", f"{brief(pid)}: a place with this id is already "
                                      "defined above")
            with _at(row, "kind"):
                place_kind = _enum(PlaceKind, kind)
            if (lat is None) != (lon is None):
                raise _Bad(row, "latitude" if lat is None else "longitude",
                           "a point needs both latitude and longitude")
            fields: dict[str, Any] = {"name": name, "kind": place_kind, "country": country,
                                      "subdivision": subdivision, "key": key}
            if place_kind is PlaceKind.REGION:
                fields["countries"] = tuple(countries)
            if lat is not None:
                fields["point"] = (lat, lon)
            if parent is not None:
                found = self.places.get(parent)
                if found is None:
                    raise _Bad(row, "parent", f"{brief(parent)}: no place with this id is "
                                              "defined above")
                fields["parent"] = found
            with _at(row, None):
                self.places[pid] = Place(**fields)

    def _place(self, row: int, column: str, pid: str) -> Place:
        found = self.places.get(pid)
        if found is None:
            raise _Bad(row, column, f"{brief(pid)}: no such place in places.parquet")
        return found

    def _registered(self, start: int, columns: dict[str, Any]) -> None:
        for row, (pid, aliases) in enumerate(zip(_texts(columns["place"]),
                                                 _texts(columns["aliases"]), strict=True),
                                             start=start):
            place = self._place(row, "place", pid)
            with _at(row, "aliases"):
                self.ledger.register_place(place, aliases=aliases)

    def _sources(self, start: int, columns: dict[str, Any]) -> None:
        names = ("id", "name", "kind", "published", "url", "via")
        for row, (sid, name, kind, published, url, via) in enumerate(
                zip(*(_texts(columns[c]) for c in names), strict=True), start=start):
            if sid in self.sources:
                raise _Bad(row, "id", f"{brief(sid)}: a source with this id is already "
                                      "defined above")
            with _at(row, "kind"):
                source_kind = _enum(SourceKind, kind)
            relayed = None
            if via is not None:
                relayed = self.sources.get(via)
                if relayed is None:
                    raise _Bad(row, "via", f"{brief(via)}: no source with this id is "
                                           "defined above")
            with _at(row, None):
                self.sources[sid] = Source(name, kind=source_kind, published=published,
                                           url=url, via=relayed)

    def _source(self, row: int, sid: str) -> Source:
        found = self.sources.get(sid)
        if found is None:
            raise _Bad(row, "source", f"{brief(sid)}: no such source in sources.parquet")
        return found

    def _when(self, text: str | None, row: int, column: str) -> When | None:
        try:
            return self.whens[text]
        except KeyError:
            pass
        with _at(row, column):
            value = self.whens[text] = When.parse(str(text), field=column)
        return value

    def _claims(self, start: int, columns: dict[str, Any]) -> None:
        np = _np()
        seq = columns["seq"].to_numpy()
        before = np.concatenate([[self.last_seq], seq[:-1]])
        if len(seq) and not (seq > before).all():
            bad = int(np.flatnonzero(seq <= before)[0])
            raise _Bad(start + bad, "seq", f"{int(seq[bad])}: not after the row before "
                                           f"({int(before[bad])}): the claims are in ledger "
                                           "order")
        if len(seq):
            self.last_seq = int(seq[-1])
        entries = columns["entry"]
        others = _where(_pc().not_equal(entries, "observation"))
        run = 0
        for row in others:
            if run < row:
                self._observations(start, columns, run, row)
            self._entry(start + row, entries[row].as_py(), _row_of(columns, row))
            run = row + 1
        if run < len(entries):
            self._observations(start, columns, run, len(entries))

    def _entry(self, row: int, entry: str, values: dict[str, Any]) -> None:
        """A correction, retraction or denial, appended alone."""
        if entry not in _ENTRY:
            raise _Bad(row, "entry", f"{brief(entry)}: expected one of {', '.join(_ENTRY)}")
        if values["target"] is None:
            raise _Bad(row, "target", f"a {entry} needs the observation it is about")
        source = self._source(row, values["source"])
        if entry in ("retraction", "denial"):
            cls = Retraction if entry == "retraction" else Denial
            with _at(row, "reported"):
                built: Observation | Retraction | Denial = cls(
                    id=values["id"], target=values["target"], source=source,
                    reported=values["reported"], reason=values["note"])
        else:
            with _at(row, "kind"):
                kind = Kind.coerce(values["kind"])
            place: Where | None = None
            if values["place_options"] is not None:
                place = Alternatives(tuple(self._place(row, "place_options", p)
                                           for p in values["place_options"]))
            elif values["place"] is not None:
                place = self._place(row, "place", values["place"])
            with _at(row, None):
                built = Observation(
                    id=values["id"], subjects=tuple(values["subjects"]), kind=kind,
                    place=place, when=self._when(values["when"], row, "when"),
                    **({} if values["throughout"] is None
                       else {"throughout": values["throughout"]}), source=source,
                    reported=self._when(values["reported"], row, "reported"),
                    grading=Grading.parse(values["grading"] or "F6"), note=values["note"],
                    after=tuple(values["after"]), corrects=values["target"])
        with _at(row, "target" if entry != "correction" else None):
            self.ledger.append(built)

    def _observations(self, start: int, columns: dict[str, Any], a: int, b: int) -> None:
        """Rows ``a`` to ``b`` of a batch, all plain observations, appended as one Batch."""
        np = _np()
        part = {name: values.slice(a, b - a) for name, values in columns.items()}
        first = start + a

        def coded(name: str, convert: Callable[[int, Any], Any]) -> tuple[Any, list[Any]]:
            """A column as codes into a table of its distinct values, each converted once
            (told the first row that holds it); null is the table's last value."""
            codes, distinct = _used(part[name])
            texts = distinct.to_pylist()
            table: list[Any] = [None] * (len(texts) + 1)
            used, rows = np.unique(codes, return_index=True)
            for code, row in zip(used.tolist(), rows.tolist(), strict=True):
                table[code] = convert(first + row, texts[code] if code < len(texts) else None)
            return codes, table

        def kind(row: int, text: str | None) -> Kind:
            if text is None:
                raise _Bad(row, "kind", "an observation needs a kind")
            with _at(row, "kind"):
                return Kind.coerce(text)

        def grading(row: int, text: str | None) -> Grading:
            if text is None:
                return Grading()
            with _at(row, "grading"):
                return Grading.parse(text)

        def place(row: int, pid: str | None) -> Place | None:
            return None if pid is None else self._place(row, "place", pid)

        def dated(name: str) -> tuple[Any, Dates]:
            """A date column as codes into a table of its distinct dates, read at once
            by ``parse_many`` into numbers (no When each; null is the table's last)."""
            codes, distinct = _used(part[name])
            texts = distinct.to_pylist()
            table, failures = parse_many(texts, field=name)
            table.code(None)
            if failures:
                used, rows = np.unique(codes, return_index=True)
                bad = [(int(row), code) for code, row in zip(used.tolist(), rows.tolist(),
                                                              strict=True) if code in failures]
                if bad:
                    row, code = min(bad)
                    with _at(first + row, name):
                        raise failures[code]
            return codes, table

        kinds, kind_table = coded("kind", kind)
        places, place_table = coded("place", place)
        whens, when_table = dated("when")
        reported, reported_table = dated("reported")
        sources, source_table = coded("source", lambda r, t: self._source(r, t))
        gradings, grading_table = coded("grading", grading)
        options = part["place_options"]
        if options.null_count < len(options):
            place_table = list(place_table)
            for row, option in enumerate(_texts(options)):
                if option is not None:
                    place_table.append(Alternatives(tuple(
                        self._place(first + row, "place_options", p) for p in option)))
                    places[row] = len(place_table) - 1
        subjects, subject_table = _subject_codes(part["subjects"])
        said = part["throughout"]
        throughout = _pc().fill_null(said, False).to_numpy(zero_copy_only=False)
        default = _stays_by_default(kinds, kind_table, whens, when_table)
        says = np.flatnonzero((throughout != default)
                              & ~said.is_null().to_numpy(zero_copy_only=False))
        batch = Batch(
            subjects=code_column(subjects), subject_table=subject_table, kinds=code_column(kinds),
            kind_table=[k or Kind.SEEN_AT for k in kind_table], places=code_column(places),
            place_table=place_table, whens=code_column(whens), when_table=when_table,
            reported=code_column(reported), reported_table=reported_table,
            sources=code_column(sources),
            source_table=[s or _NO_SOURCE for s in source_table], gradings=code_column(gradings),
            grading_table=[g or Grading() for g in grading_table],
            ids=_texts(part["id"]),
            notes=_picked(part["note"], _pc().not_equal(part["note"], "")),
            after={row: tuple(links) for row, links in _picked(
                part["after"], _pc().greater(_pc().list_value_length(part["after"]), 0)
            ).items()},
            throughout={int(row): bool(throughout[row]) for row in says},
        )
        try:
            self.ledger.extend(batch)
        except WhereaboutsError as err:
            raise _batch_error(err, first) from None


_NO_SOURCE = Source("none")


def _used(values: Any) -> tuple[Any, Any]:
    """A column as int64 codes into the distinct values its rows hold (an Arrow array),
    null coded as their number.

    A dictionary column's own dictionary may hold many more: a batch of a row group
    shares the row group's (a million dates for a batch of 131,072 rows), and reading
    it whole at every batch parsed each date eight times over and kept every copy in
    the ledger's table of dates (a read of 10^7 claims held 5.8 GiB, not 3)."""
    pa, pc, np = _pa(), _pc(), _np()
    if not pa.types.is_dictionary(values.type):
        values = pc.dictionary_encode(values)  # only the values held, by construction
    dictionary = values.dictionary
    codes = pc.fill_null(values.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    nulls = codes < 0
    held = np.bincount(codes[~nulls], minlength=len(dictionary)) > 0
    if not held.all():
        kept = np.flatnonzero(held)
        dictionary = dictionary.take(pa.array(kept))
        codes = np.cumsum(held)[codes] - 1  # a null's -1 reads the last count: reset below
    codes[nulls] = len(dictionary)
    return codes, dictionary


def _where(mask: Any) -> list[int]:
    """The rows where a boolean Arrow column is true (null counts as false)."""
    rows: list[int] = _np().flatnonzero(
        _pc().fill_null(mask, False).to_numpy(zero_copy_only=False)).tolist()
    return rows


def _picked(values: Any, mask: Any) -> dict[int, Any]:
    """The values of a column at the rows where ``mask`` is true, by row."""
    rows = _where(mask)
    if not rows:
        return {}
    return dict(zip(rows, _texts(values.take(_pa().array(rows))), strict=True))


def _subject_codes(values: Any) -> tuple[Any, list[tuple[str, ...]]]:
    """A ``subjects`` list column as Batch codes into a table of id tuples."""
    pa, np = _pa(), _np()
    lengths = _pc().list_value_length(values).to_numpy(zero_copy_only=False)
    flat = values.flatten()
    if pa.types.is_dictionary(flat.type):
        flat = flat.cast(flat.type.value_type)
    encoded = _pc().dictionary_encode(flat)
    table: list[tuple[str, ...]] = [(eid,) for eid in encoded.dictionary.to_pylist()]
    codes = np.zeros(len(values), dtype=np.int64)
    starts = values.offsets.to_numpy()[:-1] - values.offsets[0].as_py()
    single = lengths == 1
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    codes[single] = indices[starts[single]]
    several = np.flatnonzero(~single)
    if len(several):
        known: dict[tuple[str, ...], int] = {}
        lists = values.take(pa.array(several)).to_pylist()
        for row, ids in zip(several.tolist(), lists, strict=True):
            key = tuple(ids or ())
            if key not in known:
                known[key] = len(table)
                table.append(key)
            codes[row] = known[key]
    return codes, table


def _stays_by_default(kinds: Any, kind_table: list[Kind | None], whens: Any,
                      when_table: Dates) -> Any:
    """Each row's default ``throughout`` (see :func:`~whereabouts.stay_by_default`):
    only a set of spans can be one, and only dates kept as objects can be sets."""
    from whereabouts._stays import is_span_set

    np = _np()
    presence = np.array([k is not None and k.family is Family.PRESENCE for k in kind_table])
    spans = np.zeros(len(when_table), dtype=bool)
    for code, when in when_table.object_codes():
        spans[code] = when.text[0] == "{" and is_span_set(when)
    return presence[kinds] & spans[whens]


def _row_of(columns: dict[str, Any], row: int) -> dict[str, Any]:
    out = {}
    for name, values in columns.items():
        value = values[row].as_py()
        out[name] = value
    return out


def _enum(kind: type[PlaceKind] | type[SourceKind], text: str) -> Any:
    try:
        return kind(text)
    except ValueError:
        known = ", ".join(k.value for k in kind)
        raise WhereaboutsError(f"not a known kind (known: {known})", value=text) from None


class _at:
    """Turns a library error raised at ``row`` into a :class:`_Bad` naming ``column``
    (the error's own field when ``column`` is None)."""

    def __init__(self, row: int, column: str | None) -> None:
        self.row, self.column = row, column

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if isinstance(error, WhereaboutsError) and not isinstance(error, LedgerFileError):
            field = error.field if self.column is None else self.column
            raise _Bad(self.row, _BATCH_FIELDS.get(str(field), field), error) from None


def _batch_error(err: WhereaboutsError, first: int) -> _Bad:
    """An error of :meth:`Ledger.extend` ("row 5, when") at its row of the file."""
    match = _ROW.match(err.field or "")
    if match is None:
        return _Bad(None, err.field, err)
    field = match.group(2)
    return _Bad(first + int(match.group(1)), _BATCH_FIELDS.get(str(field), field), err)


def _error(path: str | Path, bad: _Bad) -> LedgerFileError:
    error = bad.error
    if isinstance(error, WhereaboutsError):
        message = error.reason if error.value is None else f"{brief(error.value)}: {error.reason}"
    else:
        message = error
    where = [] if bad.row is None else [f"row {bad.row}"]
    if bad.column is not None:
        where.append(bad.column)
    return LedgerFileError(path, [Problem(field=", ".join(where) or None, message=message)])

