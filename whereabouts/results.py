"""What the ledger's queries return: answers that say what is known, how sure, and why.

Each result is an immutable value that prints as a short report; the
observations it rests on are in its ``evidence`` (or ``candidates``), so an
answer can always be traced back to who said what, and when.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, overload

import attrs

from whereabouts._answer_columns import AnswerColumns
from whereabouts._lazy import Column
from whereabouts._status import STATUSES, Status
from whereabouts._stays import stay_bounds
from whereabouts.entities import Entity, Group
from whereabouts.observations import Observation
from whereabouts.places import Where
from whereabouts.when import When

__all__ = [
    "AnswerColumns",
    "Answers",
    "Candidate",
    "Companion",
    "Conflict",
    "During",
    "Itinerary",
    "LaterWhereabouts",
    "Presence",
    "Roll",
    "Status",
    "Stop",
    "Whereabouts",
]


_PHRASES = {
    Status.LOCATED: "in",
    Status.HEADING: "heading to",
    Status.DEPARTED: "left",
    Status.DECEASED: "died",
}


def _cite(obs: Observation, indent: str = "  ") -> str:
    when = "undated" if obs.when is None else str(obs.when)
    return f"{indent}{obs.id}: {when} {obs.describe()} ({obs.citation()})"


def _place_phrase(status: Status, place: Where | None) -> str:
    if status is Status.DECEASED:
        return "died" if place is None else f"died at {place.label}"
    if place is None:
        return str(status.value)
    return f"{_PHRASES.get(status, status.value)} {place.label}"


@attrs.frozen(kw_only=True, repr=False)
class Candidate:
    """One of the answers a disputed question could have, with its evidence."""

    status: Status
    place: Where | None
    evidence: tuple[Observation, ...]

    def __str__(self) -> str:
        return _place_phrase(self.status, self.place)

    def __repr__(self) -> str:
        return f"<Candidate {self}: {', '.join(o.id for o in self.evidence)}>"


@attrs.frozen(kw_only=True, repr=False)
class Whereabouts:
    """Where an entity was last known to be, as of a date, from what was known at a date.

    ``status`` says what kind of answer it is. ``place`` is where they are
    (``LOCATED``), where they were going (``HEADING``), what they left
    (``DEPARTED``) or where they died (``DECEASED``). ``since`` is when the
    answer became true, as far as the evidence shows. ``last_seen`` is, for
    an unknown, heading or departed answer, the last place they were placed
    in before it. ``candidates`` lists, for a ``DISPUTED`` answer, every
    place the evidence allows. ``pending`` holds claims that may or may not
    have happened by ``as_of``: the answer would change if they had.
    ``last_placed`` lists every place the last placement could be (one when it
    is certain; several when it was disputed); ``last_seen`` is that one.
    ``also_reported`` holds claims below the query's grade threshold, and
    ``denied`` claims denied by then: on record, never part of the answer.
    """

    entity: Entity
    status: Status
    place: Where | None = None
    since: When | None = None
    evidence: tuple[Observation, ...] = ()
    last_seen: Candidate | None = None
    candidates: tuple[Candidate, ...] = ()
    conditions: tuple[Observation, ...] = ()
    pending: tuple[Observation, ...] = ()
    as_of: When | None = None
    known_at: When | None = None
    last_placed: tuple[Candidate, ...] = ()
    also_reported: tuple[Observation, ...] = ()
    denied: tuple[Observation, ...] = ()

    @property
    def country(self) -> str | None:
        """The ISO alpha-2 code of the one country the answer points to, if it is one."""
        if self.status is Status.DISPUTED or self.place is None:
            return None
        return self.place.country

    @property
    def countries(self) -> frozenset[str]:
        """Every country the answer allows (several for disputed or alternative places)."""
        if self.status is Status.DISPUTED:
            return frozenset().union(*(c.place.countries for c in self.candidates if c.place))
        return frozenset() if self.place is None else self.place.countries

    @property
    def headline(self) -> str:
        """The answer in one line."""
        name = self.entity.name
        if self.status is Status.DISPUTED:
            options = " | ".join(str(c) for c in self.candidates)
            return f"{name}: disputed: {options}"
        if self.status in (Status.UNKNOWN, Status.NOTHING_KNOWN):
            line = f"{name}: " + (
                "whereabouts unknown" if self.status is Status.UNKNOWN else "nothing known"
            )
            if self.last_placed:
                line += "; last placed " + " | ".join(str(c) for c in self.last_placed)
            return line
        line = f"{name}: {_place_phrase(self.status, self.place)}"
        if self.status in (Status.HEADING, Status.DEPARTED) and self.last_placed and not (
                len(self.last_placed) == 1 and self.last_placed[0].place == self.place):
            line += " (last placed " + " | ".join(str(c) for c in self.last_placed) + ")"
        if self.since is not None:
            line += f", {self.since}" if self.status is Status.DECEASED else f", since {self.since}"
        return line

    def __str__(self) -> str:
        lines = [self.headline]
        if self.status is Status.DISPUTED:
            for candidate in self.candidates:
                lines.append(f"  {candidate}:")
                lines.extend(_cite(o, "    ") for o in candidate.evidence)
        else:
            lines.extend(_cite(o) for o in self.evidence)
            shown = {o.id for o in self.evidence}
            for candidate in self.last_placed:
                lines.extend(_cite(o) for o in candidate.evidence if o.id not in shown)
        for obs in self.conditions:
            lines.append("  also" + _cite(obs, " "))
        for obs in self.pending:
            lines.append(f"  {self._maybe(obs)} by then" + _cite(obs, ": "))
        for obs in self.also_reported:
            lines.append("  also reported, below the threshold" + _cite(obs, ": "))
        for obs in self.denied:
            lines.append("  denied" + _cite(obs, ": "))
        return "\n".join(lines)

    def _maybe(self, obs: Observation) -> str:
        """What a pending claim may have done by ``as_of``: happened, or for a stay,
        begun or ended."""
        if not obs.throughout or obs.when is None or self.as_of is None:
            return "may have happened"
        begun_by = stay_bounds(obs.when, obs.reported)[1]
        return "may have begun" if begun_by > self.as_of.upper else "may have ended"

    def __repr__(self) -> str:
        return f"<Whereabouts {self.headline}>"

    def _repr_html_(self) -> str:
        """The answer and a table of its evidence, for notebooks."""
        from whereabouts import _html

        return _html.whereabouts(self)


class LaterWhereabouts(Whereabouts):
    """A :class:`Whereabouts` whose entity, status and place are known at once (read
    from the standing a whole-ledger pass keeps) and whose other fields (the
    evidence, ``since``, candidates...) are worked out by the full rules when one
    of them is first read. It equals, prints and hashes as the full answer.

    >>> from whereabouts import Person
    >>> amal = Person("amal", "Amal Haddad")
    >>> full = Whereabouts(entity=amal, status=Status.NOTHING_KNOWN)
    >>> later = LaterWhereabouts.of(amal, Status.NOTHING_KNOWN, None, lambda: full)
    >>> later.status, later == full, full == later, hash(later) == hash(full)
    (<Status.NOTHING_KNOWN: 'nothing known'>, True, True, True)
    >>> print(later)
    Amal Haddad: nothing known
    """

    __slots__ = ("_work_out",)

    @classmethod
    def of(cls, entity: Entity, status: Status, place: Where | None,
           work_out: Callable[[], Whereabouts]) -> LaterWhereabouts:
        """An answer about ``entity`` that is ``status`` at ``place``, in full by
        ``work_out()`` (which must agree on those three)."""
        found = object.__new__(cls)
        setter = object.__setattr__
        setter(found, "entity", entity)
        setter(found, "status", status)
        setter(found, "place", place)
        setter(found, "_work_out", work_out)
        return found

    def __getattr__(self, name: str) -> Any:
        """A field not read yet: the full answer is worked out (once)."""
        if name not in _FIELDS:
            raise AttributeError(name)
        self.work_out()
        return object.__getattribute__(self, name)

    @property
    def worked_out(self) -> bool:
        """Whether the full answer has been worked out yet."""
        return self._pending() is None

    def _pending(self) -> Callable[[], Whereabouts] | None:
        try:
            work_out: Callable[[], Whereabouts] | None = object.__getattribute__(
                self, "_work_out")
        except AttributeError:  # made whole by its __init__ (attrs.evolve)
            return None
        return work_out

    def work_out(self) -> None:
        """Work out the full answer now (a no-op once done)."""
        work_out = self._pending()
        if work_out is None:
            return
        full = work_out()
        for name in _FIELDS:
            object.__setattr__(self, name, getattr(full, name))
        object.__setattr__(self, "_work_out", None)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Whereabouts):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _FIELDS)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = Whereabouts.__hash__

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (and copied) as the full answer."""
        self.work_out()
        return (_rebuild, (tuple(getattr(self, name) for name in _FIELDS),))


