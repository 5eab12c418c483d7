"""Generic scoped views every app builds its pages from (after NetBox's generic views).

A view names its ``queryset``; the mixin checks the role's permission for the view's
action (403 without it) and narrows the queryset with ``visible_to`` before any
handler runs, so a record outside the user's jurisdiction is a 404.
"""

from typing import ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .forms import bootstrapify
from .history import display_value, history_entries  # noqa: F401 (display_value: the pages' import)
from .scoping import permission_name


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ScopedViewMixin(LoginRequiredMixin):
    queryset = None
    scope_action = "view"

    @property
    def model(self):
        return self.queryset.model

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm(permission_name(self.model, self.scope_action)):
            raise PermissionDenied(_("您的角色没有这项权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        if self.queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a queryset")
        return self.queryset.visible_to(self.request.user, self.scope_action)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        opts = self.model._meta
        context["verbose_name"] = opts.verbose_name
        context["verbose_name_plural"] = opts.verbose_name_plural
        user = self.request.user
        context["can_add"] = user.has_perm(permission_name(self.model, "add"))
        context["can_change"] = user.has_perm(permission_name(self.model, "change"))
        return context


class ObjectListView(ScopedViewMixin, SingleTableMixin, FilterView):
    """A filterable, paginated table of the records the user may see."""

    template_name = "generic/object_list.html"
    table_pagination = {"per_page": 50}
    add_url_name = None

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        bootstrapify(filterset.form)
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["add_url_name"] = self.add_url_name
        return context


class ObjectDetailView(ScopedViewMixin, DetailView):
    pass


class ObjectHistoryView(ScopedViewMixin, DetailView):
    """Who changed what and when, newest first; workflow fields included (organization.history)."""

    template_name = "generic/object_history.html"
    #: field name -> what is shown instead of its stored values (an ID number masked)
    history_masked: ClassVar[dict] = {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = history_entries(
            self.object.history.all(), self.model, user=self.request.user, masked=self.history_masked
        )
        return context


class ObjectEditView(ScopedViewMixin, FormView):
    """Create (no ``pk`` in the URL) or change a record through a service.

    Subclasses implement ``save(form)`` by calling their service; a ValidationError
    it raises is shown on the form field by field and nothing is saved.
    """

    template_name = "generic/object_edit.html"
    form_class = None
    object = None

    def dispatch(self, request, *args, **kwargs):
        self.scope_action = "change" if "pk" in kwargs else "add"
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        from django.shortcuts import get_object_or_404

        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "pk" in self.kwargs:
            self.object = self.get_object()
            kwargs["instance"] = self.object
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            obj = self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存：%(object)s") % {"object": obj})
        return redirect(obj.get_absolute_url())

    def save(self, form):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context
