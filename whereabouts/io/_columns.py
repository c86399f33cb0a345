"""Observations given as columns of cells, checked a distinct value at a time.

What :func:`~whereabouts.io.read_csv` and :func:`~whereabouts.io.read_frame`
share. :func:`plan` takes one sequence of cells (strings) per column of
:data:`COLUMNS`, the line each row came from and the target ledger, and
returns a :class:`Plan`: the valid rows as a :class:`~whereabouts.batch.Batch`
of codes, the people to create before appending them, and a
:class:`~whereabouts.io.Problem` for every bad cell.

Each distinct value of a column is checked once, with the rules and in the
words of :meth:`Ledger.observe <whereabouts.Ledger.observe>`, then the column
becomes codes by one dictionary lookup per row. The rules that tie a row to
the rows before it (ids already taken, ``after`` links, names of people
created on an earlier row, ``o1``, ``o2``... ids) are followed in file order,
only for the rows that have such ties; the result is the same as observing
the rows one by one. :func:`load` then creates the people and appends the
batch with one :meth:`Ledger.extend <whereabouts.Ledger.extend>`.

>>> from whereabouts import Ledger
>>> ledger = Ledger()
>>> amal = ledger.add_person("Amal Haddad")
>>> cells = {
...     "id": ["", "", "gone"], "subjects": ["Nour Khalil", "nour khalil; Amal Haddad", "Amal"],
...     "kind": ["whereabouts unknown", "died", "whereabouts unknown"],
...     "place": ["", "", ""], "when": ["2024-12", "2024-12-30", "2025-02"],
...     "source": ["a wire", "a wire", "a wire"], "reported": ["2024-12-09", "2025-01", "2025-01"],
...     "reliability": ["B", "", ""], "credibility": ["2", "", ""],
...     "note": ["", "", ""], "after": ["", "o1", ""],
... }
>>> result = plan(cells, [2, 3, 4], ledger)
>>> len(result.batch), [person.id for person in result.people]
(2, ['nour-khalil'])
>>> for problem in result.problems:
...     print(problem)
4:5: when: '2025-02': it cannot have happened after it was reported (2025-01)
>>> added, created = load(ledger, result)
>>> [o.id for o in added], created
(['o1', 'o2'], (Person('nour-khalil', 'Nour Khalil'),))
"""

from __future__ import annotations

import gc
import json
import logging
import math
import operator
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import (
    Callable,
    Collection,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import contextmanager
from datetime import date
from itertools import accumulate, combinations, compress, count, repeat
from typing import Any, Generic, TypeVar

import attrs

from whereabouts._stays import stay_bounds
from whereabouts._text import fold
from whereabouts.batch import Batch
from whereabouts.entities import _ID, Entity, Person, name_keys
from whereabouts.entities import _check_id as _check_entity_id
from whereabouts.errors import (
    Ambiguous,
    AmbiguousPlace,
    DuplicateId,
    InvalidObservation,
    InvalidOrder,
    InvalidPlace,
    UnknownEntity,
    UnknownObservation,
    WhereaboutsError,
)
from whereabouts.io.errors import LedgerFileError, Problem
from whereabouts.io.report import Appended, Report
from whereabouts.io.sqlite import SqliteLedger
from whereabouts.ledger import Ledger
from whereabouts.observations import Denial, Kind, Observation, Retraction, stay_by_default
from whereabouts.places import Alternatives, Place, PlaceKind, Where
from whereabouts.sources import Grading, Source, SourceKind
from whereabouts.when import When

__all__ = ["COLUMNS", "DERIVED", "ENTRIES", "OPTIONAL", "TEMPLATE", "Plan", "date_hint",
           "exact_place", "exact_source", "import_columns", "in_no_country", "load",
           "paused_gc", "place", "place_named", "plan", "source", "split", "throughout"]

COLUMNS = ("id", "subjects", "kind", "place", "when", "source", "reported", "reliability",
           "credibility", "note", "after")
"""The columns of observation cells every sheet has, in the order
:func:`~whereabouts.io.write_csv` writes them."""
TEMPLATE = (*COLUMNS, "throughout", "narrative")
"""The columns of ``docs/template.csv``: the required ones, a stay's flag and a narrative's
label."""
OPTIONAL = ("throughout", "narrative", "entry", "target", "exact", "grading")
"""The columns a sheet may have besides: a stay's flag, a narrative's label, the kind of
entry of the row (``observation``, ``correction``, ``retraction``, ``denial``) and the
observation a correction, retraction or denial is about, the exact values (JSON) of
cells a spreadsheet cannot carry, and a grade written as one code (``B2``)."""
DERIVED = ("names", "place_key", "place_kind", "country", "latitude", "longitude", "earliest",
           "latest", "corrects", "retracted_by", "denied_by")
"""Columns :func:`~whereabouts.io.to_dataframe` writes for analysis, worked out from the
others: a sheet or frame may have them, and they are not read."""
ENTRIES = ("observation", "correction", "retraction", "denial")
"""What the ``entry`` column may say a row is; empty is an observation."""

_T = TypeVar("_T", bound=Hashable)
_H = TypeVar("_H", bound=Hashable)
_RELAY = re.compile(r"\s*(?:→|->)\s*")
_SLUG = re.compile(r"[^a-z0-9]+")
_AUTO = re.compile(r"o[1-9][0-9]*")  # the ids Ledger.observe gives: o1, o2...
_FIELD_COLUMN = {"entity": "subjects", "members": "subjects", "name": "place",
                 "grading": "reliability", "target": "after", "corrects": "id"}
_PROBE_SOURCE = Source("probe")
_log = logging.getLogger("whereabouts.io")
_FEW = 4  # up to this many values, rows are found by a list.index search for each


@attrs.frozen
class Plan:
    """What checking the columns found: the valid rows, the people they need, the problems.

    ``batch`` holds the valid rows, coded; ``people`` the people to create
    (names in ``subjects`` that fit no one), in the order the rows first name
    them; ``problems`` every problem, sorted by line and column.
    """

    batch: Batch
    people: tuple[Person, ...]
    problems: tuple[Problem, ...]


def plan(cells: Mapping[str, Sequence[str]], lines: Sequence[int], ledger: Ledger, *,
         numbers: Mapping[str, int] | None = None, places: Mapping[str, Where] | None = None,
         sources: Mapping[str, Source] | None = None) -> Plan:
    """Check columns of cells against ``ledger`` and code the valid rows; change nothing.

    ``cells`` maps each of :data:`COLUMNS`, and any of :data:`OPTIONAL`, to one
    string per row; ``lines`` gives the line of each row, and ``numbers`` the
    column number of each column (by default their place in :data:`COLUMNS`
    then :data:`OPTIONAL`), for the problems. ``places`` and ``sources`` give
    the value of cells that are not looked up (those an ``exact`` cell gave).
    """
    where = numbers if numbers is not None else {
        c: n for n, c in enumerate((*COLUMNS, *OPTIONAL), start=1)}
    with paused_gc():
        return _Planner(cells, lines, ledger, where, places or {}, sources or {}).run()


def import_columns(path: str, format: str, ledger: Ledger, cells: Mapping[str, Sequence[str]],
                   lines: Sequence[int], *, numbers: Mapping[str, int],
                   problems: Sequence[Problem] = (), read: int, keep_valid: bool,
                   notices: Sequence[str] = (), fresh: bool = False) -> Report:
    """Check columns of cells (:func:`plan`) and, unless a row is wrong, import them (:func:`load`).

    ``problems`` are those already found (rows of the wrong width); ``path``
    names the source in the :class:`~whereabouts.io.LedgerFileError` raised
    when a row is wrong and ``keep_valid`` is false, and in the report, with
    ``notices`` (what was read in a way worth saying: a delimiter, a column
    ignored). ``fresh`` says that ``ledger`` is new and thrown away if the
    import fails, so that it may be written to before every row is checked.

    Rows that are corrections, retractions or denials (the ``entry`` column)
    split the others into runs: each run is planned and appended as one
    batch, and each such row on its own between them, in file order, on a
    copy of the ledger first (all or nothing), then on the ledger.
    """
    with paused_gc():
        prepared = _Prepared(cells, lines, numbers)
        found = [*problems, *prepared.problems]
        if not prepared.special:
            planned = plan(prepared.cells, prepared.lines, ledger, numbers=numbers,
                           places=prepared.places, sources=prepared.sources)
            found = _sorted([*found, *planned.problems])
            if found and not keep_valid:
                raise LedgerFileError(path, found)
            added, created = load(ledger, planned)
        else:
            steps = _Steps(prepared, numbers, ledger if fresh else _copy(ledger))
            steps.run()
            found = _sorted([*found, *steps.problems])
            if found and not keep_valid:
                raise LedgerFileError(path, found)
            if not fresh:
                steps.apply(ledger)
            added, created = Appended(steps.added()), tuple(steps.created)
    for notice in notices:
        _log.info("%s: %s", path, notice)
    return Report(path=path, format=format, ledger=ledger, problems=tuple(found), read=read,
                  added=added, created=created, notices=tuple(notices))


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _copy(ledger: Ledger) -> Ledger:
    """A ledger equal to ``ledger`` (in memory), to try an import on."""
    from whereabouts.io._records import Codec, replay

    return replay(Codec().encode(ledger), Ledger(gazetteer=ledger.gazetteer))


def load(ledger: Ledger, planned: Plan) -> tuple[Appended, tuple[Person, ...]]:
    """Create the planned people and append the planned rows to ``ledger``.

    A :class:`~whereabouts.io.SqliteLedger` takes it all in one transaction.
    Returns the observations appended (read from the ledger when asked for)
    and the people created.
    """
    if isinstance(ledger, SqliteLedger):
        with ledger.transaction():
            return _load(ledger, planned)
    return _load(ledger, planned)


def _load(ledger: Ledger, planned: Plan) -> tuple[Appended, tuple[Person, ...]]:
    created = tuple(ledger.add_person(p.name, id=p.id) for p in planned.people)
    if not len(planned.batch):
        return Appended(()), created
    return Appended(ledger.extend(planned.batch)), created


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bulk load builds many containers.

    A million rows make a million lists (``csv.reader``'s rows) and many
    more objects that all stay alive to the end; the collector would walk
    them again and again, for nothing, and slow the load down severalfold.
    Reference counting still frees everything; the collector resumes after
    (as it was: pausing inside a pause changes nothing).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# -- checking one cell: the rules (and the words) of Ledger.observe -------------------


def split(text: str, separator: str) -> list[str]:
    """The non-empty parts of ``text`` between ``separator``, stripped."""
    return [part.strip() for part in text.split(separator) if part.strip()]


def place(ledger: Ledger, text: str, *,
          known: dict[str, Place | WhereaboutsError] | None = None) -> Where | None:
    """The place a ``place`` cell names: one, "one of these" (``A | B``), or none.

    ``known`` keeps what each name was found to be, for the next cell naming it.
    """
    names = split(text, "|")
    if not names:
        return None
    places = [place_named(ledger, name, {} if known is None else known) for name in names]
    return places[0] if len(places) == 1 else Alternatives(tuple(places))


_NO_COUNTRY = re.compile(r"(craft|waters)\s*:(.*)", re.IGNORECASE | re.DOTALL)
"""A place in no country spelt with its kind: ``craft: Admiral Kuznetsov``."""


def in_no_country(ledger: Ledger, name: str) -> Place | None:
    """The craft or waters a ``craft: NAME`` or ``waters: NAME`` cell names; None for
    any other name.

    It is the place of that kind registered with ``ledger`` under NAME (its
    name or an alias, folded), or else a new one: ``Place.craft(NAME)``.

    >>> ledger = Ledger()
    >>> in_no_country(ledger, "craft: Admiral Kuznetsov")
    Place('Admiral Kuznetsov', craft, -)
    >>> in_no_country(ledger, "Waters:international waters").key
    'waters:international-waters'
    >>> in_no_country(ledger, "Admiral Kuznetsov") is None
    True
    """
    match = _NO_COUNTRY.fullmatch(name.strip())
    if match is None:
        return None
    kind, rest = PlaceKind(match[1].lower()), match[2].strip()
    if not fold(rest):
        raise InvalidPlace(f"a {kind.value} needs a name after '{kind.value}:'",
                           field="place", value=name)
    wanted = fold(rest)
    mine = {place.key: place for place, aliases in ledger.registered_places
            if place.kind is kind and wanted in {fold(n) for n in (place.name, *aliases)}}
    if len(mine) > 1:
        own = {k: p for k, p in mine.items() if fold(p.name) == wanted}
        mine = own or mine
    if len(mine) > 1:
        raise AmbiguousPlace(f"ambiguous: registered as {'; '.join(sorted(mine))}",
                             field="place", value=name)
    if mine:
        return next(iter(mine.values()))
    return Place.craft(rest) if kind is PlaceKind.CRAFT else Place.waters(rest)


def place_named(ledger: Ledger, name: str, known: dict[str, Place | WhereaboutsError]) -> Place:
    """The one place ``name`` (not ``A | B``) names in a ``place`` cell: a craft or
    waters spelt with its kind (see :func:`in_no_country`), else what the ledger's
    gazetteer resolves; ``known`` as for :func:`place`."""
    found = known.get(name)
    if found is None:
        try:
            found = in_no_country(ledger, name)
        except WhereaboutsError as err:
            found = err
        if found is not None:
            known[name] = found
    if found is None:
        try:
            found = ledger.place(name)
        except Ambiguous as err:
            found = type(err)(f"{err.reason}; in a CSV, add the country: 'NAME, COUNTRY'",
                              field="place", value=name, candidates=err.candidates)
        except WhereaboutsError as err:
            err.field = "place"
            found = err
        known[name] = found
    if isinstance(found, WhereaboutsError):
        raise found.with_traceback(None)
    return found


def source(text: str) -> Source:
    """The source a ``source`` cell names; a relay chain reads ``origin → outlet``."""
    names = _RELAY.split(text)
    if not text or not all(n.strip() for n in names):
        raise WhereaboutsError("names who said so (a relay chain reads 'origin → outlet')",
                               field="source", value=text or None)
    found: Source | None = None
    for name in names:
        found = Source(name.strip(), via=found)
    assert found is not None
    return found


def _when(raw: str) -> When | None:
    text = raw.strip()
    return _date(text, "when") if text else None


def _reported(raw: str) -> When | None:
    text = raw.strip()
    return _date(text, "reported") if text else None  # empty: not known


def _date(text: str, field: str) -> When:
    """The EDTF date of a cell; a date spelt otherwise is refused, with the EDTF to write."""
    try:
        return When.parse(text, field=field)
    except WhereaboutsError as err:
        hint = date_hint(text)
        if hint is None:
            raise
        raise type(err)(f"not an EDTF date; {hint}", field=err.field, value=err.value) from None


_MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MONTH_YEAR = re.compile(r"([a-z]+)\.?,?\s+(\d{4})", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})",
                             re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})",
                             re.IGNORECASE)
