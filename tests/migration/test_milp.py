"""The time-indexed MILP: which rows it builds, and that what it proves is true.

Expected numbers are derived by hand in the comments; the Meizhou optimum is cross-checked by
recomputing the objective of the returned starts, by the LP relaxation (a bound computed
without branching) and by the schedule checker.
"""

import numpy as np
import pytest

from netplan.migration.project import (
    Activity,
    Project,
    ProjectMilestone,
    SolveStatus,
    check_schedule,
    objective_value,
)
from netplan.migration.solve import WorkLimit, solve
from netplan.migration.solvers.heuristic import lower_bound
from netplan.migration.solvers.milp import _assemble, build_milp, lp_bound, solve_milp
from netplan.migration.windows import latest_finishes, time_windows


def _landing(capacity):
    """Three one-week activities landing 2 each, weights 3, 2, 1; one team resource of 3."""
    acts = tuple(Activity(name, 1, (1,), landing=(2.0,), weight=w)
                 for name, w in (("a", 3.0), ("b", 2.0), ("c", 1.0)))
    return Project(acts, np.array([3]), (), horizon=6, landing_capacity=np.array([capacity]),
                   objective="weighted_completion")


def _rows(lp, prefix):
    return [c.name for c in lp.constraints() if c.name.startswith(prefix)]


# ------------------------------------------------------------------ landing rows


def test_ample_cloud_builds_no_landing_rows():
    # capacity 6 in every period, the three activities land 2 + 2 + 2 = 6 in all: no landing
    # row can bind. (The old filter summed 2 per start variable, 6 starts each: 36 > 6, and
    # kept one row per period.)
    lp, v = build_milp(_landing([6.0] * 6))
    assert _rows(lp, "land_") == []
    # the optimum is then every activity in week 0, finishing at 1: 3 + 2 + 1 = 6
    s = solve_milp(_landing([6.0] * 6), time_limit_s=10)
    assert (s.status, s.objective) == (SolveStatus.OPTIMAL, 6.0)


def test_binding_cloud_keeps_one_row_per_capacity_stretch_and_its_optimum():
    # capacity 2 in periods 0-2, 6 from 3 on: by period 2 only one activity may have landed
    # (2 + 2 > 2). Stretches: [0, 2] (row at its end, t = 2: 6 could land > 2, kept) and
    # [3, 5] (t = 5: 6 <= 6, dropped). So exactly one landing row.
    project = _landing([2.0, 2.0, 2.0, 6.0, 6.0, 6.0])
    lp, v = build_milp(project)
    assert _rows(lp, "land_") == ["land_0_2"]
    # optimum by hand: the heaviest (a, weight 3) finishes at 1, b and c cannot finish by 2,
    # so finish at 3 at best: 3*1 + 2*3 + 1*3 = 12
    s = solve_milp(project, time_limit_s=10)
    assert (s.status, s.objective, s.bound) == (SolveStatus.OPTIMAL, 12.0, 12.0)
    check_schedule(project, s.starts)
    assert (s.starts + project.durations).tolist() == [1, 3, 3]


def test_landing_row_counts_the_activities_that_must_have_landed_as_a_constant():
    # a must finish by 2 (deadline), b and c are free; cloud capacity 3 up to period 3, then 6.
    # At t = 3 a has surely landed (constant 2 on the right-hand side: 3 - 2 = 1 left), b and
    # c can land (4 > 1): the row keeps only b's and c's steps.
    acts = (Activity("a", 1, (1,), landing=(2.0,), weight=1.0, deadline=2),
            Activity("b", 1, (1,), landing=(2.0,), weight=2.0),
            Activity("c", 1, (1,), landing=(2.0,), weight=1.0))
    project = Project(acts, np.array([3]), (), horizon=6,
                      landing_capacity=np.array([[3.0, 3, 3, 3, 6, 6]]),
                      objective="weighted_completion")
    m = _assemble(project, 6, "aggregated", None)
    row = m.row_name.index("land_0_3")
    assert m.row_hi[row] == 1.0
    cols = {m.col_name[c].split("_")[1] for c in m.row_terms[row]}
    assert cols == {"1", "2"}  # activities b and c (a's x columns do not appear)
    # optimum by hand: until period 3 only one activity may have landed (2 + 2 > 3), and a
    # must (deadline 2); b and c land from period 4 at best (2 + 2 + 2 = 6 <= 6):
    # 1*1 + 2*4 + 1*4 = 13
    s = solve_milp(project, time_limit_s=10)
    assert (s.status, s.objective) == (SolveStatus.OPTIMAL, 13.0)
    check_schedule(project, s.starts)


