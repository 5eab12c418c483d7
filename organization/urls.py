from django.urls import path

from . import views

app_name = "organization"

urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/<str:code>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("party-organizations/", views.PartyOrganizationListView.as_view(), name="party_organization_list"),
    path("party-organizations/add/", views.PartyOrganizationEditView.as_view(), name="party_organization_add"),
    path(
        "party-organizations/<int:pk>/", views.PartyOrganizationDetailView.as_view(), name="party_organization_detail"
    ),
    path(
        "party-organizations/<int:pk>/edit/", views.PartyOrganizationEditView.as_view(), name="party_organization_edit"
    ),
    path(
        "party-organizations/<int:pk>/history/",
        views.PartyOrganizationHistoryView.as_view(),
        name="party_organization_history",
    ),
    path("accounts/", views.UserListView.as_view(), name="user_list"),
]
