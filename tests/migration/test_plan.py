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
    # the moves need 1 + 2 + 1 + 2 = 6 person-weeks: short by 3, 2 teams would do. With 2
    # teams a plan exists (checked by hand): team A 人口库 weeks 0-1 then 警务通 week 2, team B
    # the 低保+救助 group weeks 0-1 then 县医保 week 2 -- all cut over by week 2.
    scenario = _with_targets(scenario, (dt.date(2020, 1, 26), "all"))
    plan = plan_migration(scenario, inventory, backend="pulp", time_limit_s=10)
    assert plan.schedule.starts is None
    assert plan.status is SolveStatus.INFEASIBLE  # the bound proves it: no solver is run
    assert plan.schedule.backend == "bounds"
    assert plan.explanation == [
        "all systems by 2020-01-26: team capacity short by 3 person-weeks before 2020-01-26 "
        "(needs at least 6, has 3); 2 teams instead of 1 would meet it (a plan with 2 teams "
        "that meets it was found)"]


def test_team_count_is_a_bound_when_no_plan_with_it_is_found():
    scenario, inventory = tiny_migration()
    # as above, but one cutover a week: the 4 move groups need 4 cutovers before 2020-01-26
    # (3 weeks, 3 slots), so 2 teams are not enough either -- the team count is only a bound
    scenario = _with_targets(scenario, (dt.date(2020, 1, 26), "all"))
    scenario = scenario.model_copy(update={"migration": scenario.migration.model_copy(
        update={"max_cutovers_per_week": 1})})
    plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=2)
    assert plan.status is SolveStatus.INFEASIBLE
    team = [e for e in plan.explanation if "team capacity" in e]
    assert len(team) == 1 and "would meet it" not in team[0]
    assert "at least 2 teams instead of 1 are needed (no plan with 2 teams was found" in team[0]
    assert any("needs at least 4 cutovers before 2020-01-26 but blackouts and "
               "max_cutovers_per_week leave 3 slots" in e for e in plan.explanation)
    # the relaxed plan: one cutover a week, one team, 6 person-weeks of work -> done when the
    # last of the 6 team-weeks ends, week 5 (Sunday 2020-02-16), and each week has 1 cutover
    assert plan.finish_date == dt.date(2020, 2, 16)
    assert plan.weekly_load()["cutover slots_used"].max() == 1


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


# ---------------------------------------------------------------------------- the truth told


def _meizhou(**policy):
    import netplan
    from netplan.io.inventory_io import read_inventory

    scenario = netplan.examples.meizhou_2020()
    if policy:
        scenario = scenario.model_copy(update={"migration": scenario.migration.model_copy(
            update=policy)})
    return scenario, read_inventory(scenario.inventory.path)


