"""Hypothesis strategies shared by the tests.

Each strategy returns values that the library must accept. Keep them small,
documented and independent of the code under test where possible, so that a
property test checks the code instead of repeating it.

Ledgers (see :func:`ledgers`) come after the EDTF strategies.

EDTF texts (see :mod:`whereabouts.when`)
----------------------------------------

Every generated text is *canonical*: ``str(When.parse(text)) == text``.
The generators work from UTC instants: a date is rendered as a year, month or
day that holds the instant (maybe with some digits replaced by ``X``, which
keeps the instant among its completions), and a date-time as that second in
some offset. Because each rendering holds its instant, an interval or range
built from two ordered instants never ends before it starts.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone

from hypothesis import strategies as st

from whereabouts import (
    Alternatives,
    Grading,
    Kind,
    Ledger,
    Observation,
    Place,
    RelationKind,
    Retraction,
    Source,
    SourceKind,
)
from whereabouts._text import fold
from whereabouts.errors import WhereaboutsError
from whereabouts.observations import Denial

__all__ = [
    "QUALIFIERS",
    "edtf_dates",
    "edtf_datetimes",
    "edtf_intervals",
    "edtf_level1_dates",
    "edtf_oracle_texts",
    "edtf_plain_sets",
    "edtf_points",
    "edtf_sets",
    "edtf_texts",
    "instants",
    "ledgers",
    "names",
    "places",
    "sources",
    "texts",
]

QUALIFIERS = ("", "?", "~", "%")
"""The EDTF qualifiers a date may end with: none, uncertain, approximate, both."""

# Kept a year inside 0001-9999 so that any UTC offset still gives a valid local date.
_FIRST_INSTANT = datetime(2, 1, 1)
_LAST_INSTANT = datetime(9998, 12, 31, 23, 59, 59)


def instants() -> st.SearchStrategy[datetime]:
    """Aware UTC datetimes in whole seconds, between years 0002 and 9998."""
    return st.datetimes(
        min_value=_FIRST_INSTANT, max_value=_LAST_INSTANT, timezones=st.just(timezone.utc)
    ).map(lambda moment: moment.replace(microsecond=0))


def _digits(day: date, precision: str) -> str:
    text = f"{day.year:04d}{day.month:02d}{day.day:02d}"
    return text[: {"year": 4, "month": 6, "day": 8}[precision]]


def _dashed(digits: str) -> str:
    """'20241207' -> '2024-12-07' (also for 4 and 6 digits, X included)."""
    return "-".join(part for part in (digits[:4], digits[4:6], digits[6:]) if part)


@st.composite
def edtf_dates(
    draw: st.DrawFn,
    instant: datetime | None = None,
    *,
    unspecified: bool = True,
    qualified: bool = True,
) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` holding *instant*'s UTC day.

    With *unspecified*, any digits may be replaced by ``X`` (EDTF level 2; the
    real day stays a completion, so the text is always valid). With
    *qualified*, a qualifier may follow.
    """
    moment = instant if instant is not None else draw(instants())
    digits = _digits(moment.date(), draw(st.sampled_from(("year", "month", "day"))))
    if unspecified and draw(st.booleans()):
        mask = draw(st.lists(st.booleans(), min_size=len(digits), max_size=len(digits)))
        digits = "".join(
            "X" if hidden else digit for digit, hidden in zip(digits, mask, strict=True)
        )
    return _dashed(digits) + (draw(st.sampled_from(QUALIFIERS)) if qualified else "")


