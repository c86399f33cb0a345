"""The HTML route map in a real browser: headless Chromium with the network cut.

The page is opened from a file by Debian's ``chromium`` (installed by ``.ci/run``)
behind a dead proxy, so nothing can load from the network; Chromium writes a
screenshot, the page's DOM after its scripts ran, and its NetLog (every request
it made). The tests check colours at the pixels where known places project
(Web Mercator, computed here, from the zoom and centre the page reports), and
that the page itself requested nothing: a control page with one remote image
shows that such a request would be seen.
"""

from __future__ import annotations

import html
import json
import math
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from whereabouts.examples import assad_2024
from whereabouts.pictures import _routes, maps

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="needs Debian's chromium (apt-get install chromium; .ci/run installs it)")

WIDTH, HEIGHT = 1200, 800
SIDE = 300
"""The page's side panel (``#side``), right of the map, at this width."""


class Shot:
    """A page rendered by headless Chromium: its pixels, its DOM, its requests."""

    def __init__(self, page: Path, folder: Path) -> None:
        assert CHROMIUM is not None
        screenshot, netlog = folder / "shot.png", folder / "netlog.json"
        run = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
             f"--user-data-dir={folder / 'profile'}", f"--window-size={WIDTH},{HEIGHT}",
             "--virtual-time-budget=5000", f"--log-net-log={netlog}",
             f"--screenshot={screenshot}", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=120, check=False)
        assert screenshot.exists(), run.stderr[-2000:]
        self.dom = run.stdout
        from matplotlib import image

        self.pixels = (image.imread(screenshot)[:, :, :3] * 255).round().astype(int)
        self.requests = _page_requests(netlog)

    def attribute(self, name: str) -> Any:
        found = re.search(rf'{name}="([^"]*)"', self.dom)
        assert found is not None, f"the page did not set {name}: its scripts did not run"
        return json.loads(html.unescape(found.group(1)))

    def colours(self, x: float, y: float, radius: int = 2) -> set[str]:
        cx, cy = round(x), round(y)
        return {"#{:02x}{:02x}{:02x}".format(*self.pixels[cy + dy, cx + dx])
                for dx in range(-radius, radius + 1) for dy in range(-radius, radius + 1)}


def _page_requests(netlog: Path) -> list[str]:
    """The URLs the page asked for (not the browser's own update checks): requests
    whose site is the page's, ``file://``."""
    text = netlog.read_text(encoding="utf-8")
    try:
        log = json.loads(text)
    except json.JSONDecodeError:  # Chromium may exit before closing the JSON
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    found = []
    for event in log["events"]:
        params = event.get("params", {})
        if types.get(event["type"]) == "URL_REQUEST_START_JOB" and "url" in params:
            site = str(params.get("site_for_cookies", "")) + str(
                params.get("network_isolation_key", ""))
            if "file://" in site:
                found.append(params["url"])
    return found


