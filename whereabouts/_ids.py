"""Ids given to rows, other than their default ``o{row + 1}``, without a string each.

Ids are mostly a prefix and a number (``obs-000123``, ``o42``): such an id is
kept as a code into a table of prefixes, the number (uint32) and its width
(leading zeros included), 11 bytes, and written again when read. The number is
the id's last digits, at most 17 of them (any digits before those belong to the
prefix). Any other id (no digits at its end, or a number of ``2**32`` or more)
is kept in a dict. Finding a row by its id goes through a sorted index, built
when first needed and again once enough ids have been added since.

>>> ids = Ids()
>>> ids.add(0, "obs-007")
>>> ids.add(4, "memo")
>>> ids.add(5, "o1")
>>> ids.add(6, "n4294967295")  # 2**32 - 1: the largest number kept as a number
>>> ids.add(7, "n4294967296")  # past 32 bits: kept in the dict, as "memo" is
>>> ids.id_of(0), ids.id_of(4), ids.id_of(3), ids.row_of("obs-007"), ids.row_of("obs-7")
('obs-007', 'memo', None, 0, None)
>>> ids.id_of(7), ids.row_of("n4294967295"), len(ids.rows), len(ids)
('n4294967296', 6, 3, 5)
>>> ids.has(5), ids.has(1), sorted(ids.default_numbers())
(True, False, [1])
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from operator import itemgetter
from typing import Any, Final

__all__ = ["GivenIds", "Ids", "Split"]

_SPLIT: Final = re.compile(r"(.*?)([0-9]{1,17})", re.DOTALL)  # a line break may be in a prefix
_DEFAULT: Final = re.compile(r"o[1-9][0-9]*")
_MAX_PREFIXES: Final = 65535  # codes are uint16; past that, ids go to the dict
_WIDTH_BITS: Final = 5  # a width is at most 17
_NUMBER_LIMIT: Final = 1 << 32  # numbers are uint32; an id with a larger one goes to the dict


def _np() -> Any:
    import numpy

    return numpy


class _Run:
    """Entries of :class:`Ids` sorted by prefix, then by key (number and width): each
    one's key and entry, and where each prefix's keys begin (prefixes registered after
    the run was made have none in it). Kept as memoryviews: ``bisect`` reads one as
    fast as an ``array`` (an int per item, no numpy scalar), and no copy is made.
    A plain class, not attrs: it is made at import, and attrs' would cost about a
    millisecond of the 100 that ``import whereabouts`` may take."""

    __slots__ = ("bounds", "entries", "keys")

    def __init__(self, keys: memoryview, entries: memoryview, bounds: list[int]) -> None:
        self.keys = keys
        self.entries = entries
        self.bounds = bounds

    @classmethod
    def kept(cls, keys: Any, entries: Any, bounds: Any) -> _Run:
        np = _np()
        return cls(memoryview(np.ascontiguousarray(keys, dtype=np.int64)),
                   memoryview(np.ascontiguousarray(entries, dtype=np.int32)),
                   [int(bound) for bound in bounds])

    def merged(self, newer: _Run) -> _Run:
        """This run and a run of later entries as one, in one pass over both."""
        np = _np()
        bounds = np.array(newer.bounds, dtype=np.int64)
        before = np.array(self.bounds + self.bounds[-1:] * (len(bounds) - len(self.bounds)),
                          dtype=np.int64)  # prefixes registered since: no keys here
        kept = np.frombuffer(self.keys, dtype=np.int64)
        keys = np.frombuffer(newer.keys, dtype=np.int64)
        at = np.arange(len(keys), dtype=np.int64)  # newer keys before each, then the older
        for code in np.flatnonzero(np.diff(bounds)).tolist():
            low, high = int(bounds[code]), int(bounds[code + 1])
            at[low:high] += before[code] + np.searchsorted(
                kept[before[code]:before[code + 1]], keys[low:high])
        new = np.zeros(len(kept) + len(keys), dtype=bool)
        new[at] = True
        merged_keys = np.empty(len(new), dtype=np.int64)
        merged_entries = np.empty(len(new), dtype=np.int32)
        merged_keys[at] = keys
        merged_entries[at] = np.frombuffer(newer.entries, dtype=np.int32)
        merged_keys[~new] = kept
        merged_entries[~new] = np.frombuffer(self.entries, dtype=np.int32)
        return _Run.kept(merged_keys, merged_entries, before + bounds)


class Split:
    """Ids split as :class:`Ids` keeps them: each one's prefix code (-1: an id for the
    dict), number and width, as numpy arrays in the order of ``texts``."""

    __slots__ = ("number", "prefix", "texts", "width")

    def __init__(self, texts: list[str], prefix: Any, number: Any, width: Any) -> None:
        self.texts = texts
        self.prefix = prefix
        self.number = number
        self.width = width


class GivenIds(Mapping[int, str]):
    """Every row of a batch given an id, split once (:meth:`Ids.split`): as a mapping,
    the rows whose id is not their default ``o{row + 1}`` (``differs``), without a dict
    of a million entries; :meth:`Ids.update` adds them from the split."""

    __slots__ = ("differs", "rows", "split")

    def __init__(self, split: Split, differs: Any) -> None:
        self.split = split
        self.differs = differs
        self.rows = _np().flatnonzero(differs)

    def __getitem__(self, row: int) -> str:
        if isinstance(row, int) and 0 <= row < len(self.differs) and self.differs[row]:
            return self.split.texts[row]
        raise KeyError(row)

    def __contains__(self, row: object) -> bool:
        return isinstance(row, int) and 0 <= row < len(self.differs) and bool(
            self.differs[row])

    def __iter__(self) -> Iterator[int]:
        return iter(self.rows.tolist())

    def __len__(self) -> int:
        return len(self.rows)


class Ids:
    """The ids of rows whose id is not their default, in row order (rows are added in
    increasing order)."""

    __slots__ = ("_index", "_other_ids", "_other_rows", "_prefix_code", "_tail", "number",
                 "prefix", "prefixes", "rows", "width")

    def __init__(self) -> None:
        self.rows = array("i")
        """The row of each compact id, increasing."""
        self.prefix = array("H")
        """Each compact id's prefix, as a position in :attr:`prefixes`."""
        self.number = array("I")
        """Each compact id's number, below :data:`_NUMBER_LIMIT`."""
        self.width = array("b")
        """How many digits each compact id's number is written with."""
        self.prefixes: list[str] = []
        self._prefix_code: dict[str, int] = {}
        self._other_ids: dict[int, str] = {}  # row -> id, for ids of other shapes
        self._other_rows: dict[str, int] = {}
        self._index: list[_Run] | None = None  # sorted runs, each over later entries
        self._tail: dict[str, int] = {}  # compact ids added since the index was built

    def __len__(self) -> int:
        return len(self.rows) + len(self._other_ids)

    # -- adding ---------------------------------------------------------------

    def _split(self, oid: str) -> tuple[int, int, int] | None:
        match = _SPLIT.fullmatch(oid)
        if match is None:
            return None
        prefix, digits = match.groups()
        number = int(digits)
        if number >= _NUMBER_LIMIT:
            return None
        code = self._code_of(prefix)
        return None if code < 0 else (code, number, len(digits))

    def add(self, row: int, oid: str) -> None:
        """Give ``row`` (after every row added before) the id ``oid``."""
        split = self._split(oid)
        if split is None:
            self._other_ids[row] = oid
            self._other_rows[oid] = row
            return
        self.rows.append(row)
        self.prefix.append(split[0])
        self.number.append(split[1])
        self.width.append(split[2])
        if self._index is not None:
            self._tail[oid] = len(self.rows) - 1
            if len(self._tail) > max(4096, len(self.rows) // 8):
                self._drop_index()

    def update(self, ids: Mapping[int, str], start: int = 0) -> None:
        """Add many ``row: id`` pairs at once, each row counted from ``start`` (rows
        increasing, after those added before). The ids are split with numpy, sorted
        by length: one pass over the ids of each length (none for :class:`GivenIds`,
        split already)."""
        np = _np()
        if isinstance(ids, GivenIds):
            picked = ids.rows
            split = ids.split
            self._add_split(np, picked + start, split.texts, split.prefix[picked],
                            split.number[picked], split.width[picked], picked)
            return
        if len(ids) < 4096:
            for row, oid in ids.items():
                self.add(start + row, oid)
            return
        rows = np.fromiter(ids.keys(), np.int64, len(ids)) + start
        texts = list(ids.values())
        self._add_split(np, rows, texts, *self._split_each(np, texts))

    def split(self, texts: list[str]) -> Split:
        """Each of ``texts`` split as :meth:`add` keeps it (once, for a batch's check and
        its append), its prefix registered: a refused batch leaves a prefix no id uses,
        which costs nothing."""
        return Split(texts, *self._split_each(_np(), texts))

    def _split_each(self, np: Any, texts: list[str]) -> tuple[Any, Any, Any]:
        """:meth:`_split_all`, then one by one the texts it leaves (prefix -1 after both:
        an id for the dict)."""
        prefix, number, width = self._split_all(np, texts)
        for position in np.flatnonzero(prefix < 0).tolist():
            split = self._split(texts[position])
            if split is not None:
                prefix[position], number[position], width[position] = split
        return prefix, number, width

    def _add_split(self, np: Any, rows: Any, texts: list[str], prefix: Any, number: Any,
                   width: Any, picked: Any = None) -> None:
        """Add split ids (see :meth:`_split_each`) of ``rows`` (increasing, after those
        added before); the text of the n-th is ``texts[picked[n]]`` (``texts[n]`` without
        ``picked``), read only for an id kept in the dict."""
        others = np.flatnonzero(prefix < 0).tolist()
        compact = prefix >= 0
        self.rows.frombytes(rows[compact].astype(np.int32).tobytes())
        self.prefix.frombytes(prefix[compact].astype(np.uint16).tobytes())
        self.number.frombytes(number[compact].astype(np.uint32).tobytes())
        self.width.frombytes(width[compact].tobytes())
        for position in others:
            row = int(rows[position])
            oid = texts[position if picked is None else int(picked[position])]
            self._other_ids[row] = oid
            self._other_rows[oid] = row
        if self._index is not None:
            self._extend_index()

    def _split_all(self, np: Any, texts: list[str]) -> tuple[Any, Any, Any]:
        """Each text's prefix code, number (int64) and width, as :meth:`_split` gives them,
        prefixes registered (prefix -1: not split here, a number past uint32 among them,
        or no room for another prefix)."""
        count = len(texts)
        prefix = np.full(count, -1, dtype=np.int64)
        number = np.zeros(count, dtype=np.int64)
        width = np.zeros(count, dtype=np.int8)
        lengths = np.fromiter(map(len, texts), np.int64, count)
        order = np.argsort(lengths, kind="stable")
        joined = "".join(itemgetter(*order.tolist())(texts)) if count > 1 else "".join(texts)
        if joined.isascii() and "\0" not in joined:  # else each is split by _split
            chars = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
            sizes = np.bincount(lengths)
            first = at = 0
            for length in np.flatnonzero(sizes).tolist():
                size = int(sizes[length])
                block = chars[at:at + size * length].reshape(size, length)
                self._split_block(np, block, order[first:first + size], prefix, number, width)
                first, at = first + size, at + size * length
        return prefix, number, width

    def _split_block(self, np: Any, chars: Any, positions: Any, prefix: Any, number: Any,
                     width: Any) -> None:
        """Split ids of one length (ASCII, a row each in ``chars``) as :meth:`_split` does,
        writing each one's prefix code, number and width at its position."""
        length = chars.shape[1]
        other = (chars[:, ::-1] - np.uint8(48)) > 9  # from the end: a byte not a digit
        run = np.where(other.any(axis=1), other.argmax(axis=1), length)  # digits at the end
        digits = np.minimum(run, 17)
        for size in np.unique(digits).tolist():
            if size == 0:
                continue  # no digits at the end: a dict entry
            picked = np.flatnonzero(digits == size)
            block = chars[picked]
            value = np.zeros(len(picked), dtype=np.int64)
            for column in range(length - size, length):
                value = value * 10 + (block[:, column] - 48)
            fits = value < _NUMBER_LIMIT  # the others: split one by one, to the dict
            if not fits.all():
                picked, block, value = picked[fits], block[fits], value[fits]
                if not len(picked):
                    continue
            cut = length - size
            if cut:
                heads = np.ascontiguousarray(block[:, :cut]).view(f"S{cut}").ravel()
                distinct, which = np.unique(heads, return_inverse=True)
            else:
                distinct, which = [b""], np.zeros(len(picked), dtype=np.int64)
            codes = np.array([self._code_of(head.decode("ascii")) for head in distinct],
                             dtype=np.int64)
            found = codes[which]
            ok = found >= 0  # past the limit of prefixes: split one by one, to a dict
            where = positions[picked[ok]]
            prefix[where] = found[ok]
            number[where] = value[ok]
            width[where] = size

    def prefix_code(self, prefix: str) -> int | None:
        """The code of a prefix, None if no id was split with it."""
        return self._prefix_code.get(prefix)

    def _code_of(self, prefix: str) -> int:
        """The code of a prefix, given a new one if there is room (else -1)."""
        code = self._prefix_code.get(prefix)
        if code is None:
            if len(self.prefixes) >= _MAX_PREFIXES:
                return -1
            code = self._prefix_code[prefix] = len(self.prefixes)
            self.prefixes.append(prefix)
        return code

    def _drop_index(self) -> None:
        self._index = None
        self._tail = {}

    # -- reading --------------------------------------------------------------

    def id_of(self, row: int) -> str | None:
        """The id given to ``row``, or None."""
        rows = self.rows
        entry = bisect_left(rows, row)
        if entry < len(rows) and rows[entry] == row:
            return self._text(entry)
        return self._other_ids.get(row) if self._other_ids else None

    def compact_between(self, start: int, stop: int) -> tuple[Any, Any, Any, Any]:
        """The rows from ``start`` to ``stop`` whose id is kept as numbers, and each one's
        prefix code, number and width, as numpy arrays."""
        np = _np()
        rows = np.frombuffer(self.rows, dtype=np.int32)
        first, last = np.searchsorted(rows, [start, stop]).tolist()
        return (rows[first:last].astype(np.int64),
                np.frombuffer(self.prefix, dtype=np.uint16)[first:last].astype(np.int64),
                np.frombuffer(self.number, dtype=np.uint32)[first:last].astype(np.int64),
                np.frombuffer(self.width, dtype=np.int8)[first:last])

    def others_between(self, start: int, stop: int) -> dict[int, str]:
        """The ids of other shapes given to rows from ``start`` to ``stop``, by row."""
        return {row: oid for row, oid in self._other_ids.items() if start <= row < stop}

    def _text(self, entry: int) -> str:
        return f"{self.prefixes[self.prefix[entry]]}{self.number[entry]:0{self.width[entry]}d}"

    def has(self, row: int) -> bool:
        """Whether ``row`` was given an id."""
        entry = bisect_left(self.rows, row)
        return (entry < len(self.rows) and self.rows[entry] == row) or row in self._other_ids

    def row_of(self, oid: str) -> int | None:
        """The row given the id ``oid``, or None."""
        other = self._other_rows.get(oid)
        if other is not None:
            return other
        if not self.rows:
            return None
        prefix = oid.rstrip("0123456789")
        digits = len(oid) - len(prefix)
        if digits > 17:
            prefix, digits = oid[:-17], 17
        code = self._prefix_code.get(prefix)
        if code is None or not digits:
            return None
        number = int(oid[-digits:])
        if number >= _NUMBER_LIMIT:
            return None  # such an id is kept in the dict, looked up above
        entry = self._tail.get(oid)
        if entry is not None:
            return self.rows[entry]
        key = (number << _WIDTH_BITS) | digits
        for run in self._sorted():
            if code + 1 >= len(run.bounds):
                continue  # a prefix first seen since the run was built
            low, high = run.bounds[code], run.bounds[code + 1]
            at = bisect_left(run.keys, key, low, high)
            if at < high and run.keys[at] == key:
                row: int = self.rows[run.entries[at]]
                return row
        return None

    def have(self, rows: Any) -> Any:
        """Whether each of ``rows`` (a numpy array) was given an id, as a boolean array."""
        np = _np()
        given = np.frombuffer(self.rows, dtype=np.int32)
        rows = np.asarray(rows)
        if len(rows) and int(rows.min()) >= 0 and int(rows.max()) <= np.iinfo(np.int32).max:
            # Needles of the rows' own type: numpy converts the array searched to the
            # needles' type, at every call (a 10^7 load copied 40 MB at every part).
            rows = rows.astype(np.int32)
        at = np.minimum(np.searchsorted(given, rows), max(len(given) - 1, 0))
        found = given[at] == rows if len(given) else np.zeros(len(rows), dtype=bool)
        if self._other_ids:
            found |= np.isin(rows, np.fromiter(self._other_ids, np.int64))
        return found

    def _sorted(self) -> list[_Run]:
        """The index, as sorted runs (see :class:`_Run`) over consecutive entries, each
        at most half as long as the one before (see :meth:`_extend_index`)."""
        if self._index is None:
            self._index = [_Run.kept(*self._run(_np(), 0))]
            self._tail = {}
        return self._index

    def _run(self, np: Any, start: int) -> tuple[Any, Any, Any]:
        """The entries from ``start`` on as an index (see :meth:`_sorted`)."""
        prefix = np.frombuffer(self.prefix, dtype=np.uint16)[start:]
        numbers = np.frombuffer(self.number, dtype=np.uint32)[start:].astype(np.int64)
        keys = (numbers << _WIDTH_BITS) | np.frombuffer(self.width, dtype=np.int8)[start:]
        order = np.lexsort((keys, prefix))
        bounds = np.searchsorted(prefix[order].astype(np.int64),  # the int64 copy numpy made
                                 np.arange(len(self.prefixes) + 1))
        return keys[order], (order + start).astype(np.int32), bounds

    def _extend_index(self) -> None:
        """Add the entries appended since the index was last read, as a run of their own,
        then merge the last two runs while the newer is at least half as long as the
        older (as a binary counter carries). A file read in parts adds its ids a part at
        a time and looks the next part's up between: sorting every id again at each part
        made loading 10^7 claims quadratic, and so did merging each part into one run
        (a pass over the whole index per part: 17 of 180 s). Each entry is now merged
        about log2(parts) times, and a lookup searches at most one run per doubling
        of the index."""
        if self._index is None:
            return
        np = _np()
        start = sum(len(run.keys) for run in self._index)
        if start == len(self.rows):
            return
        runs = [*self._index, _Run.kept(*self._run(np, start))]
        while len(runs) > 1 and 2 * len(runs[-1].keys) >= len(runs[-2].keys):
            newer = runs.pop()
            runs[-1] = runs[-1].merged(newer)
        self._index = runs
        self._tail = {}

    def __iter__(self) -> Iterator[str]:
        """Every id, compact ones first (in row order), then the others."""
        yield from map(self._text, range(len(self.rows)))
        yield from self._other_rows

    def default_numbers(self) -> Iterable[int]:
        """The numbers ``n`` of the ids that read ``o{n}`` (as a default id does)."""
        code = self._prefix_code.get("o")
        found = {int(oid[1:]) for oid in self._other_rows if _DEFAULT.fullmatch(oid)}
        if code is not None and self.rows:
            np = _np()
            number = np.frombuffer(self.number, dtype=np.uint32).astype(np.int64)
            width = np.frombuffer(self.width, dtype=np.int8).astype(np.int64)
            powers = np.array([10**k for k in range(18)], dtype=np.int64)
            mask = (np.frombuffer(self.prefix, dtype=np.uint16) == code) & (number >= 1) & (
                number >= powers[width - 1])  # no leading zero
            found.update(number[mask].tolist())
        return found

    def held(self, oids: Iterable[str]) -> set[str]:
        """Those of ``oids`` given to a row: split as :meth:`split` splits them (their
        prefixes registered), then :meth:`held_split`."""
        return self.held_split(self.split(list(oids)))

    def held_split(self, split: Split) -> set[str]:
        """Those of the ids split by :meth:`split` given to a row: looked up in the index a
        prefix at a time (and in the dict, and among those added since the index was
        built)."""
        if not len(self):
            return set()
        np = _np()
        texts, prefix, number, width = split.texts, split.prefix, split.number, split.width
        found = self._other_rows.keys() & texts
        runs = self._sorted()
        if self._tail:
            found |= self._tail.keys() & texts
        wanted = (number << _WIDTH_BITS) | width
        for code in np.unique(prefix[prefix >= 0]).tolist():
            where = np.flatnonzero(prefix == code)
            where = where[np.argsort(wanted[where], kind="stable")]  # sorted lookups:
            asked = wanted[where]  # numpy's search then walks the index forwards, not at
            for run in runs:  # random
                if code + 1 >= len(run.bounds):
                    continue
                low, high = run.bounds[code], run.bounds[code + 1]
                if low == high:
                    continue
                mine = np.frombuffer(run.keys, dtype=np.int64)[low:high]
                at = np.minimum(np.searchsorted(mine, asked), high - low - 1)
                hits = where[mine[at] == asked].tolist()
                found.update(texts[position] for position in hits)
        return found


