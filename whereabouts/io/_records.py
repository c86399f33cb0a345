"""Ledger parts to plain JSON-able records and back, shared by every file format.

A ledger is written as a sequence of records (dicts of str, int, float, list
and None). Places and sources are written once each, as their own records,
and referred to by a file-local id; a place's ``parent`` and a source's
``via`` are such references too, so chains survive. The record shapes are
specified in ``docs/files.md``.

>>> from whereabouts import Ledger, Place, Source
>>> ledger = Ledger()
>>> nour = ledger.add_person("Nour Khalil", id="nour")
>>> dubai = Place.city("Dubai", country="AE", point=(25.2, 55.27))
>>> obs = ledger.observe(nour, "seen at", place=dubai, when="2024-12-09",
...                      source=Source("a wire", via=Source("witnesses")), reported="2024-12-10")
>>> records = list(Codec().encode(ledger))
>>> [(record["type"], record.get("id")) for record in records]
[('person', 'nour'), ('place', 'AE'), ('place', 'city:dubai:AE'), ('source', 'witnesses'),
 ('source', 'a-wire'), ('observation', 'o1')]
>>> records[2]
{'type': 'place', 'id': 'city:dubai:AE', 'name': 'Dubai', 'kind': 'city', 'country': 'AE',
 'point': [25.2, 55.27], 'parent': 'AE'}
>>> records[5]["place"], records[5]["source"], records[4]["via"]
('city:dubai:AE', 'a-wire', 'witnesses')
>>> copy = replay(Codec().encode(ledger), Ledger())
>>> copy == ledger
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Protocol

import attrs

from whereabouts._text import fold
from whereabouts.entities import Entity, Group, Person, Relation, RelationKind
from whereabouts.errors import WhereaboutsError, brief
from whereabouts.ledger import Ledger
from whereabouts.observations import Denial, Family, Kind, Observation, Retraction, stay_by_default
from whereabouts.places import Alternatives, Place, PlaceKind, Where
from whereabouts.sources import Grading, Source, SourceKind

__all__ = ["FORMAT", "VERSION", "Codec", "RecordError", "Registered", "Target", "apply",
           "parse", "replay", "version_of"]

FORMAT = "whereabouts-ledger"
"""The format name written in every ledger file's header (and a SQLite ledger's meta table)."""
VERSION = 2
"""The newest format version this release writes; it reads this version and every older one.

A file is written with the lowest version that holds all its records (see
:func:`version_of`), so a ledger that uses nothing new stays readable by older
releases, and saving a loaded file again changes no line, its header included.
Version 2 added stays (``throughout``), unknown report dates (``reported: null``),
denials and the attempt kinds."""

Record = dict[str, Any]
_SLUG = re.compile(r"[^a-z0-9]+")


class RecordError(WhereaboutsError, ValueError):
    """A record that is not one of the shapes a ledger file holds.

    Its message shows the value at fault cut short, as every error's does
    (:func:`~whereabouts.errors.brief`): a file may hold values (lists nested a
    thousand deep) whose ``repr`` fails.
    """


def parse(text: str) -> object:
    """The JSON value of one record's text; a :class:`RecordError` says why there is none.

    Besides malformed JSON, this refuses what Python's decoder raises other
    errors for: nesting deeper than the interpreter's recursion limit and
    integers longer than its int-string limit (4,300 digits by default).

    >>> parse('{"type": "person"}')
    {'type': 'person'}
    >>> parse('{"type": ')
    Traceback (most recent call last):
    ...
    whereabouts.io._records.RecordError: invalid JSON at column 10: Expecting value
    >>> parse("[" * 100_000)
    Traceback (most recent call last):
    ...
    whereabouts.io._records.RecordError: invalid JSON: nested too deeply (a record is ...)
    >>> parse("9" * 5000)
    Traceback (most recent call last):
    ...
    whereabouts.io._records.RecordError: invalid JSON: a number of over 4300 digits
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise RecordError(f"invalid JSON at column {err.colno}: {err.msg}") from None
    except RecursionError:
        raise RecordError("invalid JSON: nested too deeply (a record is an object of texts, "
                          "numbers and lists)") from None
    except ValueError as err:  # int("9" * 5000): "Exceeds the limit (4300 digits) ..."
        limit = re.search(r"limit \((\d+) digits\)", str(err))
        if limit is None:
            raise RecordError(f"invalid JSON: {brief(str(err))}") from None
        raise RecordError(f"invalid JSON: a number of over {limit.group(1)} digits") from None


