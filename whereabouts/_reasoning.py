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
from collections.abc import Callable
from typing import Any

import attrs

from whereabouts._stays import stay_end, stay_start
from whereabouts._store import KINDS, Store
from whereabouts._timeline import View
from whereabouts.entities import Entity
from whereabouts.observations import Family, Kind
from whereabouts.places import Where
from whereabouts.results import Candidate, Conflict, During, Status, Stop, Whereabouts
from whereabouts.when import When

__all__ = ["conflicts", "day_presence", "itinerary", "whereabouts", "within"]

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


def local_offset(store: Store, row: int, shift: dict[int, float] | None) -> float:
    """Seconds to add to ``row``'s window to read it on the wall clock written in its
    date, for a calendar question (``shift`` by date code, see ``_calendar``)."""
    return 0.0 if shift is None else shift.get(store.when[row], 0.0)


def is_positional(kind: Kind, has_place: bool) -> bool:
    """Whether a claim says something about where its subjects are (an attempt,
    which did not happen, never does)."""
    if kind.family is Family.ATTEMPT:
        return False
    if kind.family is Family.CONDITION:
        return has_place and kind is not Kind.DIED
    return True


_ALWAYS = tuple(is_positional(k, False) for k in KINDS)
"""By kind code: positional whether or not it has a place."""
_WITH_PLACE = tuple(is_positional(k, True) for k in KINDS)
_DEATH = tuple(k is Kind.DIED for k in KINDS)
_CONDITION = tuple(k.family is Family.CONDITION for k in KINDS)
_SET_APART = tuple(k.family in (Family.CONDITION, Family.ATTEMPT) for k in KINDS)
"""By kind code: shown beside an answer when it does not place anyone."""


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


def frontier(view: View, claims: list[int], *, lower: Callable[[int], float] | None = None,
             upper: Callable[[int], float] | None = None) -> list[int]:
    """The claims that no other claim in ``claims`` certainly follows.

    A claim precedes another by dates when its window ends before the other's
    starts, so it is on the frontier exactly when its end is later than the
    latest start among the claims (its own start is earlier than its end, so
    it never excludes itself); then those that a chain of links puts before
    another claim are removed.
    """
    if not claims:
        return []
    low = view.lower.__getitem__ if lower is None else lower
    high = view.upper.__getitem__ if upper is None else upper
    latest_start = max([low(c) for c in claims])
    found = [c for c in claims if high(c) > latest_start]
    if len(found) > 1:
        after = view.store.after
        linked = [c for c in claims if c in after]
        if linked:
            preceding = frozenset().union(*(view.ancestors(c) for c in linked))
            found = [c for c in found if c not in preceding]
    return found


# -- answers ------------------------------------------------------------------

_EPSILON = 1e-3
"""A stay still holding at an instant is read as a claim just after it (seconds)."""


