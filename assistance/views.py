"""Pages of the assistance area; thin: parse, call a service or selector, render."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import idnumbers
from members.views import RevealIdView
from organization.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    add_service_errors,
)
from organization.scoping import permission_name

from . import selectors, services
from .choices import HelperKind, ReferralStatus
from .filtersets import (
    CentreServiceFilterSet,
    DifficultyFilterSet,
    EnterpriseSupportFilterSet,
    HelperFilterSet,
    MentorFilterSet,
    MentorPairFilterSet,
    PairingFilterSet,
    PoorResidentFilterSet,
    PoorResidentIdRevealFilterSet,
    VisitNoteFilterSet,
    WelfareReferralFilterSet,
)
from .forms import (
    CentreServiceForm,
    DifficultyForm,
    DifficultyUpdateForm,
    EnterpriseForm,
    EnterpriseSupportForm,
    LeadingCadreForm,
    MentorForm,
    MentorOutcomeForm,
    MentorPairForm,
    PairingForm,
    PoorResidentForm,
    ReferralConfirmForm,
    ReferralDismissForm,
    ReferralOutcomeForm,
    UrbanCentreForm,
    VisitNoteForm,
    VisitPolicyForm,
    WelfareReferralForm,
    WorkTeamForm,
)
from .models import (
    HELPER_ROLES,
    CentreService,
    Difficulty,
    Enterprise,
    EnterpriseSupport,
    Helper,
    LeadingCadre,
    Mentor,
    MentorOutcome,
    MentorPair,
    Pairing,
    PoorResident,
    PoorResidentIdReveal,
    UrbanCentre,
    VisitNote,
    VisitPolicy,
    WelfareReferral,
    WorkTeam,
)
from .tables import (
    CentreServiceTable,
    DifficultyTable,
    EnterpriseSupportTable,
    HelperTable,
    MentorPairTable,
    MentorTable,
    PairingTable,
    PoorResidentIdRevealTable,
    PoorResidentTable,
    VisitNoteTable,
    VisitPolicyTable,
    WelfareReferralTable,
)

# --- hooks: member file, home panel ---------------------------------------------------------


def member_file_section(request, member):
    """Helpers, visits, difficulties, support and referral on the member's file."""
    user = request.user
    if not user.has_perm("assistance.view_pairing"):
        return None
    section = selectors.member_assistance(user=user, member=member)
    section["template"] = "assistance/_member_file.html"
    section["can_add_visit"] = user.has_perm("assistance.add_visitnote")
    section["can_add_difficulty"] = user.has_perm("assistance.add_difficulty")
    section["can_add_pairing"] = user.has_perm("assistance.add_pairing")
    return section


def home_panel(request):
    """A helper's own members, the visits due and the open difficulties it coordinates."""
    user = request.user
    if user.role not in HELPER_ROLES or not user.has_perm("assistance.view_visitnote"):
        return None
    members = selectors.my_members(user=user)
    return {
        "template": "assistance/_home_panel.html",
        "members": members[:20],
        "member_count": len(members),
        "visits_due": [member for member in members if member.visit_overdue][:20],
        "difficulties": list(selectors.open_difficulties(user=user)[:20]),
        "can_add_visit": user.has_perm("assistance.add_visitnote"),
        # what this kind of helper records besides visits
        "can_add_support": user.has_perm("assistance.add_enterprisesupport"),
        "can_add_service": user.has_perm("assistance.add_centreservice"),
    }


# --- shared pieces ----------------------------------------------------------------------------


class DetailRowsMixin:
    """A detail page listing ``detail_fields`` as label and readable value."""

    template_name = "assistance/object_detail.html"
    detail_fields: tuple = ()
    edit_url_name = None
    history_url_name = None

    def rows(self, obj):
        rows = []
        for name in self.detail_fields:
            field = obj._meta.get_field(name)
            display = getattr(obj, f"get_{name}_display", None)
            value = display() if display else getattr(obj, name)
            if value is True:
                value = _("是")
            elif value is False:
                value = _("否")
            rows.append((field.verbose_name, value if value not in (None, "") else "—"))
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = self.rows(self.object)
        context["edit_url_name"] = self.edit_url_name
        context["history_url_name"] = self.history_url_name
        return context


