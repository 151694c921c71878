"""Simulate the extranet's traffic: flows over max-min shared trunks, faults, recovery.

Model and its assumptions (what a planner should know before reading the numbers):

- **Flow level.** Traffic is flows (transfers, sync jobs, request/response pairs), not packets.
  A flow's rate is its max-min fair share along its route (:mod:`netplan.simulation.engine`);
  TCP's ramp-up, losses and packet-level queues are not modelled. Request latency is two
  one-way propagation delays plus the response's transfer time under the current sharing; its
  *queueing delay* is that transfer time less the time the response would take alone on the
  route's narrowest trunk. Flow completion time (FCT) is transfer time plus one round trip.
- **Trunks and routes.** Parallel lines of one node pair are one trunk (:mod:`.network`);
  routes are least-latency, equal routes are picked per flow at random (ECMP).
- **Full duplex.** Each trunk is two directed resources with the trunk's full capacity each.
  A flow loads the direction its data travels: bulk transfers, sync jobs and cutover
  transfers go from the site to their destination (``upstream``: the demand model's rates
  are what a site *sends*, and a cloud system's traffic is added to its department's cloud
  flows), except ``demand.download_share`` of the bulk traffic, which travels to the site;
  a request's response comes back to the requester (``downstream``).
  Utilisation is reported per direction; a trunk's ``utilisation`` is its busier direction.
- **Capacity in force.** Faults change capacities (a carrier's lines down, a degraded cloud
  node); queueing delay, utilisation and bottlenecks are measured against the capacity in
  force at the time, not the nominal one.
- **Sources.** Poisson (or diurnal) arrivals of each site's streams
  (:mod:`.traffic`); villages are simulated one by one and reported per town.
- **Faults.** At a fault the routes are recomputed over the lines left; flows on a line that
  went down move to a surviving route with what they have left, or are dropped when there is
  none. New flows from a cut-off site count as unreachable. On recovery, new flows use the
  restored lines; flows in progress keep their routes.
- **Cutover transfers** run as one parallel stream per equal route (a multi-stream copy), so
  a county's data can use all its carriers' uplinks, as the migration planner assumes.
- **Measurement.** Flows starting in ``[warmup, duration)`` are measured; arrivals continue
  for a tail of 10% of the duration (at most 10 minutes) so that measured flows finish under
  load. A measured flow still running at the end is ``unfinished`` (*censored*): its FCT
  and latency are reported as their lower bounds (run end − start + one round trip) and its
  throughput as its upper bound (size over that), so statistics over all flows err on the
  optimistic side and a service level they miss is missed for certain.
- **Systems on the cloud.** Which inventory systems load their departments' lines is one
  explicit setting (:class:`~netplan.simulation.traffic.CloudSystems`, the scenario's
  ``simulation.systems_on_cloud``), carried into every result.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import simpy

from netplan.errors import NetplanError, UnknownNodeError
from netplan.model.scenario import Fault, Scenario
from netplan.simulation.engine import FlowEngine
from netplan.simulation.traffic import (
    MBIT_PER_MB,
    Arrivals,
    CloudSystems,
    cloud_system_mbps,
    draw_arrivals,
    traffic_streams,
)
from netplan.topology import Topology, build_topology
from netplan.topology.routing import Router, Trunks, arc_trunks, reverse_path

__all__ = ["TrafficResult", "simulate_traffic", "resolve_system_mbps", "STATUSES",
           "DIRECTIONS"]

#: Status of a flow at the end: done, cut off at its start, dropped by a fault, still running,
#: or not started (an arrival after the run ended: the run stops once measured flows are done).
STATUSES = ("done", "unreachable", "dropped", "unfinished", "not_started")
_PENDING, _DONE, _UNREACHABLE, _DROPPED = -1, 0, 1, 2
#: Which way a flow's data travels: from the site to its destination, or back to the site.
DIRECTIONS = ("upstream", "downstream")


@dataclass
class TrafficResult:
    """What a simulation measured.

    Attributes
    ----------
    flows : pandas.DataFrame
        One row per flow (see :meth:`to_frame`).
    utilisation : pandas.DataFrame
        Sampled load / capacity in force of every trunk's busier direction: index
        ``time_s``, one column per trunk.
    trunks : pandas.DataFrame
        The trunks (:meth:`Trunks.to_frame`); ``capacity_mbps`` is nominal, per direction.
    routes : list of tuple of int
        The routes flows took (``flows["route"]`` indexes it), as trunk tuples from the site
        toward the destination.
    events : pandas.DataFrame
        Fault and recovery log: time, what, trunks changed, flows rerouted and dropped.
    case : str
        The failure case's name (``normal`` for none).
    stats : dict
        Flow counts, the measured period (``measured_from_s``, ``measured_to_s``), wall time
        and engine counters. Every arrival (``flows``) is counted once: ``flows_started``
        (a route was found) = ``flows_finished`` + ``flows_dropped`` (by a fault) +
        ``flows_censored`` (still running at the end), plus ``flows_unreachable`` and
        ``flows_not_started`` (arrivals after the run ended). The engine's ``started``,
        ``finished``, ``aborted`` and ``engine_active`` count its transfers (a cutover has
        one per route).
    arcs : pandas.DataFrame
        One row per trunk and direction (arc ``2 trunk + d``, see :mod:`.network`):
        ``trunk``, ``direction`` (``source→target`` or ``target→source``), nominal
        ``capacity_mbps``, ``capacity_in_force_mbps`` (time mean over the measured period),
        ``offered_mbps`` (megabits of the measured flows routed over it per second of the
        measured period) and ``mean_utilisation``.
    route_arcs : list of tuple of int
        The routes as arcs from the site toward the destination (a downstream flow uses
        them reversed).
    capacity_changes : pandas.DataFrame
        Arc capacities in force from each ``time_s`` on (index), one column per arc.
    systems : str
        Which systems on the cloud loaded the lines (:attr:`CloudSystems.summary`).
    """

    flows: pd.DataFrame
    utilisation: pd.DataFrame
    trunks: pd.DataFrame
    routes: list[tuple[int, ...]]
    events: pd.DataFrame
    case: str = "normal"
    stats: dict = field(default_factory=dict)
    arcs: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    route_arcs: list[tuple[int, ...]] = field(default_factory=list, repr=False)
    capacity_changes: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    systems: str = ""

    def to_frame(self) -> pd.DataFrame:
        """One row per flow.

        Columns: ``stream``, ``source``, ``unit``, ``tier``, ``destination``, ``klass``,
        ``direction``, ``start_s``, ``size_mb``, ``end_s``, ``fct_s``, ``throughput_mbps``,
        ``latency_ms`` and ``queueing_ms`` (requests), ``sent_mb``, ``route``, ``status``,
        ``censored``, ``measured``. For an ``unfinished`` flow (``censored``) ``end_s`` is
        NaN, ``fct_s`` and ``latency_ms`` are lower bounds (to the end of the run) and
        ``throughput_mbps`` an upper bound; ``sent_mb`` is what it had sent by then.
        """
        return self.flows

    def route_label(self, route: int) -> str:
        """A route as ``node → node → …`` (node names)."""
        if route < 0:
            return ""  # the flow never got a route
        path = self.routes[route]
        if not path:
            return ""
        src, dst = self._ends()
        nodes = [src[path[0]], dst[path[0]]]
        for tr in path[1:]:
            a, b = src[tr], dst[tr]
            nodes.append(b if a == nodes[-1] else a)
        return " → ".join(n.rsplit("/", 1)[-1] for n in nodes)

    def link_utilisation(self, tier: str | None = None, kind: str | None = None) -> pd.DataFrame:
        """Mean and peak sampled utilisation per trunk (of one tier/kind), busiest first.

        ``mean_utilisation``/``peak_utilisation`` are of the busier direction (each direction
        has the full capacity); ``mean_source_to_target``/``mean_target_to_source`` and the
        offered Mbps per direction say which way the load goes.
        """
        keep = np.ones(len(self.trunks), dtype=bool)
        if tier is not None:
            keep &= (self.trunks["tier"] == tier).to_numpy()
        if kind is not None:
            keep &= (self.trunks["kind"] == kind).to_numpy()
        u = self.utilisation.loc[:, keep]
        out = self.trunks.loc[keep, ["source", "target", "kind", "tier", "carriers",
                                     "capacity_mbps"]].copy()
        out["mean_utilisation"] = u.mean(axis=0).to_numpy()
        out["peak_utilisation"] = u.max(axis=0).to_numpy()
        if len(self.arcs):
            a = self.arcs
            for d, name in ((0, "source_to_target"), (1, "target_to_source")):
                rows = a.iloc[d::2]
                out[f"mean_{name}"] = rows["mean_utilisation"].to_numpy()[keep]
                out[f"offered_{name}_mbps"] = rows["offered_mbps"].to_numpy()[keep]
            out["capacity_in_force_mbps"] = a["capacity_in_force_mbps"].to_numpy()[::2][keep]
        return out.sort_values("mean_utilisation", ascending=False, kind="stable")

    def _ends(self) -> tuple[np.ndarray, np.ndarray]:
        """The trunks' source and target node ids as object arrays (computed once)."""
        cache = self.__dict__.get("_ends_cache")
        if cache is None or cache[0] is not self.trunks:
            ends = (self.trunks["source"].to_numpy(object), self.trunks["target"].to_numpy(object))
            cache = (self.trunks, ends)
            object.__setattr__(self, "_ends_cache", cache)
        return cache[1]

    def arc_label(self, arc: int) -> str:
        """An arc as ``node → node`` (node names), in the direction it carries."""
        src, dst = self._ends()
        a, b = src[arc >> 1], dst[arc >> 1]
        if arc & 1:
            a, b = b, a
        return f"{a.rsplit('/', 1)[-1]} → {b.rsplit('/', 1)[-1]}"

    def capacity_in_force(self, time_s: float) -> pd.DataFrame:
        """Per trunk, the capacity of each direction in force at ``time_s`` (Mbps)."""
        ch = self.capacity_changes
        k = max(0, int(np.searchsorted(ch.index.to_numpy(), time_s, side="right")) - 1)
        cap = ch.iloc[k].to_numpy()
        return pd.DataFrame({"source_to_target_mbps": cap[0::2],
                             "target_to_source_mbps": cap[1::2]}, index=self.trunks.index)


