"""Routes, faults, interconnect validation and cutover windows, against independent references.

- who is cut off by a carrier outage: the topology capability's survivability analysis (a
  different algorithm: Tarjan/component reach on the link table) must name the same sites;
- cloud degradation: with the same seed, every cloud request started in the fault is slower by
  exactly the added latency;
- cutover windows: with no background traffic, a transfer's finish time is its size over the
  sum of its equal routes' bottlenecks, by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netplan.examples import tiny_migration, tiny_scenario
from netplan.model.scenario import FailureCase, Fault, ServiceLevel, ServiceLevels
from netplan.simulation import (
    Router,
    Trunks,
    simulate_traffic,
    traffic_streams,
    validate_cutovers,
    validate_interconnect,
)
from netplan.topology import build_topology, survivability


@pytest.fixture(scope="module")
def tiny():
    s = tiny_scenario()
    return s, build_topology(s)


def test_routes_by_hand(tiny):
    s, topo = tiny
    tr = Trunks.of(topo)
    r = Router(tr, np.ones(topo.n_links, dtype=bool))
    pos = topo.nodes.index.get_loc
    # a town department: access 0.5 + town uplink 1 + county uplink 2 + interconnect 0.1
    # + cloud line 0.2 = 3.8 ms, over either of the county's two carriers
    dep = topo.nodes.index[(topo.nodes["kind"] == "department")
                           & (topo.nodes["tier"] == "town")][0]
    routes = r.routes(pos(dep), "cloud")
    assert [round(ms, 6) for _, ms in routes] == [3.8, 3.8]
    assert len({p for p, _ in routes}) == 2
    # with 联通 down, one route is left and it does not use a 联通 line
    up = tr.link_carrier != "联通"
    left = Router(tr, up).routes(pos(dep), "cloud")
    carriers = {c for p, _ in left for arc in p  # a route is arcs: trunk = arc // 2
                for c in tr.link_carrier[(tr.link_trunk == arc >> 1) & up]}
    assert len(left) == 1 and "联通" not in carriers


@pytest.mark.parametrize("carrier", ["电信", "联通"])
def test_carrier_outage_cuts_off_the_sites_survivability_names(tiny, carrier):
    s, topo = tiny
    r = simulate_traffic(s, topo, faults=[Fault(carrier=carrier)], duration_s=900, seed=4)
    f = r.flows[r.flows["measured"]]
    cut_sim = set(f.loc[f["status"] == "unreachable", "source"])
    lost = set(survivability(topo).affected_by_carrier(carrier))
    sites = set(topo.nodes_of_kind("department", "village"))
    sending = set(f["source"])
    assert cut_sim == (lost & sites & sending)
    assert cut_sim, "the outage should cut off single-homed sites"
    # and nobody else is: every other site's flows finished
    others = f[~f["source"].isin(cut_sim)]
    assert (others["status"] == "done").all()


def test_outage_with_recovery_reroutes_drops_and_restores(tiny):
    s, topo = tiny
    fault = Fault(carrier="联通", at_s=200.0, duration_s=200.0)
    r = simulate_traffic(s, topo, faults=[fault], duration_s=900, seed=5)
    ev = r.events.set_index("event")
    assert ev.loc["fault", "time_s"] == 200.0 and ev.loc["recovery", "time_s"] == 400.0
    assert ev.loc["fault", "trunks_changed"] == ev.loc["recovery", "trunks_changed"] > 0
    f = r.flows
    lost = set(survivability(topo).affected_by_carrier("联通"))
    during = f[(f["start_s"] >= 200) & (f["start_s"] < 400)]
    after = f[(f["start_s"] >= 400) & f["measured"]]
    assert set(during.loc[during["status"] == "unreachable", "source"]) <= lost
    assert (during.loc[~during["source"].isin(lost), "status"] == "done").all()
    assert (after["status"] == "done").all()
    # flows cut at 200 s either moved or were dropped, and dropped ones came from cut-off sites
    dropped = f[f["status"] == "dropped"]
    assert set(dropped["source"]) <= lost
    assert ev.loc["fault", "flows_dropped"] == len(dropped)
    # 联通-only trunks have no utilisation while they are down (NaN), and a number otherwise
    u = r.utilisation
    unicom = r.trunks.index[r.trunks["carriers"] == "联通"]
    assert u.loc[(u.index > 210) & (u.index < 400), unicom].isna().all().all()
    assert u.loc[u.index <= 200, unicom].notna().all().all()
    assert set(r.trunks["carriers"]) <= {"", "电信", "联通", "电信+联通"}


def test_cloud_degradation_adds_exactly_its_latency(tiny):
    s, topo = tiny
    base = simulate_traffic(s, topo, duration_s=600, seed=6)
    slow = simulate_traffic(s, topo, duration_s=600, seed=6, faults=[
        Fault(cloud="政务云", capacity_pct=100, extra_latency_ms=40, at_s=100,
              duration_s=300)])
    a, b = base.flows, slow.flows
    req = (a["klass"] == "request") & (a["destination"] == "cloud")
    inside = req & (a["start_s"] >= 100) & (a["start_s"] < 400)
    assert inside.sum() > 20
    np.testing.assert_allclose(b.loc[inside, "latency_ms"] - a.loc[inside, "latency_ms"], 40.0)
    outside = req & ~inside
    np.testing.assert_allclose(b.loc[outside, "latency_ms"], a.loc[outside, "latency_ms"])


def test_cloud_capacity_halved_halves_the_trunk(tiny):
    s, topo = tiny
    r = simulate_traffic(s, topo, duration_s=300, seed=1, faults=[
        Fault(cloud="政务云", capacity_pct=50)])
    assert r.events["trunks_changed"].iloc[0] == 1  # the two cloud lines are one trunk
    # its capacity: two 10G lines = 20,000 Mbps each way, halved to 10,000 from 0 s on; every
    # other trunk keeps its nominal capacity (queueing: see test_simulate's degraded cloud)
    t = r.trunks
    cloud = t.index[t["source"].str.endswith("#cloud:政务云")]
    assert t.loc[cloud, "capacity_mbps"].tolist() == [20_000.0]
    now = r.capacity_in_force(1.0)
    assert now.loc[cloud].to_numpy().tolist() == [[10_000.0, 10_000.0]]
    others = now.drop(index=cloud)
    assert (others["source_to_target_mbps"] == t["capacity_mbps"].drop(index=cloud)).all()
    assert r.arcs.loc[2 * cloud[0], "capacity_in_force_mbps"] == pytest.approx(10_000.0)


def test_validation_verdicts_and_failing_service_levels(tiny):
    s, topo = tiny
    strict = s.simulation.model_copy(update={"service_levels": ServiceLevels(
        town=ServiceLevel(throughput_mbps=500, latency_p95_ms=100, latency_p99_ms=200))})
    s2 = s.model_copy(update={"simulation": strict})
    v = validate_interconnect(s2, topo, duration_s=600, seed=2,
                              cases=[FailureCase(name="联通 down",
                                                 faults=[Fault(carrier="联通")])])
    t = v.to_frame()
    assert v.cases == ["normal", "联通 down"]
    # 3 town departments × 3 destinations fail throughput in every case: 100M access < 500
    normal_town = t[(t["case"] == "normal") & (t["tier"] == "town")]
    assert len(normal_town) == 9 and not normal_town["ok"].any()
    assert normal_town["reason"].str.contains("throughput").all()
    assert (normal_town["throughput_mean_mbps"] < 100.0 + 1e-9).all()
    verdict = v.verdict().set_index(["case", "tier"])
    assert verdict.loc[("normal", "town"), "verdict"] == "FAIL"
    assert verdict.loc[("normal", "city"), "verdict"] == "PASS"
    # in the outage, exactly the single-homed sites survivability names are cut off
    lost = set(survivability(topo).affected_by_carrier("联通"))
    cut = t[(t["case"] == "联通 down") & t["reason"].str.startswith("cut off")]
    sources = topo.nodes.loc[topo.nodes.index.isin(lost)]
    cut_units = {u for u in cut["unit"]}
    expected = {(f"{p}#村" if k == "village" else n)
                for n, k, p in zip(sources.index, sources["kind"], sources["parent"],
                                   strict=True) if k in ("department", "village")}
    assert cut_units == expected
    assert set(v.failing_units()["case"]) == {"normal", "联通 down"}


def test_streams_name_units_readably(tiny):
    s, topo = tiny
    st = traffic_streams(s, topo)
    names = set(st["unit_name"])
    assert "公安局" in names
    assert any(n.startswith("A县·") and n.endswith("·村") for n in names)


@pytest.fixture(scope="module")
def tiny_plan():
    from netplan.migration.plan import plan_migration

    scenario, inventory = tiny_migration()
    return scenario, plan_migration(scenario, inventory, backend="heuristic", time_limit_s=2)


def test_cutover_windows_by_hand(tiny_plan):
    scenario, plan = tiny_plan
    quiet = scenario.model_copy(update={
        "demand": scenario.demand.model_copy(update={"offpeak_factor": 0.0})})
    c = validate_cutovers(quiet, plan, weeks=5)
    t = c.transfers.set_index("name")
    # 县医保: 3 TB from A县 over its two 1G carrier uplinks in parallel: 24e6 Mb / 2000 Mbps
    assert t.loc["县医保", "finish_h"] == pytest.approx(24e6 / 2000 / 3600)
    # 人口库: 1 TB from the city core over the cloud node's two 10G lines (one 20G trunk)
    assert t.loc["人口库", "finish_h"] == pytest.approx(8e6 / 20000 / 3600)
    assert c.passed and (c.weeks["verdict"] == "PASS").all()
    # a window too short for 县医保 fails it
    short = quiet.model_copy(update={"migration": quiet.migration.model_copy(
        update={"window_hours_per_week": 3.0})})
    c2 = validate_cutovers(short, plan, weeks=5)
    assert not c2.passed
    assert c2.transfers.set_index("name").loc["县医保", "in_window"] == False  # noqa: E712


def test_cutover_load_matches_the_plan(tiny_plan):
    from netplan.simulation import cutover_load

    _, plan = tiny_plan
    load = cutover_load(plan)
    data_gb = {g.systems[0]: g.data_gb for g in plan.mp.groups if len(g.systems) == 1}
    per_system = load.groupby("system_id")["gb"].sum()
    for sid, gb in per_system.items():
        assert gb == pytest.approx(data_gb[sid])
    assert isinstance(load, pd.DataFrame) and set(load["week"]) <= set(range(plan.mp.grid.n_weeks))


def test_coarse_flows_keep_the_offered_load(tiny):
    """``size_scale`` trades flow count for size: same offered Mbps, sizes × 10, counts ÷ 10."""
    s, topo = tiny
    r = simulate_traffic(s, topo, duration_s=200_000, seed=3, size_scale=10)
    f = r.flows
    until = 200_000 + 600  # arrivals run on for the 600 s tail
    bulk = f[f["klass"] == "bulk"]
    # offered bulk load: 74 Mbps (see the demand table); lognormal sizes, a few % error
    assert bulk["size_mb"].sum() * 8 / until == pytest.approx(74.0, rel=0.08)
    assert bulk["size_mb"].mean() == pytest.approx(80.0, rel=0.08)  # 10 × 8 MB
    sync = f[f["klass"] == "sync"]
    # 7 jobs per hour ÷ 10, 500 MB each on average (exponential): about 39 jobs
    assert 20 <= len(sync) <= 60
    assert 250 < sync["size_mb"].mean() < 1000
    req = f[f["klass"] == "request"]
    assert req["size_mb"].mean() == pytest.approx(0.2, rel=0.05)  # requests are not scaled


def test_diurnal_arrivals_follow_the_profile(tiny):
    """Thinning: arrivals per hour are the busy-hour count times the hour's profile value."""
    from netplan.simulation import draw_arrivals

    s, topo = tiny
    s = s.model_copy(update={"demand": s.demand.model_copy(
        update={"arrivals": "diurnal", "start_hour": 0.0})})
    st = traffic_streams(s, topo)
    a = draw_arrivals(st, s, 24 * 3600.0, np.random.default_rng(11))
    grid = np.linspace(0, 24 * 3600, 24 * 3600 + 1)
    expected = st["rate_per_s"].sum() * s.demand.profile_at(grid).mean() * 24 * 3600
    assert abs(len(a) - expected) < 4 * np.sqrt(expected)
    # the night hour (03:00-04:00, profile 0.1) has about a tenth of the busy 10:00-11:00
    night = ((a.time_s >= 3 * 3600) & (a.time_s < 4 * 3600)).sum()
    busy = ((a.time_s >= 10 * 3600) & (a.time_s < 11 * 3600)).sum()
    assert night / busy == pytest.approx(0.1, abs=0.03)


