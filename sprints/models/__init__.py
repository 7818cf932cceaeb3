from sprints.models.dependency import IssueDependency
from sprints.models.forecast import ForecastResult, ForecastStatus
from sprints.models.risk import Recommendation, RiskAssessment, RiskSeverity
from sprints.models.search import SearchDocument

__all__ = [
    "ForecastResult",
    "ForecastStatus",
    "IssueDependency",
    "Recommendation",
    "RiskAssessment",
    "RiskSeverity",
    "SearchDocument",
]