#: Utilisation samples per run at most (``simulation.sample_s`` is lengthened beyond it).
MAX_SAMPLES = 500


def _with_probes(streams: pd.DataFrame, minimum: dict[tuple[str, ...], int],
                 window_s: float) -> tuple[pd.DataFrame, float]:
    """Raise each (unit, destination)'s rate of some classes to a least number of flows.

    ``minimum[classes]`` flows per ``window_s``, every stream of the group in proportion.
    Returns the streams and the load the extra flows add, in Mbps.
    """
    out, extra = streams, 0.0
    for classes, least in minimum.items():
        rows = streams["klass"].isin(classes).to_numpy()
        if least <= 0 or not rows.any():
            continue
        r = streams.loc[rows]
        total = r.groupby(["unit", "destination"], observed=True)["rate_per_s"].transform("sum")
        factor = np.maximum(1.0, least / (total.to_numpy() * window_s))
        out = out.copy() if out is streams else out
        out.loc[rows, "rate_per_s"] = r["rate_per_s"].to_numpy() * factor
        extra += float(((factor - 1.0) * r["rate_per_s"].to_numpy()
                        * r["mean_mbit"].to_numpy()).sum())
    return out, extra


def simulate_traffic(scenario: Scenario, topology: Topology | None = None, *,
                     faults: list[Fault] | tuple[Fault, ...] = (), case: str = "normal",
                     seed: int | None = None, duration_s: float | None = None,
                     warmup_s: float | None = None, year: int | None = None,
                     systems: CloudSystems | None = None,
                     system_mbps: dict[str, float] | None = None,
                     cutovers: pd.DataFrame | None = None, scale: float = 1.0,
                     size_scale: float = 1.0, requests: bool = True,
                     min_requests: int = 0, min_transfers: int = 0) -> TrafficResult:
    """Simulate the busy hour (or any period) of the extranet.

    Parameters
    ----------
    scenario : Scenario
        Its ``demand`` and ``simulation`` sections (seed, duration, warm-up, sampling).
    topology : Topology, optional
        Built from the scenario when not given.
    faults : list of Fault
        Faults to inject (none: normal operation).
    case : str
        Name of the failure case, carried into the result.
    seed, duration_s, warmup_s : optional
        Override the scenario's ``simulation`` settings.
    year : int, optional
        Grow the demand to this year.
    systems : CloudSystems, optional
        The inventory systems on the cloud (their traffic loads their departments' lines):
        ``netplan.io.cloud_systems_io.systems_on_cloud(scenario)`` resolves the scenario's
        ``simulation.systems_on_cloud``, as the CLI does. Required when the scenario has an
        inventory (so that no entry point silently simulates without it); pass
        ``CloudSystems("none")`` to leave the systems out on purpose.
    system_mbps : dict of str to float, optional
        Instead of ``systems``: extra busy-hour Mbps to the cloud per site node id.
    cutovers : pandas.DataFrame, optional
        Migration transfers to run besides the traffic: columns ``name``, ``source`` (node id),
        ``size_mb`` and ``start_s``, and optionally ``direction`` (``upstream``, the default:
        to the cloud; ``downstream``: from the cloud back to the site, e.g. a rollback);
        they are ``klass`` ``cutover``. They are then the measured flows (the traffic is
        their background) and the run ends when they are done.
    scale : float
        Multiply every stream's rate (e.g. off-peak load in a maintenance window).
    size_scale : float
        Multiply bulk and sync flow sizes and divide their rates by it: the same load in
        fewer, larger flows (coarser events for long periods).
    requests : bool
        Simulate interactive requests (off: bulk and sync traffic only, e.g. as background).
    min_requests : int
        Requests each unit makes to each destination in the measured period at least: a unit
        whose busy-hour rate gives fewer sends more (*probes*, like an SLA monitor's test
        requests: the same sizes, their load simulated with the rest), so that its latency
        quantiles rest on enough samples. ``stats["probe_mbps"]`` is the load they add.
    min_transfers : int
        The same for bulk transfers (their mean throughput is a service level).

    Returns
    -------
    TrafficResult

    Raises
    ------
    NetplanError
        The scenario has an inventory and neither ``systems`` nor ``system_mbps`` is given.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> r = simulate_traffic(tiny_scenario(), duration_s=600, seed=1)
    >>> r.flows["status"].value_counts().to_dict()["done"] > 500
    True
    >>> r2 = simulate_traffic(tiny_scenario(), duration_s=600, seed=1)
    >>> r.flows["fct_s"].equals(r2.flows["fct_s"])    # same seed, same numbers
    True
    >>> r.systems
    'none'
    """
    wall0 = time.perf_counter()
    sim = scenario.simulation
    seed = sim.seed if seed is None else seed
    duration = sim.duration_s if duration_s is None else float(duration_s)
    if warmup_s is not None:
        warm = float(warmup_s)
    elif duration_s is None:
        warm = sim.measured_from_s
    else:
        warm = 0.05 * duration
    if not 0 <= warm < duration:
        raise ValueError(f"warmup_s={warm:g} must be in [0, duration_s={duration:g})")
    tail = min(0.1 * duration, 600.0)
    topology = topology if topology is not None else build_topology(scenario)
    rng = np.random.default_rng([seed, 1])
    system_mbps, label = resolve_system_mbps(scenario, topology, systems, system_mbps)

    streams = traffic_streams(scenario, topology, year=year, system_mbps=system_mbps,
                              scale=scale)
    if not requests:
        streams = streams[streams["klass"] != "request"].reset_index(drop=True)
    probe_mbps = 0.0
    if min_requests > 0 or min_transfers > 0:
        streams, probe_mbps = _with_probes(
            streams, {("request",): min_requests, ("bulk", "sync"): min_transfers},
            duration - warm)
    if size_scale != 1.0:
        coarse = streams["klass"].isin(["bulk", "sync"]).to_numpy()
        streams.loc[coarse, "rate_per_s"] /= size_scale
        streams.loc[coarse, "mean_mbit"] *= size_scale
    arrivals = draw_arrivals(streams, scenario, duration + tail, rng)
    streams, arrivals = _with_cutovers(streams, arrivals, cutovers, topology)

    trunks = Trunks.of(topology)
    env = simpy.Environment()
    run = _Run(env, trunks, streams, arrivals)
    env.process(run.play())
    # at most ~MAX_SAMPLES periods: a 16-hour cutover window is sampled every 90 s or so
    env.process(run.sample(max(sim.sample_s, (duration + tail) / MAX_SAMPLES), duration + tail))
    fault_rng = np.random.default_rng([seed, 2])
    for fault in faults:
        at = (float(fault_rng.uniform(warm, duration)) if fault.at_s == "random"
              else float(fault.at_s))
        if at >= duration:
            raise ValueError(f"fault {fault.label} at {at:g} s is not within the simulated "
                             f"{duration:g} s; start it earlier or simulate longer")
        env.process(run.fault(fault, at))
    cutover_run = cutovers is not None and len(cutovers) > 0
    if cutover_run:
        # a cutover run measures the transfers; the traffic is their background
        measured = streams["klass"].to_numpy()[arrivals.stream] == "cutover"
    else:
        measured = (arrivals.time_s >= warm) & (arrivals.time_s < duration)
    run.watch(measured)
    env.run(until=run.all_measured_done | env.timeout(duration + tail))
    flows = run.table(measured)
    arc_util = np.array(run.samples) if run.samples else np.zeros((0, trunks.n_arcs))
    with np.errstate(invalid="ignore"):
        busier = np.fmax(arc_util[:, 0::2], arc_util[:, 1::2])
    times = pd.Index(run.sample_times, name="time_s")
    util = pd.DataFrame(busier, index=times)
    util.columns.name = "trunk"
    window = (warm, duration) if not cutover_run else (0.0, float(env.now))
    arcs = run.arc_table(flows, window, arc_util, np.asarray(run.sample_times))
    changes = pd.DataFrame(np.array(run.cap_hist), index=pd.Index(run.cap_times, name="time_s"))
    changes.columns.name = "arc"
    status = flows["status"].value_counts()
    stats = {"flows": len(arrivals), "measured": int(measured.sum()),
             # every arrival, once: started (a route found) and then done, dropped by a fault
             # or still running at the end (censored); unreachable; or after the run's end
             "flows_started": int(status["done"] + status["dropped"] + status["unfinished"]),
             "flows_finished": int(status["done"]), "flows_dropped": int(status["dropped"]),
             "flows_censored": int(status["unfinished"]),
             "flows_unreachable": int(status["unreachable"]),
             "flows_not_started": int(status["not_started"]),
             "engine_active": len(run.engine.flows),
             "measured_from_s": window[0], "measured_to_s": window[1],
             "simulated_s": float(env.now), "wall_s": time.perf_counter() - wall0,
             "probe_mbps": probe_mbps,
             **run.engine.stats}
    return TrafficResult(flows=flows, utilisation=util, trunks=trunks.to_frame(),
                         routes=[arc_trunks(p) for p in run.route_list],
                         events=pd.DataFrame(
                             run.events, columns=["time_s", "event", "fault", "trunks_changed",
                                                  "flows_rerouted", "flows_dropped"]),
                         case=case, stats=stats, arcs=arcs, route_arcs=list(run.route_list),
                         capacity_changes=changes, systems=label)


