"""Compliance of the provisioned extranet with the policy targets and the utilisation ceilings.

Rules (one row per violation in :meth:`Compliance.to_frame`):

``internet_egress``
    Each city's internet egress lines together carry at least ``targets.internet_egress``,
    in normal operation and in each carrier-down state.
``backbone``
    Each city's lines to the province together carry at least ``targets.backbone``, in
    normal operation and in each carrier-down state.
``department_access``
    Each department at city, county and town has at least ``targets.department_access`` of
    access lines; in a failure state, of the lines that are up (a department cut off is a
    ``reachable`` violation instead).
``village_coverage``
    At least ``targets.village_coverage_pct`` of the villages reach every destination in
    normal operation ("市县镇村四级全覆盖").
``min_carriers``
    At least ``targets.min_carriers`` carriers reach each city core ("2+N").
``reachable``
    Every department reaches the cloud node, the exchange platform, the province and the
    internet in normal operation and in each carrier-down state.
``utilisation``
    Every trunk's load stays within the ceiling (``capacity.ceiling_pct``: normal and failure)
    in every state loaded, every year of the plan.

``platform_connected``
    The systems in use connected to the exchange platform by the end of the migration plan
    (its last report date), against ``targets.platform_connected_pct`` (passed in ``extra``
    by :func:`netplan.capacity.plan_capacity`).
``cloud_utilisation`` / ``cloud_ceiling``
    The cloud node's utilisation floor and occupancy ceiling, judged by
    :func:`netplan.capacity.cloud.cloud_capacity`, whose violations are passed in (``extra``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netplan.capacity.loads import LinkLoads
from netplan.model.scenario import Scenario

__all__ = ["Compliance", "check_compliance", "VIOLATION_COLUMNS", "RULES"]

#: Columns of the violation table.
VIOLATION_COLUMNS = ["where", "rule", "required", "provisioned", "shortfall", "unit", "state",
                     "year", "detail"]
#: The rules, in the order they are reported.
RULES = ("internet_egress", "backbone", "min_carriers", "department_access", "village_coverage",
         "reachable", "utilisation", "cloud_utilisation", "cloud_ceiling", "platform_connected")


@dataclass(frozen=True)
class Compliance:
    """Violations of the policy targets and ceilings, and what was checked.

    Attributes
    ----------
    violations : pandas.DataFrame
        One row per violation (:data:`VIOLATION_COLUMNS`); ``required`` and ``provisioned``
        in ``unit`` (Mbps, %, carriers), ``shortfall`` = required − provisioned.
    checked : pandas.DataFrame
        Per rule: the target, how many cases were checked and how many fail.
    not_checked : list of str
        What was left out (e.g. single-line failures not loaded): it counts against a clean
        verdict, never for it.
    """

    violations: pd.DataFrame
    checked: pd.DataFrame
    not_checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is violated *and* nothing was left unchecked."""
        return len(self.violations) == 0 and not self.not_checked

    def to_frame(self) -> pd.DataFrame:
        """The violation table."""
        return self.violations

    def summary(self) -> list[str]:
        """A few lines for the report."""
        if len(self.violations) == 0:
            head = "Compliant: no violation in any state checked."
        else:
            by = self.violations.groupby("rule", sort=False).size()
            head = (f"{len(self.violations):,} violations: "
                    + ", ".join(f"{r} {n:,}" for r, n in by.items()) + ".")
        lines = [head]
        lines += [f"Not checked: {x}" for x in self.not_checked]
        return lines

    def __str__(self) -> str:
        return "\n".join(self.summary())


def _row(where, rule, required, provisioned, unit, state, year, detail=""):
    return {"where": where, "rule": rule, "required": float(required),
            "provisioned": float(provisioned),
            "shortfall": float(required) - float(provisioned), "unit": unit, "state": state,
            "year": year, "detail": detail}


