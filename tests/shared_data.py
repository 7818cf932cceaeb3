"""The real data sets in ../shared/data that tests read, found (and unpacked) in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.failures.root_causes import unpack_logchunks

ROOT = Path(__file__).resolve().parents[1]
CI_DATA = ROOT.parent / "shared" / "data" / "ci"
LOGCHUNKS_LOGS = ROOT / ".cache" / "logchunks"


def logchunks() -> tuple[Path, Path]:
    """(the LogChunks labels, the folder of its logs), the logs unpacked from the data set's
    archive on first use (5.7 MB, 180 MB unpacked, a few seconds); the test is skipped where
    the data set is absent."""
    labels, archive = CI_DATA / "logchunks" / "labels", CI_DATA / "logchunks" / "logs.tar.xz"
    if not labels.is_dir() or not (archive.is_file() or LOGCHUNKS_LOGS.is_dir()):
        pytest.skip(f"the LogChunks data set is not at {labels.parent}")
    unpack_logchunks(archive, LOGCHUNKS_LOGS)
    return labels, LOGCHUNKS_LOGS
