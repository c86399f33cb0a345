"""The ledger on a map: GeoJSON (RFC 7946) for QGIS, geojson.io and web maps.

:func:`to_geojson` returns a ``FeatureCollection`` with a ``Point`` feature
for each observation whose place has coordinates (one for each option of
"X or Y", ids ``claim#1``, ``claim#2``...), and ``LineString`` features for
each person's or group's route. Coordinates are ``[longitude, latitude]``
(WGS 84), as RFC 7946 requires. A place without a point of its own takes the
point of the nearest place that contains it (a hospital its city's); with
``country_centres=True`` a place known only by its country is put at the
country's centre, as the maps do. Observations placed nowhere with a point (a
region, a country without ``country_centres``, a vessel with no position) are
left out and counted in the collection's ``skipped`` member.

Each feature has a ``status``: ``located``, ``last known``, ``candidate`` (one
of several places the evidence does not settle: disputed, or not ordered
against each other), ``alternative`` (one option of "X or Y"), ``heading``
(on the way; arrival not reported), ``not made`` (an attempt) or ``died``. A
claim about several people can mean something different for each: a Point's
``statuses`` gives each subject's. Routes are drawn by the rules of
``docs/pictures.md`` (shared with the maps, :mod:`whereabouts.pictures._routes`):
``route`` features (``style: solid``) join points in a known order and never
pass through a candidate or an option; ``leg`` features (``dashed``) join each
candidate to the last certain point, and ``dotted`` ones lead to where someone
was heading. The collection's ``attribution`` credits GeoNames, whose
coordinates the gazetteer's places carry.

>>> from whereabouts.examples import assad_2024
>>> collection = to_geojson(assad_2024())
>>> collection["type"], len(collection["features"]), collection["skipped"]
('FeatureCollection', 18, 12)
>>> first = collection["features"][0]
>>> first["geometry"]
{'type': 'Point', 'coordinates': [36.29128, 33.5102]}
>>> props = first["properties"]
>>> props["id"], props["place"], props["names"], props["status"]
('flight', 'Damascus', ['Bashar al-Assad', 'Hafez al-Assad'], 'located')
>>> route = next(f for f in collection["features"] if f["id"] == "itinerary:bashar:1")
>>> route["properties"]["name"], route["properties"]["style"], len(route["geometry"]["coordinates"])
('Bashar al-Assad', 'solid', 2)
>>> collection["attribution"]
'Contains data from GeoNames (www.geonames.org), CC BY 4.0.'
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from whereabouts.io._atomic import write_atomic
from whereabouts.ledger import DateRef, Ledger
from whereabouts.observations import Denial, Observation, Retraction
from whereabouts.places import Alternatives, Place
from whereabouts.when import When

if TYPE_CHECKING:
    from whereabouts.pictures._routes import RouteMap

__all__ = ["ATTRIBUTION", "to_geojson", "write_geojson"]

Feature = dict[str, Any]

ATTRIBUTION = "Contains data from GeoNames (www.geonames.org), CC BY 4.0."
"""The credit the GeoNames licence asks for (see ``gazetteer/data/LICENSE-GeoNames.txt``)."""
OUTLINES = "Country centres from Natural Earth (public domain)."

_RANK = {"candidate": 0, "alternative": 1, "not made": 2, "heading": 3, "died": 4,
         "last known": 5, "located": 6}
"""Which status a claim shows when it means different things for its subjects."""


def to_geojson(ledger: Ledger, *, as_of: DateRef | None = None,
               known_at: DateRef | None = None, country_centres: bool = False,
               ) -> dict[str, Any]:
    """The ledger's located observations and routes as a GeoJSON FeatureCollection.

    ``known_at`` keeps the claims reported by the end of that day (minus
    those retracted, denied or corrected by then; a claim whose report date
    is not known counts only without ``known_at``); ``as_of`` drops claims
    that certainly happened after that day, and ends routes there. Attempts
    (refused entry, turned back, called off) are features of their own, with
    status ``not made``; no route passes through them.
    """
    from whereabouts.pictures import _routes

    known = None if known_at is None else When.coerce(known_at, field="known_at")
    end = None if as_of is None else When.coerce(as_of, field="as_of")
    until = float("inf") if known is None else known.upper
    routes = _routes.build(ledger, as_of=as_of, known_at=known_at, centres=country_centres)
    statuses = _statuses(routes)
    placer = _routes.Placer(country_centres)
    names = {e.id: e.name for e in ledger.entities}
    features: list[Feature] = []
    skipped = 0
    for obs in _visible(ledger.entries, until):
        if end is not None and obs.lower >= end.upper:
            continue
        assert obs.place is None or isinstance(obs.place, Place | Alternatives)
        options = () if obs.place is None else obs.place.options
        placed = [(n, option, *placer.locate(option)) for n, option in enumerate(options, 1)]
        drawn = [(n, option, point, how) for n, option, point, how in placed if point]
        if not drawn:
            skipped += 1
            continue
        for n, option, point, how in drawn:
            fid = obs.id if len(options) == 1 else f"{obs.id}#{n}"
            features.append(_feature(obs, fid, option, point, how, names,
                                     statuses.get((obs.id, option.key), {}), len(options)))
    for route in routes.routes:
        features.extend(_lines(route))
    attribution = ATTRIBUTION + (" " + OUTLINES if country_centres else "")
    return {"type": "FeatureCollection", "features": features, "skipped": skipped,
            "attribution": attribution}


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


def _statuses(routes: RouteMap) -> dict[tuple[str, str], dict[str, str]]:
    """By (claim id, place key): each subject's status of the point."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for route in routes.routes:
        for mark in route.marks:
            for obs in mark.observations:
                found.setdefault((obs.id, mark.key), {})[route.entity.id] = mark.status
    return found


def _lines(route: Any) -> list[Feature]:
    """A route's solid paths and its dashed and dotted legs, as LineStrings."""
    entity = route.entity
    found: list[Feature] = []
    lines = [(list(path), "solid", "located", list(ids))
             for path, ids in zip(route.paths, route.path_observations, strict=True)]
    lines += [([leg.start, leg.end], leg.style, leg.status, [])
              for leg in route.legs if leg.style != "solid"]
    for n, (points, style, status, ids) in enumerate(lines, 1):
        properties = {"itinerary": entity.id, "name": entity.name, "part": n,
                      "style": style, "status": status, "stroke": route.colour}
        if ids:
            properties["observations"] = ids
        found.append({
            "type": "Feature", "id": f"itinerary:{entity.id}:{n}",
            "geometry": {"type": "LineString", "coordinates": [list(p) for p in points]},
            "properties": properties,
        })
    return found


def _feature(obs: Observation, fid: str, place: Place, point: tuple[float, float],
             how: str, names: dict[str, str], statuses: dict[str, str],
             options: int) -> Feature:
    when = obs.when
    status = min(statuses.values(), key=_RANK.__getitem__) if statuses else (
        "alternative" if options > 1 else "located")
    properties: dict[str, Any] = {
        "id": obs.id,
        "subjects": list(obs.subjects),
        "names": [names.get(s, s) for s in obs.subjects],
        "kind": obs.kind.value,
        "place": place.name,
        "place_key": place.key,
        "place_kind": place.kind.value,
        "country": place.country,
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
        "status": status,
        "statuses": statuses,
    }
    if options > 1:
        properties["options"] = options
        properties["either"] = obs.place.name if obs.place is not None else None
    if how:
        properties["placed"] = how
    return {"type": "Feature", "id": fid,
            "geometry": {"type": "Point", "coordinates": [point[0], point[1]]},
            "properties": properties}
