"""People, groups and the relations between them.

>>> bashar = Person("bashar", "Bashar al-Assad", aliases=("Bashar Assad",))
>>> bashar
Person('bashar', 'Bashar al-Assad')
>>> bashar.answers_to("bashar al assad"), bashar.answers_to("BASHAR ASSAD")
(True, True)

A group is a collective whose members may be known, partly known, or not
known at all:

>>> Group("loyalist-families", "loyalist families", note="identities unclear")
Group('loyalist-families', 'loyalist families')

A relation reads from its subject to its object, and from the other end
through its inverse:

>>> rel = Relation("hafez", RelationKind.CHILD, "bashar")
>>> print(rel)
hafez child of bashar
>>> print(rel.inverse())
bashar parent of hafez
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from typing import Any

import attrs

from whereabouts._text import fold, tokens
from whereabouts.errors import InvalidObservation, InvalidPlace, UnknownKind

__all__ = ["Entity", "Group", "Person", "Relation", "RelationKind", "UnencodableText",
           "check_encodable"]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")

# Arabic and Persian article particles that writers keep or drop at will:
# "Bashar al-Assad" and "Bashar Assad" are the same name.
_PARTICLES = frozenset({"al", "el", "ul"})


class UnencodableText(InvalidObservation, InvalidPlace):
    """Text that no file can store: it holds a character UTF-8 cannot encode.

    Only surrogates (U+D800 to U+DFFF) are such characters: text decoded with
    ``errors="surrogateescape"`` (file names, ``sys.argv``, a wrongly guessed
    encoding) keeps each undecodable byte as one, and a JSON file may spell
    one as ``\\udcff``. A ledger holding one could never be saved again, so
    people, places, sources, claims and relations refuse it where it comes in,
    naming the field. It is an :class:`~whereabouts.errors.InvalidObservation`
    and an :class:`~whereabouts.errors.InvalidPlace` (so a ``ValueError``),
    whichever the refused value was.

    >>> Person("amal", "Amal \\udcff")
    Traceback (most recent call last):
    ...
    whereabouts.entities.UnencodableText: name: 'Amal \\udcff': U+DCFF at character 6 cannot ...
    """


def check_encodable(value: object, field: str) -> None:
    """Raise :class:`UnencodableText` if ``value`` is text that UTF-8 cannot encode.

    >>> check_encodable("Amal Haddad", "name"), check_encodable(None, "note")
    (None, None)
    """
    if not isinstance(value, str) or value.isascii():
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        code = ord(value[err.start])
        raise UnencodableText(
            f"U+{code:04X} at character {err.start + 1} cannot be written as UTF-8 "
            "(a lone surrogate: text decoded with errors='surrogateescape'?)",
            field=field, value=value) from None


def _check_encodable(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """The attrs validator of :func:`check_encodable`, naming the attribute."""
    check_encodable(value, attribute.name)


def _check_id(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not _ID.match(value):
        raise InvalidObservation(
            "an id is 1-128 letters, digits or . _ : - and starts with a letter or digit",
            field="id", value=value,
        )


def _check_name(instance: Any, attribute: attrs.Attribute[str], value: Any) -> None:
    if not isinstance(value, str) or not fold(value):
        raise InvalidObservation("a name must contain a letter or digit", field=attribute.name,
                                 value=value)
    check_encodable(value, attribute.name)


def _to_names(values: object) -> tuple[str, ...]:
    if isinstance(values, str):
        return (values,)
    if values is None:
        return ()
    if isinstance(values, Iterable):
        return tuple(values)  # items checked by _check_aliases
    raise InvalidObservation("expected a list of names", field="aliases", value=values)


def _check_aliases(instance: object, attribute: attrs.Attribute[tuple[str, ...]],
                   value: tuple[str, ...]) -> None:
    for alias in value:
        if not isinstance(alias, str) or not fold(alias):
            raise InvalidObservation("an alias must contain a letter or digit", field="aliases",
                                     value=alias)
        check_encodable(alias, "aliases")


def name_keys(name: str) -> tuple[str, str]:
    """The two lookup keys of a name: folded, and folded without article particles.

    >>> name_keys("Bashar al-Assad")
    ('bashar al assad', 'bashar assad')
    """
    words = tokens(name)
    bare = [w for w in words if w not in _PARTICLES] or list(words)
    return " ".join(words), " ".join(bare)


@attrs.frozen(repr=False)
class _EntityBase:
    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=_check_name)
    aliases: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=_to_names, validator=_check_aliases
    )
    description: str = attrs.field(default="", kw_only=True, validator=_check_encodable)
    """Who this is: a role, an office, a rank ("commander of the Fourth Division")."""
    note: str = attrs.field(default="", kw_only=True, validator=_check_encodable)

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by the aliases."""
        return (self.name, *self.aliases)

    def answers_to(self, name: str) -> bool:
        """Whether ``name`` is one of this entity's names, ignoring case, accents,
        hyphens, spacing and article particles."""
        wanted = set(name_keys(name))
        return any(wanted & set(name_keys(own)) for own in self.names)

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.id!r}, {self.name!r})"