@attrs.frozen
class Registered:
    """A registered place and its aliases, as :attr:`Ledger.registered_places` lists them."""

    place: Place
    aliases: tuple[str, ...]


Decoded = Entity | Relation | Registered | Observation | Retraction | Denial


class Target(Protocol):
    """Where decoded parts go: a :class:`~whereabouts.ledger.Ledger`, or its base methods."""

    def add(self, entity: Entity) -> Entity: ...

    def relate(self, subject: str, kind: RelationKind, object: str, *, label: str = "",
               note: str = "") -> Relation: ...

    def register_place(self, place: Place, *, aliases: Iterable[str] = ()) -> Place: ...

    def append(self, entry: Observation | Retraction | Denial
               ) -> Observation | Retraction | Denial: ...


def apply(target: Target, part: Decoded) -> None:
    """Add one decoded part to a ledger through its checked public methods."""
    if isinstance(part, Person | Group):
        target.add(part)
    elif isinstance(part, Relation):
        target.relate(part.subject, part.kind, part.object, label=part.label, note=part.note)
    elif isinstance(part, Registered):
        target.register_place(part.place, aliases=part.aliases)
    else:
        target.append(part)


def replay(records: Iterable[Record], target: Ledger) -> Ledger:
    """Decode records and add them to ``target``; the first error is raised."""
    codec = Codec()
    for record in records:
        part = codec.decode(record)
        if part is not None:
            apply(target, part)
    return target


def parts(ledger: Ledger) -> Iterator[Decoded]:
    """Everything a ledger holds, in the order a file lists it."""
    yield from ledger.entities
    yield from ledger.relations
    for place, aliases in ledger.registered_places:
        yield Registered(place, aliases)
    yield from ledger.entries


def version_of(record: Record) -> int:
    """The lowest format version that holds ``record`` (one this release encoded).

    Version 2: a denial; an observation with ``throughout``, ``reported: null``
    or an attempt kind. Every other record is version 1.
    """
    kind = record.get("type")
    if kind == "denial":
        return 2
    if kind == "observation" and ("throughout" in record or record.get("reported") is None
                                  or record.get("kind") in _ATTEMPTS):
        return 2
    return 1


_ATTEMPTS = frozenset(k.value for k in Kind if k.family is Family.ATTEMPT)


# -- reading fields -------------------------------------------------------------------


def _text(record: Mapping[str, Any], field: str, *, required: bool = True,
          empty: bool = True) -> str:
    value = record.get(field)
    if value is None and not required:
        return ""
    if value is None:
        raise RecordError("missing", field=field)
    if not isinstance(value, str):
        raise RecordError(f"expected text, not {_json_type(value)}", field=field, value=value)
    if not empty and not value.strip():
        raise RecordError("must not be empty", field=field, value=value)
    return value


def _optional(record: Mapping[str, Any], field: str) -> str | None:
    return _text(record, field, empty=False) if record.get(field) is not None else None


def _texts(record: Mapping[str, Any], field: str, *, required: bool = False) -> tuple[str, ...]:
    value = record.get(field)
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError("expected a list of texts", field=field, value=value)
    return tuple(value)


def _json_type(value: object) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list",
             dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _check_keys(record: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(record) - allowed)
    if unknown:
        raise RecordError(f"unknown field{'s' if len(unknown) > 1 else ''} "
                          f"{', '.join(map(repr, unknown))}", field=unknown[0])


def _enum_value(kind: PlaceKind | SourceKind, field: str, text: str) -> Any:
    try:
        return type(kind)(text)
    except ValueError:
        known = ", ".join(repr(k.value) for k in type(kind))
        raise RecordError(f"not a known kind (known: {known})", field=field, value=text) from None


