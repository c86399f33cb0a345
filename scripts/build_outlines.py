"""Generate the map data shipped in ``whereabouts/pictures/data/`` from pinned npm packages.

The package ships the result and needs neither npm nor these packages at run
time. Regenerate, or check that the shipped files are reproduced byte for
byte, from a clean checkout::

    python -m pip install -e ".[outlines-build]"
    python scripts/build_outlines.py            # rewrite the data files
    python scripts/build_outlines.py --check    # exit 1 if they would change
    python scripts/build_outlines.py --tarballs DIR --check   # tarballs already fetched

Sources (versions and SHA-256 of the npm tarballs pinned below; fetched with
``npm pack``, the registry's ordinary client, unless ``--tarballs`` names a
folder that already holds them):

* ``leaflet`` 1.9.4 (BSD-2-Clause, ``data/LICENSE-Leaflet.txt``): ``leaflet.js``
  copied as it is; ``leaflet.css`` with its three ``url(images/...)`` references
  (the layers control's and the default marker's PNGs, which the maps never use)
  replaced by ``none``, so nothing in the page can ask for a file.
* ``world-atlas`` 2.0.2 (ISC, ``data/LICENSE-world-atlas.txt``):
  ``countries-110m.json``, Natural Earth's 1:110m admin-0 countries (public
  domain) as TopoJSON. Decoded to polygons, coordinates rounded to 0.01 degree
  (about 1 km; the 1:110m outlines are far coarser), rings that cross the
  antimeridian unwrapped past 180 degrees (:func:`unwrap`), written as
  ``countries-110m.json`` with each country's ISO 3166-1 alpha-2 code (from its
  ISO numeric id, through ``pycountry``, pinned in the ``outlines-build`` extra)
  and a centre point (:func:`centre`). The three features without an ISO id
  are named by hand: Kosovo is ``XK``; "N. Cyprus" and "Somaliland" are drawn
  as parts of ``CY`` and ``SO``, as ISO 3166 has them.

JSON is written with sorted keys and no spaces, so the bytes depend only on the
inputs.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "whereabouts" / "pictures" / "data"

PYCOUNTRY_VERSION = "26.2.16"
PINS = {"pycountry": PYCOUNTRY_VERSION}
"""The Python packages the build reads (the ``outlines-build`` extra)."""

TARBALLS = {
    "leaflet": ("1.9.4", "84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77"),
    "world-atlas": ("2.0.2", "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"),
}
"""npm package: (version, SHA-256 of the tarball ``npm pack`` fetches)."""

UNNAMED = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}
"""Features of world-atlas without an ISO numeric id: the code they are drawn under."""

DIGITS = 2
"""Decimal places kept in outline coordinates (0.01 degree is about 1 km)."""

OUTPUTS = ("leaflet.js", "leaflet.css", "LICENSE-Leaflet.txt", "countries-110m.json",
           "LICENSE-world-atlas.txt")


# -- fetching -------------------------------------------------------------------

def tarball_name(package: str) -> str:
    return f"{package}-{TARBALLS[package][0]}.tgz"


def fetch(folder: Path) -> None:
    """Download the pinned tarballs into ``folder`` with ``npm pack``."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not installed: install it (apt-get install npm) or pass "
                         "--tarballs DIR with " + ", ".join(map(tarball_name, TARBALLS)))
    specs = [f"{name}@{version}" for name, (version, _) in TARBALLS.items()]
    subprocess.run([npm, "pack", "--silent", "--pack-destination", str(folder), *specs],
                   check=True, stdout=subprocess.DEVNULL)


def read_tarballs(folder: Path) -> dict[str, dict[str, bytes]]:
    """The files of each pinned tarball in ``folder``, by path inside the package,
    after checking the tarball's SHA-256."""
    found: dict[str, dict[str, bytes]] = {}
    for package, (_, digest) in TARBALLS.items():
        path = folder / tarball_name(package)
        data = path.read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if actual != digest:
            raise SystemExit(f"{path.name}: SHA-256 {actual}, pinned {digest}")
        files: dict[str, bytes] = {}
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive.getmembers():
                handle = archive.extractfile(member) if member.isfile() else None
                if handle is not None:
                    files[member.name.removeprefix("package/")] = handle.read()
        found[package] = files
    return found


