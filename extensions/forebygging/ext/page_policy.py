"""Every page states its own safety: a referrer policy and a Content-Security-Policy, as ``<meta>`` tags.

The handbook is static files that may be served by any web server, so the policy travels
inside each page instead of depending on server headers.

Referrer: ``no-referrer``. A reader follows links from pages such as «Hva gjør jeg nå?» to
lovdata.no and the municipality's own site; the page's path (which concern the reader was
looking at) must never reach them. ``strict-origin-when-cross-origin`` would also hide the
path, but it still names the handbook's host, and nothing on the site needs a Referer
header (no server code, no analytics), so sending none costs nothing.

Content-Security-Policy: scripts, styles, images, fonts and requests from the site itself
only; no plugins, no ``<base>`` elsewhere, forms post only to the site. The inline scripts
that Sphinx, the themes, sphinx-togglebutton, sphinx-needs and our widgets write into the
pages (small settings such as ``DOCUMENTATION_OPTIONS.pagename = '…'``, which differ per
page) are allowed by their SHA-256 hash, computed from the exact bytes of each written page
after the build, so the policy can never go stale when a page, a theme or an extension
changes. Inline event handlers (``onclick=…``) and ``javascript:`` URLs are refused at build
time: a hash cannot allow them without ``'unsafe-hashes'`` for scripts, which we do not want.

Styles: the themes write one ``<style>`` block (inside ``<noscript>``) and Sphinx's index page
has ``style="width: 100%"`` attributes. Rather than ``'unsafe-inline'`` for styles, the
``<style>`` blocks are hashed and the few style attributes are allowed by hash with
``'unsafe-hashes'``, which applies to style attributes only (CSP Level 3). Styles set from
script through the CSSOM (``element.style.x = …``, as Bootstrap and the widgets do) are not
governed by CSP. A browser without ``'unsafe-hashes'`` only drops those column widths.

Images: ``'self'`` and ``data:``. The theme's Bootstrap stylesheet draws its form controls
(``.form-check-input``'s tick, ``.form-select``'s arrow, ``.btn-close``) as ``data:`` SVG
images. No page uses them today, but a page that did would show a ticked box as unticked
under ``img-src 'self'``. A ``data:`` image is part of the stylesheet itself: it fetches
nothing, and an SVG shown as an image runs no script.

Two things the theme's own scripts do at run time need more than a hash of the page:

- pydata-sphinx-theme's ``fontawesome.js`` inserts one ``<style>`` element with Font Awesome's
  CSS (the icons' size and alignment). Its hash is computed at build time from the CSS
  string inside the built ``_static/scripts/fontawesome.js`` and added to pages loading it.
- Sphinx's ``doctools.js`` compiles the catalogue's plural rule with ``new Function``
  (eval). ``static/forebygging-plural.js`` replaces ``Documentation.addTranslations`` with
  an eval-free parser of the same rule, so the policy needs no ``'unsafe-eval'``.

A CSP in a ``<meta>`` element governs only what comes after it, so the tag is placed right
after ``<meta charset>``, before any script or style. Directives that a ``<meta>`` policy
ignores (``frame-ancestors``, ``report-uri``, ``sandbox``) are left out: browsers would log a
console error for each.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sphinx.errors import ExtensionError

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

REFERRER_POLICY = "no-referrer"
STATIC = Path(__file__).resolve().parent / "static"
PLURAL_JS = "forebygging-plural.js"
FONTAWESOME_JS = "fontawesome.js"
# The first rule of Font Awesome's CSS, as written (escaped) inside fontawesome.js.
_FONTAWESOME_MARK = ".svg-inline--fa {\\n"

# What the browser runs as script (HTML's "JavaScript MIME type essence match", plus module and
# importmap). Any other type (application/json: the widgets' rules and texts) is a data block:
# never run, never checked by CSP, and readable by textContent under any policy.
_SCRIPT_TYPES = frozenset(
    {
        "",
        "module",
        "importmap",
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    }
)

# Our own two tags, exactly as written by ``_tags``: removed before a page is examined again,
# so processing a page twice (an incremental build) gives the same bytes as processing it once.
_OWN_TAGS = re.compile(
    r'\n?<meta name="referrer" content="[^"]*" />\n<meta http-equiv="Content-Security-Policy" content="[^"]*" />'
)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)
_SKIP_DIRS = {"_static", "_sources", "_images"}


class PagePolicyError(ExtensionError):
    """A page has inline code that no hash can allow, or a theme script changed shape."""


@dataclass
class InlineCode:
    """The inline code of one page, in document order."""

    scripts: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    style_attributes: list[str] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)  # "<tag onclick>" or "<a href=javascript:>"
    script_files: list[str] = field(default_factory=list)  # file names of <script src>, no query


class _InlineCodeParser(HTMLParser):
    """Collects inline scripts, ``<style>`` blocks and style attributes as the browser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.code = InlineCode()
        self._open: str | None = None  # "script" or "style" while inside a block we keep
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "style" and value is not None:
                self.code.style_attributes.append(value)
            elif name.startswith("on"):
                self.code.handlers.append(f"<{tag} {name}>")
            elif name in ("href", "src", "action", "formaction", "data") and (
                (value or "").strip().lower().startswith("javascript:")
            ):
                self.code.handlers.append(f"<{tag} {name}=javascript:>")
        values = dict(attrs)
        executable = (values.get("type") or "").strip().lower() in _SCRIPT_TYPES
        if tag == "script" and values.get("src") is not None:
            if executable:
                self.code.script_files.append(posixpath.basename(urlsplit(values["src"] or "").path))
        elif tag == "script" and executable:
            self._open, self._text = "script", []
        elif tag == "style":
            self._open, self._text = "style", []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            target = self.code.scripts if tag == "script" else self.code.styles
            target.append("".join(self._text))
            self._open = None


