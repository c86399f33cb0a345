"""Observations: the immutable entries of the ledger, and their closed vocabulary.

Every observation says that its subjects did something (``kind``) at a place,
at a time (``when``), according to a source, reported on a date, with a
grading. Its *window* is when it can have happened: ``when``, capped by the
date it was reported, since nothing is reported before it happens.

>>> from whereabouts.sources import Source
>>> obs = Observation(
...     id="o1", subjects=("mamlouk",), kind=Kind.WHEREABOUTS_UNKNOWN,
...     when="2024-12", source=Source("Caliber.Az"), reported="2024-12",
... )
>>> print(obs)
o1 2024-12 mamlouk whereabouts unknown (Caliber.Az, reported 2024-12, F6)

The kinds fall into five families (see :class:`Kind`):

>>> [k.value for k in Kind if k.family is Family.PRESENCE]  # doctest: +NORMALIZE_WHITESPACE
['seen at', 'reported at', 'arrived at', 'passed through', 'sheltering at',
 'detained at', 'treated at', 'granted asylum in']
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from typing import Any

import attrs

from whereabouts._stays import is_span_set, stay_bounds
from whereabouts._text import fold
from whereabouts.entities import _check_encodable, _check_id
from whereabouts.errors import InvalidObservation, InvalidOrder, UnknownKind
from whereabouts.places import Alternatives, Place, Where
from whereabouts.sources import Grading, Source
from whereabouts.when import When

__all__ = ["Denial", "Family", "Kind", "Observation", "Retraction"]


class Family(enum.Enum):
    """What an observation tells about where its subjects are."""

    PRESENCE = "presence"
    """The subjects were at the place at that time."""
    MOVEMENT = "movement"
    """The subjects left the place, or were on their way to it."""
    CONDITION = "condition"
    """Something happened to the subjects (the place, if given, is where)."""
    STATUS = "status"
    """A statement about what is known: their whereabouts are unknown."""
    ATTEMPT = "attempt"
    """A movement tried or planned that did not happen: it places nobody."""


class Kind(enum.Enum):
    """The closed vocabulary of observations.

    ========================  ==========  =======================================
    kind                      place       meaning
    ========================  ==========  =======================================
    ``SEEN_AT``               required    sighted there
    ``REPORTED_AT``           required    said to be there, without a sighting
    ``ARRIVED``               required    arrived, or travelled to and got there
    ``PASSED_THROUGH``        required    was there on the way elsewhere
    ``SHELTERING``            required    taking refuge there
    ``DETAINED``              required    held there
    ``TREATED``               required    given medical care there
    ``GRANTED_ASYLUM``        required    given asylum there (and so there)
    ``DEPARTED``              required    left the place
    ``HEADING_TO``            required    on the way there, not known to arrive
    ``ATTACKED``              optional    came under attack
    ``INJURED``               optional    was hurt
    ``DIED``                  optional    died (the place is where)
    ``WHEREABOUTS_UNKNOWN``   none        nobody knows where they are
    ``REFUSED_ENTRY``         required    tried to enter (land, cross), was refused
    ``TURNED_BACK``           required    set out for the place, turned back
    ``CALLED_OFF``            required    a trip there was planned or booked, not made
    ========================  ==========  =======================================

    The last three are *attempts* (:attr:`Family.ATTEMPT`): kept on record and
    shown in itineraries as not made, they never place anyone.
    """

    SEEN_AT = "seen at"
    REPORTED_AT = "reported at"
    ARRIVED = "arrived at"
    PASSED_THROUGH = "passed through"
    SHELTERING = "sheltering at"
    DETAINED = "detained at"
    TREATED = "treated at"
    GRANTED_ASYLUM = "granted asylum in"
    DEPARTED = "departed"
    HEADING_TO = "heading to"
    ATTACKED = "attacked"
    INJURED = "injured"
    DIED = "died"
    WHEREABOUTS_UNKNOWN = "whereabouts unknown"
    REFUSED_ENTRY = "refused entry to"
    TURNED_BACK = "turned back on the way to"
    CALLED_OFF = "called off going to"

    @property
    def family(self) -> Family:
        return self._family  # type: ignore[attr-defined, no-any-return]  # set below

    @property
    def needs_place(self) -> bool:
        return self.family in (Family.PRESENCE, Family.MOVEMENT, Family.ATTEMPT)

    @property
    def allows_place(self) -> bool:
        return self.family is not Family.STATUS

    @classmethod
    def coerce(cls, value: object, *, field: str = "kind") -> Kind:
        """A kind from itself, its value ("seen at") or its name ("seen_at")."""
        if isinstance(value, Kind):
            return value
        if isinstance(value, str):
            return _EXACT.get(value) or _BY_TEXT.get(fold(value)) or cls._unknown(value, field)
        return cls._unknown(value, field)

    @classmethod
    def _unknown(cls, value: object, field: str) -> Kind:
        known = ", ".join(repr(k.value) for k in cls)
        raise UnknownKind(f"not a kind of observation (known: {known})", field=field, value=value)


_FAMILY = {
    **dict.fromkeys(
        [Kind.SEEN_AT, Kind.REPORTED_AT, Kind.ARRIVED, Kind.PASSED_THROUGH, Kind.SHELTERING,
         Kind.DETAINED, Kind.TREATED, Kind.GRANTED_ASYLUM],
        Family.PRESENCE,
    ),
    Kind.DEPARTED: Family.MOVEMENT,
    Kind.HEADING_TO: Family.MOVEMENT,
    Kind.ATTACKED: Family.CONDITION,
    Kind.INJURED: Family.CONDITION,
    Kind.DIED: Family.CONDITION,
    Kind.WHEREABOUTS_UNKNOWN: Family.STATUS,
    Kind.REFUSED_ENTRY: Family.ATTEMPT,
    Kind.TURNED_BACK: Family.ATTEMPT,
    Kind.CALLED_OFF: Family.ATTEMPT,
}
_BY_TEXT = {fold(k.value): k for k in Kind} | {fold(k.name): k for k in Kind}
_EXACT = {k.value: k for k in Kind} | {k.name: k for k in Kind}  # no folding needed
for _kind, _family in _FAMILY.items():  # a plain attribute: read on every query
    _kind._family = _family  # type: ignore[attr-defined]


def stay_by_default(kind: Kind, when: When | None) -> bool:
    """What :attr:`Observation.throughout` is when not given: true for a presence
    dated by an "all of" set of one range, ``{A..B}``.

    >>> stay_by_default(Kind.DETAINED, When("{2019-11..2020-03}"))
    True
    >>> stay_by_default(Kind.DETAINED, When("2019-11/2020-03")), stay_by_default(
    ...     Kind.DEPARTED, When("{2019-11..2020-03}"))
    (False, False)
    """
    return when is not None and kind.family is Family.PRESENCE and is_span_set(when)


def _to_kind(value: object) -> Kind:
    return Kind.coerce(value)


def _to_subjects(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(value)
    raise InvalidObservation("expected entity ids", field="subjects", value=value)


def _check_subjects(instance: object, attribute: attrs.Attribute[tuple[str, ...]],
                    value: tuple[str, ...]) -> None:
    if not value:
        raise InvalidObservation("an observation needs at least one subject", field="subjects")
    if len(set(value)) != len(value):
        raise InvalidObservation("a subject is named twice", field="subjects", value=value)
    for subject in value:
        _check_id(instance, attribute, subject)


def _to_when(value: object) -> When | None:
    return None if value is None else When.coerce(value, field="when")


def _to_reported(value: object) -> When | None:
    return None if value is None else When.coerce(value, field="reported")


def _to_known_reported(value: object) -> When:
    return When.coerce(value, field="reported")


def _to_grading(value: object) -> Grading:
    return Grading.parse(value)


def _to_after(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(value)
    raise InvalidObservation("expected observation ids", field="after", value=value)


def _check_place(instance: Observation, attribute: attrs.Attribute[Where | None],
                 value: object) -> None:
    if value is not None and not isinstance(value, Place | Alternatives):
        raise InvalidObservation("expected a Place or Alternatives", field="place", value=value)


def _check_source(instance: Any, attribute: attrs.Attribute[Source], value: Any) -> None:
    if not isinstance(value, Source):
        raise InvalidObservation("expected a Source", field="source", value=value)


@attrs.frozen(kw_only=True, repr=False)
class Observation:
    """One claim about where one or more entities were, or what befell them.

    ``after`` lists observations this one certainly came after, for order
    known without dates ("first Beirut, later Dubai"). ``corrects`` names the
    observation this one replaces. ``throughout`` makes a presence a *stay*:
    true at every instant of ``when`` ("held there from 19 November to 6
    March"), not at one instant in it; a ``when`` written as the EDTF set
    ``{A..B}`` ("all of A to B") makes it one by default.
    """

    id: str = attrs.field(validator=_check_id)
    subjects: tuple[str, ...] = attrs.field(converter=_to_subjects, validator=_check_subjects)
    kind: Kind = attrs.field(converter=_to_kind)
    place: Where | None = attrs.field(default=None, validator=_check_place)
    when: When | None = attrs.field(default=None, converter=_to_when)
    """When it happened; ``None`` when not known at all (then only the report date bounds it)."""
    throughout: bool = attrs.field()
    """True for a stay: the claim holds at every instant of ``when``."""
    source: Source = attrs.field(validator=_check_source)
    reported: When | None = attrs.field(default=None, converter=_to_reported)
    """When the claim was first made public: the ledger's second time axis; ``None``
    when not known (the claim then counts only for questions without ``known_at``)."""
    grading: Grading = attrs.field(default=Grading(), converter=_to_grading)
    note: str = attrs.field(default="", validator=_check_encodable)
    after: tuple[str, ...] = attrs.field(default=(), converter=_to_after)
    corrects: str | None = attrs.field(default=None)

    @throughout.default
    def _throughout_default(self) -> bool:
        return stay_by_default(self.kind, self.when)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.throughout, bool):
            raise InvalidObservation("expected True or False", field="throughout",
                                     value=self.throughout)
        if self.place is None and self.kind.needs_place:
            raise InvalidObservation(f"{self.kind.value!r} needs a place", field="place")
        if self.place is not None and not self.kind.allows_place:
            raise InvalidObservation(f"{self.kind.value!r} takes no place", field="place",
                                     value=self.place.name)
        reported = self.reported
        if reported is not None and math.isinf(reported.upper):
            raise InvalidObservation("the report date must have an end", field="reported",
                                     value=str(reported))
        if self.when is not None and reported is not None and self.when.lower >= reported.upper:
            raise InvalidObservation(
                f"it cannot have happened after it was reported ({reported})",
                field="when", value=str(self.when),
            )
        if self.throughout:
            if self.kind.family is not Family.PRESENCE:
                raise InvalidObservation(
                    f"only a presence can hold throughout a span, not {self.kind.value!r}",
                    field="throughout", value=True,
                )
            if self.when is None:
                raise InvalidObservation("a stay needs the span it held over", field="when")
            stay_bounds(self.when, reported)  # refuses dates that name no single span
        for target in self.after:
            _check_id(self, attrs.fields(Observation).id, target)
        if self.id in self.after:
            raise InvalidOrder("an observation cannot come after itself (a cycle)",
                               field="after", value=self.id)

    @classmethod
    def trusted(
        cls, *, id: str, subjects: tuple[str, ...], kind: Kind, place: Where | None,
        when: When | None, source: Source, reported: When | None, grading: Grading,
        note: str, after: tuple[str, ...], corrects: str | None, throughout: bool = False,
    ) -> Observation:
        """An observation from values that were checked when it was first built.

        The ledger stores observations as columns and builds them again on
        demand; running every converter and validator again would cost more
        than the rest of a query. Not for values from outside the ledger.
        """
        obs = object.__new__(cls)
        for name, value in (("id", id), ("subjects", subjects), ("kind", kind),
                            ("place", place), ("when", when), ("throughout", throughout),
                            ("source", source),
                            ("reported", reported), ("grading", grading), ("note", note),
                            ("after", after), ("corrects", corrects)):
            object.__setattr__(obs, name, value)
        return obs

    @property
    def lower(self) -> float:
        """The earliest instant it can have happened (POSIX seconds)."""
        return -math.inf if self.when is None else self.when.lower

    @property
    def upper(self) -> float:
        """Just after the latest instant it can have happened: ``when`` capped by ``reported``
        (a stay: just after it can have ended, which may be after the report)."""
        if self.throughout:
            assert self.when is not None
            return stay_bounds(self.when, self.reported)[3]
        reported = math.inf if self.reported is None else self.reported.upper
        return reported if self.when is None else min(self.when.upper, reported)

    @property
    def family(self) -> Family:
        return self.kind._family  # type: ignore[attr-defined, no-any-return]

    def describe(self) -> str:
        """The claim in a few words: ``'arrived at Moscow'``, ``'detained at Evin throughout'``."""
        if self.place is None:
            return self.kind.value
        if self.kind.family is Family.CONDITION:
            return f"{self.kind.value} at {self.place.name}"
        if self.kind is Kind.DEPARTED:
            return f"departed {self.place.name}"
        if self.kind.family is Family.ATTEMPT:
            return f"{self.kind.value} {self.place.name} (not made)"
        if self.throughout:
            return f"{self.kind.value} {self.place.name} throughout"
        return f"{self.kind.value} {self.place.name}"

    def citation(self) -> str:
        """Source, report date and grade: ``'witnesses, reported 2024-12, F6'``."""
        return f"{self.source}, {_reported_text(self.reported)}, {self.grading}"

    def __str__(self) -> str:
        when = "undated" if self.when is None else str(self.when)
        who = " + ".join(self.subjects)
        return f"{self.id} {when} {who} {self.describe()} ({self.citation()})"

    def __repr__(self) -> str:
        return f"<Observation {self}>"


def _reported_text(reported: When | None) -> str:
    return "report date unknown" if reported is None else f"reported {reported}"


@attrs.frozen(kw_only=True, repr=False)
class _Withdrawal:
    """An entry that takes an earlier observation out of answers from its report
    date on; nothing is deleted."""

    id: str = attrs.field(validator=_check_id)
    target: str = attrs.field(validator=_check_id)
    source: Source = attrs.field(validator=_check_source)
    reported: When = attrs.field(converter=_to_known_reported)
    reason: str = attrs.field(default="", validator=_check_encodable)

    _verb = "withdraws"

    def __str__(self) -> str:
        why = f": {self.reason}" if self.reason else ""
        return (f"{self.id} {self._verb} {self.target} ({self.source}, "
                f"reported {self.reported}){why}")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self}>"


# The two kinds of withdrawal add no field: plain subclasses keep the base's attrs
# methods (equality still tells them apart by class) and cost no code generation at
# import, which is most of the time ``import whereabouts`` takes.


class Retraction(_Withdrawal):
    """An entry withdrawing an earlier observation (its source takes it back);
    from its report date on, queries ignore the target. Nothing is deleted."""

    __slots__ = ()
    _verb = "retracts"


class Denial(_Withdrawal):
    """An entry saying an earlier observation is false (an official denial, a
    death report shown wrong); from its report date on, answers leave the target
    out and list it as denied. Unlike a :class:`Retraction`, the denial comes
    from someone other than, or besides, the claim's source. Nothing is deleted.

    >>> print(Denial(id="d1", target="o4", source=Source("his lawyer"), reported="2025-01-22",
    ...              reason="he is alive"))
    d1 denies o4 (his lawyer, reported 2025-01-22): he is alive
    """

    __slots__ = ()
    _verb = "denies"
