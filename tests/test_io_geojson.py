"""GeoJSON output against the rules of RFC 7946, and what it shows."""

from __future__ import annotations

import json
import math
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whereabouts import Kind, Ledger, Place, Source
from whereabouts.examples import assad_2024
from whereabouts.io import to_geojson, write_geojson

from .conftest import NoGazetteer
from .strategies import ledgers

GEOMETRIES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
              "MultiPolygon", "GeometryCollection"}


def check_position(position: Any) -> None:
    """RFC 7946 3.1.1: [longitude, latitude(, altitude)], WGS 84 degrees."""
    assert isinstance(position, list)
    assert len(position) in (2, 3)
    assert all(isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n)
               for n in position)
    lon, lat = position[:2]
    assert -180 <= lon <= 180
    assert -90 <= lat <= 90


def check_geometry(geometry: Any) -> None:
    """RFC 7946 3.1: a geometry object of one of the seven types, with its coordinates."""
    assert isinstance(geometry, dict)
    assert geometry["type"] in GEOMETRIES
    kind = geometry["type"]
    if kind == "GeometryCollection":
        assert "coordinates" not in geometry
        for member in geometry["geometries"]:
            check_geometry(member)
        return
    coordinates = geometry["coordinates"]
    if kind == "Point":
        check_position(coordinates)
    elif kind in ("MultiPoint", "LineString"):
        assert isinstance(coordinates, list)
        if kind == "LineString":
            assert len(coordinates) >= 2  # 3.1.4
        for position in coordinates:
            check_position(position)
    else:  # the multi-part and polygon types are never written
        pytest.fail(f"unexpected geometry {kind}")


def check_feature_collection(document: Any) -> None:
    """RFC 7946 3.2 and 3.3; section 4: no "crs" member; JSON (7159) all through."""
    json.loads(json.dumps(document, allow_nan=False))  # plain JSON: no NaN, no infinity
    assert isinstance(document, dict)
    assert document["type"] == "FeatureCollection"
    assert "crs" not in document
    assert isinstance(document["features"], list)
    for feature in document["features"]:
        assert isinstance(feature, dict)
        assert feature["type"] == "Feature"
        assert "geometry" in feature
        assert "properties" in feature
        assert feature["properties"] is None or isinstance(feature["properties"], dict)
        if "id" in feature:
            assert isinstance(feature["id"], str | int)
        if feature["geometry"] is not None:
            check_geometry(feature["geometry"])
        for member in ("coordinates", "geometries", "features"):  # 7.1: no GeoJSON members
            assert member not in feature
    ids = [f["id"] for f in document["features"] if "id" in f]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("options", [{}, {"known_at": "2024-12-09"}, {"as_of": "2024-12-07"}])
def test_the_seed_is_valid_geojson(options: dict[str, str]) -> None:
    check_feature_collection(to_geojson(assad_2024(), **options))


def test_the_validator_refuses_latitude_first() -> None:
    bad = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point",
                                                           "coordinates": [55.75, 137.6]}}]}
    with pytest.raises(AssertionError):
        check_feature_collection(bad)


def test_points_are_longitude_then_latitude_with_properties() -> None:
    collection = to_geojson(assad_2024())
    moscow = next(f for f in collection["features"] if f["id"] == "moscow")
    assert moscow["geometry"] == {"type": "Point", "coordinates": [37.61781, 55.75204]}
    assert moscow["properties"] == {
        "id": "moscow", "subjects": ["bashar", "assad-family"],
        "names": ["Bashar al-Assad", "Assad family"], "kind": "arrived at", "place": "Moscow",
        "place_key": "geonames:524901", "place_kind": "city", "country": "RU",
        "when": "2024-12-08/..",
        "earliest": "2024-12-08T00:00:00+00:00", "latest": None, "throughout": False,
        "reported": "2024-12-08",
        "source": "a Kremlin source → Caliber.Az", "grading": "C2", "note": "", "after": [],
        "status": "last known",
        "statuses": {"bashar": "last known", "hafez": "last known", "asma": "last known",
                     "assad-family": "last known"},
    }


