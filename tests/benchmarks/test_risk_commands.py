import csv
import json
from datetime import UTC, datetime

from django.core.management import call_command

from analysis.core.git_history import commits_from_clone
from tests.analysis.gitrepo import DAY, START


def last_json(capsys) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def day(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d")


def test_risk_evaluate_reads_an_ingested_repository_with_imported_labels(demo, history, tmp_path, capsys):
    repo, inducing = history
    labels = tmp_path / "labels.csv"
    with open(labels, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["commit_id", "author_ts", "buggy", "fix"])
        for record in commits_from_clone(repo.path):
            writer.writerow([record.sha, record.timestamp, record.sha in inducing, False])

    call_command("risk_evaluate", "--repo", "acme/demo", "--train-until", day(START + 40 * DAY),
                 "--test-until", day(repo.clock), "--labels", str(labels))

    result = last_json(capsys)
    assert result["labels_not_in_history"] == 0 and result["fix_source"] == "labels"
    assert result["xgboost"]["n_test"] > 0 and 0 <= result["xgboost"]["auc"] <= 1


def test_risk_evaluate_runs_szz_in_a_clone_against_reference_links(history, tmp_path, capsys):
    repo, inducing = history
    fixes, links = tmp_path / "fixes.csv", tmp_path / "links.csv"
    fixes.write_text("issue_key,commit_id\n" + "".join(f"K-{i},{fix}\n" for i, fix in enumerate(inducing.values())))
    links.write_text("fix_hash,bug_hash\n" + "".join(f"{fix},{bad}\n" for bad, fix in inducing.items()))

    call_command("risk_evaluate", "--path", str(repo.path), "--train-until", day(START + 40 * DAY),
                 "--test-until", day(repo.clock), "--fixes", str(fixes), "--links", str(links), "--maturity-days", "0")

    result = last_json(capsys)
    assert (result["szz_link_precision"], result["szz_link_recall"]) == (1.0, 1.0)


def test_bench_risk_times_training_and_one_prediction(capsys):
    call_command("bench_risk", "--synthetic", "2000", "--predictions", "20")

    result = last_json(capsys)
    assert result["n_train"] == 2000 and result["predict_one_ms"] < 50 and result["train_seconds"] > 0
