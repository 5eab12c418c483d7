import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Member
from organization.choices import RegionLevel
from organization.forms import ScopedModelForm, bootstrapify

from . import services
from .choices import SEAT_STATUSES, BatchStatus, Grade
from .models import (
    BaseVisit,
    BatchBudgetItem,
    CurriculumTopic,
    Expert,
    ExpertService,
    PracticeBase,
    TrainingBatch,
    TrainingSession,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _regions(field, *levels):
    field.queryset = field.queryset.filter(level__in=levels).only("id", "full_name").order_by("path")
    field.label_from_instance = lambda region: region.full_name


def apply_check(form, check, *names) -> None:
    """Run a service's check on cleaned values; its messages land on their fields (and the
    model's constraint on those fields is then not reported a second time)."""
    values = [form.cleaned_data.get(name) for name in names]
    try:
        check(*values)
    except forms.ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)


class PlainForm(forms.Form):
    """A form that is not a model's, with the signature ObjectEditView gives."""

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.instance = user, instance
        bootstrapify(self)


class BatchForm(ScopedModelForm):
    class Meta:
        model = TrainingBatch
        fields = services.BATCH_FIELDS
        widgets = {"start_date": DATE, "end_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Region choices are already the user's subtree (ScopedModelForm): a batch is run
        # in one's own jurisdiction, never above it.
        region = self.fields["region"]
        _regions(region, RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
        if self.instance.pk is None and self.user.region:
            region.initial = self.user.region.pk

    def clean(self):
        cleaned = super().clean()
        apply_check(self, services.check_batch_dates, "start_date", "end_date")
        return cleaned

    def validate_unique(self):
        """The service checks (the model's constraints, with their Chinese messages)."""


class BatchAdvanceForm(PlainForm):
    to_status = forms.ChoiceField(label=_("改为"), choices=BatchStatus.choices)


class TopicForm(ScopedModelForm):
    class Meta:
        model = CurriculumTopic
        fields = ["title", "direction", "hours", "expert"]


class SessionForm(ScopedModelForm):
    class Meta:
        model = TrainingSession
        fields = ["held_on", "topic", "title"]
        widgets = {"held_on": DATE}

    def __init__(self, *args, batch=None, **kwargs):
        super().__init__(*args, **kwargs)
        batch = batch or self.instance.batch
        self.fields["topic"].queryset = self.fields["topic"].queryset.filter(batch=batch)
        if self.instance.pk is None:
            self.fields["held_on"].initial = batch.start_date


class BudgetItemForm(ScopedModelForm):
    class Meta:
        model = BatchBudgetItem
        fields = ["category", "item", "amount", "spent_on", "voucher"]
        widgets = {"spent_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs["inputmode"] = "decimal"
        self.fields["amount"].validators = []  # the service's message instead of a bare minimum
        if self.instance.pk is None:
            self.fields["spent_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        apply_check(self, services.check_amount, "amount")
        return cleaned


class RecommendForm(PlainForm):
    """Several members at once: a work team ticks names on a phone."""

    members = forms.ModelMultipleChoiceField(
        label=_("推荐的党员"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少勾选一名党员。")},
    )
    reason = forms.CharField(label=_("推荐理由"), max_length=255, required=False)

    def __init__(self, *args, batch=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import recommendable_members

        field = self.fields["members"]
        field.queryset = recommendable_members(user=self.user, batch=batch)
        field.label_from_instance = lambda member: f"{member.name}（{member.village.name}）"


class NoteForm(PlainForm):
    note = forms.CharField(label=_("原因"), max_length=255, widget=forms.TextInput)


class AssessForm(PlainForm):
    grade = forms.ChoiceField(label=_("考核等次"), choices=Grade.choices)
    score = forms.DecimalField(
        label=_("考核成绩"), max_digits=4, decimal_places=1, required=False, min_value=0, max_value=100
    )
    certificate_number = forms.CharField(label=_("结业证书编号"), max_length=32, required=False)
    completed_on = forms.DateField(label=_("结业日期"), widget=DATE, required=False)


class ExpertForm(ScopedModelForm):
    class Meta:
        model = Expert
        fields = services.EXPERT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _regions(self.fields["region"], RegionLevel.CITY, RegionLevel.COUNTY)
        account = self.fields["account"]
        account.queryset = account.queryset.filter(role="expert").order_by("username")
        if self.instance.pk is None and self.user.region:
            self.fields["region"].initial = self.user.region.pk


MEMBER_SEPARATORS = re.compile(r"[,，、;；\s]+")
FILE_NUMBER = re.compile(r"\d{6}-\d{5}")


class MemberPickerMixin:
    """Members typed by name or file number (档案编号), not picked from a list of every
    member in the jurisdiction (a city has thousands): a name that matches one person is
    enough, a shared name asks for the file number. "The batch's trainees" adds a roster."""

    def add_member_fields(self, *, label):
        self.fields["members"] = forms.CharField(
            label=label,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
            help_text=_("填写姓名或档案编号，多人用逗号、顿号或换行分隔；重名的请填档案编号。"),
        )
        self.fields["whole_batch"] = forms.BooleanField(
            label=_("包括所属培训班的全部录取学员"), required=False, widget=forms.CheckboxInput
        )
        self.fields["whole_batch"].widget.attrs["class"] = "form-check-input"
        if self.instance.pk is not None and not self.is_bound:
            self.initial["members"] = "、".join(
                f"{m.name}（{m.file_number}）" for m in self.instance.members.visible_to(self.user).order_by("name")
            )

    def clean_members(self):
        text = self.cleaned_data.get("members") or ""
        tokens = [token for token in MEMBER_SEPARATORS.split(text) if token]
        numbers, names = [], []
        for token in tokens:
            match = FILE_NUMBER.search(token)
            (numbers if match else names).append(match.group(0) if match else token)
        visible = Member.objects.visible_to(self.user)
        found = {m.file_number: m for m in visible.filter(file_number__in=numbers)}
        by_name = {}
        for member in visible.filter(name__in=names).only("id", "name", "file_number"):
            by_name.setdefault(member.name, []).append(member)
        errors, members = [], []
        for number in numbers:
            if number in found:
                members.append(found[number])
            else:
                errors.append(_("找不到档案编号 %(number)s（或不在您的管辖范围内）。") % {"number": number})
        for name in names:
            matches = by_name.get(name, [])
            if len(matches) == 1:
                members.append(matches[0])
            elif matches:
                numbers_text = "、".join(m.file_number for m in matches)
                errors.append(
                    _("%(name)s有%(count)s人重名（%(numbers)s），请改填档案编号。")
                    % {"name": name, "count": len(matches), "numbers": numbers_text}
                )
            else:
                errors.append(_("找不到名为“%(name)s”的党员（或不在您的管辖范围内）。") % {"name": name})
        if errors:
            raise forms.ValidationError(errors)
        return list({member.pk: member for member in members}.values())

    def add_batch_roster(self, cleaned):
        batch = cleaned.get("batch")
        if not cleaned.get("whole_batch"):
            return
        if batch is None:
            self.add_error("whole_batch", _("请先选择所属培训班。"))
            return
        from .selectors import batch_roster

        roster = batch_roster(user=self.user, batch=batch).filter(status__in=SEAT_STATUSES)
        members = {m.pk: m for m in cleaned.get("members") or []}
        for enrolment in roster:
            members.setdefault(enrolment.member_id, enrolment.member)
        cleaned["members"] = list(members.values())


class ExpertServiceForm(MemberPickerMixin, ScopedModelForm):
    class Meta:
        model = ExpertService
        fields = ["expert", "kind", "served_on", "place", "content", "batch", "follow_up_due"]
        widgets = {"served_on": DATE, "follow_up_due": DATE, "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_member_fields(label=_("服务对象"))
        if self.user.role == "expert":
            self.fields["expert"].queryset = self.fields["expert"].queryset.filter(account=self.user)
            own = self.fields["expert"].queryset.first()
            if own is not None:
                self.fields["expert"].initial = own.pk
        if self.instance.pk is None:
            self.fields["served_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        apply_check(self, services.check_follow_up_due, "served_on", "follow_up_due")
        self.add_batch_roster(cleaned)
        return cleaned


class FollowUpForm(PlainForm):
    done_on = forms.DateField(label=_("回访日期"), widget=DATE, required=False)
    note = forms.CharField(label=_("回访情况"), widget=forms.Textarea(attrs={"rows": 3}))


class PracticeBaseForm(ScopedModelForm):
    class Meta:
        model = PracticeBase
        fields = services.BASE_FIELDS
        widgets = {"plaque_date": DATE, "learnable": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _regions(self.fields["region"], RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)

    def validate_unique(self):
        """The service checks."""


class BaseVisitForm(MemberPickerMixin, ScopedModelForm):
    class Meta:
        model = BaseVisit
        fields = ["base", "visited_on", "batch", "content"]
        widgets = {"visited_on": DATE, "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_member_fields(label=_("参加人员"))
        if self.instance.pk is None:
            self.fields["visited_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        self.add_batch_roster(cleaned)
        return cleaned
