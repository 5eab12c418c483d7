"""Token authentication for the API: one query, and none for a token checked moments ago."""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

PREFIX = "api-token"


def seconds() -> int:
    return max(0, int(getattr(settings, "API_AUTH_CACHE_SECONDS", 0)))


def digest(key: str) -> str:
    # the token itself never becomes a cache key
    return hashlib.sha256(key.encode()).hexdigest()


def cache_key(key: str) -> str:
    return f"{PREFIX}:{digest(key)}"


def stamp_key(token_digest: str) -> str:
    """Where the stamp of a remembered token lives: answers kept for the token carry it
    (organization.api.caching) and are served only while it is the same."""
    return f"{PREFIX}-stamp:{token_digest}"


def forget(*keys: str) -> None:
    """Drop remembered tokens, and with them every answer kept for them (organization.signals
    calls it when an account or token changes; a user's own write calls forget_user)."""
    cache.delete_many([name for key in keys for name in (cache_key(key), stamp_key(digest(key)))])


def forget_user(user_pk) -> None:
    from rest_framework.authtoken.models import Token

    forget(*Token.objects.filter(user_id=user_pk).values_list("key", flat=True))


class TokenWithJurisdictionAuthentication(TokenAuthentication):
    """Token authentication that loads the account, its jurisdiction and whether it holds
    permissions of its own in one query, and remembers a checked token for
    ``API_AUTH_CACHE_SECONDS`` (0: never) so that a client's next requests need none.

    What is remembered is the account without its password hash (deferred, so it is
    neither kept in the cache nor written back by a save). Changing or deactivating the
    account, its permissions or the token forgets it at once (organization.signals);
    a bulk ``update()`` that sends no signal takes effect within the same seconds.
    """

    def authenticate_credentials(self, key):
        ttl = seconds()
        if ttl:
            remembered = cache.get(cache_key(key))
            if remembered is not None:
                return remembered
        model = self.get_model()
        own = model.user.field.related_model.user_permissions.through.objects.filter(user_id=OuterRef("user_id"))
        try:
            token = (
                model.objects.select_related("user__region")
                .defer("user__password")
                .annotate(has_own_permissions=Exists(own))
                .get(key=key)
            )
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("认证令牌无效。")) from None
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("该账号已停用，请联系管理员。"))
        if not token.has_own_permissions:
            # ModelBackend's own cache of the account's permissions: known empty, no query
            user._user_perm_cache = set()
        if ttl:
            # a new stamp for each check against the database, kept exactly as long as the token
            token.answer_stamp = secrets.token_hex(8)
            cache.set_many({cache_key(key): (user, token), stamp_key(digest(key)): token.answer_stamp}, ttl)
        return user, token
