"""Who made a claim, through whom it reached us, and how far to trust it.

A :class:`Source` names whoever made the claim and, through ``via``, the
outlets that relayed it. The chain reads from the origin to the outlet we
read:

>>> kremlin = Source("a Kremlin source")
>>> ft = Source("Financial Times", kind=SourceKind.OUTLET, via=kremlin)
>>> relay = Source("Caliber.Az", kind=SourceKind.OUTLET, via=ft, published="2024-12")
>>> print(relay)
a Kremlin source → Financial Times → Caliber.Az
>>> [s.name for s in relay.chain]
['a Kremlin source', 'Financial Times', 'Caliber.Az']
>>> relay.origin.name
'a Kremlin source'

Grading follows the Admiralty (NATO) code: source reliability A-F and
information credibility 1-6, judged apart.

>>> Grading.parse("B2")
Grading('B2')
>>> print(Grading.parse("b2").describe())
B2: usually reliable source; information probably true
>>> Grading()
Grading('F6')

Without a judgement, a claim is graded F6 ("cannot be judged" on both axes):
the honest default, which never ranks an ungraded claim above a graded one.
"""

from __future__ import annotations

import enum

import attrs

from whereabouts._text import fold
from whereabouts.entities import check_encodable
from whereabouts.errors import InvalidGrading, InvalidObservation
from whereabouts.when import When

__all__ = ["Credibility", "Grading", "Reliability", "Source", "SourceKind", "Threshold"]


class Reliability(enum.Enum):
    """How reliable the source has been (Admiralty code, first axis)."""

    A = "completely reliable"
    B = "usually reliable"
    C = "fairly reliable"
    D = "not usually reliable"
    E = "unreliable"
    F = "reliability cannot be judged"


class Credibility(enum.Enum):
    """How credible this piece of information is (Admiralty code, second axis)."""

    CONFIRMED = 1
    PROBABLY_TRUE = 2
    POSSIBLY_TRUE = 3
    DOUBTFUL = 4
    IMPROBABLE = 5
    CANNOT_BE_JUDGED = 6

    @property
    def description(self) -> str:
        return {
            1: "confirmed by other sources",
            2: "probably true",
            3: "possibly true",
            4: "doubtful",
            5: "improbable",
            6: "truth cannot be judged",
        }[self.value]


def _to_reliability(value: object) -> Reliability:
    if isinstance(value, Reliability):
        return value
    if isinstance(value, str) and value.strip().upper() in Reliability.__members__:
        return Reliability[value.strip().upper()]
    raise InvalidGrading("source reliability must be A-F", field="reliability", value=value)


def _to_credibility(value: object) -> Credibility:
    if isinstance(value, Credibility):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 6:
        return Credibility(value)
    raise InvalidGrading("information credibility must be 1-6", field="credibility", value=value)


@attrs.frozen(repr=False)
class Grading:
    """An Admiralty grade such as ``B2``; ``F6`` when nobody has judged."""

    reliability: Reliability = attrs.field(default=Reliability.F, converter=_to_reliability)
    credibility: Credibility = attrs.field(
        default=Credibility.CANNOT_BE_JUDGED, converter=_to_credibility
    )

    @classmethod
    def parse(cls, code: object, *, field: str = "grading") -> Grading:
        """A grade from its two-character code, any case: ``"B2"``, ``"f6"``."""
        if isinstance(code, Grading):
            return code
        if not isinstance(code, str) or len(code.strip()) != 2:
            raise InvalidGrading(
                "expected a letter A-F and a digit 1-6, like 'B2'", field=field, value=code
            )
        text = code.strip()
        try:
            return cls(text[0], text[1])
        except InvalidGrading as err:
            raise InvalidGrading(err.reason, field=field, value=code) from None

    @property
    def code(self) -> str:
        return f"{self.reliability.name}{self.credibility.value}"

    def meets(self, threshold: Threshold | Grading | str) -> bool:
        """Whether this grade is at or above ``threshold`` on both axes.

        >>> Grading.parse("B2").meets("C3"), Grading.parse("B4").meets("C3")
        (True, False)
        >>> Grading.parse("E2").meets("2"), Grading().meets("F")
        (True, True)
        """
        return Threshold.parse(threshold).admits(self)

    @property
    def rank(self) -> tuple[int, int]:
        """Sort key, best first: ``sorted(gradings, key=lambda g: g.rank)``."""
        return ("ABCDEF".index(self.reliability.name), self.credibility.value)

    def describe(self) -> str:
        """The grade in words."""
        source = self.reliability.value
        if self.reliability is not Reliability.F:
            source += " source"
        return f"{self.code}: {source}; information {self.credibility.description}"

    def __str__(self) -> str:
        return self.code

    def __repr__(self) -> str:
        return f"Grading({self.code!r})"


