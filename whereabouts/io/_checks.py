"""Checking a sheet a column at a time: each distinct value of a column once.

:func:`check_columns` codes every column into a table of distinct values (a
bad cell coded -1, with its error kept once per value) and looks every name
of the ``subjects`` column up once, giving a :class:`Checked`: what holds for
each row whatever rows came before it. The helpers find the rows holding a
code without a Python step per row.
"""

from __future__ import annotations

import operator
import re
from collections import defaultdict
from collections.abc import (
    Callable,
    Collection,
    Hashable,
    Iterator,
    Mapping,
    Sequence,
)
from itertools import compress, count, repeat
from typing import Any, Generic, TypeVar

import attrs

from whereabouts.entities import _ID, Entity, name_keys
from whereabouts.entities import _check_id as _check_entity_id
from whereabouts.errors import (
    Ambiguous,
    UnknownEntity,
    WhereaboutsError,
)
from whereabouts.io._cells import (
    hinted,
    place,
    read_credibility,
    read_kind,
    read_reliability,
    source,
    split,
    throughout,
)
from whereabouts.ledger import Ledger
from whereabouts.observations import Kind
from whereabouts.places import Place, Where
from whereabouts.sources import Source
from whereabouts.when import When

__all__ = ["Checked", "Coded", "Memo", "Subjects", "bad_rows", "check_columns", "rows_holding",
           "subject_ids", "whole_name"]

_T = TypeVar("_T", bound=Hashable)
_H = TypeVar("_H", bound=Hashable)

_FEW = 4  # up to this many values, rows are found by a list.index search for each


@attrs.define
class Coded(Generic[_T]):
    """A column as codes into a table of distinct values; code -1 for a bad cell."""

    codes: list[int]
    table: Sequence[_T]
    errors: dict[str, WhereaboutsError]
    """Each bad cell value, and what is wrong with it."""


def _code(cells: Sequence[str], check: Callable[[str], _T],
          kept: dict[str, _T | WhereaboutsError] | None = None) -> Coded[_T]:
    """Code the column by one lookup per row, then check each distinct cell once.

    Cells that give equal values share a code; a bad cell's code is -1.
    ``kept`` holds what cells of the file's earlier parts were found to be: such a
    cell is not checked again and gives the very same value (which the store's
    tables then find by identity, and no copy is made).
    """
    index: defaultdict[str, int] = defaultdict(count().__next__)
    codes = list(map(index.__getitem__, cells))  # codes in order of first appearance
    # Each distinct cell's value, read from ``kept`` at C speed when it holds them (from
    # the second part of a file on, nearly always): a Python step per distinct cell took
    # 0.3 s of a load of 10^6 for the places alone.
    found: list[Any] = [] if kept is None else list(map(kept.get, index, repeat(_MISSING)))
    if kept is None or any(map(operator.is_, found, repeat(_MISSING))):
        found = [_checked(raw, check, kept) for raw in index]
    errors: dict[str, WhereaboutsError] = {}
    if any(issubclass(kind, WhereaboutsError) for kind in set(map(type, found))):
        errors = {raw: value for raw, value in zip(index, found, strict=True)
                  if isinstance(value, WhereaboutsError)}
    values: list[_T] = found if not errors else [
        value for value in found if not isinstance(value, WhereaboutsError)]
    if not errors and len(dict.fromkeys(values)) == len(values):  # no two cells alike
        return Coded(codes, values, errors)
    known: dict[_T, int] = {}
    table: list[_T] = []
    final: list[int] = []
    for value in found:
        if isinstance(value, WhereaboutsError):
            final.append(-1)
            continue
        code = known.get(value)
        if code is None:
            code = known[value] = len(table)
            table.append(value)
        final.append(code)
    return Coded(list(map(final.__getitem__, codes)), table, errors)


_MISSING = object()  # a cell not in ``kept``


def _checked(raw: str, check: Callable[[str], _T],
             kept: dict[str, _T | WhereaboutsError] | None) -> _T | WhereaboutsError:
    """What ``check`` makes of a cell (its value or its error), from ``kept`` if it holds
    the cell, else kept there."""
    if kept is not None and raw in kept:
        return kept[raw]
    try:
        value_or_error: _T | WhereaboutsError = check(raw)
    except WhereaboutsError as err:
        value_or_error = err
    if kept is not None:
        kept[raw] = value_or_error
    return value_or_error


