"""The yearly progress bulletin (年度通报): its content, its Word and Excel files.

Files are written beside their final name as ``*.part`` and renamed into place only
when complete (``os.replace`` is atomic on one file system), so a worker that dies
mid-way leaves the previous bulletin or none, never half of one; the next run removes
the leftovers. The Excel workbook is written by XlsxWriter in constant-memory mode,
row by row, so 100,000 members do not sit in memory (the tablib path took 860 MB).
"""

import os
import uuid
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from members.choices import Status, Track
from members.models import Member
from organization.choices import RegionLevel

from . import dashboard, selectors, services
from .choices import AdmonitionState, BulletinState, CommendationState
from .models import Admonition, BulletinJob, Commendation, bulletin_path

STATUS_LABELS = dict(Status.choices)
TRACK_LABELS = dict(Track.choices)


def media_path(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def _progress(job: BulletinJob, percent: int, note: str) -> None:
    # Outside any transaction: the page polling the row sees each step as it happens.
    BulletinJob.objects.filter(pk=job.pk).update(progress=percent, progress_note=note, updated_at=timezone.now())


def _fmt_rate(rate) -> str:
    return "—" if rate is None else f"{rate:.1f}%"


def _met_label(met) -> str:
    return {True: _("完成"), False: _("未完成"), None: _("未制定规划")}[met]


def content(job: BulletinJob) -> dict:
    """Everything the bulletin says, as plain data (also kept on the job for the page)."""
    region, year = job.region, job.year
    report = selectors.progress(region=region, year=year)
    unit = _("县区") if region.level == RegionLevel.CITY else _("乡镇（街道）")
    # The bulletin proposes admonitions for those who missed their targets; staff confirm.
    for row in report.missed:
        services.admonition_propose(
            year=year,
            region=row.region,
            reason=_("%(year)s年度脱贫目标%(target)s人，实际脱贫%(exits)s人，未完成目标。")
            % {"year": year, "target": row.target, "exits": row.exits},
            person_name=_("%(region)s组织部门负责同志") % {"region": row.region.name},
            person_post=_("直接责任人（待核定）"),
            bulletin=job,
        )
    subtree = {"region__path__startswith": region.path}
    admonitions = [
        {"region": a.region.name, "person": a.person_name, "post": a.person_post, "state": a.get_state_display()}
        for a in Admonition.objects.filter(year=year, **subtree)
        .exclude(state=AdmonitionState.DISMISSED)
        .select_related("region")
        .order_by("region__code", "id")
    ]
    commendations = [
        {"kind": c.get_kind_display(), "name": c.name, "region": c.region.name, "reason": c.reason}
        for c in Commendation.objects.filter(year=year, state=CommendationState.CONFIRMED, **subtree)
        .select_related("region")
        .order_by("kind", "region__code", "id")
    ]
    return {
        "title": _("%(region)s%(year)s年度贫困党员脱困示范行动进展情况通报") % {"region": region.name, "year": year},
        "region": region.name,
        "region_code": region.code,
        "year": year,
        "unit": str(unit),
        "total": report.total.as_dict(),
        "ranking": [row.as_dict() for row in report.ranked()],
        "met": [row.region.name for row in report.met],
        "missed": [row.region.name for row in report.missed],
        "admonitions": admonitions,
        "commendations": commendations,
        "sections": dashboard.plain(dashboard.tables(report)),
        "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }


RANKING_HEADERS = (
    (_lazy("排名"), None),
    (_lazy("单位"), "name"),
    (_lazy("贫困党员"), "total"),
    (_lazy("贫困"), "poor"),
    (_lazy("脱贫"), "out"),
    (_lazy("小康"), "well_off"),
    (_lazy("脱困示范"), "demonstration"),
    (_lazy("社会救济"), "relief"),
    (_lazy("待人工判定"), "undecided"),
    (_lazy("年度脱贫目标"), "target"),
    (_lazy("年度实际脱贫"), "exits"),
    (_lazy("目标完成率"), "rate"),
    (_lazy("完成情况"), "met"),
    (_lazy("三年目标进度"), "goal_rate"),
)


def ranking_cell(row: dict, key: str, rank: int):
    if key is None:
        return rank
    if key in ("rate", "goal_rate"):
        return _fmt_rate(row[key])
    if key == "met":
        return str(_met_label(row[key]))
    if key == "target" and row[key] is None:
        return "—"
    return row[key]


def write_cell(sheet, row: int, col: int, value) -> None:
    # Text always as a string: a name starting with "=" must never become a formula.
    if isinstance(value, int):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value))


