from rest_framework.routers import DefaultRouter

from . import views

# The API root is organization.api.urls's; this router adds routes only.
router = DefaultRouter()
router.include_root_view = False
router.register("income-projects", views.IncomeProjectViewSet)
router.register("project-reviews", views.ProjectReviewViewSet)
router.register("project-supports", views.ProjectSupportViewSet)
router.register("project-progress", views.ProgressReportViewSet)

urlpatterns = router.urls
