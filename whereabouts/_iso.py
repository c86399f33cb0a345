"""ISO 3166 through pycountry: the one module that touches pycountry.

Everything here is exact: codes and the names pycountry itself lists. Short
forms, historic names and city names are the gazetteer's job.

>>> country_code("lb"), country_code("LBN"), country_code("Lebanon")
('LB', 'LB', 'LB')
>>> country_name("SY"), country_name("RU"), country_name("AE")
('Syria', 'Russia', 'United Arab Emirates')
>>> subdivision_country("SY-LA"), subdivision_name("SY-LA")
('SY', 'Al Lādhiqīyah')
"""

from __future__ import annotations

import functools

import pycountry

__all__ = [
    "country_code",
    "country_name",
    "is_country",
    "is_subdivision",
    "subdivision_country",
    "subdivision_name",
]

# pycountry has no short name for these; analysts write the short one.
_SHORT_NAMES = {
    "RU": "Russia",
    "CD": "DR Congo",
    "PS": "Palestine",
    "BN": "Brunei",
    "FM": "Micronesia",
}


@functools.cache
def is_country(code: str) -> bool:
    """Whether ``code`` is a current ISO 3166-1 alpha-2 code (upper case)."""
    return len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def country_code(text: str) -> str | None:
    """The alpha-2 code for an alpha-2/alpha-3/numeric code or an exact ISO name, else None."""
    try:
        country = pycountry.countries.lookup(text.strip())
    except LookupError:
        return None
    return str(country.alpha_2)


@functools.cache
def country_name(code: str) -> str:
    """A readable short name for a current alpha-2 code (``KeyError`` if there is none)."""
    if code in _SHORT_NAMES:
        return _SHORT_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        raise KeyError(code)
    return str(getattr(country, "common_name", None) or country.name)


@functools.cache
def is_subdivision(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-2 subdivision code (``"SY-LA"``)."""
    return pycountry.subdivisions.get(code=code) is not None  # type: ignore[no-untyped-call]


def subdivision_country(code: str) -> str:
    """The alpha-2 country a subdivision is listed under (``KeyError`` if unknown)."""
    sub = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    if sub is None:
        raise KeyError(code)
    return str(sub.country_code)


def subdivision_name(code: str) -> str:
    """The ISO name of a subdivision (``KeyError`` if unknown)."""
    sub = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    if sub is None:
        raise KeyError(code)
    return str(sub.name)
