"""The upgrade MILP when the solver runs out of time, is missing, fails or meets bad numbers.

On the three-line instance of ``tests/capacity/test_upgrade.py`` (its optimum, 22, worked
out by hand there), solved by the line-level MILP (``ENUMERATE_MAX = 0``); every plan is
re-checked by routing the upgraded network again (``assert_no_utilisation_violation``).
"""

from __future__ import annotations

import sys

import pulp
import pytest

from netplan.capacity import upgrade
from netplan.capacity.upgrade import plan_upgrades
from netplan.errors import InfeasiblePlanError, SolverFailedError, SolverUnavailableError
from netplan.topology import build_topology
from tests.capacity.test_upgrade import (
    COUNTY,
    TOWN,
    VILLAGE,
    assert_no_utilisation_violation,
    caps_of,
    three_lines,
)
from tests.solvers.fakes import (
    MissingSolver,
    NotSolvedSolver,
    RaisingSolver,
    StoppedSolver,
    UndefinedSolver,
)


@pytest.fixture(autouse=True)
def milp_path(monkeypatch):
    monkeypatch.setattr(upgrade, "ENUMERATE_MAX", 0)


@pytest.fixture(scope="module")
def case():
    s = three_lines()
    return s, build_topology(s)


def test_time_limit_without_incumbent_is_explained(case):
    s, topo = case
    plan = plan_upgrades(s, topo, solver=pulp.HiGHS(msg=False, timeLimit=1e-9))
    assert plan.status == "no_solution"
    err = plan.infeasible_error()
    assert isinstance(err, InfeasiblePlanError)
    assert "not proven" in str(err) and "Time limit reached" in str(err)
    assert "raise capacity.time_limit_s" in str(err)


def test_stopped_with_incumbent_is_feasible_not_optimal(case):
    s, topo = case
    plan = plan_upgrades(s, topo, solver=StoppedSolver())
    assert plan.status == "feasible"  # the values are optimal; nothing says so
    assert plan.cost == pytest.approx(22)
    assert caps_of(plan, 2020) == {COUNTY: 150, TOWN: 120, VILLAGE: 30}
    assert_no_utilisation_violation(s, plan)
    assert plan.infeasible_error() is None


def test_missing_solver(case, monkeypatch):
    s, topo = case
    monkeypatch.setenv("NETPLAN_SOLVER", "SOMETHING_NOT_INSTALLED")
    with pytest.raises(SolverUnavailableError, match="SOMETHING_NOT_INSTALLED"):
        plan_upgrades(s, topo)
    monkeypatch.delenv("NETPLAN_SOLVER")
    with pytest.raises(SolverUnavailableError, match="GUROBI.*pip install gurobipy"):
        plan_upgrades(s, topo, solver=MissingSolver())
    monkeypatch.setitem(sys.modules, "highspy", None)
    with pytest.raises(SolverUnavailableError, match=r"pip install 'pulp\[highs\]"):
        plan_upgrades(s, topo)


@pytest.mark.parametrize(("broken", "said"), [
    (RaisingSolver, "Raising failed on the upgrade MILP: Pulp: Error while executing"),
    (UndefinedSolver, "Undefined could not solve the upgrade MILP .*'Undefined'"),
    (NotSolvedSolver, "NotSolved could not solve the upgrade MILP .*'Not Solved'"),
])
def test_failing_solver_is_an_explained_error(case, broken, said):
    s, topo = case
    with pytest.raises(SolverFailedError, match=said):
        plan_upgrades(s, topo, solver=broken())


def test_target_no_module_reaches_is_explained():
    """The village needs 200 / 0.7 = 285.7 Mbps normally; its largest option is 100M."""
    s = three_lines(village=200)
    plan = plan_upgrades(s, build_topology(s))
    assert plan.status == "infeasible"
    text = str(plan.infeasible_error())
    assert text.startswith("no upgrade plan meets every capacity requirement")
    assert (f"no catalogue option carries {VILLAGE} -- {VILLAGE.rsplit('/', 1)[0]}'s 286 Mbps "
            "(utilisation) in the normal operation state in 2020: its lines up reach 100 Mbps "
            "at most (the largest option is 100M)") in text
    assert "add larger options to capacity.catalogue" in text


@pytest.mark.parametrize("scale", [1e-6, 1e9])
def test_costs_from_1e_minus_6_to_1e9(scale):
    """The same plan whatever the unit of the costs: 22 × scale."""
    s = three_lines(cost_scale=scale)
    plan = plan_upgrades(s, build_topology(s))
    assert plan.status == "optimal"
    assert plan.cost == pytest.approx(22 * scale, rel=1e-9)
    assert caps_of(plan, 2020) == {COUNTY: 150, TOWN: 120, VILLAGE: 30}
    assert_no_utilisation_violation(s, plan)


def test_a_plan_that_misses_a_requirement_is_refused(case, monkeypatch):
    """A solver that leaves every line as it is and says "optimal" (a wrong plan)."""

    class Lying(pulp.LpSolver):
        name = "Lying"

        def available(self):
            return True

        def actualSolve(self, lp, **kwargs):
            for v in lp.variables():  # option 0 (keep) everywhere, nothing bought
                v.varValue = 1.0 if v.name.startswith("x_") and v.name.split("_")[2] == "0" \
                    else 0.0
            lp.assignStatus(pulp.LpStatusOptimal, pulp.LpSolutionOptimal)
            return lp.status

    s, topo = case
    with pytest.raises(SolverFailedError, match="claims .* Mbps .* is met, but its lines carry"):
        plan_upgrades(s, topo, solver=Lying())
