"""Forebyggingshåndboka: a municipality's preventive plan as a Sphinx handbook.

``core`` holds the data model, loading and validation (no Sphinx); ``ext`` holds the
Sphinx extension that turns validated data into pages. ``conf.py`` adds
``forebygging.ext`` to ``extensions``.
"""

__version__ = "0.1.0"
