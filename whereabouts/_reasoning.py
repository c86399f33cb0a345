"""How answers are derived from claims: order under uncertainty, the frontier, merging.

The rules are written for people in ``docs/semantics.md``; this module is
their implementation. In short:

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

from whereabouts._timeline import View
from whereabouts.entities import Entity
from whereabouts.observations import Family, Kind, Observation
from whereabouts.places import Where
from whereabouts.results import Candidate, Conflict, Status, Stop, Whereabouts
from whereabouts.when import When

__all__ = ["conflicts", "itinerary", "whereabouts"]

_DAY = 86400.0


# -- positions ----------------------------------------------------------------


class _Position:
    """What one claim, or several agreeing claims, say about where someone is."""

    __slots__ = ("evidence", "place", "status")

    def __init__(self, status: Status, place: Where | None, evidence: list[Observation]) -> None:
        self.status = status
        self.place = place
        self.evidence = evidence

    @classmethod
    def of(cls, obs: Observation) -> _Position:
        if obs.kind is Kind.WHEREABOUTS_UNKNOWN:
            return cls(Status.UNKNOWN, None, [obs])
        if obs.kind is Kind.DEPARTED:
            return cls(Status.DEPARTED, obs.place, [obs])
        if obs.kind is Kind.HEADING_TO:
            return cls(Status.HEADING, obs.place, [obs])
        return cls(Status.LOCATED, obs.place, [obs])

    def candidate(self) -> Candidate:
        return Candidate(status=self.status, place=self.place, evidence=tuple(self.evidence))


def positional(obs: Observation) -> bool:
    """Whether a claim says something about where its subjects are."""
    if obs.family is Family.CONDITION:
        return obs.place is not None and obs.kind is not Kind.DIED
    return True


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


def _clusters(frontier: list[Observation]) -> list[_Position]:
    clusters: list[_Position] = []
    for obs in frontier:
        position = _Position.of(obs)
        for n, cluster in enumerate(clusters):
            merged = _merge(cluster, position)
            if merged is not None:
                clusters[n] = merged
                break
        else:
            clusters.append(position)
    return clusters


def frontier(view: View, claims: list[Observation]) -> list[Observation]:
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
    latest_start = max(lower[c.id] for c in claims)
    found = [c for c in claims if upper[c.id] > latest_start]
    linked = [c for c in claims if c.after]
    if linked and len(found) > 1:
        preceding = frozenset().union(*(view.ancestors(c.id) for c in linked))
        found = [c for c in found if c.id not in preceding]
    return found


# -- answers ------------------------------------------------------------------


def whereabouts(
    view: View, entity: Entity, groups: frozenset[str], as_of_end: float,
    as_of: When | None, known_at: When | None,
) -> Whereabouts:
    """Where ``entity`` was last known to be by ``as_of_end``."""
    claims = view.about({entity.id} | groups)
    in_scope = [o for o in claims if view.upper[o.id] <= as_of_end]
    pending = tuple(
        o for o in claims
        if view.lower[o.id] < as_of_end < view.upper[o.id]
        and (positional(o) or o.kind is Kind.DIED)
    )
    base = Whereabouts(entity=entity, status=Status.NOTHING_KNOWN, pending=pending,
                       as_of=as_of, known_at=known_at)
    places = [o for o in in_scope if positional(o)]
    deaths = [o for o in in_scope if o.kind is Kind.DIED]
    conditions = tuple(
        o for o in in_scope if o.family is Family.CONDITION and o.kind is not Kind.DIED
    )
    if deaths:
        return _deceased(view, deaths, places, base)
    if not places:
        return attrs.evolve(base, conditions=conditions)
    latest = frontier(view, places)
    clusters = _clusters(latest)
    if len(clusters) > 1:
        return attrs.evolve(
            base, status=Status.DISPUTED, candidates=tuple(c.candidate() for c in clusters),
            conditions=conditions,
        )
    answer = clusters[0]
    last_seen = None
    if answer.status is not Status.LOCATED:
        earlier = [o for o in places if o.family is Family.PRESENCE or o.family is Family.CONDITION]
        used = {o.id for o in answer.evidence}
        earlier = [o for o in earlier if o.id not in used]
        if earlier:
            seen = _clusters(frontier(view, earlier))
            last_seen = seen[0].candidate() if len(seen) == 1 else None
    since_obs = _since(view, answer, places)
    evidence = _linear_extension(view, list({o.id: o for o in (*answer.evidence, since_obs)}
                                            .values()))
    return attrs.evolve(
        base, status=answer.status, place=answer.place, since=since_obs.when,
        evidence=tuple(evidence), last_seen=last_seen, conditions=conditions,
    )


def _since(view: View, answer: _Position, places: list[Observation]) -> Observation:
    """The claim the answer has held since: the earliest claim of the final run of
    claims that agree with it (in evidence order) which every claim before the
    run certainly preceded. ``places`` is in evidence order."""
    start = len(places)
    while start > 0 and _merge(answer, _Position.of(places[start - 1])) is not None:
        start -= 1
    run = places[start:]
    earlier = places[:start]
    last_end = max((view.upper[x.id] for x in earlier), default=-math.inf)
    settled = [
        o for o in run
        if view.lower[o.id] >= last_end
        or (o.after and all(view.before(x, o) for x in earlier))
    ]
    if answer.status is Status.LOCATED:  # a stay starts with a presence there
        settled = [o for o in settled if o.family is not Family.MOVEMENT] or settled
    return settled[0] if settled else _linear_extension(view, answer.evidence)[0]


def _deceased(
    view: View, deaths: list[Observation], places: list[Observation], base: Whereabouts,
) -> Whereabouts:
    later = [o for o in places if any(view.before(d, o) for d in deaths)]
    death_places = {d.place.key: d.place for d in deaths if d.place is not None}
    place = next(iter(death_places.values())) if len(death_places) == 1 else None
    first = _linear_extension(view, deaths)[0]
    if later:
        alive = _clusters(frontier(view, later))
        dead = Candidate(status=Status.DECEASED, place=place, evidence=tuple(deaths))
        return attrs.evolve(
            base, status=Status.DISPUTED, candidates=(dead, *(c.candidate() for c in alive)),
        )
    return attrs.evolve(
        base, status=Status.DECEASED, place=place, since=first.when,
        evidence=tuple(_linear_extension(view, deaths)),
    )


def itinerary(
    view: View, entity_ids: set[str], as_of_end: float, gap_days: float
) -> tuple[Stop, ...]:
    """The claims about where someone was, in an order the evidence allows."""
    claims = [
        o for o in view.about(entity_ids)
        if view.upper[o.id] <= as_of_end and (positional(o) or o.kind is Kind.DIED)
    ]
    ordered = _linear_extension(view, claims)
    stops: list[Stop] = []
    previous: Observation | None = None
    for obs in ordered:
        position = _Position.of(obs) if obs.kind is not Kind.DIED else None
        status = Status.DECEASED if position is None else position.status
        uncertain = previous is not None and not view.before(previous, obs)
        gap = None
        if previous is not None and not uncertain:
            days = (view.lower[obs.id] - view.upper[previous.id]) / _DAY
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
        previous = obs
    return tuple(stops)


def _linear_extension(view: View, claims: list[Observation]) -> list[Observation]:
    """The claims in an order the evidence allows (see :meth:`View.sort_key`)."""
    return sorted(claims, key=view.sort_key)


def conflicts(view: View, entity: Entity, groups: frozenset[str]) -> list[Conflict]:
    """Pairs of claims that put ``entity`` in different countries at overlapping times,
    and claims placing it somewhere after its death."""
    claims = view.about({entity.id} | groups)
    present = [
        o for o in claims
        if o.place is not None and o.family in (Family.PRESENCE, Family.CONDITION)
    ]
    found: list[Conflict] = []
    for n, a in enumerate(present):
        for b in present[n + 1:]:
            if entity.id not in a.subjects and entity.id not in b.subjects and (
                groups.intersection(a.subjects) & groups.intersection(b.subjects)
            ):
                continue  # both about one of its groups: reported once, on the group
            if view.before(a, b) or view.before(b, a):
                continue
            assert a.place is not None
            assert b.place is not None
            if a.place.countries & b.place.countries:
                continue
            found.append(Conflict(
                entity=entity, observations=(a, b),
                reason=(f"in {a.place.label} and in {b.place.label} at overlapping times"),
            ))
    for death in (o for o in claims if o.kind is Kind.DIED):
        for later in (o for o in claims if positional(o) and view.before(death, o)):
            found.append(Conflict(
                entity=entity, observations=(death, later),
                reason=f"placed {later.describe()} after dying",
            ))
    return found
