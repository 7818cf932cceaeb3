from __future__ import annotations

from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from gitinsight.models import ApiKey
from gitinsight.security.api_key_entry import api_key_enter, api_key_remember
from gitinsight.services.api_keys import api_key_for_plaintext, api_key_hash

# last_used is written at most this often per key, so that a busy client does not turn
# every read into a write.
LAST_USED_RESOLUTION_SECONDS = 60


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer <key>`. Sets request.auth to the ApiKey."""

    keyword = b"bearer"

    # Error reports hide these locals; error messages never repeat the key.
    @sensitive_variables("header", "plaintext")
    def authenticate(self, request: Request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed Authorization header; expected 'Bearer <key>'.")
        try:
            plaintext = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("The API key contains invalid characters.") from exc

        # Entering the key also enters its user's organizations for the rest of the request
        # (TenantScopeMiddleware, which ran before the view authenticated the key, puts its own
        # scope back after).
        digest = api_key_hash(plaintext)
        api_key = api_key_enter(digest)
        if api_key is None:
            api_key_remember(digest, self._usable_key(plaintext))
            api_key = api_key_enter(digest)
            if api_key is None:  # revoked or expired a moment ago
                raise exceptions.AuthenticationFailed("This API key is no longer usable.")

        now = timezone.now()
        if api_key.last_used is None or (now - api_key.last_used).total_seconds() >= LAST_USED_RESOLUTION_SECONDS:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used=now)
            api_key.last_used = now
        return api_key.user, api_key

    @sensitive_variables("plaintext")
    def _usable_key(self, plaintext: str) -> ApiKey:
        """The key whose plaintext this is, read from the database, or the reason it is refused."""
        api_key = api_key_for_plaintext(plaintext)
        if api_key is None:
            raise exceptions.AuthenticationFailed("Unknown API key.")
        if not api_key.is_active:
            raise exceptions.AuthenticationFailed("This API key has been revoked.")
        if api_key.expires_at is not None and api_key.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed("This API key has expired.")
        if not api_key.user.is_active:
            raise exceptions.AuthenticationFailed("The owner of this API key is inactive.")
        return api_key

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """ApiKeyAuthentication in the OpenAPI schema (defining the class registers it)."""

    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema) -> dict:
        return {"type": "http", "scheme": "bearer", "description": "An API key: `Authorization: Bearer gi_…`."}