def _dates(cells: Sequence[str], field: str) -> Coded[When | None]:
    """Code a column of dates as :func:`_code` does, each distinct cell read once, all at
    once by :func:`~whereabouts._whens.parse_many` (numpy for the usual shapes) into a
    table held as numbers: a million distinct date-times cost bytes, not objects. The
    errors are those of :func:`~whereabouts.io._cells.read_when` and ``read_reported``.
    """
    from whereabouts._whens import parse_many

    index: defaultdict[str, int] = defaultdict(count().__next__)
    codes = list(map(index.__getitem__, cells))  # codes in order of first appearance
    distinct = list(index)
    texts = list(map(str.strip, distinct))
    table, failures = parse_many(texts, field=field, blank_is_none=True)
    errors: dict[str, WhereaboutsError] = {}
    if failures:
        final = list(range(len(distinct)))
        for position, err in failures.items():
            errors[distinct[position]] = hinted(texts[position], err)
            final[position] = -1
        codes = list(map(final.__getitem__, codes))
    return Coded(codes, table, errors)


def bad_rows(codes: list[int]) -> Iterator[int]:
    """The rows whose code is -1: a bad cell (a C-speed search for each)."""
    return _rows_of(codes, -1)


def _rows_of(values: Sequence[_H], value: _H) -> Iterator[int]:
    """The rows holding ``value``, found by :meth:`list.index` (no Python step per row)."""
    row = -1
    while True:
        try:
            row = values.index(value, row + 1)
        except ValueError:
            return
        yield row


def rows_holding(cells: Sequence[_H], values: Collection[_H]) -> Iterator[int]:
    """The rows whose cell (or code) is one of ``values``, in order."""
    if not values:
        return iter(())
    if len(values) <= _FEW:
        return iter(sorted(row for value in values for row in _rows_of(cells, value)))
    return compress(count(), map(values.__contains__, cells))


def whole_name(name: str, entities: Sequence[object]) -> bool:
    """Whether ``Ledger.entity`` found ``entities`` by a whole name (or id), not by part of one.

    A new person never takes a whole-name key an entity already has, so such
    a finding holds for the whole file; a finding by part of a name may not.
    """
    found = [e for e in entities if isinstance(e, Entity)]
    if any(name == e.id for e in found):
        return True
    keys = set(name_keys(name))
    return any(keys & {k for n in e.names for k in name_keys(n)} for e in found)


@attrs.define
class Memo:
    """What holds for a whole file, kept from one part of it to the next (see
    :func:`check_columns`)."""

    places: dict[str, Place | WhereaboutsError] = attrs.field(factory=dict)
    """What each place name was found to be: an import registers no place."""
    names: dict[str, str | WhereaboutsError] = attrs.field(factory=dict)
    """What each name found by a whole name or id (or refused whatever the ledger holds)
    was found to be: people created on the way do not change it (see :func:`whole_name`)."""
    fits: dict[str, Sequence[object] | None] = attrs.field(factory=dict)
    """The entities each name of :attr:`names` fits (None: an error that always holds)."""
    place_cells: dict[str, Where | WhereaboutsError | None] = attrs.field(factory=dict)
    """What each ``place`` cell looked up (not given by an ``exact`` cell) was found to be."""
    source_cells: dict[str, Source | WhereaboutsError] = attrs.field(factory=dict)
    """What each ``source`` cell looked up was found to be."""


