"""The API of the apps training builds on, and training's own: its schema must be clean
whatever the apps above it do."""

from django.urls import include, path

api_v1 = [
    path("", include("organization.api.urls")),
    path("", include("members.api.urls")),
    path("", include("training.api.urls")),
]
urlpatterns = [path("api/v1/", include((api_v1, "api")))]
