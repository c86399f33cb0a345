"""Route maps: what is drawn how (the route model), the HTML page, PNG and SVG pictures
checked by their pixels and elements, and bad input."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from whereabouts import Kind, Ledger, Place, Source
from whereabouts.errors import UnknownEntity
from whereabouts.examples import assad_2024
from whereabouts.pictures import _routes, maps

from .conftest import NoGazetteer
from .strategies import ledgers

BEIRUT = Place.city("Beirut", country="LB", point=(33.8938, 35.5018))
DUBAI = Place.city("Dubai", country="AE", point=(25.2048, 55.2708))
CAIRO = Place.city("Cairo", country="EG", point=(30.0444, 31.2357))
MOSCOW = Place.city("Moscow", country="RU", point=(55.7558, 37.6173))
DAMASCUS = Place.city("Damascus", country="SY", point=(33.5138, 36.2765))


def _ledger() -> Ledger:
    ledger = Ledger(gazetteer=NoGazetteer())
    ledger.add_person("Amal Haddad", id="amal")
    return ledger


def _route(ledger: Ledger, who: str = "amal") -> _routes.Route:
    (route,) = _routes.build(ledger, who).routes
    return route


# -- the route model ---------------------------------------------------------------

def test_two_conflicting_sightings_on_one_day_are_candidates_not_a_journey() -> None:
    ledger = _ledger()
    ledger.observe("amal", Kind.SEEN_AT, place=DAMASCUS, when="2024-12-01", source="a",
                   id="before")
    ledger.observe("amal", Kind.SEEN_AT, place=BEIRUT, when="2024-12-05", source="b",
                   id="beirut")
    ledger.observe("amal", Kind.SEEN_AT, place=DUBAI, when="2024-12-05", source="c",
                   id="dubai")
    route = _route(ledger)
    statuses = {m.place: m.status for m in route.marks}
    assert statuses == {"Damascus (SY)": "located", "Beirut (LB)": "candidate",
                        "Dubai (AE)": "candidate"}
    assert all(m.last_known for m in route.marks if m.status == "candidate")
    # each candidate joined to Damascus by a dashed line; none to the other
    assert sorted((leg.style, route.marks[leg.marks[1]].place) for leg in route.legs) == [
        ("dashed", "Beirut (LB)"), ("dashed", "Dubai (AE)")]
    assert all(route.marks[leg.marks[0]].place == "Damascus (SY)" for leg in route.legs)
    assert route.paths == ()


def test_the_route_goes_on_from_each_candidate_dashed_then_solid() -> None:
    ledger = _ledger()
    ledger.observe("amal", Kind.SEEN_AT, place=DAMASCUS, when="2024-12-01", source="a")
    ledger.observe("amal", Kind.SEEN_AT, place=BEIRUT, when="2024-12-05", source="b")
    ledger.observe("amal", Kind.SEEN_AT, place=DUBAI, when="2024-12-05", source="c")
    ledger.observe("amal", Kind.ARRIVED, place=MOSCOW, when="2024-12-09", source="d")
    ledger.observe("amal", Kind.SEEN_AT, place=CAIRO, when="2024-12-12", source="d")
    route = _route(ledger)
    styles = [(route.marks[a].place, route.marks[b].place, leg.style)
              for leg in route.legs for a, b in [leg.marks]]
    assert styles == [("Damascus (SY)", "Beirut (LB)", "dashed"),
                      ("Damascus (SY)", "Dubai (AE)", "dashed"),
                      ("Beirut (LB)", "Moscow (RU)", "dashed"),
                      ("Dubai (AE)", "Moscow (RU)", "dashed"),
                      ("Moscow (RU)", "Cairo (EG)", "solid")]
    assert route.paths == ((MOSCOW.point[::-1], CAIRO.point[::-1]),)


def test_two_disputes_in_a_row_join_the_last_certain_place_not_each_other() -> None:
    ledger = _ledger()
    ledger.observe("amal", Kind.SEEN_AT, place=DAMASCUS, when="2024-12-01", source="a")
    ledger.observe("amal", Kind.SEEN_AT, place=BEIRUT, when="2024-12-05", source="b")
    ledger.observe("amal", Kind.SEEN_AT, place=DUBAI, when="2024-12-05", source="c")
    ledger.observe("amal", Kind.SEEN_AT, place=MOSCOW, when="2024-12-09", source="d")
    ledger.observe("amal", Kind.SEEN_AT, place=CAIRO, when="2024-12-09", source="e")
    route = _route(ledger)
    assert [(route.marks[a].place, route.marks[b].place) for leg in route.legs
            for a, b in [leg.marks]] == [
        ("Damascus (SY)", "Beirut (LB)"), ("Damascus (SY)", "Dubai (AE)"),
        ("Damascus (SY)", "Moscow (RU)"), ("Damascus (SY)", "Cairo (EG)")]
    assert {leg.style for leg in route.legs} == {"dashed"}


def test_x_or_y_is_two_options_joined_to_the_last_certain_place() -> None:
    ledger = assad_2024()
    route = _route(ledger, "maher")
    assert [(m.place, m.status, m.fork, m.placed) for m in route.marks] == [
        ("Iraq", "located", 0, "placed at the country's centre"),
        ("Iraq", "alternative", 1, "placed at the country's centre"),
        ("Russia", "alternative", 1, "placed at the country's centre")]
    (leg,) = route.legs  # Iraq -> Iraq has no length; Iraq -> Russia is dashed
    assert (leg.marks, leg.style) == ((0, 2), "dashed")


def test_heading_is_dotted_and_the_route_goes_on_from_where_they_were() -> None:
    route = _route(assad_2024(), "bashar")
    assert [(m.place, m.status) for m in route.marks] == [
        ("Damascus (SY)", "located"), ("Hmeimim air base (SY)", "heading"),
        ("Syria", "located"), ("Moscow (RU)", "last known")]
    assert [(leg.marks, leg.style) for leg in route.legs] == [((0, 1), "dotted"),
                                                             ((0, 3), "solid")]
    assert route.headline == "Bashar al-Assad: in Moscow (RU), since 2024-12-08/.."


def test_attempts_are_not_made_and_no_line_reaches_them(paper: Source) -> None:
    ledger = _ledger()
    ledger.observe("amal", Kind.DETAINED, place=BEIRUT, when="2024-11-19/2024-12-01",
                   throughout=True, source=paper, reported="2024-12-02", id="held")
    ledger.observe("amal", Kind.REFUSED_ENTRY, place=CAIRO, when="2024-12-03", source=paper,
                   reported="2024-12-04", id="refused")
    ledger.observe("amal", Kind.SEEN_AT, place=DUBAI, when="2024-12-05", source=paper,
                   reported="2024-12-06", id="dubai")
    route = _route(ledger)
    marks = {m.place: m for m in route.marks}
    assert marks["Cairo (EG)"].status == "not made"
    assert marks["Beirut (LB)"].stay
    assert marks["Dubai (AE)"].status == "last known"
    cairo = route.marks.index(marks["Cairo (EG)"])
    assert all(cairo not in leg.marks for leg in route.legs)
    assert route.paths == ((BEIRUT.point[::-1], DUBAI.point[::-1]),)


def test_unknown_whereabouts_and_long_gaps_break_the_line() -> None:
    ledger = _ledger()
    ledger.observe("amal", Kind.SEEN_AT, place=BEIRUT, when="2024-01-01", source="a")
    ledger.observe("amal", Kind.WHEREABOUTS_UNKNOWN, when="2024-01-03", source="a")
    ledger.observe("amal", Kind.SEEN_AT, place=DUBAI, when="2024-01-05", source="a")
    ledger.observe("amal", Kind.SEEN_AT, place=CAIRO, when="2024-01-06", source="a")
    ledger.observe("amal", Kind.SEEN_AT, place=MOSCOW, when="2024-09-06", source="a")
    route = _route(ledger)
    assert route.paths == ((DUBAI.point[::-1], CAIRO.point[::-1]),)
    assert len(route.legs) == 1
    assert route.notes == ("whereabouts unknown (2024-01-03, o2)",)
    assert [m.last_known for m in route.marks] == [False, False, False, True]


def test_places_without_points_and_what_is_left_out() -> None:
    ledger = _ledger()
    ledger.observe("amal", Kind.SEEN_AT, place=Place.from_country("LB"), when="2024-01-01",
                   source="a", id="lb")
    ledger.observe("amal", Kind.SEEN_AT, place=Place.region("the Gulf", ["AE", "SA"]),
                   when="2024-01-02", source="a", id="gulf")
    ledger.observe("amal", Kind.SEEN_AT, place=Place.craft("MV Example"), when="2024-01-03",
                   source="a", id="ship")
    ledger.observe("amal", Kind.SEEN_AT, place=Place.from_country("BH"), when="2024-01-04",
                   source="a", id="bahrain")  # too small for the 1:110m outlines
    model = _routes.build(ledger)
    (mark,) = model.routes[0].marks
    assert (mark.place, mark.placed) == ("Lebanon", "placed at the country's centre")
    assert [(o.observation, o.reason) for o in model.left_out] == [
        ("gulf", "a region of 2 countries has no one point"),
        ("ship", "a craft with no position given"),
        ("bahrain", "no point of its own, and BH is too small for the 1:110m outlines")]
    assert model.report()[1] == "Amal Haddad: MV Example (ship): a craft with no position given"


def test_every_outline_centre_lies_in_its_country() -> None:
    countries = _routes.outlines()["countries"]
    assert len(countries) == 175
    assert {"FR", "NO", "XK", "SY", "RU"} <= set(countries)  # Natural Earth's -99s have codes
    for code in ("SY", "RU", "FR", "LB", "CL", "NO", "ID", "US"):
        lon, lat = countries[code]["centre"]
        found = any(_inside(lon, lat, polygon) for polygon in countries[code]["polygons"])
        assert found, code


def _inside(x: float, y: float, rings: list[list[list[float]]]) -> bool:
    hit = False
    for ring in rings:
        for (x0, y0), (x1, y1) in pairwise(ring):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                hit = not hit
    return hit


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(version_2=True, max_entries=14))
def test_no_line_joins_two_candidates_or_reaches_an_attempt(ledger: Ledger) -> None:
    for route in _routes.build(ledger).routes:
        for leg in route.legs:
            a, b = (route.marks[n] for n in leg.marks)
            assert not (a.fork and b.fork), (a, b)  # never candidate to candidate
            assert "not made" not in (a.status, b.status)
            if leg.style == "solid":
                assert a.status in ("located", "last known")
                assert b.status in ("located", "last known", "died")
            if "heading" in (a.status, b.status) and not (a.fork or b.fork):
                assert leg.style == "dotted"  # (one of several: dashed, as candidates are)
        vertices = {p for path in route.paths for p in path}
        certain = {m.point for m in route.marks if m.status in ("located", "last known", "died")}
        assert vertices <= certain


# -- HTML --------------------------------------------------------------------------

def test_the_page_is_self_contained_and_forbids_every_fetch() -> None:
    page = maps.route_map_html(assad_2024())
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert policy is not None
    assert policy.group(1).startswith("default-src 'none';")
    assert "img-src data:" in policy.group(1)
    assert not re.search(r"<(script|link|img|iframe)[^>]*\b(src|href)=", page)
    assert "Leaflet 1.9.4" in page
    assert "BSD-2-Clause" in page
    assert len(page.encode("utf-8")) < 1_000_000
    data = json.loads(re.search(r'id="wb-data">(.*?)</script>', page, re.S).group(1))
    assert [r["n"] for r in data["routes"]][:3] == ["Bashar al-Assad", "Hafez al-Assad",
                                                   "Asma al-Assad"]
    moscow = data["routes"][0]["m"][-1]
    evidence = [data["evidence"][n] for n in moscow[6]]
    assert [e[0] for e in evidence] == ["2024-12-08/..", "2024-12-08/.."]  # as written
    strings = data["strings"]
    assert (evidence[0][1], strings[evidence[0][2]], evidence[0][3]) == (
        "arrived at Moscow", "a Kremlin source → Caliber.Az", "C2")
    assert "Europe (aides-scatter): a region of 45 countries has no one point" in page


def test_text_from_the_ledger_cannot_break_out_of_the_page() -> None:
    ledger = _ledger()
    ledger.add_person("</script><script>alert(1)</script>", id="bad")
    ledger.observe("bad", Kind.SEEN_AT, place=BEIRUT, when="2024-01-01",
                   source="<img src=x onerror=alert(1)>", note="</script>")
    page = maps.route_map_html(ledger)
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page


def test_a_tile_background_only_when_asked_for_and_allowed_for_that_server_only() -> None:
    ledger = assad_2024()
    assert "openstreetmap" not in maps.route_map_html(ledger)
    page = maps.route_map_html(ledger, tiles="osm")
    assert "img-src data: https://tile.openstreetmap.org\"" in page
    page = maps.route_map_html(ledger, tiles="https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    assert "img-src data: https://*.tiles.example.org\"" in page
    with pytest.raises(maps.MapError, match="tiles"):
        maps.route_map_html(ledger, tiles="javascript:alert(1)")


# -- bad input ---------------------------------------------------------------------

def test_a_person_not_in_the_ledger_is_the_ledgers_own_error() -> None:
    with pytest.raises(UnknownEntity, match="Nobody Atall"):
        maps.route_map_html(assad_2024(), ["Bashar al-Assad", "Nobody Atall"])


@pytest.mark.parametrize("suffix", [".html", ".png", ".svg"])
def test_an_empty_ledger_makes_a_map_that_says_so(tmp_path: Path, suffix: str) -> None:
    report = maps.save_route_map(Ledger(), tmp_path / f"empty{suffix}")
    assert report.nothing_to_draw == "Nothing to draw: the ledger has no one in it."
    data = (tmp_path / f"empty{suffix}").read_bytes()
    if suffix == ".svg":
        assert b"Nothing to draw: the ledger has no one in it." in data
    elif suffix == ".html":
        assert data.count(b"Nothing to draw: the ledger has no one in it.") == 2


def test_places_without_coordinates_are_listed_on_the_picture(tmp_path: Path) -> None:
    ledger = _ledger()
    ledger.observe("amal", Kind.SEEN_AT, place=Place.craft("MV Example"), source="a")
    report = maps.save_route_map(ledger, tmp_path / "ship.svg")
    assert report.nothing_to_draw == ("Nothing to draw: no claim about these people has a "
                                      "place that can be shown.")
    assert [str(item) for item in report.left_out] == [
        "Amal Haddad: MV Example (o1): a craft with no position given"]
    svg = (tmp_path / "ship.svg").read_text(encoding="utf-8")
    assert "Not drawn (1)" in svg
    assert "MV Example (o1)" in svg


def test_an_unknown_file_type_is_refused(tmp_path: Path) -> None:
    with pytest.raises(maps.MapError, match=r"\.html, \.png or \.svg"):
        maps.save_route_map(assad_2024(), tmp_path / "case.pdf")
    assert not (tmp_path / "case.pdf").exists()


# -- PNG and SVG -------------------------------------------------------------------

def _pixel(report: maps.MapReport, lon: float, lat: float) -> tuple[int, int]:
    """Where a place is in the picture, from the report's extent and frame alone."""
    assert report.extent is not None
    assert report.frame is not None
    west, south, east, north = report.extent
    left, top, right, bottom = report.frame
    return (round(left + (lon - west) / (east - west) * (right - left)),
            round(top + (north - lat) / (north - south) * (bottom - top)))