def test_two_teams_meizhou_relaxed_plan_has_dates_and_a_finish():
    from dataclasses import replace

    scenario, inventory = _meizhou(teams=2)
    plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=2)
    assert not plan.feasible and plan.status is SolveStatus.INFEASIBLE
    # the relaxed plan has a start for every move group and meets every limit but the targets
    assert plan.relaxed is not None and plan.relaxed.starts is not None
    assert len(plan.relaxed.starts) == len(plan.mp.groups) == plan.relaxed_mp.project.n
    check_schedule(replace(plan.relaxed_mp.project, milestones=()), plan.relaxed.starts)
    frame = plan.to_frame()
    assert frame["cutover_date"].notna().all() and len(frame) == 178
    # finish: 2 teams, and the systems to migrate need at least sum(migration_weeks)
    # person-weeks (a group's teams x weeks covers its systems' weeks), so the last cutover
    # is at least ceil(total / 2) weeks after the Monday 2020-05-04
    work = sum(inventory.by_id[i].migration_weeks for g in plan.mp.groups for i in g.systems)
    earliest = dt.date(2020, 5, 4) + dt.timedelta(weeks=-(-work // 2), days=-1)
    assert plan.finish_date >= earliest > dt.date(2021, 12, 31)
    assert plan.finish_date == max(frame["cutover_date"])
    # the report's first lines say so, with the finish date and when each count is reached
    first, second = plan.summary()
    assert first.startswith("Targets NOT met")
    assert f"the last of the 178 systems is on the cloud on {plan.finish_date}" in second
    ms = plan.milestones()
    assert ms["reached_on"].notna().all() and not ms["met"].any()
    # 12 systems are on the cloud already; the relaxed plan adds the cutovers up to each date
    for row in ms.itertuples():
        assert row.on_cloud == 12 + (frame["cutover_date"] <= row.date).sum()
        assert f"{row.required} systems on {row.reached_on}" in second
    # a team count is said to meet a target only when a plan with it was found
    for line in plan.explanation:
        if "would meet it" in line:
            assert "a plan with" in line and "that meets it was found" in line
        elif "team capacity" in line:
            assert "at least" in line


def test_target_larger_than_the_inventory_is_explained_not_a_traceback(tmp_path):
    from netplan.report.migration_report import write_migration_report

    scenario, inventory = _meizhou()
    scenario = _with_targets(scenario, (dt.date(2020, 6, 30), 230))
    plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=2)
    # Meizhou: 178 systems to migrate + 12 already on the cloud = 190 at most, never 230
    assert plan.status is SolveStatus.INFEASIBLE
    assert plan.explanation[0].startswith(
        "230 systems by 2020-06-30: only 178 systems are to migrate (190 on the cloud with the "
        "12 already there); 230 cannot be reached by any plan")
    assert plan.mp.project.milestones == ()
    assert plan.relaxed is not None and plan.relaxed.starts is not None
    assert plan.milestones()["reached_on"].isna().all()
    section = write_migration_report(scenario, plan, tmp_path, pictures=False)
    assert "**Targets NOT met" in section.markdown
    assert "230 cannot be reached by any plan" in section.markdown


def test_unknown_earliest_id_is_an_error_with_a_hint():
    from netplan.errors import ScenarioError

    scenario, inventory = tiny_migration()
    scenario = scenario.model_copy(update={"migration": scenario.migration.model_copy(
        update={"earliest": {"市公安局/人口": dt.date(2020, 2, 1)}})})
    with pytest.raises(ScenarioError) as err:
        build_migration_project(scenario, inventory)
    (issue,) = err.value.issues
    assert issue.path == "migration.earliest.市公安局/人口"
    assert issue.hint.startswith("did you mean 市公安局/人口库")


def test_triage_table_names_every_system(tmp_path):
    import pandas as pd

    from netplan.report.migration_report import write_migration_report

    scenario, inventory = tiny_migration()
    plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=1)
    frame = plan.triage_frame()
    assert list(frame.columns[:4]) == ["system_id", "name", "department", "disposition"]
    assert list(frame["system_id"]) == list(inventory.ids)
    # 旧OA is the zombie (idle 95%, unused and unmaintained since 2017): retired
    assert frame.set_index("name").loc["旧OA", "disposition"] == "retire"
    write_migration_report(scenario, plan, tmp_path, pictures=False)
    written = pd.read_csv(tmp_path / "migration" / "triage.csv", encoding="utf-8-sig")
    assert list(written["system_id"]) == list(inventory.ids)
    assert list(written["name"]) == [s.name for s in inventory.systems]


