"""Cross-reference and plausibility checks on a validated scenario.

Each check is a small function that yields :class:`~netplan.errors.Issue` objects; :func:`diagnose`
runs all of them and returns every issue, errors and warnings alike. Rendering them is the
caller's business (CLI text, report).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator

from netplan.errors import Issue, ScenarioError
from netplan.model.scenario import TIMELINE_KINDS, Scenario
from netplan.model.system import System

__all__ = ["diagnose", "diagnose_inventory", "check", "carriers_in_use", "CHECKS"]

Check = Callable[[Scenario], Iterator[Issue]]
#: The registered checks, run in order by :func:`diagnose`.
CHECKS: list[Check] = []


def _register(fn: Check) -> Check:
    CHECKS.append(fn)
    return fn


@_register
def _tier_carriers_exist(s: Scenario) -> Iterator[Issue]:
    n = len(s.extranet.carriers)
    tiers = s.extranet.tiers
    for tier in ("province", "city", "county", "town", "village"):
        spec = getattr(tiers, tier)
        if spec is not None and spec.carriers > n:
            yield Issue(
                f"extranet.tiers.{tier}.carriers",
                f"{spec.carriers} carriers asked for but extranet.carriers lists only {n}",
                f"add carriers to extranet.carriers or lower it to {n}",
            )
    egress = s.extranet.internet_egress
    if egress is not None and egress.carriers > n:
        yield Issue(
            "extranet.internet_egress.carriers",
            f"{egress.carriers} carriers asked for but extranet.carriers lists only {n}",
            f"lower it to {n}",
        )


def carriers_in_use(s: Scenario) -> list[str]:
    """The carriers of ``extranet.carriers`` that some tier gives a line, in the listed order.

    The city core takes the first ``extranet.tiers.city.carriers`` carriers and every tier
    below picks among those (see :func:`netplan.topology.build_topology`); only the province
    uplinks of a multi-province region pick among all of them, round robin.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> carriers_in_use(tiny_scenario())
    ['电信', '联通']
    """
    carriers = list(s.extranet.carriers)
    n = len(carriers)
    tiers = s.extranet.tiers
    used = set(carriers[:min(tiers.city.carriers, n)])
    provinces = (s.region.synthetic.provinces if s.region.synthetic is not None
                 else len(s.region.provinces))
    if provinces > 1 and tiers.province is not None:
        k = min(tiers.province.carriers, n)
        used |= {carriers[(p + j) % n] for p in range(provinces) for j in range(k)}
    return [c for c in carriers if c in used]


@_register
def _every_carrier_used(s: Scenario) -> Iterator[Issue]:
    # A warning, not an error: listing carriers in order of preference beyond those the tiers
    # take is a consistent scenario (and a quick what-if: change one number), and nothing
    # computed is wrong; but the planner must know the carrier is not in the network at all.
    used = set(carriers_in_use(s))
    k = s.extranet.tiers.city.carriers
    for i, carrier in enumerate(s.extranet.carriers):
        if carrier not in used:
            yield Issue(
                f"extranet.carriers[{i}]",
                f'"{carrier}" is listed but no tier uses it: the city core takes the first {k} '
                f"carrier(s) (extranet.tiers.city.carriers) and every tier below picks among "
                f'those, so "{carrier}" gets no line, is in no survivability check and its '
                "outage changes nothing in a simulation",
                f"raise extranet.tiers.city.carriers to {i + 1} to give the city core a "
                f'"{carrier}" line, or remove it from extranet.carriers',
                severity="warning",
            )


@_register
def _child_carriers_within_parent(s: Scenario) -> Iterator[Issue]:
    tiers = s.extranet.tiers
    chain = ["city", "county", "town", "village"]
    for parent, child in zip(chain, chain[1:], strict=False):
        p, c = getattr(tiers, parent), getattr(tiers, child)
        if c.carriers > p.carriers:
            yield Issue(
                f"extranet.tiers.{child}.carriers",
                f"{child} nodes use {c.carriers} carriers but their {parent} parents only "
                f"{p.carriers}; a carrier line needs that carrier at the parent too",
                f"lower it to {p.carriers} or raise extranet.tiers.{parent}.carriers",
            )
    for tier in ("city", "county", "town"):
        dep = getattr(s.extranet.departments, tier)
        spec = getattr(tiers, tier)
        if dep is not None and dep.carriers > spec.carriers:
            yield Issue(
                f"extranet.departments.{tier}.carriers",
                f"departments use {dep.carriers} carriers but {tier} nodes only {spec.carriers}",
                f"lower it to {spec.carriers}",
            )


@_register
def _province_tier_when_several(s: Scenario) -> Iterator[Issue]:
    several = (
        s.region.synthetic.provinces > 1 if s.region.synthetic else len(s.region.provinces) > 1
    )
    if several and s.extranet.tiers.province is None:
        yield Issue(
            "extranet.tiers.province",
            "the region has several provinces but no uplink spec from province backbone to the "
            "national backbone",
            "add extranet.tiers.province with uplink, carriers and latency_ms",
        )


@_register
def _hosting_cities_exist(s: Scenario) -> Iterator[Issue]:
    if s.region.synthetic is not None:
        cities = None  # generated names; only 'every' or None make sense
    else:
        cities = set(s.region.city_names())
    hosts = [(f"cloud[{i}]", c.cities) for i, c in enumerate(s.cloud)]
    if s.exchange_platform is not None:
        hosts.append(("exchange_platform", s.exchange_platform.cities))
    for path, where in hosts:
        if not isinstance(where, list):
            continue
        for j, name in enumerate(where):
            if cities is None:
                yield Issue(
                    f"{path}.cities[{j}]",
                    f'"{name}": a synthetic region has generated city names',
                    "write cities: every, or leave it out",
                )
            elif name not in cities:
                known = ", ".join(sorted(cities)[:8])
                yield Issue(
                    f"{path}.cities[{j}]",
                    f'"{name}" is not a city of the region',
                    f"use one of: {known}",
                )


@_register
def _targets_vs_spec(s: Scenario) -> Iterator[Issue]:
    t = s.targets
    city = s.extranet.tiers.city
    if city.carriers < t.min_carriers:
        yield Issue(
            "extranet.tiers.city.carriers",
            f"{city.carriers} carrier(s) reach the city core but targets.min_carriers is "
            f"{t.min_carriers} ('2+N')",
            "the plan will not meet the target; raise the carriers or lower the target",
            severity="warning",
        )
    dates = [c.by for c in t.systems_on_cloud]
    if dates != sorted(dates):
        yield Issue(
            "targets.systems_on_cloud",
            "the dated targets are not in date order",
            "list them earliest first",
        )
    counts = [c.systems for c in t.systems_on_cloud]
    ints = [c for c in counts if c != "all"]
    if ints != sorted(ints):
        yield Issue(
            "targets.systems_on_cloud",
            f"system counts {ints} decrease over time",
            "a later target must ask for at least as many systems",
        )
    if "all" in counts and counts.index("all") != len(counts) - 1:
        yield Issue(
            "targets.systems_on_cloud",
            "'all' is followed by a later target",
            "put the 'all' target last",
        )


@_register
def _timeline_agrees(s: Scenario) -> Iterator[Issue]:
    """The timeline's cloud targets are the scheduler's; the old milestones are deprecated."""
    t = s.targets
    by_date = {c.by: c.systems for c in t.systems_on_cloud}
    for i, entry in enumerate(t.timeline):
        path = f"targets.timeline[{i}]"
        if entry.kind == "systems_on_cloud":
            have = by_date.get(entry.date)
            if have is None:
                yield Issue(
                    path, f'"{entry.name}" asks for {entry.systems} systems on the cloud by '
                    f"{entry.date} but targets.systems_on_cloud has no target on that date, so "
                    "the scheduler does not plan for it",
                    f"add {{by: {entry.date}, systems: {entry.systems}}} to "
                    "targets.systems_on_cloud (the source the scheduler plans for)")
            elif have != entry.systems:
                yield Issue(
                    f"{path}.systems", f'"{entry.name}" asks for {entry.systems} systems by '
                    f"{entry.date} but targets.systems_on_cloud asks for {have} on that date",
                    "make them agree: targets.systems_on_cloud is what the scheduler plans for")
        elif entry.kind == "platform_connected":
            if s.exchange_platform is None:
                yield Issue(path, f'"{entry.name}" judges connections to the exchange platform '
                            "but the scenario has no exchange_platform",
                            "add an exchange_platform section", severity="warning")
            pct = t.platform_connected_pct
            if pct is not None and entry.pct is not None and entry.pct > pct:
                yield Issue(f"{path}.pct", f"{entry.pct:g}% connected by {entry.date} asked "
                            f"for, but targets.platform_connected_pct is only {pct:g}%",
                            "make them agree (the capacity compliance judges "
                            "targets.platform_connected_pct at the plan's end)",
                            severity="warning")
        elif entry.kind == "platform_upgrade" and s.exchange_platform is None:
            yield Issue(path, f'"{entry.name}" is a platform upgrade but the scenario has no '
                        "exchange_platform", "add an exchange_platform section",
                        severity="warning")
    if t.milestones:
        names = ", ".join(f'"{m.name}" ({m.date})' for m in t.milestones[:3])
        more = f" and {len(t.milestones) - 3} more" if len(t.milestones) > 3 else ""
        yield Issue(
            "targets.milestones",
            f"targets.milestones is deprecated: {names}{more} have no kind, so they are "
            "judged as timeline targets of kind other, from a progress log only",
            "move them under targets.timeline with a kind (one of: "
            + ", ".join(TIMELINE_KINDS) + ")", severity="warning")


@_register
def _capacity_names_known_things(s: Scenario) -> Iterator[Issue]:
    """Dedicated networks name divisions and departments of the region; carriers exist."""
    cap = s.capacity
    if cap.dedicated_networks and s.region.synthetic is None:
        divisions: set[str] = set()
        for p in s.region.province_list():
            divisions.add(p.name)
            for city in p.cities:
                divisions.add(city.name)
                for county in city.counties:
                    divisions.add(county.name)
                    divisions.update(t.name for t in county.town_list())
        deps = s.extranet.departments
        departments = {n for tier in ("city", "county", "town")
                       if getattr(deps, tier) is not None
                       for n in getattr(deps, tier).name_list()}
        for i, net in enumerate(cap.dedicated_networks):
            path = f"capacity.dedicated_networks[{i}]"
            if net.department.split("/")[-1].split("#")[-1] not in departments:
                yield Issue(f"{path}.department", f'"{net.department}" is not a department of '
                            "the extranet", _close(net.department, departments))
            for j, site in enumerate(net.sites):
                last = site.split("/")[-1].split("#")[-1]
                if last not in divisions and last not in departments:
                    yield Issue(f"{path}.sites[{j}]", f'"{site}" is not a division or '
                                "department of the region",
                                _close(last, divisions | departments))
    known = set(s.extranet.carriers)
    for i, c in enumerate(cap.forbidden_carriers):
        if c not in known:
            yield Issue(f"capacity.forbidden_carriers[{i}]", f'"{c}" is not a carrier of the '
                        "extranet", "use one of: " + ", ".join(s.extranet.carriers))
    if cap.years and s.year is not None and cap.years[0] < s.year:
        yield Issue("capacity.years", f"the plan starts in {cap.years[0]}, before the "
                    f"scenario year {s.year}", "start the plan in the scenario year or later")


def _close(word: str, choices: set[str]) -> str:
    near = difflib.get_close_matches(word, sorted(choices), n=3, cutoff=0.5)
    return ("did you mean " + " or ".join(near) + "?") if near else \
        "give a county, town or department name (or its node id)"


@_register
def _failures_name_known_things(s: Scenario) -> Iterator[Issue]:
    carriers = list(s.extranet.carriers)
    used = carriers_in_use(s)
    clouds = [c.name for c in s.cloud]
    for i, case in enumerate(s.simulation.failures or []):
        for j, fault in enumerate(case.faults):
            path = f"simulation.failures[{i}].faults[{j}]"
            if fault.carrier is not None and fault.carrier not in carriers:
                yield Issue(f"{path}.carrier", f'"{fault.carrier}" is not a carrier of the '
                            "extranet", f"use one of: {', '.join(carriers)}")
            elif fault.carrier is not None and fault.carrier not in used:
                # an error: the case would simulate normal operation and pass as "survived"
                yield Issue(f"{path}.carrier", f'"{fault.carrier}" has no line in the extranet '
                            "(no tier uses it), so this case would simulate normal operation "
                            "and pass without testing anything",
                            f"fail one of {', '.join(used)}, or raise "
                            "extranet.tiers.city.carriers so that the city core uses it")
            if fault.cloud is not None and fault.cloud not in clouds:
                yield Issue(f"{path}.cloud", f'"{fault.cloud}" is not a cloud node of the '
                            "scenario", f"use one of: {', '.join(clouds) or '(none defined)'}")
            if isinstance(fault.at_s, float) and fault.at_s >= s.simulation.duration_s:
                yield Issue(f"{path}.at_s", f"{fault.at_s:g} s is not within the simulated "
                            f"{s.simulation.duration_s:g} s", "start it earlier",
                            severity="warning")


def diagnose(scenario: Scenario) -> list[Issue]:
    """Run every registered check and return all issues found (errors and warnings).

    Parameters
    ----------
    scenario : Scenario
        A scenario that passed schema validation.

    Returns
    -------
    list of Issue
        Possibly empty.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> diagnose(tiny_scenario())
    []
    """
    issues: list[Issue] = []
    for fn in CHECKS:
        issues.extend(fn(scenario))
    return issues


def diagnose_inventory(scenario: Scenario, systems: Iterable[System]) -> list[Issue]:
    """The scenario's references to its inventory: ids in ``migration.earliest``, target counts.

    Parameters
    ----------
    scenario : Scenario
    systems : iterable of System
        The inventory's systems (already valid one by one).

    Returns
    -------
    list of Issue
        Errors at ``migration.earliest.<id>`` (an id the inventory does not have, with close
        ids) and at ``targets.systems_on_cloud[i].systems`` (more systems than the inventory
        lists at all: no plan can meet it).

    Examples
    --------
    >>> from netplan.examples import tiny_migration
    >>> scenario, inventory = tiny_migration()
    >>> diagnose_inventory(scenario, inventory.systems)
    []
    """
    ids = [s.system_id for s in systems]
    known = set(ids)
    issues = []
    policy = scenario.migration
    for sid in policy.earliest if policy is not None else {}:
        if sid not in known:
            close = difflib.get_close_matches(sid, ids, n=3, cutoff=0.6)
            issues.append(Issue(
                f"migration.earliest.{sid}", f'"{sid}" is not a system id of the inventory',
                f"did you mean {', '.join(close)}?" if close else
                "use the 系统编号 (system_id) column of the inventory"))
    for i, target in enumerate(scenario.targets.systems_on_cloud):
        if target.systems != "all" and target.systems > len(ids):
            issues.append(Issue(
                f"targets.systems_on_cloud[{i}].systems",
                f"{target.systems} systems on the cloud by {target.by} asked for, but the "
                f"inventory lists only {len(ids)} systems in all",
                f"lower it to at most {len(ids)} (before triage retires any), or write 'all'"))
    return issues


def check(scenario: Scenario, source: str | None = None) -> list[Issue]:
    """Diagnose a scenario and raise on errors; return the warnings.

    Raises
    ------
    ScenarioError
        Carrying every issue when at least one is an error.
    """
    issues = diagnose(scenario)
    if any(i.severity == "error" for i in issues):
        raise ScenarioError(issues, source)
    return issues
