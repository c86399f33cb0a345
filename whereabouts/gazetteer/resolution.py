"""What a resolution returns: ranked candidates, and whether the name is ambiguous.

Ranking (best first):

1. inside the caller's ``country`` hint;
2. inside the country (or countries) of ``near``, the person's previous place;
3. kind: country, region or waters, subdivision, city, facility, craft;
4. matched on the place's own (primary) name before an alternate name;
5. larger population;
6. layer order (registered, curated, iso, geonames, airports, online), then the
   order the layer lists them in (the curated "Congo" lists CG before CD).

The ambiguity rule. The best candidate and every candidate that may contain
it or lie inside it (the city of Paris and the Paris *département*; Singapore
the country and the city) form one *answer*. The name is ambiguous when some
other candidate is a serious contender to that answer. Every other candidate
is serious unless one of these dismisses it:

a. *scope*: the best candidate is inside the ``country`` hint (or ``near``'s
   countries) and the contender is not;
b. *size*: it is two or more steps smaller on the scale {country, region,
   waters} > subdivision > city > facility (a town named Lebanon does not
   rival Lebanon; a craft is on no such scale: a ship registered as
   "Moskva" rivals Moscow);
c. *population*: both are settlements (cities or facilities) and a
   settlement in the answer has at least ``DOMINANT`` (8) times its
   population (Paris, France 2.1 M vs Paris, Texas 25 k; Geneva 202 k vs
   Geneva, Illinois 22 k; but Tripoli, Libya 1.3 M vs Tripoli, Lebanon 229 k
   stays ambiguous);
d. *spelling*: it is a settlement that matched only an alternate name while
   the best candidate matched its own name.

Countries and subdivisions of the same name are never dismissed by
population: Georgia (the country and the US state), Congo, Korea and
Washington (the state and the capital) are ambiguous.

A place in no country (a craft, international waters) is inside no
``country`` hint and no ``near`` countries.
"""

from __future__ import annotations

import attrs

from whereabouts.places import Place, PlaceKind

__all__ = ["DOMINANT", "Candidate", "Resolution"]

DOMINANT = 8
"""How many times larger a settlement must be to dismiss a namesake (rule c)."""

_KIND_ORDER = {
    PlaceKind.COUNTRY: 0, PlaceKind.REGION: 1, PlaceKind.WATERS: 1, PlaceKind.SUBDIVISION: 2,
    PlaceKind.CITY: 3, PlaceKind.FACILITY: 4, PlaceKind.CRAFT: 5,
}
_TIER = {
    PlaceKind.COUNTRY: 0, PlaceKind.REGION: 0, PlaceKind.WATERS: 0, PlaceKind.SUBDIVISION: 1,
    PlaceKind.CITY: 2, PlaceKind.FACILITY: 3,
}
LAYER_ORDER = ("registered", "curated", "iso", "geonames", "airports", "online")


@attrs.frozen(kw_only=True)
class Candidate:
    """One place a name may mean, with how it was found.

    >>> from whereabouts.places import Place
    >>> c = Candidate(place=Place.from_country("MM"), layer="curated", matched="Burma",
    ...               primary=True, historic="BUMM")
    >>> c
    Candidate(Place('Myanmar', country, MM), layer='curated', matched='Burma', historic='BUMM')
    """

    place: Place
    layer: str = attrs.field(validator=attrs.validators.in_(LAYER_ORDER))
    matched: str
    """The name that matched: the place's own name, or the caller's spelling of an alternate."""
    primary: bool
    """Whether the place's own (primary) name matched, not one of its alternate names."""
    population: int | None = None
    historic: str | None = None
    """The ISO 3166-3 code when a former country's name matched (``"SUHH"`` for the USSR)."""

    def __repr__(self) -> str:
        extra = "" if self.historic is None else f", historic={self.historic!r}"
        return (f"Candidate({self.place!r}, layer={self.layer!r}, matched={self.matched!r}"
                f"{extra})")


