from django.urls import path

from gitinsight.api import views

urlpatterns = [
    path("me", views.MeView.as_view(), name="api-me"),
    path("api-keys", views.ApiKeyListCreateView.as_view(), name="api-keys"),
    path("api-keys/<int:pk>/revoke", views.ApiKeyRevokeView.as_view(), name="api-key-revoke"),
    path("organizations", views.OrganizationListView.as_view(), name="api-organizations"),
    path("organizations/<int:pk>", views.OrganizationDetailView.as_view(), name="api-organization"),
]
