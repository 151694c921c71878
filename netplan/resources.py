"""Memory and time a run needs, estimated from the scenario before anything runs.

:func:`estimate_run_resources` counts what drives the cost of each stage — sites, links,
failure states, systems — from the scenario model alone, *without* building the topology:
a synthetic region's totals (``region.synthetic``) are used as they are, a listed region's
divisions are summed, and the link count follows the same rules as
:func:`netplan.topology.build_topology` (each node uplinked over ``min(carriers of its
tier, carriers of its parent)`` lines). It then applies a model fitted to measured runs
(:data:`MEASURED`). :func:`check_resources` compares the estimate with the memory the
machine (or its cgroup) has available and raises a :class:`~netplan.errors.NetplanError`
naming the figures when it does not fit, so a scenario too large for the machine fails
before anything runs, not by an out-of-memory kill part-way through.

Measured
--------
One fresh process per figure, on a 2-core, 24 GiB machine shared with other jobs (the
1-minute load average, given as before/after, was 4 to 14 on 2 cores: the wall times are
inflated two to ten times and noisy; CPU time and memory much less so). Commands::

    /usr/bin/time -v netplan <command> <scenario.yaml> --out /tmp/x --no-plot --quiet
    python benchmarks/run_resources.py --only meizhou --commands simulate,run

``/usr/bin/time`` gives "Maximum resident set size", the largest *single* process (the
simulation's pool workers are separate processes); ``benchmarks/run_resources.py`` also
sums the RSS of the whole process tree (``tree``). CPU = user + system, children included.

Figures (MiB: peak resident memory; ``>``: the command was stopped first)::

    scenario (links)    command   CPU s   wall s  largest  tree MiB  load, note
    tiny (35)           topology      4.1   36.7       244          8.1/8.4 (twice: 4.1 s, 243 MiB)
    meizhou-2020 (3454) topology      5.9   22.8       245          4.2/4.6 (again: 5.5 s, 250 MiB)
    meizhou-2020        schedule     15.1   52.8       334          5.0/4.7
    meizhou-2020        capacity     30.6   96.8       358          4.6/5.0 (migration + capacity)
    meizhou-2020        simulate    127.5  416.4       573     1417 9.1/13.6 (2 workers)
    meizhou-2020        run         195.8  562.5       723     1592 13.6/6.6
    guangdong-2020      topology      6.8   48.6       322          5.7/6.2
    (45045)             capacity     67.9  360.6       449          6.2/7.9
    guangdong-2020      simulate   >1990    >3364    >6267   >11156 stopped after the 4 pilot
                                                                    cases, in the longer runs;
                                                                    peaks as a worker hands a
                                                                    case's result back
    national-synthetic  topology     41.7  417.1      1414          8/11
    (626401)            run          >207    919     >2798          2.5/6.2 stopped in capacity
                                                                    at single-line state 25,000
                                                                    of 626,401 (4 %)
    national-synthetic  simulate    >270     900     >5183    11564 stopped: each worker at
                                                                    t≈8 s of the 720 s pilot

Where the national run goes (``py-spy`` on the process): ``netplan run`` spends 98 % of
the capacity stage re-routing single-line failure states in full
(``capacity/loads.py`` ``_single_links`` → ``_state_loads``; ``Router.distance_ms``,
``RouteDag.carry``, ``Router.__init__`` on top): about 150 states per CPU second, so the
626,401 states take about 4,100 CPU s (70 min on an idle core), and its RSS rose from 2.3
to 2.9 GiB over the first 4 % of them (the kept states' per-destination arrays: about 33 B
per state and city). ``netplan simulate`` builds each case's traffic streams and arrivals
at about 5 GiB per worker (``simulation/traffic.py`` ``traffic_streams``,
``draw_arrivals``) and then runs the flow engine at 3.4 GiB per worker, about 8 simulated
seconds in the first 60 CPU s.

Model
-----
With ``L`` the links in thousands (counted, not built), ``S`` the single-line failure
states, ``C`` the cities, ``n`` the simulated cases (normal and each failure case) and
``W = min(CPUs, n)`` the simulation's worker processes, in MiB and CPU seconds::

    base        244 MiB                                   4.1 s
    topology    1.87 L                                    1 + 0.06 L
    migration   90 (with an inventory)                    10
    capacity    1.9 L + 0.033 KiB · S · C                 13 + 0.70 L + 0.0096 L²
    simulation  w + 107 L + (W - 1)(w + 25 L) + 27 L (n - 1)   12.5 L · n
                (w = 244 + 1.87 L: a worker's base and topology)
    policy      0                                         1

The peak is the base plus the stages' terms (results stay in memory while the next stage
runs; capacity and simulation add the topology's term when the topology stage does not run);
the time is their sum, CPU on one core. Fitted: the topology line through the three topology
runs; capacity memory through guangdong (116 MiB above the base and the topology) and the
national run's RSS at 4 % of the states (2,875 MiB estimated there), its time through
meizhou, guangdong and the national projection of 4,200 s (an exact quadratic: three points,
three coefficients); a simulation worker's peak through meizhou (573 MiB) and guangdong
(5,165 MiB, reached as the worker handed its first case's result back; the other worker
meanwhile at 1,363 MiB, 25 MiB per 1,000 links above its base), the parent's 27 MiB per case
and 1,000 links from guangdong's parent (1,413 MiB holding one case's result, 2,800 MiB
holding two); the simulation's time from guangdong's first case (about 560 CPU s), which
overestimates meizhou's 123 s by 40 %. Against the measurements: meizhou ``netplan run``
1,584 MiB estimated, 1,592 MiB measured (the tree); national ``netplan topology`` 1,415 MiB
estimated, 1,414 measured; guangdong ``netplan simulate`` 10,579 MiB estimated, 11,156 MiB
measured before it was stopped. The national figures beyond what was measured are
extrapolations: capacity about 9 GiB and 70 CPU minutes; the simulation about 134 GiB with 2
workers and 8.7 CPU hours; ``netplan run`` about 142 GiB: ``netplan run`` and ``netplan
simulate`` cannot run on this 24 GiB machine.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from netplan.errors import NetplanError
from netplan.model.diagnose import carriers_in_use
from netplan.model.scenario import DepartmentTier, Scenario

__all__ = ["ScenarioSize", "ResourceEstimate", "scenario_size", "estimate_run_resources",
           "available_memory_mib", "check_resources", "STAGES", "MEASURED"]

#: The stages of ``netplan run``, in order (as ``netplan.cli.CAPABILITIES`` names them).
STAGES: tuple[str, ...] = ("topology", "migration", "capacity", "simulation", "policy")


@dataclass(frozen=True)
class ScenarioSize:
    """What drives a run's memory and time, counted from the scenario model.

    ``nodes`` and ``links`` are exactly those :func:`netplan.topology.build_topology` builds;
    ``failure_states`` those the capacity stage loads (normal, each carrier down, each
    single line down); ``simulated_cases`` the simulations of the busy hour (normal and each
    failure case); ``systems`` the inventory's rows (0 without an inventory, ``None`` when
    the inventory is not a CSV file whose lines can be counted cheaply).
    """

    scenario: str
    provinces: int
    cities: int
    counties: int
    towns: int
    villages: int
    departments: int
    carriers: int
    nodes: int
    links: int
    failure_states: int
    simulated_cases: int
    systems: int | None

    @property
    def sites(self) -> int:
        """Sites that send traffic: villages, towns, counties, cities and departments."""
        return self.villages + self.towns + self.counties + self.cities + self.departments


def _departments(spec: DepartmentTier | None) -> int:
    if spec is None:
        return 0
    return len(spec.names) if spec.names is not None else int(spec.count or 0)


def _lines(spec: DepartmentTier | None, parent_carriers: int) -> int:
    return 0 if spec is None else min(spec.carriers, parent_carriers)


def _division_counts(scenario: Scenario) -> tuple[int, int, int, int, int]:
    """Provinces, cities, counties, towns and villages; a synthetic region is not expanded."""
    syn = scenario.region.synthetic
    if syn is not None:
        return syn.provinces, syn.cities, syn.counties, syn.towns, syn.villages
    provinces = scenario.region.provinces
    cities = [c for p in provinces for c in p.cities]
    counties = [k for c in cities for k in c.counties]
    return (len(provinces), len(cities), len(counties), sum(k.n_towns for k in counties),
            sum(k.n_villages for k in counties))


def _hosting_cities(where, scenario: Scenario, n_cities: int) -> int:
    """How many cities host a cloud node or the platform (as ``build._hosts``)."""
    if where == "every":
        return n_cities
    if where is None:
        return 1 if n_cities else 0
    return len(set(where) & set(scenario.region.city_names()))


def _inventory_rows(scenario: Scenario) -> int | None:
    if scenario.inventory is None:
        return 0
    path = Path(scenario.inventory.path)
    if path.suffix.lower() != ".csv" or not path.is_file():
        return None
    with path.open("rb") as fh:
        lines = sum(1 for line in fh if line.strip())
    return max(lines - 1, 0)


def scenario_size(scenario: Scenario, *, single_links: bool | None = None) -> ScenarioSize:
    """Count the sites, links and failure states of a scenario without building it.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.
    single_links : bool, optional
        Whether the capacity stage loads every single-line failure; default the scenario's
        ``capacity.single_line_failures``.

    Returns
    -------
    ScenarioSize

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> size = scenario_size(tiny_scenario())
    >>> size.nodes, size.links
    (25, 35)
    """
    if single_links is None:
        single_links = scenario.capacity.single_line_failures
    ex = scenario.extranet
    tiers = ex.tiers
    deps = ex.departments
    n_car = len(ex.carriers)
    P, C, K, W, V = _division_counts(scenario)
    cc = min(tiers.city.carriers, n_car)          # each city's POPs
    kc = min(tiers.county.carriers, cc)           # each county's lines
    wc = min(tiers.town.carriers, kc)             # each town's lines
    vc = min(tiers.village.carriers, wc)          # each village's lines
    d_city, d_county, d_town = (_departments(deps.city), _departments(deps.county),
                                _departments(deps.town))
    nodes = (1 if P > 1 else 0) + P + C * (1 + cc) + K + W + V
    links = C * 2 * cc + K * kc + W * wc + V * vc
    if P > 1:
        links += P * min(tiers.province.carriers if tiers.province else n_car, n_car)
    if ex.internet_egress is not None:
        nodes += C
        links += C * min(ex.internet_egress.carriers, cc)
    for node in scenario.cloud:
        hosts = _hosting_cities(node.cities, scenario, C)
        nodes += hosts
        links += hosts * node.links
    if scenario.exchange_platform is not None:
        hosts = _hosting_cities(scenario.exchange_platform.cities, scenario, C)
        nodes += hosts
        links += hosts * scenario.exchange_platform.links
    departments = C * d_city + K * d_county + W * d_town
    nodes += departments
    links += (C * d_city * _lines(deps.city, cc) + K * d_county * _lines(deps.county, kc)
              + W * d_town * _lines(deps.town, wc))
    used = len(carriers_in_use(scenario))  # carriers with a line: failed one at a time
    failures = scenario.simulation.failures
    cases = len(failures) if failures is not None else used
    return ScenarioSize(
        scenario=scenario.name, provinces=P, cities=C, counties=K, towns=W, villages=V,
        departments=departments, carriers=used, nodes=nodes, links=links,
        failure_states=1 + used + (links if single_links else 0),
        simulated_cases=1 + cases, systems=_inventory_rows(scenario))


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class _StageModel:
    """One stage's cost above the base, ``L`` the links in thousands (see :data:`MODEL`).

    Memory ``mib0 + mib_per_klink · L`` (capacity: plus ``kib_per_state_city`` KiB per
    single-line failure state and city; simulation: per worker process, on top of a worker's
    own base, plus ``result_mib_per_klink · L`` per case the parent keeps). Time ``s0 +
    s_per_klink · L + s_per_klink2 · L²`` (capacity: the single-line states that must be
    routed again cost in proportion to the network, and their number grows with it); the
    simulation's ``s_per_klink · L`` is per simulated case.
    """

    mib0: float = 0.0
    mib_per_klink: float = 0.0
    kib_per_state_city: float = 0.0
    s0: float = 0.0
    s_per_klink: float = 0.0
    s_per_klink2: float = 0.0
    result_mib_per_klink: float = 0.0
    running_mib_per_klink: float = 0.0


#: Peak resident memory (MiB) and CPU time (s) of a fresh ``netplan`` process that imports
#: what a command needs and reads the scenario: ``netplan topology`` on the tiny scenario
#: (243.8 and 242.9 MiB, 4.1 s measured twice).
BASE_MIB = 244.0
BASE_S = 4.1
#: Per stage: what it adds above the base (fitted to :data:`MEASURED`, see the docstring).
MODEL: dict[str, _StageModel] = {
    "topology": _StageModel(mib_per_klink=1.87, s0=1.0, s_per_klink=0.06),
    "migration": _StageModel(mib0=90.0, s0=10.0),
    "capacity": _StageModel(mib_per_klink=1.9, kib_per_state_city=0.033, s0=13.0,
                            s_per_klink=0.70, s_per_klink2=0.0096),
    "simulation": _StageModel(mib_per_klink=107.0, result_mib_per_klink=27.0,
                              running_mib_per_klink=25.0,
                              s_per_klink=12.5),
    "policy": _StageModel(s0=1.0),
}

#: The measured points the model is fitted to, as (scenario, command, links, CPU s, MiB):
#: MiB is the process tree's peak where measured, else the largest process; ``None``: the
#: command was stopped before it finished (see the module docstring).
MEASURED: tuple[tuple[str, str, int, float | None, float], ...] = (
    ("tiny", "topology", 35, 4.1, 244),
    ("meizhou-2020", "topology", 3454, 5.9, 245),
    ("meizhou-2020", "schedule", 3454, 15.1, 334),
    ("meizhou-2020", "capacity", 3454, 30.6, 358),
    ("meizhou-2020", "simulate", 3454, 127.5, 1417),
    ("meizhou-2020", "run", 3454, 195.8, 1592),
    ("guangdong-2020", "topology", 45045, 6.8, 322),
    ("guangdong-2020", "capacity", 45045, 67.9, 449),
    ("guangdong-2020", "simulate", 45045, None, 11156),
    ("national-synthetic", "topology", 626401, 41.7, 1414),
    ("national-synthetic", "run", 626401, None, 2798),
    ("national-synthetic", "simulate", 626401, None, 11564),
)


@dataclass(frozen=True)
class ResourceEstimate:
    """The estimated peak memory and time of some stages of a run, and what drives them.

    Attributes
    ----------
    peak_memory_mib : float
        Peak resident set size of the ``netplan`` process, MiB.
    seconds : float
        CPU time of the stages on one core (the wall time on an idle machine), s.
    size : ScenarioSize
        The counts the estimate is made from.
    stages : tuple of str
        The stages estimated, in run order.
    stage_memory_mib, stage_seconds : dict of str to float
        What each stage adds to the base.
    workers : int
        Processes of the simulation pool assumed.
    """

    peak_memory_mib: float
    seconds: float
    size: ScenarioSize
    stages: tuple[str, ...]
    stage_memory_mib: dict[str, float] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    workers: int = 1

    @property
    def command(self) -> str:
        """The command these stages make up (``netplan run``, ``netplan topology``, …)."""
        return _command(self.stages)

    def drivers(self) -> str:
        """The counts behind the estimate, in words."""
        z = self.size
        parts = [f"{z.villages:,} villages", f"{z.towns:,} towns", f"{z.counties:,} counties",
                 f"{z.nodes:,} nodes", f"{z.links:,} links", f"{z.carriers} carriers"]
        if "capacity" in self.stages:
            parts.append(f"{z.failure_states:,} failure states")
        if "simulation" in self.stages:
            parts.append(f"{z.simulated_cases} simulated cases of {z.sites:,} sites")
        if "migration" in self.stages and z.systems:
            parts.append(f"{z.systems:,} systems")
        return ", ".join(parts)


def _command(stages: Iterable[str]) -> str:
    chosen = set(stages)
    if chosen >= {"topology", "capacity", "simulation"}:
        return "netplan run"
    for command, needs in (("netplan topology", {"topology"}), ("netplan capacity", {"capacity"}),
                           ("netplan simulate", {"simulation"}),
                           ("netplan schedule", {"migration", "policy"})):
        if needs & chosen and chosen <= needs | {"migration"}:
            return command
    return "netplan (" + ", ".join(s for s in STAGES if s in chosen) + ")"


def _workers() -> int:
    """Processes the simulation pool starts (as ``netplan.cli._workers``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _stage_cost(stage: str, size: ScenarioSize, workers: int) -> tuple[float, float]:
    m = MODEL[stage]
    k = size.links / 1000
    if stage == "migration" and not size.systems:
        return 0.0, 0.0
    mib = m.mib0 + m.mib_per_klink * k
    sec = m.s0 + m.s_per_klink * k + m.s_per_klink2 * k * k
    if stage == "capacity":
        single = size.failure_states - 1 - size.carriers
        mib += m.kib_per_state_city * single * size.cities / 1024
        if single <= 0:
            sec = m.s0 + m.s_per_klink * k  # nothing routed again per line
    if stage == "simulation":
        # each worker process holds its own copy of the topology and its case's flows; one
        # peaks as it hands its result back while the others run, and the parent keeps the
        # results handed back before (the last hand-off: all but one case)
        pool = min(workers, size.simulated_cases)
        worker = BASE_MIB + MODEL["topology"].mib_per_klink * k
        mib = (worker + m.mib0 + m.mib_per_klink * k
               + (pool - 1) * (worker + m.running_mib_per_klink * k)
               + m.result_mib_per_klink * k * (size.simulated_cases - 1))
        sec = m.s0 + m.s_per_klink * k * size.simulated_cases
    return mib, sec


def estimate_run_resources(scenario: Scenario, *, stages: Iterable[str] = STAGES,
                           single_links: bool | None = None,
                           workers: int | None = None) -> ResourceEstimate:
    """Estimate the peak memory and the time of a run's stages, before anything runs.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario. Only counts are read (:func:`scenario_size`): the topology
        is not built, a synthetic region is not expanded.
    stages : iterable of str
        Stages among :data:`STAGES` (``netplan run``: all of them).
    single_links : bool, optional
        Whether the capacity stage loads every single-line failure state; default the
        scenario's ``capacity.single_line_failures`` (as the CLI runs it).
    workers : int, optional
        Processes of the simulation pool; default the CPUs this process may use (as the
        CLI starts them).

    Returns
    -------
    ResourceEstimate

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> est = estimate_run_resources(tiny_scenario(), stages=["topology"])
    >>> est.command, est.size.links
    ('netplan topology', 35)
    """
    chosen = tuple(s for s in STAGES if s in set(stages))
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        raise ValueError(f"unknown stage(s) {', '.join(unknown)}; known: {', '.join(STAGES)}")
    size = scenario_size(scenario, single_links=single_links)
    return _estimate(size, chosen, workers if workers is not None else _workers())


def _estimate(size: ScenarioSize, chosen: tuple[str, ...], pool: int) -> ResourceEstimate:
    mem, sec = {}, {}
    for stage in chosen:
        mem[stage], sec[stage] = _stage_cost(stage, size, pool)
    # a stage's results stay while the next ones run: the rises add up; capacity and
    # simulation build the topology in the process when the topology stage does not run
    extra_mib = extra_s = 0.0
    if "topology" not in chosen and {"capacity", "simulation"} & set(chosen):
        extra_mib, extra_s = _stage_cost("topology", size, pool)
    peak = BASE_MIB + extra_mib + sum(mem.values())
    return ResourceEstimate(peak_memory_mib=peak, seconds=BASE_S + extra_s + sum(sec.values()),
                            size=size, stages=chosen, stage_memory_mib=mem, stage_seconds=sec,
                            workers=pool)


# --------------------------------------------------------------------------- the check

#: Environment variable that overrides the available memory, MiB (e.g. on a machine whose
#: limit :func:`available_memory_mib` cannot read, or to skip the check with a huge value).
MEMORY_ENV = "NETPLAN_MEMORY_MIB"


def _meminfo_available_mib(path: str = "/proc/meminfo") -> float | None:
    try:
        text = Path(path).read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024  # kB
    return None


def _cgroup_available_mib(root: str = "/sys/fs/cgroup") -> float | None:
    """The cgroup v2 limit minus what the cgroup already uses (``None`` when unlimited)."""
    try:
        limit = Path(root, "memory.max").read_text().strip()
    except OSError:
        return None
    if limit == "max" or not limit.isdigit():
        return None
    try:
        used = int(Path(root, "memory.current").read_text().strip())
    except (OSError, ValueError):
        used = 0
    return max(int(limit) - used, 0) / (1024 * 1024)


def available_memory_mib() -> tuple[float | None, str]:
    """Memory this process can still use, MiB, and where the figure comes from.

    ``$NETPLAN_MEMORY_MIB`` when set; else the smaller of ``MemAvailable`` in
    ``/proc/meminfo`` and the cgroup's ``memory.max`` less its ``memory.current``; ``None``
    when neither can be read (not Linux).

    Raises
    ------
    NetplanError
        When ``$NETPLAN_MEMORY_MIB`` is not a positive number.

    Examples
    --------
    >>> mib, source = available_memory_mib()
    >>> mib is None or mib >= 0
    True
    """
    env = os.environ.get(MEMORY_ENV)
    if env is not None and env.strip():
        try:
            value = float(env)
        except ValueError:
            value = math.nan
        if not (value > 0 and math.isfinite(value)):
            raise NetplanError(f"{MEMORY_ENV}={env!r} is not a positive number of MiB; set it "
                               f"to the memory netplan may use, e.g. {MEMORY_ENV}=16384, or "
                               "unset it")
        return value, f"${MEMORY_ENV}"
    found = [(v, src) for v, src in ((_meminfo_available_mib(), "MemAvailable in /proc/meminfo"),
                                     (_cgroup_available_mib(), "the cgroup's memory.max"))
             if v is not None]
    if not found:
        return None, ""
    return min(found)


def _duration(seconds: float) -> str:
    if seconds >= 5400:
        return f"{seconds / 3600:.1f} CPU hours"
    return f"{seconds / 60:.0f} CPU minutes" if seconds >= 90 else f"{seconds:.0f} CPU s"


def _gib(mib: float) -> str:
    return f"{mib / 1024:.1f} GiB" if mib >= 1024 else f"{mib:,.0f} MiB"


def check_resources(estimate: ResourceEstimate, *, available_mib: float | None = None) -> None:
    """Raise before anything runs when the estimated peak memory exceeds what is available.

    Parameters
    ----------
    estimate : ResourceEstimate
        From :func:`estimate_run_resources`.
    available_mib : float, optional
        Memory available, MiB; default :func:`available_memory_mib` (``$NETPLAN_MEMORY_MIB``,
        ``MemAvailable``, the cgroup limit). When unknown, nothing is checked.

    Raises
    ------
    NetplanError
        Naming the scenario, the command, the estimate and its drivers, the memory available,
        and the commands (stages) that would fit.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> check_resources(estimate_run_resources(tiny_scenario()), available_mib=8192)
    >>> check_resources(estimate_run_resources(tiny_scenario()), available_mib=1)
    Traceback (most recent call last):
    ...
    netplan.errors.NetplanError: tiny: netplan run needs about ... of memory ...
    """
    source = "given"
    if available_mib is None:
        available_mib, source = available_memory_mib()
        if available_mib is None:
            return
    need = estimate.peak_memory_mib
    if need <= available_mib:
        return
    alone = [_estimate(estimate.size, (s,), estimate.workers)
             for s in ("topology", "capacity", "simulation") if s in estimate.stages]
    fits = [f"{e.command} (about {_gib(e.peak_memory_mib)})" for e in alone
            if e.peak_memory_mib <= available_mib]
    line_states = estimate.size.failure_states > 1 + estimate.size.carriers
    advice = [f"run fewer stages: {', '.join(fits)} fit" if fits and len(estimate.stages) > 1
              else "",
              "check carrier failures only (capacity.single_line_failures: false)"
              if line_states and "capacity" in estimate.stages else "",
              "make the region smaller (fewer villages or towns, or one province "
                           "at a time)", "or use a machine with more memory"]
    raise NetplanError(
        f"{estimate.size.scenario}: {estimate.command} needs about {_gib(need)} of memory "
        f"and {_duration(estimate.seconds)} (estimated "
        f"from {estimate.drivers()}), this machine has {_gib(available_mib)} available "
        f"({source}); " + "; ".join(a for a in advice if a)
        + f" ({MEMORY_ENV} overrides the memory available)")
