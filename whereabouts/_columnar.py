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

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

from whereabouts._reasoning import _Position, clusters, is_positional, status_of
from whereabouts._store import KINDS, Store
from whereabouts._timeline import View, _Windows
from whereabouts.observations import Kind
from whereabouts.places import Where
from whereabouts.results import Status, Whereabouts

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["STATUSES", "Column", "Standing", "exact_ones", "settle_exactly", "standing"]

STATUSES: tuple[Status, ...] = tuple(Status)
"""Statuses by code: the code of a status is its position in :class:`Status`."""
STATUS_CODE = {status: code for code, status in enumerate(STATUSES)}
_CODE = STATUS_CODE
NOTHING = _CODE[Status.NOTHING_KNOWN]
DISPUTED = _CODE[Status.DISPUTED]
EXACT = -1
"""The status code of an entity left to the exact path."""


def _np() -> Any:
    import numpy

    return numpy


class Standing:
    """Status and place codes of every entity (by entity number), and for
    disputed ones the candidate (status, place) pairs; ``EXACT`` marks the
    entities whose answer needs the exact path."""

    __slots__ = ("candidates", "places", "statuses")

    def __init__(self, statuses: npt.NDArray[np.int8], places: npt.NDArray[np.int32],
                 candidates: dict[int, tuple[tuple[Status, Where | None], ...]]) -> None:
        self.statuses = statuses
        self.places = places
        self.candidates = candidates


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


def own_windows(store: Store, start: int = 0) -> tuple[Any, Any]:
    """The window of every row from ``start`` on, by its own dates (retractions: NaN)."""
    np = _np()
    starts, ends = _when_bounds(store)
    when = np.frombuffer(store.when, dtype=np.int32)[start:]
    reported = np.frombuffer(store.reported, dtype=np.int32)[start:]
    lower = starts[when]
    upper = np.minimum(ends[when], ends[reported])
    retracted = np.frombuffer(store.kind, dtype=np.int8)[start:] < 0
    lower[retracted] = math.nan
    upper[retracted] = math.nan
    return lower, upper


def _when_bounds(store: Store) -> tuple[Any, Any]:
    np = _np()
    values = store.whens.values
    starts = np.array([-math.inf if w is None else w.lower for w in values])
    ends = np.array([math.inf if w is None else w.upper for w in values])
    return starts, ends


def visible_rows(view: View) -> Any:
    """A mask of the rows that are observations visible in ``view``."""
    np = _np()
    store = view.store
    mask = np.frombuffer(store.kind, dtype=np.int8) >= 0
    until = view.known_until
    if not math.isinf(until):
        _, ends = _when_bounds(store)
        mask &= ends[np.frombuffer(store.reported, dtype=np.int32)] <= until
    gone = [row for row, when in view.timeline.dropped.items() if when <= until]
    if gone:
        mask[np.array(gone, dtype=np.intp)] = False
    return mask


def standing(view: View, entity_count: int, end: float,
             fanout: Iterable[tuple[int, int]]) -> Standing:
    """The status and place of every entity by the end ``end``, as seen in ``view``.

    ``fanout`` pairs each entity with each group it belongs to (directly or not)
    whose claims speak for it.
    """
    np = _np()
    store = view.store
    always, with_place, death, status_table = _kind_tables()
    kind = np.frombuffer(store.kind, dtype=np.int8)
    place = np.frombuffer(store.place, dtype=np.int32)
    lower, upper = windows(view)
    counted = visible_rows(view)
    counted &= upper <= end
    dead_rows = counted & death[kind]
    counted &= always[kind] | (with_place[kind] & (place != 0))

    rows, entities = _pairs(store, view, fanout)
    if rows is None:  # one subject per row, no groups: the columns are the pairs
        pair_ent = np.frombuffer(store.subject, dtype=np.int32)
        take = counted
        pair_rows = None
    else:
        pair_ent = entities
        take = counted[rows]
        pair_rows = rows

    statuses = np.full(entity_count, NOTHING, dtype=np.int8)
    places = np.zeros(entity_count, dtype=np.int32)
    selected = np.flatnonzero(take)
    sel_rows = selected if pair_rows is None else pair_rows[selected]
    sel_ent = pair_ent[selected]
    latest = np.full(entity_count, -np.inf)
    np.maximum.at(latest, sel_ent, lower[sel_rows])
    front = upper[sel_rows] > latest[sel_ent]
    f_rows = sel_rows[front]
    f_ent = sel_ent[front]
    key = status_table[kind[f_rows]].astype(np.int64) * (len(store.places) + 1) + place[f_rows]
    low_key = np.full(entity_count, np.iinfo(np.int64).max)
    high_key = np.full(entity_count, -1, dtype=np.int64)
    np.minimum.at(low_key, f_ent, key)
    np.maximum.at(high_key, f_ent, key)
    one = np.zeros(entity_count, dtype=np.int64)
    one[f_ent] = f_rows
    has = high_key >= 0
    statuses[has] = status_table[kind[one[has]]]
    places[has] = place[one[has]]

    candidates: dict[int, tuple[tuple[Status, Where | None], ...]] = {}
    split = np.flatnonzero(has & (low_key != high_key))
    if len(split):
        _settle(view, statuses, places, candidates, split, f_ent, f_rows)
    dead = np.unique(pair_ent[np.flatnonzero(dead_rows if pair_rows is None
                                             else dead_rows[pair_rows])])
    statuses[dead] = EXACT
    return Standing(statuses, places, candidates)