def write_docx(data: dict, path: Path) -> None:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(11)
    document.add_heading(data["title"], level=1)
    total = data["total"]
    document.add_paragraph(
        _(
            "截至通报生成时，%(region)s共有贫困党员%(total)s人，其中贫困%(poor)s人、脱贫%(out)s人、小康%(well_off)s人；"
            "纳入脱困示范行动%(demonstration)s人，社会救济%(relief)s人，待人工判定%(undecided)s人。"
            "%(year)s年度实际脱贫%(exits)s人。"
        )
        % {**total, "region": data["region"], "year": data["year"]}
    )
    document.add_heading(_("一、各%(unit)s目标完成情况及排名") % {"unit": data["unit"]}, level=2)
    table = document.add_table(rows=1, cols=len(RANKING_HEADERS))
    table.style = "Table Grid"
    for cell, (label, _key) in zip(table.rows[0].cells, RANKING_HEADERS, strict=True):
        cell.text = str(label)
    for rank, row in enumerate(data["ranking"], start=1):
        cells = table.add_row().cells
        for cell, (_label, key) in zip(cells, RANKING_HEADERS, strict=True):
            cell.text = str(ranking_cell(row, key, rank))
    document.add_heading(_("二、完成年度目标的单位"), level=2)
    document.add_paragraph("、".join(data["met"]) or _("无"))
    document.add_heading(_("三、未完成年度目标的单位"), level=2)
    document.add_paragraph("、".join(data["missed"]) or _("无"))
    document.add_heading(_("四、表彰"), level=2)
    if data["commendations"]:
        for item in data["commendations"]:
            document.add_paragraph(f"{item['kind']}：{item['name']}（{item['region']}）", style="List Bullet")
    else:
        document.add_paragraph(_("本年度暂无确认的表彰。"))
    document.add_heading(_("五、诫勉谈话"), level=2)
    if data["admonitions"]:
        for item in data["admonitions"]:
            document.add_paragraph(
                f"{item['region']}：{item['person']}（{item['post']}），{item['state']}", style="List Bullet"
            )
    else:
        document.add_paragraph(_("本年度无诫勉谈话。"))
    if data.get("sections"):
        document.add_heading(_("六、其他工作进展"), level=2)
        for section in data["sections"]:
            document.add_paragraph(section["title"], style="Heading 3")
            table = document.add_table(rows=1, cols=len(section["headers"]))
            table.style = "Table Grid"
            for cell, header in zip(table.rows[0].cells, section["headers"], strict=True):
                cell.text = header
            for values in section["rows"]:
                for cell, value in zip(table.add_row().cells, values, strict=True):
                    cell.text = value
            if section["note"]:
                document.add_paragraph(section["note"])
    document.add_paragraph(_("生成时间：%(time)s") % {"time": data["generated_at"]})
    document.save(path)


def member_rows(members):
    """The detail sheet's rows of ``members``, in the sheet's order, streamed from the database."""
    rows = members.order_by("county__code", "township__code", "village__code", "file_number").values_list(
        "file_number", "name", "county__name", "township__name", "village__name", "status", "track"
    )
    return rows.iterator(2000)


