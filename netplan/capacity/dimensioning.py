"""Network dimensioning on a mesh: modules on every link and a routing, at least cost.

This is the SNDlib problem class: which capacity modules to install on every link, and how to
route the demands.

A :class:`DimensioningProblem` has nodes, links (each with pre-installed capacity and its cost
per unit, a routing cost per unit of flow, a setup cost and a catalogue of modules
``(capacity, cost)``) and demands (volumes in capacity units), plus the model choices of SNDlib
(:class:`netplan.io.sndlib.SndlibModel`):

- demand model ``U`` (undirected) / ``D`` (directed);
- link model ``U`` (both directions share the capacity), ``B`` (the capacity in each
  direction), ``D`` (only from source to target);
- capacity model ``M`` (any integer number of each module), ``E`` (at most one of the listed
  modules: the explicit capacities), ``S`` (integer copies of the smallest module only);
- fixed charge: when on, a link is usable only if its setup cost is paid;
- routing ``C`` (splittable) or ``S`` (each demand on one path);
- survivability ``N`` or ``U`` (unrestricted re-routing: in every single-link failure state
  all demands are routed again without the failed link, within the installed capacity).

The objective is module costs + pre-installed capacity × its unit cost + setup costs +
routing cost × flow (flow of the normal, no-failure state).

:func:`dimension` solves it as a MILP with HiGHS (through ``highspy``, the model passed in
bulk; any other PuLP solver on request):

- **flows**: splittable routing aggregates demands by source node (one commodity per root;
  with undirected demands each demand is oriented so that few roots cover all demands, a
  greedy vertex cover), one copy per network state; single-path routing has one binary per
  demand and arc and the capacity row ``sum_d volume_d x[d, a] <= capacity`` (no big M), plus
  the linking rows "a link that carries demand ``d`` has a module that can carry it";
- **cut-set inequalities**: for every node set ``S`` of one or two nodes (and connected triples
  on small networks) and every failure state that cuts a link of ``δ(S)``, the capacity of the
  remaining links of ``δ(S)`` covers the demand across the cut, added both plainly (HiGHS
  derives its own cuts from them) and as mixed-integer-rounding (MIR) inequalities
  ``sum_j (floor(a_j/δ) + min(f_j, f)/f) x_j >= ceil(b/δ)`` with ``δ`` a module capacity,
  which cut off the LP relaxation's fractional capacities;
- **start**: the better of the LP relaxation's loads rounded up to the cheapest modules, and a
  greedy single-path routing on incremental module cost; passed to HiGHS as its incumbent;
- **states**: with survivability and no routing cost the normal state is dominated by any
  failure state (its routing is one) and is left out of the model.

The time limit covers building the model. HiGHS' own model status, dual bound and gap are read
(PuLP would say "Optimal" after a time-limit stop) and mapped explicitly onto
:class:`DimensioningStatus`. :func:`check_dimensioning` verifies any result independently:
module counts, flow conservation of every commodity in every state, no flow on a failed
link, capacities in every state, single paths, and the objective recomputed.
"""

from __future__ import annotations

import enum
import heapq
import itertools
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from netplan._solver import make_solver
from netplan.errors import Issue, NetplanError, ScenarioError

__all__ = [
    "Module",
    "DimensioningLink",
    "DimensioningDemand",
    "DimensioningProblem",
    "DimensioningStatus",
    "DimensioningResult",
    "DimensioningViolation",
    "dimension",
    "check_dimensioning",
    "objective_of",
]

#: Largest number of node sets for which cut-set inequalities are generated.
MAX_CUT_SETS = 4000
#: Connected node triples are used as cut sets up to this many nodes.
TRIPLES_UP_TO_NODES = 30
#: Largest number of single-path linking rows (``demand x link x state``).
MAX_LINKING_ROWS = 60_000
#: Links whose capacity has more than this many integer terms (explicit catalogues) get a
#: continuous capacity column (and, explicit, a column for the number of modules chosen),
#: so that capacity, cut-set and linking rows name one column instead of the catalogue: on
#: nobel-germany (40 options) with survivability that cuts the nonzeros from 1.6 million.
AUX_ABOVE_TERMS = 3
#: Whether cut-set rows also get MIR roundings. Off: on polska U-U-M-N-C-A-N-U (2 cores,
#: loaded machine) the plain rows solved in 13-36 s, with MIR roundings 38-49 s (HiGHS
#: derives MIR cuts from the plain rows itself, and the extra rows slow every node's LP).
MIR_ROWS = False
#: The normal state's name in result tables.
NORMAL = ""


# --------------------------------------------------------------------------- the problem


@dataclass(frozen=True)
class Module:
    """An installable capacity module: ``capacity`` (Mbit/s or the instance's unit) and its cost."""

    capacity: float
    cost: float


@dataclass(frozen=True)
class DimensioningLink:
    """A link that can be dimensioned.

    Parameters
    ----------
    link_id : str
        Unique id.
    source, target : str
        End nodes (the direction of a directed link).
    modules : tuple of Module
        The catalogue.
    pre_installed_capacity : float
        Capacity already there (same unit as the modules).
    pre_installed_capacity_cost : float
        Cost per unit of pre-installed capacity (a constant of the objective).
    routing_cost : float
        Cost per unit of flow routed over the link (normal state).
    setup_cost : float
        Cost of using the link at all, paid only with ``fixed_charge``.
    max_capacity : float, optional
        Modular model: the largest total capacity of the installed modules (None: no limit).
    """

    link_id: str
    source: str
    target: str
    modules: tuple[Module, ...]
    pre_installed_capacity: float = 0.0
    pre_installed_capacity_cost: float = 0.0
    routing_cost: float = 0.0
    setup_cost: float = 0.0
    max_capacity: float | None = None


@dataclass(frozen=True)
class DimensioningDemand:
    """A demand of ``volume`` capacity units between ``source`` and ``target``."""

    demand_id: str
    source: str
    target: str
    volume: float


_CHOICES = {"demand_model": ("U", "D"), "link_model": ("U", "B", "D"),
            "capacity_model": ("M", "E", "S"), "routing": ("C", "S"),
            "survivability": ("N", "U")}


