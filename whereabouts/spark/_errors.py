"""The error of a dataset Spark cannot answer from: the file, the column, the first bad row."""

from __future__ import annotations

from whereabouts.errors import WhereaboutsError, brief

__all__ = ["SparkInputError"]


class SparkInputError(WhereaboutsError, ValueError):
    """A table of the dataset is not as ``docs/scale-out.md`` specifies, or its rows
    do not hold together (a claim about an entity the entities table lacks, an
    ``after`` link that leaves what an entity's step holds).

    ``path`` names the file (or the table, for a DataFrame given directly),
    ``column`` the column, ``row`` the first bad row (its ``seq`` in the claims
    table, else its position from 0), ``value`` the value at fault.

    >>> print(SparkInputError("no entity has this id", path="data/claims.parquet",
    ...                       column="subjects", row=17, value="p9"))
    data/claims.parquet: row 17: subjects: 'p9': no entity has this id
    """

    def __init__(self, reason: str, *, path: str, column: str | None = None,
                 row: int | None = None, value: object = None) -> None:
        super().__init__(reason, field=column, value=value)
        self.path = path
        self.column = column
        self.row = row

    def __str__(self) -> str:
        parts = [self.path]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(self.column)
        if self.value is not None:
            parts.append(brief(self.value))
        parts.append(self.reason)
        return ": ".join(parts)
