"""How answers are derived from claims: order under uncertainty, the frontier, merging.

The rules are written for people in ``docs/semantics.md``; this module is
their implementation, over rows of the ledger's store (see ``_store.py``);
observations are built only for the answers. In short:

* A claim's *window* is ``[lower, upper)``: its ``when``, capped by the date
  it was reported, then narrowed through ``after`` links (if B comes after
  A, B cannot start before A can, and A cannot end after B must).
* A claim is *before* another when its window ends before the other's
  begins, or when a chain of ``after`` links says so.
* The *frontier* of a set of claims is the claims that nothing else in the
  set is certainly after: any of them could be the latest.
* If the frontier's claims agree (same place, or one place inside another,
  or a departure from one place and arrival somewhere outside it), the
  answer is their common place; otherwise it is ``DISPUTED``.
"""

from __future__ import annotations

import math

import attrs

from whereabouts._store import KINDS, Store
from whereabouts._timeline import View
from whereabouts.entities import Entity
from whereabouts.observations import Family, Kind
from whereabouts.places import Where
from whereabouts.results import Candidate, Conflict, Status, Stop, Whereabouts
from whereabouts.when import When

__all__ = ["conflicts", "itinerary", "whereabouts"]

_DAY = 86400.0


# -- positions ----------------------------------------------------------------


class _Position:
    """What one claim, or several agreeing claims, say about where someone is."""

    __slots__ = ("evidence", "place", "status")

    def __init__(self, status: Status, place: Where | None, evidence: list[int]) -> None:
        self.status = status
        self.place = place
        self.evidence = evidence

    @classmethod
    def of(cls, store: Store, row: int) -> _Position:
        kind = KINDS[store.kind[row]]
        if kind is Kind.WHEREABOUTS_UNKNOWN:
            return cls(Status.UNKNOWN, None, [row])
        place = store.places.values[store.place[row]]
        return cls(_STATUS.get(kind, Status.LOCATED), place, [row])

    def candidate(self, store: Store) -> Candidate:
        return Candidate(status=self.status, place=self.place,
                         evidence=tuple(store.observation(r) for r in self.evidence))


_STATUS = {Kind.WHEREABOUTS_UNKNOWN: Status.UNKNOWN, Kind.DEPARTED: Status.DEPARTED,
           Kind.HEADING_TO: Status.HEADING}


def status_of(kind: Kind) -> Status:
    """The status a positional claim of ``kind`` gives its subjects."""
    return _STATUS.get(kind, Status.LOCATED)


def is_positional(kind: Kind, has_place: bool) -> bool:
    """Whether a claim says something about where its subjects are."""
    if kind.family is Family.CONDITION:
        return has_place and kind is not Kind.DIED
    return True


_ALWAYS = tuple(is_positional(k, False) for k in KINDS)
"""By kind code: positional whether or not it has a place."""
_WITH_PLACE = tuple(is_positional(k, True) for k in KINDS)
_DEATH = tuple(k is Kind.DIED for k in KINDS)
_CONDITION = tuple(k.family is Family.CONDITION for k in KINDS)


def positional(store: Store, row: int) -> bool:
    code = store.kind[row]
    return _ALWAYS[code] or (_WITH_PLACE[code] and store.place[row] != 0)


def _family(store: Store, row: int) -> Family:
    return KINDS[store.kind[row]].family


def _is_death(store: Store, row: int) -> bool:
    return KINDS[store.kind[row]] is Kind.DIED


def _narrower(a: Where, b: Where) -> Where | None:
    """The more specific of two places if one lies within the other, else None."""
    if a.within(b):
        return a
    if b.within(a):
        return b
    return None


def _merge(p: _Position, q: _Position) -> _Position | None:
    """One position that both claims fit whichever came last, or None if they differ."""
    if q.status is Status.LOCATED and p.status is not Status.LOCATED:
        p, q = q, p
    if p.status is Status.DEPARTED and q.status is not Status.DEPARTED:
        p, q = q, p
    status, evidence = p.status, p.evidence + q.evidence
    a, b = p.place, q.place
    if status is Status.UNKNOWN or q.status is Status.UNKNOWN:
        if {p.status, q.status} <= {Status.UNKNOWN, Status.DEPARTED}:
            return _Position(Status.UNKNOWN, None, evidence)
        return None
    assert a is not None
    assert b is not None
    if status is q.status:
        if status is Status.DEPARTED:  # left both: keep the larger area
            narrow = _narrower(a, b)
            wide = None if narrow is None else (b if narrow is a else a)
            return None if wide is None else _Position(status, wide, evidence)
        narrow = _narrower(a, b)
        return None if narrow is None else _Position(status, narrow, evidence)
    if status is Status.LOCATED and q.status is Status.HEADING:
        return _Position(status, a, evidence) if a.within(b) else None
    # located or heading somewhere, and departed from b: fine if not inside b.
    if q.status is Status.DEPARTED and not a.overlaps(b):
        return _Position(status, a, evidence)
    return None


