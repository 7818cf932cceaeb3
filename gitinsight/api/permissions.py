from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from gitinsight.models import ApiKey
from gitinsight.security.roles import refusal, user_can


class KeyScopePermission(BasePermission):
    """A key needs `read` for safe methods and `write` otherwise; views may ask for more
    with `required_scope`. Session users act with their own rights."""

    message = "This API key does not have the scope this request needs."

    def has_permission(self, request: Request, view) -> bool:
        if not isinstance(request.auth, ApiKey):
            return True
        scope = getattr(view, "required_scope", None) or ("read" if request.method in SAFE_METHODS else "write")
        if not request.auth.allows(scope):
            self.message = f"This API key lacks the '{scope}' scope."
            return False
        return True


class RolePermission(BasePermission):
    """A write asks the caller's role in the organization of the object it acts on. Views say
    what each method needs (`role_actions = {"delete": Action.DELETE_EXAMPLES}`) and call
    `self.check_object_permissions(request, obj)` once they have fetched the object (another
    organization's object is a 404 before it gets here)."""

    def has_object_permission(self, request: Request, view, obj) -> bool:
        action = getattr(view, "role_actions", {}).get(request.method.lower())
        if action is None:
            return True
        if user_can(request.user, action, obj):
            return True
        self.message = refusal(request.user, action, obj)
        return False
