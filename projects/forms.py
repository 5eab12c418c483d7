from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.choices import Track
from organization.forms import ScopedModelForm, bootstrapify

from .choices import ParticipantRole, ProjectStatus, ReviewConclusion
from .models import IncomeProject, ProgressReport, ProjectSupport

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 14, "decimal_places": 2}


def money_fields(form, *names, positive=True) -> None:
    """Amounts in yuan: the same messages as the service (more than zero, at most fen)."""
    for name in names:
        field = form.fields[name]
        field.error_messages["max_decimal_places"] = _("金额最多精确到分（小数点后两位）。")
        field.error_messages["invalid"] = _("请输入有效的金额（元）。")
        field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator)]
        if positive:
            field.validators.append(MinValueValidator(Decimal("0.01"), _("金额必须大于零。")))
        else:
            field.validators.append(MinValueValidator(Decimal("0"), _("金额不能为负数。")))


class PlainForm(forms.Form):
    """A form that is not a model's, accepting the arguments the edit views pass."""

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        bootstrapify(self)


class ProjectForm(ScopedModelForm):
    """Propose a project; on an existing project, change the proposal (member fixed)."""

    class Meta:
        model = IncomeProject
        fields = ["member", "direction", "title", "description", "budget", "expected_income", "proposed_on"]
        widgets = {"proposed_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"description": _("做什么、规模多大、在哪里、需要哪些技术和设备。")}

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        if self.instance.pk or member is not None:
            del self.fields["member"]
        else:
            # Projects are for members in the demonstration action (脱困示范行动).
            field.queryset = field.queryset.filter(track=Track.DEMONSTRATION).only("id", "name", "file_number")
            field.queryset = field.queryset.order_by("name")
        self.fields["proposed_on"].initial = timezone.localdate()
        money_fields(self, "budget", "expected_income")


def _lines(text: str, role: str) -> list[dict]:
    """One person a line: "姓名 单位" (the unit after the first space is optional)."""
    people = []
    for line in (text or "").splitlines():
        name, _sep, unit = line.strip().replace("\u3000", " ").partition(" ")
        if name:
            people.append({"role": role, "name": name, "unit": unit.strip()})
    return people


class ReviewForm(PlainForm):
    reviewed_on = forms.DateField(label=_("论证日期"), widget=DATE)
    work_team = forms.CharField(
        label=_("驻村工作队参加人"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一人：姓名，可在空格后写单位或职务。"),
    )
    experts = forms.CharField(
        label=_("参加论证的专家"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一人：姓名 单位，如“刘明 市农科院”。"),
    )
    others = forms.CharField(
        label=_("其他参加人（组织部门、村党组织等）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    conclusion = forms.ChoiceField(label=_("论证结论"), choices=ReviewConclusion.choices)
    opinion = forms.CharField(label=_("论证意见"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()
        if self.user is not None and self.user.role == "work_team":
            self.fields["work_team"].initial = self.user.display_name

    @property
    def service_fields(self) -> dict:
        data = self.cleaned_data
        participants = (
            _lines(data.get("work_team"), ParticipantRole.WORK_TEAM)
            + _lines(data.get("experts"), ParticipantRole.EXPERT)
            + _lines(data.get("others"), ParticipantRole.OTHER)
        )
        return {
            "reviewed_on": data["reviewed_on"],
            "conclusion": data["conclusion"],
            "opinion": data["opinion"],
            "participants": participants,
        }


class ApproveForm(PlainForm):
    decided_on = forms.DateField(label=_("审批日期"), widget=DATE)
    note = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class RefuseForm(PlainForm):
    decided_on = forms.DateField(label=_("审批日期"), widget=DATE)
    # Blank passes the form so that the service's own message says why a reason is needed.
    reason = forms.CharField(label=_("不予批准的理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class StartForm(PlainForm):
    started_on = forms.DateField(label=_("开工日期"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_on"].initial = timezone.localdate()


class SupportForm(ScopedModelForm):
    class Meta:
        model = ProjectSupport
        fields = ["kind", "giver_kind", "giver_name", "value", "given_on", "description"]
        widgets = {"given_on": DATE}

    def __init__(self, *args, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate()
        money_fields(self, "value")


class ProgressForm(ScopedModelForm):
    class Meta:
        model = ProgressReport
        fields = ["reported_on", "text", "income_to_date"]
        widgets = {"reported_on": DATE, "text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()
        money_fields(self, "income_to_date", positive=False)


class CloseForm(PlainForm):
    outcome = forms.ChoiceField(
        label=_("结项结果"),
        choices=[(ProjectStatus.CLOSED, _("完成结项")), (ProjectStatus.FAILED, _("项目失败"))],
    )
    closed_on = forms.DateField(label=_("结项日期"), widget=DATE)
    income_earned = forms.DecimalField(label=_("实际年收入（元）"), required=False, **MONEY)
    jobs_created = forms.IntegerField(label=_("带动就业（人）"), required=False)
    failure_reason = forms.CharField(
        label=_("失败原因"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("项目失败时必填。")
    )
    note = forms.CharField(label=_("结项说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()
        money_fields(self, "income_earned", positive=False)
