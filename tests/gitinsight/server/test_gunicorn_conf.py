"""gunicorn's settings for the web process."""

from __future__ import annotations

import gc
import sys

import pytest

from gitinsight.server import gunicorn_conf


@pytest.fixture
def switch_interval():
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)
    gc.unfreeze()


def test_a_worker_lets_a_waiting_request_thread_in_after_2_ms_rather_than_5(switch_interval, monkeypatch):
    monkeypatch.delenv("WEB_READY_DIR", raising=False)
    gunicorn_conf.post_worker_init(worker=None)
    assert sys.getswitchinterval() == pytest.approx(0.002)


def test_a_worker_keeps_what_loading_made_out_of_the_garbage_collectors_walks(switch_interval, monkeypatch):
    monkeypatch.delenv("WEB_READY_DIR", raising=False)
    gc.unfreeze()
    loaded = len(gc.get_objects())
    gunicorn_conf.post_worker_init(worker=None)
    assert gc.get_freeze_count() >= loaded // 2
    assert len(gc.get_objects()) < loaded // 2
