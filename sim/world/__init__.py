"""The model's world: the district map, the actors as Mesa agents, 1 May 2021, random streams.

Imports only :mod:`sim.config`; see ``docs/architecture.md``.
"""
