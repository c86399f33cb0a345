"""The bulk CSV and DataFrame import: the same ledger and the same problems as row by row.

``reference_read_csv`` below is the import as it was before it went column-wise:
each row checked against a scratch copy of the ledger and observed there, one
at a time. Every test holds the bulk import to it, ledger for ledger and
problem for problem.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import random
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import Files, generate, write
from whereabouts import Kind, Ledger, Place, Source
from whereabouts.entities import Entity
from whereabouts.entities import _check_id as _check_entity_id
from whereabouts.errors import (
    AmbiguousPlace,
    DuplicateId,
    InvalidOrder,
    UnknownEntity,
    UnknownObservation,
    UnknownPlace,
    WhereaboutsError,
)
from whereabouts.io import (
    COLUMNS,
    LedgerFileError,
    Problem,
    Report,
    SqliteLedger,
    read_csv,
    read_frame,
)
from whereabouts.io._cells import OPTIONAL, TEMPLATE, place, source, split, throughout
from whereabouts.io._plan import paused_gc, plan
from whereabouts.io._records import Codec, replay
from whereabouts.io._replay import LedgerIds
from whereabouts.io._text import decode, read_bytes
from whereabouts.io._together import late_in_narrative
from whereabouts.observations import Observation, Retraction
from whereabouts.sources import Grading
from whereabouts.when import When

HEADER = ",".join(COLUMNS)
_FIELD_COLUMN = {"entity": "subjects", "members": "subjects", "name": "place",
                 "grading": "reliability", "target": "after", "corrects": "id"}


# -- the row-by-row import, as it was ---------------------------------------------------


def reference_read_csv(path: Path, target: Ledger, *, keep_valid: bool = False) -> Report:
    """The import before it went column-wise: a scratch ledger, one ``observe`` per row."""
    problems: list[Problem] = []
    rows, odd = _reference_rows(path, problems)
    if problems:
        raise LedgerFileError(str(path), problems)
    problems = list(odd)
    scratch = replay(Codec().encode(target), Ledger(gazetteer=target.gazetteer))
    planned = {e.id for e in target.entities}
    withdrawn = {e.id for e in target.entries if isinstance(e, Retraction)}
    steps: list[Entity | Observation] = []
    told: dict[str, str] = {}  # a narrative's label -> its last observation
    for line, cells in rows:
        observation = _reference_observe(scratch, cells, line, problems, withdrawn, told)
        if observation is None:
            continue
        for subject in observation.subjects:
            if subject not in planned:
                planned.add(subject)
                steps.append(scratch.entity(subject))
        steps.append(observation)
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    if problems and not keep_valid:
        raise LedgerFileError(str(path), problems)
    for step in steps:
        if isinstance(step, Observation):
            target.append(step)
        else:
            target.add(step)
    return Report(path=str(path), format="csv", ledger=target, problems=tuple(problems),
                  read=len(rows) + len(odd),
                  added=tuple(s for s in steps if isinstance(s, Observation)),
                  created=tuple(s for s in steps if not isinstance(s, Observation)))


Row = tuple[int, dict[str, tuple[int, str]]]


def _reference_rows(path: Path, problems: list[Problem]) -> tuple[list[Row], list[Problem]]:
    odd: list[Problem] = []
    data = read_bytes(path, problems)
    text = None if data is None else decode(data, problems, what="a CSV file",
                                            hint="save the sheet as CSV UTF-8")
    if text is None:
        return [], odd
    reader = csv.reader(io.StringIO(text, newline=""))
    limit = csv.field_size_limit(2**31 - 1)  # notes longer than the default are read
    try:
        return _reference_cells(reader, problems, odd)
    finally:
        csv.field_size_limit(limit)


def _reference_cells(reader: Any, problems: list[Problem], odd: list[Problem],
                     ) -> tuple[list[Row], list[Problem]]:
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
                _reference_header(header, problems)
                if problems:
                    return [], odd
                continue
            if len(cells) != len(header):
                odd.append(Problem(line=line, column=min(len(cells), len(header)) + 1,
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
    return rows, odd


def _reference_header(header: list[str], problems: list[Problem]) -> None:
    """The header's problems; unknown columns are left unread, unless their name is close to
    that of a column the header lacks (a typo)."""
    seen: set[str] = set()
    for number, column in enumerate(header, start=1):
        if column not in COLUMNS and column not in OPTIONAL:
            close = [c for c in difflib.get_close_matches(column, (*COLUMNS, *OPTIONAL), n=1,
                                                          cutoff=0.8) if c not in header]
            if close:
                problems.append(Problem(line=1, column=number, message=(
                    f"unknown column {column!r} (did you mean {close[0]!r}? the columns are: "
                    f"{', '.join(COLUMNS)}; optional: {', '.join(OPTIONAL)})")))
        elif column in seen:
            problems.append(Problem(line=1, column=number, message=f"column {column!r} twice"))
        seen.add(column)
    missing = [c for c in COLUMNS if c not in seen]
    if missing:
        problems.append(Problem(line=1, message=f"missing column{'s' if len(missing) > 1 else ''}"
                                                f": {', '.join(missing)}"))


def _reference_observe(ledger: Ledger, cells: dict[str, tuple[int, str]], line: int,
                       problems: list[Problem], withdrawn: set[str],
                       told: dict[str, str]) -> Observation | None:
    found: list[Problem] = []

    def problem(err: WhereaboutsError, column: str | None = None) -> None:
        col = column or _FIELD_COLUMN.get(err.field or "", err.field or "")
        number = cells[col][0] if col in cells else None
        found.append(Problem.of(err, line=line, column=number,
                                field=col if col in cells else None))

    def text(column: str) -> str:
        return cells[column][1].strip()

    subjects: list[tuple[bool, str]] = []
    for name in split(text("subjects"), ";"):
        try:
            subjects.append((False, ledger.entity(name, field="subjects").id))
        except UnknownEntity:
            subjects.append((True, name))
        except WhereaboutsError as err:
            problem(err, "subjects")
    if not text("subjects"):
        problem(WhereaboutsError("names one or more people or groups", field="subjects"))
    checks: dict[str, Callable[[], object]] = {
        "id": lambda: _reference_id(ledger, text("id"), withdrawn),
        "kind": lambda: Kind.coerce(text("kind")),
        "place": lambda: place(ledger, text("place")),
        "when": lambda: When.parse(text("when"), field="when") if text("when") else None,
        "source": lambda: source(text("source")),
        "reported": lambda: (When.parse(text("reported"), field="reported")
                             if text("reported") else None),
        "throughout": lambda: throughout(cells["throughout"][1]) if "throughout" in cells else None,
        "reliability": lambda: Grading(text("reliability") or "F"),
        "credibility": lambda: Grading("F", text("credibility") or "6"),
        "after": lambda: [_reference_prior(ledger, a) for a in split(text("after"), ";")],
    }
    values: dict[str, Any] = {}
    for column, check in checks.items():
        try:
            values[column] = check()
        except WhereaboutsError as err:
            problem(err, column)
    problems.extend(found)
    if found:
        return None
    ids: list[str] = []
    for new, value in subjects:
        try:
            ids.append(ledger.add_person(value).id if new else value)
        except WhereaboutsError as err:
            problem(err, "subjects")
            problems.extend(found)
            return None
    label = text("narrative") if "narrative" in cells else ""
    before = told.get(label) if label else None
    after = [o.id for o in values["after"]]

    def observe(target: Ledger, links: list[str]) -> Observation:
        return target.observe(
            ids, values["kind"], place=values["place"], when=values["when"],
            source=values["source"], reported=values["reported"],
            grading=Grading(text("reliability") or "F", text("credibility") or "6"),
            note=cells["note"][1], after=links, id=text("id") or None,
            throughout=values["throughout"],
        )

    try:
        observation = observe(ledger, after if before in (None, *after) else [*after, before])
    except InvalidOrder as late:
        problem(late if before is None or before in after or _late_by_cell(ledger, observe, after)
                else late_in_narrative(before))
        problems.extend(found)
        return None
    except WhereaboutsError as err:
        problem(err)
        problems.extend(found)
        return None
    if label:
        told[label] = observation.id
    return observation


def _late_by_cell(ledger: Ledger, observe: Callable[[Ledger, list[str]], Observation],
                  after: list[str]) -> bool:
    """Whether a row's ``after`` cell alone puts it too late (not its narrative): asked of
    a copy of the ledger, which the row joins if not."""
    try:
        observe(replay(Codec().encode(ledger), Ledger(gazetteer=ledger.gazetteer)), after)
    except InvalidOrder:
        return True
    return False


def _reference_id(ledger: Ledger, oid: str, withdrawn: set[str]) -> None:
    """The id check of the row-by-row import (its scan of every entry for a retraction's id
    made a lookup in ``withdrawn``: an import adds no retraction)."""
    if oid and (oid in {e.id for e in ledger.entities} or _observed(ledger, oid)
                or oid in withdrawn):
        raise DuplicateId("id already in the ledger or on an earlier row", field="id", value=oid)
    if oid:
        _check_entity_id(None, None, oid)


def _observed(ledger: Ledger, oid: str) -> bool:
    try:
        ledger.observation(oid)
    except WhereaboutsError:
        return False
    return True


def _reference_prior(ledger: Ledger, oid: str) -> Observation:
    try:
        return ledger.observation(oid, field="after")
    except WhereaboutsError:
        raise UnknownObservation("no such observation on an earlier row or in the ledger",
                                 field="after", value=oid) from None


# -- helpers ------------------------------------------------------------------------------


class Places:
    """A small gazetteer: a few cities, one ambiguous name, nothing else."""

    def __init__(self) -> None:
        self.known = {
            "beirut": Place.city("Beirut", country="LB"),
            "dubai": Place.city("Dubai", country="AE"),
            "doha": Place.city("Doha", country="QA"),
            "moscow": Place.city("Moscow", country="RU"),
        }

    def place(self, name: str, *, country: str | None = None) -> Place:
        key = name.strip().lower()
        if key == "tripoli":
            raise AmbiguousPlace("ambiguous: Tripoli (LY); Tripoli (LB)", field="name",
                                 value=name, candidates=[Place.city("Tripoli", country="LY"),
                                                         Place.city("Tripoli", country="LB")])
        if key not in self.known:
            raise UnknownPlace("no layer knows this place", field="name", value=name)
        return self.known[key]

    def register(self, place: Place, *, aliases: object = ()) -> Place:
        self.known[place.name.lower()] = place
        return place


def write_sheet(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str] = COLUMNS,
                ) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def outcome(read: Callable[..., Report], path: Path, ledger: Ledger, keep_valid: bool,
            ) -> tuple[list[str], list[str], list[str], int]:
    """What an import did: its problems, the ids added and created, the rows read."""
    try:
        report = read(path, ledger, keep_valid=keep_valid)
    except LedgerFileError as err:
        return [str(p) for p in err.problems], [], [], -1
    return ([str(p) for p in report.problems], [o.id for o in report.added],
            [e.id for e in report.created], report.read)


def same_as_reference(path: Path, make: Callable[[], Ledger], keep_valid: bool = False,
                      ) -> tuple[Ledger, list[str]]:
    """Import ``path`` both ways into fresh ledgers; check they agree; return ours."""
    ours, theirs = make(), make()
    got = outcome(read_csv, path, ours, keep_valid)
    expected = outcome(reference_read_csv, path, theirs, keep_valid)
    assert got == expected
    assert ours == theirs
    assert [o.id for o in ours.observations] == [o.id for o in theirs.observations]
    assert [e.id for e in ours.entities] == [e.id for e in theirs.entities]
    return ours, got[0]


def sheet_ledger() -> Ledger:
    ledger = Ledger(gazetteer=Places())
    ledger.add_person("Amal Haddad", id="amal")
    ledger.add_person("Amal Nasser", id="amal-n")
    ledger.add_person("Sami Nasser", id="sami")
    ledger.add_group("the crew", id="crew", members=["sami"])
    ledger.observe("sami", "seen at", place=Place.city("Beirut", country="LB"),
                   when="2024-12-01", source="a wire", reported="2024-12-02", id="earlier")
    ledger.observe("sami", "seen at", place=Place.city("Beirut", country="LB"),
                   when="2024-11", source="a wire", reported="2024-12-02", id="vague")
    ledger.retract("vague", source="a wire", reported="2024-12-03", id="withdrawn")
    return ledger


ROW = ["", "Amal Haddad", "seen at", "Beirut", "2024-12-07", "a wire", "2024-12-08", "B", "2",
       "", ""]


def row(**cells: str) -> list[str]:
    """A good row, with some cells changed."""
    values = dict(zip(COLUMNS, ROW, strict=True))
    values.update(cells)
    return [values[c] for c in COLUMNS]


# -- (a) the same ledger as row by row --------------------------------------------------------


def generated(tmp_path: Path, n: int, seed: int = 7) -> Files:
    return write(generate(n, seed=seed, places=300), tmp_path / f"set-{n}-{seed}")


def registered(files: Files, *, people: bool = True) -> Callable[[], Ledger]:
    """A maker of ledgers with the generated places (and, if ``people``, entities)."""
    with files.places.open(newline="", encoding="utf-8") as file:
        places = list(csv.reader(file))[1:]
    with files.entities.open(newline="", encoding="utf-8") as file:
        entities = list(csv.DictReader(file))

    def make() -> Ledger:
        ledger = Ledger(gazetteer=Places())
        for name, country in places:
            ledger.register_place(Place.city(name, country=country))
        if people:
            for entity in entities:
                if entity["kind"] == "person":
                    ledger.add_person(entity["name"], id=entity["id"])
            for entity in entities:
                if entity["kind"] == "group":
                    ledger.add_group(entity["name"], id=entity["id"],
                                     members=entity["members"].split(";"))
        return ledger

    return make


def test_generated_data_gives_the_ledger_observing_row_by_row_gives(tmp_path: Path) -> None:
    files = generated(tmp_path, 3000)
    text = files.observations.read_text(encoding="utf-8")
    assert " | " in text
    assert ",2019-0" in text
    assert "whereabouts unknown" in text
    assert "synthetic note" in text
    assert ",g0" in text
    ours, problems = same_as_reference(files.observations, registered(files))
    assert problems == []
    assert len(ours) == 3000
    assert sum(1 for o in ours.observations if o.after) > 0


WITH = TEMPLATE


def storied(rows: list[list[str]], seed: int, *, ids: bool = True) -> list[list[str]]:
    """Generated rows with the new columns: stays (by ``{A..B}`` and by ``throughout``), attempts,
    report dates not known, bad ``throughout`` cells, and a narrative for some people."""
    rng = random.Random(seed)
    told = {subjects for subjects in {r[1] for r in rows} if rng.random() < 0.4}
    out = []
    for cells in rows:
        values = dict(zip(COLUMNS, cells, strict=True))
        values.update(throughout="", narrative=values["subjects"] if values["subjects"] in told
                      else "")
        when, draw = values["when"], rng.random()
        if values["kind"] == "seen at" and len(when) == 10 and draw < 0.15:
            end = str(date.fromisoformat(when) + timedelta(days=rng.randrange(1, 90)))
            values["kind"] = "detained at"
            if draw < 0.08:
                values["when"] = f"{{{when}..{end}}}"
            else:
                values["when"], values["throughout"] = f"{when}/{end}", rng.choice(["true", "Yes"])
        elif values["kind"] == "seen at" and values["place"] and draw < 0.2:
            values["kind"] = rng.choice(["refused entry to", "turned back on the way to",
                                         "called off going to"])
        elif draw < 0.22:
            values["throughout"] = rng.choice(["yes", "maybe", "0", "false"])
        if rng.random() < 0.05:
            values["reported"] = ""
        if not ids:
            values["id"], values["after"] = "", ""
        out.append([values[c] for c in WITH])
    return out


def test_generated_stays_attempts_unknown_reports_and_narratives_read_as_row_by_row(
        tmp_path: Path) -> None:
    files = generated(tmp_path, 3000, seed=5)
    with files.observations.open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))[1:]
    path = write_sheet(tmp_path / "storied.csv", storied(rows, seed=5), header=WITH)
    _, problems = same_as_reference(path, registered(files))
    assert any(": throughout: 'maybe'" in p for p in problems)
    assert any("only a presence can hold throughout" in p for p in problems)
    assert any(": narrative: " in p for p in problems)
    ours, kept = same_as_reference(path, registered(files), keep_valid=True)
    assert kept == problems
    observations = ours.observations
    assert sum(o.throughout for o in observations) > 100
    assert any(o.throughout and o.when is not None and o.when.text.startswith("{")
               for o in observations)
    assert sum(o.reported is None for o in observations) > 50
    assert sum(o.kind is Kind.TURNED_BACK for o in observations) > 10
    linked = [o for o in observations if o.after]
    assert len(linked) > 300
    assert len(ours._store.stays) == sum(o.throughout for o in observations)


def test_narratives_of_rows_without_ids_link_to_the_ids_they_get(tmp_path: Path) -> None:
    files = generated(tmp_path, 1500, seed=6)
    with files.observations.open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))[1:]
    path = write_sheet(tmp_path / "storied.csv", storied(rows, seed=6, ids=False), header=WITH)
    ours, problems = same_as_reference(path, registered(files), keep_valid=True)
    assert problems
    assert any(o.after for o in ours.observations)


def test_a_narrative_comes_after_its_last_row_kept(tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "story.csv", [
        [*row(id="a", when="2024-12-01", reported="2024-12-02"), "", "trip"],
        [*row(id="b", when="2024-12-03", reported="2024-12-04", kind="flew to"), "", "trip"],
        [*row(id="c", when="2024-12-05", reported=""), "", "trip"],
        [*row(id="d", when="2024-12-02", reported="2024-12-20"), "", "trip"],
        [*row(id="e", when="2024-12-06", reported="2024-12-20", after="c"), "", " trip "],
        [*row(id="f", when="2024-12-06", reported="2024-12-20", after="d"), "", "other"],
        [*row(id="g", when="2024-12-20", reported="2024-12-21"), "1", "other"],
    ], header=WITH)
    ledger, problems = same_as_reference(path, sheet_ledger, keep_valid=True)
    assert problems == [
        "3:3: kind: 'flew to': not a kind of observation (known: 'seen at', 'reported at', "
        "'arrived at', 'passed through', 'sheltering at', 'detained at', 'treated at', "
        "'granted asylum in', 'departed', 'heading to', 'attacked', 'injured', 'died', "
        "'whereabouts unknown', 'refused entry to', 'turned back on the way to', "
        "'called off going to')",
        "5:13: narrative: 'c': the narrative puts this row after it, later than the row's own "
        "dates allow",
        "7:11: after: 'd': no such observation on an earlier row or in the ledger",
    ]
    after = {o.id: o.after for o in ledger.observations if o.id in "aceg"}
    assert after == {"a": (), "c": ("a",), "e": ("c",), "g": ()}
    assert ledger.observation("c").reported is None
    assert ledger.observation("g").throughout
    with pytest.raises(LedgerFileError) as info:
        read_csv(path, sheet_ledger())
    assert [str(p) for p in info.value.problems] == problems


def test_generated_data_by_name_without_ids_creates_the_same_people(tmp_path: Path) -> None:
    """People named, not given by id: created from the names; ``o{n}`` ids; links to them."""
    files = generated(tmp_path, 1500, seed=11)
    with files.observations.open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))[1:]
    named = []
    for cells in rows:
        _, subjects, *rest = cells
        name = f"Person {subjects[1:]}" if subjects.startswith("p") else subjects
        named.append(["", name, *rest])
    path = write_sheet(tmp_path / "named.csv", named)
    ours, problems = same_as_reference(path, registered(files, people=False), keep_valid=True)
    assert problems == []
    people = {e.id for e in ours.people}
    assert "g0000" in people
    assert len(people) > 50
    assert ours.observation("o1").subjects[0].startswith("person-")


def test_a_file_with_quoted_cells_and_blank_lines_reads_as_row_by_row(tmp_path: Path) -> None:
    files = generated(tmp_path, 500, seed=3)
    text = files.observations.read_text(encoding="utf-8").splitlines()
    text[10] = text[10].replace("synthetic note", '"a note, with\na line break"')
    text.insert(20, "")
    text.insert(30, ",,,,,,,,,,")
    text[40] = text[40].rstrip(",") + ',"quoted"'
    path = tmp_path / "quoted.csv"
    path.write_text("\r\n".join(text) + "\r\n", encoding="utf-8")
    _, problems = same_as_reference(path, registered(files), keep_valid=True)
    assert problems


def test_plain_and_quoted_files_read_alike(tmp_path: Path) -> None:
    rows = [row(id="a", note="plain"), row(id="b", after="a"), ["", "", ""], [" "] * 11,
            row(id="c", kind="flew to"), row(id="d")[:5]]
    plain = tmp_path / "plain.csv"
    plain.write_text("\n".join([HEADER, *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")
    quoted = tmp_path / "quoted.csv"
    quoted.write_text("\n".join([HEADER, *(",".join(f'"{c}"' for c in r) for r in rows)]),
                      encoding="utf-8")
    _, first = same_as_reference(plain, sheet_ledger, keep_valid=True)
    _, second = same_as_reference(quoted, sheet_ledger, keep_valid=True)
    assert first == second == [
        "6:3: kind: 'flew to': not a kind of observation (known: 'seen at', 'reported at', "
        "'arrived at', 'passed through', 'sheltering at', 'detained at', 'treated at', "
        "'granted asylum in', 'departed', 'heading to', 'attacked', 'injured', 'died', "
        "'whereabouts unknown', 'refused entry to', 'turned back on the way to', "
        "'called off going to')",
        "7:6: 5 fields, but the header has 11 columns"]


# -- (b) every error, as before -----------------------------------------------------------------

BAD = [
    ("kind", row(kind="flew to"), "2:3: kind: 'flew to': not a kind of observation (known: "),
    ("when", row(when="2024-13-01"), "2:5: when: '2024-13-01': month 13 does not exist"),
    ("reported", row(reported="yesterday"), "2:7: reported: 'yesterday': "),
    ("reported without end", row(reported="2024-12-08/.."),
     "2:7: reported: '2024-12-08/..': the report date must have an end"),
    ("place unknown", row(place="Xyzzyland"), "2:4: place: 'Xyzzyland': no layer knows this"),
    ("place ambiguous", row(place="Tripoli"), "2:4: place: 'Tripoli': ambiguous: Tripoli (LY); "
     "Tripoli (LB); in a CSV, add the country: 'NAME, COUNTRY'"),
    ("place twice", row(place="Beirut | beirut"), "2:4: place: ['Beirut', 'Beirut']: "
     "alternatives repeat a place"),
    ("place needed", row(place=""), "2:4: place: 'seen at' needs a place"),
    ("no place taken", row(kind="whereabouts unknown"),
     "2:4: place: 'Beirut': 'whereabouts unknown' takes no place"),
    ("source empty", row(source=""),
     "2:6: source: names who said so (a relay chain reads 'origin → outlet')"),
    ("source chain broken", row(source="witnesses → "),
     "2:6: source: 'witnesses →': names who said so (a relay chain reads 'origin → outlet')"),
    ("reliability", row(reliability="G"), "2:8: reliability: 'G': source reliability must be A-F"),
    ("credibility", row(credibility="7"), "2:9: credibility: 7: information credibility must be"),
    ("id in the ledger", row(id="earlier"),
     "2:1: id: 'earlier': id already in the ledger or on an earlier row"),
    ("id of an entity", row(id="crew"),
     "2:1: id: 'crew': id already in the ledger or on an earlier row"),
    ("id of a retraction", row(id="withdrawn"),
     "2:1: id: 'withdrawn': id already in the ledger or on an earlier row"),
    ("id invalid", row(id="a b"), "2:1: id: 'a b': an id is 1-128 letters, digits or "),
    ("after unknown", row(after="nowhere"),
     "2:11: after: 'nowhere': no such observation on an earlier row or in the ledger"),
    ("after a retraction", row(after="withdrawn"),
     "2:11: after: 'withdrawn': no such observation on an earlier row or in the ledger"),
    ("after itself", row(id="x", after="x"),
     "2:11: after: 'x': no such observation on an earlier row or in the ledger"),
    ("after, too late", row(when="2024-11", after="earlier"),
     "2:11: after: ['earlier']: its 'after' links put it later than its own dates allow"),
    ("happened after reported", row(when="2024-12-12", reported="2024-12-10"),
     "2:5: when: '2024-12-12': it cannot have happened after it was reported (2024-12-10)"),
    ("subject ambiguous", row(subjects="Amal"),
     "2:2: subjects: 'Amal': fits 2 entities: Amal Haddad (amal), Amal Nasser (amal-n)"),
    ("subjects empty", row(subjects=""), "2:2: subjects: names one or more people or groups"),
    ("subjects, none named", row(subjects=" ; "),
     "2:2: subjects: []: expected one or more entities"),
    ("subject twice", row(subjects="Amal Haddad; amal"),
     "2:2: subjects: ('amal', 'amal'): a subject is named twice"),
    ("new person without a name", row(subjects="Nour Khalil; --"),
     "2:2: subjects: '--': a name must contain a letter or digit"),
    ("new person's id taken by the row", row(subjects="Nour Khalil", id="nour-khalil"),
     "2:1: id: 'nour-khalil': id already in the ledger"),
    ("too few fields", row()[:4], "2:5: 4 fields, but the header has 11 columns"),
    ("too many fields", [*row(), "extra"], "2:12: 12 fields, but the header has 11 columns"),
]


@pytest.mark.parametrize(("cells", "message"), [(cells, message) for _, cells, message in BAD],
                         ids=[name for name, _, _ in BAD])
def test_each_bad_value_is_the_same_problem_as_before(tmp_path: Path, cells: list[str],
                                                      message: str) -> None:
    path = write_sheet(tmp_path / "bad.csv", [row(id="first"), cells, row(id="last")])
    shifted = message.replace("2:", "3:", 1)
    before = sheet_ledger()
    ledger = sheet_ledger()
    with pytest.raises(LedgerFileError) as info:
        read_csv(path, ledger)
    assert str(info.value.problems[0]).startswith(shifted)
    assert len(ledger) == len(before)
    assert ledger == before
    assert [e.id for e in ledger.entities] == [e.id for e in before.entities]
    for keep_valid in (False, True):
        same_as_reference(path, sheet_ledger, keep_valid=keep_valid)
    report = read_csv(path, ledger, keep_valid=True)
    assert [o.id for o in report.added] == ["first", "last"]
    assert len(ledger) == len(before) + 2


@pytest.mark.parametrize(
    ("header", "problems"),
    [
        ("id,subjects,kind,place,when,source,reported,reliability,note,after",
         ["1: missing column: credibility"]),
        (HEADER.replace("note", "notes"), [
            "1:10: unknown column 'notes' (did you mean 'note'? the columns are: id, subjects, "
            "kind, place, when, source, reported, reliability, credibility, note, after; "
            "optional: throughout, narrative, entry, target, exact, grading)",
            "1: missing column: note"]),
        (HEADER + ",Kind", ["1:12: column 'kind' twice"]),
    ],
)
def test_a_bad_header_is_the_same_problem_as_before(tmp_path: Path, header: str,
                                                     problems: list[str]) -> None:
    path = tmp_path / "header.csv"
    path.write_text(f"\n{header}\n" + ",".join(row()) + '\n"unclosed', encoding="utf-8")
    ledger = sheet_ledger()
    with pytest.raises(LedgerFileError) as info:
        read_csv(path, ledger)
    assert [str(p) for p in info.value.problems] == problems
    same_as_reference(path, sheet_ledger)


@pytest.mark.parametrize("text", [
    HEADER + "\n" + ",".join(row()) + '\n,"unclosed\n',
    '\n"unclosed\n',
    HEADER + "\n" + ",".join(row(note="x" * 200_000)) + "\n",
])
def test_text_that_is_not_csv_is_the_same_problem_as_before(tmp_path: Path, text: str) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(text, encoding="utf-8")
    same_as_reference(path, sheet_ledger)


def test_rows_tied_by_ids_and_links_are_taken_in_file_order(tmp_path: Path) -> None:
    """A refused row's id is free for a later row; links to it fail, and so on down the chain."""
    path = write_sheet(tmp_path / "ties.csv", [
        row(id="a", kind="flew to"),
        row(id="a"),  # 'a' is free: the row above was refused
        row(id="a"),  # now it is taken
        row(id="b", after="a"),
        row(id="", after="b"),  # o6: the ledger held 3 entries, the file added 2
        row(id="o8"),
        row(id="", after="o6"),  # o9: o8 is taken
        row(id="c", after="o6; o9"),
        row(id="d", place="", after="c"),  # refused: needs a place
        row(id="e", after="d"),  # refused: d was
    ])
    ledger, problems = same_as_reference(path, sheet_ledger, keep_valid=True)
    assert problems == [
        "2:3: kind: 'flew to': not a kind of observation (known: 'seen at', 'reported at', "
        "'arrived at', 'passed through', 'sheltering at', 'detained at', 'treated at', "
        "'granted asylum in', 'departed', 'heading to', 'attacked', 'injured', 'died', "
        "'whereabouts unknown', 'refused entry to', 'turned back on the way to', "
        "'called off going to')",
        "4:1: id: 'a': id already in the ledger or on an earlier row",
        "10:4: place: 'seen at' needs a place",
        "11:11: after: 'd': no such observation on an earlier row or in the ledger",
    ]
    assert [e.id for e in ledger.entries][3:] == ["a", "b", "o6", "o8", "o9", "c"]
    assert ledger.observation("c").after == ("o6", "o9")


