"""The upgrade MILP against plans enumerated by hand on a three-line instance.

The tiny scenario cut down to one county (B区) with one town (B街道) and one village: three
single lines break their ceilings, each of a different link class with its own catalogue.
Bulk demand only (no sync jobs, no request responses), single year 2020, ceilings 70 %
normal and 100 % in a failure; a requirement is ``max(load / ceiling, load + throughput)``
with the service-level throughputs county 8, town 5, village 2 Mbps:

- county department (B区#部门01, 100M, 90 Mbps): normal max(128.57, 98) = 128.57;
  with the other carrier down 98 <= 100 (met);
- town department (B街道#部门01, 100M, 80 Mbps): normal max(114.29, 85) = 114.29; 85 met;
- village (B街道/村001, 20M, 20 Mbps): normal max(28.57, 22) = 28.57 and, with the other
  carrier down, 22 > 20: *two* requirements.

Everything else has ample headroom (the town's uplinks carry 100 of 2 × 200M, the county's
190 over 2 × 1G).
"""

from __future__ import annotations

import copy
import itertools

import pytest

from netplan.capacity import upgrade
from netplan.capacity.compliance import check_compliance
from netplan.capacity.loads import link_loads
from netplan.capacity.upgrade import candidate_lines, plan_upgrades
from netplan.examples import TINY_SCENARIO, tiny_scenario
from netplan.model.scenario import Scenario
from netplan.topology import build_topology

B = "测试省/甲市/B区"
COUNTY, TOWN, VILLAGE = f"{B}#部门01", f"{B}/B街道#部门01", f"{B}/B街道/村001"
QUIET = {"platform_sync": {"jobs_per_hour": 0},
         "interactive": {"requests_per_min": 0, "village_requests_per_min": 0}}
#: per class: (capacity Mbps, one-off, yearly)
CATALOGUE = {
    "uplink/village": [(30, 3, 1), (50, 5, 1), (100, 9, 2)],
    "access/town": [(120, 6, 2), (150, 7, 2), (200, 10, 3)],
    "access/county": [(120, 4, 1), (150, 8, 2), (200, 9, 3)],
}
#: the three lines: (class, capacity today, requirements in Mbps worked out above)
LINES = {
    COUNTY: ("access/county", 100, [90 / 0.7]),
    TOWN: ("access/town", 100, [80 / 0.7]),
    VILLAGE: ("uplink/village", 20, [20 / 0.7, 22]),
}


def three_lines(*, county=90, town=80, village=20, capacity: dict | None = None,
                demand: dict | None = None, cost_scale: float = 1.0) -> Scenario:
    data = copy.deepcopy(TINY_SCENARIO)
    data["region"]["provinces"][0]["cities"][0]["counties"] = [
        {"name": "B区", "towns": [{"name": "B街道", "villages": 1}]}]
    data["demand"] = {"department_mbps": {"city": 20, "county": county, "town": town},
                      "village_mbps": village, **QUIET, **(demand or {})}
    data["capacity"] = {"catalogue": {
        k: [{"capacity": c, "one_off": o * cost_scale, "yearly": y * cost_scale}
            for c, o, y in v]
        for k, v in CATALOGUE.items()}, **(capacity or {})}
    return Scenario.model_validate(data)


def enumerate_plans(budget: float | None = None):
    """Every combination of keep / a larger module per line: (cost, met, caps), single year.

    Under a budget: the most requirements met (each weight 1) within it, then the cheapest.
    """
    names = list(LINES)
    choices = []
    for name in names:
        cls, cap0, _ = LINES[name]
        choices.append([(cap0, 0.0)] + [(c, o + y) for c, o, y in CATALOGUE[cls] if c > cap0])
    best = None
    for combo in itertools.product(*choices):
        cost = sum(c for _, c in combo)
        met = sum(cap >= need for (cap, _), n in zip(combo, names, strict=True)
                  for need in LINES[n][2])
        total = sum(len(LINES[n][2]) for n in names)
        if budget is None and met < total:
            continue
        if budget is not None and cost > budget + 1e-9:
            continue
        key = (-met, cost)
        if best is None or key < best[0]:
            best = (key, cost, met, dict(zip(names, (c for c, _ in combo), strict=True)))
    return best[1], best[2], best[3]


