"""The dashboard's tables beyond the register, as plain data: each cell a value and the
link to the list behind it. The page draws them, the Excel export writes them."""

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from organization.choices import RegionLevel

from .selectors import CHILD_KEY, Progress, ProgressRow


def url(name: str, **filters) -> str:
    query = urlencode({k: v for k, v in filters.items() if v is not None})
    return reverse(name) + (f"?{query}" if query else "")


@dataclass
class Cell:
    value: object
    url: str = ""

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"
        if isinstance(self.value, Decimal):
            return f"{self.value:,.2f}"
        return str(self.value)


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""


def _pair(done: int, target: int | None) -> str:
    return f"{done} / {target}" if target is not None else f"{done} / —"


def _place(report: Progress, row: ProgressRow) -> dict:
    """The register-style place filter of a row: the child's level, or the region's own."""
    if row is report.total:
        level = report.region.level
        return {} if level == RegionLevel.CITY else {level: row.region.pk}
    return {CHILD_KEY[report.region.level]: row.region.pk}


def tables(report: Progress) -> list[Table]:
    rows = [*report.ranked(), report.total]
    names = [row.region.name if row is not report.total else _("合计") for row in rows]
    sections = report.sections
    result = []
    if sections & {"training", "projects", "assistance", "mentors"}:
        table = Table(
            "targets",
            _("%(year)s年度其他目标完成情况") % {"year": report.year},
            [
                _("区域"),
                _("培训结业（人，实际/目标）"),
                _("获得项目（人，实际/目标）"),
                _("帮带结对（对，实际/目标）"),
                _("在结对帮扶"),
                _("期限内已走访"),
                _("走访逾期"),
            ],
        )
        for name, row in zip(names, rows, strict=True):
            c = row.counts
            paired, visited = c.get("paired"), c.get("visited")
            table.rows.append(
                [
                    Cell(name),
                    Cell(
                        _pair(c.get("trained", 0), row.target_of("trained")),
                        url("training:enrolment_list", status="completed"),
                    )
                    if "training" in sections
                    else Cell(None),
                    Cell(
                        _pair(c.get("with_project", 0), row.target_of("projects")),
                        url("projects:project_list", **_place(report, row)),
                    )
                    if "projects" in sections
                    else Cell(None),
                    Cell(
                        _pair(c.get("mentor_pairs", 0), row.target_of("mentor_pairs")),
                        url("assistance:mentorpair_list"),
                    )
                    if "mentors" in sections
                    else Cell(None),
                    Cell(paired, url("assistance:pairing_list", active="true"))
                    if "assistance" in sections
                    else Cell(None),
                    Cell(visited) if "assistance" in sections else Cell(None),
                    Cell((paired or 0) - (visited or 0), url("assistance:pairing_overdue"))
                    if "assistance" in sections
                    else Cell(None),
                ]
            )
        result.append(table)
    if "projects" in sections:
        stages = (
            ("projects_proposed", "proposed", _("提出")),
            ("projects_reviewing", "reviewing", _("论证中")),
            ("projects_approved", "approved", _("已批准")),
            ("projects_running", "running", _("实施中")),
            ("projects_closed", "closed", _("已结项")),
            ("projects_refused_failed", None, _("未通过/失败")),
        )
        table = Table("projects", _("致富项目（按阶段）"), [_("区域"), *[label for _k, _s, label in stages]])
        for name, row in zip(names, rows, strict=True):
            place = _place(report, row)
            table.rows.append(
                [Cell(name)]
                + [
                    Cell(row.counts.get(key, 0), url("projects:project_list", **place, status=status) if status else "")
                    for key, status, _label in stages
                ]
            )
        result.append(table)
    if "difficulties" in sections:
        table = Table(
            "difficulties",
            _("困难问题"),
            [_("区域"), _("未解决"), _("已逾期"), _("%(year)s年已解决") % {"year": report.year}],
        )
        for name, row in zip(names, rows, strict=True):
            c = row.counts
            table.rows.append(
                [
                    Cell(name),
                    Cell(c.get("difficulties_open", 0), url("assistance:difficulty_list", status="open")),
                    Cell(c.get("difficulties_overdue", 0), url("assistance:difficulty_list", overdue="true")),
                    Cell(c.get("difficulties_resolved", 0), url("assistance:difficulty_list", status="resolved")),
                ]
            )
        result.append(table)
    if "guarantees" in sections:
        table = Table(
            "guarantees",
            _("基金担保（按贫困党员所在区域）"),
            [_("区域"), _("在保笔数"), _("在保金额（元）"), _("占用基金（元）"), _("已代偿笔数")],
        )
        for name, row in zip(names, rows, strict=True):
            c = row.counts
            table.rows.append(
                [
                    Cell(name),
                    Cell(c.get("guarantees_issued", 0), url("fund:guarantee_list", status="issued")),
                    Cell(_money(c.get("guaranteed")), url("fund:guarantee_list", status="issued")),
                    Cell(_money(c.get("reserved"))),
                    Cell(c.get("guarantees_called", 0), url("fund:guarantee_list", status="called")),
                ]
            )
        result.append(table)
    if report.fund:
        fund = report.fund
        table = Table(
            "fund",
            _("脱困基金（本辖区各级基金，按来源）"),
            [_("来源"), _("累计收入（元）"), _("资金余额（元）"), _("担保占用（元）")],
            note=_("代偿支付 %(called)s 元，已追回 %(recovered)s 元。")
            % {"called": f"{fund['called']:,.2f}", "recovered": f"{fund['recovered']:,.2f}"},
        )
        for source in fund["sources"]:
            table.rows.append(
                [
                    Cell(source["label"]),
                    Cell(source["received"], url("fund:entry_list", source=source["source"], kind="receipt")),
                    Cell(source["cash"], url("fund:entry_list", source=source["source"])),
                    Cell(source["reserved"]),
                ]
            )
        table.rows.append([Cell(_("合计")), Cell(None), Cell(fund["cash"]), Cell(fund["reserved"])])
        result.append(table)
    return result


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def plain(tables_: list[Table]) -> list[dict]:
    """The tables as text, for the bulletin's files and its stored summary."""
    return [
        {
            "title": t.title,
            "headers": [str(h) for h in t.headers],
            "rows": [[c.display for c in r] for r in t.rows],
            "note": str(t.note),
        }
        for t in tables_
    ]
