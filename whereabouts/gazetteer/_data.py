"""The shipped layers (curated, ISO, GeoNames, airports), loaded once on first use.

Nothing is read at import. :func:`tables` parses the data files behind a lock
the first time any gazetteer needs them, and every gazetteer shares the
result. Entries are plain tuples; a :class:`~whereabouts.places.Place` is made
for an entry only when a resolution returns it, then kept.

An index maps a folded key to one *ref* or a tuple of refs. A ref packs the
entry number, the layer it was found through and whether the key is an
alternate name: ``entry << 4 | layer << 1 | alternate``.

>>> t = tables()
>>> [t.place(entry).label for entry, layer, alternate in t.lookup("beirut")]
['Beirut (LB)']
>>> [t.place(entry).key for entry, layer, alternate in t.lookup("bassel al assad")]
['airport:OSLK']
>>> [(t.place(e).key, LAYERS[layer]) for e, layer, alt in t.lookup("turkey")]
[('TR', 'curated')]
"""

from __future__ import annotations

import gzip
import math
import threading
from array import array
from importlib import resources
from typing import NamedTuple

from whereabouts import _iso
from whereabouts._text import fold
from whereabouts.gazetteer import _curated
from whereabouts.gazetteer._names import keys as name_keys
from whereabouts.gazetteer._names import variant
from whereabouts.places import Place, PlaceKind

__all__ = ["LAYERS", "Entry", "Tables", "decode", "tables"]

LAYERS = ("registered", "curated", "iso", "geonames", "airports", "online")
REGISTERED, CURATED, ISO, GEONAMES, AIRPORTS, ONLINE = range(6)
DATA_FILE = "places.tsv.gz"
VARIANTS_FILE = "variants.tsv.gz"
NAMES_FILE = "country-names.tsv.gz"

Index = dict[str, "int | tuple[int, ...]"]


class Entry(NamedTuple):
    """One place the shipped layers know, before it becomes a :class:`Place`."""

    key: str
    name: str
    kind: PlaceKind
    country: str | None
    countries: tuple[str, ...] = ()
    subdivision: str | None = None
    point: tuple[float, float] | None = None
    population: int | None = None
    parent: int = -1
    same_as: int = -1  # a historic name for one of today's countries: that country's entry
    historic: str | None = None


def ref(entry: int, layer: int, alternate: bool) -> int:
    return entry << 4 | layer << 1 | alternate


def decode(value: int) -> tuple[int, int, bool]:
    """``(entry, layer, alternate)`` of a ref."""
    return value >> 4, (value >> 1) & 7, bool(value & 1)


def add(index: Index, key: str, value: int) -> None:
    old = index.get(key)
    if old is None:
        index[key] = value
    elif isinstance(old, int):
        if old != value:
            index[key] = (old, value)
    elif value not in old:
        index[key] = (*old, value)


def refs(index: Index, key: str) -> tuple[int, ...]:
    found = index.get(key)
    if found is None:
        return ()
    return (found,) if isinstance(found, int) else found


