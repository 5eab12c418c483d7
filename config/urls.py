from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from organization import views as organization_views
from organization.api import views as organization_api_views

api_v1 = [
    path("auth/token/", organization_api_views.ObtainTokenView.as_view(), name="api_token"),
    path("", include("organization.api.urls")),
    path("", include("members.api.urls")),
    path("", include("training.api.urls")),
    path("", include("projects.api.urls")),
    path("", include("assistance.api.urls")),
    path("", include("fund.api.urls")),
    path("", include("reports.api.urls")),
]

urlpatterns = [
    path("", organization_views.HomeView.as_view(), name="home"),
    path("login/", organization_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz/", organization_views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("org/", include("organization.urls")),
    path("members/import/", include("members.import_urls")),
    path("members/", include("members.urls")),
    path("training/", include("training.urls")),
    path("projects/", include("projects.urls")),
    path("assistance/", include("assistance.urls")),
    path("fund/", include("fund.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api_docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api_redoc"),
]

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
