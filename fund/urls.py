from django.urls import path

from . import views

app_name = "fund"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("funds/add/", views.FundCreateView.as_view(), name="fund_add"),
    path("funds/<int:pk>/", views.FundDetailView.as_view(), name="fund_detail"),
    path("policy/", views.PolicyEditView.as_view(), name="policy_edit"),
    path("ledger/", views.EntryListView.as_view(), name="entry_list"),
    path("ledger/export/", views.entry_export, name="entry_export"),
    path("ledger/receipt/", views.ReceiptCreateView.as_view(), name="receipt_add"),
    path("ledger/<int:pk>/", views.EntryDetailView.as_view(), name="entry_detail"),
    path("ledger/<int:pk>/reverse/", views.EntryReverseView.as_view(), name="entry_reverse"),
    path("applications/", views.ApplicationListView.as_view(), name="application_list"),
    path("applications/queue/", views.ApplicationQueueView.as_view(), name="application_queue"),
    path("members/<int:member_pk>/apply/", views.ApplicationCreateView.as_view(), name="application_add"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/edit/", views.ApplicationEditView.as_view(), name="application_edit"),
    path("applications/<int:pk>/history/", views.ApplicationHistoryView.as_view(), name="application_history"),
    path("applications/<int:pk>/submit/", views.ApplicationSubmitView.as_view(), name="application_submit"),
    path("applications/<int:pk>/review/", views.ApplicationReviewView.as_view(), name="application_review"),
    path("applications/<int:pk>/approve/", views.ApplicationApproveView.as_view(), name="application_approve"),
    path("applications/<int:pk>/refuse/", views.ApplicationRefuseView.as_view(), name="application_refuse"),
    path("applications/<int:pk>/disburse/", views.ApplicationDisburseView.as_view(), name="application_disburse"),
    path("applications/<int:pk>/guarantee/", views.GuaranteeIssueView.as_view(), name="guarantee_issue"),
    path(
        "applications/<int:application_pk>/inspections/add/",
        views.InspectionCreateView.as_view(),
        name="inspection_add",
    ),
    path("guarantees/", views.GuaranteeListView.as_view(), name="guarantee_list"),
    path("guarantees/<int:pk>/", views.GuaranteeDetailView.as_view(), name="guarantee_detail"),
    path("guarantees/<int:pk>/history/", views.GuaranteeHistoryView.as_view(), name="guarantee_history"),
    path("guarantees/<int:pk>/release/", views.GuaranteeReleaseView.as_view(), name="guarantee_release"),
    path("guarantees/<int:pk>/call/", views.GuaranteeCallView.as_view(), name="guarantee_call"),
    path("guarantees/<int:pk>/recoveries/add/", views.RecoveryCreateView.as_view(), name="recovery_add"),
    path("guarantees/<int:pk>/recoveries/close/", views.RecoveryCloseView.as_view(), name="recovery_close"),
    path("inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow_up_list"),
    path("follow-ups/<int:pk>/close/", views.FollowUpCloseView.as_view(), name="follow_up_close"),
]
