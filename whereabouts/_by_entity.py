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
        rows = np.arange(len(store) + len(pairs[0]), dtype=np.int64)  # (one array made)
        rows[len(store):] = pairs[0]
        entity = np.concatenate([subject, pairs[1]])  # int32: only int64 as a key below
        kinds = kind[rows]

        dead = death[kinds]
        found.deaths = (entity[dead].astype(np.int64), rows[dead], upper[rows[dead]])
        if store.stays:
            stay_rows = np.fromiter(store.stays, dtype=np.int64, count=len(store.stays))
            held = np.isin(rows, stay_rows)
            found.stays = (entity[held].astype(np.int64), rows[held], lower[rows[held]])
        else:
            found.stays = (np.zeros(0, dtype=np.int64),) * 3

        counts = always[kinds] | (with_place[kinds] & (place[rows] != 0))
        del kinds
        rows, entity = rows[counts], entity[counts]
        sizes = np.bincount(entity, minlength=entity_count)
        found.first = np.zeros(entity_count + 1, dtype=np.int64)
        np.cumsum(sizes, out=found.first[1:])
        rows, found.ends, found.end_rank, before = _sorted(
            rows, entity, (lower, upper), entity_count)
        # Sorted, the entities are each run's entity over and over: made, not gathered.
        entity = np.repeat(np.arange(entity_count, dtype=np.int32), sizes)
        found.rows = rows.astype(np.int32)
        found.status = status_table[kind[rows]]
        found.place = place[rows]
        found.front = _fronts(entity, found.end_rank, before, len(found.ends))
        del before
        code = found.status.astype(np.int64) * (len(store.places) + 1) + found.place
        changes = np.ones(len(code), dtype=bool)
        np.not_equal(code[1:], code[:-1], out=changes[1:])
        found.runs = np.cumsum(changes, dtype=np.int32)
        spread = found.ends[np.isfinite(found.ends)]
        marks = np.unique(spread[np.linspace(0, len(spread) - 1, _MARKS).astype(np.int64)]) \
            if len(spread) else np.zeros(0)
        found.marks = np.concatenate([marks, [np.inf]])
        offsets = offset_type(int(np.diff(found.first).max()) if entity_count else 0)
        found.cuts = _cuts(found, entity, offsets)
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


def _sorted(rows: Any, entity: Any, windows: tuple[Any, Any], entity_count: int
            ) -> tuple[Any, Any, Any, Any]:
    """The rows of the (row, entity) pairs sorted by entity, then by the end of the
    row's window, then as given; with the distinct ends, sorted, each pair's rank among
    them, and each pair's start as the number of distinct ends at or before it (the
    pair's frontier, were its start the latest, is the claims of that rank or more),
    both int32.

    One sort of the ends, stable, gives their ranks; the entities then come first by a
    radix sort (see :func:`stable_order`), which keeps that order within each entity.
    Was ``lexsort((ends, entity))``, then ``np.unique(..., return_inverse=True)`` of
    the ends and of the starts: about 0.5 s at 10^6 claims, now 0.2 s. At 10^7 a
    gather in an order that jumps about costs 0.15-0.25 s (it misses the cache at
    each pair): each array is gathered once, in the order it is needed in."""
    np = _np()
    lower, upper = windows
    ends = upper[rows]
    by_end = np.argsort(ends, kind="stable")
    ends, rows = ends[by_end], rows[by_end]
    new = np.empty(len(ends), dtype=bool)
    new[:1] = True
    np.not_equal(ends[1:], ends[:-1], out=new[1:])
    distinct = ends[new]
    del ends
    rank = np.cumsum(new, dtype=np.int32)
    rank -= 1
    del new
    # Searched in the order of the ends: a start is near its own end, so the searches
    # walk the same few pages (25 ms at 10^6). In the entities' order they jump about:
    # 275 ms, and at 10^7 claims such searches missed the cache at every step.
    before = np.searchsorted(distinct, lower[rows], side="right").astype(np.int32)
    by_entity = stable_order(entity[by_end], entity_count)
    del by_end
    return rows[by_entity], distinct, rank[by_entity], before[by_entity]


