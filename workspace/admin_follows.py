from django.contrib import admin
from django.http import HttpRequest

from analysis.models import Notification, RepositoryFollow
from gitinsight.admin.scoping import ReadOnlyAdmin, TenantScopedAdmin


@admin.register(RepositoryFollow)
class RepositoryFollowAdmin(TenantScopedAdmin):
    organization_path = "repository__organization"
    list_display = ["user", "repository", "followed_at", "notification_settings"]
    list_filter = ["repository"]

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)


@admin.register(Notification)
class NotificationAdmin(TenantScopedAdmin, ReadOnlyAdmin):
    organization_path = "repository__organization"
    list_display = ["created_at", "user", "repository", "kind", "subject", "sent_at", "error"]
    list_filter = ["kind", "repository"]

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)
