"""Reachability, survivability and per-tier summaries of an extranet topology.

All functions are pure: they take a :class:`~netplan.topology.Topology` and return a result object
with ``to_frame()``. They run on a sparse view of the graph (scipy.sparse.csgraph plus one
iterative depth-first search), so the national-scale extranet (~800k nodes) is analysed in
seconds; the networkx view is never needed.

Targets are node kinds: ``"province"`` (the province backbone), ``"cloud"`` (any government cloud
node), ``"platform"`` (any exchange platform) and ``"root"`` (the topology's root). A node
reaches a target kind when it is connected to at least one node of that kind; distances are to
the nearest one.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, dijkstra

from netplan.topology.topology import Topology

__all__ = [
    "reachability",
    "survivability",
    "summarize",
    "ReachabilityResult",
    "SurvivabilityResult",
    "TopologySummary",
    "TIER_ORDER",
]

#: Tiers in display order.
TIER_ORDER = ["national", "province", "city", "county", "town", "village", ""]
_DEFAULT_TARGETS = ("cloud", "platform", "province")


def _tier_sorted(df: pd.DataFrame, col: str = "tier") -> pd.DataFrame:
    rank = {t: i for i, t in enumerate(TIER_ORDER)}
    return df.sort_values(col, key=lambda s: s.map(lambda t: rank.get(t, len(rank))),
                          kind="stable")


def _target_positions(topology: Topology, targets) -> dict[str, np.ndarray]:
    """Node positions of each target kind present in the topology."""
    kinds = topology.nodes["kind"].to_numpy()
    out: dict[str, np.ndarray] = {}
    for t in targets:
        if t == "root":
            if topology.root is None:
                raise ValueError("the topology has no root; pass root=... or other targets")
            out[t] = np.array([topology.nodes.index.get_loc(topology.root)])
        else:
            pos = np.flatnonzero(kinds == t)
            if len(pos):
                out[t] = pos
    if not out:
        raise ValueError(
            f"none of the targets {list(targets)} is in the topology; "
            "use targets=('root',) for imported graphs"
        )
    return out


def _default_targets(topology: Topology) -> tuple[str, ...]:
    kinds = set(topology.nodes["kind"].unique())
    present = tuple(t for t in _DEFAULT_TARGETS if t in kinds)
    return present or ("root",)


# --------------------------------------------------------------------------- reachability


@dataclass(frozen=True)
class ReachabilityResult:
    """Which nodes reach which targets, in how many hops and with what path latency.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per examined node (index ``node_id``) with ``kind``, ``tier`` and, per target
        ``t``: ``reaches_t`` (bool), ``hops_t`` (fewest links) and ``latency_ms_t`` (lowest
        one-way path latency), NaN where unreachable.
    targets : tuple of str
        The target kinds examined.
    """

    table: pd.DataFrame
    targets: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """The per-node table (a copy)."""
        return self.table.copy()

    @property
    def all_reach(self) -> bool:
        """True when every examined node reaches every target."""
        cols = [f"reaches_{t}" for t in self.targets]
        return bool(self.table[cols].all().all())

    def unreachable(self, target: str | None = None) -> pd.Index:
        """Node ids that miss ``target`` (or any target when None)."""
        cols = [f"reaches_{t}" for t in ([target] if target else self.targets)]
        return self.table.index[~self.table[cols].all(axis=1)]

    def by_tier(self) -> pd.DataFrame:
        """Per tier and kind: count, share reaching each target, worst hops and latency."""
        g = self.table.groupby(["tier", "kind"], sort=False)
        out = g.size().rename("nodes").to_frame()
        for t in self.targets:
            out[f"reach_{t}_pct"] = g[f"reaches_{t}"].mean() * 100
            out[f"max_hops_{t}"] = g[f"hops_{t}"].max()
            out[f"max_latency_ms_{t}"] = g[f"latency_ms_{t}"].max()
        out = _tier_sorted(out.reset_index())
        out.attrs["unit"] = {"latency": "ms", "reach": "%"}
        return out.reset_index(drop=True)

    def __str__(self) -> str:
        n = len(self.table)
        parts = [f"{t}: {int(self.table[f'reaches_{t}'].sum())}/{n}" for t in self.targets]
        return f"Reachability of {n} nodes — " + ", ".join(parts)


def reachability(topology: Topology, *, targets: tuple[str, ...] | None = None,
                 kinds: tuple[str, ...] | None = ("department", "village"),
                 weight: str = "latency_ms") -> ReachabilityResult:
    """Check that nodes reach the cloud node, the exchange platform and the province backbone.

    Parameters
    ----------
    topology : Topology
    targets : tuple of str, optional
        Target kinds; default those of ``("cloud", "platform", "province")`` present, else
        ``("root",)``.
    kinds : tuple of str, optional
        Node kinds to examine; ``None`` for every node. Default departments and villages.
    weight : str
        Link column summed for the path latency (ms).

    Returns
    -------
    ReachabilityResult

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> r = reachability(build_topology(tiny_scenario()))
    >>> r.all_reach
    True
    >>> r.table.loc["测试省/甲市/A县/A镇1/村001", ["hops_province", "latency_ms_province"]].tolist()
    [4.0, 9.0]
    """
    targets = tuple(targets) if targets is not None else _default_targets(topology)
    sources = _target_positions(topology, targets)
    nodes = topology.nodes
    mask = np.ones(len(nodes), bool) if kinds is None else nodes["kind"].isin(kinds).to_numpy()
    if not mask.any():
        present = ", ".join(sorted(nodes["kind"].unique()))
        raise ValueError(f"no node of kinds {list(kinds)} to examine (the topology has: "
                         f"{present}); pass kinds=None to examine every node")
    table = nodes.loc[mask, ["kind", "tier"]].copy()
    w = topology.matrix(weight)
    hops = topology.matrix(None)
    for t, pos in sources.items():
        lat = dijkstra(w, directed=False, indices=pos, min_only=True)
        hop = dijkstra(hops, directed=False, indices=pos, min_only=True, unweighted=True)
        reach = np.isfinite(hop)
        table[f"reaches_{t}"] = reach[mask]
        table[f"hops_{t}"] = np.where(reach, hop, np.nan)[mask]
        # undo the 1e-9 floor used to keep zero-latency links: round to the nanosecond
        table[f"latency_ms_{t}"] = np.round(np.where(reach, lat, np.nan), 6)[mask]
    table.attrs["unit"] = {"latency_ms": "ms", "hops": "links"}
    return ReachabilityResult(table, tuple(sources))


# --------------------------------------------------------------------------- depth-first search


@dataclass(frozen=True)
class _DFS:
    """Discovery order, subtree sizes, bridges and cut vertices of the root's component."""

    order: np.ndarray  # node positions by discovery time
    disc: np.ndarray  # discovery time per node position (-1: not reached)
    size: np.ndarray  # DFS subtree size per node position
    bridge_links: np.ndarray  # link positions
    bridge_child: np.ndarray  # node position of the far (child) end
    cut_nodes: np.ndarray  # articulation points (node positions)
    cut_children: list[list[int]]  # per articulation point, children whose subtree it cuts off


