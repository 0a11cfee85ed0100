"""Calibration as inference: the record's likelihood, history matching, posteriors, their checks.

See ``docs/architecture.md``.
"""
