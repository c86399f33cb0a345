"""Query normalisation: folded keys, leading articles, transliteration variants, composites.

Every layer of the gazetteer is indexed by :func:`whereabouts._text.fold` keys;
this module adds what is specific to place names.

>>> keys("the UAE"), keys("Al-Lādhiqīyah"), keys("Dubai")
(('the uae', 'uae'), ('al ladhiqiyah', 'ladhiqiyah'), ('dubai',))
>>> variant("Khmeimim") == variant("Hmeimim"), variant("Chtoura") == variant("Chtura")
(True, True)
>>> split("a hospital in Chtoura, Lebanon")
('hospital', 'Chtoura, Lebanon')
>>> split("Paris, Texas"), split("Damascus")
(('Paris', 'Texas'), None)
>>> airfield_key("Bandaranaike International Airport"), airfield_key("Changi Airport")
('bandaranaike airport', 'changi airport')
"""

from __future__ import annotations

import re

from whereabouts._text import fold

__all__ = [
    "ARTICLES", "airfield_key", "folded_airfield_key", "folded_keys", "folded_variant", "keys",
    "split", "splits", "strip_article", "variant",
]

ARTICLES = frozenset({"the", "al", "el", "ad", "ar", "as", "an", "ash", "at", "az", "ath"})
"""Leading articles that readers drop: English ``the`` and Arabic ``al-`` with its
assimilated forms (``ad-Dawhah``, ``ar-Raqqah``, ``as-Suwayda``)."""

# Spelling variants of one sound in romanised Arabic, Persian, Russian and French
# names ("Khmeimim"/"Hmeimim", "Chtoura"/"Chtura", "Qamishli"/"Kamishly").
_VARIANTS = (
    ("sch", "sh"), ("tch", "ch"), ("kh", "h"), ("gh", "g"), ("dj", "j"), ("ph", "f"),
    ("ck", "k"), ("q", "k"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("y", "i"),
)
_DOUBLE = re.compile(r"(.)\1+")
_FINAL_H = re.compile(r"(?<=[aeiou])h\b")
_IN = re.compile(r"\s+in\s+", re.IGNORECASE)
_INDEFINITE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)
# Words that say a name is a civil airport, and those that only decorate one
# ("Bandaranaike International Apt Colombo Airport").
_AIRPORT_WORDS = frozenset({"airport", "apt", "aerodrome", "airfield"})
_AIRPORT_NOISE = _AIRPORT_WORDS | {"international", "intl", "int"}


def strip_article(key: str) -> str:
    """``key`` (already folded) without one leading article, if a word follows it."""
    head, _, rest = key.partition(" ")
    return rest if rest and head in ARTICLES else key


def keys(text: str) -> tuple[str, ...]:
    """The folded key of ``text`` and, if different, the key without its leading article."""
    return folded_keys(fold(text))


def folded_keys(key: str) -> tuple[str, ...]:
    """:func:`keys` of a name already folded."""
    bare = strip_article(key)
    return (key,) if bare == key else (key, bare)


def variant(text: str) -> str:
    """A coarser key under which common transliteration variants of a name coincide.

    Used only when no exact (folded) key matches; matches through it are never
    counted as a place's primary name.
    """
    return folded_variant(fold(text))


def folded_variant(key: str) -> str:
    """:func:`variant` of a name already folded (the resolver folds a query once)."""
    key = strip_article(key)
    if not key.isascii():
        return key
    for old, new in _VARIANTS:
        key = key.replace(old, new)
    key = _FINAL_H.sub("", key)
    return _DOUBLE.sub(r"\1", key)


def airfield_key(text: str) -> str | None:
    """The key ``"<core> airport"`` shared by the ways of naming one civil airport, or None.

    The core is the folded name without "airport", "international", "intl",
    "apt", "airfield", "aerodrome" wherever they stand, so "Changi
    International Airport" and "Changi Airport" meet. The data build stores it
    for every civil airfield (also without the name of its city); a query gets
    it only when it says airport, so "Damascus" never becomes an airfield.
    """
    return folded_airfield_key(fold(text))


def folded_airfield_key(key: str) -> str | None:
    """:func:`airfield_key` of a name already folded."""
    words = key.split()
    if not _AIRPORT_WORDS.intersection(words):
        return None
    core = [word for word in words if word not in _AIRPORT_NOISE]
    return " ".join([*core, "airport"]) if core else None


def split(text: str) -> tuple[str, str] | None:
    """The first way to read a composite name as (inner, container), or None for a simple name."""
    found = splits(text)
    return (found[0][0], found[0][1]) if found else None


def splits(text: str) -> list[tuple[str, str, bool]]:
    """Every way to read ``text`` as (inner, container, inner_is_a_site), the likeliest first.

    ``"X in Y"`` (a site described inside a known place) splits at each
    ``" in "`` from the last one; ``"X, Y"`` (a place qualified by its
    container) at the first comma.

    >>> splits("hospital in Kirkby in Ashfield")
    [('hospital in Kirkby', 'Ashfield', True), ('hospital', 'Kirkby in Ashfield', True)]
    """
    text = text.strip()
    out: list[tuple[str, str, bool]] = []
    for match in reversed(list(_IN.finditer(text))):  # at most MAX_NAME / 4 of them
        inner = _INDEFINITE.sub("", text[:match.start()].strip())
        outer = text[match.end():].strip()
        if inner and outer:
            out.append((inner, outer, True))
    if not out:
        inner, comma, outer = text.partition(",")
        if comma and inner.strip() and outer.strip():
            out.append((inner.strip(), outer.strip(), False))
    return out
