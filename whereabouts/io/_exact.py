"""Exact values: what a readable cell cannot carry (a place's coordinates, a source's
relay chain, text that is not Unicode), written as JSON in the ``exact`` column and
read back.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from whereabouts.errors import (
    InvalidObservation,
    InvalidPlace,
    WhereaboutsError,
)
from whereabouts.places import Alternatives, Place, PlaceKind, Where
from whereabouts.sources import Source, SourceKind

__all__ = ["exact_place", "exact_source", "place_of", "readable", "source_of"]


_DEEPEST = 12  # parents nested deeper than this in an ``exact`` cell are refused


def exact_place(where: Where) -> list[dict[str, Any]]:
    """A place (or "one of these") as JSON-ready data: a list of its places, each with the
    fields of the native file's ``place`` record, its parent nested whole.

    >>> exact_place(Place.region("Levant", ["JO", "LB", "SY"]))
    [{'name': 'Levant', 'kind': 'region', 'countries': ['JO', 'LB', 'SY']}]
    """
    return [_place_data(p) for p in where.options]


def _place_data(place: Place) -> dict[str, Any]:
    data: dict[str, Any] = {"name": place.name, "kind": place.kind.value}
    if place.country is not None:
        data["country"] = place.country
    if place.countries != (frozenset() if place.country is None else {place.country}):
        data["countries"] = sorted(place.countries)
    if place.subdivision is not None:
        data["subdivision"] = place.subdivision
    if place.point is not None:
        data["point"] = list(place.point)
    if place.parent is not None:
        data["parent"] = _place_data(place.parent)
    if place.key != attrs.evolve(place, key=_NO_KEY).key:
        data["key"] = place.key
    return data


_NO_KEY: Any = attrs.NOTHING  # attrs.evolve with NOTHING computes the default again


def place_of(data: object) -> Where:
    """The place :func:`exact_place` gave ``data`` for; :class:`InvalidPlace` if it is not one."""
    if not isinstance(data, list) or not data:
        raise InvalidPlace("expected a list of places", field="place", value=data)
    places = tuple(_place_of(item, 1) for item in data)
    return places[0] if len(places) == 1 else Alternatives(places)


def _place_of(data: object, depth: int) -> Place:
    if depth > _DEEPEST:
        raise InvalidPlace(f"parents nested more than {_DEEPEST} deep", field="place")
    if not isinstance(data, dict):
        raise InvalidPlace("expected a place: an object with a name and a kind", field="place",
                           value=data)
    unknown = set(data) - {"name", "kind", "country", "countries", "subdivision", "point",
                           "parent", "key"}
    if unknown:
        raise InvalidPlace(f"unknown field {sorted(unknown)[0]!r} in a place", field="place")
    fields: dict[str, Any] = {}
    try:
        fields["name"] = data["name"]
        fields["kind"] = PlaceKind(data["kind"])
        for name in ("country", "subdivision", "key"):
            if name in data:
                fields[name] = data[name]
        if "countries" in data:
            fields["countries"] = list(data["countries"])
        if "point" in data:
            fields["point"] = tuple(data["point"])
        if "parent" in data:
            fields["parent"] = _place_of(data["parent"], depth + 1)
        return Place(**fields)
    except WhereaboutsError:
        raise
    except (KeyError, TypeError, ValueError) as err:
        raise InvalidPlace(f"not a place ({type(err).__name__}: {err})"[:200],
                           field="place") from None


def exact_source(src: Source) -> list[dict[str, Any]]:
    """A source as JSON-ready data: its relay chain from the origin, each with its name
    and, when they are set, its kind, published date and URL."""
    chain: list[dict[str, Any]] = []
    for link in src.chain:
        data: dict[str, Any] = {"name": link.name}
        if link.kind is not SourceKind.OTHER:
            data["kind"] = link.kind.value
        if link.published is not None:
            data["published"] = str(link.published)
        if link.url is not None:
            data["url"] = link.url
        chain.append(data)
    return chain


def source_of(data: object) -> Source:
    """The source :func:`exact_source` gave ``data`` for."""
    if not isinstance(data, list) or not data or len(data) > 100:
        raise InvalidObservation("expected a relay chain: a list of sources", field="source",
                                 value=data)
    found: Source | None = None
    for link in data:
        if not isinstance(link, dict) or set(link) - {"name", "kind", "published", "url"}:
            raise InvalidObservation("expected a source: an object with a name (and a kind, "
                                     "published, url)", field="source", value=link)
        try:
            found = Source(str(link.get("name", "")), kind=SourceKind(link.get("kind", "other")),
                           published=link.get("published"), url=link.get("url"), via=found)
        except WhereaboutsError:
            raise
        except (TypeError, ValueError) as err:
            raise InvalidObservation(f"not a source ({err})"[:200], field="source") from None
        if found.url is not None and not isinstance(found.url, str):
            raise InvalidObservation("a URL is text", field="source", value=found.url)
    assert found is not None
    return found



_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")


def readable(text: str) -> str:
    """``text`` as a cell of a file can hold it: a NUL or a lone surrogate (text that is not
    Unicode) as U+FFFD. The ``exact`` column carries the value itself."""
    if "\x00" in text or not text.isascii():
        return _UNWRITABLE.sub("\ufffd", text)
    return text