def _hex(rgb: tuple[int, ...]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb[:3])


def _near(image: object, x: int, y: int, radius: int = 2) -> set[str]:
    return {_hex(image.getpixel((x + dx, y + dy)))  # type: ignore[attr-defined]
            for dx in range(-radius, radius + 1) for dy in range(-radius, radius + 1)}


def test_the_png_map_by_its_pixels(tmp_path: Path) -> None:
    from matplotlib import image as mpimg

    path = tmp_path / "case.png"
    report = maps.save_route_map(assad_2024(), path)
    pixels = (mpimg.imread(path)[:, :, :3] * 255).round().astype(int)

    class Image:
        @staticmethod
        def getpixel(xy: tuple[int, int]) -> tuple[int, ...]:
            return tuple(pixels[xy[1], xy[0]])

    colours = {r.entity.id: r.colour for r in _routes.build(assad_2024()).routes}
    moscow = _pixel(report, 37.61781, 55.75204)
    # the last known place of four routes: the top one's colour at the centre
    assert _near(Image, *moscow, radius=1) & {colours["assad-family"]}
    # the solid line Damascus -> Moscow, half way, in Bashar's and Hafez's colours
    middle = _pixel(report, (36.29128 + 37.61781) / 2, (33.5102 + 55.75204) / 2)
    assert {colours["bashar"], colours["hafez"]} <= _near(Image, *middle, radius=4)
    # Maher's option "Russia", at the country's centre: a white diamond ringed in purple
    russia = _pixel(report, *_routes.outlines()["countries"]["RU"]["centre"])
    assert "#ffffff" in _near(Image, *russia, radius=1)
    assert colours["maher"] in _near(Image, *russia, radius=7)
    # land and sea where there are no routes: Kazakhstan's steppe, the Black Sea
    assert _near(Image, *_pixel(report, 67.0, 48.0), radius=0) == {maps.LAND}
    assert _near(Image, *_pixel(report, 34.0, 43.2), radius=0) == {maps.SEA}
    assert pixels.shape[:2] == (750, 1200)


