"""The simulator's model choices, each against numbers derived by hand.

- full duplex: on one 100 Mbps line a flow each way finishes as if it were alone;
- censored flows: a flow still running at the end is scored at its bounds, and a unit with too
  many of them fails;
- a failing unit names its bottleneck, the offered load against the capacity in force and the
  capacity that would make it pass;
- queueing is measured against the capacity in force (a degraded cloud is not queueing);
- the systems-on-the-cloud setting: the same systems from the CLI and from the API.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from netplan.examples import tiny_scenario
from netplan.model.scenario import Fault, ServiceLevel, ServiceLevels
from netplan.simulation import CloudSystems, simulate_traffic, validate_interconnect
from netplan.simulation.traffic import MBIT_PER_MB
from netplan.topology import Topology

LINE_MBPS = 100
ONE_WAY_MS = 5.0  # so one round trip is 10 ms


def two_nodes(latency_ms: float = ONE_WAY_MS) -> Topology:
    """A city department joined to the cloud node by one 100 Mbps line."""
    ids = ["R/cloud", "R/dep"]
    return Topology.from_columns(
        ids,
        {"kind": ["cloud", "department"], "tier": ["city", "city"], "name": ["云", "部门"],
         "province": ["R", "R"], "city": ["R", "R"], "county": ["", ""], "town": ["", ""],
         "parent": ["", "R/cloud"]},
        {"source": ["R/dep"], "target": ["R/cloud"], "kind": ["access"], "tier": ["city"],
         "carrier": ["x"], "capacity_mbps": [LINE_MBPS], "latency_ms": [latency_ms],
         "length_km": [math.nan]},
        name="two", root="R/cloud")


def quiet_scenario(*, city_mbps: float = 0.0, requests_per_min: float = 0.0):
    """The tiny scenario's settings with only the given traffic (city departments, to the cloud)."""
    s = tiny_scenario()
    d = s.demand.model_copy(update={
        "department_mbps": {"city": city_mbps, "county": 0.0, "town": 0.0},
        "village_mbps": 0.0,
        "shares": s.demand.shares.model_copy(update={"cloud": 1.0, "platform": 0.0,
                                                     "province": 0.0, "internet": 0.0}),
        "interactive": s.demand.interactive.model_copy(update={
            "requests_per_min": requests_per_min, "village_requests_per_min": 0.0}),
        "platform_sync": s.demand.platform_sync.model_copy(update={"jobs_per_hour": 0.0})})
    return s.model_copy(update={"demand": d})


def transfers(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["name", "source", "size_mb", "start_s", "direction"])


def test_full_duplex_a_flow_each_way_finishes_as_if_alone():
    # 100 MB = 800 Mbit each way at the full 100 Mbps: 8 s of transfer, FCT 8 s + 10 ms RTT.
    # Sharing one 100 Mbps between both directions (half duplex) would take 16 s each.
    r = simulate_traffic(quiet_scenario(), two_nodes(), duration_s=60, warmup_s=0,
                         cutovers=transfers(("up", "R/dep", 100.0, 0.0, "upstream"),
                                            ("down", "R/dep", 100.0, 0.0, "downstream")))
    f = r.flows.set_index("unit_name")
    assert set(f["direction"]) == {"upstream", "downstream"}
    np.testing.assert_allclose(f["end_s"], 8.0)
    np.testing.assert_allclose(f["fct_s"], 8.0 + 2 * ONE_WAY_MS / 1000)
    # each direction of the line carried 100 Mbps: utilisation 1.0 while both ran
    arcs = r.arcs
    assert arcs["capacity_mbps"].tolist() == [100.0, 100.0]
    assert arcs["direction"].tolist() == ["source→target", "target→source"]


def test_two_flows_the_same_way_share_the_direction():
    # the same two transfers both upstream: 50 Mbps each, 16 s (processor sharing)
    r = simulate_traffic(quiet_scenario(), two_nodes(), duration_s=60, warmup_s=0,
                         cutovers=transfers(("a", "R/dep", 100.0, 0.0, "upstream"),
                                            ("b", "R/dep", 100.0, 0.0, "upstream")))
    np.testing.assert_allclose(r.flows["end_s"], 16.0)