# The parts of a page that can hold inline code, in document order: comments (skipped, as the
# browser skips them), whole <script> and <style> elements, and start tags. The catalogue page of
# a large plan has tens of thousands of tags; only those that have a style or on* attribute or a
# javascript: URL are handed to the parser, which keeps a build's cost a fraction of a second.
_FRAGMENT = re.compile(
    r"<!--.*?-->"
    r"|<(script|style)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>.*?</\1\s*>"
    r"|<[a-zA-Z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
    re.DOTALL | re.IGNORECASE,
)
_INTERESTING_TAG = re.compile(r"\sstyle\s*=|\son[a-z]|javascript:", re.IGNORECASE)


def inline_code(page: str) -> InlineCode:
    """The inline code of an HTML page (raw text of scripts and styles, unescaped attribute values)."""
    parser = _InlineCodeParser()
    for match in _FRAGMENT.finditer(page):
        fragment = match.group(0)
        if match.group(1) or (not fragment.startswith("<!--") and _INTERESTING_TAG.search(fragment)):
            parser.feed(fragment)
    parser.close()
    return parser.code


def source_hash(text: str) -> str:
    """The CSP source for ``text``: SHA-256 of its UTF-8 bytes after HTML's newline normalisation."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(normalised.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def content_security_policy(code: InlineCode, injected_styles: Iterable[str] = ()) -> str:
    """The policy for a page with ``code``: the site's own files, plus exactly these inline pieces.

    ``injected_styles`` are ``<style>`` texts that the page's own scripts insert at run time.
    """
    scripts = ["'self'", *_unique(source_hash(s) for s in code.scripts)]
    styles = ["'self'", *_unique(source_hash(s) for s in [*code.styles, *injected_styles])]
    if code.style_attributes:
        styles += ["'unsafe-hashes'", *_unique(source_hash(s) for s in code.style_attributes)]
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(scripts),
        "style-src " + " ".join(styles),
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    return "; ".join(directives)


def _tags(policy: str) -> str:
    # Hash sources and keywords hold no '"', '<' or '&': the policy is safe inside the attribute.
    return (
        f'\n<meta name="referrer" content="{REFERRER_POLICY}" />'
        f'\n<meta http-equiv="Content-Security-Policy" content="{policy}" />'
    )


def apply_policy(page: str, name: str = "page", injected_styles: Mapping[str, Iterable[str]] | None = None) -> str:
    """``page`` with the referrer and CSP tags (replacing earlier ones), right after ``<meta charset>``.

    ``injected_styles`` maps a script's file name to the ``<style>`` texts it inserts; pages
    loading that script get their hashes. A document without ``<head>`` is returned unchanged.
    Raises :class:`PagePolicyError` naming ``name`` if the page has an inline event handler or
    a ``javascript:`` URL.
    """
    page = _OWN_TAGS.sub("", page)
    anchor = _CHARSET.search(page) or _HEAD.search(page)
    if anchor is None:
        return page
    code = inline_code(page)
    if code.handlers:
        raise PagePolicyError(
            f"{name}: inline event handlers or javascript: URLs cannot be allowed by the "
            f"Content-Security-Policy; move them into a static script: {', '.join(_unique(code.handlers))}"
        )
    injected = [css for script in code.script_files for css in (injected_styles or {}).get(script, ())]
    at = anchor.end()
    return page[:at] + _tags(content_security_policy(code, injected)) + page[at:]


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd number of backslashes."""
    before = at
    while before > 0 and text[before - 1] == "\\":
        before -= 1
    return (at - before) % 2 == 1


