"""Settings of the real qcluster processes the fault tests start: the production settings
(timeout, retry and workers come from Q_TIMEOUT, Q_RETRY and Q_WORKERS, which the tests set
small), a real cluster rather than sync mode, no scheduler (the declared schedules would
poll GitHub), and the fault tests' job types registered."""

from gitinsight.settings import *  # noqa: F403
from gitinsight.settings import Q_CLUSTER
from tests import fault_tasks

Q_CLUSTER = {**Q_CLUSTER, "sync": False, "scheduler": False, "poll": 0.1, "queue_limit": 1}

fault_tasks.register()
