"""``local-parts``: the local part each member municipality fills in (local_part.yaml).

One fixed page (``lokal-del``) with one section per member municipality, in the order of
plan.yaml: every build writes the same source file whatever the plan, so concurrent builds
of different municipalities never race on generated pages, and each municipality is still
its own entry in the table of contents. Every section of the plan's template is shown for
every municipality, with its filled-in content or, until then, an explicit «not filled in yet».
"""

from __future__ import annotations

from docutils import nodes

from ...core.models import LocalPart, LocalSection, MunicipalityPart
from ...core.pages import municipality_label
from ..base import DataDirective
from ..nodes import para, points, ref, section


def section_title(section_: LocalSection) -> str:
    return f"{section_.number} {section_.heading}" if section_.number else section_.heading


class LocalParts(DataDirective):
    """The page: what the local part is, the template's sections, then one section per municipality."""

    def render(self) -> list[nodes.Node]:
        local = self.data.municipality.local_part
        assert local is not None  # the page is excluded otherwise
        doc = self.state.document
        page = section(doc, self.t("local.title"), "lokal-del")
        page += para(self.t("local.intro"))
        filled = {p.municipality: p for p in local.municipalities}
        names = self.data.plan.municipalities
        overview = nodes.bullet_list()
        for name in names:
            item = nodes.list_item()
            part = filled.get(name)
            done = (len(part.sections) + bool(part.intro)) if part else 0
            item += para(
                ref(municipality_label(name), self._heading(local, name)),
                f" – {self.t('local.status', filled=done, total=len(local.sections) + 1)}",
            )
            overview += item
        page += overview
        page += self._template(local)
        for name in names:
            page += self._municipality(local, name, filled.get(name))
        return [page]

    def _heading(self, local: LocalPart, name: str) -> str:
        return local.heading.replace("{kommune}", name)

    def _intro_title(self, local: LocalPart) -> str:
        """The plan gives the text under the chapter heading no heading of its own; ours is an engine string."""
        title = self.t("local.intro_section")
        return f"{local.number} {title}" if local.number else title

    def _unfilled(self) -> nodes.paragraph:
        return para(self.t("local.unfilled"), classes=["fb-unfilled"])

    def _template(self, local: LocalPart) -> nodes.section:
        """The template once: what goes in each section, in our words, with the topics it lists."""
        sec = section(self.state.document, self.t("local.template"), "lokal-del-malen")
        entries = nodes.definition_list()
        parts = [(self._intro_title(local), local.guidance, [])]
        parts += [(section_title(p), p.guidance, p.prompts) for p in local.sections]
        for title, guidance, prompts in parts:
            entry = nodes.definition_list_item()
            entry += nodes.term(title, title)
            body = nodes.definition()
            body += para(guidance)
            if prompts:
                body += points(prompts)
            entry += body
            entries += entry
        sec += entries
        return sec

    def _municipality(self, local: LocalPart, name: str, filled: MunicipalityPart | None) -> nodes.section:
        doc = self.state.document
        label = municipality_label(name)
        sec = section(doc, self._heading(local, name), label)
        content = {c.section: c for c in filled.sections} if filled else {}
        intro = section(doc, self._intro_title(local), f"{label}-innleiing")
        intro += para(filled.intro) if filled and filled.intro else self._unfilled()
        sec += intro
        for part in local.sections:
            sub = section(doc, section_title(part), f"{label}-{part.id}")
            found = content.get(part.id)
            if found is None:
                sub += self._unfilled()
            else:
                if found.text:
                    sub += para(found.text)
                if found.points:
                    sub += points(found.points)
            sec += sub
        return sec
