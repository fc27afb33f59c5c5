"""The sidebar navigation, rendered once per build and directory instead of once per page.

pydata-sphinx-theme's ``generate_toctree_html`` resolves the whole site toctree with Sphinx,
renders it and rewrites it with BeautifulSoup for every page, and the theme does so twice
per page (once to check the sidebar is not empty, once to render it): about a quarter of a
clean build of the handbook. The tree is the same on every page of a directory except for
Sphinx's "current page" marks, so we render it once, through the theme's own code, for a
page that is not in the tree (no marks), and set the marks for each page ourselves, as
Sphinx and the theme do:

* the current page's ``<a>`` gets the class ``current`` and ``href="#"``;
* its ``<li>`` and every ancestor ``<li>`` get ``current active`` after their
  ``toctree-lN`` class, and their ``<details>`` (if they have children) ``open``;
* every ancestor ``<ul>`` gets the class ``current``.

The result is byte-identical to the theme's (the build's output is compared in the tests
and in ``benchmarks/bench.py``). Our ``sbt-sidebar-nav.html`` calls ``forebygging_sidebar_nav``;
anything the cache cannot stand for (a collapsed tree, a tree cut at another depth, an
unexpected shape) goes through the theme's function unchanged.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sphinx.application import Sphinx

from .. import __version__
from ..wording import text

# Sentinels for the places that differ between pages: private-use characters, which the
# tree's titles and the theme's markup never contain (checked before the template is used).
_OPEN, _CLOSE = "\ue000", "\ue001"
_SLOT = re.compile(rf' ?class="{_OPEN}(ulc)(\d+){_CLOSE}"| {_OPEN}(open)(\d+){_CLOSE}=""|{_OPEN}(\w+?)(\d+){_CLOSE}')
# An href the template may hold as it is: relative page URLs (docnames are URL-quoted).
_PLAIN_HREF = re.compile(r"[\w./%~+:@!$()*,;=-]+")
_NEUTRAL = "_forebygging-sidebar-neutral_"  # a page name no build has: its tree has no current marks


def add_toggle_labels(soup: Any, label: str) -> Any:
    """Name the theme's icon-only expand buttons (axe: summary-name, WCAG 4.1.2)."""
    for summary in soup.select("summary"):
        if summary.get_text(strip=True) or summary.select_one(".visually-hidden"):
            continue
        hidden = soup.new_tag("span", attrs={"class": "visually-hidden"})
        hidden.string = label
        summary.insert(0, hidden)
    return soup


@dataclass
class _Template:
    """The sidebar of one directory with a slot wherever a page's marks go."""

    html: str = ""
    by_href: dict[str, list[int]] = field(default_factory=dict)  # link target -> the <li> whose own link it is
    hrefs: dict[int, str] = field(default_factory=dict)  # <li> -> its link's href in the unmarked tree
    li_path: dict[int, tuple[list[int], list[int]]] = field(default_factory=dict)  # li -> (its li and ul ancestors)

    def fill(self, href: str | None) -> str:
        """The sidebar of the page that ``href`` (as seen from this directory) points to."""
        current = self.by_href.get(href or "", []) if href else []
        lis: set[int] = set()
        uls: set[int] = set()
        for li in current:
            ancestors, lists = self.li_path[li]
            lis.update(ancestors)
            uls.update(lists)
        links = set(current)

        def slot(match: re.Match[str]) -> str:
            kind = match.group(1) or match.group(3) or match.group(5)
            index = int(match.group(2) or match.group(4) or match.group(6))
            if kind == "ulc":  # a <ul> without classes of its own
                return ' class="current"' if index in uls else ""
            if kind == "open":
                return ' open="open"' if index in lis else ""
            if kind == "li":
                return " current active" if index in lis else ""
            if kind == "ul":
                return "current " if index in uls else ""
            if kind == "a":
                return "current " if index in links else ""
            if kind == "h":
                return "#" if index in links else self.hrefs[index]
            raise AssertionError(kind)

        return _SLOT.sub(slot, self.html)


