from sprints.core import recommendations as rec
from sprints.core import risks as r


def _probability_by_removed(total: float, needed_removed: float):
    """A stand-in for the Monte Carlo: probability rises linearly to 0.85 at `needed_removed`."""
    return lambda removed: min(1.0, 0.4 + 0.45 * removed / needed_removed)


def test_it_moves_out_the_least_important_unblocking_items_until_the_target_is_reached():
    candidates = [
        rec.DescopeCandidate(1, 3.0, ("priority: high",)),
        rec.DescopeCandidate(2, 2.0, ("priority: low",)),
        rec.DescopeCandidate(3, 5.0, ("p3",), blocks_others=True),
        rec.DescopeCandidate(4, 1.0, ("low",), assigned=True),
        rec.DescopeCandidate(5, 2.0),
    ]
    plan = rec.descope_plan(candidates, _probability_by_removed(13, 3.0))
    assert plan.reaches_target and 3 not in plan.issues
    assert set(plan.issues) == {2, 4}
    assert plan.probability_after >= rec.TARGET_PROBABILITY > plan.probability_before


def test_it_recommends_nothing_to_move_when_the_milestone_is_already_likely():
    plan = rec.descope_plan([rec.DescopeCandidate(1, 1.0)], lambda removed: 0.9)
    assert plan.issues == [] and rec.descope_recommendation(plan) is None


def test_it_says_so_when_even_moving_everything_movable_falls_short():
    plan = rec.descope_plan([rec.DescopeCandidate(1, 1.0)], lambda removed: 0.3 + 0.1 * removed)
    assert not plan.reaches_target
    assert "still falls short" in rec.descope_recommendation(plan).expected_impact


def test_every_risk_gets_an_action_and_descoping_comes_with_its_impact():
    risk = r.Risk(r.UNASSIGNED_WORK, "high", 0.8, 4, "3 open issues have nobody assigned", "d", [1, 2, 3])
    plan = rec.DescopePlan([7], 2.0, 0.4, 0.86, True)
    found = rec.recommend([risk], plan)
    assert [item.category for item in found] == ["scope", "resource_allocation"]
    assert found[0].action == "Move #7 out of this milestone." and "40 % -> 86 %" in found[0].expected_impact
    assert found[1].action == "Assign owners to #1, #2, #3." and 1 <= found[1].priority <= 5
