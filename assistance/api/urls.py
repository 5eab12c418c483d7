from rest_framework.routers import DefaultRouter

from . import views

# The API root is organization.api.urls's; this router adds routes only.
router = DefaultRouter()
router.include_root_view = False
router.register("helpers", views.HelperViewSet)
router.register("work-teams", views.WorkTeamViewSet)
router.register("leading-cadres", views.LeadingCadreViewSet)
router.register("enterprises", views.EnterpriseViewSet)
router.register("urban-centres", views.UrbanCentreViewSet)
router.register("pairings", views.PairingViewSet)
router.register("visit-policies", views.VisitPolicyViewSet)
router.register("visit-notes", views.VisitNoteViewSet)
router.register("difficulties", views.DifficultyViewSet)
router.register("enterprise-support", views.EnterpriseSupportViewSet)
router.register("centre-services", views.CentreServiceViewSet)
router.register("welfare-referrals", views.WelfareReferralViewSet)
router.register("mentors", views.MentorViewSet)
router.register("poor-residents", views.PoorResidentViewSet)
router.register("mentor-pairs", views.MentorPairViewSet)
router.register("mentor-outcomes", views.MentorOutcomeViewSet)

urlpatterns = router.urls