def caps_of(plan, year: int) -> dict[str, float]:
    links = plan.topology.links
    cap = plan.capacity_by_year[year]
    return {name: float(cap[links.index.get_loc(int(links.index[links["source"] == name][0]))])
            for name in LINES}


def assert_no_utilisation_violation(s: Scenario, plan, *, allowed: set[str] = frozenset()):
    """Re-check the upgraded network, year by year: only ``allowed`` trunks may break a ceiling."""
    for year in sorted(plan.capacity_by_year):
        topo = plan.upgraded(year)
        c = check_compliance(s, link_loads(s, topo, years=[year]))
        util = c.violations[c.violations["rule"] == "utilisation"]
        assert set(util["where"]) <= allowed, (year, util[["where", "state"]])


@pytest.fixture(params=["decomposed", "milp"])
def solver_path(request, monkeypatch):
    """Both ways of solving: per group of lines (exact; a knapsack over the groups' Pareto
    plans under a budget), or one MILP over every line."""
    if request.param == "milp":
        monkeypatch.setattr(upgrade, "ENUMERATE_MAX", 0)
    return request.param


def test_three_lines_cost_equals_enumerated_optimum(solver_path):
    s = three_lines()
    plan = plan_upgrades(s, build_topology(s))
    cost, met, caps = enumerate_plans()
    # by hand: village 30M (3 + 1), town 120M (6 + 2), county 150M (8 + 2; 120M < 128.57)
    assert (cost, caps) == (22, {COUNTY: 150, TOWN: 120, VILLAGE: 30})
    assert plan.status == "optimal"
    assert plan.cost == pytest.approx(cost)
    assert caps_of(plan, 2020) == caps
    assert len(plan.requirements) == met == 4
    got = {(r, f, t) for r, f, t in zip(plan.lines["source"], plan.lines["from_mbps"],
                                        plan.lines["to_mbps"], strict=True)}
    assert got == {(COUNTY, 100, 150), (TOWN, 100, 120), (VILLAGE, 20, 30)}
    assert plan.cost_by_year["discounted"].sum() == pytest.approx(cost)
    assert_no_utilisation_violation(s, plan)


@pytest.mark.parametrize(("budget", "left_out"), [
    # 13: village + town (4 + 8 = 12) meet 3 requirements; village + county costs 14
    (13, {COUNTY}),
    # 11: one line only; the village's two requirements outweigh the town's or county's one
    (11, {COUNTY, TOWN}),
])
def test_budget_leaves_out_the_predicted_requirements(budget, left_out, solver_path):
    s = three_lines(capacity={"budget": budget})
    plan = plan_upgrades(s, build_topology(s))
    cost, met, caps = enumerate_plans(budget)
    assert plan.status == "over_budget"
    assert plan.cost == pytest.approx(cost) and plan.cost <= budget
    assert caps_of(plan, 2020) == caps
    assert {w.split(" -- ")[0] for w in plan.unmet["where"]} == left_out
    assert (plan.unmet["reason"] == "over the budget").all()
    # meeting the county's requirement alone: 150M at 8 + 2; the town's: 120M at 6 + 2
    alone = {w.split(" -- ")[0]: c for w, c in zip(plan.unmet["where"],
                                                   plan.unmet["cost_alone"], strict=True)}
    assert alone == pytest.approx({k: {COUNTY: 10, TOWN: 8}[k] for k in left_out})
    assert_no_utilisation_violation(s, plan, allowed=set(plan.unmet["where"]))


