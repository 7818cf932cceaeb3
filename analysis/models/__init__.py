from analysis.models.insight import Insight
from analysis.models.model_version import ModelVersion
from analysis.models.prediction import CommitRiskPrediction, PullRequestRiskPrediction, RiskLevel
from analysis.models.stats import RepositoryStats
from analysis.models.training import BugInducingLink, TrainingExample
from workspace.models.follow import Notification, RepositoryFollow
from workspace.models.job import AnalysisJob

__all__ = [
    "AnalysisJob",
    "BugInducingLink",
    "CommitRiskPrediction",
    "Insight",
    "ModelVersion",
    "Notification",
    "PullRequestRiskPrediction",
    "RepositoryFollow",
    "RepositoryStats",
    "RiskLevel",
    "TrainingExample",
]
