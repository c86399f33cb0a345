"""The tables of a ledger written as Parquet: their names, columns, types and meanings.

One spec, used three ways: :mod:`whereabouts.io.parquet` builds the Arrow
schemas it writes from it and checks what it reads against it, and
``docs/scale-out.md`` lists it (a test keeps the two the same). pyarrow is
imported only by :func:`arrow_schema`.

>>> [table.name for table in TABLES]
['entities', 'relations', 'places', 'registered', 'sources', 'claims']
>>> claims = TABLES[-1]
>>> [(c.name, c.type) for c in claims.columns[:4]]
[('seq', 'int64'), ('id', 'string'), ('entry', 'string'), ('subjects', 'list<string>')]
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["FORMAT", "TABLES", "VERSION", "Column", "Table", "arrow_schema", "table"]

FORMAT = "whereabouts-ledger-parquet"
"""The format name in every file's key-value metadata (key ``whereabouts``)."""
VERSION = 1
"""The version of the table layout this release writes and reads."""

TYPES = ("string", "int64", "float64", "bool", "list<string>")


@attrs.frozen
class Column:
    """A column: its name, type (one of ``TYPES``), whether it may hold nulls, meaning."""

    name: str
    type: str
    nullable: bool
    meaning: str
    dictionary: bool = False
    """Whether it is written dictionary-encoded (few distinct values; read as plain text)."""


@attrs.frozen
class Table:
    """A table: the file ``{name}.parquet``, what one row is, and its columns in order."""

    name: str
    row: str
    columns: tuple[Column, ...]

    @property
    def file(self) -> str:
        return f"{self.name}.parquet"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name: str, type: str, meaning: str, *, null: bool = False,
       dictionary: bool = False) -> Column:
    return Column(name, type, null, meaning, dictionary)


