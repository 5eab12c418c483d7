"""URLs of the register import and export; include under ``members/import/`` with namespace
``members_import`` (``path("members/import/", include("members.import_urls"))``)."""

from django.urls import path

from . import import_views as views

app_name = "members_import"

urlpatterns = [
    path("", views.ImportUploadView.as_view(), name="upload"),
    path("batches/", views.ImportBatchListView.as_view(), name="batch_list"),
    path("batches/<int:pk>/", views.ImportBatchDetailView.as_view(), name="batch"),
    path("batches/<int:pk>/status/", views.ImportBatchStatusView.as_view(), name="batch_status"),
    path("batches/<int:pk>/confirm/", views.ImportBatchConfirmView.as_view(), name="batch_confirm"),
    path("batches/<int:pk>/rollback/", views.ImportBatchRollbackView.as_view(), name="batch_rollback"),
    path("batches/<int:pk>/rejected.xlsx", views.RejectedRowsView.as_view(), name="batch_rejected"),
    path("export.xlsx", views.register_export, name="export"),
]
