"""The least-cost upgrade plan of the extranet (PuLP + HiGHS).

Which line gets which capacity module in which year, and which single-homed site gets a
second carrier's line.

Routing is the extranet's fixed rule (least latency, :mod:`netplan.topology.routing`), which
does not depend on capacities, so the loads of every state and year are known before the
plan is made (:func:`~netplan.capacity.loads.link_loads`). New lines are routed *as if built*
(with no capacity), so that the failure states see the traffic they would carry; a trunk's
requirement is the larger of its loads with and without them.

A *requirement* is one (trunk, state, year) whose lines up must together carry

    need = max(load / ceiling, load + throughput)

where ``ceiling`` is ``capacity.ceiling_pct`` (normal or failure) and ``throughput`` the
service level of the tier the trunk serves (``simulation.service_levels``): a trunk shared by
processor sharing gives each flow on average its spare capacity, ``capacity − load``
(M/G/1-PS), so the spare capacity must be at least the throughput a site is promised.
Besides those, the policy floors: each city's internet egress and province lines together
(normal and each carrier down) and each department's access lines.

Only the lines of requirements the network breaks today get variables: capacities only grow,
so everything met today stays met, and the tree's lines decouple except through the budget,
the multi-trunk floors and the years. The MILP chooses per line and year one option (keep,
or a catalogue module at least as large as today's; capacities never shrink), pays a
module's one-off cost in the year it is installed and its rent every year, discounted to the
first year, plus the new-line cost of a second carrier. Under a budget it meets the most
requirements (weighted by ``capacity.rule_weights``) within it, and lists what is left out and
what meeting each would cost alone.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp

from netplan._solver import make_solver, run_solver
from netplan.capacity.loads import LinkLoads, group_positions, link_loads
from netplan.model.scenario import Scenario
from netplan.topology import Topology

__all__ = ["UpgradePlan", "plan_upgrades", "candidate_lines", "Requirement"]


@dataclass(frozen=True)
class Requirement:
    """Lines that must together carry ``need_mbps`` in one state and year."""

    where: str
    rule: str
    state: str
    label: str
    year: int
    need_mbps: float
    lines: tuple[int, ...]  # link positions (in the planning topology) up in the state
    weight: float = 1.0


def candidate_lines(scenario: Scenario, topology: Topology) -> tuple[Topology, np.ndarray]:
    """The topology with one new, empty line for every single-homed site that may get one.

    A site (department, village office) whose lines are all of one carrier gets a line of the
    first other carrier its division (or city core) has, of a class listed in
    ``capacity.new_lines``, not of a ``capacity.forbidden_carriers`` carrier; a city
    department's goes to that carrier's point of presence. The line has capacity 0 until the
    plan builds it.

    Returns
    -------
    (Topology, numpy.ndarray)
        The topology (the new lines appended, link ids after the existing ones) and the link
        positions of the new lines.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> from netplan.model.capacity import CapacitySettings
    >>> s = tiny_scenario().model_copy(update={"capacity": CapacitySettings(
    ...     new_lines={"access": {"one_off": 1.0}})})
    >>> topo, new = candidate_lines(s, build_topology(s))
    >>> len(new)   # the 5 single-homed county and town departments
    5
    """
    cap = scenario.capacity
    links = topology.links
    nodes = topology.nodes
    if not cap.new_lines:
        return topology, np.zeros(0, dtype=np.int64)
    forbidden = set(cap.forbidden_carriers)
    src = links["source"].to_numpy(dtype=str)
    kind = nodes["kind"]
    is_site = kind.reindex(src).isin(["department", "village"]).to_numpy()
    site_links = links[is_site]
    # single-homed: every line of one carrier
    n_carriers = site_links.groupby("source", sort=False)["carrier"].nunique()
    first = site_links.groupby("source", sort=False).head(1).set_index("source")
    first = first.loc[n_carriers.index[n_carriers == 1]]
    classes = first[["kind", "tier"]].drop_duplicates()
    ok = {(k, t) for k, t in zip(classes["kind"], classes["tier"], strict=True)
          if cap.new_line_for(k, t) is not None}
    first = first[np.array([(k, t) in ok for k, t in zip(first["kind"], first["tier"],
                                                          strict=True)], dtype=bool)]
    # the carriers each endpoint offers: a division's uplink carriers; a city core's POPs
    out_carriers = links.groupby("source")["carrier"].agg(lambda s: [c for c in s if c])
    pops = nodes[nodes["kind"] == "pop"]
    pop_carrier = links[links["source"].isin(pops.index)].groupby("source")["carrier"].first()
    pops_of_city: dict[str, list[tuple[str, str]]] = {}
    for pid, city in zip(pops.index, pops["parent"], strict=True):
        pops_of_city.setdefault(city, []).append((pid, pop_carrier.get(pid, "")))
    rows = []
    for site, end, carrier, lk, tier, lat, km in zip(
            first.index, first["target"], first["carrier"], first["kind"], first["tier"],
            first["latency_ms"], first["length_km"], strict=True):
        if kind.get(end) == "pop":
            options = pops_of_city.get(nodes.at[end, "parent"], [])
        else:
            options = [(end, c) for c in out_carriers.get(end, [])]
        pick = next(((e, c) for e, c in options if c and c != carrier and c not in forbidden),
                    None)
        if pick is None:
            continue
        rows.append({"source": site, "target": pick[0], "kind": lk, "tier": tier,
                     "carrier": pick[1], "capacity_mbps": 0, "latency_ms": lat,
                     "length_km": km})
    if not rows:
        return topology, np.zeros(0, dtype=np.int64)
    new = pd.DataFrame(rows)
    start = int(links.index.max()) + 1 if len(links) else 0
    new.index = pd.RangeIndex(start, start + len(new), name="link_id")
    both = pd.concat([links, new.astype({c: links[c].dtype for c in new.columns})])
    both.index.name = "link_id"
    t = Topology(nodes, both, name=topology.name, root=topology.root)
    return t, np.arange(len(links), len(both), dtype=np.int64)


@dataclass(frozen=True)
class UpgradePlan:
    """A least-cost upgrade plan and how it was found.

    Attributes
    ----------
    status : str
        ``optimal``, ``feasible`` (a limit stopped the search: see ``gap``), ``nothing_to_do``,
        ``infeasible`` (some requirement no catalogue option meets: see ``explanation``; the
        plan still meets every other one), ``over_budget`` (a budget left requirements
        unmet: see ``unmet``) or ``no_solution``.
    cost : float
        Discounted total of the plan (in ``currency``), over keeping the network as it is.
    bound, gap_pct : float
        The solver's lower bound on the cost, and the gap.
    lines : pandas.DataFrame
        One row per line changed and year it changes: ``link_id``, ends, kind, tier,
        carrier, ``new`` (a new line), ``year``, ``from_mbps``, ``to_mbps``, ``one_off`` and
        ``yearly`` cost.
    cost_by_year : pandas.DataFrame
        Per year: one-off, rent, total and discounted total.
    unmet : pandas.DataFrame
        Requirements not met: ``where``, ``rule``, ``state``, ``year``, ``need_mbps``,
        ``reason`` and ``cost_alone`` (what meeting it alone would cost; NaN when nothing can).
    explanation : list of str
        Why a requirement cannot be met, in words.
    capacity_by_year : dict of int to numpy.ndarray
        Per year, capacity per link position of ``topology`` (the planning topology).
    topology : Topology
        The planning topology (with the candidate new lines).
    """

    status: str
    cost: float
    bound: float | None
    gap_pct: float | None
    seconds: float
    lines: pd.DataFrame
    cost_by_year: pd.DataFrame
    unmet: pd.DataFrame
    explanation: list[str]
    requirements: list[Requirement] = field(repr=False)
    capacity_by_year: dict[int, np.ndarray] = field(repr=False)
    topology: Topology = field(repr=False)
    currency: str = "万元"
    is_new: np.ndarray | None = field(default=None, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The lines changed (``lines``)."""
        return self.lines

    def infeasible_error(self):
        """The :class:`~netplan.errors.InfeasiblePlanError` of a plan with no answer, or None.

        For ``infeasible`` (a requirement no catalogue option meets: which line, how many
        Mbps, the largest option) and ``no_solution`` (the search found no plan; not a
        proof). None for every other status, ``over_budget`` included (a plan within the
        budget exists; ``unmet`` lists what it leaves out).
        """
        from netplan.errors import InfeasiblePlanError

        if self.status == "infeasible":
            return InfeasiblePlanError(
                "no upgrade plan meets every capacity requirement", reasons=self.explanation,
                hint="add larger options to capacity.catalogue for those link classes, "
                     "unfreeze their lines, add new lines, or lower the demand")
        if self.status == "no_solution":
            return InfeasiblePlanError(
                "the upgrade search found no plan (that none exists is not proven)",
                reasons=self.explanation, hint="raise capacity.time_limit_s")
        return None

    def upgraded(self, year: int | None = None) -> Topology:
        """The network as upgraded by ``year`` (default the last): unbuilt new lines dropped."""
        years = sorted(self.capacity_by_year)
        y = years[-1] if year is None else max([x for x in years if x <= year] or years[:1])
        cap = self.capacity_by_year[y]
        links = self.topology.links.copy()
        links["capacity_mbps"] = pd.array(np.round(cap).astype(np.int64), dtype="Int64")
        keep = cap > 0
        keep |= ~self._is_new()
        return Topology(self.topology.nodes, links[keep], name=self.topology.name,
                        root=self.topology.root)

    def _is_new(self) -> np.ndarray:
        if self.is_new is None:
            return np.zeros(len(self.topology.links), dtype=bool)
        return self.is_new

    def summary(self) -> list[str]:
        """What the plan buys, what it costs, and what it cannot do."""
        n_new = int(self.lines["new"].sum()) if len(self.lines) else 0
        n_up = len(self.lines) - n_new
        head = {"optimal": "Least-cost plan (proven optimal)",
                "feasible": f"Plan (not proven optimal, gap {self.gap_pct or 0:.2f}%)",
                "nothing_to_do": "Nothing to buy: the network meets every requirement",
                "infeasible": "Plan for what can be met; some requirements cannot be",
                "over_budget": "Plan within the budget; some requirements are left out",
                "no_solution": "No plan found"}[self.status]
        lines = [f"{head}: {n_up} line upgrades, {n_new} new lines, cost "
                 f"{self.cost:,.1f} {self.currency} (discounted) in {self.seconds:.1f} s."]
        lines += self.explanation[:10]
        if len(self.explanation) > 10:
            lines.append(f"... and {len(self.explanation) - 10} more")
        if len(self.unmet) and self.status == "over_budget":
            c = self.unmet["cost_alone"].sum()
            lines.append(f"{len(self.unmet)} requirements left out; meeting each alone would "
                         f"cost {c:,.1f} {self.currency} in all.")
        return lines

    def __str__(self) -> str:
        return "\n".join(self.summary())


