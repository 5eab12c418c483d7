from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class TokenWithJurisdictionAuthentication(TokenAuthentication):
    """Token authentication that loads the account's jurisdiction in the same query."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user__region").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("认证令牌无效。")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("该账号已停用，请联系管理员。"))
        return (token.user, token)
