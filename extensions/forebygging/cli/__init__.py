"""The commands (``python -m forebygging check|build|report|site|all|schemas``), called by the Makefile.

``build`` is the one place that runs Sphinx and publishes a build; ``main`` holds the commands,
``trace_cli`` the trace on the console and the report PDF, ``versioned_site`` the site with every
tagged plan version, ``handbook_index`` the index of all handbooks, ``page_catalogues`` the pages'
nynorsk catalogues (``make translations``).
"""
