from django.urls import path

from . import views

app_name = "assistance"


def crud(prefix, name, *, list_view=None, add=None, detail=None, edit=None, history=None):
    patterns = []
    if list_view:
        patterns.append(path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"))
    if add:
        patterns.append(path(f"{prefix}/add/", add.as_view(), name=f"{name}_add"))
    if detail:
        patterns.append(path(f"{prefix}/<int:pk>/", detail.as_view(), name=f"{name}_detail"))
    if edit:
        patterns.append(path(f"{prefix}/<int:pk>/edit/", edit.as_view(), name=f"{name}_edit"))
    if history:
        patterns.append(path(f"{prefix}/<int:pk>/history/", history.as_view(), name=f"{name}_history"))
    return patterns


urlpatterns = [
    path("helpers/", views.HelperListView.as_view(), name="helper_list"),
    path("helpers/<int:pk>/", views.HelperDetailView.as_view(), name="helper_detail"),
    *crud(
        "work-teams",
        "workteam",
        add=views.WorkTeamEditView,
        edit=views.WorkTeamEditView,
        history=views.WorkTeamHistoryView,
    ),
    *crud(
        "cadres",
        "leadingcadre",
        add=views.LeadingCadreEditView,
        edit=views.LeadingCadreEditView,
        history=views.LeadingCadreHistoryView,
    ),
    *crud(
        "enterprises",
        "enterprise",
        add=views.EnterpriseEditView,
        edit=views.EnterpriseEditView,
        history=views.EnterpriseHistoryView,
    ),
    *crud(
        "urban-centres",
        "urbancentre",
        add=views.UrbanCentreEditView,
        edit=views.UrbanCentreEditView,
        history=views.UrbanCentreHistoryView,
    ),
    path("pairings/overdue/", views.PairingOverdueView.as_view(), name="pairing_overdue"),
    *crud(
        "pairings",
        "pairing",
        list_view=views.PairingListView,
        add=views.PairingEditView,
        detail=views.PairingDetailView,
        edit=views.PairingEditView,
        history=views.PairingHistoryView,
    ),
    path("visit-policy/", views.VisitPolicyListView.as_view(), name="visitpolicy_list"),
    path("visit-policy/set/", views.VisitPolicySetView.as_view(), name="visitpolicy_set"),
    path("visits/<int:pk>/photo/", views.VisitNotePhotoView.as_view(), name="visitnote_photo"),
    *crud(
        "visits",
        "visitnote",
        list_view=views.VisitNoteListView,
        add=views.VisitNoteEditView,
        detail=views.VisitNoteDetailView,
        edit=views.VisitNoteEditView,
        history=views.VisitNoteHistoryView,
    ),
    *crud(
        "difficulties",
        "difficulty",
        list_view=views.DifficultyListView,
        add=views.DifficultyEditView,
        detail=views.DifficultyDetailView,
        edit=views.DifficultyEditView,
        history=views.DifficultyHistoryView,
    ),
    *crud(
        "enterprise-support",
        "enterprisesupport",
        list_view=views.EnterpriseSupportListView,
        add=views.EnterpriseSupportCreateView,
        detail=views.EnterpriseSupportDetailView,
        history=views.EnterpriseSupportHistoryView,
    ),
    *crud(
        "centre-services",
        "centreservice",
        list_view=views.CentreServiceListView,
        add=views.CentreServiceEditView,
        detail=views.CentreServiceDetailView,
        edit=views.CentreServiceEditView,
        history=views.CentreServiceHistoryView,
    ),
    *crud(
        "referrals",
        "welfarereferral",
        list_view=views.WelfareReferralListView,
        add=views.WelfareReferralCreateView,
        detail=views.WelfareReferralDetailView,
        history=views.WelfareReferralHistoryView,
    ),
    path("referrals/<int:pk>/confirm/", views.WelfareReferralConfirmView.as_view(), name="welfarereferral_confirm"),
    path("referrals/<int:pk>/dismiss/", views.WelfareReferralDismissView.as_view(), name="welfarereferral_dismiss"),
    path("referrals/<int:pk>/outcome/", views.WelfareReferralOutcomeView.as_view(), name="welfarereferral_outcome"),
    *crud(
        "mentors",
        "mentor",
        list_view=views.MentorListView,
        add=views.MentorCreateView,
        detail=views.MentorDetailView,
        history=views.MentorHistoryView,
    ),
    *crud(
        "poor-residents",
        "poorresident",
        list_view=views.PoorResidentListView,
        add=views.PoorResidentEditView,
        detail=views.PoorResidentDetailView,
        edit=views.PoorResidentEditView,
        history=views.PoorResidentHistoryView,
    ),
    path("poor-residents/id-reveals/", views.PoorResidentIdRevealListView.as_view(), name="poorresidentidreveal_list"),
    path(
        "poor-residents/<int:pk>/reveal-id/",
        views.PoorResidentRevealIdView.as_view(),
        name="poorresident_reveal_id",
    ),
    *crud(
        "mentor-pairs",
        "mentorpair",
        list_view=views.MentorPairListView,
        add=views.MentorPairCreateView,
        detail=views.MentorPairDetailView,
        history=views.MentorPairHistoryView,
    ),
    path("mentor-pairs/<int:pair_pk>/outcomes/add/", views.MentorOutcomeCreateView.as_view(), name="mentoroutcome_add"),
]