TABLES = (
    Table("entities", "person or group, in the order added", (
        _c("id", "string", "the entity's id, unique"),
        _c("type", "string", "`person` or `group`", dictionary=True),
        _c("name", "string", "its name"),
        _c("aliases", "list<string>", "its other names (empty: none)"),
        _c("description", "string", "what it is (empty: none)"),
        _c("note", "string", "a note (empty: none)"),
    )),
    Table("relations", "relation between two entities, in the order made", (
        _c("subject", "string", "the entity id it is about"),
        _c("kind", "string", "`member of` (a group membership: `subject` is a member of "
           "the group `object`; every membership is written so), `parent of`, `child of`, "
           "`sibling of`, `twin of`, `cousin of`, `spouse of`, `adviser of`, `advised by` "
           "or `related to`",
           dictionary=True),
        _c("object", "string", "the other entity id"),
        _c("label", "string", "what the tie is, for `related to` (empty: none)"),
        _c("note", "string", "a note (empty: none)"),
    )),
    Table("places", "place that a claim, a registered place or another place "
          "refers to, each once, a place's parent before it", (
        _c("id", "string", "the place's id in these tables: its key, or `key#2`, `key#3`... "
           "when different places share a key"),
        _c("key", "string", "the place's key (`geonames:266826`, `city:dubai:AE`, `RU`)"),
        _c("name", "string", "its name"),
        _c("kind", "string", "`region`, `country`, `subdivision`, `city`, "
           "`facility`, `craft` or `waters` (`whereabouts.PlaceKind`)", dictionary=True),
        _c("country", "string", "ISO 3166-1 alpha-2 code of its country", null=True),
        _c("countries", "list<string>", "every country it may be in: a region's "
           "countries, else `[country]` or `[]`"),
        _c("subdivision", "string", "ISO 3166-2 code of its subdivision", null=True),
        _c("latitude", "float64", "degrees north of its point", null=True),
        _c("longitude", "float64", "degrees east of its point", null=True),
        _c("parent", "string", "the id of the place it lies in", null=True),
    )),
    Table("registered", "place registered with the ledger's gazetteer, in order", (
        _c("place", "string", "the place's id (in `places`)"),
        _c("aliases", "list<string>", "the other names it answers to"),
    )),
    Table("sources", "source that an entry or another source refers to, each once, "
          "the source it relays before it", (
        _c("id", "string", "the source's id in these tables (a slug of its name)"),
        _c("name", "string", "its name"),
        _c("kind", "string", "`outlet`, `official`, `anonymous`, `witness`, "
           "`document`, `analyst` or `other` (`whereabouts.SourceKind`)", dictionary=True),
        _c("published", "string", "when it was published, EDTF", null=True),
        _c("url", "string", "where it is", null=True),
        _c("via", "string", "the id of the source it relays (its relay chain, one step "
           "closer to the origin)", null=True),
    )),
    Table("claims", "entry of the ledger (an observation, a correction, a retraction "
          "or a denial), in the order appended", (
        _c("seq", "int64", "its position in the ledger, from 0"),
        _c("id", "string", "its id, unique (`o1`, `o2`... unless given)"),
        _c("entry", "string", "`observation`, `correction` (an observation that "
           "replaces `target`), `retraction` or `denial` (of `target`)", dictionary=True),
        _c("subjects", "list<string>", "the entity ids it is about (empty for a "
           "retraction or denial)"),
        _c("kind", "string", "`seen at`, `arrived at`, `departed`, `died`... "
           "(`whereabouts.Kind`)", null=True, dictionary=True),
        _c("place", "string", "the place's id (in `places`); null for no place or for "
           "one of several", null=True, dictionary=True),
        _c("place_options", "list<string>", "the place ids when it is one of several "
           "(\"Russia or Libya\")", null=True),
        _c("when", "string", "when it happened, EDTF; null when not known",
           null=True, dictionary=True),
        _c("when_lower", "float64", "POSIX seconds (UTC) of the earliest instant `when` "
           "allows, `-inf` when not known", null=True),
        _c("when_upper", "float64", "POSIX seconds just after the latest instant `when` "
           "allows, `inf` when not known", null=True),
        _c("throughout", "bool", "true for a stay (it held throughout `when`)", null=True),
        _c("reported", "string", "when it was reported, EDTF; null when not known",
           null=True, dictionary=True),
        _c("reported_lower", "float64", "as `when_lower`, for `reported`"),
        _c("reported_upper", "float64", "as `when_upper`, for `reported`"),
        _c("window_lower", "float64", "the earliest it can have happened by its own "
           "dates (a stay: begun), the engine's bound", null=True),
        _c("window_upper", "float64", "just after the latest it can have happened by its "
           "own dates, no later than `reported_upper` (a stay: ended)", null=True),
        _c("source", "string", "the source's id (in `sources`)", dictionary=True),
        _c("grading", "string", "the grade, `A1` to `F6` (`F6`: not graded)",
           null=True, dictionary=True),
        _c("note", "string", "a note; for a retraction or denial, its reason "
           "(empty: none)"),
        _c("after", "list<string>", "ids of earlier observations it came after"),
        _c("target", "string", "the observation a correction replaces or a retraction "
           "or denial withdraws", null=True),
    )),
)
"""Every table, in the order they are written and read."""

_BY_NAME = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    """The table of this name."""
    return _BY_NAME[name]


def arrow_schema(spec: Table) -> Any:
    """The pyarrow schema of a table (dictionary-encoded columns as ``dictionary<int32,
    string>``), with the format in its metadata."""
    import json

    import pyarrow as pa

    def arrow_type(column: Column) -> Any:
        if column.dictionary:
            return pa.dictionary(pa.int32(), pa.string())
        return {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(),
                "bool": pa.bool_(), "list<string>": pa.list_(pa.string())}[column.type]

    meta = json.dumps({"format": FORMAT, "version": VERSION, "table": spec.name})
    return pa.schema([pa.field(c.name, arrow_type(c), nullable=c.nullable)
                      for c in spec.columns], metadata={"whereabouts": meta})


def markdown(spec: Table) -> str:
    """The table as the Markdown table ``docs/scale-out.md`` shows."""
    lines = [f"**`{spec.file}`**: a row per {spec.row}.", "",
             "| column | type | null | meaning |", "|---|---|---|---|"]
    for c in spec.columns:
        kind = f"{c.type} (dictionary)" if c.dictionary else c.type
        lines.append(f"| `{c.name}` | {kind} | {'yes' if c.nullable else 'no'} | {c.meaning} |")
    return "\n".join(lines)