@dataclass(frozen=True)
class DimensioningProblem:
    """A network-dimensioning instance (see the module docstring for the model).

    Parameters
    ----------
    nodes : tuple of str
    links : tuple of DimensioningLink
    demands : tuple of DimensioningDemand
    demand_model : {"U", "D"}
    link_model : {"U", "B", "D"}
        An undirected demand on a bidirected or directed link is routed from its source to
        its target.
    capacity_model : {"M", "E", "S"}
    routing : {"C", "S"}
    survivability : {"N", "U"}
    fixed_charge : bool
    name : str

    Raises
    ------
    ScenarioError
        When a choice is unknown, an id repeats, a link or demand names an unknown node, or a
        number is negative; every problem is listed.

    Examples
    --------
    >>> p = DimensioningProblem(("a", "b"), (DimensioningLink("l", "a", "b", (Module(10, 3),)),),
    ...                         (DimensioningDemand("d", "a", "b", 25),))
    >>> p.model
    'U-U-M-N-C-A-N-N'
    """

    nodes: tuple[str, ...]
    links: tuple[DimensioningLink, ...]
    demands: tuple[DimensioningDemand, ...]
    demand_model: str = "U"
    link_model: str = "U"
    capacity_model: str = "M"
    routing: str = "C"
    survivability: str = "N"
    fixed_charge: bool = False
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "nodes", tuple(self.nodes))
        object.__setattr__(self, "links", tuple(self.links))
        object.__setattr__(self, "demands", tuple(self.demands))
        issues: list[Issue] = []
        for attr, choices in _CHOICES.items():
            if getattr(self, attr) not in choices:
                issues.append(Issue(attr, f"{getattr(self, attr)!r} must be one of {choices}"))
        if len(set(self.nodes)) != len(self.nodes):
            issues.append(Issue("nodes", "a node id occurs twice"))
        nodes = set(self.nodes)
        seen: set[str] = set()
        for lk in self.links:
            where = f"link {lk.link_id}"
            if lk.link_id in seen:
                issues.append(Issue(where, "occurs twice"))
            seen.add(lk.link_id)
            for end in (lk.source, lk.target):
                if end not in nodes:
                    issues.append(Issue(where, f"end node {end!r} is not a node"))
            if lk.source == lk.target:
                issues.append(Issue(where, f"is a loop at {lk.source!r}"))
            for name in ("pre_installed_capacity", "pre_installed_capacity_cost",
                         "routing_cost", "setup_cost"):
                if not getattr(lk, name) >= 0:
                    issues.append(Issue(where, f"{name}={getattr(lk, name)} must be >= 0"))
            if lk.max_capacity is not None and not lk.max_capacity >= 0:
                issues.append(Issue(where, f"max_capacity={lk.max_capacity} must be >= 0"))
            for m in lk.modules:
                if not (m.capacity > 0 and m.cost >= 0):
                    issues.append(Issue(where, f"module capacity={m.capacity} must be > 0 and "
                                        f"cost={m.cost} >= 0"))
        seen = set()
        for d in self.demands:
            where = f"demand {d.demand_id}"
            if d.demand_id in seen:
                issues.append(Issue(where, "occurs twice"))
            seen.add(d.demand_id)
            for end in (d.source, d.target):
                if end not in nodes:
                    issues.append(Issue(where, f"end node {end!r} is not a node"))
            if d.source == d.target:
                issues.append(Issue(where, f"source and target are both {d.source!r}"))
            if not d.volume >= 0:
                issues.append(Issue(where, f"volume={d.volume} must be >= 0"))
        if issues:
            raise ScenarioError(issues, self.name or None)

    @property
    def model(self) -> str:
        """The SNDlib model string (admissible paths ``A``, hop limits ``N``)."""
        return "-".join((self.demand_model, self.link_model, self.capacity_model,
                         "Y" if self.fixed_charge else "N", self.routing, "A", "N",
                         self.survivability))

    @classmethod
    def from_sndlib(cls, instance, model=None) -> DimensioningProblem:
        """The problem of an :class:`netplan.io.sndlib.SndlibInstance` under a model.

        Parameters
        ----------
        instance : netplan.io.sndlib.SndlibInstance
        model : netplan.io.sndlib.SndlibModel or str, optional
            Default the instance's own model. Demand volumes are ``routing_unit *
            demand_value``.

        Raises
        ------
        ScenarioError
            When the model asks for something this engine does not do: integer routing,
            linear capacities, explicit admissible paths, hop limits, or path protection.
        """
        model = instance.model if model is None else model
        if model is None:
            raise ScenarioError([Issue("model", "the instance has no model",
                                       "pass model='U-U-M-N-C-A-N-N' or read a model file")],
                                instance.name)
        letters = str(model).split("-")
        if len(letters) != 8:
            raise ScenarioError([Issue("model", f"{model!r} is not an 8-letter model string")],
                                instance.name)
        dm, lm, cm, fc, rt, ap, hl, sv = letters
        unsupported = {
            "link capacity model": (cm, {"L": "linear capacities"}),
            "routing": (rt, {"I": "integer routing"}),
            "admissible paths": (ap, {"E": "an explicit path list"}),
            "hop limit": (hl, {"Y": "hop limits"}),
            "survivability": (sv, {"P": "1+1 protection", "S": "shared path protection"}),
        }
        issues = [Issue(what, f"{text} ({letter}) is not supported by dimension()",
                        "supported: demand U/D, link U/B/D, capacity M/E/S, fixed charge N/Y, "
                        "routing C/S, admissible paths A, hop limit N, survivability N/U")
                  for what, (letter, table) in unsupported.items()
                  for key, text in table.items() if letter == key]
        if issues:
            raise ScenarioError(issues, f"{instance.name} {model}")
        mods: dict[str, list[Module]] = defaultdict(list)
        for row in instance.modules.itertuples(index=False):
            mods[row.link_id].append(Module(float(row.capacity), float(row.cost)))
        links = tuple(
            DimensioningLink(str(r.link_id), str(r.source), str(r.target),
                             tuple(mods.get(r.link_id, ())), float(r.pre_installed_capacity),
                             float(r.pre_installed_capacity_cost), float(r.routing_cost),
                             float(r.setup_cost))
            for r in instance.links.itertuples(index=False))
        demands = tuple(
            DimensioningDemand(str(r.demand_id), str(r.source), str(r.target),
                               float(r.routing_unit) * float(r.demand_value))
            for r in instance.demands.itertuples(index=False))
        return cls(tuple(instance.topology.nodes.index), links, demands, demand_model=dm,
                   link_model=lm, capacity_model=cm, routing=rt, survivability=sv,
                   fixed_charge=fc == "Y", name=instance.name)

    # ---------------------------------------------------------------- derived

    def catalogue(self, link: DimensioningLink) -> tuple[Module, ...]:
        """The modules usable on ``link`` under the capacity model (``S``: the smallest)."""
        if self.capacity_model == "S" and link.modules:
            return (min(link.modules, key=lambda m: (m.capacity, m.cost)),)
        return link.modules

    def arcs(self, failed: str | None = None) -> list[tuple[int, str, str]]:
        """``(link index, from, to)`` of the usable arcs, without those of ``failed``."""
        out = []
        for e, lk in enumerate(self.links):
            if lk.link_id == failed:
                continue
            out.append((e, lk.source, lk.target))
            if self.link_model != "D":
                out.append((e, lk.target, lk.source))
        return out

    def states(self) -> list[str]:
        """The network states: ``""`` (normal) and, with survivability, each failed link."""
        if self.survivability == "U":
            return [NORMAL] + [lk.link_id for lk in self.links]
        return [NORMAL]


# --------------------------------------------------------------------------- results


class DimensioningStatus(enum.StrEnum):
    """How a dimensioning was obtained; HiGHS' (or PuLP's) statuses are mapped explicitly."""

    OPTIMAL = "optimal"  # proven optimal (within the objective's integrality)
    TIME_LIMIT = "time_limit"  # stopped by the time limit with a feasible plan
    INFEASIBLE = "infeasible"  # proven infeasible (the message says why when known)
    NO_SOLUTION = "no_solution"  # stopped before any feasible plan was found


@dataclass(frozen=True)
class DimensioningResult:
    """A dimensioning plan and how good it is.

    Attributes
    ----------
    status : DimensioningStatus
    objective : float or None
        The plan's cost, recomputed from the rounded module counts and the flows.
    bound : float or None
        The solver's dual bound (a lower bound on every plan's cost).
    gap : float or None
        ``(objective - bound) / objective``; 0 when optimal.
    seconds : float
        Wall time of :func:`dimension`, building included.
    installed : pandas.DataFrame
        One row per link and module with a count > 0: ``link_id``, ``module_capacity``,
        ``count``, ``cost`` (count × module cost).
    flows : pandas.DataFrame
        Nonzero flows: ``state`` (``""`` normal, else the failed link), ``commodity``,
        ``link_id``, ``from_node``, ``to_node``, ``flow`` (capacity units).
    commodities : dict
        Commodity name -> tuple of ``(demand_id, source, target, volume)`` it carries, oriented
        as routed: splittable routing aggregates by root node, single-path routing has one
        commodity per demand.
    capacity : dict
        ``link_id -> total capacity`` (pre-installed + modules).
    message : str
        Why, for infeasible results; model size and solver notes otherwise.
    """

    status: DimensioningStatus
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    installed: pd.DataFrame
    flows: pd.DataFrame
    commodities: dict = field(default_factory=dict)
    capacity: dict = field(default_factory=dict)
    message: str = ""

    def to_frame(self) -> pd.DataFrame:
        """One row per link: ``link_id``, ``capacity``, ``modules``, ``module_cost``, ``load``.

        ``load`` is the largest normal-state flow over the link (the sum of both directions
        for undirected links is not split here: it is the sum over the link's arcs).
        """
        rows = []
        inst = self.installed.groupby("link_id") if len(self.installed) else None
        normal = self.flows[self.flows["state"] == NORMAL] if len(self.flows) else self.flows
        load = normal.groupby("link_id")["flow"].sum() if len(normal) else pd.Series(dtype=float)
        groups = dict(iter(inst)) if inst is not None else {}
        for lid, cap in self.capacity.items():
            g = groups.get(lid)
            text = "" if g is None else " + ".join(
                f"{int(c)}x{m:g}" for m, c in zip(g["module_capacity"], g["count"], strict=True))
            rows.append({"link_id": lid, "capacity": float(cap), "modules": text,
                         "module_cost": 0.0 if g is None else float(g["cost"].sum()),
                         "load": float(load.get(lid, 0.0))})
        frame = pd.DataFrame(rows, columns=["link_id", "capacity", "modules", "module_cost",
                                            "load"])
        frame.attrs["units"] = {"capacity": "capacity units", "load": "capacity units"}
        return frame

    def __str__(self) -> str:
        gap = f", gap {self.gap:.2%}" if self.gap is not None else ""
        return (f"Dimensioning {self.status.value}: objective {self.objective}{gap}, "
                f"bound {self.bound}, {self.seconds:.2f} s")


class DimensioningViolation(NetplanError, AssertionError):
    """A dimensioning result breaks its problem's constraints; the message says where."""


_EMPTY_INSTALLED = ("link_id", "module_capacity", "count", "cost")
_FLOW_COLUMNS = ("state", "commodity", "link_id", "from_node", "to_node", "flow")


# --------------------------------------------------------------------------- helpers


def _commodities(problem: DimensioningProblem) -> dict[str, list[tuple[str, str, str, float]]]:
    """Commodity -> oriented demands ``(demand_id, source, target, volume)``."""
    demands = [d for d in problem.demands if d.volume > 0]
    if problem.routing == "S":
        return {d.demand_id: [(d.demand_id, d.source, d.target, d.volume)] for d in demands}
    if problem.demand_model == "D" or problem.link_model != "U":
        out: dict[str, list] = defaultdict(list)
        for d in demands:
            out[d.source].append((d.demand_id, d.source, d.target, d.volume))
        return dict(out)
    # undirected: orient each demand away from a root; greedy cover of the demand graph
    left = list(demands)
    out = {}
    while left:
        count: dict[str, int] = defaultdict(int)
        for d in left:
            count[d.source] += 1
            count[d.target] += 1
        root = max(problem.nodes, key=lambda n: (count.get(n, 0), -problem.nodes.index(n)))
        mine = [d for d in left if root in (d.source, d.target)]
        out[root] = [(d.demand_id, root, d.target if d.source == root else d.source, d.volume)
                     for d in mine]
        left = [d for d in left if root not in (d.source, d.target)]
    return out