class ServiceEditView(ObjectEditView):
    """``service`` is called with the actor, the form's fields and, when editing, ``record``."""

    record_argument = None

    def call_service(self, **fields):
        raise NotImplementedError

    def save(self, form):
        fields = form.service_fields
        if self.object is not None and self.record_argument:
            fields[self.record_argument] = self.object
        return self.call_service(**fields)


# --- helpers ----------------------------------------------------------------------------------


class AssistanceListView(ObjectListView):
    """A table on the desk, one card per record on a phone."""

    template_name = "assistance/object_list.html"


class HelperListView(AssistanceListView):
    queryset = Helper.objects.select_related("region")
    filterset_class = HelperFilterSet
    table_class = HelperTable
    template_name = "assistance/helper_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["add_links"] = [
            (model._meta.verbose_name, f"assistance:{model._meta.model_name}_add")
            for model in (WorkTeam, LeadingCadre, Enterprise, UrbanCentre)
            if user.has_perm(permission_name(model, "add"))
        ]
        return context


HELPER_FIELDS = {
    WorkTeam: ("sending_unit", "captain", "starts_on", "ends_on", "region", "phone", "is_active"),
    LeadingCadre: ("level", "unit", "post", "region", "phone", "is_active"),
    Enterprise: ("enterprise_kind", "contact_person", "phone", "region", "support_plan", "is_active"),
    UrbanCentre: ("address", "phone", "region", "is_active"),
}


class HelperDetailView(DetailRowsMixin, ObjectDetailView):
    """Any kind of helper, with its kind's own details, accounts and pairings."""

    queryset = Helper.objects.select_related("region")
    template_name = "assistance/helper_detail.html"

    def rows(self, obj):
        specific = obj.specific
        self.detail_fields = HELPER_FIELDS[type(specific)]
        return super().rows(specific)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        helper = self.object
        specific = helper.specific
        context["specific"] = specific
        context["accounts"] = list(helper.accounts.all())
        context["pairings"] = list(
            Pairing.objects.visible_to(self.request.user)
            .filter(helper=helper)
            .select_related("member__village")
            .order_by("-starts_on")[:100]
        )
        if helper.kind == HelperKind.WORK_TEAM:
            context["villages"] = list(specific.villages.all())
        model_name = type(specific)._meta.model_name
        context["edit_url"] = f"assistance:{model_name}_edit"
        context["history_url"] = f"assistance:{model_name}_history"
        context["can_edit"] = self.request.user.has_perm(permission_name(type(specific), "change"))
        return context


def _helper_views(model, form):
    kind = {
        WorkTeam: HelperKind.WORK_TEAM,
        LeadingCadre: HelperKind.CADRE,
        Enterprise: HelperKind.ENTERPRISE,
        UrbanCentre: HelperKind.URBAN_CENTRE,
    }[model]

    class Edit(ObjectEditView):
        queryset = model.objects.all()
        form_class = form

        def save(self, form):
            return services.helper_save(actor=self.request.user, kind=kind, helper=self.object, **form.service_fields)

    class History(ObjectHistoryView):
        queryset = model.objects.all()

    return Edit, History


WorkTeamEditView, WorkTeamHistoryView = _helper_views(WorkTeam, WorkTeamForm)
LeadingCadreEditView, LeadingCadreHistoryView = _helper_views(LeadingCadre, LeadingCadreForm)
EnterpriseEditView, EnterpriseHistoryView = _helper_views(Enterprise, EnterpriseForm)
UrbanCentreEditView, UrbanCentreHistoryView = _helper_views(UrbanCentre, UrbanCentreForm)


# --- pairings and the contact system ----------------------------------------------------------


class PairingListView(AssistanceListView):
    queryset = Pairing.objects.select_related("member", "helper")
    filterset_class = PairingFilterSet
    table_class = PairingTable
    add_url_name = "assistance:pairing_add"
    template_name = "assistance/pairing_list.html"


