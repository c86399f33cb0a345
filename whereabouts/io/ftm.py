"""The ledger as FollowTheMoney entities (Aleph, OpenSanctions, nomenklatura), and
FtM ``Person`` entities read back as the people of a ledger.

:func:`to_ftm` yields plain dicts (``{"id", "schema", "properties"}``, every
value a string in a list), the form ``ftm`` tools read one a line; nothing of
``followthemoney`` is needed to write or read them:

* a person is a ``Person`` (``name``, ``alias``, ``description``, ``notes``),
  a group an ``Organization``;
* a relation is a ``Family`` (parent, child, sibling, twin, cousin, spouse:
  ``relationship`` names what the ``relative`` is to the ``person``), an
  ``Associate`` (adviser, or any other tie between two people), a
  ``Membership`` (member of a group), or an ``UnknownLink`` when its ends do
  not fit those schemata (a person "cousin of" a group);
* a claim is an ``Event``: ``involved`` (its subjects), ``location`` and
  ``country`` (every country the place may be in), ``date``, ``sourceUrl``,
  ``publisher``, and the rest in words: ``summary`` keeps the date as written
  (EDTF) and its meaning, ``description`` the source chain, the grade, the
  note and, for a claim later denied, retracted or corrected, by what.

FtM dates are ISO 8601 prefixes (``2024``, ``2024-12``, ``2024-12-08``). A
claim's window becomes the longest prefix that still holds all of it: a window
within one day gives the day, one within a month the month, one within a year
the year; a window across a year's end, with an open end, or outside the years
FtM takes (1000 to 2999) gives no ``date`` (the EDTF text in ``summary`` still
says it). A stay gives ``startDate`` and
``endDate`` (each the prefix of its end) instead: it held all along.

>>> from whereabouts.examples import assad_2024
>>> entities = {e["id"]: e for e in to_ftm(assad_2024())}
>>> entities["shaaban"]["schema"], entities["shaaban"]["properties"]["alias"]
('Person', ['Buthaina Shaaban'])
>>> moscow = entities["moscow"]["properties"]
>>> moscow["involved"], moscow["country"], moscow["date"]
(['bashar', 'assad-family'], ['ru'], ['2024-12-08'])
>>> moscow["summary"]
['2024-12-08/.. (EDTF): from 2024-12-08 on (open end)']
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs

from whereabouts._stays import stay_bounds
from whereabouts.entities import Group, Person, Relation, RelationKind
from whereabouts.errors import WhereaboutsError
from whereabouts.io._atomic import write_atomic
from whereabouts.io._claims import Claim, claims, written
from whereabouts.io.errors import LedgerFileError, Problem
from whereabouts.ledger import DateRef, Ledger
from whereabouts.observations import Family

__all__ = ["FtmReport", "read_ftm", "to_ftm", "write_ftm"]

Entity = dict[str, Any]

_FTM_ID = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z.\-]*[0-9a-zA-Z])?$")
"""An FtM entity id (followthemoney's ``EntityType.REGEX``)."""
_LEDGER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

_FAMILY = {RelationKind.PARENT: "parent", RelationKind.CHILD: "child",
           RelationKind.SIBLING: "sibling", RelationKind.TWIN: "twin",
           RelationKind.COUSIN: "cousin", RelationKind.SPOUSE: "spouse"}


def ftm_id(ledger_id: str) -> str:
    """The FtM id of a ledger id: itself when FtM accepts it, else a slug and a hash
    (FtM ids take no ``_`` or ``:`` and end with a letter or digit).

    >>> ftm_id("bashar"), ftm_id("case:o_1")
    ('bashar', 'case-o-1-4f4f80ebcb')
    """
    if _FTM_ID.match(ledger_id):
        return ledger_id
    slug = re.sub(r"[^0-9a-zA-Z]+", "-", ledger_id).strip("-")[:80]
    digest = hashlib.sha1(ledger_id.encode("utf-8")).hexdigest()[:10]
    return f"{slug}-{digest}" if slug else digest


def to_ftm(ledger: Ledger, *, known_at: DateRef | None = None) -> Iterator[Entity]:
    """FtM entities for every person, group, relation and claim of the ledger.

    ``known_at`` keeps the claims reported by the end of that day (a claim
    whose report date is not known counts only without it); people, groups and
    relations are always all there. Denied, retracted and corrected claims are
    exported too, marked in ``description`` and ``keywords``.
    """
    kinds = {e.id: e for e in ledger.entities}
    for entity in ledger.entities:
        yield _party(entity)
    seen: dict[str, int] = {}
    for relation in ledger.relations:
        yield _relation(relation, kinds, seen)
    for claim in claims(ledger, known_at=known_at):
        yield _event(claim)


def write_ftm(ledger: Ledger, path: str | os.PathLike[str], *,
              known_at: DateRef | None = None) -> int:
    """Write :func:`to_ftm` as FtM JSON Lines (UTF-8), atomically; return how many
    entities were written."""
    lines = [json.dumps(e, ensure_ascii=False, sort_keys=True)
             for e in to_ftm(ledger, known_at=known_at)]
    write_atomic(path, "".join(line + "\n" for line in lines).encode("utf-8"))
    return len(lines)


def _props(**values: Iterable[str] | str | None) -> dict[str, list[str]]:
    """FtM properties: every value a list of non-empty strings, empty ones left out."""
    props: dict[str, list[str]] = {}
    for name, value in values.items():
        items = [value] if isinstance(value, str) else list(value or ())
        kept = list(dict.fromkeys(v for v in items if v and v.strip()))
        if kept:
            props[name] = kept
    return props


def _party(entity: Person | Group) -> Entity:
    schema = "Person" if isinstance(entity, Person) else "Organization"
    return {"id": ftm_id(entity.id), "schema": schema,
            "properties": _props(name=entity.name, alias=entity.aliases,
                                 description=entity.description, notes=entity.note)}


def _relation(relation: Relation, kinds: Mapping[str, Person | Group],
              seen: dict[str, int]) -> Entity:
    kind, subject, obj = relation.kind, relation.subject, relation.object
    # Read every tie in one direction: "a has member b" as "b member of a".
    if kind in (RelationKind.HAS_MEMBER, RelationKind.ADVISED_BY):
        kind, subject, obj = kind.inverse, obj, subject
    people = isinstance(kinds.get(subject), Person) and isinstance(kinds.get(obj), Person)
    note = relation.note
    if kind in _FAMILY and people:
        schema = "Family"  # "person" has "relative", who is their <relationship>
        props = _props(person=ftm_id(obj), relative=ftm_id(subject),
                       relationship=_FAMILY[kind], description=note)
    elif kind in (RelationKind.ADVISER, RelationKind.OTHER) and people:
        schema = "Associate"
        role = "adviser" if kind is RelationKind.ADVISER else relation.label or kind.value
        props = _props(person=ftm_id(obj), associate=ftm_id(subject), relationship=role,
                       description=note)
    elif kind is RelationKind.MEMBER_OF and isinstance(kinds.get(obj), Group):
        schema = "Membership"
        props = _props(member=ftm_id(subject), organization=ftm_id(obj), description=note)
    else:
        schema = "UnknownLink"
        props = _props(subject=ftm_id(subject), object=ftm_id(obj),
                       role=relation.label or kind.value, description=note)
    base = ftm_id(f"{subject}.{kind.name.lower().replace('_', '-')}.{obj}")
    seen[base] = seen.get(base, 0) + 1
    rid = base if seen[base] == 1 else f"{base}.{seen[base]}"
    return {"id": rid, "schema": schema, "properties": props}


def _event(claim: Claim) -> Entity:
    obs = claim.obs
    when, place = obs.when, obs.place
    summary = written(obs)
    dates: dict[str, str | None] = {}
    if obs.throughout:
        assert when is not None
        start_lower, start_upper, end_lower, end_upper = stay_bounds(when, obs.reported)
        dates["startDate"] = _prefix(start_lower, start_upper)
        dates["endDate"] = _prefix(end_lower, end_upper)
    else:
        dates["date"] = _prefix(obs.lower, obs.upper)
    urls = [s.url for s in obs.source.chain if s.url and _is_url(s.url)]
    described = [obs.note,
                 f"source: {obs.source}",
                 "report date unknown" if obs.reported is None else f"reported {obs.reported}",
                 f"graded {obs.grading.describe()}",
                 claim.withdrawn]
    keywords = [obs.kind.value, obs.family.value,
                "stay" if obs.throughout else "",
                "attempt (not made)" if obs.family is Family.ATTEMPT else "",
                "one of several places" if place is not None and len(place.options) > 1 else "",
                claim.status]
    return {"id": ftm_id(obs.id), "schema": "Event", "properties": _props(
        name=f"{', '.join(claim.names)}: {obs.describe()}",
        involved=[ftm_id(s) for s in obs.subjects],
        location=None if place is None else place.label,
        country=[] if place is None else sorted(c.lower() for c in place.countries),
        summary=summary,
        description="; ".join(d for d in described if d),
        publisher=obs.source.name,
        sourceUrl=urls,
        recordId=obs.id,
        keywords=keywords,
        **dates,
    )}


def _is_url(text: str) -> bool:
    return re.match(r"^https?://[^\s/$.?#][^\s]*$", text) is not None


_FTM_FIRST = (datetime(1000, 1, 1, tzinfo=timezone.utc) - _EPOCH).total_seconds()
_FTM_END = (datetime(3000, 1, 1, tzinfo=timezone.utc) - _EPOCH).total_seconds()


def _prefix(lower: float, upper: float) -> str | None:
    """The longest ISO prefix (year, month, day) that holds all of ``[lower, upper)``,
    or None (an open end, a window across a year's end, a year FtM does not take:
    before 1000 or after 2999)."""
    if not _FTM_FIRST <= lower < upper <= _FTM_END:  # open ends too; and no datetime
        return None                                   # overflow near years 1 and 9999
    first = (_EPOCH + timedelta(seconds=int(lower))).date().isoformat()
    last = (_EPOCH + timedelta(seconds=int(upper) - 1)).date().isoformat()
    if not "1000" <= first[:4] <= "2999":  # the years FtM's dates (prefixdate) take
        return None
    for length in (10, 7, 4):
        if first[:length] == last[:length]:
            return first[:length]
    return None


# -- reading ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FtmReport:
    """What :func:`read_ftm` took from FtM entities, and what it left.

    ``created`` are the people added; ``ids`` maps each FtM id to the ledger id
    it was given (the same id when the ledger accepts it); ``merged`` counts
    fragments of one entity (the same id on several lines) joined into one;
    ``duplicates`` lists FtM ids whose ledger id was already taken, so they were
    not added; ``skipped`` counts the entities of other schemata, by schema.
    """

    path: str
    ledger: Ledger = attrs.field(eq=False, repr=False)
    read: int = 0
    created: tuple[Person, ...] = ()
    ids: Mapping[str, str] = attrs.field(factory=dict)
    merged: int = 0
    duplicates: tuple[str, ...] = ()
    skipped: Mapping[str, int] = attrs.field(factory=dict)

    def __str__(self) -> str:
        lines = [f"{self.path}: ftm, {self.read} entities read, "
                 f"{len(self.created)} people added"]
        if self.merged:
            lines.append(f"  {self.merged} fragments merged into entities read before")
        lines.extend(f"  already in the ledger, not added: {i}" for i in self.duplicates)
        lines.extend(f"  skipped {n} {schema}" for schema, n in sorted(self.skipped.items()))
        return "\n".join(lines)


def read_ftm(source: str | os.PathLike[str] | Iterable[Mapping[str, Any]],
             ledger: Ledger | None = None) -> FtmReport:
    """Add the ``Person`` entities of an FtM JSON Lines file (or of an iterable of
    entity dicts) to ``ledger`` (a new one by default), with their aliases.

    A person's first ``name`` is its name; its other names, ``alias`` and
    ``weakAlias`` are its aliases; ``description`` and ``notes`` are kept. An FtM
    id the ledger accepts stays the person's id; another gets an id made from
    the name (see :attr:`FtmReport.ids`). Entities of other schemata are skipped
    and counted. A file that is not FtM JSON Lines raises
    :class:`~whereabouts.io.LedgerFileError` with every bad line, and adds nothing.
    """
    target = Ledger() if ledger is None else ledger
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        records = list(_lines(path))
    else:
        path = "<entities>"
        records = list(enumerate(source, start=1))
    problems: list[Problem] = []
    people: dict[str, tuple[int, dict[str, list[str]]]] = {}  # id -> first line, properties
    skipped: dict[str, int] = {}
    merged = 0
    for line, record in records:
        if isinstance(record, Problem):
            problems.append(record)
            continue
        schema, eid, props, problem = _entity(record, line)
        if problem is not None:
            problems.append(problem)
        elif schema != "Person":
            skipped[schema] = skipped.get(schema, 0) + 1
        elif eid in people:  # a fragment of an entity read before: FtM merges them
            merged += 1
            for key, values in props.items():
                people[eid][1].setdefault(key, []).extend(_texts(values))
        else:
            people[eid] = (line, {key: _texts(values) for key, values in props.items()})
    for eid, (line, props) in people.items():
        names = _names(props)
        if not props.get("name"):
            problems.append(Problem(line=line, field=f"{eid}: name",
                                    message="a Person needs a name (FtM requires one)"))
            continue
        try:
            Person("check", names[0] if names else "", aliases=names[1:])
        except WhereaboutsError as err:
            problems.append(Problem.of(err, line=line, field=f"{eid}: name"))
    if problems:
        raise LedgerFileError(path, sorted(problems, key=lambda p: p.line or 0))
    return _add_people(target, path, len(records), people, merged, skipped)


def _lines(path: str) -> Iterator[tuple[int, Any]]:
    try:
        with open(path, encoding="utf-8") as handle:
            for number, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    yield number, json.loads(text)
                except json.JSONDecodeError as err:
                    yield number, Problem(line=number, message=f"not JSON: {err.msg}")
    except UnicodeDecodeError as err:
        raise LedgerFileError(path, [Problem(message=f"not UTF-8 text: {err.reason}")]) from None


def _entity(record: Any, line: int) -> tuple[str, str, dict[str, Any], Problem | None]:
    """The schema, id and properties of one FtM entity, or the problem with it."""
    if not isinstance(record, Mapping):
        return "", "", {}, Problem(line=line, message="not an FtM entity: expected a JSON "
                                   f"object, got {type(record).__name__}")
    schema, eid, props = record.get("schema"), record.get("id"), record.get("properties", {})
    if not isinstance(schema, str) or not schema:
        return "", "", {}, Problem(line=line, field="schema",
                                   message="not an FtM entity: no schema")
    if not isinstance(eid, str) or not eid:
        return "", "", {}, Problem(line=line, field="id", message="not an FtM entity: no id")
    if not isinstance(props, Mapping) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in props.values()):
        return "", "", {}, Problem(line=line, field="properties", message=(
            f"{eid!r}: properties must map each name to a list of strings"))
    return schema, eid, dict(props), None


