"""Pictures of a ledger: route maps, timelines, and what notebooks show.

Everything here draws what the ledger knows, uncertainty included: disputed
positions as separate candidates, "X or Y" as alternatives, gaps as breaks,
windows as spans. The HTML map needs nothing beyond the core install; PNG and
SVG pictures need matplotlib (``pip install "whereabouts[plots]"``). Nothing
here is imported by ``import whereabouts``.
"""
