"""A tiny handbook for directive tests (tests/test_directives.py): three MyST pages, our extension only.

The data directory is set by each test (``forebygging_data_dir``): the national data and the small
municipality ``mangelby`` of tests/fixtures.
"""

extensions = ["myst_parser", "forebygging.ext"]
# Said explicitly: myst-nb, loaded by a handbook build earlier in the same test process, leaves its own
# parser in Sphinx's default mapping, which this project does not load.
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
forebygging_municipality = "mangelby"
language = "nb"
exclude_patterns = ["_build", "plikter"]  # the duty pages generated from the national data: not needed here
