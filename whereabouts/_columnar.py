"""Whole-ledger questions answered in a few vectorised passes over the store's columns.

For every entity, the status and place of its last known whereabouts follow
from the claims on its *frontier* (see ``_reasoning.frontier``): the claims
whose window ends after the latest start among its claims. Most entities have
one such claim, or several that say the same thing; their answer is read off
the columns with numpy, the same answer the rules of ``_reasoning`` give one
entity at a time. The rest (a death, claims that disagree, ``after`` links
under a partial view) are listed for the exact path, claim by claim.

numpy is imported on first use, so ``import whereabouts`` stays light.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from whereabouts._answer_columns import Options
from whereabouts._arrays import memo as _memo
from whereabouts._arrays import numpy as _np
from whereabouts._arrays import own_windows, when_bounds
from whereabouts._by_entity import ByEntity
from whereabouts._reasoning import _Position, clusters, is_positional, status_of
from whereabouts._store import KINDS, Store
from whereabouts._timeline import View, _Windows
from whereabouts.observations import Kind
from whereabouts.places import Where
from whereabouts.results import Status, Whereabouts

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["STATUSES", "Standing", "by_entity", "exact_ones", "prepare", "settle_exactly",
           "standing"]

STATUSES: tuple[Status, ...] = tuple(Status)
"""Statuses by code: the code of a status is its position in :class:`Status`."""
STATUS_CODE = {status: code for code, status in enumerate(STATUSES)}
_CODE = STATUS_CODE
NOTHING = _CODE[Status.NOTHING_KNOWN]
DISPUTED = _CODE[Status.DISPUTED]
EXACT = -1
"""The status code of an entity left to the exact path."""


class Standing:
    """Status and place codes of every entity (by entity number), and for
    disputed ones the candidate (status, place) pairs; ``EXACT`` marks the
    entities whose answer needs the exact path.

    The candidates of entities disputed between two claims settled by the table
    (see :func:`_two_atomic`) are kept as arrays in :attr:`pairs` and turned into
    :attr:`candidates` entries when those are first read."""

    __slots__ = ("_later", "_options", "pairs", "place_table", "places", "statuses")

    def __init__(self, statuses: npt.NDArray[np.int8], places: npt.NDArray[np.int32],
                 place_table: Sequence[Where | None]) -> None:
        self.statuses = statuses
        self.places = places
        self.place_table = place_table
        self._options: dict[int, Options] = {}
        self.pairs: list[tuple[Any, Any, Any, Any, Any]] = []
        """Entities, then status and place codes of each of their two candidates."""
        self._later: _LaterOptions | None = None

    @property
    def candidates(self) -> dict[int, Options]:
        """The options of every disputed entity, by entity number."""
        if self.pairs:
            table, found = self.place_table, self._options
            for entities, status_a, place_a, status_b, place_b in self.pairs:
                for entity, sa, pa, sb, pb in zip(entities.tolist(), status_a.tolist(),
                                                  place_a.tolist(), status_b.tolist(),
                                                  place_b.tolist(), strict=True):
                    found[entity] = ((STATUSES[sa], table[pa]), (STATUSES[sb], table[pb]))
            self.pairs = []
        return self._options

    def options(self) -> Mapping[int, Options]:
        """:attr:`candidates`, worked out when first read (one view per standing)."""
        if self._later is None:
            self._later = _LaterOptions(self)
        return self._later

    def resized(self, count: int) -> Standing:
        """A copy for ``count`` entities (those added since: nothing known)."""
        np = _np()
        statuses = np.full(count, NOTHING, dtype=np.int8)
        places = np.zeros(count, dtype=np.int32)
        statuses[:len(self.statuses)] = self.statuses
        places[:len(self.places)] = self.places
        found = Standing(statuses, places, self.place_table)
        found._options.update(self.candidates)
        return found


class _LaterOptions(Mapping[int, Options]):
    """A standing's candidates, worked out when first read."""

    __slots__ = ("_standing",)

    def __init__(self, standing: Standing) -> None:
        self._standing = standing

    def __getitem__(self, number: int) -> Options:
        return self._standing.candidates[number]

    def __iter__(self) -> Iterator[int]:
        return iter(self._standing.candidates)

    def __len__(self) -> int:
        return len(self._standing.candidates)


