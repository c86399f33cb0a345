from __future__ import annotations

import pytest

from whereabouts import Ledger, Place, Source


class NoGazetteer:
    """Stands in for the gazetteer where a test must not resolve names."""

    def place(self, name: str, *, country: str | None = None) -> Place:
        raise AssertionError(f"unexpected place lookup: {name!r}")

    def register(self, place: Place, *, aliases: object = ()) -> Place:
        return place


@pytest.fixture
def ledger() -> Ledger:
    return Ledger(gazetteer=NoGazetteer())


@pytest.fixture
def places() -> dict[str, Place]:
    latakia = Place.from_subdivision("SY-LA", name="Latakia")
    damascus = Place.city("Damascus", country="SY", point=(33.5138, 36.2765))
    return {
        "SY": Place.from_country("SY"),
        "RU": Place.from_country("RU"),
        "LB": Place.from_country("LB"),
        "IQ": Place.from_country("IQ"),
        "LY": Place.from_country("LY"),
        "AE": Place.from_country("AE"),
        "damascus": damascus,
        "moscow": Place.city("Moscow", country="RU", point=(55.7558, 37.6173)),
        "beirut": Place.city("Beirut", country="LB", point=(33.8938, 35.5018)),
        "dubai": Place.city("Dubai", country="AE", point=(25.2048, 55.2708)),
        "base": Place.facility("Hmeimim air base", parent=latakia),
        "embassy": Place.facility("Russian embassy", parent=damascus),
        "gulf": Place.region("the Gulf", ["AE", "SA", "QA", "KW", "BH", "OM"]),
    }


@pytest.fixture
def paper() -> Source:
    return Source("The Daily Example", published="2024-12-31")
