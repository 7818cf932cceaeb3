from analysis.core.labels import label_file_fixes, labels_from_links, labels_read, links_read
from analysis.core.records import CommitRecord
from analysis.core.szz import InducingLink

DAY = 86_400


def test_young_commits_stay_unlabelled_never_clean():
    commits = [CommitRecord(sha=s, author="a", timestamp=t * DAY, message="") for s, t in
               [("old", 0), ("bad", 10), ("young", 395)]]
    links = [InducingLink(fix_sha="fix", inducing_sha="bad", path="a.py", lines=(1,))]

    labels = labels_from_links(commits, links, as_of=400 * DAY, maturity_days=180)

    assert labels == {"old": 0, "bad": 1, "young": None}


def test_it_reads_label_and_link_files(tmp_path):
    (tmp_path / "labels.csv").write_text("commit_id,author_ts,buggy,fix\nabc,1,True,False\ndef,2,False,True\n")
    (tmp_path / "links.csv").write_text("fix_hash,fix_date,bug_hash,bug_date,project\nf,1,b,0,P\n")

    assert labels_read(tmp_path / "labels.csv") == {"abc": 1, "def": 0}
    assert links_read(tmp_path / "links.csv") == {("f", "b")}
    assert label_file_fixes(tmp_path / "labels.csv") == {"def"}
    assert label_file_fixes(tmp_path / "links.csv") is None
