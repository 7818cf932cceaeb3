"""Root causes a maintainer confirmed: the lines of a failed check's log that explain it.

Each row is an example the analyser looks for in the repository's later logs
(`triage.failures.core.learned`); the normalised edges are stored, not the log, so an example
outlives the excerpt it was taken from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gitinsight.models.tenancy import TenantModel
from triage.failures.core.learned import ChunkExample


class RootCauseExample(TenantModel):
    tenant_path = "repository__organization"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="root_cause_examples")
    check_name = models.CharField(max_length=255, blank=True, help_text="Check run name the example came from.")
    analysis = models.ForeignKey(
        "triage.CheckFailureAnalysis", null=True, blank=True, on_delete=models.SET_NULL, related_name="confirmed_causes"
    )
    start_line = models.PositiveIntegerField()
    end_line = models.PositiveIntegerField()
    text = models.TextField(help_text="The confirmed lines as shown in the excerpt.")
    first = models.TextField(help_text="Normalised first line of the range.")
    last = models.TextField(help_text="Normalised last line of the range.")
    before = models.TextField(blank=True, help_text="Normalised nearest non-blank line before the range.")
    after = models.TextField(blank=True, help_text="Normalised nearest non-blank line after the range.")
    corrected = models.BooleanField(default=False, help_text="The maintainer chose other lines than the top range.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "root_cause_examples"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_line__gte=models.F("start_line")),
                                   name="root_cause_example_range_valid"),
        ]
        indexes = [models.Index(fields=["repository", "-created_at"], name="idx_root_cause_repo_recent")]

    def __str__(self) -> str:
        return f"{self.check_name or 'check'} lines {self.start_line}-{self.end_line}"

    def as_example(self) -> ChunkExample:
        return ChunkExample(first=self.first, last=self.last, before=self.before, after=self.after,
                            length=self.end_line - self.start_line + 1, source=self.pk)