def _dfs(topology: Topology, root: int) -> _DFS:
    """Iterative Tarjan lowpoint DFS from ``root``; parallel links are handled by link id.

    A node's slots are scanned in one inner loop until the search descends; a leaf (a node
    with one line, the one the search came by) is finished on the spot instead of being pushed
    and popped: the same events in the same order as a one-slot-per-step search, at a fraction
    of the cost on village-heavy graphs.
    """
    c = topology.csr()
    n = topology.n_nodes
    indptr = c.indptr.tolist()
    nbr = c.indices.tolist()
    lid = c.link.tolist()
    deg = np.diff(c.indptr).tolist()
    disc = [-1] * n
    low = [0] * n
    size = [1] * n
    parent_link = [-1] * n
    ptr = indptr[:-1]
    order: list[int] = []
    bridge_l: list[int] = []
    bridge_c: list[int] = []
    cut_children: dict[int, list[int]] = {}
    disc[root] = low[root] = 0
    order.append(root)
    stack = [root]
    time = 1
    while stack:
        v = stack[-1]
        p = ptr[v]
        end = indptr[v + 1]
        low_v = low[v]
        up = parent_link[v]
        descended = False
        while p < end:
            w = nbr[p]
            lk = lid[p]
            p += 1
            if disc[w] == -1:
                disc[w] = low[w] = time
                time += 1
                parent_link[w] = lk
                order.append(w)
                if deg[w] == 1:
                    # leaf: its subtree is itself, its line a bridge, v cuts it off
                    size[v] += 1
                    bridge_l.append(lk)
                    bridge_c.append(w)
                    if v != root:
                        cut_children.setdefault(v, []).append(w)
                    continue
                stack.append(w)
                descended = True
                break
            if lk != up and disc[w] < low_v:
                low_v = disc[w]
        ptr[v] = p
        low[v] = low_v
        if descended:
            continue
        stack.pop()
        if not stack:
            break
        u = stack[-1]
        size[u] += size[v]
        if low_v < low[u]:
            low[u] = low_v
        if low_v > disc[u]:
            bridge_l.append(parent_link[v])
            bridge_c.append(v)
        # the root is the reference, not a candidate: its loss is the target's own loss
        if u != root and low_v >= disc[u]:
            cut_children.setdefault(u, []).append(v)
    cut_nodes = np.array(sorted(cut_children, key=lambda x: disc[x]), dtype=np.int64)
    return _DFS(
        order=np.array(order, dtype=np.int64),
        disc=np.array(disc, dtype=np.int64),
        size=np.array(size, dtype=np.int64),
        bridge_links=np.array(bridge_l, dtype=np.int64),
        bridge_child=np.array(bridge_c, dtype=np.int64),
        cut_nodes=cut_nodes,
        cut_children=[cut_children[int(u)] for u in cut_nodes],
    )


