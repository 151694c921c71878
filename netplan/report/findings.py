"""The verdicts and the worst findings of a run, as structured data for the report.

:func:`findings` reads a :class:`~netplan.report.run_results.RunResults` and returns
:class:`Finding` objects: first one verdict per question a bureau asks (are the bandwidth
targets met, what does the upgrade cost, are the migration milestones met, is the cloud used
well enough, does the interconnect pass its simulation, where does the policy timeline
stand), then at most :data:`MAX_FINDINGS` findings, worst first, each grouping the rows
behind it (896 single-homed departments are one finding, not 896). A finding holds names and
numbers only; :func:`netplan.report.i18n.sentence` turns it into a sentence in either
language.

A verdict whose check was incomplete (compliance with ``not_checked`` items, a stage that
failed or was skipped, a solver stopped by its limit without proof, flows still running at
the end of the simulation) is never ``ok``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Finding", "findings", "VERDICT_SEVERITIES", "FINDING_SEVERITIES", "MAX_FINDINGS",
           "place_name"]

#: Severities of a verdict: a clean pass, a fail, a check not complete, worth a look, a note.
VERDICT_SEVERITIES = ("ok", "fail", "incomplete", "warning", "info")
#: Severities of a finding, worst first.
FINDING_SEVERITIES = ("critical", "warning", "info")
#: Findings listed at most.
MAX_FINDINGS = 8
#: Compliance rules judged by the cloud verdict, not the bandwidth one.
_CLOUD_RULES = ("cloud_utilisation", "cloud_ceiling", "platform_connected")


@dataclass(frozen=True)
class Finding:
    """One verdict or finding: what it is, how bad, and its fields.

    Attributes
    ----------
    kind : str
        ``verdict.<name>`` or ``finding.<name>``; :mod:`netplan.report.i18n` has a sentence
        template for each.
    severity : str
        One of :data:`VERDICT_SEVERITIES` for a verdict, of :data:`FINDING_SEVERITIES` for a
        finding.
    params : dict
        Names (from the scenario, as they are), numbers (Mbps, 万元, weeks, %) and dates.
    """

    kind: str
    severity: str
    params: dict = field(default_factory=dict)

    @property
    def is_verdict(self) -> bool:
        """True for a verdict (``verdict.*``), False for a finding."""
        return self.kind.startswith("verdict.")


def findings(results) -> list[Finding]:
    """The verdicts, then the worst findings (at most :data:`MAX_FINDINGS`), of a run.

    Parameters
    ----------
    results : RunResults

    Returns
    -------
    list of Finding
        Verdicts in a fixed order (connectivity, bandwidth before and after the upgrades,
        upgrade cost, migration milestones, cloud utilisation, interconnect validation,
        cutover windows, policy timeline), then findings sorted by severity and size.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.report.run_results import RunResults, StageRecord
    >>> from netplan.topology import build_topology, reachability
    >>> s = tiny_scenario()
    >>> t = build_topology(s)
    >>> rr = RunResults(s, topology=t, reach=reachability(t),
    ...                 stages=[StageRecord("topology", "done")])
    >>> [(f.kind, f.severity) for f in findings(rr)][:1]
    [('verdict.reach', 'ok')]
    """
    out = _verdicts(results)
    found = _findings(results)
    order = {s: i for i, s in enumerate(FINDING_SEVERITIES)}
    found.sort(key=lambda fs: (order[fs[0].severity], -fs[1]))
    return out + [f for f, _ in found[:MAX_FINDINGS]]


# --------------------------------------------------------------------------- places


def place_name(nodes: pd.DataFrame, node_id: str) -> str:
    """A node in words a bureau uses: its name with the county and town it belongs to.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> nodes = build_topology(tiny_scenario()).nodes
    >>> place_name(nodes, "测试省/甲市/A县/A镇1#部门01"), place_name(nodes, "测试省/甲市#公安局")
    ('A县A镇1部门01', '公安局')
    """
    if node_id not in nodes.index:
        return str(node_id)
    r = nodes.loc[node_id]
    name = str(r["name"])
    kind, tier = r["kind"], r["tier"]
    county = "" if pd.isna(r.get("county")) else str(r.get("county") or "")
    town = "" if pd.isna(r.get("town")) else str(r.get("town") or "")
    if kind in ("department", "village"):
        prefix = {"county": county, "town": county + town, "village": county + town}.get(tier, "")
        return prefix + name if not name.startswith(prefix) else name
    if kind == "town":
        return county + name if not name.startswith(county) else name
    return name


def _lower_end(where: str) -> str:
    return str(where).split(" -- ")[0]


def _lines_text(caps: list[float]) -> str:
    from netplan.report.i18n import mbps_text

    caps = [c for c in caps if c > 0]
    if not caps:
        return "0"
    if len(set(caps)) == 1:
        return mbps_text(caps[0]) if len(caps) == 1 else f"{len(caps)} × {mbps_text(caps[0])}"
    return " + ".join(mbps_text(c) for c in sorted(caps))


def _caps_from(topology, node: str, kind: str | None = None, target: str | None = None,
               capacity=None) -> list[float]:
    links = topology.links
    mask = links["source"] == node
    if kind is not None:
        mask &= links["kind"] == kind
    if target is not None:
        mask &= links["target"] == target
    if capacity is None:
        cap = links.loc[mask, "capacity_mbps"].to_numpy(dtype=float, na_value=0.0)
    else:
        cap = capacity[mask.to_numpy()]
    return [float(c) for c in cap]


# --------------------------------------------------------------------------- verdicts


def _stage_status(results, name: str) -> str | None:
    """None when the stage is done, else ``failed``/``skipped`` (or ``not run``)."""
    rec = results.stage(name)
    if rec is None:
        return "not run"
    return None if rec.status == "done" else rec.status


def _not_run(results, stage: str, what: str) -> list[Finding]:
    """The verdict of a stage that failed or was skipped; none for a stage not in the run."""
    status = _stage_status(results, stage)
    if status == "not run" and results.stage(stage) is None and results.complete:
        return []  # not asked for (``netplan topology`` runs one stage)
    return [Finding("verdict.not_run", "incomplete",
                    {"stage": stage, "what": what,
                     "status": None if status == "not run" else status})]


def _not_checked_items(texts: list[str]) -> list[dict]:
    import re

    items = []
    for t in texts:
        if t.startswith("single-line failure states"):
            items.append({"kind": "single_line_states"})
        elif m := re.match(r"([\d,]+) single-line states whose loads only drop", t):
            items.append({"kind": "dropping_states", "n": int(m.group(1).replace(",", ""))})
        else:
            items.append({"kind": "other", "text": t})
    return items


def _compliance_params(violations: pd.DataFrame, not_checked: list[str], which: str,
                       years: list[int]) -> tuple[str, dict]:
    v = violations[~violations["rule"].isin(_CLOUD_RULES)] if len(violations) else violations
    by_rule = v.groupby("rule", sort=False).size().to_dict() if len(v) else {}
    places = v["where"].map(_lower_end).nunique() if len(v) else 0
    items = _not_checked_items(not_checked)
    severity = "fail" if len(v) else ("incomplete" if items else "ok")
    return severity, {"which": which, "violations": int(len(v)), "places": int(places),
                      "by_rule": {k: int(n) for k, n in by_rule.items()},
                      "not_checked": items, "years": years}


def _verdicts(results) -> list[Finding]:
    out: list[Finding] = []
    # connectivity
    if results.reach is not None:
        n = len(results.reach.unreachable())
        out.append(Finding("verdict.reach", "ok" if n == 0 else "fail", {"unreachable": n}))
    else:
        out.extend(_not_run(results, "topology", "reach"))
    # bandwidth, cost
    cp = results.capacity
    if cp is None:
        out.extend(_not_run(results, "capacity", "compliance"))
    else:
        years = list(cp.loads.years)
        sev, p = _compliance_params(cp.compliance.violations, cp.compliance.not_checked,
                                    "provisioned", years)
        out.append(Finding("verdict.compliance", sev, p))
        up = cp.upgrades
        if up is not None and cp.after:
            frames = [c.violations for c in cp.after.values()]
            nc = sorted({x for c in cp.after.values() for x in c.not_checked})
            sev, p = _compliance_params(pd.concat(frames, ignore_index=True), nc, "after",
                                        sorted(cp.after))
            out.append(Finding("verdict.compliance", sev, p))
        out.append(_cost_verdict(results.scenario, up))
    # migration
    plan = results.plan
    if plan is None:
        out.extend(_not_run(results, "migration", "milestones"))
    else:
        out.append(_milestone_verdict(plan))
    # cloud
    if cp is not None and cp.cloud is not None:
        c = cp.cloud
        floor = c.floor_pct
        util = c.utilisation_pct
        met = floor is None or (not math.isnan(util) and util >= floor - 1e-9)
        sev = "info" if floor is None else ("ok" if met else "fail")
        out.append(Finding("verdict.cloud", sev, {
            "utilisation_pct": util, "floor_pct": floor, "met": met,
            "shrink": int(len(c.shrink)), "after_shrink_pct": c.utilisation_after_shrink_pct}))
    elif results.scenario.targets.cloud_utilisation_min_pct is not None:
        out.extend(_not_run(results, "capacity" if cp is None else "migration", "cloud"))
    # validation
    v = results.validation
    if v is None:
        out.extend(_not_run(results, "simulation", "validation"))
    else:
        up = cp.upgrades if cp is not None else None
        upgraded = results.before is not None or (
            up is not None and len(up.lines) > 0 and up.status != "no_solution")
        out.append(_validation_verdict(v, upgraded=upgraded))
    if results.cutovers is not None and len(results.cutovers.weeks):
        w = results.cutovers.weeks
        late = int(w["late"].sum())
        out.append(Finding("verdict.cutovers", "ok" if late == 0 else "fail",
                           {"weeks": int(len(w)), "late": late}))
    # policy timeline
    if results.timeline is not None:
        df = results.timeline.to_frame()
        counts = {str(k): int(n) for k, n in df["status"].value_counts(sort=False).items()}
        sev = ("fail" if counts.get("missed") else
               "warning" if counts.get("at risk") or counts.get("not planned") else "ok")
        out.append(Finding("verdict.timeline", sev, {"total": int(len(df)), "counts": counts}))
    return out


def _cost_verdict(scenario, up) -> Finding:
    currency = scenario.capacity.currency
    if up is None:
        return Finding("verdict.cost", "info", {"status": "no_catalogue", "currency": currency})
    cby = up.cost_by_year
    per_year = [(int(r.year), float(r.total)) for r in cby.itertuples()]
    n_new = int(up.lines["new"].sum()) if len(up.lines) else 0
    # a line changed in several years counts once
    changed = up.lines.drop_duplicates("link_id") if len(up.lines) else up.lines
    n_new = int(changed["new"].sum()) if len(changed) else 0
    sev = {"optimal": "info", "nothing_to_do": "ok", "feasible": "incomplete",
           "infeasible": "fail", "over_budget": "fail", "no_solution": "fail"}[up.status]
    return Finding("verdict.cost", sev, {
        "status": up.status, "currency": up.currency,
        "total": float(cby["total"].sum()) if len(cby) else 0.0,
        "discounted": float(up.cost), "per_year": per_year,
        "upgrades": int(len(changed) - n_new), "new_lines": n_new,
        "gap_pct": up.gap_pct, "unmet": int(len(up.unmet)),
        "budget": scenario.capacity.budget})


def _milestone_rows(plan) -> list[dict]:
    rows = []
    for r in plan.milestones().itertuples():
        late = None
        if not r.met and r.reached_on is not None:
            late = -(-(r.reached_on - r.date).days // 7)
        rows.append({"name": r.milestone, "all": str(r.milestone).startswith("all "),
                     "date": r.date, "required": int(r.required), "met": bool(r.met),
                     "slack_weeks": None if r.slack_weeks is None or pd.isna(r.slack_weeks)
                     else int(r.slack_weeks),
                     "reached_on": r.reached_on, "late_weeks": late})
    return rows


def _milestone_verdict(plan) -> Finding:
    from netplan.migration.project import SolveStatus

    rows = _milestone_rows(plan)
    proven = plan.status is SolveStatus.INFEASIBLE
    sev = "ok" if plan.feasible else ("fail" if proven else "incomplete")
    return Finding("verdict.milestones", sev, {
        "feasible": plan.feasible, "proven": proven, "milestones": rows,
        "finish": plan.finish_date})


def _validation_verdict(v, *, upgraded: bool) -> Finding:
    """Per case: pass or fail; unconfirmed checks and censored flows make a pass unclean.

    A check not confirmed at the validation's confidence, or a flow still running at the end
    (counted at its bounds), keeps a pass from being a clean one.
    """
    t = v.table
    confirmed = t["confirmed"] if "confirmed" in t else pd.Series(True, index=t.index)
    cases = []
    for case in v.cases:
        in_case = t["case"] == case
        bad = t[in_case & ~t["ok"]]
        cases.append({"case": case, "passed": bool(bad.empty),
                      "failed_units": int(bad["unit"].nunique()),
                      "unconfirmed": int((in_case & ~confirmed).sum())})
    passed = all(c["passed"] for c in cases)
    unconfirmed = sum(c["unconfirmed"] for c in cases)
    censored = int(t["unfinished"].sum()) if "unfinished" in t else 0
    sev = "fail" if not passed else ("incomplete" if censored or unconfirmed else "ok")
    return Finding("verdict.validation", sev, {
        "upgraded": upgraded, "passed": passed, "cases": cases, "censored": censored,
        "unconfirmed": unconfirmed, "confidence": getattr(v, "confidence", None)})


# --------------------------------------------------------------------------- findings


def _findings(results) -> list[tuple[Finding, float]]:
    out: list[tuple[Finding, float]] = []
    cp = results.capacity
    if cp is not None:
        out += _capacity_findings(cp)
    elif results.surv is not None and results.topology is not None:
        for carrier in results.topology.carriers:
            n = len(results.surv.affected_by_carrier(carrier))
            if n:
                out.append((Finding("finding.carrier_down", "warning",
                                    {"carrier": carrier, "nodes": n}), n))
    if results.topology is not None:
        out += _village_findings(results.topology)
    if results.surv is not None and len(results.surv.articulation_points):
        ap = results.surv.articulation_points.iloc[0]
        sites = int(ap["sites_cut_off_any"])
        if sites:
            out.append((Finding("finding.spof", "info", {
                "place": place_name(results.topology.nodes, ap["node_id"])
                if results.topology is not None else ap["node_id"], "sites": sites}), sites))
    if results.plan is not None:
        for m in _milestone_rows(results.plan):
            if not m["met"]:
                out.append((Finding("finding.milestone_missed", "critical", m),
                            1000 + (m["late_weeks"] or 1000)))
    if results.validation is not None:
        out += _validation_findings(results.validation)
    if results.timeline is not None:
        out += _timeline_findings(results.timeline.to_frame())
    if results.quarterly is not None:
        out += _quarterly_findings(results.quarterly.to_frame())
    return out


def _capacity_findings(cp) -> list[tuple[Finding, float]]:
    out: list[tuple[Finding, float]] = []
    topo = cp.loads.topology
    nodes = topo.nodes
    v = cp.compliance.violations
    up = cp.upgrades
    after = cp.after_frame()
    still = set(after["where"].map(_lower_end)) if len(after) else set()
    planned_caps = None
    if up is not None and up.capacity_by_year:
        planned_caps = up.capacity_by_year[max(up.capacity_by_year)]
    upgraded_nodes = set(up.lines["source"]) if up is not None and len(up.lines) else set()
    new_line_nodes = (set(up.lines.loc[up.lines["new"], "source"])
                      if up is not None and len(up.lines) else set())

    def after_text(node: str, kind: str | None = None, target: str | None = None) -> str:
        if planned_caps is None or node not in upgraded_nodes:
            return ""
        return _lines_text(_caps_from(up.topology, node, kind, target, planned_caps))

    if not len(v):
        return out
    lower = v["where"].map(_lower_end)
    kind_of = nodes["kind"].reindex(lower).to_numpy()
    # department access over the ceiling (or below the floor)
    util = (v["rule"] == "utilisation").to_numpy()
    dep = (kind_of == "department")
    acc = v[(util & dep) | (v["rule"] == "department_access").to_numpy()]
    if len(acc):
        worst = acc.assign(node=acc["where"].map(_lower_end)).sort_values(
            "required", ascending=False, kind="stable")
        per_node = worst.drop_duplicates("node")
        r = per_node.iloc[0]
        rest = per_node["node"].iloc[1:]
        fixed = r["node"] not in still and bool(after_text(r["node"], "access"))
        out.append((Finding("finding.access_short", "warning" if fixed else "critical", {
            "place": place_name(nodes, r["node"]), "need_mbps": float(r["required"]),
            "lines": _lines_text(_caps_from(topo, r["node"], "access")),
            "after": after_text(r["node"], "access") if fixed else "",
            "more": int(len(rest)),
            "more_fixed": bool(len(rest)) and all(n not in still and n in upgraded_nodes
                                                 for n in rest)}),
            float(r["shortfall"]) / max(float(r["provisioned"]), 1.0)))
    # uplinks over the ceiling, per tier of the lower end
    ups = v[util & pd.Series(kind_of).isin(["county", "town", "city"]).to_numpy()]
    for tier, g in ups.groupby(nodes["tier"].reindex(ups["where"].map(_lower_end)).to_numpy(),
                               sort=False):
        g = g.sort_values("shortfall", ascending=False, kind="stable")
        r = g.iloc[0]
        node, target = r["where"].split(" -- ")[:2]
        carrier = topo.links.loc[(topo.links["source"] == node) & (topo.links["target"] == target),
                                 "carrier"]
        fixed = node not in still and bool(after_text(node, None, target))
        out.append((Finding("finding.uplink_short", "warning" if fixed else "critical", {
            "tier": tier, "count": int(g["where"].nunique()), "place": place_name(nodes, node),
            "carrier": str(carrier.iloc[0]) if len(carrier) else "",
            "state": r["state"], "state_link": _state_link(topo, r["state"]),
            "year": int(r["year"]), "need_mbps": float(r["required"]),
            "lines": _lines_text(_caps_from(topo, node, None, target)),
            "after": after_text(node, None, target) if fixed else ""}),
            float(r["shortfall"]) / max(float(r["provisioned"]), 1.0)))
    # other trunks (egress, data centre, interconnect, villages) over the ceiling
    other = v[util & ~dep & ~pd.Series(kind_of).isin(["county", "town", "city"]).to_numpy()]
    if len(other):
        kinds = other["where"].map(lambda w: _trunk_kind(topo, w))
        for kind, g in other.groupby(kinds.to_numpy(), sort=False):
            g = g.sort_values("shortfall", ascending=False, kind="stable")
            r = g.iloc[0]
            node = _lower_end(r["where"])
            out.append((Finding("finding.trunk_short",
                                "warning" if node not in still else "critical", {
                                    "kind": kind, "count": int(g["where"].nunique()),
                                    "place": place_name(nodes, node), "state": r["state"],
                                    "year": int(r["year"]), "need_mbps": float(r["required"]),
                                    "have_mbps": float(r["provisioned"]),
                                    "fixed": node not in still and up is not None}),
                        float(r["shortfall"]) / max(float(r["provisioned"]), 1.0)))
    # departments cut off when a carrier fails: single-homed
    reach = v[v["rule"] == "reachable"]
    if len(reach):
        deps = pd.Index(reach["where"].unique())
        tiers = nodes["tier"].reindex(deps).value_counts(sort=False)
        order = ["city", "county", "town"]
        tiers_list = [(t, int(tiers[t])) for t in order if t in tiers] + \
            [(t, int(n)) for t, n in tiers.items() if t not in order]
        n_new = len(set(deps) & new_line_nodes)
        fixed = n_new == len(deps) and not (set(deps) & still)
        out.append((Finding("finding.single_homed", "warning" if fixed else "critical", {
            "kind": "department", "tiers": tiers_list, "new_lines": n_new}),
            float(len(deps)) / 100.0))
    # policy floors and other rules
    for rule, g in v[v["rule"].isin(["internet_egress", "backbone"])].groupby("rule",
                                                                            sort=False):
        r = g.sort_values("shortfall", ascending=False).iloc[0]
        out.append((Finding("finding.policy_floor", "critical" if still else "warning", {
            "rule": rule, "place": str(r["where"]).split(" ")[0], "state": r["state"],
            "required": float(r["required"]), "provisioned": float(r["provisioned"]),
            "fixed": up is not None and not len(after[after["rule"] == rule])
            if len(after) else up is not None}), 10.0))
    for rule, g in v[v["rule"].isin(["min_carriers", "village_coverage",
                                     "platform_connected"])].groupby("rule", sort=False):
        out.append((Finding("finding.violation", "critical", {
            "rule": rule, "count": int(len(g)),
            "place": place_name(nodes, g["where"].iloc[0])}), 10.0))
    if cp.cloud is not None:
        c = cp.cloud
        if c.floor_pct is not None and not math.isnan(c.utilisation_pct) \
                and c.utilisation_pct < c.floor_pct - 1e-9:
            fixable = len(c.shrink) and c.utilisation_after_shrink_pct >= c.floor_pct - 1e-9
            out.append((Finding("finding.cloud_low", "warning" if fixable else "critical", {
                "utilisation_pct": c.utilisation_pct, "floor_pct": c.floor_pct,
                "shrink": int(len(c.shrink)),
                "revoke": int((c.shrink["action"] == "revoke").sum()) if len(c.shrink) else 0,
                "after_shrink_pct": c.utilisation_after_shrink_pct}),
                c.floor_pct - c.utilisation_pct))
        for e in c.expansion.itertuples():
            out.append((Finding("finding.cloud_expand", "critical", {
                "resource": e.resource, "ceiling_pct": c.ceiling_pct, "added": e.added,
                "by": e.expand_by}), 50.0))
    if up is not None and len(up.unmet):
        r = up.unmet.iloc[0]
        out.append((Finding("finding.unmet", "critical", {
            "count": int(len(up.unmet)), "place": place_name(nodes, _lower_end(r["where"]))}),
            float(len(up.unmet))))
    return out


def _state_link(topo, state: str) -> dict | None:
    """A single-line failure state's line in words: its lower end and carrier."""
    if not str(state).startswith("link:"):
        return None
    try:
        pos = int(str(state).split(":", 1)[1])
        r = topo.links.iloc[pos]
    except (ValueError, IndexError):
        return None
    return {"place": place_name(topo.nodes, r["source"]), "carrier": str(r["carrier"] or ""),
            "kind": str(r["kind"])}


