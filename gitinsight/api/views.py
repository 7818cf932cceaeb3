from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gitinsight.api.serializers import (
    ApiKeyCreatedOutput,
    ApiKeyCreateInput,
    ApiKeyOutput,
    OrganizationOutput,
    UserOutput,
)
from gitinsight.models import ApiKey, Organization
from gitinsight.selectors import api_keys_for_user
from gitinsight.services.api_keys import ApiKeyRefused, api_key_create, api_key_revoke


class MeView(APIView):
    @extend_schema(responses=UserOutput)
    def get(self, request: Request) -> Response:
        return Response(UserOutput(request.user).data)


class ApiKeyListCreateView(APIView):
    """Keys of the caller. Managing keys with a key needs the `admin` scope; a key made with a key
    has no wider scope than it, expires, and never after it."""

    required_scope = "admin"

    @extend_schema(responses=ApiKeyOutput(many=True))
    def get(self, request: Request) -> Response:
        return Response(ApiKeyOutput(api_keys_for_user(request.user), many=True).data)

    @extend_schema(request=ApiKeyCreateInput, responses={201: ApiKeyCreatedOutput})
    def post(self, request: Request) -> Response:
        data = ApiKeyCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        parent = request.auth if isinstance(request.auth, ApiKey) else None
        try:
            created = api_key_create(user=request.user, created_by_key=parent, **data.validated_data)
        except ApiKeyRefused as exc:
            if exc.forbidden:
                raise exceptions.PermissionDenied(str(exc)) from exc
            raise exceptions.ValidationError({exc.field: [str(exc)]}) from exc
        body = ApiKeyOutput(created.api_key).data | {"key": created.plaintext}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiKeyRevokeView(APIView):
    required_scope = "admin"

    @extend_schema(request=None, responses=ApiKeyOutput)
    def post(self, request: Request, pk: int) -> Response:
        api_key = get_object_or_404(api_keys_for_user(request.user), pk=pk)
        return Response(ApiKeyOutput(api_key_revoke(api_key=api_key, by=request.user)).data)


class OrganizationListView(generics.ListAPIView):
    serializer_class = OrganizationOutput

    def get_queryset(self):
        return Organization.objects.visible_to(self.request.user)


class OrganizationDetailView(generics.RetrieveAPIView):
    serializer_class = OrganizationOutput

    def get_queryset(self):
        return Organization.objects.visible_to(self.request.user)
