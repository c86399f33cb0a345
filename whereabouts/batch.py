"""Many observations at once, as columns: what bulk loaders hand to :meth:`Ledger.extend`.

A :class:`Batch` holds one *code* per row and column, and per column a *table*
of the distinct values the codes point into. A column of a million dates
usually holds a few thousand distinct ones, so a loader checks (and the ledger
stores) each distinct value once, and no Python object is built per row.

>>> from whereabouts import Kind, Ledger, Place, Source, When
>>> ledger = Ledger()
>>> _ = ledger.add_person("Amal Haddad", id="amal")
>>> batch = Batch(
...     subjects=[0, 0], subject_table=[("amal",)],
...     kinds=[0, 1], kind_table=[Kind.SEEN_AT, Kind.DEPARTED],
...     places=[0, 0], place_table=[Place.from_country("LB")],
...     whens=[0, 1], when_table=[When.parse("2024-03-01"), When.parse("2024-03-05")],
...     reported=[0, 0], reported_table=[When.parse("2024-03-09")],
...     sources=[0, 0], source_table=[Source("The Daily Example")],
... )
>>> len(batch)
2
>>> [o.id for o in ledger.extend(batch)]
['o1', 'o2']
>>> print(ledger.last_known("amal").headline)
Amal Haddad: left Lebanon, since 2024-03-05
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from whereabouts.errors import InvalidObservation
from whereabouts.observations import Kind
from whereabouts.places import Where
from whereabouts.sources import Grading, Source
from whereabouts.when import When

__all__ = ["Batch", "code_column"]


def _same_length(instance: Batch, attribute: attrs.Attribute[Sequence[int]],
                 value: Sequence[int]) -> None:
    if len(value) != len(instance.subjects):
        raise InvalidObservation(
            f"has {len(value)} codes for {len(instance.subjects)} rows", field=attribute.name,
        )


@attrs.frozen(kw_only=True)
class Batch:
    """Rows of observations as code columns into tables of distinct values.

    Row ``r`` is about ``subject_table[subjects[r]]`` (entity ids), of kind
    ``kind_table[kinds[r]]``, and so on. ``when_table`` and ``place_table`` may
    hold ``None`` (not known, no place), and so may ``reported_table`` (a report
    date not known). ``gradings`` may be left empty, for the default grade.
    ``ids`` gives each row's id, ``None`` (or no ``ids`` at all) for the
    ledger's next ``o{n}``. ``notes``, ``after`` and ``throughout`` are keyed by
    row number (``after``: ids of observations recorded earlier, in the ledger
    or on an earlier row; ``throughout``: True for a stay, False for not one,
    on the rows that say; the others take the default of
    :attr:`Observation.throughout <whereabouts.Observation.throughout>`).
    """

    subjects: Sequence[int]
    subject_table: Sequence[tuple[str, ...]]
    kinds: Sequence[int] = attrs.field(validator=_same_length)
    kind_table: Sequence[Kind]
    places: Sequence[int] = attrs.field(validator=_same_length)
    place_table: Sequence[Where | None]
    whens: Sequence[int] = attrs.field(validator=_same_length)
    when_table: Sequence[When | None]
    reported: Sequence[int] = attrs.field(validator=_same_length)
    reported_table: Sequence[When | None]
    sources: Sequence[int] = attrs.field(validator=_same_length)
    source_table: Sequence[Source]
    gradings: Sequence[int] = ()
    grading_table: Sequence[Grading] = ()
    ids: Sequence[str | None] | None = None
    notes: Mapping[int, str] = attrs.field(factory=dict)
    after: Mapping[int, tuple[str, ...]] = attrs.field(factory=dict)
    throughout: Mapping[int, bool] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        if self.gradings:
            _same_length(self, attrs.fields(Batch).gradings, self.gradings)
        if self.ids is not None:
            _same_length(self, attrs.fields(Batch).ids, self.ids)  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self.subjects)


def code_column(codes: Any) -> array[int]:
    """A numpy array of codes as a code column of a :class:`Batch`: an ``array`` of
    int64, which :meth:`Ledger.extend <whereabouts.Ledger.extend>` reads back as numpy
    without a copy (a numpy array itself has no truth value to tell an empty column by).

    >>> import numpy as np
    >>> code_column(np.array([2, 0, 1], dtype=np.int32))
    array('q', [2, 0, 1])
    """
    column = array("q")
    column.frombytes(codes.astype("int64", copy=False).tobytes())
    return column
