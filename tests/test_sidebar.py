"""The sidebar rendered once per build (forebygging.ext.sidebar) is the theme's sidebar, page by page.

A tiny book-theme project with the shapes the marking rules must get right: captions, pages in
a subdirectory, three levels, a hidden toctree, a page listed twice and an orphan page. For every
page the cached sidebar is compared with what pydata-sphinx-theme renders for it; the handbook
builds compare whole output trees (tests/test_reproducible.py, benchmarks/bench.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import DATA, ROOT

PAGES = {
    "index.md": "# Start\n\n```{toctree}\n:caption: Først\n\nen\nsub/index\n```\n\n"
    "```{toctree}\n:caption: Så\n:hidden:\n\nto\nen\n```\n",
    "en.md": "# En\n\n## Avsnitt\n\nTekst.\n",
    "to.md": "# To\n",
    "sub/index.md": "# Under\n\n```{toctree}\n\na\ndypere/b\n```\n",
    "sub/a.md": "# A\n",
    "sub/dypere/b.md": "# B\n\n## Del\n",
    "alene.md": "---\norphan: true\n---\n# Alene\n",
}
# The arguments our sbt-sidebar-nav.html passes (sphinx-book-theme's defaults).
SIDEBAR = {"startdepth": 0, "kind": "sidebar", "maxdepth": 4, "collapse": False, "includehidden": True}
SIDEBAR |= {"titles_only": True, "show_nav_level": 1}


@pytest.fixture
def book(make_app: Callable, tmp_path: Path) -> Callable[..., Any]:
    """``book(**confoverrides)``: the tiny book-theme project with our extension, set up (not built)."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "national", data / "national")
    shutil.copytree(ROOT / "tests" / "fixtures" / "mangelby", data / "mangelby")
    src = tmp_path / "src"
    for name, body in PAGES.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(body, encoding="utf-8")
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "forebygging.ext"]\n'
        'source_suffix = {".md": "markdown"}\n'
        'forebygging_municipality = "mangelby"\n'
        'html_theme = "sphinx_book_theme"\n'
        # The handbook's theme options and templates (no header buttons with inline handlers).
        f"import runpy\nhtml_theme_options = runpy.run_path({str(ROOT / 'conf.py')!r})['html_theme_options']\n"
        f"templates_path = [{str(ROOT / 'handbook' / '_templates')!r}]\n",
        encoding="utf-8",
    )

    def app(**overrides: object) -> Any:
        return make_app("html", srcdir=src, confoverrides={"forebygging_data_dir": str(data), **overrides})

    return app


def sidebars(app: Any, **arguments: Any) -> dict[str, tuple[str, str]]:
    """page -> (our sidebar, the theme's), both asked for at the end of the page's context event."""
    seen: dict[str, tuple[str, str]] = {}

    def compare(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
        ours = str(context["forebygging_sidebar_nav"](**arguments))
        theirs = str(context["generate_toctree_html"](**arguments))
        seen[pagename] = (ours, theirs)

    app.connect("html-page-context", compare, priority=1000)
    app.build()
    return seen


def test_every_page_gets_the_theme_sidebar_with_its_own_current_marks(book) -> None:
    seen = sidebars(book(), **SIDEBAR)
    assert {"index", "en", "to", "sub/index", "sub/a", "sub/dypere/b", "alene", "search", "genindex"} <= set(seen)
    for pagename, (ours, theirs) in seen.items():
        assert ours == theirs, pagename
    # The marks really differ between pages (a cache that ignored the page would fail above).
    assert 'class="current reference internal" href="#">B<' in seen["sub/dypere/b"][0]
    assert 'href="dypere/b.html">B<' in seen["sub/a"][0]
    assert "current" not in seen["alene"][0]
    assert 'href="../../en.html"' in seen["sub/dypere/b"][0]


def test_a_collapsed_tree_is_left_to_the_theme(book) -> None:
    seen = sidebars(book(), **{**SIDEBAR, "collapse": True})
    for pagename, (ours, theirs) in seen.items():
        assert ours == theirs, pagename
    assert "dypere/b.html" not in seen["en"][0]  # collapsed: another branch's pages are not listed


def test_the_handbook_template_renders_the_cached_sidebar(book) -> None:
    app = book()
    app.build()
    html = (Path(app.outdir) / "sub" / "a.html").read_text(encoding="utf-8")
    assert '<li class="toctree-l2 current active"><a class="current reference internal" href="#">A</a></li>' in html
    assert '<li class="toctree-l1 current active has-children"><a class="reference internal" href="index.html">' in html