def write_xlsx(data: dict, rows, path: Path) -> None:
    """The tables of the bulletin, and every member in scope (``rows``: member_rows), streamed row by row."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet(_("目标完成情况及排名"))
    sheet.write_string(0, 0, data["title"], bold)
    for col, (label, _key) in enumerate(RANKING_HEADERS):
        sheet.write_string(1, col, str(label), bold)
    for rank, row in enumerate(data["ranking"], start=1):
        for col, (_label, key) in enumerate(RANKING_HEADERS):
            write_cell(sheet, rank + 1, col, ranking_cell(row, key, rank))
    sheet = workbook.add_worksheet(_("表彰与诫勉"))
    sheet.write_row(0, 0, [_("类别"), _("对象"), _("单位"), _("说明")], bold)
    line = 1
    for item in data["commendations"]:
        for col, value in enumerate([item["kind"], item["name"], item["region"], item["reason"]]):
            sheet.write_string(line, col, value)
        line += 1
    for item in data["admonitions"]:
        for col, value in enumerate([_("诫勉谈话"), item["person"], item["region"], item["state"]]):
            sheet.write_string(line, col, value)
        line += 1
    for section in data.get("sections", []):
        sheet = workbook.add_worksheet(section["title"][:31])
        sheet.write_row(0, 0, section["headers"], bold)
        for line, values in enumerate(section["rows"], start=1):
            for col, value in enumerate(values):
                sheet.write_string(line, col, value)
        if section["note"]:
            sheet.write_string(len(section["rows"]) + 2, 0, section["note"])
    sheet = workbook.add_worksheet(_("贫困党员明细"))
    headers = [_("档案编号"), _("姓名"), _("县区"), _("乡镇（街道）"), _("村（社区）"), _("脱贫状态"), _("帮扶类别")]
    sheet.write_row(0, 0, headers, bold)
    for line, (number, name, county, township, village, status, track) in enumerate(rows, start=1):
        sheet.write_string(line, 0, number)
        sheet.write_string(line, 1, name)
        sheet.write_string(line, 2, county)
        sheet.write_string(line, 3, township)
        sheet.write_string(line, 4, village)
        sheet.write_string(line, 5, str(STATUS_LABELS.get(status, status)))
        sheet.write_string(line, 6, str(TRACK_LABELS.get(track, track)))
    workbook.close()


def _remove_leftovers(directory: Path) -> None:
    for leftover in directory.glob("*.part"):
        leftover.unlink(missing_ok=True)


def claim(job_id: int, *, count: bool = True) -> BulletinJob | None:
    """Take the job for this run, or None when there is nothing to do.

    A finished job is left alone (a redelivered message after success); a job that has
    been started MAX_ATTEMPTS times is marked failed instead of being run again (a
    poison task must not loop). ``count=False``: the step that only splits the work
    (reports.tasks) marks the job running without counting a start.
    """
    with transaction.atomic():
        job = BulletinJob.objects.select_for_update().select_related("region").filter(pk=job_id).first()
        if job is None or job.state in (BulletinState.DONE, BulletinState.FAILED):
            return None
        if job.attempts >= BulletinJob.MAX_ATTEMPTS:
            job.state = BulletinState.FAILED
            job.message = _("已尝试%(n)s次仍未完成，已停止。请检查后重新生成。") % {"n": job.attempts}
            job.finished_at = timezone.now()
            job.save()
            return None
        job.attempts += int(count)
        job.state = BulletinState.RUNNING
        job.started_at = timezone.now()
        job.progress, job.progress_note = 0, _("开始生成")
        job.save()
    return job


def run(job: BulletinJob, rows=None, parts=None) -> BulletinJob:
    """Produce the bulletin of a claimed job: content, then both files, then done.

    ``rows`` are the detail sheet's rows when the counties' parts were prepared by other
    workers (reports.tasks); by default they are read here. ``parts`` is kept in the summary.
    """
    region, year = job.region, job.year
    _progress(job, 10, _("正在汇总数据"))
    with transaction.atomic():
        data = content(job)
    docx_name = bulletin_path(year, region.code, "docx")
    xlsx_name = bulletin_path(year, region.code, "xlsx")
    directory = media_path(docx_name).parent
    directory.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(directory)
    token = uuid.uuid4().hex
    docx_part = media_path(f"{docx_name}.{token}.part")
    xlsx_part = media_path(f"{xlsx_name}.{token}.part")
    _progress(job, 30, _("正在生成 Word 文件"))
    write_docx(data, docx_part)
    _progress(job, 50, _("正在生成 Excel 文件"))
    if rows is None:
        rows = member_rows(Member.objects.filter(**{selectors.MEMBER_KEY[region.level]: region}))
    write_xlsx(data, rows, xlsx_part)
    if parts is not None:
        data["parts"] = parts
    _progress(job, 95, _("正在保存"))
    os.replace(docx_part, media_path(docx_name))
    os.replace(xlsx_part, media_path(xlsx_name))
    BulletinJob.objects.filter(pk=job.pk).update(
        state=BulletinState.DONE,
        progress=100,
        progress_note=_("已完成"),
        docx=docx_name,
        xlsx=xlsx_name,
        summary=data,
        message="",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def fail(job_id: int, error: Exception) -> None:
    BulletinJob.objects.filter(pk=job_id).update(
        state=BulletinState.FAILED,
        message=_("生成失败：%(error)s") % {"error": error},
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