class _Names:
    """What each name of the ``subjects`` column fits in the ledger, looked up once."""

    def __init__(self, ledger: Ledger, memo: Memo | None = None) -> None:
        self._ledger = ledger
        self._memo = memo
        self.outcomes: dict[str, str | WhereaboutsError | None] = {}
        """Name -> the id of the one entity it fits, the error, or None: it fits no one.
        The names of plain cells the memo holds are not copied here (see :meth:`outcome`)."""
        self._fits: dict[str, Sequence[object] | None] = {}  # None: an error that always holds
        self._looked_up: list[str] = []  # the names looked up in the ledger, not in the memo
        self._unknown = False

    def outcome(self, name: str) -> str | WhereaboutsError | None:
        """What a name of the column was found to fit (see :attr:`outcomes`)."""
        if name in self.outcomes or self._memo is None:
            return self.outcomes[name]
        return self._memo.names[name]

    def found(self, names: Sequence[str], skip: Collection[str]) -> list[
            str | WhereaboutsError | None]:
        """What each of ``names`` fits (None for those in ``skip``, not looked up).

        The names the memo holds are read from it at C speed, not copied: a file of
        10^6 rows in parts of 12,500 asks for about 880,000 names, nearly all held, and a
        call of :meth:`resolve` for each took 0.8 s.
        """
        memo = self._memo
        if memo is None:
            found: list[str | WhereaboutsError | None] = []
            for name in names:
                if name in skip:
                    found.append(None)
                else:
                    self.resolve(name)
                    found.append(self.outcomes[name])
            return found
        found = list(map(memo.names.get, names))  # None: not held (the memo holds no None)
        for position in compress(count(), map(operator.is_, found, repeat(None))):
            name = names[position]
            if name not in skip:
                self.resolve(name)
                found[position] = self.outcomes[name]
        return found

    def resolve(self, name: str) -> None:
        """Look ``name`` up (once)."""
        if name in self.outcomes:
            return
        memo = self._memo
        if memo is not None and name in memo.names:
            self.outcomes[name] = memo.names[name]
            return
        try:
            entity = self._ledger.entity(name, field="subjects")
        except UnknownEntity:
            self.outcomes[name] = None
            self._unknown = True
        except WhereaboutsError as err:
            self.outcomes[name] = err
            self._fits[name] = err.candidates if isinstance(err, Ambiguous) else None
        else:
            self.outcomes[name] = entity.id
            self._fits[name] = (entity,)
        self._looked_up.append(name)
        outcome, fits = self.outcomes[name], self._fits.get(name, ())
        if memo is not None and outcome is not None and (fits is None or whole_name(name, fits)):
            memo.names[name] = outcome
            memo.fits[name] = fits

    def fits(self, name: str) -> Sequence[object]:
        """The entities ``name`` was found to fit (none if it fits no one)."""
        if name in self._fits:
            return self._fits[name] or ()
        return (self._memo.fits.get(name) if self._memo is not None else None) or ()

    @property
    def unknown(self) -> bool:
        """Whether some name fits no one (so that new people will be created)."""
        return self._unknown

    def unstable(self) -> set[str]:
        """The names that people created on the way could make fit someone else (never one
        the memo holds: it holds only those found by a whole name or id, or always wrong)."""
        unstable = set()
        for name in self._looked_up:
            fits = self._fits.get(name, ())
            if fits is not None and not whole_name(name, fits):
                unstable.add(name)
        return unstable


@attrs.define
class Subjects:
    """The ``subjects`` column: its distinct cells, each row's, the names each holds.

    Most cells are *plain*: one name and nothing else (no ``;``, no space around it),
    each its own name; only the others are split (:attr:`others`).
    """

    cells: list[str]
    """The distinct cells, in the order the rows first give them."""
    rows: list[int]
    """Each row's cell, as a position in :attr:`cells`."""
    index: Mapping[str, int]
    """The position of each cell in :attr:`cells`."""
    others: dict[str, tuple[str, ...]]
    """The cells that are not plain, as the names each holds."""
    found: list[str | WhereaboutsError | None] = attrs.field(factory=list)
    """What the name of each plain cell of :attr:`cells` fits (see
    :attr:`_Names.outcomes`); None for the other cells."""

    def names_in(self, raw: str) -> tuple[str, ...]:
        """The names a cell holds."""
        found = self.others.get(raw)
        return (raw,) if found is None else found

    @classmethod
    def of(cls, column: Sequence[str]) -> Subjects:
        """The column's cells, the plain ones found in C-speed passes (a cell is plain if
        it has no ``;`` and :meth:`str.strip` leaves it as it is), not split one by one:
        0.3 s of a load of 10^6."""
        index: defaultdict[str, int] = defaultdict(count().__next__)
        rows = list(map(index.__getitem__, column))
        cells = list(index)
        odd = set(compress(cells, map(operator.contains, cells, repeat(";"))))
        odd.update(compress(cells, map(operator.ne, cells, map(str.strip, cells))))
        if "" in index:
            odd.add("")
        others = {raw: tuple(split(raw, ";"))
                  for raw in compress(cells, map(odd.__contains__, cells))} if odd else {}
        return cls(cells, rows, index, others)


