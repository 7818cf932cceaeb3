from analysis.models.insight import Insight
from analysis.models.model_version import ModelVersion
from analysis.models.prediction import CommitRiskPrediction, PullRequestRiskPrediction, RiskLevel
from analysis.models.stats import RepositoryStats
from analysis.models.training import BugInducingLink, TrainingExample

__all__ = [
    "BugInducingLink",
    "CommitRiskPrediction",
    "Insight",
    "ModelVersion",
    "PullRequestRiskPrediction",
    "RepositoryStats",
    "RiskLevel",
    "TrainingExample",
]