@st.composite
def edtf_level1_dates(draw: st.DrawFn) -> str:
    """Dates in the forms the ``edtf`` package handles: level 0 and level 1 ``X`` forms.

    That is ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYX``, ``YYXX``, ``YYYY-XX``,
    ``YYYY-MM-XX`` and ``YYYY-XX-XX``, each with an optional qualifier. Years run
    from 1000 so that no ``X`` form can stand for year 0000.
    """
    day = draw(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
    year, month, mday = f"{day.year:04d}", f"{day.month:02d}", f"{day.day:02d}"
    form = draw(
        st.sampled_from(
            (
                year,
                f"{year}-{month}",
                f"{year}-{month}-{mday}",
                f"{year[:3]}X",
                f"{year[:2]}XX",
                f"{year}-XX",
                f"{year}-{month}-XX",
                f"{year}-XX-XX",
            )
        )
    )
    return form + draw(st.sampled_from(QUALIFIERS))


def _offset_text(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


@st.composite
def edtf_datetimes(draw: st.DrawFn, instant: datetime | None = None) -> str:
    """``YYYY-MM-DDThh:mm:ss`` naming *instant*, with ``Z``, an offset, or nothing (UTC)."""
    moment = instant if instant is not None else draw(instants())
    offset = draw(st.one_of(st.none(), st.just("Z"), st.integers(-12 * 60, 14 * 60)))
    if isinstance(offset, int):
        local, suffix = moment + timedelta(minutes=offset), _offset_text(offset)
    else:
        local, suffix = moment, offset or ""
    return (
        f"{local.year:04d}-{local.month:02d}-{local.day:02d}"
        f"T{local.hour:02d}:{local.minute:02d}:{local.second:02d}{suffix}"
    )


def edtf_points(instant: datetime | None = None) -> st.SearchStrategy[str]:
    """A single date or date-time (holding *instant* when given)."""
    return st.one_of(edtf_dates(instant), edtf_datetimes(instant))


def _ordered_pair() -> st.SearchStrategy[tuple[datetime, datetime]]:
    return st.tuples(instants(), instants()).map(lambda pair: (min(pair), max(pair)))


def _point(moment: datetime, *, points: bool) -> st.SearchStrategy[str]:
    """A rendering of *moment*: any point, or (``points=False``) a date without ``X``."""
    return edtf_points(moment) if points else edtf_dates(moment, unspecified=False)


@st.composite
def edtf_intervals(draw: st.DrawFn, points: bool = True) -> str:
    """``A/B`` with ``A`` no later than ``B``; either end (not both) may be ``..`` or empty.

    With ``points=False`` the ends are dates without ``X`` (what the ``edtf``
    package reads) and never empty (``edtf`` guesses a ten-year span for those).
    """
    first, last = draw(_ordered_pair())
    missing = ("..", "") if points else ("..",)
    shape = draw(st.sampled_from(("both", "no start", "no end")))
    start = _point(first, points=points)
    end = _point(last, points=points)
    if shape == "no start":
        start = st.sampled_from(missing)
    elif shape == "no end":
        end = st.sampled_from(missing)
    return f"{draw(start)}/{draw(end)}"


@st.composite
def edtf_sets(draw: st.DrawFn) -> str:
    """``[...]`` (one of) or ``{...}`` (all of) with 1-4 members.

    Members are points or ranges ``A..B`` (of any precisions); the set may start
    with ``..A`` and end with ``A..``.
    """
    members = []
    for _ in range(draw(st.integers(1, 4))):
        first, last = draw(_ordered_pair())
        member = draw(edtf_points(first))
        if draw(st.booleans()):
            member += ".." + draw(edtf_points(last))
        members.append(member)
    if draw(st.booleans()):
        members[0] = ".." + draw(edtf_points())
    if draw(st.booleans()):
        members[-1] = draw(edtf_points()) + ".."
    opener, closer = draw(st.sampled_from((("[", "]"), ("{", "}"))))
    return opener + ",".join(members) + closer


@st.composite
def edtf_plain_sets(draw: st.DrawFn) -> str:
    """Sets in the shape the ``edtf`` package reads and bounds correctly.

    2-4 members, plain dates without ``X`` or qualifiers, and both sides of a
    range at the same precision. No ``..A`` or ``A..``: beside other members,
    edtf 5.0.2 crashes on them (it compares a float infinity with a struct_time).
    """

    def plain(moment: datetime, precision: str) -> str:
        return _dashed(_digits(moment.date(), precision))

    precisions = st.sampled_from(("year", "month", "day"))
    members = []
    for _ in range(draw(st.integers(2, 4))):
        first, last = draw(_ordered_pair())
        precision = draw(precisions)
        member = plain(first, precision)
        if draw(st.booleans()):
            member += ".." + plain(last, precision)
        members.append(member)
    opener, closer = draw(st.sampled_from((("[", "]"), ("{", "}"))))
    return opener + ",".join(members) + closer


def edtf_texts() -> st.SearchStrategy[str]:
    """Any canonical EDTF text that :class:`whereabouts.when.When` accepts."""
    return st.one_of(edtf_points(), edtf_intervals(), edtf_sets())


def edtf_oracle_texts() -> st.SearchStrategy[str]:
    """Canonical texts whose day bounds the ``edtf`` package computes correctly.

    Dates only (``edtf`` cannot read date-times inside intervals or sets, and it
    takes the local date of a date-time), level 1 ``X`` forms only (it crashes on
    ``2024-1X`` or ``2024-12-0X``), and no unknown interval ends (it guesses).
    """
    return st.one_of(
        edtf_level1_dates(),
        edtf_intervals(points=False),
        edtf_plain_sets(),
    )


# -- ledgers ---------------------------------------------------------------------------

_COUNTRIES = ("SY", "LB", "RU", "AE", "IQ", "LY", "FR", "US")
_SUBDIVISIONS = ("SY-LA", "SY-DI", "LB-BA", "RU-MOW", "AE-DU")
_DATES = ("2024-12-07", "2024-12-08", "2024-12", "2024-12-08/..", "../2024-12-08",
          "2024-12-07/2024-12-09", "[2024-12-07,2024-12-10]", "2024", "2024-12-09T10:00:00Z")
_REPORTED = ("2024-12-08", "2024-12-10", "2024-12", "2025-01-15", "9999-12-31")
_SPANS = ("{2024-11-19..2024-12-06}", "2024-11-19/2024-12-06", "2024-12-01/..", "2024-12-01/")


_ALPHABET = st.one_of(
    st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x00"),
    st.sampled_from(",;\"'\n\r|→"),
)


@functools.cache
def texts(*, min_size: int = 0, max_size: int = 20) -> st.SearchStrategy[str]:
    """Free text as people type it: any letters, digits, punctuation, spaces and
    line breaks (quotes, commas and semicolons too), no NUL."""
    return st.text(_ALPHABET, min_size=min_size, max_size=max_size)


@functools.cache
def names() -> st.SearchStrategy[str]:
    """A name: text with at least one letter or digit, no surrounding spaces."""
    return texts(min_size=1, max_size=16).map(str.strip).filter(lambda t: bool(fold(t)))


def _ids() -> st.SearchStrategy[str]:
    return st.from_regex(r"[a-z0-9][a-z0-9._:-]{0,8}", fullmatch=True)


def _points() -> st.SearchStrategy[tuple[float, float] | None]:
    return st.one_of(st.none(), st.tuples(st.floats(-90, 90), st.floats(-180, 180)))


@st.composite
def places(draw: st.DrawFn) -> Place:
    """Any place value: a country, subdivision, region, city or facility (with parents,
    points or none, and sometimes a key of its own), or a place in no country: a
    craft or waters."""
    country = draw(st.sampled_from(_COUNTRIES))
    shape = draw(st.sampled_from(("country", "subdivision", "region", "city", "facility",
                                  "craft", "waters")))
    if shape == "craft":
        return Place.craft(draw(st.sampled_from(("Admiral Kuznetsov", "RA-96016")) | names()),
                           point=draw(_points()), key=draw(st.none() | _ids()))
    if shape == "waters":
        return Place.waters(draw(st.sampled_from(("international waters",)) | names()),
                            point=draw(_points()), key=draw(st.none() | _ids()))
    if shape == "country":
        return Place.from_country(country)
    if shape == "subdivision":
        return Place.from_subdivision(draw(st.sampled_from(_SUBDIVISIONS)),
                                      name=draw(st.none() | names()))
    if shape == "region":
        codes = draw(st.sets(st.sampled_from(_COUNTRIES), min_size=1, max_size=4))
        return Place.region(draw(names()), codes, key=draw(st.none() | _ids()))
    subdivision = draw(st.sampled_from(_SUBDIVISIONS))
    city = Place.city(draw(names()), country=subdivision[:2],
                      subdivision=draw(st.sampled_from((None, subdivision))),
                      point=draw(_points()))
    if shape == "city":
        return city
    parent = draw(st.sampled_from((city, Place.from_country(subdivision[:2]),
                                   Place.from_subdivision(subdivision))))
    return Place.facility(draw(names()), parent=parent, point=draw(_points()),
                          key=draw(st.none() | st.sampled_from(("site:a", "site:b"))))


@st.composite
def _wheres(draw: st.DrawFn, pool: Sequence[Place]) -> Place | Alternatives:
    options = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3,
                            unique_by=lambda p: p.key))
    return options[0] if len(options) == 1 else Alternatives(tuple(options))