_NUMERIC = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})([/.])(\d{1,2})\2(\d{1,2})")
_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?(?:\.0+)?")


def date_hint(text: str) -> str | None:
    """What to write instead of a date spelt as spreadsheets and people spell them, or None.

    Dates are refused, not guessed at: the ledger keeps what the analyst wrote, and
    a sheet whose dates a spreadsheet rewrote in its locale (day and month swapped
    in some rows and not others) must not go in quietly. The hint gives the EDTF
    date when the spelling has one reading, and both readings when it has two:

    >>> date_hint("June 2025"), date_hint("14/01/2025")
    ('write 2025-06 (EDTF)', 'write 2025-01-14 (EDTF; day/month/year)')
    >>> date_hint("01/14/2025")
    'write 2025-01-14 (EDTF; month/day/year)'
    >>> date_hint("03/04/2025")
    'ambiguous: write 2025-04-03 (EDTF) if day/month/year, 2025-03-04 if month/day/year'
    >>> date_hint("14 January 2025"), date_hint("2025/01/14"), date_hint("2025-13") is None
    ('write 2025-01-14 (EDTF)', 'write 2025-01-14 (EDTF)', True)
    """
    text = text.strip()
    if len(text) > 40:
        return None
    match = _MONTH_YEAR.fullmatch(text)
    if match and match[1].lower() in _MONTHS:
        return f"write {match[2]}-{_MONTHS[match[1].lower()]:02d} (EDTF)"
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match and match[2].lower() in _MONTHS:
        return _day_hint(match[3], _MONTHS[match[2].lower()], match[1], "")
    match = _MONTH_DAY_YEAR.fullmatch(text)
    if match and match[1].lower() in _MONTHS:
        return _day_hint(match[3], _MONTHS[match[1].lower()], match[2], "")
    match = _YEAR_FIRST.fullmatch(text)
    if match:
        return _day_hint(match[1], int(match[3]), match[4], "")
    match = _DATE_TIME.fullmatch(text)
    if match:
        return f"write {match[1]}T{match[2]}{match[3] or ':00'} (EDTF: a T between date and time)"
    match = _NUMERIC.fullmatch(text)
    if match is None:
        return None
    first, second, year = int(match[1]), int(match[3]), match[4]
    day_first = _day_text(year, second, first)
    month_first = _day_text(year, first, second)
    if day_first and month_first and day_first != month_first:
        return (f"ambiguous: write {day_first} (EDTF) if day/month/year, {month_first} if "
                f"month/day/year")
    if day_first:
        return f"write {day_first} (EDTF; day/month/year)" if first != second else (
            f"write {day_first} (EDTF)")
    if month_first:
        return f"write {month_first} (EDTF; month/day/year)"
    return None


def _day_hint(year: str, month: int, day: str, how: str) -> str | None:
    found = _day_text(year, month, int(day))
    return None if found is None else f"write {found} (EDTF{how})"


def _day_text(year: str, month: int, day: int) -> str | None:
    """``YYYY-MM-DD`` if that day exists."""
    try:
        date(int(year), month, day)
    except ValueError:
        return None
    return f"{year}-{month:02d}-{day:02d}"


_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})


def throughout(raw: str) -> bool | None:
    """What a ``throughout`` cell says: True (a stay), False (not one), None (empty:
    the default, a stay when ``when`` is ``{A..B}``)."""
    text = raw.strip().lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidObservation("expected true or false (or yes/no, 1/0); empty for the "
                             "default", field="throughout", value=raw.strip())


def _kind(raw: str) -> Kind:
    return Kind.coerce(raw.strip())


def _reliability(raw: str) -> str:
    text = raw.strip()
    Grading(text or "F")
    return text


def _credibility(raw: str) -> str:
    text = raw.strip()
    Grading("F", text or "6")
    return text


def _duplicate(oid: str) -> DuplicateId:
    return DuplicateId("id already in the ledger or on an earlier row", field="id", value=oid)


def _unknown_prior(oid: str) -> UnknownObservation:
    return UnknownObservation("no such observation on an earlier row or in the ledger",
                              field="after", value=oid)


