"""The gazetteer: place names to :class:`~whereabouts.places.Place` values, offline first.

Layers, consulted in this order (see :mod:`whereabouts.gazetteer.resolution`
for how candidates are ranked and when a name is ambiguous):

1. places registered with :meth:`Gazetteer.register` (kept with the ledger);
2. the curated table (country aliases, former countries, regions, a few towns);
3. ISO 3166 countries and subdivisions (a subdivision's country is the one ISO
   lists it under, also for disputed or occupied territory);
4. GeoNames cities of 15,000 people or more, and airfields;
5. optionally, any geopy geocoder, asked only when no offline layer knows a name.

>>> gaz = Gazetteer()
>>> gaz.resolve("Dubai")
Resolution('Dubai' -> Place('Dubai', city, AE), 1 candidate)
>>> gaz.place("the UAE"), gaz.place("Russian embassy in Damascus").country
(Place('United Arab Emirates', country, AE), 'SY')
>>> gaz.resolve("Georgia")
Resolution('Georgia' -> Place('Georgia', country, GE), 2 candidates, ambiguous)
"""

from __future__ import annotations

import difflib
import heapq
import math
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from whereabouts._text import fold
from whereabouts.errors import AmbiguousPlace, DuplicateId, InvalidPlace, UnknownPlace
from whereabouts.gazetteer import _data
from whereabouts.gazetteer._names import (
    folded_airfield_key,
    folded_keys,
    folded_variant,
    splits,
    strip_article,
    variant,
)
from whereabouts.gazetteer._names import keys as name_keys
from whereabouts.gazetteer.resolution import Candidate, Resolution, decide, nested, serious
from whereabouts.places import Place, PlaceKind

if TYPE_CHECKING:
    from whereabouts.gazetteer._online import OnlineLayer

__all__ = ["MAX_NAME", "Gazetteer"]

MAX_NAME = 300
"""The longest name accepted, in characters: longer text is not a place name."""
_CACHE_SIZE = 65_536
_SUGGESTIONS = 5
_CUTOFF = 0.75
_RATIOS = 256
"""At most this many close names are compared in full for one suggestion, those whose
quick ratios bound it highest first. A typo of a known name needs at most about a
hundred (102 in 3,000 random ones); letters chosen to be close to many names, about 180."""
_DEPTH = 4
"""How many times a name is read as "X in Y" or "X, Y" inside itself."""
_SPLITS = 8
"""How many ways to split one name are tried: its last eight " in "s (a place
described with more is not one people write; each more made a hostile name dearer)."""
_LAYER = {name: number for number, name in enumerate(_data.LAYERS)}


def _check_name(name: object, field: str = "name") -> str:
    return _checked(name, field)[0]


def _checked(name: object, field: str = "name") -> tuple[str, str]:
    """The name stripped, and its folded key (folded once: that is a name's main cost)."""
    if not isinstance(name, str):
        raise InvalidPlace(f"expected a place name (str), not {type(name).__name__}",
                           field=field, value=name)
    if len(name) > MAX_NAME:
        raise InvalidPlace(f"too long for a place name (over {MAX_NAME} characters)",
                           field=field, value=name)
    if any(ord(char) < 32 or 127 <= ord(char) < 160 for char in name):
        raise InvalidPlace("contains control characters", field=field, value=name)
    text = name.strip()
    if not text:
        raise InvalidPlace("empty place name", field=field, value=name)
    key = fold(text)
    if not key:
        raise InvalidPlace("a place name needs letters or digits", field=field, value=name)
    return text, key


def _check_point(lat: object, lon: object) -> tuple[float, float]:
    try:
        if isinstance(lat, bool) or isinstance(lon, bool):
            raise TypeError
        point = (float(lat), float(lon))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidPlace("expected numbers (latitude, longitude)", field="point",
                           value=(lat, lon)) from None
    if not (math.isfinite(point[0]) and -90.0 <= point[0] <= 90.0):
        raise InvalidPlace("latitude must be within -90..90", field="point", value=point)
    if not (math.isfinite(point[1]) and -180.0 <= point[1] <= 180.0):
        raise InvalidPlace("longitude must be within -180..180", field="point", value=point)
    return point