# --------------------------------------------------------------------------- survivability


def bridge_cut_offs(topology: Topology) -> dict[int, np.ndarray]:
    """Per link position whose loss alone cuts nodes off the root: those nodes' positions.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> cut = bridge_cut_offs(build_topology(tiny_scenario()))
    >>> # the single lines of 6 villages and 5 single-homed departments, each cutting off 1 node
    >>> len(cut), {len(v) for v in cut.values()}
    (11, {1})
    """
    root = topology.nodes.index.get_loc(topology.root)
    d = _dfs(topology, int(root))
    return {int(pos): d.order[d.disc[c]:d.disc[c] + d.size[c]]
            for pos, c in zip(d.bridge_links, d.bridge_child, strict=True)}


@dataclass(frozen=True)
class SurvivabilityResult:
    """What one carrier failure, one link failure or one node failure cuts off.

    Attributes
    ----------
    carrier_failures : pandas.DataFrame
        Per failed carrier and tier: ``nodes`` in the tier and, per target ``t``, ``lost_t``, the
        nodes that reached ``t`` before and do not after; ``lost_any`` counts nodes losing at
        least one target. The failed carrier's own POPs are not counted.
    bridges : pandas.DataFrame
        Links whose failure alone cuts nodes off the root: ``link_id``, ends, ``kind``,
        ``tier``, ``carrier``, ``nodes_cut_off`` (nodes on the far side), ``cuts_off`` (target
        kinds on the far side, which every other node then loses) and the site counts
        described below; sorted like ``articulation_points``.
    articulation_points : pandas.DataFrame
        Nodes whose failure alone splits the network (single points of failure): ``node_id``,
        ``kind``, ``tier``; per target ``t``, ``sites_cut_off_t``, the sites that reached ``t``
        before and do not after; ``sites_cut_off_any``, the sites losing at least one target;
        and ``nodes_cut_off``, the nodes no longer connected to the root. Sorted by
        ``sites_cut_off_any``, then ``nodes_cut_off`` (largest first): what a planner loses,
        not what the root loses (a city core whose failure strands the cloud node and the
        exchange platform cuts only those two off the root, but every site off them). The root
        itself is not listed: its loss is the loss of the target.
    targets : tuple of str
    root : str
    sites : tuple of str
        Node kinds counted as sites (``()`` when every node counts, on graphs without any).
    """

    carrier_failures: pd.DataFrame
    bridges: pd.DataFrame
    articulation_points: pd.DataFrame
    targets: tuple[str, ...]
    root: str
    sites: tuple[str, ...]
    _topology: Topology = field(repr=False)
    _dfs: _DFS = field(repr=False)
    _carrier_lost: dict[str, np.ndarray] = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """Per tier: nodes, nodes cut off by each carrier's failure, bridges and SPOFs.

        Column ``lost_<carrier>`` counts nodes of the tier that lose at least one target when
        that carrier fails; ``bridges`` counts single links whose failure cuts off nodes of the
        tier (by the tier of the link's lower end); ``spofs`` counts articulation points in the
        tier; ``nodes_behind_spofs`` the nodes they cut off the root (summed);
        ``max_sites_cut_off_by_spof`` the most sites one of them cuts off from any target.
        """
        nodes = self._topology.nodes
        out = nodes.groupby("tier", sort=False).size().rename("nodes").to_frame()
        for carrier in self._carrier_lost:
            sub = self.carrier_failures[self.carrier_failures["carrier"] == carrier]
            out[f"lost_{carrier}"] = sub.set_index("tier")["lost_any"].reindex(out.index).fillna(0)
        out["bridges"] = self.bridges.groupby("tier").size().reindex(out.index).fillna(0)
        ap = self.articulation_points
        out["spofs"] = ap.groupby("tier").size().reindex(out.index).fillna(0)
        out["nodes_behind_spofs"] = ap.groupby("tier")["nodes_cut_off"].sum().reindex(
            out.index).fillna(0)
        out["max_sites_cut_off_by_spof"] = ap.groupby("tier")["sites_cut_off_any"].max().reindex(
            out.index).fillna(0)
        out = _tier_sorted(out.astype("int64").reset_index())
        out.attrs["unit"] = "nodes"
        return out.reset_index(drop=True)

    def tiers_hit_by(self, carrier: str) -> list[str]:
        """Tiers with at least one node losing a target when ``carrier`` fails."""
        sub = self.carrier_failures[(self.carrier_failures["carrier"] == carrier)
                                    & (self.carrier_failures["lost_any"] > 0)]
        return [t for t in TIER_ORDER if t in set(sub["tier"])]

    def affected_by_carrier(self, carrier: str) -> pd.Index:
        """Node ids that lose at least one target when ``carrier`` fails."""
        if carrier not in self._carrier_lost:
            raise KeyError(f"no carrier {carrier!r}; known: {', '.join(self._carrier_lost)}")
        return self._topology.nodes.index[self._carrier_lost[carrier]]

    def _subtree(self, child: int) -> np.ndarray:
        d = self._dfs
        start = d.disc[child]
        return d.order[start:start + d.size[child]]

    def affected_by_link(self, link_id: int) -> pd.Index:
        """Node ids cut off from the root when link ``link_id`` fails (empty if not a bridge)."""
        pos = self._topology.links.index.get_loc(link_id)
        hit = np.flatnonzero(self._dfs.bridge_links == pos)
        if not len(hit):
            return pd.Index([], name="node_id")
        return self._topology.nodes.index[self._subtree(int(self._dfs.bridge_child[hit[0]]))]

    def affected_by_node(self, node_id: str) -> pd.Index:
        """Node ids cut off from the root when node ``node_id`` fails (empty if not a SPOF)."""
        pos = self._topology.nodes.index.get_loc(node_id)
        hit = np.flatnonzero(self._dfs.cut_nodes == pos)
        if not len(hit):
            return pd.Index([], name="node_id")
        parts = [self._subtree(ch) for ch in self._dfs.cut_children[hit[0]]]
        return self._topology.nodes.index[np.concatenate(parts)]

    def __str__(self) -> str:
        lines = [f"Survivability (root {self.root}):"]
        for carrier in self._carrier_lost:
            n = int(self._carrier_lost[carrier].sum())
            tiers = ", ".join(self.tiers_hit_by(carrier)) or "none"
            lines.append(f"  carrier {carrier} down: {n} nodes lose a target (tiers: {tiers})")
        lines.append(f"  single links whose loss cuts nodes off: {len(self.bridges)}")
        ap = self.articulation_points
        lines.append(f"  single points of failure (nodes): {len(ap)}")
        if len(ap):
            worst = ap.iloc[0]
            lost = ", ".join(f"{int(worst[f'sites_cut_off_{t}']):,} from the {t}"
                             for t in self.targets if worst[f"sites_cut_off_{t}"])
            lines.append(f"  worst: {worst['node_id']} cuts {int(worst['sites_cut_off_any']):,} "
                         f"sites off ({lost or 'none'})")
        return "\n".join(lines)