@pytest.mark.parametrize("cost_scale", [
    1.0,
    1e5,  # costs in 元: meeting requirements comes first, whatever the cost scale
])
def test_ample_budget_meets_everything(cost_scale, solver_path):
    s = three_lines(capacity={"budget": 1e9}, cost_scale=cost_scale)
    plan = plan_upgrades(s, build_topology(s))
    assert len(plan.unmet) == 0
    assert plan.status == "optimal"
    assert plan.cost == pytest.approx(22 * cost_scale)


def test_frozen_link_that_needs_an_upgrade_is_explained():
    s = three_lines(capacity={"frozen_links": [f"{COUNTY} -- {B}"]})
    plan = plan_upgrades(s, build_topology(s))
    assert plan.status == "infeasible"
    assert len(plan.explanation) == 1 and COUNTY in plan.explanation[0]
    assert "frozen" in plan.explanation[0]
    assert list(plan.unmet["where"]) == [f"{COUNTY} -- {B}"]
    # the rest is still planned at its optimum: village 4 + town 8
    assert plan.cost == pytest.approx(12)
    assert caps_of(plan, 2020) == {COUNTY: 100, TOWN: 120, VILLAGE: 30}
    assert_no_utilisation_violation(s, plan, allowed={f"{COUNTY} -- {B}"})


def test_frozen_link_by_id_and_unknown_link():
    from netplan.errors import ScenarioError

    s = three_lines()
    lid = int(build_topology(s).links.index[build_topology(s).links["source"] == COUNTY][0])
    s2 = three_lines(capacity={"frozen_links": [str(lid)]})
    assert plan_upgrades(s2, build_topology(s2)).status == "infeasible"
    s3 = three_lines(capacity={"frozen_links": ["nowhere -- nothing"]})
    with pytest.raises(ScenarioError, match=r"frozen_links\[0\]"):
        plan_upgrades(s3, build_topology(s3))


def test_growth_forces_an_upgrade_in_year_two_and_discounting_delays_it(solver_path):
    # county 60 Mbps in 2020: need max(60 / 0.7, 68) = 85.7 <= 100; +20 % in 2021: 72 Mbps,
    # need max(102.86, 80) = 102.86 > 100 -> 120M (4 one-off + 1 a year).
    # village 10 -> 12 (need 17.1, 14) and town 50 -> 60 (need 85.7) stay within their lines.
    # Installing in 2021 costs (4 + 1) / 1.1 = 4.545; in 2020, 4 + 1 + 1 / 1.1 = 5.909.
    s = three_lines(county=60, town=50, village=10,
                    capacity={"years": [2020, 2021], "discount_rate_pct": 10},
                    demand={"growth_pct_per_year": 20, "base_year": 2020})
    plan = plan_upgrades(s, build_topology(s))
    assert plan.status == "optimal"
    assert plan.cost == pytest.approx(5 / 1.1)
    assert list(zip(plan.lines["source"], plan.lines["year"], plan.lines["to_mbps"],
                    strict=True)) == [(COUNTY, 2021, 120)]
    assert caps_of(plan, 2020) == {COUNTY: 100, TOWN: 100, VILLAGE: 20}
    assert caps_of(plan, 2021) == {COUNTY: 120, TOWN: 100, VILLAGE: 20}
    assert plan.upgraded(2020).links.set_index("source").loc[COUNTY, "capacity_mbps"] == 100
    assert plan.upgraded(2021).links.set_index("source").loc[COUNTY, "capacity_mbps"] == 120
    by_year = plan.cost_by_year.set_index("year")
    assert by_year.loc[2020, "total"] == 0
    assert by_year.loc[2021, "discounted"] == pytest.approx(5 / 1.1)
    assert_no_utilisation_violation(s, plan)


def test_without_discounting_a_years_rent_still_delays_the_upgrade():
    # at 0 %: 2020 costs 4 + 1 + 1 (a year more of rent) = 6, 2021 costs 4 + 1 = 5
    s = three_lines(county=60, town=50, village=10, capacity={"years": [2020, 2021]},
                    demand={"growth_pct_per_year": 20, "base_year": 2020})
    plan = plan_upgrades(s, build_topology(s))
    assert plan.cost == pytest.approx(5)
    assert list(plan.lines["year"]) == [2021]


