"""The theme's icons without FontAwesome's 500 KB script and 110 KB font.

pydata-sphinx-theme loads ``fontawesome.js`` (which swaps every ``<i class="fa-…">`` for an
inline SVG) on every page, and its CSS declares the full FontAwesome webfonts for the icons
it draws in pseudo-elements (admonition titles, breadcrumbs, external links). The handbook
shows about a dozen icons. So:

* the script is not loaded (our ``static/webpack-macros.html`` template leaves it out); the
  ``<i>`` icons are drawn by the theme's own CSS (``.fa-solid::before {content: var(--fa)}``)
  from the webfont instead;
* after the build, the webfonts the theme ships are cut down (fontTools' subsetter) to the
  glyphs the built pages use: every ``fa-*`` class in the HTML and every icon the theme's CSS
  names in a ``--pst-icon-*`` variable. ``forebygging-icons.css`` declares the subsets under
  the theme's family name with a ``unicode-range``, after the theme's CSS, so the browser
  fetches the small file; a glyph outside the subset still falls back to the full font.

The subsets depend only on the built pages and the theme's files, so two builds of the same
sources write the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

LOG = logging.getLogger(__name__)

CSS_FILE = "forebygging-icons.css"
# (file the theme ships, its @font-face weight) for the families our pages use.
FACES = (("fa-solid-900.woff2", 900), ("fa-regular-400.woff2", 400))
FAMILY = "Font Awesome 7 Free"

# fontawesome.js drew the search box's magnifying glass as an <svg> without the fa-solid class,
# in the box's flex row; drawn from the font it keeps the class, and the theme's rule for
# ".bd-search .fa-solid.fa-magnifying-glass" (absolute) would lay it over the typed text.
LAYOUT_FIXES = ".bd-search .fa-solid.fa-magnifying-glass {\n  position: static;\n}\n"

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_FA_VALUE = re.compile(r'--fa:\s*"(\\[0-9a-fA-F]+|[^"\\])')
_PUA_STRING = re.compile(r'"([\ue000-\uf8ff])"')
_FA_CLASS = re.compile(r"\b(fa-[a-z0-9]+(?:-[a-z0-9]+)*)")


def _char(token: str) -> int:
    return int(token[1:], 16) if token.startswith("\\") else ord(token)


def icon_map(css: str) -> dict[str, int]:
    """``fa-name`` -> code point, from the theme CSS' ``.fa-name{--fa:"\\f0c9"}`` rules."""
    out: dict[str, int] = {}
    for selectors, body in _RULE.findall(css):
        value = _FA_VALUE.search(body)
        if not value:
            continue
        for name in re.findall(r"\.(fa-[a-z0-9-]+)", selectors):
            out.setdefault(name, _char(value.group(1)))
    return out


def theme_css_glyphs(css: str) -> set[int]:
    """Code points the theme's CSS itself draws (``--pst-icon-*: ""`` and similar variables)."""
    return {ord(c) for c in _PUA_STRING.findall(css)}


