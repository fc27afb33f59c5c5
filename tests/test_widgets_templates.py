"""The widget templates: autoescaping, no silent gaps, and the static files found through the package."""

from __future__ import annotations

import json
import re

import pytest
from jinja2 import UndefinedError

from forebygging.wording import lookup
from widgets.templating import GUARD_FILE, STATIC_FILES, render, static_file

HOSTILE = '<script>alert("x")</script>&'


def t(key: str, **values: object) -> str:
    return lookup("nb", key, **values)


def test_every_value_is_escaped() -> None:
    html = render(
        "acute.html",
        t=t,
        heading="h3",
        duties=[{"citation": HOSTILE, "url": f"https://lovdata.no/lov/x?{HOSTILE}"}],
        portal_url=None,
    )
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;" in html
    assert 'href="https://lovdata.no/lov/x?&lt;script&gt;' in html
    assert "112" in html


def test_json_in_a_script_element_cannot_close_it() -> None:
    texts = {"progress": f"Steg {{n}} av {{total}} {HOSTILE}"}
    html = render("guide.html", t=t, texts=texts, acute="", derived=False, stages=[], has_done=False)
    blob = re.search(r'<script type="application/json" class="fb-texts">(.*?)</script>', html, re.S).group(1)
    assert "</script" not in blob and "<" not in blob
    assert json.loads(blob) == texts  # still the same data once parsed


def test_an_undefined_value_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(UndefinedError):
        render("acute.html", t=t, heading="h3", duties=[])  # portal_url missing


def test_static_files_come_from_the_package() -> None:
    for name in STATIC_FILES:
        with static_file(name) as path:
            assert path.is_file() and path.stat().st_size > 0
    with static_file(GUARD_FILE) as path:
        assert "Storage.prototype.setItem" in path.read_text(encoding="utf-8")
    with pytest.raises(KeyError, match="unknown widget static file"), static_file("../../conf.py"):
        pass