def test_new_people_get_the_ids_row_by_row_gives(tmp_path: Path) -> None:
    """Names resolve against the people created on earlier rows; ids skip taken ones."""
    path = write_sheet(tmp_path / "people.csv", [
        row(id="nour-khalil", subjects="Sami Nasser"),
        row(subjects="Nour Khalil"),  # nour-khalil-2: the id is an earlier row's
        row(subjects="Nour"),  # a part of the new person's name
        row(subjects="Amal Haddad; Nour Khalil; Rami Haddad"),
        row(subjects="Haddad"),  # ambiguous now, with Rami
        row(subjects="Karim Said", place="", id="k"),  # refused, but Karim is created
        row(subjects="Karim Said"),
        row(subjects="O9"),  # a person whose slug is an o{n} id
        row(),
        row(), row(), row(),
        row(id="o9"),
    ])
    ledger, problems = same_as_reference(path, sheet_ledger, keep_valid=True)
    assert "nour-khalil-2" in {e.id for e in ledger.entities}
    assert any(p.startswith("6:2: subjects: 'Haddad': fits") for p in problems)


def test_nothing_is_created_when_a_row_is_wrong(tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "people.csv", [row(subjects="Nour Khalil"), row(kind="x")])
    ledger, before = sheet_ledger(), sheet_ledger()
    with pytest.raises(LedgerFileError):
        read_csv(path, ledger)
    assert ledger == before
    report = read_csv(path, ledger, keep_valid=True)
    assert [e.id for e in report.created] == ["nour-khalil"]
    assert report.added == (ledger.observation("o4"),)
    assert report.read == 2


