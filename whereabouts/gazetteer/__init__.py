"""Place names to places, offline: the gazetteer and its geopy geocoder.

>>> from whereabouts.gazetteer import Gazetteer
>>> Gazetteer().place("Chtoura, Lebanon").label
'Chtoura (LB)'

Importing this package reads no data and does not import geopy; the data is
loaded on the first resolution and geopy when :class:`OfflineGeocoder`, the
online layer or a distance is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whereabouts.gazetteer.resolution import Candidate, Resolution
from whereabouts.gazetteer.resolver import MAX_NAME, Gazetteer

if TYPE_CHECKING:
    from whereabouts.gazetteer.geocoder import OfflineGeocoder

__all__ = ["MAX_NAME", "Candidate", "Gazetteer", "OfflineGeocoder", "Resolution"]


def __getattr__(name: str) -> object:
    if name == "OfflineGeocoder":  # geopy's import costs ~80 ms: only when asked for
        from whereabouts.gazetteer.geocoder import OfflineGeocoder

        return OfflineGeocoder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