# --------------------------------------------------------------------------- requirements


def _throughput_by_trunk(scenario: Scenario, loads: LinkLoads) -> np.ndarray:
    sl = scenario.simulation.service_levels
    tiers = {"city": sl.city, "county": sl.county, "town": sl.town, "village": sl.village}
    tr = loads.trunks
    links = loads.topology.links
    first = np.zeros(tr.n_trunks, dtype=np.int64)
    first[tr.link_trunk[::-1]] = np.arange(len(tr.link_trunk))[::-1]
    kind = links["kind"].to_numpy(dtype=str)[first]
    tier = links["tier"].to_numpy(dtype=str)[first]
    top = max(x.throughput_mbps for x in tiers.values())
    out = np.full(tr.n_trunks, top)
    for name, level in tiers.items():
        own = ((kind == "access") & (tier == name)) | ((kind == "uplink") & (tier == name)
                                                       & (name == "village"))
        out[own] = level.throughput_mbps
    return out


def _requirements(scenario: Scenario, loads: LinkLoads, base: LinkLoads | None,
                  new: np.ndarray) -> list[Requirement]:
    """Every (trunk, state, year) and policy floor the provisioned network does not meet."""
    ceil = scenario.capacity.ceilings
    weights = scenario.capacity.rule_weights
    tr = loads.trunks
    ids = loads.topology.nodes.index.to_numpy()
    thr = _throughput_by_trunk(scenario, loads)
    cap_link = tr.link_capacity_mbps
    order, starts = group_positions(tr.link_trunk, tr.n_trunks)  # trunk t: order[starts[t]:…]
    is_new = np.zeros(len(tr.link_trunk), dtype=bool)
    is_new[new] = True
    base_map = None
    if base is not None:
        key = tr.u.astype(np.int64) * len(ids) + tr.v
        bkey = base.trunks.u.astype(np.int64) * len(ids) + base.trunks.v
        pos = pd.Index(bkey).get_indexer(key)
        base_map = pos
    out: list[Requirement] = []

    def add(state, where_t, load, pct):
        up = state.link_up
        cap_t = tr.capacity_mbps(up)[where_t]
        for k, year in enumerate(loads.years):
            ld = load[k]
            need = np.where(ld > 1e-9, np.maximum(ld * 100.0 / pct, ld + thr[where_t]), 0.0)
            for j in np.flatnonzero(need > cap_t + 1e-6):
                t = int(where_t[j])
                lines = tuple(int(x) for x in order[starts[t]:starts[t + 1]] if up[x])
                if not lines:
                    continue
                existing = [x for x in lines if not is_new[x]]
                rule = ("reachable" if sum(cap_link[x] for x in existing) <= 0
                        else "utilisation")
                out.append(Requirement(
                    where=loads.trunk_label(t), rule=rule, state=state.name,
                    label=state.label, year=year, need_mbps=float(need[j]), lines=lines,
                    weight=float(weights.get(rule, 1.0))))

    for i, st in enumerate(loads.states):
        ld = loads.loads_mbps[i].max(axis=2)
        if base is not None and base_map is not None:
            bi = [s.name for s in base.states].index(st.name)
            ok = base_map >= 0
            ld = ld.copy()
            ld[:, ok] = np.maximum(ld[:, ok], base.loads_mbps[bi].max(axis=2)[:, base_map[ok]])
        pct = ceil.normal_pct if st.kind == "normal" else ceil.failure_pct
        add(st, np.arange(tr.n_trunks), ld, pct)
    for st, (where, vals) in zip(loads.link_states, loads.link_changes, strict=True):
        add(st, where, vals.max(axis=2).T, ceil.failure_pct)
    out += _policy_floors(scenario, loads, is_new)
    return out


