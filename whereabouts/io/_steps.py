"""A sheet with corrections, retractions or denials, taken in file order.

Such rows split the others into runs: each run is planned
(:func:`~whereabouts.io._plan.plan`) and appended as one batch, and each such
row is checked and appended on its own between them, on a scratch ledger first
so that the import stays all or nothing.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import (
    Mapping,
    Sequence,
)
from itertools import accumulate
from typing import Any, TypeVar

from whereabouts.entities import Person
from whereabouts.entities import _check_id as _check_entity_id
from whereabouts.errors import (
    InvalidObservation,
    UnknownObservation,
    WhereaboutsError,
)
from whereabouts.io._cells import read_reported, source
from whereabouts.io._checks import Memo
from whereabouts.io._plan import FIELD_COLUMN, Plan, apply_plan, plan
from whereabouts.io._prepared import Prepared
from whereabouts.io.errors import Problem
from whereabouts.io.sqlite import SqliteLedger
from whereabouts.ledger import Ledger
from whereabouts.observations import Denial, Observation, Retraction
from whereabouts.sources import Grading, Source
from whereabouts.when import When

__all__ = ["Joined", "Steps"]

_T = TypeVar("_T")

_EMPTY_IN_WITHDRAWAL = ("subjects", "kind", "place", "when", "reliability", "credibility", "after",
                        "throughout", "narrative", "grading")


_Step = tuple[tuple[Person, ...], "Observation | Retraction | Denial | None"]


class Steps:
    """A sheet with corrections, retractions or denials: its runs of plain rows (each a
    :class:`Plan`) and those rows between them, tried in file order on ``scratch``.

    ``told`` gives the narrative labels of the parts of the file before (see
    :func:`~whereabouts.io._plan.plan`), for the first run if no such row comes
    before it; :attr:`told` is then those of the last run, if no such row ends the
    sheet."""

    def __init__(self, prepared: Prepared, numbers: Mapping[str, int], scratch: Ledger, *,
                 told: Mapping[str, str] | None = None,
                 memo: Memo | None = None, ghosts: Mapping[str, Person] | None = None,
                 ) -> None:
        self.told: Mapping[str, str] = told or {}
        self.memo = memo
        self.ghosts: Mapping[str, Person] = ghosts or {}
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
            self.told, self.ghosts = {}, {}
            if kind == "correction":
                self._correction(row, target)
            else:
                self._withdrawal(row, kind, target)
            start = row + 1
        if start < len(self.p.lines):
            last = self._plan(start, len(self.p.lines))
            self._take(last)
            self.ghosts = last.ghosts
            if last.told:
                added = self._added[-1]
                self.told = {**self.told, **{label: added[position].id
                                             for label, position in last.told.items()}}

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
        return Joined(self._added)

    def _take(self, step: Plan | _Step) -> None:
        if isinstance(step, Plan):
            self.problems.extend(step.problems)
        self._do(self.scratch, step)
        self.steps.append(step)

    def _do(self, ledger: Ledger, step: Plan | _Step) -> None:
        if isinstance(step, Plan):
            added, created = apply_plan(ledger, step)
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
                    places=self.p.places, sources=self.p.sources,
                    told=self.told if start == 0 else None, memo=self.memo,
                    ghosts=self.ghosts if start == 0 else None)

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
            reported = read_reported(cells["reported"][row])
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


_ENTRY_FIELD = {**FIELD_COLUMN, "target": "target", "corrects": "target"}


class Joined(Sequence[_T]):
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
