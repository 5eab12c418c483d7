from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("export.xlsx", views.project_export, name="project_export"),
    path("add/", views.ProjectProposeView.as_view(), name="project_add"),
    path("member/<int:member_pk>/add/", views.ProjectProposeView.as_view(), name="project_add_for_member"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", views.ProjectProposeView.as_view(), name="project_edit"),
    path("<int:pk>/history/", views.ProjectHistoryView.as_view(), name="project_history"),
    path("<int:project_pk>/reviews/add/", views.ReviewCreateView.as_view(), name="review_add"),
    path("<int:pk>/approve/", views.ApproveView.as_view(), name="project_approve"),
    path("<int:pk>/refuse/", views.RefuseView.as_view(), name="project_refuse"),
    path("<int:pk>/start/", views.StartView.as_view(), name="project_start"),
    path("<int:project_pk>/supports/add/", views.SupportCreateView.as_view(), name="support_add"),
    path("<int:project_pk>/progress/add/", views.ProgressCreateView.as_view(), name="progress_add"),
    path("<int:pk>/close/", views.CloseView.as_view(), name="project_close"),
]
