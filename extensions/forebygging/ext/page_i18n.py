"""The handbook's own page text in the plan's written standard, with Sphinx's gettext.

The bokmål pages in ``handbook/`` are the source. Each page's nynorsk translation is the
catalogue ``handbook/_locale/nn/LC_MESSAGES/<docname>.po`` (``gettext_compact = False`` in
``conf.py``); Sphinx compiles it to ``.mo`` when it builds (``gettext_auto_build``) and its
``Locale`` transform replaces each paragraph, heading, list item and toctree caption of the
page with its translation. ``make translations`` extracts the messages with the ``gettext``
builder, from a copy of ``handbook/`` (a build writes its generated pages into the folder
it reads, so never point ``sphinx-build`` at ``handbook/`` itself).

Text our directives write from the plan data is already in the plan's language: it is never
extracted or translated (:func:`keep_untranslated`, called for every data directive).
"""

from __future__ import annotations

from collections.abc import Iterable

from docutils import nodes
from sphinx import addnodes, locale
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective, SphinxTranslator

# Catalogues that forebygging.ext.i18n loads itself for the plan's language (Sphinx and theme).
_ENGINE_DOMAINS = frozenset({"sphinx", "booktheme"})


def keep_untranslated(generated: Iterable[nodes.Node]) -> None:
    """Mark every text element of a directive's output as not translatable.

    Sphinx already skips text elements without a ``source``; setting ``translatable`` also
    covers nodes a directive gives a source (or builds by parsing text), so plan data can
    never end up in a page's catalogue, however a directive makes its nodes.
    """
    for top in generated:
        if not isinstance(top, nodes.Node):
            continue
        for node in top.findall(nodes.TextElement):
            # Not inline nodes: Sphinx removes any inline with a "translatable" attribute, taking
            # it for a placeholder of its own (RemoveTranslatableInline), and link texts would go.
            if not isinstance(node, nodes.Inline):
                node["translatable"] = False


class page_text(nodes.Inline, nodes.TextElement, addnodes.translatable):
    """Words a page hands to a directive (an option such as ``exercise-link``'s ``:text:``).

    They are the page's prose, not plan data, so they are extracted into the page's catalogue
    and translated with it, the way Sphinx does for toctree captions.
    """

    def preserve_original_messages(self) -> None:
        self.setdefault("original", self.astext())

    def extract_original_messages(self) -> list[str]:
        return [self.get("original", self.astext())]

    def apply_translated_message(self, original_message: str, translated_message: str) -> None:
        if original_message == self.get("original", self.astext()):
            self.children = []
            self += nodes.Text(translated_message)

    def deepcopy(self) -> page_text:
        # Resolving a reference copies its text node; the copy must keep the uid the gettext
        # builder gave the original, or the message is silently left out of the catalogue.
        copy = super().deepcopy()
        if hasattr(self, "uid"):
            copy.uid = self.uid
        return copy


def page_words(directive: SphinxDirective, text: str) -> page_text:
    """``text`` from the page's source, as a node that is translated with the page."""
    node = page_text(text, text, original=text)
    node.source, node.line = directive.get_source_info()
    return node


class KeepPageTextForGettext(SphinxPostTransform):
    """Keep page words inside links in the doctree the gettext builder extracts from.

    Resolving a ``{ref}`` makes a new link text from the words (the translation is already in
    them, applied when the page was read), so the gettext builder would no longer find the
    message. For that builder only, a copy is put next to the link before references resolve.
    """

    default_priority = 5  # before ReferencesResolver (10)
    builders = ("gettext",)

    def run(self, **kwargs: object) -> None:
        for node in list(self.document.findall(page_text)):
            xref = node.parent
            if isinstance(xref, addnodes.pending_xref) and xref.parent is not None:
                xref.parent.insert(xref.parent.index(xref) + 1, node.deepcopy())


def _visit_page_text(translator: SphinxTranslator, node: page_text) -> None:
    pass  # only its text is written


def _depart_page_text(translator: SphinxTranslator, node: page_text) -> None:
    pass


def _forget_page_catalogues(app: Sphinx, config: Config) -> None:
    """Drop page translations loaded by an earlier build in this process.

    Sphinx caches one translator per page (``sphinx.locale.translators``) and keeps it even
    when a later build asks for another language; without this an nn build followed by an nb
    build in one process (the tests) would show nynorsk pages in the bokmål handbook.
    """
    for key in list(locale.translators):
        namespace, catalogue = key
        if namespace == "general" and catalogue not in _ENGINE_DOMAINS:
            del locale.translators[key]


def _no_needs_json_for_gettext(app: Sphinx) -> None:
    """sphinx-needs writes needs.json with a second builder at the end, which the gettext builder's
    environment (with versioning) refuses; message extraction needs no needs.json."""
    if app.builder.name == "gettext":
        app.config.needs_build_json = False


def setup_page_i18n(app: Sphinx) -> None:
    visitors = (_visit_page_text, _depart_page_text)
    app.add_node(page_text, html=visitors, latex=visitors, text=visitors, man=visitors, texinfo=visitors)
    app.add_post_transform(KeepPageTextForGettext)
    app.connect("config-inited", _forget_page_catalogues)
    app.connect("builder-inited", _no_needs_json_for_gettext)
