"""Dimensioning MILP: hand-enumerated triangles in every model variant, SNDlib references.

The triangle has nodes a, b, c, links ab, bc, ac and one demand a-b. With capacities
``x_ab, x_bc, x_ac`` a splittable routing exists iff ``x_ab + min(x_ac, x_bc) >= V`` (max
flow), a single path iff ``x_ab >= V`` or ``min(x_ac, x_bc) >= V``; with survivability
(each link failing in turn) both ``x_ab >= V`` and ``min(x_ac, x_bc) >= V`` are needed. The
expected optima below enumerate every module choice against these conditions, independently
of the MILP, and are also worked out by hand in the comments.
"""

import itertools
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from netplan.capacity.dimensioning import (
    DimensioningDemand,
    DimensioningLink,
    DimensioningProblem,
    DimensioningResult,
    DimensioningStatus,
    DimensioningViolation,
    Module,
    check_dimensioning,
    dimension,
)
from netplan.errors import ScenarioError

SNDLIB = Path("/work/shared/benchmarks/sndlib")

# ab is dear, the detour via c is cheap per link but needs two links
CATALOGUE = {"ab": (Module(10, 5), Module(40, 16)),
             "bc": (Module(10, 2), Module(40, 6)),
             "ac": (Module(10, 2), Module(40, 6))}
ENDS = {"ab": ("a", "b"), "bc": ("b", "c"), "ac": ("a", "c")}


def triangle(volume, **model):
    links = tuple(DimensioningLink(k, *ENDS[k], CATALOGUE[k]) for k in ("ab", "bc", "ac"))
    return DimensioningProblem(("a", "b", "c"), links,
                               (DimensioningDemand("d", "a", "b", volume),),
                               name="triangle", **model)


def enumerate_optimum(volume, capacity_model, routing, survivability):
    """Cheapest module choice meeting the triangle's routing condition (None: infeasible)."""
    def choices(mods):
        if capacity_model == "E":
            yield 0.0, 0.0
            for m in mods:
                yield m.capacity, m.cost
            return
        for n in itertools.product(range(6), repeat=len(mods)):
            yield (sum(k * m.capacity for k, m in zip(n, mods, strict=True)),
                   sum(k * m.cost for k, m in zip(n, mods, strict=True)))

    best = None
    for (xab, cab), (xbc, cbc), (xac, cac) in itertools.product(
            *(list(choices(CATALOGUE[k])) for k in ("ab", "bc", "ac"))):
        detour = min(xac, xbc)
        if survivability == "U":
            ok = xab >= volume and detour >= volume
        elif routing == "S":
            ok = xab >= volume or detour >= volume
        else:
            ok = xab + detour >= volume
        if ok and (best is None or cab + cbc + cac < best):
            best = cab + cbc + cac
    return best


def solve_checked(problem, **kw):
    r = dimension(problem, time_limit_s=20, **kw)
    check_dimensioning(problem, r)
    return r


@pytest.mark.parametrize(("volume", "cap", "routing", "surv", "hand"), [
    # 25 via c on 3x10 or 1x40 per link: 6 + 6
    (25, "M", "C", "N", 12.0),
    # 45: 10 on ab (5) and 40 via c (6 + 6) = 17; all via c 2 x (40+10) = 16
    (45, "M", "C", "N", 16.0),
    (45, "M", "S", "N", 16.0),
    # explicit: 45 cannot go one way; 10 on ab + 40 + 40 via c = 5 + 12
    (45, "E", "C", "N", 17.0),
    (25, "E", "S", "N", 12.0),
    # survivable 25: ab alone (3x10: 15) and the detour alone (6 + 6); explicit: ab 40 (16)
    (25, "M", "C", "U", 27.0),
    (25, "E", "C", "U", 28.0),
    (25, "M", "S", "U", 27.0),
])
def test_triangle_matches_enumeration(volume, cap, routing, surv, hand):
    expected = enumerate_optimum(volume, cap, routing, surv)
    assert expected == hand
    p = triangle(volume, capacity_model=cap, routing=routing, survivability=surv)
    r = solve_checked(p)
    assert r.status is DimensioningStatus.OPTIMAL
    assert r.objective == pytest.approx(expected)
    assert r.bound == pytest.approx(expected)
    assert r.gap == 0.0
    frame = r.to_frame()
    assert list(frame["link_id"]) == ["ab", "bc", "ac"]
    assert frame["module_cost"].sum() == pytest.approx(expected)


def test_single_path_explicit_is_infeasible_when_no_module_is_big_enough():
    assert enumerate_optimum(45, "E", "S", "N") is None
    r = solve_checked(triangle(45, capacity_model="E", routing="S"))
    assert r.status is DimensioningStatus.INFEASIBLE
    assert r.objective is None


def test_survivability_needs_two_disjoint_routes():
    # a path a-b with no alternative: failing the only link disconnects the demand
    p = DimensioningProblem(("a", "b"), (DimensioningLink("ab", "a", "b", (Module(10, 1),)),),
                            (DimensioningDemand("d", "a", "b", 5),), survivability="U")
    r = solve_checked(p)
    assert r.status is DimensioningStatus.INFEASIBLE
    assert "when link ab fails" in r.message


def test_single_path_flows_are_one_path():
    r = solve_checked(triangle(45, routing="S"))
    normal = r.flows[r.flows["state"] == ""]
    assert sorted(normal["link_id"]) == ["ac", "bc"]
    assert set(normal["flow"]) == {45.0}


