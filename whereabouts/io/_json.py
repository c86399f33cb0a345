"""Query results as plain JSON-able dicts: the stable shapes of ``whereabouts ... --json``.

>>> from whereabouts.examples import assad_2024
>>> answer = whereabouts_dict(assad_2024().last_known("Maher al-Assad"))
>>> answer["entity"], answer["status"], answer["place"]["label"]
({'id': 'maher', 'name': 'Maher al-Assad', 'type': 'person'}, 'located', 'Iraq or Russia')
>>> [o["id"] for o in answer["evidence"]]
['maher-iraq', 'maher-then']
"""

from __future__ import annotations

from typing import Any

from whereabouts.entities import Entity, Group
from whereabouts.gazetteer.resolution import Resolution
from whereabouts.observations import Observation
from whereabouts.places import Alternatives, Place, Where
from whereabouts.results import (
    Candidate,
    Companion,
    Conflict,
    During,
    Itinerary,
    Presence,
    Roll,
    Stop,
    Whereabouts,
)
from whereabouts.when import When

__all__ = [
    "companions_dict",
    "conflicts_dict",
    "during_dict",
    "entity_dict",
    "itinerary_dict",
    "observation_dict",
    "place_dict",
    "presence_dict",
    "resolution_dict",
    "roll_dict",
    "whereabouts_dict",
]

JSON = dict[str, Any]


def _when(when: When | None) -> str | None:
    return None if when is None else str(when)


def entity_dict(entity: Entity) -> JSON:
    """``{"id", "name", "type"}``, the type ``"person"`` or ``"group"``."""
    return {"id": entity.id, "name": entity.name,
            "type": "group" if isinstance(entity, Group) else "person"}


def place_dict(where: Where | None) -> JSON | None:
    """A place: name, label, kind, key, country, countries, point ([lat, lon] or null).

    Alternatives: ``{"label", "alternatives": [place, ...]}``.
    """
    if where is None:
        return None
    if isinstance(where, Alternatives):
        return {"label": where.label, "alternatives": [place_dict(p) for p in where.places]}
    return _place(where)


def _place(place: Place) -> JSON:
    return {"name": place.name, "label": place.label, "kind": place.kind.value,
            "key": place.key, "country": place.country, "countries": sorted(place.countries),
            "point": None if place.point is None else list(place.point)}


def observation_dict(obs: Observation) -> JSON:
    """One claim: id, subjects, kind, place, when, source, reported (null when the
    report date is unknown), grading, note, after, corrects, and throughout (true
    for a stay, a presence holding over the whole of ``when``)."""
    return {
        "id": obs.id, "subjects": list(obs.subjects), "kind": obs.kind.value,
        "place": place_dict(obs.place), "when": _when(obs.when), "source": str(obs.source),
        "reported": _when(obs.reported), "grading": obs.grading.code, "note": obs.note,
        "after": list(obs.after), "corrects": obs.corrects,
        "throughout": getattr(obs, "throughout", False),
    }


def _candidate(candidate: Candidate | None) -> JSON | None:
    if candidate is None:
        return None
    return {"status": candidate.status.value, "place": place_dict(candidate.place),
            "evidence": [observation_dict(o) for o in candidate.evidence]}


def whereabouts_dict(answer: Whereabouts) -> JSON:
    """An answer to ``last``/``where``: entity, status, headline, place, since, evidence...

    ``last_placed`` lists the candidates for the last placement, ``also_reported``
    the claims below the grade threshold, ``denied`` the claims denied by then.
    """
    return {
        "entity": entity_dict(answer.entity),
        "status": answer.status.value,
        "headline": answer.headline,
        "place": place_dict(answer.place),
        "since": _when(answer.since),
        "evidence": [observation_dict(o) for o in answer.evidence],
        "last_seen": _candidate(answer.last_seen),
        "candidates": [_candidate(c) for c in answer.candidates],
        "conditions": [observation_dict(o) for o in answer.conditions],
        "pending": [observation_dict(o) for o in answer.pending],
        "as_of": _when(answer.as_of),
        "known_at": _when(answer.known_at),
        "last_placed": [_candidate(c) for c in answer.last_placed],
        "also_reported": [observation_dict(o) for o in answer.also_reported],
        "denied": [observation_dict(o) for o in answer.denied],
    }


