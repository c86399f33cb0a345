"""The ledger as a pandas DataFrame, one row per observation (``pip install whereabouts[pandas]``),
and observations read from a DataFrame or an Arrow table with the CSV's columns.

pandas is imported only when :func:`to_dataframe` is called; :func:`read_frame`
takes the frame it is given and imports nothing.

>>> from whereabouts.examples import assad_2024
>>> frame = to_dataframe(assad_2024())
>>> frame.shape
(23, 26)
>>> frame.loc["moscow", ["kind", "place", "country", "when", "grading"]].tolist()
['arrived at', 'Moscow', 'RU', '2024-12-08/..', 'C2']
>>> str(frame.loc["moscow", "earliest"]), str(frame.loc["moscow", "latest"])
('2024-12-08 00:00:00+00:00', 'NaT')
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import repeat
from typing import Any

from whereabouts._optional import pandas
from whereabouts.errors import UnknownEntity, WhereaboutsError
from whereabouts.io._columns import import_columns, paused_gc
from whereabouts.io._exact import exact_place
from whereabouts.io.csv import _exact_cell, _Names, check_header
from whereabouts.io.errors import LedgerFileError, Problem
from whereabouts.io.report import Report
from whereabouts.ledger import Ledger
from whereabouts.observations import Denial, Observation, Retraction
from whereabouts.when import When

__all__ = ["COLUMNS", "read_frame", "to_dataframe"]

COLUMNS = ("kind", "subjects", "names", "place", "place_key", "place_kind", "country",
           "latitude", "longitude", "when", "earliest", "latest", "reported", "source", "grading",
           "reliability", "credibility", "note", "after", "corrects", "retracted_by",
           "throughout", "denied_by", "entry", "target", "exact")
"""The DataFrame's columns; its index is the entry's id."""


def to_dataframe(ledger: Ledger) -> Any:
    """A :class:`pandas.DataFrame` of every entry, indexed by id, in ledger order.

    A row per observation, and one per retraction and per denial (``entry``
    says which: ``observation``, ``correction``, ``retraction``, ``denial``;
    ``target`` the observation a correction, retraction or denial is about;
    select ``frame[frame["kind"].notna()]`` for the observations alone).
    ``subjects``, ``names`` and ``after`` hold lists; ``place`` the place's
    name, ``A | B`` for "one of these" (as :func:`read_frame` reads it);
    ``earliest`` and ``latest`` are UTC timestamps (``NaT`` when unbounded);
    ``latitude`` and ``longitude`` are the place's point (``NaN`` when it has
    none); ``place_kind`` is its kind (``city``, ``craft``...;
    ``waters|country`` for "at sea or in Cyprus", as ``place_key`` joins the
    keys), and ``country`` is empty for a place in no country (a craft,
    waters), as for a region; ``retracted_by`` is the id of the retraction
    that withdrew it, if any, and ``denied_by`` that of the denial that said
    it is false; ``throughout`` is True for a stay; ``reported`` is None when
    the report date is not known; ``exact`` holds, as JSON, the place or
    source when its name alone would not give it back (see ``docs/files.md``),
    so that :func:`read_frame` gives back an equal ledger. Raises
    :class:`~whereabouts.io.MissingDependency` without pandas.
    """
    pd = pandas()
    names = {e.id: e.name for e in ledger.entities}
    retracted = {e.target: e.id for e in ledger.entries if isinstance(e, Retraction)}
    denied = {e.target: e.id for e in ledger.entries if isinstance(e, Denial)}
    spelling = _Names(ledger)
    rows = [_row(o, names, retracted, denied, spelling) if isinstance(o, Observation)
            else _withdrawal(o, spelling) for o in ledger.entries]
    frame = pd.DataFrame.from_records(rows, columns=["id", *COLUMNS])
    for column in ("earliest", "latest"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    for column in ("latitude", "longitude"):
        frame[column] = frame[column].astype("float64")
    return frame.set_index("id")


def _row(obs: Observation, names: dict[str, str], retracted: dict[str, str],
         denied: dict[str, str], spelling: _Names) -> dict[str, Any]:
    point = None if obs.place is None or len(obs.place.options) != 1 else obs.place.options[0].point
    when = obs.when
    exact: dict[str, Any] = {}
    place = None
    if obs.place is not None:
        place = " | ".join(p.name for p in obs.place.options)
        cell, needed = spelling.place(obs.place)
        if needed is not None or cell != place:  # the names alone do not give it back
            exact["place"] = exact_place(obs.place)
    cited, exact_src = spelling.source(obs.source)
    if exact_src is not None:
        exact["source"] = exact_src
    return {
        "id": obs.id,
        "kind": obs.kind.value,
        "subjects": list(obs.subjects),
        "names": [names.get(s, s) for s in obs.subjects],
        "place": place,
        "place_key": None if obs.place is None else obs.place.key,
        "place_kind": None if obs.place is None
        else "|".join(p.kind.value for p in obs.place.options),
        "country": None if obs.place is None else obs.place.country,
        "latitude": None if point is None else point[0],
        "longitude": None if point is None else point[1],
        "when": None if when is None else str(when),
        "earliest": None if when is None else when.earliest,
        "latest": None if when is None else when.latest,
        "reported": None if obs.reported is None else str(obs.reported),
        "source": cited,
        "grading": obs.grading.code,
        "reliability": obs.grading.reliability.name,
        "credibility": obs.grading.credibility.value,
        "note": obs.note,
        "after": list(obs.after),
        "corrects": obs.corrects,
        "retracted_by": retracted.get(obs.id),
        "throughout": obs.throughout,
        "denied_by": denied.get(obs.id),
        "entry": "observation" if obs.corrects is None else "correction",
        "target": obs.corrects,
        "exact": _exact_cell(exact) or None,
    }


def _withdrawal(entry: Retraction | Denial, spelling: _Names) -> dict[str, Any]:
    cited, exact_src = spelling.source(entry.source)
    return {
        "id": entry.id, "subjects": [], "names": [], "after": [],
        "reported": str(entry.reported), "source": cited, "note": entry.reason,
        "entry": "retraction" if isinstance(entry, Retraction) else "denial",
        "target": entry.target,
        "exact": None if exact_src is None else _exact_cell({"source": exact_src}),
    }


def read_frame(frame: Any, ledger: Ledger | None = None, *, keep_valid: bool = False) -> Report:
    """Import observations from a pandas DataFrame or a pyarrow Table with the CSV's columns.

    The columns are those of :func:`~whereabouts.io.read_csv` (``id``,
    ``subjects``, ``kind``... in any order; the index is not read), and the
    rules, the problems and ``keep_valid`` are the same: a problem's line is
    the row's position plus 2, as if line 1 held the column names. Missing
    values (``None``, ``NaN``, ``NaT``, ``NA``) are empty cells; numbers are
    read as their digits (``2.0`` as ``2``), dates as their day and
    date-times as their second in UTC; strings as they are.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({
    ...     "id": ["beirut", None], "subjects": ["Nour Khalil", "Nour Khalil"],
    ...     "kind": ["seen at", "died"], "place": ["Beirut", None],
    ...     "when": ["2024-12-07", "2024-12"], "source": ["a wire", "a wire"],
    ...     "reported": ["2024-12-08", "2025-01"], "reliability": ["B", None],
    ...     "credibility": [2, None], "note": [None, None], "after": [None, "beirut"]})
    >>> report = read_frame(frame)
    >>> [str(o) for o in report.added]
    ['beirut 2024-12-07 nour-khalil seen at Beirut (a wire, reported 2024-12-08, B2)',
     'o2 2024-12 nour-khalil died (a wire, reported 2025-01, F6)']
    """
    target = Ledger() if ledger is None else ledger
    name = f"<{type(frame).__name__}>"
    labels, read = _columns_of(frame, name)
    header = [str(label).strip().lower() for label in labels]
    if "id" not in header and _index_name(frame) == "id":  # to_dataframe's index
        header.append("id")
        read = _with_index(frame, read, len(header) - 1)
    problems: list[Problem] = []
    notices: list[str] = []
    ignored = set(check_header(header, problems, notices))
    if problems:
        raise LedgerFileError(name, problems)
    with paused_gc():
        values = {column: read(n) for n, column in enumerate(header) if n + 1 not in ignored}
        if "subjects" in values and "names" in header:
            values["subjects"] = _by_name(values["subjects"], read(header.index("names")),
                                          target)
        cells = {column: _texts(column_values) for column, column_values in values.items()}
    size = len(next(iter(cells.values()), ()))
    return import_columns(name, "frame", target, cells, range(2, size + 2),
                          numbers={column: n for n, column in enumerate(header, start=1)
                                   if n + 1 not in ignored},
                          read=size, keep_valid=keep_valid, notices=notices,
                          fresh=ledger is None)


def _by_name(subjects: Sequence[Any], names: Sequence[Any], ledger: Ledger) -> list[Any]:
    """The ``subjects`` column of :func:`to_dataframe` (ids), with the name of each entity
    ``ledger`` does not hold and no entity of ``ledger`` answers to (the person is then
    created with that name, and so the id the name gives, as from a CSV)."""
    held = {e.id for e in ledger.entities}
    known: dict[tuple[Any, Any], Any] = {}

    def subject(eid: Any, name: Any) -> Any:
        if eid in held or not isinstance(name, str) or ";" in name or not name.strip():
            return eid
        try:
            ledger.entity(name)
        except UnknownEntity:
            return name
        except WhereaboutsError:
            return eid
        return eid

    out: list[Any] = []
    for ids, said in zip(subjects, names, strict=True):
        if not isinstance(ids, list | tuple) or not isinstance(said, list | tuple) or (
                len(ids) != len(said)):
            out.append(ids)
            continue
        key = (tuple(ids), tuple(said))
        if key not in known:
            known[key] = [subject(eid, name) for eid, name in zip(ids, said, strict=True)]
        out.append(known[key])
    return out


def _index_name(frame: Any) -> Any:
    index = getattr(frame, "index", None)
    return getattr(index, "name", None)


def _with_index(frame: Any, read: Any, at: int) -> Any:
    """``read``, and the index's values as column ``at``."""
    def column(n: int) -> list[Any]:
        return list(frame.index) if n == at else list(read(n))
    return column



