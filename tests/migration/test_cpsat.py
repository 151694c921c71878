"""The CP-SAT backend on tiny projects whose optimum is derived by hand, one feature each.

Every schedule returned is verified with check_schedule; every optimum is stated in a comment
with the reasoning that gives it.
"""

import sys

import numpy as np
import pytest

from netplan.migration.project import (
    Activity,
    Project,
    ProjectMilestone,
    Schedule,
    SolveStatus,
    check_schedule,
)
from netplan.migration.solve import solve

pytest.importorskip("ortools")

from netplan.migration.solvers.cpsat import build_cpsat_model, solve_cpsat  # noqa: E402


def solved(project, **kwargs):
    """Solve with CP-SAT alone (the dispatcher's ``cpsat`` adds a heuristic first)."""
    sched = solve_cpsat(project, time_limit_s=10, **kwargs)
    assert sched.backend == "cpsat"
    if sched.starts is not None:
        check_schedule(project, sched.starts)
    return sched


def test_profile_demand_against_blackout():
    """Transfer only in a migration's last period, on a link that is down in period 2.

    Link capacity 2, 0 in period 2 (blackout); horizon 8. A: 3 periods, link demand only in its
    last one (0, 0, 2). B: 2 periods at 2 throughout.
    The critical-path bound is 3 (A from 0), but then A transfers in period 2, the blackout.
    A from 1 transfers in period 3; B must then avoid period 2 (blackout) and period 3 (A's
    transfer) and finish by 4, so B takes periods 0-1. Optimum 4 with starts A=1, B=0, and it
    is unique. (Had A's demand been a constant 2, A would need 3 free periods after the
    blackout: makespan 6.)
    """
    cap = np.array([[2, 2, 0, 2, 2, 2, 2, 2]])
    p = Project((Activity("A", 3, ((0, 0, 2),)), Activity("B", 2, (2,))), cap, (), horizon=8)
    s = solved(p)
    assert s.status is SolveStatus.OPTIMAL
    assert s.objective == 4
    assert s.bound == 4
    assert s.starts.tolist() == [1, 0]


def test_landing_resource_with_expansion():
    """Cloud vCPU: 4 until period 2, expanded to 10 from period 3.

    X and Y each take 1 period and land 2.9 and 1.2 vCPU from their finish on: 4.1 > 4, so
    they cannot both have landed before period 3. One finishes at 1, the other at 3 (landing in
    period 3, after the expansion): optimum makespan 3.
    With Y landing 1.1 instead, 2.9 + 1.1 = 4 fits exactly, both finish at 1: optimum 1 (the
    integer model counts thousandths, so the exact fit is not lost to rounding).
    """
    land = np.array([[4, 4, 4, 10, 10, 10]], dtype=float)
    cap = np.zeros((0, 6), dtype=int)

    def project(y):
        acts = (Activity("X", 1, landing=(2.9,)), Activity("Y", 1, landing=(y,)))
        return Project(acts, cap, (), horizon=6, landing_capacity=land)

    s = solved(project(1.2))
    assert s.status is SolveStatus.OPTIMAL
    assert s.objective == 3
    assert sorted(s.finishes(project(1.2)).tolist()) == [1, 3]
    s = solved(project(1.1))
    assert s.status is SolveStatus.OPTIMAL
    assert s.objective == 1


def test_milestone_with_weighted_completion():
    """One team (capacity 1); a (2 periods, weight 1), b (3, weight 1), c (4, weight 10).

    Without the milestone, Smith's rule (weight / duration: c 2.5, a 0.5, b 0.33) gives c, a,
    b: finishes 4, 6, 9, objective 40 + 6 + 9 = 55. The milestone asks for 2 of the 3 finished
    by period 5; the only pair that fits in 5 periods is a + b (2 + 3), so c goes last:
    a, b, c finishes 2, 5, 9 -> 2 + 5 + 90 = 97; b, a, c -> 3 + 5 + 90 = 98. Optimum 97 with
    starts a=0, b=2, c=5.
    """
    acts = (Activity("a", 2, (1,), weight=1), Activity("b", 3, (1,), weight=1),
            Activity("c", 4, (1,), weight=10))
    free = Project(acts, np.array([1]), (), horizon=12, objective="weighted_completion")
    s = solved(free)
    assert (s.status, s.objective) == (SolveStatus.OPTIMAL, 55)
    p = Project(acts, np.array([1]), (), horizon=12, objective="weighted_completion",
                milestones=(ProjectMilestone("two by 5", period=5, count=2),))
    s = solved(p)
    assert s.status is SolveStatus.OPTIMAL
    assert s.objective == 97
    assert s.starts.tolist() == [0, 2, 5]


