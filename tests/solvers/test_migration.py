"""Migration schedules when the solver runs out of time, is missing, fails or meets bad numbers.

Every plan returned is checked by the independent checker
(:func:`netplan.migration.project.check_schedule`); statuses are compared with what the
situation allows (no OPTIMAL without a bound that proves it).
"""

from __future__ import annotations

import datetime as dt
import sys

import numpy as np
import pytest

from netplan.errors import InfeasiblePlanError, SolverUnavailableError
from netplan.migration.project import Activity, Project, SolveStatus, check_schedule
from netplan.migration.solve import solve
from tests.solvers.fakes import MissingSolver, RaisingSolver, UndefinedSolver


def random_project(n=25, seed=3) -> Project:
    """Weighted completion, 2 renewable resources, random precedences: hard to prove fast."""
    rng = np.random.default_rng(seed)
    acts = tuple(Activity(f"a{i}", int(rng.integers(1, 6)),
                          (int(rng.integers(1, 3)), int(rng.integers(0, 3))),
                          weight=float(rng.integers(1, 6))) for i in range(n))
    prec = tuple((i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.04)
    horizon = int(sum(a.duration for a in acts))
    return Project(acts, np.array([3, 2]), prec, horizon=horizon,
                   objective="weighted_completion")


@pytest.fixture(scope="module")
def hard():
    return random_project()


@pytest.fixture(scope="module")
def small():
    """Small enough for the MILP stage to run in 1 s (HiGHS proves it optimal in 0.1 s)."""
    return random_project(12)


@pytest.mark.parametrize("backend", ["milp", "cpsat"])
def test_time_limit_gives_a_checked_plan_never_called_optimal(hard, backend):
    s = solve(hard, backend=backend, time_limit_s=1.0)
    assert s.status is SolveStatus.FEASIBLE
    assert s.stopped_by == "time limit"
    stage = "MILP outcome: stopped" if backend == "milp" else "CP-SAT FEASIBLE"
    assert any(line.startswith(stage) for line in s.log), s.log  # the exact stage ran, cut
    check_schedule(hard, s.starts)
    # the bound is a real lower bound: below the plan's objective, above the trivial one
    # (every activity finishing no earlier than its duration after its predecessors' chain)
    trivial = sum(a.weight * a.duration for a in hard.activities)
    assert s.bound is not None and trivial - 1e-9 <= s.bound < s.objective


def test_named_solver_not_installed(hard, monkeypatch):
    monkeypatch.setenv("NETPLAN_SOLVER", "SOMETHING_NOT_INSTALLED")
    with pytest.raises(SolverUnavailableError, match="SOMETHING_NOT_INSTALLED.*pip install"):
        solve(hard, time_limit_s=1)
    monkeypatch.setenv("NETPLAN_SOLVER", "GUROBI")  # known to PuLP, not installed here
    with pytest.raises(SolverUnavailableError, match="GUROBI.*not installed: pip install gurobipy"):
        solve(hard, time_limit_s=1)


def test_unavailable_solver_object(hard):
    with pytest.raises(SolverUnavailableError, match="'GUROBI' passed in is not available"):
        solve(hard, solver=MissingSolver(), time_limit_s=1)


def test_highspy_missing_is_solver_unavailable(hard, monkeypatch):
    monkeypatch.setitem(sys.modules, "highspy", None)  # `import highspy` raises ImportError
    with pytest.raises(SolverUnavailableError, match=r"pip install 'pulp\[highs\]"):
        solve(hard, time_limit_s=1)


@pytest.mark.parametrize("broken", [RaisingSolver, UndefinedSolver])
def test_failing_solver_keeps_the_heuristic_plan_and_says_so(small, broken):
    s = solve(small, solver=broken(), time_limit_s=0.5)
    check_schedule(small, s.starts)
    assert s.status is SolveStatus.FEASIBLE
    failed = [line for line in s.log if line.startswith("MILP failed")]
    assert failed and broken.name in failed[0]


def test_highs_failing_mid_solve_keeps_the_heuristic_plan(small, monkeypatch):
    import highspy

    monkeypatch.setattr(highspy.Highs, "run", lambda self: highspy.HighsStatus.kError)
    s = solve(small, time_limit_s=0.5)
    check_schedule(small, s.starts)
    assert s.status is SolveStatus.FEASIBLE
    assert any("HiGHS could not solve the schedule MILP" in line for line in s.log)


def _landing_project(slack_tb: float) -> Project:
    """Three 1e-6 TB systems, one of 1e6 TB and one of 3 TB on a cloud of 1e6 + 3 + slack."""
    sizes = [(1e-6, 1), (1e-6, 2), (1e-6, 3), (1e6, 4), (3.0, 1)]
    acts = tuple(Activity(f"s{i}", 1, (1,), landing=(v,), weight=w)
                 for i, (v, w) in enumerate(sizes))
    return Project(acts, np.array([2]), (), horizon=8,
                   landing_capacity=np.full((1, 8), 1e6 + 3 + slack_tb),
                   objective="weighted_completion")


@pytest.mark.parametrize("backend", ["milp", "cpsat", "heuristic"])
def test_coefficients_from_1e_minus_6_to_1e6(backend):
    p = _landing_project(3e-6)  # everything fits, exactly
    s = solve(p, backend=backend, time_limit_s=0.3)
    check_schedule(p, s.starts)
    # two per week: weights 4, 3 in week 1 (finish 1), 2, 1 in week 2, 1 in week 3:
    # 4·1 + 3·1 + 2·2 + 1·2 + 1·3 = 16
    assert s.objective == 16.0
    if s.status is SolveStatus.OPTIMAL:
        assert s.bound == 16.0


def test_cpsat_rounding_proves_nothing_on_tiny_amounts():
    """CP-SAT counts landings in 1/1000 units, rounded up: 1e-6 TB becomes 1e-3 TB.

    The three 1e-6 TB systems then need 3e-3 TB of the 3e-6 TB left; before, CP-SAT
    answered INFEASIBLE for a project that has plans (the MILP's plan passes the checker).
    """
    from netplan.migration.solvers.cpsat import solve_cpsat

    p = _landing_project(3e-6)
    s = solve_cpsat(p, time_limit_s=1)
    assert s.status is SolveStatus.NO_SOLUTION
    assert any("prove nothing" in line for line in s.log)


def _tiny(day: dt.date, teams: int):
    from netplan.examples import tiny_migration
    from netplan.model.scenario import CloudTarget

    scenario, inventory = tiny_migration()
    t = scenario.targets.model_copy(update={"systems_on_cloud": [
        CloudTarget(by=day, systems="all")]})
    m = scenario.migration.model_copy(update={"teams": teams})
    return scenario.model_copy(update={"targets": t, "migration": m}), inventory


def test_impossible_milestone_is_explained_with_team_numbers():
    """All 6 systems by 2020-01-26 (3 weeks) with 1 team.

    The 5 to migrate take 2 + 1 + 1 + 1 + 1 = 6 person-weeks (人口库 2, the others 1; 门户 is
    on the cloud already); one team has 3 in 3 weeks: short by 3, so at least 6 / 3 = 2 teams.
    """
    from netplan.migration.plan import plan_migration

    scenario, inventory = _tiny(dt.date(2020, 1, 26), teams=1)
    plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=2)
    assert plan.status is SolveStatus.INFEASIBLE and not plan.feasible
    err = plan.infeasible_error()
    assert isinstance(err, InfeasiblePlanError)
    text = str(err)
    assert "no migration plan with 1 team can meet every dated target" in text
    assert "short by 3 person-weeks before 2020-01-26 (needs at least 6, has 3)" in text
    assert "2 teams instead of 1" in text
    assert "add teams, move the target dates later" in text
    # the plan without the targets: one team, 6 person-weeks from Monday 2020-01-06 → the last
    # cutover in week 6 at the earliest, i.e. on or after Sunday 2020-02-09
    assert plan.finish_date >= dt.date(2020, 2, 9)
    assert f"on the cloud on {plan.finish_date}" in text


