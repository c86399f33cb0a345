"""Appending a :class:`~whereabouts.batch.Batch`: checked as columns, stored as columns.

Each distinct value of a table is checked once, with the rules
:class:`~whereabouts.observations.Observation` applies to one value; the rules
that tie a row's values together (a kind that needs a place, a date after the
report, ids, ``after`` links) are checked on the code columns with numpy.
Nothing is stored until every row has passed, and a refused batch raises the
error of its first bad row, naming the row (counted from 0) and the field, as
appending the rows one by one would have.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from itertools import chain, compress, count, islice
from typing import Any, cast

from whereabouts._ids import GivenIds, Split
from whereabouts._stays import StayBounds, is_span_set, stay_bounds
from whereabouts._store import KIND_CODE, KINDS, Store
from whereabouts._timeline import Timeline
from whereabouts._whens import Dates
from whereabouts.batch import Batch
from whereabouts.entities import Entity, _check_id, check_encodable
from whereabouts.errors import (
    DuplicateId,
    InvalidObservation,
    InvalidOrder,
    UnknownEntity,
    UnknownObservation,
    WhereaboutsError,
)
from whereabouts.observations import Family, Kind
from whereabouts.places import Alternatives, Place
from whereabouts.sources import Grading, Source
from whereabouts.when import When

__all__ = ["Plan", "append", "check"]

_DEFAULT = re.compile(r"o([1-9][0-9]*)")


def _np() -> Any:
    import numpy

    return numpy


class Plan:
    """A checked batch: store codes per column, and the sparse parts by batch row."""

    __slots__ = ("after", "columns", "ids", "more_subjects", "notes", "stays")

    def __init__(self, columns: dict[str, Any], more_subjects: dict[int, tuple[int, ...]],
                 ids: Mapping[int, str], after: dict[int, tuple[int, ...]],
                 notes: dict[int, str], stays: dict[int, StayBounds] | None = None) -> None:
        self.columns = columns
        """kind, subject, place, when, reported, source, grading: numpy arrays of codes."""
        self.more_subjects = more_subjects
        self.ids = ids
        """Ids other than the row's default."""
        self.after = after
        """``after`` links as store rows."""
        self.notes = notes
        self.stays = {} if stays is None else stays
        """The rows that are stays, and when each began and ended (see ``_stays``)."""


class _Refusal:
    """The first bad row found so far, and its error."""

    def __init__(self) -> None:
        self.first: tuple[int, int] | None = None
        self.error: WhereaboutsError | None = None

    def note(self, row: int, error: WhereaboutsError, rank: int) -> None:
        """A problem of ``row``; ``rank`` orders the problems of one row."""
        if self.first is None or (row, rank) < self.first:
            self.first, self.error = (row, rank), error

    def raise_first(self) -> None:
        if self.error is not None and self.first is not None:
            row = self.first[0]
            error = self.error
            error.field = f"row {row}" if error.field is None else f"row {row}, {error.field}"
            raise error


def _first_row(mask: Any) -> int | None:
    found = _np().flatnonzero(mask)
    return int(found[0]) if len(found) else None


def _codes(batch: Batch, name: str, table: Sequence[object], *, optional: bool = False) -> Any:
    """A code column as a numpy array, every code a position in its table."""
    np = _np()
    column = getattr(batch, name)
    codes = np.asarray(column, dtype=np.int64) if len(column) else np.zeros(len(batch), np.int64)
    if len(codes) and (codes.min() < 0 or codes.max() >= max(len(table), 1)):
        bad = int(np.flatnonzero((codes < 0) | (codes >= len(table)))[0])
        raise InvalidObservation(f"code {int(codes[bad])} is outside its table "
                                 f"of {len(table)} values", field=f"row {bad}, {name}")
    if not len(table) and not optional:
        raise InvalidObservation("the table is empty", field=f"{name}_table")
    return codes


def _table(values: Sequence[Any], check: Callable[[Any], Any], placeholder: Any,
           ) -> tuple[list[Any], dict[int, WhereaboutsError]]:
    """Each distinct value checked once: the checked values (a placeholder where a
    value was refused) and the errors by position."""
    checked: list[Any] = []
    errors: dict[int, WhereaboutsError] = {}
    for position, value in enumerate(values):
        try:
            checked.append(check(value))
        except WhereaboutsError as err:
            errors[position] = err
            checked.append(placeholder)
    return checked, errors


