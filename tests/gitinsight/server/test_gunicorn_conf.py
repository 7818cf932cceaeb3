"""gunicorn's settings for the web process."""

from __future__ import annotations

import sys

import pytest

from gitinsight.server import gunicorn_conf


@pytest.fixture
def switch_interval():
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def test_a_worker_lets_a_waiting_request_thread_in_after_2_ms_rather_than_5(switch_interval, monkeypatch):
    monkeypatch.delenv("WEB_READY_DIR", raising=False)
    gunicorn_conf.post_worker_init(worker=None)
    assert sys.getswitchinterval() == pytest.approx(0.002)