def clusters(positions: list[_Position]) -> list[_Position]:
    """Positions merged greedily, in order, into those that agree."""
    found: list[_Position] = []
    for position in positions:
        for n, cluster in enumerate(found):
            merged = _merge(cluster, position)
            if merged is not None:
                found[n] = merged
                break
        else:
            found.append(position)
    return found


def _clusters(view: View, rows: list[int]) -> list[_Position]:
    return clusters([_Position.of(view.store, row) for row in rows])


def frontier(view: View, claims: list[int]) -> list[int]:
    """The claims that no other claim in ``claims`` certainly follows.

    A claim precedes another by dates when its window ends before the other's
    starts, so it is on the frontier exactly when its end is later than the
    latest start among the claims (its own start is earlier than its end, so
    it never excludes itself); then those that a chain of links puts before
    another claim are removed.
    """
    if not claims:
        return []
    lower, upper = view.lower, view.upper
    latest_start = max([lower[c] for c in claims])
    found = [c for c in claims if upper[c] > latest_start]
    if len(found) > 1:
        after = view.store.after
        linked = [c for c in claims if c in after]
        if linked:
            preceding = frozenset().union(*(view.ancestors(c) for c in linked))
            found = [c for c in found if c not in preceding]
    return found


# -- answers ------------------------------------------------------------------


def whereabouts(
    view: View, entity: Entity, entities: set[int], as_of_end: float,
    as_of: When | None, known_at: When | None,
) -> Whereabouts:
    """Where ``entity`` was last known to be by ``as_of_end``; ``entities`` are the
    numbers of the entity and its groups."""
    store = view.store
    lower, upper = view.lower, view.upper
    kinds, place_codes = store.kind, store.place
    pending_rows: list[int] = []
    places: list[int] = []
    deaths: list[int] = []
    condition_rows: list[int] = []
    for row in view.about(entities):  # one pass, in evidence order
        code = kinds[row]
        counts = _ALWAYS[code] or (_WITH_PLACE[code] and place_codes[row] != 0)
        if upper[row] <= as_of_end:
            if counts:
                places.append(row)
            if _DEATH[code]:
                deaths.append(row)
            elif _CONDITION[code]:
                condition_rows.append(row)
        elif lower[row] < as_of_end and (counts or _DEATH[code]):
            pending_rows.append(row)
    pending = tuple(store.observation(r) for r in pending_rows)
    conditions = tuple(store.observation(r) for r in condition_rows)
    if deaths:
        base = Whereabouts(entity=entity, status=Status.NOTHING_KNOWN, pending=pending,
                           as_of=as_of, known_at=known_at)
        return _deceased(view, deaths, places, base)
    if not places:
        return Whereabouts(entity=entity, status=Status.NOTHING_KNOWN, conditions=conditions,
                           pending=pending, as_of=as_of, known_at=known_at)
    latest = frontier(view, places)
    found = _clusters(view, latest)
    if len(found) > 1:
        return Whereabouts(
            entity=entity, status=Status.DISPUTED,
            candidates=tuple(c.candidate(store) for c in found), conditions=conditions,
            pending=pending, as_of=as_of, known_at=known_at,
        )
    answer = found[0]
    last_seen = None
    if answer.status is not Status.LOCATED:
        used = set(answer.evidence)
        earlier = [r for r in places if _family(store, r) in (Family.PRESENCE, Family.CONDITION)
                   and r not in used]
        if earlier:
            seen = _clusters(view, frontier(view, earlier))
            last_seen = seen[0].candidate(store) if len(seen) == 1 else None
    since_row = _since(view, answer, places)
    evidence = _linear_extension(view, list(dict.fromkeys((*answer.evidence, since_row))))
    return Whereabouts(
        entity=entity, status=answer.status, place=answer.place,
        since=store.when_of(since_row), evidence=tuple(store.observation(r) for r in evidence),
        last_seen=last_seen, conditions=conditions, pending=pending, as_of=as_of,
        known_at=known_at,
    )


def _since(view: View, answer: _Position, places: list[int]) -> int:
    """The claim the answer has held since: the earliest claim of the final run of
    claims that agree with it (in evidence order) which every claim before the
    run certainly preceded. ``places`` is in evidence order."""
    store = view.store
    start = len(places)
    while start > 0 and _merge(answer, _Position.of(store, places[start - 1])) is not None:
        start -= 1
    run = places[start:]
    earlier = places[:start]
    last_end = max((view.upper[x] for x in earlier), default=-math.inf)
    settled = [
        r for r in run
        if view.lower[r] >= last_end
        or (r in store.after and all(view.before(x, r) for x in earlier))
    ]
    if answer.status is Status.LOCATED:  # a stay starts with a presence there
        settled = [r for r in settled if _family(store, r) is not Family.MOVEMENT] or settled
    return settled[0] if settled else _linear_extension(view, answer.evidence)[0]


