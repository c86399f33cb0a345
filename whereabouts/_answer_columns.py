"""Whole-ledger answers as columns: codes into small tables, one row per answer.

:class:`AnswerColumns` is what :meth:`Roll.columns`, :meth:`Presence.columns` and
:meth:`Answers.columns` return: numpy arrays of codes (who, what status, which
place) and the tables they point into, read without building a single
:class:`~whereabouts.results.Whereabouts`. They turn into a pandas DataFrame or
an Arrow table of categorical (dictionary) columns cheaply, since the strings
are those of the tables, not one per answer. numpy, pandas and pyarrow are
imported when first used.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from whereabouts._status import STATUSES, Status
from whereabouts.places import Where

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["AnswerColumns", "Options"]

Options = tuple[tuple[Status, Where | None], ...]
"""The candidates of a disputed answer: each a (status, place) pair."""

_DISPUTED = STATUSES.index(Status.DISPUTED)


class _ByRow(Mapping[int, Options]):
    """The candidates of the disputed answers, by answer row, read from the options
    kept by entity number (no copy until read)."""

    __slots__ = ("_entity", "_options", "_rows")

    def __init__(self, entity: Any, status: Any, options: Mapping[int, Options]) -> None:
        self._entity = entity
        self._options = options
        self._rows: list[int] = _numpy().flatnonzero(status == _DISPUTED).tolist()

    def __getitem__(self, row: int) -> Options:
        if not isinstance(row, int) or row < 0 or row >= len(self._entity):
            raise KeyError(row)
        found = self._options.get(int(self._entity[row]))
        if found is None or row not in self._rows:
            raise KeyError(row)
        return found

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        return repr(dict(self))


def _numpy() -> Any:
    import numpy

    return numpy


@attrs.frozen(kw_only=True, eq=False, repr=False)
class AnswerColumns:
    """Answers as columns: row ``i`` is the answer about ``ids[entity[i]]``.

    ``entity`` (int32) holds positions into ``ids``, the ledger's own table of
    entity ids (not a copy); ``status`` (int8) codes into :attr:`statuses`
    (the members of :class:`~whereabouts.results.Status` in order: 0 located,
    1 heading, 2 departed, 3 unknown, 4 deceased, 5 disputed, 6 nothing
    known); ``place`` (int32) codes into ``places``, where code 0 is None (no
    place, or a disputed answer). :attr:`candidates` gives, by row, the
    (status, place) options of each disputed answer; ``possible`` (bool, for
    :meth:`Presence.columns` only) marks the rows only possibly in the place.
    Build the full :class:`~whereabouts.results.Whereabouts` of a row, with its
    evidence, from the roll or presence it came from.

    >>> from whereabouts import Ledger, Place
    >>> ledger = Ledger()
    >>> for name in ("Amal Haddad", "Badr Nasser", "Dana Saleh"):
    ...     _ = ledger.add_person(name)
    >>> for who, where in (("amal", "LB"), ("badr", "SY"), ("badr", "RU")):
    ...     _ = ledger.observe(who, "seen at", place=Place.from_country(where),
    ...                        when="2024-12", source="a wire", reported="2025-01-02")
    >>> columns = ledger.everyone().columns()
    >>> len(columns), columns.entity.tolist(), columns.status.tolist()
    (3, [0, 1, 2], [0, 5, 6])
    >>> [columns.ids[n] for n in columns.entity], columns.statuses[5]
    (['amal-haddad', 'badr-nasser', 'dana-saleh'], <Status.DISPUTED: 'disputed'>)
    >>> columns.places[columns.place[0]].name, columns.place[1:].tolist()
    ('Lebanon', [0, 0])
    >>> [(s.value, p.name) for s, p in columns.candidates[1]]
    [('located', 'Syria'), ('located', 'Russia')]
    >>> columns.countries[columns.country[0]], columns.country[1:].tolist()
    ('LB', [0, 0])
    """

    ids: Sequence[str]
    """Entity ids by entity number (the ledger's own list)."""
    entity: npt.NDArray[np.int32]
    status: npt.NDArray[np.int8]
    place: npt.NDArray[np.int32]
    places: Sequence[Where | None]
    """Places by code; code 0 is None."""
    options: Mapping[int, Options] = attrs.field(factory=dict)
    """The candidates of disputed answers by entity number (see :attr:`candidates`)."""
    possible: npt.NDArray[np.bool_] | None = None
    """For who is in a place: True where the answer only possibly puts them there."""

    statuses: tuple[Status, ...] = STATUSES
    """Statuses by code: their order in :class:`~whereabouts.results.Status`."""

    def __len__(self) -> int:
        return len(self.entity)

    def __repr__(self) -> str:
        return f"<AnswerColumns: {len(self)} answers>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AnswerColumns):
            return NotImplemented
        np = _numpy()
        mine = [self.ids[n] for n in self.entity.tolist()]
        theirs = [other.ids[n] for n in other.entity.tolist()]
        return (mine == theirs and np.array_equal(self.status, other.status)
                and [self.places[c] for c in self.place.tolist()]
                == [other.places[c] for c in other.place.tolist()]
                and dict(self.candidates) == dict(other.candidates)
                and (self.possible is None) == (other.possible is None)
                and (self.possible is None or np.array_equal(self.possible, other.possible)))

    __hash__ = None  # type: ignore[assignment]  # holds arrays: not hashable

    @functools.cached_property
    def candidates(self) -> Mapping[int, Options]:
        """The (status, place) options of each disputed answer, by row."""
        return _ByRow(self.entity, self.status, self.options)

    @functools.cached_property
    def _country_codes(self) -> tuple[Any, tuple[str | None, ...]]:
        np = _numpy()
        names: dict[str | None, int] = {None: 0}
        by_place = np.array([0 if p is None else names.setdefault(p.country, len(names))
                             for p in self.places], dtype=np.int32)
        codes = by_place[self.place]
        codes[self.status == _DISPUTED] = 0  # (their place code is 0 already)
        return codes, tuple(names)

    @property
    def country(self) -> npt.NDArray[np.int32]:
        """Per row, a code into :attr:`countries` of the one country the answer
        points to (0: none, as for a disputed answer or one in several countries).
        Worked out on first read."""
        codes: npt.NDArray[np.int32] = self._country_codes[0]
        return codes

    @property
    def countries(self) -> tuple[str | None, ...]:
        """ISO alpha-2 codes by country code; code 0 is None."""
        return self._country_codes[1]

    def to_frame(self) -> Any:
        """A :class:`pandas.DataFrame`, one row per answer, indexed by entity ``id``,
        every column categorical over the tables: ``status`` (its value),
        ``place`` (its label; empty when none or disputed), ``country`` and,
        for a presence, ``presence`` (``"definite"`` or ``"possible"``). Needs
        the ``pandas`` extra (:class:`~whereabouts.io.MissingDependency`)."""
        from whereabouts._optional import pandas

        pd = pandas()
        columns: dict[str, Any] = {}
        for name, (codes, values) in self._coded().items():
            columns[name] = pd.Categorical.from_codes(codes, categories=values)
        index = pd.CategoricalIndex(columns.pop("id"), name="id")
        return pd.DataFrame(columns, index=index)

    def to_arrow(self) -> Any:
        """A :class:`pyarrow.Table`, one row per answer: ``id``, ``status``, ``place``
        (its label), ``country`` and, for a presence, ``presence``, each a
        dictionary array over the tables (null where there is none). Needs
        pyarrow (``pip install 'whereabouts[arrow]'``; otherwise
        :class:`~whereabouts.io.MissingDependency`)."""
        from whereabouts._optional import pyarrow

        pa = pyarrow()
        arrays = {}
        for name, (codes, values) in self._coded().items():
            arrays[name] = pa.DictionaryArray.from_arrays(
                pa.array(codes, mask=codes < 0), pa.array(values, type=pa.string()))
        return pa.table(arrays)

    def _coded(self) -> dict[str, tuple[Any, list[str]]]:
        """Each output column as codes (-1: missing) into distinct strings."""
        np = _numpy()
        labels: dict[str, int] = {}
        by_place = np.array([-1 if p is None else labels.setdefault(p.label, len(labels))
                             for p in self.places], dtype=np.int32)
        country = self.country
        found: dict[str, tuple[Any, list[str]]] = {
            "id": (self.entity, list(self.ids)),
            "status": (self.status, [s.value for s in self.statuses]),
            "place": (by_place[self.place], list(labels)),
            "country": (country - 1, [str(c) for c in self.countries[1:]]),
        }
        if self.possible is not None:
            found["presence"] = (self.possible.astype(np.int8), ["definite", "possible"])
        return found