_KEYS = {
    "person": frozenset({"type", "id", "name", "aliases", "description", "note"}),
    "relation": frozenset({"type", "subject", "kind", "object", "label", "note"}),
    "place": frozenset({"type", "id", "name", "kind", "country", "countries", "subdivision",
                        "point", "parent", "key"}),
    "registered": frozenset({"type", "place", "aliases"}),
    "source": frozenset({"type", "id", "name", "kind", "published", "url", "via"}),
    "observation": frozenset({"type", "id", "subjects", "kind", "place", "when", "throughout",
                              "source", "reported", "grading", "note", "after", "corrects"}),
    "retraction": frozenset({"type", "id", "target", "source", "reported", "reason"}),
}
_KEYS["denial"] = _KEYS["retraction"]
_KEYS["group"] = _KEYS["person"]
TYPES = tuple(_KEYS)
"""The record types, in the order a file lists them (places and sources before first use)."""


class Codec:
    """Turns ledger parts into records and records back into parts.

    It remembers the places and sources written or read so far, with their
    ids, so each is written once and referred to afterwards. One codec reads
    or writes one file (or one SQLite ledger, over its whole life).
    """

    def __init__(self) -> None:
        self.places: dict[str, Place] = {}
        self._place_ids: dict[Place, str] = {}
        self.sources: dict[str, Source] = {}
        self._source_ids: dict[Source, str] = {}

    # -- keeping state across a failed write --------------------------------------

    def mark(self) -> tuple[int, int]:
        """How many places and sources are known: :meth:`restore` goes back to it."""
        return len(self.places), len(self.sources)

    def restore(self, mark: tuple[int, int]) -> None:
        """Forget the places and sources learnt since ``mark`` (their write failed)."""
        while len(self.places) > mark[0]:
            _, place = self.places.popitem()
            self._place_ids.pop(place, None)
        while len(self.sources) > mark[1]:
            _, source = self.sources.popitem()
            self._source_ids.pop(source, None)

    # -- encoding -----------------------------------------------------------------

    def encode(self, ledger: Ledger) -> Iterator[Record]:
        """Every record of ``ledger``: entities, relations, registered places, entries."""
        for part in parts(ledger):
            yield from self.encode_part(part)

    def encode_part(self, part: Decoded) -> list[Record]:
        """The records of one part: any place or source not yet written, then the part."""
        out: list[Record] = []
        if isinstance(part, Person | Group):
            out.append(_entity(part))
        elif isinstance(part, Relation):
            out.append(_relation(part))
        elif isinstance(part, Registered):
            ref = self._place_ref(part.place, out)
            record: Record = {"type": "registered", "place": ref}
            if part.aliases:
                record["aliases"] = list(part.aliases)
            out.append(record)
        elif isinstance(part, Observation):
            out.append(self._observation(part, out))
        else:
            out.append(self._withdrawal(part, out))
        return out

    def _place_ref(self, place: Place, out: list[Record]) -> str:
        known = self._place_ids.get(place)
        if known is not None:
            return known
        parent = None if place.parent is None else self._place_ref(place.parent, out)
        pid, n = place.key, 1
        while pid in self.places:
            n += 1
            pid = f"{place.key}#{n}"
        record: Record = {"type": "place", "id": pid, "name": place.name,
                          "kind": place.kind.value}
        if place.country is not None:
            record["country"] = place.country
        if place.kind is PlaceKind.REGION:
            record["countries"] = sorted(place.countries)
        if place.subdivision is not None:
            record["subdivision"] = place.subdivision
        if place.point is not None:
            record["point"] = list(place.point)
        if parent is not None:
            record["parent"] = parent
        if pid != place.key:
            record["key"] = place.key
        self.places[pid] = place
        self._place_ids[place] = pid
        out.append(record)
        return pid

    def _source_ref(self, source: Source, out: list[Record]) -> str:
        known = self._source_ids.get(source)
        if known is not None:
            return known
        via = None if source.via is None else self._source_ref(source.via, out)
        base = _SLUG.sub("-", fold(source.name)).strip("-")[:60] or "source"
        sid, n = base, 1
        while sid in self.sources:
            n += 1
            sid = f"{base}-{n}"
        record: Record = {"type": "source", "id": sid, "name": source.name}
        if source.kind is not SourceKind.OTHER:
            record["kind"] = source.kind.value
        if source.published is not None:
            record["published"] = str(source.published)
        if source.url is not None:
            record["url"] = source.url
        if via is not None:
            record["via"] = via
        self.sources[sid] = source
        self._source_ids[source] = sid
        out.append(record)
        return sid

    def _where(self, where: Where, out: list[Record]) -> str | list[str]:
        if isinstance(where, Alternatives):
            return [self._place_ref(p, out) for p in where.places]
        return self._place_ref(where, out)

    def _observation(self, obs: Observation, out: list[Record]) -> Record:
        place = None if obs.place is None else self._where(obs.place, out)
        source = self._source_ref(obs.source, out)
        record: Record = {"type": "observation", "id": obs.id, "subjects": list(obs.subjects),
                          "kind": obs.kind.value}
        if place is not None:
            record["place"] = place
        if obs.when is not None:
            record["when"] = str(obs.when)
        if obs.throughout is not stay_by_default(obs.kind, obs.when):
            record["throughout"] = obs.throughout
        record["source"] = source
        record["reported"] = None if obs.reported is None else str(obs.reported)
        record["grading"] = obs.grading.code
        if obs.note:
            record["note"] = obs.note
        if obs.after:
            record["after"] = list(obs.after)
        if obs.corrects is not None:
            record["corrects"] = obs.corrects
        return record

    def _withdrawal(self, entry: Retraction | Denial, out: list[Record]) -> Record:
        source = self._source_ref(entry.source, out)
        kind = "retraction" if isinstance(entry, Retraction) else "denial"
        record: Record = {"type": kind, "id": entry.id, "target": entry.target,
                          "source": source, "reported": str(entry.reported)}
        if entry.reason:
            record["reason"] = entry.reason
        return record

    # -- decoding -----------------------------------------------------------------

    def decode(self, record: object) -> Decoded | None:
        """The part a record holds (``None`` for a place or source, which is remembered).

        Raises a :class:`~whereabouts.errors.WhereaboutsError` naming the field at fault.
        """
        if not isinstance(record, dict):
            raise RecordError(f"expected a JSON object, not {_json_type(record)}", field=None)
        kind = record.get("type")
        if not isinstance(kind, str) or kind not in _KEYS:
            raise RecordError(f"not a record type (known: {', '.join(TYPES)})", field="type",
                              value=kind)
        _check_keys(record, _KEYS[kind])
        decoder: Callable[[Record], Decoded | None] = getattr(self, f"_decode_{kind}")
        return decoder(record)

    def _decode_person(self, record: Record) -> Entity:
        cls = Person if record["type"] == "person" else Group
        return cls(_text(record, "id"), _text(record, "name"),
                   aliases=_texts(record, "aliases"),
                   description=_text(record, "description", required=False, empty=True),
                   note=_text(record, "note", required=False, empty=True))

    _decode_group = _decode_person

    def _decode_relation(self, record: Record) -> Relation:
        return Relation(_text(record, "subject"), RelationKind.coerce(_text(record, "kind")),
                        _text(record, "object"),
                        label=_text(record, "label", required=False, empty=True),
                        note=_text(record, "note", required=False, empty=True))

    def _decode_place(self, record: Record) -> None:
        pid = _text(record, "id", empty=False)
        if pid in self.places:
            raise RecordError("a place with this id is already defined", field="id", value=pid)
        fields: dict[str, Any] = {
            "name": _text(record, "name"),
            "kind": _enum_value(PlaceKind.CITY, "kind", _text(record, "kind")),
            "country": _optional(record, "country"),
            "subdivision": _optional(record, "subdivision"),
            "key": _optional(record, "key") or pid,
        }
        if "countries" in record:
            fields["countries"] = _texts(record, "countries", required=True)
        point = record.get("point")
        if point is not None:
            fields["point"] = _point(point)
        parent = _optional(record, "parent")
        if parent is not None:
            fields["parent"] = self._place(parent, "parent")
        place = Place(**fields)
        self.places[pid] = place
        self._place_ids.setdefault(place, pid)

    def _place(self, ref: object, field: str) -> Place:
        found = self.places.get(ref) if isinstance(ref, str) else None
        if found is None:
            raise RecordError("no place with this id is defined above", field=field, value=ref)
        return found

    def _decode_registered(self, record: Record) -> Registered:
        return Registered(self._place(_text(record, "place"), "place"),
                          _texts(record, "aliases"))

    def _decode_source(self, record: Record) -> None:
        sid = _text(record, "id", empty=False)
        if sid in self.sources:
            raise RecordError("a source with this id is already defined", field="id", value=sid)
        via = _optional(record, "via")
        source = Source(
            _text(record, "name"),
            kind=_enum_value(SourceKind.OTHER, "kind", record.get("kind") or "other"),
            published=_optional(record, "published"), url=_optional(record, "url"),
            via=None if via is None else self._source(via, "via"),
        )
        self.sources[sid] = source
        self._source_ids.setdefault(source, sid)

    def _source(self, ref: object, field: str) -> Source:
        found = self.sources.get(ref) if isinstance(ref, str) else None
        if found is None:
            raise RecordError("no source with this id is defined above", field=field, value=ref)
        return found

    def _decode_observation(self, record: Record) -> Observation:
        ref = record.get("place")
        place: Where | None
        if ref is None:
            place = None
        elif isinstance(ref, list):
            place = Alternatives(tuple(self._place(r, "place") for r in ref))
        else:
            place = self._place(ref, "place")
        return Observation(
            id=_text(record, "id"), subjects=_texts(record, "subjects", required=True),
            kind=Kind.coerce(_text(record, "kind")), place=place,
            when=_optional(record, "when"), **_throughout(record),
            source=self._source(record.get("source"), "source"),
            reported=_reported(record),
            grading=Grading.parse(_grading(record)),
            note=_text(record, "note", required=False, empty=True),
            after=_texts(record, "after"), corrects=_optional(record, "corrects"),
        )

    def _decode_retraction(self, record: Record) -> Retraction | Denial:
        cls = Retraction if record["type"] == "retraction" else Denial
        return cls(
            id=_text(record, "id"), target=_text(record, "target"),
            source=self._source(record.get("source"), "source"),
            reported=_text(record, "reported"),
            reason=_text(record, "reason", required=False, empty=True),
        )


    _decode_denial = _decode_retraction


