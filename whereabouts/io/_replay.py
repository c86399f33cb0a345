"""The rows tied to earlier rows, replayed in file order as ``Ledger.observe`` takes them.

Most rows stand alone and are checked a column at a time. A few depend on the
rows before them: ids already taken, ``after`` links, names of people created on
an earlier row, the ``o1``, ``o2``... ids a row without one gets, narrative
labels. :class:`Ties` says which; :class:`Replay` takes those rows one at a
time against what the earlier rows left; :class:`LedgerIds` tells which ids the
ledger already holds.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from itertools import accumulate, combinations
from typing import TYPE_CHECKING

import attrs

from whereabouts._bulk import stored_ids
from whereabouts.entities import Entity, Person, name_keys
from whereabouts.errors import (
    Ambiguous,
    DuplicateId,
    UnknownEntity,
    UnknownObservation,
    WhereaboutsError,
)
from whereabouts.io._cells import slug
from whereabouts.io._checks import whole_name
from whereabouts.io._together import late_after, late_in_narrative, suspect
from whereabouts.io.errors import Problem
from whereabouts.ledger import Ledger

if TYPE_CHECKING:
    from whereabouts.io._plan import Pass

__all__ = ["AUTO_ID", "LedgerIds", "Replay", "Ties"]


AUTO_ID = re.compile(r"o[1-9][0-9]*")  # the ids Ledger.observe gives: o1, o2...


@attrs.define
class Ties:
    """What ties rows to the rows before them, beyond ``after`` links."""

    names: set[str] = attrs.field(factory=set)
    """Names whose finding may change as people are created."""
    ids: set[str] = attrs.field(factory=set)
    """Explicit ids that may clash with an earlier row's or a new person's."""
    auto: bool = False
    """Whether the ``o{n}`` ids of rows without one must be worked out here."""


class LedgerIds:
    """The ids a ledger holds, its entities' and its entries', to tell which are taken.

    No entry is built to know its id: the ids asked about are matched against
    the entities' ids and the ids entries were given, and those that look like a
    default ``o{n}`` against the rows that still have theirs, by set operations.
    """

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def __contains__(self, oid: str) -> bool:
        return self._ledger._taken(oid)

    def among(self, ids: set[str]) -> set[str]:
        """The ids of ``ids`` the ledger holds."""
        ledger = self._ledger
        # The view on the left: it looks each of ``ids`` up. ``ids.intersection(keys)``
        # would walk every entity, at every part of a file (quadratic in a large load).
        taken = ledger._entities.keys() & ids
        taken.update(stored_ids(ledger._store, ids - taken, keep=True))
        return taken


def _duplicate(oid: str) -> DuplicateId:
    return DuplicateId("id already in the ledger or on an earlier row", field="id", value=oid)


def _unknown_prior(oid: str) -> UnknownObservation:
    return UnknownObservation("no such observation on an earlier row or in the ledger",
                              field="after", value=oid)



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


class Replay:
    """The rows tied to earlier rows, taken in file order as ``Ledger.observe`` takes them.

    Each is checked against what the rows before it left: the ids taken, the
    observations ``after`` may name, the people created, the count that
    numbers ``o{n}``. Rows not tied are appended when their cells are fine.
    """

    def __init__(self, attempt: Pass, tied: list[int]) -> None:
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
        self.narrated: dict[int, int | str] = {}  # row appended -> the row (or the ledger's
        # observation, for a label of an earlier part of the file) its narrative puts before
        for person in self.p.ghosts.values():  # created on refused rows of earlier parts
            self._created[person.id] = person
            self._new.add(person)
            self._forget(person)

    def run(self) -> None:
        for row in self.tied:
            self._row(row)

    @property
    def ghosts(self) -> dict[str, Person]:
        """The people created on the way whom no row appended names: as observing the
        rows one by one leaves them, for the rows after (their ids taken, their names
        found), though the ledger never gets them unless a later row names them."""
        return {oid: p for oid, p in self._created.items() if oid not in self._planned}

    @property
    def told(self) -> Mapping[str, int]:
        """Each narrative label, and the last row appended with it."""
        return self._told

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
        before: int | str | None = None
        if label:
            before = self._told.get(label, self.p.told.get(label))
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
        for name in self.static.subjects.names_in(raw):
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
            return self.static.names.outcome(name)
        if name not in self._found:
            self._found[name] = self._fit(name)
        return self._found[name]

    def _fit(self, name: str) -> str | WhereaboutsError | None:
        """What ``Ledger.entity`` finds for a tied name in the ledger plus the new people.

        A tied name has no whole-name key among the ledger's entities (see
        :func:`whole_name`), so it fits the new people by key, if any, or else the
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
            if whole_name(name, err.candidates):
                return err
            fits = err.candidates
        else:
            if whole_name(name, (found,)):
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
            base = candidate = slug(name)
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
               after: tuple[str, ...], before: int | str | None) -> WhereaboutsError | None:
        if oid and oid in self._created:  # a person this very row created
            return DuplicateId("id already in the ledger", field="id", value=oid)
        if row in self.a.cross:
            return self.a.cross[row]
        values = self.static.row(row)
        if self.p.cells["subjects"][row] in self.a.dynamic and suspect(subjects, *values):
            err = self.p.probe.error(subjects, *values)
            if err is not None:
                return err
        if after or before is not None:
            end = self.p.order.window(row)[1]
            start = self._start(row, after)
            if after and start >= end:
                return late_after(after)
            if before is not None and max(start, self._row_start(before)) >= end:
                return late_in_narrative(self.id_of(before))
        return None

    def _start(self, row: int, after: tuple[str, ...], before: int | str | None = None,
               ) -> float:
        """The start of a row narrowed by its ``after`` links (and its narrative's row before)."""
        own = self.p.order.window(row)[0]
        starts = [own, *(self._start_of(prior) for prior in after)]
        if before is not None:
            starts.append(self._row_start(before))
        return max(starts)

    def _row_start(self, row: int | str) -> float:
        """The start of an earlier row appended, narrowed by its links (of the ledger's
        observation, for an id)."""
        if isinstance(row, str):
            return self.p.order.start(row)
        known = self._starts.get(row)
        return known if known is not None else self.p.order.window(row)[0]

    def id_of(self, row: int | str) -> str:
        """The id of a tied row appended (its own, or the ``o{n}`` it gets); an id is itself."""
        if isinstance(row, str):
            return row
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
                after: tuple[str, ...], before: int | str | None) -> None:
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
            try:  # its row, not the observation built from it: 0.1 s of a load of 10^6
                self.p.ledger._row(oid)
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

    def grown(self) -> Ties | None:
        """The ties to make the pass again with, if new people's ids are used elsewhere."""
        ties = self.a.ties
        created = self._created.keys()
        names = self.static.named(created) - ties.names
        ids = (created & self.static.given) - ties.ids
        auto = (not ties.auto and any(map(AUTO_ID.fullmatch, created))
                and not all(self.static.ids))
        if not (names or ids or auto):
            return None
        return Ties(names=ties.names | names, ids=ties.ids | ids, auto=ties.auto or auto)
