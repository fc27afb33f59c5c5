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

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, HttpUrl, model_validator

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
LocalSectionRef = Annotated[str, Ref("local-sections")]
ImplementationRef = Annotated[str, Ref("implementations")]


def _lovdata_date_is_real(value: str) -> str:
    """A lovdata id starts with the act's date; 2021-02-30-97 is a typo, not an act."""
    try:
        dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"{value!r} does not start with a real date (YYYY-MM-DD)") from None
    return value


NAME_PATTERN = r"[^\s\u200b-\u200d\u2060\ufeff]"
"""Something visible: a character that is neither whitespace nor an invisible zero-width one."""

Name = Annotated[str, Field(pattern=NAME_PATTERN)]
"""A name, title, heading or label: shown as a heading or link text, so never blank.

Values are trimmed on load (``str_strip_whitespace``), so a name of only spaces would become an
empty heading or link; the pattern refuses it (the loader says so in words), and editors flag it
from the schema."""


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

NN_DESCRIPTION = (
    "The item's texts in nynorsk, under the same field names. Required for every text here when a "
    "nynorsk plan (language: nn) is built; never the statute text."
)


class Translation(Model):
    """Base of an item's ``nn:`` mapping: the same field names as the item, only the texts in our wording.

    Why a mapping on the item rather than ``name: {nb: ..., nn: ...}`` on every field: the
    bokmål fields keep their plain type, so no page generator, file or schema consumer changes;
    the nynorsk text sits next to the bokmål it translates and is edited with it (one source of
    truth); and ``extra="forbid"`` here catches a misspelt field, or an attempt to translate what
    must stay verbatim (``statute_text``, a law's official ``full_name``), which have no field here.
    The fields are optional so that a half-done translation still loads for a bokmål plan;
    for a nynorsk plan the loader (``localize.missing_translations``) refuses any missing text,
    so a page never falls back to bokmål silently. The loader applies the texts, so
    ``load()`` returns data already in the plan's language.
    """


class Localized(Model):
    """An item that may carry an ``nn:`` translation; a translation needs a text to translate."""

    @model_validator(mode="after")
    def _translates_what_exists(self) -> Localized:
        nn = getattr(self, "nn", None)
        for name in type(nn).model_fields if nn is not None else ():
            if getattr(nn, name) is not None and getattr(self, name) is None:
                raise ValueError(f"nn.{name} is given, but the item has no '{name}' to translate")
        return self


class LawNn(Translation):
    short_name: Name | None = Field(
        None, description="The short name in nynorsk texts where one is established (barnevernslova), else the same."
    )


class Law(Localized):
    """An act, regulation or convention that duties are taken from."""

    id: Id
    short_name: Name = Field(description="Short name as used in plans, e.g. 'barnevernsloven'.")
    full_name: Name = Field(description="Official title.")
    abbreviation: Name | None = Field(None, description="Customary abbreviation, e.g. 'bvl'.")
    kind: SourceKind
    lovdata_id: LovdataId | None = Field(None, description="Lovdata id; null for a convention not on lovdata.")
    nn: LawNn | None = Field(None, description=NN_DESCRIPTION)

    @property
    def url(self) -> str | None:
        if self.lovdata_id is None:
            return None
        prefix = "forskrift" if self.kind is SourceKind.FORSKRIFT else "lov"
        return f"https://lovdata.no/{prefix}/{self.lovdata_id}"


class RequirementNn(Translation):
    title: Name | None = None
    explanation: str | None = None


class Requirement(Localized):
    """One of the things bvl § 15-1 demands of the plan; traced to the chapters that answer it."""

    id: Id
    title: Name
    explanation: str
    nn: RequirementNn | None = Field(None, description=NN_DESCRIPTION)


class DutyNn(Translation):
    title: Name | None = None
    summary: str | None = None
    binds: str | None = None


