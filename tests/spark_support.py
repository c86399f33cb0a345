"""What the Spark tests share: a local SparkSession, ledgers as Spark tables, and the
ledgers a Spark job accepts.

Skips (with the reason) when pyspark, pandas, pyarrow or a Java runtime is missing.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from whereabouts import Denial, Group, Ledger, Observation, Person, Retraction
from whereabouts.errors import WhereaboutsError
from whereabouts.io._records import Codec
from whereabouts.io._tables import TABLES

PANDAS_3 = "ignore:PySpark does not yet fully support pandas:FutureWarning"
"""pyspark 4.3 warns under pandas 3 (which the test extra installs); the grouped map works."""


def spark_session() -> Iterator[Any]:
    """A local[2] session for the module, stopped after it (a generator for a fixture)."""
    for module in ("pyspark", "pandas", "pyarrow"):
        pytest.importorskip(module, reason=f"{module} is not installed: pip install "
                                           "'whereabouts[spark]' to run the Spark tests")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime (pyspark needs Java 17 or later)")
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (SparkSession.builder.master("local[2]").appName("whereabouts-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.default.parallelism", "2")
               .config("spark.sql.adaptive.enabled", "false")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def rows(ledger: Ledger) -> dict[str, list[dict[str, Any]]]:
    """The ledger's tables as rows, in the schema of ``whereabouts.io._tables``."""
    codec = Codec()
    found: dict[str, list[dict[str, Any]]] = {t.name: [] for t in TABLES}
    for entity in ledger.entities:
        found["entities"].append({"id": entity.id, "type": "group" if isinstance(entity, Group)
                                  else "person", "name": entity.name,
                                  "aliases": list(entity.aliases),
                                  "description": entity.description, "note": entity.note})
    for relation in ledger.relations:
        found["relations"].append({"subject": relation.subject, "kind": relation.kind.value,
                                   "object": relation.object, "label": relation.label,
                                   "note": relation.note})
    for seq, entry in enumerate(ledger.entries):
        for record in codec.encode_part(entry):
            if record["type"] == "place":
                point = record.get("point")
                found["places"].append({
                    "id": record["id"], "key": record.get("key", record["id"]),
                    "name": record["name"], "kind": record["kind"],
                    "country": record.get("country"),
                    "countries": record.get("countries") or (
                        [record["country"]] if record.get("country") else []),
                    "subdivision": record.get("subdivision"),
                    "latitude": None if point is None else point[0],
                    "longitude": None if point is None else point[1],
                    "parent": record.get("parent")})
            elif record["type"] == "source":
                found["sources"].append({"id": record["id"], "name": record["name"],
                                         "kind": record.get("kind", "other"),
                                         "published": record.get("published"),
                                         "url": record.get("url"), "via": record.get("via")})
            else:
                found["claims"].append(_claim(seq, entry, record))
    return found


def _claim(seq: int, entry: Any, record: dict[str, Any]) -> dict[str, Any]:
    place = record.get("place")
    row: dict[str, Any] = {
        "seq": seq, "id": record["id"], "subjects": record.get("subjects", []),
        "kind": record.get("kind"), "place": place if isinstance(place, str) else None,
        "place_options": place if isinstance(place, list) else None,
        "when": record.get("when"), "when_lower": None, "when_upper": None,
        "throughout": getattr(entry, "throughout", None),
        "reported": record.get("reported"), "reported_lower": 0.0, "reported_upper": 0.0,
        "window_lower": None, "window_upper": None, "source": record["source"],
        "grading": record.get("grading"), "note": record.get("note", record.get("reason", "")),
        "after": record.get("after", []), "target": record.get("corrects", record.get("target")),
    }
    if isinstance(entry, Retraction | Denial):
        row["entry"] = record["type"]
    else:
        row["entry"] = "correction" if entry.corrects is not None else "observation"
    return row


def spark_ledger(spark: Any, ledger: Ledger, folder: Path) -> Any:
    """The ledger written as Parquet into ``folder`` (by ``write_parquet``) and read by
    Spark."""
    from whereabouts.io.parquet import write_parquet
    from whereabouts.spark import SparkLedger

    write_parquet(ledger, folder)
    return SparkLedger.read(spark, folder)


# -- ledgers a Spark job accepts -------------------------------------------------------


def seen_by(ledger: Ledger) -> dict[str, frozenset[str]]:
    """For each observation id, the entities whose answers rest on it: its subjects and
    every member (directly or not) of the groups among them."""
    members: dict[str, set[str]] = {}
    for entity in ledger.entities:
        for group in ledger.groups_of(entity):
            members.setdefault(group, set()).add(entity.id)
    found: dict[str, frozenset[str]] = {}
    for obs in ledger.observations:
        found[obs.id] = frozenset(obs.subjects).union(*(members.get(s, ()) for s in obs.subjects))
    return found


def partitionable(ledger: Ledger) -> Ledger:
    """A copy of ``ledger`` without the entries a Spark job refuses: those whose
    ``after`` links or correction target are seen by other entities than they are
    (and the entries that then lose what they refer to)."""
    copy = Ledger(gazetteer=_Places())
    for entity in ledger.entities:
        copy.add(entity)
    for relation in ledger.relations:
        copy.relate(relation.subject, relation.kind, relation.object, label=relation.label,
                    note=relation.note)
    seen = seen_by(ledger)
    for entry in ledger.entries:
        if isinstance(entry, Observation):
            linked = [*entry.after, *([entry.corrects] if entry.corrects else [])]
            if any(seen.get(other) != seen[entry.id] for other in linked):
                continue
        try:
            copy.append(entry)
        except WhereaboutsError:
            continue  # what it refers to was left out
    return copy


class _Places:
    def place(self, name: str, *, country: str | None = None) -> Any:
        raise AssertionError(name)

    def register(self, place: Any, *, aliases: object = ()) -> Any:
        return place


def combine(ledgers: list[Ledger]) -> Ledger:
    """One ledger holding each of ``ledgers``, ids prefixed ``L{n}.`` so none collide."""
    big = Ledger(gazetteer=_Places())
    for n, ledger in enumerate(ledgers):
        p = f"L{n}."
        for entity in ledger.entities:
            cls = Group if isinstance(entity, Group) else Person
            big.add(cls(p + entity.id, entity.name, aliases=entity.aliases))
        for relation in ledger.relations:
            big.relate(p + relation.subject, relation.kind, p + relation.object)
        for entry in ledger.entries:
            if isinstance(entry, Observation):
                big.append(attrs.evolve(
                    entry, id=p + entry.id, subjects=tuple(p + s for s in entry.subjects),
                    after=tuple(p + a for a in entry.after),
                    corrects=None if entry.corrects is None else p + entry.corrects))
            else:
                big.append(attrs.evolve(entry, id=p + entry.id, target=p + entry.target))
    return big
