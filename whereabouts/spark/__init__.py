"""The ledger's own rules run on Spark, one entity per step (the ``spark`` extra).

A :class:`SparkLedger` holds the tables of a ledger written as Parquet (see
``docs/scale-out.md``) as Spark DataFrames and answers the whole-ledger
questions for every entity at once, as Spark DataFrames: ``last_known``,
``where``, ``who_is_in``, ``unaccounted`` and ``dead``, each with ``as_of``,
``known_at`` and ``min_grade`` as the in-process :class:`~whereabouts.Ledger`
takes them. Each entity's claims (its own, its groups', and the corrections,
retractions and denials of those) are brought together by joins, and a small
``Ledger`` built from them on an executor answers, with the same code as the
in-process one (``whereabouts.spark._step``). The driver collects only the
places, the sources and the memberships of groups in groups; never the claims.

pyspark is imported by the methods that need it, never by ``import whereabouts``.
"""

from whereabouts.spark._errors import SparkInputError
from whereabouts.spark._plan import SparkLedger
from whereabouts.spark._step import Question

__all__ = ["Question", "SparkInputError", "SparkLedger"]
