"""The curated layer: names people use that ISO 3166 and GeoNames do not carry.

Plain data, edited by hand; each entry says why it is here. Codes are ISO
3166-1 alpha-2 (current countries) or ISO 3166-3 alpha-4 (former ones).

>>> COUNTRY_ALIASES["the UAE"], COUNTRY_ALIASES["Korea"], SUBDIVISION_ALIASES["Crimea"]
(('AE',), ('KR', 'KP'), 'UA-43')
>>> HISTORIC["SUHH"][1] is not None, HISTORIC["BUMM"]
(True, (('Burma',), None))
>>> sorted(REGIONS["the Gulf"][1])
['AE', 'BH', 'KW', 'OM', 'QA', 'SA']
"""

from __future__ import annotations

__all__ = [
    "COUNTRY_ALIASES", "HISTORIC", "PLACES", "REGIONS", "SUBDIVISION_ALIASES", "WATERS",
    "CuratedPlace",
]

COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    # Short and spoken forms of current countries. A name listing two codes is
    # genuinely shared and always comes back ambiguous.
    "UAE": ("AE",), "the UAE": ("AE",), "U.A.E.": ("AE",), "Emirates": ("AE",),
    "Turkey": ("TR",), "Turkiye": ("TR",),
    "Russia": ("RU",),
    "Britain": ("GB",), "Great Britain": ("GB",), "UK": ("GB",), "U.K.": ("GB",),
    "USA": ("US",), "U.S.": ("US",), "U.S.A.": ("US",), "America": ("US",),
    "United States": ("US",),
    "Ivory Coast": ("CI",), "Cote d'Ivoire": ("CI",),
    "Syria": ("SY",), "Iran": ("IR",), "Persia": ("IR",),
    "Korea": ("KR", "KP"), "South Korea": ("KR",), "North Korea": ("KP",), "DPRK": ("KP",),
    "Congo": ("CG", "CD"), "DR Congo": ("CD",), "DRC": ("CD",), "Congo-Kinshasa": ("CD",),
    "Democratic Republic of the Congo": ("CD",),
    "Republic of the Congo": ("CG",), "Congo-Brazzaville": ("CG",),
    "Vietnam": ("VN",), "Laos": ("LA",), "Moldova": ("MD",), "Bolivia": ("BO",),
    "Venezuela": ("VE",), "Tanzania": ("TZ",), "Czech Republic": ("CZ",), "Czechia": ("CZ",),
    "Holland": ("NL",), "Macedonia": ("MK",), "Swaziland": ("SZ",), "Cape Verde": ("CV",),
    "Vatican": ("VA",), "Vatican City": ("VA",), "Holy See": ("VA",),
    "Palestine": ("PS",), "Palestinian territories": ("PS",),
    "Saudi": ("SA",), "KSA": ("SA",), "Bosnia": ("BA",), "Taiwan": ("TW",),
    "Kirghizia": ("KG",), "Macau": ("MO",), "Brunei": ("BN",), "Micronesia": ("FM",),
}

SUBDIVISION_ALIASES: dict[str, str] = {
    # Names people use for an ISO 3166-2 subdivision whose ISO name is a local form.
    # Crimea: ISO 3166-2 lists the Autonomous Republic of Crimea as UA-43
    # ("Avtonomna Respublika Krym"; Sevastopol is UA-40). Russia annexed the
    # peninsula in 2014; most states and the UN General Assembly (resolution 68/262)
    # treat it as part of Ukraine. The gazetteer follows ISO 3166 (docs/places.md).
    "Crimea": "UA-43", "the Crimea": "UA-43", "Krym": "UA-43", "Krim": "UA-43",
    "Autonomous Republic of Crimea": "UA-43",
}

