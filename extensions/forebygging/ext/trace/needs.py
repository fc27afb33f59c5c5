"""sphinx-needs configuration and the needs made from the data (one per duty, measure, service, factor).

Needs are created with :func:`sphinx_needs.api.add_need` from our own directives, on the
page that shows the item: duties on their own page, measures in the catalogue, services in
the directory, factors on the traceability page. Measures, services and factors are hidden
(our pages already show them, in Norwegian, with anchors carrying the need id); a duty is
shown as a need box with the custom ``plikt`` layout, which has no collapse button (the
default layout repeats one element id per need).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx_needs.api import InvalidNeedException, add_need
from sphinx_needs.utils import add_doc  # not in sphinx_needs.api: sphinx-needs is pinned (9.1.0)

from ...core import HandbookData
from ...core.models import Duty, Factor, Measure, Service
from ...core.trace import LEVELS, Trace, need_id
from ...wording import TEXTS

LOG = logging.getLogger(__name__)
LAYOUT = "plikt"

LINKS = {
    # link -> need type it points at
    "responsible": "service",
    "fulfils": "duty",
    "bound_by": "duty",
    "strengthens": "factor",
    "reduces": "factor",
}


def needs_config(lang: str | None = "nb") -> dict[str, Any]:
    """The sphinx-needs 9.1 settings (needs_types, needs_fields, needs_links, schemas, layout), in ``lang``."""
    texts = TEXTS.get(lang or "nb", TEXTS["nb"])
    string = {"type": "string"}
    return {
        "needs_types": [
            {
                "directive": "duty",
                "title": texts["trace.type.duty"],
                "prefix": "DUTY_",
                "color": "#BFD8D2",
                "style": "node",
            },
            {
                "directive": "measure",
                "title": texts["trace.type.measure"],
                "prefix": "MEASURE_",
                "color": "#FEDCD2",
                "style": "node",
            },
            {
                "directive": "service",
                "title": texts["trace.type.service"],
                "prefix": "SERVICE_",
                "color": "#DCE8F4",
                "style": "node",
            },
            {
                "directive": "factor",
                "title": texts["trace.type.factor"],
                "prefix": "FACTOR_",
                "color": "#F4E7C3",
                "style": "node",
            },
        ],
        "needs_fields": {
            "law": {"description": "Short name of the act (duty)", "schema": string, "nullable": True},
            "lovdata": {
                "description": "Lovdata id of the act, e.g. 2021-06-18-97 (duty)",
                "schema": string,
                "nullable": True,
            },
            "section": {"description": "Section without §, e.g. 15-8 (duty)", "schema": string, "nullable": True},
            "url": {"description": "Lovdata URL of the section (duty)", "schema": string, "nullable": True},
            "citation": {
                "description": "Citation, e.g. barnevernsloven § 15-1 (duty)",
                "schema": string,
                "nullable": True,
            },
            "kind": {"description": "Kind of duty, service or factor", "schema": string, "nullable": True},
            "level": {
                "description": "Level of the measure pyramid (measure)",
                "schema": {"type": "string", "enum": [lv.value for lv in LEVELS]},
                "nullable": True,
            },
            "target": {
                "description": "Target group as the plan states it (measure)",
                "schema": string,
                "nullable": True,
            },
            "ages": {"description": "Age range, e.g. 0-5 (measure)", "schema": string, "nullable": True},
            "collaboration": {
                "description": "Collaboration measure (measure)",
                "schema": {"type": "boolean"},
                "nullable": True,
            },
            "example": {
                "description": "The plan names the measure only as an example of its level (measure)",
                "schema": {"type": "boolean"},
                "nullable": True,
            },
            "level_in_plan": {
                "description": "False when the level is the data editor's reading, not the plan's (measure)",
                "schema": {"type": "boolean"},
                "nullable": True,
            },
            "trace_rules": {
                "description": "How each fulfils link was derived: DUTY_ID=rule id or plan",
                "schema": string,
                "nullable": True,
            },
        },
        "needs_links": {
            name: {
                "incoming": texts[f"trace.link.{name}.back"],
                "outgoing": texts[f"trace.link.{name}"],
                "target_types": [target],
                "allow_dead_links": False,
            }
            for name, target in LINKS.items()
        },
        "needs_schema_definitions": {
            "schemas": [
                {
                    "id": "measure-has-level",
                    "severity": "violation",
                    "message": "A measure needs a level of the pyramid",
                    "select": {"properties": {"type": {"const": "measure"}}},
                    "validate": {"local": {"required": ["level", "target"]}},
                },
                {
                    "id": "duty-has-law",
                    "severity": "violation",
                    "message": "A duty needs its law and citation",
                    "select": {"properties": {"type": {"const": "duty"}}},
                    "validate": {"local": {"required": ["law", "citation"]}},
                },
            ]
        },
        "needs_id_regex": r"^(DUTY|MEASURE|SERVICE|FACTOR)_[A-Z0-9_]+$",
        "needs_build_json": True,
        "needs_reproducible_json": True,  # no build timestamps: two builds of one commit are identical
        "needs_flow_engine": "graphviz",
        "graphviz_output_format": "svg",
        "needs_layouts": {
            LAYOUT: {
                "grid": "simple",
                "layout": {
                    # No <<meta_id()>>: the id (DUTY_...) is an anchor and a key in needs.json, not reader text.
                    "head": ['<<meta("type_name")>>: **<<meta("title")>>**'],
                    "meta": [
                        f'<<meta("citation", prefix="{texts["trace.layout.citation"]}")>>',
                        f'<<meta("lovdata", prefix="{texts["trace.layout.lovdata"]}")>>',
                    ],
                },
            }
        },
        "needs_default_layout": LAYOUT,
    }


def apply_needs_config(app: Any, config: Config) -> None:
    """Set the sphinx-needs settings before sphinx-needs reads them (config-inited, priority 5).

    forebygging.ext.data has set the plan's language already (priority 4).
    """
    for name, value in needs_config(config.language).items():
        setattr(config, name, value)


def _add(directive: SphinxDirective, **kwargs: Any) -> list[nodes.Node]:
    env = directive.env
    try:
        result = add_need(env.app, directive.state, env.docname, directive.lineno, **kwargs)
    except InvalidNeedException as err:
        LOG.warning(f"need {kwargs.get('id')} not created: {err.message}", location=directive.get_location())
        return []
    add_doc(env, env.docname)
    return result


def duty_need(directive: SphinxDirective, data: HandbookData, duty: Duty) -> list[nodes.Node]:
    law = data.laws[duty.law]
    return _add(
        directive,
        need_type="duty",
        title=duty.title,
        id=need_id("duty", duty.id),
        content=duty.summary,
        law=law.short_name,
        lovdata=law.lovdata_id,
        section=duty.section or (str(duty.article) if duty.article else None),
        url=data.duty_url(duty),
        citation=data.duty_citation(duty),
        kind=duty.kind.value,
        layout=LAYOUT,
    )


def measure_need(directive: SphinxDirective, data: HandbookData, trace: Trace, measure: Measure) -> list[nodes.Node]:
    fulfils = trace.duties_of(measure.id)
    return _add(
        directive,
        need_type="measure",
        title=measure.name,
        id=need_id("measure", measure.id),
        content=measure.description,
        status=measure.status.value if measure.status else None,
        hide=True,
        level=measure.level.value,
        target=measure.target_group,
        ages=f"{measure.ages.min}-{measure.ages.max}" if measure.ages else None,
        collaboration=measure.id in trace.collaboration,
        example=measure.example,
        level_in_plan=measure.level_in_plan,
        responsible=[need_id("service", s) for s in measure.responsible],
        fulfils=[need_id("duty", f.duty) for f in fulfils],
        trace_rules=" ".join(f"{need_id('duty', f.duty)}={f.source}" for f in fulfils) or None,
        strengthens=[need_id("factor", f) for f in measure.strengthens],
        reduces=[need_id("factor", f) for f in measure.reduces],
    )


def service_need(directive: SphinxDirective, service: Service) -> list[nodes.Node]:
    return _add(
        directive,
        need_type="service",
        title=service.name,
        id=need_id("service", service.id),
        content=service.description,
        hide=True,
        kind=service.kind.value,
        bound_by=[need_id("duty", d) for d in service.bound_by],
    )


def factor_need(directive: SphinxDirective, factor: Factor) -> list[nodes.Node]:
    return _add(
        directive,
        need_type="factor",
        title=factor.name,
        id=need_id("factor", factor.id),
        content=factor.explanation,
        hide=True,
        kind=factor.kind.value,
    )


def anchor(need: str) -> nodes.target:
    """An anchor with the need's id, so links to a hidden need land on the item on our page."""
    return nodes.target("", "", ids=[need])
