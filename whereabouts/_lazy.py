"""A read-only sequence whose items are computed from keys when read.

Answers, appended rows and answer columns can hold a million items; they are
kept as keys (row or entity numbers) and a function that builds an item, not
as a million objects.

>>> squares = Column(range(5), lambda n: n * n)
>>> len(squares), squares[2], list(squares[3:]), squares == [0, 1, 4, 9, 16]
(5, 4, [9, 16], True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar, overload

__all__ = ["Column"]

T = TypeVar("T")


class Column(Sequence[T]):
    """Items built from ``keys`` by ``get`` on each read; a slice is another column.
    Equal to any sequence (but text) of equal items."""

    __slots__ = ("_get", "_keys")

    def __init__(self, keys: Sequence[int], get: Callable[[int], T]) -> None:
        self._keys = keys
        self._get = get

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Column[T]: ...

    def __getitem__(self, index: int | slice) -> T | Column[T]:
        if isinstance(index, slice):
            return Column(self._keys[index], self._get)
        return self._get(self._keys[index])

    def __iter__(self) -> Iterator[T]:
        return map(self._get, self._keys)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # its items may change: not hashable

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {len(self)}>"