def _columns_of(frame: Any, name: str) -> tuple[list[Any], Any]:
    """The column labels of a DataFrame or an Arrow table, and how to read a column's values."""
    if hasattr(frame, "column_names") and hasattr(frame, "column"):  # pyarrow.Table
        return list(frame.column_names), lambda n: frame.column(n).to_pylist()
    if hasattr(frame, "columns") and hasattr(frame, "iloc"):  # pandas.DataFrame
        return list(frame.columns), lambda n: _values(frame.iloc[:, n])
    raise LedgerFileError(name, [Problem(
        message=f"expected a pandas DataFrame or a pyarrow Table, got {type(frame).__name__}")])


def _values(series: Any) -> list[Any]:
    """A pandas Series' values, None for every kind of missing one (NaN, NaT, NA)."""
    if series.isna().any():
        series = series.astype(object).where(series.notna(), None)
    values: list[Any] = series.tolist()
    return values


def _texts(values: Sequence[Any]) -> Sequence[str]:
    """A column's values as cells of text (see :func:`read_frame`), each value converted once."""
    if all(map(isinstance, values, repeat(str))):
        return values
    known: dict[Any, str] = {}
    return [value if isinstance(value, str) else _known_text(value, known) for value in values]


def _known_text(value: Any, known: dict[Any, str]) -> str:
    try:
        return known[value]
    except KeyError:
        text = known[value] = _text(value)
        return text
    except TypeError:  # unhashable
        return _text(value)


def _text(value: Any) -> str:
    """One value as a cell of text: empty if missing, digits for a whole number, EDTF for a date,
    ids or names separated by ``;`` for a list (``subjects``, ``after``)."""
    if isinstance(value, list | tuple) or (
            hasattr(value, "tolist") and getattr(value, "ndim", 0) == 1):
        items = value.tolist() if hasattr(value, "tolist") else value
        return "; ".join(_text(item) for item in items)
    if value is None or _missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):  # datetime (and pandas' Timestamp) included
        try:
            return str(When.of(value))
        except WhereaboutsError:
            return str(value)
    return str(value)


def _missing(value: Any) -> bool:
    """Whether a value stands for a missing one (NaN, NaT, pandas' NA)."""
    try:
        return bool(value != value)
    except (TypeError, ValueError):  # NA: its truth is ambiguous
        return True
