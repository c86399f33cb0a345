"""What a route map draws, worked out once for the HTML map, the static map and GeoJSON.

:func:`build` turns each person's itinerary and last known whereabouts into
points (:class:`Mark`), lines (:class:`Leg`, chained into solid
:attr:`Route.paths`) and a list of what could not be drawn. The rules, which
``docs/pictures.md`` gives for readers:

* Stops in a known order are joined by **solid** lines: "then went to". A line
  says nothing of the way taken, only of the order.
* Stops whose order against the one before is not known, and that do not agree
  on a place (the reasoning's own merge rule: one place inside the other, or a
  departure from one place and an arrival outside it), are **candidates**: each
  is joined by a **dashed** line to the last certain point, never to each
  other; the next certain point is joined to each candidate, dashed. A claim
  of "X or Y" draws its options the same way (status ``alternative``).
* ``heading to`` is not an arrival: a **dotted** line to a hollow point; the
  route goes on from the last place they were.
* An attempt (refused entry, turned back, called off) is a dotted "not made"
  point with no line to it: never drawn as reached.
* "Whereabouts unknown" and a gap longer than the itinerary's gap limit break
  the line: the route starts again at the next point.
* A stop at a place that contains the last point ("departed Syria" after
  Damascus) is drawn as a point, but the line does not move to it.
* A stay (a claim held throughout a span) and the last known place (or every
  place the last placement could be) are marked; so is a death with a place.

A place with no point of its own takes the point of the nearest place that
contains it (a hospital its city's); failing that, the centre of its country
from the shipped outlines, if ``centres`` is true ("placed at the country's
centre"). A region of several countries, a craft or waters with no point, and
a country too small for the 1:110m outlines are left out and listed in
:attr:`RouteMap.left_out`.
"""

from __future__ import annotations

import colorsys
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from itertools import pairwise
from typing import Any

import attrs

from whereabouts import _reasoning
from whereabouts.entities import Entity
from whereabouts.ledger import DateRef, EntityRef, Ledger
from whereabouts.observations import Observation
from whereabouts.places import Alternatives, Place, PlaceKind, Where
from whereabouts.results import Status, Stop, Whereabouts
from whereabouts.when import When

__all__ = ["LeftOut", "Leg", "Mark", "Route", "RouteMap", "build", "colours", "outlines"]

Point = tuple[float, float]
"""(longitude, latitude), as GeoJSON has it."""

STATUSES = ("located", "last known", "candidate", "alternative", "heading", "not made", "died")
"""What a mark can be (its :attr:`Mark.status`)."""

STYLES = ("solid", "dashed", "dotted")

_TAB10 = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
          "#17becf", "#bcbd22", "#7f7f7f")


def colours(count: int) -> list[str]:
    """``count`` route colours: matplotlib's ten, then hues spread by the golden angle.

    >>> colours(3)
    ['#d62728', '#1f77b4', '#2ca02c']
    >>> colours(12)[10:]
    ['#c11f80', '#51c11f']
    """
    found = list(_TAB10[:count])
    for n in range(count - len(found)):
        hue = (0.9 + n * 0.381966) % 1.0
        red, green, blue = colorsys.hls_to_rgb(hue, 0.44, 0.72)
        found.append(f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}")
    return found


@functools.cache
def outlines() -> dict[str, Any]:
    """The shipped country outlines (``data/countries-110m.json``): by ISO alpha-2
    code, each country's ``name``, ``centre`` ([longitude, latitude]) and
    ``polygons`` (rings of [longitude, latitude], the outer one first).

    >>> outlines()["countries"]["SY"]["centre"]
    [38.54, 35.01]
    """
    text = resources.files("whereabouts.pictures").joinpath("data/countries-110m.json")
    found: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return found


@attrs.frozen(kw_only=True)
class Mark:
    """A point drawn for one person: a place, what kind of point it is, the claims."""

    point: Point
    place: str
    """The place's label, as the popup names it."""
    status: str
    """One of :data:`STATUSES`."""
    observations: tuple[Observation, ...]
    stay: bool = False
    last_known: bool = False
    """The last known place, or one of the places the last placement could be."""
    placed: str = ""
    """How a place without a point of its own was placed ("placed at the country's
    centre"); empty for a point of its own."""
    key: str = ""
    """The place's key (for alternatives, the option's)."""
    fork: int = 0
    """For a candidate or an option, the number of its set (1, 2... along the route),
    so no line joins two of one set; 0 otherwise."""