_FIELDS = tuple(field.name for field in attrs.fields(Whereabouts))


def _rebuild(values: tuple[Any, ...]) -> Whereabouts:
    return Whereabouts(**dict(zip(_FIELDS, values, strict=True)))


@attrs.frozen(kw_only=True, repr=False)
class Stop:
    """One step of an itinerary: a place and the observations that put them there."""

    status: Status
    place: Where | None
    observations: tuple[Observation, ...]
    order_uncertain: bool = False
    """True when the evidence does not say whether this stop came after the one before."""
    gap_before_days: int | None = None
    """Days with no evidence between the previous stop and this one, when over the gap limit."""
    made: bool = True
    """False for an attempt: a movement tried or planned that did not happen."""

    @property
    def when(self) -> When | None:
        """The date of the stop's first claim (for a stay, its whole span)."""
        return self.observations[0].when

    @property
    def stay(self) -> bool:
        """Whether a claim of the stop holds throughout a span."""
        return any(o.throughout for o in self.observations)

    def __str__(self) -> str:
        when = "undated" if self.when is None else str(self.when)
        what = "; ".join(dict.fromkeys(o.describe() for o in self.observations))
        ids = ", ".join(o.id for o in self.observations)
        return f"{when:<14} {what} [{ids}]"


@attrs.frozen(kw_only=True, repr=False)
class Itinerary:
    """The stops of an entity in the order the evidence allows, with gaps shown."""

    entity: Entity
    stops: tuple[Stop, ...]

    def __iter__(self) -> Iterator[Stop]:
        return iter(self.stops)

    def __len__(self) -> int:
        return len(self.stops)

    def __str__(self) -> str:
        lines = [f"{self.entity.name}: {len(self.stops)} stops"]
        for number, stop in enumerate(self.stops, 1):
            if stop.gap_before_days is not None:
                lines.append(f"     ... no evidence for about {stop.gap_before_days} days ...")
            if stop.order_uncertain:
                lines.append("     ? order against the stop above is not known")
            lines.append(f"  {number:>2}. {stop}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Itinerary {self.entity.name}: {len(self.stops)} stops>"

    def _repr_html_(self) -> str:
        """The stops as a table (the first 50), gaps and unordered stops marked."""
        from whereabouts import _html

        return _html.itinerary(self)


@attrs.frozen(kw_only=True, repr=False)
class During:
    """Where an entity was during a day (or any window): where they were as it
    began, each claim placing them inside it in the order the evidence allows,
    and where they were as it ended.

    A date-time written with an offset belongs to the calendar day written in
    it (see ``docs/semantics.md``, "Days").

    >>> from whereabouts import Ledger, Place
    >>> ledger = Ledger()
    >>> sara = ledger.add_person("Sara Nasr")
    >>> _ = ledger.observe(sara, "departed", place=Place.city("Damascus", country="SY"),
    ...                    when="2024-12-08T01:00Z", source="a wire", reported="2024-12-09")
    >>> _ = ledger.observe(sara, "arrived at", place=Place.city("Beirut", country="LB"),
    ...                    when="2024-12-08T06:00Z", source="a wire", reported="2024-12-09")
    >>> day = ledger.during(sara, "2024-12-08")
    >>> [p.label for p in day.places], day.countries, day.end.place.name
    (['Damascus (SY)', 'Beirut (LB)'], ('SY', 'LB'), 'Beirut')
    """

    entity: Entity
    window: When
    start: Whereabouts
    """Where they were last known to be as the window began."""
    stops: tuple[Stop, ...]
    """Claims inside the window, certainly or possibly (``possible`` says which)."""
    end: Whereabouts
    """Where they were last known to be as the window ended."""
    possible: frozenset[str] = frozenset()
    """Ids of the stops' claims that may fall outside the window."""

    @property
    def places(self) -> tuple[Where, ...]:
        """Each place they were certainly in during the window, in order (a place
        they left counts: they were there before they left). Claims that may fall
        outside the window are left out (see :attr:`stops`)."""
        found: list[Where] = []
        if self.start.status is Status.LOCATED and self.start.place is not None:
            found.append(self.start.place)
        for stop in self.stops:
            if (stop.made and stop.status in (Status.LOCATED, Status.DEPARTED, Status.DECEASED)
                    and stop.place is not None
                    and not any(o.id in self.possible for o in stop.observations)):
                found.append(stop.place)
        if self.end.status is Status.LOCATED and self.end.place is not None:
            found.append(self.end.place)
        kept: list[Where] = []
        for place in found:
            if not kept or not (place.within(kept[-1]) or kept[-1].within(place)):
                kept.append(place)
            elif place.within(kept[-1]):
                kept[-1] = place  # the more specific
        return tuple(kept)

    @property
    def countries(self) -> tuple[str, ...]:
        """The countries of :attr:`places`, in order, each once."""
        return tuple(dict.fromkeys(c for p in self.places for c in sorted(p.countries)))

    def __str__(self) -> str:
        lines = [f"{self.entity.name} during {self.window}: "
                 + (" -> ".join(p.label for p in self.places) or "nowhere known")]
        lines.append(f"  as it began: {_rest(self.start)[2:]}")
        for number, stop in enumerate(self.stops, 1):
            maybe = " (possibly)" if any(o.id in self.possible for o in stop.observations) else ""
            lines.append(f"  {number:>2}. {stop}{maybe}")
        lines.append(f"  as it ended: {_rest(self.end)[2:]}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<During {self.entity.name} {self.window}: {[p.label for p in self.places]}>"

    def _repr_html_(self) -> str:
        """The route through the window, where it began and ended, and the claims inside."""
        from whereabouts import _html

        return _html.during(self)


def _answers(answers: Iterable[Whereabouts]) -> Answers:
    return Answers.of(answers)


@attrs.frozen(kw_only=True, repr=False)
class Presence:
    """Who is (last known to be) in a place: definitely, and possibly."""

    place: Where
    definite: Sequence[Whereabouts] = attrs.field(converter=_answers)
    """Those certainly there: an :class:`Answers` sequence."""
    possible: Sequence[Whereabouts] = attrs.field(converter=_answers)
    as_of: When | None = None
    known_at: When | None = None
    on: When | None = None
    """For a question about a whole day: that day (the answers are as it ended)."""

    @property
    def names(self) -> list[str]:
        """The names of those definitely there."""
        return [w.entity.name for w in self.definite]

    @property
    def possible_names(self) -> list[str]:
        return [w.entity.name for w in self.possible]

    def __str__(self) -> str:
        during = "" if self.on is None else f" during {self.on}"
        lines = [f"In {self.place.label}{during}: {len(self.definite)} definite, "
                 f"{len(self.possible)} possible"]
        lines.extend(f"  {_entity_label(w.entity)} {_rest(w)}" for w in self.definite)
        lines.extend(f"  possibly {_entity_label(w.entity)} {_rest(w)}" for w in self.possible)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Presence {self.place.label}: {self.names} possibly {self.possible_names}>"

    def _repr_html_(self) -> str:
        """Those definitely and possibly there, as a table (the first 50 rows)."""
        from whereabouts import _html

        return _html.presence(self)

    def columns(self) -> AnswerColumns:
        """Those definitely there, then those possibly there, as columns (see
        :class:`AnswerColumns`; its ``possible`` marks the latter), without
        building any answer."""
        definite, possible = Answers.of(self.definite), Answers.of(self.possible)
        first, second = definite.columns(), possible.columns()
        if first.ids is not second.ids or first.places is not second.places:
            return _columns_of([*definite, *possible],
                               [False] * len(definite) + [True] * len(possible))
        from whereabouts._arrays import numpy as _np

        np = _np()
        flags = np.zeros(len(first) + len(second), dtype=bool)
        flags[len(first):] = True
        options = (first.options if second.options is first.options
                   else {**first.options, **second.options})
        return attrs.evolve(first, entity=np.concatenate([first.entity, second.entity]),
                            status=np.concatenate([first.status, second.status]),
                            place=np.concatenate([first.place, second.place]),
                            options=options, possible=flags)

    def to_frame(self, *, full: bool = False) -> Any:
        """A :class:`pandas.DataFrame`, one row per answer, definite ones first: the
        columns of :meth:`Answers.to_frame` after a ``presence`` column
        (``"definite"`` or ``"possible"``)."""
        definite = Answers.of(self.definite)._frame_columns(full)
        possible = Answers.of(self.possible)._frame_columns(full)
        columns = {"presence": ["definite"] * len(self.definite)
                   + ["possible"] * len(self.possible)}
        columns.update({name: values + possible[name] for name, values in definite.items()})
        return _frame(columns)


def _entity_label(entity: Entity) -> str:
    return f"{entity.name} (group)" if isinstance(entity, Group) else entity.name


def _rest(answer: Whereabouts) -> str:
    headline = answer.headline
    return "- " + headline[len(answer.entity.name) + 2:]


@attrs.frozen(kw_only=True, repr=False)
class Roll:
    """A list of answers: who is unaccounted for, who is dead, everyone's whereabouts."""

    title: str
    answers: Sequence[Whereabouts] = attrs.field(converter=_answers)
    """The answers, one per entity: an :class:`Answers` sequence."""
    as_of: When | None = None
    known_at: When | None = None

    def __iter__(self) -> Iterator[Whereabouts]:
        return iter(self.answers)

    def __len__(self) -> int:
        return len(self.answers)

    @property
    def names(self) -> list[str]:
        return [entity.name for entity in Answers.of(self.answers).entities]

    @property
    def entities(self) -> tuple[Entity, ...]:
        """Who the answers are about, in order (without building the answers)."""
        return Answers.of(self.answers).entities

    @property
    def statuses(self) -> tuple[Status, ...]:
        """Each entity's status, in order (without building the answers)."""
        return Answers.of(self.answers).statuses

    @property
    def places(self) -> tuple[Where | None, ...]:
        """Each entity's place, ``None`` where there is none or it is disputed."""
        return Answers.of(self.answers).places

    def __str__(self) -> str:
        lines = [f"{self.title}: {len(self.answers)}"]
        lines.extend(f"  {_entity_label(w.entity)} {_rest(w)}" for w in self.answers)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Roll {self.title}: {self.names}>"

    def _repr_html_(self) -> str:
        """The count by status and a table of the first 50 answers."""
        from whereabouts import _html

        return _html.roll(self)

    def columns(self) -> AnswerColumns:
        """The answers as arrays of codes into small tables (see :class:`AnswerColumns`),
        without building any answer."""
        return Answers.of(self.answers).columns()

    def to_frame(self, *, full: bool = False) -> Any:
        """A :class:`pandas.DataFrame`, one row per answer: see :meth:`Answers.to_frame`."""
        return Answers.of(self.answers).to_frame(full=full)


@attrs.frozen(kw_only=True, repr=False)
class Companion:
    """Someone (or a group) who moved with the entity asked about, and the evidence."""

    entity: Entity
    observations: tuple[Observation, ...]

    def __str__(self) -> str:
        ids = ", ".join(o.id for o in self.observations)
        return f"{_entity_label(self.entity)} [{ids}]"

    def __repr__(self) -> str:
        return f"<Companion {self}>"


@attrs.frozen(kw_only=True, repr=False)
class Conflict:
    """Claims about one entity that cannot all be true, and why."""

    entity: Entity
    observations: tuple[Observation, ...]
    reason: str

    def __str__(self) -> str:
        lines = [f"{self.entity.name}: {self.reason}"]
        lines.extend(_cite(o) for o in self.observations)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Conflict {self.entity.name}: {', '.join(o.id for o in self.observations)}>"

    def _repr_html_(self) -> str:
        """The reason and a table of the claims."""
        from whereabouts import _html

        return _html.conflict(self)


class Answers(Column[Whereabouts]):
    """A read-only sequence of answers, held as columns until read.

    Whole-ledger questions work out every entity's status and place at once
    (see ``docs/performance.md``); :meth:`columns` hands them over as arrays of
    codes, :attr:`entities`, :attr:`statuses` and :attr:`places` as tuples, and
    each full :class:`Whereabouts` (with its evidence) is built when first read.
    An answer read after the ledger changed raises ``RuntimeError``: ask again.

    >>> from whereabouts import Person
    >>> amal = Person("amal", "Amal Haddad")
    >>> answers = Answers.of([Whereabouts(entity=amal, status=Status.NOTHING_KNOWN)])
    >>> answers.statuses, [w.entity.name for w in answers]
    ((<Status.NOTHING_KNOWN: 'nothing known'>,), ['Amal Haddad'])
    >>> answers.columns().status.tolist()
    [6]
    """

    __slots__ = ("_build", "_built", "_columns", "_entities", "_entity_of", "_places",
                 "_statuses")

    def __init__(self, columns: AnswerColumns, entity_of: Callable[[int], Entity],
                 build: Callable[[int], Whereabouts]) -> None:
        """Answers whose columns are ``columns``; ``entity_of`` gives the entity of an
        entity number, ``build`` the full answer of a row."""
        super().__init__(range(len(columns)), self._answer)
        self._columns: AnswerColumns | None = columns
        self._entity_of = entity_of
        self._build = build
        self._built: dict[int, Whereabouts] = {}
        self._entities: tuple[Entity, ...] | None = None
        self._statuses: tuple[Status, ...] | None = None
        self._places: tuple[Where | None, ...] | None = None

    @overload
    def __getitem__(self, index: int) -> Whereabouts: ...
    @overload
    def __getitem__(self, index: slice) -> Answers: ...

    def __getitem__(self, index: int | slice) -> Whereabouts | Answers:
        """An answer; a slice is more :class:`Answers`, still held as columns."""
        rows = range(len(self))
        if not isinstance(index, slice):
            return self._answer(rows[index])
        positions = rows[index]
        if self._columns is None:
            return Answers.of([self._answer(p) for p in positions])
        columns = self._columns
        sliced = attrs.evolve(
            columns, entity=columns.entity[index], status=columns.status[index],
            place=columns.place[index],
            possible=None if columns.possible is None else columns.possible[index])
        return Answers(sliced, self._entity_of, lambda row: self._answer(positions[row]))

    def _answer(self, position: int) -> Whereabouts:
        found = self._built.get(position)
        if found is None:
            found = self._built[position] = self._build(position)
        return found

    @classmethod
    def of(cls, answers: Iterable[Whereabouts]) -> Answers:
        """Answers already built (returned as they are if already an :class:`Answers`)."""
        if isinstance(answers, Answers):
            return answers
        built = tuple(answers)
        found = cls.__new__(cls)
        Column.__init__(found, range(len(built)), found._answer)
        found._columns = None
        found._entity_of = lambda n: built[n].entity
        found._build = built.__getitem__
        found._built = dict(enumerate(built))
        found._entities = tuple(w.entity for w in built)
        found._statuses = tuple(w.status for w in built)
        found._places = tuple(w.place for w in built)
        return found

    def columns(self) -> AnswerColumns:
        """The answers as arrays of codes into small tables (see :class:`AnswerColumns`),
        without building any answer (numpy is imported here)."""
        if self._columns is None:
            self._columns = _columns_of([self._answer(p) for p in range(len(self))])
        return self._columns

    @property
    def entities(self) -> tuple[Entity, ...]:
        if self._entities is None:
            entity_of = self._entity_of
            self._entities = tuple(entity_of(n) for n in self.columns().entity.tolist())
        return self._entities

    @property
    def statuses(self) -> tuple[Status, ...]:
        if self._statuses is None:
            self._statuses = tuple(STATUSES[c] for c in self.columns().status.tolist())
        return self._statuses

    @property
    def places(self) -> tuple[Where | None, ...]:
        if self._places is None:
            table = self.columns().places
            self._places = tuple(table[c] for c in self.columns().place.tolist())
        return self._places

    def _repr_html_(self) -> str:
        """The count by status and a table of the first 50 answers."""
        from whereabouts import _html

        return _html.roll(Roll(title="Answers", answers=self))

    def to_frame(self, *, full: bool = False) -> Any:
        """A :class:`pandas.DataFrame`, one row per answer, indexed by entity ``id``
        (``pip install 'whereabouts[pandas]'``; pandas is imported only here).

        The columns, read from :attr:`entities`, :attr:`statuses` and
        :attr:`places` without building a single answer: ``name``, ``kind``
        (``"person"`` or ``"group"``), ``status`` (its value: ``"located"``,
        ``"nothing known"``...), ``place`` (its name; empty when there is none
        or it is disputed), ``place_key`` and ``country`` (the one country the
        answer points to, if it is one).

        ``full=True`` builds every answer (about 0.2 ms each the first time)
        and adds ``countries`` (every country the answer allows, sorted;
        those of every candidate when disputed), ``since`` (EDTF text) with
        ``since_earliest`` and ``since_latest`` (UTC timestamps, ``NaT`` when
        unbounded or unknown), ``evidence`` (the ids of the claims it rests on;
        every candidate's when disputed), ``candidates`` (each candidate as
        text: ``"in Dubai (AE)"``) and ``last_placed`` (likewise). Raises
        :class:`~whereabouts.io.MissingDependency` without pandas.
        """
        return _frame(self._frame_columns(full))

    def _frame_columns(self, full: bool) -> dict[str, list[Any]]:
        entities, statuses, places = self.entities, self.statuses, self.places
        columns: dict[str, list[Any]] = {
            "id": [e.id for e in entities],
            "name": [e.name for e in entities],
            "kind": ["group" if isinstance(e, Group) else "person" for e in entities],
            "status": [s.value for s in statuses],
            "place": [None if p is None else p.name for p in places],
            "place_key": [None if p is None else p.key for p in places],
            "country": [None if p is None else p.country for p in places],
        }
        if full:
            built = list(self)
            columns["countries"] = [sorted(w.countries) for w in built]
            columns["since"] = [None if w.since is None else str(w.since) for w in built]
            columns["since_earliest"] = [None if w.since is None else w.since.earliest
                                         for w in built]
            columns["since_latest"] = [None if w.since is None else w.since.latest
                                       for w in built]
            columns["evidence"] = [[o.id for o in _rests_on(w)] for w in built]
            columns["candidates"] = [[str(c) for c in w.candidates] for w in built]
            columns["last_placed"] = [[str(c) for c in w.last_placed] for w in built]
        return columns


def _columns_of(built: Sequence[Whereabouts], possible: Sequence[bool] | None = None
                ) -> AnswerColumns:
    """The columns of answers already built: entities and places numbered in order."""
    from whereabouts._arrays import numpy as _np

    np = _np()
    ids: dict[str, int] = {}
    places: dict[Where | None, int] = {None: 0}
    entity = [ids.setdefault(w.entity.id, len(ids)) for w in built]
    place = [places.setdefault(w.place, len(places)) if w.status is not Status.DISPUTED
             else 0 for w in built]
    options = {entity[row]: tuple((c.status, c.place) for c in w.candidates)
               for row, w in enumerate(built) if w.status is Status.DISPUTED}
    return AnswerColumns(
        ids=list(ids), entity=np.array(entity, dtype=np.int32),
        status=np.array([STATUSES.index(w.status) for w in built], dtype=np.int8),
        place=np.array(place, dtype=np.int32), places=list(places), options=options,
        possible=None if possible is None else np.array(possible, dtype=bool))


def _rests_on(answer: Whereabouts) -> tuple[Observation, ...]:
    """The claims an answer rests on: its evidence, or every candidate's when disputed."""
    if answer.status is not Status.DISPUTED:
        return answer.evidence
    found = dict.fromkeys(o for c in answer.candidates for o in c.evidence)
    return tuple(found)


def _frame(columns: dict[str, list[Any]]) -> Any:
    """The DataFrame of answer columns, indexed by ``id``; pandas imported here."""
    from whereabouts._optional import pandas

    pd = pandas()
    frame = pd.DataFrame(columns)
    for column in ("since_earliest", "since_latest"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame.set_index("id")
