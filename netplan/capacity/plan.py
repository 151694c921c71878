"""Every capacity answer of a scenario in one call: loads, compliance, upgrades, cloud, addresses.

:func:`plan_capacity` is what ``netplan capacity`` and ``netplan run`` compute; a notebook calls
it the same way (or each step on its own).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from netplan.capacity.compliance import Compliance, check_compliance
from netplan.capacity.loads import LinkLoads, link_loads
from netplan.capacity.upgrade import UpgradePlan, plan_upgrades
from netplan.model.scenario import Scenario
from netplan.topology import Topology

__all__ = ["CapacityPlan", "plan_capacity", "system_mbps_by_year"]


@dataclass(frozen=True)
class CapacityPlan:
    """The capacity answers of one scenario.

    Attributes
    ----------
    loads : LinkLoads
        On the provisioned network.
    compliance : Compliance
        Of the provisioned network (the cloud node's violations included when judged).
    upgrades : UpgradePlan or None
        None when the scenario has no catalogue.
    after : dict of int to Compliance
        Per plan year, compliance re-checked on the upgraded network (every state loaded).
    cloud : netplan.capacity.cloud.CloudCapacity or None
    hosts, hosts_after_shrink : netplan.capacity.cloud.HostPlan or None
    addresses : netplan.capacity.addressing.AddressPlan or None
    notes : list of str
        What was skipped and why.
    after_loads : LinkLoads or None
        The upgraded network's loads in the last plan year.
    """

    loads: LinkLoads
    compliance: Compliance
    upgrades: UpgradePlan | None = None
    after: dict[int, Compliance] = field(default_factory=dict)
    cloud: object | None = None
    hosts: object | None = None
    hosts_after_shrink: object | None = None
    addresses: object | None = None
    notes: list[str] = field(default_factory=list)
    after_loads: LinkLoads | None = field(default=None, repr=False)

    def upgraded(self, year: int | None = None) -> Topology:
        """The network after the upgrades by ``year`` (the provisioned one without a plan)."""
        if self.upgrades is None:
            return self.loads.topology
        return self.upgrades.upgraded(year)

    @property
    def compliant_after(self) -> bool:
        """True when the upgraded network breaks no rule in any year and state checked."""
        return bool(self.after) and all(c.ok for c in self.after.values())

    def after_frame(self) -> pd.DataFrame:
        """Violations left on the upgraded network, with their plan year."""
        frames = [c.violations.assign(plan_year=y) for y, c in self.after.items()]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def summary(self) -> list[str]:
        """The report's lines."""
        lines = ["Provisioned network: " + " ".join(self.compliance.summary())]
        if self.upgrades is not None:
            lines += self.upgrades.summary()
            if self.after:
                left = sum(len(c.violations) for c in self.after.values())
                lines.append(f"Re-checked on the upgraded network in {len(self.after)} plan "
                             f"year(s), every state loaded: {left} violation(s) left.")
        if self.cloud is not None:
            lines += self.cloud.summary()
        if self.hosts is not None:
            lines.append(f"Hosts needed: {self.hosts.n_hosts} ({self.hosts.status.value}, lower "
                         f"bound {self.hosts.lower_bound})"
                         + (f"; after 缩容 {self.hosts_after_shrink.n_hosts}"
                            if self.hosts_after_shrink is not None else ""))
        if self.addresses is not None:
            lines.append(str(self.addresses).splitlines()[0])
        lines += self.notes
        return lines

    def __str__(self) -> str:
        return "\n".join(self.summary())


def system_mbps_by_year(scenario: Scenario, topology: Topology, years: list[int], *,
                        inventory=None, plan=None) -> dict[int, dict[str, float]]:
    """Per plan year, the busy-hour Mbps of the systems on the cloud by 31 December.

    With a migration ``plan`` the systems it cuts over by then count; without one, today's.

    Examples
    --------
    >>> from netplan.examples import tiny_migration
    >>> from netplan.topology import build_topology
    >>> s, inv = tiny_migration()
    >>> by = system_mbps_by_year(s, build_topology(s), [2020], inventory=inv)
    >>> list(by)
    [2020]
    """
    from netplan.simulation.traffic import cloud_system_mbps, cloud_systems

    if inventory is None and plan is not None:
        inventory = plan.mp.inventory
    if inventory is None:
        return {}
    out = {}
    for y in years:
        setting = dt.date(y, 12, 31) if plan is not None and plan.starts is not None else "today"
        systems = cloud_systems(inventory, setting, plan=plan)
        out[y] = cloud_system_mbps(topology, systems.systems,
                                   default_mbps=scenario.demand.system_mbps)
    return out


def _platform_rows(scenario: Scenario, migration) -> pd.DataFrame | None:
    """Violation of ``targets.platform_connected_pct`` at the plan's last report date."""
    target = scenario.targets.platform_connected_pct
    if target is None or migration is None:
        return None
    prog = migration.progress(scenario.targets.report_dates, scenario=scenario)
    cols = ["where", "rule", "required", "provisioned", "shortfall", "unit", "state", "year",
            "detail"]
    if not len(prog):
        return pd.DataFrame(columns=cols)
    last = prog.iloc[-1]
    have = float(last["platform_connected_pct"])
    if have >= target:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame([{"where": "共享交换平台", "rule": "platform_connected",
                          "required": target, "provisioned": have, "shortfall": target - have,
                          "unit": "%", "state": "normal", "year": last["date"].year,
                          "detail": f"systems in use connected by {last['date']}"}])


def plan_capacity(scenario: Scenario, topology: Topology, *, inventory=None, migration=None,
                  solver=None, time_limit_s: float | None = None, single_links: bool | None = None,
                  hosts_time_limit_s: float = 10.0) -> CapacityPlan:
    """Loads, compliance, the upgrade plan re-checked, cloud sizing and the address plan.

    Parameters
    ----------
    scenario : Scenario
    topology : Topology
        The provisioned network.
    inventory : Inventory, optional
        For the systems on the cloud (their traffic and the cloud node's sizing).
    migration : MigrationPlan, optional
        The migration plan: the systems on the cloud by the end of each plan year, and the
        cloud node's weekly allocation.
    solver, time_limit_s
        Of the upgrade MILP (default HiGHS, ``capacity.time_limit_s``).
    single_links : bool, optional
        Load and require every single-line failure state; default the scenario's
        ``capacity.single_line_failures`` (true unless it says otherwise).
    hosts_time_limit_s : float
        Of each host packing.

    Returns
    -------
    CapacityPlan

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> s = tiny_scenario()
    >>> cp = plan_capacity(s, build_topology(s), single_links=False)
    >>> cp.upgrades is None, sorted(set(cp.compliance.violations["rule"]))
    (True, ['reachable'])
    """
    cap = scenario.capacity
    if single_links is None:
        single_links = cap.single_line_failures
    years = list(cap.years or [scenario.year or 2020])
    notes: list[str] = []
    sys_mbps = system_mbps_by_year(scenario, topology, years, inventory=inventory,
                                   plan=migration)
    if not sys_mbps:
        notes.append("No inventory: the systems on the cloud add no traffic.")
    loads = link_loads(scenario, topology, years=years, system_mbps=sys_mbps,
                       single_links=single_links)
    cloud = hosts = hosts_after = None
    extra = None
    if scenario.cloud and (migration is not None or inventory is not None):
        from netplan.capacity.cloud import cloud_capacity, hosts_needed

        cloud = cloud_capacity(scenario, migration, inventory=inventory)
        extra = cloud.violations()
        if cap.cloud.host is not None:
            hosts = hosts_needed(cloud.systems, cap.cloud.host, time_limit_s=hosts_time_limit_s)
            if len(cloud.shrink):
                hosts_after = hosts_needed(cloud.shrunk_systems(), cap.cloud.host,
                                           time_limit_s=hosts_time_limit_s)
        else:
            notes.append("No capacity.cloud.host: the host count is not computed.")
    elif scenario.targets.cloud_utilisation_min_pct is not None:
        notes.append("targets.cloud_utilisation_min_pct not judged: no inventory or cloud node.")
    platform = _platform_rows(scenario, migration)
    if platform is not None:
        extra = platform if extra is None else pd.concat([extra, platform], ignore_index=True)
    elif scenario.targets.platform_connected_pct is not None:
        notes.append("targets.platform_connected_pct not judged: no migration plan.")
    compliance = check_compliance(scenario, loads, extra=extra)
    upgrades = None
    after: dict[int, Compliance] = {}
    after_loads = None
    if cap.catalogue:
        upgrades = plan_upgrades(scenario, topology, years=years, system_mbps=sys_mbps,
                                 solver=solver, time_limit_s=time_limit_s,
                                 single_links=single_links, loads=loads)
        if upgrades.status not in ("no_solution",):
            for y in years:
                sub = {y: sys_mbps[y]} if sys_mbps else None
                after_loads = link_loads(scenario, upgrades.upgraded(y), years=[y],
                                         system_mbps=sub, single_links=single_links)
                after[y] = check_compliance(scenario, after_loads)
    else:
        notes.append("No capacity.catalogue: no upgrade plan.")
    addresses = None
    if scenario.addressing is not None:
        from netplan.capacity.addressing import address_plan

        addresses = address_plan(topology, scenario.addressing)
    return CapacityPlan(loads=loads, compliance=compliance, upgrades=upgrades, after=after,
                        cloud=cloud, hosts=hosts, hosts_after_shrink=hosts_after,
                        addresses=addresses, notes=notes, after_loads=after_loads)