@attrs.frozen(kw_only=True)
class Leg:
    """A line between two points of one route."""

    start: Point
    end: Point
    style: str
    """``solid`` (then went to), ``dashed`` (to or from a candidate or an option) or
    ``dotted`` (heading to; arrival not reported)."""
    status: str
    """The status of the point it leads to or from (``located``, ``candidate``...)."""
    marks: tuple[int, int] = (-1, -1)
    """The indexes in :attr:`Route.marks` of the points it joins."""


@attrs.frozen(kw_only=True)
class LeftOut:
    """A claim whose place could not be drawn, and why."""

    entity: Entity
    observation: str
    place: str
    reason: str

    def __str__(self) -> str:
        return f"{self.entity.name}: {self.place} ({self.observation}): {self.reason}"


@attrs.frozen(kw_only=True)
class Route:
    """One person's (or group's) route: its points, its lines, what is known last."""

    entity: Entity
    colour: str
    marks: tuple[Mark, ...]
    legs: tuple[Leg, ...]
    paths: tuple[tuple[Point, ...], ...]
    """Runs of solid legs, each two or more points long."""
    path_observations: tuple[tuple[str, ...], ...]
    """For each path, the ids of the claims of its points, in order."""
    headline: str
    """The last known whereabouts, in one line."""
    notes: tuple[str, ...] = ()
    """What the route cannot show as a point: "whereabouts unknown 2024-12", a death
    with no place."""


@attrs.frozen(kw_only=True)
class RouteMap:
    """Everything a route map draws, and what it left out."""

    routes: tuple[Route, ...]
    left_out: tuple[LeftOut, ...]
    as_of: When | None = None
    known_at: When | None = None
    empty_ledger: bool = False
    names: Mapping[str, str] = attrs.field(factory=dict, eq=False)
    """Every entity's name by id (for claims about a group a person belongs to)."""

    @property
    def marks(self) -> int:
        return sum(len(r.marks) for r in self.routes)

    @property
    def nothing_to_draw(self) -> str | None:
        """Why there is nothing on the map, or None when there is something."""
        if self.empty_ledger:
            return "Nothing to draw: the ledger has no one in it."
        if not self.routes:
            return "Nothing to draw: no one was asked for."
        if not self.marks:
            return "Nothing to draw: no claim about these people has a place that can be shown."
        return None

    @property
    def bounds(self) -> tuple[float, float, float, float] | None:
        """(west, south, east, north) of every point, or None with no point."""
        points = [m.point for r in self.routes for m in r.marks]
        if not points:
            return None
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        return min(lons), min(lats), max(lons), max(lats)

    def report(self) -> list[str]:
        """What was left out, one line each."""
        return [str(item) for item in self.left_out]


# -- people ---------------------------------------------------------------------

def chosen(ledger: Ledger, people: EntityRef | Iterable[EntityRef] | None) -> list[Entity]:
    """The entities asked for, in order, once each (default: everyone, people first);
    a name that fits no one raises the ledger's :class:`~whereabouts.errors.UnknownEntity`."""
    if people is None:
        return list(ledger.entities)
    refs: Iterable[EntityRef] = [people] if isinstance(people, str | Entity) else people
    found: dict[str, Entity] = {}
    for ref in refs:
        entity = ledger.entity(ref, field="people")
        found.setdefault(entity.id, entity)
    return list(found.values())


# -- placing --------------------------------------------------------------------

class Placer:
    """Where a place is drawn, and why not when it cannot be."""

    def __init__(self, centres: bool) -> None:
        self.centres = centres
        self._found: dict[Place, tuple[Point | None, str]] = {}

    def locate(self, place: Place) -> tuple[Point | None, str]:
        """(point, how it was placed) or (None, why it was left out)."""
        found = self._found.get(place)
        if found is None:
            found = self._found[place] = self._locate(place)
        return found

    def _locate(self, place: Place) -> tuple[Point | None, str]:
        if place.point is not None:
            return (place.point[1], place.point[0]), ""
        for ancestor in place.ancestors():
            if ancestor.point is not None:
                return (ancestor.point[1], ancestor.point[0]), f"placed at {ancestor.name}"
        if place.kind is PlaceKind.REGION:
            return None, f"a region of {len(place.countries)} countries has no one point"
        if place.kind in (PlaceKind.CRAFT, PlaceKind.WATERS):
            return None, f"a {place.kind.value} with no position given"
        assert place.country is not None
        if not self.centres:
            return None, "no point of its own"
        country = outlines()["countries"].get(place.country)
        if country is None:
            return None, (f"no point of its own, and {place.country} is too small for the "
                          "1:110m outlines")
        lon, lat = country["centre"]
        return (lon, lat), "placed at the country's centre"