class Gazetteer:
    """Resolves place names through the layers above; thread-safe.

    The shipped data is loaded on the first resolution, not at construction.
    ``online`` is any geopy geocoder (``Nominatim(user_agent=...)`` and the
    rest), consulted last, through geopy's ``RateLimiter`` with ``min_delay``
    seconds between calls, its answers cached for the gazetteer's life.
    """

    def __init__(self, *, online: object | None = None, min_delay: float = 1.0) -> None:
        self._lock = threading.Lock()
        self._registered: dict[str, Place] = {}
        self._names: dict[str, tuple[tuple[Place, bool], ...]] = {}
        self._variants: dict[str, tuple[tuple[Place, bool], ...]] = {}
        self._cache: dict[tuple[str, str | None, str | None], Resolution] = {}
        self._online: OnlineLayer | None = None
        if online is not None:
            from whereabouts.gazetteer._online import OnlineLayer

            self._online = OnlineLayer(online, min_delay=min_delay)

    # -- layer 1: registration ----------------------------------------------------

    def register(self, place: Place, *, aliases: Iterable[str] = ()) -> Place:
        """Add ``place`` to the registered layer under its name and ``aliases``.

        Registering the same place again is harmless; another place under a
        key already registered raises :class:`~whereabouts.errors.DuplicateId`.

        >>> gaz = Gazetteer()
        >>> latakia = gaz.place("Latakia")
        >>> base = Place.facility("Hmeimim air base", parent=latakia, key="facility:hmeimim")
        >>> gaz.register(base, aliases=["Khmeimim", "Hmeimim"])
        Place('Hmeimim air base', facility, SY)
        >>> gaz.place("Khmeimim air base").within(latakia)
        True
        """
        if not isinstance(place, Place):
            raise InvalidPlace("only a Place can be registered", field="place", value=place)
        if isinstance(aliases, str):
            aliases = [aliases]
        names = [place.name, *(_check_name(alias, "aliases") for alias in aliases)]
        with self._lock:
            known = self._registered.get(place.key)
            if known is not None and known != place:
                raise DuplicateId("another place is registered under this key", field="key",
                                  value=place.key)
            # In place, under the lock: a reader's dict lookup sees either the
            # old tuple or the new one (copying the dicts made n registrations
            # cost O(n^2)).
            self._registered[place.key] = place
            index, variants = self._names, self._variants
            for position, name in enumerate(names):
                for key in name_keys(name):
                    entry = (place, position == 0)
                    if entry not in index.get(key, ()):
                        index[key] = (*index.get(key, ()), entry)
                entry = (place, False)
                if entry not in variants.get(variant(name), ()):
                    variants[variant(name)] = (*variants.get(variant(name), ()), entry)
            self._cache = {}
        return place

    @property
    def registered(self) -> tuple[Place, ...]:
        """The registered places, in registration order (the ledger saves these).

        >>> Gazetteer().registered
        ()
        """
        with self._lock:
            return tuple(self._registered.values())

    # -- resolution ---------------------------------------------------------------

    def resolve(self, name: str, *, country: str | None = None,
                near: Place | None = None) -> Resolution:
        """Every place ``name`` may mean, ranked, with whether it is ambiguous.

        ``country`` (a code or country name) and ``near`` (the person's
        previous place) rank candidates inside them first. Raises
        :class:`~whereabouts.errors.UnknownPlace`, with suggestions, when no
        layer knows the name.

        >>> r = Gazetteer().resolve("Paris")
        >>> r.place.country, r.ambiguous, [c.place.label for c in r.candidates]
        ('FR', False, ['Paris (FR)', 'Paris (FR)', 'Paris (US)', 'Parys (ZA)'])
        """
        near_key = near.key if isinstance(near, Place) else None
        if type(name) is str and (country is None or type(country) is str) and (
                near is None or near_key is not None):
            hit = self._cache.get((name, country, near_key))
            if hit is not None:
                return hit
        text, key = _checked(name)
        scope = self._scope(country)
        if near is not None and not isinstance(near, Place):
            raise InvalidPlace("near must be a Place", field="near", value=near)
        around = near.countries if near is not None and near.countries else None
        resolution = self._resolve(text, key, scope, around)
        if resolution is None:
            suggestions = self._suggest(strip_article(key), _SUGGESTIONS)
            hint = f"; suggestions (not applied): {'; '.join(suggestions)}" if suggestions else ""
            raise UnknownPlace(f"no layer knows this place{hint}", field="name", value=text,
                               suggestions=suggestions)
        cache = self._cache
        if len(cache) >= _CACHE_SIZE:
            cache.clear()
        cache[(name, country, near_key)] = resolution
        return resolution

    def place(self, name: str, *, country: str | None = None, near: Place | None = None) -> Place:
        """The one place ``name`` means: :class:`~whereabouts.errors.AmbiguousPlace` if unsure.

        >>> gaz = Gazetteer()
        >>> gaz.place("Bombay") == gaz.place("Mumbai")
        True
        >>> gaz.place("Tripoli")
        Traceback (most recent call last):
        ...
        whereabouts.errors.AmbiguousPlace: name: 'Tripoli': ambiguous: Tripoli (LY); Tripoli (LB)...
        >>> gaz.place("Tripoli", country="LB").label
        'Tripoli (LB)'
        """
        resolution = self.resolve(name, country=country, near=near)
        if resolution.ambiguous:
            labels = "; ".join(c.place.label for c in resolution.candidates[:5])
            raise AmbiguousPlace(f"ambiguous: {labels}; pass country= or near=", field="name",
                                 value=resolution.query, candidates=resolution.candidates)
        return resolution.place

    def _scope(self, country: object) -> frozenset[str] | None:
        if country is None:
            return None
        text = _check_name(country, "country")
        codes = {c.place.country for c in self._candidates(text)
                 if c.place.kind is PlaceKind.COUNTRY and c.layer in ("curated", "iso")}
        if len(codes) != 1:
            raise InvalidPlace("not a country (ISO code or country name)", field="country",
                               value=country)
        return frozenset(code for code in codes if code)

    def _resolve(self, text: str, key: str, scope: frozenset[str] | None,
                 near: frozenset[str] | None) -> Resolution | None:
        reading = _Reading(self, scope, near)
        reading.candidates(text, key)
        resolution = reading.resolve(text, 0)
        if resolution is None and self._online is not None:
            answers = self._online.candidates(text, self)
            if answers:
                ranked, ambiguous = decide(answers, scope, near)
                return Resolution(query=text, candidates=ranked, ambiguous=ambiguous)
        return resolution

    def _candidates(self, text: str, key: str | None = None) -> list[Candidate]:
        """Every place known by ``text`` itself (``key``: its fold, when known)."""
        tables = _data.tables()
        if key is None:
            key = fold(text)  # once: the keys below are made from it
        queries = folded_keys(key)
        airfield = folded_airfield_key(key)
        if airfield is not None and airfield not in queries:
            queries = (*queries, airfield)  # "Changi International Airport" -> "changi airport"
        best: dict[str, Candidate] = {}

        def offer(candidate: Candidate) -> None:
            old = best.get(candidate.place.key)
            if old is None or (candidate.primary, -_LAYER[candidate.layer]) > (
                    old.primary, -_LAYER[old.layer]):
                best[candidate.place.key] = candidate

        # The full name first; without its leading article only if that finds nothing
        # ("the Gulf" is the region, not Gulf Province of Papua New Guinea); then, for
        # a name that says airport, the key its airfield is stored under.
        for key in queries:
            for place, primary in self._names.get(key, ()):
                offer(Candidate(place=place, layer="registered", primary=primary,
                                matched=place.name if primary else text))
            for number, layer, alternate in tables.lookup(key):
                offer(self._candidate(tables, number, layer, not alternate, text, queries))
            if best:
                break
        if not best:  # names of countries in other languages (CLDR), read on first use
            for key in queries:
                for number, layer, _ in tables.foreign_names(key):
                    offer(self._candidate(tables, number, layer, False, text, queries))
        if not best:
            coarse = folded_variant(key)
            for place, _ in self._variants.get(coarse, ()):
                offer(Candidate(place=place, layer="registered", primary=False, matched=text))
            for number, layer, _ in tables.variants(coarse):
                offer(self._candidate(tables, number, layer, False, text, queries))
        return list(best.values())

    @staticmethod
    def _candidate(tables: _data.Tables, number: int, layer: int, primary: bool, text: str,
                   queries: tuple[str, ...]) -> Candidate:
        entry = tables.entry(number)
        place = tables.place(number)
        own = primary and fold(place.name) in queries
        return Candidate(
            place=place, layer=_data.LAYERS[layer], matched=place.name if own else text,
            primary=primary, population=entry.population, historic=entry.historic,
        )

    # -- suggestions and reverse ----------------------------------------------------

    def suggest(self, name: str, *, limit: int = _SUGGESTIONS) -> tuple[str, ...]:
        """Known names close to ``name``: suggestions for a person, never applied.

        >>> Gazetteer().suggest("Damscus")[:1]
        ('Damascus, Syria',)
        """
        return self._suggest(strip_article(_checked(name)[1]), limit)

    def _suggest(self, key: str, limit: int) -> tuple[str, ...]:
        """:meth:`suggest` for a name already checked, folded and without its article."""
        tables = _data.tables()
        pool = tables.suggestion_pool().get(key[0], {})
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(key)
        # (upper bound on the ratio, population, key, label or entry number); the quick
        # ratios bound the ratio from above, so the costly ratio is computed best first.
        near: list[tuple[float, int, str, str | int]] = []
        for length in range(len(key) - 3, len(key) + 4):
            for other, number in pool.get(length, ()):
                matcher.set_seq1(other)
                if matcher.real_quick_ratio() >= _CUTOFF and (
                        bound := matcher.quick_ratio()) >= _CUTOFF:
                    near.append((bound, tables.entry(number).population or 0, other, number))
        for place in self._registered.values():
            other = fold(place.name)
            matcher.set_seq1(other)
            if matcher.real_quick_ratio() >= _CUTOFF and (
                    bound := matcher.quick_ratio()) >= _CUTOFF:
                near.append((bound, 0, other, _label(place)))
        near.sort(key=lambda item: -item[0])  # stable: ties keep the order above
        scored: list[tuple[float, int, str]] = []
        best: dict[str, float] = {}  # label -> its best ratio so far
        floor = -1.0  # the limit-th best ratio of distinct labels (until there are that many)
        for count, (bound, population, other, found) in enumerate(near):
            if count == _RATIOS or floor > bound:
                break  # no name left can displace the labels found (or the work is capped)
            matcher.set_seq1(other)
            if (ratio := matcher.ratio()) >= _CUTOFF:
                label = found if isinstance(found, str) else _label(tables.place(found))
                scored.append((ratio, population, label))
                best[label] = max(ratio, best.get(label, ratio))
                if 0 < limit <= len(best):
                    floor = heapq.nlargest(limit, best.values())[-1]
        scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
        out: list[str] = []
        for _, _, label in scored:
            if label not in out:
                out.append(label)
        return tuple(out[:limit])

    def reverse(self, lat: float, lon: float) -> Place:
        """The known city (or registered place) nearest to a point, by geopy's great circle.

        >>> Gazetteer().reverse(33.51, 36.29).label
        'Damascus (SY)'
        """
        from geopy.distance import great_circle

        point = _check_point(lat, lon)
        tables = _data.tables()
        grid = tables.grid()
        row, col = _data.cell(*point)
        found: list[int] = []
        reach = -1
        for ring in range(181):
            if found and ring > reach:
                break
            for dr in range(-ring, ring + 1):
                for dc in range(-ring, ring + 1):
                    if max(abs(dr), abs(dc)) == ring:
                        found.extend(grid.get((row + dr, (col + dc + 180) % 360 - 180), ()))
            if found and reach < 0:
                reach = ring + 1
        options: list[tuple[float, Place]] = [
            (great_circle(point, tables.place(n).point).km, tables.place(n)) for n in found
        ]
        options.extend(
            (great_circle(point, p.point).km, p) for p in self._registered.values() if p.point
        )
        if not options:  # pragma: no cover - the shipped data covers every cell within reach
            raise UnknownPlace("no known place near this point", field="point", value=point)
        return min(options, key=lambda item: (item[0], item[1].key))[1]


