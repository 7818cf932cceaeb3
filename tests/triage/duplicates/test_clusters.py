from tests.triage.duplicates.diffs import PYTHON_FIX, REWRITTEN_FIX
from tests.triage.duplicates.fixtures import analyse, make_pull_request, make_repository
from triage.duplicates.models import Cluster, ClusterMember, ContainmentEdge

# the same fix with two more tests: it contains the whole of PYTHON_FIX
BIGGER = PYTHON_FIX.rstrip("\n") + """
+
+
+def test_samefile_other_inode(tmp_path):
+    assert not samefile(tmp_path / "a", tmp_path / "b")
+
+
+def test_samefile_missing_path(tmp_path):
+    with pytest.raises(FileNotFoundError):
+        samefile(tmp_path / "gone", tmp_path / "gone")
"""


def test_it_groups_duplicates_and_suggests_the_earliest_as_base(acme):
    repository = make_repository(acme)
    first = make_pull_request(repository, 1, "Fix samefile on zero inodes", day=1)
    second = make_pull_request(repository, 2, "Fix samefile on zero inodes", day=3)
    analyse(first, PYTHON_FIX)
    analyse(second, PYTHON_FIX)
    cluster = Cluster.objects.get()
    roles = dict(ClusterMember.objects.filter(cluster=cluster).values_list("pull_request__number", "role"))
    assert roles == {1: "BASE_SUGGESTED", 2: "MEMBER"}
    assert cluster.state == Cluster.State.OPEN_ONLY
    assert ContainmentEdge.objects.filter(cluster=cluster, containment=1.0).count() == 2


def test_it_suggests_the_pull_request_the_others_contain(acme):
    repository = make_repository(acme)
    bigger = make_pull_request(repository, 1, "Fix samefile on zero inodes with tests", day=1)
    smaller = make_pull_request(repository, 2, "Fix samefile on zero inodes", day=2)
    analyse(bigger, BIGGER)
    analyse(smaller, PYTHON_FIX)
    member = ClusterMember.objects.get(role="BASE_SUGGESTED")
    assert member.pull_request == smaller


def test_it_leaves_unrelated_work_unclustered(acme):
    repository = make_repository(acme)
    analyse(make_pull_request(repository, 1, "Fix samefile"), PYTHON_FIX)
    analyse(
        make_pull_request(repository, 2, "Terminal tabs"),
        REWRITTEN_FIX.replace("samefile", "widths").replace("src/pkg/paths.py", "src/pkg/term.py"),
    )
    assert not Cluster.objects.exists()
