from rest_framework import serializers

from gitinsight.models import ApiKey, Organization, User
from gitinsight.models.api_key import SCOPES


class UserOutput(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id", "username", "email", "github_id", "name", "avatar_url", "bio", "location", "company",
            "subscription_tier", "last_login", "created_at",
        ]


class OrganizationOutput(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "login", "name", "github_id", "avatar_url", "created_at"]


class ApiKeyOutput(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = [
            "id", "name", "prefix", "permissions", "rate_limit", "last_used", "expires_at", "is_active",
            "created_at", "revoked_at",
        ]


class ApiKeyCreatedOutput(ApiKeyOutput):
    key = serializers.CharField(help_text="The key itself. Shown only in this response.")

    class Meta(ApiKeyOutput.Meta):
        fields = [*ApiKeyOutput.Meta.fields, "key"]


class ApiKeyCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    permissions = serializers.ListField(
        child=serializers.ChoiceField(choices=SCOPES), min_length=1, default=lambda: ["read"]
    )
    rate_limit = serializers.IntegerField(min_value=1, default=1000,
                                         help_text="Requests per hour, at most the server's API_KEY_MAX_RATE_LIMIT.")
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None,
        help_text="None: never, for a key made while signed in; a key made with a key always expires, "
                  "at the latest when that key does.")