# -- building -------------------------------------------------------------------

class _Builder:
    """One route, stop by stop (see the module's docstring for the rules)."""

    def __init__(self, entity: Entity, colour: str, placer: Placer,
                 left_out: list[LeftOut]) -> None:
        self.entity = entity
        self.colour = colour
        self.placer = placer
        self.left_out = left_out
        self.marks: list[Mark] = []
        self.places: list[Place] = []
        self.legs: list[Leg] = []
        self.paths: list[list[Point]] = []
        self.path_ids: list[list[str]] = []
        self.notes: list[str] = []
        self.anchor: list[int] = []
        """Indexes of the marks the route goes on from: one when certain, several after
        a fork; empty at the start and after a break."""
        self.forked = False
        self.forks = 0
        self.settled: list[int] = []
        """The last certain mark(s): where candidates are joined to, even after a fork."""

    # points

    def place_options(self, where: Where, obs: Observation,
                      ) -> list[tuple[Place, Point, str]]:
        """Each option of a place that can be drawn, with its point; the rest are
        listed as left out."""
        found = []
        for option in where.options:
            point, how = self.placer.locate(option)
            if point is None:
                self.left_out.append(LeftOut(entity=self.entity, observation=obs.id,
                                             place=option.label, reason=how))
            else:
                found.append((option, point, how))
        return found

    def add_mark(self, option: Place, point: Point, how: str, status: str,
                 stop_observations: tuple[Observation, ...], stay: bool, fork: int = 0) -> int:
        self.marks.append(Mark(point=point, place=option.label, status=status,
                               observations=stop_observations, stay=stay, placed=how,
                               key=option.key, fork=fork))
        self.places.append(option)
        return len(self.marks) - 1

    # lines

    def leg(self, start: int, end: int, style: str, status: str) -> None:
        a, b = self.marks[start].point, self.marks[end].point
        if a == b:
            return
        self.legs.append(Leg(start=a, end=b, style=style, status=status, marks=(start, end)))
        if style != "solid":
            return
        ids = [o.id for o in self.marks[end].observations]
        if self.paths and self.paths[-1][-1] == a and self._open_path:
            self.paths[-1].append(b)
            self.path_ids[-1].extend(ids)
        else:
            self.paths.append([a, b])
            self.path_ids.append([o.id for o in self.marks[start].observations] + ids)
        self._open_path = True

    _open_path = False

    def brk(self) -> None:
        self.anchor = []
        self.settled = []
        self.forked = False
        self._open_path = False

    # stops

    def step(self, stops: list[Stop]) -> None:
        """A run of stops, each not known to follow the one before."""
        if stops[0].gap_before_days is not None:
            self.brk()
        if len(stops) == 1:
            self.certain(stops[0])
            return
        positions = [_reasoning._Position(s.status, s.place, [n]) for n, s in enumerate(stops)
                     if s.place is not None and s.status is not Status.UNKNOWN]
        found = _reasoning.clusters(positions)
        if len(found) <= 1 or any(s.status in (Status.UNKNOWN, Status.DECEASED)
                                  for s in stops):
            for stop in stops:
                self.certain(stop)
            return
        self.fork([(c.place, tuple(stops[n] for n in c.evidence)) for c in found
                   if c.place is not None], "candidate")

    def certain(self, stop: Stop) -> None:
        obs = stop.observations
        if stop.status is Status.UNKNOWN:
            when = "undated" if stop.when is None else str(stop.when)
            self.notes.append(f"whereabouts unknown ({when}, {obs[0].id})")
            self.brk()
            return
        if stop.place is None:
            if stop.status is Status.DECEASED:
                when = "undated" if stop.when is None else str(stop.when)
                self.notes.append(f"died, place not known ({when}, {obs[0].id})")
                self.brk()
            return
        if isinstance(stop.place, Alternatives):
            self.fork([(stop.place, (stop,))], "alternative")
            return
        options = self.place_options(stop.place, obs[0])
        if not options:
            return
        option, point, how = options[0]
        if stop.status is Status.HEADING:
            end = self.add_mark(option, point, how, "heading", obs, stop.stay)
            for start in self.anchor:
                self.leg(start, end, "dotted", "heading")
            return
        status = "died" if stop.status is Status.DECEASED else "located"
        if len(self.anchor) == 1 and not self.forked:
            last = self.marks[self.anchor[0]]
            if last.key == option.key and last.status == "located" and status == "located":
                self.marks[self.anchor[0]] = attrs.evolve(
                    last, observations=last.observations + obs, stay=last.stay or stop.stay)
                return
        end = self.add_mark(option, point, how, status, obs, stop.stay)
        if self.anchor and all(self._inside(option, n) for n in self.anchor):
            return  # "departed Syria" after Damascus: no move
        style = "dashed" if self.forked else "solid"
        for start in self.anchor:
            self.leg(start, end, style, self.marks[start].status if self.forked else status)
        if status == "died":
            self.brk()
            return
        self.anchor = self.settled = [end]
        self.forked = False

    def _inside(self, place: Place, mark: int) -> bool:
        """Whether the place of ``mark`` lies inside ``place`` (and is not it)."""
        known = self.places[mark]
        return known.key != place.key and known.within(place)

    def fork(self, choices: Sequence[tuple[Where, tuple[Stop, ...]]], status: str) -> None:
        """Several places, any of which could be the one: each drawn, each joined to
        the last certain point (dashed), none to another."""
        ends: list[int] = []
        partial = False
        self.forks += 1
        for where, stops in choices:
            obs = tuple(o for s in stops for o in s.observations)
            heading = all(s.status is Status.HEADING for s in stops)
            placed = self.place_options(where, obs[0])
            partial |= len(placed) < len(where.options)
            for option, point, how in placed:
                end = self.add_mark(option, point, how, "heading" if heading else status, obs,
                                    any(s.stay for s in stops), fork=self.forks)
                for start in self.settled:
                    self.leg(start, end, "dotted" if heading else "dashed", status)
                ends.append(end)
        if not ends:
            return
        self._open_path = False
        keep = self.settled if partial else []  # an option not drawn: the route may go on
        self.anchor = list(dict.fromkeys([*ends, *keep]))  # from where it was
        self.forked = True

    def route(self, headline: str) -> Route:
        paths = tuple(tuple(p) for p in self.paths)
        return Route(entity=self.entity, colour=self.colour, marks=tuple(self.marks),
                     legs=tuple(self.legs), paths=paths,
                     path_observations=tuple(tuple(dict.fromkeys(ids)) for ids in self.path_ids),
                     headline=headline, notes=tuple(self.notes))