# The order appending a row one by one finds its problems in (Ledger.observe, then
# the Observation's own checks, then the ledger's): within a row, the first wins.
_RANK = {name: rank for rank, name in enumerate((
    "subjects", "kinds", "sources", "cycle", "after", "duplicate", "places", "whens",
    "reported", "gradings", "id", "throughout", "place", "when", "stay", "order"))}


def check(batch: Batch, store: Store, timeline: Timeline,
          entities: Mapping[str, Entity]) -> Plan:
    """Check ``batch`` against the store; return what to store, or raise for the first bad row."""
    dates = len(store.whens)
    try:
        return _check(batch, store, timeline, entities)
    except BaseException:
        # The batch's dates were added to the store's table to check them: a refused
        # batch leaves none behind (a table of a million date-times is 11 MB).
        store.whens.truncate(dates)
        store.memo.pop("shifts", None)  # it may have read the dates forgotten
        raise


def _check(batch: Batch, store: Store, timeline: Timeline,
           entities: Mapping[str, Entity]) -> Plan:
    np = _np()
    if not isinstance(batch, Batch):
        raise InvalidObservation("expected a Batch", field="batch", value=batch)
    refusal = _Refusal()

    def coded(name: str, values: Sequence[Any], check: Callable[[Any], Any], placeholder: Any,
              code: Callable[[Any], int], *, optional: bool = False) -> tuple[Any, Any]:
        checked, errors = _table(values, check, placeholder)
        codes = _codes(batch, name, checked, optional=optional)
        for position, error in errors.items():
            rows = np.flatnonzero(codes == position)
            if len(rows):
                refusal.note(int(rows[0]), error, _RANK[name])
        # Interned now, before every row has passed: a refused batch leaves some
        # values in the store's tables that no row uses, which costs nothing.
        store_codes = np.array([code(v) for v in checked] or [0], dtype=np.int32)
        return store_codes[codes], codes

    def dated(name: str, table: Sequence[Any], check: Callable[[Any], Any]) -> Any:
        if not isinstance(table, Dates):
            return coded(name, table, check, None, store.whens.code)[0]
        # A table of dates already read (parse_many): its entries are Whens or None, and
        # only those kept as objects can be unbounded. Copied as numbers, not one by one.
        codes = _codes(batch, name, table)
        for position, value in table.object_codes():
            try:
                check(value)
            except WhereaboutsError as error:
                rows = np.flatnonzero(codes == position)
                if len(rows):
                    refusal.note(int(rows[0]), error, _RANK[name])
        first = copied.get(id(table))
        if first is None:
            first = copied[id(table)] = store.whens.extend(table)
        return (codes + first).astype(np.int32)

    copied: dict[int, int] = {}  # a table given for both dates is copied once
    kinds, _ = coded("kinds", batch.kind_table, Kind.coerce, Kind.SEEN_AT, KIND_CODE.__getitem__)
    columns = {
        "kind": kinds.astype(np.int8),
        "place": coded("places", batch.place_table, _place, None, store.places.code)[0],
        "when": dated("whens", batch.when_table, _when),
        "reported": dated("reported", batch.reported_table, _reported),
        "source": coded("sources", batch.source_table, _source, None, _source_code(store))[0],
        "grading": (coded("gradings", batch.grading_table, Grading.parse, Grading(),
                          store.gradings.code)[0].astype(np.int8) if batch.gradings
                    else np.zeros(len(batch), dtype=np.int8)),
    }
    subject_table, subject_errors = _subject_table(batch.subject_table, store, entities)
    subject_codes = _codes(batch, "subjects", subject_table)
    for position, error in subject_errors.items():
        rows = np.flatnonzero(subject_codes == position)
        if len(rows):
            refusal.note(int(rows[0]), error, _RANK["subjects"])
    columns["subject"] = np.array([s[0] for s in subject_table] or [0], dtype=np.int32)[
        subject_codes]
    _check_places(columns, batch, refusal)
    _check_dates(columns, store, refusal)
    stays = _stays(columns, batch, store, refusal)
    ids = _ids(batch, store, entities, refusal)
    after = _links(batch, store, ids, refusal)
    _check_order(columns, after, stays, batch, store, timeline, refusal)
    refusal.raise_first()
    notes = {row: note for row, note in batch.notes.items() if note}
    for row, note in notes.items():
        if not isinstance(row, int) or not 0 <= row < len(batch) or not isinstance(note, str):
            raise InvalidObservation(f"expected text for a row of {len(batch)}",
                                     field=f"notes[{row!r}]", value=note)
        check_encodable(note, f"notes[{row}]")
    several = [n for n, s in enumerate(subject_table) if len(s) > 1]
    more: dict[int, tuple[int, ...]] = {}
    if several:
        for row in np.flatnonzero(np.isin(subject_codes, several)).tolist():
            more[row] = subject_table[int(subject_codes[row])]
    return Plan(columns, more, ids, after, notes, stays)


