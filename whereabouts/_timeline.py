"""The ledger's claims, indexed as they arrive, and views of them at a ``known_at``.

A :class:`Timeline` keeps, for every row of the :class:`~whereabouts._store.Store`,
its window narrowed by ``after`` links (see ``docs/semantics.md``), the longest
chain of links that leads to it, and an index by subject
(:class:`~whereabouts._subjects.SubjectIndex`). All of it is kept up to date as
rows are appended (a batch's subjects when the index is next read), so a query
reads only the claims about the entity it asks about. Rows are row numbers of
the store throughout.

A :class:`View` is the timeline as it stood at a ``known_at`` instant: only
claims reported by then, minus those retracted or corrected by then. For
``known_at=None`` the view is the timeline itself, at no cost.
"""

from __future__ import annotations

import math
import threading
from array import array
from collections.abc import Iterable
from itertools import pairwise

from whereabouts._store import RETRACTION, Store
from whereabouts._subjects import SubjectIndex
from whereabouts.observations import Retraction

__all__ = ["Timeline", "View"]


class Timeline:
    """Narrowed windows, link depths and a subject index over a store's rows."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lower = array("d")
        self.upper = array("d")
        self._by_subject = SubjectIndex()
        self._unindexed: tuple[int, int] | None = None
        """The rows :meth:`extend` left out of the subject index, as a range (None: none)."""
        self._indexing = threading.Lock()  # two readers must not index the same rows twice
        self.depth: dict[int, int] = {}
        """The longest chain of links leading to a row (rows not listed: 0)."""
        self.children: dict[int, list[int]] = {}
        self.linked: set[int] = set()
        self.dropped: dict[int, float] = {}
        """Row -> the earliest report end of a retraction, denial or correction of it."""
        self.denied: dict[int, list[int]] = {}
        """Row -> the rows of the denials of it."""
        self.ancestor_memo: dict[int, frozenset[int]] = {}
        for row in range(len(store)):
            self.add(row)

    @property
    def by_subject(self) -> SubjectIndex:
        """Entity code -> the rows naming it. Rows appended by :meth:`extend` are indexed
        when first asked for, all at once: a file loaded in parts is grouped once, at the
        end, instead of growing every entity's array at each part (the grown arrays were
        scattered among each part's cells, and the memory they pinned stayed reserved
        after the load)."""
        self._catch_up()
        return self._by_subject

    def _catch_up(self) -> None:
        """Index the rows :meth:`extend` left out, if any (once, whichever thread asks)."""
        if self._unindexed is not None:
            with self._indexing:
                if self._unindexed is not None:  # not indexed by another thread meanwhile
                    self._index_subjects(*self._unindexed)

    def narrowed_lower(self, own_lower: float, after: Iterable[int]) -> float:
        """A start narrowed by the links to earlier rows (one step: links point backwards)."""
        lower = self.lower
        return max([own_lower, *(lower[prior] for prior in after)])

    def add(self, row: int) -> set[int]:
        """Index the store's ``row``; return the earlier rows whose window may have
        narrowed: those it is linked after, directly or not (see :meth:`_link`)."""
        store = self.store
        if store.kind[row] == RETRACTION:
            self.lower.append(math.nan)
            self.upper.append(math.nan)
            entry = store.retractions[row]
            target = store.row_of(entry.target)
            assert target is not None
            self._drop(target, entry.reported.upper)
            if not isinstance(entry, Retraction):
                self.denied.setdefault(target, []).append(row)
            return set()
        own_lower, own_upper = store.own_window(row)
        self.lower.append(own_lower)
        self.upper.append(own_upper)
        by_subject = self.by_subject
        for subject in store.subjects_of(row):
            by_subject.add(subject, row)
        corrects = store.corrects.get(row)
        if corrects is not None:
            self._drop(corrects, store.reported_end(row))
        return self._link(row) if row in store.after else set()

    def extend(self, start: int) -> None:
        """Index the store's rows from ``start`` on, appended at once (observations only).

        Windows are filled column-wise, and the rows' subjects indexed when the index is
        next read (see :attr:`by_subject`); only rows with ``after`` links are then
        narrowed one by one, in order.
        """
        from whereabouts._arrays import own_windows

        store = self.store
        if start == len(store):
            return
        lower, upper = own_windows(store, start)
        self.lower.frombytes(lower.tobytes())
        self.upper.frombytes(upper.tobytes())
        if self._unindexed is not None and self._unindexed[1] != start:
            self._catch_up()  # rows added one by one in between: index those first
        first = start if self._unindexed is None else self._unindexed[0]
        self._unindexed = (first, len(store))
        for row in sorted(r for r in store.after if r >= start):
            self._link(row)

    def _index_subjects(self, start: int, stop: int) -> None:
        """Add the rows from ``start`` to ``stop`` (observations appended by :meth:`extend`)
        to the subject index. Readers that find nothing left to index read the index
        without the lock, so the range is cleared once the rows are in."""
        self._by_subject.extend(self.store, start, stop)
        self._unindexed = None

    def _link(self, row: int) -> set[int]:
        """Narrow ``row``'s start from the rows it follows, and their ends back from it;
        return every row it follows, directly or not.

        All of them, not only those whose end narrowed here: in a view at an earlier
        ``known_at``, where a later-reported link is not yet visible, this row may be
        what narrows them."""
        store = self.store
        after = store.after[row]
        self.lower[row] = self.narrowed_lower(self.lower[row], after)
        self.depth[row] = 1 + max(self.depth.get(p, 0) for p in after)
        self.linked.add(row)
        self.linked.update(after)
        for prior in after:
            self.children.setdefault(prior, []).append(row)
        upper = self.upper
        stack = [(prior, upper[row]) for prior in after]
        while stack:  # an end narrows back along the links
            prior, end = stack.pop()
            if end < upper[prior]:
                upper[prior] = end
                stack.extend((p, end) for p in store.after.get(prior, ()))
        found: set[int] = set()
        pending = list(after)
        while pending:
            prior = pending.pop()
            if prior not in found:
                found.add(prior)
                pending.extend(store.after.get(prior, ()))
        return found

    def _drop(self, target: int, when: float) -> None:
        self.dropped[target] = min(self.dropped.get(target, math.inf), when)


class _Windows:
    """Window starts (or ends) by row: the narrowed value where a link narrowed
    it, else the row's own."""

    __slots__ = ("_end", "_narrowed", "_store")

    def __init__(self, store: Store, narrowed: dict[int, float], end: int) -> None:
        self._store = store
        self._narrowed = narrowed
        self._end = end

    def __getitem__(self, row: int) -> float:
        found = self._narrowed.get(row)
        if found is not None:
            return found
        return self._store.own_window(row)[self._end]


