"""The admin's navigation follows a maintainer's tasks, not the apps' tables: what is at
risk, pull requests, failed checks, milestones, repositories, the organization. Internal
tables (training examples, retrieval indexes, task queues, accounts) are for operators
(superusers), under Operations."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.http import HttpRequest

#: (group name, models as "app_label.model_name" in the order shown)
TASK_GROUPS: list[tuple[str, list[str]]] = [
    ("Commit risk", ["analysis.commitriskprediction", "analysis.pullrequestriskprediction", "ingestion.commit",
                     "analysis.modelversion", "analysis.insight", "analysis.repositorystats"]),
    ("Pull requests", ["triage.triagequeueitem", "ingestion.pullrequest", "triage.analysisrun", "triage.cluster",
                       "triage.pullrequestreview", "triage.feedback", "ingestion.review"]),
    ("Failed checks", ["triage.checkfailureanalysis", "ingestion.checkrun", "triage.fixattempt",
                       "triage.rootcauseexample", "ingestion.workflowrun"]),
    ("Milestones", ["sprints.forecastresult", "ingestion.milestone", "sprints.riskassessment",
                    "sprints.recommendation", "ingestion.issue", "sprints.issuedependency"]),
    ("Repositories", ["ingestion.repository", "workspace.analysisjob", "workspace.repositoryfollow",
                      "workspace.notification", "ingestion.installation", "ingestion.webhookdelivery"]),
    ("Organization", ["gitinsight.organization", "gitinsight.membership", "gitinsight.user", "gitinsight.apikey",
                      "gitinsight.auditlog"]),
]
OPERATIONS = "Operations"


def task_app_list(site: AdminSite, request: HttpRequest, app_label: str | None = None) -> list[dict]:
    """Django's app list regrouped by task; every model not placed in a task group goes under
    Operations, shown to superusers only. An app's own index page keeps Django's list."""
    apps = AdminSite.get_app_list(site, request, app_label)
    if app_label is not None:
        return apps
    models = {f"{app['app_label']}.{model['object_name'].lower()}": model for app in apps for model in app["models"]}
    groups, placed = [], set()
    for name, keys in TASK_GROUPS:
        entries = [models[key] for key in keys if key in models]
        placed.update(keys)
        if entries:
            groups.append({"name": name, "app_label": name.lower().replace(" ", "_"), "app_url": "",
                           "has_module_perms": True, "models": entries})
    rest = [model for key, model in models.items() if key not in placed]
    if rest and request.user.is_superuser:
        groups.append({"name": OPERATIONS, "app_label": "operations", "app_url": "", "has_module_perms": True,
                       "models": sorted(rest, key=lambda model: str(model["name"]))})
    return groups
