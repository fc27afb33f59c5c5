"""The data one handbook is built from, with lookups by id; import it as ``forebygging.core.HandbookData``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .models import Duty, MunicipalityData, NationalData


@dataclass
class HandbookData:
    """Everything one handbook is built from: national data plus one municipality."""

    root: Path
    slug: str
    national: NationalData
    municipality: MunicipalityData
    files: list[Path] = field(default_factory=list)

    # Lookups by id, derived once.
    def __post_init__(self) -> None:
        self.laws = {law.id: law for law in self.national.laws}
        self.duties = {d.id: d for d in self.national.duties}
        self.factors = {f.id: f for f in self.national.factors}
        self.levels = {lv.id: lv for lv in self.national.levels}
        self.services = {s.id: s for s in self.municipality.services}
        self.measures = {m.id: m for m in self.municipality.measures}
        self.steps = {s.id: s for s in self.municipality.collaboration.steps}

    @property
    def plan(self):
        return self.municipality.plan

    def duty_url(self, duty: Duty) -> str | None:
        return duty.url(self.laws[duty.law])

    def duty_citation(self, duty: Duty) -> str:
        return duty.citation(self.laws[duty.law])

    def measures_by_service(self, service_id: str) -> list:
        return [m for m in self.municipality.measures if service_id in m.responsible]