class PairingOverdueView(AssistanceListView):
    """Who is overdue for a visit under the contact system (联系制度)."""

    queryset = Pairing.objects.all()
    filterset_class = PairingFilterSet
    table_class = PairingTable
    template_name = "assistance/pairing_overdue.html"

    def get_queryset(self):
        super().get_queryset()  # permission and scope
        return selectors.overdue_pairings(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["days"] = selectors.visit_days()
        return context


class PairingDetailView(DetailRowsMixin, ObjectDetailView):
    queryset = Pairing.objects.select_related("member", "helper", "created_by")
    detail_fields = ("member", "helper", "starts_on", "ends_on", "reason", "is_key_target", "created_by")
    edit_url_name = "assistance:pairing_edit"
    history_url_name = "assistance:pairing_history"


class PairingEditView(ServiceEditView):
    queryset = Pairing.objects.select_related("member", "helper")
    form_class = PairingForm
    record_argument = "pairing"

    def get_initial(self):
        initial = super().get_initial()
        for key in ("member", "helper"):
            if key in self.request.GET:
                initial[key] = self.request.GET[key]
        return initial

    def call_service(self, **fields):
        return services.pairing_save(actor=self.request.user, **fields)


class PairingHistoryView(ObjectHistoryView):
    queryset = Pairing.objects.all()


class VisitPolicyListView(AssistanceListView):
    queryset = VisitPolicy.objects.select_related("set_by")
    table_class = VisitPolicyTable
    add_url_name = "assistance:visitpolicy_set"


class VisitPolicySetView(ObjectEditView):
    queryset = VisitPolicy.objects.all()
    form_class = VisitPolicyForm

    def save(self, form):
        return services.visit_policy_set(actor=self.request.user, **form.service_fields)


# --- visit notes ------------------------------------------------------------------------------


class VisitNoteListView(AssistanceListView):
    queryset = VisitNote.objects.select_related("member", "helper", "visitor")
    filterset_class = VisitNoteFilterSet
    table_class = VisitNoteTable
    add_url_name = "assistance:visitnote_add"


class VisitNoteDetailView(DetailRowsMixin, ObjectDetailView):
    queryset = VisitNote.objects.select_related("member", "helper", "visitor")
    detail_fields = ("member", "helper", "visitor", "visited_on", "findings", "needs", "actions")
    edit_url_name = "assistance:visitnote_edit"
    history_url_name = "assistance:visitnote_history"
    template_name = "assistance/visitnote_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["difficulties"] = list(
            Difficulty.objects.visible_to(self.request.user).filter(visit=self.object).select_related("coordinator")
        )
        context["can_add_difficulty"] = self.request.user.has_perm("assistance.add_difficulty")
        return context


class VisitNoteEditView(ObjectEditView):
    """The phone form: the helper's own members, today's date, a draft kept in the browser."""

    queryset = VisitNote.objects.select_related("member", "helper")
    form_class = VisitNoteForm
    template_name = "assistance/visitnote_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["default_helper"] = services.default_helper(self.request.user)
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        if "member" in self.request.GET:
            initial["member"] = self.request.GET["member"]
        return initial

    def save(self, form):
        fields = form.service_fields
        if self.object is None:
            return services.visit_note_create(actor=self.request.user, **fields)
        return services.visit_note_update(actor=self.request.user, note=self.object, **fields)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The draft key is per user and per record, so two people on one phone keep theirs apart.
        context["draft_key"] = f"visit-draft:{self.request.user.pk}:{self.object.pk if self.object else 'new'}"
        context["default_helper"] = self.object.helper if self.object else services.default_helper(self.request.user)
        return context


class VisitNoteHistoryView(ObjectHistoryView):
    queryset = VisitNote.objects.all()


class VisitNotePhotoView(ObjectDetailView):
    """The photo of a visit, to those who may see the note: media is never served as a
    public directory, since photos show people's homes."""

    queryset = VisitNote.objects.all()

    def get(self, request, *args, **kwargs):
        note = self.get_object()
        if not note.photo:
            raise Http404(_("这条走访记录没有照片。"))
        try:
            handle = note.photo.open("rb")
        except FileNotFoundError:
            raise Http404(_("照片文件已不存在。")) from None
        content_type = mimetypes.guess_type(note.photo.name)[0] or "application/octet-stream"
        return FileResponse(handle, content_type=content_type)