class _Claims:
    """The claims about one entity that count by an instant ``as_of_end``, sorted
    by what they say; stays read as what they say at that instant.

    A stay that certainly began by then and certainly ended by then says its
    subjects *departed* its place, at its end; one that began but may still hold
    says they are there, at the last instant it certainly held (or at
    ``as_of_end``). A date-time written with an offset is read, for a calendar
    ``as_of``, on the wall clock written in it (``shift``: seconds to add), both
    to count it and to order it against the rest."""

    def __init__(self, view: View, entities: set[int], as_of_end: float,
                 shift: dict[int, float] | None = None) -> None:
        store = self.store = view.store
        self.view = view
        lower, upper = view.lower, view.upper
        kinds, place_codes, stays = store.kind, store.place, store.stays
        self.places: list[int] = []
        self.deaths: list[int] = []
        self.conditions: list[int] = []
        self.pending: list[int] = []
        self.windows: dict[int, tuple[float, float]] = {}
        """Rows whose window here is not the view's: stays (as a claim at ``as_of_end``)
        and claims read on their own wall clock."""
        self.ended: set[int] = set()
        for row in view.about(entities):  # one pass, in evidence order
            code = kinds[row]
            counts = _ALWAYS[code] or (_WITH_PLACE[code] and place_codes[row] != 0)
            moved = local_offset(store, row, shift)
            low, high = lower[row] + moved, upper[row] + moved
            if stays and row in stays:
                self._stay(row, low, high, as_of_end, moved)
                continue
            if moved:  # compared with a calendar date on its own wall clock throughout
                self.windows[row] = (low, high)
            if high <= as_of_end:
                if counts:
                    self.places.append(row)
                if _DEATH[code]:
                    self.deaths.append(row)
                elif _SET_APART[code]:
                    self.conditions.append(row)
            elif low < as_of_end and (counts or _DEATH[code]):
                self.pending.append(row)

    def _stay(self, row: int, low: float, high: float, as_of_end: float, moved: float) -> None:
        _, begun_upper, ended_lower, ended_upper = (b + moved for b in self.store.stays[row])
        begun_upper = max(begun_upper, low)  # links may narrow the window
        ended_upper = min(ended_upper, high)
        ended_lower = min(max(ended_lower, begun_upper), ended_upper)
        if begun_upper > as_of_end:
            if low < as_of_end:
                self.pending.append(row)  # may have begun by then
            return
        self.places.append(row)
        if math.isfinite(ended_upper) and ended_upper <= as_of_end:
            self.ended.add(row)  # (an exact end is read as its last moment)
            self.windows[row] = (min(ended_lower, ended_upper - _EPSILON), ended_upper)
            return
        held = min(ended_lower, as_of_end)
        self.windows[row] = (held, held + _EPSILON)
        if ended_lower < as_of_end < math.inf:
            self.pending.append(row)  # may have ended by then

    def lower(self, row: int) -> float:
        found = self.windows.get(row)
        return self.view.lower[row] if found is None else found[0]

    def upper(self, row: int) -> float:
        found = self.windows.get(row)
        return self.view.upper[row] if found is None else found[1]

    def position(self, row: int) -> _Position:
        if row in self.ended:
            return _Position(Status.DEPARTED, self.store.place_of(row), [row])
        return _Position.of(self.store, row)

    def clusters(self, rows: list[int]) -> list[_Position]:
        return clusters([self.position(row) for row in rows])

    def frontier(self, rows: list[int]) -> list[int]:
        if not self.windows:
            return frontier(self.view, rows)
        return frontier(self.view, rows, lower=self.lower, upper=self.upper)

    def when(self, row: int, *, ending: bool = False) -> When | None:
        """The date a claim's answer holds since: a stay's start, or its end."""
        when = self.store.when_of(row)
        if when is None or row not in self.store.stays:
            return when
        return stay_end(when) if ending else stay_start(when)


def whereabouts(
    view: View, entity: Entity, entities: set[int], as_of_end: float,
    as_of: When | None, known_at: When | None, shift: dict[int, float] | None = None,
) -> Whereabouts:
    """Where ``entity`` was last known to be by ``as_of_end``; ``entities`` are the
    numbers of the entity and its groups."""
    store = view.store
    claims = _Claims(view, entities, as_of_end, shift)
    places = claims.places
    weak, denied = view.set_aside(entities)
    kept: dict[str, Any] = {
        "entity": entity, "as_of": as_of, "known_at": known_at,
        "pending": tuple(store.observation(r) for r in claims.pending),
    }
    if weak or denied:
        kept["also_reported"] = tuple(store.observation(r) for r in weak
                                      if view.lower[r] < as_of_end)
        kept["denied"] = tuple(store.observation(r) for r in denied
                               if view.lower[r] < as_of_end)
    if claims.deaths:
        return _deceased(view, claims.deaths, places, kept)
    kept["conditions"] = tuple(store.observation(r) for r in claims.conditions)
    if not places:
        return Whereabouts(status=Status.NOTHING_KNOWN, **kept)
    found = claims.clusters(claims.frontier(places))
    if len(found) > 1:
        return Whereabouts(status=Status.DISPUTED,
                           candidates=tuple(c.candidate(store) for c in found), **kept)
    answer = found[0]
    last_placed: tuple[Candidate, ...] = ()
    if answer.status is not Status.LOCATED:
        last_placed = _last_placed(claims, answer)
    since_row = _since(claims, answer, places)
    evidence = _linear_extension(view, list(dict.fromkeys((*answer.evidence, since_row))))
    return Whereabouts(
        status=answer.status, place=answer.place,
        since=claims.when(since_row, ending=since_row in claims.ended),
        evidence=tuple(store.observation(r) for r in evidence),
        last_seen=last_placed[0] if len(last_placed) == 1 else None, last_placed=last_placed,
        **kept,
    )