def _contains(outer: Place, inner: Place) -> bool:
    """Whether ``inner`` lies, or may lie, inside ``outer``.

    Containment that the data cannot decide (a city whose subdivision is not
    known, inside a subdivision of its own country) counts as possible.
    """
    if inner.within(outer):
        return True
    if outer.kind is PlaceKind.SUBDIVISION and inner.kind in (PlaceKind.CITY, PlaceKind.FACILITY):
        return inner.country == outer.country and inner.subdivision is None
    if outer.kind is PlaceKind.CITY and inner.kind is PlaceKind.FACILITY:
        return inner.country == outer.country and inner.parent is not None and (
            inner.parent.kind is not PlaceKind.CITY
        )
    return False


def nested(a: Place, b: Place) -> bool:
    """Whether one of two places may contain the other."""
    return _contains(a, b) or _contains(b, a)


def _inside(place: Place, countries: frozenset[str]) -> bool:
    """Whether ``place`` lies in ``countries`` (a place in no country never does)."""
    return bool(place.countries) and place.countries <= countries


def rank_key(candidate: Candidate, scope: frozenset[str] | None,
             near: frozenset[str] | None) -> tuple[object, ...]:
    place = candidate.place
    return (
        scope is not None and not _inside(place, scope),
        near is not None and not _inside(place, near),
        _KIND_ORDER[place.kind],
        not candidate.primary,
        -(candidate.population or 0),
        LAYER_ORDER.index(candidate.layer),
    )  # then the order the layers list them in (a stable sort): "Congo" lists CG, CD


def _settlement(candidate: Candidate) -> bool:
    return candidate.place.kind in (PlaceKind.CITY, PlaceKind.FACILITY)


def serious(best: Candidate, answer: list[Candidate], other: Candidate,
            scope: frozenset[str] | None) -> bool:
    """Whether ``other`` is a serious contender to the answer led by ``best`` (rules a-d)."""
    if scope is not None and _inside(best.place, scope) and not _inside(other.place, scope):
        return False
    tier = _TIER.get(other.place.kind)
    if tier is not None and tier - _TIER.get(best.place.kind, tier) >= 2:
        return False
    if _settlement(other):
        sizes = [c.population for c in answer if _settlement(c) and c.population]
        if other.population and sizes and max(sizes) >= DOMINANT * other.population:
            return False
        if best.primary and not other.primary:
            return False
    return True


def decide(candidates: list[Candidate], scope: frozenset[str] | None,
           near: frozenset[str] | None) -> tuple[tuple[Candidate, ...], bool]:
    """Rank candidates and apply the ambiguity rule: ``(ranked, ambiguous)``."""
    ranked = sorted(candidates, key=lambda c: rank_key(c, scope, near))
    if not ranked:
        return (), False
    best = ranked[0]
    answer = [c for c in ranked if c is best or nested(best.place, c.place)]
    within = scope if scope is not None else near
    ambiguous = any(
        serious(best, answer, c, within) for c in ranked if c is not best and c not in answer
    )
    return tuple(ranked), ambiguous


@attrs.frozen(kw_only=True, repr=False)
class Resolution:
    """A name turned into ranked candidates.

    ``place`` is the best candidate's place; ``ambiguous`` says whether a
    runner-up is a serious contender (see the module documentation for the
    rule), in which case :meth:`Gazetteer.place` refuses to choose.

    >>> from whereabouts.places import Place
    >>> one = Candidate(place=Place.from_country("LB"), layer="iso", matched="Lebanon",
    ...                 primary=True)
    >>> r = Resolution(query="Lebanon", candidates=(one,), ambiguous=False)
    >>> r
    Resolution('Lebanon' -> Place('Lebanon', country, LB), 1 candidate)
    >>> print(r)
    Lebanon
    """

    query: str
    candidates: tuple[Candidate, ...] = attrs.field(
        validator=attrs.validators.min_len(1)
    )
    ambiguous: bool

    @property
    def place(self) -> Place:
        """The best candidate's place."""
        return self.candidates[0].place

    @property
    def places(self) -> tuple[Place, ...]:
        """Every candidate's place, best first."""
        return tuple(c.place for c in self.candidates)

    def __str__(self) -> str:
        return str(self.place)

    def __repr__(self) -> str:
        count = len(self.candidates)
        noun = "candidate" if count == 1 else "candidates"
        flag = ", ambiguous" if self.ambiguous else ""
        return f"Resolution({self.query!r} -> {self.place!r}, {count} {noun}{flag})"
