"""Measure attribution on labelled cases, above all real failures called FLAKY (the
worst error: the author is told to re-run instead of fixing a bug).

A case is a folder with `failed.log`, optional `passed.log`, `facts.json` (what the
database would have known) and `label.json` `{"attribution": "new"}`:

    facts.json = {"sha": "...", "job_name": "...", "failed_at": "2026-07-30T11:00:00+00:00",
                  "other_attempts": [{"attempt": 2, "conclusion": "success"}],
                  "sightings": [{"sha": "...", "seen_at": "...", "on_base": false, "same_failure": true}],
                  "unstable_issues": [{"number": 7, "title": "UNSTABLE build"}]}

A sighting says whether it is the same failure (`same_failure`) rather than carrying a
fingerprint, so a case does not depend on the fingerprint algorithm of one rules version.
Whether fingerprints tell different failures apart is measured on labelled logs instead,
in `benchmarks.failures.fingerprints` (`ci_attribution_eval --logchunks`).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from triage.failures.core.analysis import analyse_log
from triage.failures.core.attribution import (
    AttemptOutcome,
    Attribution,
    AttributionFacts,
    FailureSighting,
    UnstableIssue,
    attribute_failure,
)


@dataclass
class EvaluationResult:
    n: int = 0
    correct: int = 0
    confusion: Counter = field(default_factory=Counter)  # (label, predicted) -> count
    real_called_flaky: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        real = sum(count for (label, _), count in self.confusion.items() if label == Attribution.NEW)
        return {
            "n": self.n,
            "accuracy": round(self.correct / self.n, 4) if self.n else 0.0,
            "real_failures": real,
            "real_called_flaky": len(self.real_called_flaky),
            "real_called_flaky_rate": round(len(self.real_called_flaky) / real, 4) if real else 0.0,
            "real_called_flaky_cases": self.real_called_flaky,
            "confusion": {f"{label}->{predicted}": count
                          for (label, predicted), count in sorted(self.confusion.items())},
        }


def case_facts(folder: Path, fingerprint: str, fingerprint_confidence: float) -> AttributionFacts:
    raw = json.loads((folder / "facts.json").read_text())
    sightings = [FailureSighting(sha=s["sha"], fingerprint=fingerprint if s.get("same_failure") else f"other:{i}",
                                 seen_at=datetime.fromisoformat(s["seen_at"]), on_base=bool(s.get("on_base")))
                 for i, s in enumerate(raw.get("sightings", []))]
    return AttributionFacts(
        sha=raw["sha"], job_name=raw["job_name"], fingerprint=fingerprint,
        fingerprint_confidence=fingerprint_confidence, failed_at=datetime.fromisoformat(raw["failed_at"]),
        other_attempts=[AttemptOutcome(a.get("attempt", 0), a["conclusion"]) for a in raw.get("other_attempts", [])],
        sightings=sightings,
        unstable_issues=[UnstableIssue(i["number"], i["title"], i.get("body", ""))
                         for i in raw.get("unstable_issues", [])],
    )


def evaluate_cases(root: Path) -> EvaluationResult:
    result = EvaluationResult()
    for folder in sorted(p for p in root.iterdir() if (p / "label.json").exists()):
        passed = folder / "passed.log"
        analysis = analyse_log((folder / "failed.log").read_text(errors="replace"),
                               passed.read_text(errors="replace") if passed.exists() else None)
        verdict = attribute_failure(case_facts(folder, analysis.fingerprint, analysis.fingerprint_confidence))
        label = Attribution(json.loads((folder / "label.json").read_text())["attribution"])
        result.n += 1
        result.correct += verdict.attribution is label
        result.confusion[(label.value, verdict.attribution.value)] += 1
        if label is Attribution.NEW and verdict.attribution is Attribution.FLAKY:
            result.real_called_flaky.append(folder.name)
    return result


def stored_flaky_contradicted(repository_id: int | None = None) -> dict:
    """Stored FLAKY verdicts that later runs contradict: the same job on the same commit
    was run again afterwards, failed again, and never passed. Such a failure was most
    likely real; the count is a lower bound of the worst error in production."""
    from django.db.models import Exists, OuterRef, Q

    from ingestion.models import AnalysisStatus, CheckRun
    from triage.failures.core.rules import RULES_VERSION
    from triage.failures.models.analyses import CheckFailureAnalysis, FailureAttribution

    same_job = Q(repository_id=OuterRef("check_run__repository_id"), head_sha=OuterRef("head_sha"),
                 name=OuterRef("check_run__name"), status="completed")
    failed_again = CheckRun.objects.filter(same_job, conclusion="failure",
                                           completed_at__gt=OuterRef("check_run__completed_at"))
    passed = CheckRun.objects.filter(same_job, conclusion="success")
    flaky = CheckFailureAnalysis.objects.filter(attribution=FailureAttribution.FLAKY, status=AnalysisStatus.DONE,
                                                rules_version=RULES_VERSION)
    if repository_id is not None:
        flaky = flaky.filter(check_run__repository_id=repository_id)
    contradicted = list(flaky.filter(Exists(failed_again)).exclude(Exists(passed)).values_list("pk", flat=True))
    total = flaky.count()
    return {"flaky_verdicts": total, "contradicted": len(contradicted),
            "contradicted_rate": round(len(contradicted) / total, 4) if total else 0.0,
            "contradicted_analyses": contradicted}
