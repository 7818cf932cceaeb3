"""How GitHub logins become maintainers: the profile fills the User fields, and the user
gets staff access to the admin (what they see there is scoped to their organizations)."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest

from gitinsight.services.maintainers import maintainer_update_from_github


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Local accounts are created by operators (createsuperuser); people sign in with GitHub.
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        return True

    def save_user(self, request: HttpRequest, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        return maintainer_update_from_github(user=user, profile=sociallogin.account.extra_data)

    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        if sociallogin.is_existing:
            maintainer_update_from_github(user=sociallogin.user, profile=sociallogin.account.extra_data)
