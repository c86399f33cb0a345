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
from collections.abc import Iterable, Mapping, Sequence

from whereabouts.io._plan import Plan, load, paused_gc, plan
from whereabouts.io._prepared import Prepared
from whereabouts.io._steps import Steps
from whereabouts.io.errors import LedgerFileError, Problem
from whereabouts.io.report import Appended, Report
from whereabouts.ledger import Ledger

__all__ = ["Plan", "import_columns", "load", "paused_gc", "plan"]

_log = logging.getLogger("whereabouts.io")


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
    with paused_gc():
        prepared = Prepared(cells, lines, numbers)
        found = [*problems, *prepared.problems]
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
    for notice in notices:
        _log.info("%s: %s", path, notice)
    return Report(path=path, format=format, ledger=ledger, problems=tuple(found), read=read,
                  added=added, created=created, notices=tuple(notices))


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _copy(ledger: Ledger) -> Ledger:
    """A ledger equal to ``ledger`` (in memory), to try an import on."""
    from whereabouts.io._records import Codec, replay

    return replay(Codec().encode(ledger), Ledger(gazetteer=ledger.gazetteer))
