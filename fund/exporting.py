"""The ledger as an Excel workbook: scoped by the caller, every text cell formula-escaped."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from members.exporting import escape_formula

from .choices import Account, EntryKind, Source

COLUMNS = (
    (gettext_lazy("日期"), "date"),
    (gettext_lazy("基金"), "fund"),
    (gettext_lazy("类型"), "kind"),
    (gettext_lazy("资金来源"), "source"),
    (gettext_lazy("科目"), "account"),
    (gettext_lazy("金额（元）"), "amount"),
    (gettext_lazy("凭证号/摘要"), "reference"),
    (gettext_lazy("捐款人"), "donor_name"),
    (gettext_lazy("预算文件文号"), "budget_document"),
    (gettext_lazy("冲正的分录"), "reverses"),
    (gettext_lazy("记账人"), "created_by"),
    (gettext_lazy("记账时间"), "created_at"),
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