def resolve_system_mbps(scenario: Scenario, topology: Topology, systems: CloudSystems | None,
                        system_mbps: dict[str, float] | None = None
                        ) -> tuple[dict[str, float] | None, str]:
    """The busy-hour Mbps per department of the systems on the cloud, and their summary.

    ``systems`` wins; ``system_mbps`` is taken as given. With neither, a scenario without an
    inventory has no systems, and one with an inventory is an error: which systems run on the
    cloud changes the verdicts, so it is never left to a default that differs between entry
    points.
    """
    if systems is not None:
        if system_mbps is not None:
            raise ValueError("give systems or system_mbps, not both")
        mbps = cloud_system_mbps(topology, systems.systems,
                                 default_mbps=scenario.demand.system_mbps)
        return mbps, systems.summary
    if system_mbps is not None:
        return system_mbps, f"given as {sum(system_mbps.values()):,.0f} Mbps per department"
    if scenario.inventory is not None:
        raise NetplanError(
            f"scenario {scenario.name!r} has an inventory: say which of its systems are on the "
            "cloud — systems=systems_on_cloud(scenario) (from netplan.io.cloud_systems_io; "
            f"setting simulation.systems_on_cloud={_setting(scenario)!r}), or "
            "systems=CloudSystems('none') to leave them out")
    return None, CloudSystems("none").summary