def test_pre_installed_capacity_and_routing_cost():
    # 10 pre-installed on ab at 1 per unit (constant 10), routing 0.1 per unit on ab.
    # 25: 2x10 via c on each link (4 + 4) leaves 5 for ab's pre-installed 10: 10 + 8 + 0.5;
    # 10 on ab and 15 via c costs the same modules and 1.0 routing; 25 on ab: 10 + 10 + 2.5;
    # all via c: 10 + 12
    links = (DimensioningLink("ab", "a", "b", CATALOGUE["ab"], pre_installed_capacity=10,
                              pre_installed_capacity_cost=1, routing_cost=0.1),
             DimensioningLink("bc", "b", "c", CATALOGUE["bc"]),
             DimensioningLink("ac", "a", "c", CATALOGUE["ac"]))
    p = DimensioningProblem(("a", "b", "c"), links, (DimensioningDemand("d", "a", "b", 25),))
    r = solve_checked(p)
    assert r.status is DimensioningStatus.OPTIMAL
    assert r.objective == pytest.approx(18.5)
    assert r.capacity == {"ab": 10.0, "bc": 20.0, "ac": 20.0}


def test_directed_bidirected_takes_the_larger_direction():
    # D-B: a->b 25 and b->a 5 share nothing; the larger direction sizes the links (12 as the
    # U-U triangle of 25); undirected links would need 30: 10 on ab + 20 via c = 5 + 4 + 4
    demands = (DimensioningDemand("f", "a", "b", 25), DimensioningDemand("r", "b", "a", 5))
    base = triangle(25)
    directed = replace(base, demands=demands, demand_model="D", link_model="B")
    r = solve_checked(directed)
    assert r.objective == pytest.approx(12.0)
    undirected = replace(base, demands=demands)
    assert enumerate_optimum(30, "M", "C", "N") == 12.0
    assert solve_checked(undirected).objective == pytest.approx(12.0)


def test_fixed_charge_setup_cost():
    # setup 100 on ac: the detour costs 112, ab alone (3x10 or 40) 15 + 100 setup on ab? no:
    # only ac has a setup cost, so ab carries 25 for 15
    links = tuple(DimensioningLink(k, *ENDS[k], CATALOGUE[k],
                                   setup_cost=100.0 if k == "ac" else 0.0)
                  for k in ("ab", "bc", "ac"))
    p = DimensioningProblem(("a", "b", "c"), links, (DimensioningDemand("d", "a", "b", 25),),
                            fixed_charge=True)
    r = solve_checked(p)
    assert r.objective == pytest.approx(15.0)


def test_pulp_solver_path_gives_the_same_optimum():
    import pulp

    r = solve_checked(triangle(45), solver=pulp.HiGHS(msg=False))
    assert r.objective == pytest.approx(16.0)


def test_checker_catches_broken_plans():
    p = triangle(45)
    r = solve_checked(p)
    empty = pd.DataFrame(columns=r.installed.columns)
    stripped = replace(r, installed=empty)
    with pytest.raises(DimensioningViolation, match="capacity"):
        check_dimensioning(p, stripped)
    wrong = replace(r, objective=r.objective - 1)
    with pytest.raises(DimensioningViolation, match="recomputed"):
        check_dimensioning(p, wrong)
    lost = replace(r, flows=r.flows.iloc[1:])
    with pytest.raises(DimensioningViolation, match="net outflow"):
        check_dimensioning(p, lost)
    assert isinstance(r, DimensioningResult)
    assert "optimal" in str(r)


def test_problem_validation():
    with pytest.raises(ScenarioError, match="end node 'z' is not a node"):
        DimensioningProblem(("a",), (DimensioningLink("l", "a", "z", ()),), ())
    with pytest.raises(ScenarioError, match="routing"):
        triangle(1, routing="X")


@pytest.mark.parametrize(("net", "model", "optimum"), [
    ("abilene", "U-U-M-N-C-A-N-N", 194020.0),
    ("abilene", "D-B-M-N-C-A-N-N", 114606.0),
])
def test_sndlib_reference_optima(net, model, optimum):
    path = SNDLIB / net / f"{net}.txt"
    if not path.exists():
        pytest.skip("shared SNDlib data absent")
    from netplan.io.sndlib import read_sndlib

    inst = read_sndlib(path, SNDLIB / net / "models" / f"{model}.txt")
    p = DimensioningProblem.from_sndlib(inst)
    assert p.model == model
    r = dimension(p, time_limit_s=30)
    check_dimensioning(p, r)
    assert r.status is DimensioningStatus.OPTIMAL
    assert r.objective == pytest.approx(optimum)


def test_unsupported_model_is_refused():
    from netplan.io.sndlib import parse_sndlib

    inst = parse_sndlib("NODES ( a ( 0 0 ) b ( 1 1 ) )\nLINKS ( l ( a b ) 0 0 0 0 ( 1 1 ) )\n"
                        "DEMANDS ( d ( a b ) 1 1 UNLIMITED )")
    with pytest.raises(ScenarioError, match="hop limits"):
        DimensioningProblem.from_sndlib(inst, "U-U-M-N-C-A-Y-N")
    p = DimensioningProblem.from_sndlib(inst, "U-U-M-N-C-A-N-N")
    assert solve_checked(p).objective == pytest.approx(1.0)
