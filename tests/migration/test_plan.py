"""Migration planning on the tiny hand-countable example and on Meizhou."""

import datetime as dt

import numpy as np
import pytest

from netplan.examples import tiny_migration
from netplan.migration.plan import build_migration_project, explain_infeasibility, plan_migration
from netplan.migration.project import (
    Activity,
    Project,
    ProjectMilestone,
    SolveStatus,
    check_schedule,
)

BACKENDS = ["heuristic", "pulp", "cpsat"]


def _with_targets(scenario, *targets):
    t = scenario.targets.model_copy(update={"systems_on_cloud": [
        type(scenario.targets.systems_on_cloud[0])(by=by, systems=n) for by, n in targets]})
    return scenario.model_copy(update={"targets": t})


def test_tiny_project_structure():
    scenario, inventory = tiny_migration()
    mp = build_migration_project(scenario, inventory)
    # triage: 旧OA retired (zombie), 档案 kept (classified), 门户 kept (already on the cloud)
    counts = mp.triage.counts()
    assert (counts["retire"], counts["keep"], counts["migrate"]) == (1, 2, 5)
    # 低保 <-> 救助 is a cycle: one move group of two systems
    groups = {g.systems: g for g in mp.groups}
    assert ("市民政局/低保", "市民政局/救助") in groups
    assert len(mp.groups) == 4
    # the group has 2 person-weeks of effort and one team: 2 weeks
    assert groups[("市民政局/低保", "市民政局/救助")].duration_weeks == 2
    # provider first: 人口库 before 警务通
    names = [a.name for a in mp.project.activities]
    edge = (names.index("市公安局/人口库"), names.index("市公安局/警务通"))
    assert edge in mp.project.precedences
    # 3 on the cloud by Sunday 2020-02-02 = the end of week 3 -> finished by period 4;
    # 门户 is already there, so 2 more are needed
    m = mp.project.milestones[0]
    assert (m.period, m.count) == (4, 2)
    # A县's cutover data crosses A县's uplinks: 2 x 1 Gbps x 16 h window = 14,400 GB a week
    r = mp.project.resource_names.index("A县 uplink")
    assert mp.project.capacity[r, 0] == 2 * 1000 * 16 * 3600 // 8 // 1000


@pytest.mark.parametrize("backend", BACKENDS)
def test_tiny_plan_optimum_by_smiths_rule(backend):
    if backend == "cpsat":
        pytest.importorskip("ortools")
    scenario, inventory = tiny_migration()
    plan = plan_migration(scenario, inventory, backend=backend, time_limit_s=10)
    check_schedule(plan.mp.project, plan.schedule.starts)
    # One team, weighted completion (weight = criticality + risk): by Smith's ratio rule
    # 县医保 (6/1) and the 低保+救助 group (12/2) first, then the chain 人口库 -> 警务通
    # ((8+7)/3): finishes 1, 3, 5, 6 -> 6*1 + 12*3 + 8*5 + 7*6 = 124.
    assert plan.schedule.objective == pytest.approx(124)
    ms = plan.milestones()
    assert ms["met"].all()
    assert plan.explanation == []


def test_team_shortfall_is_explained_with_its_margin():
    scenario, inventory = tiny_migration()
    # all 6 systems by Sunday 2020-01-26 = end of week 2 -> 3 weeks x 1 team = 3 person-weeks;
    # the moves need 1 + 2 + 1 + 2 = 6 person-weeks: short by 3, 2 teams would do.
    scenario = _with_targets(scenario, (dt.date(2020, 1, 26), "all"))
    plan = plan_migration(scenario, inventory, backend="pulp", time_limit_s=10)
    assert plan.schedule.starts is None
    assert plan.status in (SolveStatus.INFEASIBLE, SolveStatus.NO_SOLUTION)
    assert any("team capacity short by 3 person-weeks before 2020-01-26; 2 teams instead of 1"
               in e for e in plan.explanation), plan.explanation


def test_dependency_chain_is_explained():
    scenario, inventory = tiny_migration()
    # 3 systems by Sunday 2020-01-12 (end of week 0): only the 1-week 县医保 can finish in
    # one week, so at most 1 + 1 (门户 already) = 2 systems, even with unlimited teams.
    scenario = _with_targets(scenario, (dt.date(2020, 1, 12), 3))
    mp = build_migration_project(scenario, inventory)
    text = explain_infeasibility(mp)
    assert len(text) == 1 and "only 2 systems can be on the cloud by 2020-01-12" in text[0]


def test_replan_from_progress():
    scenario, inventory = tiny_migration()
    done = {"市公安局/人口库": dt.date(2020, 1, 19)}
    plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=3,
                          done=done, as_of=dt.date(2020, 1, 20))
    frame = plan.to_frame()
    assert "市公安局/人口库" not in set(frame["system_id"])
    assert plan.mp.grid.start == dt.date(2020, 1, 20)
    # 人口库 counts toward the targets (with 门户): 2 already on the cloud
    assert plan.milestones()["on_cloud"].min() >= 2
    check_schedule(plan.mp.project, plan.schedule.starts)


def test_progress_projection_dates_and_counts():
    scenario, inventory = tiny_migration()
    plan = plan_migration(scenario, inventory, backend="cpsat" if _has_ortools() else "pulp",
                          time_limit_s=10)
    prog = plan.progress(["01-31", "03-15"])
    assert list(prog["date"]) == [dt.date(2020, 1, 31), dt.date(2020, 3, 15)]
    # by 03-15 all 6 systems that should be on the cloud are there
    assert prog["on_cloud"].iloc[-1] == 6
    assert (prog["inventoried"] == 8).all()


def _has_ortools():
    try:
        import ortools  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("kwargs, words", [
    ({"capacity": np.array([2.7])}, "whole numbers"),
    ({"capacity": np.array([-1])}, "whole numbers"),
    ({"milestones": (ProjectMilestone("m", 2, 1, (5,)),)}, "activity index"),
    ({"activities": (Activity("a", 1, (1.5,)),)}, "whole numbers"),
    ({"activities": (Activity("a", 1, (1,), landing=(-2.0,)),),
      "landing_capacity": np.array([5.0])}, "negative landing"),
])
def test_project_rejects_bad_numbers(kwargs, words):
    base = {"activities": (Activity("a", 1, (1,)),), "capacity": np.array([1]),
            "precedences": (), "horizon": 3}
    with pytest.raises(ValueError, match=words):
        Project(**{**base, **kwargs})