def _texts(values: Any) -> list[str]:
    return [v.strip() for v in values or () if isinstance(v, str) and v.strip()]


def _names(props: Mapping[str, list[str]]) -> list[str]:
    """The name first, then every other name, alias and weak alias, once each."""
    return list(dict.fromkeys([*props.get("name", []), *props.get("alias", []),
                               *props.get("weakAlias", [])]))


def _add_people(target: Ledger, path: str, read: int,
                people: dict[str, tuple[int, dict[str, list[str]]]], merged: int,
                skipped: dict[str, int]) -> FtmReport:
    taken = {e.id for e in target.entities} | {e.id for e in target.entries}
    created: list[Person] = []
    ids: dict[str, str] = {}
    duplicates: list[str] = []
    for eid, (_, props) in people.items():
        names = _names(props)
        wanted = eid if _LEDGER_ID.match(eid) else None
        if wanted is not None and wanted in taken:
            duplicates.append(eid)
            continue
        person = target.add_person(
            names[0], id=wanted, aliases=names[1:],
            description="; ".join(dict.fromkeys(props.get("description", []))),
            note="; ".join(dict.fromkeys(props.get("notes", []))))
        taken.add(person.id)
        created.append(person)
        ids[eid] = person.id
    return FtmReport(path=path, ledger=target, read=read, created=tuple(created), ids=ids,
                     merged=merged, duplicates=tuple(duplicates), skipped=skipped)
