from django.db import models

from gitinsight.models.tenancy import TenantModel


class TrainingExample(TenantModel):
    """The Kamei features of one commit with its label once known.
    `label` stays null while the commit is younger than the maturity window: unlabelled, never
    clean."""

    tenant_path = "commit__repository__organization"

    class LabelSource(models.TextChoices):
        SZZ = "szz"
        IMPORTED = "imported"
        NONE = "none"

    commit = models.ForeignKey("ingestion.Commit", on_delete=models.CASCADE, related_name="training_examples")
    feature_vector = models.JSONField()
    feature_version = models.PositiveSmallIntegerField()
    is_fix = models.BooleanField(default=False)
    label = models.PositiveSmallIntegerField(null=True, blank=True, choices=[(0, "clean"), (1, "bug-inducing")])
    label_source = models.CharField(max_length=10, choices=LabelSource.choices, default=LabelSource.NONE)
    labelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "training_examples"
        constraints = [
            models.UniqueConstraint(fields=["commit", "feature_version"], name="training_examples_unique_version"),
            models.CheckConstraint(
                condition=models.Q(label__isnull=True) | models.Q(label__in=[0, 1]), name="training_examples_label_01"
            ),
        ]
        indexes = [
            models.Index(fields=["commit"], name="idx_training_examples_commit"),
            models.Index(fields=["label"], name="idx_training_examples_label"),
            models.Index(fields=["feature_version", "label"], name="idx_training_examples_ver_lbl"),
        ]

    def __str__(self) -> str:
        return f"Features of commit {self.commit.sha[:10]}"


class BugInducingLink(TenantModel):
    """One SZZ link: `fix_commit` deleted or changed `lines` of `path` last touched by
    `inducing_commit` (line numbers in the fix's parent)."""

    tenant_path = "repository__organization"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    fix_commit = models.ForeignKey("ingestion.Commit", on_delete=models.CASCADE, related_name="inducing_links")
    inducing_commit = models.ForeignKey("ingestion.Commit", on_delete=models.CASCADE, related_name="fix_links")
    path = models.TextField()
    lines = models.JSONField(default=list)
    szz_version = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "bug_inducing_links"
        constraints = [
            models.UniqueConstraint(
                fields=["fix_commit", "inducing_commit", "path", "szz_version"], name="bug_inducing_links_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["repository", "szz_version"], name="idx_bil_repo_version"),
            models.Index(fields=["inducing_commit"], name="idx_bil_inducing"),
        ]

    def __str__(self) -> str:
        return f"{self.path}: fixed in {self.fix_commit.sha[:10]}, introduced in {self.inducing_commit.sha[:10]}"