def test_a_sqlite_ledger_gets_the_rows_written(tmp_path: Path) -> None:
    files = generated(tmp_path, 200, seed=5)
    make = registered(files)
    expected = make()
    read_csv(files.observations, expected)
    with SqliteLedger.open(tmp_path / "case.db") as store:
        for entity in expected.entities:
            store.add(entity)
        for place_, aliases in expected.registered_places:
            store.register_place(place_, aliases=aliases)
        read_csv(files.observations, store)
    with SqliteLedger.open(tmp_path / "case.db", gazetteer=Places()) as again:
        assert again.entries == expected.entries


def big_ledger() -> Ledger:
    """A ledger with more entries than the sheets below give ids: ids are looked up one by one."""
    ledger = sheet_ledger()
    for n in range(20):
        ledger.observe("sami", "seen at", place=Place.city("Beirut", country="LB"),
                       when="2024-11-01", source="a wire", reported="2024-11-02", id=f"s{n}")
    return ledger


def test_ledger_ids_are_found_without_building_entries() -> None:
    ledger = big_ledger()
    ledger.observe("sami", "seen at", place=Place.city("Beirut", country="LB"),
                   when="2024-11-01", source="a wire", reported="2024-11-02")  # o24
    asked = {"sami", "crew", "s3", "earlier", "withdrawn", "o24", "o1", "o25", "nobody", "o0"}
    assert LedgerIds(ledger).among(asked) == {"sami", "crew", "s3", "earlier", "withdrawn",
                                              "o24"}
    assert "o24" in LedgerIds(ledger)
    assert "o1" not in LedgerIds(ledger)  # row 1's id is "earlier"


