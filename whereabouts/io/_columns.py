"""Observations given as columns of cells, checked a distinct value at a time.

What :func:`~whereabouts.io.read_csv` and :func:`~whereabouts.io.read_frame`
share. :func:`plan` takes one sequence of cells (strings) per column of
:data:`COLUMNS`, the line each row came from and the target ledger, and
returns a :class:`Plan`: the valid rows as a :class:`~whereabouts.batch.Batch`
of codes, the people to create before appending them, and a
:class:`~whereabouts.io.Problem` for every bad cell.

Each distinct value of a column is checked once, with the rules and in the
words of :meth:`Ledger.observe <whereabouts.Ledger.observe>`, then the column
becomes codes by one dictionary lookup per row. The rules that tie a row to
the rows before it (ids already taken, ``after`` links, names of people
created on an earlier row, ``o1``, ``o2``... ids) are followed in file order,
only for the rows that have such ties; the result is the same as observing
the rows one by one. :func:`load` then creates the people and appends the
batch with one :meth:`Ledger.extend <whereabouts.Ledger.extend>`.

The work is split by job, each module using only those listed before it:

* :mod:`~whereabouts.io._cells`: the columns of a sheet, and what one cell says;
* :mod:`~whereabouts.io._exact`: the ``exact`` column's JSON values;
* :mod:`~whereabouts.io._checks`: a column at a time, each distinct value once;
* :mod:`~whereabouts.io._together`: values each fine that do not go together;
* :mod:`~whereabouts.io._replay`: the rows tied to earlier rows, in file order;
* :mod:`~whereabouts.io._plan`: the passes, and the batch they build (:func:`plan`, :func:`load`);
* :mod:`~whereabouts.io._prepared`: grades as one code, exact values, the kinds of entry;
* :mod:`~whereabouts.io._steps`: corrections, retractions and denials between runs of rows;
* this module: :func:`import_columns`, the whole import, all or nothing.

>>> from whereabouts import Ledger
>>> ledger = Ledger()
>>> amal = ledger.add_person("Amal Haddad")
>>> cells = {
...     "id": ["", "", "gone"], "subjects": ["Nour Khalil", "nour khalil; Amal Haddad", "Amal"],
...     "kind": ["whereabouts unknown", "died", "whereabouts unknown"],
...     "place": ["", "", ""], "when": ["2024-12", "2024-12-30", "2025-02"],
...     "source": ["a wire", "a wire", "a wire"], "reported": ["2024-12-09", "2025-01", "2025-01"],
...     "reliability": ["B", "", ""], "credibility": ["2", "", ""],
...     "note": ["", "", ""], "after": ["", "o1", ""],
... }
>>> result = plan(cells, [2, 3, 4], ledger)
>>> len(result.batch), [person.id for person in result.people]
(2, ['nour-khalil'])
>>> for problem in result.problems:
...     print(problem)
4:5: when: '2025-02': it cannot have happened after it was reported (2025-01)
>>> added, created = load(ledger, result)
>>> [o.id for o in added], created
(['o1', 'o2'], (Person('nour-khalil', 'Nour Khalil'),))
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from itertools import chain
from types import TracebackType
from typing import Any, NamedTuple

from whereabouts.batch import Batch
from whereabouts.entities import Person
from whereabouts.errors import WhereaboutsError
from whereabouts.io._checks import Memo
from whereabouts.io._plan import Plan, apply_plan, load, paused_gc, plan
from whereabouts.io._prepared import Prepared
from whereabouts.io._steps import Joined, Steps
from whereabouts.io.errors import LedgerFileError, Problem
from whereabouts.io.report import Appended, Report
from whereabouts.io.sqlite import SqliteLedger
from whereabouts.ledger import Ledger
from whereabouts.observations import Denial, Observation, Retraction

Entry = Observation | Retraction | Denial

__all__ = ["Chunk", "Plan", "Ready", "import_chunks", "import_columns", "load", "paused_gc",
           "plan"]

_log = logging.getLogger("whereabouts.io")


class Chunk(NamedTuple):
    """A part of a sheet, in file order: what :func:`import_chunks` takes a part at a time."""

    cells: Mapping[str, Sequence[str]]
    """One string per row for each column read."""
    lines: Sequence[int]
    """The line each row starts on."""
    problems: Sequence[Problem] = ()
    """Problems already found in this part (rows of the wrong width)."""
    read: int = 0
    """How many rows of the file this part read (blank lines aside)."""


class Ready(NamedTuple):
    """A part of a sheet already read into a batch (see :mod:`whereabouts.io._arrow_csv`),
    for :meth:`Ledger.extend <whereabouts.Ledger.extend>` to check and append whole."""

    batch: Batch
    read: int
    """How many rows of the file the part holds."""
    chunks: Callable[[], Iterator[Chunk]]
    """The part as cells (in parts of a general reader's size), for the general path:
    if the ledger refuses the batch, that path finds and words each problem."""


def import_columns(path: str, format: str, ledger: Ledger, cells: Mapping[str, Sequence[str]],
                   lines: Sequence[int], *, numbers: Mapping[str, int],
                   problems: Sequence[Problem] = (), read: int, keep_valid: bool,
                   notices: Sequence[str] = (), fresh: bool = False) -> Report:
    """Check columns of cells (:func:`plan`) and, unless a row is wrong, import them (:func:`load`).

    ``problems`` are those already found (rows of the wrong width); ``path``
    names the source in the :class:`~whereabouts.io.LedgerFileError` raised
    when a row is wrong and ``keep_valid`` is false, and in the report, with
    ``notices`` (what was read in a way worth saying: a delimiter, a column
    ignored). ``fresh`` says that ``ledger`` is new and thrown away if the
    import fails, so that it may be written to before every row is checked.

    Rows that are corrections, retractions or denials (the ``entry`` column)
    split the others into runs: each run is planned and appended as one
    batch, and each such row on its own between them, in file order, on a
    copy of the ledger first (all or nothing), then on the ledger.
    """
    return import_chunks(path, format, ledger, [Chunk(cells, lines, problems, read)],
                         numbers=numbers, keep_valid=keep_valid, notices=notices, fresh=fresh)


def import_chunks(path: str, format: str, ledger: Ledger, chunks: Iterable[Chunk | Ready], *,
                  numbers: Mapping[str, int], keep_valid: bool, notices: Sequence[str] = (),
                  fresh: bool = False) -> Report:
    """Import a sheet given in parts (:class:`Chunk`), as :func:`import_columns` imports it
    whole: the same ledger, the same problems, all or nothing unless ``keep_valid``.

    One part is checked whole before anything is written. Of several, each is
    checked and its valid rows appended before the next is read, as appending the
    rows one by one would (the next part's ties to earlier rows are then ties to
    the ledger), so that the cells of one part only are held at a time; if a row
    of any part is wrong and ``keep_valid`` is false, the ledger is then put back
    as it was (a :class:`~whereabouts.io.SqliteLedger` rolls its transaction
    back; a ledger in memory is rebuilt from what it held before the first part
    was appended, unless it is ``fresh``).

    A part given as a :class:`Ready` batch is appended by :meth:`Ledger.extend
    <whereabouts.Ledger.extend>` (which checks it whole); if the ledger refuses it,
    its cells are checked as any other part's, to say what is wrong and where.
    """
    parts = iter(chunks)
    with paused_gc():
        first = next(parts, None)
        if first is None:
            first = Chunk(dict.fromkeys(numbers, ()), ())
        second = next(parts, None)
        if second is None and not isinstance(first, Ready):  # a batch refused may be parts
            report = _import_one(path, format, ledger, first, numbers=numbers,
                                 keep_valid=keep_valid, notices=notices, fresh=fresh)
        else:
            parts = chain([first] if second is None else [first, second], parts)
            del first, second
            with _Undo(ledger, fresh) as undo, ledger._one_load():
                report = _import_parts(path, format, ledger, parts, numbers=numbers,
                                       keep_valid=keep_valid, notices=notices, undo=undo)
    for notice in notices:
        _log.info("%s: %s", path, notice)
    return report


def _import_one(path: str, format: str, ledger: Ledger, chunk: Chunk, *,
                numbers: Mapping[str, int], keep_valid: bool, notices: Sequence[str],
                fresh: bool) -> Report:
    """A sheet in one part: checked whole, then appended (all or nothing)."""
    prepared = Prepared(chunk.cells, chunk.lines, numbers)
    found = [*chunk.problems, *prepared.problems]
    if not prepared.special:
        planned = plan(prepared.cells, prepared.lines, ledger, numbers=numbers,
                       places=prepared.places, sources=prepared.sources)
        found = _sorted([*found, *planned.problems])
        if found and not keep_valid:
            raise LedgerFileError(path, found)
        added, created = load(ledger, planned)
    else:
        steps = Steps(prepared, numbers, ledger if fresh else _copy(ledger))
        steps.run()
        found = _sorted([*found, *steps.problems])
        if found and not keep_valid:
            raise LedgerFileError(path, found)
        if not fresh:
            steps.apply(ledger)
        added, created = Appended(steps.added()), tuple(steps.created)
    return Report(path=path, format=format, ledger=ledger, problems=tuple(found),
                  read=chunk.read, added=added, created=created, notices=tuple(notices))


def _import_parts(path: str, format: str, ledger: Ledger, parts: Iterable[Chunk | Ready], *,
                  numbers: Mapping[str, int], keep_valid: bool, notices: Sequence[str],
                  undo: _Undo) -> Report:
    """A sheet in several parts, each appended once checked; put back if one is wrong."""
    found: list[Problem] = []
    added: list[Sequence[Entry]] = []
    created: list[Person] = []
    told: dict[str, str] = {}  # narrative label -> the id of its last observation
    memo = Memo()  # what holds for the whole file: places and names found
    ghosts: Mapping[str, Person] = {}  # people created on refused rows, named by none kept
    read = 0
    for part in parts:
        read += part.read
        undo.keep()
        if isinstance(part, Ready):
            appended = None if ghosts else _extended(ledger, part)
            if appended is not None:
                added.append(appended)
                continue
            chunks: Iterable[Chunk] = part.chunks()  # its rows read again, the general way
        else:
            chunks = (part,)
        del part
        for chunk in chunks:
            prepared = Prepared(chunk.cells, chunk.lines, numbers)
            found.extend(chunk.problems)
            found.extend(prepared.problems)
            if not prepared.special:
                planned = plan(prepared.cells, prepared.lines, ledger, numbers=numbers,
                               places=prepared.places, sources=prepared.sources, told=told,
                               memo=memo, ghosts=ghosts)
                found.extend(planned.problems)
                appended, people = apply_plan(ledger, planned)
                added.append(appended)
                created.extend(people)
                told.update({label: appended[position].id
                             for label, position in planned.told.items()})
                ghosts = planned.ghosts
            else:
                steps = Steps(prepared, numbers, ledger, told=told, memo=memo, ghosts=ghosts)
                steps.run()
                found.extend(steps.problems)
                added.append(steps.added())
                created.extend(steps.created)
                told, ghosts = dict(steps.told), steps.ghosts
            del chunk, prepared
    found = _sorted(found)
    if found and not keep_valid:
        raise LedgerFileError(path, found)  # _Undo puts the ledger back
    return Report(path=path, format=format, ledger=ledger, problems=tuple(found), read=read,
                  added=Appended(Joined(added)), created=tuple(created), notices=tuple(notices))


class _Undo:
    """What puts a ledger back as it was if an import in parts fails (see
    :func:`import_chunks`): around it, a :class:`~whereabouts.io.SqliteLedger`'s
    transaction; for a ledger in memory, how many entities, relations, registered
    places and entries it held, noted by :meth:`keep` before the first part is
    appended (nothing for a ``fresh`` ledger). An import only adds to a ledger, so
    what it held is still its first parts of each."""

    def __init__(self, ledger: Ledger, fresh: bool) -> None:
        self._ledger = ledger
        self._fresh = fresh
        self._held: tuple[int, int, int, int] | None = None
        self._transaction: AbstractContextManager[Any] | None = None

    def __enter__(self) -> _Undo:
        if isinstance(self._ledger, SqliteLedger):
            self._transaction = self._ledger.transaction()
            self._transaction.__enter__()
        return self

    def keep(self) -> None:
        """Note what the ledger holds, if not noted yet and it may have to be put back."""
        if self._held is None and not self._fresh and self._transaction is None:
            ledger = self._ledger
            self._held = (len(ledger.entities), len(ledger.relations),
                          len(ledger.registered_places), len(ledger))

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._transaction is not None:
            self._transaction.__exit__(kind, error, trace)  # rolls back on an error
        elif error is not None and self._held is not None:
            _restore(self._ledger, self._held)


def _restore(ledger: Ledger, held: tuple[int, int, int, int]) -> None:
    """Put ``ledger`` (in memory) back to the first ``held`` entities, relations, registered
    places and entries it holds; answers built from it before see that it changed."""
    from whereabouts.io._records import Registered, apply

    entities, relations, registered, entries = held
    kept = [*ledger.entities[:entities], *ledger.relations[:relations],
            *(Registered(place, aliases)
              for place, aliases in ledger.registered_places[:registered]),
            *ledger.entries[:entries]]
    version = ledger._version
    Ledger.__init__(ledger, gazetteer=ledger.gazetteer, min_grade=ledger.min_grade)
    for part in kept:
        apply(ledger, part)
    ledger._version = version + 1


def _extended(ledger: Ledger, ready: Ready) -> Appended | None:
    """The rows of a :class:`Ready` part appended, or None if the ledger refuses them
    (then nothing of them is: see :meth:`Ledger.extend <whereabouts.Ledger.extend>`).
    A :class:`~whereabouts.io.SqliteLedger` is inside the import's transaction."""
    try:
        return Appended(ledger.extend(ready.batch))
    except WhereaboutsError:
        return None


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _copy(ledger: Ledger) -> Ledger:
    """A ledger equal to ``ledger`` (in memory), to try an import on."""
    from whereabouts.io._records import Codec, replay

    return replay(Codec().encode(ledger), Ledger(gazetteer=ledger.gazetteer))
