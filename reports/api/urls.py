from rest_framework.routers import DefaultRouter

# The API root is organization.api.urls's; this router adds routes only.
router = DefaultRouter()
router.include_root_view = False

urlpatterns = router.urls
