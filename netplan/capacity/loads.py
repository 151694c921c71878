"""Busy-hour load on every link of the extranet, per year, in normal operation and in failures.

The demand is the simulator's (:func:`netplan.simulation.traffic.traffic_streams`: bulk traffic
of departments and village offices to the cloud, the platform, the province and the internet,
the systems on the cloud, platform synchronisation jobs, request responses) plus the dedicated
networks (业务专网) folded into the extranet from their year on; each stream's mean rate is
routed by the one routing rule of :mod:`netplan.topology.routing` (least latency, equal routes
shared), so the planner, the simulator and the survivability analysis see the same routes.

Loads are sums over the route DAG toward each destination: one sparse aggregation per
destination and failure state (:meth:`~netplan.topology.routing.RouteDag.carry`), with every
year and both directions as columns of one matrix. Lines are full duplex: a trunk's load is the
larger of its two directions.

Failure states: ``normal``; ``carrier:NAME`` for each carrier with a line (all its lines down);
``link:ID`` for each line whose loss changes anything — a line with a parallel line of the same
latency only takes its capacity away (the routes stay), a line that carries nothing is skipped,
and every other line's loss is routed again in full.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netplan.errors import Issue, ScenarioError
from netplan.model.capacity import DedicatedNetwork
from netplan.model.scenario import Scenario
from netplan.topology import Topology
from netplan.topology.routing import ROUTE_KINDS, Router, Trunks

__all__ = ["FailureState", "LinkLoads", "link_loads", "failure_states", "resolve_site",
           "DESTINATION_KEYS"]

#: Destinations of the extranet's own traffic (see ``netplan.topology.routing.ROUTE_KINDS``).
DESTINATION_KEYS = ("cloud", "platform", "province", "internet")


@dataclass(frozen=True)
class FailureState:
    """One state of the network: which lines are up.

    Attributes
    ----------
    name : str
        ``normal``, ``carrier:电信`` or ``link:12`` (a link id).
    kind : str
        ``normal``, ``carrier`` or ``link``.
    mask : numpy.ndarray of bool, optional
        Per link position, which lines are up (normal and carrier states); a single-line state
        keeps only ``down`` and ``n_links`` and makes its mask when asked (:attr:`link_up`),
        so that a province's tens of thousands of line states take no memory.
    label : str
        For people: ``电信 down``, ``广东省/梅州市/兴宁市 -- 广东省/梅州市#移动 (移动) down``.
    down : int
        The link position down (single-line states; -1 otherwise).
    n_links : int
        Links of the topology (single-line states).
    """

    name: str
    kind: str
    mask: np.ndarray | None = field(default=None, repr=False)
    label: str = ""
    down: int = -1
    n_links: int = 0

    @property
    def link_up(self) -> np.ndarray:
        """Per link position, True when the line is up."""
        if self.mask is not None:
            return self.mask
        up = np.ones(self.n_links, dtype=bool)
        up[self.down] = False
        return up


def failure_states(topology: Topology, *, carriers: bool = True,
                   links: bool = False) -> list[FailureState]:
    """Normal operation, each carrier with a line down, and (``links=True``) each line down.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> [s.name for s in failure_states(build_topology(tiny_scenario()))]
    ['normal', 'carrier:电信', 'carrier:联通']
    """
    n = topology.n_links
    up = np.ones(n, dtype=bool)
    out = [FailureState("normal", "normal", up, "normal operation")]
    carrier_of = topology.links["carrier"].to_numpy(dtype=str)
    if carriers:
        for c in topology.carriers:
            out.append(FailureState(f"carrier:{c}", "carrier", carrier_of != c, f"{c} down"))
    if links:
        src = topology.links["source"].to_numpy(dtype=str)
        dst = topology.links["target"].to_numpy(dtype=str)
        for pos, lid in enumerate(topology.links.index):
            who = f" ({carrier_of[pos]})" if carrier_of[pos] else ""
            out.append(FailureState(f"link:{lid}", "link", None,
                                    f"{src[pos]} -- {dst[pos]}{who} down", down=pos, n_links=n))
    return out


def resolve_site(topology: Topology, text: str, *, path: str, kinds: tuple[str, ...] = ()) -> int:
    """The node position named by ``text``: a node id, a name, or a name with its division.

    Raises
    ------
    ScenarioError
        Naming ``path`` when no node or several nodes match.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> t = build_topology(tiny_scenario())
    >>> t.nodes.index[resolve_site(t, "A镇1", path="x")]
    '测试省/甲市/A县/A镇1'
    """
    nodes = topology.nodes
    ids = nodes.index
    if text in ids:
        return int(ids.get_loc(text))
    pool = nodes if not kinds else nodes[nodes["kind"].isin(kinds)]
    names = pool["name"].to_numpy(dtype=str)
    pid = pool.index.to_numpy(dtype=str)
    hit = np.flatnonzero(names == text)
    if len(hit) != 1 and ("/" in text or "#" in text):
        ends = np.char.endswith(pid.astype(str), "/" + text) | np.char.endswith(
            pid.astype(str), "#" + text.split("/")[-1]) & np.char.find(
            pid.astype(str), text.split("/")[0]) >= 0
        hit = np.flatnonzero(ends)
    if len(hit) == 1:
        return int(ids.get_loc(pid[hit[0]]))
    if len(hit) == 0:
        raise ScenarioError([Issue(path, f"{text!r} is no node of the extranet",
                                   "give a node id or a name, e.g. 市公安局 or 兴宁市/大坪镇")])
    raise ScenarioError([Issue(path, f"{text!r} names {len(hit)} nodes: "
                               + ", ".join(pid[hit[:4]]) + (" ..." if len(hit) > 4 else ""),
                               "add its division, e.g. 兴宁市/大坪镇, or give the node id")])


@dataclass(frozen=True)
class LinkLoads:
    """Busy-hour loads on every trunk, per failure state and year.

    A *trunk* is the lines between two nodes (:class:`~netplan.topology.routing.Trunks`);
    traffic is spread over its lines in proportion to their capacity, so a line's utilisation
    is its trunk's.

    Attributes
    ----------
    topology, trunks
        The network loaded.
    years : list of int
    states : list of FailureState
        Normal and carrier states, loaded in full (``loads``).
    loads_mbps : numpy.ndarray
        Shape (states, years, trunks, 2): Mbps toward the core (``source`` to ``target`` of its
        links) and away from it.
    link_states : list of FailureState
        Single-line failure states that change a load or a capacity; their loads differ from
        normal only on ``link_changes[i]`` (trunk positions → loads of shape (k, years, 2)).
    cut_off : dict of str to numpy.ndarray
        Per state name (normal, carriers, lines), node positions of the sites (departments,
        village offices) with no route to some destination.
    dedicated_mbps : numpy.ndarray
        Shape (years, trunks, 2): the share of the normal loads that the dedicated networks
        bring (the capacity impact of folding them in).
    skipped_links : int
        Lines whose loss changes nothing (no traffic on them, or a parallel line of the same
        latency takes over... the latter still counts as a capacity change and is kept).
    unrouted_mbps : dict of str to numpy.ndarray
        Per state name (normal, carriers, the single lines loaded or skipped as cutting sites
        off), per year: the demand (Mbps, uploads plus downloads) that no route carries — the
        traffic of sites cut off from a destination, and traffic toward a destination the
        network has no node of (``no_destination``). Routed plus unrouted is the whole demand:
        nothing is lost silently.
    no_destination : tuple of str
        Destinations with demand but no node of their kind (e.g. ``platform`` without an
        exchange platform); their traffic is in ``unrouted_mbps``, not in ``cut_off``.
    """

    topology: Topology = field(repr=False)
    trunks: Trunks = field(repr=False)
    years: list[int]
    states: list[FailureState]
    loads_mbps: np.ndarray = field(repr=False)
    link_states: list[FailureState] = field(default_factory=list, repr=False)
    link_changes: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list, repr=False)
    cut_off: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    dedicated_mbps: np.ndarray | None = field(default=None, repr=False)
    skipped_links: int = 0
    unrouted_mbps: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    no_destination: tuple[str, ...] = ()

    # ------------------------------------------------------------------ views

    def state(self, name: str) -> FailureState:
        """The state called ``name`` (``normal``, ``carrier:X``, ``link:ID``)."""
        for s in (*self.states, *self.link_states):
            if s.name == name:
                return s
        raise KeyError(f"no failure state {name!r}; known: "
                       + ", ".join(s.name for s in self.states) + ", link:ID")

    def capacity_mbps(self, state: FailureState) -> np.ndarray:
        """Per trunk, its capacity in ``state`` (lines up)."""
        return self.trunks.capacity_mbps(state.link_up)

    def state_loads(self, name: str) -> np.ndarray:
        """Loads of the state ``name``, shape (years, trunks, 2)."""
        for i, s in enumerate(self.states):
            if s.name == name:
                return self.loads_mbps[i]
        for s, (where, vals) in zip(self.link_states, self.link_changes, strict=True):
            if s.name == name:
                out = self.loads_mbps[0].copy()
                out[:, where, :] = vals.transpose(1, 0, 2)
                return out
        raise KeyError(f"no failure state {name!r}")

    def trunk_label(self, t: int) -> str:
        """``SOURCE -- TARGET`` of trunk position ``t`` (the ``where`` of its violations)."""
        ids = self.topology.nodes.index
        return f"{ids[self.trunks.u[t]]} -- {ids[self.trunks.v[t]]}"

    def trunk_frame(self) -> pd.DataFrame:
        """The trunks: ends, kind, tier, carriers, lines, capacity (all up)."""
        return self.trunks.to_frame()

    def to_frame(self, *, states: list[str] | None = None) -> pd.DataFrame:
        """One row per (state, year, trunk) for the normal and carrier states.

        Columns: ``state``, ``year``, ``source``, ``target``, ``kind``, ``tier``, ``carriers``,
        ``capacity_mbps`` (lines up in the state), ``up_mbps`` / ``down_mbps`` (toward / away
        from the core), ``load_mbps`` (the larger), ``utilisation_pct``, ``headroom_mbps``.
        """
        base = self.trunk_frame()
        frames = []
        for i, s in enumerate(self.states):
            if states is not None and s.name not in states:
                continue
            cap = self.capacity_mbps(s)
            for k, year in enumerate(self.years):
                ld = self.loads_mbps[i, k]
                frames.append(_rows(base, s.name, year, cap, ld))
        return pd.concat(frames, ignore_index=True)

    def worst_frame(self) -> pd.DataFrame:
        """Per trunk and year, the worst state (highest utilisation) over every state loaded.

        Single-line failures count too. Columns as :meth:`to_frame`, plus ``worst_state``.
        """
        util, state_of = self._worst()
        base = self.trunk_frame()
        frames = []
        for k, year in enumerate(self.years):
            frames.append(base.assign(year=year, worst_state=state_of[k],
                                      worst_utilisation_pct=util[k]))
        return pd.concat(frames, ignore_index=True)

    def _worst(self) -> tuple[np.ndarray, np.ndarray]:
        Y, T = len(self.years), self.trunks.n_trunks
        util = np.zeros((Y, T))
        name = np.full((Y, T), "normal", dtype=object)
        for i, s in enumerate(self.states):
            u = _util(self.loads_mbps[i].max(axis=2), self.capacity_mbps(s)[None, :])
            better = u > util
            util[better] = u[better]
            name[better] = s.name
        normal_cap = self.capacity_mbps(self.states[0])
        for s, (where, vals) in zip(self.link_states, self.link_changes, strict=True):
            cap = normal_cap[where].copy()
            cap_s = self.trunks.capacity_mbps(s.link_up)[where] if len(where) else cap
            u = _util(vals.max(axis=2).T, cap_s[None, :])
            sub = util[:, where]
            better = u > sub
            sub[better] = u[better]
            util[:, where] = sub
            nm = name[:, where]
            nm[better] = s.name
            name[:, where] = nm
        return util, name

    def dedicated_frame(self) -> pd.DataFrame:
        """Per year and trunk carrying dedicated-network traffic: its Mbps and share of the load."""
        if self.dedicated_mbps is None:
            return pd.DataFrame(columns=["year", "source", "target", "dedicated_mbps",
                                         "load_mbps", "dedicated_share_pct"])
        base = self.trunk_frame()
        frames = []
        for k, year in enumerate(self.years):
            ded = self.dedicated_mbps[k].max(axis=1)
            tot = self.loads_mbps[0, k].max(axis=1)
            keep = ded > 0
            frames.append(pd.DataFrame({
                "year": year, "source": base["source"].to_numpy()[keep],
                "target": base["target"].to_numpy()[keep], "kind": base["kind"].to_numpy()[keep],
                "tier": base["tier"].to_numpy()[keep], "dedicated_mbps": ded[keep],
                "load_mbps": tot[keep],
                "dedicated_share_pct": 100 * ded[keep] / np.maximum(tot[keep], 1e-12)}))
        return pd.concat(frames, ignore_index=True)

    def summary(self) -> list[str]:
        """A few lines: states loaded, the busiest trunk, cut-off sites."""
        lines = [f"Loads of {self.trunks.n_trunks:,} trunks in {len(self.states)} states "
                 f"(normal, {len(self.states) - 1} carrier down) and {len(self.link_states):,} "
                 f"single-line failures ({self.skipped_links:,} lines whose loss changes "
                 f"nothing skipped), years {', '.join(map(str, self.years))}."]
        util, state = self._worst()
        k = len(self.years) - 1
        j = int(np.argmax(util[k]))
        fr = self.trunk_frame().iloc[j]
        lines.append(f"Busiest in {self.years[k]}: {fr['source']} -- {fr['target']} at "
                     f"{util[k, j]:.0f}% ({state[k, j]}).")
        return lines

    def __str__(self) -> str:
        return "\n".join(self.summary())


def _util(load: np.ndarray, cap: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.where(cap > 0, 100.0 * load / np.where(cap > 0, cap, 1.0),
                     np.where(load > 1e-9, np.inf, 0.0))
    return u


def _rows(base: pd.DataFrame, state: str, year: int, cap: np.ndarray,
          ld: np.ndarray) -> pd.DataFrame:
    load = ld.max(axis=1)
    return pd.DataFrame({
        "state": state, "year": year, "source": base["source"].to_numpy(),
        "target": base["target"].to_numpy(), "kind": base["kind"].to_numpy(),
        "tier": base["tier"].to_numpy(), "carriers": base["carriers"].to_numpy(),
        "capacity_mbps": cap, "up_mbps": ld[:, 0], "down_mbps": ld[:, 1], "load_mbps": load,
        "utilisation_pct": _util(load, cap), "headroom_mbps": cap - load})


# --------------------------------------------------------------------------- computing


@dataclass(frozen=True)
class _Demand:
    """Per destination: node-by-column source matrices (years × up/down)."""

    keys: list  # destination key (str) or hub node position (int)
    matrices: list[np.ndarray]  # (n_nodes, years * 2 [+ dedicated years * 2])


def _demand(scenario: Scenario, topology: Topology, years: list[int], system_mbps,
            dedicated: list[DedicatedNetwork]) -> _Demand:
    """The demand matrices: the simulator's streams at their mean rates, per year.

    One call of ``traffic_streams`` at the base year: bulk traffic grows by the yearly factor,
    sync jobs and requests do not (as in the simulator); the systems on the cloud of each
    year are bulk traffic to the cloud, grown and split by ``demand.download_share``.
    """
    from netplan.simulation.traffic import traffic_streams

    n = topology.n_nodes
    Y = len(years)
    d = scenario.demand
    st = traffic_streams(scenario, topology, detail=False)
    mbps = (st["rate_per_s"] * st["mean_mbit"]).to_numpy(float)
    pos = st["source_pos"].to_numpy(np.int64)
    down = st["downstream"].to_numpy(bool).astype(np.int64)
    bulk = (st["klass"] == "bulk").to_numpy(bool)
    dest = st["destination"].to_numpy(dtype=str)
    growth = np.array([d.growth_factor(y, base_year=scenario.year) for y in years])
    per_key: dict = {}
    for key in DESTINATION_KEYS:
        m = np.zeros((n, 2 * Y))
        sel = dest == key
        for k in range(Y):
            w = np.where(bulk[sel], growth[k], 1.0) * mbps[sel]
            m[:, 2 * k] = np.bincount(pos[sel], weights=w * (down[sel] == 0), minlength=n)
            m[:, 2 * k + 1] = np.bincount(pos[sel], weights=w * (down[sel] == 1), minlength=n)
        per_key[key] = m
    ids = topology.nodes.index
    for k, year in enumerate(years):
        sys_y = system_mbps.get(year) if _by_year(system_mbps) else system_mbps
        if not sys_y:
            continue
        where = ids.get_indexer(list(sys_y))
        ok = where >= 0
        extra = np.bincount(where[ok], weights=np.fromiter(sys_y.values(), float)[ok],
                            minlength=n) * growth[k]
        per_key["cloud"][:, 2 * k] += extra * (1.0 - d.download_share)
        per_key["cloud"][:, 2 * k + 1] += extra * d.download_share
    keys: list = list(DESTINATION_KEYS)
    mats = [np.concatenate([per_key[k], np.zeros((n, 2 * Y))], axis=1) for k in keys]
    for i, net in enumerate(dedicated):
        hub = resolve_site(topology, net.department, kinds=("department",),
                           path=f"capacity.dedicated_networks[{i}].department")
        m = np.zeros((n, 4 * Y))
        for j, site in enumerate(net.sites):
            pos = resolve_site(topology, site, path=f"capacity.dedicated_networks[{i}].sites[{j}]")
            for k, year in enumerate(years):
                if year >= net.year:
                    m[pos, 2 * Y + 2 * k] += net.busy_hour_mbps * (1 - net.download_share)
                    m[pos, 2 * Y + 2 * k + 1] += net.busy_hour_mbps * net.download_share
        if hub in keys:
            mats[keys.index(hub)] += m
        else:
            keys.append(hub)
            mats.append(m)
    return _Demand(keys=keys, matrices=mats)


def _by_year(system_mbps) -> bool:
    return isinstance(system_mbps, Mapping) and bool(system_mbps) and all(
        isinstance(k, int) for k in system_mbps)


def _state_loads(trunks: Trunks, demand: _Demand, link_up: np.ndarray,
                 site_pos: np.ndarray, *, only: set[int] | None = None,
                 per_key: list | None = None, per_key_lost: list | None = None,
                 routed: dict | None = None,
                 lost: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Arc loads (n_arcs, columns) of one state, and the sites cut off from some destination.

    With ``only`` (destination indices), ``per_key`` (normal arc loads per destination) and
    ``per_key_lost`` (normal unrouted demand per destination), the other destinations keep
    their normal loads (their routes do not use what failed). ``routed``, when given, receives
    per destination index its DAG and carried arc flows (the normal state's, for the local
    re-routes of the single-line states); ``lost``, when given, receives per destination index
    the demand columns no route carries (cut-off sources, or no node of its kind).
    """
    router = Router(trunks, link_up)
    T = trunks.n_trunks
    total = np.zeros((2 * T, demand.matrices[0].shape[1] // 2))
    cut = np.zeros(len(site_pos), dtype=bool)
    for i, (key, mat) in enumerate(zip(demand.keys, demand.matrices, strict=True)):
        if isinstance(key, str) and len(router._dest[key]) == 0:
            if lost is not None:  # no node of that kind: all of it unrouted, counted
                lost.append(mat.sum(axis=0))
            continue
        if only is not None and i not in only:
            total += per_key[i]
            if lost is not None:
                lost.append(per_key_lost[i])
            continue
        dag = router.dag(key if isinstance(key, str) else np.array([key]))
        arcs = _carried(dag, mat, T)
        total += _directions(arcs, T)
        if routed is not None:
            routed[i] = (dag, arcs)
        if lost is not None:
            lost.append(mat[~np.isfinite(dag.distance_ms)].sum(axis=0))
        if isinstance(key, str):
            cut |= ~np.isfinite(dag.distance_ms[site_pos])
    return total, site_pos[cut]


def _per_year(lost: list, Y: int) -> np.ndarray:
    """Unrouted demand columns of every destination → Mbps per year (both directions)."""
    cols = np.sum(lost, axis=0) if lost else np.zeros(4 * Y)
    return cols.reshape(2, Y, 2).sum(axis=(0, 2))


def _carried(dag, mat: np.ndarray, T: int) -> np.ndarray:
    """Flow on each arc (2T, columns) of one destination's demand columns, as routed.

    Only the columns with traffic are carried (e.g. no dedicated network: half of them).
    """
    live = np.flatnonzero(mat.any(axis=0))
    arcs = np.zeros((2 * T, mat.shape[1]))
    if len(live):
        arcs[:, live] = dag.carry(mat[:, live])
    return arcs


def _directions(arcs: np.ndarray, T: int) -> np.ndarray:
    """Arc loads (2T, columns/2) from the arc flows of the up and down columns.

    Column 2k travels toward the destination (a site's upload), 2k+1 back (a download),
    whose flow computed on arc a belongs on a ^ 1.
    """
    down = arcs[:, 1::2].reshape(T, 2, -1)[:, ::-1, :].reshape(2 * T, -1)
    return arcs[:, 0::2] + down


def _year_loads(arcs: np.ndarray, T: int, Y: int) -> tuple[np.ndarray, np.ndarray]:
    """Arc loads (2T, 2Y) → loads (Y, T, 2) with the dedicated networks', and theirs alone."""
    per_trunk = arcs.reshape(T, 2, -1)  # (trunk, direction, own years + dedicated years)
    dedicated = per_trunk[..., Y:].transpose(2, 0, 1)
    return per_trunk[..., :Y].transpose(2, 0, 1) + dedicated, dedicated


def link_loads(scenario: Scenario, topology: Topology, *, years: list[int] | None = None,
               system_mbps: dict | None = None, single_links: bool = True,
               carriers: bool = True) -> LinkLoads:
    """Route the busy-hour demand and give every trunk its load per state and year.

    Parameters
    ----------
    scenario : Scenario
        ``demand`` (rates, shares, growth), ``capacity.dedicated_networks`` and
        ``capacity.years`` (default: the scenario year).
    topology : Topology
        The network, e.g. ``build_topology(scenario)`` or an upgraded one.
    years : list of int, optional
        Overrides ``capacity.years``.
    system_mbps : dict, optional
        Busy-hour Mbps of the systems on the cloud per site node id (all years), or a dict
        year → such a dict.
    single_links : bool
        Also load each single-line failure that changes something.
    carriers : bool
        Load each carrier-down state.

    Returns
    -------
    LinkLoads

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> s = tiny_scenario()
    >>> ll = link_loads(s, build_topology(s), single_links=False)
    >>> f = ll.to_frame(states=["normal"])
    >>> # every site's traffic to the province crosses the city's uplinks: 74 Mbps × 15 %
    >>> round(float(f[f["kind"] == "uplink"].query("tier == 'city'")["up_mbps"].sum()), 2)
    11.1
    """
    cap = scenario.capacity
    if years is None:
        years = list(cap.years) if cap.years else [scenario.year or 2020]
    trunks = Trunks.of(topology)
    demand = _demand(scenario, topology, years, system_mbps or {}, cap.dedicated_networks)
    kinds = topology.nodes["kind"].to_numpy()
    site_pos = np.flatnonzero(np.isin(kinds, ["department", "village"]))
    Y = len(years)
    states = failure_states(topology, carriers=carriers)
    loads = np.zeros((len(states), Y, trunks.n_trunks, 2))
    cut_off = {}
    unrouted: dict[str, np.ndarray] = {}
    dedicated = None
    normal_routes: dict = {}
    normal_lost: list = []
    for i, s in enumerate(states):
        lost: list = []
        arcs, cut = _state_loads(trunks, demand, s.link_up, site_pos, lost=lost,
                                 routed=normal_routes if i == 0 and single_links else None)
        loads[i], ded = _year_loads(arcs, trunks.n_trunks, Y)
        if i == 0:
            dedicated = ded
            normal_lost = lost
        cut_off[s.name] = cut
        unrouted[s.name] = _per_year(lost, Y)
    link_states, changes, skipped = [], [], 0
    if single_links:
        link_states, changes, skipped = _single_links(topology, trunks, demand, site_pos,
                                                      loads[0], Y, cut_off, normal_routes,
                                                      unrouted, normal_lost)
    present = {k for k in DESTINATION_KEYS if len(topology.nodes_of_kind(*ROUTE_KINDS[k]))}
    no_dest = tuple(k for i, k in enumerate(demand.keys) if isinstance(k, str)
                    and k not in present and demand.matrices[i].any())
    return LinkLoads(topology=topology, trunks=trunks, years=list(years), states=states,
                     loads_mbps=loads, link_states=link_states, link_changes=changes,
                     cut_off=cut_off,
                     dedicated_mbps=dedicated if dedicated is not None and dedicated.any()
                     else None, skipped_links=skipped, unrouted_mbps=unrouted,
                     no_destination=no_dest)


def _single_links(topology, trunks, demand, site_pos, normal, Y, cut_off, normal_routes,
                  unrouted, normal_lost):
    """The single-line failure states that change a load or a capacity, and their loads.

    A line with a parallel line as fast only takes capacity away (routes stay). A bridge cuts
    off the far side; when that side holds no destination the loads elsewhere only drop
    (dominated by normal operation), so only the sites cut off are kept. When the line's
    upstream end ``x`` is the only way out for all traffic that reaches it (no route enters
    ``x``'s part of the network from outside it), only ``x``'s next hops change: the traffic
    arriving at ``x`` is re-split over its other lines (local re-route). Every other line's
    loss is routed again in full. ``unrouted`` receives each state's demand no route carries
    (``normal_lost``, per destination, is the normal state's).
    """
    from netplan.topology.analysis import _dfs, bridge_cut_offs

    link_trunk = trunks.link_trunk
    lat = trunks.link_latency_ms
    cap = trunks.link_capacity_mbps
    T = trunks.n_trunks
    trunk_load = normal.max(axis=2).max(axis=0)  # (T,)
    lines = np.bincount(link_trunk, minlength=T)
    all_up = np.ones(len(link_trunk), dtype=bool)
    min_lat = trunks.latency_ms(all_up)
    bridges = bridge_cut_offs(topology)
    dfs = _dfs(topology, int(topology.nodes.index.get_loc(topology.root)))
    cut_parts = {int(x): ch for x, ch in zip(dfs.cut_nodes, dfs.cut_children, strict=True)}
    kinds = topology.nodes["kind"].to_numpy()
    is_dest = np.isin(kinds, ["cloud", "platform", "province", "egress", "national"])
    is_site = np.zeros(len(kinds), dtype=bool)
    is_site[site_pos] = True
    local = _LocalReroute(trunks, demand, normal_routes)
    # per destination, the trunks its routes use (a route with no traffic on it still
    # decides who is cut off when the line goes)
    on_routes = {i: np.bincount(dag.arc >> 1, minlength=T) > 0 for i, dag in local.dag_of.items()}
    used = np.logical_or.reduce(list(on_routes.values())) if on_routes else np.zeros(T, bool)
    states, changes, skipped = [], [], 0
    all_states = failure_states(topology, carriers=False, links=True)[1:]
    order, starts = group_positions(link_trunk, T)  # trunk t: order[starts[t]:starts[t + 1]]
    for pos, s in enumerate(all_states):
        t = link_trunk[pos]
        if trunk_load[t] <= 0 and not used[t]:
            skipped += 1  # no route uses it
            continue
        if lines[t] > 1:
            others = order[starts[t]:starts[t + 1]]
            others = others[others != pos]
            if lat[others].min() <= min_lat[t] + 1e-12:
                if cap[pos] <= 0 or trunk_load[t] <= 0:
                    skipped += 1  # the routes stay and it carries nothing
                    continue
                states.append(s)  # the routes stay: only the trunk's capacity drops
                changes.append((np.array([t]), normal[:, [t], :].transpose(1, 0, 2)))
                unrouted[s.name] = unrouted["normal"]
                continue
        if pos in bridges and not is_dest[bridges[pos]].any():
            behind = bridges[pos]
            cut = behind[is_site[behind]]
            if len(cut):
                cut_off[s.name] = cut
                # everything the far side sends and receives, beyond what normal loses
                far = np.zeros(len(kinds), dtype=bool)
                far[behind] = True
                extra = [m[far & np.isfinite(local.dag_of[i].distance_ms)].sum(axis=0)
                         if i in local.dag_of else np.zeros(m.shape[1])
                         for i, m in enumerate(demand.matrices)]
                unrouted[s.name] = unrouted["normal"] + _per_year(extra, Y)
            skipped += 1  # loads elsewhere only drop
            continue
        got = None
        if lines[t] == 1:
            got = local.reroute(int(t), normal, Y, lambda x: _behind(dfs, cut_parts, x))
            if got is not None:
                unrouted[s.name] = unrouted["normal"]  # re-routed locally: nothing cut off
        if got is None:
            # destinations whose routes cross the line: the others keep their routes
            only = {i for i, uses in on_routes.items() if uses[t]}
            lost: list = []
            arcs, cut = _state_loads(trunks, demand, s.link_up, site_pos, only=only,
                                     per_key=local.per_key, per_key_lost=normal_lost,
                                     lost=lost)
            unrouted[s.name] = _per_year(lost, Y)
            full, _ = _year_loads(arcs, T, Y)
            diff = np.flatnonzero((np.abs(full - normal) > 1e-9).any(axis=(0, 2)))
            diff = np.union1d(diff, [t]).astype(np.int64)
            got = (diff, full[:, diff, :].transpose(1, 0, 2))
            if len(cut):
                cut_off[s.name] = cut
        states.append(s)
        changes.append(got)
    return states, changes, skipped


def _behind(dfs, cut_parts: dict, x: int) -> np.ndarray:
    """Node positions that reach the root only through ``x`` (its cut-off subtrees), and x."""
    parts = [dfs.order[dfs.disc[c]:dfs.disc[c] + dfs.size[c]] for c in cut_parts.get(x, ())]
    return np.concatenate([[x], *parts]).astype(np.int64)


def group_positions(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions grouped by key 0..n-1: group ``k`` is ``order[starts[k]:starts[k + 1]]``."""
    order = np.argsort(keys, kind="stable")
    return order, np.searchsorted(keys[order], np.arange(n + 1))


class _LocalReroute:
    """Re-route the traffic arriving at one node when one of its lines is lost."""

    def __init__(self, trunks: Trunks, demand: _Demand, normal_routes: dict):
        """``normal_routes``: per destination index, the normal state's DAG and arc flows."""
        self.trunks = trunks
        self.router = Router(trunks, np.ones(len(trunks.link_trunk), dtype=bool))
        n = trunks.topology.n_nodes
        self.dags, self.arrive = [], []
        self.dag_of: dict[int, object] = {}
        self.per_key: list = [None] * len(demand.keys)
        for i, (dag, arcs) in sorted(normal_routes.items()):
            mat = demand.matrices[i]
            self.dag_of[i] = dag
            self.per_key[i] = _directions(arcs, trunks.n_trunks)
            flows = arcs[dag.arc]  # per DAG arc
            arrive = mat.copy()
            for j in range(mat.shape[1]):
                arrive[:, j] += np.bincount(dag.head, weights=flows[:, j], minlength=n)
            self.dags.append(dag)
            self.arrive.append(arrive)
        self._out = [group_positions(d.tail, n) for d in self.dags]
        self._flow: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self.n_cols = demand.matrices[0].shape[1]

    def _unit(self, k: int, node: int) -> tuple[np.ndarray, np.ndarray]:
        """Arcs and shares of one unit of traffic from ``node`` toward destination ``k``."""
        key = (k, node)
        if key not in self._flow:
            dag = self.dags[k]
            if dag.distance_ms[node] <= 1e-12:
                self._flow[key] = (np.zeros(0, dtype=np.int64), np.zeros(0))
            else:
                e = np.zeros(len(dag.distance_ms))
                e[node] = 1.0
                vec = dag.carry(e)
                nz = np.flatnonzero(vec > 1e-15)
                self._flow[key] = (nz, vec[nz])
        return self._flow[key]

    def reroute(self, trunk: int, normal: np.ndarray, Y: int, behind):
        """Loads after losing ``trunk`` (one line), or None when a local re-route is not exact."""
        tr = self.trunks
        half = self.n_cols // 2
        delta: dict[int, np.ndarray] = {}

        def add(arcs, vals, demand):
            for a, x in zip(arcs, vals, strict=True):
                row = delta.setdefault(int(a), np.zeros(half))
                row += x * demand[0::2]
                back = delta.setdefault(int(a) ^ 1, np.zeros(half))
                back += x * demand[1::2]

        for k, dag in enumerate(self.dags):
            hit = np.flatnonzero((dag.arc >> 1) == trunk)
            if not len(hit):
                continue
            x = int(dag.tail[hit[0]])
            demand = self.arrive[k][x]
            inside = behind(x)
            mask = np.zeros(len(dag.distance_ms), dtype=bool)
            mask[inside] = True
            # every route into x's part must start inside it, else others may re-route too
            heads_in = mask[dag.head] & ~mask[dag.tail]
            if heads_in.any():
                return None
            o_out, st_out = self._out[k]
            for j in o_out[st_out[x]:st_out[x + 1]]:  # take the old routes away
                arcs, vals = self._unit(k, int(dag.head[j]))
                add(np.r_[dag.arc[j], arcs], -dag.share[j] * np.r_[1.0, vals], demand)
            mine = np.flatnonzero(((tr.u == x) | (tr.v == x)) & (np.arange(tr.n_trunks) != trunk))
            far = np.where(tr.u[mine] == x, tr.v[mine], tr.u[mine])
            ok = ~mask[far] & np.isfinite(self.router.weight_ms[mine])
            mine, far = mine[ok], far[ok]
            w = np.maximum(self.router.weight_ms[mine], 1e-9)
            dist = w + dag.distance_ms[far]
            best = dist.min() if len(dist) else np.inf
            if not np.isfinite(best):
                return None  # cut off: not local
            if not demand.any():
                continue  # no traffic to move (checked: x is not cut off from it)
            arc_out = np.where(tr.u[mine] == x, 2 * mine, 2 * mine + 1)
            hops = np.flatnonzero(np.abs(dist - best) <= 1e-9 * max(1.0, best))
            sig = dag.sigma[far[hops]]
            for h, sh in zip(hops, sig / sig.sum(), strict=True):
                arcs, vals = self._unit(k, int(far[h]))
                add(np.r_[arc_out[h], arcs], sh * np.r_[1.0, vals], demand)
        arcs = np.array(sorted(delta), dtype=np.int64)
        trunks_hit = np.union1d(arcs >> 1, [trunk]).astype(np.int64)
        out = normal[:, trunks_hit, :].copy()  # (Y, k, 2)
        where = np.searchsorted(trunks_hit, arcs >> 1)
        for i, a in enumerate(arcs):
            v = delta[int(a)]
            out[:, where[i], a & 1] += v[:Y] + v[Y:]
        out[np.abs(out) < 1e-9] = 0.0
        return trunks_hit, out.transpose(1, 0, 2)