def _slug(name: str) -> str:
    """The id :meth:`Ledger.add_person` derives from a name (before numbering it)."""
    return _SLUG.sub("-", fold(name)).strip("-")[:100] or "entity"


# -- exact values: what a readable cell cannot carry, as JSON ---------------------------

_DEEPEST = 12  # parents nested deeper than this in an ``exact`` cell are refused


def exact_place(where: Where) -> list[dict[str, Any]]:
    """A place (or "one of these") as JSON-ready data: a list of its places, each with the
    fields of the native file's ``place`` record, its parent nested whole.

    >>> exact_place(Place.region("Levant", ["JO", "LB", "SY"]))
    [{'name': 'Levant', 'kind': 'region', 'countries': ['JO', 'LB', 'SY']}]
    """
    return [_place_data(p) for p in where.options]


def _place_data(place: Place) -> dict[str, Any]:
    data: dict[str, Any] = {"name": place.name, "kind": place.kind.value}
    if place.country is not None:
        data["country"] = place.country
    if place.countries != (frozenset() if place.country is None else {place.country}):
        data["countries"] = sorted(place.countries)
    if place.subdivision is not None:
        data["subdivision"] = place.subdivision
    if place.point is not None:
        data["point"] = list(place.point)
    if place.parent is not None:
        data["parent"] = _place_data(place.parent)
    if place.key != attrs.evolve(place, key=_NO_KEY).key:
        data["key"] = place.key
    return data


_NO_KEY: Any = attrs.NOTHING  # attrs.evolve with NOTHING computes the default again


def place_of(data: object) -> Where:
    """The place :func:`exact_place` gave ``data`` for; :class:`InvalidPlace` if it is not one."""
    if not isinstance(data, list) or not data:
        raise InvalidPlace("expected a list of places", field="place", value=data)
    places = tuple(_place_of(item, 1) for item in data)
    return places[0] if len(places) == 1 else Alternatives(places)


def _place_of(data: object, depth: int) -> Place:
    if depth > _DEEPEST:
        raise InvalidPlace(f"parents nested more than {_DEEPEST} deep", field="place")
    if not isinstance(data, dict):
        raise InvalidPlace("expected a place: an object with a name and a kind", field="place",
                           value=data)
    unknown = set(data) - {"name", "kind", "country", "countries", "subdivision", "point",
                           "parent", "key"}
    if unknown:
        raise InvalidPlace(f"unknown field {sorted(unknown)[0]!r} in a place", field="place")
    fields: dict[str, Any] = {}
    try:
        fields["name"] = data["name"]
        fields["kind"] = PlaceKind(data["kind"])
        for name in ("country", "subdivision", "key"):
            if name in data:
                fields[name] = data[name]
        if "countries" in data:
            fields["countries"] = list(data["countries"])
        if "point" in data:
            fields["point"] = tuple(data["point"])
        if "parent" in data:
            fields["parent"] = _place_of(data["parent"], depth + 1)
        return Place(**fields)
    except WhereaboutsError:
        raise
    except (KeyError, TypeError, ValueError) as err:
        raise InvalidPlace(f"not a place ({type(err).__name__}: {err})"[:200],
                           field="place") from None


def exact_source(src: Source) -> list[dict[str, Any]]:
    """A source as JSON-ready data: its relay chain from the origin, each with its name
    and, when they are set, its kind, published date and URL."""
    chain: list[dict[str, Any]] = []
    for link in src.chain:
        data: dict[str, Any] = {"name": link.name}
        if link.kind is not SourceKind.OTHER:
            data["kind"] = link.kind.value
        if link.published is not None:
            data["published"] = str(link.published)
        if link.url is not None:
            data["url"] = link.url
        chain.append(data)
    return chain


def source_of(data: object) -> Source:
    """The source :func:`exact_source` gave ``data`` for."""
    if not isinstance(data, list) or not data or len(data) > 100:
        raise InvalidObservation("expected a relay chain: a list of sources", field="source",
                                 value=data)
    found: Source | None = None
    for link in data:
        if not isinstance(link, dict) or set(link) - {"name", "kind", "published", "url"}:
            raise InvalidObservation("expected a source: an object with a name (and a kind, "
                                     "published, url)", field="source", value=link)
        try:
            found = Source(str(link.get("name", "")), kind=SourceKind(link.get("kind", "other")),
                           published=link.get("published"), url=link.get("url"), via=found)
        except WhereaboutsError:
            raise
        except (TypeError, ValueError) as err:
            raise InvalidObservation(f"not a source ({err})"[:200], field="source") from None
        if found.url is not None and not isinstance(found.url, str):
            raise InvalidObservation("a URL is text", field="source", value=found.url)
    assert found is not None
    return found


# -- a column at a time -------------------------------------------------------------


@attrs.define
class _Coded(Generic[_T]):
    """A column as codes into a table of distinct values; code -1 for a bad cell."""

    codes: list[int]
    table: list[_T]
    errors: dict[str, WhereaboutsError]
    """Each bad cell value, and what is wrong with it."""


def _code(cells: Sequence[str], check: Callable[[str], _T]) -> _Coded[_T]:
    """Code the column by one lookup per row, then check each distinct cell once.

    Cells that give equal values share a code; a bad cell's code is -1.
    """
    index: defaultdict[str, int] = defaultdict(count().__next__)
    codes = list(map(index.__getitem__, cells))  # codes in order of first appearance
    known: dict[_T, int] = {}
    table: list[_T] = []
    errors: dict[str, WhereaboutsError] = {}
    final: list[int] = []
    for raw in index:
        try:
            value = check(raw)
        except WhereaboutsError as err:
            errors[raw] = err
            final.append(-1)
            continue
        code = known.get(value)
        if code is None:
            code = known[value] = len(table)
            table.append(value)
        final.append(code)
    if len(table) != len(final):  # a bad cell, or two cells of one value
        codes = list(map(final.__getitem__, codes))
    return _Coded(codes, table, errors)


def _bad_rows(codes: list[int]) -> Iterator[int]:
    """The rows whose code is -1: a bad cell (a C-speed search for each)."""
    return _rows_of(codes, -1)


def _rows_of(values: Sequence[_H], value: _H) -> Iterator[int]:
    """The rows holding ``value``, found by :meth:`list.index` (no Python step per row)."""
    row = -1
    while True:
        try:
            row = values.index(value, row + 1)
        except ValueError:
            return
        yield row


def _rows_holding(cells: Sequence[_H], values: Collection[_H]) -> Iterator[int]:
    """The rows whose cell (or code) is one of ``values``, in order."""
    if not values:
        return iter(())
    if len(values) <= _FEW:
        return iter(sorted(row for value in values for row in _rows_of(cells, value)))
    return compress(count(), map(values.__contains__, cells))


def _exact(name: str, entities: Sequence[object]) -> bool:
    """Whether ``Ledger.entity`` found ``entities`` by a whole name (or id), not by part of one.

    A new person never takes a whole-name key an entity already has, so such
    a finding holds for the whole file; a finding by part of a name may not.
    """
    found = [e for e in entities if isinstance(e, Entity)]
    if any(name == e.id for e in found):
        return True
    keys = set(name_keys(name))
    return any(keys & {k for n in e.names for k in name_keys(n)} for e in found)


class _Names:
    """What each name of the ``subjects`` column fits in the ledger, looked up once."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self.outcomes: dict[str, str | WhereaboutsError | None] = {}
        """Name -> the id of the one entity it fits, the error, or None: it fits no one."""
        self._fits: dict[str, Sequence[object] | None] = {}  # None: an error that always holds

    def resolve(self, name: str) -> None:
        """Look ``name`` up (once)."""
        if name in self.outcomes:
            return
        try:
            entity = self._ledger.entity(name, field="subjects")
        except UnknownEntity:
            self.outcomes[name] = None
        except WhereaboutsError as err:
            self.outcomes[name] = err
            self._fits[name] = err.candidates if isinstance(err, Ambiguous) else None
        else:
            self.outcomes[name] = entity.id
            self._fits[name] = (entity,)

    def fits(self, name: str) -> Sequence[object]:
        """The entities ``name`` was found to fit (none if it fits no one)."""
        return self._fits.get(name) or ()

    @property
    def unknown(self) -> bool:
        """Whether some name fits no one (so that new people will be created)."""
        return any(outcome is None for outcome in self.outcomes.values())

    def unstable(self) -> set[str]:
        """The names that people created on the way could make fit someone else."""
        unstable = set()
        for name in self.outcomes:
            fits = self._fits.get(name, ())
            if fits is not None and not _exact(name, fits):
                unstable.add(name)
        return unstable


@attrs.define
class _Static:
    """The checks of every column that do not depend on earlier rows."""

    kinds: _Coded[Kind]
    places: _Coded[Where | None]
    whens: _Coded[When | None]
    sources: _Coded[Source]
    reported: _Coded[When | None]
    throughout: _Coded[bool | None] | None
    """None when the sheet has no ``throughout`` column."""
    reliability: _Coded[str]
    credibility: _Coded[str]
    ids: list[str]
    """Each row's id cell, stripped; empty for the ledger's next ``o{n}``."""
    given: set[str]
    """The ids the rows give (each once)."""
    bad_ids: dict[str, WhereaboutsError]
    afters: dict[str, tuple[str, ...]]
    """Each distinct ``after`` cell, as the ids it names."""
    names: _Names
    cells: dict[str, tuple[str, ...]]
    """Each distinct ``subjects`` cell, as the names it holds."""
    labels: list[str] | None
    """Each row's ``narrative`` cell, stripped; None when no row has one."""

    def row(self, row: int) -> tuple[Kind, Where | None, When | None, When | None, bool | None]:
        """The kind, place, date, report date and ``throughout`` of a row whose cells are fine."""
        return (self.kinds.table[self.kinds.codes[row]], self.places.table[self.places.codes[row]],
                self.whens.table[self.whens.codes[row]],
                self.reported.table[self.reported.codes[row]], self.stay(row))

    def stay(self, row: int) -> bool | None:
        """The row's ``throughout`` cell (None: empty, or no such column)."""
        if self.throughout is None:
            return None
        return self.throughout.table[self.throughout.codes[row]]


