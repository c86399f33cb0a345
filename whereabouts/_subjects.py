"""The rows naming each entity: the timeline's subject index (see ``_timeline``).

The rows a bulk load appended are held as one array, grouped by entity, with
where each entity's group starts (4 bytes a row and 4 an entity); rows added
after it, one by one or in small batches, go to a small array per entity. When
those grow past an eighth of the whole, everything is grouped again from the
store's columns. A load of 10^6 claims about 50,000 people held 50,000 small
arrays before, about 10 bytes a claim more.

>>> index = SubjectIndex()
>>> index.add(3, 0)
>>> index.add(3, 2)
>>> index.get(3), index.get(4)
([0, 2], ())
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from whereabouts._arrays import numpy

if TYPE_CHECKING:
    from whereabouts._store import Store

__all__ = ["SubjectIndex"]


class SubjectIndex:
    """Entity number -> the rows naming it (observations only)."""

    __slots__ = ("_grouped", "_more", "_rows", "_starts")

    def __init__(self) -> None:
        self._starts: Any = None  # int32, by entity number: where its rows begin; one more
        self._rows: Any = None  # int32: rows grouped by entity, increasing in each group
        self._grouped = 0  # the rows below this are in _rows (those that name someone)
        self._more: dict[int, array[int]] = {}  # rows added since, by entity

    def get(self, entity: int, default: Sequence[int] = ()) -> Sequence[int]:
        """The rows naming ``entity`` (grouped first, then added since), or ``default``."""
        found: list[int] = []
        starts = self._starts
        if starts is not None and 0 <= entity < len(starts) - 1:
            found = self._rows[starts[entity]:starts[entity + 1]].tolist()
        more = self._more.get(entity)
        if more is not None:
            found.extend(more)
        return found if found else default

    def items(self) -> Iterator[tuple[int, list[int]]]:
        """Each entity with rows, and its rows."""
        entities = set(self._more)
        if self._starts is not None:
            numpy_ = numpy()
            entities.update(numpy_.flatnonzero(numpy_.diff(self._starts)).tolist())
        for entity in sorted(entities):
            yield entity, list(self.get(entity))

    def add(self, entity: int, row: int) -> None:
        """Note that ``row`` (after every row noted before) names ``entity``."""
        self._added(entity).append(row)

    def _added(self, entity: int) -> array[int]:
        """The small array of the rows naming ``entity`` added since the grouping."""
        found = self._more.get(entity)
        if found is None:
            found = self._more[entity] = array("i")
        return found

    def extend(self, store: Store, start: int, stop: int) -> None:
        """Note the store's rows from ``start`` to ``stop``, observations appended at once
        after every row noted before: grouped again with all the rows before them when
        they are many, else each added to its entity's small array."""
        np = numpy()
        if self._starts is None or (stop - self._grouped) * 8 >= stop:
            self._group(store, stop)  # an eighth of the rows or more would be ungrouped
            return
        subjects = np.frombuffer(store.subject, dtype=np.int32)[start:stop]
        order = np.argsort(subjects, kind="stable")
        rows, ordered = (order + start).astype(np.int32), subjects[order]
        bounds = [0, *(np.flatnonzero(np.diff(ordered)) + 1).tolist(), len(rows)]
        for entity, first, last in zip(ordered[bounds[:-1]].tolist(), bounds, bounds[1:],
                                       strict=False):  # bounds has one more
            self._added(entity).frombytes(rows[first:last].tobytes())
        for row, subjects_of in store.more_subjects.items():
            if start <= row < stop:
                for subject in subjects_of[1:]:
                    self.add(subject, row)

    def _group(self, store: Store, stop: int) -> None:
        """Group every observation of the store below ``stop`` by entity, from its columns
        (an observation's first subject, and the others of those naming several)."""
        np = numpy()
        kinds = np.frombuffer(store.kind, dtype=np.int8)[:stop]
        rows = np.flatnonzero(kinds >= 0)
        entities = np.frombuffer(store.subject, dtype=np.int32)[:stop][rows]
        extra = [(row, subject) for row, subjects_of in store.more_subjects.items()
                 if row < stop for subject in subjects_of[1:]]
        if extra:
            rows = np.concatenate([rows, np.array([r for r, _ in extra], dtype=np.int64)])
            entities = np.concatenate([entities, np.array([e for _, e in extra],
                                                           dtype=np.int32)])
        order = np.lexsort((rows, entities))
        count = int(entities.max()) + 1 if len(entities) else 0
        self._rows = rows[order].astype(np.int32)
        self._starts = np.searchsorted(  # needles of the same type: no copy of the array
            entities[order], np.arange(count + 1, dtype=entities.dtype)).astype(np.int32)
        self._grouped = stop
        self._more = {}
