"""The project's URLs plus the register import's, until members/urls.py includes them."""

from django.urls import include, path

from config.urls import handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("members/import/", include("members.import_urls")),
]
