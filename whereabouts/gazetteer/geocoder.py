"""The offline gazetteer as a geopy geocoder.

:class:`OfflineGeocoder` stands where any geopy geocoder stands (inside
``geopy.extra.rate_limiter.RateLimiter``, in code written for Nominatim) and
never touches the network: its adapter refuses every request.

>>> geocoder = OfflineGeocoder()
>>> location = geocoder.geocode("Beirut")
>>> location.address, round(location.latitude, 2), location.raw["place"].country
('Beirut, Bayrūt, Lebanon', 33.89, 'LB')
>>> geocoder.reverse("33.51, 36.29").raw["place"].label
'Damascus (SY)'
>>> geocoder.geocode("Nowhereville") is None
True
"""

from __future__ import annotations

from typing import Any

from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderQueryError, GeocoderServiceError
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from whereabouts import _iso
from whereabouts.errors import InvalidPlace, UnknownPlace
from whereabouts.gazetteer import _data
from whereabouts.gazetteer.resolution import Candidate, Resolution
from whereabouts.gazetteer.resolver import Gazetteer
from whereabouts.places import Place

__all__ = ["OfflineGeocoder"]


class _NoNetwork(BaseSyncAdapter):  # type: ignore[misc]
    """An adapter that refuses every request: the offline geocoder has no service."""

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        raise GeocoderServiceError("OfflineGeocoder does not use the network")

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        raise GeocoderServiceError("OfflineGeocoder does not use the network")


class OfflineGeocoder(Geocoder):  # type: ignore[misc]
    """A geopy geocoder answering from a :class:`Gazetteer` (a new one if none is given).

    ``geocode`` returns geopy ``Location`` objects, best candidate first, whose
    ``raw`` holds ``{"place": Place, "key", "kind", "country_code", "layer",
    "matched", "ambiguous"}``. A place without a point of its own (a country,
    a region, a subdivision) is located at its largest known city. Unknown
    names give ``None``, as geopy geocoders do; malformed queries raise
    ``geopy.exc.GeocoderQueryError``.
    """

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        super().__init__(adapter_factory=_NoNetwork, user_agent="whereabouts-offline")
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer()

    def geocode(self, query: str, *, exactly_one: bool = True,
                timeout: float | None = None) -> Location | list[Location] | None:
        """Locations for ``query``, best first (one if ``exactly_one``), or None."""
        try:
            resolution = self.gazetteer.resolve(query)
        except UnknownPlace:
            return None
        except InvalidPlace as error:
            raise GeocoderQueryError(str(error)) from error
        found = [self._location(c, resolution) for c in resolution.candidates]
        locations = [location for location in found if location is not None]
        if not locations:
            return None
        return locations[0] if exactly_one else locations

    def reverse(self, query: object, *, exactly_one: bool = True,
                timeout: float | None = None) -> Location | list[Location] | None:
        """The nearest known city to a point (anything geopy's ``Point`` accepts)."""
        try:
            lat, lon = _coordinates(query)
            place = self.gazetteer.reverse(lat, lon)
        except (ValueError, TypeError) as error:  # InvalidPlace is a ValueError
            raise GeocoderQueryError(str(error)) from error
        location = Location(_address(place), place.point, _raw(place, "geonames", None, False))
        return location if exactly_one else [location]

    def _location(self, candidate: Candidate, resolution: Resolution) -> Location | None:
        place = candidate.place
        point = place.point or _data.tables().representative_point(place)
        if point is None:
            return None
        raw = _raw(place, candidate.layer, candidate.matched, resolution.ambiguous)
        return Location(_address(place), point, raw)


def _coordinates(query: object) -> tuple[float, float]:
    """Latitude and longitude as given: geopy's ``Point`` would wrap 200 E to 160 W."""
    if isinstance(query, Point):
        return query.latitude, query.longitude
    if isinstance(query, str):
        parts = query.split(",")
        try:
            return float(parts[0]), float(parts[1]) if len(parts) == 2 else float("nan")
        except ValueError:
            point = Point(query)  # "33.5138 N, 36.2765 E" and the other forms geopy reads
            return point.latitude, point.longitude
    if isinstance(query, (tuple, list)) and len(query) == 2:
        return query[0], query[1]
    raise GeocoderQueryError(f"not a point: {query!r}")


def _address(place: Place) -> str:
    parts = [place.name, *(p.name for p in place.ancestors())]
    if place.country and place.kind.value not in ("country",) and len(parts) == 1:
        parts.append(_iso.country_name(place.country))
    return ", ".join(parts)


def _raw(place: Place, layer: str, matched: str | None, ambiguous: bool) -> dict[str, Any]:
    return {
        "place": place, "key": place.key, "kind": place.kind.value,
        "country_code": place.country, "layer": layer, "matched": matched,
        "ambiguous": ambiguous,
    }