def _setting(scenario: Scenario) -> str:
    v = scenario.simulation.systems_on_cloud
    return v if isinstance(v, str) else v.isoformat()


def _with_cutovers(streams: pd.DataFrame, arrivals: Arrivals, cutovers: pd.DataFrame | None,
                   topology: Topology) -> tuple[pd.DataFrame, Arrivals]:
    """Append one stream and one arrival per cutover transfer."""
    if cutovers is None or not len(cutovers):
        return streams, arrivals
    nodes = topology.nodes
    topology.require(cutovers["source"])
    direction = (cutovers["direction"].to_numpy(str) if "direction" in cutovers
                 else np.full(len(cutovers), "upstream"))
    bad = sorted(set(direction) - set(DIRECTIONS))
    if bad:
        raise ValueError(f"cutovers: direction {bad[0]!r} is not upstream or downstream")
    src = nodes.loc[cutovers["source"]]
    extra = pd.DataFrame({
        "source": cutovers["source"].to_numpy(),
        "source_pos": nodes.index.get_indexer(cutovers["source"]),
        "kind": src["kind"].to_numpy(), "tier": src["tier"].to_numpy(),
        "unit": cutovers["source"].to_numpy(), "unit_name": cutovers["name"].to_numpy(),
        "destination": pd.Categorical(["cloud"] * len(cutovers),
                                      categories=streams["destination"].cat.categories),
        "klass": pd.Categorical(["cutover"] * len(cutovers),
                                categories=streams["klass"].cat.categories),
        "rate_per_s": 0.0, "mean_mbit": cutovers["size_mb"].to_numpy(float) * MBIT_PER_MB,
        "downstream": direction == "downstream",
    })
    streams = pd.concat([streams, extra], ignore_index=True)
    first = len(streams) - len(extra)
    time_s = np.concatenate([arrivals.time_s, cutovers["start_s"].to_numpy(float)])
    order = np.argsort(time_s, kind="stable")
    return streams, Arrivals(
        time_s=time_s[order],
        stream=np.concatenate([arrivals.stream, first + np.arange(len(extra))])[order],
        size_mbit=np.concatenate([arrivals.size_mbit,
                                  extra["mean_mbit"].to_numpy(float)])[order],
        route_draw=np.concatenate([arrivals.route_draw, np.full(len(extra), 0.5)])[order])