def test_cases_in_parallel_give_the_same_numbers(tiny):
    s, topo = tiny
    cases = [FailureCase(name="联通 down", faults=[Fault(carrier="联通")])]
    one = validate_interconnect(s, topo, duration_s=300, seed=8, cases=cases)
    two = validate_interconnect(s, topo, duration_s=300, seed=8, cases=cases, workers=2)
    pd.testing.assert_frame_equal(one.to_frame(), two.to_frame())
    assert two.cases == ["normal", "联通 down"]


def test_same_seed_same_numbers_bit_for_bit_across_processes():
    """Meizhou (many path classes sharing links): a second process gives identical floats."""
    import subprocess
    import sys

    code = ("from netplan.examples import meizhou_2020\n"
            "from netplan.io.cloud_systems_io import systems_on_cloud\n"
            "from netplan.simulation import simulate_traffic\n"
            "s = meizhou_2020()\n"
            "r = simulate_traffic(s, duration_s=120, seed=3, systems=systems_on_cloud(s))\n"
            "print(float(r.flows['end_s'].sum()).hex(), float(r.flows['fct_s'].max()).hex())\n")
    from netplan.examples import meizhou_2020
    from netplan.io.cloud_systems_io import systems_on_cloud

    s = meizhou_2020()
    here = simulate_traffic(s, duration_s=120, seed=3, systems=systems_on_cloud(s)).flows
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [float(here["end_s"].sum()).hex(), float(here["fct_s"].max()).hex()]


