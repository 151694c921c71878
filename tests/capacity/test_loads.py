"""Loads per trunk, state and year against sums worked out by hand and full re-routes.

The tiny scenario (``netplan.examples.TINY_SCENARIO``) with every site's bulk traffic sent to
the cloud node and no sync jobs or request responses, so each trunk carries the sum of the
sites behind it:

- departments: city 20 Mbps (two, each dual-homed to both carriers' pops), county 8, town 4
  (single-homed); villages 1 Mbps (single line);
- A县 = 8 (dept) + A镇1 (4 + 3 villages = 7) + A镇2 (4 + 2 = 6) = 21;
- B区 = 8 + B街道 (4 + 1 = 5) = 13;
- both counties have one 2 ms uplink to each carrier's pop, so they split evenly (ECMP);
  a city department's two 0.5 ms access lines split evenly too;
- pop -> city core: 21/2 + 13/2 + 20/2 + 20/2 = 37 on each pop; cloud trunk 74.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netplan.capacity.loads import failure_states, link_loads
from netplan.examples import tiny_scenario
from netplan.model.capacity import CapacitySettings
from netplan.model.demand import Demand
from netplan.topology import build_topology

P = "测试省/甲市"
TEL, UNI = f"{P}#电信", f"{P}#联通"
A, B = f"{P}/A县", f"{P}/B区"
A1, A2, BJ = f"{A}/A镇1", f"{A}/A镇2", f"{B}/B街道"
CLOUD = f"{P}#cloud:政务云"


def bulk_demand(**kw) -> Demand:
    """Bulk traffic only, all of it to the cloud node."""
    data = {"shares": {"cloud": 1, "platform": 0, "province": 0, "internet": 0},
            "platform_sync": {"jobs_per_hour": 0},
            "interactive": {"requests_per_min": 0, "village_requests_per_min": 0}}
    data.update(kw)
    return Demand.model_validate(data)


def scenario(capacity: dict | None = None, **demand):
    s = tiny_scenario()
    return s.model_copy(update={"demand": bulk_demand(**demand),
                                "capacity": CapacitySettings.model_validate(capacity or {})})


def frame_of(ll, state: str, year: int) -> dict[tuple[str, str], tuple[float, float]]:
    f = ll.to_frame(states=[state])
    f = f[f["year"] == year]
    return {(a, b): (u, d) for a, b, u, d in
            zip(f["source"], f["target"], f["up_mbps"], f["down_mbps"], strict=True)}


# hand sums (toward the core = up); the cloud trunk's source is the cloud, so traffic *to* the
# cloud travels its "down" direction
NORMAL = {
    (f"{A1}/村001", A1): (1, 0), (f"{A1}#部门01", A1): (4, 0),
    (A1, A): (7, 0), (A2, A): (6, 0), (f"{A}#部门01", A): (8, 0),
    (A, TEL): (10.5, 0), (A, UNI): (10.5, 0),
    (BJ, B): (5, 0), (B, TEL): (6.5, 0), (B, UNI): (6.5, 0),
    (f"{P}#公安局", TEL): (10, 0), (f"{P}#公安局", UNI): (10, 0),
    (TEL, P): (37, 0), (UNI, P): (37, 0),
    (CLOUD, P): (0, 74), (f"{P}#platform", P): (0, 0), (TEL, "测试省"): (0, 0),
}
# 电信 down: 电信-only sites are cut off (A县#部门01, A镇1#部门01, A镇1 村001 and 村003,
# A镇2 村002); what is left runs over 联通:
# A镇1 = 村002 = 1; A镇2 = 4 + 1 = 5; A县 = 1 + 5 = 6; B区 = 13; city depts 20 each;
# 联通 pop -> core = 6 + 13 + 40 = 59
TEL_DOWN = {
    (A1, A): (1, 0), (A2, A): (5, 0), (f"{A}#部门01", A): (0, 0),
    (A, UNI): (6, 0), (A, TEL): (0, 0), (B, UNI): (13, 0), (B, TEL): (0, 0),
    (f"{P}#公安局", UNI): (20, 0), (f"{P}#公安局", TEL): (0, 0),
    (UNI, P): (59, 0), (TEL, P): (0, 0), (CLOUD, P): (0, 59),
}


def test_normal_and_carrier_down_loads_are_hand_sums():
    s = scenario()
    ll = link_loads(s, build_topology(s), single_links=False)
    assert [st.name for st in ll.states] == ["normal", "carrier:电信", "carrier:联通"]
    for state, expect in (("normal", NORMAL), ("carrier:电信", TEL_DOWN)):
        got = frame_of(ll, state, 2020)
        for key, val in expect.items():
            assert got[key] == pytest.approx(val, abs=1e-9), (state, key)
    # 联通 down: A县 = 8 + (4 + 2) + (0 + 1) = 15 all on 电信, B区 entirely 联通: cut off
    got = frame_of(ll, "carrier:联通", 2020)
    assert got[(A, TEL)] == pytest.approx((15, 0))
    assert got[(B, TEL)] == pytest.approx((0, 0))
    assert got[(CLOUD, P)] == pytest.approx((0, 15 + 40))
    # sites cut off in a carrier-down state are the single-homed ones of that carrier
    ids = ll.topology.nodes.index
    assert sorted(ids[ll.cut_off["carrier:电信"]]) == sorted(
        [f"{A}#部门01", f"{A1}#部门01", f"{A1}/村001", f"{A1}/村003", f"{A2}/村002"])
    assert len(ll.cut_off["normal"]) == 0


def test_download_share_moves_load_to_the_other_direction():
    s = scenario(download_share=0.25)
    got = frame_of(link_loads(s, build_topology(s), single_links=False), "normal", 2020)
    assert got[(A1, A)] == pytest.approx((7 * 0.75, 7 * 0.25))
    assert got[(CLOUD, P)] == pytest.approx((74 * 0.25, 74 * 0.75))


def test_growth_multiplies_bulk_loads():
    s = scenario({"years": [2020, 2021, 2023]}, growth_pct_per_year=10, base_year=2020)
    ll = link_loads(s, build_topology(s), single_links=False)
    for year in (2020, 2021, 2023):
        f = (1.10) ** (year - 2020)
        for state, expect in (("normal", NORMAL), ("carrier:电信", TEL_DOWN)):
            got = frame_of(ll, state, year)
            for key, (u, d) in expect.items():
                assert got[key] == pytest.approx((u * f, d * f), abs=1e-9), (year, state, key)


# --------------------------------------------------------------------------- single lines


def _aligned(ll, ref, loads_ref: np.ndarray) -> np.ndarray:
    """``ref``'s loads (years, trunks, 2) on ``ll``'s trunks (matched by their end nodes)."""
    n = ll.topology.n_nodes
    key = ll.trunks.u.astype(np.int64) * n + ll.trunks.v
    rkey = pd.Index(ref.trunks.u.astype(np.int64) * n + ref.trunks.v)
    flip = pd.Index(ref.trunks.v.astype(np.int64) * n + ref.trunks.u)
    out = np.zeros((loads_ref.shape[0], len(key), 2))
    same, back = rkey.get_indexer(key), flip.get_indexer(key)
    ok = same >= 0
    out[:, ok, :] = loads_ref[:, same[ok], :]
    ok_b = (~ok) & (back >= 0)
    out[:, ok_b, :] = loads_ref[:, back[ok_b], ::-1]
    # a trunk missing from ``ref`` lost its only line: it carries nothing
    return out


def _assert_state_matches_reroute(s, topo, ll, name: str) -> None:
    lid = int(name.split(":")[1])
    ref = link_loads(s, topo.without(links=[lid]), years=ll.years, single_links=False,
                     carriers=False)
    assert ll.topology.nodes.index.equals(ref.topology.nodes.index)
    np.testing.assert_allclose(ll.state_loads(name), _aligned(ll, ref, ref.loads_mbps[0]),
                               atol=1e-7, err_msg=name)


def test_single_line_failures_equal_full_reroutes_tiny():
    s = scenario(download_share=0.3)
    topo = build_topology(s)
    ll = link_loads(s, topo)
    names = {st.name for st in ll.link_states}
    assert names  # the pop interconnects, county and town uplinks, city accesses
    for st in failure_states(topo, carriers=False, links=True)[1:]:
        if st.name in names:
            _assert_state_matches_reroute(s, topo, ll, st.name)
        else:
            # skipped: its loss changes nothing or only cuts sites off, so no load grows
            lid = int(st.name.split(":")[1])
            ref = link_loads(s, topo.without(links=[lid]), single_links=False, carriers=False)
            assert (_aligned(ll, ref, ref.loads_mbps[0]) <= ll.loads_mbps[0] + 1e-9).all()


@pytest.mark.slow
def test_single_line_failures_equal_full_reroutes_meizhou():
    from netplan.examples import meizhou_2020

    s = meizhou_2020()
    topo = build_topology(s)
    ll = link_loads(s, topo, years=[2022], carriers=False)
    assert len(ll.link_states) > 30
    pick = np.linspace(0, len(ll.link_states) - 1, 30).round().astype(int)
    for i in sorted(set(pick)):
        _assert_state_matches_reroute(s, topo, ll, ll.link_states[i].name)


# --------------------------------------------------------------------------- dedicated


def test_dedicated_network_from_its_year_on():
    # 公安局 hub; A镇1 sends 30 Mbps from 2021 on, half of it each way:
    # A镇1 -> A县 (1 ms), A县 -> either pop (2 ms, ECMP halves) -> 公安局 (0.5 ms)
    s = scenario({"years": [2020, 2021], "dedicated_networks": [
        {"name": "视频专网", "department": "公安局", "sites": ["A镇1"], "busy_hour": "30M",
         "year": 2021, "download_share": 0.5}]})
    ll = link_loads(s, build_topology(s), single_links=False)
    base = scenario({"years": [2020, 2021]})
    ref = link_loads(base, build_topology(base), single_links=False)
    got21, ref21 = frame_of(ll, "normal", 2021), frame_of(ref, "normal", 2021)
    expect = {(A1, A): (15, 15), (A, TEL): (7.5, 7.5), (A, UNI): (7.5, 7.5),
              (f"{P}#公安局", TEL): (7.5, 7.5), (f"{P}#公安局", UNI): (7.5, 7.5)}
    for key in got21:
        extra = np.subtract(got21[key], ref21[key])
        np.testing.assert_allclose(extra, expect.get(key, (0, 0)), atol=1e-9, err_msg=str(key))
    got20, ref20 = frame_of(ll, "normal", 2020), frame_of(ref, "normal", 2020)
    assert got20.keys() == ref20.keys()
    for key in got20:  # nothing before its year
        np.testing.assert_allclose(got20[key], ref20[key], atol=1e-9, err_msg=str(key))
    ded = ll.dedicated_frame()
    assert set(ded["year"]) == {2021}
    rows = {(a, b): (m, t) for a, b, m, t in zip(ded["source"], ded["target"],
                                                 ded["dedicated_mbps"], ded["load_mbps"],
                                                 strict=True)}
    assert set(rows) == set(expect)
    for key, (u, d) in expect.items():
        assert rows[key][0] == pytest.approx(max(u, d))
        assert rows[key][1] == pytest.approx(max(got21[key]))
    # without dedicated networks the frame is empty
    assert len(ref.dedicated_frame()) == 0


def test_failure_state_names_tiny():
    topo = build_topology(tiny_scenario())
    states = failure_states(topo, links=True)
    assert len(states) == 1 + 2 + topo.n_links
    assert pd.Index([s.name for s in states]).is_unique
    assert all(s.link_up.sum() == topo.n_links - 1 for s in states[3:])


def test_demand_matrices_equal_the_simulators_streams_year_by_year():
    """One streams call, grown per year, equals the simulator's streams of each year."""
    import numpy as np

    from netplan.capacity.loads import _demand
    from netplan.examples import meizhou_2020
    from netplan.simulation.traffic import traffic_streams
    from netplan.topology import build_topology

    s = meizhou_2020()
    s = s.model_copy(update={"demand": s.demand.model_copy(update={"download_share": 0.3})})
    topo = build_topology(s)
    deps = topo.nodes.index[topo.nodes["kind"] == "department"]
    years = [2020, 2021, 2022]
    system = {y: {d: 1.5 + i for d in deps[: 40 * (i + 1)]} for i, y in enumerate(years)}
    got = _demand(s, topo, years, system, [])
    for k, year in enumerate(years):
        st = traffic_streams(s, topo, year=year, system_mbps=system[year])
        mbps = st["rate_per_s"] * st["mean_mbit"]
        for key, mat in zip(got.keys, got.matrices, strict=True):
            for down in (False, True):
                sel = ((st["destination"] == key) & (st["downstream"] == down)).to_numpy()
                want = np.bincount(st["source_pos"].to_numpy()[sel],
                                   weights=mbps.to_numpy()[sel], minlength=topo.n_nodes)
                np.testing.assert_allclose(mat[:, 2 * k + int(down)], want, atol=1e-9)