def _cover_cost(problem: DimensioningProblem, link: DimensioningLink, need: float
                ) -> tuple[float, dict[int, int]] | None:
    """Cheapest modules giving ``need`` capacity beyond the pre-installed; None if impossible.

    Returns the cost and ``module index -> count`` (fixed charge not included).
    """
    need = need - link.pre_installed_capacity
    mods = problem.catalogue(link)
    if need <= 1e-9:
        return 0.0, {}
    if not mods:
        return None
    if problem.capacity_model == "E":
        best = None
        for k, m in enumerate(mods):
            if m.capacity >= need - 1e-9 and (best is None or m.cost < best[0]):
                best = (m.cost, {k: 1})
        return best
    if link.max_capacity is not None:
        if need > link.max_capacity + 1e-9:
            return None
        return _capped_cover(mods, need, link.max_capacity)
    # modular: integer combinations; enumerate all but the cheapest-per-unit module
    order = sorted(range(len(mods)), key=lambda k: mods[k].cost / mods[k].capacity)
    last = order[0]
    others = order[1:]
    best: tuple[float, dict[int, int]] | None = None

    def walk(i: int, rest: float, cost: float, counts: dict[int, int]) -> None:
        nonlocal best
        if best is not None and cost >= best[0]:
            return
        if i == len(others) or len(others) > 4:
            n = max(0, math.ceil(rest / mods[last].capacity - 1e-9))
            total = cost + n * mods[last].cost
            if best is None or total < best[0]:
                best = (total, {**counts, last: n} if n else dict(counts))
            return
        k = others[i]
        for n in range(max(0, math.ceil(rest / mods[k].capacity - 1e-9)) + 1):
            walk(i + 1, rest - n * mods[k].capacity, cost + n * mods[k].cost,
                 {**counts, k: n} if n else counts)

    walk(0, need, 0.0, {})
    return best


def _unit(values) -> float | None:
    """The largest unit of which every value is a whole multiple (integers only), or None."""
    ints = [round(v) for v in values]
    if any(abs(v - i) > 1e-9 or i <= 0 for v, i in zip(values, ints, strict=True)):
        return None
    return float(math.gcd(*ints))


def _exact_costs(mods, units: int, unit: float) -> tuple[list[float], list[int]]:
    """Unbounded knapsack: least cost of exactly ``C`` units of capacity, and the last module."""
    cost = [math.inf] * (units + 1)
    last = [-1] * (units + 1)
    cost[0] = 0.0
    for k, md in enumerate(mods):
        size = round(md.capacity / unit)
        for c in range(size, units + 1):
            if cost[c - size] + md.cost < cost[c] - 1e-12:
                cost[c] = cost[c - size] + md.cost
                last[c] = k
    return cost, last


def _capped_cover(mods, need: float, cap: float) -> tuple[float, dict[int, int]] | None:
    """Cheapest modules of total capacity in ``[need, cap]`` (integral capacities: exact DP)."""
    unit = _unit([md.capacity for md in mods] + ([cap] if cap > 0 else []))
    if unit is None or cap / unit > 200_000:
        return None
    units = int(round(cap / unit))
    cost, last = _exact_costs(mods, units, unit)
    lo = max(0, math.ceil(need / unit - 1e-9))
    best = min(range(lo, units + 1), key=lambda c: cost[c], default=None)
    if best is None or math.isinf(cost[best]):
        return None
    counts: dict[int, int] = defaultdict(int)
    c = best
    while c > 0:
        k = last[c]
        counts[k] += 1
        c -= round(mods[k].capacity / unit)
    return cost[best], dict(counts)


def _modular_equivalent(problem: DimensioningProblem):
    """An explicit problem as an equivalent modular one with capped capacity, or None.

    A link's explicit list is *modular* when some of its options (the base) generate the
    others: every option's capacity is a sum of base capacities costing no more than the
    option, and every sum of base capacities up to the largest option costs no less than the
    cheapest option at least as large. Then "one option" and "integer base modules, total
    capacity at most the largest option" have the same cheapest plans, and the integer
    counts branch far better than one binary per option (nobel-germany, nobel-us: 40 options
    from 2 bases). Returns ``(modular problem, per-link options sorted by capacity)``.
    """
    if problem.capacity_model != "E" or problem.fixed_charge:
        return None
    links, options, n_base, n_opt = [], [], 0, 0
    for lk in problem.links:
        opts = sorted(lk.modules, key=lambda md: (md.capacity, md.cost))
        options.append(opts)
        if not opts:
            links.append(replace(lk, max_capacity=0.0))
            continue
        unit = _unit([md.capacity for md in opts])
        if unit is None or opts[-1].capacity / unit > 100_000:
            return None
        units = int(round(opts[-1].capacity / unit))
        base: list[Module] = []
        cost = [math.inf] * (units + 1)
        cost[0] = 0.0
        for md in opts:
            size = round(md.capacity / unit)
            if cost[size] <= md.cost + 1e-9:
                continue
            base.append(md)
            for c in range(size, units + 1):
                cost[c] = min(cost[c], cost[c - size] + md.cost)
        best_from = [math.inf] * (units + 2)  # cheapest option of capacity >= C
        for md in opts:
            size = round(md.capacity / unit)
            for c in range(size, -1, -1):
                if md.cost < best_from[c]:
                    best_from[c] = md.cost
                else:
                    break
        if any(math.isfinite(cost[c]) and best_from[c] > cost[c] + 1e-9
               for c in range(1, units + 1)):
            return None
        n_base += len(base)
        n_opt += len(opts)
        links.append(replace(lk, modules=tuple(base), max_capacity=opts[-1].capacity))
    if n_base * 2 > n_opt:
        return None  # little to gain
    return replace(problem, links=tuple(links), capacity_model="M"), options


def _back_to_explicit(problem: DimensioningProblem, options, result: DimensioningResult
                      ) -> DimensioningResult:
    """A result of :func:`_modular_equivalent`'s problem in the explicit problem's terms."""
    if result.objective is None:
        return result
    total = defaultdict(float)
    for r in result.installed.itertuples(index=False):
        total[r.link_id] += r.count * r.module_capacity
    rows, capacity = [], {}
    for lk, opts in zip(problem.links, options, strict=True):
        c = total.get(lk.link_id, 0.0)
        capacity[lk.link_id] = lk.pre_installed_capacity
        if c <= 1e-9:
            continue
        pick = min((md for md in opts if md.capacity >= c - 1e-9),
                   key=lambda md: (md.cost, md.capacity))
        rows.append((lk.link_id, pick.capacity, 1, pick.cost))
        capacity[lk.link_id] += pick.capacity
    installed = pd.DataFrame(rows, columns=list(_EMPTY_INSTALLED))
    objective = objective_of(problem, installed, result.flows)
    bound = result.bound if result.bound is None else min(result.bound, objective)
    gap = result.gap
    if bound is not None and result.status is not DimensioningStatus.OPTIMAL:
        gap = (objective - bound) / max(abs(objective), 1e-9)
    return replace(result, objective=objective, bound=bound, gap=gap, installed=installed,
                   capacity=capacity,
                   message=f"{result.message}; solved as the equivalent modular model")


class _Model:
    """Columns and rows of a MILP as plain arrays (rows ``lo <= a x <= hi``)."""

    def __init__(self) -> None:
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.cost: list[float] = []
        self.integer: list[bool] = []
        self.row_lo: list[float] = []
        self.row_hi: list[float] = []
        self.starts: list[int] = [0]
        self.index: list[int] = []
        self.value: list[float] = []
        self.offset = 0.0

    def col(self, lb: float, ub: float, cost: float = 0.0, integer: bool = False) -> int:
        self.lb.append(float(lb))
        self.ub.append(float(ub))
        self.cost.append(float(cost))
        self.integer.append(bool(integer))
        return len(self.lb) - 1

    def row(self, terms, lo: float, hi: float) -> None:
        merged: dict[int, float] = {}
        for c, v in terms:
            merged[c] = merged.get(c, 0.0) + v
        for c, v in merged.items():
            if v != 0.0:
                self.index.append(c)
                self.value.append(v)
        self.starts.append(len(self.index))
        self.row_lo.append(float(lo))
        self.row_hi.append(float(hi))

    @property
    def n_cols(self) -> int:
        return len(self.lb)

    @property
    def n_rows(self) -> int:
        return len(self.row_lo)


@dataclass
class _Built:
    """The MILP of a problem and where its variables are."""

    m: _Model
    commodities: dict
    states: list  # states in the model
    report_states: list  # states reported (normal first)
    module_cols: dict  # (link index, module index) -> col
    open_cols: dict  # link index -> col (fixed charge)
    flow_cols: dict  # (state, commodity, arc index) -> col
    arcs: dict  # state -> list of (link index, from, to)
    integral: bool
    n_cuts: int = 0
    cap_cols: dict = field(default_factory=dict)  # link index -> capacity column (aux)
    count_cols: dict = field(default_factory=dict)  # link index -> sum of module binaries


