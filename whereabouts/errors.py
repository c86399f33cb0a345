"""Errors raised by whereabouts.

Every error derives from :class:`WhereaboutsError`, so a caller can catch
anything the library raises with one clause, and also from the builtin that
fits (``ValueError`` for bad values, ``LookupError`` for names that find
nothing or too much). Each error names the *field* and the *value* at fault:

>>> from whereabouts.errors import InvalidDate
>>> err = InvalidDate("month 13 does not exist", field="when", value="2024-13-01")
>>> print(err)
when: '2024-13-01': month 13 does not exist
>>> isinstance(err, ValueError), err.field, err.value
(True, 'when', '2024-13-01')
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "Ambiguous",
    "AmbiguousName",
    "AmbiguousPlace",
    "DuplicateId",
    "GeocoderFailed",
    "InvalidDate",
    "InvalidGrading",
    "InvalidObservation",
    "InvalidOrder",
    "InvalidPlace",
    "UnknownEntity",
    "UnknownKind",
    "UnknownObservation",
    "UnknownPlace",
    "UnknownSource",
    "WhereaboutsError",
    "brief",
]


_LIMIT = 80


def brief(value: object, limit: int = _LIMIT) -> str:
    """``repr(value)`` cut to about ``limit`` characters, whatever the value holds.

    A file may hold anything JSON or SQLite can: lists nested a thousand deep,
    numbers of four thousand digits, text of a hundred megabytes. ``repr`` of
    those recurses, raises or takes long; this walks containers without
    recursion and stops as soon as ``limit`` characters are written, so telling
    what is wrong never fails.

    >>> brief("Amal"), brief([1, [2.5, None]]), brief({"type": ["x"]})
    ("'Amal'", '[1, [2.5, None]]', "{'type': ['x']}")
    >>> brief("x" * 200)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (202 chars)"
    >>> deep: list[object] = []
    >>> for _ in range(100_000):
    ...     deep = [deep]
    >>> brief(deep)
    '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[... (cut)'
    >>> brief(10 ** 5000)
    '<an integer of about 5001 digits>'
    """
    if isinstance(value, str):
        text = repr(value)
        return text if len(text) <= limit else f"{text[: limit - 5]}...' ({len(text)} chars)"
    parts: list[str] = []
    written = 0
    todo: list[object] = [value]  # values still to write, last first; str items are literal
    while todo and written <= limit:
        item = todo.pop()
        if isinstance(item, _Literal):
            text = item.text
        elif isinstance(item, list | tuple):
            close = "]" if isinstance(item, list) else ")"
            opening = "[" if isinstance(item, list) else "("
            todo.append(_Literal(("," if len(item) == 1 and close == ")" else "") + close))
            for index in range(min(len(item), limit) - 1, -1, -1):
                todo.append(item[index])
                if index:
                    todo.append(_Literal(", "))
            text = opening
        elif isinstance(item, dict):
            todo.append(_Literal("}"))
            pairs = list(item.items())[:limit]
            for index in range(len(pairs) - 1, -1, -1):
                key, val = pairs[index]
                todo.extend((val, _Literal(": "), key))
                if index:
                    todo.append(_Literal(", "))
            text = "{"
        else:
            text = _scalar(item, limit)
        parts.append(text)
        written += len(text)
    text = "".join(parts)
    if todo or len(text) > limit:
        return text[: limit - 5] + "... (cut)"
    return text


class _Literal:
    """Punctuation :func:`brief` writes as is."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _scalar(value: object, limit: int) -> str:
    if isinstance(value, str):
        return repr(value[: limit + 1])
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * limit:
        try:
            return f"<an integer of {len(str(abs(value)))} digits>"
        except ValueError:  # over the int-string limit (4,300 digits by default)
            return f"<an integer of about {int(value.bit_length() * 0.30103) + 1} digits>"
    if isinstance(value, bool | int | float | complex | bytes | type(None)):
        return repr(value[: limit + 1] if isinstance(value, bytes) else value)
    try:
        return repr(value)[: limit + 1]
    except Exception:  # a repr that fails must not hide the problem it describes
        return f"<{type(value).__name__}>"


class WhereaboutsError(Exception):
    """The root of every error whereabouts raises.

    ``field`` names what was wrong (``"when"``, ``"subjects"``, ``"as_of"``...),
    ``value`` holds the offending value, ``reason`` says what was wrong with it.
    """

    def __init__(self, reason: str, *, field: str | None = None, value: object = None) -> None:
        self.reason = reason
        self.field = field
        self.value = value
        super().__init__(self._message())

    def _message(self) -> str:
        if self.field is None:
            return self.reason
        if self.value is None:
            return f"{self.field}: {self.reason}"
        return f"{self.field}: {brief(self.value)}: {self.reason}"

    def __str__(self) -> str:
        return self._message()


class InvalidDate(WhereaboutsError, ValueError):
    """A date that is malformed, impossible, or not a date at all."""


class InvalidPlace(WhereaboutsError, ValueError):
    """A place value that cannot exist (bad country code, coordinates out of range...)."""


class InvalidGrading(WhereaboutsError, ValueError):
    """A grading outside the Admiralty code (reliability A-F, credibility 1-6)."""


class InvalidObservation(WhereaboutsError, ValueError):
    """An observation that the ledger refuses (it is left exactly as it was)."""


class InvalidOrder(InvalidObservation):
    """An ``after`` link that points nowhere, forms a cycle, or contradicts the dates."""


class UnknownKind(WhereaboutsError, ValueError):
    """A kind of observation or relation outside the closed vocabulary."""


class DuplicateId(WhereaboutsError, ValueError):
    """An id that the ledger already holds."""


class UnknownEntity(WhereaboutsError, LookupError):
    """A name or id that fits no person or group in the ledger."""


class UnknownObservation(WhereaboutsError, LookupError):
    """An observation id that the ledger does not hold."""


class UnknownSource(WhereaboutsError, LookupError):
    """A source name, in a filter, that no claim in the ledger cites."""


class Ambiguous(WhereaboutsError, LookupError):
    """A name that fits several things; ``candidates`` lists them, best first."""

    def __init__(
        self, reason: str, *, field: str | None = None, value: object = None,
        candidates: Sequence[object] = (),
    ) -> None:
        self.candidates = tuple(candidates)
        super().__init__(reason, field=field, value=value)


class AmbiguousName(Ambiguous):
    """A name that fits several entities."""


class GeocoderFailed(WhereaboutsError, RuntimeError):
    """The online geocoder layer failed (no network, quota, timeout...).

    The geopy error that caused it is the ``__cause__``.
    """


class UnknownPlace(WhereaboutsError, LookupError):
    """A place name that no layer knows.

    ``suggestions`` holds close names; they are only suggestions and are
    never applied on their own.
    """

    def __init__(
        self, reason: str, *, field: str | None = None, value: object = None,
        suggestions: Sequence[str] = (),
    ) -> None:
        self.suggestions = tuple(suggestions)
        super().__init__(reason, field=field, value=value)


class AmbiguousPlace(Ambiguous):
    """A place name with several serious candidates, ranked."""
