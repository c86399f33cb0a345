"""The store's columns as numpy arrays: windows by row, date bounds by code.

The lowest layer of the whole-ledger paths, shared by the timeline's bulk
indexing (``_timeline``), the vectorised answers (``_columnar``) and the bulk
import (``_bulk``). numpy is imported on first use, so ``import whereabouts``
stays light.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from whereabouts._store import Store

__all__ = ["bounds_of", "memo", "numpy", "own_windows", "when_bounds"]


def numpy() -> Any:
    """The numpy module, imported on first use."""
    import numpy

    return numpy


def memo(store: Store, name: str, size: int, compute: Callable[[], Any]) -> Any:
    """A value derived from the store's first ``size`` rows (or table entries), which
    never change: kept until the store grows."""
    found = store.memo.get(name)
    if found is None or found[0] != size:
        found = store.memo[name] = (size, compute())
    return found[1]


def when_bounds(store: Store) -> tuple[Any, Any]:
    """The start and end of every date in the store's table, by code (none: unbounded).

    Read from the table's numbers each time, not kept: a few milliseconds for a
    million dates, against 16 bytes a date held."""
    bounds: tuple[Any, Any] = store.whens.bounds()
    return bounds


def bounds_of(store: Store, codes: Any) -> tuple[Any, Any]:
    """The start and end of the dates of the store's table with these ``codes`` (an
    integer array), one each. Fewer codes than the table has dates are read alone: a
    file appended a part at a time would otherwise read every date stored so far at
    each part (quadratic: at 10^6 claims to the second, a million dates each time)."""
    if len(codes) < len(store.whens):
        found: tuple[Any, Any] = store.whens.bounds(codes=codes)
        return found
    starts, ends = when_bounds(store)
    return starts[codes], ends[codes]


def own_windows(store: Store, start: int = 0) -> tuple[Any, Any]:
    """The window of every row from ``start`` on, by its own dates (retractions: NaN)."""
    np = numpy()
    when = np.frombuffer(store.when, dtype=np.int32)[start:]
    reported = np.frombuffer(store.reported, dtype=np.int32)[start:]
    lower, ends = bounds_of(store, when)
    upper = np.minimum(ends, bounds_of(store, reported)[1])
    retracted = np.frombuffer(store.kind, dtype=np.int8)[start:] < 0
    lower[retracted] = math.nan
    upper[retracted] = math.nan
    for row, (begun, *_, ended) in store.stays.items():
        if row >= start:
            lower[row - start] = begun
            upper[row - start] = ended
    return lower, upper