def test_unfinished_flow_is_scored_at_its_bounds():
    # 1,250 MB = 10,000 Mbit from 0 s at 100 Mbps needs 100 s; the run is 60 s plus a 6 s tail
    # (10% of the duration), so it ends at 66 s with 6,600 Mbit = 825 MB sent. Bounds:
    # FCT >= 66 s + 10 ms RTT; throughput <= 10,000 Mbit / 66.01 s = 151.49 Mbps.
    r = simulate_traffic(quiet_scenario(), two_nodes(), duration_s=60, warmup_s=0,
                         cutovers=transfers(("big", "R/dep", 1250.0, 0.0, "downstream")))
    row = r.flows.iloc[0]
    assert row["status"] == "unfinished" and row["censored"]
    assert r.stats["simulated_s"] == pytest.approx(66.0)
    assert row["fct_s"] == pytest.approx(66.01)
    assert row["throughput_mbps"] == pytest.approx(10_000 / 66.01)
    assert row["sent_mb"] == pytest.approx(825.0)
    assert math.isnan(row["end_s"])


@pytest.fixture(scope="module")
def overloaded():
    """A city department offering 150 Mbps of bulk traffic to a 100 Mbps line, one case."""
    s = quiet_scenario(city_mbps=150.0, requests_per_min=60.0)
    topo = two_nodes()
    v = validate_interconnect(s, topo, duration_s=600, seed=3, cases=[])
    return s, topo, v


def test_overload_leaves_flows_unfinished_and_fails_on_them(overloaded):
    s, _, v = overloaded
    row = v.to_frame().iloc[0]
    f = v.results["normal"].flows
    bulk = f[f["measured"] & (f["klass"] == "bulk")]
    # 1.5× the line: the backlog grows by 50 Mbps, so many flows are still running at 660 s
    share = 100 * (bulk["status"] == "unfinished").mean()
    assert share > s.simulation.max_unfinished_pct
    assert row["unfinished"] == (bulk["status"] == "unfinished").sum()
    # late: still running with a throughput bound already below the city's 10 Mbps
    late = bulk["censored"] & (bulk["throughput_mbps"] < 10.0)
    assert row["unfinished_late"] == late.sum() > 0
    assert row["unfinished_pct"] == pytest.approx(100 * late.sum() / row["flows"])
    assert not row["ok"] and "unfinished" in row["reason"]
    # throughput: the mean over every measured flow, censored ones at size / (66x s - start)
    scored = bulk[bulk["status"].isin(["done", "unfinished"])]
    assert row["throughput_mean_mbps"] == pytest.approx(scored["throughput_mbps"].mean())
    # and survivor bias would have hidden the slowest: the finished flows alone are faster
    done_only = bulk.loc[bulk["status"] == "done", "throughput_mbps"].mean()
    assert row["throughput_mean_mbps"] < done_only


def test_failing_unit_names_its_bottleneck_and_the_capacity_to_pass(overloaded):
    s, topo, v = overloaded
    row = v.to_frame().iloc[0]
    r = v.results["normal"]
    f = r.flows
    # the uploads go department → cloud: that direction of the one line is the bottleneck
    assert row["bottleneck"] == "dep → cloud"
    assert row["bottleneck_capacity_mbps"] == 100.0
    # offered: megabits of the bulk flows started in the measured period [30 s, 600 s) (warm-up
    # 5%) over its 570 s; ≈ 150 Mbps (Poisson, a few % off)
    window = (f["start_s"] >= 30) & (f["start_s"] < 600) & (f["klass"] == "bulk")
    offered = f.loc[window, "size_mb"].sum() * MBIT_PER_MB / 570.0
    assert row["bottleneck_offered_mbps"] == pytest.approx(offered)
    assert offered == pytest.approx(150.0, rel=0.1)
    # M/G/1-PS: a flow gets C - A on average, so the 10 Mbps city level needs C >= A + 10
    assert row["capacity_to_pass_mbps"] == pytest.approx(offered + 10.0)
    assert f"passes at ≈{offered + 10:.0f} Mbps" in row["reason"]
    units = v.failing_units()
    assert units["bottleneck"].tolist() == ["dep → cloud"]


def test_latency_bottleneck_is_the_responses_direction():
    # requests only, with a 2 Mbps line each way being too slow for a 15 ms p95:
    # a 200 kB response is 1.6 Mbit; p95 of an exponential size is ln 20 × mean = 4.79 Mbit;
    # with 10 ms RTT the budget is 5 ms, so the capacity to pass is A + 4.79 / 0.005 = A + 959
    s = quiet_scenario(requests_per_min=30.0)
    strict = ServiceLevels(city=ServiceLevel(throughput_mbps=1, latency_p95_ms=15,
                                             latency_p99_ms=1000))
    s = s.model_copy(update={"simulation": s.simulation.model_copy(
        update={"service_levels": strict})})
    v = validate_interconnect(s, two_nodes(), duration_s=600, seed=1, cases=[])
    row = v.to_frame().iloc[0]
    assert not row["ok"] and "latency p95" in row["reason"]
    assert row["bottleneck"] == "cloud → dep"  # responses travel back to the department
    need = math.log(20) * 1.6 / 0.005
    # p99: ln 100 × 1.6 / 0.990 s = 7.4 Mbps is less
    assert row["capacity_to_pass_mbps"] == pytest.approx(row["bottleneck_offered_mbps"] + need)


