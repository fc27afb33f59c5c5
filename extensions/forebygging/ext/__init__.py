"""The Sphinx extension: ``extensions = ["forebygging.ext"]``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    # Imported here, not at the top: importing forebygging.ext (as Sphinx does to find setup) stays
    # cheap and Sphinx-free until Sphinx actually sets the extension up.
    from .. import __version__
    from .data import setup_data
    from .directives import setup_directives
    from .i18n import setup_i18n
    from .icons import setup_icons
    from .invalidation import setup_invalidation
    from .optional_pages import setup_optional_pages
    from .page_assets import setup_page_assets
    from .page_i18n import setup_page_i18n
    from .page_policy import setup_page_policy
    from .reproducible import setup_reproducible
    from .search import setup_search
    from .sidebar import setup_sidebar
    from .template_cache import setup_template_cache
    from .toc_depth import setup_toc_depth
    from .trace import setup_trace
    from .versions import setup_versions

    setup_data(app)
    setup_i18n(app)  # Sphinx's and the theme's strings in the plan's language (nb/nn)
    setup_directives(app)
    setup_optional_pages(app)  # pages shown only when the plan has their data
    setup_page_i18n(app)  # the pages' own text in nynorsk (handbook/_locale/nn/LC_MESSAGES/<page>.po)
    setup_trace(app)  # sphinx-needs, duty pages, gaps, report
    setup_versions(app)  # banners and the version switcher
    setup_reproducible(app)  # identical output for identical input
    setup_invalidation(app)  # incremental builds identical to clean ones
    setup_search(app)  # what the index holds, how results rank, snippets without furniture
    setup_template_cache(app)  # the theme's templates compiled once, not per build
    setup_icons(app)  # the theme's icons from a cut-down font, without FontAwesome's script
    setup_page_assets(app)  # sphinx-needs' scripts and jQuery only on pages that show needs
    setup_toc_depth(app)  # long pages do not make every page's sidebar long
    setup_sidebar(app)  # the sidebar navigation rendered once per build, not once per page
    setup_page_policy(app)  # referrer policy and Content-Security-Policy on every page
    app.setup_extension("forebygging.ext.site")  # "Sist endret" on every page, optional links
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
