"""Routing over the extranet: links bundled into trunks, least-latency routes over those up.

One routing rule for the simulator (:mod:`netplan.simulation`), the capacity planner
(:mod:`netplan.capacity`) and the survivability analysis (a site is cut off exactly when it has
no route).

A *trunk* is every line between the same two nodes (the parallel lines of one node pair, e.g.
a cloud node's two links to the core, or a town's uplinks when two carriers end at the same
county node). Its capacity is the sum of its lines that are up and its latency the smallest of
theirs: traffic is spread over parallel lines (link aggregation / per-flow hashing), so the
simulator sees one pipe. Lines of different carriers that go to different points of presence
are different trunks and different routes.

Lines are **full duplex**: a trunk is two directed resources (*arcs*), each with the trunk's
full capacity — arc ``2 t`` carries trunk ``t`` from its ``source`` end to its ``target`` end
(links are written from the outer end toward the core: a site's upload), arc ``2 t + 1`` the
other way. A flow loads only the arcs of the direction its data travels, so uploads and
downloads on one line do not share capacity.

Routes follow least latency. When several routes tie (one per carrier, typically), each flow
picks one of them at random (per-flow ECMP), so the carriers share the load. When lines fail,
the routes are recomputed over what is left: the survivability analysis's failure model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra

from netplan.topology.topology import Topology

__all__ = ["Trunks", "Router", "RouteDag", "ROUTE_KINDS", "MAX_ROUTES", "reverse_path",
           "arc_trunks"]

#: The node kinds each destination of traffic reaches (the nearest node of that kind).
ROUTE_KINDS = {"cloud": ("cloud",), "platform": ("platform",), "province": ("province",),
               "internet": ("egress",)}
#: At most this many equal-latency routes are kept per (source, destination).
MAX_ROUTES = 16


@dataclass(frozen=True)
class Trunks:
    """The trunks of a topology: node pairs and the link positions bundled into each.

    Attributes
    ----------
    u, v : numpy.ndarray
        Node positions of each trunk's ends (``u`` the lower end, the links' ``source``).
    link_trunk : numpy.ndarray
        Trunk of each link position.
    link_capacity_mbps, link_latency_ms : numpy.ndarray
        Per link position.
    link_carrier : numpy.ndarray
        Carrier of each link (``""`` for none).
    """

    u: np.ndarray
    v: np.ndarray
    link_trunk: np.ndarray
    link_capacity_mbps: np.ndarray
    link_latency_ms: np.ndarray
    link_carrier: np.ndarray
    topology: Topology = field(repr=False)

    @classmethod
    def of(cls, topology: Topology) -> Trunks:
        """Bundle a topology's links by node pair.

        Examples
        --------
        >>> from netplan.examples import tiny_scenario
        >>> from netplan.topology import build_topology
        >>> topo = build_topology(tiny_scenario())
        >>> tr = Trunks.of(topo)
        >>> # bundled: the cloud node's 2 lines, the platform's 2, each of 3 towns' 2 uplinks
        >>> topo.n_links, tr.n_trunks
        (35, 30)
        """
        c = topology.csr()
        a, b = np.minimum(c.source, c.target), np.maximum(c.source, c.target)
        pairs = a.astype(np.int64) * topology.n_nodes + b
        _, first, link_trunk = np.unique(pairs, return_index=True, return_inverse=True)
        cap = topology.links["capacity_mbps"].to_numpy(dtype=float, na_value=0.0)
        lat = topology.links["latency_ms"].to_numpy(dtype=float, na_value=0.0)
        return cls(u=c.source[first], v=c.target[first], link_trunk=link_trunk.astype(np.int64),
                   link_capacity_mbps=cap, link_latency_ms=lat,
                   link_carrier=topology.links["carrier"].to_numpy(dtype=str),
                   topology=topology)

    @property
    def n_trunks(self) -> int:
        """Number of trunks."""
        return len(self.u)

    def capacity_mbps(self, link_up: np.ndarray) -> np.ndarray:
        """Capacity of each trunk: the sum of its lines that are up."""
        return np.bincount(self.link_trunk, weights=self.link_capacity_mbps * link_up,
                           minlength=self.n_trunks)

    @property
    def n_arcs(self) -> int:
        """Number of directed resources: two per trunk (full duplex)."""
        return 2 * len(self.u)

    def arc_capacity_mbps(self, link_up: np.ndarray) -> np.ndarray:
        """Capacity of each arc: its trunk's capacity, in each direction (full duplex)."""
        return np.repeat(self.capacity_mbps(link_up), 2)

    def latency_ms(self, link_up: np.ndarray) -> np.ndarray:
        """Latency of each trunk: the least of its lines that are up (inf when none is)."""
        lat = np.full(self.n_trunks, np.inf)
        np.minimum.at(lat, self.link_trunk[link_up], self.link_latency_ms[link_up])
        return lat

    def to_frame(self) -> pd.DataFrame:
        """One row per trunk: ends, kind, tier, carriers, capacity and latency (all lines up)."""
        t = self.topology
        ids = t.nodes.index.to_numpy()
        links = t.links
        first = pd.Series(np.arange(len(self.link_trunk))).groupby(self.link_trunk).first()
        up = np.ones(len(self.link_trunk), dtype=bool)
        order = {c: i for i, c in enumerate(t.carriers)}
        carriers = pd.Series(self.link_carrier).groupby(self.link_trunk).agg(
            lambda s: "+".join(sorted((x for x in set(s) if x), key=order.get)))
        return pd.DataFrame({
            "source": ids[self.u], "target": ids[self.v],
            "kind": links["kind"].to_numpy()[first.to_numpy()],
            "tier": links["tier"].to_numpy()[first.to_numpy()],
            "carriers": carriers.to_numpy(),
            "lines": np.bincount(self.link_trunk, minlength=self.n_trunks),
            "capacity_mbps": self.capacity_mbps(up), "latency_ms": self.latency_ms(up),
        }, index=pd.RangeIndex(self.n_trunks, name="trunk"))