def _policy_floors(scenario: Scenario, loads: LinkLoads, is_new: np.ndarray) -> list[Requirement]:
    t = scenario.targets
    links = loads.topology.links
    nodes = loads.topology.nodes
    lk = links["kind"].to_numpy(dtype=str)
    ltier = links["tier"].to_numpy(dtype=str)
    src = links["source"].to_numpy(dtype=str)
    cap = links["capacity_mbps"].to_numpy(dtype=float, na_value=0.0)
    city = nodes["city"].reindex(src).fillna("").to_numpy(dtype=str)
    weights = scenario.capacity.rule_weights
    year0 = loads.years[0]
    out = []
    for rule, mask, target, what in (
            ("internet_egress", lk == "egress", t.internet_egress_mbps, "互联网出口"),
            ("backbone", (lk == "uplink") & (ltier == "city"), t.backbone_mbps, "至省骨干")):
        if target is None:
            continue
        for st in loads.states:
            if st.kind not in ("normal", "carrier"):
                continue
            for c in sorted(set(city[mask])):
                sel = np.flatnonzero(mask & (city == c) & st.link_up)
                if cap[sel].sum() < target:
                    out.append(Requirement(f"{c} {what}", rule, st.name, st.label, year0,
                                           float(target), tuple(int(x) for x in sel),
                                           float(weights.get(rule, 1.0))))
    if t.department_access_mbps is not None:
        acc = np.flatnonzero((lk == "access") & ~is_new)
        for site, grp in pd.Series(acc).groupby(src[acc]):
            sel = grp.to_numpy()
            if cap[sel].sum() < t.department_access_mbps:
                out.append(Requirement(site, "department_access", "normal", "normal operation",
                                       year0, float(t.department_access_mbps),
                                       tuple(int(x) for x in sel),
                                       float(weights.get("department_access", 1.0))))
    return out


# --------------------------------------------------------------------------- the MILP


