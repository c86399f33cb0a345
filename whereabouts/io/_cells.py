"""The columns of a sheet, and what one cell says: the rules (and the words) of
:meth:`Ledger.observe <whereabouts.Ledger.observe>` for a single value.

Each function here reads one cell (a ``place``, a ``source``, a date...) and
returns its value or raises the :class:`~whereabouts.WhereaboutsError` that
``Ledger.observe`` would, so that a sheet's problems are worded as the
one-by-one API words them. Nothing here knows about rows or other cells.
"""

from __future__ import annotations

import re
from datetime import date

from whereabouts._text import fold
from whereabouts.errors import (
    Ambiguous,
    AmbiguousPlace,
    InvalidObservation,
    InvalidPlace,
    WhereaboutsError,
)
from whereabouts.ledger import Ledger
from whereabouts.observations import Kind
from whereabouts.places import Alternatives, Place, PlaceKind, Where
from whereabouts.sources import Grading, Source
from whereabouts.when import When

__all__ = ["COLUMNS", "DERIVED", "ENTRIES", "OPTIONAL", "TEMPLATE", "date_hint", "hinted",
           "in_no_country", "place", "place_named", "read_credibility", "read_kind",
           "read_reliability", "read_reported", "read_when", "slug", "source", "split",
           "throughout"]


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

_RELAY = re.compile(r"\s*(?:→|->)\s*")
_SLUG = re.compile(r"[^a-z0-9]+")


def split(text: str, separator: str) -> list[str]:
    """The non-empty parts of ``text`` between ``separator``, stripped.

    >>> split(" Amal ; ;Sami", ";"), split("  Amal ", ";"), split(" ", ";")
    (['Amal', 'Sami'], ['Amal'], [])
    """
    if separator not in text:  # most cells hold one part: a bulk load splits ~10^6
        part = text.strip()
        return [part] if part else []
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


def read_when(raw: str) -> When | None:
    text = raw.strip()
    return _date(text, "when") if text else None


def read_reported(raw: str) -> When | None:
    text = raw.strip()
    return _date(text, "reported") if text else None  # empty: not known


def _date(text: str, field: str) -> When:
    """The EDTF date of a cell; a date spelt otherwise is refused, with the EDTF to write."""
    try:
        return When.parse(text, field=field)
    except WhereaboutsError as err:
        raise hinted(text, err) from None


def hinted(text: str, err: WhereaboutsError) -> WhereaboutsError:
    """The error of a date cell (stripped) that ``When.parse`` refused: with the EDTF to
    write when the cell spells a date as spreadsheets and people do (see :func:`date_hint`)."""
    hint = date_hint(text)
    if hint is None:
        return err.with_traceback(None)
    return type(err)(f"not an EDTF date; {hint}", field=err.field, value=err.value)


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


def read_kind(raw: str) -> Kind:
    return Kind.coerce(raw.strip())


def read_reliability(raw: str) -> str:
    text = raw.strip()
    Grading(text or "F")
    return text


def read_credibility(raw: str) -> str:
    text = raw.strip()
    Grading("F", text or "6")
    return text



def slug(name: str) -> str:
    """The id :meth:`Ledger.add_person` derives from a name (before numbering it)."""
    return _SLUG.sub("-", fold(name)).strip("-")[:100] or "entity"