def _check_columns(cells: Mapping[str, Sequence[str]], ledger: Ledger,
                   places: Mapping[str, Where], sources: Mapping[str, Source]) -> _Static:
    ids = list(map(str.strip, cells["id"]))
    given = set(ids)
    given.discard("")
    names = _Names(ledger)
    subjects: dict[str, tuple[str, ...]] = {}
    for raw in dict.fromkeys(cells["subjects"]):
        subjects[raw] = tuple(split(raw, ";"))
        for name in subjects[raw]:
            names.resolve(name)
    known: dict[str, Place | WhereaboutsError] = {}
    labels = None
    if "narrative" in cells and any(map(str.strip, dict.fromkeys(cells["narrative"]))):
        labels = list(map(str.strip, cells["narrative"]))
    return _Static(
        kinds=_code(cells["kind"], _kind),
        places=_code(cells["place"], lambda raw: places[raw] if raw in places
                     else place(ledger, raw.strip(), known=known)),
        whens=_code(cells["when"], _when),
        sources=_code(cells["source"], lambda raw: sources[raw] if raw in sources
                      else source(raw.strip())),
        reported=_code(cells["reported"], _reported),
        throughout=_code(cells["throughout"], throughout) if "throughout" in cells else None,
        reliability=_code(cells["reliability"], _reliability),
        credibility=_code(cells["credibility"], _credibility),
        ids=ids, given=given, bad_ids=_bad_ids(given),
        afters={raw: tuple(split(raw, ";")) for raw in dict.fromkeys(cells["after"])},
        names=names, cells=subjects, labels=labels,
    )


def _bad_ids(given: set[str]) -> dict[str, WhereaboutsError]:
    """The ids that are not ids at all: found by one regular expression, each then checked."""
    errors: dict[str, WhereaboutsError] = {}
    for oid in _not_ids(given):
        try:
            _check_entity_id(None, None, oid)
        except WhereaboutsError as err:
            errors[oid] = err
    return errors


def _not_ids(given: set[str]) -> Collection[str]:
    """The strings of ``given`` that the id pattern refuses (or may refuse)."""
    pattern = _ID.pattern
    lines = "\n".join(given)
    if not (pattern.startswith("^") and pattern.endswith("$")) or (
            lines.count("\n") != len(given) - 1):  # an id with a line break, or a new pattern
        return given
    one = pattern[1:-1]
    if not given or re.fullmatch(f"(?:{one}\n)*{one}", lines) is not None:
        return ()
    return re.findall(f"(?m)^(?!(?:{one})$).*$", lines)


def _found(raw: str, names: tuple[str, ...],
           outcomes: Mapping[str, str | WhereaboutsError | None],
           ) -> tuple[list[str], list[WhereaboutsError]]:
    """The ids a ``subjects`` cell of known names gives, or what is wrong with it."""
    if not raw.strip():
        return [], [WhereaboutsError("names one or more people or groups", field="subjects")]
    found: list[str] = []
    wrong: list[WhereaboutsError] = []
    for name in names:
        outcome = outcomes[name]
        if isinstance(outcome, WhereaboutsError):
            wrong.append(outcome)
        elif outcome is not None:
            found.append(outcome)
    return found, wrong


# -- values that do not go together -------------------------------------------------


def _misplaced(kind: Kind, where: Where | None) -> bool:
    return (where is None and kind.needs_place) or (where is not None and not kind.allows_place)


def _suspect(subjects: tuple[str, ...], kind: Kind, where: Where | None, when: When | None,
             reported: When | None, stay: bool | None) -> bool:
    """Whether ``Ledger.observe`` may refuse these values together (see :class:`_Probe`)."""
    return (not subjects or len(set(subjects)) != len(subjects) or _misplaced(kind, where)
            or stay is True
            or (reported is not None and (math.isinf(reported.upper) or (
                when is not None and when.lower >= reported.upper))))


class _Probe:
    """Asks a scratch ledger whether values go together, by the rules of ``Ledger.observe``.

    Only rows :func:`_suspect` picks are asked about, so the words of the
    error are the ledger's own.
    """

    def __init__(self) -> None:
        self._ledger = Ledger()
        self._people: set[str] = set()
        self._known: dict[tuple[object, ...], WhereaboutsError | None] = {}

    def error(self, subjects: tuple[str, ...], kind: Kind, where: Where | None,
              when: When | None, reported: When | None,
              stay: bool | None) -> WhereaboutsError | None:
        """The error ``Ledger.observe`` raises for these values, or None."""
        key = (subjects, kind, where, when, reported, stay)
        if key not in self._known:
            self._known[key] = self._ask(subjects, kind, where, when, reported, stay)
        return self._known[key]

    def _ask(self, subjects: tuple[str, ...], kind: Kind, where: Where | None,
             when: When | None, reported: When | None,
             stay: bool | None) -> WhereaboutsError | None:
        for subject in set(subjects) - self._people:
            self._ledger.add(Person(subject, subject))
            self._people.add(subject)
        try:
            self._ledger.observe(list(subjects), kind, place=where, when=when,
                                 source=_PROBE_SOURCE, reported=reported, throughout=stay)
        except WhereaboutsError as err:
            return err
        return None


def _late(after: tuple[str, ...]) -> InvalidOrder:
    return InvalidOrder("its 'after' links put it later than its own dates allow",
                        field="after", value=list(after))


def late_in_narrative(before: str) -> InvalidOrder:
    """A row that its narrative puts after ``before`` (the narrative's row above it)
    later than its own dates allow."""
    return InvalidOrder("the narrative puts this row after it, later than the row's own "
                        "dates allow", field="narrative", value=before)


class _Order:
    """When observations can have started, to check ``after`` links against the dates."""

    def __init__(self, ledger: Ledger, static: _Static) -> None:
        self._ledger = ledger
        self._static = static
        self._starts: dict[str, float] = {}  # ledger observation id -> narrowed start

    def window(self, row: int) -> tuple[float, float]:
        """A row's own window: from its start to the end of its date, capped by its report
        (a stay: from the earliest it can have begun to the latest it can have ended)."""
        kind, _, when, reported, stay = self._static.row(row)
        if when is not None and (stay or (stay is None and stay_by_default(kind, when))):
            try:
                bounds = stay_bounds(when, reported)
            except WhereaboutsError:
                pass  # not a stay the ledger takes: the row is refused for it
            else:
                return bounds[0], bounds[3]
        end = math.inf if reported is None else reported.upper
        if when is None:
            return -math.inf, end
        return when.lower, min(when.upper, end)

    def start(self, oid: str) -> float:
        """The start of a ledger observation, narrowed by its ``after`` links."""
        known = self._starts.get(oid)
        if known is not None:
            return known
        stack = [oid]
        while stack:
            obs = self._ledger.observation(stack[-1])
            missing = [a for a in obs.after if a not in self._starts]
            if missing:
                stack.extend(missing)
                continue
            stack.pop()
            self._starts[obs.id] = max([obs.lower, *(self._starts[a] for a in obs.after)])
        return self._starts[oid]


# -- the whole -----------------------------------------------------------------------


@attrs.define
class _Ties:
    """What ties rows to the rows before them, beyond ``after`` links."""

    names: set[str] = attrs.field(factory=set)
    """Names whose finding may change as people are created."""
    ids: set[str] = attrs.field(factory=set)
    """Explicit ids that may clash with an earlier row's or a new person's."""
    auto: bool = False
    """Whether the ``o{n}`` ids of rows without one must be worked out here."""


class _Planner:
    """Checks the columns once, then makes passes (:class:`_Pass`) until no tie is missed."""

    def __init__(self, cells: Mapping[str, Sequence[str]], lines: Sequence[int], ledger: Ledger,
                 numbers: Mapping[str, int], places: Mapping[str, Where],
                 sources: Mapping[str, Source]) -> None:
        self.cells = cells
        self.lines = lines
        self.ledger = ledger
        self.numbers = numbers
        self.size = len(lines)
        self.static = _check_columns(cells, ledger, places, sources)
        self.ledger_ids = _LedgerIds(ledger, len(self.static.given))
        self.order = _Order(ledger, self.static)
        self.probe = _Probe()

    def run(self) -> Plan:
        ties = self._first_ties()
        while True:
            attempt = _Pass(self, ties)
            grown = attempt.run()
            if grown is None:
                return attempt.plan()
            ties = grown

    def _first_ties(self) -> _Ties:
        static = self.static
        explicit = self.size - static.ids.count("")
        ids = self.ledger_ids.among(static.given)
        if len(static.given) != explicit:  # an id given twice
            ids.update(oid for oid, times in Counter(static.ids).items() if times > 1 and oid)
        auto = explicit != self.size and (
            any(map(_AUTO.fullmatch, static.given))
            or any(_AUTO.fullmatch(a) for refs in static.afters.values() for a in refs)
            or self._narrated_without_id())
        names = static.names.unstable() if static.names.unknown else set()
        return _Ties(names=names, ids=ids, auto=auto)

    def _narrated_without_id(self) -> bool:
        """Whether a row without an id has a narrative row after it (which then names it
        by the ``o{n}`` id it gets)."""
        labels, ids = self.static.labels, self.static.ids
        if labels is None:
            return False
        followed: set[str] = set()
        for row in range(self.size - 1, -1, -1):
            label = labels[row]
            if label:
                if not ids[row] and label in followed:
                    return True
                followed.add(label)
        return False

    def problem(self, row: int, err: WhereaboutsError, column: str | None = None) -> Problem:
        """The problem of a row, at ``column`` or else at the column of the error's field."""
        col = column or _FIELD_COLUMN.get(err.field or "", err.field or "")
        number = self.numbers.get(col)
        return Problem.of(err, line=self.lines[row], column=number,
                          field=col if number is not None else None)