def _source_code(store: Store) -> Callable[[Any], int]:
    def code(source: Source | None) -> int:
        return 0 if source is None else store.sources.code(source)

    return code


def _place(value: object) -> object:
    if value is not None and not isinstance(value, Place | Alternatives):
        raise InvalidObservation("expected a Place or Alternatives", field="place", value=value)
    return value


def _when(value: object) -> When | None:
    return None if value is None else When.coerce(value, field="when")


def _reported(value: object) -> When | None:
    if value is None:
        return None  # not known
    when = When.coerce(value, field="reported")
    if math.isinf(when.upper):
        raise InvalidObservation("the report date must have an end", field="reported",
                                 value=str(when))
    return when


def _source(value: object) -> object:
    if not isinstance(value, Source):
        raise InvalidObservation("expected a Source", field="source", value=value)
    return value


def _subject_table(table: Sequence[Any], store: Store, entities: Mapping[str, Entity],
                   ) -> tuple[list[Any], dict[int, WhereaboutsError]]:
    """The subject table checked (see :func:`_table`): when every value is one known id
    alone (the common case), in a few C-speed passes; else one value at a time."""
    singles = set(map(type, table)) <= {tuple} and set(map(len, table)) <= {1}
    firsts = list(chain.from_iterable(table)) if singles else []
    if singles and set(map(type, firsts)) <= {str} and entities.keys() >= set(firsts):
        return list(zip(map(store.entity_no.__getitem__, firsts))), {}
    return _table(table, lambda s: _subjects(s, store, entities), (0,))


def _subjects(value: object, store: Store, entities: Mapping[str, Entity]) -> tuple[int, ...]:
    if not isinstance(value, tuple) or not value:
        raise InvalidObservation("expected a tuple of one or more entity ids", field="subjects",
                                 value=value)
    if len(set(value)) != len(value):
        raise InvalidObservation("a subject is named twice", field="subjects", value=value)
    for subject in value:
        if not isinstance(subject, str) or subject not in entities:
            raise UnknownEntity("no person or group has this id", field="subjects",
                                value=subject)
    return tuple(store.entity_no[s] for s in value)


def _check_places(columns: dict[str, Any], batch: Batch, refusal: _Refusal) -> None:
    np = _np()
    kind_codes = columns["kind"]
    needs = np.array([k.needs_place for k in KINDS])[kind_codes]
    allows = np.array([k.allows_place for k in KINDS])[kind_codes]
    has_place = columns["place"] != 0
    row = _first_row(needs & ~has_place)
    if row is not None:
        kind = KINDS[int(kind_codes[row])]
        refusal.note(row, InvalidObservation(f"{kind.value!r} needs a place", field="place"),
                     _RANK["place"])
    row = _first_row(~allows & has_place)
    if row is not None:
        kind = KINDS[int(kind_codes[row])]
        place = batch.place_table[batch.places[row]]
        refusal.note(row, InvalidObservation(f"{kind.value!r} takes no place", field="place",
                                             value=None if place is None else place.name),
                     _RANK["place"])


def _check_dates(columns: dict[str, Any], store: Store, refusal: _Refusal) -> None:
    from whereabouts._arrays import bounds_of

    values = store.whens.values
    when, reported = columns["when"], columns["reported"]
    row = _first_row(bounds_of(store, when)[0] >= bounds_of(store, reported)[1])
    if row is not None:
        refusal.note(row, InvalidObservation(
            f"it cannot have happened after it was reported ({values[reported[row]]})",
            field="when", value=str(values[when[row]]),
        ), _RANK["when"])


