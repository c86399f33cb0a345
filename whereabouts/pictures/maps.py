"""Route maps of a ledger: an HTML page that works offline, and PNG or SVG pictures.

>>> from whereabouts.examples import assad_2024
>>> page = route_map_html(assad_2024())
>>> page.startswith("<!DOCTYPE html>"), "default-src 'none'" in page
(True, True)

Each person's route is drawn in its own colour over the country outlines
shipped with the package (Natural Earth 1:110m). What the ledger knows shows
as it is (the rules are in ``docs/pictures.md`` and
:mod:`whereabouts.pictures._routes`): solid lines join places in a known
order; a disputed position, or one option of "X or Y", is a point joined by a
dashed line to the last certain one, never to another candidate; "heading to"
is dotted; attempts are points marked "not made", with no line; unknown
whereabouts and long gaps break the line; stays and the last known place are
marked. Every point's popup (HTML) gives the claims behind it: the date as
written, the claim, the source and its grade.

The HTML page inlines Leaflet 1.9.4 (BSD-2-Clause) and the outlines, and its
Content-Security-Policy forbids every fetch: it opens from a file, offline,
and asks nothing of the network. Only ``tiles=`` adds a background from a tile
server (then allowed by the policy for that server alone), which needs a
network when the page is viewed. PNG and SVG need matplotlib
(``pip install "whereabouts[plots]"``), imported only when one is drawn.

>>> report = route_map_report(assad_2024())
>>> report.people[:2], len(report.left_out), report.nothing_to_draw
(('Bashar al-Assad', 'Hafez al-Assad'), 2, None)
"""

from __future__ import annotations

import html
import io
import json
import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import attrs

from whereabouts._optional import matplotlib as matplotlib_module
from whereabouts.entities import Entity
from whereabouts.errors import WhereaboutsError
from whereabouts.ledger import DateRef, EntityRef, Ledger
from whereabouts.pictures import _routes
from whereabouts.pictures._routes import LeftOut, RouteMap

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "TILES",
    "MapError",
    "MapReport",
    "route_map_html",
    "route_map_image",
    "route_map_report",
    "routes",
    "save_route_map",
]

People = EntityRef | Iterable[EntityRef] | None

TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
            "contributors"),
}
"""Named tile backgrounds for ``tiles=``; any ``https://.../{z}/{x}/{y}...`` template works."""

FORMATS = {".html": "html", ".htm": "html", ".png": "png", ".svg": "svg"}

ATTRIBUTION = ("Outlines: Natural Earth (public domain). Places: GeoNames "
               "(www.geonames.org), CC BY 4.0.")

LAND, BORDER, SEA = "#ece6da", "#9c9486", "#cfe0ee"
"""The outline fill, border and sea colours of both maps."""


class MapError(WhereaboutsError, ValueError):
    """A map that cannot be made as asked (an unknown file type, a bad tile URL)."""


@attrs.frozen(kw_only=True)
class MapReport:
    """What a map shows and what it left out, returned by :func:`save_route_map`."""

    format: str
    """``html``, ``png`` or ``svg``."""
    people: tuple[str, ...]
    """The names of everyone on the map, in the legend's order."""
    marks: int
    """Points drawn."""
    left_out: tuple[LeftOut, ...]
    """Claims whose place could not be drawn, and why (also listed on the map)."""
    nothing_to_draw: str | None
    """Why the map is empty (it then says so), or None."""
    size: int = 0
    """Bytes written."""
    path: Path | None = None
    extent: tuple[float, float, float, float] | None = None
    """PNG and SVG: (west, south, east, north) of the map, in degrees."""
    frame: tuple[float, float, float, float] | None = None
    """PNG and SVG: (left, top, right, bottom) of the map in the picture, in pixels
    from its top left; longitude and latitude scale linearly across it."""

    def __str__(self) -> str:
        lines = [f"{self.format} map of {len(self.people)} people, {self.marks} points"
                 + ("" if self.path is None else f": {self.path}")]
        if self.nothing_to_draw:
            lines.append(self.nothing_to_draw)
        lines.extend(f"  left out: {item}" for item in self.left_out)
        return "\n".join(lines)


def routes(ledger: Ledger, people: People = None, *, as_of: DateRef | None = None,
           known_at: DateRef | None = None) -> RouteMap:
    """What the maps draw, without drawing it: every route's points and lines, and
    what was left out (see :mod:`whereabouts.pictures._routes`).

    ``people`` is a name, an id, an entity, or several (default: everyone, people
    first, then groups); a name that fits no one raises
    :class:`~whereabouts.errors.UnknownEntity`.
    """
    return _routes.build(ledger, people, as_of=as_of, known_at=known_at)


