from rest_framework.routers import DefaultRouter

from . import views

# The API root is organization.api.urls's; this router adds routes only.
router = DefaultRouter()
router.include_root_view = False
router.register("funds", views.FundViewSet)
router.register("fund-policy", views.FundPolicyViewSet)
router.register("fund-entries", views.FundEntryViewSet)
router.register("fund-applications", views.FundApplicationViewSet)
router.register("fund-eligibility", views.FundEligibilityViewSet, basename="fund-eligibility")
router.register("guarantees", views.GuaranteeViewSet)
router.register("fund-inspections", views.FundInspectionViewSet)
router.register("fund-follow-ups", views.FollowUpViewSet)

urlpatterns = router.urls