def roll_dict(roll: Roll) -> JSON:
    """``everyone``, ``unaccounted``, ``dead``: title, count, answers."""
    return {"title": roll.title, "count": len(roll.answers),
            "answers": [whereabouts_dict(a) for a in roll.answers],
            "as_of": _when(roll.as_of), "known_at": _when(roll.known_at)}


def presence_dict(presence: Presence) -> JSON:
    """``who``: the place, those definitely there, those possibly there; ``on`` is the
    day asked about (null for a last-known question)."""
    return {"place": place_dict(presence.place),
            "definite": [whereabouts_dict(a) for a in presence.definite],
            "possible": [whereabouts_dict(a) for a in presence.possible],
            "as_of": _when(presence.as_of), "known_at": _when(presence.known_at),
            "on": _when(getattr(presence, "on", None))}


def _stop(stop: Stop) -> JSON:
    return {"status": stop.status.value, "place": place_dict(stop.place),
            "when": _when(stop.when), "observations": [o.id for o in stop.observations],
            "order_uncertain": stop.order_uncertain, "gap_before_days": stop.gap_before_days,
            "made": getattr(stop, "made", True), "stay": stop.stay}


def itinerary_dict(itinerary: Itinerary) -> JSON:
    """``itinerary``: the entity and its stops in order."""
    return {"entity": entity_dict(itinerary.entity),
            "stops": [_stop(s) for s in itinerary.stops]}


def during_dict(during: During) -> JSON:
    """``during``: the entity, the day, the places and countries held in it in order,
    where they were as it began (``start``) and ended (``end``), the stops inside it,
    and ``possible``: the ids of the stops' claims that may fall outside the day."""
    shown = [o.id for s in during.stops for o in s.observations]
    return {"entity": entity_dict(during.entity), "day": str(during.window),
            "places": [place_dict(p) for p in during.places],
            "countries": list(during.countries),
            "start": whereabouts_dict(during.start),
            "stops": [_stop(s) for s in during.stops],
            "possible": [i for i in dict.fromkeys(shown) if i in during.possible],
            "end": whereabouts_dict(during.end)}


def companions_dict(entity: Entity, companions: tuple[Companion, ...]) -> JSON:
    """``companions``: who moved with the entity, and on which claims."""
    return {"entity": entity_dict(entity),
            "companions": [{"entity": entity_dict(c.entity),
                            "observations": [o.id for o in c.observations]}
                           for c in companions]}


def conflicts_dict(conflicts: tuple[Conflict, ...]) -> JSON:
    """``conflicts``: each with its entity, reason and the claims at odds."""
    return {"count": len(conflicts),
            "conflicts": [{"entity": entity_dict(c.entity), "reason": c.reason,
                           "observations": [observation_dict(o) for o in c.observations]}
                          for c in conflicts]}


def resolution_dict(name: str, resolution: Resolution | None, error: str | None = None,
                    suggestions: tuple[str, ...] = ()) -> JSON:
    """``resolve``: the name, the place it means (if one), whether ambiguous, candidates."""
    if resolution is None:
        return {"name": name, "place": None, "ambiguous": False, "candidates": [],
                "error": error, "suggestions": list(suggestions)}
    return {
        "name": name,
        "place": None if resolution.ambiguous else _place(resolution.place),
        "ambiguous": resolution.ambiguous,
        "candidates": [dict(_place(c.place), layer=c.layer, matched=c.matched,
                            population=c.population) for c in resolution.candidates],
        "error": error, "suggestions": list(suggestions),
    }
