"""Forebyggingshåndboka: a municipality's preventive plan as a Sphinx handbook.

The folders are the pipeline, and imports flow only this way: ``core`` (the data model, loading,
validation, the trace; no Sphinx) → ``wording`` (the engine's texts in nb and nn) → ``outputs``
(CSV/XLSX exports, the report PDF) and the top-level ``widgets`` package → ``ext`` (the Sphinx
extension that turns validated data into pages; ``conf.py`` lists ``forebygging.ext``) → ``cli``
(the commands the Makefile runs).
"""

__version__ = "0.1.0"