def test_ids_taken_in_a_larger_ledger_are_found(tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "ids.csv", [row(id="s3"), row(id="crew"), row(after="s4"),
                                              row(id="o24"), row()])
    _, problems = same_as_reference(path, big_ledger, keep_valid=True)
    assert problems == ["2:1: id: 's3': id already in the ledger or on an earlier row",
                        "3:1: id: 'crew': id already in the ledger or on an earlier row",
                        "5:1: id: 'o24': id already in the ledger or on an earlier row"]


def test_a_retraction_id_in_a_larger_ledger_is_a_problem_of_its_row(tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "ids.csv", [row(id="withdrawn")])
    ledger = big_ledger()
    before = len(ledger)
    with pytest.raises(LedgerFileError) as caught:
        read_csv(path, ledger)
    assert [str(p) for p in caught.value.problems] == [
        "2:1: id: 'withdrawn': id already in the ledger or on an earlier row"]
    assert len(ledger) == before


# -- (c) a file with 1 % bad rows ------------------------------------------------------------


def spoil(rows: list[list[str]], share: float, seed: int = 1) -> list[list[str]]:
    """The rows with ``share`` of them made bad, each in one of many ways."""
    rng = random.Random(seed)
    ways: list[Callable[[list[str]], list[str]]] = [
        lambda r: [*r[:2], "flew to", *r[3:]],
        lambda r: [*r[:4], "2024-13-01", *r[5:]],
        lambda r: [*r[:6], "", *r[7:]],
        lambda r: [*r[:3], "Xyzzyland", *r[4:]],
        lambda r: [*r[:5], "", *r[6:]],
        lambda r: [*r[:7], "G", *r[8:]],
        lambda r: [*r[:8], "9", *r[9:]],
        lambda r: ["o1", *r[1:]],
        lambda r: ["bad id", *r[1:]],
        lambda r: [*r[:10], "nowhere"],
        lambda r: [*r[:1], "", *r[2:]],
        lambda r: r[:6],
        lambda r: [*r[:2], "whereabouts unknown" if r[3] else "seen at", *r[3:]],
        lambda r: [*r[:4], "2031", *r[5:]],
    ]
    spoiled = [list(r) for r in rows]
    for index in rng.sample(range(len(rows)), max(1, int(len(rows) * share))):
        spoiled[index] = rng.choice(ways)(spoiled[index])
    return spoiled


