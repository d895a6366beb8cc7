"""How an API request is authenticated: the phone's token (django-rest-knox), in one statement.

Kept apart from the login views (disputes.api.auth): REST framework imports this
while it loads its settings, before its views can be imported.
"""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth as knox_auth
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions


class TokenAuthentication(knox_auth.TokenAuthentication):
    """knox's token check in one statement: the token with its user and their staff row.

    knox reads all the user's other tokens on every request to delete the expired
    ones; here the nightly retention job does that (upkeep's api_tokens_purge), so a
    request checks the token it presents (an expired one is deleted and refused, as
    knox does) and reads the user's staff row with it, which every scoped answer needs.
    """

    def authenticate_credentials(self, token):
        token = token.decode("utf-8")
        candidates = AuthToken.objects.filter(
            token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH]
        ).select_related("user", "user__staff")
        for auth_token in candidates:
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                auth_token.delete()
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error) as error:
                raise exceptions.AuthenticationFailed(_("Invalid token.")) from error
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(_("Invalid token."))


class TokenScheme(KnoxTokenScheme):
    """The API's schema describes the token as for knox's own class."""

    target_class = "disputes.api.authentication.TokenAuthentication"
