"""geopy round trips: our geocoder inside RateLimiter, and a geopy geocoder as our layer.

The online layer is tested against a small HTTP server on 127.0.0.1 that
answers in Nominatim's JSON format; no test touches the internet.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.adapters import URLLibAdapter
from geopy.exc import GeocoderQueryError, GeocoderServiceError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from whereabouts.errors import GeocoderFailed, InvalidPlace, UnknownPlace
from whereabouts.gazetteer import Gazetteer, OfflineGeocoder
from whereabouts.places import Place, PlaceKind

ANSWERS = {
    "hmeimim air base": [{
        "place_id": 1, "osm_type": "way", "osm_id": 123456, "lat": "35.4011", "lon": "35.9487",
        "class": "military", "type": "airfield", "addresstype": "military",
        "name": "Hmeimim Air Base", "display_name": "Hmeimim Air Base, Latakia, Syria",
        "address": {"country_code": "sy", "ISO3166-2-lvl4": "SY-LA", "country": "Syria"},
    }],
    "qardaha": [{
        "place_id": 2, "osm_type": "node", "osm_id": 42, "lat": "35.4547", "lon": "36.0614",
        "class": "place", "type": "town", "addresstype": "town", "name": "Qardaha",
        "display_name": "Qardaha, Latakia, Syria",
    }],
}


class _Nominatim(BaseHTTPRequestHandler):
    calls: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        query = parse_qs(urlparse(self.path).query)
        text = query.get("q", [""])[0].strip().lower()
        type(self).calls.append(text)
        body = json.dumps(ANSWERS.get(text, [])).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def nominatim() -> Iterator[Nominatim]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Nominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Nominatim.calls = []
    try:
        yield Nominatim(
            domain=f"127.0.0.1:{server.server_address[1]}", scheme="http",
            user_agent="whereabouts-tests", timeout=5,
            adapter_factory=lambda proxies, ssl_context: URLLibAdapter(
                proxies={}, ssl_context=ssl_context),  # no proxy from the environment
        )
    finally:
        server.shutdown()
        server.server_close()


# -- the offline geocoder --------------------------------------------------------


def test_offline_geocoder_is_a_geopy_geocoder() -> None:
    geocoder = OfflineGeocoder()
    assert isinstance(geocoder, Geocoder)
    location = geocoder.geocode("Dubai")
    assert isinstance(location, Location)
    assert location.raw["place"].country == "AE"
    assert location.raw["country_code"] == "AE"
    assert location.raw["layer"] == "geonames"


def test_offline_geocoder_inside_rate_limiter() -> None:
    geocoder = OfflineGeocoder()
    geocode = RateLimiter(geocoder.geocode, min_delay_seconds=0.0)
    reverse = RateLimiter(geocoder.reverse, min_delay_seconds=0.0)
    assert geocode("Kabul").raw["place"].country == "AF"
    assert geocode("Nowhereville") is None
    places = geocode("Paris", exactly_one=False)
    assert [loc.raw["place"].country for loc in places][:1] == ["FR"]
    assert len(places) >= 3
    assert reverse("33.89, 35.50").raw["place"].label == "Beirut (LB)"
    assert reverse((33.89, 35.50), exactly_one=False)[0].raw["place"].label == "Beirut (LB)"


def test_offline_geocoder_locates_places_without_points() -> None:
    geocoder = OfflineGeocoder()
    syria = geocoder.geocode("Syria")
    assert syria.raw["kind"] == "country"
    assert (round(syria.latitude), round(syria.longitude)) in {(33, 36), (36, 37)}
    assert geocoder.geocode("the Gulf").raw["kind"] == "region"
    assert geocoder.geocode("Georgia").raw["ambiguous"] is True


def test_offline_geocoder_never_uses_the_network() -> None:
    geocoder = OfflineGeocoder()
    with pytest.raises(GeocoderServiceError):
        geocoder._call_geocoder("http://127.0.0.1:9/search", lambda data: data)


@pytest.mark.parametrize("query", ["", "!!!", None, "x" * 10_000])
def test_offline_geocoder_bad_queries(query: object) -> None:
    with pytest.raises(GeocoderQueryError):
        OfflineGeocoder().geocode(query)  # type: ignore[arg-type]


@pytest.mark.parametrize("query", ["95, 0", "north", (0.0, 200.0), "1, 2, 3", 7, ("a", 1)])
def test_offline_reverse_bad_points(query: object) -> None:
    with pytest.raises(GeocoderQueryError):
        OfflineGeocoder().reverse(query)


def test_offline_geocoder_shares_a_gazetteer() -> None:
    gaz = Gazetteer()
    assert OfflineGeocoder(gaz).gazetteer is gaz


# -- a geopy geocoder as the last layer ----------------------------------------------


def test_online_layer_answers_what_no_offline_layer_knows(nominatim: Nominatim) -> None:
    gaz = Gazetteer(online=nominatim, min_delay=0.0)
    resolution = gaz.resolve("Hmeimim air base")
    candidate = resolution.candidates[0]
    assert candidate.layer == "online"
    place = candidate.place
    assert place.kind is PlaceKind.FACILITY
    assert (place.country, place.subdivision, place.key) == ("SY", "SY-LA", "online:way:123456")
    assert place.within(Place.from_subdivision("SY-LA"))


def test_online_layer_without_country_codes_uses_reverse(nominatim: Nominatim) -> None:
    gaz = Gazetteer(online=nominatim, min_delay=0.0)
    qardaha = gaz.place("Qardaha")
    assert (qardaha.kind, qardaha.country) == (PlaceKind.CITY, "SY")


def test_online_layer_is_cached_and_last(nominatim: Nominatim) -> None:
    gaz = Gazetteer(online=nominatim, min_delay=0.0)
    assert gaz.place("Damascus").key == "geonames:170654"  # offline layers first
    gaz.resolve("Qardaha")
    gaz.resolve("QARDAHA")
    with pytest.raises(UnknownPlace):
        gaz.resolve("Nowhereville")
    with pytest.raises(UnknownPlace):
        gaz.resolve("Nowhereville")
    assert _Nominatim.calls.count("qardaha") == 1
    assert "damascus" not in _Nominatim.calls


def test_online_layer_rejects_what_is_not_a_geocoder() -> None:
    with pytest.raises(InvalidPlace) as caught:
        Gazetteer(online="https://nominatim.example")
    assert caught.value.field == "online"
    with pytest.raises(InvalidPlace) as caught:
        Gazetteer(online=OfflineGeocoder(), min_delay=-1)
    assert caught.value.field == "min_delay"


def test_online_layer_failure_is_a_library_error_caused_by_geopys() -> None:
    offline_service = Nominatim(
        user_agent="whereabouts-tests", domain="127.0.0.1:9", scheme="http", timeout=1,
        adapter_factory=lambda proxies, ssl_context: URLLibAdapter(
            proxies={}, ssl_context=ssl_context),
    )
    gaz = Gazetteer(online=offline_service, min_delay=0.0)
    with pytest.raises(GeocoderFailed, match="online: 'Nowhereville'") as caught:
        gaz.resolve("Nowhereville")
    assert isinstance(caught.value.__cause__, GeocoderServiceError)
