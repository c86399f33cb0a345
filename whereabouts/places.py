"""Places: a country, a region of several countries, a subdivision, a city, a facility,
and places in no country: a ship or an aircraft, international waters.

A :class:`Place` is a plain value. Its country is an ISO 3166-1 alpha-2 code
checked against pycountry, its subdivision an ISO 3166-2 code, its point a
``(latitude, longitude)`` pair, and its parent the place that contains it.

>>> syria = Place.from_country("Syria")
>>> syria
Place('Syria', country, SY)
>>> latakia = Place.from_subdivision("SY-LA", name="Latakia")
>>> base = Place.facility("Hmeimim air base", parent=latakia, point=(35.4011, 35.9487))
>>> base
Place('Hmeimim air base', facility, SY)
>>> base.within(latakia), base.within(syria), base.subdivision
(True, True, 'SY-LA')

A region stands for several countries; a choice between places is
:class:`Alternatives`:

>>> europe = Place.region("European countries", ["FR", "DE", "GB"])
>>> sorted(europe.countries), europe.country is None
(['DE', 'FR', 'GB'], True)
>>> escape = Alternatives.of(Place.from_country("RU"), Place.from_country("LY"))
>>> print(escape)
Russia or Libya
>>> escape.possibly_within(Place.from_country("LY")), escape.within(Place.from_country("LY"))
(True, False)

A ship, an aircraft or the open sea is in no country, and lies within nothing
but itself:

>>> ship = Place.craft("Admiral Kuznetsov")
>>> ship, ship.key, ship.country, ship.countries
(Place('Admiral Kuznetsov', craft, -), 'craft:admiral-kuznetsov', None, frozenset())
>>> ship.within(Place.from_country("RU")), ship.within(Place.craft("Admiral Kuznetsov"))
(False, True)
>>> Place.waters()
Place('international waters', waters, -)
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Iterator

import attrs

from whereabouts import _iso
from whereabouts._text import fold
from whereabouts.entities import check_encodable
from whereabouts.errors import InvalidPlace

__all__ = ["Alternatives", "Place", "PlaceKind", "Where"]


class PlaceKind(enum.Enum):
    """What sort of place a :class:`Place` is, from the largest to the smallest."""

    REGION = "region"
    """Several countries at once ("European countries", "the Gulf")."""
    COUNTRY = "country"
    SUBDIVISION = "subdivision"
    """An ISO 3166-2 subdivision: a governorate, state, province."""
    CITY = "city"
    """A city, town or village."""
    FACILITY = "facility"
    """A building or site: an air base, a hospital, an embassy."""
    CRAFT = "craft"
    """A ship or an aircraft: in no country, wherever it moves; within nothing but itself."""
    WATERS = "waters"
    """International waters, the open sea, the airspace above them: in no country."""

    def __repr__(self) -> str:
        return self.value


_COUNTRYLESS = frozenset({PlaceKind.CRAFT, PlaceKind.WATERS})
"""The kinds of place that are in no country (and so in no region or subdivision)."""


def _check_country(
    instance: Place, attribute: attrs.Attribute[str | None], value: str | None
) -> None:
    if instance.kind in _COUNTRYLESS:
        if value is not None:
            raise InvalidPlace(f"a {instance.kind.value} is in no country", field="country",
                               value=value)
        return
    if value is None:
        if instance.kind is not PlaceKind.REGION:
            raise InvalidPlace(f"a {instance.kind.value} needs a country", field="country")
        return
    if not isinstance(value, str) or not _iso.is_country(value):
        raise InvalidPlace("not an ISO 3166-1 alpha-2 country code", field="country", value=value)


def _check_countries(
    instance: Place, attribute: attrs.Attribute[frozenset[str]], value: frozenset[str]
) -> None:
    if instance.kind in _COUNTRYLESS:
        if value:
            raise InvalidPlace(f"a {instance.kind.value} is in no country", field="countries",
                               value=sorted(value))
        return
    bad = sorted(code for code in value if not _iso.is_country(code))
    if bad:
        raise InvalidPlace("not ISO 3166-1 alpha-2 country codes", field="countries", value=bad)
    if instance.kind is PlaceKind.REGION and not value:
        raise InvalidPlace("a region needs at least one country", field="countries")


def _check_subdivision(
    instance: Place, attribute: attrs.Attribute[str | None], value: str | None
) -> None:
    if value is None:
        return
    if instance.kind in _COUNTRYLESS:
        raise InvalidPlace(f"a {instance.kind.value} is in no subdivision", field="subdivision",
                           value=value)
    if not isinstance(value, str) or not _iso.is_subdivision(value):
        raise InvalidPlace("not an ISO 3166-2 subdivision code", field="subdivision", value=value)
    if _iso.subdivision_country(value) != instance.country:
        raise InvalidPlace(
            f"subdivision is not in country {instance.country}", field="subdivision", value=value
        )


def _check_point(
    instance: Place, attribute: attrs.Attribute[tuple[float, float] | None],
    value: tuple[float, float] | None,
) -> None:
    if value is None:
        return
    try:
        lat, lon = (float(v) for v in value)
    except (TypeError, ValueError):
        raise InvalidPlace("expected (latitude, longitude)", field="point", value=value) from None
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise InvalidPlace("latitude must be within -90..90", field="point", value=value)
    if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
        raise InvalidPlace("longitude must be within -180..180", field="point", value=value)


def _to_point(value: Iterable[float] | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        items = tuple(value)
    except TypeError:
        raise InvalidPlace("expected (latitude, longitude)", field="point", value=value) from None
    if len(items) != 2:
        raise InvalidPlace("expected (latitude, longitude)", field="point", value=value)
    try:
        return (float(items[0]), float(items[1]))
    except (TypeError, ValueError):
        raise InvalidPlace("expected numbers", field="point", value=value) from None


def _check_parent(instance: Place, attribute: attrs.Attribute[Place | None], value: object) -> None:
    if value is not None and not isinstance(value, Place):
        raise InvalidPlace("parent must be a Place", field="parent", value=value)
    if value is not None and instance.kind in _COUNTRYLESS:
        raise InvalidPlace(f"a {instance.kind.value} lies within no other place", field="parent",
                           value=value.key)
    if value is not None:
        _check_container(value)


def _check_container(parent: Place) -> None:
    if parent.kind in _COUNTRYLESS:
        raise InvalidPlace(f"nothing lies within a {parent.kind.value}", field="parent",
                           value=parent.key)


def _to_codes(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        return frozenset({values})
    return frozenset(values)


def _to_places(values: Iterable[Place]) -> tuple[Place, ...]:
    return tuple(values)


def _check_name(instance: Place, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not fold(value):
        raise InvalidPlace("a place needs a name", field="name", value=value)
    check_encodable(value, "name")


def _check_key(instance: Place, attribute: attrs.Attribute[str], value: str) -> None:
    check_encodable(value, "key")


@attrs.frozen(kw_only=True, repr=False, cache_hash=True)
class Place:
    """A place, as specific as the evidence allows.

    ``key`` identifies the place: two places with the same key are the same
    place. It defaults to the ISO code for countries and subdivisions, to a
    folded ``kind:name`` for a craft or waters (in no country) and to a folded
    ``kind:name:country`` for the rest; the gazetteer sets its own.
    """

    name: str = attrs.field(validator=_check_name)
    kind: PlaceKind = attrs.field(validator=attrs.validators.instance_of(PlaceKind))
    country: str | None = attrs.field(default=None, validator=_check_country)
    countries: frozenset[str] = attrs.field(
        converter=_to_codes, validator=_check_countries
    )
    subdivision: str | None = attrs.field(default=None, validator=_check_subdivision)
    point: tuple[float, float] | None = attrs.field(
        default=None, converter=_to_point, validator=_check_point
    )
    parent: Place | None = attrs.field(default=None, validator=_check_parent)
    key: str = attrs.field(validator=_check_key)

    @countries.default
    def _countries_default(self) -> frozenset[str]:
        return frozenset() if self.country is None else frozenset({self.country})

    @key.default
    def _key_default(self) -> str:
        if self.kind is PlaceKind.COUNTRY and self.country:
            return self.country
        if self.kind is PlaceKind.SUBDIVISION and self.subdivision:
            return self.subdivision
        if self.kind in _COUNTRYLESS:
            return f"{self.kind.value}:{fold(self.name).replace(' ', '-')}"
        where = self.country or "+".join(sorted(self.countries))
        return f"{self.kind.value}:{fold(self.name).replace(' ', '-')}:{where}"

    def __attrs_post_init__(self) -> None:
        if (self.kind is not PlaceKind.REGION and self.kind not in _COUNTRYLESS
                and self.countries != {self.country}):
            raise InvalidPlace(
                "only a region stands for several countries", field="countries",
                value=sorted(self.countries),
            )
        if self.parent is not None and not self.parent.countries >= self.countries:
            raise InvalidPlace(
                f"parent {self.parent.name!r} is in another country", field="parent",
                value=self.parent.key,
            )

    # -- named constructors -------------------------------------------------

    @classmethod
    def from_country(cls, code_or_name: str) -> Place:
        """The country with an ISO code or exact ISO name: ``"LB"``, ``"LBN"``, ``"Lebanon"``."""
        code = _iso.country_code(code_or_name) if isinstance(code_or_name, str) else None
        if code is None:
            raise InvalidPlace("not an ISO 3166 country", field="country", value=code_or_name)
        return cls(name=_iso.country_name(code), kind=PlaceKind.COUNTRY, country=code)

    @classmethod
    def from_subdivision(cls, code: str, *, name: str | None = None) -> Place:
        """An ISO 3166-2 subdivision, named by ISO unless ``name`` is given."""
        if not isinstance(code, str) or not _iso.is_subdivision(code):
            raise InvalidPlace(
                "not an ISO 3166-2 subdivision code", field="subdivision", value=code
            )
        country = _iso.subdivision_country(code)
        return cls(
            name=name or _iso.subdivision_name(code), kind=PlaceKind.SUBDIVISION,
            country=country, subdivision=code, parent=cls.from_country(country),
        )

    @classmethod
    def region(cls, name: str, countries: Iterable[str], *, key: str | None = None) -> Place:
        """A place that stands for several countries."""
        codes = frozenset(countries)
        if key is None:
            return cls(name=name, kind=PlaceKind.REGION, countries=codes)
        return cls(name=name, kind=PlaceKind.REGION, countries=codes, key=key)

    @classmethod
    def city(
        cls, name: str, *, country: str, subdivision: str | None = None,
        point: tuple[float, float] | None = None, parent: Place | None = None,
    ) -> Place:
        """A city in ``country`` (alpha-2), optionally in a subdivision."""
        if parent is None:
            parent = (
                cls.from_subdivision(subdivision) if subdivision else cls.from_country(country)
            )
        return cls(
            name=name, kind=PlaceKind.CITY, country=country, subdivision=subdivision,
            point=point, parent=parent,
        )

    @classmethod
    def facility(
        cls, name: str, *, parent: Place, point: tuple[float, float] | None = None,
        key: str | None = None,
    ) -> Place:
        """A site inside ``parent`` (a city, subdivision or country), which gives its country."""
        if isinstance(parent, Place):
            _check_container(parent)
        if not isinstance(parent, Place) or parent.country is None:
            raise InvalidPlace("a facility needs a parent place in one country", field="parent",
                               value=parent)
        fields: dict[str, object] = {}
        if key is not None:
            fields["key"] = key
        return cls(
            name=name, kind=PlaceKind.FACILITY, country=parent.country,
            subdivision=parent.subdivision, point=point, parent=parent, **fields,  # type: ignore[arg-type]
        )

    @classmethod
    def craft(cls, name: str, *, point: tuple[float, float] | None = None,
              key: str | None = None) -> Place:
        """A ship or an aircraft, which belongs to no one country wherever it moves.

        It lies within no country, region or subdivision, and nothing but itself
        lies within it: two claims aboard the same craft agree, a claim aboard
        it and one in a country do not. ``point`` is where it was, if known;
        ``key`` defaults to ``craft:`` and the folded name.

        >>> Place.craft("Admiral Kuznetsov").label
        'Admiral Kuznetsov'
        """
        return cls._countryless(PlaceKind.CRAFT, name, point, key)

    @classmethod
    def waters(cls, name: str = "international waters", *,
               point: tuple[float, float] | None = None, key: str | None = None) -> Place:
        """International waters, the open sea or the airspace over them: in no country.

        >>> Place.waters().key, Place.waters("the Black Sea, off Crimea").key
        ('waters:international-waters', 'waters:the-black-sea-off-crimea')
        """
        return cls._countryless(PlaceKind.WATERS, name, point, key)

    @classmethod
    def _countryless(cls, kind: PlaceKind, name: str, point: tuple[float, float] | None,
                     key: str | None) -> Place:
        if key is None:
            return cls(name=name, kind=kind, point=point)
        return cls(name=name, kind=kind, point=point, key=key)

    # -- containment --------------------------------------------------------

    def ancestors(self) -> Iterator[Place]:
        """The parent, its parent, and so on."""
        place = self.parent
        while place is not None:
            yield place
            place = place.parent

    def within(self, other: Place | Alternatives) -> bool:
        """Whether every part of this place lies inside ``other`` (a place is within itself).

        A facility is within its city, subdivision and country; a city within
        its country and every region that lists that country. A craft or waters
        (in no country) is within itself only.
        """
        if isinstance(other, Alternatives):
            return any(self.within(option) for option in other.places)
        if self.key == other.key:
            return True
        if other.kind in (PlaceKind.COUNTRY, PlaceKind.REGION):
            return bool(self.countries) and self.countries <= other.countries
        if other.kind is PlaceKind.SUBDIVISION and self.subdivision == other.subdivision:
            return self.kind is not PlaceKind.SUBDIVISION or self.key == other.key
        return any(ancestor.key == other.key for ancestor in self.ancestors())

    def possibly_within(self, other: Place | Alternatives) -> bool:
        """For one place, the same as :meth:`within` (see :meth:`Alternatives.possibly_within`)."""
        return self.within(other)

    def overlaps(self, other: Place | Alternatives) -> bool:
        """Whether the two could be the same spot: one lies within the other."""
        if isinstance(other, Alternatives):
            return any(self.overlaps(option) for option in other.places)
        return self.within(other) or other.within(self)

    @property
    def options(self) -> tuple[Place, ...]:
        """The places this value could be: just itself (see :attr:`Alternatives.options`)."""
        return (self,)

    def distance_km(self, other: Place) -> float:
        """Geodesic distance in kilometres between the points of two places (geopy).

        >>> beirut = Place.city("Beirut", country="LB", point=(33.8938, 35.5018))
        >>> damascus = Place.city("Damascus", country="SY", point=(33.5138, 36.2765))
        >>> round(beirut.distance_km(damascus))
        83
        """
        from geopy.distance import geodesic

        for place in (self, other):
            if place.point is None:
                raise InvalidPlace("place has no coordinates", field="point", value=place.name)
        return float(geodesic(self.point, other.point).km)

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        where = self.country or "+".join(sorted(self.countries)) or "-"
        return f"Place({self.name!r}, {self.kind.value}, {where})"

    @property
    def label(self) -> str:
        """The name with its country code, for tables: ``'Dubai (AE)'``; the name alone for
        a country, a region, a craft or waters."""
        if self.kind is PlaceKind.COUNTRY or self.country is None:
            return self.name
        return f"{self.name} ({self.country})"


def _check_options(
    instance: Alternatives, attribute: attrs.Attribute[tuple[Place, ...]],
    value: tuple[Place, ...],
) -> None:
    if len(value) < 2 or not all(isinstance(p, Place) for p in value):
        raise InvalidPlace("alternatives need two or more places", field="place", value=value)
    if len({p.key for p in value}) != len(value):
        raise InvalidPlace("alternatives repeat a place", field="place",
                           value=[p.name for p in value])


@attrs.frozen(repr=False, cache_hash=True)
class Alternatives:
    """One of several places, not known which: "Russia or Libya"."""

    places: tuple[Place, ...] = attrs.field(converter=_to_places, validator=_check_options)

    @classmethod
    def of(cls, *places: Place) -> Alternatives:
        return cls(places)

    @property
    def options(self) -> tuple[Place, ...]:
        return self.places

    @property
    def countries(self) -> frozenset[str]:
        """Every country any option may be in."""
        return frozenset().union(*(p.countries for p in self.places))

    @property
    def country(self) -> str | None:
        """The one country all options share, if they share one (none does if an
        option is in no country: "at sea or in Cyprus")."""
        countries = self.countries
        if len(countries) != 1 or not all(p.countries for p in self.places):
            return None
        return next(iter(countries))

    @property
    def name(self) -> str:
        return " or ".join(p.name for p in self.places)

    @property
    def label(self) -> str:
        return " or ".join(p.label for p in self.places)

    @property
    def key(self) -> str:
        return "|".join(p.key for p in self.places)

    def within(self, other: Place | Alternatives) -> bool:
        """Whether every option lies within ``other``: then it is certainly there."""
        return all(p.within(other) for p in self.places)

    def possibly_within(self, other: Place | Alternatives) -> bool:
        """Whether some option lies within ``other``."""
        return any(p.within(other) for p in self.places)

    def overlaps(self, other: Place | Alternatives) -> bool:
        return any(p.overlaps(other) for p in self.places)

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"Alternatives({', '.join(map(repr, self.places))})"


Where = Place | Alternatives
"""Where an observation puts its subjects: one place, or one of several."""