def test_cloud_systems_load_their_departments():
    from netplan.simulation import cloud_system_mbps

    scenario, inventory = tiny_migration()
    topo = build_topology(scenario)
    systems = [inventory.by_id[i] for i in ("市公安局/人口库", "市民政局/低保",
                                            "A县医疗保障局/县医保")]
    m = cloud_system_mbps(topo, systems, default_mbps=3.0)
    # 人口库 → 公安局 (the name without 市); 低保's 市民政局 is not a department of the
    # extranet: spread over the 2 city departments; 县医保 → A县's only department
    a_dep = topo.nodes.index[(topo.nodes["county"] == "A县")
                             & (topo.nodes["kind"] == "department")
                             & (topo.nodes["tier"] == "county")][0]
    short = {k.rsplit("#", 1)[-1] if k != a_dep else "A县部门": v for k, v in m.items()}
    assert short == {"公安局": 3.0 + 1.5, "卫生健康局": 1.5, "A县部门": 3.0}
    # and the demand grows by exactly that on the cloud streams
    base = traffic_streams(scenario, topo)
    more = traffic_streams(scenario, topo, system_mbps=m)
    bulk = (base["klass"] == "bulk") & (base["destination"] == "cloud")
    extra = (more.loc[bulk, "rate_per_s"] - base.loc[bulk, "rate_per_s"]).sum()
    assert extra * base["mean_mbit"].iloc[0] == pytest.approx(9.0)


