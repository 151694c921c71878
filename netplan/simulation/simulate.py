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
  load. A measured flow still running at the end is ``unfinished``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import simpy

from netplan.errors import UnknownNodeError
from netplan.model.scenario import Fault, Scenario
from netplan.simulation.engine import FlowEngine
from netplan.simulation.network import Router, Trunks
from netplan.simulation.traffic import MBIT_PER_MB, Arrivals, draw_arrivals, traffic_streams
from netplan.topology import Topology, build_topology

__all__ = ["TrafficResult", "simulate_traffic", "STATUSES"]

#: Status of a flow at the end: done, cut off at its start, dropped by a fault, still running,
#: or not started (an arrival after the run ended: the run stops once measured flows are done).
STATUSES = ("done", "unreachable", "dropped", "unfinished", "not_started")
_PENDING, _DONE, _UNREACHABLE, _DROPPED = -1, 0, 1, 2


@dataclass
class TrafficResult:
    """What a simulation measured.

    Attributes
    ----------
    flows : pandas.DataFrame
        One row per flow (see :meth:`to_frame`).
    utilisation : pandas.DataFrame
        Sampled load / capacity of every trunk: index ``time_s``, one column per trunk.
    trunks : pandas.DataFrame
        The trunks (:meth:`Trunks.to_frame`).
    routes : list of tuple of int
        The routes flows took (``flows["route"]`` indexes it), as trunk tuples.
    events : pandas.DataFrame
        Fault and recovery log: time, what, trunks changed, flows rerouted and dropped.
    case : str
        The failure case's name (``normal`` for none).
    stats : dict
        Flow counts, wall time and engine counters.
    """

    flows: pd.DataFrame
    utilisation: pd.DataFrame
    trunks: pd.DataFrame
    routes: list[tuple[int, ...]]
    events: pd.DataFrame
    case: str = "normal"
    stats: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One row per flow.

        Columns: ``stream``, ``source``, ``unit``, ``tier``, ``destination``, ``klass``,
        ``start_s``, ``size_mb``, ``end_s``, ``fct_s``, ``throughput_mbps``, ``latency_ms`` and
        ``queueing_ms`` (requests), ``route``, ``status``, ``measured``.
        """
        return self.flows

    def route_label(self, route: int) -> str:
        """A route as ``node → node → …`` (node names)."""
        if route < 0:
            return ""  # the flow never got a route
        path = self.routes[route]
        if not path:
            return ""
        t = self.trunks
        src, dst = t["source"].to_numpy(), t["target"].to_numpy()
        nodes = [src[path[0]], dst[path[0]]]
        for tr in path[1:]:
            a, b = src[tr], dst[tr]
            nodes.append(b if a == nodes[-1] else a)
        return " → ".join(n.rsplit("/", 1)[-1] for n in nodes)

    def link_utilisation(self, tier: str | None = None, kind: str | None = None) -> pd.DataFrame:
        """Mean and peak sampled utilisation per trunk (of one tier/kind), busiest first."""
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
        return out.sort_values("mean_utilisation", ascending=False, kind="stable")


def simulate_traffic(scenario: Scenario, topology: Topology | None = None, *,
                     faults: list[Fault] | tuple[Fault, ...] = (), case: str = "normal",
                     seed: int | None = None, duration_s: float | None = None,
                     warmup_s: float | None = None, year: int | None = None,
                     system_mbps: dict[str, float] | None = None,
                     cutovers: pd.DataFrame | None = None, scale: float = 1.0,
                     size_scale: float = 1.0, requests: bool = True) -> TrafficResult:
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
    system_mbps : dict of str to float, optional
        Extra busy-hour Mbps to the cloud per site node id (systems on the cloud).
    cutovers : pandas.DataFrame, optional
        Migration transfers to run besides the traffic: columns ``name``, ``source`` (node id),
        ``size_mb`` and ``start_s``; they go to the cloud and are ``klass`` ``cutover``. They
        are then the measured flows (the traffic is their background) and the run ends when
        they are done.
    scale : float
        Multiply every stream's rate (e.g. off-peak load in a maintenance window).
    size_scale : float
        Multiply bulk and sync flow sizes and divide their rates by it: the same load in
        fewer, larger flows (coarser events for long periods).
    requests : bool
        Simulate interactive requests (off: bulk and sync traffic only, e.g. as background).

    Returns
    -------
    TrafficResult

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> r = simulate_traffic(tiny_scenario(), duration_s=600, seed=1)
    >>> r.flows["status"].value_counts().to_dict()["done"] > 500
    True
    >>> r2 = simulate_traffic(tiny_scenario(), duration_s=600, seed=1)
    >>> r.flows["fct_s"].equals(r2.flows["fct_s"])    # same seed, same numbers
    True
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

    streams = traffic_streams(scenario, topology, year=year, system_mbps=system_mbps,
                              scale=scale)
    if not requests:
        streams = streams[streams["klass"] != "request"].reset_index(drop=True)
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
    env.process(run.sample(sim.sample_s, duration + tail))
    fault_rng = np.random.default_rng([seed, 2])
    for fault in faults:
        at = (float(fault_rng.uniform(warm, duration)) if fault.at_s == "random"
              else float(fault.at_s))
        if at >= duration:
            raise ValueError(f"fault {fault.label} at {at:g} s is not within the simulated "
                             f"{duration:g} s; start it earlier or simulate longer")
        env.process(run.fault(fault, at))
    if cutovers is not None and len(cutovers):
        # a cutover run measures the transfers; the traffic is their background
        measured = streams["klass"].to_numpy()[arrivals.stream] == "cutover"
    else:
        measured = (arrivals.time_s >= warm) & (arrivals.time_s < duration)
    run.watch(measured)
    env.run(until=run.all_measured_done | env.timeout(duration + tail))
    flows = run.table(measured)
    util = pd.DataFrame(np.array(run.samples) if run.samples else
                        np.zeros((0, trunks.n_trunks)),
                        index=pd.Index(run.sample_times, name="time_s"))
    util.columns.name = "trunk"
    stats = {"flows": len(arrivals), "measured": int(measured.sum()),
             "simulated_s": float(env.now), "wall_s": time.perf_counter() - wall0,
             **run.engine.stats}
    return TrafficResult(flows=flows, utilisation=util, trunks=trunks.to_frame(),
                         routes=run.route_list, events=pd.DataFrame(
                             run.events, columns=["time_s", "event", "fault", "trunks_changed",
                                                  "flows_rerouted", "flows_dropped"]),
                         case=case, stats=stats)


def _with_cutovers(streams: pd.DataFrame, arrivals: Arrivals, cutovers: pd.DataFrame | None,
                   topology: Topology) -> tuple[pd.DataFrame, Arrivals]:
    """Append one stream and one arrival per cutover transfer."""
    if cutovers is None or not len(cutovers):
        return streams, arrivals
    nodes = topology.nodes
    topology.require(cutovers["source"])
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
        self.capacity = trunks.capacity_mbps(self.link_up)
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
                self._start_parts(i, options, sizes[i])
                continue
            path, ms = options[int(draw[i] * len(options))]
            self.route[i] = self._route_id(path)
            self.route_ms[i] = ms
            start(i, path, sizes[i], on_done=done)

    def _start_parts(self, i: int, options, size_mbit: float) -> None:
        """A cutover transfer: one parallel stream per equal route (multi-stream copy)."""
        self._parts_left[i] = len(options)
        self.route[i] = self._route_id(options[0][0])
        self.route_ms[i] = options[0][1]
        for path, _ in options:
            pid = self._next_part
            self._next_part += 1
            self._part_of[pid] = i
            self.engine.start(pid, path, size_mbit / len(options), on_done=self._part_done)

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
        new_cap = self.trunks.capacity_mbps(link_up) * scale
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
                    eng.reroute(fid, path)
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
        self.events.append((self.env.now, what, label, len(changed), rerouted, dropped))

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
        a = self.arrivals
        st = self.streams
        s = a.stream
        status = self.status.copy()
        status[(status == _PENDING) & (self.route >= 0)] = 3  # still running
        status[status == _PENDING] = 4  # never started
        transfer = self.end - a.time_s
        rtt_s = 2.0 * self.route_ms / 1000.0
        fct = transfer + rtt_s
        klass = st["klass"].to_numpy()[s]
        req = klass == "request"
        latency = np.where(req, (transfer + rtt_s) * 1000.0 + self.extra, np.nan)
        # queueing: transfer time beyond the response alone on the route's narrowest trunk
        narrow = np.full(len(s), np.nan)
        cap0 = self.trunks.capacity_mbps(np.ones(len(self.link_up), dtype=bool))
        route_min = np.array([cap0[list(p)].min() if p else np.inf for p in self.route_list])
        has = self.route >= 0
        narrow[has] = route_min[self.route[has]]
        alone = a.size_mbit / narrow
        extra = transfer - alone
        queueing = np.where(req, np.where(extra > 1e-9 * alone, extra, 0.0) * 1000.0, np.nan)
        return pd.DataFrame({
            "stream": s, "source": st["source"].to_numpy()[s], "unit": st["unit"].to_numpy()[s],
            "unit_name": st["unit_name"].to_numpy()[s], "tier": st["tier"].to_numpy()[s],
            "destination": st["destination"].to_numpy()[s], "klass": klass,
            "start_s": a.time_s, "size_mb": a.size_mbit / MBIT_PER_MB, "end_s": self.end,
            "fct_s": fct, "throughput_mbps": a.size_mbit / fct,
            "latency_ms": latency, "queueing_ms": queueing,
            "route": self.route, "route_latency_ms": self.route_ms,
            "status": pd.Categorical.from_codes(status, categories=list(STATUSES)),
            "measured": measured,
        })


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
