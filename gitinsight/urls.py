from allauth.account import views as account_views
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from gitinsight.api.errors import api_not_found
from gitinsight.operations.health import healthz
from gitinsight.operations.views import operations_view
from gitinsight.security.admin_login import AdminLoginForm, admin_login
from gitinsight.security.password_pages import local_passwords_only

admin.site.site_header = "GitInsight"
admin.site.site_title = "GitInsight"
admin.site.index_title = "Maintainers' workspace"
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/operations/", admin.site.admin_view(operations_view), name="admin-operations"),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("webhooks/", include("ingestion.api.webhook_urls")),
    path("accounts/password/set/", local_passwords_only(account_views.password_set)),
    path("accounts/password/change/", local_passwords_only(account_views.password_change)),
    path("accounts/", include("allauth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/v1/", include("gitinsight.api.urls")),
    path("api/v1/", include("ingestion.api.urls")),
    path("api/v1/", include("workspace.api.urls")),
    path("api/v1/", include("analysis.api.urls")),
    path("api/v1/", include("sprints.api.urls")),
    path("api/v1/triage/", include("triage.api.urls")),
    re_path(r"^api/(?P<path>.*)$", api_not_found),
]

handler403 = "gitinsight.security.error_pages.permission_denied"
handler404 = "gitinsight.security.error_pages.page_not_found"
handler500 = "gitinsight.security.error_pages.server_error"
