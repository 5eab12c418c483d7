from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import JsonResponse
from django.views.generic import TemplateView

from . import selectors, services
from .filtersets import PartyOrganizationFilterSet, RegionFilterSet, UserFilterSet
from .forms import LoginForm, PartyOrganizationForm
from .generic import ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from .hooks import sections
from .models import PartyOrganization, Region, User
from .tables import PartyOrganizationTable, RegionTable, UserTable


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class HomeView(LoginRequiredMixin, TemplateView):
    """Each role lands on its own home page."""

    def get_template_names(self):
        role = self.request.user.role or "admin"
        return [f"home/{role}.html", "home/default.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.home_summary(user=self.request.user))
        context["home_panels"] = sections("home_panels", self.request)
        return context


def health(request):
    """For load balancers: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class RegionListView(ObjectListView):
    queryset = Region.objects.select_related("parent")
    filterset_class = RegionFilterSet
    table_class = RegionTable


class RegionDetailView(ObjectDetailView):
    queryset = Region.objects.select_related("parent")
    slug_field = slug_url_kwarg = "code"
    template_name = "organization/region_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.object
        context["children"] = selectors.region_children(user=self.request.user, region=region)
        context["party_organizations"] = PartyOrganization.objects.visible_to(self.request.user).filter(region=region)
        return context


class PartyOrganizationListView(ObjectListView):
    queryset = PartyOrganization.objects.select_related("region")
    filterset_class = PartyOrganizationFilterSet
    table_class = PartyOrganizationTable
    add_url_name = "organization:party_organization_add"


class PartyOrganizationDetailView(ObjectDetailView):
    queryset = PartyOrganization.objects.select_related("region", "parent")
    template_name = "organization/partyorganization_detail.html"


class PartyOrganizationHistoryView(ObjectHistoryView):
    queryset = PartyOrganization.objects.all()


class PartyOrganizationEditView(ObjectEditView):
    queryset = PartyOrganization.objects.select_related("region")
    form_class = PartyOrganizationForm

    def save(self, form):
        if self.object is None:
            return services.party_organization_create(actor=self.request.user, **form.service_fields)
        return services.party_organization_update(
            actor=self.request.user, organization=self.object, **form.service_fields
        )


class UserListView(ObjectListView):
    queryset = User.objects.select_related("region")
    filterset_class = UserFilterSet
    table_class = UserTable
