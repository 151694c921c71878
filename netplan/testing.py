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
