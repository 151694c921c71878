"""Network dimensioning when the solver runs out of time, is missing, fails or meets bad numbers.

Every plan is verified by :func:`netplan.capacity.dimensioning.check_dimensioning` (module
counts, flow conservation in every state, capacities, objective recomputed).
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

from netplan.capacity.dimensioning import (
    DimensioningDemand,
    DimensioningLink,
    DimensioningProblem,
    DimensioningStatus,
    Module,
    check_dimensioning,
    dimension,
)
from netplan.errors import InfeasiblePlanError, SolverFailedError, SolverUnavailableError
from tests.solvers.fakes import MissingSolver, RaisingSolver, UndefinedSolver


def ring(n: int, demands, modules, **kw) -> DimensioningProblem:
    """``n`` nodes on a ring with chords to the opposite node."""
    nodes = tuple(f"n{i}" for i in range(n))
    links = tuple(DimensioningLink(f"l{i}", nodes[i], nodes[(i + 1) % n], modules)
                  for i in range(n))
    links += tuple(DimensioningLink(f"c{i}", nodes[i], nodes[(i + n // 2) % n], modules)
                   for i in range(n // 2))
    dem = tuple(DimensioningDemand(f"d{k}", nodes[a], nodes[b], v)
                for k, (a, b, v) in enumerate(demands))
    return DimensioningProblem(nodes, links, dem, **kw)


@pytest.fixture(scope="module")
def survivable():
    """14 nodes, 27 demands, every single-link failure: HiGHS needs far more than 0.3 s."""
    rng = np.random.default_rng(0)
    dem = [(int(a), int(b), float(rng.integers(1, 40)))
           for a, b in rng.integers(0, 14, (30, 2)) if a != b]
    return ring(14, dem, (Module(10, 3), Module(40, 10)), survivability="U")


@pytest.fixture(scope="module")
def small():
    return ring(4, [(0, 2, 25.0), (1, 3, 12.0)], (Module(10, 3), Module(40, 10)))


def test_time_limit_gives_a_checked_plan_never_called_optimal(survivable):
    r = dimension(survivable, time_limit_s=0.3)
    assert r.status is DimensioningStatus.TIME_LIMIT
    check_dimensioning(survivable, r)
    # a bound, when HiGHS got one, lies below the plan; the gap is what they say
    if r.bound is not None:
        assert r.bound <= r.objective
        assert r.gap == pytest.approx((r.objective - r.bound) / r.objective)


def test_missing_solver(small, monkeypatch):
    monkeypatch.setenv("NETPLAN_SOLVER", "SOMETHING_NOT_INSTALLED")
    with pytest.raises(SolverUnavailableError, match="SOMETHING_NOT_INSTALLED"):
        dimension(small, time_limit_s=5)
    monkeypatch.delenv("NETPLAN_SOLVER")
    with pytest.raises(SolverUnavailableError, match="GUROBI.*not available"):
        dimension(small, solver=MissingSolver(), time_limit_s=5)
    monkeypatch.setitem(sys.modules, "highspy", None)
    with pytest.raises(SolverUnavailableError, match=r"pip install 'pulp\[highs\]"):
        dimension(small, time_limit_s=5)


@pytest.mark.parametrize(("broken", "said"), [
    (RaisingSolver, "Raising failed on the dimensioning MILP"),
    (UndefinedSolver, "Undefined could not solve the dimensioning MILP .*'Undefined'"),
])
def test_failing_solver_is_an_explained_error(small, broken, said):
    with pytest.raises(SolverFailedError, match=said):
        dimension(small, solver=broken(), time_limit_s=5)


def test_highs_failing_mid_solve_is_an_explained_error(small, monkeypatch):
    import highspy

    real = highspy.Highs.run

    def run(self):  # the LP relaxation runs; the MILP (integer columns) fails
        if self.getLp().integrality_:
            return highspy.HighsStatus.kError
        return real(self)

    monkeypatch.setattr(highspy.Highs, "run", run)
    with pytest.raises(SolverFailedError, match="HiGHS could not solve the dimensioning MILP"):
        dimension(small, time_limit_s=5)


def test_demand_no_module_can_carry_is_explained():
    """Node c's one demand of 100 crosses its only link, whose largest option is 40."""
    p = DimensioningProblem(
        ("a", "b", "c"),
        (DimensioningLink("ab", "a", "b", (Module(10, 1), Module(40, 3)), ),
         DimensioningLink("bc", "b", "c", (Module(10, 1), Module(40, 3)))),
        (DimensioningDemand("d", "a", "c", 100),), capacity_model="E")
    r = dimension(p, time_limit_s=5)
    assert r.status is DimensioningStatus.INFEASIBLE
    text = str(r.infeasible_error())
    assert isinstance(r.infeasible_error(), InfeasiblePlanError)
    assert "node a: its demands need 100 capacity units at it, but its links can carry at " \
           "most 40" in text
    assert "add a larger module or a link" in text


