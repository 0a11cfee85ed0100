"""Studies built on runs and sweeps, each also a ``python -m sim.studies.<name>`` command.

See ``docs/architecture.md``.
"""
