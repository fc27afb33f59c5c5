"""Interactive pieces of the handbook: reference rules in Python, ipywidgets, and in-page versions."""