class Duty(Localized):
    """A legal provision the handbook traces: a section of an act, or an article of a convention."""

    id: Id
    law: LawRef
    section: str | None = Field(None, pattern=SECTION_PATTERN, description="Section without '§', e.g. '15-8', '1 a'.")
    article: int | None = Field(None, ge=1, description="Article number, for a convention.")
    title: Name = Field(description="A short heading for the duty, in our words or a defined term.")
    kind: DutyKind
    summary: str = Field(description="What the section requires, in our own words.")
    statute_text: str | None = Field(None, description="Verbatim statute text, where we quote it.")
    binds: str | None = Field(None, description="Whom the section binds, in our own words.")
    samordningsplikt: bool = Field(False, description="Whether the same section also carries the samordningsplikt.")
    requirements: list[Requirement] = Field(default_factory=list)
    nn: DutyNn | None = Field(None, description=NN_DESCRIPTION)

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

    old_law: Name = Field(description="The repealed act, e.g. 'barnevernloven 1992'.")
    old_lovdata_id: LovdataId
    old_section: str = Field(pattern=SECTION_PATTERN)
    duty: DutyRef


class FactorNn(Translation):
    name: Name | None = None
    explanation: str | None = None


class Factor(Localized):
    """A risk or protective factor (Kvello 2023). Supports judgement; the list is not ranked."""

    id: Id
    kind: FactorKind
    number: int = Field(ge=1, le=20)
    name: Name
    explanation: str
    acute: bool = Field(
        False,
        description=(
            "A risk factor that by itself triggers the opplysningsplikt to barnevernet (violence, abuse, "
            "serious neglect): it never waits for a step of the model, it goes straight to barnevernet or the police."
        ),
    )
    nn: FactorNn | None = Field(None, description=NN_DESCRIPTION)


class RiskGroupNn(Translation):
    name: Name | None = None


class RiskGroup(Localized):
    """A KS 'utenforregnskapet' target group."""

    id: Id
    name: Name
    nn: RiskGroupNn | None = Field(None, description=NN_DESCRIPTION)


class LevelInfoNn(Translation):
    name: Name | None = None
    aliases: list[Name] | None = None
    colour_name: Name | None = None
    for_whom: str | None = None


class LevelInfo(Localized):
    id: Level
    name: Name = Field(description="Display name, e.g. 'Universelt nivå'.")
    aliases: list[Name]
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    colour_name: Name
    for_whom: str
    nn: LevelInfoNn | None = Field(None, description=NN_DESCRIPTION)


class NationalContactNn(Translation):
    name: str | None = None
    description: str | None = None


class NationalContact(Localized):
    """A national channel every handbook points to, e.g. the national portal for bekymringsmelding.

    Kept here once, with the source its address was checked against, so no page and no plan
    types the address, and a plan that links a news article about the channel is not taken
    for the channel itself.
    """

    id: Id
    name: str = Field(description="The channel's own name, e.g. 'Nasjonal portal for bekymringsmelding'.")
    url: HttpUrl = Field(description="The channel's official address, as found stated in the source below.")
    description: str = Field(description="What a staff member does there, in our own words.")
    source: str = Field(description="Where the address was found stated (developer note; not shown to readers).")
    nn: NationalContactNn | None = Field(None, description=NN_DESCRIPTION)


class NationalData(Model):
    laws: list[Law]
    duties: list[Duty]
    section_map: list[SectionMapEntry]
    factors: list[Factor]
    risk_groups: list[RiskGroup]
    levels: list[LevelInfo]
    contacts: list[NationalContact] = Field(
        default_factory=list, description="National channels, e.g. the portal for bekymringsmelding."
    )


# --------------------------------------------------------------------------- a municipality's plan


class Adoption(Model):
    date: dt.date | None = Field(
        None, description="Date of the council's decision; null while the plan leaves it blank."
    )
    case_number: str | None = Field(None, description="Case number (saksnummer); null while the plan leaves it blank.")
    body: Name = Field("kommunestyret", description="Who adopts: bvl § 15-1 demands the council itself.")