class View:
    """The timeline as known at an instant (``math.inf``: everything recorded),
    optionally only the claims citing chosen ``sources`` and graded ``grades``
    (codes into the store's tables; None: any)."""

    def __init__(self, timeline: Timeline, known_until: float = math.inf, *,
                 sources: frozenset[int] | None = None,
                 grades: frozenset[int] | None = None) -> None:
        self.timeline = timeline
        self.store = timeline.store
        self.known_until = known_until
        self.sources = sources
        self.grades = grades
        self.filtered = sources is not None or grades is not None
        self.key = (known_until, sources, grades)
        """What the view shows: two views with one key are the same."""
        # The timeline's own windows serve when everything recorded is visible,
        # unless a withdrawn or filtered-out claim took part in narrowing them.
        self.complete = (math.isinf(known_until) and not self.filtered
                         and not (timeline.dropped.keys() & timeline.linked))
        self.lower: array[float] | _Windows
        self.upper: array[float] | _Windows
        if self.complete:
            self.lower = timeline.lower
            self.upper = timeline.upper
            self._ancestors = timeline.ancestor_memo
        else:
            self.lower, self.upper = self._narrow()
            self._ancestors = {}

    def visible(self, row: int) -> bool:
        """Whether ``row`` was reported, and not yet withdrawn, at this view's instant,
        and passes its source and grade filters."""
        if not self.known(row):
            return False
        if self.sources is not None and self.store.source[row] not in self.sources:
            return False
        return self.grades is None or self.store.grading[row] in self.grades

    def known(self, row: int) -> bool:
        """Whether ``row`` was reported, and not yet withdrawn, at this view's instant."""
        until = self.known_until
        withdrawn = self.timeline.dropped.get(row)
        if withdrawn is not None and withdrawn <= until:
            return False
        return math.isinf(until) or self.store.reported_end(row) <= until

    def weak(self, row: int) -> bool:
        """Whether ``row`` is left out only for its grade."""
        return (self.grades is not None and self.store.grading[row] not in self.grades
                and self.known(row)
                and (self.sources is None or self.store.source[row] in self.sources))

    def denied(self, row: int) -> bool:
        """Whether ``row`` was reported and then denied by this view's instant."""
        denials = self.timeline.denied.get(row)
        if not denials:
            return False
        until, store = self.known_until, self.store
        return store.reported_end(row) <= until and any(
            store.reported_end(d) <= until for d in denials)

    def set_aside(self, entities: Iterable[int]) -> tuple[list[int], list[int]]:
        """The rows naming any of ``entities`` that this view leaves out for their
        grade, and those denied; each in evidence order."""
        if self.grades is None and not self.timeline.denied:
            return [], []
        by_subject = self.timeline.by_subject
        found: set[int] = set()
        for entity in entities:
            found.update(by_subject.get(entity, ()))
        weak = [row for row in found if self.weak(row)] if self.grades is not None else []
        denied = ([row for row in found if self.denied(row)] if self.timeline.denied else [])
        return self.ordered(weak), self.ordered(denied)

    def _narrow(self) -> tuple[_Windows, _Windows]:
        """Windows narrowed only by the links between claims visible at this instant.

        Only linked claims can differ from their own dates, so only they are
        computed (and the cost does not grow with the size of the ledger).
        """
        store = self.store
        linked = sorted(row for row in self.timeline.linked if self.visible(row))
        lower = {row: store.own_window(row)[0] for row in linked}
        upper = {row: store.own_window(row)[1] for row in linked}
        for row in linked:  # rows only link to earlier rows
            for prior in self.links(row):
                lower[row] = max(lower[row], lower[prior])
        for row in reversed(linked):
            for prior in self.links(row):
                upper[prior] = min(upper[prior], upper[row])
        return _Windows(store, lower, 0), _Windows(store, upper, 1)

    def links(self, row: int) -> tuple[int, ...]:
        """The visible rows ``row`` was recorded as coming after."""
        after = self.store.after.get(row, ())
        if not after or self.complete:
            return after
        return tuple(p for p in after if self.visible(p))

    def ancestors(self, row: int) -> frozenset[int]:
        """Every claim that a chain of visible ``after`` links puts before ``row``."""
        found = self._ancestors.get(row)
        if found is None:
            stack, seen = list(self.links(row)), set()
            while stack:
                prior = stack.pop()
                if prior not in seen:
                    seen.add(prior)
                    stack.extend(self.links(prior))
            found = self._ancestors[row] = frozenset(seen)
        return found

    def before(self, first: int, second: int) -> bool:
        """Whether ``first`` certainly happened before ``second``."""
        return self.upper[first] <= self.lower[second] or (
            second in self.store.after and first in self.ancestors(second)
        )

    def sort_key(self, row: int) -> tuple[float, float, int, str]:
        """Earliest possible end first, then earliest start, then link depth, then id.

        Sorting by this key gives an order the evidence allows (a claim never
        sorts after one it certainly preceded) and never depends on the order
        claims were recorded in.
        """
        return (self.upper[row], self.lower[row], self.timeline.depth.get(row, 0),
                self.store.id_of(row))

    def about(self, entities: Iterable[int]) -> list[int]:
        """The visible rows naming any of ``entities`` (an entity and its groups)."""
        by_subject = self.timeline.by_subject
        found: set[int] = set()
        for entity in entities:
            found.update(by_subject.get(entity, ()))
        dropped = self.timeline.dropped
        if math.isinf(self.known_until) and not dropped and not self.filtered:
            return self.ordered(found)
        return self.ordered([row for row in found if self.visible(row)])

    def ordered(self, rows: Iterable[int]) -> list[int]:
        """``rows`` sorted by :meth:`sort_key`; the ids, the last part of the key, are
        only looked at where the rest ties."""
        lower, upper, depth = self.lower, self.upper, self.timeline.depth
        keyed = sorted([(upper[r], lower[r], depth.get(r, 0), r) for r in rows])
        if any(a[0] == b[0] and a[1] == b[1] and a[2] == b[2]
               for a, b in pairwise(keyed)):
            return sorted((k[3] for k in keyed), key=self.sort_key)
        return [k[3] for k in keyed]
