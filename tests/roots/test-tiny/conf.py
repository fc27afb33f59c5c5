"""A tiny handbook for directive tests (tests/test_directives.py): three MyST pages, our extension only.

The data directory is set by each test (``forebygging_data_dir``): the national data and the small
municipality ``mangelby`` of tests/fixtures.
"""

extensions = ["myst_parser", "forebygging.ext"]
# Said explicitly, so the mapping does not depend on what an earlier build in the same test process loaded.
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
forebygging_municipality = "mangelby"
language = "nb"
exclude_patterns = ["_build", "plikter"]  # the duty pages generated from the national data: not needed here