def build(ledger: Ledger, people: EntityRef | Iterable[EntityRef] | None = None, *,
          as_of: DateRef | None = None, known_at: DateRef | None = None,
          centres: bool = True) -> RouteMap:
    """The routes of ``people`` (default: everyone) as of ``as_of``, from what was
    known at ``known_at``; see the module's docstring for what is drawn how."""
    entities = chosen(ledger, people)
    placer = Placer(centres)
    left_out: list[LeftOut] = []
    routes = []
    for entity, colour in zip(entities, colours(len(entities)), strict=True):
        trip = ledger.itinerary(entity, as_of=as_of, known_at=known_at)
        answer = ledger.last_known(entity, as_of=as_of, known_at=known_at)
        builder = _Builder(entity, colour, placer, left_out)
        run: list[Stop] = []
        for stop in trip.stops:
            if not stop.made:
                _attempt(builder, stop)
                continue
            if run and not stop.order_uncertain:
                builder.step(run)
                run = []
            run.append(stop)
        if run:
            builder.step(run)
        _mark_last(builder, answer)
        routes.append(builder.route(answer.headline))
    return RouteMap(
        routes=tuple(routes), left_out=tuple(left_out),
        as_of=None if as_of is None else When.coerce(as_of, field="as_of"),
        known_at=None if known_at is None else When.coerce(known_at, field="known_at"),
        empty_ledger=not ledger.entities, names={e.id: e.name for e in ledger.entities},
    )


