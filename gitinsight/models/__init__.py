from gitinsight.models.api_key import ApiKey, RateLimitCounter
from gitinsight.models.audit import AuditLog
from gitinsight.models.organization import Membership, Organization
from gitinsight.models.tenancy import TenantModel
from gitinsight.models.user import User

__all__ = ["ApiKey", "AuditLog", "Membership", "Organization", "RateLimitCounter", "TenantModel", "User"]