def _component_reach(topology: Topology, keep: np.ndarray,
                     sources: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per target kind, a boolean mask of nodes connected to it using only links in ``keep``."""
    # connectivity only: the cached adjacency with the dropped links' slots masked out (no
    # weights, no sort, parallel links kept), then a mark per component that holds a target
    c = topology.csr()
    slot_keep = keep[c.link]
    kept_before = np.zeros(len(slot_keep) + 1, dtype=np.int64)
    np.cumsum(slot_keep, out=kept_before[1:])
    n = topology.n_nodes
    graph = sp.csr_array((np.ones(int(kept_before[-1])), c.indices[slot_keep],
                          kept_before[c.indptr]), shape=(n, n))
    n_comp, labels = connected_components(graph, directed=False)
    out = {}
    for t, pos in sources.items():
        hit = np.zeros(n_comp, dtype=bool)
        hit[labels[pos]] = True
        out[t] = hit[labels]
    return out


def _cut_parts(dfs: _DFS, kinds: np.ndarray, is_site: np.ndarray, targets: list[str],
               v_kind: np.ndarray | None, v_site: np.ndarray | None, owner: np.ndarray,
               children: np.ndarray, n_owners: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Sites cut off from each target kind when each owner's parts split from the rest.

    Owner ``i`` (a cut link or node) splits off the DFS subtrees of ``children[owner == i]``;
    a removed node (``v_kind``, ``v_site``: its kind and whether it is a site) leaves the
    network too. Every split subtree becomes its own component, and so does the rest of the
    root's component. A site is cut off from ``t`` when ``t`` is in the root's component but
    not in the part the site ends up in. Counted with prefix sums over the DFS order.

    Returns
    -------
    per_target : dict of str to numpy.ndarray
        Sites cut off from each target, per owner.
    any_target : numpy.ndarray
        Sites cut off from at least one target, per owner.
    """
    first = dfs.disc[children]
    last = first + dfs.size[children]

    def counts(mask: np.ndarray) -> tuple[np.ndarray, int]:
        seen = np.zeros(len(dfs.order) + 1, dtype=np.int64)
        np.cumsum(mask[dfs.order], out=seen[1:])
        return seen[last] - seen[first], int(seen[-1])

    def per_owner(x: np.ndarray) -> np.ndarray:
        return np.bincount(owner, weights=x, minlength=n_owners).astype(np.int64)

    part_sites, total_sites = counts(is_site)
    rest_sites = total_sites - per_owner(part_sites)
    if v_site is not None:
        rest_sites -= v_site
    part_lacks_any = np.zeros(len(children), dtype=bool)
    rest_lacks_any = np.zeros(n_owners, dtype=bool)
    per_target = {}
    for t in targets:
        part_t, total_t = counts(kinds == t)
        if total_t == 0:  # nobody in the root's component reached it: nobody loses it
            per_target[t] = np.zeros(n_owners, dtype=np.int64)
            continue
        rest_t = total_t - per_owner(part_t)
        if v_kind is not None:
            rest_t -= (v_kind == t)
        part_lacks, rest_lacks = part_t == 0, rest_t == 0
        per_target[t] = per_owner(np.where(part_lacks, part_sites, 0)) + np.where(
            rest_lacks, rest_sites, 0)
        part_lacks_any |= part_lacks
        rest_lacks_any |= rest_lacks
    any_target = per_owner(np.where(part_lacks_any, part_sites, 0)) + np.where(
        rest_lacks_any, rest_sites, 0)
    return per_target, any_target


def _site_mask(topology: Topology, sites: tuple[str, ...] | None) -> tuple[np.ndarray,
                                                                           tuple[str, ...]]:
    kinds = topology.nodes["kind"].to_numpy()
    if sites is None:
        return np.ones(len(kinds), dtype=bool), ()
    mask = np.isin(kinds, list(sites))
    if not mask.any():  # an imported graph without departments or villages: every node counts
        return np.ones(len(kinds), dtype=bool), ()
    return mask, tuple(sites)


def survivability(topology: Topology, *, targets: tuple[str, ...] | None = None,
                  root: str | None = None,
                  carriers: list[str] | None = None,
                  sites: tuple[str, ...] | None = ("department", "village")
                  ) -> SurvivabilityResult:
    """Find what single carrier, link and node failures cut off.

    Parameters
    ----------
    topology : Topology
    targets : tuple of str, optional
        Target kinds checked under carrier failures (as in :func:`reachability`).
    root : str, optional
        Node that bridges and articulation points are measured from; default
        ``topology.root``.
    carriers : list of str, optional
        Carriers to fail one at a time; default every carrier of the topology.
    sites : tuple of str, optional
        Node kinds whose losses rank the single points of failure and bridges: default
        departments and village offices (the users of the cloud, the platform and the province).
        ``None``, or a topology with none of these kinds (an imported graph), counts every node.

    Returns
    -------
    SurvivabilityResult

    Notes
    -----
    A carrier failure takes out every link of that carrier at once (the carrier's outage). Bridges
    and articulation points come from one depth-first search of the root's component (Tarjan's
    lowpoints over link ids, so parallel links of two carriers are not bridges). A failure
    splits the component into the cut-off DFS subtrees and the rest; a site is cut off from a
    target kind when its part holds no node of that kind (``sites_cut_off_<t>``), and a node is
    cut off the root when it is not in the root's part (``nodes_cut_off``). Both tables are
    ranked by ``sites_cut_off_any``: the city core, whose loss strands the cloud node and the
    exchange platform, comes first although only those two nodes lose the root.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> s = survivability(build_topology(tiny_scenario()))
    >>> s.tiers_hit_by("电信")
    ['county', 'town', 'village']
    >>> worst = s.articulation_points.iloc[0]  # the city core: all 13 sites lose the cloud
    >>> worst["node_id"], int(worst["sites_cut_off_cloud"]), int(worst["nodes_cut_off"])
    ('测试省/甲市', 13, 2)
    """
    targets = tuple(targets) if targets is not None else _default_targets(topology)
    sources = _target_positions(topology, targets)
    root = root if root is not None else topology.root
    if root is None:
        raise ValueError("the topology has no root; pass root=<node id>")
    topology.require([root])
    nodes = topology.nodes
    links = topology.links
    carrier_list = carriers if carriers is not None else topology.carriers
    link_carrier = links["carrier"].to_numpy()
    base = _component_reach(topology, np.ones(len(links), bool), sources)

    # a carrier's own POPs (every link of theirs is that carrier's) fail with it
    c = topology.csr()
    pops = np.flatnonzero(nodes["kind"].to_numpy() == "pop")
    rows, frames, lost_masks = [], [], {}
    tiers = nodes["tier"].to_numpy()
    for carrier in carrier_list:
        keep = link_carrier != carrier
        after = _component_reach(topology, keep, sources)
        own = np.zeros(len(nodes), bool)
        for p in pops:
            slots = c.link[c.indptr[p]:c.indptr[p + 1]]
            if len(slots) and (link_carrier[slots] == carrier).all():
                own[p] = True
        lost_any = np.zeros(len(nodes), bool)
        lost = {}
        for t in sources:
            lost[t] = base[t] & ~after[t] & ~own
            lost_any |= lost[t]
        lost_masks[carrier] = lost_any
        df = pd.DataFrame({"tier": tiers, "lost_any": lost_any,
                           **{f"lost_{t}": m for t, m in lost.items()}})
        g = df.groupby("tier", sort=False)
        f = g.sum().astype("int64")
        f.insert(0, "nodes", g.size())
        f.insert(0, "carrier", carrier)
        frames.append(f.reset_index())
        rows.append(carrier)
    carrier_failures = (_tier_sorted(pd.concat(frames, ignore_index=True))
                        if frames else pd.DataFrame(columns=["carrier", "tier", "nodes"]))
    carrier_failures = carrier_failures.sort_values("carrier", key=lambda s: s.map(
        {c: i for i, c in enumerate(rows)}), kind="stable").reset_index(drop=True)
    carrier_failures.attrs["unit"] = "nodes"

    dfs = _dfs(topology, nodes.index.get_loc(root))
    kinds = nodes["kind"].to_numpy()
    bl = links.iloc[dfs.bridge_links]
    # target kinds in each bridge's far subtree (a slice of the DFS order), by prefix counts
    target_kinds = sorted(set(sources))
    order_kinds = kinds[dfs.order]
    first = dfs.disc[dfs.bridge_child]
    last = first + dfs.size[dfs.bridge_child]
    code = np.zeros(len(first), dtype=np.int64)
    for bit, t in enumerate(target_kinds):
        seen = np.zeros(len(order_kinds) + 1, dtype=np.int64)
        np.cumsum(order_kinds == t, out=seen[1:])
        code |= (seen[last] > seen[first]).astype(np.int64) << bit
    label = [",".join(t for bit, t in enumerate(target_kinds) if m >> bit & 1)
             for m in range(1 << len(target_kinds))]
    cuts_off = [label[m] for m in code.tolist()]
    is_site, site_kinds = _site_mask(topology, sites)
    n_bridges = len(dfs.bridge_child)
    b_lost, b_any = _cut_parts(dfs, kinds, is_site, target_kinds, None, None,
                               np.arange(n_bridges), dfs.bridge_child, n_bridges)
    bridges = pd.DataFrame({
        "link_id": bl.index.to_numpy(),
        "source": bl["source"].to_numpy(),
        "target": bl["target"].to_numpy(),
        "kind": bl["kind"].to_numpy(),
        "tier": bl["tier"].to_numpy(),
        "carrier": bl["carrier"].to_numpy(),
        **{f"sites_cut_off_{t}": b_lost[t] for t in sources},
        "sites_cut_off_any": b_any,
        "nodes_cut_off": dfs.size[dfs.bridge_child],
        "cuts_off": cuts_off,
    })
    bridges = _ranked(bridges)
    n_children = np.array([len(ch) for ch in dfs.cut_children], dtype=np.int64)
    children = np.fromiter(itertools.chain.from_iterable(dfs.cut_children), dtype=np.int64,
                           count=int(n_children.sum()))
    ap_cut = (np.add.reduceat(dfs.size[children], np.cumsum(n_children) - n_children)
              if len(n_children) else np.zeros(0, dtype=np.int64)).astype(np.int64)
    n_aps = len(dfs.cut_nodes)
    ap_lost, ap_any = _cut_parts(dfs, kinds, is_site, target_kinds, kinds[dfs.cut_nodes],
                                 is_site[dfs.cut_nodes].astype(np.int64),
                                 np.repeat(np.arange(n_aps), n_children), children, n_aps)
    articulation_points = _ranked(pd.DataFrame({
        "node_id": nodes.index[dfs.cut_nodes],
        "kind": kinds[dfs.cut_nodes],
        "tier": tiers[dfs.cut_nodes],
        **{f"sites_cut_off_{t}": ap_lost[t] for t in sources},
        "sites_cut_off_any": ap_any,
        "nodes_cut_off": ap_cut,
    }))
    return SurvivabilityResult(carrier_failures, bridges, articulation_points, tuple(sources),
                               root, site_kinds, topology, dfs, lost_masks)


def _ranked(df: pd.DataFrame) -> pd.DataFrame:
    """Largest loss first: sites cut off from any target, then nodes cut off the root."""
    out = df.sort_values(["sites_cut_off_any", "nodes_cut_off"], ascending=False,
                         kind="stable").reset_index(drop=True)
    out.attrs["unit"] = "nodes"
    return out


# --------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class TopologySummary:
    """Per-tier counts: nodes by kind, links, carriers, dual-homed share, uplink capacity."""

    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The per-tier table (a copy)."""
        return self.table.copy()

    def __str__(self) -> str:
        return self.table.to_string(index=False)


def summarize(topology: Topology) -> TopologySummary:
    """Count nodes, links and carriers per tier, and the share of dual-homed nodes.

    A node's upstream lines are the links with it as ``source`` (see
    :mod:`netplan.topology.build`). It is dual-homed when they use two or more carriers (or,
    for carrier-less data-centre links, when there are two or more of them).

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> s = summarize(build_topology(tiny_scenario())).to_frame()
    >>> row = s.set_index("tier").loc["village"]
    >>> int(row["nodes"]), int(row["links"]), float(row["dual_homed_pct"])
    (6, 6, 0.0)
    """
    nodes = topology.nodes
    links = topology.links
    up = links.assign(path=np.where(links["carrier"] == "", links.index.astype(str),
                                    links["carrier"]))
    homing = up.groupby("source")["path"].nunique().reindex(nodes.index).fillna(0)
    per_node = nodes[["tier", "kind"]].assign(homing=homing.to_numpy())
    g = per_node.groupby("tier", sort=False)
    out = g.size().rename("nodes").to_frame()
    out["divisions"] = g["kind"].apply(lambda k: int(k.isin(
        ["national", "province", "city", "county", "town", "village"]).sum()))
    out["departments"] = g["kind"].apply(lambda k: int((k == "department").sum()))
    lg = links.groupby("tier", sort=False)
    out["links"] = lg.size().reindex(out.index).fillna(0).astype("int64")
    out["carriers"] = lg["carrier"].apply(lambda c: len(set(c) - {""})).reindex(
        out.index).fillna(0).astype("int64")
    homed = per_node[per_node["homing"] > 0].groupby("tier")["homing"]
    out["dual_homed_pct"] = (homed.apply(lambda h: float((h >= 2).mean() * 100))
                             .reindex(out.index).fillna(0.0).round(2))
    uplinks = links[links["kind"] == "uplink"].groupby("tier")["capacity_mbps"]
    out["uplink_mbps"] = uplinks.min().reindex(out.index).astype("Int64")
    out = _tier_sorted(out.reset_index()).reset_index(drop=True)
    out.attrs["unit"] = {"uplink_mbps": "Mbps", "dual_homed_pct": "%"}
    return TopologySummary(out)