def _link_lists(problem: DimensioningProblem) -> dict[str, list[int]]:
    at: dict[str, list[int]] = defaultdict(list)
    for e, lk in enumerate(problem.links):
        at[lk.source].append(e)
        at[lk.target].append(e)
    return at


def _cut_sets(problem: DimensioningProblem) -> list[frozenset]:
    """Node sets ``S`` for cut-set rows: singletons, pairs, connected triples (small nets)."""
    nodes = problem.nodes
    n = len(nodes)
    adj: dict[str, set] = defaultdict(set)
    for lk in problem.links:
        adj[lk.source].add(lk.target)
        adj[lk.target].add(lk.source)
    sets: list[frozenset] = [frozenset([v]) for v in nodes]
    seen = set(sets)

    def add(s: frozenset) -> None:
        comp = frozenset(nodes) - s
        if s in seen or comp in seen or not comp:
            return
        seen.add(s)
        sets.append(s)

    for a, b in itertools.combinations(nodes, 2):
        add(frozenset((a, b)))
    if n <= TRIPLES_UP_TO_NODES:
        for a, b in itertools.combinations(nodes, 2):
            if b not in adj[a]:
                continue
            for c in adj[a] | adj[b]:
                if c not in (a, b):
                    add(frozenset((a, b, c)))
    return sets[:MAX_CUT_SETS]


def _mir(terms: list[tuple[int, float]], b: float, delta: float):
    """The MIR inequality of ``sum a_j x_j >= b`` (x integer >= 0) for divisor ``delta``."""
    beta = b / delta
    f = beta - math.floor(beta)
    if f < 1e-9 or f > 1 - 1e-9:
        rhs = round(beta)
        coef = [(c, math.ceil(a / delta - 1e-9)) for c, a in terms]
        return coef, float(rhs)
    out = []
    for c, a in terms:
        alpha = a / delta
        fj = alpha - math.floor(alpha)
        if fj > 1 - 1e-12:
            fj = 0.0
            alpha = round(alpha)
        out.append((c, math.floor(alpha + 1e-12) + min(fj, f) / f))
    return out, float(math.ceil(beta))


def _deltas(problem: DimensioningProblem, cut_links: list[int], b: float) -> list[float]:
    caps = sorted({m.capacity for e in cut_links for m in problem.catalogue(problem.links[e])})
    if not caps:
        return []
    if problem.capacity_model != "E" or len(caps) <= 3:
        return caps
    picks = set()
    for target in (b / max(len(cut_links), 1), b / max(len(cut_links) - 1, 1), b):
        above = [c for c in caps if c >= target - 1e-9]
        if above:
            picks.add(above[0])
    below = [c for c in caps if c <= b / 2]
    if below:
        picks.add(below[-1])
    return sorted(picks)


def _build(problem: DimensioningProblem) -> _Built:
    m = _Model()
    links = problem.links
    L = len(links)
    total = sum(d.volume for d in problem.demands)
    routing_zero = all(lk.routing_cost == 0 for lk in links)
    all_states = problem.states()
    states = all_states[1:] if (problem.survivability == "U" and routing_zero and L) \
        else all_states
    module_cols: dict = {}
    open_cols: dict = {}
    cap_terms: dict[int, list[tuple[int, float]]] = {}
    cap_const: dict[int, float] = {}
    cap_ref: dict[int, list[tuple[int, float]]] = {}  # what rows use: the aux column or terms
    ref_const: dict[int, float] = {}
    cap_cols: dict[int, int] = {}
    count_cols: dict[int, int] = {}
    integral = True
    for e, lk in enumerate(links):
        terms: list[tuple[int, float]] = []
        if problem.fixed_charge:
            u = m.col(0, 1, lk.setup_cost, True)
            open_cols[e] = u
            if lk.pre_installed_capacity:
                terms.append((u, lk.pre_installed_capacity))
            cap_const[e] = 0.0
            integral &= float(lk.setup_cost).is_integer()
        else:
            cap_const[e] = lk.pre_installed_capacity
        m.offset += lk.pre_installed_capacity * lk.pre_installed_capacity_cost
        mods = problem.catalogue(lk)
        for k, mod in enumerate(mods):
            if problem.capacity_model == "E":
                ub = 1.0
            else:
                ub = max(0, math.ceil((total - lk.pre_installed_capacity) / mod.capacity - 1e-9))
                if lk.max_capacity is not None:
                    ub = min(ub, math.floor(lk.max_capacity / mod.capacity + 1e-9))
            c = m.col(0, ub, mod.cost, True)
            module_cols[e, k] = c
            terms.append((c, mod.capacity))
            integral &= float(mod.cost).is_integer()
            if problem.fixed_charge and ub > 0:
                m.row([(c, 1.0), (open_cols[e], -ub)], -math.inf, 0.0)
        if problem.capacity_model != "E" and lk.max_capacity is not None and mods:
            m.row([(module_cols[e, k], md.capacity) for k, md in enumerate(mods)], -math.inf,
                  lk.max_capacity)
        if problem.capacity_model == "E" and mods:
            row = [(module_cols[e, k], 1.0) for k in range(len(mods))]
            if problem.fixed_charge:
                row.append((open_cols[e], -1.0))
                m.row(row, -math.inf, 0.0)
            elif len(mods) > AUX_ABOVE_TERMS:
                count_cols[e] = m.col(0, 1)
                m.row(row + [(count_cols[e], -1.0)], 0.0, 0.0)
            else:
                m.row(row, -math.inf, 1.0)
        cap_terms[e] = terms
        if len(terms) > AUX_ABOVE_TERMS:
            cap_cols[e] = m.col(0, math.inf)
            m.row([(cap_cols[e], 1.0)] + [(c, -a) for c, a in terms], cap_const[e],
                  cap_const[e])
            cap_ref[e], ref_const[e] = [(cap_cols[e], 1.0)], 0.0
        else:
            cap_ref[e], ref_const[e] = terms, cap_const[e]
        if lk.routing_cost:
            integral = False
    integral &= float(m.offset).is_integer()

    commodities = _commodities(problem)
    single = problem.routing == "S"
    flow_cols: dict = {}
    arcs_of: dict = {}
    for state in states:
        arcs = problem.arcs(state or None)
        arcs_of[state] = arcs
        routing = state == NORMAL
        for name, dems in commodities.items():
            vol = sum(d[3] for d in dems)
            supply: dict[str, float] = defaultdict(float)
            for _, s, t, v in dems:
                supply[s] += v
                supply[t] -= v
            out: dict[str, list] = defaultdict(list)
            for a, (e, i, j) in enumerate(arcs):
                rc = links[e].routing_cost if routing else 0.0
                if single:
                    c = m.col(0, 1, rc * vol, True)
                else:
                    c = m.col(0, vol, rc)
                flow_cols[state, name, a] = c
                out[i].append((c, 1.0))
                out[j].append((c, -1.0))
            scale = 1.0 / vol if single else 1.0
            for v in problem.nodes:
                rhs = supply.get(v, 0.0) * scale
                m.row(out.get(v, []), rhs, rhs)
        # capacity rows
        by_link: dict[int, list[tuple[int, int]]] = defaultdict(list)  # e -> [(arc, dir)]
        for a, (e, i, _j) in enumerate(arcs):
            by_link[e].append((a, 0 if i == links[e].source else 1))
        for e, arc_list in by_link.items():
            groups = [arc_list] if problem.link_model == "U" else [[x] for x in arc_list]
            for group in groups:
                terms = []
                for name, dems in commodities.items():
                    w = sum(d[3] for d in dems) if single else 1.0
                    terms.extend((flow_cols[state, name, a], w) for a, _ in group)
                terms.extend((c, -a) for c, a in cap_ref[e])
                m.row(terms, -math.inf, ref_const[e])
        if single:
            _linking_rows(problem, m, state, arcs, commodities, flow_cols, module_cols,
                          open_cols, len(states))
        else:
            _strong_rows(problem, m, state, arcs, commodities, flow_cols, cap_terms,
                         cap_const, len(states), module_cols, count_cols)
    built = _Built(m, commodities, states, all_states, module_cols, open_cols, flow_cols,
                   arcs_of, integral)
    built.cap_cols, built.count_cols = cap_cols, count_cols
    built.n_cuts = _cut_rows(problem, m, cap_terms, cap_const, cap_ref, ref_const,
                             set(states))
    return built


