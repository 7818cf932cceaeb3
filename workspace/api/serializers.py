from rest_framework import serializers

from workspace.job_types import job_types
from workspace.models import AnalysisJob, RepositoryFollow


class FollowInput(serializers.Serializer):
    notification_settings = serializers.JSONField(required=False)


class FollowOutput(serializers.ModelSerializer):
    class Meta:
        model = RepositoryFollow
        fields = ["repository", "followed_at", "notification_settings"]


class JobInput(serializers.Serializer):
    type = serializers.CharField()
    options = serializers.JSONField(required=False, default=dict)

    def validate_type(self, value: str) -> str:
        if value not in job_types():
            raise serializers.ValidationError(f"unknown job type; choose one of {sorted(job_types())}")
        return value


class JobOutput(serializers.ModelSerializer):
    class Meta:
        model = AnalysisJob
        fields = ["id", "repository", "type", "status", "progress", "message", "options", "result", "error_message",
                  "attempts", "started_at", "completed_at", "created_at"]