def test_a_file_with_one_percent_bad_rows_is_reported_in_full(tmp_path: Path) -> None:
    files = generated(tmp_path, 4000, seed=9)
    with files.observations.open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))[1:]
    path = write_sheet(tmp_path / "spoiled.csv", spoil(rows, 0.01))
    _, problems = same_as_reference(path, registered(files))
    assert len(problems) >= 40
    ours, kept = same_as_reference(path, registered(files), keep_valid=True)
    assert kept == problems
    assert 3900 < len(ours) < 4000


# -- every way rows can tie, at random ----------------------------------------------------------

CHOICES: dict[str, list[str]] = {
    "id": ["", "", "", "a", "b", "o1", "o2", "o3", "o4", "nour-khalil", "amal", "bad id",
           "earlier", "withdrawn"],
    "subjects": ["Amal Haddad", "amal", "Nour Khalil", "nour khalil", "Nour", "Amal",
                 "Sami", "Nour Khalil; Nour Khalil", "Rami Nasser", "Nasser", "", " ; ", "--",
                 "the crew", "O3", "nour-khalil", "Amal Nasser; Nour Khalil", "o3", "Khalil",
                 "Nour al-Khalil", "Amal Khalil", "nour-khalil-2", "Ω", "entity", "Rami"],
    "kind": ["seen at", "seen at", "whereabouts unknown", "died", "flew to"],
    "place": ["Beirut", "Beirut", "", "Dubai | Doha", "Xyzzyland", "Tripoli", "Doha | doha"],
    "when": ["", "2024-12", "2024-12-07", "2024-12-09", "2024-13-01", "2025", "2024-11"],
    "source": ["a wire", "witnesses -> a wire", ""],
    "reported": ["2024-12-10", "2024-12-10", "2024-12", "", "2024-12-08/.."],
    "reliability": ["", "B", "G"],
    "credibility": ["", "2", "7"],
    "note": ["", "a note"],
    "after": ["", "", "", "o1", "o2", "a", "b; o3", "nowhere", "earlier", "nour-khalil", "o4"],
}


