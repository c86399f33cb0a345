"""The ledger as a pandas DataFrame, one row per observation (``pip install whereabouts[pandas]``).

pandas is imported only when :func:`to_dataframe` is called.

>>> from whereabouts.examples import assad_2024
>>> frame = to_dataframe(assad_2024())
>>> frame.shape
(23, 20)
>>> frame.loc["moscow", ["kind", "place", "country", "when", "grading"]].tolist()
['arrived at', 'Moscow', 'RU', '2024-12-08/..', 'C2']
>>> str(frame.loc["moscow", "earliest"]), str(frame.loc["moscow", "latest"])
('2024-12-08 00:00:00+00:00', 'NaT')
"""

from __future__ import annotations

import importlib
from typing import Any

from whereabouts.io.errors import MissingDependency
from whereabouts.ledger import Ledger
from whereabouts.observations import Observation, Retraction

__all__ = ["COLUMNS", "to_dataframe"]

COLUMNS = ("kind", "subjects", "names", "place", "place_key", "country", "latitude",
           "longitude", "when", "earliest", "latest", "reported", "source", "grading",
           "reliability", "credibility", "note", "after", "corrects", "retracted_by")
"""The DataFrame's columns; its index is the observation id."""


def to_dataframe(ledger: Ledger) -> Any:
    """A :class:`pandas.DataFrame` of every observation, indexed by id, in ledger order.

    ``subjects``, ``names`` and ``after`` hold lists; ``earliest`` and
    ``latest`` are UTC timestamps (``NaT`` when unbounded); ``latitude`` and
    ``longitude`` are the place's point (``NaN`` when it has none);
    ``retracted_by`` is the id of the retraction that withdrew it, if any.
    Raises :class:`~whereabouts.io.MissingDependency` without pandas.
    """
    try:
        pd: Any = importlib.import_module("pandas")
    except ImportError as err:
        raise MissingDependency(
            "needs pandas: pip install 'whereabouts[pandas]'", field="pandas"
        ) from err
    names = {e.id: e.name for e in ledger.entities}
    retracted = {e.target: e.id for e in ledger.entries if isinstance(e, Retraction)}
    rows = [_row(o, names, retracted) for o in ledger.entries if isinstance(o, Observation)]
    frame = pd.DataFrame.from_records(rows, columns=["id", *COLUMNS])
    for column in ("earliest", "latest"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    for column in ("latitude", "longitude"):
        frame[column] = frame[column].astype("float64")
    return frame.set_index("id")


def _row(obs: Observation, names: dict[str, str], retracted: dict[str, str]) -> dict[str, Any]:
    point = None if obs.place is None or len(obs.place.options) != 1 else obs.place.options[0].point
    when = obs.when
    return {
        "id": obs.id,
        "kind": obs.kind.value,
        "subjects": list(obs.subjects),
        "names": [names.get(s, s) for s in obs.subjects],
        "place": None if obs.place is None else obs.place.name,
        "place_key": None if obs.place is None else obs.place.key,
        "country": None if obs.place is None else obs.place.country,
        "latitude": None if point is None else point[0],
        "longitude": None if point is None else point[1],
        "when": None if when is None else str(when),
        "earliest": None if when is None else when.earliest,
        "latest": None if when is None else when.latest,
        "reported": str(obs.reported),
        "source": str(obs.source),
        "grading": obs.grading.code,
        "reliability": obs.grading.reliability.name,
        "credibility": obs.grading.credibility.value,
        "note": obs.note,
        "after": list(obs.after),
        "corrects": obs.corrects,
        "retracted_by": retracted.get(obs.id),
    }
