"""The peers: W1-W5 done with pandas, DuckDB, sqlite3, a plain dict + bisect, and numpy.

What every peer computes (none of them knows about uncertain dates, alternatives,
groups or ``after`` links; that is the point of the comparison):

* each row's time ``t`` is the *start* of its ``when`` (a month counts from its 1st,
  a year from 1 January, a day from midnight; a date-time ``2019-03-04T12:34:56Z`` is
  that second, UTC); ``subjects`` is taken as one entity id (person or group);
  a disjunctive place ``A | B`` is one opaque place name with no country;
* **W1** loads the three CSV files into the tool, in the form its queries use;
* **W2**, last known location of everyone: per subject, the row with the greatest
  ``t``, *whatever its place*: a latest "whereabouts unknown" row (no place) means the
  answer is unknown, not the place before it (pandas' ``groupby().last()`` and
  DuckDB's ``arg_max`` skip nulls and would give the previous place: both are avoided);
* **W3**, the same for one subject;
* **W4**, W2 counting only rows with ``t`` before the end of the as-of day (UTC);
* **W5**, the subjects whose W4 row is a presence claim (seen, reported, arrived,
  detained, sheltering) at a place in the given country.

On the *precise subset* (:func:`precise_subset`: day-precision rows about one person,
one place or none, no ``after``; every subject's rows on distinct days) these are
exactly whereabouts' answers, and all peers must agree: the runner checks it.

Each tool returns its native result from the timed call, fully built (a concrete
DataFrame, rows fetched, numpy arrays fetched, a dict), never a lazy relation or
cursor; ``answers_*`` turn results into ``{subject: (status, place)}`` for the
cross-check, untimed.
"""

from __future__ import annotations

import bisect
import csv
import re
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from benchmarks.generate import ENTITY_COLUMNS, PRESENCE_KINDS, STATUS_OF_KIND, Files

__all__ = [
    "PEERS",
    "Answer",
    "DictBisect",
    "DuckDB",
    "NumpyFloor",
    "Pandas",
    "SQLite",
    "Tool",
    "day_number",
    "next_day",
    "precise_people",
    "precise_subset",
    "seconds",
]

Answer = tuple[str, "str | None"]
"""``(status, place)``: status ``located``, ``departed``, ``heading`` or ``unknown``."""
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?")
_EPOCH = date(1970, 1, 1).toordinal()


def day_number(when: str) -> int:
    """Days since 1970-01-01 of the first day of an EDTF day, month or year, or of the
    day of a date-time (``2019-03-04T12:34:56Z``)."""
    if len(when) == 4:
        when += "-01-01"
    elif len(when) == 7:
        when += "-01"
    return date.fromisoformat(when[:10]).toordinal() - _EPOCH


def seconds(when: str) -> int:
    """Seconds since 1970-01-01T00:00:00Z of the start of ``when``: a year, month or day
    (from its midnight, UTC), or a date-time to the second, UTC (``...T12:34:56Z``).

    >>> seconds("1970-01-02"), seconds("1970-01-02T00:00:01Z"), seconds("1970-02")
    (86400, 86401, 2678400)
    """
    start = day_number(when) * 86400
    if len(when) == 20 and when[10] == "T" and when[19] == "Z":
        start += int(when[11:13]) * 3600 + int(when[14:16]) * 60 + int(when[17:19])
    elif len(when) not in (4, 7, 10):
        raise ValueError(f"not a year, month, day or date-time to the second in UTC: {when!r}")
    return start


def next_day(day: str) -> str:
    """The ISO day after ``day``: "as of a day" counts every time before it begins."""
    return date.fromordinal(date.fromisoformat(day).toordinal() + 1).isoformat()


def answer(kind: str, place: str | None) -> Answer:
    status = STATUS_OF_KIND[kind]
    return (status, None if status == "unknown" or not place else place)


