"""Folding of names for lookup: one key for every way people spell a name.

``fold`` ignores case, diacritics, punctuation, hyphens and spacing, using
only the standard library (NFKD plus a small table for letters that do not
decompose), so no GPL transliteration package is needed.

>>> fold("Bashar al-Assad") == fold("  BASHAR   AL ASSAD ")
True
>>> fold("Türkiye"), fold("Øresund"), fold("Straße"), fold("Łódź")
('turkiye', 'oresund', 'strasse', 'lodz')
>>> fold("Assad’s"), fold("--!!--")
('assads', '')
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "tokens"]

# Letters that NFKD leaves alone but readers treat as plain Latin ones.
_LETTERS = str.maketrans(
    {
        "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
        "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
        "þ": "th", "Þ": "th", "ł": "l", "Ł": "l", "ı": "i", "ħ": "h", "Ħ": "h",
    }
)
# Apostrophes and ayn/hamza marks vanish inside a word ("Assad's", "Ba'ath").
_GLUE = dict.fromkeys(map(ord, "'’‘ʼʻʾʿ`´"), None)


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Return the lookup key of ``text``: lower case, ASCII where possible, single spaces."""
    if text.isascii():  # nothing to decompose: the same key, a few times faster
        return " ".join(_NOT_ALNUM.sub(" ", text.translate(_GLUE).lower()).split())
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS).translate(_GLUE))
    out: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        out.append(char.lower() if char.isalnum() else " ")
    return " ".join("".join(out).split())


def tokens(text: str) -> tuple[str, ...]:
    """The words of ``fold(text)``.

    >>> tokens("Bashar al-Assad")
    ('bashar', 'al', 'assad')
    """
    return tuple(fold(text).split())
