"""The ledger as an Excel workbook: scoped by the caller, every text cell formula-escaped."""

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from members.exporting import escape_formula

from .choices import Account, EntryKind, Source

COLUMNS = (
    (_("日期"), "date"),
    (_("基金"), "fund"),
    (_("类型"), "kind"),
    (_("资金来源"), "source"),
    (_("科目"), "account"),
    (_("金额（元）"), "amount"),
    (_("凭证号/摘要"), "reference"),
    (_("捐款人"), "donor_name"),
    (_("预算文件文号"), "budget_document"),
    (_("冲正的分录"), "reverses"),
    (_("记账人"), "created_by"),
    (_("记账时间"), "created_at"),
)


def write_ledger(queryset, *, user, destination) -> int:
    """Write the entries of ``queryset`` (already scoped and filtered) to ``destination``."""
    kinds, sources, accounts = dict(EntryKind.choices), dict(Source.choices), dict(Account.choices)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("基金台账"))
    title = WriteOnlyCell(sheet, value=escape_formula(_("贫困党员脱困基金台账")))
    title.font = Font(size=14, bold=True)
    sheet.append([title])
    sheet.append(
        [escape_formula(_("导出日期：%(day)s    导出人：%(user)s") % {"day": timezone.localdate(), "user": user})]
    )
    sheet.append([str(header) for header, _key in COLUMNS])
    count = 0
    for entry in queryset.select_related("fund", "created_by").iterator(chunk_size=2000):
        amount = WriteOnlyCell(sheet, value=entry.amount)
        amount.number_format = "#,##0.00"
        row = {
            "date": entry.date,
            "fund": entry.fund.name,
            "kind": str(kinds.get(entry.kind, entry.kind)),
            "source": str(sources.get(entry.source, entry.source)),
            "account": str(accounts.get(entry.account, entry.account)),
            "amount": amount,
            "reference": entry.reference,
            "donor_name": entry.donor_name,
            "budget_document": entry.budget_document,
            "reverses": entry.reverses_id,
            "created_by": str(entry.created_by),
            "created_at": timezone.localtime(entry.created_at).replace(tzinfo=None),
        }
        sheet.append([escape_formula(row[key]) for _header, key in COLUMNS])
        count += 1
    workbook.save(destination)
    return count