def _last_placed(claims: _Claims, answer: _Position) -> tuple[Candidate, ...]:
    """Where someone who left, is heading somewhere or is unaccounted for was last
    placed: the latest presences before the answer (several if they disagree); else
    the place a departure in the answer left, or the stay it ended."""
    store = claims.store
    used = set(answer.evidence)
    earlier = [r for r in claims.places if r not in used
               and _family(store, r) in (Family.PRESENCE, Family.CONDITION)]
    if earlier:  # a stay that ended placed them there: read as the presence it was
        latest = clusters([_Position.of(store, r) for r in claims.frontier(earlier)])
        return tuple(c.candidate(store) for c in latest)
    stays = [r for r in answer.evidence if r in claims.ended]
    if stays:
        return tuple(_Position(Status.LOCATED, store.place_of(r), [r]).candidate(store)
                     for r in stays[-1:])
    left = [r for r in answer.evidence if KINDS[store.kind[r]] is Kind.DEPARTED]
    if left and answer.status is not Status.HEADING:
        place = store.place_of(left[0])
        return (_Position(Status.LOCATED, place, left).candidate(store),)
    return ()


def _since(claims: _Claims, answer: _Position, places: list[int]) -> int:
    """The claim the answer has held since: the earliest claim of the final run of
    claims that agree with it (in evidence order) which every claim before the
    run certainly preceded. ``places`` is in evidence order."""
    view, store = claims.view, claims.store
    start = len(places)
    while start > 0 and _merge(answer, claims.position(places[start - 1])) is not None:
        start -= 1
    run = places[start:]
    earlier = places[:start]
    last_end = max((claims.upper(x) for x in earlier), default=-math.inf)
    settled = [
        r for r in run
        if view.lower[r] >= last_end
        or (r in store.after and all(view.before(x, r) for x in earlier))
    ]
    if answer.status is Status.LOCATED:  # a stay starts with a presence there
        settled = [r for r in settled if _family(store, r) is not Family.MOVEMENT
                   and r not in claims.ended] or settled
    elif answer.status is Status.DEPARTED and answer.place is not None:  # left the place
        # itself, not a smaller one inside it ("left Damascus" is not "left Syria")
        key = answer.place.key
        settled = [r for r in settled if (p := store.place_of(r)) is not None
                   and p.key == key] or settled
    return settled[0] if settled else _linear_extension(view, answer.evidence)[0]


