"""The ledger: an append-only record of entities, relations, places and claims.

Entries never change. A correction is a new observation that replaces an
earlier one; a retraction withdraws one; both take effect from the date they
were reported, so a query ``known_at`` an earlier date still sees the
original. Every query takes ``as_of`` (where was someone by the end of that
day) and ``known_at`` (using only what had been reported by the end of that
day). Anything refused raises a :class:`~whereabouts.errors.WhereaboutsError`
and leaves the ledger exactly as it was.

>>> from whereabouts import Ledger, Place, Source
>>> ledger = Ledger()
>>> amal = ledger.add_person("Amal Haddad")
>>> paper = Source("The Daily Example", published="2024-03-02")
>>> first = ledger.observe(amal, "seen at", place=Place.from_country("LB"),
...                        when="2024-03-01", source=paper)
>>> print(ledger.last_known("amal haddad"))
Amal Haddad: in Lebanon, since 2024-03-01
  o1: 2024-03-01 seen at Lebanon (The Daily Example, reported 2024-03-02, F6)
"""

from __future__ import annotations

import math
import re
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload

from whereabouts import _reasoning
from whereabouts._status import STATUSES
from whereabouts._store import Rows, Store
from whereabouts._text import fold
from whereabouts._timeline import Timeline, View
from whereabouts.entities import (
    Entity,
    Group,
    Person,
    Relation,
    RelationKind,
    check_encodable,
    name_keys,
)
from whereabouts.errors import (
    AmbiguousName,
    DuplicateId,
    InvalidObservation,
    InvalidOrder,
    InvalidPlace,
    UnknownEntity,
    UnknownObservation,
    UnknownSource,
    WhereaboutsError,
)
from whereabouts.observations import Denial, Family, Kind, Observation, Retraction
from whereabouts.places import Alternatives, Place, Where
from whereabouts.results import (
    Answers,
    Companion,
    Conflict,
    During,
    Itinerary,
    LaterWhereabouts,
    Presence,
    Roll,
    Status,
    Whereabouts,
)
from whereabouts.sources import Grading, Source, Threshold
from whereabouts.when import When

if TYPE_CHECKING:  # the bulk and whole-ledger paths load numpy: imported when first used
    from whereabouts._columnar import Standing
    from whereabouts.batch import Batch

__all__ = ["Ledger", "Narrative"]

EntityRef = Entity | str
"""An entity, or its id or any of its names."""
PlaceRef = Place | Alternatives | str | Sequence[Place | str]
"""A place, a name the ledger's gazetteer resolves, or several meaning "one of these"."""
DateRef = When | str | object
"""A :class:`~whereabouts.when.When`, an EDTF string, or a ``datetime.date``/``datetime``."""
SourcesRef = Source | str | Iterable[Source | str]
_W = TypeVar("_W", Retraction, Denial)
"""Sources to keep, by name: a claim counts if any source of its relay chain has one."""

_SLUG = re.compile(r"[^a-z0-9]+")
_NOW = (math.inf, False, (math.inf, None, None))
"""The key of an answer kept with no as_of, known_at or filters (see ``_last_known``)."""


def _index(index: dict[str, str | list[str]], key: str, eid: str) -> None:
    """File ``eid`` under ``key`` (see ``Ledger._names``)."""
    found = index.get(key)
    if found is None:
        index[key] = eid
    elif isinstance(found, str):
        index[key] = [found, eid]
    else:
        found.append(eid)


def _indexed(index: dict[str, str | list[str]], key: str) -> Sequence[str]:
    """The ids filed under ``key``, in the order they were filed."""
    found = index.get(key)
    if found is None:
        return ()
    return (found,) if isinstance(found, str) else found


class PlaceResolver(Protocol):
    """What the ledger needs of a gazetteer (:class:`whereabouts.gazetteer.Gazetteer`)."""

    def place(self, name: str, *, country: str | None = None) -> Place: ...

    def register(self, place: Place, *, aliases: Iterable[str] = ()) -> Place: ...


