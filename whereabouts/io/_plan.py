"""Planning an import: check the columns, replay the tied rows, build the batch.

:func:`plan` runs a :class:`Planner`: it checks the columns once
(:mod:`whereabouts.io._checks`), then makes passes (:class:`Pass`): cells wrong
whatever came before, values that do not go together
(:mod:`whereabouts.io._together`), the rows tied to earlier ones
(:mod:`whereabouts.io._replay`), until no tie is missed; the last pass builds
the :class:`Plan`: the valid rows coded as a :class:`~whereabouts.batch.Batch`,
the people to create, the problems. :func:`load` carries a plan out.
"""

from __future__ import annotations

import gc
import math
import operator
from collections import Counter
from collections.abc import (
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import contextmanager
from itertools import accumulate, compress, count, repeat
from typing import Any, TypeVar, cast

import attrs

from whereabouts._whens import NONE, Dates
from whereabouts.batch import Batch
from whereabouts.entities import Person
from whereabouts.errors import (
    WhereaboutsError,
)
from whereabouts.io._cells import COLUMNS, OPTIONAL
from whereabouts.io._checks import Memo, bad_rows, check_columns, rows_holding, subject_ids
from whereabouts.io._replay import AUTO_ID, LedgerIds, Replay, Ties
from whereabouts.io._together import Order, Probe, misplaced
from whereabouts.io.errors import Problem
from whereabouts.io.report import Appended
from whereabouts.io.sqlite import SqliteLedger
from whereabouts.ledger import Ledger
from whereabouts.places import Where
from whereabouts.sources import Grading, Source
from whereabouts.when import When

__all__ = ["FIELD_COLUMN", "Pass", "Plan", "Planner", "apply_plan", "load", "paused_gc", "plan"]


FIELD_COLUMN = {"entity": "subjects", "members": "subjects", "name": "place",
                 "grading": "reliability", "target": "after", "corrects": "id"}


@attrs.frozen
class Plan:
    """What checking the columns found: the valid rows, the people they need, the problems.

    ``batch`` holds the valid rows, coded; ``people`` the people to create
    (names in ``subjects`` that fit no one), in the order the rows first name
    them; ``problems`` every problem, sorted by line and column; ``told`` each
    narrative label, and the row of the batch that is the last with it (what the
    next part of the file puts its rows with that label after).
    """

    batch: Batch
    people: tuple[Person, ...]
    problems: tuple[Problem, ...]
    told: Mapping[str, int] = attrs.field(factory=dict)
    ghosts: Mapping[str, Person] = attrs.field(factory=dict)
    """The people created on refused rows that no row kept names (see
    :attr:`Replay.ghosts <whereabouts.io._replay.Replay.ghosts>`), for the next part."""


def plan(cells: Mapping[str, Sequence[str]], lines: Sequence[int], ledger: Ledger, *,
         numbers: Mapping[str, int] | None = None, places: Mapping[str, Where] | None = None,
         sources: Mapping[str, Source] | None = None, told: Mapping[str, str] | None = None,
         memo: Memo | None = None, ghosts: Mapping[str, Person] | None = None) -> Plan:
    """Check columns of cells against ``ledger`` and code the valid rows; change nothing.

    ``cells`` maps each of :data:`COLUMNS`, and any of :data:`OPTIONAL`, to one
    string per row; ``lines`` gives the line of each row, and ``numbers`` the
    column number of each column (by default their place in :data:`COLUMNS`
    then :data:`OPTIONAL`), for the problems. ``places`` and ``sources`` give
    the value of cells that are not looked up (those an ``exact`` cell gave).
    ``told`` gives, for a file read in parts, each narrative label of the parts
    before and the id of its last observation (see :attr:`Plan.told`); ``memo``
    what holds for the whole file, found in those parts (a
    :class:`~whereabouts.io._checks.Memo`); ``ghosts`` the people their refused rows
    created (see :attr:`Plan.ghosts`).
    """
    where = numbers if numbers is not None else {
        c: n for n, c in enumerate((*COLUMNS, *OPTIONAL), start=1)}
    with paused_gc():
        return Planner(cells, lines, ledger, where, places or {}, sources or {},
                       told or {}, memo, ghosts or {}).run()


def load(ledger: Ledger, planned: Plan) -> tuple[Appended, tuple[Person, ...]]:
    """Create the planned people and append the planned rows to ``ledger``.

    A :class:`~whereabouts.io.SqliteLedger` takes it all in one transaction.
    Returns the observations appended (read from the ledger when asked for)
    and the people created.
    """
    if isinstance(ledger, SqliteLedger):
        with ledger.transaction():
            return apply_plan(ledger, planned)
    return apply_plan(ledger, planned)


def apply_plan(ledger: Ledger, planned: Plan) -> tuple[Appended, tuple[Person, ...]]:
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


class Planner:
    """Checks the columns once, then makes passes (:class:`Pass`) until no tie is missed."""

    def __init__(self, cells: Mapping[str, Sequence[str]], lines: Sequence[int], ledger: Ledger,
                 numbers: Mapping[str, int], places: Mapping[str, Where],
                 sources: Mapping[str, Source], told: Mapping[str, str],
                 memo: Memo | None = None, ghosts: Mapping[str, Person] | None = None,
                 ) -> None:
        self.ghosts: Mapping[str, Person] = ghosts or {}
        """People created on refused rows of the parts of the file before."""
        self.cells = cells
        self.told = told
        """Narrative labels of the parts of the file before, and their last observation's id."""
        self.lines = lines
        self.ledger = ledger
        self.numbers = numbers
        self.size = len(lines)
        self.static = check_columns(cells, ledger, places, sources, memo)
        self.ledger_ids = LedgerIds(ledger)
        self.order = Order(ledger, self.static)
        self.probe = Probe()

    def run(self) -> Plan:
        ties = self._first_ties()
        while True:
            attempt = Pass(self, ties)
            replay = attempt.run()
            grown = replay.grown()
            if grown is None:
                return attempt.plan(replay)
            ties = grown

    def _first_ties(self) -> Ties:
        static = self.static
        explicit = self.size - static.ids.count("")
        ids = self.ledger_ids.among(static.given) | (static.given & self.ghosts.keys())
        if len(static.given) != explicit:  # an id given twice
            ids.update(oid for oid, times in Counter(static.ids).items() if times > 1 and oid)
        auto = explicit != self.size and (
            any(map(AUTO_ID.fullmatch, static.given))
            or any(AUTO_ID.fullmatch(a) for refs in static.afters.values() for a in refs)
            or self._narrated_without_id())
        # People made on refused rows of earlier parts (ghosts) can change what a name
        # fits, as people made in this part can.
        names = static.names.unstable() if static.names.unknown or self.ghosts else set()
        return Ties(names=names, ids=ids, auto=auto)

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
        col = column or FIELD_COLUMN.get(err.field or "", err.field or "")
        number = self.numbers.get(col)
        return Problem.of(err, line=self.lines[row], column=number,
                          field=col if number is not None else None)


class Pass:
    """One pass over the rows, given what ties them (:class:`Ties`).

    Cells are checked per distinct value (by the planner), values that must
    go together per distinct combination, and the rows tied to earlier rows
    one at a time, in file order (:class:`Replay`). If that finds a tie it
    was not told of (a new person whose id a row elsewhere uses),
    :meth:`run` returns the larger ties to make the pass again with.
    """

    def __init__(self, planner: Planner, ties: Ties) -> None:
        self.p = planner
        self.static = planner.static
        self.ties = ties
        self.problems: list[Problem] = []
        self.bad: set[int] = set()  # rows with a bad cell
        self.subject_table: list[tuple[str, ...]] = []
        self._subject_codes: dict[tuple[str, ...], int] | None = None
        self.subjects: list[int] = []
        self.dynamic: set[str] = set()  # subjects cells holding tied names
        self.cross: dict[int, WhereaboutsError] = {}

    def run(self) -> Replay:
        """Check the rows and replay the tied ones; the replay says whether the ties grew
        (:meth:`Replay.grown`). The pass keeps no reference to it: the load pauses the
        cyclic collector, and a pass and its replay pointing at each other would keep
        each part's cells alive until the whole file was read."""
        self._cells()
        self._subjects()
        self._cross()
        replay = Replay(self, self._tied())
        replay.run()
        return replay

    # -- cells wrong whatever came before ----------------------------------------------

    def _cells(self) -> None:
        s, cells = self.static, self.p.cells
        for name, coded in (("kind", s.kinds), ("place", s.places), ("when", s.whens),
                            ("source", s.sources), ("reported", s.reported),
                            ("reliability", s.reliability), ("credibility", s.credibility),
                            ("throughout", s.throughout)):
            if coded is not None and coded.errors:
                self._report(name, cells[name], coded.errors, bad_rows(coded.codes))
        if s.bad_ids:
            self._report("id", s.ids, s.bad_ids, rows_holding(s.ids, s.bad_ids.keys()))

    def _report(self, column: str, cells: Sequence[str], errors: Mapping[str, WhereaboutsError],
                rows: Iterable[int]) -> None:
        for row in rows:
            self.problems.append(self.p.problem(row, errors[cells[row]], column))
            self.bad.add(row)

    def _subjects(self) -> None:
        """Code the ``subjects`` cells that hold no tied name; report their problems.

        The usual cell, plain (see :class:`~whereabouts.io._checks.Subjects`), not a tied
        name and fitting one entity, is coded in C-speed passes; a Python step per
        distinct cell took 0.7 s of a load of 10^6.
        """
        subjects, tied = self.static.subjects, self.ties.names
        usable = list(map(operator.is_, map(type, subjects.found), repeat(str)))
        if tied:
            usable = list(map(operator.and_, usable,
                              map(operator.not_, map(tied.__contains__, subjects.cells))))
        if all(usable):
            codes = self._single_codes(cast(list[str], subjects.found))
        else:
            codes = [-1] * len(subjects.cells)
            ids = cast(list[str], list(compress(subjects.found, usable)))
            for position, code in zip(compress(count(), usable), self._single_codes(ids),
                                      strict=True):
                codes[position] = code
        errors: dict[int, list[WhereaboutsError]] = {}
        for position in compress(count(), map(operator.not_, usable)):
            raw = subjects.cells[position]
            names = subjects.names_in(raw)
            if not tied.isdisjoint(names):
                self.dynamic.add(raw)
                continue
            found, wrong = subject_ids(raw, names, self.static.names.outcome)
            if wrong:
                errors[position] = wrong
            else:
                codes[position] = self.subject_code(tuple(found))
        self.subjects = list(map(codes.__getitem__, subjects.rows))
        for row in rows_holding(subjects.rows, errors.keys()):
            self.problems.extend(self.p.problem(row, err, "subjects")
                                 for err in errors[subjects.rows[row]])
            self.bad.add(row)

    def _single_codes(self, ids: list[str]) -> list[int]:
        """The subject code of each of ``ids`` alone, given first (the table is empty)."""
        distinct = dict.fromkeys(ids)
        self.subject_table.extend(zip(distinct))
        if len(distinct) == len(ids):  # each id once: its code is its place
            return list(range(len(ids)))
        code = dict(zip(distinct, count()))
        return list(map(code.__getitem__, ids))

    def subject_code(self, ids: tuple[str, ...]) -> int:
        codes = self._subject_codes
        if codes is None:  # made when first needed: most parts never need it
            codes = self._subject_codes = dict(zip(self.subject_table, count()))
        code = codes.get(ids)
        if code is None:
            code = codes[ids] = len(self.subject_table)
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
            suspects.update(rows_holding(s.throughout.codes, [
                code for code, value in enumerate(s.throughout.table) if value]))
        for row in sorted(suspects - self.bad):
            code = self.subjects[row]
            if code >= 0:  # else a cell with tied names: checked in file order
                err = self.p.probe.error(self.subject_table[code], *s.row(row))
                if err is not None:
                    self.cross[row] = err

    def _suspect_subjects(self) -> Iterator[int]:
        table = self.subject_table  # mostly one id each: never suspect, passed at C speed
        bad = {code for code in compress(count(), map(operator.ne, map(len, table), repeat(1)))
               if not table[code] or len(set(table[code])) != len(table[code])}
        return rows_holding(self.subjects, bad)

    def _suspect_places(self, kinds: list[int], places: list[int]) -> Iterator[int]:
        """Rows whose kind needs a place and has none, or takes none and has one.

        :func:`~whereabouts.io._together.misplaced` asks only whether there is a place,
        so it is asked once per kind for none and for one, and the rows are found with
        numpy: a call per distinct (kind, place) pair took 0.3 s of a load of 10^6.
        """
        np = _np()
        s = self.static
        one = next((p for p in s.places.table if p is not None), None)
        without = np.array([misplaced(k, None) for k in s.kinds.table] + [False], dtype=bool)
        with_one = np.array([one is not None and misplaced(k, one) for k in s.kinds.table]
                            + [False], dtype=bool)
        none = np.array([p is None for p in s.places.table] + [False], dtype=bool)
        some = np.array([p is not None for p in s.places.table] + [False], dtype=bool)
        kind = np.array(kinds, dtype=np.int64)  # code -1 (a bad cell) is the last entry:
        where = np.array(places, dtype=np.int64)  # never suspect
        wrong = (without[kind] & none[where]) | (with_one[kind] & some[where])
        return iter(np.flatnonzero(wrong).tolist())

    def _suspect_dates(self, whens: list[int], reported: list[int]) -> Iterator[int]:
        """Rows that start on or after their report's end, or whose report has no end."""
        np = _np()
        s = self.static
        starts = np.append(_bounds(s.whens.table)[0], -math.inf)  # code -1: never suspect
        ends = _bounds(s.reported.table)[1]
        ends[np.isinf(ends) & ~_is_none(s.reported.table)] = -math.inf  # a report without
        ends = np.append(ends, math.inf)  # an end: suspect; code -1 or not known: never
        late = starts[np.asarray(whens, dtype=np.int64)] >= ends[
            np.asarray(reported, dtype=np.int64)]
        return iter(np.flatnonzero(late).tolist())

    # -- rows tied to earlier rows -----------------------------------------------------

    def _tied(self) -> list[int]:
        s, cells = self.static, self.p.cells
        tied = set(rows_holding(cells["subjects"], self.dynamic))
        tied.update(compress(count(), map(s.afters.__getitem__, cells["after"])))
        tied.update(rows_holding(s.ids, self.ties.ids))
        if self.ties.auto:
            tied.update(row for row, oid in enumerate(s.ids) if not oid or AUTO_ID.fullmatch(oid))
        if s.labels is not None:
            tied.update(compress(count(), s.labels))
        return sorted(tied)

    # -- the result --------------------------------------------------------------------

    def plan(self, replay: Replay) -> Plan:
        s = self.static
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
                     for row in rows_holding(codes, said)}
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
            gradings=gradings, grading_table=grading_table, ids=self._ids(replay, keep),
            notes=_filled(notes), after=after, throughout=stays,
        )
        problems = sorted([*self.problems, *replay.problems],
                          key=lambda p: (p.line or 0, p.column or 0))
        kept = list(accumulate(keep, initial=0)) if keep is not None else None
        told = {label: row if kept is None else kept[row] for label, row in replay.told.items()}
        return Plan(batch=batch, people=tuple(replay.planned), problems=tuple(problems),
                    told=told, ghosts=replay.ghosts)

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

    def _ids(self, replay: Replay, keep: list[bool] | None) -> Sequence[str | None] | None:
        ids: list[str | None] = [oid or None for oid in self.static.ids]
        for row, oid in replay.given.items():
            ids[row] = oid
        if not any(ids):
            return None
        return _kept(ids, keep)


