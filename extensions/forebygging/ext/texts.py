"""Every string the engine itself writes on a page, per written standard of Norwegian.

Page generators ask for a key; the plan's language picks the text. Keeping them here,
not inline, lets a test list them all and check that none lacks a translation.
"""

from __future__ import annotations

from sphinx.environment import BuildEnvironment

TEXTS: dict[str, dict[str, str]] = {
    "nb": {
        "status.utkast": "Utkast – ikke vedtatt",
        "status.høring": "På høring – ikke vedtatt",
        "status.vedtatt": "Vedtatt",
        "plan.municipalities": "Kommune",
        "plan.municipalities.many": "Kommuner",
        "plan.period": "Planperiode",
        "plan.version": "Versjon",
        "plan.status": "Status",
        "plan.adopted": "Vedtak",
        "plan.adopted.blank": "Vedtaksdato og saksnummer er ikke fylt inn i planen.",
        "plan.adopted.text": "Vedtatt av {body} {date}",
        "plan.case": "saksnummer {case}",
        "measure.target": "Målgruppe",
        "measure.ages": "Alder",
        "measure.ages.value": "{min}–{max} år",
        "measure.responsible": "Ansvarlig",
        "measure.status": "Status",
        "measure.status.none": "Ikke oppgitt i planen",
        "measure.name": "Tiltak",
        "measure.count": "{n} tiltak",
        "catalogue.summary.caption": "Tiltak på {level} ({n})",
        "catalogue.none": "Planen har ingen tiltak på dette nivået.",
        "service.kind.grunntjeneste": "Grunntjenester",
        "service.kind.støttetjeneste": "Støttetjenester",
        "service.kind.interkommunal": "Interkommunale tjenester",
        "service.kind.spesialisthelsetjeneste": "Spesialisthelsetjenesten",
        "service.kind.frivillig": "Frivillige",
        "service.kind.annen": "Andre aktører",
        "service.contact": "Kontakt",
        "service.part_of": "Del av",
        "service.bound_by": "Samarbeidsplikt",
        "service.measures": "Ansvarlig for tiltak",
        "service.measures.none": "Ingen tiltak i katalogen.",
        "service.overview": "Står i planens tjenesteoversikt",
        "step.target": "Målgruppe",
        "step.criteria": "Kriterier",
        "step.tasks": "Oppgaver",
        "step.collaboration": "Samarbeid",
        "step.principles": "Prinsipper for samarbeid",
        "step.level": "Nivå",
        "teams.title": "Faste team",
        "referral.title": "Videre henvisning",
        "referral.who": "Hvem kan henvise",
        "referral.more": "Mer informasjon",
        "level.measures": "{n} tiltak på dette nivået",
    },
}


def text(env: BuildEnvironment, key: str, **values: object) -> str:
    lang = env.config.language if env.config.language in TEXTS else "nb"
    template = TEXTS[lang].get(key) or TEXTS["nb"][key]
    return template.format(**values) if values else template
