"""ISO 3166 through pycountry: the one module that touches pycountry.

Everything here is exact: codes and the names pycountry itself lists. Short
forms, historic names and city names are the gazetteer's job.

One code outside ISO 3166-1 is accepted as a country: ``XK``, Kosovo. ISO
has not assigned Kosovo a code; ``XK`` comes from the range ISO leaves to users
and is the one that the EU, the IMF, the World Bank, CLDR, GeoNames and Natural
Earth use, so sources and data sets already carry it. Without it a place in
Kosovo could not be recorded at all. It is the only user-assigned code
accepted: any other ``X?`` code is still refused.

>>> country_code("XK"), country_code("Kosovo"), country_name("XK"), is_country("XK")
('XK', 'XK', 'Kosovo', True)
>>> is_country("XA"), country_code("XA")
(False, None)

>>> country_code("lb"), country_code("LBN"), country_code("Lebanon")
('LB', 'LB', 'LB')
>>> country_name("SY"), country_name("RU"), country_name("AE")
('Syria', 'Russia', 'United Arab Emirates')
>>> subdivision_country("SY-LA"), subdivision_name("SY-LA")
('SY', 'Al Lādhiqīyah')
"""

from __future__ import annotations

import functools

__all__ = [
    "USER_ASSIGNED",
    "countries",
    "country_code",
    "country_name",
    "historic_countries",
    "is_country",
    "is_subdivision",
    "subdivision_country",
    "subdivision_name",
    "subdivisions",
]

# The user-assigned code accepted as a country (see the module documentation):
# code -> (names, alpha-3). pycountry does not list it.
USER_ASSIGNED = {"XK": (("Kosovo", "Republic of Kosovo"), "XKX")}

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
    """Whether ``code`` is a current ISO 3166-1 alpha-2 code (upper case), or ``XK``."""
    import pycountry  # here, not at import time: it costs ~35 ms

    if code in USER_ASSIGNED:
        return True
    return len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def country_code(text: str) -> str | None:
    """The alpha-2 code for an alpha-2/alpha-3/numeric code or an exact ISO name, else None."""
    import pycountry  # here, not at import time: it costs ~35 ms

    wanted = text.strip().casefold()
    for code, (names, alpha_3) in USER_ASSIGNED.items():
        if wanted in (code.casefold(), alpha_3.casefold(), *(n.casefold() for n in names)):
            return code
    try:
        country = pycountry.countries.lookup(text.strip())
    except LookupError:
        return None
    return str(country.alpha_2)


@functools.cache
def country_name(code: str) -> str:
    """A readable short name for a current alpha-2 code (``KeyError`` if there is none)."""
    import pycountry  # here, not at import time: it costs ~35 ms

    if code in _SHORT_NAMES:
        return _SHORT_NAMES[code]
    if code in USER_ASSIGNED:
        return USER_ASSIGNED[code][0][0]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        raise KeyError(code)
    return str(getattr(country, "common_name", None) or country.name)


@functools.cache
def is_subdivision(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-2 subdivision code (``"SY-LA"``)."""
    import pycountry  # here, not at import time: it costs ~35 ms

    return pycountry.subdivisions.get(code=code) is not None  # type: ignore[no-untyped-call]


def subdivision_country(code: str) -> str:
    """The alpha-2 country a subdivision is listed under (``KeyError`` if unknown)."""
    import pycountry  # here, not at import time: it costs ~35 ms

    sub = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    if sub is None:
        raise KeyError(code)
    return str(sub.country_code)


def subdivision_name(code: str) -> str:
    """The ISO name of a subdivision (``KeyError`` if unknown)."""
    import pycountry  # here, not at import time: it costs ~35 ms

    sub = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    if sub is None:
        raise KeyError(code)
    return str(sub.name)


def countries() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """Every current country as ``(alpha_2, names, codes)``.

    ``names`` starts with the readable short name (:func:`country_name`), then
    pycountry's name, common and official names; ``codes`` holds alpha-2 and alpha-3.
    The user-assigned ``XK`` comes last.

    >>> [entry for entry in countries() if entry[0] in ("TR", "XK")]
    [('TR', ('Türkiye', 'Republic of Türkiye'), ('TR', 'TUR')),
     ('XK', ('Kosovo', 'Republic of Kosovo'), ('XK', 'XKX'))]
    """
    import pycountry  # here, not at import time: it costs ~35 ms

    out = []
    for country in pycountry.countries:
        code = str(country.alpha_2)
        names = [country_name(code)]
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and value not in names:
                names.append(str(value))
        out.append((code, tuple(names), (code, str(country.alpha_3))))
    for code, (own_names, alpha_3) in USER_ASSIGNED.items():
        out.append((code, own_names, (code, alpha_3)))
    return tuple(out)


def subdivisions() -> tuple[tuple[str, str, str, str | None], ...]:
    """Every ISO 3166-2 subdivision as ``(code, name, country, parent_code)``.

    >>> [entry for entry in subdivisions() if entry[0] == "FR-75C"]
    [('FR-75C', 'Paris', 'FR', 'FR-IDF')]
    """
    import pycountry  # here, not at import time: it costs ~35 ms

    return tuple(
        (str(sub.code), str(sub.name), str(sub.country_code),
         None if sub.parent_code is None else str(sub.parent_code))
        for sub in pycountry.subdivisions
    )


def historic_countries() -> tuple[tuple[str, str, str], ...]:
    """ISO 3166-3 former countries as ``(alpha_4, name, withdrawal_date)``.

    The last two letters of ``alpha_4`` name the successor when there is one
    (``BUMM``: Burma became Myanmar); ``HH`` means it was divided.

    >>> [entry for entry in historic_countries() if entry[0] == "BUMM"]
    [('BUMM', 'Burma, Socialist Republic of the Union of', '1989-12-05')]
    """
    import pycountry  # here, not at import time: it costs ~35 ms

    return tuple(
        (str(c.alpha_4), str(c.name), str(getattr(c, "withdrawal_date", "")))
        for c in pycountry.historic_countries
    )