def used_classes(paths: list[Path]) -> set[str]:
    """Every ``fa-*`` class named in these files (templates, the themes' Python, built pages)."""
    names: set[str] = set()
    for path in sorted(paths):
        names.update(_FA_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names


def template_files(app: Sphinx) -> list[Path]:
    """The templates (ours and the themes') and the themes' Python code, where icons are named."""
    import pydata_sphinx_theme
    import sphinx_book_theme

    files: list[Path] = []
    for module in (pydata_sphinx_theme, sphinx_book_theme):
        root = Path(module.__file__).parent
        files += [p for p in root.rglob("*") if p.suffix in {".html", ".py"} and "static" not in p.parts]
        files += list(root.rglob("static/webpack-macros.html"))
    for directory in app.config.templates_path:
        files += [p for p in Path(app.confdir, directory).rglob("*.html")]
    return files


def subset_font(font_bytes: bytes, codepoints: set[int]) -> bytes:
    """A WOFF2 font with only ``codepoints``; deterministic (the font's own timestamp is kept)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep the font's licence and copyright names
    options.notdef_outline = True
    # recalcTimestamp=False: fontTools would stamp the save time into head.modified, and two
    # builds of one commit must write the same bytes.
    font = TTFont(io.BytesIO(font_bytes), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def cached_subset(font_bytes: bytes, codepoints: set[int], cache: Path | None) -> bytes:
    """:func:`subset_font`, reused from ``cache`` when an earlier build cut the same font to the same glyphs.

    Subsetting both faces takes a quarter of a second, on every build; the glyphs change only
    when a template does. The key holds fontTools' version, so an upgrade cuts again.
    """
    if cache is None:
        return subset_font(font_bytes, codepoints)
    from fontTools import version as fonttools_version

    key = hashlib.sha256(font_bytes)
    key.update(f"{fonttools_version}\0{sorted(codepoints)}".encode())
    cached = cache / f"{key.hexdigest()[:32]}.woff2"
    if cached.is_file():
        return cached.read_bytes()
    data = subset_font(font_bytes, codepoints)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(cached)  # never half a font under a key
    return data


def _unicode_range(codepoints: set[int]) -> str:
    return ", ".join(f"U+{c:04X}" for c in sorted(codepoints))


def theme_static() -> Path:
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"


def needed_codepoints(css: str, classes: set[str]) -> set[int]:
    names = icon_map(css)
    return theme_css_glyphs(css) | {names[c] for c in classes if c in names}


def write_icon_fonts(static: Path, codepoints: set[int], cache: Path | None = None) -> list[Path]:
    """Write the subset fonts and ``forebygging-icons.css`` into ``static``; returns the files written.

    With ``cache`` (a folder of the build, outside the site), subsets cut by earlier builds are reused.
    """
    source_dir = theme_static() / "vendor" / "fontawesome" / "webfonts"
    static.mkdir(parents=True, exist_ok=True)
    faces: list[str] = []
    written: list[Path] = []
    for filename, weight in FACES:
        source = source_dir / filename
        if not source.is_file() or not codepoints:
            continue
        target = static / f"forebygging-icons-{weight}.woff2"
        data = cached_subset(source.read_bytes(), codepoints, cache)
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
        written.append(target)
        faces.append(
            "@font-face {\n"
            f'  font-family: "{FAMILY}";\n  font-style: normal;\n  font-weight: {weight};\n'
            "  font-display: block;\n"
            f'  src: url("{target.name}") format("woff2");\n'
            f"  unicode-range: {_unicode_range(codepoints)};\n}}\n"
        )
    header = "/* The theme's icon font cut down to the glyphs these pages use (forebygging.ext.icons). */\n"
    content = header + "".join(faces) + LAYOUT_FIXES
    css_out = static / CSS_FILE
    if not css_out.is_file() or css_out.read_text(encoding="utf-8") != content:
        css_out.write_text(content, encoding="utf-8")
    written.append(css_out)
    return written


def _theme_css() -> str:
    path = theme_static() / "styles" / "pydata-sphinx-theme.css"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _on_write_started(app: Sphinx, builder: object) -> None:
    # Before any page is written: Sphinx puts the CSS file's checksum into every page's link.
    if app.builder.format == "html":
        codepoints = needed_codepoints(_theme_css(), used_classes(template_files(app)))
        write_icon_fonts(Path(app.outdir, "_static"), codepoints, Path(app.doctreedir) / "icon-fonts")


def missing_icons(css: str, covered: set[int], pages: list[Path]) -> list[str]:
    """``fa-*`` classes on the built pages whose glyph the cut-down font lacks."""
    names = icon_map(css)
    return sorted(c for c in used_classes(pages) if c in names and names[c] not in covered)


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Warn (an error with -W) if a built page names an icon the subset lacks."""
    if exception is not None or app.builder.format != "html":
        return
    from .page_policy import pages_written

    css = _theme_css()
    covered = needed_codepoints(css, used_classes(template_files(app)))
    # The pages taken over were checked by the build that wrote them, against the same font.
    missing = missing_icons(css, covered, pages_written(app))
    if missing:
        LOG.warning(f"icons not in the cut-down icon font (name them in a template): {', '.join(missing)}")


def setup_icons(app: Sphinx) -> dict[str, Any]:
    # Listed after the theme's CSS, so its @font-face rules win for the code points they cover.
    app.add_css_file(CSS_FILE, priority=900)
    app.connect("write-started", _on_write_started)
    app.connect("build-finished", _on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
