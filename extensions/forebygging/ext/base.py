"""What every data-driven directive shares: the data, the dependency on it, and its wording."""

from __future__ import annotations

from sphinx.util.docutils import SphinxDirective

from ..core import HandbookData
from ..wording import text
from .data import get_data, note_data_dependency
from .page_i18n import keep_untranslated


class DataDirective(SphinxDirective):
    """A directive that renders part of the plan data; the page is rebuilt when the data changes."""

    has_content = False

    @property
    def data(self) -> HandbookData:
        return get_data(self.config)

    def t(self, key: str, **values: object) -> str:
        return text(self.env, key, **values)

    def run(self):
        note_data_dependency(self.env)
        generated = self.render()
        keep_untranslated(generated)  # plan data is already in the plan's language
        return generated

    def render(self) -> list:
        raise NotImplementedError
