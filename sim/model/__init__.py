"""The model: its wiring and daily schedule (``model.py``) and the daily table it collects.

See ``docs/architecture.md``.
"""