def _linking_rows(problem, m, state, arcs, commodities, flow_cols, module_cols, open_cols,
                  n_states) -> None:
    """Single path: a link carrying demand ``d`` has a module (or pre-installed) that fits it."""
    links = problem.links
    if len(commodities) * len(links) * n_states > MAX_LINKING_ROWS:
        return
    by_link: dict[int, list[int]] = defaultdict(list)
    for a, (e, _i, _j) in enumerate(arcs):
        by_link[e].append(a)
    for name, dems in commodities.items():
        vol = dems[0][3]
        for e, arc_list in by_link.items():
            lk = links[e]
            groups = [arc_list] if problem.link_model == "U" else [[a] for a in arc_list]
            for group in groups:
                xs = [(flow_cols[state, name, a], -1.0) for a in group]
                if problem.fixed_charge:
                    m.row(xs + [(open_cols[e], 1.0)], 0.0, math.inf)
                if lk.pre_installed_capacity >= vol - 1e-9:
                    continue
                mods = problem.catalogue(lk)
                if problem.capacity_model == "E":
                    fit = [(module_cols[e, k], 1.0) for k, mod in enumerate(mods)
                           if lk.pre_installed_capacity + mod.capacity >= vol - 1e-9]
                else:
                    fit = [(module_cols[e, k], 1.0) for k in range(len(mods))]
                m.row(xs + fit, 0.0, math.inf)


def _strong_rows(problem, m, state, arcs, commodities, flow_cols, cap_terms, cap_const,
                 n_states, module_cols, count_cols) -> None:
    """Splittable routing: a commodity's flow on a link is at most ``min(module, volume)``.

    ``sum_{arcs of e} f[r, a] <= min(pre, V_r) + sum_k min(c_k, V_r) y[e, k]`` with ``V_r``
    the commodity's volume: valid for the acyclic flows every optimum has (each commodity
    crosses a link at most once), and much stronger than the capacity row when volumes are
    small next to the modules (the explicit SNDlib instances). Rows whose coefficients would
    all equal the capacity row's are left out.
    """
    vols = {name: sum(d[3] for d in dems) for name, dems in commodities.items()}
    top = max((a for e in cap_terms for _c, a in cap_terms[e]), default=0.0)
    useful = [name for name, v in vols.items() if v < top - 1e-9]
    if not useful or len(useful) * len(problem.links) * n_states > MAX_LINKING_ROWS:
        return
    by_link: dict[int, list[int]] = defaultdict(list)
    for a, (e, _i, _j) in enumerate(arcs):
        by_link[e].append(a)
    for name in useful:
        vol = vols[name]
        for e, arc_list in by_link.items():
            if not any(a > vol + 1e-9 for _c, a in cap_terms[e]):
                continue
            groups = [arc_list] if problem.link_model == "U" else [[a] for a in arc_list]
            pre = cap_const[e]
            if e in count_cols and pre < vol:
                # explicit: f <= pre + G o - sum_{pre + c_k < V} (G - c_k) z_k, G = V - pre
                g = vol - pre
                mods = problem.catalogue(problem.links[e])
                extra = [(count_cols[e], -g)] + [
                    (module_cols[e, k], g - md.capacity) for k, md in enumerate(mods)
                    if pre + md.capacity < vol - 1e-9]
                rhs = pre
            else:
                extra = [(c, -min(a, vol)) for c, a in cap_terms[e]]
                rhs = min(pre, vol)
            for group in groups:
                terms = [(flow_cols[state, name, a], 1.0) for a in group]
                m.row(terms + extra, -math.inf, rhs)


def _cut_rows(problem, m, cap_terms, cap_const, cap_ref, ref_const, states) -> int:
    """Cut-set rows (plain and MIR) for the node sets of :func:`_cut_sets`."""
    links = problem.links
    directed_demands = problem.demand_model == "D"
    count = 0
    survivable = problem.survivability == "U"
    for S in _cut_sets(problem):
        d_out = d_in = 0.0
        for d in problem.demands:
            a, b = d.source in S, d.target in S
            if a and not b:
                d_out += d.volume
            elif b and not a:
                d_in += d.volume
        if not directed_demands or problem.link_model == "U":
            if problem.link_model == "D":
                cuts = [(True, d_out), (False, d_in)]  # undirected demands routed s -> t
            else:
                cuts = [(None, d_out + d_in if problem.link_model == "U" else
                         max(d_out, d_in))]
        elif problem.link_model == "B":
            cuts = [(None, max(d_out, d_in))]
        else:
            cuts = [(True, d_out), (False, d_in)]
        for direction, demand in cuts:
            if demand <= 1e-9:
                continue
            cut = []
            for e, lk in enumerate(links):
                a, b = lk.source in S, lk.target in S
                if a == b:
                    continue
                if direction is True and not a:
                    continue
                if direction is False and not b:
                    continue
                cut.append(e)
            failures = [None]
            if survivable:
                failures = [links[e].link_id for e in cut] if len(cut) > 1 else []
                if NORMAL in states and not cut:
                    failures = [None]
            for failed in failures:
                rest = [e for e in cut if links[e].link_id != failed]
                b = demand - sum(cap_const[e] for e in rest)
                terms = [t for e in rest for t in cap_terms[e]]
                if b <= 1e-9 or not terms:
                    continue
                m.row([t for e in rest for t in cap_ref[e]], demand - sum(
                    ref_const[e] for e in rest), math.inf)
                count += 1
                if not MIR_ROWS:
                    continue
                for delta in _deltas(problem, rest, b):
                    coef, rhs = _mir(terms, b, delta)
                    m.row(coef, rhs, math.inf)
                    count += 1
    return count


# --------------------------------------------------------------------------- feasibility


def _unroutable(problem: DimensioningProblem) -> str | None:
    """Why some demand cannot be routed in some state (disconnected, or no catalogue)."""
    for state in problem.states():
        adj: dict[str, list[str]] = defaultdict(list)
        for _e, i, j in problem.arcs(state or None):
            adj[i].append(j)
        for d in problem.demands:
            if d.volume <= 0:
                continue
            seen = {d.source}
            stack = [d.source]
            while stack:
                v = stack.pop()
                for w in adj[v]:
                    if w not in seen:
                        seen.add(w)
                        stack.append(w)
            if d.target not in seen:
                when = f"when link {state} fails" if state else "in the normal state"
                return (f"demand {d.demand_id} ({d.source} -> {d.target}) has no route "
                        f"{when}")
    if problem.capacity_model == "E":
        top = {lk.link_id: lk.pre_installed_capacity + max(
            (mod.capacity for mod in lk.modules), default=0.0) for lk in problem.links}
        if problem.routing == "S":
            for d in problem.demands:
                if d.volume > max(top.values(), default=0.0) + 1e-9:
                    return (f"demand {d.demand_id} (volume {d.volume:g}) exceeds every "
                            "link's largest explicit capacity")
    return None


# --------------------------------------------------------------------------- start


def _greedy_paths(problem: DimensioningProblem, commodities, states):
    """Single-path greedy routing on incremental module cost; ``state -> {demand: arcs}``.

    Returns ``(paths, need)`` with ``need[e]`` the capacity each link must have, or None when
    some demand found no affordable path.
    """
    links = problem.links
    load: dict[str, np.ndarray] = {s: np.zeros(len(links)) for s in states}
    need = np.zeros(len(links))
    cover_cache: dict[tuple[int, float], float] = {}

    def cost_at(e: int, cap: float) -> float:
        key = (e, round(cap, 6))
        if key not in cover_cache:
            got = _cover_cost(problem, links[e], cap)
            cover_cache[key] = (1e12 + 1e9 * cap) if got is None else got[0]  # overload: dear
        return cover_cache[key]

    dems = sorted(((v, did, s, t, name) for name, ds in commodities.items()
                   for did, s, t, v in ds), reverse=True)
    paths: dict[str, dict] = {s: {} for s in states}
    for state in states:
        arcs = problem.arcs(state or None)
        out: dict[str, list[int]] = defaultdict(list)
        for a, (_e, i, _j) in enumerate(arcs):
            out[i].append(a)
        ld = load[state]
        for v, did, s, t, _name in dems:
            dist = {s: 0.0}
            prev: dict[str, int] = {}
            heap = [(0.0, 0, s)]
            tie = itertools.count(1)
            while heap:
                du, _, u = heapq.heappop(heap)
                if u == t:
                    break
                if du > dist.get(u, math.inf):
                    continue
                for a in out[u]:
                    e, _i, w = arcs[a]
                    if problem.link_model == "U":
                        new = ld[e] + v
                    else:
                        new = ld[e] + v  # directions are tracked together: conservative
                    cap_need = max(need[e], new)
                    inc = cost_at(e, cap_need) - cost_at(e, need[e])
                    if problem.fixed_charge and need[e] <= 0:
                        inc += links[e].setup_cost
                    w_cost = inc + (links[e].routing_cost * v if state == NORMAL else 0.0) \
                        + 1e-6 * v
                    nd = du + w_cost
                    if nd < dist.get(w, math.inf):
                        dist[w] = nd
                        prev[w] = a
                        heapq.heappush(heap, (nd, next(tie), w))
            if t not in dist or not math.isfinite(dist[t]):
                return None
            path = []
            v_ = t
            while v_ != s:
                a = prev[v_]
                path.append(a)
                v_ = arcs[a][1]
            path.reverse()
            paths[state][did] = path
            for a in path:
                e = arcs[a][0]
                ld[e] += v
                need[e] = max(need[e], ld[e])
    return paths, need