def read_places(files: Files) -> dict[str, str]:
    with files.places.open(newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        next(rows)
        return dict(rows)  # type: ignore[arg-type]


def precise_subset(files: Files, directory: Path) -> Files:
    """Write the rows every tool must answer alike (see the module docstring).

    Also writes ``precise-people.txt``: the people none of whose rows falls outside the
    subset and who belong to no group. Their answers in the *full* ledger depend on
    precise rows only, so whereabouts' answers for them must equal the peers'.
    """
    out = Files(directory)
    people_file = directory / "precise-people.txt"
    if out.observations.exists() and people_file.exists():
        return out
    directory.mkdir(parents=True, exist_ok=True)
    groups, members, people = set(), set(), []
    for row in entity_rows(files):
        if row["kind"] == "group":
            groups.add(row["id"])
            members.update(m for m in row["members"].split(";") if m)
        else:
            people.append(row["id"])
    for name in ("places", "entities"):
        getattr(out, name).write_bytes(getattr(files, name).read_bytes())
    tmp = out.observations.with_suffix(".tmp")
    fuzzy: set[str] = set()
    with files.observations.open(newline="", encoding="utf-8") as src, \
            tmp.open("w", newline="", encoding="utf-8") as dst:
        rows = csv.reader(src)
        writer = csv.writer(dst, lineterminator="\n")
        writer.writerow(next(rows))
        for row in rows:
            subjects, place, when, after = row[1], row[3], row[4], row[10]
            if (";" not in subjects and subjects not in groups and _DAY.fullmatch(when)
                    and " | " not in place and not after):
                writer.writerow(row)
            else:
                fuzzy.update(subjects.split(";"))
    people_file.write_text("".join(
        f"{p}\n" for p in people if p not in fuzzy and p not in members), encoding="utf-8")
    tmp.replace(out.observations)
    return out


def precise_people(subset: Files) -> frozenset[str]:
    """The people listed by :func:`precise_subset` in ``subset``'s directory."""
    text = (subset.directory / "precise-people.txt").read_text(encoding="utf-8")
    return frozenset(text.split())


class Tool:
    """One way of answering W1-W5; subclasses fill in the workloads."""

    name: ClassVar[str]
    modules: ClassVar[tuple[str, ...]] = ()
    """What must be importable for this tool to run."""
    lazy_modules: ClassVar[tuple[str, ...]] = ()
    """What the tool imports on first use when installed (not needed to run): imported
    before memory is measured, as ``modules`` are, so that a library's own import (its
    code and tables, a fixed cost) is not counted as data held."""

    def load(self, files: Files) -> None:  # W1
        raise NotImplementedError

    def last_all(self) -> Any:  # W2
        raise NotImplementedError

    def last_one(self, subject: str) -> Any:  # W3
        raise NotImplementedError

    def as_of_all(self, day: str) -> Any:  # W4
        raise NotImplementedError

    def in_country(self, country: str, day: str) -> Any:  # W5
        raise NotImplementedError

    def answers_all(self, result: Any) -> dict[str, Answer]:
        raise NotImplementedError

    def answer_one(self, result: Any) -> Answer | None:
        raise NotImplementedError

    def answers_in(self, result: Any) -> set[str]:
        raise NotImplementedError

    def close(self) -> None:
        """Drop what ``load`` built."""

    @classmethod
    def available(cls) -> bool:
        import importlib.util

        return all(importlib.util.find_spec(m) is not None for m in cls.modules)


# -- plain Python -------------------------------------------------------------------


class DictBisect(Tool):
    """A dict of per-subject lists sorted by time; ``bisect`` for as-of."""

    name = "dict+bisect"

    def load(self, files: Files) -> None:
        self.country = read_places(files)
        times: dict[str, list[int]] = {}
        rows: dict[str, list[tuple[int, str, str]]] = {}
        day_of: dict[str, int] = {}
        with files.observations.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            next(reader)
            for row in reader:
                when = row[4]
                t = day_of.get(when)
                if t is None:
                    t = day_of[when] = seconds(when)
                subject = row[1]
                found = rows.get(subject)
                if found is None:
                    found = rows[subject] = []
                found.append((t, row[3], row[2]))
        for subject, found in rows.items():
            found.sort(key=_first)
            times[subject] = [r[0] for r in found]
        self.times, self.rows, self.day_of = times, rows, day_of

    def last_all(self) -> dict[str, tuple[int, str, str]]:
        return {s: r[-1] for s, r in self.rows.items()}

    def last_one(self, subject: str) -> tuple[int, str, str] | None:
        found = self.rows.get(subject)
        return None if found is None else found[-1]

    def as_of_all(self, day: str) -> dict[str, tuple[int, str, str]]:
        end = seconds(next_day(day))
        out = {}
        left = bisect.bisect_left
        for s, times in self.times.items():
            i = left(times, end)
            if i:
                out[s] = self.rows[s][i - 1]
        return out

    def in_country(self, country: str, day: str) -> list[str]:
        places = self.country
        return [s for s, (_, place, kind) in self.as_of_all(day).items()
                if kind in PRESENCE_KINDS and places.get(place) == country]

    def answers_all(self, result: dict[str, tuple[int, str, str]]) -> dict[str, Answer]:
        return {s: answer(kind, place) for s, (_, place, kind) in result.items()}

    def answer_one(self, result: tuple[int, str, str] | None) -> Answer | None:
        return None if result is None else answer(result[2], result[1])

    def answers_in(self, result: list[str]) -> set[str]:
        return set(result)

    def close(self) -> None:
        self.times, self.rows = {}, {}


def _first(row: tuple[int, str, str]) -> int:
    return row[0]


class SQLite(Tool):
    """An in-memory sqlite3 table with an index on (subject, t).

    W2/W4 use SQLite's documented bare-column ``MAX()``: the other columns come from
    the row holding the maximum, nulls included.
    """

    name = "SQLite"
    _SCHEMA = """
        CREATE TABLE obs (id TEXT, subjects TEXT, kind TEXT, place TEXT, "when" TEXT,
            source TEXT, reported TEXT, reliability TEXT, credibility INTEGER, note TEXT,
            "after" TEXT, t INTEGER);
        CREATE TABLE places (place TEXT PRIMARY KEY, country TEXT);
    """
    _LAST = """SELECT subjects, place, kind, MAX(t) FROM obs {where} GROUP BY subjects"""

    def load(self, files: Files) -> None:
        db = sqlite3.connect(":memory:")
        db.executescript(self._SCHEMA)
        with files.observations.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            next(reader)
            db.executemany(
                "INSERT INTO obs VALUES (?1, ?2, ?3, NULLIF(?4, ''), ?5, ?6, ?7, ?8, ?9,"
                " ?10, ?11, CAST(strftime('%s', CASE length(?5) WHEN 4 THEN ?5 || '-01-01'"
                " WHEN 7 THEN ?5 || '-01' ELSE ?5 END) AS INTEGER))",
                reader,
            )
        db.executemany("INSERT INTO places VALUES (?, ?)", read_places(files).items())
        db.execute("CREATE INDEX obs_subject_t ON obs (subjects, t)")
        db.commit()
        self.db = db

    def last_all(self) -> list[tuple[Any, ...]]:
        return self.db.execute(self._LAST.format(where="")).fetchall()

    def last_one(self, subject: str) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self.db.execute(
            "SELECT place, kind FROM obs WHERE subjects = ? ORDER BY t DESC LIMIT 1", (subject,)
        ).fetchone()
        return row

    def as_of_all(self, day: str) -> list[tuple[Any, ...]]:
        return self.db.execute(self._LAST.format(where="WHERE t < ?"),
                               (seconds(next_day(day)),)).fetchall()

    def in_country(self, country: str, day: str) -> list[tuple[Any, ...]]:
        kinds = ", ".join(f"'{k}'" for k in sorted(PRESENCE_KINDS))
        return self.db.execute(
            f"SELECT o.subjects FROM ({self._LAST.format(where='WHERE t < ?')}) o"
            f" JOIN places p ON p.place = o.place WHERE p.country = ? AND o.kind IN ({kinds})",
            (seconds(next_day(day)), country),
        ).fetchall()

    def answers_all(self, result: list[tuple[Any, ...]]) -> dict[str, Answer]:
        return {s: answer(kind, place) for s, place, kind, _ in result}

    def answer_one(self, result: tuple[Any, ...] | None) -> Answer | None:
        return None if result is None else answer(result[1], result[0])

    def answers_in(self, result: list[tuple[Any, ...]]) -> set[str]:
        return {r[0] for r in result}

    def close(self) -> None:
        if getattr(self, "db", None) is not None:
            self.db.close()
            self.db = None  # type: ignore[assignment]


# -- pandas ---------------------------------------------------------------------------

_CSV_DTYPES = {
    "id": "str", "subjects": "category", "kind": "category", "place": "category",
    "when": "str", "source": "category", "reported": "str", "reliability": "category",
    "credibility": "int8", "note": "str", "after": "str",
}


def _read_csv(files: Files, columns: Iterable[str] | None = None) -> Any:
    import pandas as pd

    usecols = None if columns is None else list(columns)
    dtypes = _CSV_DTYPES if usecols is None else {c: _CSV_DTYPES[c] for c in usecols}
    return pd.read_csv(files.observations, usecols=usecols, dtype=dtypes,  # type: ignore[arg-type]
                       keep_default_na=False, na_values={"place": [""]})


class Pandas(Tool):
    """A DataFrame sorted by (subject, t) once at load, indexed by subject.

    W2/W4 keep the last row of each subject (``duplicated(keep="last")`` on the sorted
    index: the row with the greatest ``t``, null place or not); W3 is ``get_loc`` on the
    sorted index (a binary search).
    """

    name = "pandas"
    modules = ("pandas",)

    def load(self, files: Files) -> None:
        import pandas as pd

        df = _read_csv(files)
        df["t"] = pd.to_datetime(df["when"], format="ISO8601", utc=True)
        df = df.sort_values(["subjects", "t"], kind="stable").set_index("subjects")
        places = pd.read_csv(files.places, dtype="str", keep_default_na=False)
        self.df = df
        self.country = pd.Series(places["country"].to_numpy(), index=places["place"])
        self.presence = sorted(PRESENCE_KINDS)

    def last_all(self) -> Any:
        df = self.df
        return df[~df.index.duplicated(keep="last")]

    def last_one(self, subject: str) -> Any:
        try:
            found = self.df.index.get_loc(subject)  # a slice (or one position): sorted index
        except KeyError:
            return None
        return self.df.iloc[found.stop - 1 if isinstance(found, slice) else found]

    def as_of_all(self, day: str) -> Any:
        import pandas as pd

        df = self.df
        df = df[df["t"] < pd.Timestamp(next_day(day), tz="UTC")]
        return df[~df.index.duplicated(keep="last")]

    def in_country(self, country: str, day: str) -> Any:
        last = self.as_of_all(day)
        last = last[last["kind"].isin(self.presence)]
        return last[last["place"].map(self.country) == country].index

    def answers_all(self, result: Any) -> dict[str, Answer]:
        places = result["place"].astype(object).where(result["place"].notna(), None)
        return {str(s): answer(str(k), p)
                for s, k, p in zip(result.index, result["kind"], places, strict=True)}

    def answer_one(self, result: Any) -> Answer | None:
        if result is None:
            return None
        place = result["place"]
        return answer(str(result["kind"]), None if not isinstance(place, str) else place)

    def answers_in(self, result: Any) -> set[str]:
        return {str(s) for s in result}

    def close(self) -> None:
        self.df = None


# -- DuckDB ---------------------------------------------------------------------------


class DuckDB(Tool):
    """A DuckDB table (in memory) sorted by (subject, t) at load.

    W2/W4 use ``arg_max_null`` over a struct of (place, kind): plain ``arg_max`` skips
    rows whose value is null, which would report the place before a latest "whereabouts
    unknown". W3 is a parameterised ``ORDER BY t DESC LIMIT 1``.
    """

    name = "DuckDB"
    modules = ("duckdb",)
    _T = ("CAST(CASE length(\"when\") WHEN 4 THEN \"when\" || '-01-01'"
          " WHEN 7 THEN \"when\" || '-01' ELSE rtrim(\"when\", 'Z') END AS TIMESTAMP)")
    _LAST = ("SELECT subjects, arg_max_null({{'place': place, 'kind': kind}}, t) AS last"
             " FROM obs {where} GROUP BY subjects")
    # Flat columns fetched as numpy arrays: about 40 % faster than fetchall() of
    # struct tuples at 10^5 (24 -> 15 ms), the way a numpy user would read them.
    _FLAT = "SELECT subjects, last.place AS place, last.kind AS kind FROM ({last})"

    def load(self, files: Files) -> None:
        import duckdb

        con = duckdb.connect(":memory:")
        con.execute(
            f"CREATE TABLE obs AS SELECT *, {self._T} AS t FROM read_csv(?, header = true,"
            " all_varchar = true) ORDER BY subjects, t", [str(files.observations)])
        con.execute("CREATE TABLE places AS SELECT * FROM read_csv(?, header = true,"
                    " all_varchar = true)", [str(files.places)])
        self.con = con
        self.presence = sorted(PRESENCE_KINDS)

    def last_all(self) -> dict[str, Any]:
        return self.con.execute(self._FLAT.format(last=self._LAST.format(where=""))).fetchnumpy()

    def last_one(self, subject: str) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self.con.execute(
            "SELECT place, kind FROM obs WHERE subjects = ? ORDER BY t DESC LIMIT 1", [subject]
        ).fetchone()
        return row

    def as_of_all(self, day: str) -> dict[str, Any]:
        last = self._LAST.format(where="WHERE t < CAST(? AS TIMESTAMP)")
        return self.con.execute(self._FLAT.format(last=last), [next_day(day)]).fetchnumpy()

    def in_country(self, country: str, day: str) -> dict[str, Any]:
        return self.con.execute(
            f"SELECT o.subjects FROM ({self._LAST.format(where='WHERE t < CAST(? AS TIMESTAMP)')})"
            " o JOIN places p ON p.place = o.last.place"
            " WHERE p.country = ? AND list_contains(?, o.last.kind)",
            [next_day(day), country, self.presence],
        ).fetchnumpy()

    def answers_all(self, result: dict[str, Any]) -> dict[str, Answer]:
        return {
            s: answer(kind, place)
            for s, place, kind in zip(result["subjects"], result["place"], result["kind"],
                                      strict=True)
        }

    def answer_one(self, result: tuple[Any, ...] | None) -> Answer | None:
        return None if result is None else answer(result[1], result[0])

    def answers_in(self, result: dict[str, Any]) -> set[str]:
        return set(result["subjects"])

    def close(self) -> None:
        if getattr(self, "con", None) is not None:
            self.con.close()
            self.con = None


# -- the floor: numpy -------------------------------------------------------------------


class NumpyFloor(Tool):
    """The floor: integer columns sorted by (subject, t), one vectorised pass per query.

    Loading parses the CSV with pandas' C reader (four columns), codes the strings and
    sorts once; a query is a pass over a million integers. Not a tool anyone would ship
    (no validation, no provenance): it bounds what a columnar engine can reach here.
    """

    name = "numpy floor"
    modules = ("numpy", "pandas")

    def load(self, files: Files) -> None:
        import numpy as np
        import pandas as pd

        df = _read_csv(files, ["subjects", "kind", "place", "when"])
        when = df["when"].astype("category")
        t = np.asarray(pd.to_datetime(when.cat.categories, format="ISO8601", utc=True)
                       .tz_convert(None).to_numpy().astype("datetime64[s]")
                       .astype(np.int64))[when.cat.codes]
        subject = df["subjects"].cat.codes.to_numpy()
        order = np.lexsort((t, subject))
        self.t = t[order]
        self.subject = subject[order]
        self.place = df["place"].cat.codes.to_numpy()[order]  # -1 for no place
        self.kind = df["kind"].cat.codes.to_numpy()[order]
        self.subjects = np.asarray(df["subjects"].cat.categories, dtype=object)
        self.places = np.asarray(df["place"].cat.categories, dtype=object)
        self.kinds = list(df["kind"].cat.categories)
        starts = np.flatnonzero(np.r_[True, self.subject[1:] != self.subject[:-1]])
        self.starts = starts
        self.ends = np.r_[starts[1:], len(order)] - 1
        self.code_of = {str(s): i for i, s in enumerate(self.subjects)}
        country = read_places(files)
        self.countries = sorted(set(country.values()))
        number = {c: i for i, c in enumerate(self.countries)}
        self.place_country = np.array([number.get(country.get(p, ""), -1) for p in self.places]
                                      + [-1], dtype=np.int16)  # index -1: no place
        self.presence = np.array([k in PRESENCE_KINDS for k in self.kinds])

    def last_all(self) -> Any:
        import numpy as np

        # One pass: where the (sorted) subject changes, the row before is that subject's
        # latest; then gather the columns an answer needs.
        subject = self.subject
        rows = np.r_[np.flatnonzero(subject[1:] != subject[:-1]), len(subject) - 1]
        return rows, self.place[rows], self.kind[rows]

    def last_one(self, subject: str) -> Any:
        code = self.code_of.get(subject)
        return None if code is None else int(self.ends[code])

    def as_of_all(self, day: str) -> Any:
        import numpy as np

        counts = np.add.reduceat(self.t < seconds(next_day(day)), self.starts)
        rows = (self.starts + counts - 1)[counts > 0]
        return rows, self.place[rows], self.kind[rows]  # gathered, as W2's

    def in_country(self, country: str, day: str) -> Any:
        rows = self.as_of_all(day)[0]
        wanted = self.countries.index(country)
        keep = (self.place_country[self.place[rows]] == wanted) & self.presence[self.kind[rows]]
        return self.subject[rows[keep]]

    def _answer(self, row: int) -> Answer:
        place = int(self.place[row])
        return answer(self.kinds[self.kind[row]], None if place < 0 else self.places[place])

    def answers_all(self, result: Any) -> dict[str, Answer]:
        rows = result[0] if isinstance(result, tuple) else result
        return {str(self.subjects[self.subject[r]]): self._answer(int(r)) for r in rows}

    def answer_one(self, result: Any) -> Answer | None:
        return None if result is None else self._answer(result)

    def answers_in(self, result: Any) -> set[str]:
        return {str(self.subjects[s]) for s in result}

    def close(self) -> None:
        self.t = self.subject = self.place = self.kind = None


PEERS: tuple[type[Tool], ...] = (Pandas, DuckDB, SQLite, DictBisect, NumpyFloor)
"""Every peer, best-known first; pandas, DuckDB and SQLite are the ones ratios use."""


def entity_rows(files: Files) -> Iterator[dict[str, str]]:
    with files.entities.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames or ()) == ENTITY_COLUMNS
        yield from reader