_S = TypeVar("_S")


def _np() -> Any:
    import numpy

    return numpy


def _bounds(table: Sequence[When | None]) -> tuple[Any, Any]:
    """The first instant and the instant after the last of each date of a table, as float
    arrays (``None``: ``-inf`` and ``inf``), read as numbers from a Dates table."""
    np = _np()
    if isinstance(table, Dates):
        return table.bounds()
    starts = np.array([-math.inf if w is None else w.lower for w in table], dtype=np.float64)
    ends = np.array([math.inf if w is None else w.upper for w in table], dtype=np.float64)
    return starts, ends


def _is_none(table: Sequence[When | None]) -> Any:
    """Which entries of a table are ``None``, as a boolean array."""
    np = _np()
    if isinstance(table, Dates):
        return np.frombuffer(table.shape, dtype=np.int8) == NONE
    return np.array([w is None for w in table], dtype=bool)


def _filled(cells: Sequence[str]) -> dict[int, str]:
    """The cells that are not empty, by row."""
    return dict(zip(compress(count(), cells), compress(cells, cells), strict=True))


def _kept(values: Sequence[_S], keep: list[bool] | None) -> Sequence[_S]:
    """The values of the rows kept (all of them when ``keep`` is None)."""
    return values if keep is None else list(compress(values, keep))