def _slope_scaling(problem: DimensioningProblem, commodities, states, until: float,
                   rounds: int = 40):
    """Dynamic slope scaling (Kim & Pardalos 1999): shortest paths on per-unit link costs.

    Every round routes each demand on a shortest path (in every state) with link weights
    ``slope_e`` (plus the routing cost in the normal state), sizes each link with its
    cheapest modules for the largest load over the states, and sets ``slope_e`` to that
    cost per unit of load. Returns the cheapest ``(paths, need)`` seen, as
    :func:`_greedy_paths` does, or None.
    """
    links = problem.links
    n = len(links)
    slope = np.zeros(n)
    for e, lk in enumerate(links):
        mods = problem.catalogue(lk)
        slope[e] = min((md.cost / md.capacity for md in mods), default=0.0) + 1e-6
    dems = [(did, s, t, v) for ds in commodities.values() for did, s, t, v in ds]
    best, best_cost = None, math.inf
    arcs_of = {state: problem.arcs(state or None) for state in states}
    for _round in range(rounds):
        if time.perf_counter() > until:
            break
        need = np.zeros(n)
        paths: dict[str, dict] = {}
        routing = 0.0
        for state in states:
            arcs = arcs_of[state]
            out: dict[str, list[int]] = defaultdict(list)
            for a, (_e, i, _j) in enumerate(arcs):
                out[i].append(a)
            w = [slope[e] + (links[e].routing_cost if state == NORMAL else 0.0)
                 for e, _i, _j in arcs]
            load: dict[tuple[int, int], float] = defaultdict(float)
            paths[state] = {}
            tree_cache: dict[str, tuple[dict, dict]] = {}
            for did, s, t, v in dems:
                if s not in tree_cache:
                    tree_cache[s] = _dijkstra(s, out, arcs, w)
                dist, prev = tree_cache[s]
                if t not in dist:
                    return best
                path, node = [], t
                while node != s:
                    a = prev[node]
                    path.append(a)
                    node = arcs[a][1]
                path.reverse()
                paths[state][did] = path
                for a in path:
                    e, i, _j = arcs[a]
                    d = 0 if problem.link_model == "U" else int(i != links[e].source)
                    load[e, d] += v
                    if state == NORMAL:
                        routing += links[e].routing_cost * v
            for (e, _d), v in load.items():
                need[e] = max(need[e], v)
        total = routing
        new_slope = slope.copy()
        for e, lk in enumerate(links):
            got = _cover_cost(problem, lk, float(need[e]))
            if got is None:
                total = math.inf
                new_slope[e] = slope[e] * 2 + 1.0  # too much load: make the link dearer
                continue
            cost = got[0] + (lk.setup_cost if problem.fixed_charge and need[e] > 1e-9 else 0)
            total += cost
            if need[e] > 1e-9:
                new_slope[e] = cost / need[e] + 1e-6
        if total < best_cost:
            best, best_cost = (paths, need), total
        if np.allclose(new_slope, slope, rtol=1e-9, atol=1e-12):
            break
        slope = new_slope
    return best


def _dijkstra(s: str, out: dict, arcs: list, w: list) -> tuple[dict, dict]:
    dist, prev = {s: 0.0}, {}
    heap = [(0.0, s)]
    while heap:
        du, u = heapq.heappop(heap)
        if du > dist[u]:
            continue
        for a in out[u]:
            v = arcs[a][2]
            nd = du + w[a]
            if nd < dist.get(v, math.inf) - 1e-12:
                dist[v] = nd
                prev[v] = a
                heapq.heappush(heap, (nd, v))
    return dist, prev


def _start_vector(problem, built: _Built, need: np.ndarray, flows: dict) -> np.ndarray | None:
    """A full start vector from link capacity needs and ``(state, commodity, arc) -> value``."""
    m = built.m
    x = np.zeros(m.n_cols)
    for e, lk in enumerate(problem.links):
        got = _cover_cost(problem, lk, float(need[e]))
        if got is None:
            return None
        for k, n in got[1].items():
            x[built.module_cols[e, k]] = n
        if problem.fixed_charge:
            used = need[e] > 1e-9
            x[built.open_cols[e]] = 1.0 if used else 0.0
    for e, col in built.cap_cols.items():
        lk = problem.links[e]
        pre = lk.pre_installed_capacity * (x[built.open_cols[e]] if problem.fixed_charge else 1)
        x[col] = pre + sum(x[built.module_cols[e, k]] * md.capacity
                           for k, md in enumerate(problem.catalogue(lk)))
    for e, col in built.count_cols.items():
        x[col] = sum(x[built.module_cols[e, k]]
                     for k in range(len(problem.catalogue(problem.links[e]))))
    for key, val in flows.items():
        x[built.flow_cols[key]] = val
    return x


def _objective_of_vector(m: _Model, x: np.ndarray) -> float:
    return float(np.dot(np.array(m.cost), x)) + m.offset


# --------------------------------------------------------------------------- solving


def _highs_status_table() -> dict:
    """Every ``highspy.HighsModelStatus`` mapped to optimal/infeasible/stopped/error."""
    import highspy

    S = highspy.HighsModelStatus
    table = {
        "kOptimal": "optimal",
        "kInfeasible": "infeasible",
        "kUnboundedOrInfeasible": "infeasible",
        "kTimeLimit": "stopped",
        "kIterationLimit": "stopped",
        "kSolutionLimit": "stopped",
        "kInterrupt": "stopped",
        "kHighsInterrupt": "stopped",
        "kMemoryLimit": "stopped",
        "kObjectiveBound": "stopped",
        "kObjectiveTarget": "stopped",
        "kUnknown": "stopped",
        "kNotset": "error",
        "kModelEmpty": "error",
        "kLoadError": "error",
        "kModelError": "error",
        "kPresolveError": "error",
        "kSolveError": "error",
        "kPostsolveError": "error",
        "kUnbounded": "error",  # every variable is bounded: impossible
    }
    return {getattr(S, name): what for name, what in table.items() if hasattr(S, name)}


def _highs_model(m: _Model, made):
    import highspy
    import pulp

    dummy = pulp.LpProblem("configure")
    made.createAndConfigureSolver(dummy)  # PuLP's option handling (msg, threads, gaps)
    h = dummy.solverModel
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = m.n_cols, m.n_rows
    inf = highspy.kHighsInf
    lp.col_cost_ = np.array(m.cost, dtype=float)
    lp.col_lower_ = np.array(m.lb, dtype=float)
    lp.col_upper_ = np.array(m.ub, dtype=float)
    lp.row_lower_ = np.array([-inf if math.isinf(v) else v for v in m.row_lo], dtype=float)
    lp.row_upper_ = np.array([inf if math.isinf(v) else v for v in m.row_hi], dtype=float)
    lp.offset_ = float(m.offset)
    a = lp.a_matrix_
    a.format_ = highspy.MatrixFormat.kRowwise
    a.start_ = np.array(m.starts, dtype=np.int32)
    a.index_ = np.array(m.index, dtype=np.int32)
    a.value_ = np.array(m.value, dtype=float)
    a.num_col_, a.num_row_ = m.n_cols, m.n_rows
    lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                       for i in m.integer]
    h.passModel(lp)
    return h


def _solve_highs(built: _Built, made, deadline: float, start: np.ndarray | None):
    import highspy

    m = built.m
    h = _highs_model(m, made)
    if built.integral:
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 1 - 1e-6)
    else:
        h.setOptionValue("mip_rel_gap", 1e-9)
        h.setOptionValue("mip_abs_gap", 1e-6)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(map(float, start))
        sol.value_valid = True
        h.setSolution(sol)
    h.setOptionValue("time_limit", max(deadline - time.perf_counter(), 0.01))
    h.run()
    status = h.getModelStatus()
    table = _highs_status_table()
    if status not in table:
        raise NetplanError(f"HiGHS model status {h.modelStatusToString(status)!r} is not "
                           "known to netplan; please report it")
    outcome = table[status]
    if outcome == "error":
        raise NetplanError(f"HiGHS failed on the dimensioning MILP: "
                           f"{h.modelStatusToString(status)}")
    info = h.getInfo()
    x = None
    if outcome in ("optimal", "stopped") and \
            info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
        x = np.array(h.getSolution().col_value)
    bound = float(info.mip_dual_bound) if math.isfinite(info.mip_dual_bound) else None
    return outcome, x, bound


def _lp_relaxation(built: _Built, made, deadline: float) -> np.ndarray | None:
    import highspy

    h = _highs_model(built.m, made)
    h.setOptionValue("solve_relaxation", True)
    h.setOptionValue("solver", "ipm")  # twice as fast as simplex on di-yuan U-U-E-N-C-A-N-U
    h.setOptionValue("time_limit", max(deadline - time.perf_counter(), 0.01))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return np.array(h.getSolution().col_value)