def route_map_report(ledger: Ledger, people: People = None, *, as_of: DateRef | None = None,
                     known_at: DateRef | None = None) -> MapReport:
    """What a map of these people would show and leave out, without drawing it."""
    return _report(routes(ledger, people, as_of=as_of, known_at=known_at), "html")


def _report(model: RouteMap, fmt: str, **more: Any) -> MapReport:
    return MapReport(format=fmt, people=tuple(r.entity.name for r in model.routes),
                     marks=model.marks, left_out=model.left_out,
                     nothing_to_draw=model.nothing_to_draw, **more)


def save_route_map(ledger: Ledger, path: str | os.PathLike[str], people: People = None, *,
                   as_of: DateRef | None = None, known_at: DateRef | None = None,
                   tiles: str | None = None, title: str | None = None,
                   format: str | None = None) -> MapReport:
    """Draw the route map into ``path``: HTML, PNG or SVG by its suffix (or ``format``).

    Returns a :class:`MapReport` saying who is on it and what was left out.
    ``tiles`` applies to HTML only.

    >>> import tempfile, pathlib
    >>> from whereabouts.examples import assad_2024
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     report = save_route_map(assad_2024(), pathlib.Path(folder, "case.html"),
    ...                             people=["Bashar al-Assad", "Maher"])
    >>> report.format, report.people, report.marks
    ('html', ('Bashar al-Assad', 'Maher al-Assad'), 7)
    """
    target = Path(path)
    fmt = (format or FORMATS.get(target.suffix.lower(), "")).lower()
    if fmt not in ("html", "png", "svg"):
        raise MapError("a map is written as .html, .png or .svg", field="path",
                       value=str(path))
    from whereabouts.io._atomic import write_atomic

    model = routes(ledger, people, as_of=as_of, known_at=known_at)
    if fmt == "html":
        data = _html(model, tiles=tiles, title=title).encode("utf-8")
        write_atomic(target, data)
        return _report(model, fmt, size=len(data), path=target)
    data, extent, frame = _image(model, fmt, title=title)
    write_atomic(target, data)
    return _report(model, fmt, size=len(data), path=target, extent=extent, frame=frame)


# -- HTML -----------------------------------------------------------------------

def route_map_html(ledger: Ledger, people: People = None, *, as_of: DateRef | None = None,
                   known_at: DateRef | None = None, tiles: str | None = None,
                   title: str | None = None) -> str:
    """The route map as one self-contained HTML page (see the module's docstring).

    ``tiles`` is ``None`` (outlines only: works offline), ``"osm"``, or a tile URL
    template (``https://host/{z}/{x}/{y}.png``); the outlines stay drawn under it,
    so the page still shows the countries when the tiles cannot load.
    """
    return _html(routes(ledger, people, as_of=as_of, known_at=known_at), tiles=tiles,
                 title=title)


def _asset(name: str) -> str:
    return resources.files("whereabouts.pictures").joinpath(f"data/{name}").read_text(
        encoding="utf-8")


def _tiles(tiles: str | None) -> tuple[str, str, str] | None:
    """(template, attribution, origin for the page's policy)."""
    if tiles is None:
        return None
    template, credit = TILES.get(tiles, (tiles, ""))
    parts = urlsplit(template)
    if parts.scheme not in ("http", "https") or not parts.netloc or not all(
            f"{{{k}}}" in template for k in "zxy"):
        raise MapError("expected a named background (" + ", ".join(TILES)
                       + ") or an http(s) URL template with {z}, {x} and {y}",
                       field="tiles", value=tiles)
    origin = f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"
    return template, credit, origin


def _title(model: RouteMap, title: str | None) -> str:
    if title:
        return title
    when = []
    if model.as_of is not None:
        when.append(f"as of {model.as_of}")
    if model.known_at is not None:
        when.append(f"as known at {model.known_at}")
    return "Routes" + (f" ({', '.join(when)})" if when else "")


class _Strings:
    """A table of the page's repeated strings (places, sources, notes): each is
    written once and referred to by its index."""

    def __init__(self) -> None:
        self.table: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        found = self._index.get(text)
        if found is None:
            found = self._index[text] = len(self.table)
            self.table.append(text)
        return found


def _evidence(obs: Any, entity: Entity, names: dict[str, str], strings: _Strings,
              ) -> list[Any]:
    about = "" if entity.id in obs.subjects else (
        "about " + ", ".join(names.get(s, s) for s in obs.subjects))
    return ["undated" if obs.when is None else str(obs.when), obs.describe(),
            strings(str(obs.source)), obs.grading.code,
            strings("report date unknown" if obs.reported is None
                    else f"reported {obs.reported}"), obs.note, strings(about), obs.id]