@dataclass(frozen=True)
class RouteDag:
    """Every least-latency route toward one destination, as a DAG of arcs with traffic shares.

    Traffic at node ``tail[i]`` leaves on arc ``arc[i]`` (to ``head[i]``) with share
    ``share[i]``: the fraction of the equal-latency routes from ``tail[i]`` that start with that
    arc. Per-flow ECMP picks one route at random, so this is the expected split, the same
    one the simulator draws from (up to :data:`MAX_ROUTES` routes per source).

    Attributes
    ----------
    tail, head, arc, share : numpy.ndarray
        One entry per DAG arc, sorted by the tail's distance, farthest first.
    distance_ms : numpy.ndarray
        Per node, the latency to the destination (inf: no route, cut off).
    """

    tail: np.ndarray
    head: np.ndarray
    arc: np.ndarray
    share: np.ndarray
    distance_ms: np.ndarray
    depth: int
    n_arcs: int
    sigma: np.ndarray = field(repr=False, default=None)

    @cached_property
    def _matrices(self):
        n = len(self.distance_ms)
        k = len(self.tail)
        rows = np.arange(k)
        pick = csr_array((self.share, (rows, self.tail)), shape=(k, n))
        head = csr_array((np.ones(k), (self.head, rows)), shape=(n, k))
        to_arc = csr_array((np.ones(k), (self.arc, rows)), shape=(self.n_arcs, k))
        return pick, head, to_arc

    def carry(self, sources: np.ndarray) -> np.ndarray:
        """Per arc, the traffic of ``sources`` (per node, one column or several) on its routes.

        Traffic of a node with no route is dropped; traffic at the destination stops there.

        Examples
        --------
        >>> from netplan.examples import tiny_scenario
        >>> from netplan.topology import build_topology
        >>> topo = build_topology(tiny_scenario())
        >>> tr = Trunks.of(topo)
        >>> dag = Router(tr, np.ones(topo.n_links, dtype=bool)).dag("cloud")
        >>> s = np.zeros(topo.n_nodes)
        >>> s[topo.nodes.index.get_loc("测试省/甲市/A县/A镇1/村001")] = 1.0
        >>> loads = dag.carry(s)
        >>> # one unit reaches the cloud: on its last arc, whatever the routes in between
        >>> cloud = topo.nodes.index.get_loc(topo.nodes_of_kind("cloud")[0])
        >>> float(loads[dag.arc[dag.head == cloud]].sum())
        1.0
        """
        sources = np.asarray(sources, dtype=float)
        flat = sources.ndim == 1
        at = sources.reshape(len(sources), -1).copy()
        at[~np.isfinite(self.distance_ms)] = 0.0
        pick, head, to_arc = self._matrices
        total = np.zeros((len(self.tail), at.shape[1]))
        for _ in range(self.depth):
            flow = pick @ at
            if not flow.any():
                break
            total += flow
            at = head @ flow
        out = to_arc @ total
        return out[:, 0] if flat else out


