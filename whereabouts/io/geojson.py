"""The ledger on a map: GeoJSON (RFC 7946) for QGIS, geojson.io and web maps.

:func:`to_geojson` returns a ``FeatureCollection`` with a ``Point`` feature
for each observation whose place has coordinates, and a ``LineString``
feature for each person's or group's itinerary through two or more such
places. Coordinates are ``[longitude, latitude]`` (WGS 84), as RFC 7946
requires. A place without a point of its own takes the point of the nearest
place that contains it (a hospital its city's); observations placed nowhere
with a point (a country, a region, "one of these places") are left out, and
counted in the collection's ``skipped`` member.

>>> from whereabouts.examples import assad_2024
>>> collection = to_geojson(assad_2024())
>>> collection["type"], len(collection["features"]), collection["skipped"]
('FeatureCollection', 16, 12)
>>> first = collection["features"][0]
>>> first["geometry"]
{'type': 'Point', 'coordinates': [36.29128, 33.5102]}
>>> first["properties"]["id"], first["properties"]["place"], first["properties"]["names"]
('flight', 'Damascus', ['Bashar al-Assad', 'Hafez al-Assad'])
>>> route = [f for f in collection["features"] if f["geometry"]["type"] == "LineString"][0]
>>> route["properties"]["name"], len(route["geometry"]["coordinates"])
('Bashar al-Assad', 3)
"""

from __future__ import annotations

import json
import os
from typing import Any

from whereabouts.io._atomic import write_atomic
from whereabouts.ledger import DateRef, Ledger
from whereabouts.observations import Denial, Observation, Retraction
from whereabouts.places import Place
from whereabouts.when import When

__all__ = ["to_geojson", "write_geojson"]

Feature = dict[str, Any]


def to_geojson(ledger: Ledger, *, as_of: DateRef | None = None,
               known_at: DateRef | None = None) -> dict[str, Any]:
    """The ledger's located observations and itineraries as a GeoJSON FeatureCollection.

    ``known_at`` keeps the claims reported by the end of that day (minus
    those retracted, denied or corrected by then; a claim whose report date
    is not known counts only without ``known_at``); ``as_of`` drops claims
    that certainly happened after that day, and ends itineraries there.
    Attempts (refused entry, turned back, called off) are features of their
    own, but no itinerary passes through them.
    """
    known = None if known_at is None else When.coerce(known_at, field="known_at")
    end = None if as_of is None else When.coerce(as_of, field="as_of")
    until = float("inf") if known is None else known.upper
    names = {e.id: e.name for e in ledger.entities}
    visible = _visible(ledger.entries, until)
    features: list[Feature] = []
    skipped = 0
    for obs in visible:
        if end is not None and obs.lower >= end.upper:
            continue
        point = _point(obs)
        if point is None:
            skipped += 1
            continue
        features.append(_feature(obs, point, names))
    for entity in ledger.entities:
        trip = ledger.itinerary(entity, as_of=as_of, known_at=known_at)
        line: list[list[float]] = []
        stops: list[str] = []
        for stop in trip.stops:
            if not stop.made:
                continue
            point = _point(stop.observations[0])
            if point is None:
                continue
            if not line or line[-1] != point:
                line.append(point)
            stops.extend(o.id for o in stop.observations)
        if len(line) >= 2:
            features.append({
                "type": "Feature",
                "id": f"itinerary:{entity.id}",
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {"itinerary": entity.id, "name": entity.name,
                               "observations": stops},
            })
    return {"type": "FeatureCollection", "features": features, "skipped": skipped}


def write_geojson(ledger: Ledger, path: str | os.PathLike[str], *, as_of: DateRef | None = None,
                  known_at: DateRef | None = None) -> None:
    """Write :func:`to_geojson` to a file (UTF-8), atomically.

    >>> import json, tempfile, pathlib
    >>> from whereabouts.examples import assad_2024
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "assad.geojson")
    ...     write_geojson(assad_2024(), path, known_at="2024-12-09")
    ...     [f["id"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]]
    ['moscow', 'asylum']
    """
    collection = to_geojson(ledger, as_of=as_of, known_at=known_at)
    write_atomic(path, json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8"))


def _visible(entries: tuple[Observation | Retraction | Denial, ...], until: float,
             ) -> list[Observation]:
    """The observations reported by ``until`` and not withdrawn by then (retracted,
    denied or corrected); all of them, the undated reports too, when ``until`` is inf."""
    known = [e for e in entries if _reported_end(e) <= until]
    dropped = {e.target for e in known if isinstance(e, Retraction | Denial)}
    dropped |= {e.corrects for e in known if isinstance(e, Observation) and e.corrects}
    return [e for e in known if isinstance(e, Observation) and e.id not in dropped]


def _reported_end(entry: Observation | Retraction | Denial) -> float:
    return float("inf") if entry.reported is None else entry.reported.upper


def _point(obs: Observation) -> list[float] | None:
    if not isinstance(obs.place, Place):
        return None
    place: Place | None = obs.place
    while place is not None and place.point is None:
        place = place.parent
    if place is None or place.point is None:
        return None
    lat, lon = place.point
    return [lon, lat]


def _feature(obs: Observation, point: list[float], names: dict[str, str]) -> Feature:
    assert isinstance(obs.place, Place)
    when = obs.when
    return {
        "type": "Feature",
        "id": obs.id,
        "geometry": {"type": "Point", "coordinates": point},
        "properties": {
            "id": obs.id,
            "subjects": list(obs.subjects),
            "names": [names.get(s, s) for s in obs.subjects],
            "kind": obs.kind.value,
            "place": obs.place.name,
            "place_key": obs.place.key,
            "place_kind": obs.place.kind.value,
            "country": obs.place.country,
            "when": None if when is None else str(when),
            "earliest": None if when is None or when.earliest is None
            else when.earliest.isoformat(),
            "latest": None if when is None or when.latest is None else when.latest.isoformat(),
            "throughout": obs.throughout,
            "reported": None if obs.reported is None else str(obs.reported),
            "source": str(obs.source),
            "grading": obs.grading.code,
            "note": obs.note,
            "after": list(obs.after),
        },
    }
