"""Sphinx's and the theme's own strings in the plan's written standard (nb or nn).

Sphinx loads its translations for ``conf.py``'s ``language`` before any extension runs;
the plan's language is only known once :mod:`forebygging.ext.data` has read the plan
(``config-inited``). So, right after that, this module loads them again for the plan's
language, from our catalogues in ``handbook/_locale/<lang>/LC_MESSAGES`` first and then
Sphinx's own (Sphinx ships no nynorsk):

* ``sphinx.po``: Sphinx's templates and pydata-sphinx-theme (both use the ``sphinx`` domain);
* ``booktheme.po``: sphinx-book-theme's own domain, which Sphinx never looks for in a project;
* ``sphinx.js`` (written here from ``sphinx.po``): the search page's JavaScript strings.

The compiled ``.mo`` files and ``sphinx.js`` are written next to the ``.po`` files in the
source directory, which is the build's own copy of ``handbook/`` (see
:mod:`forebygging.cli.publishing`), so concurrent builds never write the same file.

sphinx-needs' ``permalink.html`` (a redirect page from a fixed English template) gets the
plan's language and our words after the build.

Doing it on every build also keeps one build's language from leaking into the next one
run in the same process (the tests build nb and nn plans one after the other).
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from sphinx import locale, package_dir
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.i18n import CatalogRepository

from ..wording import TEXTS, lookup

PERMALINK_TEMPLATE = {  # the English bits of sphinx-needs 9.1's templates/permalink.html -> (ours, text key)
    "<title>sphinx-needs permalink</title>": ("<title>{}</title>", "site.permalink.title"),
    "<h1>Searching, Please Wait...</h1>": ("<h1>{}</h1>", "site.permalink.wait"),
}
THEME_DOMAINS = ("booktheme",)  # catalogues Sphinx does not compile or load from a project by itself
JS_CATALOGUE = "sphinx.js"


def js_plural_index(expr: str) -> str:
    """A gettext plural expression as Sphinx's JavaScript needs it: a number, never a boolean.

    Babel and gettext write ``(n != 1)`` for two-form languages such as nb and nn; in
    JavaScript that is ``true``/``false``, and ``doctools.js`` indexes the plural forms with
    it (``forms[true]`` is undefined), which broke the search page's status line.
    """
    expr = expr.strip()
    return expr if expr.startswith("Number(") else f"Number({expr})"


def js_catalogue(po_path: Path, language: str, base: Path | None = None) -> str:
    """``Documentation.addTranslations(...)`` for Sphinx's search JavaScript, from a ``sphinx.po``.

    ``base`` is Sphinx's own ``sphinx.js`` for the language, if any: its messages are kept
    where our catalogue has none, so our file only ever adds translations.
    """
    messages: dict[str, Any] = {}
    plural_expr = "(n != 1)"
    if base is not None and base.is_file():
        raw = base.read_text(encoding="utf-8")
        data = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
        # Sphinx's own nb file has empty strings for untranslated messages, which blank the search page.
        messages.update({k: v for k, v in data.get("messages", {}).items() if (v if isinstance(v, str) else any(v))})
        plural_expr = data.get("plural_expr", plural_expr)
    with po_path.open(encoding="utf-8") as file:
        catalogue = read_po(file, language)
    if catalogue.plural_expr:
        plural_expr = catalogue.plural_expr
    for message in catalogue:
        if not message.id or not message.string or message.fuzzy:
            continue
        if isinstance(message.id, tuple | list):
            messages[message.id[0]] = list(message.string)
        else:
            messages[message.id] = message.string
    payload = {
        "messages": dict(sorted(messages.items())),
        "plural_expr": js_plural_index(plural_expr),
        "locale": language,
    }
    return f"Documentation.addTranslations({json.dumps(payload, ensure_ascii=False, indent=2)});\n"


def _write_if_changed(path: Path, content: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != content:
        path.write_text(content, encoding="utf-8")


def _on_config_inited(app: Sphinx, config: Config) -> None:
    language = config.language
    # Absolute, so Sphinx also finds our sphinx.js (it looks it up relative to the working directory).
    config.locale_dirs = [str(Path(app.srcdir, d)) for d in config.locale_dirs]
    repo = CatalogRepository(app.srcdir, list(config.locale_dirs), language, config.source_encoding)
    for catalogue in repo.catalogs:
        if catalogue.domain in ("sphinx", *THEME_DOMAINS) and catalogue.is_outdated():
            catalogue.write_mo(language, config.gettext_allow_fuzzy_translations)
        if catalogue.domain == "sphinx":
            base = Path(package_dir, "locale", language, "LC_MESSAGES", JS_CATALOGUE)
            js = js_catalogue(Path(catalogue.po_path), language, base)
            _write_if_changed(Path(catalogue.base_dir, JS_CATALOGUE), js)

    # Sphinx's own catalogue, as Sphinx.__init__ loads it, but for the plan's language.
    dirs: list[Any] = [*repo.locale_dirs, None, Path(package_dir, "locale")]
    locale.translators.pop(("general", "sphinx"), None)
    app.translator, _ = locale.init(dirs, language)
    for domain in THEME_DOMAINS:
        locale.translators.pop(("general", domain), None)
        for directory in repo.locale_dirs:
            app.add_message_catalog(domain, directory)

    # Theme and extension settings that are text: from the engine's table, in the plan's language.
    texts = TEXTS.get(language, TEXTS["nb"])
    config.html_theme_options = {
        **config.html_theme_options,
        "toc_title": texts["site.toc_title"],
        "search_bar_text": texts["site.search_placeholder"],
    }
    # sphinx-togglebutton translates its hints once, at import, and has no nb or nn.
    config.togglebutton_hint = texts["site.toggle.show"]
    config.togglebutton_hint_hide = texts["site.toggle.hide"]


def localise_permalink_page(path: Path, language: str) -> None:
    """sphinx-needs' redirect page in ``language``: its lang attribute, title and waiting text."""
    if not path.is_file():
        return
    page = path.read_text(encoding="utf-8").replace('<html lang="en">', f'<html lang="{escape(language)}">')
    for english, (ours, key) in PERMALINK_TEMPLATE.items():
        page = page.replace(english, ours.format(escape(lookup(language, key))))
    _write_if_changed(path, page)


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        permalink = Path(app.config.needs_permalink_file or "permalink.html").name
        localise_permalink_page(Path(app.outdir, permalink), app.config.language or "nb")


def setup_i18n(app: Sphinx) -> None:
    # After forebygging.ext.data (priority 4) has set config.language from the plan.
    app.connect("config-inited", _on_config_inited, priority=150)
    app.connect("build-finished", _on_build_finished)