@functools.cache
def _kind_tables() -> tuple[Any, Any, Any, Any]:
    """Per kind code (and a last entry for retractions, code -1): positional
    whatever the place, positional if it has a place, a death, its status code."""
    np = _np()
    always = np.array([is_positional(k, False) for k in KINDS] + [False])
    with_place = np.array([is_positional(k, True) for k in KINDS] + [False])
    death = np.array([k is Kind.DIED for k in KINDS] + [False])
    status = np.array([_CODE[status_of(k)] for k in KINDS] + [NOTHING], dtype=np.int8)
    return always, with_place, death, status


def windows(view: View) -> tuple[Any, Any]:
    """Every row's window in ``view``, as two float64 arrays."""
    np = _np()
    if not isinstance(view.lower, _Windows):
        return (np.frombuffer(view.lower, dtype=np.float64),
                np.frombuffer(view.upper, dtype=np.float64))
    store = view.store
    lower, upper = own_windows(store)
    assert isinstance(view.upper, _Windows)
    for row, value in view.lower._narrowed.items():
        lower[row] = value
    for row, value in view.upper._narrowed.items():
        upper[row] = value
    return lower, upper


def visible_rows(view: View) -> Any:
    """A mask of the rows that are observations visible in ``view``."""
    np = _np()
    store = view.store
    mask = np.frombuffer(store.kind, dtype=np.int8) >= 0
    until = view.known_until
    if not math.isinf(until):
        _, ends = when_bounds(store)
        mask &= ends[np.frombuffer(store.reported, dtype=np.int32)] <= until
    gone = [row for row, when in view.timeline.dropped.items() if when <= until]
    if gone:
        mask[np.array(gone, dtype=np.intp)] = False
    for codes, column in ((view.sources, store.source), (view.grades, store.grading)):
        if codes is not None:
            values = np.frombuffer(column, dtype=np.int32 if column.typecode == "i" else np.int8)
            mask &= np.isin(values, np.fromiter(codes, dtype=np.int64, count=len(codes)))
    return mask


def _row_masks(store: Store) -> tuple[Any, Any]:
    """A mask of the rows that say where their subjects are, and the rows that
    report a death (few: their numbers)."""
    def compute() -> tuple[Any, Any]:
        np = _np()
        always, with_place, death, _ = _kind_tables()
        kind = np.frombuffer(store.kind, dtype=np.int8)
        place = np.frombuffer(store.place, dtype=np.int32)
        return always[kind] | (with_place[kind] & (place != 0)), np.flatnonzero(death[kind])

    masks: tuple[Any, Any] = _memo(store, "rows", len(store), compute)
    return masks


def prepare(store: Store) -> None:
    """Work out now what whole-ledger questions read of the store's tables (the
    places' keys and countries, the dates written in local time), as a bulk load
    does: the first question then reads them."""
    from whereabouts._calendar import shifts

    _place_keys(store)
    _countries(store)
    shifts(store)


def _place_keys(store: Store) -> tuple[Any, Any]:
    """Per place code: whether it is *atomic*, and a number per distinct key.

    An atomic place is one place (not one of several), not a country, region or
    subdivision, with only those above it (a city in its country, not a
    facility in its city); a craft or waters, in no country and with nothing
    above or inside it, is atomic too. No atomic place lies within another
    unless they share a key, so two of them agree or not by their keys alone."""
    atomic, keys, _ = _place_options(store)
    return atomic, keys


_OPTIONS = 3
"""The most options of alternatives whose keys :func:`_place_options` lists."""


def _place_options(store: Store) -> tuple[Any, Any, Any]:
    """:func:`_place_keys`, and per place code the key numbers of its options when
    each is atomic (a place alone is its only option; no place, one key of its own),
    at most ``_OPTIONS`` of them, padded with -1; all -1 for the rest. Two such
    values with no key in common lie nowhere within each other, as two atomic
    places with different keys."""
    def compute() -> tuple[Any, Any, Any]:
        np = _np()
        from whereabouts.places import Alternatives, Place, PlaceKind

        wide = (PlaceKind.COUNTRY, PlaceKind.REGION, PlaceKind.SUBDIVISION)

        def alone(v: object) -> bool:
            return isinstance(v, Place) and v.kind not in wide and all(
                a.kind in wide for a in v.ancestors())

        values = store.places.values
        atomic = np.array([v is None or alone(v) for v in values])
        numbers: dict[str, int] = {}
        keys = np.array([-1 if v is None else numbers.setdefault(v.key, len(numbers))
                         for v in values], dtype=np.int64)
        options = np.full((len(values), _OPTIONS), -1, dtype=np.int64)
        nowhere = len(numbers) + 1 << 32  # (no place: a key no place has)
        for code, value in enumerate(values):
            if value is None:
                options[code, 0] = nowhere
            elif atomic[code]:
                options[code, 0] = keys[code]
            elif (isinstance(value, Alternatives) and len(value.places) <= _OPTIONS
                  and all(alone(p) for p in value.places)):
                options[code, :len(value.places)] = [
                    numbers.setdefault(p.key, len(numbers)) for p in value.places]
        return atomic, keys, options

    found: tuple[Any, Any, Any] = _memo(store, "places", len(store.places), compute)
    return found