def _deceased(
    view: View, deaths: list[int], places: list[int], kept: dict[str, Any],
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
        return Whereabouts(status=Status.DISPUTED,
                           candidates=(dead, *(c.candidate(store) for c in alive)), **kept)
    return Whereabouts(status=Status.DECEASED, place=place, since=ordered[0].when,
                       evidence=tuple(ordered), **kept)


def itinerary(
    view: View, entities: set[int], as_of_end: float, gap_days: float, *,
    start: float = -math.inf, end: float = math.inf, shift: dict[int, float] | None = None,
) -> tuple[Stop, ...]:
    """The claims about where someone was, in an order the evidence allows: those
    that happened by ``as_of_end`` (a stay: began by then) and may fall between
    ``start`` and ``end``. A stay is one stop, ordered by its start; an attempt is
    a stop not made."""
    store = view.store
    stays = store.stays
    claims: list[int] = []
    for row in view.about(entities):
        if not (positional(store, row) or _is_death(store, row) or _is_attempt(store, row)):
            continue
        moved = local_offset(store, row, shift)
        low, high = view.lower[row] + moved, view.upper[row] + moved
        began = stays[row][1] + moved if row in stays else high
        if began <= as_of_end and low < end and high > start:
            claims.append(row)
    stops: list[Stop] = []
    previous: int | None = None
    for row in _stops_order(view, claims):
        obs = store.observation(row)
        made = obs.kind.family is not Family.ATTEMPT
        status = (Status.DECEASED if obs.kind is Kind.DIED
                  else Status.HEADING if not made else _Position.of(store, row).status)
        uncertain = previous is not None and not _started_before(view, previous, row)
        gap = None
        if previous is not None and not uncertain:
            days = (view.lower[row] - view.upper[previous]) / _DAY
            if math.isfinite(days) and days > gap_days:
                gap = round(days)
        last = stops[-1] if stops else None
        if (last is not None and gap is None and made and last.made and last.status is status
                and last.place is not None and obs.place is not None
                and last.place.key == obs.place.key):
            stops[-1] = attrs.evolve(last, observations=(*last.observations, obs))
        else:
            stops.append(Stop(status=status, place=obs.place, observations=(obs,),
                              order_uncertain=uncertain, gap_before_days=gap, made=made))
        previous = row
    return tuple(stops)


def within(view: View, entities: set[int], start: float, end: float,
           shift: dict[int, float] | None) -> tuple[tuple[Stop, ...], frozenset[str]]:
    """The stops of the claims that may fall in ``[start, end)``, and the ids of
    those that may fall outside it (a stay: that may not overlap it)."""
    stops = itinerary(view, entities, math.inf, math.inf, start=start, end=end, shift=shift)
    store = view.store
    possible: set[str] = set()
    for stop in stops:
        for obs in stop.observations:
            row = store.row_of(obs.id)
            assert row is not None
            moved = local_offset(store, row, shift)
            stay = store.stays.get(row)
            if stay is not None:
                certain = stay[1] + moved <= end and stay[2] + moved >= start
            else:
                certain = view.lower[row] + moved >= start and view.upper[row] + moved <= end
            if not certain:
                possible.add(obs.id)
    return stops, frozenset(possible)


def day_presence(day: During, where: Where) -> str | None:
    """Whether ``day`` puts its entity in ``where`` at some time: ``"definite"``,
    ``"possible"`` or None. Attempts never do; a departure from a place puts its
    subjects there before they left."""
    definite = possible = False
    for answer in (day.start, day.end):
        if answer.status is Status.LOCATED and answer.place is not None:
            definite |= answer.place.within(where)
            possible |= answer.place.possibly_within(where)
        elif answer.status is Status.DISPUTED:
            possible |= any(c.place is not None and c.status is not Status.DECEASED
                            and c.place.possibly_within(where) for c in answer.candidates)
        elif answer.status is Status.HEADING and answer.place is not None:
            possible |= answer.place.possibly_within(where)
    for stop in day.stops:
        if not stop.made or stop.place is None or stop.status is Status.HEADING:
            continue
        sure = not any(o.id in day.possible for o in stop.observations)
        definite |= sure and stop.place.within(where)
        possible |= stop.place.possibly_within(where)
    if definite:
        return "definite"
    return "possible" if possible else None


def _is_attempt(store: Store, row: int) -> bool:
    return KINDS[store.kind[row]].family is Family.ATTEMPT


def _stops_order(view: View, rows: list[int]) -> list[int]:
    """The rows in an order the evidence allows, a stay placed by its start."""
    stays = view.store.stays
    if not any(r in stays for r in rows):
        return _linear_extension(view, rows)

    def key(row: int) -> tuple[float, float, int, str]:
        upper, lower, depth, oid = view.sort_key(row)
        return (min(stays[row][1], upper) if row in stays else upper, lower, depth, oid)

    return sorted(rows, key=key)


def _started_before(view: View, first: int, second: int) -> bool:
    """Whether ``first`` certainly happened (a stay: began) before ``second``."""
    stay = view.store.stays.get(first)
    if stay is not None and stay[1] <= view.lower[second]:
        return True
    return view.before(first, second)


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
            if a in store.stays or b in store.stays:
                if not _certainly_overlap(view, a, b):
                    continue
            elif view.before(a, b) or view.before(b, a):
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


def _certainly_overlap(view: View, a: int, b: int) -> bool:
    """Whether two claims, one a stay at least, certainly hold at a common instant:
    two stays whose certain spans overlap, or a claim certainly inside a stay."""
    stays = view.store.stays

    def span(row: int) -> tuple[float, float]:
        stay = stays.get(row)
        if stay is None:
            return view.lower[row], view.upper[row]
        return max(stay[1], view.lower[row]), min(stay[2], view.upper[row])

    (a_start, a_end), (b_start, b_end) = span(a), span(b)
    if a in stays and b in stays:
        return max(a_start, b_start) < min(a_end, b_end)
    (point_start, point_end), (held_from, held_to) = ((a_start, a_end), (b_start, b_end)) \
        if b in stays else ((b_start, b_end), (a_start, a_end))
    return held_from <= point_start and point_end <= held_to
