from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.MemberListView.as_view(), name="member_list"),
    path("add/", views.MemberEditView.as_view(), name="member_add"),
    path("<int:pk>/", views.MemberDetailView.as_view(), name="member_detail"),
    path("<int:pk>/edit/", views.MemberEditView.as_view(), name="member_edit"),
    path("<int:pk>/history/", views.MemberHistoryView.as_view(), name="member_history"),
    path("<int:pk>/print/", views.MemberPrintView.as_view(), name="member_print"),
    path("<int:pk>/as-of/<int:year>/", views.MemberAsOfView.as_view(), name="member_as_of"),
    path("<int:pk>/reveal-id/", views.RevealIdView.as_view(), name="member_reveal_id"),
    path("<int:member_pk>/track/", views.TrackDecisionView.as_view(), name="track_decide"),
    path("<int:member_pk>/plans/add/", views.PlanCreateView.as_view(), name="plan_add"),
    path("<int:member_pk>/income-checks/add/", views.IncomeCheckCreateView.as_view(), name="income_check_add"),
    path("<int:member_pk>/household/add/", views.HouseholdMemberEditView.as_view(), name="household_add"),
    path("household/<int:pk>/edit/", views.HouseholdMemberEditView.as_view(), name="household_edit"),
    path("status-changes/<int:pk>/confirm/", views.StatusChangeConfirmView.as_view(), name="status_confirm"),
    path("status-changes/<int:pk>/withdraw/", views.StatusChangeWithdrawView.as_view(), name="status_withdraw"),
    path("status-changes/<int:change_pk>/objections/add/", views.ObjectionCreateView.as_view(), name="objection_add"),
    path("objections/<int:pk>/resolve/", views.ObjectionResolveView.as_view(), name="objection_resolve"),
    path("id-reveals/", views.IdNumberRevealListView.as_view(), name="idnumberreveal_list"),
    path("thresholds/", views.ThresholdListView.as_view(), name="threshold_list"),
    path("thresholds/set/", views.ThresholdSetView.as_view(), name="threshold_set"),
]