def test_milestone_counts_an_activity_listed_twice():
    """A move group of two systems (activity b listed twice) counts as two systems.

    One team; a (2 periods, weight 10), b (3 periods, weight 1). Free: a first, finishes 2 and
    5 -> 20 + 5 = 25. The milestone "2 systems by period 3" with activities (b, b) is met by b
    alone, which must then run first: b 0-2, a 3-4 -> 3 + 50 = 53. Optimum 53, starts a=3, b=0.
    """
    acts = (Activity("a", 2, (1,), weight=10), Activity("b", 3, (1,), weight=1))
    p = Project(acts, np.array([1]), (), horizon=6, objective="weighted_completion",
                milestones=(ProjectMilestone("group", period=3, count=2, activities=(1, 1)),))
    s = solved(p)
    assert (s.status, s.objective) == (SolveStatus.OPTIMAL, 53)
    assert s.starts.tolist() == [3, 0]


def test_weighted_completion_fractional_weights():
    """One team; p: 3 periods, weight 0.5; q: 1 period, weight 0.2.

    q first: q finishes 1, p 4 -> 0.2 + 2.0 = 2.2; p first: 3, 4 -> 1.5 + 0.8 = 2.3.
    Optimum 2.2 with starts p=1, q=0 (the weights are exact at x10).
    """
    acts = (Activity("p", 3, (1,), weight=0.5), Activity("q", 1, (1,), weight=0.2))
    p = Project(acts, np.array([1]), (), horizon=4, objective="weighted_completion")
    s = solved(p)
    assert s.status is SolveStatus.OPTIMAL
    assert s.objective == pytest.approx(2.2)
    assert s.bound == pytest.approx(2.2)
    assert s.starts.tolist() == [1, 0]
    assert any("x10 (exact)" in line for line in s.log)


def test_weights_beyond_millionths_keep_a_valid_bound():
    """A weight of 1/3 is rounded at 10**6; the bound must stay below the real objective.

    One activity of 2 periods: finishing at 2 is optimal, real objective 2/3.
    """
    p = Project((Activity("a", 2, weight=1 / 3),), np.zeros((0, 5), dtype=int), (), horizon=5,
                objective="weighted_completion")
    s = solved(p)
    assert s.objective == pytest.approx(2 / 3)
    assert s.bound <= s.objective + 1e-12
    assert s.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert any("(rounded)" in line for line in s.log)


def test_release_deadline_and_precedence():
    """One team; a (2 periods, released at 3); b (2, deadline 4); c (1) after b.

    b must run within periods 0-3, a from period 3 at the earliest, c after b. Best: b 0-1,
    c 2, a 3-4: makespan 5 = a's release + duration, which is a lower bound. Optimum 5.
    """
    acts = (Activity("a", 2, (1,), release=3), Activity("b", 2, (1,), deadline=4),
            Activity("c", 1, (1,)))
    p = Project(acts, np.array([1]), ((1, 2),), horizon=8)
    s = solved(p)
    assert (s.status, s.objective) == (SolveStatus.OPTIMAL, 5)
    assert s.starts.tolist() == [3, 0, 2]


def test_infeasible_by_search():
    """Two 2-period activities on one team, both due by period 3: 4 periods of work in 3."""
    acts = (Activity("a", 2, (1,), deadline=3), Activity("b", 2, (1,), deadline=3))
    s = solved(Project(acts, np.array([1]), (), horizon=6))
    assert s.status is SolveStatus.INFEASIBLE
    assert s.starts is None and s.objective is None


def test_infeasible_window_is_explained():
    """a (3 periods) then b (3 periods) cannot fit a horizon of 5; the log names the activity."""
    acts = (Activity("a", 3), Activity("b", 3))
    s = solved(Project(acts, np.zeros((0, 5), dtype=int), ((0, 1),), horizon=5))
    assert s.status is SolveStatus.INFEASIBLE
    assert any("activity" in line and "period" in line for line in s.log)


def test_milestone_out_of_reach_is_explained():
    """Both activities take 4 periods; 'one finished by period 3' is impossible."""
    acts = (Activity("a", 4), Activity("b", 4))
    p = Project(acts, np.zeros((0, 8), dtype=int), (), horizon=8,
                milestones=(ProjectMilestone("early", period=3, count=1),))
    s = solved(p)
    assert s.status is SolveStatus.INFEASIBLE
    assert any("milestone early" in line for line in s.log)


def test_hint_is_used_and_result_unchanged():
    """A hinted feasible, non-optimal schedule (makespan 6) still ends at the optimum 4."""
    cap = np.array([[2, 2, 0, 2, 2, 2, 2, 2]])
    p = Project((Activity("A", 3, ((0, 0, 2),)), Activity("B", 2, (2,))), cap, (), horizon=8)
    hint = Schedule(np.array([3, 0]), SolveStatus.FEASIBLE, 6.0, None, 0.0, "hand")
    check_schedule(p, hint.starts)
    s = solved(p, initial=hint)
    assert (s.status, s.objective) == (SolveStatus.OPTIMAL, 4)
    assert any("hinted the hand schedule" in line for line in s.log)


