"""The cells as the planner takes them: what the optional columns change first.

A grade given as one code (``B2``) is spread into its two columns, ``exact``
values are put in place of their readable cells, and the rows that are
corrections, retractions or denials (the ``entry`` and ``target`` columns) are
found. A row with a problem here is left out, as a row of the wrong width is.
"""

from __future__ import annotations

import json
from collections.abc import (
    Mapping,
    Sequence,
)
from itertools import accumulate, compress, count

from whereabouts.errors import (
    InvalidObservation,
    WhereaboutsError,
)
from whereabouts.io._cells import ENTRIES
from whereabouts.io._exact import place_of, readable, source_of
from whereabouts.io.errors import Problem
from whereabouts.places import Where
from whereabouts.sources import Grading, Source

__all__ = ["Prepared"]


_EXACT_FIELDS = frozenset({"place", "source", "note"})


def _same(cell: str, shown: str) -> bool:
    """Whether a readable cell says what an exact value shows (spacing aside)."""
    return " ".join(cell.split()) == " ".join(shown.split())


class Prepared:
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
