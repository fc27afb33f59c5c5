"""``plan-info``: the plan's title, municipalities, status, version and adoption (start page)."""

from __future__ import annotations

import datetime as dt

from docutils import nodes

from ...wording import period_text
from ..base import DataDirective
from ..nodes import field_list, para
from ..reads import note_value


def expired(end: int, reference: dt.date | None) -> bool:
    """The period ended before the year of the reference date."""
    return reference is not None and reference.year > end


class PlanInfo(DataDirective):
    def render(self) -> list[nodes.Node]:
        plan = self.data.plan
        many = len(plan.municipalities) > 1
        adoption = plan.adoption
        if adoption.date is None:
            adopted = self.t("plan.adopted.blank")
        else:
            adopted = self.t("plan.adopted.text", body=adoption.body, date=adoption.date.strftime("%d.%m.%Y"))
            if adoption.case_number:
                adopted += ", " + self.t("plan.case", case=adoption.case_number)
        period = period_text(plan.period.start, plan.period.end, self.t)
        from ..site import plan_data_changed  # here, not at the top: site imports the directives

        reference = plan_data_changed(self.data)
        note_value("plan-data-changed", reference)  # the date comes from git and file times, not the data
        ended = expired(plan.period.end, reference)
        if ended:
            period = self.t("plan.period.ended", period=period)
        info = field_list(
            [
                (self.t("plan.municipalities.many" if many else "plan.municipalities"), ", ".join(plan.municipalities)),
                (self.t("plan.period"), period),
                (self.t("plan.version"), plan.version),
                (self.t("plan.status"), self.t(f"status.{plan.status.value}")),
                (self.t("plan.adopted"), adopted),
            ]
        )
        info["classes"].append("plan-info")
        # The draft notice itself is the banner every page gets (ext/versions.py).
        out: list[nodes.Node] = [para(nodes.strong(plan.title, plan.title), classes=["plan-title"]), info]
        if ended:
            notice = nodes.admonition("", para(self.t("plan.period.expired", end=plan.period.end)))
            notice["classes"] += ["warning", "plan-expired"]
            notice.insert(0, nodes.title("", self.t("plan.period")))
            out.append(notice)
        return out