def _data(model: RouteMap, names: dict[str, str]) -> dict[str, Any]:
    """The page's data: compact lists the script draws from (each claim once, repeated
    strings in a table)."""
    evidence: list[list[Any]] = []
    strings = _Strings()
    seen: dict[tuple[str, bool], int] = {}
    statuses = {s: n for n, s in enumerate(_routes.STATUSES)}
    stacks = _routes.stacks(model)
    drawn = []

    def xy(point: tuple[float, float]) -> list[float]:
        return [round(point[0], 5), round(point[1], 5)]

    for n, route in enumerate(model.routes):
        marks = []
        for number, (mark, extra) in enumerate(zip(route.marks, stacks.marks[n], strict=True),
                                               1):
            refs = []
            for obs in mark.observations:
                key = (obs.id, route.entity.id in obs.subjects)
                ref = seen.get(key)
                if ref is None:
                    ref = seen[key] = len(evidence)
                    evidence.append(_evidence(obs, route.entity, names, strings))
                refs.append(ref)
            flags = (1 if mark.stay else 0) | (2 if mark.last_known else 0)
            marks.append([*xy(mark.point), statuses[mark.status], flags, strings(mark.place),
                          strings(mark.placed), refs, number, extra])
        drawn.append({
            "n": route.entity.name, "c": route.colour,
            "p": [[extra, [xy(p) for p in points]] for extra, points in stacks.paths[n]],
            "l": [[*xy(leg.start), *xy(leg.end), leg.style, extra]
                  for leg, extra in zip(route.legs, stacks.legs[n], strict=True)
                  if leg.style != "solid"],
            "m": marks,
        })
    return {"routes": drawn, "evidence": evidence, "strings": strings.table,
            "statuses": list(_routes.STATUSES)}


def _outlines_json() -> str:
    countries = _routes.outlines()["countries"]
    return json.dumps([[code, c["name"], c["polygons"]] for code, c in countries.items()],
                      separators=(",", ":"))


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _rest(route: Any) -> str:
    """The headline without the name in front."""
    return str(route.headline).removeprefix(route.entity.name + ": ")


def _side(model: RouteMap, title: str, tiles: tuple[str, str, str] | None) -> str:
    e = html.escape
    parts = [f"<h1>{e(title)}</h1>"]
    if model.nothing_to_draw:
        parts.append(f'<p class="nothing">{e(model.nothing_to_draw)}</p>')
    parts.append('<ol class="people">')
    for route in model.routes:
        count = len(route.marks)
        drawn = (f"{count} point{'s' if count != 1 else ''}" if count else "nothing to draw")
        notes = "".join(f"<br><small>{e(n)}</small>" for n in route.notes)
        parts.append(
            f'<li><span class="swatch" style="background:{e(route.colour)}"></span>'
            f"<b>{e(route.entity.name)}</b> <small>({drawn})</small><br>"
            f"<small>{e(_rest(route))}</small>{notes}</li>")
    parts.append("</ol>")
    parts.append(_KEY)
    if model.left_out:
        parts.append(f"<h2>Not drawn ({len(model.left_out)})</h2><ul class=\"left-out\">")
        parts.extend(f"<li>{e(str(item))}</li>" for item in model.left_out)
        parts.append("</ul>")
    credit = ATTRIBUTION + (" Background tiles as credited on the map." if tiles else "")
    parts.append(f'<p class="credit">{e(credit)}</p>')
    return "\n".join(parts)


_LINE = ('<svg width="34" height="10"><line x1="2" y1="5" x2="32" y2="5" stroke="#333" '
         'stroke-width="{w}"{dash}/></svg>')
_DOT = ('<svg width="34" height="20"><circle cx="17" cy="10" r="{r}" fill="{fill}" '
        'stroke="{stroke}" stroke-width="{w}"{dash}/></svg>')