def plan_upgrades(scenario: Scenario, topology: Topology, *, years: list[int] | None = None,
                  system_mbps: dict | None = None, budget: float | None = None,
                  solver=None, time_limit_s: float | None = None,
                  single_links: bool = True, loads: LinkLoads | None = None) -> UpgradePlan:
    """The least-cost upgrades that make the extranet carry its loads in every state and year.

    Parameters
    ----------
    scenario : Scenario
        ``capacity`` (catalogue, new lines, ceilings, years, discount rate, budget, frozen
        links, forbidden carriers), ``targets`` and ``demand``.
    topology : Topology
        The provisioned network (``build_topology(scenario)``).
    years : list of int, optional
        Overrides ``capacity.years``.
    system_mbps : dict, optional
        Traffic of the systems on the cloud, as in :func:`~netplan.capacity.loads.link_loads`.
    budget : float, optional
        Overrides ``capacity.budget``.
    solver : pulp.LpSolver or str, optional
        Default HiGHS (:func:`netplan._solver.make_solver`).
    time_limit_s : float, optional
        Covers loading, building and solving; default ``capacity.time_limit_s``.
    single_links : bool
        Also require every single-line failure state.
    loads : LinkLoads, optional
        The loads of ``topology`` for these years (e.g. the ones compliance was checked on):
        when every new line parallels a line of its site (same two ends), the planning loads
        are derived from them (new lines change no route in normal operation or in a
        single-line failure; the carrier states are routed again), instead of routing every
        state again.

    Returns
    -------
    UpgradePlan
        ``status`` says whether it is proven optimal, stopped by the time limit
        (``feasible``, with ``bound`` and ``gap_pct``), or why not (``explanation``).

    Raises
    ------
    SolverUnavailableError
        When the solver is not installed (named, with the pip command).
    SolverFailedError
        When the solver raised or reported numerical trouble, or its plan does not meet a
        requirement it claims to meet (recomputed from the capacities).

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> from netplan.model.capacity import CapacitySettings
    >>> s = tiny_scenario().model_copy(update={"capacity": CapacitySettings(
    ...     new_lines={"access": {"one_off": 2.0, "yearly": 1.0}},
    ...     catalogue={"access": [{"capacity": "100M", "one_off": 1.0, "yearly": 0.5}]})})
    >>> plan = plan_upgrades(s, build_topology(s))
    >>> plan.status, len(plan.lines), plan.cost   # 5 second lines at 2 + 1 + 1 + 0.5 each
    ('optimal', 5, 22.5)
    """
    t0 = time.perf_counter()
    cap = scenario.capacity
    limit = cap.time_limit_s if time_limit_s is None else float(time_limit_s)
    budget = cap.budget if budget is None else budget
    years = list(years or cap.years or [scenario.year or 2020])
    plan_topo, new = candidate_lines(scenario, topology)
    base = loads
    if base is not None and (list(base.years) != years or base.topology is not topology
                             or bool(base.link_states) != single_links):
        base = None  # not the loads of this network and these years: route again
    planning = None
    if base is not None:
        planning = _with_parallel_lines(scenario, base, plan_topo, new, system_mbps)
    if planning is None:
        planning = link_loads(scenario, plan_topo, years=years, system_mbps=system_mbps,
                              single_links=single_links)
    if len(new) and base is None:
        base = link_loads(scenario, topology, years=years, system_mbps=system_mbps,
                          single_links=False)
    reqs = _requirements(scenario, planning, base if len(new) else None, new)
    make_solver(solver)  # a missing solver fails here, whether or not the MILP is needed
    return _solve(scenario, plan_topo, new, reqs, years, budget, solver,
                  max(limit - (time.perf_counter() - t0), 1.0), t0)


def _with_parallel_lines(scenario: Scenario, base: LinkLoads, plan_topo: Topology,
                         new: np.ndarray, system_mbps) -> LinkLoads | None:
    """The planning topology's loads from the provisioned one's; None unless lines are parallel.

    A new line between the same two nodes as a line of its site joins that trunk: routes in
    normal operation and in every single-line failure stay those of ``base`` (its trunk is as
    fast as before), the failure of the site's old line becomes a capacity-only state of the
    trunk, and the carrier states (where the new line is the only one up) are routed again.
    """
    from netplan.capacity.loads import FailureState
    from netplan.topology.routing import Trunks

    trunks = Trunks.of(plan_topo)
    old = base.trunks
    if trunks.n_trunks != old.n_trunks or not (np.array_equal(trunks.u, old.u)
                                                and np.array_equal(trunks.v, old.v)):
        return None  # a new line between new ends: routes change
    carrier = link_loads(scenario, plan_topo, years=base.years, system_mbps=system_mbps,
                         single_links=False)
    n = plan_topo.n_links
    states = [FailureState(st.name, st.kind, None, st.label, down=st.down, n_links=n)
              for st in base.link_states]
    changes = list(base.link_changes)
    normal = base.loads_mbps[0]
    have = {st.down for st in base.link_states}
    new_trunks = set(trunks.link_trunk[new].tolist())
    carrier_of = plan_topo.links["carrier"].to_numpy(dtype=str)
    src = plan_topo.links["source"].to_numpy(dtype=str)
    dst = plan_topo.links["target"].to_numpy(dtype=str)
    n_old = len(base.topology.links)
    for pos in np.flatnonzero(np.isin(trunks.link_trunk[:n_old], list(new_trunks))):
        if pos in have:
            continue
        t = int(trunks.link_trunk[pos])
        lid = plan_topo.links.index[pos]
        states.append(FailureState(f"link:{lid}", "link", None,
                                   f"{src[pos]} -- {dst[pos]} ({carrier_of[pos]}) down",
                                   down=int(pos), n_links=n))
        changes.append((np.array([t]), normal[:, [t], :].transpose(1, 0, 2)))
    return LinkLoads(topology=plan_topo, trunks=trunks, years=list(base.years),
                     states=carrier.states, loads_mbps=carrier.loads_mbps, link_states=states,
                     link_changes=changes, cut_off=carrier.cut_off,
                     dedicated_mbps=carrier.dedicated_mbps, skipped_links=base.skipped_links)