def _project(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Web Mercator (EPSG:3857) pixels at ``zoom``, as Leaflet's default CRS has it."""
    size = 256 * 2 ** zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return size * (lon + 180) / 360, size * (0.5 - y / (2 * math.pi))


def _pixel(shot: Shot, lat: float, lon: float) -> tuple[float, float]:
    view = shot.attribute("data-view")
    assert view["origin"] == [0, 0]
    x, y = _project(lat, lon, view["zoom"])
    cx, cy = _project(*view["center"], view["zoom"])
    width, height = shot.pixels.shape[1] - SIDE, shot.pixels.shape[0]
    return x - cx + width / 2, y - cy + height / 2


@pytest.fixture(scope="module")
def shot(tmp_path_factory: pytest.TempPathFactory) -> Shot:
    folder = tmp_path_factory.mktemp("browser")
    page = folder / "case.html"
    maps.save_route_map(assad_2024(), page)
    return Shot(page, folder)


def test_every_script_ran_and_drew_every_route_offline(shot: Shot) -> None:
    assert shot.attribute("data-drawn") == {"routes": 14, "marks": 28, "lines": 12}


def test_the_page_requested_nothing_from_the_network(shot: Shot) -> None:
    assert [u for u in shot.requests if not u.startswith(("file:", "data:"))] == []


def test_a_remote_request_would_have_been_seen(tmp_path: Path) -> None:
    page = tmp_path / "control.html"
    page.write_text('<!DOCTYPE html><img src="http://example.com/x.png">', encoding="utf-8")
    assert "http://example.com/x.png" in Shot(page, tmp_path).requests


def test_routes_markers_and_countries_at_their_pixels(shot: Shot) -> None:
    colours = {r.entity.id: r.colour for r in _routes.build(assad_2024()).routes}
    # Moscow: the last known place of four routes, stacked; the top one in the middle
    assert colours["assad-family"] in shot.colours(*_pixel(shot, 55.75204, 37.61781), 1)
    # half way (in Mercator) along the solid line Damascus -> Moscow: Bashar under Hafez
    x0, y0 = _pixel(shot, 33.5102, 36.29128)
    x1, y1 = _pixel(shot, 55.75204, 37.61781)
    middle = shot.colours((x0 + x1) / 2, (y0 + y1) / 2, 4)
    assert {colours["bashar"], colours["hafez"]} <= middle
    # Maher's option "Russia", at the country's centre: hollow, ringed in his colour
    lon, lat = _routes.outlines()["countries"]["RU"]["centre"]
    russia = _pixel(shot, lat, lon)
    assert "#ffffff" in shot.colours(*russia, 1)
    assert colours["maher"] in shot.colours(*russia, 9)
    # Dubai: Shaaban's last known place, under Iyad's hollow "heading" point
    assert colours["shaaban"] in shot.colours(*_pixel(shot, 25.07725, 55.30927), 12)
    # countries filled, the sea behind them, where no route passes
    assert shot.colours(*_pixel(shot, 48.0, 67.0), 0) == {maps.LAND}  # Kazakhstan
    assert shot.colours(*_pixel(shot, 43.2, 34.0), 0) == {maps.SEA}  # the Black Sea


def test_a_tile_background_is_the_only_thing_requested_when_asked_for(tmp_path: Path) -> None:
    page = tmp_path / "tiles.html"
    page.write_text(maps.route_map_html(assad_2024(), "Bashar al-Assad", tiles="osm"),
                    encoding="utf-8")
    found = Shot(page, tmp_path)
    assert found.attribute("data-drawn")["marks"] == 4  # drawn though no tile could load
    hosts = {re.sub(r"^https?://([^/]+)/.*", r"\1", u) for u in found.requests
             if u.startswith("http")}
    assert hosts == {"tile.openstreetmap.org"}


def test_a_popup_gives_the_evidence(tmp_path: Path) -> None:
    page = tmp_path / "case.html"
    maps.save_route_map(assad_2024(), page)
    opened = tmp_path / "opened.html"  # the same page, asked to open Bashar's 4th point
    opened.write_bytes(page.read_bytes())
    assert CHROMIUM is not None
    run = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--proxy-server=127.0.0.1:9", f"--user-data-dir={tmp_path / 'profile'}",
         "--window-size=1200,800", "--virtual-time-budget=5000", "--dump-dom",
         opened.as_uri() + "#open=1.4"],
        capture_output=True, text=True, timeout=120, check=False)
    popup = re.search(r'<div class="wb-popup">(.*?)</table>', run.stdout, re.S)
    assert popup is not None, run.stderr[-2000:]
    text = re.sub(r"<[^>]+>", " ", html.unescape(popup.group(1)))
    for wanted in ("Bashar al-Assad", "Moscow (RU)", "last known place", "2024-12-08/..",
                   "arrived at Moscow", "a Kremlin source → Caliber.Az", "reported 2024-12-08",
                   "C2", "granted asylum in Moscow"):
        assert wanted in text