def _stays(columns: dict[str, Any], batch: Batch, store: Store,
           refusal: _Refusal) -> dict[int, StayBounds]:
    """The rows that are stays (as ``throughout`` says, else by default), each checked as
    :class:`~whereabouts.observations.Observation` checks one, with its bounds."""
    np = _np()
    values = store.whens.values
    kinds, when, reported = columns["kind"], columns["when"], columns["reported"]
    spans = [code for code, value in store.whens.object_codes()  # sets are kept as objects
             if value.text[0] == "{" and is_span_set(value)]
    rows: set[int] = set()
    if spans:
        presence = np.array([k.family is Family.PRESENCE for k in KINDS])[kinds]
        rows.update(np.flatnonzero(presence & np.isin(when, spans)).tolist())
    for row, value in batch.throughout.items():
        if not isinstance(row, int) or not 0 <= row < len(batch):
            raise InvalidObservation(f"expected True or False for a row of {len(batch)}",
                                     field=f"throughout[{row!r}]", value=value)
        if not isinstance(value, bool):
            refusal.note(row, InvalidObservation("expected True or False", field="throughout",
                                                 value=value), _RANK["throughout"])
        elif value:
            rows.add(row)
        else:
            rows.discard(row)
    found: dict[int, StayBounds] = {}
    bounds: dict[tuple[int, int], StayBounds | WhereaboutsError] = {}
    for row in sorted(rows):
        kind = KINDS[int(kinds[row])]
        if kind.family is not Family.PRESENCE:
            refusal.note(row, InvalidObservation(
                f"only a presence can hold throughout a span, not {kind.value!r}",
                field="throughout", value=True), _RANK["stay"])
            continue
        key = (int(when[row]), int(reported[row]))
        if values[key[0]] is None:
            refusal.note(row, InvalidObservation("a stay needs the span it held over",
                                                 field="when"), _RANK["stay"])
            continue
        known = bounds.get(key)
        if known is None:
            try:
                known = stay_bounds(cast(When, values[key[0]]), values[key[1]])
            except WhereaboutsError as err:
                known = err
            bounds[key] = known
        if isinstance(known, WhereaboutsError):
            refusal.note(row, known, _RANK["stay"])
        else:
            found[row] = known
    return found


def _ids(batch: Batch, store: Store, entities: Mapping[str, Entity],
         refusal: _Refusal) -> Mapping[int, str]:
    """Each row's id where it is not its default ``o{row + 1}``, as appending the rows
    one by one would give them: a default taken by then moves on to the next free
    number, and an id given twice is refused on its second row."""
    start = len(store)
    given = batch.ids
    free = store.memo.pop("free ids", None)  # what planning this batch found (stored_ids)
    # Default-looking ids held by entities or by stored rows as their own: only
    # those can collide with a new row's default.
    taken: set[int] | None = None
    if given is None or _all_defaults(given, start):
        taken = _entity_numbers(entities, store) | set(store.ids.default_numbers())
        if max(taken, default=0) <= start:
            return {}  # the common case, checked at C speed
    if given is not None:  # every row given an id: taken numbers only matter as equal ids
        found = _all_new(given, store, entities, start, free)
        if found is not None:
            return found
    if taken is None:
        taken = _entity_numbers(entities, store) | set(store.ids.default_numbers())
    assigned: dict[int, str] = {}
    seen: set[str] = set()
    for row in range(len(batch)):
        oid = None if given is None else given[row]
        default = f"o{start + row + 1}"
        if oid is None:
            number = start + row + 1
            while number in taken:
                number += 1
            oid = f"o{number}"
            taken.add(number)
        elif oid == default:
            if start + row + 1 in taken:
                refusal.note(row, DuplicateId("id already in the ledger", field="id", value=oid),
                             _RANK["duplicate"])
                continue
            taken.add(start + row + 1)
        else:
            try:
                _check_id(None, None, oid)
            except WhereaboutsError as err:
                refusal.note(row, err, _RANK["id"])
                continue
            m = _DEFAULT.fullmatch(oid)
            if oid in seen or oid in entities or store.row_of(oid) is not None or (
                    m is not None and int(m.group(1)) in taken):
                refusal.note(row, DuplicateId("id already in the ledger", field="id", value=oid),
                             _RANK["duplicate"])
                continue
            seen.add(oid)
            if m is not None:
                taken.add(int(m.group(1)))
        if oid != default:
            assigned[row] = oid
    return assigned


def _entity_numbers(entities: Mapping[str, Entity], store: Store) -> set[int]:
    """The numbers ``n`` of the entities' ids ``o{n}``, kept in the store's memo and read
    for the entities added since (a ledger only ever adds entities)."""
    known = store.memo.get("default entity ids")
    seen, numbers = (0, set()) if known is None or known[0] > len(entities) else known
    if seen < len(entities):
        added = "\n".join(islice(entities, seen, None))
        numbers = numbers | set(map(int, _DEFAULT_LINES.findall(added)))
        store.memo["default entity ids"] = (len(entities), numbers)
    return cast(set[int], numbers)


_IDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}(?:\n[A-Za-z0-9][A-Za-z0-9._:-]{0,127})*")
_POWERS = [10**k for k in range(19)]
_DEFAULT_LINES = re.compile(r"^o([1-9][0-9]*)$", re.MULTILINE)


def _all_new(given: Sequence[str | None], store: Store, entities: Mapping[str, Entity],
             start: int, free: tuple[int, set[str]] | None) -> Mapping[int, str] | None:
    """Every row's id where each row has one, all well formed, distinct and new:
    checked in a few C-speed passes (a file with its own ids, or rows left out of
    one). None when some row needs the one-by-one rules, to find which and why.
    ``free``: the ids planning found free (see :func:`stored_ids`)."""
    if None in given:
        return None
    ids = cast(Sequence[str], given)
    text = "\n".join(ids)
    if _IDS.fullmatch(text) is None:
        return None
    unique = set(ids)
    # entities.keys().isdisjoint walks the smaller side; unique.isdisjoint(entities) would
    # walk every entity at every part of a file.
    if len(unique) != len(ids) or not entities.keys().isdisjoint(unique):
        return None
    # Split once, for the check and for the append (each split a million ids in ~0.3 s).
    split = store.ids.split(list(ids))
    if stored_ids(store, unique, free=free, split=split):
        return None
    return GivenIds(split, ~_is_default(split, store, start))


def _default_shaped(split: Split, store: Store) -> Any:
    """Which split ids read ``o{n}`` (no leading zero), as a default id does."""
    np = _np()
    code = store.ids.prefix_code("o")
    if code is None:
        return np.zeros(len(split.texts), dtype=bool)
    return (split.prefix == code) & (split.number >= 1) & (
        split.number >= np.array(_POWERS)[np.maximum(split.width.astype(np.int64), 1) - 1])


def _defaults_taken(split: Split, store: Store) -> set[str]:
    """Those of the split ids that are a stored row's default ``o{row + 1}``, still its
    own (the row was given no id of its own)."""
    np = _np()
    shaped = np.flatnonzero(_default_shaped(split, store) & (split.number <= len(store)))
    if not len(shaped):
        return set()
    # Looked for in sorted order: numpy's search then walks the rows given an id forwards.
    rows, back = np.unique(split.number[shaped] - 1, return_inverse=True)
    free = ~store.ids.have(rows)[back.reshape(-1)]
    return {split.texts[at] for at in shaped[free].tolist()}


def _is_default(split: Split, store: Store, start: int) -> Any:
    """Which split ids (one a row of a batch appended at ``start``) are their own row's
    default ``o{row + 1}``."""
    np = _np()
    defaults = np.arange(start + 1, start + 1 + len(split.texts), dtype=np.int64)
    digits = np.searchsorted(_POWERS, defaults, side="right")  # 1 for 1 to 9, 2 for 10...
    return _default_shaped(split, store) & (split.number == defaults) & (
        split.width.astype(np.int64) == digits)


def stored_ids(store: Store, oids: set[str], *, keep: bool = False,
               free: tuple[int, set[str]] | None = None, split: Split | None = None,
               ) -> set[str]:
    """Those of ``oids`` that are a stored row's id: its own, or its default ``o{row + 1}``
    while it has no id of its own. The ids are split once (:meth:`Ids.split
    <whereabouts._ids.Ids.split>`) for both questions; ``split``: they are split already
    (in any order, each at least once).

    With ``keep``, the ids found free are kept in the store's memo as ``free ids``,
    for the next batch's check to take (and drop) as ``free``: an import plans a part
    of a file (checking its ids against the ledger), then appends it (checking them
    again, as :meth:`Ledger.extend` must), and the second check is a subset test if
    the store has not grown since.
    """
    if free is not None and free[0] == len(store) and oids <= free[1]:
        return set()
    if split is None:
        split = store.ids.split(list(oids))
    taken = store.ids.held_split(split) | _defaults_taken(split, store)
    if keep:
        store.memo["free ids"] = (len(store), oids - taken)
    return taken