def _pairs(store: Store, view: View,
           fanout: Iterable[tuple[int, int]]) -> tuple[Any, Any] | tuple[None, None]:
    """(row, entity) pairs beyond the subject column: further subjects, and the
    claims about a group given to each member. None when there are none."""
    np = _np()
    extra_rows: list[int] = []
    extra_ent: list[int] = []
    for row, subjects in store.more_subjects.items():
        extra_rows.extend([row] * (len(subjects) - 1))
        extra_ent.extend(subjects[1:])
    by_subject = view.timeline.by_subject
    group_parts: list[Any] = []
    member_parts: list[Any] = []
    for member, group in fanout:
        rows = by_subject.get(group)
        if rows:
            group_parts.append(np.frombuffer(rows, dtype=np.int32))
            member_parts.append(np.full(len(rows), member, dtype=np.int32))
    if not extra_rows and not group_parts:
        return None, None
    count = len(store)
    rows_out = np.concatenate([np.arange(count, dtype=np.int64),
                               np.array(extra_rows, dtype=np.int64), *group_parts])
    ent_out = np.concatenate([np.frombuffer(store.subject, dtype=np.int32),
                              np.array(extra_ent, dtype=np.int32), *member_parts])
    return rows_out, ent_out


def _settle(view: View, statuses: Any, places: Any,
            candidates: dict[int, tuple[tuple[Status, Where | None], ...]],
            split: Any, f_ent: Any, f_rows: Any) -> None:
    """Entities whose frontier claims say different things: merged by the rules
    of ``_reasoning`` in evidence order, or left to the exact path when ``after``
    links may take claims off the frontier."""
    np = _np()
    store = view.store
    wanted = np.isin(f_ent, split)
    by_entity: dict[int, list[int]] = {}
    for entity, row in zip(f_ent[wanted].tolist(), f_rows[wanted].tolist(), strict=True):
        by_entity.setdefault(entity, []).append(row)
    linked = view.timeline.linked
    code_of = {status: code for code, status in enumerate(STATUSES)}
    place_code = store.places.code
    for entity, rows in by_entity.items():
        if linked and any(row in linked for row in rows):
            statuses[entity] = EXACT
            continue
        rows.sort(key=view.sort_key)
        found = clusters([_Position.of(store, row) for row in dict.fromkeys(rows)])
        if len(found) == 1:
            statuses[entity] = code_of[found[0].status]
            places[entity] = place_code(found[0].place)
        else:
            statuses[entity] = DISPUTED
            places[entity] = 0
            candidates[entity] = tuple((c.status, c.place) for c in found)


def presence_masks(where: Where, places: Sequence[Where | None],
                   codes: Iterable[int]) -> tuple[set[int], set[int]]:
    """Of the place ``codes``, those certainly within ``where`` and those only
    possibly within it."""
    within: set[int] = set()
    possibly: set[int] = set()
    for code in codes:
        place = places[code]
        if place is None:
            continue
        if place.within(where):
            within.add(code)
        elif place.possibly_within(where):
            possibly.add(code)
    return within, possibly



def exact_ones(standing: Standing) -> list[int]:
    """The entities whose answer the vectorised passes left to the exact path."""
    np = _np()
    found: list[int] = np.flatnonzero(standing.statuses == EXACT).tolist()
    return found


def settle_exactly(standing: Standing, number: int, answer: Whereabouts, store: Store) -> None:
    """Record the exact answer for entity ``number``."""
    standing.statuses[number] = _CODE[answer.status]
    standing.places[number] = store.places.code(answer.place)
    if answer.status is Status.DISPUTED:
        standing.candidates[number] = tuple((c.status, c.place) for c in answer.candidates)


T = TypeVar("T")


class Column(Sequence[T]):
    """A read-only sequence whose items are computed from positions on demand."""

    __slots__ = ("_get", "_keys")

    def __init__(self, keys: Sequence[int], get: Callable[[int], T]) -> None:
        self._keys = keys
        self._get = get

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            return tuple(map(self._get, self._keys[index]))
        return self._get(self._keys[index])

    def __iter__(self) -> Iterator[T]:
        return map(self._get, self._keys)