@attrs.define
class Checked:
    """The checks of every column that do not depend on earlier rows."""

    kinds: Coded[Kind]
    places: Coded[Where | None]
    whens: Coded[When | None]
    sources: Coded[Source]
    reported: Coded[When | None]
    throughout: Coded[bool | None] | None
    """None when the sheet has no ``throughout`` column."""
    reliability: Coded[str]
    credibility: Coded[str]
    ids: list[str]
    """Each row's id cell, stripped; empty for the ledger's next ``o{n}``."""
    given: set[str]
    """The ids the rows give (each once)."""
    bad_ids: dict[str, WhereaboutsError]
    afters: dict[str, tuple[str, ...]]
    """Each distinct ``after`` cell, as the ids it names."""
    names: _Names
    subjects: Subjects
    labels: list[str] | None
    """Each row's ``narrative`` cell, stripped; None when no row has one."""

    def row(self, row: int) -> tuple[Kind, Where | None, When | None, When | None, bool | None]:
        """The kind, place, date, report date and ``throughout`` of a row whose cells are fine."""
        return (self.kinds.table[self.kinds.codes[row]], self.places.table[self.places.codes[row]],
                self.whens.table[self.whens.codes[row]],
                self.reported.table[self.reported.codes[row]], self.stay(row))

    def named(self, names: Collection[str]) -> set[str]:
        """Those of ``names`` that the ``subjects`` column names."""
        subjects = self.subjects
        return {n for n in names if n in self.names.outcomes
                or (n in subjects.index and n not in subjects.others)}

    def stay(self, row: int) -> bool | None:
        """The row's ``throughout`` cell (None: empty, or no such column)."""
        if self.throughout is None:
            return None
        return self.throughout.table[self.throughout.codes[row]]


def check_columns(cells: Mapping[str, Sequence[str]], ledger: Ledger,
                  places: Mapping[str, Where], sources: Mapping[str, Source],
                  memo: Memo | None = None) -> Checked:
    """Check every column of ``cells`` a distinct value at a time. ``memo`` keeps what
    holds for the whole file, for its next part."""
    ids = list(map(str.strip, cells["id"]))
    given = set(ids)
    given.discard("")
    names = _Names(ledger, memo)
    subjects = Subjects.of(cells["subjects"])
    subjects.found = names.found(subjects.cells, subjects.others)
    for found in subjects.others.values():
        for name in found:
            names.resolve(name)
    known = {} if memo is None else memo.places
    labels = None
    if "narrative" in cells and any(map(str.strip, dict.fromkeys(cells["narrative"]))):
        labels = list(map(str.strip, cells["narrative"]))
    return Checked(
        kinds=_code(cells["kind"], read_kind),
        places=_code(cells["place"], lambda raw: places[raw] if raw in places
                     else place(ledger, raw.strip(), known=known),
                     None if memo is None or places else memo.place_cells),
        whens=_dates(cells["when"], "when"),
        sources=_code(cells["source"], lambda raw: sources[raw] if raw in sources
                      else source(raw.strip()),
                      None if memo is None or sources else memo.source_cells),
        reported=_dates(cells["reported"], "reported"),
        throughout=_code(cells["throughout"], throughout) if "throughout" in cells else None,
        reliability=_code(cells["reliability"], read_reliability),
        credibility=_code(cells["credibility"], read_credibility),
        ids=ids, given=given, bad_ids=_bad_ids(given),
        afters={raw: tuple(split(raw, ";")) for raw in dict.fromkeys(cells["after"])},
        names=names, subjects=subjects, labels=labels,
    )


def _bad_ids(given: set[str]) -> dict[str, WhereaboutsError]:
    """The ids that are not ids at all: found by one regular expression, each then checked."""
    errors: dict[str, WhereaboutsError] = {}
    for oid in _not_ids(given):
        try:
            _check_entity_id(None, None, oid)
        except WhereaboutsError as err:
            errors[oid] = err
    return errors


def _not_ids(given: set[str]) -> Collection[str]:
    """The strings of ``given`` that the id pattern refuses (or may refuse)."""
    pattern = _ID.pattern
    lines = "\n".join(given)
    if not (pattern.startswith("^") and pattern.endswith("$")) or (
            lines.count("\n") != len(given) - 1):  # an id with a line break, or a new pattern
        return given
    one = pattern[1:-1]
    if not given or re.fullmatch(f"(?:{one}\n)*{one}", lines) is not None:
        return ()
    return re.findall(f"(?m)^(?!(?:{one})$).*$", lines)


def subject_ids(raw: str, names: tuple[str, ...],
                outcome: Callable[[str], str | WhereaboutsError | None],
                ) -> tuple[list[str], list[WhereaboutsError]]:
    """The ids a ``subjects`` cell of known names gives, or what is wrong with it."""
    if not raw.strip():
        return [], [WhereaboutsError("names one or more people or groups", field="subjects")]
    found: list[str] = []
    wrong: list[WhereaboutsError] = []
    for name in names:
        fit = outcome(name)
        if isinstance(fit, WhereaboutsError):
            wrong.append(fit)
        elif fit is not None:
            found.append(fit)
    return found, wrong