class Router:
    """Least-latency routes from any node to each destination, over the trunks that are up.

    A route is a tuple of arcs (directed trunks, see the module) from the source toward the
    destination; :func:`reverse_path` is the same route travelled back (a response).

    Parameters
    ----------
    trunks : Trunks
    link_up : numpy.ndarray of bool
        Which link positions are up.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> topo = build_topology(tiny_scenario())
    >>> tr = Trunks.of(topo)
    >>> r = Router(tr, np.ones(topo.n_links, dtype=bool))
    >>> village = topo.nodes.index.get_loc("测试省/甲市/A县/A镇1/村001")
    >>> routes = r.routes(village, "cloud")
    >>> len(routes), round(routes[0][1], 3)   # two carriers from the county to the core
    (2, 4.3)
    """

    def __init__(self, trunks: Trunks, link_up: np.ndarray):
        self.trunks = trunks
        self.link_up = np.asarray(link_up, dtype=bool)
        n = trunks.topology.n_nodes
        self.weight_ms = trunks.latency_ms(self.link_up)
        alive = np.isfinite(self.weight_ms)
        w = np.maximum(self.weight_ms[alive], 1e-9)
        u, v = trunks.u[alive], trunks.v[alive]
        self._graph = csr_array((np.concatenate([w, w]), (np.concatenate([u, v]),
                                                          np.concatenate([v, u]))), shape=(n, n))
        # adjacency over live trunks: node -> (neighbour, trunk, weight)
        tid = np.flatnonzero(alive)
        heads = np.concatenate([u, v])
        order = np.argsort(heads, kind="stable")
        self._nbr = np.concatenate([v, u])[order]
        self._tr = np.concatenate([2 * tid, 2 * tid + 1])[order]  # arcs head -> neighbour
        self._w = np.concatenate([w, w])[order]
        self._ptr = np.searchsorted(heads[order], np.arange(n + 1))
        kinds = trunks.topology.nodes["kind"].to_numpy()
        self._dest = {key: np.flatnonzero(np.isin(kinds, list(k)))
                      for key, k in ROUTE_KINDS.items()}
        self._dist: dict[str, np.ndarray] = {}
        self._cache: dict[tuple[int, str], list[tuple[tuple[int, ...], float]]] = {}

    def distance_ms(self, destination: str) -> np.ndarray:
        """One-way latency of every node to the nearest node of ``destination`` (inf: cut off)."""
        if destination not in self._dist:
            targets = self._dest[destination]
            if len(targets) == 0:
                d = np.full(self.trunks.topology.n_nodes, np.inf)
            else:
                d = dijkstra(self._graph, directed=False, indices=targets, min_only=True)
            self._dist[destination] = d
        return self._dist[destination]

    def distance_to_ms(self, targets: np.ndarray) -> np.ndarray:
        """One-way latency of every node to the nearest of node positions ``targets``."""
        targets = np.asarray(targets, dtype=np.int64)
        if len(targets) == 0:
            return np.full(self.trunks.topology.n_nodes, np.inf)
        return dijkstra(self._graph, directed=False, indices=targets, min_only=True)

    def dag(self, destination: str | np.ndarray) -> RouteDag:
        """The least-latency routes of every node toward ``destination``, as a DAG.

        Parameters
        ----------
        destination : str or numpy.ndarray
            A key of :data:`ROUTE_KINDS` (the nearest node of that kind), or node positions.

        Returns
        -------
        RouteDag
            The same next hops (within the same latency tolerance) as :meth:`routes`.
        """
        if isinstance(destination, str):
            d = self.distance_ms(destination)
        else:
            d = self.distance_to_ms(destination)
        u, v = self.trunks.u, self.trunks.v
        w = np.maximum(self.weight_ms, 1e-9)
        alive = np.isfinite(self.weight_ms)
        tails, heads, arcs = [], [], []
        for a_end, b_end, offset in ((u, v, 0), (v, u, 1)):
            da, db = d[a_end], d[b_end]
            # a next hop is strictly nearer: with zero-latency lines (weight 1e-9) the
            # tolerance alone would also admit arcs back, and traffic would go round
            ok = alive & np.isfinite(da) & np.isfinite(db) & (da > 1e-12) & (db < da)
            with np.errstate(invalid="ignore"):
                ok &= np.abs(da - db - w) <= 1e-9 * np.maximum(1.0, da)
            t = np.flatnonzero(ok)
            tails.append(a_end[t])
            heads.append(b_end[t])
            arcs.append(2 * t + offset)
        tail, head, arc = (np.concatenate(x) for x in (tails, heads, arcs))
        # routes per node: sigma(destination) = 1, sigma(x) = sum over next hops; farthest first
        order = np.argsort(-d[tail], kind="stable")
        tail, head, arc = tail[order], head[order], arc[order]
        n = len(d)
        base = np.where(d <= 1e-12, 1.0, 0.0)
        sigma = base
        depth = 0
        if len(tail):
            # nodes by increasing distance: sigma settles level by level
            for _ in range(n):
                new = base + np.bincount(tail, weights=sigma[head], minlength=n)
                depth += 1
                if np.array_equal(new, sigma):
                    break
                sigma = new
        share = sigma[head] / np.where(sigma[tail] > 0, sigma[tail], 1.0)
        return RouteDag(tail=tail, head=head, arc=arc, share=share, distance_ms=d,
                        depth=depth + 1, n_arcs=self.trunks.n_arcs, sigma=sigma)

    def routes(self, source: int, destination: str) -> list[tuple[tuple[int, ...], float]]:
        """The equal-latency routes ``(arcs, latency_ms)`` from node position ``source``.

        Empty when the destination cannot be reached; at most :data:`MAX_ROUTES`.
        """
        key = (source, destination)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        d = self.distance_ms(destination)
        out: list[tuple[tuple[int, ...], float]] = []
        if np.isfinite(d[source]):
            tol = 1e-9 * max(1.0, d[source])
            stack = [(source, ())]
            while stack and len(out) < MAX_ROUTES:
                node, path = stack.pop()
                if d[node] <= 1e-12:
                    out.append((path, float(d[source])))
                    continue
                lo, hi = self._ptr[node], self._ptr[node + 1]
                for j in range(hi - 1, lo - 1, -1):
                    nb = self._nbr[j]
                    if d[nb] < d[node] and abs(d[node] - d[nb] - self._w[j]) <= tol:
                        stack.append((nb, (*path, int(self._tr[j]))))
        self._cache[key] = out
        return out


def reverse_path(path: tuple[int, ...]) -> tuple[int, ...]:
    """The arcs of ``path`` travelled the other way (a response back to the requester).

    Examples
    --------
    >>> reverse_path((0, 5, 6))   # trunk 0 forward, trunk 2 backward, trunk 3 forward
    (7, 4, 1)
    """
    return tuple(a ^ 1 for a in reversed(path))


def arc_trunks(path: tuple[int, ...]) -> tuple[int, ...]:
    """The trunks an arc path crosses.

    Examples
    --------
    >>> arc_trunks((7, 4, 1))
    (3, 2, 0)
    """
    return tuple(a >> 1 for a in path)