_KEY = "<h2>Key</h2>\n<ul class=\"key\">\n" + "\n".join(f"<li>{svg} {text}</li>" for svg, text in [
    (_LINE.format(w=3, dash=""), "then went to (order known)"),
    (_LINE.format(w=2.5, dash=' stroke-dasharray="8 6"'),
     "to one of several possible places (disputed, or \"X or Y\")"),
    (_LINE.format(w=2.5, dash=' stroke-dasharray="2 6"'), "heading to (arrival not reported)"),
    (_DOT.format(r=5, fill="#333", stroke="#fff", w=1.5, dash=""), "placed there"),
    (_DOT.format(r=7, fill="#333", stroke="#888", w=3, dash=""), "stayed there throughout a span"),
    (_DOT.format(r=8, fill="#333", stroke="#000", w=3, dash=""), "last known place"),
    (_DOT.format(r=6, fill="#fff", stroke="#333", w=3, dash=' stroke-dasharray="3 3"'),
     "candidate or option: one of several"),
    (_DOT.format(r=6, fill="#fff", stroke="#333", w=2, dash=""), "heading there"),
    (_DOT.format(r=5, fill="none", stroke="#333", w=2, dash=' stroke-dasharray="1 4"'),
     "attempt, not made"),
    (_DOT.format(r=6, fill="#000", stroke="#333", w=2, dash=""), "died there"),
    ("", "Where routes coincide, the ones listed first are drawn wider, beneath."),
]) + "\n</ul>"

_CSS = """
html, body { margin: 0; height: 100%; font: 13px/1.35 system-ui, sans-serif; color: #222; }
body { display: flex; }
#map { flex: 1 1 auto; height: 100%; background: %SEA%; }
#side { flex: 0 0 300px; height: 100%; overflow: auto; padding: 8px 12px; box-sizing: border-box;
        border-left: 1px solid #ccc; background: #fbfbf8; }
#side h1 { font-size: 16px; margin: 4px 0 8px; }
#side h2 { font-size: 13px; margin: 12px 0 4px; }
#side ol, #side ul { padding-left: 0; list-style: none; margin: 0; }
#side li { margin: 0 0 6px; }
.swatch { display: inline-block; width: 14px; height: 4px; margin: 0 6px 3px 0; }
.nothing { font-size: 15px; font-weight: bold; color: #a00; }
.key li { display: flex; align-items: center; gap: 4px; margin: 0 0 2px; }
.credit { color: #666; font-size: 11px; }
.wb-popup table { border-collapse: collapse; margin-top: 4px; }
.wb-popup td { border-top: 1px solid #ddd; padding: 2px 4px; vertical-align: top; }
#nothing-overlay { position: absolute; top: 45%; left: 0; right: 300px; text-align: center;
  font-size: 20px; font-weight: bold; color: #a00; z-index: 1000; pointer-events: none; }
@media (max-width: 700px) { body { flex-direction: column; } #map { height: 65%; }
  #side { flex-basis: auto; height: 35%; border-left: 0; } #nothing-overlay { right: 0; } }
"""