def _frozen_positions(scenario: Scenario, topology: Topology) -> set[int]:
    links = topology.links
    out: set[int] = set()
    pair = {}
    for pos, (a, b) in enumerate(zip(links["source"], links["target"], strict=True)):
        pair.setdefault(f"{a} -- {b}", []).append(pos)
        pair.setdefault(f"{b} -- {a}", []).append(pos)
    for i, text in enumerate(scenario.capacity.frozen_links):
        if text.strip().isdigit() and int(text) in links.index:
            out.add(int(links.index.get_loc(int(text))))
        elif text in pair:
            out.update(pair[text])
        else:
            from netplan.errors import Issue, ScenarioError

            raise ScenarioError([Issue(f"capacity.frozen_links[{i}]",
                                       f"{text!r} is no link of the extranet",
                                       'write "SOURCE -- TARGET" with node ids, or a link id')])
    return out


def _options(scenario: Scenario, topology: Topology, pos: int, is_new: bool):
    """(capacity, one-off, yearly) per option of a line; option 0 keeps it as it is."""
    row = topology.links.iloc[pos]
    cap0 = 0.0 if pd.isna(row["capacity_mbps"]) else float(row["capacity_mbps"])
    cat = scenario.capacity.options_for(row["kind"], row["tier"])
    same = [o for o in cat if o.capacity_mbps == cap0]
    keep = (cap0, 0.0, same[0].yearly_cost if same and not is_new else 0.0)
    opts = [keep]
    extra_one, extra_year = 0.0, 0.0
    if is_new:
        nl = scenario.capacity.new_line_for(row["kind"], row["tier"])
        extra_one, extra_year = nl.one_off_cost, nl.yearly_cost
    for o in sorted(cat, key=lambda o: o.capacity_mbps):
        if o.capacity_mbps > cap0:
            opts.append((float(o.capacity_mbps), o.one_off_cost + extra_one,
                         o.yearly_cost + extra_year))
    return opts


def _solve(scenario, topo, new, reqs, years, budget, solver, limit, t0) -> UpgradePlan:
    cap_cfg = scenario.capacity
    links = topo.links
    n = len(links)
    is_new = np.zeros(n, dtype=bool)
    is_new[new] = True
    cap0 = links["capacity_mbps"].to_numpy(dtype=float, na_value=0.0)
    frozen = _frozen_positions(scenario, topo)
    Y = len(years)
    disc = [(1 + cap_cfg.discount_rate_pct / 100.0) ** -(y - years[0]) for y in years]
    year_index = {y: k for k, y in enumerate(years)}

    active = sorted({x for r in reqs for x in r.lines} - frozen)
    opts = {p: _options(scenario, topo, p, bool(is_new[p])) for p in active}
    best = {p: max(o[0] for o in opts.get(p, [(cap0[p], 0, 0)])) for p in range(n)
            if p in opts}

    def reach(r: Requirement) -> float:
        return sum(best.get(x, cap0[x]) for x in r.lines)

    explanation, unmet_rows, hard = [], [], []
    for r in reqs:
        top = reach(r)
        if top + 1e-6 < r.need_mbps:
            biggest = max((o[0] for x in r.lines for o in opts.get(x, [(cap0[x], 0, 0)])),
                          default=0.0)
            what = ("no catalogue option" if any(x in opts for x in r.lines)
                    else "no catalogue option (or the line is frozen)")
            explanation.append(
                f"{what} carries {r.where}'s {r.need_mbps:,.0f} Mbps ({r.rule}) in the "
                f"{r.label} state in {r.year}: its lines up reach {top:,.0f} Mbps at most"
                f" (the largest option is {_fmt(biggest)})")
            unmet_rows.append({"where": r.where, "rule": r.rule, "state": r.state,
                               "year": r.year, "need_mbps": r.need_mbps,
                               "reason": "no option is large enough", "cost_alone": math.nan})
        else:
            hard.append(r)

    if not hard:
        status = "infeasible" if unmet_rows else "nothing_to_do"
        capacity = {y: cap0.copy() for y in years}
        return _result(status, 0.0, 0.0, 0.0, t0, topo, is_new, capacity, years, disc,
                       {}, opts, unmet_rows, explanation, reqs, cap_cfg.currency)

    choice: dict[tuple[int, int], int] = {}
    milp_reqs = hard
    parts_cost = 0.0
    if budget is None:
        # without a budget the requirements decouple into groups of lines that share one:
        # most are one line (a site's access) or one trunk's few lines, solved exactly by
        # enumerating each line's option sequences; bigger groups go to the MILP together
        milp_reqs = []
        for lines, group in _components(hard, opts):
            got = _enumerate(lines, group, opts, cap0, disc, year_index, Y)
            if got is None:
                milp_reqs += group
            else:
                picked, value = got
                choice.update(picked)
                parts_cost += value
    outcome, bound, total_milp = "optimal", None, 0.0
    met_values: dict[int, float] = {}
    knapsack = None
    if budget is not None:
        knapsack = _knapsack(hard, opts, cap0, disc, year_index, Y, budget, solver, limit, t0)
    if knapsack is not None:
        outcome, total_milp, picked, met_values = knapsack
        choice.update(picked)
    elif milp_reqs:
        got = _milp(milp_reqs, opts, cap0, disc, year_index, Y, budget, solver, limit, t0)
        if isinstance(got, str):
            explanation.append(got)
            capacity = {y: cap0.copy() for y in years}
            return _result("no_solution", math.nan, None, None, t0, topo, is_new, capacity,
                           years, disc, {}, opts, unmet_rows, explanation, reqs,
                           cap_cfg.currency)
        outcome, bound, total_milp, picked, met_values = got
        choice.update(picked)
    used = sorted({p for p, _ in choice})
    capacity = {}
    for k, y in enumerate(years):
        c = cap0.copy()
        for p in used:
            c[p] = opts[p][choice[p, k]][0]
        capacity[y] = c
    for i, r in enumerate(milp_reqs):
        if i in met_values and met_values[i] < 0.5:
            unmet_rows.append({"where": r.where, "rule": r.rule, "state": r.state,
                               "year": r.year, "need_mbps": r.need_mbps,
                               "reason": "over the budget",
                               "cost_alone": _cost_alone(r, opts, cap0, disc, year_index)})
    _check_met(hard, milp_reqs, met_values, capacity, years, year_index, solver)
    total = parts_cost + total_milp
    b = None
    if budget is None:
        b = parts_cost + (bound if bound is not None else (total_milp if not milp_reqs
                                                                     else math.nan))
        if not math.isfinite(b):
            b = None
    status = "optimal" if outcome == "optimal" else "feasible"
    if any(row["reason"] == "over the budget" for row in unmet_rows):
        status = "over_budget"
    elif explanation:
        status = "infeasible"
    gap = None
    if b is not None and total > 1e-9:
        gap = max(0.0, 100.0 * (total - b) / abs(total))
    return _result(status, total, b, gap, t0, topo, is_new, capacity, years, disc, choice,
                   opts, unmet_rows, explanation, reqs, cap_cfg.currency)


