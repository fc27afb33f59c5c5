"""``exercise-link``: the link at the end of an onboarding step to its exercise.

The exercises live on pages of their own (the interactive-checks work), each under a
label such as ``ovelse-taushetsplikt``. Until a label exists the step says that the
exercise is coming, instead of breaking the build; once it exists the link resolves like
any ``{ref}``. See ``forebygging.ext.site`` for the resolution.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes

from ..base import DataDirective
from ..nodes import para
from ..page_i18n import page_words

OPTIONAL = "forebygging_optional"


def optional_ref(label: str, text: str, fallback: str) -> addnodes.pending_xref:
    """A ``{ref}`` to a label that may not exist (yet): without it, ``fallback`` is shown as plain text."""
    xref = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=label, refexplicit=True)
    xref[OPTIONAL] = fallback
    xref += nodes.inline(text, text)
    return xref


class ExerciseLink(DataDirective):
    required_arguments = 1
    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {"text": directives.unchanged}

    def render(self) -> list[nodes.Node]:
        label = self.arguments[0]
        text = self.options.get("text") or self.t("exercise.link")
        xref = optional_ref(label, text, self.t("exercise.coming", text=text))
        if self.options.get("text"):  # the page's own words: translated with the page
            xref[0].replace_self(page_words(self, text))
        return [para(nodes.strong(self.t("exercise.label"), self.t("exercise.label")), " ", xref, classes=["exercise"])]