def _all_defaults(given: Sequence[str | None], start: int) -> bool:
    """Whether every row's given id is its default ``o{row + 1}`` (compared as one
    joined text: a few C-speed passes instead of a string built per row)."""
    if not given:
        return True
    if given[0] != f"o{start + 1}":  # the usual answer, without joining a million ids
        return False
    try:
        joined = ",".join(given)  # type: ignore[arg-type]  # a None raises TypeError
    except TypeError:
        return False
    return joined == "o" + ",o".join(map(str, range(start + 1, start + 1 + len(given))))


def _rows_named(batch: Batch, ids: Mapping[int, str], start: int) -> dict[str, int]:
    """The store row of each row of ``batch`` whose id (one of ``ids``) an ``after`` cell
    names: a map of those only, found in C-speed passes (a million rows, a few thousand
    links: a map of every id took a quarter of a second)."""
    wanted = {oid for targets in batch.after.values() if isinstance(targets, tuple | list)
              for oid in targets if isinstance(oid, str)}
    if isinstance(ids, GivenIds):  # every row's id, in row order: no step per row in Python
        texts = ids.split.texts
        found = compress(count(), map(wanted.__contains__, texts))
        return {texts[row]: start + row for row in found if row in ids}
    rows = compress(ids.keys(), map(wanted.__contains__, ids.values()))
    return {ids[row]: start + row for row in rows}


def _links(batch: Batch, store: Store, ids: Mapping[int, str],
           refusal: _Refusal) -> dict[int, tuple[int, ...]]:
    """``after`` ids as rows of the store (new rows numbered after the stored ones)."""
    if not batch.after:
        return {}
    start = len(store)
    by_id = _rows_named(batch, ids, start)
    found: dict[int, tuple[int, ...]] = {}
    for row in sorted(batch.after):
        targets = batch.after[row]
        if isinstance(targets, str) or not isinstance(targets, tuple | list):
            refusal.note(row, InvalidObservation("expected observation ids", field="after",
                                                 value=targets), _RANK["after"])
            continue
        given = None if batch.ids is None else batch.ids[row]
        if given is not None and given in targets:
            refusal.note(row, InvalidOrder("an observation cannot come after itself (a cycle)",
                                           field="after", value=given), _RANK["cycle"])
            continue
        rows = []
        for oid in targets:
            target = by_id.get(oid) if isinstance(oid, str) else None
            if target is None and isinstance(oid, str):
                target = store.row_of(oid)
                if target is None:
                    match = _DEFAULT.fullmatch(oid)
                    number = int(match.group(1)) - 1 if match else -1
                    if start <= number < start + row and number - start not in ids:
                        target = number
                elif not store.is_observation(target):
                    target = None
            if target is None or target >= start + row:
                refusal.note(row, UnknownObservation("no such observation in the ledger",
                                                     field="after", value=oid), _RANK["after"])
                break
            rows.append(target)
        else:
            found[start + row] = tuple(rows)
    return found


def _check_order(columns: dict[str, Any], after: dict[int, tuple[int, ...]],
                 stays: dict[int, StayBounds], batch: Batch, store: Store, timeline: Timeline,
                 refusal: _Refusal) -> None:
    """Links that put a row later than its own dates allow, checked as ``append`` does:
    a start narrows in one step from the (narrowed) starts of the rows it follows."""
    if not after:
        return
    values = store.whens.values
    start = len(store)
    when, reported = columns["when"], columns["reported"]
    narrowed: dict[int, float] = {}

    def window(row: int) -> tuple[float, float]:
        stay = stays.get(row - start)
        if stay is not None:
            return stay[0], stay[3]
        own, report = values[int(when[row - start])], values[int(reported[row - start])]
        end = math.inf if report is None else report.upper
        if own is None:
            return -math.inf, end
        return own.lower, min(own.upper, end)

    def lower_of(row: int) -> float:
        if row < start:
            return timeline.lower[row]
        return narrowed.get(row, window(row)[0])

    for row, targets in sorted(after.items()):
        own_lower, own_upper = window(row)
        lower = max([own_lower, *(lower_of(t) for t in targets)])
        if lower >= own_upper:
            refusal.note(row - start, InvalidOrder(
                "its 'after' links put it later than its own dates allow",
                field="after", value=list(batch.after[row - start])), _RANK["order"])
        narrowed[row] = lower


def append(plan: Plan, store: Store, timeline: Timeline) -> range:
    """Store a checked plan; return the rows it took."""
    start = len(store)
    store.extend_columns(plan.columns, plan.more_subjects, plan.ids, plan.notes, plan.after,
                         plan.stays)
    timeline.extend(start)
    return range(start, len(store))
