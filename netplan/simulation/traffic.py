"""Traffic sources: the scenario's demand as streams of flows, and their arrivals.

Each site (a department, a village office) has *streams*: bulk flows to each destination at its
busy-hour rate, synchronisation jobs to the exchange platform (departments), and interactive
requests. A stream is Poisson with rate ``busy-hour Mbps / mean flow size`` (bulk) or its
configured rate; all streams together are one Poisson process whose arrivals are drawn at once
(numpy), the stream of each arrival chosen in proportion to the rates. With diurnal arrivals,
the process is thinned by the hour-of-day profile.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netplan.errors import NetplanError
from netplan.model.demand import DESTINATIONS, demand_table
from netplan.model.scenario import Scenario
from netplan.topology import Topology

__all__ = ["Arrivals", "traffic_streams", "draw_arrivals", "cloud_system_mbps", "KLASSES",
           "MBIT_PER_MB", "CloudSystems", "cloud_systems"]

#: What a flow is: a bulk transfer, a platform synchronisation job, an interactive request, or
#: a migration cutover transfer.
KLASSES = ("bulk", "sync", "request", "cutover")
MBIT_PER_MB = 8.0
_REQUEST_DESTINATIONS = ("cloud", "platform", "province")


def traffic_streams(scenario: Scenario, topology: Topology, *, year: int | None = None,
                    system_mbps: dict[str, float] | None = None,
                    scale: float = 1.0, detail: bool = True) -> pd.DataFrame:
    """The flow streams of every site, with their rates.

    Parameters
    ----------
    scenario : Scenario
        Its ``demand`` section.
    topology : Topology
        Sites are its ``department`` and ``village`` nodes.
    year : int, optional
        Grow the demand to this year.
    system_mbps : dict of str to float, optional
        Extra busy-hour Mbps to the cloud per site node id (systems on the cloud).
    scale : float
        Multiply every rate (e.g. the off-peak factor in a maintenance window).
    detail : bool
        Add the site columns (``kind``, ``tier``, ``unit``, ``unit_name``) and make
        ``destination`` and ``klass`` categorical; without, only ``source``, ``source_pos``,
        ``destination``, ``klass``, ``rate_per_s``, ``mean_mbit`` and ``downstream`` (what the
        capacity planner needs, fast on the national scenario).

    Returns
    -------
    pandas.DataFrame
        One row per stream: ``source`` (node id), ``source_pos``, ``kind``, ``tier``, ``unit``
        (validation unit: the department, or the town's villages together),
        ``unit_name``, ``destination``, ``klass``, ``rate_per_s``, ``mean_mbit`` and
        ``downstream`` (the data travels from the destination to the site: responses, and
        ``demand.download_share`` of the bulk traffic; the rest travels from the site).

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> s = tiny_scenario()
    >>> st = traffic_streams(s, build_topology(s))
    >>> # bulk: 74 Mbps / 64 Mbit; requests: (7 departments × 2 + 6 villages × 0.5) / 60 s;
    >>> # sync: 7 departments × 1 job per hour
    >>> st.groupby("klass", observed=True)["rate_per_s"].sum().round(4).to_dict()
    {'bulk': 1.1562, 'sync': 0.0019, 'request': 0.2833}
    """
    d = scenario.demand
    nodes = topology.nodes
    table = demand_table(scenario, nodes, year=year, system_mbps=system_mbps)
    mean_bulk = d.flow_sizes.mean_mb * MBIT_PER_MB
    parts = [pd.DataFrame({"source": table["source"], "destination": table["destination"],
                           "klass": "bulk",
                           "rate_per_s": table["busy_hour_mbps"] / mean_bulk,
                           "mean_mbit": mean_bulk})]
    sites = nodes[nodes["kind"].isin(["department", "village"])]
    deps = sites.index[sites["kind"] == "department"]
    sync = d.platform_sync
    if sync.jobs_per_hour > 0 and len(topology.nodes_of_kind("platform")):
        parts.append(pd.DataFrame({"source": deps, "destination": "platform", "klass": "sync",
                                   "rate_per_s": sync.jobs_per_hour / 3600.0,
                                   "mean_mbit": sync.size_mb * MBIT_PER_MB}))
    inter = d.interactive
    per_min = np.where(sites["kind"].to_numpy() == "village", inter.village_requests_per_min,
                       inter.requests_per_min)
    shares = np.array([getattr(d.shares, k) for k in _REQUEST_DESTINATIONS])
    if shares.sum() > 0:
        shares = shares / shares.sum()
        for dest, share in zip(_REQUEST_DESTINATIONS, shares, strict=True):
            if share > 0:
                parts.append(pd.DataFrame({
                    "source": sites.index, "destination": dest, "klass": "request",
                    "rate_per_s": per_min / 60.0 * share,
                    "mean_mbit": inter.response_kb * MBIT_PER_MB / 1000.0}))
    st = pd.concat(parts, ignore_index=True)
    st["downstream"] = st["klass"] == "request"  # responses travel back to the requester
    if d.download_share > 0:  # downloads: the same streams, travelling to the site
        bulk = st["klass"] == "bulk"
        down = st[bulk].assign(downstream=True)
        down["rate_per_s"] *= d.download_share
        st.loc[bulk, "rate_per_s"] *= 1.0 - d.download_share
        st = pd.concat([st, down], ignore_index=True)
    st = st[st["rate_per_s"] > 0].reset_index(drop=True)
    st["rate_per_s"] *= scale
    if not detail:
        st.insert(1, "source_pos", nodes.index.get_indexer(st["source"]))
        return st
    src = nodes.loc[st["source"]]
    village = src["kind"].to_numpy() == "village"
    st.insert(1, "source_pos", nodes.index.get_indexer(st["source"]))
    st.insert(2, "kind", src["kind"].to_numpy())
    st.insert(3, "tier", src["tier"].to_numpy())
    st.insert(4, "unit", np.where(village, src["parent"].to_numpy() + "#村", st["source"]))
    st.insert(5, "unit_name", _unit_names(src, village))
    st["destination"] = pd.Categorical(st["destination"], categories=DESTINATIONS)
    st["klass"] = pd.Categorical(st["klass"], categories=KLASSES)
    return st


@dataclass(frozen=True)
class CloudSystems:
    """The inventory systems running on the cloud node in the simulated period, and why those.

    Their traffic (``traffic_mbps``, else ``demand.system_mbps``) loads the lines of their
    departments (:func:`cloud_system_mbps`). Resolve it with :func:`cloud_systems` from an
    inventory, or from the scenario's inventory file with
    :func:`netplan.io.cloud_systems_io.systems_on_cloud` (the edge layer reads the file).

    Attributes
    ----------
    setting : str
        ``today``, ``planned``, an ISO date, or ``none`` (the scenario has no inventory).
    systems : tuple of netplan.migration.inventory.System
        The systems on the cloud.
    """

    setting: str
    systems: tuple = ()

    @property
    def summary(self) -> str:
        """The setting and the count, for tables: ``today (12 systems)``."""
        if self.setting == "none":
            return "none"
        what = {"today": "", "planned": ", after the migration plan"}.get(
            self.setting, ", by that date per the migration plan")
        return f"{self.setting} ({len(self.systems)} systems{what})"

    @property
    def label(self) -> str:
        """One line for reports: ``systems on the cloud: today (12 systems)``."""
        return f"systems on the cloud: {self.summary}"


def cloud_systems(inventory, setting: str | dt.date = "today", *, plan=None) -> CloudSystems:
    """The systems on the cloud ``today``, after the plan (``planned``) or by a date.

    Parameters
    ----------
    inventory : netplan.migration.inventory.Inventory
    setting : {"today", "planned"} or datetime.date
        ``today``: the systems marked ``on_cloud``. ``planned``: those and every system the
        plan moves (and the ones marked done). A date: those on the cloud now and the ones
        the plan cuts over by that day (the Sunday of their cutover week).
    plan : netplan.migration.plan.MigrationPlan, optional
        Needed for ``planned`` and dates.

    Returns
    -------
    CloudSystems

    Raises
    ------
    NetplanError
        ``planned`` or a date without a plan (or with a plan that has no schedule).

    Examples
    --------
    >>> from netplan.examples import tiny_migration
    >>> _, inv = tiny_migration()
    >>> c = cloud_systems(inv, "today")
    >>> c.setting, [s.name for s in c.systems]
    ('today', ['门户'])
    """
    if isinstance(setting, str) and setting not in ("today", "planned"):
        try:
            setting = dt.date.fromisoformat(setting)
        except ValueError:
            raise NetplanError(f"systems on the cloud {setting!r}: write today, planned or a "
                               "date such as 2020-12-31") from None
    label = setting.isoformat() if isinstance(setting, dt.date) else setting
    today = [s for s in inventory.systems if s.on_cloud]
    if setting == "today":
        return CloudSystems("today", tuple(today))
    if plan is None or plan.starts is None:
        raise NetplanError(f"systems on the cloud {label!r} needs the migration plan: schedule "
                           "first (netplan.migration.plan_migration; in the CLI "
                           "--systems planned schedules) or use 'today'")
    frame = plan.to_frame()
    if setting == "planned":
        moved = set(frame["system_id"])
    else:
        moved = set(frame.loc[frame["cutover_date"] <= setting, "system_id"])
    ids = moved | set(plan.mp.done) | {s.system_id for s in today}
    return CloudSystems(label, tuple(s for s in inventory.systems if s.system_id in ids))


def cloud_system_mbps(topology: Topology, systems, *, default_mbps: float) -> dict[str, float]:
    """Busy-hour Mbps between the cloud and each department node, from the systems on the cloud.

    A system's traffic (``traffic_mbps``, or ``default_mbps`` when it gives none) goes to the
    department node of its name at its site (the city, or its county when ``tier`` is county);
    when the extranet's departments there are generic (``部门01``…), it is spread evenly over
    them: the users of a county's system are the county's departments.

    Parameters
    ----------
    topology : Topology
    systems : iterable of netplan.migration.inventory.System
        The systems running on the cloud node.
    default_mbps : float
        Traffic of a system whose ``traffic_mbps`` is 0 (``demand.system_mbps``).

    Returns
    -------
    dict of str to float
        For :func:`traffic_streams` ``system_mbps``. Systems of a site without departments are
        left out.

    Examples
    --------
    >>> from netplan.examples import tiny_migration
    >>> from netplan.topology import build_topology
    >>> s, inv = tiny_migration()
    >>> topo = build_topology(s)
    >>> m = cloud_system_mbps(topo, [inv.by_id["市公安局/人口库"]], default_mbps=2.0)
    >>> {k.rsplit("#", 1)[-1]: v for k, v in m.items()}
    {'公安局': 2.0}
    """
    nodes = topology.nodes
    deps = nodes[nodes["kind"] == "department"]
    out: dict[str, float] = {}
    for system in systems:
        mbps = system.traffic_mbps or default_mbps
        if system.tier == "county" and (deps["county"] == system.site).any():
            scope = deps[(deps["county"] == system.site) & (deps["tier"] == "county")]
        else:
            scope = deps[deps["tier"] == "city"]
        if scope.empty:
            continue
        # the same name, else the name without the division prefix (市公安局 → 公安局)
        named = scope.index[scope["name"] == system.department]
        if not len(named):
            named = scope.index[[len(n) >= 2 and system.department.endswith(n)
                                 for n in scope["name"]]]
        targets = named if len(named) else scope.index
        for node in targets:
            out[node] = out.get(node, 0.0) + mbps / len(targets)
    return out


def _unit_names(src: pd.DataFrame, village: np.ndarray) -> np.ndarray:
    """Readable unit names: 市公安局, 梅县区·部门03, 梅县区·程江镇·部门02, 梅县区·程江镇·村."""
    tier = src["tier"].to_numpy()
    county, town, name = (src[c].to_numpy().astype(object) for c in ("county", "town", "name"))
    return np.select(
        [village, tier == "town", tier == "county"],
        [county + "·" + town + "·村", county + "·" + town + "·" + name, county + "·" + name],
        default=name)


@dataclass(frozen=True)
class Arrivals:
    """Flow arrivals, sorted by time: when, which stream, how big.

    Attributes
    ----------
    time_s : numpy.ndarray
    stream : numpy.ndarray
        Row of the streams table.
    size_mbit : numpy.ndarray
    route_draw : numpy.ndarray
        A uniform draw in [0, 1) per flow that picks among equal routes (per-flow ECMP).
    """

    time_s: np.ndarray
    stream: np.ndarray
    size_mbit: np.ndarray
    route_draw: np.ndarray

    def __len__(self) -> int:
        return len(self.time_s)


def draw_arrivals(streams: pd.DataFrame, scenario: Scenario, until_s: float,
                  rng: np.random.Generator) -> Arrivals:
    """Draw every arrival of ``streams`` in ``[0, until_s)``.

    Bulk sizes follow the shape of ``demand.flow_sizes`` with their stream's mean; sync jobs,
    requests and responses are exponential with their means. With ``demand.arrivals:
    diurnal`` the process is thinned by the profile.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> s = tiny_scenario()
    >>> st = traffic_streams(s, build_topology(s))
    >>> a = draw_arrivals(st, s, 3600.0, np.random.default_rng(0))
    >>> expected = st["rate_per_s"].sum() * 3600     # Poisson: n is within a few sqrt(n)
    >>> bool(abs(len(a) - expected) < 4 * expected ** 0.5)
    True
    """
    rates = streams["rate_per_s"].to_numpy(float)
    total = rates.sum()
    n = int(rng.poisson(total * until_s)) if total > 0 else 0
    times = np.sort(rng.uniform(0.0, until_s, n))
    if scenario.demand.arrivals == "diurnal" and n:
        keep = rng.uniform(0.0, 1.0, n) < scenario.demand.profile_at(times)
        times = times[keep]
        n = len(times)
    cum = np.cumsum(rates) / total if total > 0 else np.zeros(0)
    stream = np.minimum(np.searchsorted(cum, rng.uniform(0.0, 1.0, n), side="right"),
                        len(rates) - 1)
    sizes = np.empty(n)
    klass = streams["klass"].to_numpy()[stream] if n else np.zeros(0, dtype=object)
    mean = streams["mean_mbit"].to_numpy(float)[stream] if n else np.zeros(0)
    bulk = klass == "bulk"
    shape = scenario.demand.flow_sizes
    sizes[bulk] = (shape.sample_mb(rng, int(bulk.sum())) * MBIT_PER_MB
                   * (mean[bulk] / (shape.mean_mb * MBIT_PER_MB)))
    sizes[~bulk] = rng.exponential(1.0, int((~bulk).sum())) * mean[~bulk]
    sizes = np.maximum(sizes, 1e-6)  # a flow moves at least one bit
    return Arrivals(time_s=times, stream=stream.astype(np.int64), size_mbit=sizes,
                    route_draw=rng.uniform(0.0, 1.0, n))
