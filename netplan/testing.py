"""Reusable checkers and small builders for tests (netplan's own and users').

The checkers recompute a result by a second, slow but obvious method and compare.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from netplan.topology import Topology

__all__ = ["make_topology", "brute_force_cuts", "assert_cuts_match"]


def make_topology(edges, kinds=None, root="R", name="hand") -> Topology:
    """A topology from ``(u, v, carrier, latency_ms)`` tuples; node kind ``site`` unless given.

    Examples
    --------
    >>> make_topology([("R", "A", "x", 1.0), ("A", "B", "x", 2.0)]).n_links
    2
    """
    kinds = kinds or {}
    names = []
    for u, v, *_ in edges:
        for x in (u, v):
            if x not in names:
                names.append(x)
    nodes = pd.DataFrame(
        {"kind": [kinds.get(n, "site") for n in names], "tier": "", "name": names,
         "province": "", "city": "", "county": "", "town": "", "parent": ""},
        index=pd.Index(names, name="node_id"),
    )
    links = pd.DataFrame({
        "source": [e[0] for e in edges], "target": [e[1] for e in edges], "kind": "link",
        "tier": "", "carrier": [e[2] for e in edges],
        "capacity_mbps": pd.array([100] * len(edges), dtype="Int64"),
        "latency_ms": [float(e[3]) for e in edges], "length_km": np.nan,
    })
    links.index = pd.RangeIndex(len(links), name="link_id")
    return Topology(nodes, links, name=name, root=root)


def brute_force_cuts(topo: Topology):
    """Bridges and cut vertices w.r.t. the root by removing each link / node (second method)."""
    g = topo.to_networkx()
    root_comp = nx.node_connected_component(g, topo.root)
    bridges = {}
    for u, v, key in list(g.edges(keys=True)):
        h = g.copy()
        h.remove_edge(u, v, key)
        lost = root_comp - nx.node_connected_component(h, topo.root)
        if lost:
            bridges[key] = lost
    cuts = {}
    for n in root_comp - {topo.root}:
        h = g.copy()
        h.remove_node(n)
        lost = root_comp - {n} - nx.node_connected_component(h, topo.root)
        if lost:
            cuts[n] = lost
    return bridges, cuts


def assert_cuts_match(topo: Topology, surv) -> None:
    """Check a :class:`~netplan.topology.SurvivabilityResult`'s bridges and cut vertices.

    Every link and node is removed in turn and the nodes cut off from the root are compared
    with the result's (quadratic: small topologies only).
    """
    bridges, cuts = brute_force_cuts(topo)
    assert set(surv.bridges["link_id"]) == set(bridges), "bridges differ"
    for lid, lost in bridges.items():
        assert set(surv.affected_by_link(lid)) == lost, f"link {lid}"
    assert set(surv.articulation_points["node_id"]) == set(cuts), "articulation points differ"
    table = surv.articulation_points.set_index("node_id")["nodes_cut_off"]
    for n, lost in cuts.items():
        assert set(surv.affected_by_node(n)) == lost, f"node {n}"
        assert table[n] == len(lost), f"node {n} count"


# --------------------------------------------------------------------------- nothing lost

#: Node kinds each destination of the extranet's own traffic ends at (as the routing rule).
_SINK_KINDS = {"cloud": ("cloud",), "platform": ("platform",), "province": ("province",),
               "internet": ("egress",)}
_REQUEST_SINKS = ("cloud", "platform", "province")


def expected_demand(scenario, topology: Topology, *, year: int | None = None,
                    system_mbps: dict | None = None) -> pd.DataFrame:
    """The busy-hour demand of every source, from the scenario's ``demand`` figures by formula.

    A second method beside :func:`netplan.simulation.traffic.traffic_streams` (which the
    planner and the simulator share): bulk Mbps per site and tier split by the destination
    shares and grown to ``year``, the systems on the cloud (``system_mbps``, grown) to the
    cloud, one platform sync job per department and hour (when there is a platform node),
    request responses back to the sites (shares over cloud, platform and province), and the
    dedicated networks from their year on (their sites to their hub department).

    Returns
    -------
    pandas.DataFrame
        One row per (source, sink) with demand: ``source`` (node id), ``sink`` (a destination
        key of :data:`netplan.model.demand.DESTINATIONS`, or the hub's node id),
        ``up_mbps`` (from the source) and ``down_mbps`` (to it).

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> s = tiny_scenario()
    >>> d = expected_demand(s, build_topology(s))
    >>> round(float(d["up_mbps"].sum()), 3)  # 74 Mbps bulk + 7 sync jobs of 400 Mbit per hour
    74.778
    """
    from netplan.capacity.loads import resolve_site

    d = scenario.demand
    nodes = topology.nodes
    base_year = d.base_year if d.base_year is not None else scenario.year
    growth = 1.0 if year is None or base_year is None else \
        (1.0 + d.growth_pct_per_year / 100.0) ** (year - base_year)
    ds = d.download_share
    rows: dict[tuple[str, str], list[float]] = {}

    def add(src, sink, up, down):
        row = rows.setdefault((src, sink), [0.0, 0.0])
        row[0] += up
        row[1] += down

    shares = {k: getattr(d.shares, k) for k in _SINK_KINDS}
    req = np.array([shares[k] for k in _REQUEST_SINKS])
    req = req / req.sum() if req.sum() > 0 else req
    has_platform = bool((nodes["kind"] == "platform").any())
    response_mbit = d.interactive.response_kb * 8.0 / 1000.0
    for nid, kind, tier in zip(nodes.index, nodes["kind"], nodes["tier"], strict=True):
        if kind not in ("department", "village"):
            continue
        mbps = d.village_mbps if kind == "village" else d.department_mbps.get(tier, 0.0)
        for key, share in shares.items():
            bulk = mbps * share * growth
            add(nid, key, bulk * (1 - ds), bulk * ds)
        if kind == "department" and has_platform and d.platform_sync.jobs_per_hour > 0:
            add(nid, "platform", d.platform_sync.jobs_per_hour / 3600.0
                * d.platform_sync.size_mb * 8.0, 0.0)
        per_min = (d.interactive.village_requests_per_min if kind == "village"
                   else d.interactive.requests_per_min)
        for key, share in zip(_REQUEST_SINKS, req, strict=True):
            add(nid, key, 0.0, per_min / 60.0 * share * response_mbit)
    for nid, mbps in (system_mbps or {}).items():
        add(nid, "cloud", mbps * growth * (1 - ds), mbps * growth * ds)
    for i, net in enumerate(scenario.capacity.dedicated_networks):
        if year is not None and year < net.year or year is None and scenario.year is not None \
                and scenario.year < net.year:
            continue
        hub = nodes.index[resolve_site(topology, net.department, kinds=("department",),
                                       path=f"capacity.dedicated_networks[{i}].department")]
        for j, site in enumerate(net.sites):
            src = nodes.index[resolve_site(topology, site,
                                           path=f"capacity.dedicated_networks[{i}].sites[{j}]")]
            add(src, hub, net.busy_hour_mbps * (1 - net.download_share),
                net.busy_hour_mbps * net.download_share)
    out = pd.DataFrame([(s, k, u, w) for (s, k), (u, w) in rows.items()],
                       columns=["source", "sink", "up_mbps", "down_mbps"])
    return out[(out["up_mbps"] > 0) | (out["down_mbps"] > 0)].reset_index(drop=True)


def _components(topology: Topology, link_up: np.ndarray) -> np.ndarray:
    """Per node position, the id of its connected component over the lines up (networkx)."""
    g = nx.Graph()
    g.add_nodes_from(range(topology.n_nodes))
    pos = topology.nodes.index.get_indexer
    src = pos(topology.links["source"])
    dst = pos(topology.links["target"])
    g.add_edges_from((int(a), int(b)) for a, b, up in zip(src, dst, link_up, strict=True) if up)
    comp = np.empty(topology.n_nodes, dtype=np.int64)
    for k, members in enumerate(nx.connected_components(g)):
        comp[list(members)] = k
    return comp


def _cut_sites(topology: Topology, comp: np.ndarray) -> set[str]:
    """Sites (departments, village offices) with no route to some destination that exists."""
    kinds = topology.nodes["kind"].to_numpy()
    site_pos = np.flatnonzero(np.isin(kinds, ["department", "village"]))
    gone = np.zeros(len(site_pos), dtype=bool)
    for kk in _SINK_KINDS.values():
        at = np.flatnonzero(np.isin(kinds, kk))
        if len(at):
            gone |= ~np.isin(comp[site_pos], comp[at])
    return set(topology.nodes.index[site_pos[gone]])


def _check_line_cut_offs(topology: Topology, loads) -> None:
    """Each single line's loss: the sites it cuts off are those ``loads.cut_off`` lists."""
    ids = topology.nodes.index
    for pos, lid in enumerate(topology.links.index):
        up = np.ones(topology.n_links, dtype=bool)
        up[pos] = False
        expect = _cut_sites(topology, _components(topology, up))
        listed = set(ids[loads.cut_off.get(f"link:{lid}", np.zeros(0, dtype=np.int64))])
        assert listed == expect, (
            f"link:{lid}: cut-off sites differ; not listed: {sorted(expect - listed)[:3]}, "
            f"listed but reachable: {sorted(listed - expect)[:3]}")


def check_load_conservation(scenario, topology: Topology, loads, *,
                            system_mbps: dict | None = None, states: list[str] | None = None,
                            rel_tol: float = 1e-9) -> dict[str, dict[str, float]]:
    """Check that the link loads carry every source's demand to its sinks, and nothing else.

    In every failure state and year of ``loads`` (a
    :class:`~netplan.capacity.loads.LinkLoads`), with the demand of :func:`expected_demand`
    and reachability from a graph search over the lines up (networkx, a second method):

    - at every node that is no sink, what leaves minus what arrives is the demand it sends
      minus what it receives over routes that exist (transit nodes: zero, so nothing is lost
      or made up on the way); at a site with one neighbour, its upload and its download each;
    - what the sink nodes take in minus what they send equals the demand routed in all;
    - the demand with no route is the state's ``unrouted_mbps`` (routed plus unrouted is the
      whole demand), and the sites with no route to some destination that exists are its
      ``cut_off`` sites;
    - every single-line state is either loaded or counted in ``skipped_links``, and each
      line's loss lists the sites it cuts off (when the single lines were loaded).

    Parameters
    ----------
    states : list of str, optional
        State names to check (default every state loaded, single lines included).

    Returns
    -------
    dict
        Per state name: ``demand_mbps``, ``routed_mbps`` and ``cut_off_mbps`` (upload plus
        download, the last year), for the test to report.
    """
    nodes = topology.nodes
    n = topology.n_nodes
    tr = loads.trunks
    kinds = nodes["kind"].to_numpy()
    singles = bool(loads.link_states) or loads.skipped_links > 0  # single lines loaded
    assert not singles or len(loads.link_states) + loads.skipped_links == topology.n_links, (
        f"{topology.n_links} lines, {len(loads.link_states)} loaded and "
        f"{loads.skipped_links} skipped")
    names = [s.name for s in (*loads.states, *loads.link_states)] if states is None else states
    if states is None and singles:  # every line's loss, loaded or skipped: its cut-offs
        _check_line_cut_offs(topology, loads)
    demand = {year: expected_demand(scenario, topology, year=year, system_mbps=system_mbps)
              for year in loads.years}
    missing = sorted({k for k, kk in _SINK_KINDS.items() if not np.isin(kinds, kk).any()
                      and any((demand[y]["sink"] == k).any() for y in demand)})
    assert sorted(loads.no_destination) == missing, (
        f"destinations with demand and no node: {missing}, the loads say "
        f"{list(loads.no_destination)}")
    out = {}
    for name in names:
        st = loads.state(name)
        comp = _components(topology, st.link_up)
        ld = loads.state_loads(name)  # (years, trunks, 2)
        for k, year in enumerate(loads.years):
            dem = demand[year]
            src = nodes.index.get_indexer(dem["source"])
            sink_is_key = dem["sink"].isin(list(_SINK_KINDS)).to_numpy()
            reach = np.zeros(len(dem), dtype=bool)
            sink_nodes = set()
            for key, kk in _SINK_KINDS.items():
                at = np.flatnonzero(np.isin(kinds, kk))
                sink_nodes.update(at.tolist())
                sel = (dem["sink"] == key).to_numpy()
                reach[sel] = np.isin(comp[src[sel]], comp[at])
            hub = ~sink_is_key
            hub_pos = nodes.index.get_indexer(dem.loc[hub, "sink"])
            reach[hub] = comp[src[hub]] == comp[hub_pos]
            sink_nodes.update(hub_pos.tolist())
            up = dem["up_mbps"].to_numpy()
            down = dem["down_mbps"].to_numpy()
            # expected balance (out - in) at each node
            bal = np.zeros(n)
            np.add.at(bal, src[reach], up[reach] - down[reach])
            out_up = np.zeros(n)
            in_down = np.zeros(n)
            np.add.at(out_up, src[reach], up[reach])
            np.add.at(in_down, src[reach], down[reach])
            arc = ld[k]  # (trunks, 2): [:, 0] u -> v, [:, 1] v -> u
            leave = np.bincount(tr.u, arc[:, 0], n) + np.bincount(tr.v, arc[:, 1], n)
            arrive = np.bincount(tr.v, arc[:, 0], n) + np.bincount(tr.u, arc[:, 1], n)
            total = float(up.sum() + down.sum())
            tol = rel_tol * max(1.0, total)
            sinks = np.zeros(n, dtype=bool)
            sinks[list(sink_nodes)] = True
            got = leave - arrive
            bad = np.flatnonzero(~sinks & (np.abs(got - bal) > tol))
            assert not len(bad), (
                f"{name} {year}: at {nodes.index[bad[0]]} out - in = {got[bad[0]]:.6g} Mbps, "
                f"its routed demand {bal[bad[0]]:.6g} ({len(bad)} nodes differ)")
            # what the sinks take in, net of what they send themselves (a hub is a site too)
            routed = float(up[reach].sum() - down[reach].sum() - bal[sinks].sum())
            taken = float(-(got[sinks]).sum())
            assert abs(taken - routed) <= tol, (
                f"{name} {year}: sinks take in {taken:.6g} Mbps net, the routed demand is "
                f"{routed:.6g}")
            degree = np.bincount(np.r_[tr.u, tr.v], minlength=n)
            leaf = ~sinks & (degree == 1) & np.isin(kinds, ["department", "village"])
            bad = np.flatnonzero(leaf & ((np.abs(leave - out_up) > tol)
                                         | (np.abs(arrive - in_down) > tol)))
            assert not len(bad), (
                f"{name} {year}: site {nodes.index[bad[0]]} sends {leave[bad[0]]:.6g} and "
                f"receives {arrive[bad[0]]:.6g} Mbps; its routed demand {out_up[bad[0]]:.6g} "
                f"up, {in_down[bad[0]]:.6g} down")
            cut_mbps = float(up[~reach].sum() + down[~reach].sum())
            routed_mbps = float(up[reach].sum() + down[reach].sum())
            counted = float(loads.unrouted_mbps[name][k])
            assert abs(counted - cut_mbps) <= tol, (
                f"{name} {year}: {cut_mbps:.6g} Mbps have no route, the loads count "
                f"{counted:.6g} as unrouted")
            # sites with no route to a destination that exists are cut off (demand or not)
            expect_cut = _cut_sites(topology, comp)
            listed = set(nodes.index[loads.cut_off.get(name, np.zeros(0, dtype=np.int64))])
            assert listed == expect_cut, (
                f"{name}: cut-off sites differ; not listed: {sorted(expect_cut - listed)[:3]}, "
                f"listed but reachable: {sorted(listed - expect_cut)[:3]}")
            out[name] = {"demand_mbps": total, "routed_mbps": routed_mbps,
                         "cut_off_mbps": cut_mbps}
    return out


def check_flow_accounting(result) -> dict[str, int]:
    """Check that every flow a simulation started is finished, censored or dropped, and counted.

    ``result`` is a :class:`~netplan.simulation.TrafficResult` (or pooled replications). The
    counts in ``result.stats`` are compared with the flow table, row by row:

    - every arrival is one row with one status; ``flows_started`` (routed) = finished +
      dropped + censored, and with the unreachable and not-started ones that is every flow;
    - a finished flow has an end time, sent all of its size and is not censored; a censored
      one has no end time and sent less than its size; an unreachable or not-started flow
      has no route and sent nothing;
    - the engine's transfers: ``started == finished + aborted + engine_active``, and at least
      one transfer per started flow.

    Returns
    -------
    dict
        The counts per status, for the test to report.
    """
    f = result.flows
    st = result.stats
    counts = {k: int(v) for k, v in f["status"].value_counts().items()}
    for k in ("done", "dropped", "unfinished", "unreachable", "not_started"):
        counts.setdefault(k, 0)
    assert len(f) == st["flows"] == sum(counts.values()), (len(f), st["flows"], counts)
    assert st["flows_finished"] == counts["done"]
    assert st["flows_dropped"] == counts["dropped"]
    assert st["flows_censored"] == counts["unfinished"] == int(f["censored"].sum())
    assert st["flows_unreachable"] == counts["unreachable"]
    assert st["flows_not_started"] == counts["not_started"]
    assert st["flows_started"] == st["flows_finished"] + st["flows_censored"] \
        + st["flows_dropped"]
    assert st["flows_started"] + st["flows_unreachable"] + st["flows_not_started"] \
        == st["flows"]
    done = (f["status"] == "done").to_numpy()
    cens = f["censored"].to_numpy(bool)
    assert not (done & cens).any(), "a flow both finished and censored"
    assert np.isfinite(f["end_s"].to_numpy()[done]).all(), "a finished flow without end"
    assert np.isnan(f["end_s"].to_numpy()[~done]).all(), "an unfinished flow with an end"
    sent = f["sent_mb"].to_numpy()
    size = f["size_mb"].to_numpy()
    assert np.allclose(sent[done], size[done]), "a finished flow did not send its size"
    assert (sent[cens] <= size[cens] * (1 + 1e-9)).all(), "a censored flow sent too much"
    never = f["status"].isin(["unreachable", "not_started"]).to_numpy()
    assert (f["route"].to_numpy()[never] < 0).all(), "a flow never started has a route"
    assert (f["route"].to_numpy()[~never] >= 0).all(), "a started flow has no route"
    assert st["started"] == st["finished"] + st["aborted"] + st["engine_active"], (
        "engine transfers lost: started {started}, finished {finished}, "
        "aborted {aborted}".format(**st) + f", active {st['engine_active']}")
    assert st["started"] >= st["flows_started"]
    return counts


def expected_sites(scenario) -> dict[str, int]:
    """Departments, village offices and towns with villages the scenario defines, by count.

    Counted from the region (provinces → cities → counties → towns; a synthetic region
    expanded) and the departments per tier, without building the topology.
    """
    provinces = (scenario.region.synthetic.expand() if scenario.region.synthetic is not None
                 else scenario.region.provinces)
    dep = scenario.extranet.departments

    def per(tier) -> int:
        if tier is None:
            return 0
        return len(tier.names) if tier.names is not None else int(tier.count or 0)

    cities = counties = towns = villages = towns_with_villages = 0
    for p in provinces:
        for c in p.cities:
            cities += 1
            for k in c.counties:
                counties += 1
                if isinstance(k.towns, int) or (k.towns and isinstance(k.towns[0], str)):
                    n = k.towns if isinstance(k.towns, int) else len(k.towns)
                    v = int(k.villages or 0)
                    each = [v // n + (i < v % n) for i in range(n)] if n else []
                else:
                    each = [t.villages for t in k.towns]
                towns += len(each)
                villages += sum(each)
                towns_with_villages += sum(1 for x in each if x > 0)
    return {"departments": cities * per(dep.city) + counties * per(dep.county)
            + towns * per(dep.town), "villages": villages,
            "towns_with_villages": towns_with_villages, "towns": towns, "counties": counties,
            "cities": cities}


def check_site_coverage(scenario, topology: Topology, *, loads=None, validation=None) -> None:
    """Check that every site of the scenario is in the topology, the loads and the validation.

    - the topology has exactly the departments and village offices the scenario defines
      (:func:`expected_sites`), each with a line;
    - ``loads`` (normal operation): every site sends or receives on its lines;
    - ``validation`` (an :class:`~netplan.simulation.InterconnectValidation`): in every
      case, every department and every town's village offices is a unit of the table, with a
      row for each checked destination its requests go to (cut-off units included, with
      their unreachable flows counted).
    """
    want = expected_sites(scenario)
    nodes = topology.nodes
    kinds = nodes["kind"]
    assert int((kinds == "department").sum()) == want["departments"], (
        f"{int((kinds == 'department').sum())} department nodes, the scenario defines "
        f"{want['departments']}")
    assert int((kinds == "village").sum()) == want["villages"], (
        f"{int((kinds == 'village').sum())} village nodes, the scenario has {want['villages']}")
    sites = nodes.index[kinds.isin(["department", "village"])]
    ends = set(topology.links["source"]) | set(topology.links["target"])
    lonely = [s for s in sites if s not in ends]
    assert not lonely, f"sites without a line: {lonely[:3]}"
    if loads is not None:
        ld = loads.state_loads("normal")[0]
        tr = loads.trunks
        n = topology.n_nodes
        touch = np.bincount(tr.u, ld.sum(axis=1), n) + np.bincount(tr.v, ld.sum(axis=1), n)
        pos = nodes.index.get_indexer(sites)
        quiet = [sites[i] for i in np.flatnonzero(touch[pos] <= 0)
                 if sites[i] not in set(nodes.index[loads.cut_off.get("normal", [])])]
        assert not quiet, f"sites with no load on their lines in normal operation: {quiet[:3]}"
    if validation is not None:
        from netplan.simulation.validate import CHECKED_DESTINATIONS

        d = scenario.demand
        shares = {k: getattr(d.shares, k) for k in CHECKED_DESTINATIONS}
        dests = {k for k, v in shares.items() if v > 0}
        deps = set(nodes.index[kinds == "department"])
        village_units = {p + "#村" for p in nodes.loc[kinds == "village", "parent"]}
        assert len(village_units) == want["towns_with_villages"]
        table = validation.table
        for case in validation.cases:
            t = table[table["case"] == case]
            units = set(t["unit"])
            assert units == deps | village_units, (
                f"{case}: units missing from the validation: "
                f"{sorted((deps | village_units) - units)[:3]}, extra: "
                f"{sorted(units - deps - village_units)[:3]}")
            per_unit = t.groupby("unit")["destination"].agg(lambda x: set(map(str, x)))
            short = per_unit[per_unit.map(lambda x: not dests <= x)]
            assert short.empty, f"{case}: {short.index[0]} lacks rows for " \
                f"{sorted(dests - short.iloc[0])}"
            assert (t["flows"] > 0).all()


def check_dispositions(inventory, triage_result, plan=None) -> dict[str, int]:
    """Check that every system has exactly one disposition and, if migrated, one schedule row.

    - the triage decides each system of ``inventory`` once, in inventory order, with one of
      the :class:`~netplan.migration.triage.Disposition` values, and the counts add up;
    - an integrated system names a target that stays in use (migrate or keep), and no system
      in use depends on a retired one;
    - ``plan`` (a :class:`~netplan.migration.result.MigrationPlan` of the same inventory, or
      its :class:`~netplan.migration.build.MigrationProject` alone):
      its move groups hold each system to migrate (not done in progress) exactly once and
      nothing else; its schedule table (:meth:`~MigrationPlan.to_frame`) has one row per
      such system, each with a start week when there is a plan; the systems counted as
      already on the cloud are on the cloud in the inventory.

    Returns
    -------
    dict
        Systems per disposition.
    """
    from netplan.migration.triage import Disposition

    ids = list(inventory.ids)
    decided = [d.system_id for d in triage_result.decisions]
    assert decided == ids, "the triage lost, added or reordered systems"
    assert len(set(ids)) == len(ids), "duplicate system ids"
    disp = {d.system_id: Disposition(d.disposition) for d in triage_result.decisions}
    counts = triage_result.counts()
    assert sum(counts.values()) == len(ids)
    assert set(counts) == {x.value for x in Disposition}
    staying = (Disposition.MIGRATE, Disposition.KEEP)
    by_id = inventory.by_id
    for d in triage_result.decisions:
        if d.disposition == Disposition.INTEGRATE:
            assert d.target in disp and disp[d.target] in staying, (
                f"{d.system_id} integrates into {d.target!r}, which does not stay")
        if d.disposition in staying:
            gone = [x for x in by_id[d.system_id].depends_on
                    if disp.get(x) == Disposition.RETIRE]
            assert not gone, f"{d.system_id} stays in use but depends on retired {gone}"
        if d.disposition == Disposition.MIGRATE:
            assert not by_id[d.system_id].on_cloud, f"{d.system_id} is on the cloud already"
    if plan is not None:
        mp = getattr(plan, "mp", plan)  # a MigrationPlan, or only its MigrationProject
        done = set(mp.done)
        to_move = [i for i in ids if disp[i] == Disposition.MIGRATE and i not in done]
        grouped = [i for g in mp.groups for i in g.systems]
        assert sorted(grouped) == sorted(to_move), (
            f"move groups: missing {sorted(set(to_move) - set(grouped))[:3]}, extra "
            f"{sorted(set(grouped) - set(to_move))[:3]}, {len(grouped)} grouped for "
            f"{len(to_move)} to move")
        table = plan.to_frame() if plan is not mp else pd.DataFrame({"system_id": grouped})
        rows = list(table["system_id"]) if len(table) else []
        assert sorted(rows) == sorted(to_move), "the schedule's rows are not the systems to move"
        if plan is not mp and plan.starts is not None and len(table):
            assert table["start_week"].notna().all() and table["cutover_week"].notna().all()
            assert (table["cutover_week"] >= table["start_week"]).all()
        assert set(mp.already_on_cloud) <= {i for i in ids if by_id[i].on_cloud}
        assert not set(mp.already_on_cloud) & set(to_move)
    return counts
