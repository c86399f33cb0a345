"""Every entity's claims side by side, sorted by window end: whole-ledger questions
``as_of`` a date in whole-array passes.

For every (entity, row) pair that says where the entity is (its own claims,
claims naming several subjects, its groups' claims), sorted by entity and then
by the end of the row's window. Under an ``as_of`` end the claims that count are
then a prefix of each entity's run, its latest start is the running maximum of
starts at the prefix's last claim, and its frontier (see
``_reasoning.frontier``) is a suffix of the prefix: the claims ending after that
start. Everything that depends on the claims alone is worked out once, when the
index is built (by a bulk load, or by the first question after the ledger
changed); a question only looks up two positions per entity.

Deaths and stays are listed apart: the entities with one that counts by the
date asked about go through the exact rules (see ``_columnar``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from whereabouts._arrays import numpy as _np

if TYPE_CHECKING:
    from whereabouts._timeline import View

__all__ = ["ByEntity"]


class ByEntity:
    """The index of one ledger state (see the module's text); build it with :meth:`of`."""

    __slots__ = ("cuts", "deaths", "end_rank", "ends", "fanout", "first", "front", "marks",
                 "place", "rows", "runs", "size", "status", "stays")

    def __init__(self) -> None:
        self.size = 0
        self.fanout: tuple[tuple[int, int], ...] = ()
        self.first: Any = None  # by entity number: where its run starts (and one past the end)
        self.rows: Any = None  # by position: the row (its entity: see entities_at)
        self.status: Any = None  # int8 status code of the row alone
        self.place: Any = None  # int32 place code
        self.front: Any = None  # the first position of the run ending after the running start
        self.runs: Any = None  # count of changes of (status, place) along the positions
        self.ends: Any = None  # the distinct window ends, sorted
        self.end_rank: Any = None  # int32 rank of the row's window end among ends
        self.marks: Any = None  # a few window ends, spread over them, the last +inf
        self.cuts: Any = None  # per mark, per entity: where its run stops by that end, as
        # an offset from the run's start, in the smallest type the longest run fits
        self.deaths: tuple[Any, Any, Any] = (None, None, None)  # entity, row, end
        self.stays: tuple[Any, Any, Any] = (None, None, None)  # entity, row, start

    @classmethod
    def of(cls, view: View, entity_count: int, pairs: tuple[Any, Any],
           fanout: Iterable[tuple[int, int]], tables: tuple[Any, Any, Any, Any]) -> ByEntity:
        """The index over ``view`` (complete: every claim, the timeline's windows);
        ``pairs`` are the (row, entity) pairs beyond the subject column (see
        ``_columnar._pairs``), ``tables`` the kind tables of ``_columnar``."""
        np = _np()
        store = view.store
        found = cls()
        found.size = len(store)
        found.fanout = tuple(fanout)
        always, with_place, death, status_table = tables
        kind = np.frombuffer(store.kind, dtype=np.int8)
        place = np.frombuffer(store.place, dtype=np.int32)
        lower = np.frombuffer(view.timeline.lower, dtype=np.float64)
        upper = np.frombuffer(view.timeline.upper, dtype=np.float64)
        subject = np.frombuffer(store.subject, dtype=np.int32)
        rows = np.concatenate([np.arange(len(store), dtype=np.int64), pairs[0]])
        entity = np.concatenate([subject, pairs[1]]).astype(np.int64)

        dead = death[kind[rows]]
        found.deaths = (entity[dead], rows[dead], upper[rows[dead]])
        if store.stays:
            stay_rows = np.fromiter(store.stays, dtype=np.int64, count=len(store.stays))
            held = np.isin(rows, stay_rows)
            found.stays = (entity[held], rows[held], lower[rows[held]])
        else:
            found.stays = (np.zeros(0, dtype=np.int64),) * 3

        counts = always[kind[rows]] | (with_place[kind[rows]] & (place[rows] != 0))
        rows, entity = rows[counts], entity[counts]
        ends = upper[rows]
        order = np.lexsort((ends, entity))
        rows, entity, ends = rows[order], entity[order], ends[order]
        found.rows = rows.astype(np.int32)
        found.status = status_table[kind[rows]]
        found.place = place[rows]
        found.first = np.searchsorted(entity, np.arange(entity_count + 1))

        # Ranks come from np.unique's sort, and searches are made in sorted order: at
        # 10^7 claims a search of values in random order misses the cache at every
        # step (searchsorted took 43 s of a 10^7 load; a sort takes about a second).
        distinct, end_rank = np.unique(ends, return_inverse=True)
        found.ends = distinct
        found.end_rank = end_rank.reshape(-1).astype(np.int32)
        # Sorted: (entity, end rank) as one number, for the searches below; not kept
        # (8 bytes a pair): within an entity's run its end rank alone says as much.
        step = len(distinct) + 1
        key = entity * step + found.end_rank
        low_ranks, start_rank = np.unique(lower[rows], return_inverse=True)
        running = np.maximum.accumulate(entity * (len(low_ranks) + 1) + start_rank.reshape(-1))
        latest = running - entity * (len(low_ranks) + 1)  # a rank among the starts
        # Along each entity's run the latest start only grows, so these keys are sorted.
        found.front = np.searchsorted(
            key, entity * step + np.searchsorted(distinct, low_ranks, side="right")[latest]
        ).astype(np.int32)
        code = found.status.astype(np.int64) * (len(store.places) + 1) + found.place
        changes = np.ones(len(code), dtype=np.int64)
        if len(code):
            changes[1:] = code[1:] != code[:-1]
        found.runs = np.cumsum(changes).astype(np.int32)
        spread = distinct[np.isfinite(distinct)]
        marks = np.unique(spread[np.linspace(0, len(spread) - 1, _MARKS).astype(np.int64)]) \
            if len(spread) else np.zeros(0)
        found.marks = np.concatenate([marks, [np.inf]])
        numbers = np.arange(entity_count, dtype=np.int64) * step
        starts = found.first[:-1]
        offsets = offset_type(int(np.diff(found.first).max()) if entity_count else 0)
        found.cuts = np.stack([
            (np.searchsorted(key, numbers + np.searchsorted(distinct, mark, side="right"))
             - starts).astype(offsets)
            for mark in found.marks])
        return found

    def entities_at(self, positions: Any) -> Any:
        """The entity whose run holds each of ``positions``: read from where the runs
        start, not kept (4 bytes a claim)."""
        np = _np()
        return np.searchsorted(self.first, positions, side="right") - 1

    def frontiers(self, end: float) -> tuple[Any, Any, Any]:
        """Per entity by ``end``: whether any claim counts, the frontier's first
        position, and one past its last (both within the entity's run).

        Where each run stops is known at a few marks; from the mark before
        ``end``, runs are walked a claim at a time, all entities at once, until
        the next mark (most runs hold a claim or two between marks)."""
        np = _np()
        count = len(self.first) - 1
        mark = int(np.searchsorted(self.marks, end, side="right")) - 1
        starts = self.first[:-1].astype(np.int64)
        if mark < 0:
            stop = starts
        elif mark == len(self.marks) - 1:
            stop = starts + self.cuts[mark]
        else:
            stop = starts + self.cuts[mark]
            until = starts + self.cuts[mark + 1]
            wanted = np.searchsorted(self.ends, end, side="right")
            walking = np.flatnonzero(stop < until)
            while len(walking):
                at = stop[walking]
                counts = self.end_rank[at] < wanted  # at is within walking's run
                walking = walking[counts]
                stop[walking] += 1
                walking = walking[stop[walking] < until[walking]]
        has = stop > self.first[:count]
        last = np.where(has, stop - 1, 0)
        start = self.front[last] if len(self.front) else last
        return has, start, stop


def offset_type(longest: int) -> Any:
    """The smallest unsigned numpy type that holds every offset into a run of
    ``longest`` claims, from 0 to ``longest`` itself (one past its last claim).

    >>> [offset_type(size).__name__ for size in (0, 255, 256, 65_535, 65_536)]
    ['uint8', 'uint8', 'uint16', 'uint16', 'uint32']
    """
    np = _np()
    for kind in (np.uint8, np.uint16, np.uint32):
        if longest <= np.iinfo(kind).max:
            return kind
    raise ValueError(f"a run of {longest} claims: past what uint32 offsets hold")


_MARKS = 48
"""How many window ends :class:`ByEntity` keeps every run's stop at."""
