from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from gitinsight.models import ApiKey


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
