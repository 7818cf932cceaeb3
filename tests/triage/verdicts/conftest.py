from tests.fakes.fixtures import app_private_key, policy, sleep  # noqa: F401 - fixtures
from tests.triage.verdicts.fixtures import check_runs_on, github, rocket, rocket_data  # noqa: F401 - fixtures