def test_second_lines_for_single_homed_departments(solver_path):
    # tiny: the 5 single-homed county and town departments each get one line of the other
    # carrier, 100M at 1 + 0.5, plus the new line's 2 + 1: 5 × 4.5 = 22.5
    s = tiny_scenario().model_copy(update={"capacity": tiny_scenario().capacity.model_validate(
        {"new_lines": {"access": {"one_off": 2.0, "yearly": 1.0}},
         "catalogue": {"access": [{"capacity": "100M", "one_off": 1.0, "yearly": 0.5}]}})})
    topo = build_topology(s)
    plan_topo, new = candidate_lines(s, topo)
    assert len(new) == 5
    new_links = plan_topo.links.iloc[new]
    assert (new_links["carrier"] != topo.links.set_index("source").loc[
        new_links["source"], "carrier"].to_numpy()).all()
    plan = plan_upgrades(s, topo)
    assert plan.status == "optimal"
    assert plan.cost == pytest.approx(5 * (2 + 1 + 1 + 0.5))
    assert plan.lines["new"].all() and len(plan.lines) == 5
    up = plan.upgraded()
    c = check_compliance(s, link_loads(s, up, years=[2020]))
    assert "reachable" not in set(c.violations["rule"])
    assert_no_utilisation_violation(s, plan)


@pytest.mark.slow
def test_meizhou_plan_meets_every_ceiling_it_can():
    from netplan.examples import meizhou_2020

    s = meizhou_2020()
    plan = plan_upgrades(s, build_topology(s))
    # no budget, nothing frozen: every requirement can be met
    assert plan.status in ("optimal", "feasible")
    assert len(plan.unmet) == 0 and len(plan.lines) > 0
    assert plan.cost_by_year["discounted"].sum() == pytest.approx(plan.cost)
    if plan.bound is not None:
        assert plan.bound <= plan.cost + 1e-6 * max(1.0, plan.cost)
    for year in sorted(plan.capacity_by_year):
        c = check_compliance(s, link_loads(s, plan.upgraded(year), years=[year]))
        util = c.violations[c.violations["rule"] == "utilisation"]
        assert len(util) == 0, (year, util[["where", "state"]].head())


def test_backbone_floor_in_every_carrier_state(solver_path):
    # backbone target 3G over the city's two 1G province lines, in normal operation and with
    # either carrier down: each line alone must reach 3G. Options 2G (5 + 1) or 5G (8 + 2):
    # enumerating {1G, 2G, 5G}² the only plans meeting all three states are 5G + 5G: 20.
    data = copy.deepcopy(TINY_SCENARIO)
    data["targets"] = dict(data["targets"], backbone="3G")
    data["capacity"] = {"catalogue": {"uplink/city": [
        {"capacity": "2G", "one_off": 5, "yearly": 1}, {"capacity": "5G", "one_off": 8,
                                                        "yearly": 2}]}}
    data["demand"] = QUIET
    s = Scenario.model_validate(data)
    options = [(1000, 0), (2000, 6), (5000, 10)]
    best = min(a[1] + b[1] for a in options for b in options
               if a[0] + b[0] >= 3000 and a[0] >= 3000 and b[0] >= 3000)
    plan = plan_upgrades(s, build_topology(s))
    assert plan.status == "optimal"
    assert plan.cost == pytest.approx(best) == 20
    assert sorted(plan.lines["to_mbps"]) == [5000, 5000]
    assert set(plan.lines["tier"]) == {"city"} and set(plan.lines["kind"]) == {"uplink"}
    c = check_compliance(s, link_loads(s, plan.upgraded(), years=[2020]))
    assert "backbone" not in set(c.violations["rule"])
