"""The optional online layer: any geopy geocoder, rate-limited and cached.

It is asked only when no offline layer knows a name. Answers become places
through what the geocoder returns: Nominatim's ``address.country_code`` and
``ISO3166-2-lvl4`` when present, otherwise the offline gazetteer's nearest
known place to the point gives the country. geopy's errors (no network,
quota, timeout) become :class:`~whereabouts.errors.GeocoderFailed`, with the
geopy error as its cause, so one ``except WhereaboutsError`` catches them.
"""

from __future__ import annotations

import math
import threading
from typing import TYPE_CHECKING, Any

from whereabouts import _iso
from whereabouts._text import fold
from whereabouts.errors import GeocoderFailed, InvalidPlace
from whereabouts.gazetteer.resolution import Candidate
from whereabouts.places import Place, PlaceKind

if TYPE_CHECKING:
    from whereabouts.gazetteer.resolver import Gazetteer

__all__ = ["OnlineLayer"]

_SITES = frozenset({
    "aeroway", "amenity", "building", "historic", "leisure", "man_made", "military",
    "office", "shop", "tourism",
})
_SUBDIVISIONS = frozenset({"state", "province", "region", "county", "state_district"})


class OnlineLayer:
    """A geopy geocoder behind geopy's ``RateLimiter``, with a cache of its answers."""

    def __init__(self, geocoder: object, *, min_delay: float) -> None:
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders.base import Geocoder

        if not isinstance(geocoder, Geocoder):
            raise InvalidPlace("expected a geopy geocoder", field="online", value=geocoder)
        if isinstance(min_delay, bool) or not isinstance(min_delay, (int, float)) or not (
                math.isfinite(min_delay) and min_delay >= 0):
            raise InvalidPlace("expected a delay in seconds (0 or more)", field="min_delay",
                               value=min_delay)
        self.geocoder = geocoder
        self.geocode = RateLimiter(geocoder.geocode, min_delay_seconds=float(min_delay),
                                   max_retries=0, swallow_exceptions=False)
        self._cache: dict[str, tuple[Candidate, ...]] = {}
        self._lock = threading.Lock()

    def candidates(self, text: str, gazetteer: Gazetteer) -> list[Candidate]:
        """The geocoder's answers for ``text`` as candidates (one call per distinct name)."""
        key = fold(text)
        cached = self._cache.get(key)
        if cached is None:
            with self._lock:  # one call at a time: the rate limit is the service's
                cached = self._cache.get(key)
                if cached is None:
                    found = self._ask(text)
                    answers = (_candidate(location, text, gazetteer) for location in found)
                    cached = tuple(c for c in answers if c is not None)
                    self._cache[key] = cached
        return list(cached)


    def _ask(self, text: str) -> list[Any]:
        from geopy.exc import GeopyError

        try:
            return list(self.geocode(text, exactly_one=False) or [])
        except GeopyError as err:
            raise GeocoderFailed(f"the online geocoder failed: {err}", field="online",
                                 value=text) from err


def _candidate(location: Any, text: str, gazetteer: Gazetteer) -> Candidate | None:
    raw: dict[str, Any] = location.raw if isinstance(location.raw, dict) else {}
    point = (float(location.latitude), float(location.longitude))
    address: dict[str, Any] = raw.get("address") or {}
    country = str(address.get("country_code", "")).upper()
    if not _iso.is_country(country):
        country = gazetteer.reverse(*point).country or ""
    if not _iso.is_country(country):
        return None
    name = str(raw.get("name") or str(location.address).split(",")[0]).strip() or text
    kind = str(raw.get("addresstype") or raw.get("type") or "")
    sub = str(address.get("ISO3166-2-lvl4") or "")
    subdivision = sub if _iso.is_subdivision(sub) and sub.startswith(country + "-") else None
    ident = (f"online:{raw['osm_type']}:{raw['osm_id']}" if "osm_type" in raw and "osm_id" in raw
             else f"online:{point[0]:.5f},{point[1]:.5f}")
    if kind == "country":
        place = Place.from_country(country)
    elif kind in _SUBDIVISIONS and subdivision:
        place = Place.from_subdivision(subdivision)
    else:
        parent = Place.from_subdivision(subdivision) if subdivision else Place.from_country(
            country)
        if raw.get("class") in _SITES:
            place = Place.facility(name, parent=parent, point=point, key=ident)
        else:
            place = Place(name=name, kind=PlaceKind.CITY, country=country,
                          subdivision=subdivision, point=point, parent=parent, key=ident)
    return Candidate(place=place, layer="online", matched=text,
                     primary=fold(name) == fold(text))
