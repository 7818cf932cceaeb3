from rest_framework import serializers

from analysis.models import CommitRiskPrediction, Insight, ModelVersion, PullRequestRiskPrediction, RepositoryStats


class EvidenceOutput(serializers.Serializer):
    feature = serializers.CharField()
    value = serializers.FloatField()
    contribution = serializers.FloatField()
    raises = serializers.BooleanField(required=False)
    reason = serializers.CharField(required=False)


class CommitRiskOutput(serializers.ModelSerializer):
    sha = serializers.CharField(source="commit.sha")
    repository = serializers.CharField(source="commit.repository.full_name")
    model_version = serializers.IntegerField(source="model_version.version")
    top_features = EvidenceOutput(many=True)

    class Meta:
        model = CommitRiskPrediction
        fields = ["id", "sha", "repository", "probability", "percentile", "risk_level", "model_version", "top_features",
                  "created_at"]


class PullRequestRiskOutput(serializers.ModelSerializer):
    number = serializers.IntegerField(source="pull_request.number")
    repository = serializers.CharField(source="pull_request.repository.full_name")
    model_version = serializers.IntegerField(source="model_version.version")
    riskiest_commit = serializers.CharField(source="riskiest_commit.sha", default=None)
    top_features = EvidenceOutput(many=True)

    class Meta:
        model = PullRequestRiskPrediction
        fields = ["id", "number", "repository", "head_sha", "probability", "percentile", "risk_level", "commit_count",
                  "riskiest_commit", "model_version", "top_features", "created_at"]


class ModelVersionOutput(serializers.ModelSerializer):
    repository = serializers.CharField(source="repository.full_name")

    class Meta:
        model = ModelVersion
        fields = ["id", "repository", "version", "algorithm", "selection_reason", "feature_version", "train_from",
                  "train_until", "holdout_from", "holdout_until", "n_train", "n_holdout", "metrics", "is_active",
                  "promoted_at", "created_at"]


class InsightOutput(serializers.ModelSerializer):
    class Meta:
        model = Insight
        fields = ["id", "repository", "type", "title", "description", "confidence_score", "data", "tags",
                  "model_version", "generated_at"]


class TrendingOutput(serializers.ModelSerializer):
    repository = serializers.IntegerField(source="repository_id")

    class Meta:
        model = RepositoryStats
        fields = ["repository", "full_name", "language", "stars", "forks", "total_insights", "avg_confidence",
                  "latest_insight", "follower_count", "recent_insight_count", "trending_score"]