def test_node_cut_counts_failures():
    """Node b has two links of at most 40 and demands of 30 + 30: fine until one fails."""
    mods = (Module(40, 1),)
    links = (DimensioningLink("ab", "a", "b", mods), DimensioningLink("bc", "b", "c", mods),
             DimensioningLink("ac", "a", "c", mods))
    dem = (DimensioningDemand("d1", "a", "b", 30), DimensioningDemand("d2", "c", "b", 30))
    ok = DimensioningProblem(("a", "b", "c"), links, dem, capacity_model="E")
    r = dimension(ok, time_limit_s=5)
    check_dimensioning(ok, r)
    assert r.status is DimensioningStatus.OPTIMAL and r.objective == 2.0  # ab and bc
    bad = DimensioningProblem(("a", "b", "c"), links, dem, capacity_model="E",
                              survivability="U")
    r = dimension(bad, time_limit_s=5)
    assert r.status is DimensioningStatus.INFEASIBLE
    assert r.message.startswith("node b: its demands need 60 capacity units at it, but its "
                                "links can carry at most 40 when link ab fails")


def test_modules_from_1e_minus_3_to_1e6():
    """Demands of 1e-6 and 1e6 on one link; modules of 1e-3 (cost 1e-6), 10 (1), 1e6 (5e4).

    The cheapest per unit is the smallest (1e-3 per unit, against 0.1 and 0.05): the optimum
    is ceil((1e6 + 1e-6) / 1e-3) = 1,000,000,001 of them, cost 1000.000001. Before, the
    starts enumerated the 10-modules one count at a time (seconds past any time limit).
    """
    mods = (Module(1e-3, 1e-6), Module(10.0, 1.0), Module(1e6, 5e4))
    p = DimensioningProblem(("a", "b"), (DimensioningLink("l", "a", "b", mods),),
                            (DimensioningDemand("d1", "a", "b", 1e-6),
                             DimensioningDemand("d2", "a", "b", 1e6)))
    r = dimension(p, time_limit_s=5)
    check_dimensioning(p, r)
    assert r.status is DimensioningStatus.OPTIMAL
    assert r.objective == pytest.approx(1000.000001, rel=1e-12)
    assert r.installed["count"].tolist() == [1_000_000_001]


def test_wide_modules_on_a_mesh_respect_a_short_time_limit():
    """The same catalogue on a 6-node mesh: a plan within 0.05 s of work, checked."""
    mods = (Module(1e-3, 1e-6), Module(10.0, 1.0), Module(1e6, 5e4))
    p = ring(6, [(0, 3, 1e-6), (1, 4, 1e6), (2, 5, 3.0), (0, 2, 5e5)], mods)
    r = dimension(p, time_limit_s=0.05)
    check_dimensioning(p, r)
    assert r.status in (DimensioningStatus.OPTIMAL, DimensioningStatus.TIME_LIMIT)
    # every demand on its shortest route (the chords join 0-3, 1-4, 2-5): 1e6 + 5e5 + 3
    # + 1e-6 units over 4 links at 1e-3 per unit, at least
    assert r.objective >= (1e6 + 5e5 + 3 + 1e-6) * 1e-3 * 0.999


def test_another_solver_stopped_with_a_plan_is_time_limit(small):
    """Through PuLP (not highspy), a CBC-like time-limit stop with a plan: checked, not optimal.

    Before, this path built its variables with the deprecated ``LpVariable(...)`` and failed
    under ``-W error`` before solving anything.
    """
    from tests.solvers.fakes import StoppedSolver

    r = dimension(small, solver=StoppedSolver(), time_limit_s=5)
    check_dimensioning(small, r)
    # the values are HiGHS' optimum, but only PuLP's "Not Solved / Solution Found" is read:
    # nothing proves it
    assert r.status is DimensioningStatus.TIME_LIMIT and r.bound is None
    assert r.objective == dimension(small, time_limit_s=5).objective