def _solve_pulp(built: _Built, made, start: np.ndarray | None):
    """Any other PuLP solver: PuLP's status mapped explicitly."""
    import pulp

    m = built.m
    prob = pulp.LpProblem("dimensioning", pulp.LpMinimize)
    cols = [pulp.LpVariable(f"x{c}", m.lb[c], m.ub[c],
                            pulp.LpInteger if m.integer[c] else pulp.LpContinuous)
            for c in range(m.n_cols)]
    prob += pulp.lpSum(m.cost[c] * cols[c] for c in range(m.n_cols) if m.cost[c]) + m.offset
    for r in range(m.n_rows):
        lo, hi = m.row_lo[r], m.row_hi[r]
        expr = pulp.lpSum(m.value[k] * cols[m.index[k]]
                          for k in range(m.starts[r], m.starts[r + 1]))
        if lo == hi:
            prob += expr == lo
        else:
            if not math.isinf(lo):
                prob += expr >= lo
            if not math.isinf(hi):
                prob += expr <= hi
    if start is not None:
        for c, v in enumerate(start):
            cols[c].setInitialValue(float(v))
    prob.solve(made)
    table = {
        pulp.LpSolutionOptimal: "optimal",
        pulp.LpSolutionIntegerFeasible: "stopped",
        pulp.LpSolutionInfeasible: "infeasible",
        pulp.LpSolutionNoSolutionFound: "stopped",
        pulp.LpSolutionUnbounded: "error",
    }
    outcome = table[prob.sol_status]
    if outcome == "error":
        raise NetplanError(f"{made.name} reports the dimensioning MILP unbounded")
    x = None
    if outcome in ("optimal", "stopped") and all(v.varValue is not None for v in cols):
        x = np.array([v.varValue for v in cols], dtype=float)
    return outcome, x, None


# --------------------------------------------------------------------------- extraction


def _extract(problem: DimensioningProblem, built: _Built, x: np.ndarray):
    """Installed modules, capacities and flows from a solution vector (counts rounded)."""
    links = problem.links
    rows = []
    capacity = {}
    for e, lk in enumerate(links):
        cap = lk.pre_installed_capacity
        if problem.fixed_charge and lk.pre_installed_capacity and \
                round(x[built.open_cols[e]]) < 1:
            cap = 0.0
        for k, mod in enumerate(problem.catalogue(lk)):
            n = int(round(x[built.module_cols[e, k]]))
            if n > 0:
                rows.append((lk.link_id, mod.capacity, n, n * mod.cost))
                cap += n * mod.capacity
        capacity[lk.link_id] = cap
    installed = pd.DataFrame(rows, columns=list(_EMPTY_INSTALLED))
    flows = []
    single = problem.routing == "S"
    for state in built.states:
        arcs = built.arcs[state]
        for name, dems in built.commodities.items():
            vol = sum(d[3] for d in dems)
            vals = {a: x[built.flow_cols[state, name, a]] for a in range(len(arcs))}
            if single:
                path = _walk_path(arcs, vals, dems[0][1], dems[0][2])
                for a in path:
                    e, i, j = arcs[a]
                    flows.append((state, name, links[e].link_id, i, j, vol))
                continue
            for a, v in vals.items():
                if v > 1e-9:
                    e, i, j = arcs[a]
                    flows.append((state, name, links[e].link_id, i, j, float(v)))
    frame = pd.DataFrame(flows, columns=list(_FLOW_COLUMNS))
    if NORMAL not in built.states and built.states:
        # the normal state was dominated: report the first failure state's routing for it
        first = frame[frame["state"] == built.states[0]].copy()
        first["state"] = NORMAL
        frame = pd.concat([first, frame], ignore_index=True)
    frame.attrs["units"] = {"flow": "capacity units"}
    return installed, capacity, frame


def _walk_path(arcs, vals: dict, s: str, t: str) -> list[int]:
    """The s-t path of a binary arc vector (cycles off the path are dropped)."""
    out: dict[str, list[int]] = defaultdict(list)
    for a, v in vals.items():
        if v > 0.5:
            out[arcs[a][1]].append(a)
    path, seen, v = [], {s}, s
    while v != t:
        nxt = [a for a in out[v] if arcs[a][2] not in seen or arcs[a][2] == t]
        if not nxt:
            return path  # the checker reports the broken path
        a = nxt[0]
        path.append(a)
        v = arcs[a][2]
        seen.add(v)
    return path


def objective_of(problem: DimensioningProblem, installed: pd.DataFrame, flows: pd.DataFrame
                 ) -> float:
    """The cost of a plan: modules + pre-installed capacity + setup (fixed charge) + routing.

    Examples
    --------
    >>> p = DimensioningProblem(("a", "b"), (DimensioningLink("l", "a", "b", (Module(10, 3),),
    ...                         routing_cost=0.5),), (DimensioningDemand("d", "a", "b", 4),))
    >>> inst = pd.DataFrame({"link_id": ["l"], "module_capacity": [10.0], "count": [1],
    ...                      "cost": [3.0]})
    >>> fl = pd.DataFrame({"state": [""], "commodity": ["a"], "link_id": ["l"],
    ...                    "from_node": ["a"], "to_node": ["b"], "flow": [4.0]})
    >>> objective_of(p, inst, fl)
    5.0
    """
    by_id = {lk.link_id: lk for lk in problem.links}
    total = sum(lk.pre_installed_capacity * lk.pre_installed_capacity_cost
                for lk in problem.links)
    cost_of = {(lk.link_id, mod.capacity): mod.cost for lk in problem.links
               for mod in problem.catalogue(lk)}
    used = set()
    for r in installed.itertuples(index=False):
        total += r.count * cost_of[r.link_id, r.module_capacity]
        used.add(r.link_id)
    normal = flows[flows["state"] == NORMAL]
    for r in normal.itertuples(index=False):
        total += by_id[r.link_id].routing_cost * r.flow
        used.add(r.link_id)
    if problem.fixed_charge:
        total += sum(by_id[lid].setup_cost for lid in used)
    return float(total)


# --------------------------------------------------------------------------- public


def dimension(problem: DimensioningProblem, *, solver=None, time_limit_s: float = 60.0,
              threads: int | None = None) -> DimensioningResult:
    """Dimension a network at least cost (see the module docstring for the MILP).

    Parameters
    ----------
    problem : DimensioningProblem
    solver : pulp.LpSolver or str or None
        None or ``"HiGHS"``: HiGHS through highspy (the model passed in bulk); any other PuLP
        solver solves the same rows through PuLP.
    time_limit_s : float
        Seconds for everything, building the model included.
    threads : int, optional
        HiGHS threads.

    Returns
    -------
    DimensioningResult
        ``OPTIMAL`` when HiGHS proved it (``mip_rel_gap`` 0 and, when every cost is an
        integer, an absolute gap below 1), ``TIME_LIMIT`` with the best plan found,
        ``INFEASIBLE`` (the message says why when a cheap check found it) or
        ``NO_SOLUTION``.

    Raises
    ------
    SolverUnavailableError
        When the named solver is not installed.

    Examples
    --------
    A triangle, one demand of 25 from a to b, modules of 10 (cost 3) and 40 (cost 10) per link:

    >>> links = tuple(DimensioningLink(f"{u}{v}", u, v, (Module(10, 3), Module(40, 10)))
    ...               for u, v in (("a", "b"), ("b", "c"), ("a", "c")))
    >>> p = DimensioningProblem(("a", "b", "c"), links, (DimensioningDemand("d", "a", "b", 25),))
    >>> r = dimension(p, time_limit_s=10)
    >>> r.status.value, r.objective
    ('optimal', 9.0)
    >>> check_dimensioning(p, r)
    """
    t0 = time.perf_counter()
    equivalent = _modular_equivalent(problem)
    if equivalent is None:
        return _dimension(problem, solver, time_limit_s, threads, t0)
    modular, options = equivalent
    result = _dimension(modular, solver, time_limit_s, threads, t0)
    return replace(_back_to_explicit(problem, options, result),
                   seconds=time.perf_counter() - t0)


