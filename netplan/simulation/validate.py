"""Interconnect validation: service levels per site and failure case, and cutover windows.

Does every site reach the cloud, the platform and the province within its service levels — in
normal operation and in each failure case — and do a schedule's cutovers finish in their windows?

The documents' check is "vertical province–city–county, horizontal every department" (纵向省市县、
横向各部门): every department (and every village office, here per town) must reach the cloud
node, the exchange platform and the province backbone. :func:`validate_interconnect` simulates
the busy hour once per case and scores each (site, destination) against the tier's service
levels; :func:`validate_cutovers` simulates the weeks of a migration plan with the heaviest
cutover transfers.

Scoring (per unit and destination, against the tier's :class:`ServiceLevel`):

- the statistics are over every measured flow; a flow still running at the end (*censored*)
  counts at its bounds (FCT and latency at least the run's end − its start + one round trip,
  throughput at most its size over that), so a missed service level is missed for certain;
  and a unit fails when more than ``simulation.max_unfinished_pct`` of its flows to a
  destination are still running *and already late* — their bound is past the service level
  (throughput bound below it, request latency bound above the p99 level) — so the slowest
  flows cannot hide in a mean. A large transfer that started just before the end and is
  still on time is not late;
- a failing check names its *bottleneck*: the link direction on its routes with the highest
  offered load over the capacity in force, that load and capacity, and the capacity that
  would make it pass — the M/G/1 processor-sharing estimate: on a link of capacity ``C``
  with offered load ``A`` a flow of ``x`` Mbit takes ``x / (C - A)`` on average, so the mean
  throughput service level ``θ`` needs ``C >= A + θ`` and the latency level ``L`` at quantile
  ``q`` needs ``C >= A + x_q / (L - rtt)`` with ``x_q = -ln(1 - q) × mean response``
  (exponential sizes). It is an estimate for the one link; a route with two loaded links
  needs both raised.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netplan.model.diagnose import carriers_in_use
from netplan.model.scenario import FailureCase, Fault, Scenario, ServiceLevel
from netplan.simulation.simulate import TrafficResult, resolve_system_mbps, simulate_traffic
from netplan.simulation.traffic import MBIT_PER_MB, CloudSystems
from netplan.topology import Topology, build_topology
from netplan.topology.analysis import TIER_ORDER

__all__ = ["InterconnectValidation", "validate_interconnect", "default_failure_cases",
           "CutoverValidation", "cutover_load", "validate_cutovers", "CHECKED_DESTINATIONS",
           "pool_replications", "simulation_pool"]

#: Seconds of the first simulation of each case (warm-up included) when the length is
#: dimensioned (:func:`validate_interconnect`); Meizhou's verdicts all hold at 95% after it.
PILOT_S = 720.0
#: Destinations validated (internet traffic is simulated but has no service level here).
CHECKED_DESTINATIONS = ("cloud", "platform", "province")
_TIERS = ("city", "county", "town", "village")


def default_failure_cases(scenario: Scenario) -> list[FailureCase]:
    """The scenario's failure cases, or one per carrier down for the whole period.

    Only carriers that some tier gives a line are failed (see
    :func:`netplan.model.diagnose.carriers_in_use`): failing one with no line would simulate
    normal operation under another name and pass without testing anything.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> [c.name for c in default_failure_cases(tiny_scenario())]
    ['电信 down', '联通 down']
    """
    if scenario.simulation.failures is not None:
        return list(scenario.simulation.failures)
    return [FailureCase(name=f"{c} down", faults=[Fault(carrier=c)])
            for c in carriers_in_use(scenario)]


@dataclass
class InterconnectValidation:
    """Service-level checks per site, destination and case, with per-tier verdicts.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (case, unit, destination): the measured numbers, the service levels, ``ok``
        and, when not, ``reason``. A *unit* is a department, or a town's village offices.
    results : dict of str to TrafficResult
        The simulation of each case (flows, link utilisation, fault log).
    systems : str
        Which systems on the cloud loaded the lines (also the first column of every table).
    """

    table: pd.DataFrame
    results: dict[str, TrafficResult] = field(repr=False)
    systems: str = ""
    confidence: float = 0.95

    @property
    def measured_s(self) -> dict[str, float]:
        """Per case, the measured seconds its verdicts rest on (after the warm-up)."""
        return {c: r.stats["measured_to_s"] - r.stats["measured_from_s"]
                for c, r in self.results.items()}

    @property
    def unconfirmed(self) -> int:
        """Checks whose verdict does not hold at :attr:`confidence`."""
        return int((~self.table["confirmed"]).sum())

    @property
    def cases(self) -> list[str]:
        """Case names, normal first."""
        return list(self.results)

    @property
    def passed(self) -> bool:
        """True when every check of every case passed, each at :attr:`confidence`."""
        return bool(self.table["ok"].all() and self.table["confirmed"].all())

    def to_frame(self) -> pd.DataFrame:
        """The full pass/fail table (see :attr:`table`)."""
        return self.table

    def verdict(self) -> pd.DataFrame:
        """Per case and tier: units, checks, failures, PASS/FAIL and the worst unit."""
        rows = []
        for (case, tier), g in self.table.groupby(["case", "tier"], sort=False):
            bad = g[~g["ok"]]
            worst = bad.sort_values("severity", ascending=False).head(1)
            unsure = int((~g["confirmed"]).sum())
            rows.append({
                "systems_on_cloud": self.systems,
                "case": case, "tier": tier, "units": g["unit"].nunique(), "checks": len(g),
                "failed_checks": len(bad), "failed_units": bad["unit"].nunique(),
                "unconfirmed_checks": unsure,
                "verdict": "FAIL" if len(bad) else ("INCONCLUSIVE" if unsure else "PASS"),
                "worst": "" if worst.empty else
                f"{worst['unit_name'].iloc[0]} → {worst['destination'].iloc[0]}: "
                f"{worst['reason'].iloc[0]}",
            })
        return pd.DataFrame(rows)

    def failing(self) -> pd.DataFrame:
        """The failed checks, worst first."""
        return self.table[~self.table["ok"]].sort_values(["case", "severity"],
                                                         ascending=[True, False])

    def failing_units(self) -> pd.DataFrame:
        """One row per (case, unit) failing any check: where it is, which destinations, why."""
        cols = ["systems_on_cloud", "case", "tier", "county", "town", "unit_name",
                "destinations", "reason", "bottleneck", "bottleneck_offered_mbps",
                "bottleneck_capacity_mbps", "capacity_to_pass_mbps", "severity"]
        bad = self.failing()
        if bad.empty:
            return pd.DataFrame(columns=cols)
        out = (bad.groupby(["case", "unit"], sort=False)
               .agg(systems_on_cloud=("systems_on_cloud", "first"), tier=("tier", "first"),
                    county=("county", "first"), town=("town", "first"),
                    unit_name=("unit_name", "first"),
                    destinations=("destination", lambda s: ", ".join(map(str, s))),
                    reason=("reason", "first"), bottleneck=("bottleneck", "first"),
                    bottleneck_offered_mbps=("bottleneck_offered_mbps", "first"),
                    bottleneck_capacity_mbps=("bottleneck_capacity_mbps", "first"),
                    capacity_to_pass_mbps=("capacity_to_pass_mbps", "max"),
                    severity=("severity", "max"))
               .reset_index())
        return out[cols]

    def worst_paths(self, n: int = 10) -> pd.DataFrame:
        """Per case, the ``n`` checks furthest from their service level, with their routes."""
        cols = ["systems_on_cloud", "case", "tier", "unit_name", "destination", "reason",
                "latency_p99_ms", "throughput_mean_mbps", "bottleneck", "worst_route"]
        t = self.table.sort_values("severity", ascending=False)
        return t.groupby("case", sort=False).head(n)[cols].reset_index(drop=True)


def validate_interconnect(scenario: Scenario, topology: Topology | None = None, *,
                          systems: CloudSystems | None = None,
                          cases: list[FailureCase] | None = None, seed: int | None = None,
                          duration_s: float | None = None, year: int | None = None,
                          workers: int = 1, confidence: float = 0.95,
                          pilot_s: float | None = PILOT_S,
                          min_requests: int = 30,
                          min_transfers: int = 5) -> InterconnectValidation:
    """Simulate normal operation and every failure case; check every site's service levels.

    Parameters
    ----------
    scenario : Scenario
        ``simulation.service_levels`` per tier are the thresholds,
        ``simulation.max_unfinished_pct`` the share of flows that may still be running
        past their service level at the end.
    topology : Topology, optional
        Built from the scenario when not given.
    systems : CloudSystems, optional
        The systems on the cloud whose traffic loads their departments' lines:
        ``netplan.io.cloud_systems_io.systems_on_cloud(scenario)`` resolves the scenario's
        ``simulation.systems_on_cloud`` (default ``today``), as ``netplan simulate`` and
        ``netplan run`` do. Required when the scenario has an inventory.
    cases : list of FailureCase, optional
        Default :func:`default_failure_cases`. Normal operation is always simulated first.
    seed, year
        Passed to :func:`~netplan.simulation.simulate_traffic`.
    duration_s : float, optional
        Simulate exactly this long (with a 5% warm-up). By default the length is dimensioned
        (see ``pilot_s``).
    confidence : float
        One-sided confidence at which each check's verdict must hold (see
        :func:`_confirm`); a check whose verdict does not is *unconfirmed* and keeps its
        tier's verdict from PASS.
    min_requests, min_transfers : int
        Requests and transfers each unit makes to each destination per pilot's measured time
        at least (probes; see ``simulate_traffic``); a run of another length gets them at
        the same rate.
    pilot_s : float or None
        Without ``duration_s``: every case is simulated for ``pilot_s`` seconds (the
        scenario's warm-up included) first; a case with unconfirmed checks gets one more,
        independent replication (the next seed, its own warm-up) as long as its
        slowest-to-confirm check needs (at the pilot's rates), the two pooled
        (:func:`pool_replications`), at most ``simulation.duration_s`` measured in all. None:
        simulate ``simulation.duration_s`` at once.
    workers : int or concurrent.futures.Executor
        Cases simulated at once in separate processes (each case has its own seeded random
        streams, so the numbers do not depend on it), or a pool to use
        (:func:`simulation_pool`).

    Returns
    -------
    InterconnectValidation

    Raises
    ------
    NetplanError
        The scenario has an inventory and ``systems`` is not given.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> v = validate_interconnect(tiny_scenario(), duration_s=600, cases=[])
    >>> v.verdict()[["tier", "units", "verdict"]].values.tolist()
    [['city', 2, 'PASS'], ['county', 2, 'PASS'], ['town', 3, 'PASS'], ['village', 3, 'PASS']]
    >>> v.systems
    'none'
    """
    topology = topology if topology is not None else build_topology(scenario)
    _, label = resolve_system_mbps(scenario, topology, systems)  # fail early, not per process
    if systems is None:
        systems = CloudSystems("none")
    cases = default_failure_cases(scenario) if cases is None else list(cases)
    names = [c.name for c in cases]
    if "normal" in names or len(set(names)) != len(names):
        raise ValueError("failure case names must be unique and not 'normal'")
    sim = scenario.simulation
    adaptive = duration_s is None and pilot_s is not None and pilot_s < sim.duration_s
    warm = sim.measured_from_s
    first_s = max(float(pilot_s), warm + 60.0) if adaptive else duration_s
    adaptive = adaptive and first_s < sim.duration_s
    # probes at one rate whatever the length: the minimum counts are per pilot's measured time
    pilot_measured = (max(float(pilot_s or PILOT_S), warm + 60.0)) - warm
    if adaptive:
        share = 1.0
    else:
        length = sim.duration_s if duration_s is None else float(duration_s)
        share = (length - (warm if duration_s is None else 0.05 * length)) / pilot_measured
    common = dict(seed=seed, year=year, systems=systems,
                  min_requests=math.ceil(min_requests * share),
                  min_transfers=math.ceil(min_transfers * share),
                  **({"duration_s": first_s, "warmup_s": warm} if adaptive
                     else {"duration_s": duration_s}))
    runs = [dict(common, case="normal", faults=[])]
    runs += [dict(common, case=c.name, faults=c.faults) for c in cases]

    scoring = dict(levels=sim.service_levels, max_unfinished_pct=sim.max_unfinished_pct,
                   response_mbit=scenario.demand.interactive.response_kb * MBIT_PER_MB / 1000,
                   confidence=confidence)

    def score(result: TrafficResult) -> pd.DataFrame:
        return _score(result, topology=topology, **scoring)

    # each case scored where it was simulated (in parallel)
    simulated = _simulate_all(scenario, topology, runs, workers, scoring=scoring)
    tables = {r.case: t for r, t in simulated}
    results = {r.case: r for r, _ in simulated}
    if adaptive:  # one more replication, each case as long as its unconfirmed checks need
        again = []
        for run in runs:
            need = tables[run["case"]]["measured_s_to_confirm"]
            need = need[need <= (sim.duration_s - warm) / 1.1]  # those more time confirms
            if len(need):
                more = min(sim.duration_s - warm, 1.1 * float(need.max())) - pilot_measured
                if more > 1.0:  # probes at the pilot's rates: their minimum in proportion
                    share = more / pilot_measured
                    again.append(dict(run, duration_s=warm + more,
                                      seed=(sim.seed if seed is None else seed) + 1,
                                      min_requests=math.ceil(min_requests * share),
                                      min_transfers=math.ceil(min_transfers * share)))
        for r in _simulate_all(scenario, topology, again, workers):
            pooled = pool_replications(results[r.case], r)
            tables[r.case], results[r.case] = score(pooled), pooled
    table = pd.concat([tables[r["case"]] for r in runs], ignore_index=True)
    table.insert(0, "systems_on_cloud", label)
    results = {r["case"]: results[r["case"]] for r in runs}
    return InterconnectValidation(table, results, systems=label, confidence=confidence)


#: Counters of :attr:`TrafficResult.stats` that pooled replications sum.
_COUNTERS = ("flows_started", "flows_finished", "flows_dropped", "flows_censored",
             "flows_unreachable", "flows_not_started", "engine_active", "started", "finished",
             "aborted", "allocations", "reallocated")


def pool_replications(first: TrafficResult, second: TrafficResult) -> TrafficResult:
    """Two independent runs of the same case as one result: their measured flows together.

    The flows of ``second`` are appended to ``first``'s with their routes renumbered into
    ``first``'s route list; the measured time is the sum of both (``stats["replications"]``
    counts the runs). Link tables, utilisation series and events stay ``first``'s.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.simulation import simulate_traffic
    >>> a = simulate_traffic(tiny_scenario(), duration_s=300, seed=1)
    >>> b = simulate_traffic(tiny_scenario(), duration_s=300, seed=2)
    >>> both = pool_replications(a, b)
    >>> len(both.flows) == len(a.flows) + len(b.flows), both.stats["replications"]
    (True, 2)
    """
    import dataclasses

    routes = list(first.route_arcs)
    labels = list(first.routes)
    index = {arcs: k for k, arcs in enumerate(routes)}
    renumber = np.full(len(second.route_arcs) + 1, -1, dtype=np.int64)
    for k, arcs in enumerate(second.route_arcs):
        if arcs not in index:
            index[arcs] = len(routes)
            routes.append(arcs)
            labels.append(second.routes[k])
        renumber[k] = index[arcs]
    extra = second.flows.copy()
    r = extra["route"].to_numpy()
    extra["route"] = np.where(r >= 0, renumber[np.maximum(r, 0)], r)
    flows = pd.concat([first.flows, extra], ignore_index=True)
    stats = dict(first.stats)
    measured = (first.stats["measured_to_s"] - first.stats["measured_from_s"]
                + second.stats["measured_to_s"] - second.stats["measured_from_s"])
    stats.update(measured_to_s=stats["measured_from_s"] + measured,
                 replications=first.stats.get("replications", 1)
                 + second.stats.get("replications", 1),
                 flows=first.stats["flows"] + second.stats["flows"],
                 measured=first.stats["measured"] + second.stats["measured"],
                 wall_s=first.stats["wall_s"] + second.stats["wall_s"],
                 simulated_s=first.stats["simulated_s"] + second.stats["simulated_s"])
    # the flow and engine counters add up too (every flow of both counted once)
    stats.update({k: first.stats[k] + second.stats[k] for k in _COUNTERS
                  if k in first.stats and k in second.stats})
    return dataclasses.replace(first, flows=flows, routes=labels, route_arcs=routes,
                               stats=stats)


def _simulate_all(scenario: Scenario, topology: Topology, runs: list[dict],
                  workers, scoring: dict | None = None) -> list:
    """``simulate_traffic(scenario, topology, **run)`` for each run, ``workers`` at a time.

    With ``scoring`` (keywords of :func:`_score`) each result comes with its score table, as
    ``(result, table)``, scored in the process that simulated it.
    """
    from concurrent.futures import Executor

    if isinstance(workers, Executor):  # a pool the caller keeps for several calls
        futures = [workers.submit(_simulate_one, scenario, topology, run, scoring)
                   for run in runs]
        return [f.result() for f in futures]
    if workers <= 1 or len(runs) <= 1:
        return [_simulate_one(scenario, topology, run, scoring) for run in runs]
    with simulation_pool(min(workers, len(runs))) as pool:
        futures = [pool.submit(_simulate_one, scenario, topology, run, scoring) for run in runs]
        return [f.result() for f in futures]


def simulation_pool(workers: int):
    """A process pool for simulations (spawned processes), to pass as ``workers=``.

    One pool for the busy hour and the cutover weeks starts the processes once.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("spawn")  # never fork a parent that has threads
    return ProcessPoolExecutor(workers, mp_context=ctx)


def _simulate_one(scenario: Scenario, topology: Topology, run: dict, scoring: dict | None):
    result = simulate_traffic(scenario, topology, **run)
    if scoring is None:
        return result
    return result, _score(result, topology=topology, **scoring)


def _score(result: TrafficResult, levels, topology: Topology, *,
           max_unfinished_pct: float = 1.0, response_mbit: float = 1.6,
           confidence: float = 0.95) -> pd.DataFrame:
    """One row per (unit, destination) of one case: numbers, service levels, verdict.

    Unfinished flows count at their bounds (see the module); ``response_mbit`` is the mean
    response size, for the capacity a latency service level needs.
    """
    f = result.flows
    f = f[f["measured"] & f["destination"].isin(CHECKED_DESTINATIONS)
          & f["klass"].isin(["bulk", "sync", "request"])]
    keys = ["unit", "destination"]
    g = f.groupby(keys, sort=False, observed=True)
    scored = f["status"].isin(["done", "unfinished"])  # unfinished: at their bounds
    bulk = f[f["klass"].isin(["bulk", "sync"]) & scored]
    req = f[(f["klass"] == "request") & scored]
    out = pd.DataFrame({
        "unit_name": g["unit_name"].first(), "tier": g["tier"].first(),
        "source": g["source"].first(), "flows": g.size(),
    })
    counts = f.groupby([*keys, "status"], observed=False).size().unstack(fill_value=0)
    for status in ("unreachable", "dropped", "unfinished"):
        out[status] = counts[status].reindex(out.index).astype(int)
    # late: still running and already past the tier's level (a bound beyond it)
    tp_level = f["tier"].map(lambda t: getattr(levels, t).throughput_mbps)
    p99_level = f["tier"].map(lambda t: getattr(levels, t).latency_p99_ms)
    late = f["censored"] & np.where(f["klass"] == "request", f["latency_ms"] > p99_level,
                                    f["throughput_mbps"] < tp_level)
    out["unfinished_late"] = (late.groupby([f["unit"], f["destination"]], observed=True).sum()
                              .reindex(out.index).fillna(0).astype(int))
    out["unfinished_pct"] = 100.0 * out["unfinished_late"] / out["flows"]
    bg = bulk.groupby(keys, sort=False, observed=True)
    out["fct_mean_s"] = bg["fct_s"].mean()
    out["fct_p95_s"] = bg["fct_s"].quantile(0.95)
    out["fct_p99_s"] = bg["fct_s"].quantile(0.99)
    out["throughput_mean_mbps"] = bg["throughput_mbps"].mean()
    rg = req.groupby(keys, sort=False, observed=True)
    out["requests"] = rg.size()
    out["latency_mean_ms"] = rg["latency_ms"].mean()
    out["latency_p95_ms"] = rg["latency_ms"].quantile(0.95)
    out["latency_p99_ms"] = rg["latency_ms"].quantile(0.99)
    out["queueing_mean_ms"] = rg["queueing_ms"].mean()
    out["rtt_ms"] = 2.0 * g["route_latency_ms"].max()
    out["bulk_flows"] = bg.size()
    out["throughput_std_mbps"] = bg["throughput_mbps"].std()
    by_req = [req["unit"], req["destination"]]
    excess = req["latency_ms"] - 2.0 * req["route_latency_ms"]  # queueing + transfer
    out["latency_excess_mean_ms"] = excess.groupby(by_req, observed=True).mean()
    for q in ("p95", "p99"):
        level = req["tier"].map(lambda t, q=q: getattr(getattr(levels, t), f"latency_{q}_ms")
                                 ).astype(float)
        out[f"requests_over_{q}"] = ((req["latency_ms"] > level).groupby(by_req, observed=True)
                                     .sum().reindex(out.index).fillna(0).astype(int))
    worst = req.loc[rg["latency_ms"].idxmax().dropna().astype(int)] if len(req) else req
    out["worst_route"] = pd.Series(
        [result.route_label(int(r)) for r in worst["route"]],
        index=pd.MultiIndex.from_frame(worst[keys]) if len(worst) else None, dtype=object)
    transfers = f["klass"].isin(["bulk", "sync"])
    out = out.join(_bottlenecks(result, f[transfers], keys).add_prefix("bulk_"))
    out = out.join(_bottlenecks(result, f[~transfers], keys).add_prefix("request_"))
    out = out.reset_index()
    out["requests"] = out["requests"].fillna(0).astype(int)
    out["worst_route"] = out["worst_route"].fillna("")
    cut = (out["unreachable"] + out["dropped"]) > 0
    out.loc[cut & (out["worst_route"] == ""), "worst_route"] = "(no route)"
    nodes = topology.nodes
    out["county"] = nodes.loc[out["source"], "county"].to_numpy()
    out["town"] = nodes.loc[out["source"], "town"].to_numpy()
    sl = {t: getattr(levels, t) for t in _TIERS}
    out["sl_throughput_mbps"] = out["tier"].map(lambda t: sl[t].throughput_mbps)
    out["sl_latency_p95_ms"] = out["tier"].map(lambda t: sl[t].latency_p95_ms)
    out["sl_latency_p99_ms"] = out["tier"].map(lambda t: sl[t].latency_p99_ms)
    out["sl_unfinished_pct"] = max_unfinished_pct
    _choose_bottleneck(out, sl, response_mbit)
    out["bulk_flows"] = out["bulk_flows"].fillna(0).astype(int)
    checks = [_check(row, sl[row.tier], max_unfinished_pct) for row in out.itertuples()]
    out["ok"] = [c[0] for c in checks]
    out["reason"] = [c[1] for c in checks]
    out["severity"] = [c[2] for c in checks]
    out.loc[out["ok"], "capacity_to_pass_mbps"] = np.nan
    window_s = result.stats["measured_to_s"] - result.stats["measured_from_s"]
    out["confirmed"], out["measured_s_to_confirm"] = _confirm(out, sl, confidence, window_s,
                                                              max_unfinished_pct)
    out.insert(0, "case", result.case)
    order = {t: i for i, t in enumerate(TIER_ORDER)}
    out = out.sort_values(["tier", "county", "town", "unit", "destination"],
                          key=lambda s: s.map(order) if s.name == "tier" else s, kind="stable")
    return out[["case", "tier", "county", "town", "unit", "unit_name", "destination", "flows",
                "requests", "bulk_flows", "unreachable", "dropped", "unfinished", "unfinished_late",
                "unfinished_pct",
                "fct_mean_s", "fct_p95_s", "fct_p99_s", "throughput_mean_mbps",
                "latency_mean_ms", "latency_p95_ms", "latency_p99_ms", "queueing_mean_ms",
                "sl_throughput_mbps", "sl_latency_p95_ms", "sl_latency_p99_ms",
                "sl_unfinished_pct", "ok", "confirmed", "measured_s_to_confirm", "reason",
                "severity", "bottleneck",
                "bottleneck_offered_mbps", "bottleneck_capacity_mbps",
                "bottleneck_utilisation", "capacity_to_pass_mbps", "worst_route"]
               ].reset_index(drop=True)


def _bottlenecks(result: TrafficResult, f: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per (unit, destination): the arc of its routes with the highest offered / capacity.

    Arcs are taken in the direction the unit's flows travel (uploads and responses each on
    theirs); the capacity is the one in force over the measured period.
    """
    cols = ["bottleneck", "bottleneck_offered_mbps", "bottleneck_capacity_mbps",
            "bottleneck_utilisation"]
    arcs = result.arcs
    routed = f[f["route"] >= 0]
    if routed.empty or arcs.empty:
        return pd.DataFrame(columns=cols, index=pd.MultiIndex.from_arrays([[], []], names=keys))
    offered = arcs["offered_mbps"].to_numpy()
    cap = arcs["capacity_in_force_mbps"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(cap > 0, offered / cap, np.where(offered > 0, np.inf, 0.0))
    pairs = routed[[*keys, "route", "direction"]].drop_duplicates()
    best: dict[tuple, int] = {}
    worst_arc: dict[tuple[int, bool], int] = {}
    for unit, dest, route, direction in pairs.itertuples(index=False):
        down = direction == "downstream"
        k = (int(route), down)
        if k not in worst_arc:
            path = result.route_arcs[int(route)]
            path = tuple(a ^ 1 for a in reversed(path)) if down else path
            worst_arc[k] = max(path, key=lambda a: ratio[a]) if path else -1
        arc = worst_arc[k]
        key = (unit, dest)
        if arc >= 0 and (key not in best or ratio[arc] > ratio[best[key]]):
            best[key] = arc
    idx = pd.MultiIndex.from_tuples(list(best), names=keys)
    chosen = np.array(list(best.values()), dtype=np.int64)
    return pd.DataFrame({
        "bottleneck": [result.arc_label(int(a)) for a in chosen],
        "bottleneck_offered_mbps": offered[chosen], "bottleneck_capacity_mbps": cap[chosen],
        "bottleneck_utilisation": ratio[chosen],
    }, index=idx)


def _choose_bottleneck(out: pd.DataFrame, sl: dict, response_mbit: float) -> None:
    """Set each row's bottleneck and the capacity that would make it pass (in place).

    Throughput is the bulk/sync flows' service level, so it is judged on their bottleneck (in
    the direction they travel); latency on the responses' bottleneck (toward the site). The
    row names the bottleneck of its worse-off kind: the one whose check fails, else the
    busier; the capacity to pass is the M/G/1-PS estimate for that link (see the module).
    """
    names, offered, capacity, util, need = [], [], [], [], []
    for row in out.itertuples():
        level = sl[row.tier]
        tp_fail = row.throughput_mean_mbps < level.throughput_mbps  # False when NaN
        lat_fail = (row.latency_p95_ms > level.latency_p95_ms
                    or row.latency_p99_ms > level.latency_p99_ms)
        bu, ru = row.bulk_bottleneck_utilisation, row.request_bottleneck_utilisation
        if tp_fail and not lat_fail:
            kind = "bulk"
        elif lat_fail and not tp_fail:
            kind = "request"
        else:  # both or neither: the busier one (NaN when the kind has no routed flows)
            kind = "request" if (ru > bu) or (math.isnan(bu) and not math.isnan(ru)) else "bulk"
        label = getattr(row, f"{kind}_bottleneck")
        load = getattr(row, f"{kind}_bottleneck_offered_mbps")
        names.append(label if isinstance(label, str) else "")
        offered.append(load)
        capacity.append(getattr(row, f"{kind}_bottleneck_capacity_mbps"))
        util.append(getattr(row, f"{kind}_bottleneck_utilisation"))
        headroom = 0.0
        if tp_fail or not lat_fail:
            headroom = level.throughput_mbps
        if lat_fail or (not tp_fail and row.requests):
            rtt_ms = 0.0 if math.isnan(row.rtt_ms) else row.rtt_ms
            for q, limit in ((0.95, level.latency_p95_ms), (0.99, level.latency_p99_ms)):
                budget_s = (limit - rtt_ms) / 1000.0
                if budget_s > 0:
                    headroom = max(headroom, -math.log(1.0 - q) * response_mbit / budget_s)
        cut = row.unreachable + row.dropped
        need.append(math.nan if cut or not load >= 0 else float(load + headroom))
    out["bottleneck"] = names
    out["bottleneck_offered_mbps"] = offered
    out["bottleneck_capacity_mbps"] = capacity
    out["bottleneck_utilisation"] = util
    out["capacity_to_pass_mbps"] = need


def _confirm(out: pd.DataFrame, sl: dict, confidence: float, window_s: float,
             max_unfinished_pct: float) -> tuple[np.ndarray, np.ndarray]:
    """Per check: does its verdict hold at ``confidence``, else the measured time it needs.

    A check *passes for certain* when every statistic's one-sided confidence bound is on the
    right side of its service level, and *fails for certain* when one is on the wrong side:

    - mean throughput: Student's t bound over the transfers' throughputs; with fewer than 5
      transfers their standard deviation is the tier's pooled coefficient of variation (over
      its checks' transfers) times their mean;
    - latency quantile ``q``: the round trip plus the exponential quantile of the excess
      latency (queueing + transfer), ``-ln(1 - q) × mean excess``, with the exact chi-square
      bound on the mean of exponential excesses (``2 n x̄ / χ²(2n)``) — the same exponential
      model as the bottleneck estimate (on Meizhou's busiest units the empirical p99 is 0.67
      to 1.46 times the model's, median 0.91: ``benchmarks/simulation_confidence.py``); a
      failure is also certain when the share of requests above the level has a Clopper–Pearson
      lower bound above ``1 - q`` (no model);
    - cut-off flows and unfinished flows already past their level are certain by themselves.

    Returns ``confirmed`` and ``measured_s_to_confirm``: for an unconfirmed check, the measured
    seconds (at the same rates and statistics) its verdict would need; ``inf`` when no length
    would do (a statistic on its level), NaN when confirmed.
    """
    from scipy import stats

    n_rows = len(out)
    alpha = 1.0 - confidence
    ok = out["ok"].to_numpy(bool)
    certain_fail = ((out["unreachable"] + out["dropped"]).to_numpy() > 0) | (
        out["unfinished_pct"].to_numpy() > max_unfinished_pct)
    # per component: decided on the verdict's side, and the factor on the sample it needs
    pass_ok = np.ones(n_rows, bool)      # every component passes for certain
    pass_need = np.ones(n_rows)          # the largest factor a passing component needs
    fail_sure = certain_fail.copy()      # some component fails for certain
    fail_need = np.full(n_rows, np.inf)  # the smallest factor a failing component needs

    tier = out["tier"].to_numpy()
    tp_level = np.array([sl[t].throughput_mbps for t in tier])
    n = out["bulk_flows"].to_numpy(float)
    m = out["throughput_mean_mbps"].to_numpy(float)
    sd = out["throughput_std_mbps"].to_numpy(float)
    has = (n >= 1) & ~np.isnan(m)
    # fewer than 5 transfers: their sd from the tier's pooled coefficient of variation
    few = n < 5
    dof = np.maximum(n - 1, 1)
    for level in np.unique(tier):
        pool = (tier == level) & (n >= 2) & (m > 0) & ~np.isnan(sd)
        df_pool = float((n[pool] - 1).sum())
        cv = math.sqrt(float(((n[pool] - 1) * (sd[pool] / m[pool]) ** 2).sum()) / df_pool) \
            if df_pool > 0 else 1.0
        here = (tier == level) & few
        sd = np.where(here, cv * m, sd)
        dof = np.where(here, max(df_pool, 1.0), dof)
    t = stats.t.ppf(confidence, dof)
    half = np.where(has, t * sd / np.sqrt(np.maximum(n, 1)), 0.0)
    passing = has & (m >= tp_level)
    sure = np.where(passing, m - half >= tp_level, m + half < tp_level)
    need = np.ones(n_rows)
    for i in np.flatnonzero(has & ~sure):  # the transfers the t bound needs at this mean/sd
        gap = abs(m[i] - tp_level[i])
        k = next((k for k in range(2, 100_000)
                  if t[i] * sd[i] / math.sqrt(k) < gap), None) if gap > 0 else None
        need[i] = np.inf if k is None else max(k / n[i], 1.0 + 1.0 / n[i])
    pass_ok &= ~passing | sure
    pass_need = np.where(passing & ~sure, np.maximum(pass_need, np.maximum(need, 1.0)),
                         pass_need)
    failing = has & ~passing
    fail_sure |= failing & sure
    fail_need = np.where(failing & ~sure, np.minimum(fail_need, np.maximum(need, 1.0)),
                         fail_need)

    nr = out["requests"].to_numpy(float)
    e = out["latency_excess_mean_ms"].to_numpy(float)
    rtt = np.nan_to_num(out["rtt_ms"].to_numpy(float))
    has = (nr >= 1) & ~np.isnan(e)
    nr1 = np.maximum(nr, 1)
    for q, key in ((0.95, "p95"), (0.99, "p99")):
        level = np.array([getattr(sl[t], f"latency_{key}_ms") for t in tier])
        k = -math.log(1.0 - q)
        budget = level - rtt
        upper = rtt + k * 2 * nr1 * e / stats.chi2.ppf(alpha, 2 * nr1)
        lower = rtt + k * 2 * nr1 * e / stats.chi2.ppf(confidence, 2 * nr1)
        over = out[f"requests_over_{key}"].to_numpy(float)
        share_low = np.where(over > 0, stats.beta.ppf(alpha, np.maximum(over, 1),
                                                      nr1 - over + 1), 0.0)
        passing = has & (out[f"latency_{key}_ms"].to_numpy(float) <= level)
        sure_pass = passing & (upper <= level)
        failing = has & ~passing
        sure_fail = failing & ((lower > level) | (share_low > 1.0 - q) | (budget <= 0))
        pass_ok &= ~passing | sure_pass
        fail_sure |= sure_fail
        for i in np.flatnonzero((passing & ~sure_pass) | (failing & ~sure_fail)):
            ratio = budget[i] / (k * e[i]) if e[i] > 0 else np.inf
            f = _requests_factor(ratio, alpha if passing[i] else confidence, passing[i]) / nr1[i]
            if passing[i]:
                pass_need[i] = max(pass_need[i], f)
            else:
                fail_need[i] = min(fail_need[i], f)
    confirmed = np.where(ok, pass_ok, fail_sure)
    factor = np.where(ok, pass_need, fail_need)
    return confirmed, np.where(confirmed, np.nan, window_s * np.maximum(factor, 1.0))


def _requests_factor(ratio: float, level: float, passing: bool) -> float:
    """Requests needed so that ``2n / χ²_level(2n)`` crosses ``ratio`` (inf when never).

    Passing (the upper bound, ``level = α``): the factor falls toward 1 as ``n`` grows, so it
    crosses ``ratio > 1``; failing (``level = 1 - α``) it rises toward 1 and crosses
    ``ratio < 1``.
    """
    from scipy import stats

    if (passing and ratio <= 1.0) or (not passing and ratio >= 1.0) or not np.isfinite(ratio):
        return np.inf if ratio != np.inf or not passing else 1.0

    def crossed(n: float) -> bool:
        f = 2 * n / stats.chi2.ppf(level, 2 * n)
        return f <= ratio if passing else f >= ratio

    lo, hi = 1.0, 2.0
    while not crossed(hi):
        lo, hi = hi, hi * 2
        if hi > 1e9:
            return np.inf
    while hi - lo > max(1.0, 0.01 * lo):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if crossed(mid) else (mid, hi)
    return hi


def _check(row, sl: ServiceLevel, max_unfinished_pct: float = 100.0
           ) -> tuple[bool, str, float]:
    """Pass, the reasons it does not, and how far off it is (for 'worst' ordering).

    Flows still running at the end count at their bounds in the statistics, and more than
    ``max_unfinished_pct`` of them already past the service level fails the check.
    """
    reasons = []
    severity = 0.0
    cut = row.unreachable + row.dropped
    if cut:
        reasons.append(f"cut off: {cut} of {row.flows} flows had no route")
        severity = max(severity, 10.0 + cut / max(row.flows, 1))
    if row.unfinished_pct > max_unfinished_pct:
        reasons.append(f"unfinished: {row.unfinished_late} of {row.flows} flows "
                       f"({row.unfinished_pct:.1f}% > {max_unfinished_pct:g}%) still running "
                       "at the end, already past the service level")
        severity = max(severity, row.unfinished_pct / max(max_unfinished_pct, 1e-9))
    bound = " (bound)" if row.unfinished else ""
    tp = row.throughput_mean_mbps
    if not math.isnan(tp) and tp < sl.throughput_mbps:
        reasons.append(f"throughput {tp:.1f}{bound} < {sl.throughput_mbps:g} Mbps")
        severity = max(severity, sl.throughput_mbps / max(tp, 1e-9))
    for q, limit in (("p95", sl.latency_p95_ms), ("p99", sl.latency_p99_ms)):
        v = getattr(row, f"latency_{q}_ms")
        if not math.isnan(v) and v > limit:
            reasons.append(f"latency {q} {v:.0f}{bound} > {limit:g} ms")
            severity = max(severity, v / limit)
    if reasons and not cut and row.bottleneck:
        need = row.capacity_to_pass_mbps
        reasons.append(f"bottleneck {row.bottleneck}: {row.bottleneck_offered_mbps:.0f} Mbps "
                       f"offered to {row.bottleneck_capacity_mbps:.0f} Mbps"
                       + ("" if math.isnan(need) else f", passes at ≈{need:.0f} Mbps"))
    return not reasons, "; ".join(reasons), severity


# --------------------------------------------------------------------------- cutovers


@dataclass
class CutoverValidation:
    """Cutover transfers of the heaviest weeks, simulated in their maintenance windows.

    Attributes
    ----------
    transfers : pandas.DataFrame
        One row per system's transfer: week, date, system, source, GB, finish hour, whether it
        finished in the window, mean throughput.
    weeks : pandas.DataFrame
        One row per simulated week: transfers, GB, the last finish, the window, the verdict.
    results : dict of int to TrafficResult
        The simulation of each week.
    """

    transfers: pd.DataFrame
    weeks: pd.DataFrame
    results: dict[int, TrafficResult] = field(repr=False)

    @property
    def passed(self) -> bool:
        """True when every simulated transfer finished within its window."""
        return bool(self.transfers["in_window"].all()) if len(self.transfers) else True

    def to_frame(self) -> pd.DataFrame:
        """The per-week table."""
        return self.weeks


def cutover_load(plan) -> pd.DataFrame:
    """Per week and system: the GB of cutover data the plan moves in that week's window.

    Parameters
    ----------
    plan : MigrationPlan

    Returns
    -------
    pandas.DataFrame
        Columns ``week``, ``date`` (the week's Monday), ``group``, ``system_id``, ``gb``.
    """
    mp = plan.mp
    starts = plan.starts
    rows = []
    if starts is None:
        return pd.DataFrame(columns=["week", "date", "group", "system_id", "gb"])
    inv = mp.inventory.by_id
    for k, (g, act) in enumerate(zip(mp.groups, mp.project.activities, strict=True)):
        per_week = np.max(np.array(act.demand[2:]), axis=0) if len(act.demand) > 2 else []
        tb = np.array([inv[s].data_tb for s in g.systems], dtype=float)
        split = tb / tb.sum() if tb.sum() > 0 else np.full(len(tb), 1.0 / len(tb))
        for offset, gb in enumerate(per_week):
            if gb <= 0:
                continue
            week = int(starts[k]) + offset
            for sid, share in zip(g.systems, split, strict=True):
                rows.append({"week": week, "date": mp.grid.monday(week), "group": k,
                             "system_id": sid, "gb": float(gb) * share})
    return pd.DataFrame(rows, columns=["week", "date", "group", "system_id", "gb"])


def validate_cutovers(scenario: Scenario, plan, topology: Topology | None = None, *,
                      weeks: int | None = None, seed: int | None = None,
                      systems: CloudSystems | None = None,
                      max_background_flows: int = 10_000,
                      workers: int = 1) -> CutoverValidation:
    """Simulate the maintenance windows of the weeks with the most cutover data.

    Every transfer of the week starts when the window opens, from its system's site (the
    county node for county systems, the city core for city ones) to the cloud node, alongside
    the background bulk and sync traffic at ``demand.offpeak_factor`` of the busy hour
    (interactive requests are left out: they do not load the lines). Background flows are
    made coarser (larger, fewer; same load) when a window would need more than
    ``max_background_flows`` of them: under processor sharing the number of flows sharing a
    link — and so a transfer's share of it — depends on the load, not on the flow sizes
    (the M/G/1-PS insensitivity), so the transfers' finishing times keep their meaning.

    Parameters
    ----------
    scenario : Scenario
        ``migration.window_hours_per_week`` is the window; ``simulation.cutover_weeks`` the
        number of weeks (unless ``weeks`` is given).
    plan : MigrationPlan
        From :func:`netplan.migration.plan_migration`.
    topology : Topology, optional
    weeks : int, optional
        How many of the heaviest weeks (default ``simulation.cutover_weeks``).
    seed : int, optional
    systems : CloudSystems, optional
        The systems on the cloud in the background traffic (as for
        :func:`validate_interconnect`; required when the scenario has an inventory).
    max_background_flows : int
        Background flows per window at most (coarser flows above it).
    workers : int or concurrent.futures.Executor
        Weeks simulated at once in separate processes, or a pool to use.

    Returns
    -------
    CutoverValidation
    """
    topology = topology if topology is not None else build_topology(scenario)
    n_weeks = scenario.simulation.cutover_weeks if weeks is None else weeks
    window_s = (scenario.migration.window_hours_per_week if scenario.migration else 16.0) * 3600
    resolve_system_mbps(scenario, topology, systems)  # the same rule as the busy hour
    systems = systems if systems is not None else CloudSystems("none")
    load = cutover_load(plan)
    empty_t = pd.DataFrame(columns=["week", "date", "system_id", "name", "source", "gb",
                                    "finish_h", "window_h", "in_window", "throughput_mbps"])
    if load.empty or n_weeks == 0:
        return CutoverValidation(empty_t, pd.DataFrame(), {})
    by_week = load.groupby("week")["gb"].sum().sort_values(ascending=False, kind="stable")
    chosen = sorted(by_week.index[:n_weeks].tolist())
    from netplan.simulation.traffic import traffic_streams

    base_rate = traffic_streams(scenario, topology)
    bulk_rate = float(base_rate.loc[base_rate["klass"].isin(["bulk", "sync"]),
                                    "rate_per_s"].sum())
    factor = scenario.demand.offpeak_factor
    size_scale = max(1.0, bulk_rate * factor * window_s / max_background_flows)
    inv = plan.mp.inventory.by_id
    runs, sources_of = [], {}
    for week in chosen:
        rows = load[load["week"] == week]
        sources_of[week] = [_system_site(inv[s], topology) for s in rows["system_id"]]
        cut = pd.DataFrame({"name": rows["system_id"].to_numpy(), "source": sources_of[week],
                            "size_mb": rows["gb"].to_numpy() * 1000.0, "start_s": 0.0})
        runs.append(dict(seed=seed, duration_s=window_s, warmup_s=0.0, cutovers=cut,
                         systems=systems,
                         scale=factor, size_scale=size_scale, requests=False,
                         case=f"week {week}"))
    results = dict(zip(chosen, _simulate_all(scenario, topology, runs, workers), strict=True))
    transfers = []
    for week, r in results.items():
        rows = load[load["week"] == week]
        sources = sources_of[week]
        f = r.flows[r.flows["klass"] == "cutover"]
        finish_h = (f["end_s"] / 3600.0).to_numpy()
        transfers.append(pd.DataFrame({
            "week": week, "date": rows["date"].to_numpy(),
            "system_id": rows["system_id"].to_numpy(),
            "name": [inv[s].name for s in rows["system_id"]], "source": sources,
            "gb": rows["gb"].to_numpy(), "finish_h": finish_h,
            "window_h": window_s / 3600.0,
            "in_window": (f["end_s"] <= window_s).to_numpy() & (f["status"] == "done").to_numpy(),
            "throughput_mbps": (f["size_mb"] * 8 / f["end_s"]).to_numpy(),
        }))
    t = pd.concat(transfers, ignore_index=True)
    w = t.groupby(["week", "date"]).agg(transfers=("system_id", "size"), gb=("gb", "sum"),
                                        last_finish_h=("finish_h", "max"),
                                        window_h=("window_h", "first"),
                                        late=("in_window", lambda s: int((~s).sum())))
    w["verdict"] = np.where(w["late"] == 0, "PASS", "FAIL")
    return CutoverValidation(t, w.reset_index(), results)


def _system_site(system, topology: Topology) -> str:
    """The node a system's data leaves from: its county node, or the city core."""
    nodes = topology.nodes
    if system.tier == "county" and system.site:
        hit = nodes.index[(nodes["kind"] == "county") & (nodes["name"] == system.site)]
        if len(hit):
            return hit[0]
    return nodes.index[nodes["kind"] == "city"][0]