def test_degraded_cloud_halves_its_trunk_and_queueing_uses_the_capacity_in_force():
    s = tiny_scenario()
    from netplan.topology import build_topology

    topo = build_topology(s)
    # 0.1% of the cloud node's two 10G lines (one 20,000 Mbps trunk) = 20 Mbps each way,
    # narrower than the 100 Mbps access lines
    r = simulate_traffic(s, topo, duration_s=300, seed=1, faults=[
        Fault(cloud="政务云", capacity_pct=0.1, at_s=100.0)])
    assert r.events["trunks_changed"].iloc[0] == 1  # the two cloud lines are one trunk
    cloud = int(r.trunks.index[r.trunks["source"].str.endswith("#cloud:政务云")][0])
    assert r.trunks.loc[cloud, "capacity_mbps"] == 20_000.0
    before, after = r.capacity_in_force(50.0), r.capacity_in_force(150.0)
    assert before.loc[cloud].tolist() == [20_000.0, 20_000.0]
    assert after.loc[cloud].tolist() == pytest.approx([20.0, 20.0])
    # queueing = transfer time - size / narrowest capacity in force at the start (by hand)
    f = r.flows
    req = f[(f["klass"] == "request") & (f["status"] == "done")]
    for _, q in req.iterrows():
        path = r.routes[int(q["route"])]
        cap = r.capacity_in_force(q["start_s"])
        narrow = min(cap.loc[t, "source_to_target_mbps"] for t in path)
        transfer = q["end_s"] - q["start_s"]
        extra = transfer - q["size_mb"] * 8 / narrow
        expected = max(extra, 0.0) * 1000 if extra > 1e-9 * q["size_mb"] * 8 / narrow else 0.0
        assert q["queueing_ms"] == pytest.approx(expected, abs=1e-6)
    # a response from the cloud after the fault crosses the 20 Mbps cloud trunk; alone on it
    # (responses are the only traffic toward the sites, ≈0.3 Mbps of them) it takes size / 20:
    # no queueing. Against the nominal capacities it would be reported as queueing of at least
    # size / 20 - size / 100 (the access line) = 4 size / 100.
    late = req[(req["destination"] == "cloud") & (req["start_s"] > 100)]
    assert len(late) > 5
    assert (late["queueing_ms"] == 0).mean() > 0.8


def test_scenario_with_inventory_needs_the_systems_said():
    from netplan.errors import NetplanError
    from netplan.examples import meizhou_2020

    s = meizhou_2020()
    with pytest.raises(NetplanError, match="systems_on_cloud"):
        validate_interconnect(s, duration_s=60, cases=[])
    with pytest.raises(NetplanError, match="systems_on_cloud"):
        simulate_traffic(s, duration_s=60)
    assert CloudSystems("none").summary == "none"


def test_systems_setting_is_the_same_in_the_cli_and_the_api():
    """``netplan simulate``/``run`` and ``systems_on_cloud`` resolve one setting, one count."""
    from netplan import cli
    from netplan.examples import meizhou_2020
    from netplan.io.cloud_systems_io import systems_on_cloud
    from netplan.io.inventory_io import read_inventory

    s = meizhou_2020()
    inv = read_inventory(s.inventory.path)
    # by hand: the inventory rows marked on_cloud (已上云)
    today = sum(1 for x in inv.systems if x.on_cloud)
    assert today == 12
    api = systems_on_cloud(s)
    assert (api.setting, len(api.systems)) == ("today", today)
    for command in ("simulate", "run"):
        args = cli._parser().parse_args([command, "scenario.yaml", "--out", "x"])
        ctx = {"simulation": cli._simulation_options(args, s)}
        got = cli._systems_on_cloud(s, ctx)
        assert got == api
        assert cli._systems_setting(args, s) == "today"
    # --systems overrides the scenario; planned needs the plan, and says so
    args = cli._parser().parse_args(["simulate", "f.yaml", "--out", "x", "--systems", "planned"])
    ctx = {"simulation": cli._simulation_options(args, s)}
    from netplan.errors import NetplanError

    with pytest.raises(NetplanError, match="needs the migration plan"):
        cli._systems_on_cloud(s, ctx)
    with pytest.raises(SystemExit) as exc:  # argparse: usage error, exit status 2
        cli.main(["simulate", "f.yaml", "--out", "x", "--systems", "someday"])
    assert exc.value.code == 2