def test_dependency_chain_is_explained_even_with_unlimited_teams():
    """All by 2020-01-19 (2 weeks) with 10 teams: 警务通 waits for 人口库's 2 weeks."""
    from netplan.migration.plan import plan_migration

    scenario, inventory = _tiny(dt.date(2020, 1, 19), teams=10)
    plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=2)
    reasons = plan.infeasible_error().reasons
    assert any("only 5 systems can be on the cloud by 2020-01-19 even with unlimited teams"
               in r and "人口库 → 市公安局/警务通" in r for r in reasons), reasons


def test_feasible_plan_has_no_error():
    from netplan.examples import tiny_migration
    from netplan.migration.plan import plan_migration

    scenario, inventory = tiny_migration()
    plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=0.5)
    assert plan.feasible and plan.infeasible_error() is None


def test_cpsat_backend_missing_is_solver_unavailable(monkeypatch):
    """Before: NO_SOLVER went on to the relaxed plan, saying "the search found no plan"."""
    from netplan.examples import tiny_migration
    from netplan.migration.plan import plan_migration

    monkeypatch.setitem(sys.modules, "ortools.sat.python", None)
    scenario, inventory = tiny_migration()
    with pytest.raises(SolverUnavailableError,
                       match=r"cpsat backend cannot run: OR-Tools is not installed; "
                             r"pip install 'netplan\[cpsat\]'"):
        plan_migration(scenario, inventory, backend="cpsat", time_limit_s=2)


def test_failed_exact_stage_without_any_plan_is_raised():
    """A deadline the heuristic cannot meet (b after a, both by period 2: impossible), and an
    exact stage that fails: the failure is the answer, not a silent NO_SOLUTION."""
    from netplan.errors import SolverFailedError
    from netplan.migration.solve import ExactOutcome, portfolio

    class Failing:
        heuristic_share = {"makespan": 0.5, "weighted_completion": 0.5}
        exact_share = {"makespan": 0.5, "weighted_completion": 0.5}

        def run(self, project, **kw):
            err = SolverFailedError("Broken could not solve the schedule MILP")
            return ExactOutcome("error", log=[f"MILP failed: {err}"], error=err)

    p = Project((Activity("a", 2, (1,), deadline=2), Activity("b", 1, (1,), deadline=2)),
                np.array([1]), ((0, 1),), horizon=6)
    with pytest.raises(SolverFailedError, match="Broken could not solve"):
        portfolio(p, Failing(), backend="test", time_limit_s=0.2, work_limit=None, seed=0,
                  initial=None)