# --- difficulties -----------------------------------------------------------------------------


class DifficultyListView(AssistanceListView):
    queryset = Difficulty.objects.select_related("member", "coordinator")
    filterset_class = DifficultyFilterSet
    table_class = DifficultyTable
    add_url_name = "assistance:difficulty_add"


class DifficultyDetailView(DetailRowsMixin, ObjectDetailView):
    queryset = Difficulty.objects.select_related("member", "coordinator", "visit", "raised_by")
    detail_fields = (
        "member",
        "kind",
        "description",
        "coordinator",
        "deadline",
        "status",
        "resolution",
        "resolved_on",
        "visit",
        "raised_by",
    )
    edit_url_name = "assistance:difficulty_edit"
    history_url_name = "assistance:difficulty_history"


class DifficultyEditView(ObjectEditView):
    queryset = Difficulty.objects.select_related("member", "coordinator")

    def get_form_class(self):
        return DifficultyUpdateForm if "pk" in self.kwargs else DifficultyForm

    def get_initial(self):
        initial = super().get_initial()
        for key in ("member", "visit"):
            if key in self.request.GET:
                initial[key] = self.request.GET[key]
        helper = services.default_helper(self.request.user)
        if helper is not None:
            initial.setdefault("coordinator", helper.pk)
        return initial

    def save(self, form):
        if self.object is None:
            return services.difficulty_raise(actor=self.request.user, **form.service_fields)
        return services.difficulty_update(actor=self.request.user, difficulty=self.object, **form.service_fields)


class DifficultyHistoryView(ObjectHistoryView):
    queryset = Difficulty.objects.all()


# --- enterprise support and centre services ---------------------------------------------------


class EnterpriseSupportListView(AssistanceListView):
    queryset = EnterpriseSupport.objects.select_related("member", "enterprise")
    filterset_class = EnterpriseSupportFilterSet
    table_class = EnterpriseSupportTable
    add_url_name = "assistance:enterprisesupport_add"


class EnterpriseSupportDetailView(DetailRowsMixin, ObjectDetailView):
    queryset = EnterpriseSupport.objects.select_related("member", "enterprise", "recorded_by")
    detail_fields = ("member", "enterprise", "kind", "description", "value", "given_on", "recorded_by")
    history_url_name = "assistance:enterprisesupport_history"


class EnterpriseSupportCreateView(ObjectEditView):
    queryset = EnterpriseSupport.objects.all()
    form_class = EnterpriseSupportForm

    def save(self, form):
        return services.enterprise_support_record(actor=self.request.user, **form.service_fields)


class EnterpriseSupportHistoryView(ObjectHistoryView):
    queryset = EnterpriseSupport.objects.all()


class CentreServiceListView(AssistanceListView):
    queryset = CentreService.objects.select_related("member", "centre")
    filterset_class = CentreServiceFilterSet
    table_class = CentreServiceTable
    add_url_name = "assistance:centreservice_add"


class CentreServiceDetailView(DetailRowsMixin, ObjectDetailView):
    queryset = CentreService.objects.select_related("member", "centre", "recorded_by")
    detail_fields = (
        "member",
        "centre",
        "kind",
        "description",
        "started_on",
        "employer",
        "post",
        "value",
        "outcome",
        "outcome_note",
        "recorded_by",
    )
    edit_url_name = "assistance:centreservice_edit"
    history_url_name = "assistance:centreservice_history"


class CentreServiceEditView(ServiceEditView):
    queryset = CentreService.objects.select_related("member", "centre")
    form_class = CentreServiceForm
    record_argument = "service"

    def call_service(self, **fields):
        return services.centre_service_save(actor=self.request.user, **fields)


class CentreServiceHistoryView(ObjectHistoryView):
    queryset = CentreService.objects.all()


# --- welfare referral -------------------------------------------------------------------------


