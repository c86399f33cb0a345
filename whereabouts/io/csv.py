"""Observations to and from CSV, one a row, for spreadsheets.

The columns, in this order (``docs/template.csv`` is an empty sheet with them):

===============  ==============================================================
``id``           the observation's id; empty for ``o1``, ``o2``... in order
``subjects``     names or ids of people and groups, separated by ``;``
``kind``         a kind of observation: ``seen at``, ``departed``, ``died``...
``place``        a place name; ``|`` between names means "one of these"
``when``         when it happened (EDTF); empty when not known
``source``       who said so; a relay chain reads ``origin → relay → outlet``
``reported``     when the claim was made public (EDTF); required
``reliability``  A-F, empty for F (cannot be judged)
``credibility``  1-6, empty for 6 (cannot be judged)
``note``         free text
``after``        ids of observations this one certainly came after, ``;`` between
===============  ==============================================================

Names in ``subjects`` that fit no one in the ledger become new people (their
id a slug of the name); a name that fits several is a problem. Place names
are resolved by the ledger's gazetteer: an ambiguous or unknown one is a
problem. Files may be UTF-8 with or without a byte-order mark, with CRLF or
LF line ends, and quoted fields may hold commas and newlines.

>>> import tempfile, pathlib
>>> sheet = '''id,subjects,kind,place,when,source,reported,reliability,credibility,note,after
... ,Nour Khalil,seen at,Beirut,2024-12-07,a wire,2024-12-08,B,2,,
... ,Nour Khalil,arrived at,Dubai | Doha,,a wire,2024-12-20,B,3,"reported, not seen",o1
... '''
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "case.csv")
...     _ = path.write_text(sheet, encoding="utf-8")
...     report = read_csv(path)
>>> report.ok, [person.name for person in report.created], len(report.added)
(True, ['Nour Khalil'], 2)
>>> print(report.ledger.last_known("Nour Khalil").headline)
Nour Khalil: in Dubai (AE) or Doha (QA)
>>> print(to_csv(report.ledger), end="")
id,subjects,kind,place,when,source,reported,reliability,credibility,note,after
o1,Nour Khalil,seen at,Beirut,2024-12-07,a wire,2024-12-08,B,2,,
o2,Nour Khalil,arrived at,Dubai | Doha,,a wire,2024-12-20,B,3,"reported, not seen",o1

A file with problems imports nothing, and says everything that is wrong in it
(here the second row's problems also leave the third row's ``after`` pointing
nowhere):

>>> from whereabouts.io import LedgerFileError
>>> bad = sheet.replace("2024-12-07", "2024-13-07").replace("arrived at", "flew to")
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "case.csv")
...     _ = path.write_text(bad, encoding="utf-8")
...     try:
...         read_csv(path)
...     except LedgerFileError as err:
...         for problem in err.problems:
...             print(problem)
2:5: when: '2024-13-07': month 13 does not exist
3:3: kind: 'flew to': not a kind of observation (known: 'seen at', ...)
3:11: after: 'o1': no such observation on an earlier row or in the ledger
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from whereabouts.entities import Entity
from whereabouts.entities import _check_id as _check_entity_id
from whereabouts.errors import (
    Ambiguous,
    DuplicateId,
    UnknownEntity,
    UnknownObservation,
    UnknownPlace,
    WhereaboutsError,
)
from whereabouts.io._atomic import write_atomic
from whereabouts.io._records import Codec, replay
from whereabouts.io._text import decode, read_bytes
from whereabouts.io.errors import LedgerFileError, Problem
from whereabouts.io.report import Report
from whereabouts.io.sqlite import SqliteLedger
from whereabouts.ledger import Ledger
from whereabouts.observations import Kind, Observation, Retraction
from whereabouts.places import Alternatives, Place, Where
from whereabouts.sources import Grading, Source
from whereabouts.when import When

__all__ = ["COLUMNS", "read_csv", "to_csv", "write_csv"]

COLUMNS = ("id", "subjects", "kind", "place", "when", "source", "reported", "reliability",
           "credibility", "note", "after")
"""The columns of an observations CSV, in the order :func:`write_csv` writes them."""

_RELAY = re.compile(r"\s*(?:→|->)\s*")
_FIELD_COLUMN = {"entity": "subjects", "members": "subjects", "name": "place",
                 "grading": "reliability", "target": "after", "corrects": "id"}


def read_csv(path: str | os.PathLike[str], ledger: Ledger | None = None, *,
             keep_valid: bool = False) -> Report:
    """Import the observations of a CSV file into ``ledger`` (a new one if not given).

    Every row is checked first, against a copy of the ledger, with the same
    rules as :meth:`Ledger.observe`. If any row has a problem, nothing is
    imported and :class:`~whereabouts.io.LedgerFileError` lists every problem,
    each with its line and column; with ``keep_valid=True`` the valid rows
    are imported and the report lists the problems of the rest. A
    :class:`~whereabouts.io.SqliteLedger` takes the whole import in one
    transaction. The returned :class:`~whereabouts.io.Report` holds the
    ledger, the observations added and the people created.
    """
    name = os.fspath(path)
    target = Ledger() if ledger is None else ledger
    problems: list[Problem] = []
    rows, bad_rows = _rows(Path(path), problems)
    if problems:  # the file cannot be read, or its header is wrong
        raise LedgerFileError(name, problems)
    problems = list(bad_rows)
    scratch = replay(Codec().encode(target), Ledger(gazetteer=target.gazetteer))
    planned: set[str] = {e.id for e in target.entities}
    plan: list[Entity | Observation] = []
    count = 0
    for line, cells in rows:
        count += 1
        row_problems: list[Problem] = []
        observation = _observe(scratch, cells, line, row_problems)
        problems.extend(row_problems)
        if observation is None:
            continue
        for subject in observation.subjects:
            if subject not in planned:
                planned.add(subject)
                plan.append(scratch.entity(subject))
        plan.append(observation)
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    if problems and not keep_valid:
        raise LedgerFileError(name, problems)
    _apply(target, plan)
    return Report(
        path=name, format="csv", ledger=target, problems=tuple(problems),
        read=count + len(bad_rows),
        added=tuple(p for p in plan if isinstance(p, Observation)),
        created=tuple(p for p in plan if not isinstance(p, Observation)),
    )


def _apply(target: Ledger, plan: list[Entity | Observation]) -> None:
    def run() -> None:
        for item in plan:
            if isinstance(item, Observation):
                target.append(item)
            else:
                target.add(item)

    if isinstance(target, SqliteLedger):
        with target.transaction():
            run()
    else:
        run()


Row = tuple[int, dict[str, tuple[int, str]]]


def _rows(path: Path, problems: list[Problem]) -> tuple[list[Row], list[Problem]]:
    """The data rows as (line, {column: (number, text)}), and the rows of the wrong width.

    Problems of the file or its header go to ``problems``.
    """
    bad: list[Problem] = []
    text = _text(path, problems)
    if text is None:
        return [], bad
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    header: list[str] | None = None
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in cells]
                _check_header(header, problems)
                if problems:
                    return [], bad
                continue
            if len(cells) != len(header):
                bad.append(Problem(line=line, column=min(len(cells), len(header)) + 1,
                                        message=f"{len(cells)} fields, but the header has "
                                                f"{len(header)} columns"))
                continue
            rows.append((line, {col: (n, cell) for n, (col, cell)
                                in enumerate(zip(header, cells, strict=True), start=1)}))
    except csv.Error as err:
        problems.append(Problem(line=reader.line_num, message=f"not valid CSV: {err}"))
    if header is None:
        problems.append(Problem(message="empty file: expected a header row with the columns "
                                        + ", ".join(COLUMNS)))
    return rows, bad


def _text(path: Path, problems: list[Problem]) -> str | None:
    data = read_bytes(path, problems)
    if data is None:
        return None
    return decode(data, problems, what="a CSV file", hint="save the sheet as CSV UTF-8")


def _check_header(header: list[str], problems: list[Problem]) -> None:
    seen: set[str] = set()
    for number, column in enumerate(header, start=1):
        if column not in COLUMNS:
            problems.append(Problem(line=1, column=number, message=(
                f"unknown column {column!r} (the columns are: {', '.join(COLUMNS)})")))
        elif column in seen:
            problems.append(Problem(line=1, column=number, message=f"column {column!r} twice"))
        seen.add(column)
    missing = [c for c in COLUMNS if c not in seen]
    if missing:
        problems.append(Problem(line=1, message=f"missing column{'s' if len(missing) > 1 else ''}"
                                                f": {', '.join(missing)}"))


def _split(text: str, separator: str) -> list[str]:
    return [part.strip() for part in text.split(separator) if part.strip()]


def _observe(ledger: Ledger, cells: dict[str, tuple[int, str]], line: int,
             problems: list[Problem]) -> Observation | None:
    """Check one row and add its observation (and any new people) to ``ledger``."""

    def problem(err: WhereaboutsError, column: str | None = None) -> None:
        col = column or _FIELD_COLUMN.get(err.field or "", err.field or "")
        number = cells[col][0] if col in cells else None
        problems.append(Problem.of(err, line=line, column=number,
                                   field=col if col in cells else None))

    def text(column: str) -> str:
        return cells[column][1].strip()

    subjects: list[tuple[bool, str]] = []  # (new person?, id or name)
    for name in _split(text("subjects"), ";"):
        try:
            subjects.append((False, ledger.entity(name, field="subjects").id))
        except UnknownEntity:
            subjects.append((True, name))
        except WhereaboutsError as err:
            problem(err, "subjects")
    if not text("subjects"):
        problem(WhereaboutsError("names one or more people or groups", field="subjects"))
    checks: dict[str, Callable[[], object]] = {
        "id": lambda: _check_id(ledger, text("id")),
        "kind": lambda: Kind.coerce(text("kind")),
        "place": lambda: _place(ledger, text("place")),
        "when": lambda: When.parse(text("when"), field="when") if text("when") else None,
        "source": lambda: _source(text("source")),
        "reported": lambda: When.parse(text("reported"), field="reported"),
        "reliability": lambda: Grading(text("reliability") or "F"),
        "credibility": lambda: Grading("F", text("credibility") or "6"),
        "after": lambda: [_prior(ledger, a) for a in _split(text("after"), ";")],
    }
    values: dict[str, Any] = {}
    for column, check in checks.items():
        try:
            values[column] = check()
        except WhereaboutsError as err:
            problem(err, column)
    if problems:
        return None
    ids: list[str] = []
    for new, value in subjects:
        try:
            ids.append(ledger.add_person(value).id if new else value)
        except WhereaboutsError as err:
            problem(err, "subjects")
            return None
    try:
        return ledger.observe(
            ids, values["kind"], place=values["place"], when=values["when"],
            source=values["source"], reported=values["reported"],
            grading=Grading(text("reliability") or "F", text("credibility") or "6"),
            note=cells["note"][1], after=values["after"], id=text("id") or None,
        )
    except WhereaboutsError as err:
        problem(err)
        return None


def _check_id(ledger: Ledger, oid: str) -> None:
    if oid and (oid in {e.id for e in ledger.entities} or _known(ledger, oid)):
        raise DuplicateId("id already in the ledger or on an earlier row", field="id", value=oid)
    if oid:
        _check_entity_id(None, None, oid)


def _known(ledger: Ledger, oid: str) -> bool:
    try:
        ledger.observation(oid)
    except WhereaboutsError:
        return any(e.id == oid for e in ledger.entries)
    return True


def _prior(ledger: Ledger, oid: str) -> Observation:
    try:
        return ledger.observation(oid, field="after")
    except WhereaboutsError:
        raise UnknownObservation("no such observation on an earlier row or in the ledger",
                                 field="after", value=oid) from None


def _place(ledger: Ledger, text: str) -> Where | None:
    names = _split(text, "|")
    if not names:
        return None
    places = []
    for name in names:
        try:
            places.append(ledger.place(name))
        except Ambiguous as err:
            raise type(err)(f"{err.reason}; in a CSV, add the country: 'NAME, COUNTRY'",
                            field="place", value=name, candidates=err.candidates) from None
        except WhereaboutsError as err:
            err.field = "place"
            raise
    return places[0] if len(places) == 1 else Alternatives(tuple(places))


def _source(text: str) -> Source:
    names = _RELAY.split(text)
    if not text or not all(n.strip() for n in names):
        raise WhereaboutsError("names who said so (a relay chain reads 'origin → outlet')",
                               field="source", value=text or None)
    source: Source | None = None
    for name in names:
        source = Source(name.strip(), via=source)
    assert source is not None
    return source


# -- writing -------------------------------------------------------------------------


def to_csv(ledger: Ledger) -> str:
    """The ledger's observations as CSV text (what :func:`write_csv` writes).

    Every observation is a row, including those later corrected or
    retracted; CSV does not carry retractions, ``corrects`` links, source
    kinds, dates and URLs, or anything about people but their names: the
    native format does.
    """
    names = _Names(ledger)
    rows = [COLUMNS, *(_row(e, names) for e in ledger.entries if not isinstance(e, Retraction))]
    return "".join(",".join(_cell(cell) for cell in row) + "\n" for row in rows)


def _cell(text: str) -> str:
    """A CSV field (RFC 4180): quoted if it holds a comma, a quote or a line break."""
    if any(char in text for char in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_csv(ledger: Ledger, path: str | os.PathLike[str]) -> None:
    """Write the ledger's observations to a CSV file (UTF-8), atomically.

    >>> import tempfile, pathlib
    >>> from whereabouts.examples import assad_2024
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "assad.csv")
    ...     write_csv(assad_2024(), path)
    ...     print(path.read_text(encoding="utf-8").splitlines()[3])
    aides-join,Bashar al-Assad; Bouthaina Shaaban; Assad's close allies and aides,departed,...
    """
    write_atomic(path, to_csv(ledger).encode("utf-8"))


class _Names:
    """How to write an entity or a place so that reading it back finds the same one."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self._places: dict[Place, str] = {}
        self._entities: dict[str, str] = {}

    def entity(self, eid: str) -> str:
        known = self._entities.get(eid)
        if known is None:
            entity = self._ledger.entity(eid)
            try:
                same = self._ledger.entity(entity.name) == entity
            except WhereaboutsError:
                same = False
            known = self._entities[eid] = (
                entity.name if same and ";" not in entity.name else eid)
        return known

    def place(self, place: Place) -> str:
        known = self._places.get(place)
        if known is None:
            known = self._places[place] = self._spelling(place)
        return known

    def _spelling(self, place: Place) -> str:
        """The first spelling that reads back as ``place``; its name if none does."""
        for name in self._spellings(place):
            try:
                if self._ledger.place(name) == place:
                    return name
            except UnknownPlace:
                break  # "NAME, COUNTRY" is not known either
            except WhereaboutsError:
                continue
        return place.name

    @staticmethod
    def _spellings(place: Place) -> Iterator[str]:
        yield place.name
        country = place.parent
        while country is not None and country.parent is not None:
            country = country.parent
        if country is not None:
            yield f"{place.name}, {country.name}"


def _row(obs: Observation, names: _Names) -> list[str]:
    place = "" if obs.place is None else " | ".join(names.place(p) for p in obs.place.options)
    return [
        obs.id,
        "; ".join(names.entity(s) for s in obs.subjects),
        obs.kind.value,
        place,
        "" if obs.when is None else str(obs.when),
        " → ".join(s.name for s in obs.source.chain),
        str(obs.reported),
        obs.grading.reliability.name,
        str(obs.grading.credibility.value),
        obs.note,
        "; ".join(obs.after),
    ]