def by_entity(view: View, entity_count: int, fanout: Iterable[tuple[int, int]]
              ) -> ByEntity | None:
    """The claims of every entity sorted by window end (see ``_by_entity``), kept
    until the store grows or memberships change; None for a view that is not every
    claim as recorded (a ``known_at``, filters, or withdrawn claims)."""
    store = view.store
    if not view.complete or view.timeline.dropped:
        return None
    kept = store.memo.get("by_entity")
    if kept is not None and kept[0] == len(store):
        found: ByEntity = kept[1][0]
        if len(found.first) == entity_count + 1 and (
                kept[1][1] is fanout or found.fanout == tuple(fanout)):
            return found
    wanted = tuple(fanout)
    found = ByEntity.of(view, entity_count, _pairs(store, view, wanted), wanted,
                        _kind_tables())
    store.memo["by_entity"] = (len(store), (found, fanout))  # (the ledger's kept list: same)
    return found


def _standing_by_entity(view: View, index: ByEntity, entity_count: int, end: float
                        ) -> Standing:
    """:func:`standing` from the index of every entity's claims (see ``_by_entity``)."""
    np = _np()
    store = view.store
    has, start, stop = index.frontiers(end)
    statuses = np.full(entity_count, NOTHING, dtype=np.int8)
    places = np.zeros(entity_count, dtype=np.int32)
    known = np.flatnonzero(has)
    first, last = start[known], stop[known] - 1
    statuses[known] = index.status[last]
    places[known] = index.place[last]
    found = Standing(statuses, places, store.places.values)
    mixed = index.runs[last] != index.runs[first]
    if mixed.any():
        low, high = first[mixed], last[mixed] + 1
        lengths = high - low
        offsets = np.repeat(low - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
        positions = offsets + np.arange(int(lengths.sum()))
        bounds = (np.frombuffer(view.timeline.lower, dtype=np.float64),
                  np.frombuffer(view.timeline.upper, dtype=np.float64))
        firsts = index.first

        def claims_of(entity: int) -> list[int]:
            rows: list[int] = index.rows[firsts[entity]:stop[entity]].tolist()
            return rows

        _settle(view, found, known[mixed], index.entities_at(positions), index.rows[positions],
                bounds, claims_of)
    dead, _, dead_end = index.deaths
    statuses[dead[dead_end <= end]] = EXACT
    held, _, held_start = index.stays
    statuses[held[held_start < end]] = EXACT  # a stay's place depends on the date asked about
    return found


def standing(view: View, entity_count: int, end: float,
             fanout: Iterable[tuple[int, int]], shift: dict[int, float] | None = None
             ) -> Standing:
    """The status and place of every entity by the end ``end``, as seen in ``view``.

    ``fanout`` pairs each entity with each group it belongs to (directly or not)
    whose claims speak for it; ``shift`` gives, by date code, the offset of claims
    written in local time, to count them by a calendar ``end`` (see ``_calendar``).
    """
    np = _np()
    store = view.store
    if not shift:
        index = by_entity(view, entity_count, fanout)
        if index is not None:
            return _standing_by_entity(view, index, entity_count, end)
    *_, status_table = _kind_tables()
    kind = np.frombuffer(store.kind, dtype=np.int8)
    place = np.frombuffer(store.place, dtype=np.int32)
    subject = np.frombuffer(store.subject, dtype=np.int32)
    lower, upper = windows(view)
    positional, deaths = _row_masks(store)
    due = upper
    if shift:
        by_code = np.zeros(len(store.whens))
        by_code[np.fromiter(shift, dtype=np.int64)] = np.fromiter(shift.values(), dtype=float)
        due = upper + by_code[np.frombuffer(store.when, dtype=np.int32)]
    counted = positional if math.isinf(end) else positional & (due <= end)
    dead_rows = deaths[due[deaths] <= end]
    if view.timeline.dropped or not math.isinf(view.known_until) or view.filtered:
        visible = visible_rows(view)
        counted = counted & visible
        dead_rows = dead_rows[visible[dead_rows]]
    x_rows, x_ent = _pairs(store, view, fanout)

    latest = np.full(entity_count, -np.inf)
    start = np.where(counted, lower, -np.inf)
    np.maximum.at(latest, subject, start)
    np.maximum.at(latest, x_ent, start[x_rows])
    f_rows = np.flatnonzero(counted & (upper > latest[subject]))
    f_ent = subject[f_rows]
    x_front = counted[x_rows] & (upper[x_rows] > latest[x_ent])
    if x_front.any():
        f_rows = np.concatenate([f_rows, x_rows[x_front]])
        f_ent = np.concatenate([f_ent, x_ent[x_front]])

    key = status_table[kind[f_rows]].astype(np.int64) * (len(store.places) + 1) + place[f_rows]
    low_key = np.full(entity_count, np.iinfo(np.int64).max)
    high_key = np.full(entity_count, -1, dtype=np.int64)
    np.minimum.at(low_key, f_ent, key)
    np.maximum.at(high_key, f_ent, key)
    one = np.zeros(entity_count, dtype=np.int64)
    one[f_ent] = f_rows
    has = high_key >= 0
    statuses = np.full(entity_count, NOTHING, dtype=np.int8)
    places = np.zeros(entity_count, dtype=np.int32)
    statuses[has] = status_table[kind[one[has]]]
    places[has] = place[one[has]]

    found = Standing(statuses, places, store.places.values)
    split = np.flatnonzero(has & (low_key != high_key))
    if len(split):
        _settle(view, found, split, f_ent, f_rows, (lower, upper))
    dead = np.union1d(subject[dead_rows], x_ent[np.isin(x_rows, dead_rows)])
    statuses[dead] = EXACT
    if shift:  # claims in local time are ordered on their wall clock: the exact path
        local = np.flatnonzero(by_code[np.frombuffer(store.when, dtype=np.int32)] != 0)
        statuses[np.union1d(subject[local], x_ent[np.isin(x_rows, local)])] = EXACT
    if store.stays:  # a stay's place depends on the date asked about: the exact path
        stay_rows = np.fromiter(store.stays, dtype=np.int64, count=len(store.stays))
        stay_rows = stay_rows[lower[stay_rows] < end]  # begun, or may have, by then
        statuses[np.union1d(subject[stay_rows], x_ent[np.isin(x_rows, stay_rows)])] = EXACT
    return found


def _pairs(store: Store, view: View, fanout: Iterable[tuple[int, int]]) -> tuple[Any, Any]:
    """(row, entity) pairs beyond the subject column: further subjects, and the
    claims about a group given to each member."""
    np = _np()

    def several() -> tuple[Any, Any]:  # rows never gain subjects: kept until the store grows
        # Read by fromiter, the subjects run together, not a Python pair a subject: about
        # 2.3 times faster (110,000 rows of two to four subjects: 215 ms, now 90).
        more = store.more_subjects
        sizes = np.fromiter(map(len, more.values()), dtype=np.int64, count=len(more))
        subjects = np.fromiter(itertools.chain.from_iterable(more.values()), dtype=np.int32,
                               count=int(sizes.sum()))
        further = np.ones(len(subjects), dtype=bool)
        further[np.cumsum(sizes) - sizes] = False  # each row's first: in the subject column
        rows = np.fromiter(more, dtype=np.int64, count=len(more))
        return np.repeat(rows, sizes - 1), subjects[further]

    extra: tuple[Any, Any] = _memo(store, "subjects", len(store), several)
    rows: list[Any] = [extra[0]]
    entities: list[Any] = [extra[1]]
    by_subject = view.timeline.by_subject
    for member, group in fanout:
        claims = by_subject.get(group)
        if claims:
            rows.append(np.asarray(claims, dtype=np.int64))
            entities.append(np.full(len(claims), member, dtype=np.int32))
    return np.concatenate(rows), np.concatenate(entities)


def _settle(view: View, found: Standing, split: Any, f_ent: Any, f_rows: Any,
            bounds: tuple[Any, Any], claims_of: Callable[[int], list[int]] | None = None
            ) -> None:
    """Entities whose frontier claims say different things, merged by the rules of
    ``_reasoning``: two claims at *atomic* places (see :func:`_place_keys`) with a
    table of outcomes, the rest one by one in evidence order. Where the frontier
    holds linked claims (which links may take off it), ``claims_of`` gives all the
    claims of the entity that count, to take those off as ``_reasoning.frontier``
    does; without it, such entities go to the exact path."""
    np = _np()
    store = view.store
    *_, status_table = _kind_tables()
    kind = np.frombuffer(store.kind, dtype=np.int8)
    place = np.frombuffer(store.place, dtype=np.int32)
    if claims_of is None:
        wanted = np.isin(f_ent, split)
        ent, rows = f_ent[wanted], f_rows[wanted]
    else:  # (only the split entities' frontiers were given)
        ent, rows = f_ent, f_rows
    order = np.lexsort((rows, ent))
    ent, rows = ent[order], rows[order]
    keep = np.ones(len(ent), dtype=bool)  # a claim about a group and a member counts once
    keep[1:] = (ent[1:] != ent[:-1]) | (rows[1:] != rows[:-1])
    ent, rows = ent[keep], rows[keep]
    firsts = np.flatnonzero(np.r_[True, ent[1:] != ent[:-1]])
    counts = np.diff(np.r_[firsts, len(ent)])
    linked = view.timeline.linked
    is_linked = np.fromiter((row in linked for row in rows.tolist()), dtype=bool,
                            count=len(rows))

    pairs = firsts[counts == 2]
    a, b = rows[pairs], rows[pairs + 1]
    atomic, keys, option_keys = _place_options(store)
    both = atomic[place[a]] & atomic[place[b]] & ~is_linked[pairs] & ~is_linked[pairs + 1]
    options_a, options_b = option_keys[place[a]], option_keys[place[b]]
    shared = np.zeros(len(a), dtype=bool)
    for i in range(_OPTIONS):
        for j in range(_OPTIONS):
            shared |= (options_a[:, i] == options_b[:, j]) & (options_a[:, i] >= 0)
    simple = ((options_a[:, 0] >= 0) & (options_b[:, 0] >= 0) & ~shared
              & ~is_linked[pairs] & ~is_linked[pairs + 1])
    a, b = _evidence_order(view, bounds, a, b)
    status_a, status_b = status_table[kind[a]], status_table[kind[b]]
    _two_atomic(found, ent[pairs[simple]], a[simple], b[simple], status_a[simple],
                status_b[simple], place)
    moving = (status_a <= _CODE[Status.DEPARTED]) & (status_b <= _CODE[Status.DEPARTED])
    same = (both & (keys[place[a]] == keys[place[b]]) & (keys[place[a]] >= 0) & moving
            & (status_a != status_b))
    _one_place(found, ent[pairs[same]], a[same], b[same], status_a[same], status_b[same],
               place)

    many = counts > 2
    rest = np.r_[pairs[~(simple | same)], firsts[many]]
    sizes = np.r_[np.full(int((~(simple | same)).sum()), 2), counts[many]]
    if not len(rest):
        return
    row_list, ent_list, linked_list = rows.tolist(), ent.tolist(), is_linked.tolist()
    statuses, places, options = found.statuses, found.places, found._options
    codes = store.places
    lower, upper = bounds
    for first, size in zip(rest.tolist(), sizes.tolist(), strict=True):
        entity = ent_list[first]
        claims = row_list[first:first + size]
        if any(linked_list[first:first + size]):
            if claims_of is None:
                statuses[entity] = EXACT
                continue
            claims = _unlinked(view, claims, claims_of(entity))
        claims = _in_evidence_order(view, claims, lower, upper)
        merged = clusters([_Position.of(store, row) for row in claims])
        if len(merged) == 1:
            statuses[entity] = STATUS_CODE[merged[0].status]
            places[entity] = codes.code(merged[0].place)
        else:
            statuses[entity] = DISPUTED
            places[entity] = 0
            options[entity] = tuple((c.status, c.place) for c in merged)


def _in_evidence_order(view: View, rows: list[int], lower: Any, upper: Any) -> list[int]:
    """``rows`` sorted by :meth:`View.sort_key`, its later parts read only on ties."""
    keyed = sorted([(float(upper[r]), float(lower[r]), r) for r in rows])
    if any(a[0] == b[0] and a[1] == b[1] for a, b in pairwise(keyed)):
        return sorted(rows, key=view.sort_key)
    return [k[2] for k in keyed]


def _unlinked(view: View, front: list[int], claims: list[int]) -> list[int]:
    """The ``front`` claims that no chain of links puts before another of ``claims``
    (see ``_reasoning.frontier``)."""
    after = view.store.after
    linked = [c for c in set(claims) if c in after]
    if not linked:
        return front
    preceding = frozenset().union(*(view.ancestors(c) for c in linked))
    return [c for c in front if c not in preceding]


def _evidence_order(view: View, bounds: tuple[Any, Any], a: Any, b: Any) -> tuple[Any, Any]:
    """The rows of each pair (``a[i]``, ``b[i]``) in evidence order (see
    :meth:`View.sort_key`): by window end, then start (``bounds``: every row's
    window); ties one by one."""
    np = _np()
    lower, upper = bounds
    ua, ub, la, lb = upper[a], upper[b], lower[a], lower[b]
    swap = (ub < ua) | ((ub == ua) & (lb < la))
    tied = np.flatnonzero((ub == ua) & (lb == la))
    if len(tied):
        key = view.sort_key
        swap[tied] = [key(y) < key(x) for x, y in zip(a[tied].tolist(), b[tied].tolist(),
                                                         strict=True)]
    return np.where(swap, b, a), np.where(swap, a, b)


def _two_atomic(found: Standing, entities: Any, a: Any, b: Any, status_a: Any, status_b: Any,
                place: Any) -> None:
    """Two frontier claims at different atomic places, or alternatives between
    atomic places with none in common (neither lies within the other, nor could
    they be the same spot): a departure from one and a position anywhere else
    agree on the latter (a departure and "whereabouts unknown" on unknown); all
    else is disputed."""
    departed = _CODE[Status.DEPARTED]
    a_left, b_left = status_a == departed, status_b == departed
    merge_a = b_left & ~a_left  # a departure from b: a's position stands
    merge_b = a_left & ~b_left
    statuses, places = found.statuses, found.places
    statuses[entities[merge_a]] = status_a[merge_a]
    places[entities[merge_a]] = place[a[merge_a]]
    statuses[entities[merge_b]] = status_b[merge_b]
    places[entities[merge_b]] = place[b[merge_b]]
    disputed = ~(merge_a | merge_b)
    statuses[entities[disputed]] = DISPUTED
    places[entities[disputed]] = 0
    if disputed.any():
        found.pairs.append((entities[disputed], status_a[disputed], place[a[disputed]],
                            status_b[disputed], place[b[disputed]]))


def _one_place(found: Standing, entities: Any, a: Any, b: Any, status_a: Any, status_b: Any,
               place: Any) -> None:
    """Two frontier claims at one atomic place, saying different things (in it,
    heading there, left it): in it and heading there agree on in it; leaving it
    and either of the others are disputed."""
    np = _np()
    located = _CODE[Status.LOCATED]
    agree = (status_a + status_b) == located + _CODE[Status.HEADING]
    statuses, places = found.statuses, found.places
    statuses[entities[agree]] = located
    places[entities[agree]] = place[np.where(status_a == located, a, b)[agree]]
    disputed = ~agree
    statuses[entities[disputed]] = DISPUTED
    places[entities[disputed]] = 0
    if disputed.any():
        found.pairs.append((entities[disputed], status_a[disputed], place[a[disputed]],
                            status_b[disputed], place[b[disputed]]))


def presence(standing: Standing, numbers: Any, where: Where, store: Store) -> tuple[Any, Any]:
    """Of the entity ``numbers``, those last known to be in ``where`` and those
    who only may be (see :meth:`Ledger.who_is_in`), each in the order given."""
    np = _np()
    codes = standing.places[numbers]
    statuses = standing.statuses[numbers]
    located = statuses == _CODE[Status.LOCATED]
    heading = statuses == _CODE[Status.HEADING]
    used = np.zeros(len(store.places), dtype=bool)
    used[codes[located | heading]] = True
    for _, _, place_a, _, place_b in standing.pairs:
        used[place_a] = used[place_b] = True
    inside, maybe = _place_masks(store, where, np.flatnonzero(used))
    possible = (located & maybe[codes]) | (heading & (inside[codes] | maybe[codes]))
    disputed = [n for n, options in standing._options.items()
                if any(p is not None and s is not Status.DECEASED and p.possibly_within(where)
                       for s, p in options)]
    either, dead = inside | maybe, _CODE[Status.DECEASED]
    for entities, status_a, place_a, status_b, place_b in standing.pairs:
        chosen = ((either[place_a] & (status_a != dead))
                  | (either[place_b] & (status_b != dead)))
        disputed.extend(entities[chosen].tolist())
    if disputed:
        flagged = np.zeros(len(standing.statuses), dtype=bool)
        flagged[disputed] = True
        possible |= flagged[numbers]
    return numbers[located & inside[codes]], numbers[possible]


def _place_masks(store: Store, where: Where, used: Any) -> tuple[Any, Any]:
    """Over every place code: certainly within ``where``, and only possibly within
    it. Places in one country, and alternatives between such places, are sorted by
    their countries at once when ``where`` is a country or region; the rest (of the
    ``used`` codes) one by one."""
    np = _np()
    from whereabouts.places import Place, PlaceKind

    table = store.places.values
    inside = np.zeros(len(table), dtype=bool)
    maybe = np.zeros(len(table), dtype=bool)
    rest = used
    if isinstance(where, Place) and where.kind in (PlaceKind.COUNTRY, PlaceKind.REGION):
        country, names, (option_of, option_country) = _countries(store)
        wanted = [n for n, code in enumerate(names) if code in where.countries]
        inside[:] = np.isin(country, wanted)
        options = np.bincount(option_of, minlength=len(table))
        hits = np.bincount(option_of, weights=np.isin(option_country, wanted),
                           minlength=len(table))
        several = options > 0  # alternatives: within if every option is, maybe if some
        inside |= several & (hits == options)
        maybe |= several & (hits > 0) & (hits < options)
        rest = used[(country[used] < 0) & ~several[used]]
    for code in rest.tolist():
        place = table[code]
        if place is not None:
            inside[code] = place.within(where)
            maybe[code] = not inside[code] and place.possibly_within(where)
    return inside, maybe


def _countries(store: Store) -> tuple[Any, list[str], tuple[Any, Any]]:
    """Per place code, the number of its one country, for a place (not one of
    several) in exactly one country; -1 for the rest (regions, alternatives, and
    places in no country, which :func:`_place_masks` then looks at one by one).
    The countries by number. And for alternatives whose every option is a place
    in one country: per option, the code of the alternatives and its country."""
    def compute() -> tuple[Any, list[str], tuple[Any, Any]]:
        np = _np()
        from whereabouts.places import Alternatives, Place

        numbers: dict[str, int] = {}
        found = np.array([
            numbers.setdefault(next(iter(v.countries)), len(numbers))
            if isinstance(v, Place) and len(v.countries) == 1 else -1
            for v in store.places.values], dtype=np.int64)
        option_of: list[int] = []
        option_country: list[int] = []
        for code, value in enumerate(store.places.values):
            if isinstance(value, Alternatives) and all(
                    isinstance(p, Place) and len(p.countries) == 1 for p in value.places):
                for option in value.places:
                    option_of.append(code)
                    option_country.append(
                        numbers.setdefault(next(iter(option.countries)), len(numbers)))
        return found, list(numbers), (np.array(option_of, dtype=np.int64),
                                      np.array(option_country, dtype=np.int64))

    found: tuple[Any, list[str], tuple[Any, Any]] = _memo(store, "countries",
                                                          len(store.places), compute)
    return found


def day_candidates(standing: Standing, numbers: Any, where: Where, store: Store) -> list[int]:
    """Of the entity ``numbers``, those whose standing may put them in ``where``."""
    np = _np()
    definite, possible = presence(standing, numbers, where, store)
    found: list[int] = np.concatenate([definite, possible]).tolist()
    return found


def exact_ones(standing: Standing) -> list[int]:
    """The entities whose answer the vectorised passes left to the exact path."""
    np = _np()
    found: list[int] = np.flatnonzero(standing.statuses == EXACT).tolist()
    return found


def settle_exactly(standing: Standing, number: int, answer: Whereabouts, store: Store) -> None:
    """Record the exact answer for entity ``number``."""
    standing.statuses[number] = _CODE[answer.status]
    standing.places[number] = store.places.code(answer.place)
    np = _np()
    paired = any(np.any(pair[0] == number) for pair in standing.pairs)
    candidates = standing.candidates if paired else standing._options
    candidates.pop(number, None)
    if answer.status is Status.DISPUTED:
        candidates[number] = tuple((c.status, c.place) for c in answer.candidates)