_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("wb-data").textContent);
  var outlines = JSON.parse(document.getElementById("wb-outlines").textContent);
  var map = L.map("map", {preferCanvas: true, zoomSnap: 0.25, worldCopyJump: false});
  var renderer = L.canvas({padding: 0.5});
  map.attributionControl.addAttribution("Outlines: Natural Earth; places: GeoNames");
  var land = {color: "%BORDER%", weight: 0.6, fillColor: "%LAND%", fillOpacity: 1,
              renderer: renderer, interactive: false};
  if (data.tiles) {
    L.tileLayer(data.tiles[0], {attribution: data.tiles[1], maxZoom: 18}).addTo(map);
    land.fillOpacity = 0.15;
  }
  function ll(p) { return [p[1], p[0]]; }
  outlines.forEach(function (c) {
    L.polygon(c[2].map(function (poly) { return poly.map(function (ring) {
      return ring.map(ll); }); }), land).addTo(map);
  });
  var st = data.statuses, str = data.strings;
  function style(mark, colour) {
    var s = st[mark[2]], last = mark[3] & 2, stay = mark[3] & 1;
    var o = {renderer: renderer, color: "#ffffff", weight: 1.5, fillColor: colour,
             fillOpacity: 1, opacity: 1, radius: 5};
    if (s === "candidate" || s === "alternative") {
      o.fillColor = "#ffffff"; o.color = colour; o.weight = 3; o.dashArray = "3 3"; o.radius = 6;
    } else if (s === "heading") {
      o.fillColor = "#ffffff"; o.color = colour; o.weight = 2; o.radius = 6;
    } else if (s === "not made") {
      o.fillOpacity = 0; o.color = colour; o.weight = 2; o.dashArray = "1 4";
    } else if (s === "died") {
      o.fillColor = "#000000"; o.color = colour; o.weight = 2; o.radius = 6;
    } else if (stay) {
      o.color = "#555555"; o.weight = 3; o.radius = 7;
    }
    if (last) {
      o.radius += 3;
      if (o.color === "#ffffff" || s === "last known") { o.color = "#000000"; o.weight = 3; }
    }
    return o;
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function popup(route, mark) {
    var box = el("div", "", "wb-popup");
    box.appendChild(el("b", route.n));
    var s = st[mark[2]];
    var what = {"located": "placed there", "last known": "last known place",
      "candidate": "one of several places the claims do not settle",
      "alternative": "one option of a claim naming several places",
      "heading": "heading there (arrival not reported)", "not made": "attempt: not made",
      "died": "died there"}[s];
    if (mark[3] & 2 && s !== "last known") { what += "; last known"; }
    if (mark[3] & 1) { what += "; stayed throughout"; }
    box.appendChild(el("div", str[mark[4]] + " \u2014 " + what + " (stop " + mark[7] + ")"));
    if (str[mark[5]]) { box.appendChild(el("div", str[mark[5]])); }
    var table = el("table");
    mark[6].forEach(function (ref) {
      var ev = data.evidence[ref], row = el("tr");
      row.appendChild(el("td", ev[0]));
      var about = str[ev[6]];
      var claim = ev[1] + (about ? " (" + about + ")" : "") + (ev[5] ? ": " + ev[5] : "");
      row.appendChild(el("td", claim));
      var cited = str[ev[2]] + ", " + str[ev[4]] + ", " + ev[3] + " [" + ev[7] + "]";
      row.appendChild(el("td", cited));
      table.appendChild(row);
    });
    box.appendChild(table);
    return box;
  }
  var bounds = L.latLngBounds([]), counts = {routes: 0, marks: 0, lines: 0};
  // where routes coincide, the ones drawn first are wider, so every colour shows
  data.routes.forEach(function (route) {
    route.p.forEach(function (part) {
      L.polyline(part[1].map(ll), {renderer: renderer, color: route.c, weight: 3 + 2.5 * part[0],
        opacity: 1, interactive: false}).addTo(map);
      counts.lines += 1;
    });
    route.l.forEach(function (leg) {
      L.polyline([[leg[1], leg[0]], [leg[3], leg[2]]], {renderer: renderer, color: route.c,
        weight: 2.5 + 2 * leg[5], opacity: 1, interactive: false,
        dashArray: leg[4] === "dashed" ? "8 6" : "2 6"}).addTo(map);
      counts.lines += 1;
    });
    counts.routes += 1;
  });
  var opened = /^#open=(\d+)\.(\d+)$/.exec(window.location.hash), toOpen = null;
  data.routes.forEach(function (route, r) {
    route.m.forEach(function (mark, k) {
      var o = style(mark, route.c);
      o.radius += 2.5 * mark[8];
      if (mark[8] > 0 && o.fillOpacity && o.fillColor !== "#ffffff") {
        o.color = "#ffffff"; o.weight = 1;  // a ring of its colour round the one above
      }
      var m = L.circleMarker([mark[1], mark[0]], o).addTo(map);
      m.bindPopup(function () { return popup(route, mark); }, {maxWidth: 420});
      m.bindTooltip(route.n + ": " + str[mark[4]]);
      if (opened && +opened[1] === r + 1 && +opened[2] === k + 1) { toOpen = m; }
      bounds.extend([mark[1], mark[0]]);
      counts.marks += 1;
    });
  });
  if (!bounds.isValid()) {
    map.fitBounds([[-55, -165], [75, 175]]);
  } else if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
    map.setView(bounds.getCenter(), 5);
  } else {
    map.fitBounds(bounds, {padding: [40, 40], maxZoom: 7});
  }
  function view() {  // for tests and tools: where the map is, to project places to pixels
    var rect = document.getElementById("map").getBoundingClientRect(), c = map.getCenter();
    document.body.setAttribute("data-view", JSON.stringify({zoom: map.getZoom(),
      center: [c.lat, c.lng], origin: [rect.left, rect.top], size: [rect.width, rect.height]}));
  }
  if (toOpen) { toOpen.openPopup(); }  // #open=R.K: the popup of route R's K-th point
  map.on("moveend zoomend resize", view);
  window.addEventListener("resize", function () { setTimeout(view, 50); });
  view();
  document.body.setAttribute("data-drawn", JSON.stringify(counts));
})();
"""


def _html(model: RouteMap, *, tiles: str | None, title: str | None) -> str:
    background = _tiles(tiles)
    data = _data(model, dict(model.names))
    if background is not None:
        data["tiles"] = [background[0], background[1]]
    heading = _title(model, title)
    img = "data:" + ("" if background is None else f" {background[2]}")
    policy = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
              f"img-src {img}")
    overlay = ("" if not model.nothing_to_draw else
               f'<div id="nothing-overlay">{html.escape(model.nothing_to_draw)}</div>')
    css = _CSS.replace("%SEA%", SEA)
    js = _JS.replace("%BORDER%", BORDER).replace("%LAND%", LAND)
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{html.escape(heading)}</title>\n",
        "<!-- Leaflet 1.9.4 (c) 2010-2023 Volodymyr Agafonkin, (c) 2010-2011 CloudMade; "
        "BSD-2-Clause. Outlines: Natural Earth (public domain) via world-atlas 2.0.2 (ISC). "
        "Made by whereabouts. -->\n",
        f"<style>{_asset('leaflet.css')}</style>\n<style>{css}</style>\n</head>\n<body>\n",
        f'<div id="map"></div>\n{overlay}\n<aside id="side">\n',
        _side(model, heading, background), "\n</aside>\n",
        f"<script>{_asset('leaflet.js')}</script>\n",
        f'<script type="application/json" id="wb-outlines">{_outlines_json()}</script>\n',
        f'<script type="application/json" id="wb-data">{_script_json(data)}</script>\n',
        f"<script>{js}</script>\n</body>\n</html>\n",
    ])


# -- PNG and SVG ----------------------------------------------------------------

def route_map_image(ledger: Ledger, people: People = None, *, format: str = "png",
                    as_of: DateRef | None = None, known_at: DateRef | None = None,
                    title: str | None = None) -> bytes:
    """The route map as a PNG or SVG picture (needs matplotlib: ``whereabouts[plots]``).

    The same rules as the HTML map; a key, the people and what was left out are
    written beside the map. Use :func:`save_route_map` to also get the
    :class:`MapReport`.
    """
    fmt = format.lower()
    if fmt not in ("png", "svg"):
        raise MapError("a picture is png or svg", field="format", value=format)
    return _image(routes(ledger, people, as_of=as_of, known_at=known_at), fmt,
                  title=title)[0]


WIDTH, HEIGHT, DPI = 12.0, 7.5, 100
MAP_BOX = (0.01, 0.04, 0.70, 0.90)
"""The map's axes in figure fractions: left, bottom, width, height."""


