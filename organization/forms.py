from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import PartyOrganization


def bootstrapify(form) -> None:
    """Give every widget Bootstrap's class, so templates can render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple) and not isinstance(widget, forms.RadioSelect):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class ScopedModelForm(forms.ModelForm):
    """A ModelForm whose choice fields offer only what the user may see (NetBox's
    restrict_form_fields): a county clerk cannot even pick another county's village."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(user)
        bootstrapify(self)

    @property
    def service_fields(self) -> dict:
        """The cleaned data of the model's own fields, ready for a service call."""
        return {name: value for name, value in self.cleaned_data.items() if name in self._meta.fields}


class PartyOrganizationForm(ScopedModelForm):
    class Meta:
        model = PartyOrganization
        fields = ["name", "kind", "region", "parent", "leader_name", "leader_post", "leader_phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = self.fields["region"].queryset.only("id", "full_name").order_by("path")
        self.fields["region"].label_from_instance = lambda region: region.full_name
        self.fields["parent"].queryset = self.fields["parent"].queryset.only("id", "name")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。请注意密码区分大小写。"),
        "inactive": _("该账号已停用，请联系管理员。"),
    }
