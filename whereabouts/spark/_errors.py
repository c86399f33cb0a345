"""The error of a dataset Spark cannot answer from: the file, the column, the first bad row."""

from __future__ import annotations

from whereabouts.errors import brief
from whereabouts.io.errors import LedgerFileError, Problem

__all__ = ["SparkInputError"]


class SparkInputError(LedgerFileError):
    """A table of the dataset is not as ``docs/scale-out.md`` specifies, or its rows
    do not hold together (a claim about an entity the entities table lacks, an
    ``after`` link that leaves what an entity's step holds).

    A :class:`~whereabouts.io.LedgerFileError`, worded as the Parquet reader's:
    ``path`` names the file (or the table, for a DataFrame given directly),
    ``column`` the column, ``row`` the first bad row (its ``seq`` in the claims
    table, else its position from 0) and ``value`` the value at fault.

    >>> err = SparkInputError("no entity has this id", path="data/claims.parquet",
    ...                       column="subjects", row=17, value="p9")
    >>> print(err)
    data/claims.parquet: row 17, subjects: 'p9': no entity has this id
    >>> err.row, err.column
    (17, 'subjects')
    """

    def __init__(self, reason: str, *, path: str, column: str | None = None,
                 row: int | None = None, value: object = None) -> None:
        where = ([] if row is None else [f"row {row}"]) + ([] if column is None else [column])
        message = reason if value is None else f"{brief(value)}: {reason}"
        super().__init__(path, [Problem(field=", ".join(where) or None, message=message)])
        self.column = column
        self.row = row
        self.bad_value = value
