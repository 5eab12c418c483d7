from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

# The API root is organization.api.urls's; this router adds routes only.
router = DefaultRouter()
router.include_root_view = False
router.register("programmes", views.ProgrammeViewSet)
router.register("jurisdiction-plans", views.PlanViewSet)
router.register("bulletins", views.BulletinViewSet)
router.register("admonitions", views.AdmonitionViewSet)
router.register("rectifications", views.RectificationViewSet)
router.register("commendations", views.CommendationViewSet)
router.register("commendation-objections", views.CommendationObjectionViewSet)
router.register("evaluations", views.EvaluationViewSet)

urlpatterns = [
    path("work-items/", views.WorkItemsView.as_view(), name="work-items"),
    path("dashboard/<str:code>/", views.DashboardView.as_view(), name="dashboard"),
    *router.urls,
]
