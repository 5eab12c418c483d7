"""The product's URLs plus ``/bench/trivial/``: the floor a Django request pays on this server."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("config.urls")),
]
