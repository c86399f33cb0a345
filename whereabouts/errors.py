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
]


def _shorten(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + "...'" + f" ({len(text)} chars)"


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
        return f"{self.field}: {_shorten(self.value)}: {self.reason}"

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