class WelfareReferralListView(AssistanceListView):
    queryset = WelfareReferral.objects.select_related("member")
    filterset_class = WelfareReferralFilterSet
    table_class = WelfareReferralTable
    add_url_name = "assistance:welfarereferral_add"


class WelfareReferralDetailView(DetailRowsMixin, ObjectDetailView):
    queryset = WelfareReferral.objects.select_related("member", "handled_by")
    detail_fields = (
        "member",
        "scheme",
        "status",
        "is_proposed_by_system",
        "proposed_on",
        "referred_on",
        "decided_on",
        "benefit",
        "note",
        "handled_by",
    )
    history_url_name = "assistance:welfarereferral_history"
    template_name = "assistance/welfarereferral_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_decide"] = user.has_perm("assistance.decide_welfarereferral")
        context["can_change"] = user.has_perm("assistance.change_welfarereferral")
        context["proposed"] = self.object.status == ReferralStatus.PROPOSED
        context["referred"] = self.object.status == ReferralStatus.REFERRED
        return context


class WelfareReferralCreateView(ObjectEditView):
    queryset = WelfareReferral.objects.all()
    form_class = WelfareReferralForm

    def get_initial(self):
        initial = super().get_initial()
        if "member" in self.request.GET:
            initial["member"] = self.request.GET["member"]
        return initial

    def save(self, form):
        return services.referral_create(actor=self.request.user, **form.cleaned_data)


class ReferralActionView(ObjectEditView):
    """A form acting on one referral (confirm, dismiss, record the outcome)."""

    queryset = WelfareReferral.objects.select_related("member")
    title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["verbose_name"] = self.title
        return context


class WelfareReferralConfirmView(ReferralActionView):
    form_class = ReferralConfirmForm
    title = gettext_lazy("确认救济转介")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("assistance.decide_welfarereferral"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("您的角色没有这项权限。"))
        return super().dispatch(request, *args, **kwargs)

    def save(self, form):
        return services.referral_confirm(actor=self.request.user, referral=self.object, **form.cleaned_data)


class WelfareReferralDismissView(WelfareReferralConfirmView):
    form_class = ReferralDismissForm
    title = gettext_lazy("不予转介")

    def save(self, form):
        return services.referral_dismiss(actor=self.request.user, referral=self.object, **form.cleaned_data)


class WelfareReferralOutcomeView(ReferralActionView):
    form_class = ReferralOutcomeForm
    title = gettext_lazy("登记审批结果")

    def save(self, form):
        return services.referral_record_outcome(actor=self.request.user, referral=self.object, **form.cleaned_data)


class WelfareReferralHistoryView(ObjectHistoryView):
    queryset = WelfareReferral.objects.all()


# --- phase 2 ----------------------------------------------------------------------------------


class MentorListView(AssistanceListView):
    queryset = Mentor.objects.select_related("member")
    filterset_class = MentorFilterSet
    table_class = MentorTable
    add_url_name = "assistance:mentor_add"


class MentorDetailView(DetailRowsMixin, ObjectDetailView):
    queryset = Mentor.objects.select_related("member", "designated_by")
    detail_fields = ("member", "designated_on", "reason", "is_active", "designated_by")
    history_url_name = "assistance:mentor_history"
    template_name = "assistance/mentor_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pairs"] = list(
            MentorPair.objects.visible_to(self.request.user).filter(mentor=self.object).select_related("resident")
        )
        return context


class MentorCreateView(ObjectEditView):
    queryset = Mentor.objects.all()
    form_class = MentorForm

    def save(self, form):
        return services.mentor_designate(actor=self.request.user, **form.service_fields)


class MentorHistoryView(ObjectHistoryView):
    queryset = Mentor.objects.all()


class PoorResidentListView(AssistanceListView):
    queryset = PoorResident.objects.select_related("village")
    filterset_class = PoorResidentFilterSet
    table_class = PoorResidentTable
    add_url_name = "assistance:poorresident_add"