class Ledger:
    """An in-memory movement ledger.

    ``gazetteer`` resolves place names given as strings; by default the
    offline :class:`~whereabouts.gazetteer.Gazetteer`, created on first use.
    """

    def __init__(self, *, gazetteer: PlaceResolver | None = None,
                 min_grade: Threshold | Grading | str | None = None) -> None:
        self.min_grade: Threshold | None = (
            None if min_grade is None else Threshold.parse(min_grade))
        """The grade threshold of every query that does not give its own (None: all claims)."""
        self._entities: dict[str, Entity] = {}
        # A name's keys, and each word of a name -> the entities with it: one id alone
        # as a str (most keys belong to one entity: no list for each), else a list.
        self._names: dict[str, str | list[str]] = {}
        self._words: dict[str, str | list[str]] = {}
        self._relations: list[Relation] = []
        self._store = Store()
        self._gazetteer = gazetteer
        self._registered: list[tuple[Place, tuple[str, ...]]] = []
        self._lock = threading.RLock()
        self._timeline = Timeline(self._store)
        self._views: dict[tuple[float, frozenset[int] | None, frozenset[int] | None], View] = {}
        self._groups: dict[str, frozenset[str]] = {}  # entity id -> its groups, memoised
        self._member_of: dict[str, list[str]] = {}  # entity id -> groups it is a member of
        self._members: dict[str, list[str]] = {}  # group id -> its direct members
        self._answers: dict[str, dict[tuple[Any, ...], Whereabouts]] = {}
        self._people: list[Person] = []
        self._group_list: list[Group] = []
        self._people_numbers = array("i")  # entity numbers of people, in the order added
        self._group_numbers = array("i")
        self._standings: dict[tuple[Any, ...], Standing] = {}
        # Everyone's standing now (no as_of, no known_at): kept as claims arrive,
        # entities touched since it was worked out in _stale.
        self._current: Standing | None = None
        self._stale: set[int] = set()
        self._version = 0  # counts changes; answers built later check it
        self._fanout_pairs: list[tuple[int, int]] | None = None
        self._later: list[LaterWhereabouts] = []  # answers whose evidence is still to come
        self._later_answers: dict[str, LaterWhereabouts] = {}  # by entity id, as _answers
        self._loaded: int | None = None  # rows appended by the load under way (see _one_load)


    # -- entities -----------------------------------------------------------

    def add(self, entity: Entity) -> Entity:
        """Add a :class:`Person` or :class:`Group` built by the caller."""
        if not isinstance(entity, Person | Group):
            raise InvalidObservation("expected a Person or Group", field="entity", value=entity)
        with self._lock:
            if self._taken(entity.id):
                raise DuplicateId("id already in the ledger", field="id", value=entity.id)
            self._entities[entity.id] = entity
            number = self._store.entity(entity.id)
            if isinstance(entity, Person):
                self._people.append(entity)
                self._people_numbers.append(number)
            else:
                self._group_list.append(entity)
                self._group_numbers.append(number)
            self._changed()
            for name in entity.names:
                full, bare = name_keys(name)
                for key in {full, bare}:
                    _index(self._names, key, entity.id)
                for word in bare.split():
                    _index(self._words, word, entity.id)
        return entity

    def add_person(
        self, name: str, *, id: str | None = None, aliases: Iterable[str] = (),
        description: str = "", note: str = "",
    ) -> Person:
        """Add a person; the id defaults to a slug of the name."""
        person = Person(self._new_id(id, name), name, aliases=tuple(aliases),
                        description=description, note=note)
        self.add(person)
        return person

    def add_group(
        self, name: str, *, id: str | None = None, aliases: Iterable[str] = (),
        members: Iterable[EntityRef] = (), description: str = "", note: str = "",
    ) -> Group:
        """Add a group and, optionally, the members known so far."""
        group = Group(self._new_id(id, name), name, aliases=tuple(aliases),
                      description=description, note=note)
        member_ids = [self.entity(m, field="members").id for m in members]
        self.add(group)
        for member in member_ids:
            self.relate(member, RelationKind.MEMBER_OF, group.id)
        return group

    def _new_id(self, wanted: str | None, name: str) -> str:
        if wanted is not None:
            return wanted
        if not isinstance(name, str):
            raise InvalidObservation("a name must be text", field="name", value=name)
        base = _SLUG.sub("-", fold(name)).strip("-")[:100] or "entity"
        candidate, n = base, 1
        while self._taken(candidate):
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def entity(self, ref: EntityRef, *, field: str = "entity") -> Entity:
        """Find an entity by itself, its id, or any name or alias.

        Names match ignoring case, accents, hyphens, spacing and particles
        such as "al-"; a part of a name ("Maher") matches when it fits one
        entity only. A name that fits several raises :class:`AmbiguousName`
        listing them; one that fits none raises :class:`UnknownEntity`.
        """
        if type(ref) is str:  # an id: the common case, first
            found = self._entities.get(ref)
            if found is not None:
                return found
        if isinstance(ref, Person | Group):
            if self._entities.get(ref.id) != ref:
                raise UnknownEntity("not in this ledger", field=field, value=ref.id)
            return ref
        if not isinstance(ref, str):
            raise UnknownEntity("expected an entity, an id or a name", field=field, value=ref)
        if ref in self._entities:
            return self._entities[ref]
        full, bare = name_keys(ref)
        ids = list(dict.fromkeys(_indexed(self._names, full) or _indexed(self._names, bare)))
        if not ids and bare:  # a part of a name: among those with each of its words
            wanted = set(bare.split())
            pool = set.intersection(*(set(_indexed(self._words, w)) for w in wanted))
            ids = [eid for eid in sorted(pool, key=self._store.entity_no.__getitem__)
                   if any(wanted <= set(name_keys(n)[1].split())
                          for n in self._entities[eid].names)]
        if len(ids) == 1:
            return self._entities[ids[0]]
        if not ids:
            raise UnknownEntity("no person or group has this name", field=field, value=ref)
        names = [f"{self._entities[i].name} ({i})" for i in ids]
        raise AmbiguousName(
            f"fits {len(ids)} entities: {', '.join(names)}", field=field, value=ref,
            candidates=[self._entities[i] for i in ids],
        )

    @property
    def entities(self) -> tuple[Entity, ...]:
        return tuple(self._entities.values())

    @property
    def people(self) -> tuple[Person, ...]:
        return tuple(self._people)

    @property
    def groups(self) -> tuple[Group, ...]:
        return tuple(self._group_list)

    # -- relations ----------------------------------------------------------

    def relate(
        self, subject: EntityRef, kind: RelationKind | str, object: EntityRef, *,
        label: str = "", note: str = "",
    ) -> Relation:
        """Record that ``subject`` is ``kind`` ``object`` ("hafez", CHILD, "bashar")."""
        relation = Relation(self.entity(subject, field="subject").id, kind,
                            self.entity(object, field="object").id, label=label, note=note)
        if relation.subject == relation.object:
            raise InvalidObservation("an entity cannot be related to itself", field="object",
                                     value=relation.object)
        if relation.kind in (RelationKind.MEMBER_OF, RelationKind.HAS_MEMBER):
            member_of = relation.kind is RelationKind.MEMBER_OF
            group_end = relation.object if member_of else relation.subject
            if not isinstance(self._entities[group_end], Group):
                raise InvalidObservation("membership needs a group", field="object",
                                         value=group_end)
            if relation.kind is RelationKind.HAS_MEMBER:
                relation = relation.inverse()
        with self._lock:
            self._work_out_later()
            self._relations.append(relation)
            if relation.kind is RelationKind.MEMBER_OF:
                self._member_of.setdefault(relation.subject, []).append(relation.object)
                self._members.setdefault(relation.object, []).append(relation.subject)
            self._groups.clear()
            self._fanout_pairs = None
            self._answers.clear()
            self._later_answers.clear()
            self._current = None
            self._changed()
        return relation

    @property
    def relations(self) -> tuple[Relation, ...]:
        return tuple(self._relations)

    def relations_of(
        self, ref: EntityRef, kind: RelationKind | str | None = None
    ) -> tuple[Relation, ...]:
        """Every relation of an entity, read from its end, optionally of one kind.

        ``Relation("hafez", CHILD, "bashar")`` shows up for ``"bashar"`` as
        ``bashar parent of hafez``.
        """
        entity = self.entity(ref)
        wanted = None if kind is None else RelationKind.coerce(kind)
        found = [r for r in self._relations if r.subject == entity.id]
        found += [r.inverse() for r in self._relations if r.object == entity.id]
        return tuple(r for r in found if wanted is None or r.kind is wanted)

    def members(self, group: EntityRef) -> tuple[Entity, ...]:
        """The known members of a group."""
        gid = self.entity(group, field="group").id
        return tuple(self._entities[r.subject] for r in self._relations
                     if r.kind is RelationKind.MEMBER_OF and r.object == gid)

    def groups_of(self, ref: EntityRef) -> frozenset[str]:
        """Ids of every group the entity belongs to, directly or through other groups."""
        start = self.entity(ref).id
        memo = self._groups.get(start)
        if memo is not None:
            return memo
        found: set[str] = set()
        stack = [start]
        while stack:
            for group in self._member_of.get(stack.pop(), ()):
                if group not in found:
                    found.add(group)
                    stack.append(group)
        found.discard(start)
        memo = self._groups[start] = frozenset(found)
        return memo

    def _numbers(self, entity: Entity) -> set[int]:
        """The store's numbers for an entity and every group it belongs to."""
        numbers = self._store.entity_no
        return {numbers[entity.id], *(numbers[g] for g in self.groups_of(entity))}

    # -- places -------------------------------------------------------------

    @property
    def gazetteer(self) -> PlaceResolver:
        """The resolver for place names (the offline gazetteer unless one was given)."""
        if self._gazetteer is None:
            from whereabouts.gazetteer import Gazetteer

            self._gazetteer = Gazetteer()
        return self._gazetteer

    def register_place(self, place: Place, *, aliases: Iterable[str] = ()) -> Place:
        """Teach the ledger a place no gazetteer layer knows (an air base, a hospital).

        The place is kept with the ledger (see :attr:`registered_places`), so a
        saved ledger brings it back.
        """
        names = tuple(aliases)
        for alias in names:
            check_encodable(alias, "aliases")
        with self._lock:
            registered = self.gazetteer.register(place, aliases=names)
            self._registered.append((registered, names))
        return registered

    @property
    def registered_places(self) -> tuple[tuple[Place, tuple[str, ...]], ...]:
        """The places registered with this ledger and their aliases, in order."""
        return tuple(self._registered)

    def place(self, name: str, *, country: str | None = None) -> Place:
        """Resolve a place name strictly (ambiguous or unknown names raise)."""
        return self.gazetteer.place(name, country=country)

    def _where(self, ref: object) -> Where | None:
        if ref is None or isinstance(ref, Place | Alternatives):
            return ref
        if isinstance(ref, str):
            return self._resolve(ref)
        if isinstance(ref, Sequence):
            return Alternatives(tuple(
                p if isinstance(p, Place) else self._resolve(p) for p in ref
            ))
        raise InvalidPlace("expected a Place, a name or a list of them", field="place", value=ref)

    def _resolve(self, name: object) -> Place:
        if not isinstance(name, str):
            raise InvalidPlace("expected a place name", field="place", value=name)
        try:
            return self.place(name)
        except WhereaboutsError as err:
            if err.field in (None, "name", "query"):
                err.field = "place"
            raise

    # -- observations -------------------------------------------------------

    def observe(
        self, subjects: EntityRef | Sequence[EntityRef], kind: Kind | str, *,
        place: PlaceRef | None = None, when: DateRef | None = None,
        source: Source | str, reported: DateRef | None = None,
        grading: Grading | str | None = None, note: str = "",
        after: Observation | str | Sequence[Observation | str] = (), id: str | None = None,
        throughout: bool | None = None,
    ) -> Observation:
        """Record a claim and return it.

        ``subjects`` are entities (or their names); ``place`` a place, a name,
        or a list meaning "one of these"; ``when`` when it happened (EDTF or a
        date; ``None`` for not known); ``reported`` when the claim was made
        public (defaults to ``source.published``; ``None`` with neither: not
        known); ``after`` the observations this one certainly followed;
        ``throughout=True`` makes a presence a stay, true over all of ``when``
        (the default for a ``when`` written ``{A..B}``).
        """
        return self.append(self._build(
            subjects, kind, place=place, when=when, source=source, reported=reported,
            grading=grading, note=note, after=after, id=id, corrects=None,
            throughout=throughout,
        ))

    def narrative(self) -> Narrative:
        """A run of claims recorded in the order they happened (a reporter's
        chronology): each claim recorded through it comes ``after`` the one before.

        >>> ledger = Ledger()
        >>> nour = ledger.add_person("Nour Khalil")
        >>> story = ledger.narrative()
        >>> first = story.observe(nour, "seen at", place=Place.from_country("LB"),
        ...                       when="2024-12", source="a radio station", reported="2024-12-31")
        >>> then = story.observe(nour, "seen at", place=Place.from_country("AE"),
        ...                      when="2024-12", source="a radio station", reported="2024-12-31")
        >>> then.after
        ('o1',)
        """
        return Narrative(self)

    def correct(
        self, target: Observation | str, *, source: Source | str, reported: DateRef | None = None,
        subjects: EntityRef | Sequence[EntityRef] | None = None, kind: Kind | str | None = None,
        place: PlaceRef | None = None, when: DateRef | None = None,
        grading: Grading | str | None = None, note: str = "", id: str | None = None,
        throughout: bool | None = None,
    ) -> Observation:
        """Record a new observation that replaces ``target`` from its report date on.

        Fields not given are taken from the target; ``after`` links are kept, and a
        stay stays a stay while its kind is a presence (``throughout=False`` to end
        that).
        """
        old = self.observation(target, field="target")
        new_kind = old.kind if kind is None else Kind.coerce(kind)
        if throughout is None and old.throughout and new_kind.family is Family.PRESENCE:
            throughout = True
        return self.append(self._build(
            old.subjects if subjects is None else subjects, new_kind,
            place=old.place if place is None else place,
            when=old.when if when is None else when,
            source=source, reported=reported,
            grading=old.grading if grading is None else grading,
            note=note or old.note, after=old.after, id=id, corrects=old.id,
            throughout=throughout,
        ))

    def retract(
        self, target: Observation | str, *, source: Source | str,
        reported: DateRef | None = None, reason: str = "", id: str | None = None,
    ) -> Retraction:
        """Withdraw an observation from its report date on; nothing is deleted."""
        return self.append(self._withdrawal(Retraction, target, source, reported, reason, id))

    def deny(
        self, target: Observation | str, *, source: Source | str,
        reported: DateRef | None = None, reason: str = "", id: str | None = None,
    ) -> Denial:
        """Record that an observation is false (denied, or shown wrong) from the
        denial's report date on: answers leave it out and list it as denied."""
        return self.append(self._withdrawal(Denial, target, source, reported, reason, id))

    def _withdrawal(self, entry: type[_W], target: Observation | str, source: object,
                    reported: object, reason: str, id: str | None) -> _W:
        old = self.observation(target, field="target")
        src = self._source(source)
        return entry(id=self._entry_id(id), target=old.id, source=src,
                     reported=self._known_reported(reported, src), reason=reason)

    def _source(self, source: object) -> Source:
        if isinstance(source, Source):
            return source
        if isinstance(source, str):
            return Source(source)
        raise InvalidObservation("expected a Source or a name", field="source", value=source)

    @staticmethod
    def _reported(reported: object, source: Source) -> When | None:
        """The report date given, else the source's; None when neither is known."""
        if reported is None:
            return source.published
        return When.coerce(reported, field="reported")

    def _known_reported(self, reported: object, source: Source) -> When:
        found = self._reported(reported, source)
        if found is None:
            raise InvalidObservation(
                "needs the date it was reported (or a source with a published date)",
                field="reported",
            )
        return found

    def _taken(self, oid: str) -> bool:
        return oid in self._entities or self._store.row_of(oid) is not None

    def _entry_id(self, wanted: str | None) -> str:
        if wanted is not None:
            if self._taken(wanted):
                raise DuplicateId("id already in the ledger", field="id", value=wanted)
            return wanted
        n = len(self._store) + 1
        while self._taken(f"o{n}"):
            n += 1
        return f"o{n}"

    def _build(
        self, subjects: object, kind: object, *, place: object, when: object, source: object,
        reported: object, grading: object, note: str, after: object, id: str | None,
        corrects: str | None, throughout: bool | None = None,
    ) -> Observation:
        refs = [subjects] if isinstance(subjects, str | Person | Group) else subjects
        if not isinstance(refs, Sequence) or not refs:
            raise InvalidObservation("expected one or more entities", field="subjects",
                                     value=subjects)
        subject_ids = tuple(self.entity(s, field="subjects").id for s in refs)
        kind = Kind.coerce(kind)
        src = self._source(source)
        after_refs = [after] if isinstance(after, str | Observation) else after
        if not isinstance(after_refs, Sequence):
            raise InvalidObservation("expected observations or their ids", field="after",
                                     value=after)
        if id is not None and id in after_refs:
            raise InvalidOrder("an observation cannot come after itself (a cycle)",
                               field="after", value=id)
        after_ids = tuple(self.observation(a, field="after").id for a in after_refs)
        extra = {} if throughout is None else {"throughout": throughout}
        return Observation(
            id=self._entry_id(id), subjects=subject_ids, kind=kind, place=self._where(place),
            when=None if when is None else When.coerce(when, field="when"),
            source=src, reported=self._reported(reported, src),
            grading=Grading() if grading is None else Grading.parse(grading),
            note=note, after=after_ids, corrects=corrects, **extra,
        )

    @overload
    def append(self, entry: Observation) -> Observation: ...
    @overload
    def append(self, entry: Retraction) -> Retraction: ...
    @overload
    def append(self, entry: Denial) -> Denial: ...

    def append(self, entry: Observation | Retraction | Denial
               ) -> Observation | Retraction | Denial:
        """Append an entry built elsewhere (a file loader, another ledger).

        :meth:`observe`, :meth:`correct`, :meth:`retract` and :meth:`deny` end here too. The
        entry is checked against the ledger (its id is new; its subjects,
        ``after`` links and target exist; its links agree with the dates) and
        refused whole if anything is wrong.
        """
        with self._lock:
            store = self._store
            if isinstance(entry, Observation):
                after, corrects = self._check_observation(entry)
            elif isinstance(entry, Retraction | Denial):
                self._row(entry.target, field="target")
            else:
                raise InvalidObservation("expected an Observation, Retraction or Denial",
                                         field="entry", value=entry)
            if self._taken(entry.id):
                raise DuplicateId("id already in the ledger", field="id", value=entry.id)
            self._work_out_later()
            if isinstance(entry, Observation):
                row = store.append_observation(entry, after, corrects)
                touched = [row, *self._timeline.add(row)]
                if corrects is not None:
                    touched.append(corrects)
            else:
                row = store.append_retraction(entry)
                self._timeline.add(row)
                touched = [self._row(entry.target)]
            ids = store.entity_ids
            dropped = corrects if isinstance(entry, Observation) else touched[0]
            if dropped is not None and dropped in self._timeline.linked:
                # Withdrawing a linked claim widens the windows along its links,
                # whoever they are about: start again.
                self._answers.clear()
                self._later_answers.clear()
                self._current = None
            self._forget({ids[s] for r in touched for s in store.subjects_of(r)})
        return entry

    def extend(self, batch: Batch) -> Sequence[Observation]:
        """Append many observations at once, given as columns (see :mod:`whereabouts.batch`).

        Every row is checked with the rules of :meth:`append`, each distinct
        value once; if any row is refused, none is appended, and the error of
        the first bad row names the row (counted from 0) and the field. Returns
        the observations appended, in order, built when read.
        """
        from whereabouts import _bulk

        with self._lock:
            plan = _bulk.check(batch, self._store, self._timeline, self._entities)
            self._work_out_later()
            rows = _bulk.append(plan, self._store, self._timeline)
            self._answers.clear()
            self._later_answers.clear()
            self._current = None
            self._changed()
            if self._loaded is not None:  # a load in parts: the standing is built at its end
                self._loaded += len(rows)
            elif len(rows) * 10 >= len(self._store):  # a bulk load: index everyone's standing
                self._index_bulk_load()
        return Rows(self._store, rows)

    @contextmanager
    def _one_load(self) -> Iterator[None]:
        """Count the batches extended inside as one bulk load: everyone's standing is
        worked out once, at the end, if the rows appended make a bulk load (not after
        each batch, as a part of a large file read a part at a time would)."""
        if self._loaded is not None:  # inside another: that one builds it
            yield
            return
        self._loaded = 0
        try:
            yield
            loaded = self._loaded
        finally:
            self._loaded = None
        if loaded and loaded * 10 >= len(self._store):
            with self._lock:
                self._index_bulk_load()

    def _index_bulk_load(self) -> None:
        """After a bulk load: everyone's standing, with every entity's claims sorted by date."""
        from whereabouts._columnar import prepare

        self._standing(None, None)
        prepare(self._store)

    def _changed(self) -> None:
        """Drop what was worked out from the ledger as it was."""
        self._version += 1
        self._views.clear()
        self._standings.clear()

    def _forget(self, subjects: set[str]) -> None:
        """Drop cached views, and what is known about ``subjects`` and their members."""
        self._changed()
        if not self._answers and not self._later_answers and self._current is None:
            return
        stack, seen = list(subjects), set(subjects)
        while stack:  # the subjects, and the members of those that are groups
            eid = stack.pop()
            self._answers.pop(eid, None)
            self._later_answers.pop(eid, None)
            for member in self._members.get(eid, ()):
                if member not in seen:
                    seen.add(member)
                    stack.append(member)
        numbers = self._store.entity_no
        self._stale.update(numbers[eid] for eid in seen)

    def _check_observation(self, obs: Observation) -> tuple[tuple[int, ...], int | None]:
        """Check an observation against the ledger, links and dates included;
        return the rows of its ``after`` links and of the observation it corrects."""
        for subject in obs.subjects:
            if subject not in self._entities:
                raise UnknownEntity("no person or group has this id", field="subjects",
                                    value=subject)
        corrects = None if obs.corrects is None else self._row(obs.corrects, field="corrects")
        after = tuple(self._row(prior, field="after") for prior in obs.after)
        # Entries only link to earlier ones, so starts narrow in one forward
        # step; if the new claim's window stays non-empty, so do its
        # ancestors' windows when their ends narrow back (see _timeline.Timeline).
        if self._timeline.narrowed_lower(obs.lower, after) >= obs.upper:
            raise InvalidOrder(
                "its 'after' links put it later than its own dates allow",
                field="after", value=list(obs.after),
            )
        return after, corrects

    def _row(self, ref: Observation | str, *, field: str = "observation") -> int:
        """The row of an observation, by itself or its id."""
        oid = ref.id if isinstance(ref, Observation) else ref
        row = self._store.row_of(oid) if isinstance(oid, str) else None
        if row is None or not self._store.is_observation(row):
            raise UnknownObservation("no such observation in the ledger", field=field, value=oid)
        return row

    def observation(self, ref: Observation | str, *, field: str = "observation") -> Observation:
        """An observation by itself or its id."""
        return self._store.observation(self._row(ref, field=field))

    @property
    def entries(self) -> tuple[Observation | Retraction | Denial, ...]:
        """Every entry, in the order it was appended."""
        return tuple(self._store.entries())

    @property
    def observations(self) -> tuple[Observation, ...]:
        store = self._store
        return tuple(store.observation(r) for r in range(len(store)) if store.is_observation(r))

    def __len__(self) -> int:
        return len(self._store)

    def __eq__(self, other: object) -> bool:
        """Two ledgers are equal when they hold the same entities, relations,
        registered places and entries, in the same order."""
        if not isinstance(other, Ledger):
            return NotImplemented
        return (
            self._entities == other._entities
            and self._relations == other._relations
            and self._registered == other._registered
            and len(self._store) == len(other._store)
            and all(a == b for a, b in zip(self._store.entries(), other._store.entries(),
                                           strict=True))
        )

    __hash__ = None  # type: ignore[assignment]  # mutable: not hashable

    def __repr__(self) -> str:
        """What the ledger holds, in one line: ``<Ledger: 12 people, 3 groups,
        40 observations>`` (and the retractions and denials, when there are some)."""
        from whereabouts import _html

        observations, retractions, denials = self._entry_counts()
        parts = [_html.plural(len(self._people), "person", "people"),
                 _html.plural(len(self._group_list), "group"),
                 _html.plural(observations, "observation")]
        if retractions:
            parts.append(_html.plural(retractions, "retraction"))
        if denials:
            parts.append(_html.plural(denials, "denial"))
        return f"<{type(self).__name__}: {', '.join(parts)}>"

    def _entry_counts(self) -> tuple[int, int, int]:
        """How many observations, retractions and denials the ledger holds."""
        withdrawn = self._store.retractions.values()
        denials = sum(isinstance(entry, Denial) for entry in withdrawn)
        return len(self._store) - len(withdrawn), len(withdrawn) - denials, denials

    def _repr_html_(self) -> str:
        """A summary for notebooks: what the ledger holds, the span of its dates, and
        everyone's status now (read from the standing, no answer built)."""
        from datetime import date

        from whereabouts import _html
        from whereabouts._arrays import numpy as _np
        from whereabouts._arrays import when_bounds

        store = self._store
        observations, retractions, denials = self._entry_counts()
        counts = [("people", len(self._people)), ("groups", len(self._group_list)),
                  ("observations", observations),
                  ("retractions", retractions), ("denials", denials),
                  ("relations", len(self._relations)),
                  ("sources", len(store.sources.values))]
        np = _np()
        lowers, uppers = when_bounds(store)  # read as numbers: no date built
        codes = np.frombuffer(store.when, dtype=np.int32)
        starts, ends = lowers[codes], uppers[codes]
        starts, ends = starts[np.isfinite(starts)], ends[np.isfinite(ends)]
        epoch = date(1970, 1, 1).toordinal()
        span = (date.fromordinal(int(starts.min()) // 86400 + epoch),  # UTC days
                date.fromordinal((int(ends.max()) - 1) // 86400 + epoch),
                ) if len(starts) and len(ends) else None
        return _html.ledger(counts, self.everyone().statuses, span)

    # -- queries ------------------------------------------------------------
    #
    # Every query takes ``known_at`` (only claims reported by the end of that
    # day), ``sources`` (only claims citing one of these anywhere in their relay
    # chain) and ``min_grade`` (only claims at or above this grade; weaker ones
    # are listed as also reported; default: the ledger's ``min_grade``).

    def _view(self, known_at: object, sources: SourcesRef | None = None,
              min_grade: object = None) -> tuple[View, When | None]:
        known = None if known_at is None else When.coerce(known_at, field="known_at")
        until = math.inf if known is None else known.upper
        with self._lock:
            if sources is None and min_grade is None and self.min_grade is None:
                key: tuple[float, frozenset[int] | None, frozenset[int] | None] = (
                    until, None, None)
            else:
                key = (until, self._source_codes(sources), self._grade_codes(min_grade))
            view = self._views.get(key)
            if view is None:
                view = self._views[key] = View(self._timeline, until, sources=key[1],
                                               grades=key[2])
        return view, known

    def _source_codes(self, sources: SourcesRef | None) -> frozenset[int] | None:
        """The codes of the stored sources whose relay chain cites any of ``sources``."""
        if sources is None:
            return None
        refs = [sources] if isinstance(sources, str | Source) else sources
        if not isinstance(refs, Iterable) or isinstance(refs, bytes):
            raise UnknownSource("expected source names", field="sources", value=sources)
        table = self._store.sources.values
        codes: set[int] = set()
        for ref in refs:
            name = ref.name if isinstance(ref, Source) else ref
            if not isinstance(name, str) or not fold(name):
                raise UnknownSource("expected a source name", field="sources", value=ref)
            found = {code for code, source in enumerate(table) if source.cites(name)}
            if not found:
                raise UnknownSource("no claim in the ledger cites this source", field="sources",
                                    value=name)
            codes |= found
        if not codes:
            raise UnknownSource("expected one or more source names", field="sources",
                                value=sources)
        return frozenset(codes)

    def _grade_codes(self, min_grade: object) -> frozenset[int] | None:
        """The codes of the stored gradings at or above the threshold (None: all)."""
        threshold = self.min_grade if min_grade is None else Threshold.parse(min_grade)
        if threshold is None:
            return None
        table = self._store.gradings.values
        codes = frozenset(code for code, grading in enumerate(table) if threshold.admits(grading))
        return None if len(codes) == len(table) else codes

    @staticmethod
    def _as_of(as_of: object, field: str = "as_of") -> tuple[float, When | None]:
        if as_of is None:
            return math.inf, None
        when = When.coerce(as_of, field=field)
        return when.upper, when

    def _shift(self, when: When | None) -> dict[int, float] | None:
        """For a calendar date, the offsets of claims written in local time (see
        ``_calendar``); None when the date is an instant or no claim has one."""
        if when is None or "T" in when.text:  # an instant, not a calendar date
            return None
        from whereabouts._calendar import shifts

        return shifts(self._store) or None

    def last_known(self, who: EntityRef, *, as_of: DateRef | None = None,
                   known_at: DateRef | None = None, sources: SourcesRef | None = None,
                   min_grade: Threshold | Grading | str | None = None) -> Whereabouts:
        """Where ``who`` was last known to be by the end of ``as_of`` (default: ever),
        using only claims reported by the end of ``known_at`` (default: all), citing
        ``sources`` (default: any) and graded at least ``min_grade``."""
        entity = self.entity(who)
        if (as_of is None and known_at is None and sources is None and min_grade is None
                and self.min_grade is None):
            found = self._from_standing(entity)
            if found is not None:
                return found
        end, as_of_when = self._as_of(as_of)
        view, known = self._view(known_at, sources, min_grade)
        return self._last_known(entity, end, as_of_when, view, known)

    def _from_standing(self, entity: Entity) -> Whereabouts | None:
        """The answer kept for ``entity``, else one read from everyone's standing (kept
        since the last whole-ledger question or bulk load) whose evidence is worked
        out when first read; None when the standing is out of date for it."""
        with self._lock:
            later = self._later_answers.get(entity.id)
            if later is not None:
                return later
            cached = self._answers.get(entity.id)
            if cached is not None:
                found = cached.get(_NOW)
                if found is not None:
                    return found
            current = self._current
            number = self._store.entity_no[entity.id]
            if current is None or number in self._stale or number >= len(current.statuses):
                return None
            status = STATUSES[current.statuses.item(number)]
            place = self._store.places.values[current.places.item(number)]

            def work_out() -> Whereabouts:
                view, _ = self._view(None)
                return _reasoning.whereabouts(view, entity, self._numbers(entity), math.inf,
                                              None, None)

            later = self._later_answers[entity.id] = LaterWhereabouts.of(
                entity, status, place, work_out)
            self._later.append(later)
            return later

    def _work_out_later(self) -> None:
        """Work out the answers still pending (see :meth:`_from_standing`), before the
        ledger changes under them."""
        if self._later:
            for answer in self._later:
                answer.work_out()
            self._later.clear()

    def _last_known(self, entity: Entity, end: float, as_of: When | None, view: View,
                    known: When | None) -> Whereabouts:
        shift = None if as_of is None else self._shift(as_of)
        key = (end, shift is not None, view.key)
        cached = self._answers.setdefault(entity.id, {})
        answer = cached.get(key)
        if answer is None or answer.as_of != as_of or answer.known_at != known:
            answer = _reasoning.whereabouts(
                view, entity, self._numbers(entity), end, as_of, known, shift
            )
            cached[key] = answer
        return answer

    def where(self, who: EntityRef, on: DateRef, *, known_at: DateRef | None = None,
              sources: SourcesRef | None = None,
              min_grade: Threshold | Grading | str | None = None) -> Whereabouts:
        """Where ``who`` was on a date: the last known location by the end of that day
        (see :meth:`during` for every place held that day)."""
        return self.last_known(who, as_of=When.coerce(on, field="on"), known_at=known_at,
                               sources=sources, min_grade=min_grade)

    def during(self, who: EntityRef, day: DateRef, *, known_at: DateRef | None = None,
               sources: SourcesRef | None = None,
               min_grade: Threshold | Grading | str | None = None) -> During:
        """Where ``who`` was during a day (or any bounded date): where they were as it
        began, each claim placing them inside it in order, and where they were as it
        ended. A date-time written with an offset counts on the day written in it."""
        entity = self.entity(who)
        window = When.coerce(day, field="day")
        if not window.is_bounded:
            raise InvalidObservation("needs a date with a start and an end", field="day",
                                     value=str(window))
        view, known = self._view(known_at, sources, min_grade)
        return self._during(entity, window, view, known)

    def _during(self, entity: Entity, window: When, view: View, known: When | None) -> During:
        shift = self._shift(window)
        numbers = self._numbers(entity)
        start = _reasoning.whereabouts(view, entity, numbers, window.lower, None, known, shift)
        stops, possible = _reasoning.within(view, numbers, window.lower, window.upper, shift)
        end = self._last_known(entity, window.upper, window, view, known)
        return During(entity=entity, window=window, start=start, stops=stops, end=end,
                      possible=possible)

    def itinerary(self, who: EntityRef, *, as_of: DateRef | None = None,
                  known_at: DateRef | None = None, gap_days: float = 30,
                  start: DateRef | None = None, end: DateRef | None = None,
                  sources: SourcesRef | None = None,
                  min_grade: Threshold | Grading | str | None = None) -> Itinerary:
        """The places ``who`` was placed at, in order; unordered neighbours and gaps
        longer than ``gap_days`` are marked. ``start`` and ``end`` keep the claims
        that may fall between the two dates; attempts show as not made."""
        entity = self.entity(who)
        until, as_of_when = self._as_of(as_of)
        begin = -math.inf if start is None else When.coerce(start, field="start").lower
        finish, finish_when = self._as_of(end, "end")
        if begin >= finish:
            raise InvalidObservation("the itinerary ends before it starts", field="end",
                                     value=str(finish_when))
        view, _ = self._view(known_at, sources, min_grade)
        stops = _reasoning.itinerary(view, self._numbers(entity), until, gap_days,
                                     start=begin, end=finish,
                                     shift=self._shift(as_of_when or finish_when))
        return Itinerary(entity=entity, stops=stops)

    def everyone(self, *, as_of: DateRef | None = None, known_at: DateRef | None = None,
                 sources: SourcesRef | None = None,
                 min_grade: Threshold | Grading | str | None = None) -> Roll:
        """Every entity's last known whereabouts, people first, in the order added.

        Worked out for everyone at once (see ``docs/performance.md``): the
        roll's ``entities``, ``statuses`` and ``places`` are read without
        building each answer, and each answer is built when first read.
        """
        return self._roll("Whereabouts", as_of, known_at, sources, min_grade,
                          lambda numbers, _: numbers)

    def who_is_in(self, place: Place | Alternatives | str, *, as_of: DateRef | None = None,
                  on: DateRef | None = None, known_at: DateRef | None = None,
                  sources: SourcesRef | None = None,
                  min_grade: Threshold | Grading | str | None = None) -> Presence:
        """Who was last known to be in ``place``: a city counts for its country, a
        facility for its city and country. Those whose answer only allows the
        place (one of several places, disputed, heading there) are listed apart.

        With ``on`` (a day), who was there at any time that day: definitely (a
        claim or stay certainly that day, or where they were as it began or
        ended), or possibly."""
        from whereabouts._columnar import presence

        where = self._where(place)
        assert where is not None
        if on is not None:
            if as_of is not None:
                raise InvalidObservation("give as_of or on, not both", field="on", value=on)
            return self._present_during(where, on, known_at, sources, min_grade)
        standing, view, as_of_when, known = self._standing(as_of, known_at, sources, min_grade)
        definite, possible = presence(standing, self._roll_numbers(), where, self._store)
        return Presence(
            place=where,
            definite=self._answers_of(standing, definite, view, as_of_when, known),
            possible=self._answers_of(standing, possible, view, as_of_when, known),
            as_of=as_of_when, known_at=known,
        )

    def _present_during(self, where: Where, on: object, known_at: object,
                        sources: SourcesRef | None,
                        min_grade: Threshold | Grading | str | None) -> Presence:
        """:meth:`who_is_in` for a whole day: the people whose standing as the day
        began or ended, or whose claims that day, may put them in ``where`` are
        worked out one by one with :meth:`during`."""
        from whereabouts._columnar import day_candidates, presence

        window = When.coerce(on, field="on")
        if not window.is_bounded:
            raise InvalidObservation("needs a date with a start and an end", field="on",
                                     value=str(window))
        view, known = self._view(known_at, sources, min_grade)
        numbers = self._roll_numbers()
        store = self._store
        # Those certainly in the place as the day ended were there that day; the
        # rest that may have been are worked out one by one.
        ended = self._standing_at(view, window.upper, window, known)
        sure, _ = presence(ended, numbers, where, store)
        settled = set(sure.tolist())
        chosen: set[int] = set(day_candidates(ended, numbers, where, store))
        chosen.update(day_candidates(self._standing_at(view, window.lower, None, known),
                                     numbers, where, store))
        chosen.update(self._touched(view, window))
        definite: list[int] = []
        possible: list[int] = []
        ids = store.entity_ids
        for number in numbers.tolist():
            if number in settled:
                definite.append(number)
            elif number in chosen:
                day = self._during(self._entities[ids[number]], window, view, known)
                found = _reasoning.day_presence(day, where)
                if found is not None:
                    (definite if found == "definite" else possible).append(number)
        return Presence(  # each answer is where they were as the day ended
            place=where, definite=self._answers_of(ended, definite, view, window, known),
            possible=self._answers_of(ended, possible, view, window, known), on=window,
            known_at=known)

    def _touched(self, view: View, window: When) -> set[int]:
        """Entity numbers with a claim (theirs or a group's) that may fall in ``window``
        (a day's width of slack each side, for claims written in local time)."""
        from whereabouts._arrays import numpy as _np
        from whereabouts._columnar import windows

        np = _np()
        lower, upper = windows(view)
        slack = 86400.0
        rows = np.flatnonzero((lower < window.upper + slack) & (upper > window.lower - slack))
        store = self._store
        found: set[int] = set()
        for row in rows.tolist():
            found.update(store.subjects_of(row))
        members = {store.entity_no[g]: m for g, m in self._all_members().items()}
        for number in list(found):
            found.update(store.entity_no[m] for m in members.get(number, ()))
        return found

    def _all_members(self) -> dict[str, set[str]]:
        """Each group's members, directly or through other groups."""
        found: dict[str, set[str]] = {}
        for member in self._member_of:
            for group in self.groups_of(member):
                found.setdefault(group, set()).add(member)
        return found

    def unaccounted(self, *, as_of: DateRef | None = None, known_at: DateRef | None = None,
                    sources: SourcesRef | None = None,
                    min_grade: Threshold | Grading | str | None = None) -> Roll:
        """People whose whereabouts are reported unknown, of whom nothing is known, or
        whose last claim is a departure with no placement after it."""
        from whereabouts._arrays import numpy as _np
        from whereabouts._columnar import STATUS_CODE

        people = len(self._people)
        wanted = [STATUS_CODE[s] for s in (Status.UNKNOWN, Status.NOTHING_KNOWN,
                                           Status.DEPARTED)]

        def pick(numbers: Any, statuses: Any) -> Any:
            return numbers[:people][_np().isin(statuses[:people], wanted)]

        return self._roll("Unaccounted for", as_of, known_at, sources, min_grade, pick)

    def dead(self, *, as_of: DateRef | None = None, known_at: DateRef | None = None,
             sources: SourcesRef | None = None,
             min_grade: Threshold | Grading | str | None = None) -> Roll:
        """People reported dead."""
        from whereabouts._columnar import STATUS_CODE

        dead = STATUS_CODE[Status.DECEASED]
        return self._roll("Dead", as_of, known_at, sources, min_grade,
                          lambda numbers, statuses: numbers[statuses == dead])

    def _roll(self, title: str, as_of: object, known_at: object, sources: SourcesRef | None,
              min_grade: object, pick: Callable[[Any, Any], Any]) -> Roll:
        standing, view, as_of_when, known = self._standing(as_of, known_at, sources, min_grade)
        numbers = self._roll_numbers()
        chosen = pick(numbers, standing.statuses[numbers])
        return Roll(title=title,
                    answers=self._answers_of(standing, chosen, view, as_of_when, known),
                    as_of=as_of_when, known_at=known)

    def _roll_numbers(self) -> Any:
        """Entity numbers in roll order: people, then groups, each in the order added."""
        from whereabouts._arrays import numpy as _np

        np = _np()
        return np.concatenate([np.frombuffer(self._people_numbers, dtype=np.int32),
                               np.frombuffer(self._group_numbers, dtype=np.int32)])

    def _answers_of(self, standing: Standing, numbers: Any, view: View,
                    as_of: When | None, known: When | None) -> Answers:
        """Answers for the entity ``numbers``, built on demand while the ledger is unchanged."""
        from whereabouts._arrays import numpy as _np
        from whereabouts.results import AnswerColumns

        np = _np()
        store = self._store
        chosen = np.asarray(numbers, dtype=np.int32)
        columns = AnswerColumns(ids=store.entity_ids, entity=chosen,
                                status=standing.statuses[chosen], place=standing.places[chosen],
                                places=store.places.values, options=standing.options())
        by_id, ids = self._entities, store.entity_ids
        version = self._version
        end = math.inf if as_of is None else as_of.upper

        def entity_of(number: int) -> Entity:
            return by_id[ids[number]]

        def build(position: int) -> Whereabouts:
            if self._version != version:
                raise RuntimeError("the ledger changed after this answer was made: ask again")
            return self._last_known(entity_of(int(chosen[position])), end, as_of, view, known)

        return Answers(columns, entity_of, build)

    def _standing(self, as_of: object, known_at: object, sources: SourcesRef | None = None,
                  min_grade: object = None) -> tuple[Standing, View, When | None, When | None]:
        """Every entity's status and place by ``as_of`` as known at ``known_at``."""
        end, as_of_when = self._as_of(as_of)
        view, known = self._view(known_at, sources, min_grade)
        with self._lock:
            if as_of is None and known is None and not view.filtered:
                return self._current_standing(view), view, None, None
            return self._standing_at(view, end, as_of_when, known), view, as_of_when, known

    def _standing_at(self, view: View, end: float, as_of: When | None,
                     known: When | None) -> Standing:
        shift = self._shift(as_of)
        key = (end, shift is not None, view.key)
        found = self._standings.get(key)
        if found is None:
            found = self._standings[key] = self._work_out(view, end, as_of, known)
        return found

    def _current_standing(self, view: View) -> Standing:
        """Everyone's standing now: worked out again for the entities touched since
        it was last worked out, or for everyone when that is cheaper."""
        from whereabouts._columnar import settle_exactly

        current, store = self._current, self._store
        if current is None or len(self._stale) * 3000 > len(store):
            current = self._work_out(view, math.inf, None, None)
        elif self._stale or len(current.statuses) < len(store.entity_ids):
            current = current.resized(len(store.entity_ids))  # earlier rolls keep theirs
            for number in sorted(self._stale):
                entity = self._entities[store.entity_ids[number]]
                settle_exactly(current, number, self._last_known(entity, math.inf, None, view,
                                                                 None), store)
        self._current = current
        self._stale.clear()
        return current

    def _work_out(self, view: View, end: float, as_of: When | None,
                  known: When | None) -> Standing:
        from whereabouts._columnar import exact_ones, settle_exactly, standing

        store = self._store
        found = standing(view, len(store.entity_ids), end, self._fanout(), self._shift(as_of))
        for number in exact_ones(found):
            entity = self._entities[store.entity_ids[number]]
            settle_exactly(found, number, self._last_known(entity, end, as_of, view, known),
                           store)
        return found

    def _fanout(self) -> list[tuple[int, int]]:
        """Each (member, group) pair of entity numbers, the member directly or not in
        the group; kept until memberships change."""
        if self._fanout_pairs is None:
            numbers = self._store.entity_no
            self._fanout_pairs = [(numbers[member], numbers[group])
                                  for member in self._member_of
                                  for group in self.groups_of(member)]
        return self._fanout_pairs

    def companions(self, who: EntityRef, *, as_of: DateRef | None = None,
                   on: DateRef | None = None, known_at: DateRef | None = None,
                   sources: SourcesRef | None = None,
                   min_grade: Threshold | Grading | str | None = None) -> tuple[Companion, ...]:
        """Who moved with ``who``: the other subjects of the same movement or
        presence claims (a group counts as one companion); with ``on``, only
        claims that may fall on that day."""
        entity = self.entity(who)
        end, _ = self._as_of(as_of)
        day = None if on is None else When.coerce(on, field="on")
        view, _ = self._view(known_at, sources, min_grade)
        shift = self._shift(day)
        own = {entity.id} | self.groups_of(entity)
        found: dict[str, list[Observation]] = {}
        for row in view.about(self._numbers(entity)):
            if view.upper[row] > end:
                continue
            if day is not None:
                moved = _reasoning.local_offset(self._store, row, shift)
                if not (view.lower[row] + moved < day.upper
                        and view.upper[row] + moved > day.lower):
                    continue
            obs = self._store.observation(row)
            if obs.family not in (Family.MOVEMENT, Family.PRESENCE):
                continue
            for other in obs.subjects:
                if other not in own:
                    found.setdefault(other, []).append(obs)
            if entity.id not in obs.subjects:  # moved as part of a group: the group came along
                for group in own.intersection(obs.subjects):
                    found.setdefault(group, []).append(obs)
        return tuple(Companion(entity=self._entities[eid], observations=tuple(found[eid]))
                     for eid in found)

    def conflicts(self, who: EntityRef | None = None, *, as_of: DateRef | None = None,
                  known_at: DateRef | None = None, sources: SourcesRef | None = None,
                  min_grade: Threshold | Grading | str | None = None) -> tuple[Conflict, ...]:
        """Claims that cannot all be true: one entity in different countries at
        overlapping times (two stays that certainly overlap; a claim certainly
        inside a stay elsewhere), or placed somewhere after its death."""
        end, _ = self._as_of(as_of)
        view, _ = self._view(known_at, sources, min_grade)
        targets = self.entities if who is None else (self.entity(who),)
        found: list[Conflict] = []
        for entity in targets:
            number = self._store.entity_no[entity.id]
            groups = self._numbers(entity) - {number}
            for conflict in _reasoning.conflicts(view, entity, number, groups):
                rows = [self._row(o) for o in conflict.observations]
                stays = self._store.stays  # a stay counts once it may have begun
                if all(view.lower[r] < end if r in stays else view.upper[r] <= end
                       for r in rows):
                    found.append(conflict)
        return tuple(found)


class Narrative:
    """Claims recorded in the order they happened (see :meth:`Ledger.narrative`):
    each comes ``after`` the one recorded before it through this narrative."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.last: Observation | None = None

    def observe(
        self, subjects: EntityRef | Sequence[EntityRef], kind: Kind | str, *,
        after: Observation | str | Sequence[Observation | str] = (), **fields: Any,
    ) -> Observation:
        """:meth:`Ledger.observe`, with the previous claim of the narrative added to
        ``after``."""
        given = [after] if isinstance(after, str | Observation) else list(after)
        if self.last is not None:
            given.append(self.last)
        self.last = self.ledger.observe(subjects, kind, after=given, **fields)
        return self.last
