"""The targets of the commit-risk issue on real data: Apache ZooKeeper with the ApacheJIT
labels. Skipped when the data or the clone is absent."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from analysis.core.bugfix import fix_list_read
from analysis.core.git_history import commits_from_clone
from analysis.core.global_model import global_model_load
from analysis.core.labels import labels_read, links_read
from analysis.core.metrics import link_agreement
from analysis.core.szz import szz_links
from benchmarks.risk.evaluation import EvaluationRequest, risk_evaluate

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT.parent / "shared" / "data" / "jit" / "apachejit-zookeeper"
CLONE = ROOT.parent / "repos" / "zookeeper"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not DATA.is_dir(), reason=f"ApacheJIT data not found at {DATA}"),
    pytest.mark.skipif(not (CLONE / ".git").is_dir(), reason=f"no apache/zookeeper clone at {CLONE} (fetch it)"),
]


def end_of(day: str) -> int:
    return int(datetime.fromisoformat(f"{day}T23:59:59+00:00").astimezone(UTC).timestamp())


def test_xgboost_and_the_global_model_meet_the_targets_with_the_reference_labels():
    request = EvaluationRequest(
        train_until=end_of("2016-12-31"), test_until=end_of("2019-12-31"),
        labels=labels_read(DATA / "reference_labels.csv"),
        fix_shas=tuple(fix_list_read(DATA / "ZOOKEEPER_fixes.csv").shas),
        global_model=global_model_load(), labels_as_of=end_of("2019-12-31"),
    )

    result = risk_evaluate(commits_from_clone(CLONE, revision="master"), request)

    assert result["xgboost"]["auc"] >= 0.80 and result["xgboost"]["recall_at_20_effort"] >= 0.58
    assert result["xgboost"]["ece"] <= 0.05
    # ... and 256 test commits cannot tell its probabilities from perfectly calibrated ones.
    assert result["xgboost"]["ece_p_value"] > 0.05
    assert result["xgboost"]["auc"] > result["lapredict"]["auc"]
    # The global model never saw a ZooKeeper commit.
    assert result["global"]["n_train"] == 0 and result["global"]["auc"] >= 0.75
    assert result["global"]["auc"] > result["lapredict"]["auc"]


def test_szz_agrees_with_apachejit_on_the_first_fixes():
    fixes = list(dict.fromkeys(fix_list_read(DATA / "ZOOKEEPER_fixes.csv").issue_keys_by_sha))[:40]
    reference = {pair for pair in links_read(DATA / "commit_links_ZOOKEEPER.csv") if pair[0] in fixes}

    found = {(link.fix_sha, link.inducing_sha) for link in szz_links(str(CLONE), fixes)}

    agreement = link_agreement(found, reference)
    assert agreement.precision >= 0.9 and agreement.recall >= 0.9
