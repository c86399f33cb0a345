"""Folding of names for lookup: one key for every way people spell a name.

``fold`` ignores case, diacritics, punctuation, hyphens and spacing. Latin
letters fold through the standard library (NFKD plus a small table for
letters that do not decompose); letters of other alphabets and syllabaries
(Cyrillic, Greek, Georgian, Armenian, Chinese, Indic scripts...) are
transliterated to Latin with ``anyascii`` (ISC licence; the GPL Unidecode is
not used), so a name written in Cyrillic finds the Latin one.

>>> fold("Bashar al-Assad") == fold("  BASHAR   AL ASSAD ")
True
>>> fold("Türkiye"), fold("Øresund"), fold("Straße"), fold("Łódź")
('turkiye', 'oresund', 'strasse', 'lodz')
>>> fold("Assad’s"), fold("--!!--")
('assads', '')
>>> fold("Киев"), fold("Москва"), fold("საქართველო"), fold("Ελλάδα"), fold("Gəncə")
('kiev', 'moskva', 'sakartvelo', 'ellada', 'gence')

Arabic, Hebrew, Syriac and Thaana letters are kept as they are: these
scripts leave short vowels unwritten, so a transliteration is a bare
consonant skeleton that would collide with unrelated Latin keys (``عمان``,
Amman or Oman, would become ``mn``, Mongolia's code). The gazetteer indexes
Arabic-script names in their own script instead.

>>> fold("دمشق") == "دمشق"
True
"""

from __future__ import annotations

import functools
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

# Characters the NFKD rule below handles, or keeps: ASCII, the Latin blocks,
# combining marks, punctuation and symbols, the abjads (Hebrew to Thaana, the
# Arabic extensions and presentation forms), full-width forms. Runs of any other
# characters are of other scripts: anyascii transliterates their letters, digits
# and marks before decomposition (which would split Cyrillic "й" into "и" + breve).
_FOREIGN = re.compile(
    "[^\u0000-\u036f\u0590-\u07bf\u0860-\u08ff\u1e00-\u1eff\u2000-\u2bff\u2c60-\u2c7f"
    "\ua720-\ua7ff\uab30-\uab6f\ufb00-\ufdff\ufe20-\ufe2f\ufe70-\uffef]+"
)
_ABJAD = re.compile("[\u0590-\u07bf\u0860-\u08ff]")  # after NFKD: no presentation forms


def _anyascii(text: str) -> str:
    # Imported on first use: its import pulls in importlib.resources (~20 ms), which
    # a ledger of Latin-script names never needs.
    from anyascii import anyascii

    return anyascii(text).translate(_GLUE)


# One character at a time, each looked up once: a name of 300 squared katakana
# (each decomposes to 5 or 6 letters) made 1,800 calls to anyascii per fold.
@functools.lru_cache(maxsize=4096)
def _romanise_char(char: str) -> str:
    return _anyascii(char) if unicodedata.category(char)[0] in "LMN" else char


@functools.lru_cache(maxsize=4096)
def _latin(char: str) -> str:
    return _NOT_ALNUM.sub(" ", _anyascii(char).lower())


def _romanise(match: re.Match[str]) -> str:
    run = match.group()
    if run.isalnum():  # letters and digits only, the usual case: one call
        return _anyascii(run)
    return "".join(map(_romanise_char, run))  # symbols stay (the rule below makes them spaces)


def _general(text: str) -> str:
    """The fold of any text (:func:`fold` takes a shortcut for ASCII)."""
    text = text.translate(_LETTERS).translate(_GLUE)
    if _FOREIGN.search(text):
        text = _FOREIGN.sub(_romanise, unicodedata.normalize("NFC", text))
        if text.isascii():  # a name wholly in another script is now plain ASCII
            return " ".join(_NOT_ALNUM.sub(" ", text.lower()).split())
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        if char.isascii():
            out.append(char.lower() if char.isalnum() else " ")
        elif unicodedata.combining(char):
            continue
        elif not char.isalnum():
            out.append(" ")
        elif _ABJAD.match(char):
            out.append(char)
        else:  # a letter NFKD leaves alone: IPA "ə" (Azerbaijani "Gəncə"), "ŋ"
            out.append(_latin(char))
    return " ".join("".join(out).split())


def fold(text: str) -> str:
    """Return the lookup key of ``text``: lower case, ASCII where possible, single spaces."""
    if text.isascii():  # nothing to decompose: the same key as _general, a few times faster
        return " ".join(_NOT_ALNUM.sub(" ", text.translate(_GLUE).lower()).split())
    return _general(text)


def tokens(text: str) -> tuple[str, ...]:
    """The words of ``fold(text)``.

    >>> tokens("Bashar al-Assad")
    ('bashar', 'al', 'assad')
    """
    return tuple(fold(text).split())