def _check_met(hard, milp_reqs, met_values, capacity, years, year_index, solver) -> None:
    """Every requirement the plan claims to meet is met by its capacities, recomputed.

    A solver working at its tolerances on capacities of very different sizes could return
    a plan a requirement's lines do not quite carry; that is an error, not a plan.
    """
    from netplan.errors import SolverFailedError

    unmet = {id(r) for i, r in enumerate(milp_reqs) if i in met_values and met_values[i] < 0.5}
    for r in hard:
        if id(r) in unmet:
            continue
        k = year_index.get(r.year, 0)
        got = float(sum(capacity[years[k]][x] for x in r.lines))
        if got < r.need_mbps - 1e-9 * max(1.0, r.need_mbps):
            name = getattr(solver, "name", solver) or "HiGHS"
            raise SolverFailedError(
                f"the upgrade plan of {name} claims {r.where}'s {r.need_mbps:,.6g} Mbps "
                f"({r.rule}, {r.label}, {r.year}) is met, but its lines carry {got:,.6g} Mbps: "
                "the solver's tolerances; try another solver (NETPLAN_SOLVER) or capacities "
                "and costs of less different sizes")


#: Largest number of option-sequence combinations a group of lines is enumerated over.
ENUMERATE_MAX = 50_000


def _components(reqs: list[Requirement], opts: dict) -> list[tuple[list[int], list]]:
    """Groups of lines linked by a requirement, with their requirements."""
    parent: dict[int, int] = {}

    def find(a: int) -> int:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r in reqs:
        free = [x for x in r.lines if x in opts]
        for a in free[1:]:
            ra, rb = find(free[0]), find(a)
            if ra != rb:
                parent[ra] = rb
        if free:
            find(free[0])
    groups: dict[int, tuple[list[int], list]] = {}
    for r in reqs:
        free = [x for x in r.lines if x in opts]
        if not free:
            continue
        g = groups.setdefault(find(free[0]), ([], []))
        g[1].append(r)
    for line in parent:
        groups[find(line)][0].append(line)
    return [(sorted(set(lines)), group) for lines, group in groups.values()]


def _sequences(n_opts: int, Y: int) -> np.ndarray:
    """Every non-decreasing sequence of option indices over Y years, shape (S, Y)."""
    from itertools import combinations_with_replacement

    return np.array(list(combinations_with_replacement(range(n_opts), Y)), dtype=np.int64)


def _seq_costs(seqs: np.ndarray, opt: list, disc: list[float]) -> np.ndarray:
    one = np.array([o[1] for o in opt])
    yearly = np.array([o[2] for o in opt])
    d = np.asarray(disc)
    prev = np.concatenate([np.zeros((len(seqs), 1), dtype=np.int64), seqs[:, :-1]], axis=1)
    changed = seqs != prev
    return (yearly[seqs] * d).sum(axis=1) + (np.where(changed, one[seqs], 0.0) * d).sum(axis=1)


def _group_plans(lines, group, opts, cap0, disc, year_index, Y):
    """Every combination of the lines' option sequences: its cost and the requirements it meets.

    Costs are the MILP's (rent every year, a module's one-off in the year it is installed,
    discounted), less the rent of keeping every line as it is. None when there are more than
    :data:`ENUMERATE_MAX` combinations.

    Returns
    -------
    (seqs, pick, cost, met)
        ``seqs[i]`` the sequences of line ``lines[i]`` (S_i, Y), ``pick[i]`` the sequence of
        each combination, ``cost`` per combination, ``met`` (combinations, requirements) bool.
    """
    seqs = [_sequences(len(opts[p]), Y) for p in lines]
    if np.prod([float(len(s)) for s in seqs]) > ENUMERATE_MAX:
        return None
    grids = np.meshgrid(*[np.arange(len(s)) for s in seqs], indexing="ij")
    pick = [g.ravel() for g in grids]
    cost = np.zeros(len(pick[0]))
    caps = {}
    for p, s, idx in zip(lines, seqs, pick, strict=True):
        cost += _seq_costs(s, opts[p], disc)[idx]
        capv = np.array([o[0] for o in opts[p]])[s]  # (S, Y)
        caps[p] = capv[idx]  # (N, Y)
    met = np.ones((len(cost), len(group)), dtype=bool)
    for j, r in enumerate(group):
        k = year_index.get(r.year, 0)
        have = sum(caps[x][:, k] if x in caps else cap0[x] for x in r.lines)
        met[:, j] = have + 1e-6 >= r.need_mbps
    baseline = sum(disc[k] * opts[p][0][2] for p in lines for k in range(Y))
    return seqs, pick, cost - baseline, met


