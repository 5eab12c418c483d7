from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.forms import MaskedIdNumberMixin
from organization.choices import RegionLevel
from organization.forms import ScopedModelForm, bootstrapify
from organization.models import User

from .choices import ReferralStatus
from .models import (
    CentreService,
    Difficulty,
    Enterprise,
    EnterpriseSupport,
    LeadingCadre,
    Mentor,
    MentorOutcome,
    MentorPair,
    Pairing,
    PoorResident,
    UrbanCentre,
    VisitNote,
    VisitPolicy,
    WorkTeam,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def member_choices(field, user=None):
    """Members by name and village, so two people of the same name can be told apart."""
    field.queryset = field.queryset.select_related("village").only("id", "name", "file_number", "village__name")
    field.queryset = field.queryset.order_by("name", "file_number")
    field.label_from_instance = lambda member: f"{member.name}（{member.village.name}）"
    field.error_messages["invalid_choice"] = _("该党员不在您的帮扶或管辖范围内，请从列表中选择。")


def region_choices(field, level=None):
    queryset = field.queryset.only("id", "full_name").order_by("path")
    if level:
        queryset = queryset.filter(level=level)
    field.queryset = queryset
    field.label_from_instance = lambda region: region.full_name


class AssistanceForm(ScopedModelForm):
    @property
    def service_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name in self._meta.fields}


# --- helpers ------------------------------------------------------------------------------