def _fronts(entity: Any, end_rank: Any, before: Any, distinct: int) -> Any:
    """Per position of the sorted pairs (see :func:`_sorted`): the first position of
    its entity's run ranked at least the latest start so far along the run (int32).
    ``before`` is each pair's start as a rank."""
    np = _np()
    # (entity, rank) as one number: sorted, for the search; not kept (8 bytes a pair):
    # within an entity's run its end rank alone says as much.
    base = entity.astype(np.int64) * (distinct + 1)
    key = base + end_rank
    base += before
    # Along each entity's run the latest start only grows, so these keys are sorted.
    latest = np.maximum.accumulate(base, out=base)
    return np.searchsorted(key, latest).astype(np.int32)


def stable_order(values: Any, limit: int) -> Any:
    """The order that sorts ``values`` (integers from 0 to ``limit`` - 1), stable:
    equal values keep their order.

    A radix sort, 16 bits at a time from the lowest: numpy's stable sort of 16-bit
    integers is one, in linear time (at 10^6 pairs, 19 ms a pass; a stable argsort of
    the int64 values takes 100 ms).

    >>> stable_order(__import__("numpy").array([70_000, 3, 70_000, 1, 3]), 70_001).tolist()
    [3, 1, 4, 0, 2]
    """
    np = _np()
    order = np.argsort((values & 0xFFFF).astype(np.uint16), kind="stable")
    shift = 16
    while limit - 1 >> shift > 0:  # (none at all: -1 >> shift is -1)
        digit = (values >> shift & 0xFFFF).astype(np.uint16)  # gathered as 2 bytes, not 4
        order = order[np.argsort(digit[order], kind="stable")]
        shift += 16
    return order


def _cuts(index: ByEntity, entity: Any, offsets: Any) -> Any:
    """Per mark of ``index``, per entity: where its run stops by that mark, an offset
    from the run's start of type ``offsets``; ``entity`` is each position's entity.

    Each claim falls in the bucket of the first mark it counts by; a run's stop at a
    mark is the count of its claims in that bucket and those before. The counts are
    taken a block of entities at a time: bincount's are int64, 8 bytes a mark and an
    entity, 200 MB at once for the 500,000 people of 10^7 claims. One pass, in place
    of a binary search of every run's stop at each of 48 marks (200 ms at 10^6)."""
    np = _np()
    marks = len(index.marks)
    entity_count = len(index.first) - 1
    # By end rank, the bucket: a table read once a claim (a search of the marks for
    # each claim took 14 ms of the 34 at 10^6).
    by_rank = np.repeat(np.arange(marks, dtype=np.int32),
                        np.diff(np.searchsorted(index.ends, index.marks, side="right"),
                                prepend=0))
    cuts = np.empty((marks, entity_count), dtype=offsets)
    for low in range(0, entity_count, _CUT_BLOCK):
        high = min(low + _CUT_BLOCK, entity_count)
        start, stop = index.first[low], index.first[high]
        bucket = by_rank[index.end_rank[start:stop]]
        bucket += (entity[start:stop] - low) * marks
        counts = np.bincount(bucket, minlength=(high - low) * marks).reshape(high - low, marks)
        cuts[:, low:high] = np.cumsum(counts, axis=1, out=counts).T
    return cuts


_CUT_BLOCK = 1 << 12
"""How many entities' cuts :func:`_cuts` counts at once: 1.6 MB of int64 counts, held
in the cache and made again from the same memory block after block (at 10^6, 21 ms
for the cuts by 65,536 entities at a time, 12 ms by 4,096; inside a load, where a
fresh large array costs its page faults, 180 ms by 65,536)."""
