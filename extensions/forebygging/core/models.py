"""The data model of a preventive plan: national law and knowledge, and one municipality's plan.

Every fact of the handbook lives once in ``_data/`` and is validated against these
models on load. Cross-file references are plain ids annotated with :class:`Ref`,
so the loader can check them generically and suggest the closest valid id.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import quote

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, model_validator

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LOVDATA_ID_PATTERN = r"^\d{4}-\d{2}-\d{2}(?:-\d{1,4})?$"
SECTION_PATTERN = r"^\d+(?:-\d+)?(?: ?[a-z])?$"


@dataclass(frozen=True)
class Ref:
    """Marks a field whose value is the id of an item in another collection."""

    collection: str


Id = Annotated[str, Field(pattern=ID_PATTERN, description="Stable, readable id: lower-case words joined by '-'.")]
DutyRef = Annotated[str, Ref("duties")]
ServiceRef = Annotated[str, Ref("services")]
FactorRef = Annotated[str, Ref("factors")]
LawRef = Annotated[str, Ref("laws")]
StepRef = Annotated[str, Ref("steps")]
RequirementRef = Annotated[str, Ref("requirements")]


def _lovdata_date_is_real(value: str) -> str:
    """A lovdata id starts with the act's date; 2021-02-30-97 is a typo, not an act."""
    try:
        dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"{value!r} does not start with a real date (YYYY-MM-DD)") from None
    return value


LovdataId = Annotated[
    str,
    Field(pattern=LOVDATA_ID_PATTERN, description="Lovdata id of an act or regulation, e.g. 2021-06-18-97."),
    AfterValidator(_lovdata_date_is_real),
]


class Model(BaseModel):
    """Base for all data: unknown keys are errors, so a typo in a field name is caught."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --------------------------------------------------------------------------- enumerations


class Level(StrEnum):
    """The three levels of the measure pyramid (tiltakspyramiden)."""

    UNIVERSELL = "universell"
    SELEKTIV = "selektiv"
    INDIKERT = "indikert"


class ServiceKind(StrEnum):
    GRUNNTJENESTE = "grunntjeneste"
    STOTTETJENESTE = "støttetjeneste"
    INTERKOMMUNAL = "interkommunal"
    SPESIALISTHELSETJENESTE = "spesialisthelsetjeneste"
    FRIVILLIG = "frivillig"
    ANNEN = "annen"


class PlanStatus(StrEnum):
    UTKAST = "utkast"
    HORING = "høring"
    VEDTATT = "vedtatt"


class Language(StrEnum):
    NB = "nb"
    NN = "nn"


class MeasureStatus(StrEnum):
    I_GANG = "i gang"
    UNDER_UTVIKLING = "under utvikling"
    PLANLAGT = "planlagt"
    AVSLUTTET = "avsluttet"


class FactorKind(StrEnum):
    RISIKO = "risiko"
    BESKYTTELSE = "beskyttelse"


class DutyKind(StrEnum):
    """Why a legal provision matters to the plan."""

    FOREBYGGING = "forebygging"  # bvl § 15-1: the duty that creates the plan
    SAMARBEIDSPLIKT = "samarbeidsplikt"  # the twelve sections of lov 11. juni 2021 nr. 78
    KOORDINERING = "koordinering"  # barnekoordinator, individuell plan
    VEILEDNINGSPLIKT = "veiledningsplikt"
    TAUSHETSPLIKT = "taushetsplikt"
    OPPLYSNINGSPLIKT = "opplysningsplikt"
    BARNETS_BESTE = "barnets-beste"


class SourceKind(StrEnum):
    LOV = "lov"
    FORSKRIFT = "forskrift"
    GRUNNLOV = "grunnlov"
    KONVENSJON = "konvensjon"


# --------------------------------------------------------------------------- national data


class Law(Model):
    """An act, regulation or convention that duties are taken from."""

    id: Id
    short_name: str = Field(description="Short name as used in plans, e.g. 'barnevernsloven'.")
    full_name: str = Field(description="Official title.")
    abbreviation: str | None = Field(None, description="Customary abbreviation, e.g. 'bvl'.")
    kind: SourceKind
    lovdata_id: LovdataId | None = Field(None, description="Lovdata id; null for a convention not on lovdata.")

    @property
    def url(self) -> str | None:
        if self.lovdata_id is None:
            return None
        prefix = "forskrift" if self.kind is SourceKind.FORSKRIFT else "lov"
        return f"https://lovdata.no/{prefix}/{self.lovdata_id}"


class Requirement(Model):
    """One of the things bvl § 15-1 demands of the plan; traced to the chapters that answer it."""

    id: Id
    title: str
    explanation: str


class Duty(Model):
    """A legal provision the handbook traces: a section of an act, or an article of a convention."""

    id: Id
    law: LawRef
    section: str | None = Field(None, pattern=SECTION_PATTERN, description="Section without '§', e.g. '15-8', '1 a'.")
    article: int | None = Field(None, ge=1, description="Article number, for a convention.")
    title: str = Field(description="A short heading for the duty, in our words or a defined term.")
    kind: DutyKind
    summary: str = Field(description="What the section requires, in our own words.")
    statute_text: str | None = Field(None, description="Verbatim statute text, where we quote it.")
    binds: str | None = Field(None, description="Whom the section binds, in our own words.")
    samordningsplikt: bool = Field(False, description="Whether the same section also carries the samordningsplikt.")
    requirements: list[Requirement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _section_xor_article(self) -> Duty:
        if self.section is not None and self.article is not None:
            raise ValueError("a duty has either a 'section' (act) or an 'article' (convention), not both")
        return self

    def url(self, law: Law) -> str | None:
        """Lovdata URL of the section, derived from the law's id (never typed twice)."""
        if law.url is None:
            return None
        if self.section is None:
            return law.url
        return f"{law.url}/{quote('§' + self.section.replace(' ', ''))}"

    def citation(self, law: Law) -> str:
        if self.section is not None:
            return f"{law.short_name} § {self.section}"
        if self.article is not None:
            return f"{law.short_name} art. {self.article}"
        return law.short_name


