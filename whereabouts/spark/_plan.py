"""The Spark side: the tables checked, each entity's claims brought together by joins,
and the per-entity step (``_step``) run on them with ``applyInPandas``.

How the work divides (``docs/scale-out.md``): claims are routed to the entities
whose answers rest on them (a claim's subjects, and every member of a group it is
about, through a join on the memberships); retractions, denials follow the claim
they withdraw. Entities are hashed into buckets, and each bucket's routed claims
cogrouped with its entities' rows, so an entity with no claim still gets its answer
("nothing known"); each entity is answered from its own small ledger. The places
and sources are decoded once on the driver and sent with the step.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from whereabouts.errors import InvalidObservation, WhereaboutsError
from whereabouts.io._records import Codec
from whereabouts.io._tables import TABLES, Table
from whereabouts.places import Alternatives, Place
from whereabouts.sources import Threshold
from whereabouts.spark._errors import SparkInputError
from whereabouts.spark._step import (
    ANSWER_COLUMNS,
    Question,
    Tables,
    ask,
    list_cell,
    when_text,
    where_of,
)

__all__ = ["SparkLedger"]

_NAMES = ("entities", "relations", "places", "sources", "claims")
"""The tables the questions need (``registered`` only names places for a gazetteer)."""

_SPARK_TYPES = {"string": "string", "int64": "bigint", "float64": "double", "bool": "boolean",
                "list<string>": "array<string>"}

_WITHDRAWALS = ("retraction", "denial")
_PLACING = ("observation", "correction")


def _functions() -> Any:
    from whereabouts._optional import _module

    return _module("pyspark.sql.functions",
                   "needs pyspark: pip install 'whereabouts[spark]' (and Java 17 or later)",
                   "pyspark")


class SparkLedger:
    """A ledger's Parquet tables as Spark DataFrames, asked questions about everyone.

    Build one with :meth:`read` (a folder written by
    :func:`whereabouts.io.write_parquet`) or from DataFrames in the same schema.
    Each question returns a lazy Spark DataFrame with a row per entity it
    keeps (see :data:`whereabouts.spark._step.ANSWER_COLUMNS`): ``entity``,
    ``name``, ``type``, ``status``, ``place`` (its label), ``country``,
    ``countries``, ``since`` (EDTF), ``evidence`` (claim ids), ``candidates``
    (when disputed) and ``presence`` (for :meth:`who_is_in`).

    The columns and their types are checked when it is built, before any job;
    what needs a pass over the claims (unknown entities, ``after`` links that
    leave an entity's step) is checked by :meth:`check`, one job, run before
    the first question's job.
    """

    def __init__(self, *, entities: Any, relations: Any, places: Any, sources: Any,
                 claims: Any, paths: Mapping[str, str] | None = None) -> None:
        frames = {"entities": entities, "relations": relations, "places": places,
                  "sources": sources, "claims": claims}
        self._paths = {name: (paths or {}).get(name, f"the {name} table") for name in _NAMES}
        for spec in TABLES:
            if spec.name in frames:
                _check_columns(spec, frames[spec.name], self._paths[spec.name])
        self.entities = entities
        self.relations = relations
        self.places = places
        self.sources = sources
        self.claims = claims
        self._tables: Tables | None = None
        self._groups: Any = None
        self._checked = False

    @classmethod
    def read(cls, spark: Any, path: str | os.PathLike[str]) -> SparkLedger:
        """The dataset in folder ``path`` (``entities.parquet``, ``claims.parquet``...),
        read by ``spark``. A missing file or column, or a column of the wrong type,
        raises :class:`~whereabouts.io.LedgerFileError` naming it, before any job
        (for a local folder, the Parquet reader's own checks of each file's footer)."""
        folder = os.fspath(path)
        local = "://" not in folder
        frames: dict[str, Any] = {}
        paths: dict[str, str] = {}
        for spec in TABLES:
            if spec.name not in _NAMES:
                continue
            file = os.path.join(folder, spec.file)
            if local:  # the Parquet reader's checks, on the file's footer (no job)
                from pathlib import Path

                from whereabouts.io.parquet import _open

                _open(Path(file), spec)
            # Spark's JVM resolves a relative path from where it started, not from here.
            frames[spec.name] = spark.read.parquet(os.path.abspath(file) if local else file)
            paths[spec.name] = file
        return cls(paths=paths, **frames)

    # -- the questions ------------------------------------------------------------

    def last_known(self, *, as_of: object = None, known_at: object = None,
                   min_grade: object = None) -> Any:
        """Every entity's last known whereabouts (``Ledger.last_known`` for each)."""
        return self._ask("last_known", as_of, known_at, min_grade)

    def where(self, on: object, *, known_at: object = None, min_grade: object = None) -> Any:
        """Where everyone was on a date: :meth:`last_known` as of that day."""
        if on is None:
            raise InvalidObservation("needs a date", field="on")
        return self._ask("last_known", on, known_at, min_grade)

    def who_is_in(self, place: Place | Alternatives | str, *, as_of: object = None,
                  known_at: object = None, min_grade: object = None) -> Any:
        """Who was last known to be in ``place`` (a Place, or a name the offline
        gazetteer resolves): ``presence`` is ``definite`` or ``possible``, as in
        ``Ledger.who_is_in``."""
        return self._ask("who_is_in", as_of, known_at, min_grade, where_of(place))

    def unaccounted(self, *, as_of: object = None, known_at: object = None,
                    min_grade: object = None) -> Any:
        """People whose whereabouts are unknown, of whom nothing is known, or who left
        and were not placed again (``Ledger.unaccounted``)."""
        return self._ask("unaccounted", as_of, known_at, min_grade)

    def dead(self, *, as_of: object = None, known_at: object = None,
             min_grade: object = None) -> Any:
        """Those reported dead (``Ledger.dead``)."""
        return self._ask("dead", as_of, known_at, min_grade)

    def _ask(self, what: str, as_of: object, known_at: object, min_grade: object,
             place: Any = None) -> Any:
        question = Question(
            what=what, as_of=when_text(as_of, "as_of"), known_at=when_text(known_at, "known_at"),
            min_grade=None if min_grade is None else Threshold.parse(min_grade).code,
            place=place)
        return self.ask({what: question}).drop("question")

    def ask(self, questions: Mapping[str, Question]) -> Any:
        """Several questions in one job (one pass over the claims, one shuffle): a
        DataFrame of every answer, its question's name in the column ``question``.

        The dates and grades are checked here, on the driver, before any job.
        """
        for name, question in questions.items():
            for field in ("as_of", "known_at"):
                when_text(getattr(question, field), f"{name}: {field}")
            if question.min_grade is not None:
                Threshold.parse(question.min_grade, field=f"{name}: min_grade")
            if question.what == "who_is_in" and question.place is None:
                raise SparkInputError("who_is_in needs a place", path="the question",
                                      column=f"{name}: place")
        tables = self.tables()
        self.check()
        return _answers(self, dict(questions), tables)

    # -- what the driver holds -----------------------------------------------------

    def tables(self) -> Tables:
        """The places and sources, decoded on the driver (the claims never are)."""
        if self._tables is None:
            codec = Codec()
            _decode(codec, "place", self.places.collect(), "parent", self._paths["places"])
            _decode(codec, "source", self.sources.collect(), "via", self._paths["sources"])
            self._tables = Tables(places=dict(codec.places), sources=dict(codec.sources))
        return self._tables

    def memberships(self) -> Any:
        """(member, group): every group each entity belongs to, directly or through
        other groups (a DataFrame; worked out once)."""
        if self._groups is None:
            self._groups = _closure(self)
        return self._groups

    def check(self) -> None:
        """Check, in one Spark job over ids, that the claims hold together: every
        subject is an entity, every ``after`` link and target is an observation, and
        every ``after`` link and correction joins claims that the same entities'
        answers rest on (so each entity's step holds both ends). The first bad claim
        raises :class:`SparkInputError`, naming the claim and the link."""
        if self._checked:
            return
        found = _problems(self).orderBy("seq", "rank").limit(1).collect()
        if found:
            row = found[0]
            raise SparkInputError(row["reason"], path=self._paths["claims"],
                                  column=row["column"], row=row["seq"], value=row["value"])
        self._checked = True


# -- checks -------------------------------------------------------------------------


def _check_columns(spec: Table, frame: Any, path: str) -> None:
    """Every column the spec lists is there with its type (read from the schema: no job)."""
    fields = {f.name: f.dataType.simpleString() for f in frame.schema.fields}
    for column in spec.columns:
        found = fields.get(column.name)
        wanted = _SPARK_TYPES[column.type]
        if found is None:
            raise SparkInputError(f"missing column (expected {wanted})", path=path,
                                  column=column.name)
        if found != wanted:
            raise SparkInputError(f"expected {wanted}, found {found}", path=path,
                                  column=column.name)


def _decode(codec: Codec, kind: str, rows: Iterable[Any], parent: str, path: str) -> None:
    """Places or sources into ``codec``, each after the one it refers to."""
    pending = [(n, row.asDict()) for n, row in enumerate(rows)]
    while pending:
        waiting = []
        for n, row in pending:
            ref = row.get(parent)
            known = codec.places if kind == "place" else codec.sources
            if ref is not None and ref not in known and any(r["id"] == ref for _, r in pending):
                waiting.append((n, row))
                continue
            try:
                codec.decode(_place(row) if kind == "place" else _source(row))
            except WhereaboutsError as err:
                raise SparkInputError(err.reason, path=path, column=err.field, row=n,
                                      value=err.value) from None
        if len(waiting) == len(pending):  # a cycle: decode the first to report it
            n, row = waiting[0]
            raise SparkInputError(f"refers to itself through '{parent}'", path=path,
                                  column=parent, row=n, value=row.get(parent))
        pending = waiting


def _place(row: Mapping[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {"type": "place", "id": row["id"], "name": row["name"],
                              "kind": row["kind"], "key": row["key"]}
    for field in ("country", "subdivision", "parent"):
        if row.get(field) is not None:
            record[field] = row[field]
    if row["kind"] == "region":
        record["countries"] = list(row.get("countries") or [])
    if row.get("latitude") is not None and row.get("longitude") is not None:
        record["point"] = [row["latitude"], row["longitude"]]
    return record


def _source(row: Mapping[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {"type": "source", "id": row["id"], "name": row["name"],
                              "kind": row["kind"]}
    for field in ("published", "url", "via"):
        if row.get(field) is not None:
            record[field] = row[field]
    return record


def _problems(ledger: SparkLedger) -> Any:
    """Every claim that does not hold together, as (seq, column, value, reason, rank)
    rows; of several problems at one row, the lowest rank is told (an unknown id before
    the link it breaks)."""
    F = _functions()
    claims = ledger.claims
    entities = ledger.entities.select(F.col("id").alias("subject"))
    ids = claims.where(F.col("entry").isin(*_PLACING)).select(F.col("id").alias("ref"))
    subjects = claims.select("seq", F.explode("subjects").alias("subject"))
    unknown = subjects.join(entities, "subject", "left_anti").select(
        "seq", F.lit("subjects").alias("column"), F.col("subject").alias("value"),
        F.lit("no entity has this id").alias("reason"), F.lit(0).alias("rank"))
    refs = claims.select("seq", F.explode("after").alias("ref"), F.lit("after").alias("column"))
    refs = refs.unionByName(claims.where(F.col("target").isNotNull()).select(
        "seq", F.col("target").alias("ref"), F.lit("target").alias("column")))
    dangling = refs.join(ids, "ref", "left_anti").select(
        "seq", "column", F.col("ref").alias("value"),
        F.lit("no observation has this id").alias("reason"), F.lit(1).alias("rank"))
    seen = _routes(ledger)
    links = claims.select("seq", "id", F.explode("after").alias("prior"),
                          F.lit("after").alias("column")).unionByName(
        claims.where(F.col("entry") == "correction").select(
            "seq", "id", F.col("target").alias("prior"), F.lit("target").alias("column")))
    sees_claim = links.join(seen, "id").join(
        seen.select("owner", F.col("id").alias("prior")), ["owner", "prior"], "left_anti")
    sees_prior = links.join(seen.select("owner", F.col("id").alias("prior")), "prior").join(
        seen, ["owner", "id"], "left_anti")
    crossing = sees_claim.unionByName(sees_prior).select(
        "seq", "column", F.col("prior").alias("value"),
        F.concat(F.lit("claim "), F.col("id"), F.lit(" is linked to "), F.col("prior"),
                 F.lit(", which the answers of "), F.col("owner"),
                 F.lit(" do not both rest on: each entity's step would hold one end "
                       "only (Spark answers need every link inside one entity's claims "
                       "and its groups')")).alias("reason"), F.lit(2).alias("rank"))
    return unknown.unionByName(dangling).unionByName(crossing)


# -- routing -------------------------------------------------------------------------


def _closure(ledger: SparkLedger) -> Any:
    """(member, group) for every group each entity belongs to, directly or through
    other groups. Only the memberships of groups in groups reach the driver."""
    F = _functions()
    memberships = ledger.relations.where(F.col("kind") == "member of").select(
        F.col("subject").alias("member"), F.col("object").alias("group"))
    groups = ledger.entities.where(F.col("type") == "group").select(F.col("id").alias("member"))
    nested = memberships.join(groups, "member").collect()
    parents: dict[str, set[str]] = {}
    for row in nested:
        parents.setdefault(row["member"], set()).add(row["group"])
    if not parents:
        return memberships.distinct()
    above: list[tuple[str, str]] = []
    for group in {g for gs in parents.values() for g in gs} | set(parents):
        found: set[str] = set()
        stack = [group]
        while stack:
            for parent in parents.get(stack.pop(), ()):
                if parent not in found:
                    found.add(parent)
                    stack.append(parent)
        above.extend((group, ancestor) for ancestor in found if ancestor != group)
    spark = ledger.relations.sparkSession
    higher = spark.createDataFrame(above, "group string, ancestor string")
    indirect = memberships.join(F.broadcast(higher), "group").select(
        "member", F.col("ancestor").alias("group"))
    return memberships.unionByName(indirect).where(F.col("member") != F.col("group")).distinct()


def _routes(ledger: SparkLedger) -> Any:
    """(owner, id): each claim with every entity whose answer rests on it."""
    F = _functions()
    claims = ledger.claims
    direct = claims.where(F.col("entry").isin(*_PLACING)).select(
        F.explode("subjects").alias("owner"), "id")
    closure = ledger.memberships()
    via = direct.join(closure, direct.owner == closure.group).select(
        F.col("member").alias("owner"), "id")
    placing = direct.unionByName(via).distinct()
    withdrawn = claims.where(F.col("entry").isin(*_WITHDRAWALS)).select("id", "target").join(
        placing.select("owner", F.col("id").alias("target")), "target").select("owner", "id")
    return placing.unionByName(withdrawn)


ENTITIES_PER_STEP = 1000
"""About how many entities one call of the grouped map answers (each from its own
small ledger): entities are hashed into buckets of about this size, so that the cost
of a call (Arrow to pandas and back) is shared."""


def _answers(ledger: SparkLedger, questions: dict[str, Question], tables: Tables) -> Any:
    F = _functions()
    buckets = max(ledger.entities.sparkSession.sparkContext.defaultParallelism,
                  -(-ledger.entities.count() // ENTITIES_PER_STEP))

    def bucket(column: str) -> Any:
        return F.pmod(F.hash(F.col(column)), F.lit(buckets)).alias("bucket")

    rows = _routes(ledger).join(ledger.claims, "id").withColumn("bucket", bucket("owner"))
    groups = ledger.memberships().groupBy("member").agg(F.collect_set("group").alias("groups"))
    side = ledger.entities.select("id", "type", "name", "aliases").join(
        groups.withColumnRenamed("member", "id"), "id", "left").withColumn("bucket", bucket("id"))
    schema = ", ".join(f"{name} {kind}" for name, kind in ANSWER_COLUMNS)
    columns = [name for name, _ in ANSWER_COLUMNS]

    def step(claims: Any, entities: Any) -> Any:
        import pandas as pd

        by_owner: dict[str, list[dict[str, Any]]] = {}
        for row in claims.drop(columns="bucket").to_dict("records"):
            by_owner.setdefault(row.pop("owner"), []).append(row)
        decoded: dict[str, Any] = {}  # a group's claims, decoded once for all its members
        codec = tables.codec()  # it only reads its places and sources: one for the call
        found: list[dict[str, Any]] = []
        for entity in entities.drop(columns="bucket").to_dict("records"):
            found.extend(ask(questions, tables, entity, list_cell(entity.get("groups")),
                             by_owner.get(entity["id"], ()), decoded=decoded, codec=codec))
        return pd.DataFrame(found, columns=columns)

    return rows.groupBy("bucket").cogroup(side.groupBy("bucket")).applyInPandas(step, schema)