@st.composite
def sheets(draw: st.DrawFn) -> list[list[str]]:
    rows = draw(st.lists(st.fixed_dictionaries(
        {c: st.sampled_from(CHOICES[c]) for c in COLUMNS}), min_size=1, max_size=9))
    return [[r[c] for c in COLUMNS] for r in rows]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(rows=sheets(), keep_valid=st.booleans(), empty=st.booleans())
def test_any_sheet_gives_what_row_by_row_gives(tmp_path: Path, rows: list[list[str]],
                                               keep_valid: bool, empty: bool) -> None:
    path = write_sheet(tmp_path / "random.csv", rows)
    same_as_reference(path, (lambda: Ledger(gazetteer=Places())) if empty else sheet_ledger,
                      keep_valid=keep_valid)


MORE_CHOICES: dict[str, list[str]] = {
    **CHOICES,
    "kind": [*CHOICES["kind"], "detained at", "refused entry to", "departed"],
    "when": [*CHOICES["when"], "{2024-11-20..2024-12-05}", "2024-11-19/2024-12-06",
             "2024-12-01/..", "2024-12-01/", "{2024-12-01,2024-12-03}"],
    "reported": [*CHOICES["reported"], "", "2024-12-04"],
    "after": [*CHOICES["after"], "o5"],
    "throughout": ["", "", "true", "no", "maybe", "1"],
    "narrative": ["", "", "a", "a", "b"],
}


