"""Scoping: which records a user may see or change.

Every model that reaches a user has ``ScopedQuerySet`` as its default manager and
says, with ``scope_region_field``, which region the record belongs to. A user then
sees the records whose region lies in the subtree of their jurisdiction, and only
for the kinds of record their role allows (organization.roles). Views and API
viewsets call ``visible_to`` before any handler runs (organization.views /
organization.api.views), so an out-of-scope record is a 404 like a missing one.
"""

from django.db import models
from django.db.models import Q


def permission_name(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """The records ``user`` may ``action`` (view, add, change, delete)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not user.has_perm(permission_name(self.model, action)):
            return self.none()
        return self.filter(self.model.scope_q(user))


class ScopedModelMixin:
    """Gives a model the default region scope; override ``scope_q`` for other rules."""

    #: lookup from the model to its Region ("" when the model is Region itself)
    scope_region_field: str = "region"

    @classmethod
    def scope_q(cls, user) -> Q:
        region = user.region
        if region is None:
            return Q(pk__in=[])
        prefix = f"{cls.scope_region_field}__" if cls.scope_region_field else ""
        return Q(**{f"{prefix}path__startswith": region.path})