def test_planned_and_dated_systems_follow_the_plan():
    from netplan.examples import tiny_migration
    from netplan.migration.plan import plan_migration
    from netplan.simulation import cloud_systems

    scenario, inventory = tiny_migration()
    plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=2)
    # by hand (tiny_migration's docstring): 门户 is on the cloud; 人口库, 警务通, 低保, 救助 and
    # 县医保 migrate; 旧OA is retired, 档案 stays (classified)
    planned = cloud_systems(inventory, "planned", plan=plan)
    assert sorted(x.name for x in planned.systems) == sorted(
        ["门户", "人口库", "警务通", "低保", "救助", "县医保"])
    # by a date: 门户 and the systems whose cutover week ends (Sunday) by then
    frame = plan.to_frame()
    day = sorted(frame["cutover_date"])[1]
    by_day = cloud_systems(inventory, day, plan=plan)
    assert len(by_day.systems) == 1 + int((frame["cutover_date"] <= day).sum())
    assert by_day.setting == day.isoformat() and "by that date" in by_day.summary
    # the plan's first milestone (3 systems by 2020-02-02) is what a dated setting counts
    ms = plan.milestones().set_index("date")
    first = ms.index[0]
    assert len(cloud_systems(inventory, first, plan=plan).systems) == ms.loc[first, "on_cloud"]


def _hand_flows(result, throughputs_done, bounds_unfinished):
    """A flow table for ``_score``: one city department's bulk flows to the cloud."""
    n_done, n_open = len(throughputs_done), len(bounds_unfinished)
    f = result.flows.iloc[:0].copy()
    rows = pd.DataFrame({
        "stream": 0, "source": "R/dep", "unit": "R/dep", "unit_name": "部门", "tier": "city",
        "destination": "cloud", "klass": "bulk", "start_s": 100.0, "size_mb": 10.0,
        "end_s": [200.0] * n_done + [math.nan] * n_open,
        "fct_s": 1.0, "throughput_mbps": [*throughputs_done, *bounds_unfinished],
        "latency_ms": math.nan, "queueing_ms": math.nan, "sent_mb": 10.0, "route": 0,
        "route_latency_ms": ONE_WAY_MS,
        "status": ["done"] * n_done + ["unfinished"] * n_open,
        "censored": [False] * n_done + [True] * n_open, "measured": True,
        "direction": "upstream"})
    return pd.concat([f, rows], ignore_index=True).astype(
        {c: f[c].dtype for c in ("destination", "klass", "status", "direction")})


def test_unfinished_share_counts_only_flows_already_late():
    """Hand-made flows: 100 done at 50 Mbps, two still running with bounds 30 and 5 Mbps.

    The 30 Mbps one may still finish above the city level (10 Mbps): not late. The 5 Mbps one
    cannot (its bound is below): late. 1 of 102 = 0.98 % <= 1 %: the unit passes, with the
    mean over all 102 at their bounds, (100 × 50 + 30 + 5) / 102 = 49.36 Mbps. Three late
    flows (3 of 103 = 2.9 %) fail it.
    """
    import dataclasses

    from netplan.simulation.validate import _score

    s = quiet_scenario()
    topo = two_nodes()
    skeleton = simulate_traffic(s, topo, duration_s=60, warmup_s=0, cutovers=transfers(
        ("x", "R/dep", 1.0, 0.0, "upstream")))
    levels = s.simulation.service_levels
    r = dataclasses.replace(skeleton, flows=_hand_flows(skeleton, [50.0] * 100, [30.0, 5.0]))
    row = _score(r, levels, topo).iloc[0]
    assert (row["unfinished"], row["unfinished_late"]) == (2, 1)
    assert row["unfinished_pct"] == pytest.approx(100 / 102)
    assert row["throughput_mean_mbps"] == pytest.approx((100 * 50 + 30 + 5) / 102)
    assert row["ok"]
    r = dataclasses.replace(skeleton, flows=_hand_flows(skeleton, [50.0] * 100, [5.0] * 3))
    row = _score(r, levels, topo).iloc[0]
    assert row["unfinished_pct"] == pytest.approx(300 / 103)
    assert not row["ok"] and row["reason"].startswith("unfinished: 3 of 103 flows (2.9% > 1%)")