def test_a_route_is_a_line_through_where_they_were_and_a_dotted_leg_where_they_headed() -> None:
    collection = to_geojson(assad_2024())
    solid, heading = [f for f in collection["features"]
                      if f["properties"].get("itinerary") == "bashar"]
    assert solid["id"] == "itinerary:bashar:1"
    assert solid["geometry"]["coordinates"] == [[36.29128, 33.5102], [37.61781, 55.75204]]
    assert solid["properties"]["observations"] == ["aides-join", "flight", "moscow", "asylum"]
    assert solid["properties"]["style"] == "solid"
    # "heading to Hmeimim" is not an arrival: a dotted leg, and the route goes on from
    # Damascus, the last place he was ("departed Syria", inside it, does not move it)
    assert heading["geometry"]["coordinates"] == [[36.29128, 33.5102], [35.9487, 35.4011]]
    assert (heading["properties"]["style"], heading["properties"]["status"]) == (
        "dotted", "heading")


def test_known_at_as_of_retractions_and_corrections(paper: Source) -> None:
    ledger = Ledger(gazetteer=NoGazetteer())
    ledger.add_person("Amal", id="amal")
    beirut = Place.city("Beirut", country="LB", point=(33.89, 35.50))
    dubai = Place.city("Dubai", country="AE", point=(25.2, 55.27))
    first = ledger.observe("amal", Kind.SEEN_AT, place=beirut, when="2024-12-01", source=paper,
                           reported="2024-12-02")
    ledger.observe("amal", Kind.SEEN_AT, place=Place.from_country("AE"), when="2024-12-05",
                   source=paper, reported="2024-12-06")
    ledger.correct(first, source=paper, reported="2024-12-10", place=dubai)

    def ids(**options: str) -> list[str]:
        collection = to_geojson(ledger, **options)
        check_feature_collection(collection)
        return [f["id"] for f in collection["features"]]

    assert ids() == ["o3"]  # o1 corrected by o3; o2 is a country, without a point
    assert ids(known_at="2024-12-03") == ["o1"]
    assert ids(as_of="2024-11-30") == []
    assert to_geojson(ledger)["skipped"] == 1
    ledger.retract("o3", source=paper, reported="2024-12-11")
    assert ids() == []
    assert ids(known_at="2024-12-10") == ["o3"]


def test_a_place_without_a_point_takes_its_parents() -> None:
    ledger = Ledger(gazetteer=NoGazetteer())
    ledger.add_person("Amal", id="amal")
    city = Place.city("Beirut", country="LB", point=(33.89, 35.50))
    ledger.observe("amal", Kind.TREATED, place=Place.facility("a clinic", parent=city),
                   source="wire", reported="2024-12-02")
    (feature,) = to_geojson(ledger)["features"]
    assert feature["geometry"]["coordinates"] == [35.50, 33.89]


def test_write_geojson(tmp_path: Path) -> None:
    path = tmp_path / "seed.geojson"
    write_geojson(assad_2024(), path, known_at="2024-12-31")
    check_feature_collection(json.loads(path.read_text(encoding="utf-8")))


def test_denials_unknown_report_dates_stays_and_attempts(paper: Source) -> None:
    ledger = Ledger(gazetteer=NoGazetteer())
    ledger.add_person("Amal", id="amal")
    beirut = Place.city("Beirut", country="LB", point=(33.89, 35.50))
    cairo = Place.city("Cairo", country="EG", point=(30.04, 31.24))
    dubai = Place.city("Dubai", country="AE", point=(25.2, 55.27))
    ledger.observe("amal", Kind.DETAINED, place=beirut, when="2024-11-19/2024-12-01",
                   throughout=True, source=paper, reported="2024-12-02", id="held")
    ledger.observe("amal", Kind.REFUSED_ENTRY, place=cairo, when="2024-12-03", source=paper,
                   reported="2024-12-04", id="refused")
    ledger.observe("amal", Kind.SEEN_AT, place=dubai, when="2024-12-05",
                   source=Source("a cousin"), id="dubai")

    def features(**options: str) -> dict[str, Any]:
        collection = to_geojson(ledger, **options)
        check_feature_collection(collection)
        return {f["id"]: f for f in collection["features"]}

    found = features()
    assert list(found) == ["held", "refused", "dubai", "itinerary:amal:1"]
    assert found["held"]["properties"]["throughout"] is True
    assert found["dubai"]["properties"]["reported"] is None
    assert found["refused"]["properties"]["status"] == "not made"
    assert found["dubai"]["properties"]["status"] == "last known"
    assert found["itinerary:amal:1"]["properties"]["observations"] == ["held", "dubai"]
    assert list(features(known_at="2024-12-31")) == ["held", "refused"]  # report date unknown
    ledger.deny("held", source="a guard", reported="2024-12-10")
    assert list(features()) == ["refused", "dubai"]
    assert list(features(known_at="2024-12-09")) == ["held", "refused"]