class PoorResidentIdRevealListView(ObjectListView):
    """贫困群众身份证号查看记录: the reveals of the residents the user may see, newest first."""

    queryset = PoorResidentIdReveal.objects.select_related("user", "resident")
    table_class = PoorResidentIdRevealTable
    filterset_class = PoorResidentIdRevealFilterSet
    template_name = "assistance/poorresidentidreveal_list.html"


class PoorResidentDetailView(DetailRowsMixin, ObjectDetailView):
    queryset = PoorResident.objects.select_related("village")
    detail_fields = ("name", "id_number", "village", "household_size", "income_per_head", "phone")
    edit_url_name = "assistance:poorresident_edit"
    history_url_name = "assistance:poorresident_history"

    def rows(self, obj):
        # Masked for every role; the full number only once, after a logged reveal (PoorResidentRevealIdView).
        label = obj._meta.get_field("id_number").verbose_name
        number = render_to_string(
            "assistance/_poorresident_id_number.html",
            {
                "resident": obj,
                "revealed_id": self.request.session.pop(reveal_session_key(obj), None),
                "can_reveal": self.request.user.has_perm("members.reveal_id_number"),
            },
            request=self.request,
        )
        return [(name, number if name == label else value) for name, value in super().rows(obj)]


def reveal_session_key(resident) -> str:
    # apart from members' "revealed-<pk>": a member and a resident may share a pk
    return f"revealed-poorresident-{resident.pk}"


class PoorResidentRevealIdView(RevealIdView):
    """POST only: show the full number once, and log who saw it (members' view, the residents' log)."""

    queryset = PoorResident.objects.all()

    def reveal(self, obj, purpose: str) -> str:
        return services.poor_resident_id_reveal(actor=self.request.user, resident=obj, purpose=purpose)

    def session_key(self, obj) -> str:
        return reveal_session_key(obj)


class PoorResidentEditView(ServiceEditView):
    queryset = PoorResident.objects.select_related("village")
    form_class = PoorResidentForm
    record_argument = "resident"

    def call_service(self, **fields):
        return services.poor_resident_save(actor=self.request.user, **fields)


class PoorResidentHistoryView(ObjectHistoryView):
    queryset = PoorResident.objects.all()
    history_masked = {"id_number": idnumbers.mask}  # for every role, as on the detail page


class MentorPairListView(AssistanceListView):
    queryset = MentorPair.objects.select_related("mentor__member", "resident")
    filterset_class = MentorPairFilterSet
    table_class = MentorPairTable
    add_url_name = "assistance:mentorpair_add"
    template_name = "assistance/mentorpair_list.html"


class MentorPairDetailView(DetailRowsMixin, ObjectDetailView):
    queryset = MentorPair.objects.select_related("mentor__member", "resident")
    detail_fields = ("mentor", "resident", "starts_on", "ends_on", "goal")
    history_url_name = "assistance:mentorpair_history"
    template_name = "assistance/mentorpair_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["outcomes"] = list(self.object.outcomes.all())
        context["can_add_outcome"] = self.request.user.has_perm("assistance.add_mentoroutcome")
        return context


class MentorPairCreateView(ObjectEditView):
    queryset = MentorPair.objects.all()
    form_class = MentorPairForm

    def save(self, form):
        return services.mentor_pair_create(actor=self.request.user, **form.service_fields)


class MentorPairHistoryView(ObjectHistoryView):
    queryset = MentorPair.objects.all()


class MentorOutcomeCreateView(ObjectEditView):
    """The yearly outcome of a pair; ``pair_pk`` names the pair."""

    queryset = MentorOutcome.objects.all()
    form_class = MentorOutcomeForm

    def get_pair(self):
        if not hasattr(self, "_pair"):
            pairs = MentorPair.objects.visible_to(self.request.user).select_related("mentor__member")
            self._pair = get_object_or_404(pairs, pk=self.kwargs["pair_pk"])
        return self._pair

    def get_form_kwargs(self):
        self.get_pair()
        return super().get_form_kwargs()

    def form_valid(self, form):
        try:
            services.mentor_outcome_record(actor=self.request.user, pair=self.get_pair(), **form.service_fields)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(self.get_pair().get_absolute_url())
