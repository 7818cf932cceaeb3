from tests.triage.duplicates.diffs import PYTHON_FIX, UNRELATED
from triage.duplicates.core.diffnorm import parse_unified_diff
from triage.duplicates.core.signature import pr_signature
from triage.duplicates.core.signature_cache import SignatureCache, _footprint


def _sig(diff: str, title: str):
    return pr_signature(parse_unified_diff(diff), title=title, body="")


def test_it_serves_a_head_while_its_title_and_body_are_unchanged():
    cache, signature = SignatureCache(), _sig(PYTHON_FIX, "Fix samefile")
    cache.put((1, "a", 1), signature, title="Fix samefile", body="")
    assert cache.get((1, "a", 1), title="Fix samefile", body="") is signature
    assert cache.get((1, "a", 1), title="Fix samefile (edited)", body="") is None
    assert cache.get((1, "b", 1), title="Fix samefile", body="") is None
    assert (cache.hits, cache.misses) == (1, 2)


def test_it_forgets_the_least_recently_used_heads_past_its_budget():
    fix, tabs = _sig(PYTHON_FIX, "Fix samefile"), _sig(UNRELATED, "Expand tabs")
    cache = SignatureCache(budget=_footprint(fix) + _footprint(tabs))
    cache.put("fix", fix, title="", body="")
    cache.put("tabs", tabs, title="", body="")
    assert cache.get("fix", title="", body="") is fix  # now "tabs" is the least recently used
    cache.put("again", _sig(UNRELATED, "Expand tabs again"), title="", body="")
    assert cache.get("tabs", title="", body="") is None
    assert cache.get("fix", title="", body="") is fix and len(cache) == 2