class _Reading:
    """One resolution of a name, each part of it looked up once.

    A composite name is read from the outside in: "X in Y" is X inside Y,
    and Y may itself be composite, down to ``_DEPTH`` levels. Each container
    is a tail of the name, and each tail was looked up afresh at every level
    and after every split point: "a in b in c in ..." of 300 characters (60
    split points) took seconds. Here each part is looked up once per
    resolution, and only the last ``_SPLITS`` " in "s are split points, so a
    name has at most eight containers whatever its length (the tails of a
    tail are tails of the name), and at most one look-up per inner part tried
    inside one of them: a bounded number of look-ups, each linear in the name.
    """

    def __init__(self, gazetteer: Gazetteer, scope: frozenset[str] | None,
                 near: frozenset[str] | None) -> None:
        self._gazetteer = gazetteer
        self._scope = scope
        self._near = near
        self._found: dict[str, list[Candidate]] = {}
        self._splits: dict[str, list[tuple[str, str, bool]]] = {}
        self._done: dict[tuple[str, int], Resolution | None] = {}

    def candidates(self, text: str, key: str | None = None) -> list[Candidate]:
        found = self._found.get(text)
        if found is None:
            found = self._found[text] = self._gazetteer._candidates(text, key)
        return found

    def resolve(self, text: str, depth: int) -> Resolution | None:
        """What ``text`` names, read as a composite at most ``_DEPTH - depth`` more times."""
        key = (text, depth)
        if key not in self._done:
            self._done[key] = self._resolve(text, depth)
        return self._done[key]

    def _resolve(self, text: str, depth: int) -> Resolution | None:
        scope, near = self._scope, self._near
        found = self.candidates(text)
        if found:
            ranked, ambiguous = decide(found, scope, near)
            return Resolution(query=text, candidates=ranked, ambiguous=ambiguous)
        if depth >= _DEPTH:
            return None
        parts = self._splits.get(text)
        if parts is None:
            parts = self._splits[text] = splits(text)[:_SPLITS]
        for inner, outer, site in parts:
            container = self.resolve(outer, depth + 1)
            if container is None:
                continue
            holders = _live(container, scope or near)
            inside = [c for c in self.candidates(inner)
                      if any(c.place.within(h.place) for h in holders)]
            if inside:
                ranked, ambiguous = decide(inside, scope, near)
                return Resolution(query=text, candidates=ranked, ambiguous=ambiguous)
            # "X in Y": a site anywhere Y may be. "X, Y": a site only when Y is a
            # city ("Al-Mujtahid Hospital, Damascus"); "Nowhereville, Lebanon" is an
            # unknown town, not a site in a country.
            sites = [_site(text, inner, h) for h in holders if h.place.country
                     and (site or h.place.kind is PlaceKind.CITY)]
            if sites:
                return Resolution(query=text, candidates=tuple(sites),
                                  ambiguous=container.ambiguous and len(sites) > 1)
        return None


def _label(place: Place) -> str:
    from whereabouts import _iso

    if place.country is None or place.kind is PlaceKind.COUNTRY:
        return place.name
    return f"{place.name}, {_iso.country_name(place.country)}"


def _live(resolution: Resolution, scope: frozenset[str] | None) -> list[Candidate]:
    """The candidates that still count: the answer and its serious contenders."""
    best = resolution.candidates[0]
    answer = [c for c in resolution.candidates if c is best or nested(best.place, c.place)]
    return answer + [c for c in resolution.candidates
                     if c not in answer and serious(best, answer, c, scope)]


def _site(text: str, inner: str, holder: Candidate) -> Candidate:
    """A site described inside a known place ("the Russian embassy in Damascus")."""
    name = text[4:] if text[:4].lower() == "the " else text
    name = name[2:] if name[:2].lower() == "a " else name
    place = Place.facility(name.strip(), parent=holder.place,
                           key=f"facility:{fold(inner).replace(' ', '-')}@{holder.place.key}")
    return Candidate(place=place, layer=holder.layer, matched=holder.matched,
                     primary=holder.primary)
