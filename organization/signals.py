"""Forget remembered API tokens (organization.api.authentication) when what they stand for changes."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from .api.authentication import forget, forget_user
from .models import User


@receiver(post_save, sender=User, dispatch_uid="organization.forget_tokens_on_user_save")
def user_saved(sender, instance, **kwargs):
    forget_user(instance.pk)


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="organization.forget_tokens_on_perms")
def permissions_changed(sender, instance, action, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, User):
        forget_user(instance.pk)
    elif pk_set:  # changed from the permission's side
        for user_pk in pk_set:
            forget_user(user_pk)


@receiver([post_save, post_delete], sender=Token, dispatch_uid="organization.forget_changed_token")
def token_changed(sender, instance, **kwargs):
    forget(instance.key)