class SectionMapEntry(Model):
    """An old section number that older plans cite, and the duty that replaced it."""

    old_law: str = Field(description="The repealed act, e.g. 'barnevernloven 1992'.")
    old_lovdata_id: LovdataId
    old_section: str = Field(pattern=SECTION_PATTERN)
    duty: DutyRef


class Factor(Model):
    """A risk or protective factor (Kvello 2023). Supports judgement; the list is not ranked."""

    id: Id
    kind: FactorKind
    number: int = Field(ge=1, le=20)
    name: str
    explanation: str
    acute: bool = Field(
        False,
        description=(
            "A risk factor that by itself triggers the opplysningsplikt to barnevernet (violence, abuse, "
            "serious neglect): it never waits for a step of the model, it goes straight to barnevernet or the police."
        ),
    )


class RiskGroup(Model):
    """A KS 'utenforregnskapet' target group."""

    id: Id
    name: str


class LevelInfo(Model):
    id: Level
    name: str = Field(description="Display name, e.g. 'Universelt nivå'.")
    aliases: list[str]
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    colour_name: str
    for_whom: str


class NationalData(Model):
    laws: list[Law]
    duties: list[Duty]
    section_map: list[SectionMapEntry]
    factors: list[Factor]
    risk_groups: list[RiskGroup]
    levels: list[LevelInfo]


# --------------------------------------------------------------------------- a municipality's plan


class Adoption(Model):
    date: dt.date | None = Field(
        None, description="Date of the council's decision; null while the plan leaves it blank."
    )
    case_number: str | None = Field(None, description="Case number (saksnummer); null while the plan leaves it blank.")
    body: str = Field("kommunestyret", description="Who adopts: bvl § 15-1 demands the council itself.")