def test_same_seed_same_schedule():
    acts = tuple(Activity(f"a{i}", 1 + i % 3, (1,)) for i in range(6))
    p = Project(acts, np.array([2]), ((0, 3), (1, 4)), horizon=20)
    a = solve_cpsat(p, seed=7, threads=1, time_limit_s=10)
    b = solve_cpsat(p, seed=7, threads=1, time_limit_s=10)
    assert a.starts.tolist() == b.starts.tolist()


def test_build_model_counts_cumulatives():
    """Blackout case: one cumulative for the link (the profile run plus B and the blackout)."""
    cap = np.array([[2, 2, 0, 2, 2, 2, 2, 2]])
    p = Project((Activity("A", 3, ((0, 0, 2),)), Activity("B", 2, (2,))), cap, (), horizon=8)
    built = build_cpsat_model(p)
    # A's transfer run, B and the blackout: three intervals in one cumulative constraint
    assert "#kCumulative: 1 (#intervals: 3" in built.model.model_stats()
    assert len(built.starts) == 2


def test_resource_conflicts_become_a_no_overlap_clique():
    """Three activities of 1, 2 and 3 periods each needing 2 of a capacity of 3: no two can
    overlap, so they form one redundant no-overlap clique and the optimum is 1 + 2 + 3 = 6."""
    acts = tuple(Activity(f"a{k}", k, (2,)) for k in (1, 2, 3))
    p = Project(acts, np.array([3]), (), horizon=8)
    built = build_cpsat_model(p)
    assert any("1 redundant no-overlap cliques" in line for line in built.log)
    s = solved(p)
    assert (s.status, s.objective) == (SolveStatus.OPTIMAL, 6)


def test_no_ortools_gives_no_solver(monkeypatch):
    monkeypatch.setitem(sys.modules, "ortools.sat.python", None)
    p = Project((Activity("a", 1),), np.zeros((0, 2), dtype=int), (), horizon=2)
    s = solve_cpsat(p)
    assert s.status is SolveStatus.NO_SOLVER
    assert s.starts is None
    assert "pip install 'netplan[cpsat]'" in s.log[0]


def test_dispatcher_cpsat_portfolio_is_feasible_and_optimal_on_a_tiny_project():
    """backend="cpsat": the heuristic's plan hints CP-SAT; the better plan is returned."""
    p = Project((Activity("a", 2, (1,)), Activity("b", 1, (1,)), Activity("c", 2, (1,))),
                np.array([2]), ((0, 1),), horizon=6)
    s = solve(p, backend="cpsat", time_limit_s=5)
    check_schedule(p, s.starts)
    # a and c in parallel (capacity 2), b after a: makespan 3
    assert s.backend == "cpsat" and s.objective == 3 and s.status is SolveStatus.OPTIMAL


def test_dispatcher_checks_ortools_before_running_the_heuristic(monkeypatch):
    """Without OR-Tools, backend="cpsat" returns NO_SOLVER at once: no heuristic is run
    (before, the heuristic ran for a quarter of the budget and its plan was dropped)."""
    from netplan.migration.solvers import heuristic

    monkeypatch.setitem(sys.modules, "ortools.sat.python", None)

    def forbidden(*args, **kwargs):
        raise AssertionError("the heuristic ran although CP-SAT is missing")

    monkeypatch.setattr(heuristic, "GeneticSearch", forbidden)
    p = Project((Activity("a", 1, (1,)),), np.array([1]), (), horizon=2)
    s = solve(p, backend="cpsat", time_limit_s=5)
    assert s.status is SolveStatus.NO_SOLVER and s.starts is None


def test_deterministic_time_gives_the_same_schedule_on_two_workers():
    """With a deterministic-time budget CP-SAT interleaves its workers: two runs on two
    workers give the same schedule, and what stopped them is said."""
    rng = np.random.default_rng(5)
    acts = tuple(Activity(f"a{i}", int(rng.integers(1, 4)), (int(rng.integers(1, 3)),),
                          weight=float(rng.integers(1, 6))) for i in range(14))
    p = Project(acts, np.array([2]), ((0, 5), (1, 6), (2, 7)), horizon=60,
                objective="weighted_completion")
    a = solve_cpsat(p, seed=3, threads=2, time_limit_s=60, deterministic_time_s=0.2)
    b = solve_cpsat(p, seed=3, threads=2, time_limit_s=60, deterministic_time_s=0.2)
    assert a.starts.tolist() == b.starts.tolist()
    assert a.stopped_by in (None, "work limit")
    assert (a.stopped_by is None) == (a.status is SolveStatus.OPTIMAL)
    check_schedule(p, a.starts)