def test_steps_and_disaggregated_precedences_give_the_same_optimum():
    # a chain a -> b -> c of 2-week activities with one team, and a milestone "2 of them by
    # week 4": a in 0-1, b in 2-3 meets it (both finished by 4); makespan 6 = 2 + 2 + 2.
    acts = (Activity("a", 2, (1,)), Activity("b", 2, (1,)), Activity("c", 2, (1,)))
    project = Project(acts, np.array([1]), ((0, 1), (1, 2)), horizon=10,
                      milestones=(ProjectMilestone("m", 4, 2),))
    for precedence in ("aggregated", "disaggregated"):
        lp, v = build_milp(project, precedence=precedence)
        lp.solve(__import__("pulp").HiGHS(msg=False))
        assert lp.objective.value() == pytest.approx(6.0)
    lp, _ = build_milp(project, precedence="disaggregated")
    assert _rows(lp, "prec_0_1_")  # one row per start of b


# ------------------------------------------------------------------ windows


def test_time_windows_and_latest_finishes_by_hand():
    # a (2 weeks) -> b (1 week), horizon 5, b's deadline 4: b starts by 3, a by 3 - 2 = 1
    acts = (Activity("a", 2, (1,)), Activity("b", 1, (1,), deadline=4))
    project = Project(acts, np.array([1]), ((0, 1),), horizon=5)
    assert latest_finishes(project).tolist() == [3, 4]
    w = time_windows(project)
    assert w.feasible and w.starts(0) == [0, 1] and w.starts(1) == [2, 3]
    assert w.earliest_start.tolist() == [0, 2] and w.latest_start.tolist() == [1, 3]


# ------------------------------------------------------------------ budgets


def test_work_limit_gives_the_same_schedule_and_says_what_stopped_it():
    # 12 random activities on a team resource of 2; with a work limit (300 schedules, the
    # MILP's root node only) two runs give the same schedule, whichever budget ends them.
    rng = np.random.default_rng(3)
    acts = tuple(Activity(f"a{j}", int(rng.integers(1, 4)), (int(rng.integers(1, 3)),),
                          weight=float(rng.integers(1, 5))) for j in range(12))
    project = Project(acts, np.array([2]), ((0, 1), (1, 2), (3, 4)), horizon=40,
                      objective="weighted_completion")
    wl = WorkLimit(schedules=300, milp_nodes=0)
    a = solve(project, work_limit=wl, time_limit_s=60)
    b = solve(project, work_limit=wl, time_limit_s=60)
    assert a.starts.tolist() == b.starts.tolist()
    assert a.stopped_by in (None, "work limit")
    assert (a.stopped_by is None) == (a.status is SolveStatus.OPTIMAL)
    check_schedule(project, a.starts)


def test_backend_names():
    acts = (Activity("a", 1, (1,)),)
    project = Project(acts, np.array([1]), (), horizon=3)
    assert solve(project, backend="milp").backend == "milp-highs"
    assert solve(project, backend="pulp").backend == "pulp-highs"  # the old name's label


# ------------------------------------------------------------------ Meizhou


@pytest.fixture(scope="module")
def meizhou_project():
    from netplan.examples import meizhou_2020
    from netplan.io.inventory_io import read_inventory
    from netplan.migration.plan import build_migration_project

    scenario = meizhou_2020()
    inventory = read_inventory(scenario.inventory.path, encoding=scenario.inventory.encoding)
    return build_migration_project(scenario, inventory).project


def test_meizhou_milp_has_no_landing_rows(meizhou_project):
    # the cloud node has 5,886 vCPU, 23,552 GB and 1,168.91 TB; all systems together land
    # 2,608 vCPU, 11,932 GB and 428.72 TB: no landing row can bind
    p = meizhou_project
    total = [sum(a.landing[k] for a in p.activities if k < len(a.landing)) for k in range(3)]
    assert all(t <= c for t, c in zip(total, p.landing_capacity[:, 0], strict=True))
    m = _assemble(p, p.horizon, "aggregated", None)
    assert not [n for n in m.row_name if n.startswith("land_")]
    assert m.nonzeros < 200_000  # was 3,062,101 with 324 landing rows


def test_meizhou_is_proven_optimal(meizhou_project):
    p = meizhou_project
    s = solve(p, work_limit=WorkLimit(), time_limit_s=120)
    assert s.status is SolveStatus.OPTIMAL and s.stopped_by is None
    assert s.bound == s.objective
    check_schedule(p, s.starts)
    # independent checks: the objective recomputed from the starts, the LP relaxation (no
    # branching, no heuristic) at most the optimum and at least the trivial bound sum w (ES+d)
    assert objective_value(p, s.starts) == s.objective
    lp = lp_bound(p, time_limit_s=60)
    assert lower_bound(p) <= lp <= s.objective