@st.composite
def storied_sheets(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    header = draw(st.permutations(WITH))
    rows = draw(st.lists(st.fixed_dictionaries(
        {c: st.sampled_from(MORE_CHOICES[c]) for c in WITH}), min_size=1, max_size=9))
    return list(header), [[r[c] for c in header] for r in rows]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(sheet=storied_sheets(), keep_valid=st.booleans(), empty=st.booleans())
def test_any_sheet_with_stays_and_narratives_gives_what_row_by_row_gives(
        tmp_path: Path, sheet: tuple[list[str], list[list[str]]], keep_valid: bool,
        empty: bool) -> None:
    header, rows = sheet
    path = write_sheet(tmp_path / "random.csv", rows, header=header)
    same_as_reference(path, (lambda: Ledger(gazetteer=Places())) if empty else sheet_ledger,
                      keep_valid=keep_valid)


# -- the planner itself ----------------------------------------------------------------------


def test_plan_codes_each_distinct_value_once() -> None:
    ledger = sheet_ledger()
    cells = {c: [v] * 1000 for c, v in zip(COLUMNS, row(), strict=True)}
    cells["id"] = [f"r{n}" for n in range(1000)]
    result = plan(cells, range(2, 1002), ledger)
    batch = result.batch
    assert len(batch) == 1000
    assert not result.problems
    assert not result.people
    assert (len(batch.kind_table), len(batch.place_table), len(batch.when_table),
            len(batch.source_table), len(batch.subject_table)) == (1, 1, 1, 1, 1)
    assert set(batch.kinds) == {0}


def test_the_collector_pauses_and_resumes() -> None:
    import gc

    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_report_added_reads_like_a_tuple(tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "ok.csv", [row(id=f"r{n}") for n in range(5)])
    ledger = sheet_ledger()
    report = read_csv(path, ledger)
    added = report.added
    expected = tuple(ledger.observation(f"r{n}") for n in range(5))
    assert len(added) == 5
    assert added == expected
    assert expected == added
    assert added != "r0"
    assert added[1:3] == expected[1:3]
    assert added[-1].id == "r4"
    assert list(added) == list(expected)
    assert hash(added) == hash(expected)
    assert repr(added) == "<5 entries appended: r0, r1, ..., r4>"
    assert report == Report(path=str(path), format="csv", ledger=ledger, read=5,
                            added=expected)
    assert os.fspath(path) == report.path


def test_relay_chains_with_a_gap(tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "relay.csv", [row(source="a → → b"), row(source=" → b"),
                                                row(source="a -> b")])
    ledger, problems = same_as_reference(path, sheet_ledger, keep_valid=True)
    assert len(problems) == 2
    assert ledger.entries[-1].source == Source("b", via=Source("a"))


# -- DataFrames and Arrow tables ----------------------------------------------------------------


def frame_outcome(frame: Any, ledger: Ledger, keep_valid: bool,
                  ) -> tuple[list[str], list[str], list[str], int]:
    return outcome(lambda f, led, keep_valid: read_frame(f, led, keep_valid=keep_valid),
                   frame, ledger, keep_valid)


@pytest.mark.parametrize("keep_valid", [False, True])
def test_a_dataframe_reads_as_its_csv_does(tmp_path: Path, keep_valid: bool) -> None:
    pd = pytest.importorskip("pandas")
    files = generated(tmp_path, 1000, seed=13)
    with files.observations.open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))[1:]
    path = write_sheet(tmp_path / "spoiled.csv", spoil(rows, 0.02, seed=4))
    make = registered(files)
    by_csv, from_csv = make(), outcome(read_csv, path, make(), keep_valid)
    read_csv(path, by_csv, keep_valid=True)
    for frame in (pd.read_csv(path, dtype=str, keep_default_na=False), pd.read_csv(path)):
        ledger = make()
        problems, added, created, read = frame_outcome(frame, ledger, keep_valid)
        assert (problems, added, created) == from_csv[:3]
        if keep_valid:
            assert ledger == by_csv
            assert read == from_csv[3]