# -- TopoJSON -------------------------------------------------------------------

Ring = list[tuple[float, float]]


def decode_arcs(topology: dict[str, object]) -> list[list[tuple[float, float]]]:
    """The arcs of a quantised TopoJSON topology as lists of (longitude, latitude)."""
    transform = topology["transform"]
    assert isinstance(transform, dict)
    (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
    arcs = topology["arcs"]
    assert isinstance(arcs, list)
    decoded = []
    for arc in arcs:
        x = y = 0
        points = []
        for step in arc:
            x += step[0]
            y += step[1]
            points.append((x * kx + dx, y * ky + dy))
        decoded.append(points)
    return decoded


def ring(indexes: Iterable[int], arcs: list[list[tuple[float, float]]]) -> Ring:
    """A ring from arc indexes (``~i`` is arc ``i`` reversed), rounded to ``DIGITS``."""
    points: Ring = []
    for index in indexes:
        arc = arcs[~index][::-1] if index < 0 else arcs[index]
        points.extend(arc if not points else arc[1:])
    rounded: Ring = []
    for lon, lat in points:
        point = (round(lon, DIGITS), round(lat, DIGITS))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    return unwrap(rounded)


def unwrap(points: Ring) -> Ring:
    """A ring that crosses the antimeridian and comes back (eastern Russia, Fiji) with
    its western side moved past 180 degrees, so it is drawn as one shape and not as a
    band across the world; a ring round a pole (Antarctica) is left as it is."""
    jumps = sum(abs(a[0] - b[0]) > 180 for a, b in pairwise(points))
    if jumps < 2:
        return points
    return [(round(lon + 360, DIGITS) if lon < 0 else lon, lat) for lon, lat in points]


def polygons(geometry: dict[str, object], arcs: list[list[tuple[float, float]]],
             ) -> list[list[Ring]]:
    """A TopoJSON Polygon or MultiPolygon as polygons (outer ring, then holes)."""
    kind = geometry["type"]
    parts = geometry["arcs"]
    assert isinstance(parts, list)
    if kind == "Polygon":
        parts = [parts]
    elif kind != "MultiPolygon":
        raise ValueError(f"unexpected geometry {kind}")
    found = []
    for part in parts:
        rings = [ring(r, arcs) for r in part]
        rings = [r for r in rings if len(r) >= 4]
        if rings:
            found.append(rings)
    return found


# -- centres --------------------------------------------------------------------

def area_and_centroid(points: Ring) -> tuple[float, float, float]:
    """Signed area (square degrees) and centroid of a closed ring, planar."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in pairwise(points):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        return 0.0, points[0][0], points[0][1]
    return area, cx / (6 * area), cy / (6 * area)


def inside(x: float, y: float, rings: list[Ring]) -> bool:
    """Even-odd point in polygon (with holes)."""
    hit = False
    for points in rings:
        for (x0, y0), (x1, y1) in pairwise(points):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                hit = not hit
    return hit


def crossings(y: float, rings: list[Ring]) -> list[float]:
    xs = []
    for points in rings:
        for (x0, y0), (x1, y1) in pairwise(points):
            if (y0 > y) != (y1 > y):
                xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    return sorted(xs)


def centre(parts: list[list[Ring]]) -> tuple[float, float]:
    """Where a country is drawn when a claim names only the country: the centroid
    of its largest polygon (so France is not pulled toward French Guiana), or,
    when that falls outside a concave shape, the middle of the widest stretch of
    land along the centroid's latitude."""
    largest = max(parts, key=lambda p: abs(area_and_centroid(p[0])[0]))
    _, x, y = area_and_centroid(largest[0])
    if not inside(x, y, largest):
        xs = crossings(y, largest)
        pairs = list(zip(xs[::2], xs[1::2], strict=False))
        left, right = max(pairs, key=lambda pair: pair[1] - pair[0])
        x = (left + right) / 2
    return round(x, DIGITS), round(y, DIGITS)


# -- building -------------------------------------------------------------------

def alpha2(numeric: str) -> str:
    import pycountry

    country = pycountry.countries.get(numeric=numeric)
    if country is None:
        raise SystemExit(f"ISO numeric {numeric} is not in pycountry")
    return str(country.alpha_2)


def outlines(topology: dict[str, object]) -> dict[str, object]:
    """The countries of world-atlas, by alpha-2 code, with their polygons and centre."""
    arcs = decode_arcs(topology)
    objects = topology["objects"]
    assert isinstance(objects, dict)
    countries: dict[str, dict[str, object]] = {}
    names: dict[str, str] = {}
    for geometry in objects["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        numeric = geometry.get("id")
        code = alpha2(numeric) if numeric else UNNAMED[name]
        found = polygons(geometry, arcs)
        entry = countries.setdefault(code, {"polygons": []})
        entry["polygons"].extend(found)  # type: ignore[attr-defined]
        if numeric or code not in names:
            names[code] = name
    for code, entry in countries.items():
        entry["name"] = names[code]
        entry["centre"] = list(centre(entry["polygons"]))  # type: ignore[arg-type]
        entry["polygons"] = [[[list(p) for p in r] for r in part]
                             for part in entry["polygons"]]  # type: ignore[attr-defined]
    return {
        "source": "Natural Earth 1:110m admin-0 countries (public domain), "
                  f"from world-atlas {TARBALLS['world-atlas'][0]} (ISC)",
        "countries": dict(sorted(countries.items())),
    }


def strip_images(css: str) -> str:
    """The stylesheet with its image references replaced by ``none``."""
    return re.sub(r"url\(images/[^)]*\)", "none", css)


def build(folder: Path) -> dict[str, bytes]:
    """Every output file's bytes, from the tarballs in ``folder``."""
    sources = read_tarballs(folder)
    leaflet, atlas = sources["leaflet"], sources["world-atlas"]
    topology = json.loads(atlas["countries-110m.json"])
    version = TARBALLS["leaflet"][0]
    return {
        "leaflet.js": leaflet["dist/leaflet.js"],
        "leaflet.css": strip_images(leaflet["dist/leaflet.css"].decode("utf-8")).encode("utf-8"),
        "LICENSE-Leaflet.txt": (f"Leaflet {version} (https://leafletjs.com), from the npm "
                                "package leaflet; leaflet.css has its image references "
                                "removed (scripts/build_outlines.py).\n\n").encode()
                               + leaflet["LICENSE"],
        "countries-110m.json": json.dumps(outlines(topology), sort_keys=True,
                                          separators=(",", ":")).encode("utf-8") + b"\n",
        "LICENSE-world-atlas.txt": (
            f"Country outlines from world-atlas {TARBALLS['world-atlas'][0]} (npm), made from "
            "Natural Earth 1:110m admin-0 countries\n(https://www.naturalearthdata.com/), "
            "which is in the public domain. Decoded, rounded to 0.01 degree and\n"
            "given ISO 3166-1 codes and centre points by scripts/build_outlines.py. "
            "world-atlas's licence:\n\n").encode() + atlas["LICENSE"],
    }


def check_pins() -> None:
    import importlib.metadata

    for name, version in PINS.items():
        found = importlib.metadata.version(name)
        if found != version:
            raise SystemExit(f"{name} {found} is installed; the build is pinned to {version} "
                             "(pip install -e '.[outlines-build]')")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true",
                        help="compare with the shipped files instead of writing them")
    parser.add_argument("--tarballs", type=Path,
                        help="a folder holding the pinned npm tarballs (default: npm pack)")
    args = parser.parse_args(argv)
    check_pins()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.tarballs
        if folder is None:
            folder = Path(temporary)
            fetch(folder)
        files = build(folder)
    if args.check:
        changed = [name for name, data in files.items()
                   if not (DATA / name).exists() or (DATA / name).read_bytes() != data]
        if changed:
            print("would change: " + ", ".join(changed), file=sys.stderr)
            return 1
        print(f"map data is reproducible: {', '.join(files)}")
        return 0
    DATA.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (DATA / name).write_bytes(data)
        print(f"wrote {DATA / name} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