def _dimension(problem: DimensioningProblem, solver, time_limit_s: float,
               threads: int | None, t0: float) -> DimensioningResult:
    deadline = t0 + float(time_limit_s)
    made = make_solver(solver, threads=threads)
    empty_inst = pd.DataFrame(columns=list(_EMPTY_INSTALLED))
    empty_flows = pd.DataFrame(columns=list(_FLOW_COLUMNS))
    why = _unroutable(problem)
    if why is not None:
        return DimensioningResult(DimensioningStatus.INFEASIBLE, None, None, None,
                                  time.perf_counter() - t0, empty_inst, empty_flows,
                                  message=why)
    built = _build(problem)
    m = built.m
    size = f"{m.n_cols} columns, {m.n_rows} rows ({built.n_cuts} cut-set), " \
           f"{len(m.index)} nonzeros"
    import pulp

    use_highs = isinstance(made, pulp.HiGHS)
    start, start_cost = None, math.inf
    # starts 1 and 2: greedy single paths, and slope scaling on shortest paths
    heuristics = (_greedy_paths(problem, built.commodities, built.states),
                  _slope_scaling(problem, built.commodities, built.states,
                                 t0 + 0.1 * float(time_limit_s)))
    for found in heuristics:
        if found is None:
            continue
        paths, need = found
        flows = {}
        for state in built.states:
            for name, dems in built.commodities.items():
                for did, _s, _t, v in dems:
                    for a in paths[state][did]:
                        key = (state, name, a)
                        flows[key] = flows.get(key, 0.0) + (1.0 if problem.routing == "S"
                                                            else v)
        x = _start_vector(problem, built, need, flows)
        if x is not None and _objective_of_vector(m, x) < start_cost:
            start, start_cost = x, _objective_of_vector(m, x)
    # start 2: the LP relaxation's loads rounded up (splittable routing only); its optimum is
    # also a lower bound when HiGHS' own root LP does not finish in time
    lp_bound = None
    if problem.routing == "C" and use_highs:
        lp = _lp_relaxation(built, made, t0 + 0.25 * float(time_limit_s))
        if lp is not None:
            lp_value = _objective_of_vector(m, lp)
            lp_bound = lp_value - 1e-6 * max(1.0, abs(lp_value))  # solver tolerances
            need = np.zeros(len(problem.links))
            for state in built.states:
                load: dict[tuple[int, int], float] = defaultdict(float)
                for (st, _name, a), c in built.flow_cols.items():
                    if st != state:
                        continue
                    e, i, _j = built.arcs[state][a]
                    d = 0 if problem.link_model == "U" else int(i != problem.links[e].source)
                    load[e, d] += lp[c]
                for (e, _d), v in load.items():
                    need[e] = max(need[e], v)
            flows = {key: lp[c] for key, c in built.flow_cols.items()}
            x = _start_vector(problem, built, need * (1 + 1e-9) + 1e-7, flows)
            if x is not None and _objective_of_vector(m, x) < start_cost:
                start, start_cost = x, _objective_of_vector(m, x)
    if use_highs:
        outcome, x, bound = _solve_highs(built, made, deadline, start)
    else:
        made = make_solver(solver, time_limit_s=max(deadline - time.perf_counter(), 0.01),
                           threads=threads)
        outcome, x, bound = _solve_pulp(built, made, start)
    if x is None and start is not None and outcome == "stopped":
        x = start
    if outcome == "stopped" and lp_bound is not None:
        bound = lp_bound if bound is None else max(bound, lp_bound)
    seconds = time.perf_counter() - t0
    if outcome == "infeasible":
        return DimensioningResult(DimensioningStatus.INFEASIBLE, None, bound, None, seconds,
                                  empty_inst, empty_flows, message=f"the MILP is infeasible; "
                                  f"{size}")
    if x is None:
        return DimensioningResult(DimensioningStatus.NO_SOLUTION, None, bound, None, seconds,
                                  empty_inst, empty_flows, message=size)
    installed, capacity, flows_frame = _extract(problem, built, x)
    objective = objective_of(problem, installed, flows_frame)
    if bound is not None and built.integral:
        bound = float(math.ceil(bound - 1e-6))
    status = DimensioningStatus.OPTIMAL if outcome == "optimal" else DimensioningStatus.TIME_LIMIT
    if status is DimensioningStatus.OPTIMAL and bound is None:
        bound = objective
    if bound is not None:
        bound = min(bound, objective)
        gap = 0.0 if status is DimensioningStatus.OPTIMAL else \
            (objective - bound) / max(abs(objective), 1e-9)
    else:
        gap = None
    return DimensioningResult(status, objective, bound, gap, seconds, installed, flows_frame,
                              {k: tuple(v) for k, v in built.commodities.items()}, capacity,
                              message=size)


def check_dimensioning(problem: DimensioningProblem, result: DimensioningResult, *,
                       rtol: float = 1e-6) -> None:
    """Verify a result against its problem; raises :class:`DimensioningViolation` if broken.

    Checks: module counts are non-negative integers from the link's catalogue (at most one
    module under the explicit model); every state (normal, and each failed link with
    survivability) routes every commodity with flow conservation, no flow on the failed link
    and only on usable arcs; the installed capacity carries each state's flows (sum of both
    directions for undirected links, each direction for bidirected ones); single-path
    routing uses one path per demand; and the objective equals :func:`objective_of`. Results
    without a plan (infeasible, no solution) pass when they have no objective.

    Examples
    --------
    See :func:`dimension`.
    """
    if result.objective is None:
        if result.status in (DimensioningStatus.OPTIMAL, DimensioningStatus.TIME_LIMIT):
            raise DimensioningViolation(f"status {result.status.value} without a plan")
        return
    problems: list[str] = []
    by_id = {lk.link_id: lk for lk in problem.links}
    cap: dict[str, float] = {lk.link_id: lk.pre_installed_capacity for lk in problem.links}
    if problem.fixed_charge:
        opened = set(result.installed["link_id"]) | set(result.flows["link_id"])
        for lid in cap:
            if lid not in opened:
                cap[lid] = 0.0
    per_link: dict[str, int] = defaultdict(int)
    for r in result.installed.itertuples(index=False):
        lk = by_id.get(r.link_id)
        if lk is None:
            problems.append(f"installed module on unknown link {r.link_id!r}")
            continue
        caps = {mod.capacity for mod in problem.catalogue(lk)}
        if r.module_capacity not in caps:
            problems.append(f"link {r.link_id}: module {r.module_capacity:g} not in its "
                            "catalogue")
        if r.count < 0 or float(r.count) != int(r.count):
            problems.append(f"link {r.link_id}: module count {r.count} is not a natural number")
        per_link[r.link_id] += int(r.count)
        cap[r.link_id] += r.count * r.module_capacity
    if problem.capacity_model == "E":
        for lid, n in per_link.items():
            if n > 1:
                problems.append(f"link {lid}: {n} modules under the explicit model (at most 1)")
    scale = max([d.volume for d in problem.demands] + [1.0])
    tol = rtol * scale
    flows = result.flows
    for state in problem.states():
        sub = flows[flows["state"] == state]
        where = f"failure of {state}" if state else "normal state"
        usable = {(problem.links[e].link_id, i, j) for e, i, j in problem.arcs(state or None)}
        load: dict[tuple[str, int], float] = defaultdict(float)
        balance: dict[tuple[str, str], float] = defaultdict(float)
        for r in sub.itertuples(index=False):
            if r.flow < -tol:
                problems.append(f"{where}: negative flow {r.flow} on {r.link_id}")
            if (r.link_id, r.from_node, r.to_node) not in usable:
                problems.append(f"{where}: flow on unusable arc {r.from_node}->{r.to_node} of "
                                f"link {r.link_id}")
                continue
            d = 0 if problem.link_model == "U" else int(r.from_node != by_id[r.link_id].source)
            load[r.link_id, d] += r.flow
            balance[r.commodity, r.from_node] += r.flow
            balance[r.commodity, r.to_node] -= r.flow
        for (lid, d), v in load.items():
            if v > cap[lid] + tol:
                problems.append(f"{where}: link {lid} carries {v:.6g}"
                                f"{'' if problem.link_model == 'U' else f' (direction {d})'}"
                                f" > capacity {cap[lid]:.6g}")
        for name, dems in result.commodities.items():
            want: dict[str, float] = defaultdict(float)
            for _did, s, t, v in dems:
                want[s] += v
                want[t] -= v
            for node in problem.nodes:
                got = balance.get((name, node), 0.0)
                if abs(got - want.get(node, 0.0)) > tol:
                    problems.append(f"{where}: commodity {name} at node {node}: net outflow "
                                    f"{got:.6g}, expected {want.get(node, 0.0):.6g}")
        if problem.routing == "S":
            for name, dems in result.commodities.items():
                arcs = sub[sub["commodity"] == name]
                (_did, s, t, v), = dems
                nxt = dict(zip(arcs["from_node"], arcs["to_node"], strict=True))
                if len(nxt) != len(arcs) or float((arcs["flow"] - v).abs().max()) > tol:
                    problems.append(f"{where}: demand {name} is split")
                    continue
                node, hops = s, 0
                while node != t and hops <= len(problem.nodes):
                    node = nxt.get(node)
                    hops += 1
                if node != t or hops != len(arcs):
                    problems.append(f"{where}: demand {name} is not one {s}-{t} path")
    # every demand is covered exactly once by the commodities
    covered = defaultdict(float)
    for dems in result.commodities.values():
        for did, s, t, v in dems:
            covered[did] += v
            d = next(x for x in problem.demands if x.demand_id == did)
            ok = {(d.source, d.target)} if (problem.demand_model == "D" or
                                            problem.link_model != "U") else \
                {(d.source, d.target), (d.target, d.source)}
            if (s, t) not in ok or abs(v - d.volume) > tol:
                problems.append(f"commodity entry {did} ({s}->{t}, {v}) does not match the "
                                "demand")
    for d in problem.demands:
        if d.volume > 0 and abs(covered.get(d.demand_id, 0.0) - d.volume) > tol:
            problems.append(f"demand {d.demand_id} is not routed exactly once")
    expect = objective_of(problem, result.installed, flows)
    if abs(expect - result.objective) > rtol * max(1.0, abs(expect)):
        problems.append(f"objective {result.objective} != recomputed {expect}")
    if result.bound is not None and result.bound > result.objective + rtol * max(
            1.0, abs(result.objective)):
        problems.append(f"bound {result.bound} > objective {result.objective}")
    if problems:
        shown = "; ".join(problems[:10]) + (f"; ... {len(problems) - 10} more"
                                            if len(problems) > 10 else "")
        raise DimensioningViolation(f"{problem.name or 'dimensioning'}: {shown}")
