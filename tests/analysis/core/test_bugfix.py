from analysis.core.bugfix import FixDetector, TrackerMapping, fix_list_read
from analysis.core.records import CommitRecord


def message(text: str) -> CommitRecord:
    return CommitRecord(sha="s" + str(abs(hash(text))), author="a", timestamp=0, message=text)


def test_it_trusts_an_imported_fix_list_over_the_message():
    record = message("Fix crash")
    assert FixDetector(fix_shas={"other"}).is_fix(record) is False
    assert FixDetector(fix_shas={record.sha}).is_fix(record) is True


def test_it_recognises_tracker_keys_typed_as_bugs():
    tracker = TrackerMapping(key_pattern=r"\b(ZOOKEEPER-\d+)\b", bug_keys={"ZOOKEEPER-12": None})
    detector = FixDetector(tracker=tracker, use_keywords=False)

    assert detector.is_fix(message("ZOOKEEPER-12. session expires too early"))
    assert not detector.is_fix(message("ZOOKEEPER-13. add metrics"))


def test_it_recognises_closing_references_to_bug_issues():
    detector = FixDetector(github_bug_numbers={7: None}, use_keywords=False)

    assert detector.is_fix(message("Handle empty config\n\nFixes #7"))
    assert not detector.is_fix(message("Handle empty config\n\nFixes #8"))


def test_keywords_skip_cosmetic_fixes():
    detector = FixDetector()

    assert detector.is_fix(message("Fix NPE when the leader dies"))
    assert not detector.is_fix(message("Fix typo in docs"))
    assert not detector.is_fix(message("Add prefix option"))


def test_it_reads_a_fix_list(tmp_path):
    path = tmp_path / "fixes.csv"
    path.write_text("issue_key,commit_id\nZK-1,abc\nZK-2,abc\nZK-3,def\n")

    fixes = fix_list_read(path)

    assert fixes.shas == {"abc", "def"} and fixes.issue_keys_by_sha["abc"] == ["ZK-1", "ZK-2"]


def test_it_knows_when_the_referenced_bugs_were_reported():
    tracker = TrackerMapping(key_pattern=r"\b(ZK-\d+)\b", bug_keys={"ZK-1": 500, "ZK-2": None})
    detector = FixDetector(tracker=tracker, github_bug_numbers={3: 300})

    assert detector.bug_reported_at(message("ZK-1 ZK-2. Fix race\n\nCloses #3")) == 300
    assert detector.bug_reported_at(message("ZK-2. Fix race")) is None
