"""Place names to places, offline: the gazetteer and its geopy geocoder.

>>> from whereabouts.gazetteer import Gazetteer
>>> Gazetteer().place("Chtoura, Lebanon").label
'Chtoura (LB)'
"""

from whereabouts.gazetteer.geocoder import OfflineGeocoder
from whereabouts.gazetteer.resolution import Candidate, Resolution
from whereabouts.gazetteer.resolver import Gazetteer

__all__ = ["Candidate", "Gazetteer", "OfflineGeocoder", "Resolution"]
