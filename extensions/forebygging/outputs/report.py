"""The council report (Sporbarhetsrapport) as a PDF, printed from the built report page with WeasyPrint.

Why WeasyPrint on our own page, and not sphinx-simplepdf or rinohtype: sphinx-simplepdf is a
whole second builder (and a second build of every page) for one report; rinohtype crashes
on sphinx-needs tables; Chromium print-to-PDF cannot set a running header per page. The
report page is already built by Sphinx from the trace, so the PDF takes its ``<article>``
(the very content readers see on the web) and prints it with a small @page stylesheet:
A4, page numbers, and municipality, plan version and the plan version's date on every page.
So the web page and the PDF cannot disagree.

The PDF is PDF/UA-1 (WeasyPrint's ``pdf/ua-1`` variant): tagged, with the document language,
its title shown as the window title, a bookmark per heading, table headers marked and the
charts' ``alt`` text as their alternate description, since a public document must work
with a screen reader.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
from importlib.metadata import version as package_version
from pathlib import Path

REPORT_PAGE = "rapport.html"

PRINT_CSS = """
@page {
  size: A4;
  margin: 22mm 16mm 20mm 16mm;
  @top-left { content: "%(header)s"; font-size: 8.5pt; color: #333; }
  @bottom-right { content: "%(page)s"; font-size: 8.5pt; color: #333; }
}
html { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; line-height: 1.35; color: #111; }
h1 { font-size: 18pt; margin: 0 0 6pt 0; }
h2 { font-size: 13pt; margin: 14pt 0 4pt 0; break-after: avoid; }
p.rubric { font-weight: bold; margin: 8pt 0 2pt 0; break-after: avoid; }
a { color: #0b4f8a; text-decoration: none; }
abbr { text-decoration: none; }
a.headerlink, .trace-report-pdf, .visually-hidden, .sr-only, nav, script, button { display: none; }
table { border-collapse: collapse; width: 100%%; margin: 4pt 0 8pt 0; font-size: 8pt; }
table caption { caption-side: top; text-align: left; font-weight: bold; padding: 2pt 0; }
th, td { border: 0.5pt solid #999; padding: 2pt 3pt; vertical-align: top; text-align: left; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
table.trace-matrix { font-size: 7pt; }
dl.field-list { display: grid; grid-template-columns: max-content auto; gap: 1pt 8pt; }
dl.field-list dt { font-weight: bold; }
dl.field-list dd { margin: 0; }
dd p, td p, li p { margin: 0; }
.trace-legend { font-size: 8pt; color: #333; }
figure.trace-chart { margin: 4pt 0 8pt 0; break-inside: avoid; }
figure.trace-chart img { max-width: 100%%; height: auto; }
figure.trace-chart figcaption { font-weight: bold; margin: 0 0 2pt 0; }
"""

PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF for screen readers (structure tree, /Lang, title, /Alt of images)."""


def pdf_name(slug: str) -> str:
    return f"sporbarhetsrapport-{slug}.pdf"


def _article(page_html: str) -> str:
    """The main content of a built page (sphinx-book-theme puts it in <article class="bd-article">)."""
    match = re.search(r"<article[^>]*>(.*)</article>", page_html, re.S)
    if match is None:
        raise ValueError("no <article> in the report page; was it built with sphinx-book-theme?")
    # Links between pages of the site would point at files on the build machine in a PDF.
    return re.sub(r'<a class="reference internal"[^>]*>(.*?)</a>', r"<span>\1</span>", match.group(1), flags=re.S)


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _referenced_files(article: str, base: Path) -> list[str]:
    """The local files (charts, images) the article shows, as the printer resolves them."""
    refs = sorted(set(re.findall(r'\ssrc="([^"#?]+)"', article)))
    return [ref for ref in refs if "://" not in ref and not ref.startswith("data:")]


def inputs_hash(html_dir: Path, *, header: str, page_label: str, title: str, lang: str) -> str:
    """A content hash of everything the printed PDF is made from.

    The report page's article, the header and labels, the print stylesheet and this module's
    code, every image the article shows, and the WeasyPrint version: when none of these
    changed, the PDF a new print would give is the one printed before (prints are
    byte-reproducible, tests/test_reproducible.py), so it can be reused.
    """
    article = _article((html_dir / REPORT_PAGE).read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    for part in (article, header, page_label, title, lang, PDF_VARIANT, package_version("weasyprint")):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(Path(__file__).read_bytes())
    for ref in _referenced_files(article, html_dir):
        path = html_dir / ref
        digest.update(ref.encode("utf-8") + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


def print_cached(
    html_dir: Path, target: Path, cache: Path, *, header: str, page_label: str, title: str, lang: str
) -> bool:
    """Put the PDF of ``html_dir/rapport.html`` at ``target``, reusing an earlier print from ``cache``.

    Printing takes seconds on every build; a preview after an edit that does not touch the
    report (most edits) copies the earlier PDF instead. Returns whether it printed.
    """
    key = inputs_hash(html_dir, header=header, page_label=page_label, title=title, lang=lang)
    cached = cache / f"{key}.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    if cached.is_file():
        shutil.copyfile(cached, target)
        return False
    render_pdf(html_dir, target, header=header, page_label=page_label, title=title, lang=lang)
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("*.pdf"):  # one entry: the last print is the one a preview can reuse
        old.unlink(missing_ok=True)
    tmp = cache / f".{key}.{os.getpid()}.tmp"
    shutil.copyfile(target, tmp)
    os.replace(tmp, cached)  # never half a PDF under a key
    return True


def render_pdf(html_dir: Path, target: Path, *, header: str, page_label: str, title: str, lang: str) -> Path:
    """Print ``html_dir/rapport.html`` to ``target``.

    ``page_label`` is a template with ``{page}`` and ``{pages}``, e.g. 'Side {page} av {pages}'.
    """
    import logging

    # Sphinx leaves a root log handler behind; keep WeasyPrint's progress messages off the console.
    # Before the import: WeasyPrint parses its own stylesheets (and logs that) while it is imported.
    for name in ("weasyprint", "weasyprint.progress"):
        logging.getLogger(name).setLevel(logging.WARNING)

    from weasyprint import CSS, HTML

    article = _article((html_dir / REPORT_PAGE).read_text(encoding="utf-8"))
    page = '"' + page_label.replace("{page}", '" counter(page) "').replace("{pages}", '" counter(pages) "') + '"'
    css = PRINT_CSS % {"header": _css_string(header), "page": "%(page)s"}
    css = css.replace('"%(page)s"', page)
    document = (
        f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body>{article}</body></html>"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=document, base_url=str(html_dir / REPORT_PAGE)).write_pdf(
        target, stylesheets=[CSS(string=css)], pdf_variant=PDF_VARIANT
    )
    return target
