"""What runs leave for readers: the run result and its folder, ensemble tables, figures, labels.

See ``docs/architecture.md``.
"""
