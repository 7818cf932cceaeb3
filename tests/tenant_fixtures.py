"""A tenant with one row of every tenant-scoped model, for the isolation walk
(tests/gitinsight/test_tenant_walk.py). Every text a page or a response could show carries
the tenant's marker, so "nothing of A leaks to B" is `marker_a not in page`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.postgres.search import SearchVector
from django.db import models
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from analysis.models import (
    BugInducingLink,
    CommitRiskPrediction,
    Insight,
    ModelVersion,
    PullRequestRiskPrediction,
    RepositoryStats,
    TrainingExample,
)
from analysis.services.stats import repository_stats_refresh
from gitinsight.models import AuditLog, Membership, Organization, User
from gitinsight.services.api_keys import api_key_create
from gitinsight.services.maintainers import maintainer_update_from_github
from ingestion.models import (
    ArchiveEvent,
    BackfillRun,
    CheckRun,
    CheckSuite,
    Comment,
    Commit,
    CommitFile,
    Installation,
    Issue,
    Milestone,
    PullRequest,
    PullRequestCommit,
    PullRequestFile,
    PullRequestStateHistory,
    Repository,
    Review,
    SyncCursor,
    WebhookDelivery,
    WorkflowJob,
    WorkflowRun,
)
from sprints.models import ForecastResult, IssueDependency, Recommendation, RiskAssessment, SearchDocument
from triage.duplicates.models import (
    AnalysisRun,
    CandidateEdge,
    ChangedPath,
    ChannelSignature,
    Cluster,
    ClusterMember,
    CompetingWork,
    ConfigSnapshot,
    ContainmentEdge,
    Embedding,
    Feedback,
    IssueClaim,
    LshBucketEntry,
    Symbol,
)
from triage.failures.models.analyses import CheckFailureAnalysis, FixAttempt, PullRequestReview
from triage.failures.models.root_causes import RootCauseExample
from triage.verdicts.models import CheckRunPolicy, CheckRunPost, GitHubNotice, PullRequestCheckRun
from workspace.models import AnalysisJob, Notification, RepositoryFollow


@dataclass
class Tenant:
    marker: str
    user: User
    organization: Organization
    repository: Repository
    key: str  # plaintext API key of `user` with every scope
    #: one row per model label, e.g. "ingestion.PullRequest"
    rows: dict[str, models.Model] = field(default_factory=dict)
    _admin: Client | None = field(default=None, repr=False)

    def row(self, model: type[models.Model]) -> models.Model:
        return self.rows[model._meta.concrete_model._meta.label]

    def api(self) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.key}")
        return client

    def session(self) -> APIClient:
        client = APIClient()
        client.force_login(self.user)
        return client

    def admin(self) -> Client:
        """A logged-in browser for the admin, kept for the test (logging in costs a session row)."""
        if self._admin is None:
            self._admin = Client()
            self._admin.force_login(self.user)
        return self._admin


def tenant_create(marker: str, *, number: int) -> Tenant:
    """`number` keeps GitHub ids and primary keys of two tenants apart."""
    now = timezone.now()
    base = number * 1_000_000
    sha = f"{number:x}" * 40
    other_sha = f"{number + 1:x}" * 40
    rows: list[models.Model] = []

    def add(instance: models.Model) -> models.Model:
        rows.append(instance)
        return instance

    user = User.objects.create_user(username=f"{marker}-maintainer", password="x-long-password",
                                    email=f"{marker}@example.org")
    maintainer_update_from_github(user=user, profile={"id": base + 1, "name": f"{marker} Maintainer"})
    organization = Organization.objects.create(login=marker, name=f"{marker} Inc", github_id=base + 2)
    add(Membership.objects.create(organization=organization, user=user, role=Membership.Role.OWNER))
    user.refresh_from_db()  # staff now: staff status follows the membership
    key = api_key_create(user=user, name=f"{marker} key", permissions=["read", "write", "admin"], rate_limit=5000)
    add(key.api_key)
    add(AuditLog.objects.create(user=user, action=f"{marker}.tested", resource_type="repository",
                                resource_id=marker, details={"marker": marker}))

    installation = add(Installation.objects.create(github_id=base + 3, organization=organization,
                                                   account_login=marker))
    repository = add(Repository.objects.create(
        organization=organization, installation=installation, github_id=base + 4, owner=marker, name="repo",
        full_name=f"{marker}/repo", description=f"{marker} repository", language="Python", stars=number,
    ))
    scoped = {"repository": repository}
    milestone = add(Milestone.objects.create(**scoped, github_id=base + 5, number=1, title=f"{marker} milestone",
                                             due_on=now + timedelta(days=14), created_at=now - timedelta(days=14)))
    issue = add(Issue.objects.create(**scoped, github_id=base + 6, milestone=milestone, number=2,
                                     title=f"{marker} issue", body=f"{marker} body"))
    blocker = Issue.objects.create(**scoped, github_id=base + 7, number=5, title=f"{marker} blocker")
    pull_request = add(PullRequest.objects.create(
        **scoped, github_id=base + 8, milestone=milestone, number=3, title=f"{marker} pull request",
        head_sha=sha, author_login=marker, state=PullRequest.State.OPEN,
    ))
    candidate = PullRequest.objects.create(**scoped, github_id=base + 9, number=4, title=f"{marker} candidate",
                                           head_sha=other_sha)
    commit = add(Commit.objects.create(**scoped, sha=sha, message=f"{marker} commit",
                                       author_name=marker, authored_at=now, committed_at=now))
    inducing = Commit.objects.create(**scoped, sha=other_sha, message=f"{marker} inducing", authored_at=now)
    add(CommitFile.objects.create(**scoped, commit=commit, path=f"{marker}/app.py", status="MODIFIED",
                                  channel="PRODUCTION"))
    add(PullRequestFile.objects.create(**scoped, pull_request=pull_request, head_sha=sha, path=f"{marker}/app.py",
                                       status="MODIFIED", channel="PRODUCTION"))
    add(PullRequestStateHistory.objects.create(**scoped, pull_request=pull_request, new_state="open",
                                               trigger_event="opened", head_sha=sha, delivery_id=marker))
    add(PullRequestCommit.objects.create(**scoped, pull_request=pull_request, sha=sha, commit=commit))
    review = add(Review.objects.create(**scoped, github_id=base + 10, pull_request=pull_request, state="APPROVED",
                                       body=f"{marker} review", author_login=marker))
    add(Comment.objects.create(**scoped, github_id=base + 11, kind="review", review=review,
                               pull_request=pull_request, body=f"{marker} comment", author_login=marker))
    suite = add(CheckSuite.objects.create(**scoped, github_id=base + 12, head_sha=sha, head_branch=marker))
    check_run = add(CheckRun.objects.create(
        **scoped, github_id=base + 13, pull_request=pull_request, check_suite=suite, name=f"{marker} tests",
        head_sha=sha, status="completed", conclusion="failure", output_title=marker,
    ))
    workflow_run = add(WorkflowRun.objects.create(**scoped, github_id=base + 14, pull_request=pull_request,
                                                  name=f"{marker} ci", head_sha=sha, head_branch=marker))
    workflow_job = add(WorkflowJob.objects.create(**scoped, github_id=base + 15, run=workflow_run,
                                                  run_github_id=workflow_run.github_id, name=f"{marker} job",
                                                  head_sha=sha))
    add(SyncCursor.objects.create(**scoped, resource="pulls", error=marker))
    add(BackfillRun.objects.create(**scoped, requested_by=user, error=marker))
    add(ArchiveEvent.objects.create(github_id=base + 16, event_type="PushEvent", repository=repository,
                                    repository_full_name=repository.full_name, created_at=now))
    add(WebhookDelivery.objects.create(delivery_id=f"{marker}-delivery", event="push", payload_sha256="0" * 64,
                                       payload={"marker": marker}, repository=repository,
                                       repository_github_id=repository.github_id))

    # analysis
    add(RepositoryFollow.objects.create(user=user, repository=repository))
    add(Notification.objects.create(user=user, repository=repository, kind="high_risk_commit",
                                    event_key=f"{marker}:1", subject=f"{marker} notice", body=marker))
    trend = [{"month": "2026-01", "mean_risk": 0.5, "fix_share": 0.1, "note": marker}]
    add(Insight.objects.create(**scoped, type=Insight.Type.RISK_TREND, title=f"{marker} insight",
                               confidence_score="0.50", data={"items": trend}, generated_at=now))
    add(AnalysisJob.objects.create(**scoped, type="triage", message=f"{marker} job", created_by=user))
    model_version = add(ModelVersion.objects.create(**scoped, version=1, feature_version=1, model_bytes=b"",
                                                    is_active=True, metrics={"marker": marker}))
    features = [{"feature": marker, "value": 1.0, "contribution": 0.5}]
    add(CommitRiskPrediction.objects.create(commit=commit, model_version=model_version, probability=0.9,
                                            risk_level="high", top_features=features))
    add(PullRequestRiskPrediction.objects.create(pull_request=pull_request, head_sha=sha, model_version=model_version,
                                                 probability=0.9, risk_level="high", commit_count=1,
                                                 riskiest_commit=commit, top_features=features))
    add(TrainingExample.objects.create(commit=commit, feature_vector={"marker": 1}, feature_version=1))
    add(BugInducingLink.objects.create(**scoped, fix_commit=commit, inducing_commit=inducing,
                                       path=f"{marker}/app.py", szz_version=1))

    # triage
    analysis = add(CheckFailureAnalysis.objects.create(
        check_run=check_run, workflow_job=workflow_job, pull_request=pull_request, head_sha=sha, status="done",
        attribution="new", attribution_confidence=0.9, rules_version="1", suggested_fix=f"{marker} fix",
        recommended_action="fix", analysed_at=now, full_log=f"{marker} setup\nerror: {marker} broke\n",
    ))
    add(RootCauseExample.objects.create(repository=repository, check_name=check_run.name, analysis=analysis,
                                        start_line=2, end_line=2, text=f"error: {marker} broke",
                                        first="error: # broke", last="error: # broke", before="# setup"))
    add(FixAttempt.objects.create(analysis=analysis, strategy="rerun", details={"marker": marker}))
    add(PullRequestReview.objects.create(pull_request=pull_request, head_sha=sha, reviewer_type="ci",
                                         summary=f"{marker} verdict"))
    cluster = add(Cluster.objects.create(**scoped, algorithm_version=1, signature_version=1,
                                         summary_json={"marker": marker}))
    add(ClusterMember.objects.create(**scoped, cluster=cluster, pull_request=pull_request, head_sha=sha))
    add(ContainmentEdge.objects.create(**scoped, cluster=cluster, from_pull_request=pull_request, from_head_sha=sha,
                                       to_pull_request=candidate, to_head_sha=other_sha, basis="PROD_SHINGLES",
                                       containment=0.5))
    add(ConfigSnapshot.objects.create(config_version=base + 17, repository=repository,
                                      classification_rules_yaml=marker, thresholds_yaml=marker))
    add(Embedding.objects.create(**scoped, entity_type="pull_request", entity_id=str(pull_request.pk),
                                 model=marker, vector=_unit_vector(number), content_sha256="0" * 64))
    run = add(AnalysisRun.objects.create(**scoped, pull_request=pull_request, head_sha=sha, signature_version=1,
                                         algorithm_version=1, config_version=base + 17, status="DONE"))
    edge = add(CandidateEdge.objects.create(
        analysis_run=run, **scoped, pull_request_a=pull_request, head_sha_a=sha, pull_request_b=candidate,
        head_sha_b=other_sha, rank=1, category="SAME_CHANGE", final_score=0.95, evidence_json={"paths": [marker]},
    ))
    add(Feedback.objects.create(**scoped, pull_request=pull_request, head_sha=sha, candidate_pull_request=candidate,
                                candidate_head_sha=other_sha, edge=edge, decision="RELATED", actor=user,
                                actor_login=marker, notes=marker))
    add(GitHubNotice.objects.create(**scoped, pull_request=pull_request, candidate_pull_request=candidate,
                                    head_sha=sha, github_comment_id=base + 18, body_sha256="0" * 64))
    add(CheckRunPolicy.objects.create(organization=organization, repository=repository, enabled=True))
    check_run_row = add(PullRequestCheckRun.objects.create(
        **scoped, pull_request=pull_request, head_sha=sha, github_id=base + 20, title=f"{marker} verdict",
        summary=f"{marker} summary", status="completed", conclusion="neutral"))
    add(CheckRunPost.objects.create(check_run=check_run_row, action="create", succeeded=True, http_status=201,
                                    title=f"{marker} verdict"))
    add(ChangedPath.objects.create(**scoped, pull_request=pull_request, head_sha=sha, channel="PRODUCTION",
                                   path=f"{marker}/app.py"))
    add(Symbol.objects.create(**scoped, pull_request=pull_request, head_sha=sha, symbol=marker, kind="decl"))
    add(LshBucketEntry.objects.create(**scoped, index_name="band", bucket_id=base + 19, pull_request=pull_request,
                                      head_sha=sha))
    add(ChannelSignature.objects.create(**scoped, pull_request=pull_request, head_sha=sha, channel="PRODUCTION",
                                        signature_version=1, paths_json=[marker]))
    add(IssueClaim.objects.create(**scoped, pull_request=pull_request, issue_number=issue.number,
                                  source=f"{marker} description"))
    add(CompetingWork.objects.create(**scoped, pull_request=pull_request, kind="SAME_ISSUE",
                                     issue_number=issue.number, other_pull_request=candidate, confidence=0.5,
                                     evidence_json={"claims": [marker]}))

    # sprints
    add(IssueDependency.objects.create(issue=issue, depends_on_issue=blocker))
    forecast = add(ForecastResult.objects.create(
        milestone=milestone, completion_probability=40, status="off_track", health_score=40, velocity_current=1,
        model_version="1", reasoning=f"{marker} reasoning", analyzed_at=now,
    ))
    risk = add(RiskAssessment.objects.create(forecast=forecast, risk_type="scope", severity="high", probability=50,
                                             title=f"{marker} risk", confidence=50, detected_at=now))
    add(Recommendation.objects.create(forecast=forecast, risk=risk, category="scope", priority=1,
                                      action=f"{marker} recommendation", effort_estimate=1))
    document = add(SearchDocument.objects.create(
        **scoped, kind="issue", key=str(issue.number), title=f"{marker} issue", text=f"{marker} body",
        content_sha256="0" * 64, vector=_unit_vector(number), embedding_model="test",
    ))
    SearchDocument.objects.filter(pk=document.pk).update(search_vector=SearchVector("title", "text"))

    tenant = Tenant(marker=marker, user=user, organization=organization, repository=repository, key=key.plaintext)
    rows += [organization, user]
    tenant.rows = {type(row)._meta.label: row for row in rows}
    return tenant


def repository_stats_load(*tenants: Tenant) -> None:
    """The materialized view has rows only after a refresh."""
    repository_stats_refresh()
    for tenant in tenants:
        tenant.rows[RepositoryStats._meta.label] = RepositoryStats.objects.get(repository=tenant.repository)


def _unit_vector(number: int) -> list[float]:
    vector = [0.0] * 384
    vector[number % 384] = 1.0
    return vector