def _trunk_kind(topo, where: str) -> str:
    parts = str(where).split(" -- ")
    links = topo.links
    if len(parts) == 2:
        hit = links.loc[(links["source"] == parts[0]) & (links["target"] == parts[1]), "kind"]
        if len(hit):
            return str(hit.iloc[0])
    return "uplink"


def _village_findings(topo) -> list[tuple[Finding, float]]:
    nodes, links = topo.nodes, topo.links
    src_kind = nodes["kind"].reindex(links["source"]).to_numpy()
    v = links[src_kind == "village"]
    if not len(v):
        return []
    n_carriers = v.groupby("source")["carrier"].nunique()
    n_lines = v.groupby("source").size()
    single = int(((n_carriers <= 1) & (n_lines >= 1)).sum())
    if not single:
        return []
    return [(Finding("finding.single_homed", "info", {
        "kind": "village", "tiers": [("village", single)], "new_lines": 0}), float(single))]


def _validation_findings(v) -> list[tuple[Finding, float]]:
    """Failing units grouped by tier and kind (cut off, or too slow), cases listed."""
    out = []
    fu = v.failing_units()
    if not len(fu):
        return out
    cut = fu["reason"].astype(str).str.startswith("cut off")
    for (tier, is_cut), g in fu.assign(cut=cut).groupby(["tier", "cut"], sort=False):
        g = g.sort_values("severity", ascending=False, kind="stable")
        r = g.iloc[0]
        need = r["capacity_to_pass_mbps"]
        per_case = [(str(c), int(n)) for c, n in g.groupby("case", sort=False).size().items()]
        out.append((Finding("finding.validation_fail", "critical", {
            "tier": tier, "units": int(g["unit"].nunique()) if "unit" in g else
            int(g["unit_name"].nunique()), "cut": bool(is_cut), "cases": per_case,
            "example": str(r["unit_name"]), "example_case": str(r["case"]),
            "bottleneck": str(r["bottleneck"] or ""),
            "offered_mbps": float(r["bottleneck_offered_mbps"])
            if pd.notna(r["bottleneck_offered_mbps"]) else None,
            "capacity_mbps": float(r["bottleneck_capacity_mbps"])
            if pd.notna(r["bottleneck_capacity_mbps"]) else None,
            "need_mbps": float(need) if pd.notna(need) else None}),
            100.0 + len(g)))
    return out


def _timeline_findings(df: pd.DataFrame) -> list[tuple[Finding, float]]:
    out = []
    for r in df.itertuples():
        if r.status not in ("missed", "at risk"):
            continue
        slack = None if r.slack_days is None or pd.isna(r.slack_days) else int(r.slack_days)
        out.append((Finding("finding.timeline", "critical" if r.status == "missed" else "warning",
                            {"target": str(r.target), "status": r.status, "due": r.due,
                             "slack_days": slack}),
                    200.0 + (-(slack or 0))))
    return out


def _quarterly_findings(df: pd.DataFrame) -> list[tuple[Finding, float]]:
    out = []
    rep = df[df["achieved"].notna()]
    if not len(rep):
        return out
    last = rep.sort_values("date").groupby("measure", sort=False).tail(1)
    for r in last.itertuples():
        if r.planned is not None and pd.notna(r.planned) and float(r.achieved) < float(r.planned):
            out.append((Finding("finding.quarterly", "warning", {
                "date": r.date, "measure": r.measure, "planned": float(r.planned),
                "achieved": float(r.achieved)}), float(r.planned) - float(r.achieved)))
    return out