def fontawesome_css(script: str) -> str:
    """The CSS that Font Awesome's ``fontawesome.js`` puts in a ``<style>`` element.

    It is one double-quoted string literal in the (minified) script; with the default
    configuration the library inserts it unchanged. Raises :class:`PagePolicyError` when the
    literal cannot be found, so a theme update that changes it fails the build visibly
    instead of shipping pages whose icons the policy blocks.
    """
    mark = script.find(_FONTAWESOME_MARK)
    if mark < 0:
        raise PagePolicyError(f"{FONTAWESOME_JS}: Font Awesome's CSS string was not found; update page_policy.py")
    start = script.rindex('"', 0, mark)  # the literal's quotes: the unescaped '"' either side
    while _escaped(script, start):
        start = script.rindex('"', 0, start)
    end = script.index('"', mark)
    while _escaped(script, end):
        end = script.index('"', end + 1)
    try:
        return str(json.loads(script[start : end + 1].replace("\\'", "'")))
    except ValueError as error:
        raise PagePolicyError(f"{FONTAWESOME_JS}: Font Awesome's CSS string is not readable: {error}") from error


def injected_styles(outdir: Path) -> dict[str, list[str]]:
    """The ``<style>`` texts the site's own scripts insert, by script file name."""
    styles: dict[str, list[str]] = {}
    fontawesome = outdir / "_static" / "scripts" / FONTAWESOME_JS
    if fontawesome.is_file():
        styles[FONTAWESOME_JS] = [fontawesome_css(fontawesome.read_text(encoding="utf-8"))]
    return styles


def html_pages(outdir: Path) -> Iterator[Path]:
    """The HTML pages of a build, in a stable order (assets under ``_static`` and friends excluded)."""
    for path in sorted(outdir.rglob("*.html")):
        if not _SKIP_DIRS.intersection(path.relative_to(outdir).parts[:-1]):
            yield path


def pages_written(app: Sphinx) -> list[Path]:
    """The HTML pages of the output that this build wrote, not those it took over unchanged.

    What build-finished does to every page (the content security policy, the icon check) was
    done to the others by the build that wrote them, from the same code and templates.
    """
    from .reuse import pages_taken_over

    skip = pages_taken_over(app)
    return [page for page in html_pages(Path(app.outdir)) if page not in skip]


def apply_to_site(outdir: Path, pages: Iterable[Path] | None = None) -> int:
    """Put the policy tags into the ``pages`` under ``outdir`` (default: every page); return how many files changed."""
    styles = injected_styles(outdir)
    changed = 0
    for path in html_pages(outdir) if pages is None else pages:
        before = path.read_bytes().decode("utf-8")  # the bytes as written, line ends included
        after = apply_policy(before, path.relative_to(outdir).as_posix(), styles)
        if after != before:  # untouched files keep their mtime: incremental builds stay incremental
            path.write_bytes(after.encode("utf-8"))
            changed += 1
    return changed


def _on_config_inited(app: Sphinx, config: Config) -> None:
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        apply_to_site(Path(app.outdir), pages_written(app))  # the pages taken over carry their tags


def setup_page_policy(app: Sphinx) -> None:
    app.connect("config-inited", _on_config_inited)
    # After doctools.js (priority 200), before translations.js (500), which calls addTranslations.
    app.add_js_file(PLURAL_JS, priority=300)
    # Last of all build-finished handlers: sphinx-needs writes permalink.html and our i18n
    # rewrites it at build-finished too, and the hashes must be of the final bytes.
    app.connect("build-finished", _on_build_finished, priority=1000)
