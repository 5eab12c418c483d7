from rest_framework.routers import DefaultRouter

from . import views

# The API root is organization.api.urls's; this router adds routes only.
router = DefaultRouter()
router.include_root_view = False
router.register("members", views.MemberViewSet)
router.register("household-members", views.HouseholdMemberViewSet)
router.register("plans", views.PovertyExitPlanViewSet)
router.register("income-thresholds", views.IncomeThresholdViewSet)
router.register("income-checks", views.IncomeCheckViewSet)
router.register("status-changes", views.StatusChangeViewSet)
router.register("objections", views.ObjectionViewSet)

urlpatterns = router.urls