@attrs.frozen(repr=False)
class Threshold:
    """The weakest grade a query accepts: ``"C3"`` (reliability C or better and
    credibility 3 or better), ``"C"`` (reliability only) or ``"3"`` (credibility
    only). "Cannot be judged" (F, 6) is the weakest on its axis, so an ungraded
    F6 claim meets only a threshold that does not look at that axis.

    >>> Threshold.parse("c3")
    Threshold('C3')
    >>> Threshold.parse("G7")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    whereabouts.errors.InvalidGrading: min_grade: 'G7': expected a grade like 'C3', a letter...
    """

    reliability: int
    """The largest reliability index accepted (A is 0, F is 5)."""
    credibility: int
    """The largest credibility number accepted (1-6)."""

    @classmethod
    def parse(cls, value: object, *, field: str = "min_grade") -> Threshold:
        if isinstance(value, Threshold):
            return value
        if isinstance(value, Grading):
            return cls(*_axes(value))
        text = value.strip().upper() if isinstance(value, str) else ""
        letters = "ABCDEF"
        if len(text) == 2 and text[0] in letters and text[1] in "123456":
            return cls(letters.index(text[0]), int(text[1]))
        if len(text) == 1 and text in letters:
            return cls(letters.index(text), 6)
        if len(text) == 1 and text in "123456":
            return cls(5, int(text))
        raise InvalidGrading("expected a grade like 'C3', a letter A-F or a digit 1-6",
                             field=field, value=value)

    def admits(self, grading: Grading) -> bool:
        reliability, credibility = _axes(grading)
        return reliability <= self.reliability and credibility <= self.credibility

    @property
    def code(self) -> str:
        letter = "ABCDEF"[self.reliability] if self.reliability < 5 else ""
        digit = str(self.credibility) if self.credibility < 6 else ""
        return (letter + digit) or "F6"

    def __str__(self) -> str:
        return self.code

    def __repr__(self) -> str:
        return f"Threshold({self.code!r})"


def _axes(grading: Grading) -> tuple[int, int]:
    return "ABCDEF".index(grading.reliability.name), grading.credibility.value


class SourceKind(enum.Enum):
    """What sort of source made or carried a claim."""

    OUTLET = "outlet"
    """A news organisation or publication."""
    OFFICIAL = "official"
    """A government body or office holder speaking on the record."""
    ANONYMOUS = "anonymous"
    """An unnamed insider ("a Kremlin source", "sources")."""
    WITNESS = "witness"
    """People who say they saw it."""
    DOCUMENT = "document"
    """A record, leak, filing or registry."""
    ANALYST = "analyst"
    """The ledger's own inference, said as such."""
    OTHER = "other"


def _to_when(value: object) -> When | None:
    return None if value is None else When.coerce(value, field="published")


def _check_via(instance: Source, attribute: attrs.Attribute[Source | None], value: object) -> None:
    if value is not None and not isinstance(value, Source):
        raise InvalidObservation("via must be a Source", field="via", value=value)


def _check_text(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidObservation("a source needs a name", field="source", value=value)
    check_encodable(value, "source")


def _check_url(instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    check_encodable(value, "url")


@attrs.frozen(repr=False, cache_hash=True)
class Source:
    """Who made a claim; ``via`` is the source this one relays (closer to the origin)."""

    name: str = attrs.field(validator=_check_text)
    kind: SourceKind = attrs.field(
        default=SourceKind.OTHER, kw_only=True, validator=attrs.validators.instance_of(SourceKind)
    )
    published: When | None = attrs.field(default=None, kw_only=True, converter=_to_when)
    url: str | None = attrs.field(default=None, kw_only=True, validator=_check_url)
    via: Source | None = attrs.field(default=None, kw_only=True, validator=_check_via)

    @property
    def chain(self) -> tuple[Source, ...]:
        """The relay chain from the origin to this source."""
        chain: list[Source] = []
        source: Source | None = self
        while source is not None:
            chain.append(source)
            source = source.via
        return tuple(reversed(chain))

    @property
    def origin(self) -> Source:
        """Whoever first made the claim."""
        return self.chain[0]

    def cites(self, name: str) -> bool:
        """Whether a source of this name is anywhere in the relay chain (case,
        accents and spacing ignored): "a Kremlin source via the FT" cites both.

        >>> relay = Source("Caliber.Az", via=Source("Financial Times"))
        >>> relay.cites("financial times"), relay.cites("Caliber.Az"), relay.cites("Reuters")
        (True, True, False)
        """
        wanted = fold(name)
        return any(fold(s.name) == wanted for s in self.chain)

    def __str__(self) -> str:
        return " → ".join(s.name for s in self.chain)

    def __repr__(self) -> str:
        return f"Source({str(self)!r})"