def test_every_feature_has_a_status_and_alternatives_are_points_of_their_own() -> None:
    collection = to_geojson(assad_2024(), country_centres=True)
    check_feature_collection(collection)
    features = {f["id"]: f for f in collection["features"]}
    assert all(f["properties"]["status"] in ("located", "last known", "candidate",
                                             "alternative", "heading", "not made", "died")
               for f in features.values())
    assert [features[i]["properties"]["place"] for i in ("maher-then#1", "maher-then#2")] == [
        "Iraq", "Russia"]
    assert features["maher-then#2"]["properties"]["status"] == "alternative"
    assert features["maher-then#2"]["properties"]["either"] == "Iraq or Russia"
    assert features["maher-then#2"]["properties"]["placed"] == "placed at the country's centre"
    assert features["left-syria"]["properties"]["statuses"] == {"bashar": "located"}
    assert collection["attribution"] == (
        "Contains data from GeoNames (www.geonames.org), CC BY 4.0. "
        "Country centres from Natural Earth (public domain).")
    # the region "European countries" has no one point: only its other option is drawn
    assert "aides-scatter#1" not in features
    assert features["aides-scatter#2"]["properties"]["place"] == "United Arab Emirates"


def test_conflicting_sightings_on_one_day_are_never_joined_by_a_line() -> None:
    ledger = Ledger(gazetteer=NoGazetteer())
    ledger.add_person("Amal", id="amal")
    damascus = Place.city("Damascus", country="SY", point=(33.51, 36.28))
    beirut = Place.city("Beirut", country="LB", point=(33.89, 35.50))
    dubai = Place.city("Dubai", country="AE", point=(25.2, 55.27))
    ledger.observe("amal", Kind.SEEN_AT, place=damascus, when="2024-12-01", source="a",
                   id="damascus")
    ledger.observe("amal", Kind.SEEN_AT, place=beirut, when="2024-12-05", source="b", id="b")
    ledger.observe("amal", Kind.SEEN_AT, place=dubai, when="2024-12-05", source="c", id="d")
    collection = to_geojson(ledger)
    check_feature_collection(collection)
    features = {f["id"]: f for f in collection["features"]}
    assert features["b"]["properties"]["status"] == "candidate"
    assert features["d"]["properties"]["status"] == "candidate"
    lines = [f for f in collection["features"] if f["geometry"]["type"] == "LineString"]
    assert sorted((f["properties"]["style"], f["geometry"]["coordinates"][1]) for f in lines) == [
        ("dashed", [35.50, 33.89]), ("dashed", [55.27, 25.2])]
    assert all(f["geometry"]["coordinates"][0] == [36.28, 33.51] for f in lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(version_2=True, max_entries=14), st.booleans())
def test_no_segment_joins_two_candidates_of_one_person(ledger: Ledger, centres: bool) -> None:
    """Over generated ledgers: valid GeoJSON; a solid route passes only through places
    someone was; no line runs between two candidates (or options) of one person,
    unless one of them is also a place that person certainly was."""
    collection = to_geojson(ledger, country_centres=centres)
    check_feature_collection(collection)
    points = [f for f in collection["features"] if f["geometry"]["type"] == "Point"]
    for line in (f for f in collection["features"] if f["geometry"]["type"] == "LineString"):
        who = line["properties"]["itinerary"]
        status_at: dict[tuple[float, ...], set[str]] = {}
        for point in points:
            status = point["properties"]["statuses"].get(who)
            if status is not None:
                status_at.setdefault(tuple(point["geometry"]["coordinates"]), set()).add(status)
        certain = {"located", "last known", "died"}
        coordinates = [tuple(c) for c in line["geometry"]["coordinates"]]
        if line["properties"]["style"] == "solid":
            assert all(status_at.get(c, set()) & certain for c in coordinates), line
        for a, b in pairwise(coordinates):
            only_a, only_b = status_at.get(a, set()), status_at.get(b, set())
            assert not (only_a and only_b and only_a <= {"candidate", "alternative"}
                        and only_b <= {"candidate", "alternative"}), line