def test_a_dataframe_with_its_columns_in_another_order_and_other_types() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({
        "Subjects": ["Amal Haddad", "Amal Haddad", "Sami Nasser", "Sami Nasser"],
        "kind": ["seen at", "seen at", "died", "whereabouts unknown"],
        "place": ["Beirut", "Dubai", None, float("nan")],
        "when": [pd.Timestamp("2024-12-07T10:30:00Z"), pd.NaT, date(2024, 12, 1), 2024],
        "source": ["a wire"] * 4,
        "reported": ["2024-12-08", "2024-12-09", "2024-12-10", "2024-12-10"],
        "reliability": ["B", pd.NA, None, "C"],
        "credibility": [2.0, float("nan"), 3, 4],
        "note": [None, True, "", "x"],
        "after": [None, "o4", None, None],
        " ID ": [None, None, None, "unknown"],
    }, index=[10, 20, 30, 40])
    ledger = sheet_ledger()
    report = read_frame(frame, ledger)
    assert report.path == "<DataFrame>"
    assert report.format == "frame"
    assert [str(o) for o in report.added] == [
        "o4 2024-12-07T10:30:00Z amal seen at Beirut (a wire, reported 2024-12-08, B2)",
        "o5 undated amal seen at Dubai (a wire, reported 2024-12-09, F6)",
        "o6 2024-12-01 sami died (a wire, reported 2024-12-10, F3)",
        "unknown 2024 sami whereabouts unknown (a wire, reported 2024-12-10, C4)",
    ]
    assert ledger.observation("o5").note == "True"
    assert ledger.observation("o5").after == ("o4",)


def test_a_dataframe_with_bad_rows_names_them_by_position() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame([row(id="a"), row(kind="flew to"), row(when="2024-12-12",
                                                                 reported="2024-12-10")],
                         columns=list(COLUMNS))
    ledger, before = sheet_ledger(), sheet_ledger()
    with pytest.raises(LedgerFileError) as info:
        read_frame(frame, ledger)
    assert str(info.value).splitlines() == [
        "<DataFrame>:3:3: kind: 'flew to': not a kind of observation (known: 'seen at', "
        "'reported at', 'arrived at', 'passed through', 'sheltering at', 'detained at', "
        "'treated at', 'granted asylum in', 'departed', 'heading to', 'attacked', 'injured', "
        "'died', 'whereabouts unknown', 'refused entry to', 'turned back on the way to', "
        "'called off going to')",
        "<DataFrame>:4:5: when: '2024-12-12': it cannot have happened after it was reported "
        "(2024-12-10)",
    ]
    assert ledger == before
    report = read_frame(frame, ledger, keep_valid=True)
    assert [o.id for o in report.added] == ["a"]
    assert str(report).splitlines()[0] == "<DataFrame>: frame, 3 rows read, 2 problems"


def test_a_dataframe_with_wrong_columns() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame([[*row(), "x", "y"]], columns=[*COLUMNS, "colour", "kind"])
    with pytest.raises(LedgerFileError) as info:
        read_frame(frame)
    assert [str(p) for p in info.value.problems] == ["1:13: column 'kind' twice"]
    report = read_frame(pd.DataFrame([[*row(), "x"]], columns=[*COLUMNS, "colour"]))
    assert report.notices == ("column 12 ('colour') is not one whereabouts reads: left unread",)
    assert [str(p) for p in problems_of(pd.DataFrame(columns=["id", "kind"]))] == [
        "1: missing columns: subjects, place, when, source, reported, reliability, "
        "credibility, note, after"]


def problems_of(frame: Any) -> tuple[Problem, ...]:
    with pytest.raises(LedgerFileError) as info:
        read_frame(frame)
    return info.value.problems


def test_an_empty_dataframe_imports_nothing() -> None:
    pd = pytest.importorskip("pandas")
    report = read_frame(pd.DataFrame(columns=list(COLUMNS)))
    assert report.ok
    assert (len(report.ledger), report.read, tuple(report.added)) == (0, 0, ())


def test_what_is_not_a_frame_is_refused() -> None:
    assert [str(p) for p in problems_of([["a"]])] == [
        "expected a pandas DataFrame or a pyarrow Table, got list"]


class ArrowLike:
    """What read_frame asks of a pyarrow Table: column names, columns with to_pylist."""

    class Column:
        def __init__(self, values: list[object]) -> None:
            self.values = values

        def to_pylist(self) -> list[object]:
            return list(self.values)

    def __init__(self, rows: list[list[object]], names: Sequence[str] = COLUMNS) -> None:
        self.column_names = list(names)
        self._columns = [self.Column([r[n] for r in rows]) for n in range(len(names))]

    def column(self, index: int) -> ArrowLike.Column:
        return self._columns[index]


def test_an_arrow_table_reads_as_its_rows() -> None:
    rows: list[list[object]] = [[*row(id="a")], [*row(after="a")]]
    rows[1][8] = 3  # credibility, a number
    rows[1][9] = None  # note, missing
    ledger = sheet_ledger()
    report = read_frame(ArrowLike(rows), ledger)
    assert report.path == "<ArrowLike>"
    assert [str(o) for o in report.added] == [
        "a 2024-12-07 amal seen at Beirut (a wire, reported 2024-12-08, B2)",
        "o5 2024-12-07 amal seen at Beirut (a wire, reported 2024-12-08, B3)"]


def test_a_pyarrow_table() -> None:
    pa = pytest.importorskip("pyarrow")
    table = pa.table({c: [v] for c, v in zip(COLUMNS, row(id="a"), strict=True)})
    report = read_frame(table, sheet_ledger())
    assert [o.id for o in report.added] == ["a"]