def _picked(lines, seqs, pick, best: int, Y: int) -> dict[tuple[int, int], int]:
    return {(p, k): int(s[idx[best], k])
            for p, s, idx in zip(lines, seqs, pick, strict=True) for k in range(Y)}


def _enumerate(lines, group, opts, cap0, disc, year_index, Y):
    """The cheapest option sequences of a few lines meeting all their requirements, or None."""
    got = _group_plans(lines, group, opts, cap0, disc, year_index, Y)
    if got is None:
        return None
    seqs, pick, cost, met = got
    ok = met.all(axis=1)
    if not ok.any():
        return None
    best = int(np.flatnonzero(ok)[np.argmin(cost[ok])])
    return _picked(lines, seqs, pick, best, Y), float(cost[best])


def _knapsack(hard, opts, cap0, disc, year_index, Y, budget, solver, limit, t0):
    """Under a budget: one Pareto plan per group, by a multiple-choice knapsack MILP.

    Each group's plans are enumerated and reduced to the cheapest for each weight of
    requirements met; the knapsack takes the most weight within the budget, then the least
    cost. Exact, and small (a handful of plans per group). None when a group has too many
    combinations to enumerate (then the line-level MILP decides).
    """
    groups = _components(hard, opts)
    index = {id(r): i for i, r in enumerate(hard)}
    plans = []  # per group: (lines, seqs, pick, req indices, [(combo, cost, worth, met)])
    for lines, group in groups:
        got = _group_plans(lines, group, opts, cap0, disc, year_index, Y)
        if got is None:
            return None
        seqs, pick, cost, met = got
        w = np.array([r.weight for r in group])
        worth = met.astype(float) @ w
        order = np.lexsort((-worth, cost))
        front, top = [], -1.0
        for c in order:
            if worth[c] > top + 1e-12:
                front.append(int(c))
                top = worth[c]
        plans.append((lines, seqs, pick, [index[id(r)] for r in group], front, cost, worth,
                      met))
    prob = pulp.LpProblem("upgrade_budget", pulp.LpMaximize)
    y = {(g, c): prob.add_variable(f"y_{g}_{c}", cat="Binary")
         for g, pl in enumerate(plans) for c in pl[4]}
    for g, pl in enumerate(plans):
        prob += pulp.lpSum(y[g, c] for c in pl[4]) == 1
    spend = pulp.lpSum(float(pl[5][c]) * y[g, c] for g, pl in enumerate(plans) for c in pl[4])
    worth = pulp.lpSum(float(pl[6][c]) * y[g, c] for g, pl in enumerate(plans) for c in pl[4])
    prob += spend <= budget
    prob.setObjective(worth)
    got = run_solver(prob, make_solver(
        solver, time_limit_s=max(0.5 * (limit - (time.perf_counter() - t0)), 1.0)),
        what="upgrade budget knapsack MILP")
    first = got.outcome
    if first not in ("optimal", "stopped") or not got.feasible:
        return None
    best = float(pulp.value(worth))
    snapshot = {v: v.value() for v in prob.variables()}
    prob += worth >= best - 1e-9 * max(1.0, abs(best))
    prob.sense = pulp.LpMinimize
    prob.setObjective(spend)
    got = run_solver(prob, make_solver(
        solver, time_limit_s=max(limit - (time.perf_counter() - t0), 1.0)),
        what="upgrade budget knapsack MILP (least cost)")
    second = got.outcome
    if second not in ("optimal", "stopped") or not got.feasible:
        for v, val in snapshot.items():
            v.varValue = val
        second = "stopped"
    outcome = "optimal" if first == second == "optimal" else "stopped"
    choice, met_values, total = {}, {}, 0.0
    for g, (lines, seqs, pick, idx, front, cost, _w, met) in enumerate(plans):
        c = max(front, key=lambda c: y[g, c].value() or 0.0)
        choice.update(_picked(lines, seqs, pick, c, Y))
        total += float(cost[c])
        for j, i in enumerate(idx):
            met_values[i] = 1.0 if met[c, j] else 0.0
    return outcome, total, choice, met_values