class Period(Model):
    start: int | None = Field(None, ge=1990, le=2100)
    end: int = Field(ge=1990, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start is not None and self.start > self.end:
            raise ValueError(f"period starts ({self.start}) after it ends ({self.end})")
        return self


class GoalArea(Model):
    title: str
    goals: list[str]


class Pillar(Model):
    title: str
    text: str


class AnchorDocument(Model):
    title: str
    description: str


class Plan(Model):
    """The plan's metadata, purpose, goals and mandate (plan.yaml)."""

    title: str
    municipalities: list[str] = Field(min_length=1)
    region: str | None = None
    language: Language
    period: Period
    version: str = Field(pattern=r"^\d{4}\.\d+$", description="Plan version, e.g. '2026.1'.")
    status: PlanStatus
    adoption: Adoption
    purpose: str
    goal_areas: list[GoalArea] = Field(default_factory=list)
    mandate: str
    mandate_pillars: list[Pillar] = Field(default_factory=list)
    anchoring: list[AnchorDocument] = Field(default_factory=list)

    @model_validator(mode="after")
    def _adopted_has_date(self) -> Plan:
        if self.status is PlanStatus.VEDTATT and self.adoption.date is None:
            raise ValueError("status is 'vedtatt' but adoption.date is missing")
        return self


class Service(Model):
    """A service, team or other actor named in the plan (services.yaml)."""

    id: Id
    name: str
    kind: ServiceKind
    description: str = Field(description="What the service does, in our own words.")
    contact_url: HttpUrl | None = Field(None, description="Contact page exactly as the plan gives it.")
    contact_note: str | None = Field(None, description="How to get in touch when the plan gives no URL.")
    part_of: ServiceRef | None = Field(None, description="Parent service, e.g. a profession within a service.")
    bound_by: list[DutyRef] = Field(default_factory=list, description="National duties that bind this service.")
    in_overview: bool = Field(False, description="Listed in the plan's own service overview.")


class AgeRange(Model):
    min: int = Field(ge=0, le=25)
    max: int = Field(ge=0, le=25)

    @model_validator(mode="after")
    def _ordered(self) -> AgeRange:
        if self.min > self.max:
            raise ValueError(f"impossible age range: min {self.min} is above max {self.max}")
        return self


class Measure(Model):
    """A preventive measure (tiltak) at one level (measures.yaml)."""

    id: Id
    name: str
    level: Level
    description: str = Field(description="What the measure is, in our own words.")
    target_group: str = Field(description="Target group as the plan states it.")
    ages: AgeRange | None = Field(None, description="Age range of the children, where the plan gives one.")
    responsible: list[ServiceRef] = Field(default_factory=list)
    status: MeasureStatus | None = None
    strengthens: list[FactorRef] = Field(default_factory=list, description="Protective factors, where the plan says.")
    reduces: list[FactorRef] = Field(default_factory=list, description="Risk factors, where the plan says.")
    fulfils: list[DutyRef] = Field(default_factory=list, description="Duties, where the plan says so explicitly.")
    collaboration: bool | None = Field(
        None,
        description="Whether the measure is a collaboration measure (samarbeidstiltak); "
        "null lets the trace rules decide from its name and description.",
    )


class Point(Model):
    """A bullet that may carry sub-bullets: plans nest their task lists."""

    text: str
    points: list[Point] = Field(default_factory=list)


class Ground(StrEnum):
    """A ground (grunnlag) that brings a child to a step of the collaboration model.

    ``risikofaktor`` is met when any risk factor is ticked; the others are judged by the
    staff member. Used by the reflection aid (widgets/rules.py) through ``Step.triggers``.
    """

    RISIKOFAKTOR = "risikofaktor"
    MILEPAELER = "milepaeler"
    FORESATTE = "foresatte"
    UNIVERSELLE_TILTAK = "universelle-tiltak"
    SELEKTIVE_TILTAK = "selektive-tiltak"


class Step(Model):
    """A step (trinn) of the collaboration model."""

    id: Id
    name: str = Field(description="As the model names it, e.g. 'Trinn 2'.")
    level: Level
    heading: str = Field(description="The step's sub-heading, e.g. 'Tiltak på selektert nivå'.")
    summary: str
    target_group: str
    criteria: list[str] = Field(default_factory=list)
    criteria_note: str | None = None
    tasks: list[Point] = Field(default_factory=list)
    collaboration: list[Point] = Field(default_factory=list)
    principles: list[Point] = Field(default_factory=list)
    triggers: list[Ground] = Field(
        default_factory=list,
        description=(
            "Grounds that bring a child to this step; the last step in the model whose trigger is met is "
            "suggested. Left empty on every step, the national default applies (see widgets/rules.py)."
        ),
    )
    duties: list[DutyRef] = Field(
        default_factory=list, description="Duties the step brings into play, e.g. barnekoordinator, individuell plan."
    )


class GuideExtra(StrEnum):
    """Plan data a stage of the guide «Hva gjør jeg nå?» shows besides its own text."""

    TEAMS = "teams"
    REFERRAL_ROUTES = "referral-routes"


class GuideStage(Model):
    """One stage of the guide «Hva gjør jeg nå?»: who does what, in the model's order."""

    id: Id
    title: str
    step: StepRef
    who: str = Field(description="Who acts at this stage, e.g. 'Du og nærmeste leder'.")
    does: list[Point] = Field(min_length=1, description="What they do, in the plan's words (kap. 4.2-4.3).")
    shows: GuideExtra | None = Field(None, description="Plan data shown with the stage: the teams or referral routes.")
    resolved_question: bool = Field(
        False, description="The flow chart asks 'Sak løst?' after this stage; a yes ends the guide."
    )


class FlowNode(Model):
    id: Id
    label: str
    step: StepRef | None = None
    outcome: bool = Field(False, description="An end state such as 'Sak løst'.")


class FlowEdge(Model):
    source: str
    target: str
    label: str | None = None


class Flow(Model):
    """The plan's flow chart, rendered at build time with graphviz."""

    title: str
    nodes: list[FlowNode]
    edges: list[FlowEdge]

    @model_validator(mode="after")
    def _edges_known(self) -> Flow:
        ids = {n.id for n in self.nodes}
        for edge in self.edges:
            for end in (edge.source, edge.target):
                if end not in ids:
                    raise ValueError(f"flow edge names unknown node {end!r}; known: {sorted(ids)}")
        return self


class Team(Model):
    """A standing collaboration team such as the innsatsteam."""

    service: ServiceRef
    description: str
    url: HttpUrl | None = None


class CollaborationModel(Model):
    """collaboration_model.yaml: the steps, the flow chart and the teams."""

    introduction: str
    steps: list[Step] = Field(min_length=1)
    teams: list[Team] = Field(default_factory=list)
    flow: Flow | None = None
    guide: list[GuideStage] = Field(
        default_factory=list, description="The guide «Hva gjør jeg nå?», stage by stage; empty hides the page's guide."
    )


class ReferralRoute(Model):
    id: Id
    service: ServiceRef
    how: str = Field(description="How to refer or get in touch, in our own words.")
    who_can_refer: str | None = None
    url: HttpUrl | None = None


class NeedAction(Model):
    """A need or shortcoming the plan found, and the actions it proposes (chapter 4)."""

    id: Id
    number: int = Field(ge=1)
    title: str
    need: str
    actions: list[Point]
    done: bool = Field(False, description="The plan says the action is already carried out.")


class Indicator(Model):
    id: Id
    group: str
    label: str
    value: float
    unit: str = Field(description="'%' or a count unit such as 'meldinger'.")
    year: int | None = Field(None, ge=1990, le=2100)
    source: str
    previous_value: float | None = None
    previous_year: int | None = Field(None, ge=1990, le=2100)

    @model_validator(mode="after")
    def _percent(self) -> Indicator:
        if self.unit == "%" and not 0 <= self.value <= 100:
            raise ValueError(f"a percentage must lie between 0 and 100, got {self.value}")
        return self


class LongTermChange(Model):
    id: Id
    title: str
    description: str
    points: list[str] = Field(default_factory=list)


class ImplementationDuty(Model):
    id: Id
    number: int = Field(ge=1)
    responsible: str = Field(description="The role that carries the duty, e.g. 'Tjenesteleder/virksomhetsleder'.")
    duty: str
    frequency: str | None = Field(None, description="E.g. 'når planen er vedtatt', 'årlig', 'ved nyansettelse'.")


class Development(Model):
    """development.yaml: strengths, needs and actions, long-term changes, implementation duties."""

    strengths: list[str] = Field(default_factory=list)
    needs: list[NeedAction] = Field(default_factory=list)
    long_term_changes: list[LongTermChange] = Field(default_factory=list)
    implementation: list[ImplementationDuty] = Field(default_factory=list)


class MunicipalityData(Model):
    slug: str = Field(pattern=ID_PATTERN)
    plan: Plan
    services: list[Service]
    measures: list[Measure]
    collaboration: CollaborationModel
    referral_routes: list[ReferralRoute] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    development: Development = Field(default_factory=Development)


def file_models() -> dict[str, tuple[str, Any]]:
    """Which file holds which part of the data: file name -> (attribute, model or list item model).

    The loader reads exactly these files; a schema is generated for each.
    """
    return {
        "national/laws.yaml": ("laws", list[Law]),
        "national/duties.yaml": ("duties", list[Duty]),
        "national/section_map.yaml": ("section_map", list[SectionMapEntry]),
        "national/factors.yaml": ("factors", list[Factor]),
        "national/risk_groups.yaml": ("risk_groups", list[RiskGroup]),
        "national/levels.yaml": ("levels", list[LevelInfo]),
        "plan.yaml": ("plan", Plan),
        "services.yaml": ("services", list[Service]),
        "measures.yaml": ("measures", list[Measure]),
        "collaboration_model.yaml": ("collaboration", CollaborationModel),
        "referral_routes.yaml": ("referral_routes", list[ReferralRoute]),
        "indicators.yaml": ("indicators", list[Indicator]),
        "development.yaml": ("development", Development),
    }


def slugify(text: str) -> str:
    """A readable id from a Norwegian name (æøå folded), used by generators and hints."""
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"})
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-")
