from rest_framework.routers import DefaultRouter

from . import views

# The API root is organization.api.urls's; this router adds routes only.
router = DefaultRouter()
router.include_root_view = False
router.register("training-batches", views.TrainingBatchViewSet)
router.register("training-costs", views.BudgetItemViewSet)
router.register("enrolments", views.EnrolmentViewSet)
router.register("experts", views.ExpertViewSet)
router.register("expert-services", views.ExpertServiceViewSet)
router.register("practice-bases", views.PracticeBaseViewSet)
router.register("base-visits", views.BaseVisitViewSet)

urlpatterns = router.urls
