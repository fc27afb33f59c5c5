"""``plan-templates``: the plan's templates (templates.yaml) as printable forms.

Each template becomes an HTML form built from the data, element by element in the plan's
order: every control has a visible or screen-reader label, a checkbox group is a fieldset
with a legend, the action-plan table has a caption and column headers. There is no
``<form>`` element, no submit button and no script, so nothing typed can be sent (not even
by pressing Enter) or stored; ``autocomplete="off"`` keeps the browser from remembering it.
A print stylesheet (``static/forebygging-forms.css``, added to these pages only) puts each
template on its own A4 sheet(s) without the site's navigation.

The legal bases are printed in the form as the plan cites them (some name repealed acts);
below the form a table shows what each corresponds to today, but only where the national
data knows it (a duty, an act, or a ``section_map`` entry), and says "not mapped" otherwise.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

from ...core import HandbookData
from ...core.models import Duty, LegalBasis, Template, TemplateItem, TemplateItemType
from ...core.pages import template_label
from ..base import DataDirective
from ..nodes import Cell, para, ref, section, table

CSS_FILE = "forebygging-forms.css"
STATIC = Path(__file__).resolve().parent / "static"
MARKER = "fb-form-block"


def current_provision(data: HandbookData, basis: LegalBasis) -> Duty | None:
    """The duty a cited provision is today, where the national data says so; never a guess."""
    if basis.duty is not None:
        return data.duties[basis.duty]
    if basis.old_lovdata_id is not None and basis.old_section is not None:
        for entry in data.national.section_map:
            if entry.old_lovdata_id == basis.old_lovdata_id and entry.old_section == basis.old_section:
                return data.duties[entry.duty]
    return None


class PlanTemplates(DataDirective):
    """The whole page: title, how to use the forms, then one section per template."""

    def render(self) -> list[nodes.Node]:
        doc = self.state.document
        page = section(doc, self.t("templates.title"), "maler")
        page += para(self.t("templates.intro"))
        page += para(self.t("templates.privacy"), classes=["fb-form-privacy"])
        page += para(self.t("templates.print"), classes=["fb-form-howto"])
        for template in self.data.municipality.templates:
            page += self._template(template)
        return [page]

    # ------------------------------------------------------------------ one template

    def _template(self, template: Template) -> nodes.section:
        doc = self.state.document
        sec = section(doc, template.title, template_label(template.id))
        sec["classes"].append("fb-template")
        if template.source:
            sec += para(self.t("templates.source", source=template.source), classes=["fb-screen-only"])
        html = [f'<div class="fb-form" role="group" aria-label="{escape(template.title)}">']
        if template.note:
            html.append(f'<p class="fb-form-note">{escape(template.note)}</p>')
        html += [self._item(template, item) for item in template.items]
        if template.footer:
            html.append(f'<p class="fb-form-footer">{escape(template.footer)}</p>')
        html.append("</div>")
        sec += nodes.raw("", "".join(html), format="html", classes=[MARKER])
        bases = [b for item in template.items if item.type is TemplateItemType.LEGAL_BASES for b in item.bases]
        if bases:
            sec += self._bases_table(template, bases)
        return sec

    def _item(self, template: Template, item: TemplateItem) -> str:
        key = f"fb-{template.id}-{item.id}"
        label = escape(item.label or "")
        kind = item.type
        if kind is TemplateItemType.STATEMENT:
            return f'<p class="fb-statement">{escape(item.text or "")}</p>'
        if kind in (TemplateItemType.DATE, TemplateItemType.TEXT, TemplateItemType.ID_NUMBER):
            extra = ' inputmode="numeric"' if kind is TemplateItemType.ID_NUMBER else ""
            input_type = "date" if kind is TemplateItemType.DATE else "text"
            return (
                f'<div class="fb-field fb-{kind.value}"><label for="{key}">{label}</label>'
                f'<input type="{input_type}" id="{key}" name="{key}" autocomplete="off"{extra}></div>'
            )
        if kind is TemplateItemType.LONGTEXT:
            return (
                f'<div class="fb-field fb-longtext"><label for="{key}">{label}</label>'
                f'<textarea id="{key}" name="{key}" rows="4" autocomplete="off"></textarea></div>'
            )
        if kind is TemplateItemType.MUNICIPALITY:
            options = "".join(f'<option value="{escape(m)}"></option>' for m in self.data.plan.municipalities)
            return (
                f'<div class="fb-field fb-municipality"><label for="{key}">{escape(self.t("templates.municipality"))}'
                f'</label><input type="text" id="{key}" name="{key}" list="{key}-list" autocomplete="off">'
                f'<datalist id="{key}-list">{options}</datalist></div>'
            )
        if kind is TemplateItemType.TABLE:
            return self._table(key, item)
        if kind is TemplateItemType.CHECKBOXES:
            return self._checkboxes(key, item)
        if kind is TemplateItemType.LEGAL_BASES:
            cited = ", ".join(escape(b.as_cited) for b in item.bases)
            note = escape(self.t("templates.as_cited"))
            return (
                f'<p class="fb-legal-bases">{label}: {cited}. '
                f'<span class="fb-as-cited fb-screen-only">{note}</span></p>'
            )
        # signature
        blanks = "".join(
            f'<span class="fb-field"><label for="{key}-{i}">{escape(part)}</label>'
            f'<input type="text" id="{key}-{i}" name="{key}-{i}" autocomplete="off"></span>'
            for i, part in enumerate(item.parts)
        )
        return (
            f'<fieldset class="fb-signature"><legend>{label}</legend>{blanks}'
            f'<span class="fb-sign-line">{escape(self.t("templates.signature"))}</span></fieldset>'
        )

    def _table(self, key: str, item: TemplateItem) -> str:
        head = "".join(f'<th scope="col">{escape(c)}</th>' for c in item.columns)
        rows = []
        for r in range(1, (item.rows or 0) + 1):
            cells = []
            for c, column in enumerate(item.columns):
                cell = f"{key}-{r}-{c}"
                hidden = escape(self.t("templates.table.cell", column=column, row=r))
                cells.append(
                    f'<td><label class="fb-sr" for="{cell}">{hidden}</label>'
                    f'<input type="text" id="{cell}" name="{cell}" autocomplete="off"></td>'
                )
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return (
            f'<table class="fb-form-table"><caption>{escape(item.label or "")}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )

    def _checkboxes(self, key: str, item: TemplateItem) -> str:
        boxes = []
        for i, option in enumerate(item.options):
            box = f"{key}-{i}"
            html = (
                f'<li><input type="checkbox" id="{box}" name="{box}"><label for="{box}">{escape(option.label)}</label>'
            )
            if option.free_text:
                hidden = escape(self.t("templates.free_text", label=option.label))
                html += (
                    f' <label class="fb-sr" for="{box}-text">{hidden}</label>'
                    f'<input type="text" class="fb-inline" id="{box}-text" name="{box}-text" autocomplete="off">'
                )
            boxes.append(html + "</li>")
        described = f' aria-describedby="{key}-marking"' if item.marking else ""
        marking = f'<p class="fb-marking" id="{key}-marking">{escape(item.marking)}</p>' if item.marking else ""
        return (
            f'<fieldset class="fb-checkboxes"{described}><legend>{escape(item.label or "")}</legend>'
            f"<ul>{''.join(boxes)}</ul>{marking}</fieldset>"
        )

    # ------------------------------------------------------------------ legal bases today

    def _bases_table(self, template: Template, bases: list[LegalBasis]) -> list[nodes.Node]:
        rows: list[list[Cell]] = []
        for basis in bases:
            duty = current_provision(self.data, basis)
            notes: list[nodes.Node] = []
            if basis.repealed:
                notes.append(nodes.Text(self.t("templates.bases.repealed") + " "))
            if duty is not None:
                citation = self.data.duty_citation(duty)
                notes.append(ref(f"plikt-{duty.id}", f"{citation}: {duty.title}"))
            elif basis.law is not None:
                law = self.data.laws[basis.law]
                text = self.t("templates.bases.law_only", law=law.short_name)
                notes.append(nodes.reference(text, text, refuri=law.url) if law.url else nodes.Text(text))
            else:
                notes.append(nodes.Text(self.t("templates.bases.not_mapped")))
            rows.append([basis.as_cited, notes])
        caption = self.t("templates.bases.caption", title=template.title)
        tbl = table(
            caption,
            [self.t("templates.bases.as_cited"), self.t("templates.bases.current")],
            rows,
            classes=["fb-screen-only"],
        )
        return [para(self.t("templates.bases.note"), classes=["fb-screen-only"]), tbl]


# --------------------------------------------------------------------------- page assets


def _page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None) -> None:
    """The form and print styles, on the pages that have a form only."""
    if doctree is not None and any(MARKER in node["classes"] for node in doctree.findall(nodes.raw)):
        app.add_css_file(CSS_FILE)


def _copy_static(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        copy_asset_file(STATIC / CSS_FILE, Path(app.outdir) / "_static", force=True)


DIRECTIVES = {"plan-templates": PlanTemplates}


def setup_templates(app: Sphinx) -> None:
    """The forms' print styles; the directive is registered with the others (:data:`DIRECTIVES`)."""
    app.connect("html-page-context", _page_assets)
    app.connect("build-finished", _copy_static)
