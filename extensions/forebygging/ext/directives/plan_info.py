"""``plan-info``: the plan's title, municipalities, status, version and adoption (start page)."""

from __future__ import annotations

from docutils import nodes

from ..base import DataDirective
from ..nodes import field_list, para


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
        period = f"{plan.period.start}–{plan.period.end}" if plan.period.start else f"–{plan.period.end}"
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
        return [para(nodes.strong(plan.title, plan.title), classes=["plan-title"]), info]