HISTORIC: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {
    # ISO 3166-3 code -> (names people use, today's countries). None means the
    # successor named by the code's last two letters (BUMM -> MM). Split
    # countries list every successor with an ISO code (Kosovo has none).
    "SUHH": (("Soviet Union", "USSR", "U.S.S.R.", "the Soviet Union"),
             ("AM", "AZ", "BY", "EE", "GE", "KG", "KZ", "LT", "LV", "MD", "RU", "TJ", "TM",
              "UA", "UZ")),
    "BUMM": (("Burma",), None),
    "ZRCD": (("Zaire",), None),
    "YUCS": (("Yugoslavia",), ("BA", "HR", "ME", "MK", "RS", "SI")),
    "CSHH": (("Czechoslovakia",), ("CZ", "SK")),
    "CSXX": (("Serbia and Montenegro",), ("ME", "RS")),
    "DDDE": (("East Germany", "GDR", "German Democratic Republic"), None),
    "DYBJ": (("Dahomey",), None),
    "HVBF": (("Upper Volta",), None),
    "RHZW": (("Rhodesia", "Southern Rhodesia"), None),
    "TPTL": (("East Timor",), None),
    "YDYE": (("South Yemen",), None),
    "VDVN": (("North Vietnam",), None),
    "BYAA": (("Byelorussia", "Byelorussian SSR"), ("BY",)),
    "ANHH": (("Netherlands Antilles",), ("BQ", "CW", "SX")),
}

_EUROPE = (
    "AD", "AL", "AT", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI",
    "FR", "GB", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MD", "ME",
    "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "RU", "SE", "SI", "SK", "SM", "UA", "VA",
)  # sovereign states usually counted as European; Turkey and the Caucasus are left out
_EU = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)
_MIDDLE_EAST = (
    "AE", "BH", "CY", "EG", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY",
    "TR", "YE",
)

REGIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # Region name -> (other names, member countries). A region is a set of
    # countries: a place in any of them is within it.
    "Europe": (("European countries", "the European countries", "continental Europe"),
               _EUROPE),
    "the European Union": (("EU", "European Union", "the EU"), _EU),
    "the Middle East": (("Middle East", "Middle Eastern countries", "the Mideast"),
                        _MIDDLE_EAST),
    "the Gulf": (("Gulf states", "the Gulf states", "the Arabian Gulf", "the Persian Gulf",
                  "GCC", "Gulf Cooperation Council"),
                 ("AE", "BH", "KW", "OM", "QA", "SA")),
    "the Levant": (("Levant",), ("IL", "JO", "LB", "PS", "SY")),
    "Central Asia": (("Central Asian countries",), ("KG", "KZ", "TJ", "TM", "UZ")),
    "the Caucasus": (("South Caucasus", "the South Caucasus", "Transcaucasia"),
                     ("AM", "AZ", "GE")),
    "the Maghreb": (("Maghreb",), ("DZ", "LY", "MA", "MR", "TN")),
    "North Africa": (("Northern Africa",), ("DZ", "EG", "LY", "MA", "SD", "TN")),
    "the Sahel": (("Sahel",), ("BF", "ML", "MR", "NE", "TD")),
    "the Horn of Africa": (("Horn of Africa",), ("DJ", "ER", "ET", "SO")),
    "the Balkans": (("Balkans", "the Balkan countries"),
                    ("AL", "BA", "BG", "GR", "HR", "ME", "MK", "RO", "RS", "SI")),
    "the Baltic states": (("the Baltics", "Baltic states"), ("EE", "LT", "LV")),
    "Scandinavia": (("Scandinavian countries",), ("DK", "NO", "SE")),
    "Southeast Asia": (("South-East Asia", "ASEAN"),
                       ("BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "TL", "VN")),
}

CuratedPlace = tuple[str, tuple[str, ...], str, str | None, tuple[float, float]]
"""(name, other names, country, ISO 3166-2 subdivision, (latitude, longitude))."""

PLACES: tuple[CuratedPlace, ...] = (
    # Towns smaller than GeoNames' 15,000-people cut that reports name often.
    # Chtoura: market town on the Beirut-Damascus road, Beqaa governorate.
    ("Chtoura", ("Chtaura", "Shtoura", "Shtaura", "Chtaura"), "LB", "LB-BI", (33.8167, 35.85)),
)

WATERS: dict[str, tuple[str, ...]] = {
    # Name -> other names, of a place in no country (Place.waters): someone reported
    # "at sea" or "in international waters" is in no country's territory. Each name is
    # indexed whole only: "at sea" must not also answer "sea" (the "at" an article).
    "international waters": ("at sea", "the high seas", "high seas", "the open sea",
                             "open sea"),
}