def _attempt(builder: _Builder, stop: Stop) -> None:
    """A movement that did not happen: a "not made" point, no line."""
    if stop.place is None:
        return
    for option, point, how in builder.place_options(stop.place, stop.observations[0]):
        builder.add_mark(option, point, how, "not made", stop.observations, False)


def _mark_last(builder: _Builder, answer: Whereabouts) -> None:
    """Flag the marks of the last known place (or of each place it could be)."""
    if answer.status is Status.DISPUTED:
        groups = [c.evidence for c in answer.candidates]
    elif answer.status in (Status.LOCATED, Status.DECEASED):
        groups = [answer.evidence]
    else:
        groups = [c.evidence for c in answer.last_placed]
    marks = builder.marks
    for evidence in groups:
        ids = {o.id for o in evidence}
        hits = [n for n, m in enumerate(marks) if m.status not in ("not made", "heading")
                and ids & {o.id for o in m.observations}]
        if not hits:
            continue
        last_obs = marks[hits[-1]].observations
        for n in hits:
            if marks[n].observations == last_obs:
                status = "last known" if marks[n].status == "located" else marks[n].status
                marks[n] = attrs.evolve(marks[n], last_known=True, status=status)


# -- overlaps -------------------------------------------------------------------

MAX_STACK = 4
"""At most this many routes show side by side where they overlap (see :func:`stacks`)."""
CROWDED = 30
"""With more routes than this, overlaps are not widened: too many coincide to show."""


def _key(point: Point) -> tuple[float, float]:
    return round(point[0], 3), round(point[1], 3)


@attrs.frozen(kw_only=True)
class Stacks:
    """How many routes lie under each segment and point, so a renderer can draw the
    lower ones wider and every colour stays visible where routes coincide (the
    Assad family's Moscow under Bashar's)."""

    paths: tuple[tuple[tuple[int, tuple[Point, ...]], ...], ...]
    """For each route, its solid paths cut where the overlap changes: (how many
    routes are drawn over this part, capped at :data:`MAX_STACK`, its points)."""
    legs: tuple[tuple[int, ...], ...]
    """For each route, each leg's count of routes drawn over it."""
    marks: tuple[tuple[int, ...], ...]
    """For each route, each mark's count of marks drawn over it at the same point."""


def stacks(model: RouteMap) -> Stacks:
    """The overlaps of :attr:`RouteMap.routes`, drawn in order (later on top)."""
    users: dict[tuple[Any, ...], list[int]] = {}
    for n, route in enumerate(model.routes):
        seen: set[tuple[Any, ...]] = set()
        for path in route.paths:
            for a, b in pairwise(path):
                seen.add(("line", *sorted((_key(a), _key(b)))))
        for leg in route.legs:
            if leg.style != "solid":
                seen.add((leg.style, *sorted((_key(leg.start), _key(leg.end)))))
        for key in seen:
            users.setdefault(key, []).append(n)

    cap = MAX_STACK if len(model.routes) <= CROWDED else 0

    def over(key: tuple[Any, ...], n: int) -> int:
        found = users.get(key, [n])
        return min(len(found) - 1 - found.index(n), cap)

    paths = []
    legs = []
    for n, route in enumerate(model.routes):
        parts: list[tuple[int, tuple[Point, ...]]] = []
        for path in route.paths:
            current: list[Point] = [path[0]]
            level = -1
            for a, b in pairwise(path):
                here = over(("line", *sorted((_key(a), _key(b)))), n)
                if level not in (-1, here):
                    parts.append((level, tuple(current)))
                    current = [a]
                current.append(b)
                level = here
            parts.append((level, tuple(current)))
        paths.append(tuple(parts))
        legs.append(tuple(over((leg.style, *sorted((_key(leg.start), _key(leg.end)))), n)
                          if leg.style != "solid" else 0 for leg in route.legs))
    at: dict[tuple[float, float], int] = {}
    for route in model.routes:
        for mark in route.marks:
            at[_key(mark.point)] = at.get(_key(mark.point), 0) + 1
    marks = []
    drawn: dict[tuple[float, float], int] = {}
    for route in model.routes:
        counts = []
        for mark in route.marks:
            key = _key(mark.point)
            drawn[key] = drawn.get(key, 0) + 1
            counts.append(min(at[key] - drawn[key], cap))
        marks.append(tuple(counts))
    return Stacks(paths=tuple(paths), legs=tuple(legs), marks=tuple(marks))