class Tables:
    """The shipped layers: entries, the exact-key index, and helpers built on demand.

    Entries are numbered cities, airfields, countries, subdivisions (the file's
    order, so the stored index needs no renumbering), then curated places.
    """

    def __init__(self) -> None:
        self._places: dict[int, Place] = {}
        self._lock = threading.Lock()
        self._variants: Index | None = None
        self._foreign: dict[str, int] | None = None
        self._suggest: dict[str, dict[int, list[tuple[str, int]]]] | None = None
        self._grid: dict[tuple[int, int], list[int]] | None = None
        self._largest: dict[str, int] | None = None
        self._load_file()
        self._load_curated()

    # -- loading ------------------------------------------------------------------

    @staticmethod
    def _read(filename: str) -> dict[str, str]:
        data = resources.files("whereabouts.gazetteer").joinpath(f"data/{filename}").read_bytes()
        columns: dict[str, str] = {}
        for line in gzip.decompress(data).decode("utf-8").split("\n"):
            if line and not line.startswith("#"):
                name, _, values = line.partition("\t")
                columns[name] = values
        return columns

    def _load_file(self) -> None:
        columns = self._read(DATA_FILE)

        def column(name: str) -> list[str]:
            return columns.pop(name).split("\t") if columns[name] else []

        self.city_id = column("city.geonameid")
        self.city_name = column("city.name")
        self.city_country = column("city.country")
        self.city_subdivision = column("city.subdivision")
        self.city_lat = array("d", map(float, column("city.lat")))
        self.city_lon = array("d", map(float, column("city.lon")))
        self.city_population = array("q", map(int, column("city.population")))
        self.airport_icao = column("airport.icao")
        self.airport_name = column("airport.name")
        self.airport_country = column("airport.country")
        self.airport_city = array("l", map(int, column("airport.city")))
        self.airport_lat = array("d", map(float, column("airport.lat")))
        self.airport_lon = array("d", map(float, column("airport.lon")))
        self.country_code = column("country.code")
        self.subdivision_code = column("subdivision.code")
        self.subdivision_name = column("subdivision.name")
        self.subdivision_country = column("subdivision.country")
        self.subdivision_parent = column("subdivision.parent")
        self.first_airport = len(self.city_id)
        self.first_country = self.first_airport + len(self.airport_icao)
        self.first_subdivision = self.first_country + len(self.country_code)
        self.first_curated = self.first_subdivision + len(self.subdivision_code)
        self._country_entry = {
            code: self.first_country + n for n, code in enumerate(self.country_code)
        }
        self._subdivision_entry = {
            code: self.first_subdivision + n for n, code in enumerate(self.subdivision_code)
        }
        self.index: Index = dict(
            zip(column("index.keys"), map(int, column("index.refs")), strict=True)
        )
        self.index.update(zip(
            column("index.shared_keys"),
            (tuple(map(int, group.split(","))) for group in column("index.shared_refs")),
            strict=True,
        ))
        self.curated: list[Entry] = []
        self._curated_keys: list[tuple[str, int]] = []

    def _index_names(self, number: int, layer: int, names: list[str], primary: int) -> None:
        """Index ``names``; the first ``primary`` of them are the place's own names."""
        for position, name in enumerate(names):
            for key in name_keys(name):
                value = ref(number, layer, position >= primary)
                add(self.index, key, value)
                self._curated_keys.append((key, value))

    def _new(self, entry: Entry) -> int:
        self.curated.append(entry)
        return self.first_curated + len(self.curated) - 1

    def _load_curated(self) -> None:
        for alias, codes in _curated.COUNTRY_ALIASES.items():
            for code in codes:
                self._index_names(self._country_entry[code], CURATED, [alias], 1)
        for alias, code in _curated.SUBDIVISION_ALIASES.items():
            self._index_names(self._subdivision_entry[code], CURATED, [alias], 1)
        withdrawn = {alpha_4: name for alpha_4, name, _date in _iso.historic_countries()}
        for alpha_4, (names, successors) in _curated.HISTORIC.items():
            today = successors or (alpha_4[2:],)
            if len(today) == 1:
                successor = self._country_entry[today[0]]
                entry = self.entry(successor)._replace(same_as=successor, historic=alpha_4)
            else:
                entry = Entry(f"historic:{alpha_4}", names[0], PlaceKind.REGION, None,
                              countries=today, historic=alpha_4)
            number = self._new(entry)
            official = withdrawn.get(alpha_4, names[0]).partition(",")[0]
            self._index_names(number, CURATED, [*names, official], len(names))
        for name, (aliases, members) in _curated.REGIONS.items():
            key = "region:" + name_keys(name)[-1].replace(" ", "-")
            number = self._new(Entry(key, name, PlaceKind.REGION, None, countries=members))
            self._index_names(number, CURATED, [name, *aliases], 1 + len(aliases))
        for name, aliases, country, subdivision, point in _curated.PLACES:
            parent = (self._subdivision_entry[subdivision] if subdivision
                      else self._country_entry[country])
            number = self._new(Entry(
                "curated:" + fold(name).replace(" ", "-"), name, PlaceKind.CITY, country,
                subdivision=subdivision, point=point, parent=parent,
            ))
            self._index_names(number, CURATED, [name, *aliases], 1)
        for name, aliases in _curated.WATERS.items():
            number = self._new(Entry(
                "waters:" + fold(name).replace(" ", "-"), name, PlaceKind.WATERS, None,
            ))
            for position, alias in enumerate([name, *aliases]):
                value = ref(number, CURATED, position >= 1)
                add(self.index, fold(alias), value)
                self._curated_keys.append((fold(alias), value))

    def entry(self, number: int) -> Entry:
        """Entry ``number`` as an :class:`Entry` (made on demand for the file's rows)."""
        if number < self.first_airport:
            sub = self.city_subdivision[number]
            country = self.city_country[number]
            return Entry(
                f"geonames:{self.city_id[number]}", self.city_name[number], PlaceKind.CITY,
                country, (), sub or None, (self.city_lat[number], self.city_lon[number]),
                self.city_population[number],
                self._subdivision_entry[sub] if sub else self._country_entry[country],
            )
        if number < self.first_country:
            n = number - self.first_airport
            city = self.airport_city[n]
            country = self.airport_country[n]
            parent = city if city >= 0 else self._country_entry[country]
            return Entry(
                f"airport:{self.airport_icao[n]}", self.airport_name[n], PlaceKind.FACILITY,
                country, (), self.city_subdivision[city] or None if city >= 0 else None,
                (self.airport_lat[n], self.airport_lon[n]), None, parent,
            )
        if number < self.first_subdivision:
            code = self.country_code[number - self.first_country]
            return Entry(code, code, PlaceKind.COUNTRY, code)
        if number < self.first_curated:
            n = number - self.first_subdivision
            code, above = self.subdivision_code[n], self.subdivision_parent[n]
            country = self.subdivision_country[n]
            return Entry(
                code, self.subdivision_name[n], PlaceKind.SUBDIVISION, country, (), code,
                parent=self._subdivision_entry[above] if above else self._country_entry[country],
            )
        return self.curated[number - self.first_curated]

    # -- queries ------------------------------------------------------------------

    def lookup(self, key: str) -> list[tuple[int, int, bool]]:
        """``(entry, layer, alternate)`` for every place indexed under the folded ``key``."""
        return [decode(value) for value in refs(self.index, key)]

    def country_entry(self, code: str) -> int:
        return self._country_entry[code]

    def place(self, number: int) -> Place:
        """The :class:`Place` of entry ``number`` (made once, then shared)."""
        place = self._places.get(number)
        if place is None:
            place = self._make(number)
            self._places[number] = place
        return place

    def _make(self, number: int) -> Place:
        entry = self.entry(number)
        if entry.same_as >= 0:
            return self.place(entry.same_as)
        parent = self.place(entry.parent) if entry.parent >= 0 else None
        if entry.kind is PlaceKind.COUNTRY:
            return Place.from_country(entry.key)
        if entry.kind is PlaceKind.REGION:
            return Place.region(entry.name, entry.countries, key=entry.key)
        return Place(
            name=entry.name, kind=entry.kind, country=entry.country,
            subdivision=entry.subdivision, point=entry.point, parent=parent, key=entry.key,
        )

    def variants(self, coarse: str) -> list[tuple[int, int, bool]]:
        """Places whose own name has the variant key ``coarse`` (see :func:`variant`).

        The variant index covers primary names only (alternate names already
        list the common variants); it is read from its own file on the first call.
        """
        if self._variants is None:
            with self._lock:
                if self._variants is None:
                    self._variants = self._build_variants()
        return [(e, layer, True) for e, layer, _ in map(decode, refs(self._variants, coarse))]

    def foreign_names(self, key: str) -> list[tuple[int, int, bool]]:
        """Countries with ``key`` as their name in some language (CLDR), as alternate names.

        The build keeps only keys the main index does not have, so this is
        asked only after :meth:`lookup` misses; the file is read on the first call.

        >>> [(tables().place(e).key, LAYERS[layer], alt)
        ...  for e, layer, alt in tables().foreign_names("deutschland")]
        [('DE', 'iso', True)]
        """
        if self._foreign is None:
            with self._lock:
                if self._foreign is None:
                    columns = self._read(NAMES_FILE)
                    self._foreign = dict(zip(columns["cldr.keys"].split("\t"),
                                             map(int, columns["cldr.refs"].split("\t")),
                                             strict=True))
        value = self._foreign.get(key)
        return [] if value is None else [decode(value)]

    def _build_variants(self) -> Index:
        columns = self._read(VARIANTS_FILE)
        out: Index = dict(zip(columns["variant.keys"].split("\t"),
                              map(int, columns["variant.refs"].split("\t")), strict=True))
        out.update(zip(
            columns["variant.shared_keys"].split("\t"),
            (tuple(map(int, g.split(","))) for g in columns["variant.shared_refs"].split("\t")),
            strict=True,
        ))
        for key, value in self._curated_keys:  # every curated name, alternates too
            add(out, variant(key), value)
        return out

    def suggestion_pool(self) -> dict[str, dict[int, list[tuple[str, int]]]]:
        """Primary keys of every place (plus curated names), by first letter and length.

        By length too, so that a suggestion reads only the keys within three
        characters of the name's length, not every key with its first letter.
        """
        if self._suggest is None:
            with self._lock:
                if self._suggest is None:
                    pool: dict[str, dict[int, list[tuple[str, int]]]] = {}
                    for key, found in self.index.items():
                        if not key.isascii() or len(key) < 3:
                            continue
                        for value in (found,) if isinstance(found, int) else found:
                            if not value & 1 or (value >> 1) & 7 == CURATED:
                                pool.setdefault(key[0], {}).setdefault(len(key), []).append(
                                    (key, value >> 4))
                                break
                    self._suggest = pool
        return self._suggest

    def representative_point(self, place: Place) -> tuple[float, float] | None:
        """The point of the largest known city inside ``place`` (for places without one)."""
        if self._largest is None:
            with self._lock:
                if self._largest is None:
                    largest: dict[str, int] = {}
                    population = self.city_population
                    for number in range(self.first_airport):
                        for area in (self.city_country[number], self.city_subdivision[number]):
                            best = largest.get(area)
                            if area and (best is None or population[number] > population[best]):
                                largest[area] = number
                    self._largest = largest
        areas = [place.subdivision] if place.subdivision else sorted(place.countries)
        found = [self._largest[a] for a in areas if a in self._largest]
        if not found:
            return None
        best = max(found, key=lambda number: self.city_population[number])
        return (self.city_lat[best], self.city_lon[best])

    def grid(self) -> dict[tuple[int, int], list[int]]:
        """Entries with a point (cities and curated places, not airfields) by 1-degree cell."""
        if self._grid is None:
            with self._lock:
                if self._grid is None:
                    grid: dict[tuple[int, int], list[int]] = {}
                    for number in range(self.first_airport):
                        point = cell(self.city_lat[number], self.city_lon[number])
                        grid.setdefault(point, []).append(number)
                    for offset, entry in enumerate(self.curated):
                        if entry.point is not None and entry.kind is PlaceKind.CITY:
                            grid.setdefault(cell(*entry.point), []).append(
                                self.first_curated + offset)
                    self._grid = grid
        return self._grid


def cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat), math.floor(lon)


_TABLES: Tables | None = None
_LOCK = threading.Lock()


def tables() -> Tables:
    """The shared shipped layers, loaded on the first call (thread-safe)."""
    global _TABLES
    if _TABLES is None:
        with _LOCK:
            if _TABLES is None:
                _TABLES = Tables()
    return _TABLES


def loaded() -> bool:
    """Whether the data has been loaded (for tests and benchmarks)."""
    return _TABLES is not None
