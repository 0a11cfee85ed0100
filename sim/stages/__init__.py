"""The stages of the day, one module each, named as ``OffensiveModel.step()`` calls them.

A stage imports the world and the schema (and other stages), never the model's wiring, an
output, the record, the inference or a study; see ``docs/architecture.md``.
"""
