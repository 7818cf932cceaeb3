from workspace.models.follow import Notification, RepositoryFollow
from workspace.models.job import AnalysisJob

__all__ = ["AnalysisJob", "Notification", "RepositoryFollow"]