def test_resource_use_by_hand_and_in_the_weekly_load():
    from netplan.migration.project import landing_use, resource_use

    # a: 2 periods, teams (1, 2), lands 4 vCPU; b: 1 period, 3 teams, lands 1.5; c: 0 periods.
    # a at 0 occupies periods 0-1, b at 1 period 1: teams [1, 2+3, 0, 0]; a finishes at 2,
    # b at 2: 5.5 vCPU from period 2 on.
    p = Project((Activity("a", 2, ((1, 2),), landing=(4.0,)), Activity("b", 1, (3,), (1.5,)),
                 Activity("c", 0)), np.array([5]), (), horizon=4,
                landing_capacity=np.array([10.0]))
    assert resource_use(p, [0, 1, 3]).tolist() == [[1, 5, 0, 0]]
    assert landing_use(p, [0, 1, 3]).tolist() == [[0.0, 0.0, 5.5, 5.5]]
    # the plan's weekly load is the same computation
    scenario, inventory = tiny_migration()
    plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=1)
    load = plan.weekly_load()
    use = resource_use(plan.mp.project, plan.starts)
    for r, name in enumerate(plan.mp.project.resource_names):
        assert load[f"{name}{'' if r < 2 else '_gb'}_used"].tolist() == use[r].tolist()
    # by hand: one team busy from week 0 until the last cutover (6 person-weeks, no idle
    # week in the optimum), 40 vCPU on the cloud after it: 县医保 8, 低保 4, 救助 4, 人口库 16,
    # 警务通 8
    assert load["teams_used"].tolist() == [1] * 6 + [0] * 6
    assert load["cloud vCPU used"].iloc[-1] == 8 + 4 + 4 + 16 + 8


def test_cloud_too_small_for_every_system_has_no_relaxed_plan_and_says_why(tmp_path):
    from netplan.report.migration_report import write_migration_report

    scenario, inventory = tiny_migration()
    scenario = scenario.model_copy(update={"cloud": [scenario.cloud[0].model_copy(
        update={"vcpu": 20})]})
    plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=1)
    # the 5 systems to move need 16 + 8 + 4 + 4 + 8 = 40 vCPU; 20 less 门户's 8 leave 12
    assert plan.status is SolveStatus.INFEASIBLE and plan.relaxed is None
    assert ("the cloud cannot hold every system to migrate even after the planned expansions: "
            "vCPU needed 40, capacity 12 (short by 28)") in plan.explanation[-1]
    assert plan.starts is None and plan.finish_date is None
    section = write_migration_report(scenario, plan, tmp_path, pictures=True)
    assert "no plan moves every system at all" in section.markdown
    assert not (tmp_path / "migration" / "gantt.png").exists()


def test_a_cycle_through_a_system_that_stays_ties_no_move_group():
    from netplan.migration.inventory import Inventory

    scenario, inventory = tiny_migration()
    # 警务通 -> 人口库 -> 档案 -> 警务通 is a cycle, but 档案 is classified and stays: among the
    # systems that move only 警务通 -> 人口库 remains, so two groups and a precedence
    systems = tuple(
        s.model_copy(update={"depends_on": ("市档案馆/档案",)}) if s.name == "人口库" else
        s.model_copy(update={"depends_on": ("市公安局/警务通",)}) if s.name == "档案" else s
        for s in inventory.systems)
    mp = build_migration_project(scenario, Inventory(systems))
    groups = [g.systems for g in mp.groups]
    assert ("市公安局/人口库",) in groups and ("市公安局/警务通",) in groups
    names = [a.name for a in mp.project.activities]
    assert (names.index("市公安局/人口库"), names.index("市公安局/警务通")) in \
        mp.project.precedences


def test_a_system_on_the_cloud_that_triage_retires_does_not_count_toward_the_targets():
    # tiny: 5 systems to migrate + 门户 already on the cloud = "all" is 6. Make 门户 a zombie
    # (idle, unused and unmaintained since 2017): triage retires it, so "all" is the 5 moved.
    import datetime as dt

    from netplan.examples import tiny_migration
    from netplan.migration.build import build_migration_project
    from netplan.migration.inventory import Inventory

    scenario, inventory = tiny_migration()
    assert build_migration_project(scenario, inventory).milestone_targets[-1][2] == 6
    old = dt.date(2017, 1, 1)
    zombie = Inventory(tuple(
        s.model_copy(update={"idle_pct": 95, "last_used": old, "last_update": old})
        if s.name == "门户" else s for s in inventory))
    project = build_migration_project(scenario, zombie)
    portal = "市政务服务数据管理局/门户"
    assert {d.system_id: d.disposition.value for d in project.triage.decisions}[portal] == "retire"
    assert project.already_on_cloud == ()
    assert project.milestone_targets[-1][2] == 5