def test_the_svg_map_is_xml_with_the_expected_elements(tmp_path: Path) -> None:
    path = tmp_path / "case.svg"
    maps.save_route_map(assad_2024(), path, people=["Bashar al-Assad", "Maher"])
    tree = ET.parse(path)
    ns = "{http://www.w3.org/2000/svg}"
    root = tree.getroot()
    assert root.tag == f"{ns}svg"
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{ns}text"))
    for wanted in ("Bashar al-Assad", "Maher al-Assad", "Moscow (RU)", "Key",
                   "heading to (arrival not reported)", "Natural Earth"):
        assert wanted in text
    styles = " ".join(p.get("style", "") for p in root.iter(f"{ns}path"))
    assert "stroke: #d62728" in styles  # Bashar's route
    assert "stroke: #1f77b4" in styles  # Maher's
    assert "stroke-dasharray" in styles  # Maher's dashed options, the dotted heading
    land = [p for p in root.iter(f"{ns}path") if f"fill: {maps.LAND}" in p.get("style", "")]
    assert len(land) > 20  # the country outlines in view


def test_the_image_function_and_its_format_check() -> None:
    png = maps.route_map_image(assad_2024(), "Asma al-Assad")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = maps.route_map_image(assad_2024(), "Asma al-Assad", format="SVG")
    ET.parse(io.BytesIO(svg))
    with pytest.raises(maps.MapError, match="png or svg"):
        maps.route_map_image(assad_2024(), format="gif")


# -- nothing eagerly ---------------------------------------------------------------

def test_importing_whereabouts_imports_no_picture_code_nor_matplotlib() -> None:
    code = ("import sys, whereabouts, whereabouts.io; "
            "print(sorted(m for m in sys.modules if m.startswith(('whereabouts.pictures', "
            "'matplotlib'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_the_html_map_needs_no_matplotlib() -> None:
    code = ("import sys; from whereabouts.examples import assad_2024; "
            "from whereabouts.pictures import maps; maps.route_map_html(assad_2024()); "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