def _deceased(
    view: View, deaths: list[int], places: list[int], base: Whereabouts,
) -> Whereabouts:
    store = view.store
    later = [r for r in places if any(view.before(d, r) for d in deaths)]
    death_places = {p.key: p for p in (store.place_of(d) for d in deaths) if p is not None}
    place = next(iter(death_places.values())) if len(death_places) == 1 else None
    ordered = [store.observation(r) for r in _linear_extension(view, deaths)]
    if later:
        alive = _clusters(view, frontier(view, later))
        dead = Candidate(status=Status.DECEASED, place=place,
                         evidence=tuple(store.observation(r) for r in deaths))
        return attrs.evolve(
            base, status=Status.DISPUTED,
            candidates=(dead, *(c.candidate(store) for c in alive)),
        )
    return attrs.evolve(
        base, status=Status.DECEASED, place=place, since=ordered[0].when, evidence=tuple(ordered),
    )


def itinerary(
    view: View, entities: set[int], as_of_end: float, gap_days: float
) -> tuple[Stop, ...]:
    """The claims about where someone was, in an order the evidence allows."""
    store = view.store
    claims = [
        r for r in view.about(entities)
        if view.upper[r] <= as_of_end and (positional(store, r) or _is_death(store, r))
    ]
    stops: list[Stop] = []
    previous: int | None = None
    for row in _linear_extension(view, claims):
        obs = store.observation(row)
        status = Status.DECEASED if obs.kind is Kind.DIED else _Position.of(store, row).status
        uncertain = previous is not None and not view.before(previous, row)
        gap = None
        if previous is not None and not uncertain:
            days = (view.lower[row] - view.upper[previous]) / _DAY
            if math.isfinite(days) and days > gap_days:
                gap = round(days)
        last = stops[-1] if stops else None
        if (last is not None and gap is None and last.status is status
                and last.place is not None and obs.place is not None
                and last.place.key == obs.place.key):
            stops[-1] = Stop(status=status, place=last.place,
                             observations=(*last.observations, obs),
                             order_uncertain=last.order_uncertain,
                             gap_before_days=last.gap_before_days)
        else:
            stops.append(Stop(status=status, place=obs.place, observations=(obs,),
                              order_uncertain=uncertain, gap_before_days=gap))
        previous = row
    return tuple(stops)


def _linear_extension(view: View, rows: list[int]) -> list[int]:
    """The rows in an order the evidence allows (see :meth:`View.sort_key`)."""
    return view.ordered(rows)


def conflicts(view: View, entity: Entity, number: int, groups: set[int]) -> list[Conflict]:
    """Pairs of claims that put ``entity`` (entity ``number``, in ``groups``) in
    different countries at overlapping times, and claims placing it somewhere
    after its death. A place in no country (a craft, waters) counts as a
    country of its own: aboard a ship and in Syria at once is a conflict,
    twice aboard the same ship is not."""
    store = view.store
    claims = view.about({number} | groups)
    present = [
        r for r in claims
        if store.place[r] != 0 and _family(store, r) in (Family.PRESENCE, Family.CONDITION)
    ]
    found: list[Conflict] = []
    for n, a in enumerate(present):
        for b in present[n + 1:]:
            a_subjects, b_subjects = set(store.subjects_of(a)), set(store.subjects_of(b))
            if number not in a_subjects and number not in b_subjects and (
                groups & a_subjects & b_subjects
            ):
                continue  # both about one of its groups: reported once, on the group
            if view.before(a, b) or view.before(b, a):
                continue
            a_place, b_place = store.place_of(a), store.place_of(b)
            assert a_place is not None
            assert b_place is not None
            if a_place.countries & b_place.countries or a_place.overlaps(b_place):
                continue  # one country shared, or (in no country) the same craft or waters
            found.append(Conflict(
                entity=entity, observations=(store.observation(a), store.observation(b)),
                reason=f"in {a_place.label} and in {b_place.label} at overlapping times",
            ))
    for death in (r for r in claims if _is_death(store, r)):
        for later in (r for r in claims if positional(store, r) and view.before(death, r)):
            obs = store.observation(later)
            found.append(Conflict(
                entity=entity, observations=(store.observation(death), obs),
                reason=f"placed {obs.describe()} after dying",
            ))
    return found
