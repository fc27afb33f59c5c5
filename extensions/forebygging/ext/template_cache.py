"""The theme's page templates compiled once, not in every build.

Jinja compiles a template to Python the first time a process renders it; the pydata and book
themes' layouts take a tenth of a second to compile, in every build, though they change only
with the theme. Jinja's own bytecode cache keeps the compiled code in the doctrees folder,
keyed by the template's name and source checksum, so an edited template is compiled again.
The pages written are the same bytes: the cache holds compiled code, not output.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from sphinx.application import Sphinx

FOLDER = "forebygging-templates"


def _on_builder_inited(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is None:  # a builder without Jinja templates (gettext, say)
        return
    folder = Path(app.doctreedir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup_template_cache(app: Sphinx) -> None:
    app.connect("builder-inited", _on_builder_inited)