def _point(value: object) -> tuple[float, float]:
    """``[latitude, longitude]`` as two floats (an integer too large for one is refused)."""
    if (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)):
        try:
            return float(value[0]), float(value[1])
        except OverflowError:
            pass
    raise RecordError("expected [latitude, longitude]", field="point", value=value)


def _grading(record: Record) -> str:
    """``grading``: a code like ``"B2"``, ``"F6"`` when left out."""
    value = record.get("grading", "F6")
    if not isinstance(value, str):
        raise RecordError(f"expected a grade like 'B2', not {_json_type(value)}",
                          field="grading", value=value)
    return value


def _throughout(record: Record) -> dict[str, bool]:
    """``throughout`` as Observation takes it: left out for its default."""
    if "throughout" not in record:
        return {}
    value = record["throughout"]
    if not isinstance(value, bool):
        raise RecordError(f"expected true or false, not {_json_type(value)}",
                          field="throughout", value=value)
    return {"throughout": value}


def _reported(record: Record) -> str | None:
    """``reported``: required, ``null`` for a report date not known."""
    if "reported" not in record:
        raise RecordError("missing (null if not known)", field="reported")
    return None if record["reported"] is None else _text(record, "reported")


def _entity(entity: Entity) -> Record:
    record: Record = {"type": "group" if isinstance(entity, Group) else "person",
                      "id": entity.id, "name": entity.name}
    if entity.aliases:
        record["aliases"] = list(entity.aliases)
    if entity.description:
        record["description"] = entity.description
    if entity.note:
        record["note"] = entity.note
    return record


def _relation(relation: Relation) -> Record:
    record: Record = {"type": "relation", "subject": relation.subject,
                      "kind": relation.kind.value, "object": relation.object}
    if relation.label:
        record["label"] = relation.label
    if relation.note:
        record["note"] = relation.note
    return record