def _template(soup: Any) -> _Template | None:
    """Slots into the unmarked tree; None if it has a shape the marking rules do not cover."""
    html_before = str(soup)
    if _OPEN in html_before or _CLOSE in html_before:
        return None
    uls = {id(ul): j for j, ul in enumerate(soup.find_all("ul"))}
    lis = {id(li): i for i, li in enumerate(soup.find_all("li"))}
    template = _Template()
    for ul in soup.find_all("ul"):
        j = uls[id(ul)]
        classes = ul.get("class") or []
        if "current" in classes:
            return None
        if classes:
            ul["class"] = [f"{_OPEN}ul{j}{_CLOSE}{classes[0]}", *classes[1:]]
        else:
            ul["class"] = [f"{_OPEN}ulc{j}{_CLOSE}"]
    for li in soup.find_all("li"):
        i = lis[id(li)]
        classes = li.get("class") or []
        if not classes or not classes[0].startswith("toctree-l") or {"current", "active"} & set(classes):
            return None
        li["class"] = [f"{classes[0]}{_OPEN}li{i}{_CLOSE}", *classes[1:]]
        details = li.find("details", recursive=False)
        if details is not None:
            if details.attrs:
                return None
            details.attrs[f"{_OPEN}open{i}{_CLOSE}"] = ""
        link = li.find("a", recursive=False)
        if link is not None and link.get("class") == ["reference", "internal"]:
            href = link.get("href", "")
            if not _PLAIN_HREF.fullmatch(href) or "#" in href:
                return None
            link["class"] = [f"{_OPEN}a{i}{_CLOSE}reference", "internal"]
            link["href"] = f"{_OPEN}h{i}{_CLOSE}"
            template.hrefs[i] = href
            template.by_href.setdefault(href, []).append(i)
        ancestors = [i] + [lis[id(p)] for p in li.find_parents("li")]
        lists = [uls[id(p)] for p in li.find_parents("ul")]
        template.li_path[i] = (ancestors, lists)
    template.html = str(soup)
    return template


def _cacheable(kind: str, startdepth: int, kwargs: dict[str, Any]) -> bool:
    """The whole tree, uncollapsed and cut at a depth: the same on every page but for the marks.

    (Sphinx copies an ancestor's full contents only with no depth limit, and a collapsed tree
    depends on the page.)
    """
    try:
        maxdepth = int(kwargs.get("maxdepth", 0) or 0)
    except (TypeError, ValueError):
        return False
    return kind == "sidebar" and startdepth == 0 and not kwargs.get("collapse", True) and maxdepth > 0


def _neutral_soup(app: Sphinx, directory: str, context: dict[str, Any], kwargs: dict[str, Any]) -> Any:
    """The theme's sidebar for a page of ``directory`` that is in no toctree, via the theme's own code."""
    from pydata_sphinx_theme.toctree import add_toctree_functions

    docname = posixpath.join(directory, _NEUTRAL)
    builder: Any = app.builder
    neutral: dict[str, Any] = {
        "toctree": lambda **kw: builder._get_local_toctree(docname, **kw),
        "theme_external_links": context.get("theme_external_links", []),
    }
    add_toctree_functions(app, docname, "page.html", neutral, None)
    return neutral["generate_toctree_html"](**kwargs)


def _on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``forebygging_sidebar_nav`` for our sidebar template, before the theme first renders it."""
    cache: dict[Any, _Template | None] = app.builder.__dict__.setdefault("_forebygging_sidebar", {})
    label = text(app.env, "site.nav.toggle_children")

    def theme(kind: str, startdepth: int, show_nav_level: int, kwargs: dict[str, Any]) -> Any:
        # The theme's function: in the context by the time a template calls ours.
        original: Callable[..., Any] = context["generate_toctree_html"]
        soup = original(kind=kind, startdepth=startdepth, show_nav_level=show_nav_level, **kwargs)
        return add_toggle_labels(soup, label) if kind == "sidebar" and hasattr(soup, "select") else soup

    def forebygging_sidebar_nav(kind: str, startdepth: int = 1, show_nav_level: int = 1, **kwargs: Any) -> Any:
        if not _cacheable(kind, startdepth, kwargs) or _NEUTRAL in app.env.all_docs:
            return theme(kind, startdepth, show_nav_level, kwargs)
        directory = posixpath.dirname(pagename)
        key = (directory, int(show_nav_level), tuple(sorted((k, repr(v)) for k, v in kwargs.items())))
        if key not in cache:
            all_kwargs = {"kind": kind, "startdepth": startdepth, "show_nav_level": show_nav_level, **kwargs}
            soup = add_toggle_labels(_neutral_soup(app, directory, context, all_kwargs), label)
            cache[key] = _template(soup)
        template = cache[key]
        if template is None:
            return theme(kind, startdepth, show_nav_level, kwargs)
        builder: Any = app.builder
        href = builder.get_relative_uri(posixpath.join(directory, _NEUTRAL), pagename)
        return template.fill(href if pagename in app.env.all_docs else None)

    context["forebygging_sidebar_nav"] = forebygging_sidebar_nav


def _forget(app: Sphinx, *args: Any) -> None:
    """A new write phase starts from a fresh cache (the toctree may have changed since)."""
    app.builder.__dict__.pop("_forebygging_sidebar", None)


def setup_sidebar(app: Sphinx) -> dict[str, Any]:
    # Before the theme's update_and_remove_templates (priority 500) first renders the sidebar
    # template; the theme's own function is looked up only when it is called.
    app.connect("html-page-context", _on_page_context, priority=499)
    app.connect("write-started", _forget)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