@st.composite
def sources(draw: st.DrawFn, depth: int = 3) -> Source:
    """A source with 0-2 relays before it, each with any kind, date and URL."""
    via = draw(sources(depth - 1)) if depth > 1 and draw(st.booleans()) else None
    return Source(
        draw(names()), kind=draw(st.sampled_from(list(SourceKind))),
        published=draw(st.none() | st.sampled_from(_REPORTED)),
        url=draw(st.none() | st.just("https://example.org/a?b=1")), via=via,
    )


@st.composite
def ledgers(draw: st.DrawFn, *, max_entities: int = 5, max_entries: int = 12,
            version_2: bool = False) -> Ledger:
    """A valid ledger of every part: people and groups (with aliases, descriptions,
    notes), memberships and other relations, registered places with aliases,
    observations of every kind at places, alternatives or nowhere, with every
    form of date, relayed and graded sources, ``after`` links, corrections and
    retractions. Parts the ledger refuses (an ``after`` link against the dates)
    are left out, so what is drawn is always what the ledger holds. With
    ``version_2``, also stays (``throughout`` given or by default), report dates
    not known and denials."""
    ledger = Ledger()
    for n in range(draw(st.integers(1, max_entities))):
        add = ledger.add_group if draw(st.booleans()) and n else ledger.add_person
        add(draw(names()), id=f"e{n}", aliases=draw(st.lists(names(), max_size=2)),
            description=draw(texts(max_size=8)), note=draw(texts(max_size=8)))
    ids = [e.id for e in ledger.entities]
    groups = [g.id for g in ledger.groups]
    for _ in range(draw(st.integers(0, 3))):
        a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        kind = RelationKind.MEMBER_OF if b in groups and draw(st.booleans()) else draw(
            st.sampled_from([k for k in RelationKind
                             if k not in (RelationKind.MEMBER_OF, RelationKind.HAS_MEMBER)]))
        if a != b:
            ledger.relate(a, kind, b, label=draw(texts(max_size=6)), note=draw(texts(max_size=6)))
    pool = draw(st.lists(places(), min_size=1, max_size=5))
    for place in draw(st.lists(st.sampled_from(pool), max_size=2)):
        aliases = draw(st.lists(names(), max_size=2))
        with contextlib.suppress(WhereaboutsError):  # another place has the key already
            ledger.register_place(place, aliases=aliases)
    observed: list[str] = []
    for n in range(draw(st.integers(0, max_entries))):
        entry: Observation | Retraction | Denial
        if observed and draw(st.integers(0, 5)) == 0:
            withdrawal = Denial if version_2 and draw(st.booleans()) else Retraction
            entry = withdrawal(id=f"r{n}", target=draw(st.sampled_from(observed)),
                               source=draw(sources()), reported=draw(st.sampled_from(_REPORTED)),
                               reason=draw(texts(max_size=8)))
        else:
            kind = draw(st.sampled_from(list(Kind)))
            place = None
            if kind.needs_place or (kind.allows_place and draw(st.booleans())):
                place = draw(_wheres(pool))
            when = draw(st.one_of(st.none(), st.sampled_from(_DATES), edtf_texts()))
            extra = {}
            if version_2:
                if kind is Kind.DETAINED and draw(st.booleans()):
                    when = draw(st.sampled_from(_SPANS))
                extra["throughout"] = draw(st.sampled_from([None, None, True, False]))
                if extra["throughout"] is None:
                    del extra["throughout"]
            reported = draw(st.sampled_from(_REPORTED))
            if version_2 and draw(st.integers(0, 4)) == 0:
                reported = None
            try:
                entry = Observation(
                    id=f"o{n}" if draw(st.booleans()) else f"x.{n}",
                    subjects=draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3,
                                           unique=True)),
                    kind=kind, place=place, when=when, source=draw(sources()),
                    reported=reported,
                    grading=Grading(draw(st.sampled_from("ABCDEF")), draw(st.integers(1, 6))),
                    note=draw(texts(max_size=10)),
                    after=draw(st.lists(st.sampled_from(observed), max_size=2, unique=True))
                    if observed else (),
                    corrects=draw(st.none() | st.sampled_from(observed)) if observed else None,
                    **extra,
                )
            except WhereaboutsError:
                continue  # happened after it was reported (or a stay its date cannot be)
        try:
            ledger.append(entry)
        except WhereaboutsError:
            continue  # its after links contradict the dates
        if isinstance(entry, Observation):
            observed.append(entry.id)
    return ledger