class HelperForm(AssistanceForm):
    """Common to the four kinds: the accounts that act for the helper."""

    account_role = None
    accounts = forms.ModelMultipleChoiceField(
        label=_("系统账号"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region_choices(self.fields["region"])
        users = User.objects.visible_to(self.user).filter(role=self.account_role, is_active=True).order_by("username")
        self.fields["accounts"].queryset = users
        self.fields["accounts"].help_text = _("按住 Ctrl 可多选；只列出该角色的账号。")
        if self.instance.pk:
            self.initial["accounts"] = list(self.instance.accounts.values_list("pk", flat=True))
        bootstrapify(self)

    @property
    def service_fields(self) -> dict:
        fields = super().service_fields
        fields["accounts"] = self.cleaned_data.get("accounts", [])
        return fields


class WorkTeamForm(HelperForm):
    account_role = "work_team"

    class Meta:
        model = WorkTeam
        fields = ["name", "sending_unit", "captain", "region", "villages", "starts_on", "ends_on", "phone", "is_active"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "villages": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region_choices(self.fields["villages"], RegionLevel.VILLAGE)

    @property
    def service_fields(self) -> dict:
        fields = super().service_fields
        fields["villages"] = fields.pop("villages", [])
        return fields


class LeadingCadreForm(HelperForm):
    account_role = "cadre"

    class Meta:
        model = LeadingCadre
        fields = ["name", "level", "unit", "post", "region", "phone", "is_active"]


class EnterpriseForm(HelperForm):
    account_role = "enterprise"

    class Meta:
        model = Enterprise
        fields = ["name", "enterprise_kind", "contact_person", "phone", "region", "support_plan", "is_active"]
        widgets = {"support_plan": forms.Textarea(attrs={"rows": 3})}


class UrbanCentreForm(HelperForm):
    account_role = "urban_centre"

    class Meta:
        model = UrbanCentre
        fields = ["name", "address", "phone", "region", "is_active"]


# --- pairings, policy ---------------------------------------------------------------------


class PairingForm(AssistanceForm):
    class Meta:
        model = Pairing
        fields = ["member", "helper", "starts_on", "ends_on", "reason", "is_key_target"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        member_choices(self.fields["member"])
        self.fields["helper"].queryset = self.fields["helper"].queryset.filter(is_active=True)

    def validate_unique(self):
        """pairing_save says what overlaps, in Chinese."""


class VisitPolicyForm(AssistanceForm):
    class Meta:
        model = VisitPolicy
        fields = ["kind", "every_days"]

    def validate_unique(self):
        """visit_policy_set replaces the kind's setting."""


# --- visit notes --------------------------------------------------------------------------


class VisitNoteForm(AssistanceForm):
    """The phone form: one column, today's date, the helper's own members."""

    class Meta:
        model = VisitNote
        fields = ["member", "helper", "visited_on", "findings", "needs", "actions", "photo"]
        widgets = {
            "visited_on": DATE,
            "findings": forms.Textarea(attrs={"rows": 3}),
            "needs": forms.Textarea(attrs={"rows": 2}),
            "actions": forms.Textarea(attrs={"rows": 2}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        }
        help_texts = {"photo": _("可选；JPG 或 PNG，不超过 5 MB。")}

    def __init__(self, *args, default_helper=None, **kwargs):
        super().__init__(*args, **kwargs)
        member_choices(self.fields["member"])
        helpers = self.fields["helper"].queryset.filter(is_active=True)
        self.fields["helper"].queryset = helpers
        if default_helper is not None:
            self.fields["helper"].initial = default_helper.pk
            if self.instance.pk is None and len(helpers) <= 1:
                # A helper account writes as its own helper: one choice is no choice.
                self.fields["helper"].widget = forms.HiddenInput()
        if self.instance.pk is None:
            self.fields["visited_on"].initial = timezone.localdate()
        self.fields["visited_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["member"].empty_label = _("请选择走访对象")


# --- difficulties -------------------------------------------------------------------------


class DifficultyForm(AssistanceForm):
    class Meta:
        model = Difficulty
        fields = ["member", "visit", "kind", "description", "coordinator", "deadline"]
        widgets = {"deadline": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        member_choices(self.fields["member"])
        # Recent visits only: a difficulty is raised soon after the visit that found it.
        since = timezone.localdate() - timedelta(days=180)
        visits = self.fields["visit"].queryset.filter(visited_on__gte=since).select_related("member")
        self.fields["visit"].queryset = visits.order_by("-visited_on")
        self.fields["visit"].required = False


class DifficultyUpdateForm(AssistanceForm):
    class Meta:
        model = Difficulty
        fields = ["status", "coordinator", "deadline", "resolution", "resolved_on"]
        widgets = {"deadline": DATE, "resolved_on": DATE, "resolution": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"resolved_on": _("标记为已解决时不填则为今天。")}

    def clean(self):
        cleaned = super().clean()
        # As difficulty_update does, so that the model's own check passes before the service runs.
        if cleaned.get("status") == "resolved" and not cleaned.get("resolved_on"):
            cleaned["resolved_on"] = timezone.localdate()
        return cleaned


# --- support and services -----------------------------------------------------------------


class EnterpriseSupportForm(AssistanceForm):
    class Meta:
        model = EnterpriseSupport
        fields = ["member", "enterprise", "kind", "description", "value", "given_on"]
        widgets = {"given_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        member_choices(self.fields["member"])


class CentreServiceForm(AssistanceForm):
    class Meta:
        model = CentreService
        fields = ["member", "centre", "kind", "description", "started_on", "employer", "post", "value", "outcome"]
        fields += ["outcome_note"]
        widgets = {"started_on": DATE}
        help_texts = {"employer": _("推荐就业必填"), "post": _("推荐就业必填")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        member_choices(self.fields["member"])


# --- welfare referral ---------------------------------------------------------------------


class WelfareReferralForm(forms.Form):
    member = forms.ModelChoiceField(label=_("贫困党员"), queryset=None)
    referred_on = forms.DateField(label=_("转介日期"), widget=DATE, required=False)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        from members.models import Member

        self.fields["member"].queryset = Member.objects.visible_to(user).exclude(track="demonstration")
        member_choices(self.fields["member"])
        self.fields["member"].help_text = _(
            "只列出社会救济类别（或待判定）的党员；农村转五保供养，城市转最低生活保障。"
        )
        self.fields["member"].error_messages["invalid_choice"] = _(
            "只能为社会救济类别的党员转介；脱困示范行动对象不能转介社会救济。"
        )
        self.fields["referred_on"].initial = timezone.localdate()
        bootstrapify(self)


class ReferralConfirmForm(forms.Form):
    referred_on = forms.DateField(label=_("转介日期"), widget=DATE, required=False)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred_on"].initial = timezone.localdate()
        bootstrapify(self)


class ReferralDismissForm(forms.Form):
    note = forms.CharField(label=_("不予转介的理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class ReferralOutcomeForm(forms.Form):
    enrolled = forms.TypedChoiceField(
        label=_("审批结果"),
        choices=[("1", ReferralStatus.ENROLLED.label), ("0", ReferralStatus.REFUSED.label)],
        coerce=lambda value: value == "1",
    )
    decided_on = forms.DateField(label=_("审批日期"), widget=DATE, required=False)
    benefit = forms.DecimalField(
        label=_("救助金额（元/月）"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


# --- phase 2 ------------------------------------------------------------------------------


class MentorForm(AssistanceForm):
    class Meta:
        model = Mentor
        fields = ["member", "designated_on", "reason"]
        widgets = {"designated_on": DATE, "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = self.fields["member"].queryset.exclude(status="poor")
        member_choices(self.fields["member"])
        self.fields["member"].help_text = _("只列出已脱贫或小康的党员。")

    def validate_unique(self):
        """mentor_designate names the member who is a mentor already."""


class PoorResidentForm(MaskedIdNumberMixin, AssistanceForm):
    class Meta:
        model = PoorResident
        fields = ["name", "id_number", "village", "household_size", "income_per_head", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region_choices(self.fields["village"], RegionLevel.VILLAGE)
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "maxlength": 24})
        self.fields["id_number"].max_length = 24  # spaces and full-width digits are normalized
        self.fields["id_number"].validators = []
        self.mask_stored_id_number()

    def validate_unique(self):
        """poor_resident_save says who holds the number."""


class MentorPairForm(AssistanceForm):
    class Meta:
        model = MentorPair
        fields = ["mentor", "resident", "starts_on", "goal"]
        widgets = {"starts_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = self.fields["mentor"].queryset.filter(is_active=True).select_related("member")
        self.fields["resident"].queryset = self.fields["resident"].queryset.select_related("village")
        self.fields["resident"].label_from_instance = lambda r: f"{r.name}（{r.village.name}）"


class MentorOutcomeForm(AssistanceForm):
    class Meta:
        model = MentorOutcome
        fields = ["year", "income_per_head", "out_of_poverty", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year

    def validate_unique(self):
        """mentor_outcome_record corrects the year's record."""