def _milp(hard, opts, cap0, disc, year_index, Y, budget, solver, limit, t0):
    """The MILP over the lines of ``hard``: (outcome, bound, cost, choice, met), or why not."""
    used = sorted({x for r in hard for x in r.lines if x in opts})
    prob = pulp.LpProblem("upgrades", pulp.LpMinimize)
    x = {(p, o, k): prob.add_variable(f"x_{p}_{o}_{k}", cat="Binary")
         for p in used for o in range(len(opts[p])) for k in range(Y)}
    z = {(p, o, k): prob.add_variable(f"z_{p}_{o}_{k}", lowBound=0, upBound=1)
         for p in used for o in range(1, len(opts[p])) for k in range(Y)}
    capv = {}
    for p in used:
        for k in range(Y):
            prob += pulp.lpSum(x[p, o, k] for o in range(len(opts[p]))) == 1
            capv[p, k] = pulp.lpSum(opts[p][o][0] * x[p, o, k] for o in range(len(opts[p])))
            if k:
                prob += capv[p, k] >= capv[p, k - 1]
            for o in range(1, len(opts[p])):
                prev = x[p, o, k - 1] if k else 0
                prob += z[p, o, k] >= x[p, o, k] - prev
    rent = pulp.lpSum(disc[k] * opts[p][o][2] * x[p, o, k] for (p, o, k) in x)
    once = pulp.lpSum(disc[k] * opts[p][o][1] * z[p, o, k] for (p, o, k) in z)
    baseline = sum(disc[k] * opts[p][0][2] for p in used for k in range(Y))
    cost = rent + once
    met = {}
    for i, r in enumerate(hard):
        k = year_index.get(r.year, 0)
        fixed = sum(cap0[xp] for xp in r.lines if (xp, k) not in capv)
        lhs = pulp.lpSum(capv[xp, k] for xp in r.lines if (xp, k) in capv) + fixed
        # the requirement holds from its year on: capacities never shrink, so its year suffices
        if budget is None:
            prob += lhs >= r.need_mbps
        else:
            met[i] = prob.add_variable(f"met_{i}", cat="Binary")
            prob += lhs >= r.need_mbps * met[i]
    snapshot = None
    if budget is None:
        prob += cost
        made = make_solver(solver, time_limit_s=max(limit - (time.perf_counter() - t0), 1.0))
        got = run_solver(prob, made, what="upgrade MILP")
    else:
        # lexicographic: first the most (weighted) requirements within the budget, then the
        # cheapest plan that meets as many
        prob += cost - baseline <= budget
        worth = pulp.lpSum(hard[i].weight * met[i] for i in met)
        prob.setObjective(-worth)
        made = make_solver(solver, time_limit_s=max(0.5 * (limit - (time.perf_counter() - t0)),
                                                    1.0))
        got = run_solver(prob, made, what="upgrade MILP under the budget")
        if got.outcome in ("optimal", "stopped") and got.feasible:
            snapshot = {v: v.value() for v in prob.variables()}
            best_worth = float(pulp.value(worth))
            prob += worth >= best_worth - 1e-6 * max(1.0, abs(best_worth))
            prob.setObjective(cost)
            made = make_solver(solver, time_limit_s=max(limit - (time.perf_counter() - t0),
                                                        1.0))
            got = run_solver(prob, made, what="upgrade MILP under the budget (least cost)")
    outcome, bound = got.outcome, got.bound
    if outcome not in ("optimal", "stopped") or not got.feasible:
        if snapshot is None:
            if outcome == "infeasible":  # every requirement passed the reach check alone
                return (f"{got.describe('upgrade MILP')}, although each of its "
                        f"{len(hard)} requirements can be met alone: the solver's tolerances "
                        "on very large or very small capacities; express them in Mbps within "
                        "1 to 1e7 or try another solver (NETPLAN_SOLVER)")
            stop = getattr(made, "timeLimit", None)
            return (f"{got.describe('upgrade MILP')} ({len(hard)} requirements on "
                    f"{len(used)} lines, {Y} year{'s' if Y != 1 else ''}"
                    + (f", time limit {stop:.3g} s" if stop is not None else "") + ")")
        for v, val in snapshot.items():  # the first stage's plan: meets as much, may cost more
            v.varValue = val
        outcome = "stopped"
    values = {key: (v.value() or 0.0) for key, v in x.items()}
    choice = {(p, k): max(range(len(opts[p])), key=lambda o: values[p, o, k])
              for p in used for k in range(Y)}
    total = float(pulp.value(cost)) - baseline
    b = None if bound is None or budget is not None else bound - baseline
    return outcome, b, total, choice, {i: (m.value() or 0.0) for i, m in met.items()}


def _cost_alone(r: Requirement, opts, cap0, disc, year_index) -> float:
    """Cheapest single-line upgrade meeting ``r`` alone (discounted, from its year on)."""
    k = year_index.get(r.year, 0)
    now = sum(cap0[x] for x in r.lines)
    best = math.inf
    for p in r.lines:
        for c, one, yearly in opts.get(p, [])[1:]:
            if now - cap0[p] + c >= r.need_mbps:
                best = min(best, disc[k] * one + sum(disc[j] * yearly for j in range(k, len(disc)))
                           - sum(disc[j] * opts[p][0][2] for j in range(k, len(disc))))
    return best if math.isfinite(best) else math.nan


def _fmt(mbps: float) -> str:
    return f"{mbps / 1000:g}G" if mbps >= 1000 else f"{mbps:g}M"


def _result(status, cost, bound, gap, t0, topo, is_new, capacity, years, disc, choice, opts,
            unmet_rows, explanation, reqs, currency) -> UpgradePlan:
    links = topo.links
    cap0 = links["capacity_mbps"].to_numpy(dtype=float, na_value=0.0)
    rows = []
    per_year = {y: [0.0, 0.0] for y in years}
    for (p, k), o in sorted(choice.items()):
        prev = choice.get((p, k - 1), 0) if k else 0
        c, one, yearly = opts[p][o]
        if o:
            per_year[years[k]][1] += yearly - opts[p][0][2]
        if o != prev:
            per_year[years[k]][0] += one
            r = links.iloc[p]
            rows.append({"link_id": int(links.index[p]), "source": r["source"],
                         "target": r["target"], "kind": r["kind"], "tier": r["tier"],
                         "carrier": r["carrier"], "new": bool(is_new[p]), "year": years[k],
                         "from_mbps": opts[p][prev][0] if k else cap0[p], "to_mbps": c,
                         "one_off": one, "yearly": yearly})
    lines = pd.DataFrame(rows, columns=["link_id", "source", "target", "kind", "tier", "carrier",
                                        "new", "year", "from_mbps", "to_mbps", "one_off",
                                        "yearly"])
    cby = pd.DataFrame([{"year": y, "one_off": v[0], "yearly": v[1], "total": v[0] + v[1],
                         "discounted": (v[0] + v[1]) * disc[k]}
                        for k, (y, v) in enumerate(per_year.items())])
    unmet = pd.DataFrame(unmet_rows, columns=["where", "rule", "state", "year", "need_mbps",
                                              "reason", "cost_alone"])
    return UpgradePlan(status=status, cost=float(cost), bound=bound, gap_pct=gap,
                       seconds=time.perf_counter() - t0, lines=lines, cost_by_year=cby,
                       unmet=unmet, explanation=explanation, requirements=reqs,
                       capacity_by_year=capacity, topology=topo, currency=currency,
                       is_new=np.asarray(is_new, dtype=bool))