def test_link_cut_moves_traffic_to_the_other_carrier(tiny):
    s, topo = tiny
    county = "测试省/甲市/A县"
    cut = Fault(link=f"{county} -- 测试省/甲市#电信", at_s=100.0)
    r = simulate_traffic(s, topo, faults=[cut], duration_s=600, seed=9)
    # the county is dual-homed: nothing is cut off, and after the cut no flow takes 电信 there
    f = r.flows[r.flows["measured"]]
    assert (f["status"] == "done").all()
    t = r.trunks
    telecom = int(t.index[(t["source"] == county) & (t["carriers"] == "电信")][0])
    late = f[(f["start_s"] > 100) & (f["route"] >= 0)]
    assert late["route"].map(lambda i: telecom in r.routes[i]).sum() == 0
    assert r.events["trunks_changed"].iloc[0] == 1
    for bad, words in [("nowhere -- 测试省", "no node 'nowhere'"),
                       (f"{county} -- 测试省", "are not joined by a link"),
                       ("A县", 'write a link as "SOURCE -- TARGET"')]:
        with pytest.raises(KeyError, match=words):
            simulate_traffic(s, topo, faults=[Fault(link=bad)], duration_s=60)


def test_default_failure_cases_fail_only_carriers_with_lines():
    # 广电 listed third while every tier takes 2 carriers: it has no line, so failing it would
    # simulate normal operation under another name; the default cases fail 电信 and 联通 only
    import copy

    from netplan.examples import TINY_SCENARIO
    from netplan.model.scenario import Scenario
    from netplan.simulation import default_failure_cases

    data = copy.deepcopy(TINY_SCENARIO)
    data["extranet"]["carriers"] = ["电信", "联通", "广电"]
    scenario = Scenario.model_validate(data)
    assert [c.name for c in default_failure_cases(scenario)] == ["电信 down", "联通 down"]
