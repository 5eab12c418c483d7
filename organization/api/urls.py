from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet)
router.register("party-organizations", views.PartyOrganizationViewSet)
router.register("users", views.UserViewSet)

urlpatterns = [path("me/", views.MeView.as_view(), name="me"), *router.urls]