def check_compliance(scenario: Scenario, loads: LinkLoads, *,
                     extra: pd.DataFrame | None = None) -> Compliance:
    """Check the network that ``loads`` was computed on against the targets and ceilings.

    Parameters
    ----------
    scenario : Scenario
        ``targets`` and ``capacity.ceiling_pct``.
    loads : LinkLoads
        From :func:`~netplan.capacity.loads.link_loads` on the network to check.
    extra : pandas.DataFrame, optional
        Violations found elsewhere in the same columns (the cloud node's), appended.

    Returns
    -------
    Compliance

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> from netplan.capacity.loads import link_loads
    >>> s = tiny_scenario()
    >>> c = check_compliance(s, link_loads(s, build_topology(s), single_links=False))
    >>> sorted(set(c.violations["rule"]))   # single-homed departments cut off by a carrier
    ['reachable']
    """
    t = scenario.targets
    topo = loads.topology
    tr = loads.trunks
    nodes = topo.nodes
    links = topo.links
    ids = nodes.index.to_numpy()
    kind = nodes["kind"].to_numpy()
    lk = links["kind"].to_numpy(dtype=str)
    ltier = links["tier"].to_numpy(dtype=str)
    src = links["source"].to_numpy(dtype=str)
    car = links["carrier"].to_numpy(dtype=str)
    cap = links["capacity_mbps"].to_numpy(dtype=float, na_value=0.0)
    city_of_link = nodes["city"].reindex(src).fillna("").to_numpy(dtype=str)
    rows: list[dict] = []
    checked: list[dict] = []
    year0 = loads.years[0]

    def per_city(mask: np.ndarray, rule: str, target: float | None, what: str) -> None:
        if target is None:
            return
        n = 0
        for st in loads.states:
            if st.kind not in ("normal", "carrier"):
                continue
            have = pd.Series(cap * (mask & st.link_up)).groupby(city_of_link).sum()
            cities = sorted(set(city_of_link[mask]))
            for city in cities:
                n += 1
                if have.get(city, 0.0) < target:
                    rows.append(_row(f"{city} {what}", rule, target, have.get(city, 0.0), "Mbps",
                                     st.name, year0))
        checked.append({"rule": rule, "target": target, "cases": n})

    per_city((lk == "egress"), "internet_egress", t.internet_egress_mbps, "互联网出口")
    per_city((lk == "uplink") & (ltier == "city"), "backbone", t.backbone_mbps, "至省骨干")

    # 2+N: carriers with a line from each city core to the province
    up_city = (lk == "uplink") & (ltier == "city")
    n = 0
    for city, grp in pd.Series(car[up_city]).groupby(city_of_link[up_city]):
        n += 1
        k = len({c for c in grp if c})
        if k < t.min_carriers:
            rows.append(_row(f"{city} 至省骨干", "min_carriers", t.min_carriers, k, "carriers",
                             "normal", year0, "carriers with a line to the province"))
    checked.append({"rule": "min_carriers", "target": t.min_carriers, "cases": n})

    dep = kind == "department"
    dep_pos = np.flatnonzero(dep)
    node_pos = pd.Index(ids)
    if t.department_access_mbps is not None:
        access = lk == "access"
        owner = node_pos.get_indexer(src)
        n = 0
        for st in loads.states:
            have = np.bincount(owner[access], weights=(cap * st.link_up)[access],
                               minlength=len(ids))
            cut = set(loads.cut_off.get(st.name, ()))
            for p in dep_pos:
                if st.kind != "normal" and p in cut:
                    continue
                n += 1
                if have[p] < t.department_access_mbps:
                    rows.append(_row(ids[p], "department_access", t.department_access_mbps,
                                     have[p], "Mbps", st.name, year0,
                                     "access lines up" if st.kind != "normal" else ""))
        checked.append({"rule": "department_access", "target": t.department_access_mbps,
                        "cases": n})

    villages = np.flatnonzero(kind == "village")
    if len(villages):
        cut = np.isin(villages, loads.cut_off.get("normal", np.zeros(0, dtype=np.int64)))
        pct = 100.0 * (1 - cut.mean())
        if pct < t.village_coverage_pct:
            rows.append(_row("villages", "village_coverage", t.village_coverage_pct, pct, "%",
                             "normal", year0, f"{int(cut.sum()):,} villages cut off"))
        checked.append({"rule": "village_coverage", "target": t.village_coverage_pct,
                        "cases": 1})

    n = 0
    for st in loads.states:
        cut = loads.cut_off.get(st.name, np.zeros(0, dtype=np.int64))
        gone = cut[kind[cut] == "department"]
        n += len(dep_pos)
        for p in gone:
            rows.append(_row(ids[p], "reachable", 1, 0, "route", st.name, year0,
                             f"{st.label}: no route to some destination"))
    checked.append({"rule": "reachable", "target": 1, "cases": n})

    rows += _utilisation_rows(scenario, loads)
    checked.append({"rule": "utilisation", "target": scenario.capacity.ceilings.normal_pct,
                    "cases": tr.n_trunks * len(loads.years)
                    * (len(loads.states) + len(loads.link_states))})
    frame = pd.DataFrame(rows, columns=VIOLATION_COLUMNS)
    if extra is not None and len(extra):
        if "failure_state" in extra.columns:  # the cloud node's rows name it so
            state = extra.pop("failure_state")
            extra["state"] = extra["state"].fillna(state) if "state" in extra else state
        extra = extra.assign(**{c: extra.get(c, "") for c in ("unit", "detail")})
        extra.loc[extra["rule"] == "cloud_utilisation", "unit"] = "%"
        frame = pd.concat([frame, extra[VIOLATION_COLUMNS]], ignore_index=True)
    order = {r: i for i, r in enumerate(RULES)}
    frame = frame.sort_values(["rule", "shortfall"], key=lambda s: s.map(order)
                              if s.name == "rule" else -s, kind="stable").reset_index(drop=True)
    checked_df = pd.DataFrame(checked)
    fails = frame.groupby("rule").size()
    checked_df["violations"] = checked_df["rule"].map(fails).fillna(0).astype(int)
    not_checked = []
    if not loads.link_states and not loads.skipped_links:
        not_checked.append("single-line failure states (not loaded)")
    ceil = scenario.capacity.ceilings
    if loads.skipped_links and ceil.failure_pct < ceil.normal_pct:
        # a skipped line's state only lowers loads: judged by normal operation, which holds
        # only when a failure state may be at least as full
        not_checked.append(f"{loads.skipped_links:,} single-line states whose loads only drop, "
                           f"against the {ceil.failure_pct:g}% failure ceiling (below the "
                           f"{ceil.normal_pct:g}% normal one)")
    return Compliance(violations=frame, checked=checked_df, not_checked=not_checked)


def _utilisation_rows(scenario: Scenario, loads: LinkLoads) -> list[dict]:
    ceil = scenario.capacity.ceilings
    tr = loads.trunks
    rows = []

    def emit(state, where_t, load, cap_t, pct):
        for k, year in enumerate(loads.years):
            need = load[k] * 100.0 / pct
            bad = np.flatnonzero(need > cap_t + 1e-6)
            for j in bad:
                t = where_t[j]
                rows.append(_row(loads.trunk_label(t), "utilisation",
                                 need[j], cap_t[j], "Mbps", state.name, year,
                                 f"{state.label}: load {load[k][j]:,.1f} Mbps at a "
                                 f"{pct:g}% ceiling"))

    for i, st in enumerate(loads.states):
        pct = ceil.normal_pct if st.kind == "normal" else ceil.failure_pct
        cap_t = loads.capacity_mbps(st)
        everything = np.arange(tr.n_trunks)
        emit(st, everything, loads.loads_mbps[i].max(axis=2), cap_t, pct)
    for st, (where, vals) in zip(loads.link_states, loads.link_changes, strict=True):
        cap_t = loads.capacity_mbps(st)[where]
        emit(st, where, vals.max(axis=2).T, cap_t, ceil.failure_pct)
    return rows