class _LedgerIds:
    """The ids a ledger holds, its entities' and its entries', to tell which are taken.

    Every entry's id is read at once, unless the ledger holds many more
    entries than there are ids to ask about (reading an entry builds it):
    then each id is looked up alone, as an entity's or an observation's, and
    the id of a retraction is left for :meth:`Ledger.extend` to refuse.
    """

    READ_ALL = 50_000
    """Up to how many entries more than the ids asked about are read at once."""

    def __init__(self, ledger: Ledger, asked: int) -> None:
        self._ledger = ledger
        self._entities = {e.id for e in ledger.entities}
        self._all: set[str] | None = None
        if len(ledger) <= asked + self.READ_ALL:
            self._all = self._entities | {e.id for e in ledger.entries}
        self._observed: dict[str, bool] = {}

    def __contains__(self, oid: str) -> bool:
        if self._all is not None:
            return oid in self._all
        if oid in self._entities:
            return True
        if oid not in self._observed:
            try:
                self._ledger.observation(oid)
                self._observed[oid] = True
            except WhereaboutsError:
                self._observed[oid] = False
        return self._observed[oid]

    def among(self, ids: set[str]) -> set[str]:
        """The ids of ``ids`` the ledger holds."""
        if self._all is not None:
            return ids & self._all
        return {oid for oid in ids if oid in self}