class Period(Model):
    start: int | None = Field(None, ge=1990, le=2100)
    end: int = Field(ge=1990, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start is not None and self.start > self.end:
            raise ValueError(f"period starts ({self.start}) after it ends ({self.end})")
        return self


class GoalArea(Model):
    title: Name
    goals: list[str]


class Pillar(Model):
    title: Name
    text: str


class AnchorDocument(Model):
    title: Name
    description: str
    url: HttpUrl | None = Field(None, description="Link to the document exactly as the plan gives it.")
    citation: str | None = Field(None, description="The plan's source reference, e.g. 'Helsedirektoratet, 2019'.")
    points: list[str] = Field(
        default_factory=list, description="Points the plan lists from the document, e.g. a strategy's main goals."
    )


class LevelLabels(Model):
    """The plan's own names for the three levels, e.g. 'Alle barn' / 'Større risiko' / 'Særlig utsatt'.

    Plans name the levels in their own words; where the plan's tables head their columns with
    them, the handbook uses the same words so a reader recognises the plan.
    """

    universell: Name | None = None
    selektiv: Name | None = None
    indikert: Name | None = None


class MeasureLayout(StrEnum):
    """How the plan itself presents its measures."""

    NIVA = "nivå"  # one list per level
    BESKYTTELSESFAKTOR = "beskyttelsesfaktor"  # one table per protective factor, split by level


class OrganisationPrinciple(Model):
    """A principle for how the work is organised and how the services work together (one bullet).

    A principle that gives a named role a task is kept once, as an implementation duty in
    development.yaml, and referred to here by its id, so the plan's list keeps its order.
    """

    text: str | None = Field(None, description="The principle in our own words.")
    implementation: ImplementationRef | None = Field(
        None, description="Id of the implementation duty (development.yaml) that holds this principle."
    )

    @model_validator(mode="after")
    def _text_xor_implementation(self) -> OrganisationPrinciple:
        if (self.text is None) == (self.implementation is None):
            raise ValueError("a principle has either 'text' or 'implementation' (the id of an implementation duty)")
        return self


class Feedback(Model):
    """Where readers report what does not work for them, as the plan gives it (its owner's e-mail or
    contact page). The accessibility statement names it; without it the statement says the plan gives none.
    """

    email: str | None = Field(
        None,
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        description="The plan owner's e-mail address exactly as the plan gives it, e.g. a postmottak.",
    )
    url: HttpUrl | None = Field(None, description="The plan owner's contact page exactly as the plan gives it.")

    @model_validator(mode="after")
    def _names_a_channel(self) -> Feedback:
        if self.email is None and self.url is None:
            raise ValueError("feedback needs an e-mail address or a contact page (leave feedback out otherwise)")
        return self


class Plan(Model):
    """The plan's metadata, purpose, goals and mandate (plan.yaml)."""

    title: Name
    municipalities: list[Name] = Field(min_length=1)
    region: str | None = None
    language: Language
    period: Period
    version: str = Field(pattern=r"^\d{4}\.\d+$", description="Plan version, e.g. '2026.1'.")
    version_date: dt.date | None = Field(
        None,
        description="The date this version was settled; reviews are measured against it (never the build day), "
        "so a build stays reproducible. Without it (and without an adoption date) no review is due.",
    )
    review_cycle_months: int = Field(
        12, ge=1, le=120, description="Months a measure may go without review before it is listed as due."
    )
    status: PlanStatus
    adoption: Adoption
    purpose: str
    goal_areas: list[GoalArea] = Field(default_factory=list)
    mandate: str
    mandate_pillars: list[Pillar] = Field(default_factory=list)
    anchoring: list[AnchorDocument] = Field(default_factory=list)
    organisation_principles: list[OrganisationPrinciple] = Field(
        default_factory=list,
        description="The plan's principles for organising the work and the services' collaboration, in its order.",
    )
    level_labels: LevelLabels | None = Field(None, description="The plan's own names for the three levels.")
    measure_table: bool = Field(
        True,
        description="False when the plan has no table or full list of its measures: the measures in the "
        "handbook are then only those the plan names in its text (mostly examples), and the catalogue says so.",
    )
    feedback: Feedback | None = Field(
        None,
        description="Where readers report problems with the handbook, only where the plan gives an e-mail "
        "address or contact page for its owner (never looked up elsewhere).",
    )
    measures_by: MeasureLayout = Field(
        MeasureLayout.NIVA,
        description="How the plan presents its measures: 'nivå' (by level) or 'beskyttelsesfaktor' (a table per "
        "protective factor, split by level; every measure then names its factors in 'strengthens').",
    )

    @model_validator(mode="after")
    def _adopted_has_date(self) -> Plan:
        if self.status is PlanStatus.VEDTATT and self.adoption.date is None:
            raise ValueError("status is 'vedtatt' but adoption.date is missing")
        return self


PHONE_PATTERN = r"^(?:\+47 ?)?(?:\d{3}|\d{2} ?\d{2} ?\d{2} ?\d{2}|\d{3} ?\d{2} ?\d{3})$"


def _digits_as_text(value: Any) -> Any:
    """``phone: 12345678`` is read as a number; it is the same telephone number as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


PhoneNumber = Annotated[
    str,
    Field(
        pattern=PHONE_PATTERN,
        description="A Norwegian telephone number: eight digits (spaced '12 34 56 78' or '123 45 678'), "
        "or a three-digit emergency or short number; '+47' allowed in front.",
    ),
    BeforeValidator(_digits_as_text),
]


def tel_uri(phone: str) -> str:
    """The ``tel:`` address of a Norwegian number as written in a plan: digits only, '+47' kept."""
    digits = re.sub(r"[^\d+]", "", phone)
    return f"tel:{digits}"


class Service(Model):
    """A service, team or other actor named in the plan (services.yaml)."""

    id: Id
    name: Name
    kind: ServiceKind
    description: str = Field(description="What the service does, in our own words.")
    contact_url: HttpUrl | None = Field(None, description="Contact page exactly as the plan gives it.")
    contact_note: str | None = Field(None, description="How to get in touch when the plan gives no URL.")
    phone: PhoneNumber | None = Field(
        None, description="Telephone number exactly as the plan gives it (never looked up elsewhere, never guessed)."
    )
    part_of: ServiceRef | None = Field(None, description="Parent service, e.g. a profession within a service.")
    units_unstated: bool = Field(
        False,
        description="The plan names this service like a service area (e.g. «Helse og omsorg») but does not say "
        "which services belong to it; its findings then say so, instead of suggesting that nothing under it has a "
        "measure. Never set part_of on other services from a guess.",
    )
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
    name: Name
    level: Level
    description: str = Field(description="What the measure is, in our own words.")
    target_group: str = Field(description="Target group as the plan states it.")
    ages: AgeRange | None = Field(None, description="Age range of the children, where the plan gives one.")
    responsible: list[ServiceRef] = Field(default_factory=list)
    responsible_note: str | None = Field(
        None,
        description="The plan's responsibility text where no service fits, e.g. 'Felles ansvar' "
        "(all services together).",
    )
    status: MeasureStatus | None = None
    status_note: str | None = Field(
        None,
        description="The plan's status text where the status list cannot hold it all, e.g. 'Oppstart høsten 2024', "
        "or a second status in the same cell.",
    )
    strengthens: list[FactorRef] = Field(default_factory=list, description="Protective factors, where the plan says.")
    reduces: list[FactorRef] = Field(default_factory=list, description="Risk factors, where the plan says.")
    fulfils: list[DutyRef] = Field(default_factory=list, description="Duties, where the plan says so explicitly.")
    reviewed: dt.date | None = Field(None, description="When the measure was last reviewed (the yearly review).")
    reviewed_by: ServiceRef | None = Field(None, description="The service that reviewed it.")
    collaboration: bool | None = Field(
        None,
        description="Whether the measure is a collaboration measure (samarbeidstiltak); "
        "null lets the trace rules decide from its name and description.",
    )
    example: bool = Field(
        False,
        description="True when the plan names this measure only as an example of what belongs at a level "
        "(no measure table); the handbook marks it 'Eksempel i planen'.",
    )
    level_in_plan: bool = Field(
        True,
        description="False when the plan gives the measure no level and 'level' is the data editor's reading; "
        "the handbook then says so next to the level (as for a step).",
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
    name: Name = Field(description="As the model names it, e.g. 'Trinn 2'.")
    level: Level
    level_in_plan: bool = Field(
        True,
        description="False when the plan gives the step no level and 'level' is the data editor's judgement; "
        "the handbook then says so next to the level.",
    )
    heading: Name = Field(description="The step's sub-heading, e.g. 'Tiltak på selektert nivå'.")
    summary: str
    target_group: str
    criteria: list[str] = Field(default_factory=list)
    criteria_note: str | None = None
    tasks: list[Point] = Field(default_factory=list)
    examples: list[str] = Field(
        default_factory=list,
        description="The plan's examples at this level, as text, where they cannot be measures; examples that "
        "can are measures with 'example: true', which the step then lists from the catalogue.",
    )
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
    title: Name
    step: StepRef
    who: Name = Field(description="Who acts at this stage, e.g. 'Du og nærmeste leder'.")
    does: list[Point] = Field(min_length=1, description="What they do, in the plan's words (kap. 4.2-4.3).")
    shows: GuideExtra | None = Field(None, description="Plan data shown with the stage: the teams or referral routes.")
    resolved_question: bool = Field(
        False, description="The flow chart asks 'Sak løst?' after this stage; a yes ends the guide."
    )


class FlowNode(Model):
    id: Id
    label: Name
    step: StepRef | None = None
    outcome: bool = Field(False, description="An end state such as 'Sak løst'.")


class FlowEdge(Model):
    source: str
    target: str
    label: Name | None = None


class Flow(Model):
    """The plan's flow chart, rendered at build time with graphviz."""

    title: Name
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
    title: Name
    need: str
    actions: list[Point]
    done: bool = Field(False, description="The plan says the action is already carried out.")


class Indicator(Model):
    id: Id
    group: Name
    label: Name
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
    title: Name
    description: str
    points: list[str] = Field(default_factory=list)


class ImplementationDuty(Model):
    id: Id
    number: int = Field(ge=1)
    responsible: Name = Field(description="The role that carries the duty, e.g. 'Tjenesteleder/virksomhetsleder'.")
    duty: str
    frequency: str | None = Field(None, description="E.g. 'når planen er vedtatt', 'årlig', 'ved nyansettelse'.")


class Recommendation(Model):
    """A recommendation for further work, under the plan's own heading (no need stated)."""

    id: Id
    number: int = Field(ge=1)
    title: Name = Field(description="The plan's heading for the recommendation.")
    points: list[Point] = Field(min_length=1, description="What the plan recommends, in our own words.")


class Development(Model):
    """development.yaml: strengths, needs and actions, long-term changes, implementation duties."""

    strengths: list[str] = Field(default_factory=list)
    needs: list[NeedAction] = Field(default_factory=list)
    long_term_changes: list[LongTermChange] = Field(default_factory=list)
    implementation: list[ImplementationDuty] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(
        default_factory=list,
        description="Recommendations for further work, where the plan gives them instead of needs.",
    )


# --------------------------------------------------------------------------- optional: forums, participation


class ForumScope(StrEnum):
    """Whether a forum works on the system level only, or also on individual children's cases."""

    SYSTEM = "system"
    ENKELTSAKER = "enkeltsaker"


class ForumParticipant(Model):
    """A role that takes part in a forum, as the plan names it, with the service it belongs to where there is one."""

    role: Name = Field(description="The role as the plan writes it, e.g. 'Rektor Hemsedal skole'.")
    service: ServiceRef | None = Field(None, description="The service the role belongs to, where the plan has one.")
    note: str | None = Field(None, description="E.g. 'ved behov' for a role that joins some meetings only.")


class Forum(Model):
    """A standing meeting or forum of the plan's meeting structure (møtestruktur), e.g. a TOG or an elevhelseteam.

    A forum is not a service: it provides nothing to children. Where the plan also names it as
    responsible for measures (a steering group), ``service`` links to that service.
    """

    id: Id
    name: Name
    tier: int | None = Field(
        None, ge=1, le=9, description="The plan's own number for the forum's tier (e.g. 'Nivå 2'), where it has one."
    )
    scope: ForumScope
    service: ServiceRef | None = Field(None, description="The service this forum also is, where measures name it.")
    description: str = Field(description="What the forum is for, in our own words.")
    participants: list[ForumParticipant] = Field(default_factory=list)
    interval: str | None = Field(None, description="How often it meets, e.g. 'Én gang per semester'.")
    content: list[Point] = Field(default_factory=list, description="What the forum does, point by point.")
    consent: str | None = Field(None, description="The rule for discussing a child's case without consent.")
    convenes: str | None = Field(None, description="Who calls the meetings (innkalling).")
    chairs: str | None = Field(None, description="Who leads the meetings (møteledelse).")
    minutes_by: str | None = Field(None, description="Who writes the minutes (referat).")


class MeetingStructure(Model):
    """meeting_structure.yaml (optional): the plan's standing forums for collaboration."""

    introduction: str | None = None
    source: str | None = Field(None, description="Where in the plan, e.g. 'vedlegg 1', 'kap. 7.2'.")
    forums: list[Forum] = Field(min_length=1)
    closing: str | None = Field(None, description="What the plan says beyond the forums, e.g. about ongoing contact.")


class Participation(Model):
    """participation.yaml (optional): how children, young people and families take part (brukermedvirkning)."""

    introduction: str | None = None
    individual: list[Point] = Field(default_factory=list, description="On the individual level (in one's own case).")
    system: list[Point] = Field(default_factory=list, description="On the system level (in shaping the services).")
    source: str | None = Field(None, description="Where in the plan, e.g. 'kap. 10.3'.")

    @model_validator(mode="after")
    def _not_empty(self) -> Participation:
        if not self.individual and not self.system:
            raise ValueError("give at least one point under 'individual' or 'system' (or delete the file)")
        return self


# --------------------------------------------------------------------------- printable templates (templates.yaml)


class TemplateKind(StrEnum):
    """What a template of the plan is for."""

    MEETING_MINUTES = "meeting-minutes"
    CONSENT = "consent"


class TemplateItemType(StrEnum):
    """One element of a template, in the plan's order.

    ``municipality`` is the template's «xx kommune» blank; ``statement`` is a sentence of the
    form (consent text, clauses) printed as it stands; ``signature`` is a signature block.
    """

    DATE = "date"
    TEXT = "text"
    LONGTEXT = "longtext"
    ID_NUMBER = "id-number"
    MUNICIPALITY = "municipality"
    TABLE = "table"
    CHECKBOXES = "checkboxes"
    LEGAL_BASES = "legal-bases"
    STATEMENT = "statement"
    SIGNATURE = "signature"


class TemplateOption(Model):
    """One box of a checkbox group, labelled exactly as in the plan."""

    label: Name = Field(description="The option as the plan prints it, e.g. 'Barnevern'.")
    free_text: bool = Field(False, description="The plan leaves a blank after the label (a name, 'Andre ...').")


class LegalBasis(Model):
    """A legal basis exactly as the template cites it, and what it is today where the national data knows.

    A template may cite repealed acts; ``as_cited`` keeps the plan's wording and the handbook
    marks it as such. A current provision is linked only through ``duty`` (a section in
    ``national/duties.yaml``), ``law`` (the act, when the citation is a chapter) or
    ``section_map.yaml`` (``old_lovdata_id`` + ``old_section``); otherwise it is shown as not mapped.
    """

    as_cited: Name = Field(description="The citation verbatim, e.g. 'Lov om barneverntenester §6-7'.")
    repealed: bool = Field(False, description="The cited act is repealed (e.g. barnevernloven 1992).")
    duty: DutyRef | None = Field(None, description="The current section, where national/duties.yaml has it.")
    law: LawRef | None = Field(None, description="The current act, where national/laws.yaml has it (a chapter).")
    old_lovdata_id: LovdataId | None = Field(None, description="Lovdata id of the repealed act (for section_map).")
    old_section: str | None = Field(
        None, pattern=SECTION_PATTERN, description="Section of the repealed act, to look up section_map."
    )

    @model_validator(mode="after")
    def _old_pair(self) -> LegalBasis:
        if (self.old_lovdata_id is None) != (self.old_section is None):
            raise ValueError("give both 'old_lovdata_id' and 'old_section', or neither")
        if self.old_section is not None and not self.repealed:
            raise ValueError("'old_section' names a section of a repealed act: set 'repealed: true'")
        return self


class TemplateItem(Model):
    """A field or fixed text of a template. Which keys apply depends on ``type`` (checked)."""

    id: Id
    type: TemplateItemType
    label: Name | None = Field(None, description="The field's label verbatim (a short defined term of the form).")
    text: str | None = Field(None, description="statement: the sentence as the form prints it.")
    columns: list[Name] = Field(default_factory=list, description="table: column headings verbatim.")
    rows: int | None = Field(None, ge=1, le=30, description="table: empty rows the template has.")
    options: list[TemplateOption] = Field(default_factory=list, description="checkboxes: the boxes in order.")
    marking: str | None = Field(None, description="checkboxes: how to mark a box, verbatim.")
    bases: list[LegalBasis] = Field(default_factory=list, description="legal-bases: the acts cited, in order.")
    parts: list[Name] = Field(
        default_factory=list, description="signature: the blanks before the signature line, e.g. [Stad, Dato]."
    )

    @model_validator(mode="after")
    def _keys_fit_type(self) -> TemplateItem:
        required, optional = _ITEM_KEYS[self.type]
        for name in required:
            if getattr(self, name) in (None, []):
                raise ValueError(f"an item of type '{self.type}' needs '{name}'")
        for name in _ITEM_KEYS_ALL - set(required) - set(optional):
            if getattr(self, name) not in (None, []):
                raise ValueError(f"'{name}' does not apply to an item of type '{self.type}'")
        return self


_ITEM_KEYS: dict[TemplateItemType, tuple[tuple[str, ...], tuple[str, ...]]] = {
    TemplateItemType.DATE: (("label",), ()),
    TemplateItemType.TEXT: (("label",), ()),
    TemplateItemType.LONGTEXT: (("label",), ()),
    TemplateItemType.ID_NUMBER: (("label",), ()),
    TemplateItemType.MUNICIPALITY: ((), ()),
    TemplateItemType.TABLE: (("label", "columns", "rows"), ()),
    TemplateItemType.CHECKBOXES: (("label", "options"), ("marking",)),
    TemplateItemType.LEGAL_BASES: (("label", "bases"), ()),
    TemplateItemType.STATEMENT: (("text",), ()),
    TemplateItemType.SIGNATURE: (("label",), ("parts",)),
}
"""Per item type: (keys it needs, keys it may have); every other key is an error."""
_ITEM_KEYS_ALL = {"label", "text", "columns", "rows", "options", "marking", "bases", "parts"}


class Template(Model):
    """A printable form of the plan (meeting minutes, consent), element by element in the plan's order."""

    id: Id
    kind: TemplateKind
    title: Name = Field(description="The template's title as the plan gives it (without an «xx kommune» blank).")
    note: str | None = Field(None, description="A line under the title, verbatim.")
    service: ServiceRef | None = Field(None, description="The team whose meetings use the template (plan says so).")
    items: list[TemplateItem] = Field(min_length=1)
    footer: str | None = Field(None, description="A last line, verbatim, e.g. 'Kopi til samarbeidande instansar'.")
    source: str | None = Field(None, description="Where in the plan, e.g. 'kap. 9'.")


# --------------------------------------------------------------------------- local parts (local_part.yaml)


class LocalSection(Model):
    """A section of the plan's template for the local part, e.g. 8.1 «Situasjonen i vår kommune»."""

    id: Id
    number: str | None = Field(None, description="The plan's number, e.g. '8.1'.")
    heading: Name = Field(description="The heading as the plan gives it.")
    guidance: str = Field(description="What goes in the section, in our own words.")
    prompts: list[Point] = Field(default_factory=list, description="Topics or items the template lists, verbatim.")


class LocalContent(Model):
    """What one municipality has written in one section of its local part."""

    section: LocalSectionRef
    text: str | None = None
    points: list[Point] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> LocalContent:
        if not self.text and not self.points:
            raise ValueError("give 'text' or 'points' (or leave the section out while it is not filled in)")
        return self


class MunicipalityPart(Model):
    """One member municipality's filled-in local part; sections left out are not filled in yet."""

    municipality: Name = Field(description="As in plan.yaml 'municipalities'.")
    intro: str | None = Field(None, description="The text under the chapter heading, before the first section.")
    sections: list[LocalContent] = Field(default_factory=list)


class LocalPart(Model):
    """local_part.yaml (optional): the template each member municipality fills in, and what they have filled in."""

    number: str | None = Field(None, description="The chapter's number in the plan, e.g. '8'.")
    heading: Name = Field(description="The chapter heading, with '{kommune}' where the municipality's name goes.")
    guidance: str = Field(description="What the local part, and the text under its heading, is for, in our own words.")
    sections: list[LocalSection] = Field(min_length=1)
    municipalities: list[MunicipalityPart] = Field(
        default_factory=list, description="Filled-in content per municipality; a municipality not listed has none yet."
    )

    @model_validator(mode="after")
    def _one_blank(self) -> LocalPart:
        if self.heading.count("{kommune}") != 1:
            raise ValueError("'heading' must contain '{kommune}' exactly once, where the municipality's name goes")
        return self


class MunicipalityData(Model):
    slug: str = Field(pattern=ID_PATTERN)
    plan: Plan
    services: list[Service]
    measures: list[Measure]
    collaboration: CollaborationModel
    referral_routes: list[ReferralRoute] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    development: Development = Field(default_factory=Development)
    meeting_structure: MeetingStructure | None = Field(None, description="Optional: the plan's standing forums.")
    participation: Participation | None = Field(None, description="Optional: how children and families take part.")
    templates: list[Template] = Field(default_factory=list, description="Optional: the plan's printable templates.")
    local_part: LocalPart | None = Field(None, description="Optional: the local part each municipality fills in.")


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
        "national/contacts.yaml": ("contacts", list[NationalContact]),
        "plan.yaml": ("plan", Plan),
        "services.yaml": ("services", list[Service]),
        "measures.yaml": ("measures", list[Measure]),
        "collaboration_model.yaml": ("collaboration", CollaborationModel),
        "referral_routes.yaml": ("referral_routes", list[ReferralRoute]),
        "indicators.yaml": ("indicators", list[Indicator]),
        "development.yaml": ("development", Development),
        "meeting_structure.yaml": ("meeting_structure", MeetingStructure),
        "participation.yaml": ("participation", Participation),
        "templates.yaml": ("templates", list[Template]),
        "local_part.yaml": ("local_part", LocalPart),
    }


def slugify(text: str) -> str:
    """A readable id from a Norwegian name (æøå folded), used by generators and hints."""
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"})
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-")
