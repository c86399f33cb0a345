"""The ledger's entries, stored as columns: one row per entry, no object per row.

An observation is a handful of small integers: its kind, its first subject (an
entity number), and codes into tables of the distinct places, sources and
gradings the ledger has seen (a million claims name a few thousand places), and
into a table of dates held as numbers (see ``_whens``: a million distinct
date-times cost bytes, not objects). Rarer parts (a second subject, a note,
``after`` links, a correction's target) live in sparse dicts keyed by row; ids
other than the default ``o{row + 1}`` are kept as numbers too (see ``_ids``).
About 22 bytes per observation, plus 11 for each date and about 30 for an id
of its own, against some 600 for the objects;
:class:`~whereabouts.observations.Observation` values are built when asked
for, and equal the ones appended.

Retractions and denials are rare, so they are kept whole, in a dict by row;
so are the bounds of stays (observations that hold ``throughout`` a span).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Hashable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar

from whereabouts._ids import Ids
from whereabouts._lazy import Column
from whereabouts._stays import StayBounds, stay_bounds
from whereabouts._whens import Dates
from whereabouts.observations import Denial, Kind, Observation, Retraction
from whereabouts.places import Where
from whereabouts.sources import Grading, Source
from whereabouts.when import When

__all__ = ["KINDS", "RETRACTION", "Rows", "Store", "Table"]

KINDS: tuple[Kind, ...] = tuple(Kind)
"""Kinds by code: the code of a kind is its position in :class:`Kind`."""
KIND_CODE: dict[Kind, int] = {kind: code for code, kind in enumerate(KINDS)}
RETRACTION = -1
"""The kind code of a retraction."""

_DEFAULT_ID = re.compile(r"o([1-9][0-9]*)")

T = TypeVar("T", bound=Hashable)


class Table(Generic[T]):
    """Distinct values, each with a code: its position in :attr:`values`."""

    __slots__ = ("_by_identity", "_codes", "values")

    def __init__(self, *values: T) -> None:
        self.values: list[T] = []
        self._codes: dict[T, int] = {}
        self._by_identity: dict[int, tuple[T, int]] = {}  # most values arrive as the same object
        for value in values:
            self.code(value)

    def code(self, value: T) -> int:
        """The code of ``value``, given a new one if it was not seen before."""
        known = self._by_identity.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        code = self._codes.get(value)
        if code is None:
            code = self._codes[value] = len(self.values)
            self.values.append(value)
            self._by_identity[id(value)] = (value, code)  # the kept value only: no copies
        return code

    def __len__(self) -> int:
        return len(self.values)


class Store:
    """Every entry of a ledger, in append order, as columns.

    Codes: ``kind`` is a :data:`KINDS` position or :data:`RETRACTION`;
    ``place`` and ``when`` are 0 for none. Entity numbers are positions in
    :attr:`entity_ids`.
    """

    def __init__(self) -> None:
        self.kind = array("b")
        self.subject = array("i")
        self.place = array("i")
        self.when = array("i")
        self.reported = array("i")
        self.source = array("i")
        self.grading = array("b")
        self.places: Table[Where | None] = Table(None)
        self.whens = Dates()
        """Dates by code, code 0 for none; equal dates may have different codes."""
        self.whens.code(None)
        self.sources: Table[Source] = Table()
        self.gradings: Table[Grading] = Table(Grading())
        self.entity_ids: list[str] = []
        self.entity_no: dict[str, int] = {}
        self.more_subjects: dict[int, tuple[int, ...]] = {}
        """Rows about several entities: all their entity numbers, in order."""
        self.notes: dict[int, str] = {}
        self.after: dict[int, tuple[int, ...]] = {}
        self.corrects: dict[int, int] = {}
        self.retractions: dict[int, Retraction | Denial] = {}
        self.stays: dict[int, StayBounds] = {}
        """Rows that hold throughout a span: when they began and ended (see ``_stays``)."""
        self.memo: dict[str, tuple[int, Any]] = {}
        """Values derived from rows, which never change once stored (see ``_columnar``)."""
        self.ids = Ids()
        """The ids of rows other than their default (see ``_ids``)."""

    # -- entities -------------------------------------------------------------

    def entity(self, eid: str) -> int:
        """The number of an entity id, given a new one if it was not seen before."""
        number = self.entity_no.get(eid)
        if number is None:
            number = self.entity_no[eid] = len(self.entity_ids)
            self.entity_ids.append(eid)
        return number

    # -- rows -----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.kind)

    def row_of(self, oid: str) -> int | None:
        """The row of the entry with id ``oid``, or None."""
        row = self.ids.row_of(oid)
        if row is not None:
            return row
        match = _DEFAULT_ID.fullmatch(oid)
        if match is None:
            return None
        row = int(match.group(1)) - 1
        return row if row < len(self.kind) and not self.ids.has(row) else None

    def id_of(self, row: int) -> str:
        return self.ids.id_of(row) or f"o{row + 1}"

    def is_observation(self, row: int) -> bool:
        return self.kind[row] != RETRACTION

    def subjects_of(self, row: int) -> tuple[int, ...]:
        """The entity numbers a row is about."""
        return self.more_subjects.get(row) or (self.subject[row],)

    def kind_of(self, row: int) -> Kind:
        return KINDS[self.kind[row]]

    def place_of(self, row: int) -> Where | None:
        return self.places.values[self.place[row]]

    def when_of(self, row: int) -> When | None:
        return self.whens.values[self.when[row]]

    def reported_of(self, row: int) -> When | None:
        """When the entry was reported; None when not known."""
        return self.whens.values[self.reported[row]]

    def reported_end(self, row: int) -> float:
        """Just after the latest instant the entry can have been reported (inf: not known)."""
        reported = self.whens.values[self.reported[row]]
        return float("inf") if reported is None else reported.upper

    def own_window(self, row: int) -> tuple[float, float]:
        """When an observation can have happened by its own dates (no links); for a
        stay, from the earliest it can have begun to the latest it can have ended."""
        stay = self.stays.get(row)
        if stay is not None:
            return stay[0], stay[3]
        when = self.whens.values[self.when[row]]
        reported = self.reported_end(row)
        if when is None:
            return -float("inf"), reported
        return when.lower, min(when.upper, reported)

    # -- appending --------------------------------------------------------------

    def _set_id(self, row: int, oid: str) -> None:
        if oid != f"o{row + 1}":
            self.ids.add(row, oid)

    def append_observation(self, obs: Observation, after: tuple[int, ...],
                           corrects: int | None) -> int:
        """Store ``obs`` (already checked); ``after`` and ``corrects`` as rows."""
        row = len(self.kind)
        subjects = tuple(self.entity(s) for s in obs.subjects)
        self._set_id(row, obs.id)
        self.kind.append(KIND_CODE[obs.kind])
        self.subject.append(subjects[0])
        self.place.append(self.places.code(obs.place))
        self.when.append(self.whens.code(obs.when))
        self.reported.append(self.whens.code(obs.reported))
        self.source.append(self.sources.code(obs.source))
        self.grading.append(self.gradings.code(obs.grading))
        if len(subjects) > 1:
            self.more_subjects[row] = subjects
        if obs.note:
            self.notes[row] = obs.note
        if after:
            self.after[row] = after
        if corrects is not None:
            self.corrects[row] = corrects
        if obs.throughout:
            assert obs.when is not None
            self.stays[row] = stay_bounds(obs.when, obs.reported)
        return row

    def extend_columns(self, columns: Mapping[str, Any], more_subjects: Mapping[int, tuple[
            int, ...]], ids: Mapping[int, str], notes: Mapping[int, str],
            after: Mapping[int, tuple[int, ...]],
            stays: Mapping[int, StayBounds] | None = None) -> None:
        """Store checked rows given as numpy code columns; the sparse parts are keyed
        by position in the columns, except ``after`` (by store row, as its targets).
        ``stays`` gives the bounds of the rows that are stays (see ``_stays``)."""
        start = len(self.kind)
        for name in ("kind", "subject", "place", "when", "reported", "source", "grading"):
            column: array[int] = getattr(self, name)
            column.frombytes(columns[name].astype(column.typecode).tobytes())
        for row, subjects in more_subjects.items():
            self.more_subjects[start + row] = subjects
        self.ids.update(ids, start)  # each one other than its row's default
        for row, note in notes.items():
            self.notes[start + row] = note
        self.after.update(after)
        for row, bounds in (stays or {}).items():
            self.stays[start + row] = bounds

    def append_retraction(self, entry: Retraction | Denial) -> int:
        row = len(self.kind)
        self._set_id(row, entry.id)
        self.kind.append(RETRACTION)
        for column in (self.subject, self.place, self.when, self.source):
            column.append(0)
        self.reported.append(self.whens.code(entry.reported))
        self.grading.append(0)
        self.retractions[row] = entry
        return row

    # -- reading ---------------------------------------------------------------

    def observation(self, row: int) -> Observation:
        """The observation stored at ``row``, built again from its columns."""
        ids = self.entity_ids
        more = self.more_subjects.get(row)
        corrects = self.corrects.get(row)
        when = self.whens.values[self.when[row]]
        return Observation.trusted(
            id=self.id_of(row),
            subjects=(ids[self.subject[row]],) if more is None else tuple(ids[s] for s in more),
            kind=KINDS[self.kind[row]],
            place=self.places.values[self.place[row]],
            when=when,
            source=self.sources.values[self.source[row]],
            reported=self.reported_of(row),
            grading=self.gradings.values[self.grading[row]],
            note=self.notes.get(row, ""),
            after=tuple(self.id_of(r) for r in self.after.get(row, ())),
            corrects=None if corrects is None else self.id_of(corrects),
            throughout=row in self.stays,
        )

    def entry(self, row: int) -> Observation | Retraction | Denial:
        if self.kind[row] == RETRACTION:
            return self.retractions[row]
        return self.observation(row)

    def entries(self, rows: Sequence[int] | range | None = None) -> Iterator[
            Observation | Retraction | Denial]:
        for row in range(len(self.kind)) if rows is None else rows:
            yield self.entry(row)


class Rows(Column[Observation]):
    """Observations of a range of rows, built when read (what a bulk append returns)."""

    __slots__ = ()

    def __init__(self, store: Store, rows: range) -> None:
        super().__init__(rows, store.observation)

    def __repr__(self) -> str:
        rows = self._keys
        assert isinstance(rows, range)
        return f"<Rows {rows.start}-{rows.stop - 1}: {len(self)} observations>"
