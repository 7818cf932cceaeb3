from django.db import models

from gitinsight.models.tenancy import TenantModel


class IssueDependency(TenantModel):
    """`issue` cannot finish before `depends_on_issue` (table `issue_dependencies`), as stated in the
    text of either issue: "blocked by #N", "depends on #N", "#N blocks ...", task lists, links."""

    tenant_path = "issue__repository__organization"

    class Type(models.TextChoices):
        BLOCKED_BY = "blocked_by", "Blocked by"
        BLOCKS = "blocks", "Blocks (stated on the blocker)"
        TASK_LIST = "task_list", "Task list item"
        RELATED = "related", "Related"

    issue = models.ForeignKey("ingestion.Issue", on_delete=models.CASCADE, related_name="dependencies")
    depends_on_issue = models.ForeignKey("ingestion.Issue", on_delete=models.CASCADE, related_name="dependents")
    dependency_type = models.CharField(max_length=20, choices=Type.choices, default=Type.BLOCKED_BY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "issue_dependencies"
        verbose_name_plural = "issue dependencies"
        constraints = [
            models.UniqueConstraint(fields=["issue", "depends_on_issue"], name="issue_dependencies_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(issue=models.F("depends_on_issue")), name="issue_dependencies_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["issue"], name="idx_issue_deps_issue"),
            models.Index(fields=["depends_on_issue"], name="idx_issue_deps_depends_on"),
        ]

    def __str__(self) -> str:
        return f"#{self.issue.number} depends on #{self.depends_on_issue.number}"
