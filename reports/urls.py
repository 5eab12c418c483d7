from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/<str:code>/", views.DashboardView.as_view(), name="dashboard_region"),
    path("dashboard/<str:code>/export/", views.DashboardExportView.as_view(), name="dashboard_export"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/add/", views.ProgrammeEditView.as_view(), name="programme_add"),
    path("programmes/<int:pk>/edit/", views.ProgrammeEditView.as_view(), name="programme_edit"),
    path("programmes/<int:pk>/history/", views.ProgrammeHistoryView.as_view(), name="programme_history"),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/add/", views.PlanEditView.as_view(), name="plan_add"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/history/", views.PlanHistoryView.as_view(), name="plan_history"),
    path("bulletins/", views.BulletinListView.as_view(), name="bulletin_list"),
    path("bulletins/request/", views.BulletinRequestView.as_view(), name="bulletin_request"),
    path("bulletins/<int:pk>/", views.BulletinDetailView.as_view(), name="bulletin_detail"),
    path("bulletins/<int:pk>/status/", views.BulletinStatusView.as_view(), name="bulletin_status"),
    path("bulletins/<int:pk>/download/<str:kind>/", views.BulletinDownloadView.as_view(), name="bulletin_download"),
    path("admonitions/", views.AdmonitionListView.as_view(), name="admonition_list"),
    path("admonitions/add/", views.AdmonitionEditView.as_view(), name="admonition_add"),
    path("admonitions/<int:pk>/", views.AdmonitionDetailView.as_view(), name="admonition_detail"),
    path("admonitions/<int:pk>/edit/", views.AdmonitionEditView.as_view(), name="admonition_edit"),
    path("admonitions/<int:pk>/history/", views.AdmonitionHistoryView.as_view(), name="admonition_history"),
    path("admonitions/<int:pk>/confirm/", views.AdmonitionConfirmView.as_view(), name="admonition_confirm"),
    path("admonitions/<int:pk>/dismiss/", views.AdmonitionDismissView.as_view(), name="admonition_dismiss"),
    path("admonitions/<int:pk>/talk/", views.AdmonitionTalkView.as_view(), name="admonition_talk"),
    path("admonitions/<int:pk>/rectification/", views.RectificationFileView.as_view(), name="rectification_file"),
    path(
        "rectifications/<int:pk>/follow-up/", views.RectificationFollowUpView.as_view(), name="rectification_follow_up"
    ),
    path("rectifications/<int:pk>/history/", views.RectificationHistoryView.as_view(), name="rectification_history"),
    path("commendations/", views.CommendationListView.as_view(), name="commendation_list"),
    path("commendations/add/", views.CommendationProposeView.as_view(), name="commendation_add"),
    path("commendations/<int:pk>/", views.CommendationDetailView.as_view(), name="commendation_detail"),
    path("commendations/<int:pk>/history/", views.CommendationHistoryView.as_view(), name="commendation_history"),
    path("commendations/<int:pk>/announce/", views.CommendationAnnounceView.as_view(), name="commendation_announce"),
    path("commendations/<int:pk>/confirm/", views.CommendationConfirmView.as_view(), name="commendation_confirm"),
    path("commendations/<int:pk>/withdraw/", views.CommendationWithdrawView.as_view(), name="commendation_withdraw"),
    path(
        "commendations/<int:pk>/objections/add/",
        views.CommendationObjectionAddView.as_view(),
        name="commendation_objection_add",
    ),
    path(
        "commendation-objections/<int:pk>/resolve/",
        views.CommendationObjectionResolveView.as_view(),
        name="commendation_objection_resolve",
    ),
    path("evaluations/", views.EvaluationListView.as_view(), name="evaluation_list"),
    path("evaluations/add/", views.EvaluationCreateView.as_view(), name="evaluation_add"),
    path("evaluations/<int:pk>/", views.EvaluationDetailView.as_view(), name="evaluation_detail"),
    path("evaluations/<int:pk>/assess/", views.EvaluationAssessView.as_view(), name="evaluation_assess"),
    path("evaluations/<int:pk>/recompute/", views.EvaluationRecomputeView.as_view(), name="evaluation_recompute"),
    path("evaluations/<int:pk>/commend/", views.EvaluationCommendView.as_view(), name="evaluation_commend"),
    path("evaluations/<int:pk>/history/", views.EvaluationHistoryView.as_view(), name="evaluation_history"),
]
