from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organization.choices import RegionLevel
from organization.forms import ScopedModelForm, bootstrapify

from . import idnumbers
from .choices import Track
from .models import HouseholdMember, IncomeCheck, IncomeThreshold, Member, Objection, PovertyExitPlan
from .services import MEMBER_INPUT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MaskedIdNumberMixin:
    """A saved record's ID number shows masked on its edit form, as on every other page:
    changing a file is no reason to see the full number (the logged reveal is). Sent back
    as it was shown, the stored number is kept; a full number typed in replaces it."""

    _stored_id_number = ""

    def mask_stored_id_number(self) -> None:
        self._stored_id_number = self.instance.id_number if self.instance.pk else ""
        if self._stored_id_number:
            self.initial["id_number"] = idnumbers.mask(self._stored_id_number)
            self.fields["id_number"].help_text = _("显示为脱敏号码，不改则保留原号码；更正时请输入完整的新号码。")

    def clean_id_number(self):
        value = (self.cleaned_data.get("id_number") or "").strip()
        stored = self._stored_id_number
        if stored and value == idnumbers.mask(stored):
            return stored
        if "*" in value:
            raise ValidationError(_("请输入完整的身份证号码，不能带*号；不需要更正时保持原样即可。"), code="masked")
        if not value and not self.fields["id_number"].required:
            return ""  # a household member's number may be left out
        # The same check the service makes, so that every field's error shows at once.
        return idnumbers.validate(value)


class MemberForm(MaskedIdNumberMixin, ScopedModelForm):
    confirm_not_duplicate = forms.BooleanField(
        label=_("我已核对，以上疑似重复的档案不是同一人"), required=False, widget=forms.CheckboxInput
    )

    class Meta:
        model = Member
        fields = MEMBER_INPUT_FIELDS
        widgets = {"joined_party_on": DATE, "registered_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "id_number": _("18位，出生日期和性别由号码自动得出；旧的15位号码会自动升为18位。"),
            "has_living_source": _("60岁以上且无生活来源的，按政策转社会救济。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        village = self.fields["village"]
        village.queryset = village.queryset.filter(level=RegionLevel.VILLAGE).only("id", "full_name").order_by("path")
        village.label_from_instance = lambda region: region.full_name
        self.fields["party_organization"].queryset = self.fields["party_organization"].queryset.only("id", "name")
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "inputmode": "text", "maxlength": 20})
        self.mask_stored_id_number()
        # The duplicate confirmation shows only once possible duplicates were found.
        self.fields["confirm_not_duplicate"].widget = forms.HiddenInput()

    def validate_unique(self):
        """The service refuses a second file for the same person, naming the first."""

    def offer_duplicate_confirmation(self):
        field = self.fields["confirm_not_duplicate"]
        field.widget = forms.CheckboxInput(attrs={"class": "form-check-input"})

    @property
    def service_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name in MEMBER_INPUT_FIELDS}


class TrackDecisionForm(forms.Form):
    track = forms.ChoiceField(
        label=_("决定的帮扶类别"),
        choices=[(Track.DEMONSTRATION, Track.DEMONSTRATION.label), (Track.RELIEF, Track.RELIEF.label)],
    )
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class PlanForm(ScopedModelForm):
    class Meta:
        model = PovertyExitPlan
        fields = ["direction", "project", "measures", "income_target", "target_year", "responsible_person"]
        widgets = {"measures": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        kwargs.pop("instance", None)  # a plan is never edited: a new one supersedes it
        super().__init__(*args, **kwargs)
        self.fields["target_year"].initial = timezone.localdate().year + 1


class IncomeCheckForm(ScopedModelForm):
    class Meta:
        model = IncomeCheck
        fields = ["year", "income_per_head", "checked_on", "note"]
        widgets = {"checked_on": DATE}

    def __init__(self, *args, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["checked_on"].initial = timezone.localdate()

    def validate_unique(self):
        """A second check of the same year corrects the first (the service updates it)."""


class HouseholdMemberForm(MaskedIdNumberMixin, ScopedModelForm):
    class Meta:
        model = HouseholdMember
        fields = ["relation", "name", "id_number", "health", "labour_capacity", "schooling"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mask_stored_id_number()


class ObjectionForm(ScopedModelForm):
    class Meta:
        model = Objection
        fields = ["raised_by", "raised_on", "content"]
        widgets = {"raised_on": DATE, "content": forms.Textarea(attrs={"rows": 3})}


class DecisionNoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class ObjectionResolutionForm(forms.Form):
    resolution = forms.CharField(label=_("核实处理情况"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class ThresholdForm(ScopedModelForm):
    class Meta:
        model = IncomeThreshold
        fields = ["year", "out_of_poverty", "well_off", "notice_days"]

    def validate_unique(self):
        """Setting a year again changes it (the service updates the existing row)."""


class RevealForm(forms.Form):
    purpose = forms.CharField(label=_("查看用途"), max_length=64, required=False)
