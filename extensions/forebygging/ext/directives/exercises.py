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

from widgets.exercises import CASES, exercise_sets

from ...core.pages import FORUMS, GUIDE, forum_label, step_label
from ..base import DataDirective
from ..nodes import para, ref
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


SESSION_MINUTES = {"intro": 10, "model": 15, "exercises": 30, "reflection": 15, "closing": 10}
"""The blocks of a course session and their minutes: 80 in all, 65 without the reflection block."""


class WorkshopSession(DataDirective):
    """``workshop-session``: the facilitator's session plan, built from this plan's own model and exercises.

    The steps of the collaboration model, the exercise sets the plan has questions for and, where
    the plan has a meeting structure, its forums are listed from the data, each linked to its
    place in the handbook; a plan without enough data for an exercise set simply does not list it.
    """

    def render(self) -> list[nodes.Node]:
        data = self.data
        self.env.note_dependency(str(CASES))  # the count of written cases
        items = nodes.enumerated_list(enumtype="arabic", classes=["workshop-session"])
        steps = [ref(step_label(s.id), f"{s.name} – {s.heading}") for s in data.municipality.collaboration.steps]
        sets = [
            ref(f"ovelse-{s.id}", self.t("workshop.session.set", title=s.title, count=len(s.questions)))
            for s in exercise_sets(data)
        ]
        forums = []
        if FORUMS.exists(data):
            forums = [ref(forum_label(f.id), f.name) for f in data.municipality.meeting_structure.forums]
        blocks = [
            ("intro", [], ()),
            ("model", steps, ()),
            ("exercises", sets, ()),
            ("reflection", [], (ref("refleksjonsverktoy", self.t("workshop.session.reflection.link")),)),
            ("closing", forums, (ref(GUIDE.label, self.t("workshop.session.closing.link")),)),
        ]
        for key, sublist, links in blocks:
            item = nodes.list_item()
            title = self.t(f"workshop.session.{key}.title")
            minutes = self.t("workshop.session.minutes", minutes=SESSION_MINUTES[key])
            item += para(nodes.strong(title, title), f" ({minutes}). ", self.t(f"workshop.session.{key}.text"), *links)
            if sublist:
                bullets = nodes.bullet_list()
                for entry in sublist:
                    bullets += nodes.list_item("", para(entry))
                item += bullets
            items += item
        total = self.t("workshop.session.total", minutes=sum(SESSION_MINUTES.values()))
        return [items, para(total)]