class _Pass:
    """One pass over the rows, given what ties them (:class:`_Ties`).

    Cells are checked per distinct value (by the planner), values that must
    go together per distinct combination, and the rows tied to earlier rows
    one at a time, in file order (:class:`_Replay`). If that finds a tie it
    was not told of (a new person whose id a row elsewhere uses),
    :meth:`run` returns the larger ties to make the pass again with.
    """

    def __init__(self, planner: _Planner, ties: _Ties) -> None:
        self.p = planner
        self.static = planner.static
        self.ties = ties
        self.problems: list[Problem] = []
        self.bad: set[int] = set()  # rows with a bad cell
        self.subject_table: list[tuple[str, ...]] = []
        self.subject_codes: dict[tuple[str, ...], int] = {}
        self.subjects: list[int] = []
        self.dynamic: set[str] = set()  # subjects cells holding tied names
        self.cross: dict[int, WhereaboutsError] = {}

    def run(self) -> _Ties | None:
        self._cells()
        self._subjects()
        self._cross()
        self.replay = _Replay(self, self._tied())
        self.replay.run()
        return self.replay.grown()

    # -- cells wrong whatever came before ----------------------------------------------

    def _cells(self) -> None:
        s, cells = self.static, self.p.cells
        for name, coded in (("kind", s.kinds), ("place", s.places), ("when", s.whens),
                            ("source", s.sources), ("reported", s.reported),
                            ("reliability", s.reliability), ("credibility", s.credibility),
                            ("throughout", s.throughout)):
            if coded is not None and coded.errors:
                self._report(name, cells[name], coded.errors, _bad_rows(coded.codes))
        if s.bad_ids:
            self._report("id", s.ids, s.bad_ids, _rows_holding(s.ids, s.bad_ids.keys()))

    def _report(self, column: str, cells: Sequence[str], errors: Mapping[str, WhereaboutsError],
                rows: Iterable[int]) -> None:
        for row in rows:
            self.problems.append(self.p.problem(row, errors[cells[row]], column))
            self.bad.add(row)

    def _subjects(self) -> None:
        """Code the ``subjects`` cells that hold no tied name; report their problems."""
        index: dict[str, int] = {}
        errors: dict[str, list[WhereaboutsError]] = {}
        for raw, names in self.static.cells.items():
            index[raw] = -1
            if not self.ties.names.isdisjoint(names):
                self.dynamic.add(raw)
                continue
            found, wrong = _found(raw, names, self.static.names.outcomes)
            if wrong:
                errors[raw] = wrong
            else:
                index[raw] = self.subject_code(tuple(found))
        column = self.p.cells["subjects"]
        self.subjects = list(map(index.__getitem__, column))
        for row in _rows_holding(column, errors.keys()):
            self.problems.extend(self.p.problem(row, err, "subjects")
                                 for err in errors[column[row]])
            self.bad.add(row)

    def subject_code(self, ids: tuple[str, ...]) -> int:
        code = self.subject_codes.get(ids)
        if code is None:
            code = self.subject_codes[ids] = len(self.subject_table)
            self.subject_table.append(ids)
        return code

    # -- values that do not go together ------------------------------------------------

    def _cross(self) -> None:
        """Find the rows whose values, each fine, do not go together."""
        s = self.static
        suspects = set(self._suspect_subjects())
        suspects.update(self._suspect_places(s.kinds.codes, s.places.codes))
        suspects.update(self._suspect_dates(s.whens.codes, s.reported.codes))
        if s.throughout is not None:  # a stay the kind or the date may not allow
            suspects.update(_rows_holding(s.throughout.codes, [
                code for code, value in enumerate(s.throughout.table) if value]))
        for row in sorted(suspects - self.bad):
            code = self.subjects[row]
            if code >= 0:  # else a cell with tied names: checked in file order
                err = self.p.probe.error(self.subject_table[code], *s.row(row))
                if err is not None:
                    self.cross[row] = err

    def _suspect_subjects(self) -> Iterator[int]:
        bad = {code for code, ids in enumerate(self.subject_table)
               if not ids or len(set(ids)) != len(ids)}
        return _rows_holding(self.subjects, bad)

    def _suspect_places(self, kinds: list[int], places: list[int]) -> Iterator[int]:
        """Rows whose kind needs a place and has none, or takes none and has one."""
        s = self.static
        width = len(s.places.table) + 1  # codes -1 to len - 1
        pairs = list(map(operator.add, map(operator.mul, kinds, repeat(width)), places))
        bad = {pair for pair in set(pairs) if pair >= 0 and pair % width != width - 1
               and _misplaced(s.kinds.table[pair // width], s.places.table[pair % width])}
        return _rows_holding(pairs, bad)

    def _suspect_dates(self, whens: list[int], reported: list[int]) -> Iterator[int]:
        """Rows that start on or after their report's end, or whose report has no end."""
        s = self.static
        starts = [-math.inf if w is None else w.lower for w in s.whens.table]
        starts.append(-math.inf)  # for code -1 (a bad cell): never suspect
        ends = [math.inf if r is None else -math.inf if math.isinf(r.upper) else r.upper
                for r in s.reported.table]
        ends.append(math.inf)
        late = map(operator.ge, map(starts.__getitem__, whens), map(ends.__getitem__, reported))
        return compress(count(), late)

    # -- rows tied to earlier rows -----------------------------------------------------

    def _tied(self) -> list[int]:
        s, cells = self.static, self.p.cells
        tied = set(_rows_holding(cells["subjects"], self.dynamic))
        tied.update(compress(count(), map(s.afters.__getitem__, cells["after"])))
        tied.update(_rows_holding(s.ids, self.ties.ids))
        if self.ties.auto:
            tied.update(row for row, oid in enumerate(s.ids) if not oid or _AUTO.fullmatch(oid))
        if s.labels is not None:
            tied.update(compress(count(), s.labels))
        return sorted(tied)

    # -- the result --------------------------------------------------------------------

    def plan(self) -> Plan:
        s, replay = self.static, self.replay
        keep: list[bool] | None = None
        if replay.bad:
            keep = [True] * self.p.size
            for row in replay.bad:
                keep[row] = False
        for row, code in replay.subjects.items():
            self.subjects[row] = code
        after_cells = _kept(self.p.cells["after"], keep)
        notes = _kept(self.p.cells["note"], keep)
        gradings, grading_table = self._gradings(keep)
        after = {row: s.afters[raw] for row, raw in _filled(after_cells).items() if s.afters[raw]}
        stays: dict[int, bool] = {}
        if s.throughout is not None:
            said = [code for code, value in enumerate(s.throughout.table) if value is not None]
            codes = _kept(s.throughout.codes, keep)
            stays = {row: bool(s.throughout.table[codes[row]])
                     for row in _rows_holding(codes, said)}
        if replay.narrated:
            at = list(accumulate(keep, initial=0)) if keep is not None else None
            for row, before in replay.narrated.items():
                position = row if at is None else at[row]
                prior = replay.id_of(before)
                links = after.get(position, ())
                if prior not in links:
                    after[position] = (*links, prior)
        batch = Batch(
            subjects=_kept(self.subjects, keep), subject_table=self.subject_table,
            kinds=_kept(s.kinds.codes, keep), kind_table=s.kinds.table,
            places=_kept(s.places.codes, keep), place_table=s.places.table,
            whens=_kept(s.whens.codes, keep), when_table=s.whens.table,
            reported=_kept(s.reported.codes, keep), reported_table=s.reported.table,
            sources=_kept(s.sources.codes, keep), source_table=s.sources.table,
            gradings=gradings, grading_table=grading_table, ids=self._ids(keep),
            notes=_filled(notes), after=after, throughout=stays,
        )
        problems = sorted([*self.problems, *replay.problems],
                          key=lambda p: (p.line or 0, p.column or 0))
        return Plan(batch=batch, people=tuple(replay.planned), problems=tuple(problems))

    def _gradings(self, keep: list[bool] | None) -> tuple[Sequence[int], list[Grading]]:
        s = self.static
        reliabilities, credibilities = s.reliability.table, s.credibility.table
        table = [Grading(r or "F", c or "6") for r in reliabilities for c in credibilities]
        if all(grading == Grading() for grading in table):
            return [], []
        width = len(credibilities)
        codes = map(operator.add, map(operator.mul, s.reliability.codes, repeat(width)),
                    s.credibility.codes)
        return _kept(list(codes), keep), table

    def _ids(self, keep: list[bool] | None) -> Sequence[str | None] | None:
        ids: list[str | None] = [oid or None for oid in self.static.ids]
        for row, oid in self.replay.given.items():
            ids[row] = oid
        if not any(ids):
            return None
        return _kept(ids, keep)


_S = TypeVar("_S")


def _filled(cells: Sequence[str]) -> dict[int, str]:
    """The cells that are not empty, by row."""
    return dict(zip(compress(count(), cells), compress(cells, cells), strict=True))


def _kept(values: Sequence[_S], keep: list[bool] | None) -> Sequence[_S]:
    """The values of the rows kept (all of them when ``keep`` is None)."""
    return values if keep is None else list(compress(values, keep))


class _Touched:
    """Which names a new person could change the finding of, by an index of the names.

    ``Ledger.entity`` finds a name by id, by a whole-name key (folded, or
    without particles), or, failing those, by its words among the words of
    an entity's name. A person added changes the finding of the names equal
    to its id, of those sharing a key with its name, and of those whose words
    are all among its name's words; no other.
    """

    _MOST_WORDS = 12  # names longer than this are checked one by one

    def __init__(self, names: Collection[str]) -> None:
        self._names = names
        self._by_key: dict[str, list[str]] = {}
        self._by_words: dict[frozenset[str], list[str]] = {}
        for name in names:
            full, bare = name_keys(name)
            for key in {name, full, bare}:
                self._by_key.setdefault(key, []).append(name)
            if bare:
                self._by_words.setdefault(frozenset(bare.split()), []).append(name)

    def by(self, person: Person) -> set[str]:
        """The names whose finding ``person`` may change."""
        keys = set(name_keys(person.name))
        words = name_keys(person.name)[1].split()
        found = {name for key in {person.id, *keys} for name in self._by_key.get(key, ())}
        if len(words) > self._MOST_WORDS:
            found.update(name for name in self._names
                         if set(name_keys(name)[1].split()) <= set(words))
            return found
        unique = sorted(set(words))
        for size in range(1, len(unique) + 1):
            for part in combinations(unique, size):
                found.update(self._by_words.get(frozenset(part), ()))
        return found


class _Replay:
    """The rows tied to earlier rows, taken in file order as ``Ledger.observe`` takes them.

    Each is checked against what the rows before it left: the ids taken, the
    observations ``after`` may name, the people created, the count that
    numbers ``o{n}``. Rows not tied are appended when their cells are fine.
    """

    def __init__(self, attempt: _Pass, tied: list[int]) -> None:
        self.a = attempt
        self.p = attempt.p
        self.static = attempt.static
        self.tied = tied
        tied_rows = set(tied)
        self.problems = [self.p.problem(row, err) for row, err in attempt.cross.items()
                         if row not in tied_rows]
        self.bad = attempt.bad | (attempt.cross.keys() - tied_rows)
        self.subjects: dict[int, int] = {}  # tied row with tied names -> its subject code
        self.given: dict[int, str] = {}  # tied row with no id -> the id it gets
        self.planned: list[Person] = []
        self._planned: set[str] = set()
        self._created: dict[str, Person] = {}  # every person created, even for a refused row
        self._taken: dict[str, int] = {}  # ids of tied rows appended -> their row
        self._starts: dict[int, float] = {}  # tied rows appended with links -> narrowed start
        self._tied_rows = tied_rows
        self._rows = self._rows_of({a for refs in self.static.afters.values() for a in refs})
        self._rows.update((self.static.ids[row], row) for row in tied if self.static.ids[row])
        self._all_rows = False  # whether self._rows holds every id given
        self._before: list[int] = []  # row -> untied rows appended before it
        if attempt.ties.auto:
            appended = bytearray(b"\x01") * self.p.size
            for row in self.bad | tied_rows:
                appended[row] = 0
            self._before = list(accumulate(appended, initial=0))
        self._appended = 0
        self._new = Ledger()  # the people created, to look names up among
        self._touched: _Touched | None = None
        self._stale: set[str] = set()  # tied names a new person may make fit someone else
        self._found: dict[str, str | WhereaboutsError | None] = {}  # stale names, found again
        self._in_ledger: dict[str, bool] = {}
        self._told: dict[str, int] = {}  # narrative label -> its last row appended
        self.narrated: dict[int, int] = {}  # row appended -> the row its narrative puts before

    def run(self) -> None:
        for row in self.tied:
            self._row(row)

    def _row(self, row: int) -> None:
        problems: list[Problem] = []
        subjects, new = self._subjects(row, problems)
        oid = self.static.ids[row]
        if oid and oid not in self.static.bad_ids and self._is_taken(oid, row):
            problems.append(self.p.problem(row, _duplicate(oid), "id"))
        after = self.static.afters[self.p.cells["after"][row]]
        for prior in after:
            if not self._observed(prior, row):
                problems.append(self.p.problem(row, _unknown_prior(prior), "after"))
                break
        if problems or row in self.a.bad:
            self.problems.extend(problems)
            self.bad.add(row)
            return
        err = self._create(row, subjects, new)
        if err is not None:
            self._refuse(row, self.p.problem(row, err, "subjects"))
            return
        ids = tuple(s for s in subjects if s is not None)
        label = "" if self.static.labels is None else self.static.labels[row]
        before = self._told.get(label) if label else None
        err = self._cross(row, ids, oid, after, before)
        if err is not None:
            self._refuse(row, self.p.problem(row, err))
            return
        self._append(row, ids, oid, after, before)
        if label:
            self._told[label] = row

    def _refuse(self, row: int, problem: Problem) -> None:
        self.problems.append(problem)
        self.bad.add(row)

    # -- subjects, and the people the row creates -----------------------------------------

    def _subjects(self, row: int, problems: list[Problem],
                  ) -> tuple[list[str | None], list[str]]:
        """The row's subjects: ids, and None for each new person (the names in ``new``)."""
        raw = self.p.cells["subjects"][row]
        if raw not in self.a.dynamic:
            code = self.a.subjects[row]
            return ([] if code < 0 else list(self.a.subject_table[code])), []
        found: list[str | None] = []
        new: list[str] = []
        for name in self.static.cells[raw]:
            outcome = self._resolve(name)
            if isinstance(outcome, WhereaboutsError):
                problems.append(self.p.problem(row, outcome, "subjects"))
            else:
                found.append(outcome)
                if outcome is None:
                    new.append(name)
        return found, new

    def _resolve(self, name: str) -> str | WhereaboutsError | None:
        """What ``name`` fits now, the people created so far included."""
        if name not in self.a.ties.names or name not in self._stale:
            return self.static.names.outcomes[name]
        if name not in self._found:
            self._found[name] = self._fit(name)
        return self._found[name]

    def _fit(self, name: str) -> str | WhereaboutsError | None:
        """What ``Ledger.entity`` finds for a tied name in the ledger plus the new people.

        A tied name has no whole-name key among the ledger's entities (see
        :func:`_exact`), so it fits the new people by key, if any, or else the
        entities whose words hold its words: the ledger's (known from the
        first lookup) and then the new people's, which a small ledger of just
        those finds in the ledger's own words.
        """
        new = self._new
        try:
            found = new.entity(name, field="subjects")
        except UnknownEntity:
            fits: Sequence[object] = ()
        except Ambiguous as err:
            if _exact(name, err.candidates):
                return err
            fits = err.candidates
        else:
            if _exact(name, (found,)):
                return found.id
            fits = (found,)
        matches = [*self.static.names.fits(name), *fits]
        small = Ledger()
        for entity in matches:
            if isinstance(entity, Entity):
                small.add(entity)
        try:
            return small.entity(name, field="subjects").id
        except UnknownEntity:
            return None
        except WhereaboutsError as err:
            return err

    def _forget(self, person: Person) -> None:
        """Forget what the names ``person`` could fit were found to fit (see :class:`_Touched`)."""
        if self._touched is None:
            self._touched = _Touched(self.a.ties.names)
        for name in self._touched.by(person):
            self._stale.add(name)
            self._found.pop(name, None)

    def _create(self, row: int, subjects: list[str | None], new: list[str],
                ) -> WhereaboutsError | None:
        """Create the row's new people as ``Ledger.add_person`` would; put their ids in."""
        names = iter(new)
        for n, subject in enumerate(subjects):
            if subject is not None:
                continue
            name = next(names)
            base = candidate = _slug(name)
            number = 1
            while self._is_taken(candidate, row):
                number += 1
                candidate = f"{base}-{number}"
            try:
                person = Person(candidate, name)
            except WhereaboutsError as err:
                return err
            self._created[person.id] = person
            self._new.add(person)
            self._forget(person)
            subjects[n] = person.id
        return None

    # -- the row's values together --------------------------------------------------------

    def _cross(self, row: int, subjects: tuple[str, ...], oid: str,
               after: tuple[str, ...], before: int | None) -> WhereaboutsError | None:
        if oid and oid in self._created:  # a person this very row created
            return DuplicateId("id already in the ledger", field="id", value=oid)
        if row in self.a.cross:
            return self.a.cross[row]
        values = self.static.row(row)
        if self.p.cells["subjects"][row] in self.a.dynamic and _suspect(subjects, *values):
            err = self.p.probe.error(subjects, *values)
            if err is not None:
                return err
        if after or before is not None:
            end = self.p.order.window(row)[1]
            start = self._start(row, after)
            if after and start >= end:
                return _late(after)
            if before is not None and max(start, self._row_start(before)) >= end:
                return late_in_narrative(self.id_of(before))
        return None

    def _start(self, row: int, after: tuple[str, ...], before: int | None = None) -> float:
        """The start of a row narrowed by its ``after`` links (and its narrative's row before)."""
        own = self.p.order.window(row)[0]
        starts = [own, *(self._start_of(prior) for prior in after)]
        if before is not None:
            starts.append(self._row_start(before))
        return max(starts)

    def _row_start(self, row: int) -> float:
        """The start of an earlier row appended, narrowed by its links."""
        known = self._starts.get(row)
        return known if known is not None else self.p.order.window(row)[0]

    def id_of(self, row: int) -> str:
        """The id of a tied row appended (its own, or the ``o{n}`` it gets)."""
        return self.static.ids[row] or self.given[row]

    def _start_of(self, oid: str) -> float:
        row = self._taken.get(oid)
        if row is None:
            row = self._untied(oid)
        if row is None:
            return self.p.order.start(oid)
        known = self._starts.get(row)
        return known if known is not None else self.p.order.window(row)[0]

    def _append(self, row: int, subjects: tuple[str, ...], oid: str,
                after: tuple[str, ...], before: int | None) -> None:
        if not oid and self.a.ties.auto:
            oid = self.given[row] = self._next_id(row)
        if oid:
            self._taken[oid] = row
        self._appended += 1
        if self.p.cells["subjects"][row] in self.a.dynamic:
            self.subjects[row] = self.a.subject_code(subjects)
        if after or before is not None:
            self._starts[row] = self._start(row, after, before)
        if before is not None:
            self.narrated[row] = before
        for subject in subjects:
            person = self._created.get(subject)
            if person is not None and subject not in self._planned:
                self._planned.add(subject)
                self.planned.append(person)

    # -- what the earlier rows left -------------------------------------------------------

    def _rows_of(self, wanted: set[str]) -> dict[str, int]:
        """The rows of the ids in ``wanted`` that a single row gives (one pass for them all)."""
        wanted = (wanted & self.static.given) - self.a.ties.ids
        if not wanted:
            return {}
        return {oid: row for row, oid in enumerate(self.static.ids) if oid in wanted}

    def _untied(self, oid: str) -> int | None:
        """The row that gives ``oid``, if it is not tied and its cells are fine."""
        if oid not in self.static.given or oid in self.a.ties.ids:
            return None  # no row gives it, or it is an id of tied rows only
        row = self._rows.get(oid)
        if row is None and not self._all_rows:  # a new person's or an o{n} id: rare
            self._rows = {oid: row for row, oid in enumerate(self.static.ids) if oid}
            self._all_rows = True
            row = self._rows.get(oid)
        return None if row is None or row in self._tied_rows or row in self.bad else row

    def _is_taken(self, oid: str, row: int) -> bool:
        """Whether an entity, or an entry before ``row``, has the id ``oid``."""
        if oid in self.p.ledger_ids or oid in self._taken or oid in self._created:
            return True
        earlier = self._untied(oid)
        return earlier is not None and earlier < row

    def _observed(self, oid: str, row: int) -> bool:
        """Whether ``after`` may name ``oid`` on ``row``: an earlier row's, or the ledger's."""
        earlier = self._taken.get(oid)
        if earlier is None:
            earlier = self._untied(oid)
        if earlier is not None:
            return earlier < row
        if oid not in self._in_ledger:
            try:
                self.p.ledger.observation(oid)
                self._in_ledger[oid] = True
            except WhereaboutsError:
                self._in_ledger[oid] = False
        return self._in_ledger[oid]

    def _next_id(self, row: int) -> str:
        """The id ``Ledger.observe`` gives a row without one: ``o{n}``, n counting entries."""
        number = len(self.p.ledger) + self._before[row] + self._appended + 1
        while self._is_taken(f"o{number}", row):
            number += 1
        return f"o{number}"

    # -- ties found on the way -------------------------------------------------------------

    def grown(self) -> _Ties | None:
        """The ties to make the pass again with, if new people's ids are used elsewhere."""
        ties = self.a.ties
        created = self._created.keys()
        names = {name for name in self.static.names.outcomes if name in created} - ties.names
        ids = (created & self.static.given) - ties.ids
        auto = (not ties.auto and any(map(_AUTO.fullmatch, created))
                and not all(self.static.ids))
        if not (names or ids or auto):
            return None
        return _Ties(names=ties.names | names, ids=ties.ids | ids, auto=ties.auto or auto)


# -- rows that are not plain observations, exact values, grades as one code ----------

_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")
_EXACT_FIELDS = frozenset({"place", "source", "note"})
_EMPTY_IN_WITHDRAWAL = ("subjects", "kind", "place", "when", "reliability", "credibility", "after",
                        "throughout", "narrative", "grading")


def readable(text: str) -> str:
    """``text`` as a cell of a file can hold it: a NUL or a lone surrogate (text that is not
    Unicode) as U+FFFD. The ``exact`` column carries the value itself."""
    if "\x00" in text or not text.isascii():
        return _UNWRITABLE.sub("\ufffd", text)
    return text


def _same(cell: str, shown: str) -> bool:
    """Whether a readable cell says what an exact value shows (spacing aside)."""
    return " ".join(cell.split()) == " ".join(shown.split())


class _Prepared:
    """The cells as the planner takes them: grades given as one code spread into their two
    columns, ``exact`` values put in, and the rows that are corrections, retractions or
    denials found; a row with a problem here is left out (as a row of the wrong width)."""

    def __init__(self, cells: Mapping[str, Sequence[str]], lines: Sequence[int],
                 numbers: Mapping[str, int]) -> None:
        self.numbers = numbers
        self.problems: list[Problem] = []
        self.places: dict[str, Where] = {}
        self.sources: dict[str, Source] = {}
        self.special: list[tuple[int, str, str]] = []
        """Each correction, retraction or denial: its row, its kind of entry, its target."""
        self.cells: Mapping[str, Sequence[str]] = cells
        self.lines: Sequence[int] = lines
        self._lines = lines
        size = len(lines)
        if {"entry", "target", "exact", "grading"}.isdisjoint(cells) and (
                "reliability" in cells and "credibility" in cells):
            return
        work = dict(cells)
        for column in ("reliability", "credibility"):
            if column not in work:
                work[column] = [""] * size
        self._bad: set[int] = set()
        if "grading" in work:
            self._grading(work)
        if "exact" in work:
            self._exact(work)
        entries: dict[int, tuple[str, str]] = {}
        if "entry" in work or "target" in work:
            entries = self._entries(work)
        if self._bad:
            keep = [row not in self._bad for row in range(size)]
            work = {column: list(compress(values, keep)) for column, values in work.items()}
            at = list(accumulate(keep, initial=0))
            entries = {at[row]: entry for row, entry in entries.items() if row not in self._bad}
            self.lines = list(compress(lines, keep))
        self.cells = work
        self.special = [(row, *entries[row]) for row in sorted(entries)]

    def _problem(self, row: int, err: WhereaboutsError, column: str) -> None:
        number = self.numbers.get(column)
        self.problems.append(Problem.of(err, line=self._lines[row], column=number,
                                        field=column if number is not None else None))
        self._bad.add(row)

    def _grading(self, cells: dict[str, Sequence[str]]) -> None:
        codes, reliabilities, credibilities = (cells["grading"], cells["reliability"],
                                               cells["credibility"])
        rel, cred = list(reliabilities), list(credibilities)
        known: dict[tuple[str, str, str], tuple[str, str] | WhereaboutsError | None] = {}
        for row in compress(count(), map(str.strip, codes)):
            key = (codes[row].strip(), reliabilities[row].strip(), credibilities[row].strip())
            if key not in known:
                known[key] = _grading_of(*key)
            outcome = known[key]
            if isinstance(outcome, WhereaboutsError):
                self._problem(row, outcome, "grading")
            elif outcome is not None:
                rel[row], cred[row] = outcome
        cells["reliability"], cells["credibility"] = rel, cred

    def _exact(self, cells: dict[str, Sequence[str]]) -> None:
        column = cells["exact"]
        changed = {name: list(cells[name]) for name in ("place", "source", "note")}
        known: dict[str, dict[str, tuple[str, str]] | WhereaboutsError] = {}
        for row in compress(count(), map(str.strip, column)):
            raw = column[row]
            if raw not in known:
                known[raw] = self._decode(raw)
            found = known[raw]
            if isinstance(found, WhereaboutsError):
                self._problem(row, found, "exact")
                continue
            for name, (value, shown) in found.items():
                cell = changed[name][row]
                if not _same(cell, shown):
                    self._problem(row, InvalidObservation(
                        f"the 'exact' cell says {shown!r}: edit both, or empty the 'exact' "
                        f"cell to read this one", field=name, value=cell), name)
                else:
                    changed[name][row] = value
        cells.update(changed)

    def _decode(self, raw: str) -> dict[str, tuple[str, str]] | WhereaboutsError:
        """What an ``exact`` cell gives each column: the cell to read, and what the readable
        cell should show."""
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError) as err:
            return InvalidObservation(f"not JSON ({str(err)[:80]})", field="exact", value=raw)
        if not isinstance(data, dict) or not data or set(data) - _EXACT_FIELDS:
            return InvalidObservation("expected a JSON object of 'place', 'source' or 'note'",
                                      field="exact", value=raw)
        found: dict[str, tuple[str, str]] = {}
        try:
            if "place" in data:
                where = place_of(data["place"])
                token = "\x00" + json.dumps(data["place"], sort_keys=True)
                self.places[token] = where
                found["place"] = (token, " | ".join(readable(p.name) for p in where.options))
            if "source" in data:
                src = source_of(data["source"])
                token = "\x00" + json.dumps(data["source"], sort_keys=True)
                self.sources[token] = src
                found["source"] = (token, " → ".join(readable(s.name) for s in src.chain))
        except WhereaboutsError as err:
            return type(err)(f"{err.field}: {err.reason}", field="exact", value=raw)
        except RecursionError:
            return InvalidObservation("nested too deep", field="exact", value=raw)
        if "note" in data:
            if not isinstance(data["note"], str):
                return InvalidObservation("a note is text", field="exact", value=raw)
            found["note"] = (data["note"], readable(data["note"]))
        return found

    def _entries(self, cells: dict[str, Sequence[str]]) -> dict[int, tuple[str, str]]:
        kinds, targets = cells.get("entry"), cells.get("target")
        rows: set[int] = set()
        for column in (kinds, targets):
            if column is not None:
                rows.update(compress(count(), map(str.strip, column)))
        entries: dict[int, tuple[str, str]] = {}
        for row in sorted(rows):
            kind = "" if kinds is None else kinds[row].strip().lower()
            target = "" if targets is None else targets[row].strip()
            if kind not in ENTRIES and kind:
                self._problem(row, InvalidObservation(
                    "expected observation, correction, retraction or denial (empty: an "
                    "observation)", field="entry", value=kinds[row].strip() if kinds else ""),
                    "entry")
            elif kind in ("", "observation"):
                if target:
                    self._problem(row, InvalidObservation(
                        "only a correction, retraction or denial has a target", field="target",
                        value=target), "target")
            elif not target:
                self._problem(row, InvalidObservation(
                    f"a {kind} names the observation it is about", field="target"), "target")
            else:
                entries[row] = (kind, target)
        return entries


def _grading_of(code: str, reliability: str, credibility: str,
                ) -> tuple[str, str] | WhereaboutsError | None:
    """What a ``grading`` cell gives the two grade cells of its row: their values (when
    both are empty), None (when they agree with it), or what is wrong."""
    try:
        grading = Grading.parse(code, field="grading")
    except WhereaboutsError as err:
        return err
    if not reliability and not credibility:
        return grading.reliability.name, str(grading.credibility.value)
    try:
        given = Grading(reliability or "F", credibility or "6")
    except WhereaboutsError:
        return None  # the planner reports the bad cell
    if given == grading:
        return None
    return InvalidObservation(f"differs from the reliability and credibility cells ({given})",
                              field="grading", value=code)


_Step = tuple[tuple[Person, ...], "Observation | Retraction | Denial | None"]


class _Steps:
    """A sheet with corrections, retractions or denials: its runs of plain rows (each a
    :class:`Plan`) and those rows between them, tried in file order on ``scratch``."""

    def __init__(self, prepared: _Prepared, numbers: Mapping[str, int], scratch: Ledger) -> None:
        self.p = prepared
        self.numbers = numbers
        self.scratch = scratch
        self.problems: list[Problem] = []
        self.steps: list[Plan | _Step] = []
        self.created: list[Person] = []
        self._added: list[Sequence[Observation | Retraction | Denial]] = []

    def run(self) -> None:
        start = 0
        for row, kind, target in self.p.special:
            if start < row:
                self._take(self._plan(start, row))
            if kind == "correction":
                self._correction(row, target)
            else:
                self._withdrawal(row, kind, target)
            start = row + 1
        if start < len(self.p.lines):
            self._take(self._plan(start, len(self.p.lines)))

    def apply(self, ledger: Ledger) -> None:
        """Take the same steps on ``ledger`` (as it was when the scratch copy was made)."""
        self.created, self._added = [], []
        if isinstance(ledger, SqliteLedger):
            with ledger.transaction():
                for step in self.steps:
                    self._do(ledger, step)
        else:
            for step in self.steps:
                self._do(ledger, step)

    def added(self) -> Sequence[Observation | Retraction | Denial]:
        return _Joined(self._added)

    def _take(self, step: Plan | _Step) -> None:
        if isinstance(step, Plan):
            self.problems.extend(step.problems)
        self._do(self.scratch, step)
        self.steps.append(step)

    def _do(self, ledger: Ledger, step: Plan | _Step) -> None:
        if isinstance(step, Plan):
            added, created = _load(ledger, step)
            self._added.append(added)
            self.created.extend(created)
            return
        people, entry = step
        self.created.extend(ledger.add_person(p.name, id=p.id) for p in people)
        if entry is not None:
            self._added.append((ledger.append(entry),))

    def _plan(self, start: int, end: int) -> Plan:
        cells = {column: values[start:end] for column, values in self.p.cells.items()}
        return plan(cells, self.p.lines[start:end], self.scratch, numbers=self.numbers,
                    places=self.p.places, sources=self.p.sources)

    def _problem(self, row: int, err: WhereaboutsError, column: str | None = None) -> None:
        col = column or _ENTRY_FIELD.get(err.field or "", err.field or "")
        number = self.numbers.get(col)
        self.problems.append(Problem.of(err, line=self.p.lines[row], column=number,
                                        field=col if number is not None else None))

    def _observed(self, oid: str) -> bool:
        try:
            self.scratch.observation(oid)
        except WhereaboutsError:
            return False
        return True

    def _unknown(self, row: int, target: str) -> None:
        self._problem(row, UnknownObservation(
            "no such observation on an earlier row or in the ledger", field="target",
            value=target), "target")

    def _correction(self, row: int, target: str) -> None:
        one = self._plan(row, row + 1)
        if one.problems:
            self.problems.extend(one.problems)
            return
        if not self._observed(target):
            self._unknown(row, target)
            return
        b = one.batch
        if not len(b):
            return
        given = b.ids[0] if b.ids is not None else None
        after = b.after.get(0, ())
        stay = {"throughout": b.throughout[0]} if 0 in b.throughout else {}
        people = tuple(self.scratch.add_person(p.name, id=p.id) for p in one.people)
        try:
            obs = Observation(
                id=given or self.scratch._entry_id(None), subjects=b.subject_table[b.subjects[0]],
                kind=b.kind_table[b.kinds[0]], place=b.place_table[b.places[0]],
                when=b.when_table[b.whens[0]], source=b.source_table[b.sources[0]],
                reported=b.reported_table[b.reported[0]],
                grading=b.grading_table[b.gradings[0]] if b.gradings else Grading(),
                note=b.notes.get(0, ""), after=after, corrects=target, **stay)
            self.scratch.append(obs)
        except WhereaboutsError as err:
            self._problem(row, err)
            self.steps.append((people, None))
            return
        self.steps.append((people, obs))
        self._added.append((obs,))
        self.created.extend(people)

    def _withdrawal(self, row: int, kind: str, target: str) -> None:
        cells = self.p.cells
        found: list[tuple[str, WhereaboutsError]] = []
        for column in _EMPTY_IN_WITHDRAWAL:
            if column in cells and cells[column][row].strip():
                found.append((column, InvalidObservation(
                    f"a {kind} row leaves this cell empty", field=column,
                    value=cells[column][row].strip())))
        oid = cells["id"][row].strip()
        if oid:
            try:
                _check_entity_id(None, None, oid)
            except WhereaboutsError as err:
                found.append(("id", err))
        raw = cells["source"][row]
        src: Source | None = self.p.sources.get(raw)
        if src is None:
            try:
                src = source(raw.strip())
            except WhereaboutsError as err:
                found.append(("source", err))
        reported: When | None = None
        try:
            reported = _reported(cells["reported"][row])
        except WhereaboutsError as bad:
            found.append(("reported", bad))
        else:
            if reported is None:
                found.append(("reported", InvalidObservation(
                    f"a {kind} needs the date it was reported", field="reported")))
        if not self._observed(target):
            found.append(("target", UnknownObservation(
                "no such observation on an earlier row or in the ledger", field="target",
                value=target)))
        if found or src is None:
            for column, wrong in found:
                self._problem(row, wrong, column)
            return
        made = Retraction if kind == "retraction" else Denial
        try:
            entry = made(id=oid or self.scratch._entry_id(None), target=target, source=src,
                         reported=reported, reason=cells["note"][row])
            self.scratch.append(entry)
        except WhereaboutsError as err:
            self._problem(row, err)
            return
        self.steps.append(((), entry))
        self._added.append((entry,))


_ENTRY_FIELD = {**_FIELD_COLUMN, "target": "target", "corrects": "target"}


class _Joined(Sequence[_T]):
    """Sequences one after the other, without copying them."""

    def __init__(self, parts: Sequence[Sequence[Any]]) -> None:
        self._parts = [part for part in parts if len(part)]
        self._starts = list(accumulate((len(part) for part in self._parts), initial=0))

    def __len__(self) -> int:
        return self._starts[-1]

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        part = bisect_right(self._starts, index) - 1
        return self._parts[part][index - self._starts[part]]