@attrs.frozen(repr=False)
class Person(_EntityBase):
    """One human being."""


@attrs.frozen(repr=False)
class Group(_EntityBase):
    """A collective: "senior military figures", "the Assad family".

    Membership is kept as :attr:`RelationKind.MEMBER_OF` relations in the
    ledger, so a group may have no known members at all. What is observed of a
    group speaks for each member until a later observation of that member
    says otherwise.
    """


Entity = Person | Group


class RelationKind(enum.Enum):
    """How the subject of a :class:`Relation` stands to its object.

    ``Relation(a, PARENT, b)`` reads "a is parent of b".
    """

    PARENT = "parent of"
    CHILD = "child of"
    SIBLING = "sibling of"
    TWIN = "twin of"
    COUSIN = "cousin of"
    SPOUSE = "spouse of"
    ADVISER = "adviser of"
    ADVISED_BY = "advised by"
    MEMBER_OF = "member of"
    HAS_MEMBER = "has member"
    OTHER = "related to"
    """Any other tie; say which in the relation's ``label``."""

    @property
    def inverse(self) -> RelationKind:
        """The kind read from the other end."""
        return _INVERSE.get(self, self)

    @classmethod
    def coerce(cls, value: object, *, field: str = "kind") -> RelationKind:
        """A kind from itself, its value ("parent of") or its name ("parent")."""
        if isinstance(value, RelationKind):
            return value
        if isinstance(value, str):
            key = fold(value)
            for kind in cls:
                if key in (fold(kind.value), fold(kind.name)):
                    return kind
        known = ", ".join(k.name.lower() for k in cls)
        raise UnknownKind(f"not a relation kind (known: {known})", field=field, value=value)


def _to_relation_kind(value: object) -> RelationKind:
    return RelationKind.coerce(value)


_INVERSE = {
    RelationKind.PARENT: RelationKind.CHILD,
    RelationKind.CHILD: RelationKind.PARENT,
    RelationKind.ADVISER: RelationKind.ADVISED_BY,
    RelationKind.ADVISED_BY: RelationKind.ADVISER,
    RelationKind.MEMBER_OF: RelationKind.HAS_MEMBER,
    RelationKind.HAS_MEMBER: RelationKind.MEMBER_OF,
}


@attrs.frozen(repr=False)
class Relation:
    """A tie between two entities (by id): ``subject`` is ``kind`` ``object``."""

    subject: str = attrs.field(validator=_check_id)
    kind: RelationKind = attrs.field(converter=_to_relation_kind)
    object: str = attrs.field(validator=_check_id)
    label: str = attrs.field(default="", kw_only=True, validator=_check_encodable)
    """For :attr:`RelationKind.OTHER`: what the tie is ("bodyguard of")."""
    note: str = attrs.field(default="", kw_only=True, validator=_check_encodable)

    def inverse(self) -> Relation:
        """The same tie read from the object's end."""
        return Relation(self.object, self.kind.inverse, self.subject, label=self.label,
                        note=self.note)

    def __str__(self) -> str:
        kind = self.label or self.kind.value
        return f"{self.subject} {kind} {self.object}"

    def __repr__(self) -> str:
        return f"Relation({self.subject!r}, {self.kind.name}, {self.object!r})"