class _Run:
    """The state of one simulation: engine, routes, faults and what is recorded."""

    def __init__(self, env: simpy.Environment, trunks: Trunks, streams: pd.DataFrame,
                 arrivals: Arrivals):
        self.env = env
        self.trunks = trunks
        self.streams = streams
        self.arrivals = arrivals
        n = len(arrivals)
        self.link_up = np.ones(len(trunks.link_trunk), dtype=bool)
        self._active: list[tuple[np.ndarray, np.ndarray, float]] = []  # faults in effect
        self.cloud_extra_ms = 0.0  # added response time of a degraded cloud node
        self.capacity = trunks.arc_capacity_mbps(self.link_up)  # per arc (full duplex)
        self.cap_times: list[float] = [0.0]  # capacities in force from each time on
        self.cap_hist: list[np.ndarray] = [self.capacity.copy()]
        self.engine = FlowEngine(env, self.capacity)
        self.router = Router(trunks, self.link_up)
        self.end = np.full(n, np.nan)
        self.status = np.full(n, _PENDING, dtype=np.int8)
        self.route = np.full(n, -1, dtype=np.int64)
        self.route_ms = np.full(n, np.nan)
        self.extra = np.zeros(n)
        self.route_ids: dict[tuple[int, ...], int] = {}
        self.route_list: list[tuple[int, ...]] = []
        self.samples: list[np.ndarray] = []
        self.sample_times: list[float] = []
        self.events: list[tuple] = []
        self._src = streams["source_pos"].to_numpy()
        self._dst = streams["destination"].astype(str).to_numpy()
        self._parallel = (streams["klass"] == "cutover").to_numpy()
        self._down = streams["downstream"].to_numpy(bool)
        self._parts_left: dict[int, int] = {}
        self._part_of: dict[int, int] = {}  # engine flow id of a part -> its arrival
        self._next_part = n
        self.all_measured_done = env.event()
        self._left = 0
        self._measured = np.zeros(n, dtype=bool)

    def watch(self, measured: np.ndarray) -> None:
        self._measured = measured
        self._left = int(measured.sum())
        if not self._left:
            self.all_measured_done.succeed()

    # ------------------------------------------------------------------ processes

    def play(self):
        env = self.env
        a = self.arrivals
        times, stream, sizes, draw = a.time_s, a.stream, a.size_mbit, a.route_draw
        src, dst = self._src, self._dst
        start = self.engine.start
        done = self._done
        parallel = self._parallel
        down = self._down
        for i in range(len(times)):
            delay = times[i] - env.now
            if delay > 0:
                yield env.timeout(delay)
            s = stream[i]
            d = dst[s]
            options = self.router.routes(src[s], d)
            if not options:
                self._close(i, _UNREACHABLE, env.now)
                continue
            if d == "cloud":
                self.extra[i] = self.cloud_extra_ms
            if parallel[s]:
                self._start_parts(i, options, sizes[i], down[s])
                continue
            path, ms = options[int(draw[i] * len(options))]
            self.route[i] = self._route_id(path)
            self.route_ms[i] = ms
            start(i, reverse_path(path) if down[s] else path, sizes[i], on_done=done)

    def _start_parts(self, i: int, options, size_mbit: float, down: bool) -> None:
        """A cutover transfer: one parallel stream per equal route (multi-stream copy)."""
        self._parts_left[i] = len(options)
        self.route[i] = self._route_id(options[0][0])
        self.route_ms[i] = options[0][1]
        for path, _ in options:
            pid = self._next_part
            self._next_part += 1
            self._part_of[pid] = i
            self.engine.start(pid, reverse_path(path) if down else path,
                              size_mbit / len(options), on_done=self._part_done)

    def _part_done(self, flow, t: float) -> None:
        i = self._part_of.pop(flow.flow_id)
        self._parts_left[i] -= 1
        if self._parts_left[i] == 0:
            self._close(i, _DONE, t)

    def sample(self, every_s: float, until_s: float, per_sample: int = 10):
        """Sample utilisation: the mean of ``per_sample`` readings per period.

        A trunk's mean is over the readings while it was up; NaN when down the whole period.
        """
        eng = self.engine
        step = every_s / per_sample
        n = len(eng.capacity)
        total, up = np.zeros(n), np.zeros(n)
        k = 0
        while self.env.now <= until_s:
            yield self.env.timeout(step)
            cap = np.asarray(eng.capacity)
            live = cap > 0
            total += np.divide(np.asarray(eng.load), cap, out=np.zeros(n), where=live)
            up += live
            k += 1
            if k == per_sample:
                with np.errstate(invalid="ignore"):
                    self.samples.append(np.where(up > 0, total / np.maximum(up, 1), np.nan))
                self.sample_times.append(self.env.now)
                total, up = np.zeros(n), np.zeros(n)
                k = 0

    def fault(self, fault: Fault, at_s: float):
        effect = self._effect(fault)  # checks the fault's names before the run goes on
        if at_s > self.env.now:
            yield self.env.timeout(at_s)
        self._active.append(effect)
        self._apply("fault", fault.label)
        if fault.duration_s is not None:
            yield self.env.timeout(fault.duration_s)
            self._active.remove(effect)
            self._apply("recovery", fault.label)

    # ------------------------------------------------------------------ faults

    def _effect(self, fault: Fault) -> tuple[np.ndarray, np.ndarray, float]:
        """Links a fault takes down, trunk capacity factors, added cloud latency."""
        topo = self.trunks.topology
        down = np.zeros(len(self.link_up), dtype=bool)
        scale = np.ones(self.trunks.n_trunks)
        extra = 0.0
        if fault.carrier is not None:
            if fault.carrier not in topo.carriers:
                raise UnknownNodeError(f"fault {fault.label}: no carrier {fault.carrier!r}; the "
                                       f"topology has {', '.join(topo.carriers)}")
            down = self.trunks.link_carrier == fault.carrier
        elif fault.link is not None:
            down = _link_mask(topo, fault.link)
        else:
            ids = topo.nodes_of_kind("cloud")
            names = topo.nodes.loc[ids, "name"]
            hit = [i for i, n in zip(ids, names, strict=True)
                   if n == fault.cloud or n.endswith("·" + str(fault.cloud))
                   or i.endswith(f"#cloud:{fault.cloud}")]
            if not hit:
                raise UnknownNodeError(f"fault {fault.label}: no cloud node {fault.cloud!r}; "
                                       f"there are {', '.join(names) or 'none'}")
            pos = topo.nodes.index.get_indexer(hit)
            on = np.isin(self.trunks.u, pos) | np.isin(self.trunks.v, pos)
            scale[on] = fault.capacity_pct / 100.0
            extra = fault.extra_latency_ms
        return down, scale, extra

    def _apply(self, what: str, label: str) -> None:
        """Bring lines, capacities and routes to the faults active now; move cut flows."""
        link_up = np.ones(len(self.link_up), dtype=bool)
        scale = np.ones(self.trunks.n_trunks)
        extra = 0.0
        for down, factor, ms in self._active:
            link_up &= ~down
            scale *= factor
            extra += ms
        self.link_up = link_up
        self.cloud_extra_ms = extra
        new_cap = self.trunks.arc_capacity_mbps(link_up) * np.repeat(scale, 2)
        self.router = Router(self.trunks, link_up)
        dead = set(np.flatnonzero((new_cap <= 0) & (self.capacity > 0)).tolist())
        rerouted = dropped = 0
        eng = self.engine
        if dead:
            for fid, f in list(eng.flows.items()):
                if dead.isdisjoint(f.path):
                    continue
                i = self._part_of.get(fid, fid)
                s = self.arrivals.stream[i]
                options = self.router.routes(self._src[s], self._dst[s])
                if options:
                    path, ms = options[int(self.arrivals.route_draw[i] * len(options))]
                    eng.reroute(fid, reverse_path(path) if self._down[s] else path)
                    if fid == i:
                        self.route[i] = self._route_id(path)
                        self.route_ms[i] = max(self.route_ms[i], ms)
                    rerouted += 1
                else:
                    eng.abort(fid)
                    if self.status[i] == _PENDING:
                        self._close(i, _DROPPED, self.env.now)
                    dropped += 1
        changed = np.flatnonzero(new_cap != self.capacity)
        for t in changed.tolist():
            eng.set_capacity(t, float(new_cap[t]))
        self.capacity = new_cap
        self.cap_times.append(float(self.env.now))
        self.cap_hist.append(new_cap.copy())
        self.events.append((self.env.now, what, label, len(np.unique(changed >> 1)), rerouted,
                            dropped))

    # ------------------------------------------------------------------ records

    def _route_id(self, path: tuple[int, ...]) -> int:
        rid = self.route_ids.get(path)
        if rid is None:
            rid = self.route_ids[path] = len(self.route_list)
            self.route_list.append(path)
        return rid

    def _done(self, flow, t: float) -> None:
        self._close(flow.flow_id, _DONE, t)

    def _close(self, i: int, status: int, t: float) -> None:
        if self.status[i] != _PENDING:
            return  # a cutover's other streams ending after one was dropped
        self.status[i] = status
        if status == _DONE:
            self.end[i] = t
        if self._measured[i]:
            self._left -= 1
            if self._left == 0:
                self.all_measured_done.succeed()

    def table(self, measured: np.ndarray) -> pd.DataFrame:
        """One row per flow (see :meth:`TrafficResult.to_frame`), censored flows at bounds."""
        a = self.arrivals
        st = self.streams
        s = a.stream
        now = float(self.env.now)
        status = self.status.copy()
        running = (status == _PENDING) & (self.route >= 0)
        status[running] = 3  # still running: censored at the end of the run
        status[status == _PENDING] = 4  # never started
        left = np.zeros(len(s))  # megabits still to send (running flows)
        for fid in self.engine.flows:
            left[self._part_of.get(fid, fid)] += self.engine.remaining_mbit(fid)
        end = np.where(running, now, self.end)  # a running flow: at least until now
        transfer = end - a.time_s
        rtt_s = 2.0 * self.route_ms / 1000.0
        fct = transfer + rtt_s
        klass = st["klass"].to_numpy()[s]
        req = klass == "request"
        latency = np.where(req, (transfer + rtt_s) * 1000.0 + self.extra, np.nan)
        # queueing: transfer time beyond the response alone on the route's narrowest trunk,
        # at the capacities in force when the request started (a degraded line is not queueing)
        narrow = np.full(len(s), np.nan)
        has = self.route >= 0
        epoch = np.searchsorted(np.asarray(self.cap_times), a.time_s, side="right") - 1
        for k, cap in enumerate(self.cap_hist):
            pick = has & (epoch == k)
            if not pick.any():
                continue
            route_min = np.array([cap[list(p)].min() if p else np.inf for p in self.route_list])
            narrow[pick] = route_min[self.route[pick]]
        with np.errstate(divide="ignore"):
            alone = a.size_mbit / narrow
        extra = transfer - alone
        queueing = np.where(req, np.where(extra > 1e-9 * alone, extra, 0.0) * 1000.0, np.nan)
        sent = np.where(status == 0, a.size_mbit, np.where(running, a.size_mbit - left, np.nan))
        return pd.DataFrame({
            "stream": s, "source": st["source"].to_numpy()[s], "unit": st["unit"].to_numpy()[s],
            "unit_name": st["unit_name"].to_numpy()[s], "tier": st["tier"].to_numpy()[s],
            "destination": st["destination"].to_numpy()[s], "klass": klass,
            "direction": pd.Categorical.from_codes(self._down[s].astype(np.int8),
                                                   categories=list(DIRECTIONS)),
            "start_s": a.time_s, "size_mb": a.size_mbit / MBIT_PER_MB, "end_s": self.end,
            "fct_s": fct, "throughput_mbps": a.size_mbit / fct,
            "latency_ms": latency, "queueing_ms": queueing,
            "sent_mb": sent / MBIT_PER_MB,
            "route": self.route, "route_latency_ms": self.route_ms,
            "status": pd.Categorical.from_codes(status, categories=list(STATUSES)),
            "censored": running,
            "measured": measured,
        })

    def arc_table(self, flows: pd.DataFrame, window: tuple[float, float],
                  arc_util: np.ndarray, sample_times: np.ndarray) -> pd.DataFrame:
        """Per arc: nominal capacity, capacity in force, offered load, mean utilisation.

        Offered: the megabits of the flows started in ``window`` (measured or not, done or
        not), along their routes in the direction they travel, per second of the window.
        Capacity in force: its time mean over the window.
        """
        t0, t1 = window
        span = max(t1 - t0, 1e-9)
        n = self.trunks.n_arcs
        start = flows["start_s"].to_numpy()
        route = flows["route"].to_numpy()
        inside = (start >= t0) & (start < t1) & (route >= 0)
        size = flows["size_mb"].to_numpy() * MBIT_PER_MB
        down = (flows["direction"] == "downstream").to_numpy()
        offered = np.zeros(n)
        key = pd.DataFrame({"route": route[inside], "down": down[inside], "mbit": size[inside]})
        for (r, d), mbit in key.groupby(["route", "down"])["mbit"].sum().items():
            path = self.route_list[int(r)]
            offered[list(reverse_path(path) if d else path)] += mbit
        times = np.append(np.asarray(self.cap_times), np.inf)
        in_force = np.zeros(n)
        for k, cap in enumerate(self.cap_hist):
            overlap = max(0.0, min(times[k + 1], t1) - max(times[k], t0))
            in_force += cap * overlap
        in_force /= span
        keep = (sample_times > t0) & (sample_times <= t1 + 1e-9)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an arc down the whole window
            mean_u = (np.nanmean(arc_util[keep], axis=0) if keep.any()
                      else np.full(n, np.nan))
        arcs = np.arange(n)
        return pd.DataFrame({
            "trunk": arcs >> 1,
            "direction": np.where(arcs & 1, "target→source", "source→target"),
            "capacity_mbps": self.cap_hist[0], "capacity_in_force_mbps": in_force,
            "offered_mbps": offered / span, "mean_utilisation": mean_u,
        }, index=pd.RangeIndex(n, name="arc"))


def _link_mask(topology: Topology, spec: str) -> np.ndarray:
    """Link positions a ``link`` fault names: ``"A -- B"`` (every line of the pair) or an id."""
    links = topology.links
    text = spec.strip()
    if text.lstrip("-").isdigit():
        lid = int(text)
        if lid not in links.index:
            raise UnknownNodeError(f"fault link:{spec}: no link {lid} in the topology")
        return (links.index == lid)
    if "--" not in text:
        raise UnknownNodeError(f'fault link:{spec}: write a link as "SOURCE -- TARGET" (node '
                               "ids) or as a link id")
    a, b = (x.strip() for x in text.split("--", 1))
    try:
        topology.require([a, b])
    except UnknownNodeError as exc:
        raise UnknownNodeError(f"fault link:{spec}: {exc.args[0]}") from None
    src, dst = links["source"].to_numpy(), links["target"].to_numpy()
    mask = ((src == a) & (dst == b)) | ((src == b) & (dst == a))
    if not mask.any():
        raise UnknownNodeError(f"fault link:{spec}: {a} and {b} are not joined by a link")
    return mask