def _extent(model: RouteMap, aspect: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) around every point, padded, widened to fill a box of
    ``aspect`` (width / height) with longitude scaled by the cosine of the middle
    latitude (a plate carrée true to shape in the middle)."""
    import math

    bounds = model.bounds
    if bounds is None:
        return -170.0, -58.0, 190.0, 84.0
    west, south, east, north = bounds
    pad_x = max((east - west) * 0.12, 4.0)
    pad_y = max((north - south) * 0.12, 3.0)
    west, east = west - pad_x, east + pad_x
    south, north = max(south - pad_y, -80.0), min(north + pad_y, 84.0)
    middle = (south + north) / 2
    scale = max(math.cos(math.radians(middle)), 0.2)
    width, height = (east - west) * scale, north - south
    if width / height < aspect:
        grow = (height * aspect / scale - (east - west)) / 2
        west, east = west - grow, east + grow
    else:
        grow = ((east - west) * scale / aspect - height) / 2
        south, north = south - grow, north + grow
    return west, south, east, north


_MARKERS: dict[str, tuple[str, float, str, str, float]] = {
    # status: (marker, size in points^2, face, edge, edge width); "route": its colour
    "located": ("o", 36, "route", "white", 1.0),
    "last known": ("o", 120, "route", "black", 2.2),
    "candidate": ("D", 48, "white", "route", 2.0),
    "alternative": ("D", 48, "white", "route", 2.0),
    "heading": ("o", 48, "white", "route", 1.8),
    "not made": ("x", 44, "route", "route", 2.0),
    "died": ("o", 60, "black", "route", 2.0),
}
_DASHES = {"solid": "solid", "dashed": (0, (5, 3)), "dotted": (0, (1, 2.5))}


def _figure(model: RouteMap, title: str | None,
            ) -> tuple[Figure, tuple[float, float, float, float]]:
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    left, bottom, width, height = MAP_BOX
    ax = fig.add_axes((left, bottom, width, height))
    extent = _extent(model, (width * WIDTH) / (height * HEIGHT))
    west, south, east, north = extent
    ax.set_facecolor(SEA)
    polygons = []
    for country in _routes.outlines()["countries"].values():
        for polygon in country["polygons"]:
            ring = polygon[0]
            lons = [p[0] for p in ring]
            lats = [p[1] for p in ring]
            if max(lons) < west or min(lons) > east or max(lats) < south or min(lats) > north:
                continue
            polygons.append(ring)
    ax.add_collection(PolyCollection(polygons, facecolors=LAND, edgecolors=BORDER,
                                     linewidths=0.5, zorder=1))
    stacks = _routes.stacks(model)
    # lines, grouped by style and width; where routes coincide the first is widest
    lines: dict[tuple[str, int], tuple[list[Any], list[str]]] = {}
    for n, route in enumerate(model.routes):
        for extra, points in stacks.paths[n]:
            group = lines.setdefault(("solid", extra), ([], []))
            group[0].append(points)
            group[1].append(route.colour)
        for leg, extra in zip(route.legs, stacks.legs[n], strict=True):
            if leg.style != "solid":
                group = lines.setdefault((leg.style, extra), ([], []))
                group[0].append([leg.start, leg.end])
                group[1].append(route.colour)
    for (style, extra), (segments, colours) in lines.items():
        width_ = (2.4 if style == "solid" else 1.8) + 1.8 * extra
        ax.add_collection(LineCollection(segments, colors=colours, linewidths=width_,
                                         linestyles=[_DASHES[style]], capstyle="round",
                                         zorder=3 + 0.1 * (_routes.MAX_STACK - extra)))
    # points, grouped by look; larger (lower in a stack) first
    marks: dict[tuple[str, bool, int], tuple[list[float], list[float], list[str]]] = {}
    for n, route in enumerate(model.routes):
        for mark, extra in zip(route.marks, stacks.marks[n], strict=True):
            key = (mark.status, mark.stay and mark.status in ("located", "last known"), extra)
            xs, ys, cs = marks.setdefault(key, ([], [], []))
            xs.append(mark.point[0])
            ys.append(mark.point[1])
            cs.append(route.colour)
    for (status, stay, extra), (xs, ys, cs) in marks.items():
        marker, size, face, edge, lw = _MARKERS[status]
        if stay:
            marker, edge = "s", "#555555" if status == "located" else edge
        area = size * (1 + 0.45 * extra) ** 2
        if extra and face == "route":  # lower in a stack: a ring of its colour round
            edge, lw = "white", 0.8  # the one above
        order = 5 + 0.1 * (_routes.MAX_STACK - extra) + (0.05 if status == "last known" else 0)
        if marker == "x":
            ax.scatter(xs, ys, s=area, marker=marker, c=cs, linewidths=lw, zorder=order)
        else:
            ax.scatter(xs, ys, s=area, marker=marker, c=cs if face == "route" else face,
                       edgecolors=cs if edge == "route" else edge, linewidths=lw, zorder=order)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect("auto")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#999999")
    _labels(ax, model, extent, (width * WIDTH * DPI, height * HEIGHT * DPI))
    fig.text(left, 0.96, _title(model, title), fontsize=13, weight="bold", va="center")
    fig.text(left, 0.015, ATTRIBUTION, fontsize=7, color="#666666")
    if model.nothing_to_draw:
        ax.text(0.5, 0.5, model.nothing_to_draw, transform=ax.transAxes, ha="center",
                va="center", fontsize=14, weight="bold", color="#aa0000", zorder=10,
                bbox={"facecolor": "white", "edgecolor": "#aa0000", "boxstyle": "round"})
    _panel(fig, model)
    return fig, extent


def _labels(ax: Any, model: RouteMap, extent: tuple[float, float, float, float],
            size: tuple[float, float]) -> None:
    """Place names beside their points, skipping any that would overlap another."""
    west, south, east, north = extent
    names: dict[tuple[float, float], str] = {}
    for route in model.routes:
        for mark in route.marks:
            names.setdefault(mark.point, mark.place)
    if len(names) > 40:
        return
    taken: list[tuple[float, float, float, float]] = []
    for point, _ in names.items():  # the points themselves are not to be covered
        x = (point[0] - west) / (east - west) * size[0]
        y = (point[1] - south) / (north - south) * size[1]
        taken.append((x - 6, y - 6, x + 6, y + 6))
    for point, name in names.items():
        x = (point[0] - west) / (east - west) * size[0]
        y = (point[1] - south) / (north - south) * size[1]
        w, h = 4.3 * len(name) + 2, 11.0
        for dx, dy, ha in _SPOTS:
            x0 = {"left": x + dx, "right": x + dx - w, "center": x - w / 2}[ha]
            box = (x0, y + dy, x0 + w, y + dy + h)
            if (box[0] < 0 or box[2] > size[0] or box[1] < 0 or box[3] > size[1]
                    or any(box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3]
                           for t in taken)):
                continue
            taken.append(box)
            ax.annotate(name, point, xytext=(dx, dy), textcoords="offset pixels", fontsize=7,
                        color="#222222", ha=ha, va="bottom", zorder=7,
                        bbox={"facecolor": "white", "alpha": 0.6, "edgecolor": "none",
                              "pad": 0.5})
            break


_SPOTS = ((8, 2, "left"), (8, -12, "left"), (-8, 2, "right"), (-8, -12, "right"),
          (0, 9, "center"), (0, -20, "center"))
"""Where a label may go beside its point: pixel offsets, and its alignment."""


def _panel(fig: Any, model: RouteMap) -> None:
    """The side panel: the people and their last known whereabouts, a key, and what
    was left out."""
    import textwrap

    side = fig.add_axes((0.72, 0.02, 0.27, 0.94))
    side.set_axis_off()
    side.set_xlim(0, 1)
    side.set_ylim(0, 1)
    rows: list[tuple[str, str, dict[str, Any]]] = []  # (text, weight, sample to draw)
    shown = model.routes[:14]
    for route in shown:
        rows.append((route.entity.name, "bold", {"line": (route.colour, "solid")}))
        rest = _rest(route) + ("" if route.marks else " (nothing to draw)")
        rows.extend(("   " + part, "normal", {}) for part in textwrap.wrap(rest, 48)[:2])
    if len(model.routes) > len(shown):
        rows.append((f"... and {len(model.routes) - len(shown)} more", "normal", {}))
    rows.append(("", "normal", {}))
    rows.append(("Key", "bold", {}))
    rows.extend([
        ("then went to (order known)", "normal", {"line": ("#333333", "solid")}),
        ("to one of several possible places", "normal", {"line": ("#333333", "dashed")}),
        ("heading to (arrival not reported)", "normal", {"line": ("#333333", "dotted")}),
        ("placed there", "normal", {"mark": "located"}),
        ("last known place", "normal", {"mark": "last known"}),
        ("candidate, or an option of \"X or Y\"", "normal", {"mark": "candidate"}),
        ("heading there", "normal", {"mark": "heading"}),
        ("stayed throughout a span", "normal", {"mark": "stay"}),
        ("attempt, not made", "normal", {"mark": "not made"}),
        ("died there", "normal", {"mark": "died"}),
    ])
    if model.left_out:
        rows.append(("", "normal", {}))
        rows.append((f"Not drawn ({len(model.left_out)})", "bold", {}))
        for item in model.left_out[:6]:
            for n, part in enumerate(textwrap.wrap(str(item), 52)[:3]):
                rows.append((("" if n == 0 else "   ") + part, "normal", {}))
        if len(model.left_out) > 6:
            rows.append((f"... and {len(model.left_out) - 6} more", "normal", {}))
    step = min(0.026, 0.99 / max(len(rows), 1))
    for n, (text, weight, sample) in enumerate(rows):
        y = 0.99 - n * step
        if "line" in sample:
            colour, style = sample["line"]
            side.plot([0.0, 0.08], [y, y], color=colour, linewidth=1.6,
                      linestyle=_DASHES[style])
        elif "mark" in sample:
            status = sample["mark"]
            marker, size, face, edge, lw = _MARKERS.get(status, _MARKERS["located"])
            if status == "stay":
                marker, edge = "s", "#555555"
            face = "#333333" if face == "route" else face
            edge = "#333333" if edge == "route" else edge
            if marker == "x":
                side.scatter([0.035], [y], s=size * 0.8, marker=marker, c=face, linewidths=lw)
            else:
                side.scatter([0.035], [y], s=size * 0.8, marker=marker, c=face, edgecolors=edge,
                             linewidths=lw)
        side.text(0.1 if sample else 0.0, y, text, fontsize=8, weight=weight, va="center")


def _image(model: RouteMap, fmt: str, *, title: str | None,
           ) -> tuple[bytes, tuple[float, float, float, float], tuple[float, float, float, float]]:
    matplotlib = matplotlib_module("PNG and SVG maps")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig, extent = _figure(model, title)
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    metadata: dict[str, Any] = {"Software": None} if fmt == "png" else {"Date": None}

    with matplotlib.rc_context({"svg.hashsalt": "whereabouts", "svg.fonttype": "none"}):
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
    left, bottom, width, height = MAP_BOX
    w, h = WIDTH * DPI, HEIGHT * DPI
    frame = (left * w, (1 - bottom - height) * h, (left + width) * w, (1 - bottom) * h)
    return buffer.getvalue(), extent, frame
