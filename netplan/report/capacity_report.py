"""The capacity section of a run's report: loads, compliance, upgrades, cloud, addresses."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from netplan.report.tables import markdown_table, markdown_text, write_csv
from netplan.report.topology_report import ReportSection

__all__ = ["write_capacity_report"]


def write_capacity_report(scenario, cp, out_dir: Path, *, pictures: bool = True,
                          lang: str = "zh") -> ReportSection:
    """Write the capacity outputs into ``out_dir/capacity``; return the report section.

    Files: ``loads.csv`` (every trunk in normal operation and each carrier down, per plan
    year), ``loads_worst.csv`` (per trunk and year, the worst state, single-line failures
    included), ``dedicated.csv``, ``compliance.csv`` (one row per violation of the provisioned
    network), ``compliance_checked.csv``; with an upgrade plan ``upgrades.csv``,
    ``upgrades.xlsx`` (lines, cost per year, unmet), ``cost_by_year.csv``, ``unmet.csv`` and
    ``compliance_after.csv``; with a cloud judgement ``cloud_weekly.csv``, ``cloud_shrink.csv``,
    ``cloud_expansion.csv`` and ``hosts.csv``; with an address plan ``addresses.csv`` and
    ``netbox_prefixes.csv`` (NetBox's prefix import); with ``pictures``
    ``utilisation.png`` (worst utilisation per link class, before and after),
    ``extranet_before.png`` / ``extranet_after.png`` (the extranet with the sites and divisions
    breaking a rule in red) and ``cloud.png``.
    """
    sub = Path(out_dir) / "capacity"
    sub.mkdir(parents=True, exist_ok=True)
    files: list[str] = []

    def csv(df: pd.DataFrame, name: str) -> None:
        write_csv(df, sub / name)
        files.append(f"capacity/{name}")

    loads = cp.loads
    csv(loads.to_frame(), "loads.csv")
    csv(loads.worst_frame(), "loads_worst.csv")
    csv(loads.dedicated_frame(), "dedicated.csv")
    csv(cp.compliance.violations, "compliance.csv")
    csv(cp.compliance.checked, "compliance_checked.csv")
    up = cp.upgrades
    if up is not None:
        csv(up.lines, "upgrades.csv")
        csv(up.cost_by_year, "cost_by_year.csv")
        csv(up.unmet, "unmet.csv")
        csv(cp.after_frame(), "compliance_after.csv")
        from netplan.io.cells import write_xlsx

        # text as text (no formula from a site's name), the same bytes for the same plan
        write_xlsx(sub / "upgrades.xlsx", {"lines": up.lines, "cost_by_year": up.cost_by_year,
                                           "unmet": up.unmet})
        files.append("capacity/upgrades.xlsx")
    if cp.cloud is not None:
        csv(cp.cloud.weekly, "cloud_weekly.csv")
        csv(cp.cloud.shrink, "cloud_shrink.csv")
        csv(cp.cloud.expansion, "cloud_expansion.csv")
    if cp.hosts is not None:
        csv(cp.hosts.assignment, "hosts.csv")
    if cp.addresses is not None:
        from netplan.io.netbox_io import write_netbox_prefixes

        csv(cp.addresses.to_frame(), "addresses.csv")
        write_netbox_prefixes(cp.addresses, sub / "netbox_prefixes.csv")
        files.append("capacity/netbox_prefixes.csv")
    pics = []
    if pictures:
        from netplan.plot import save_figure
        from netplan.plot.capacity import plot_cloud_utilisation, plot_utilisation_by_tier

        ax = plot_utilisation_by_tier(loads, cp.after_loads, lang=lang)
        save_figure(ax.figure, sub / "utilisation")
        pics.append("utilisation.png")
        pics += _extranet_pictures(scenario, cp, sub, lang)
        if cp.cloud is not None:
            ax = plot_cloud_utilisation(cp.cloud, lang=lang)
            save_figure(ax.figure, sub / "cloud")
            pics.append("cloud.png")
        files += [f"capacity/{p}" for p in pics]
        files += [f"capacity/{Path(p).with_suffix('.svg')}" for p in pics]

    v = cp.compliance.violations
    md = markdown_text  # names from the inputs: inert in Markdown
    lines = [f"## Capacity — {md(scenario.name)}", "", *[f"- {md(x)}" for x in cp.summary()], "",
             "### Compliance of the provisioned network", "",
             markdown_table(cp.compliance.checked), ""]
    if len(v):
        by = v.groupby(["rule", "state"]).agg(violations=("where", "size"),
                                              worst_shortfall=("shortfall", "max"))
        lines += ["Violations by rule and state (all rows in `capacity/compliance.csv`):", "",
                  markdown_table(by.reset_index()), "",
                  "Largest shortfalls:", "",
                  markdown_table(v.sort_values("shortfall", ascending=False).head(10)
                                 [["where", "rule", "required", "provisioned", "shortfall",
                                   "unit", "state", "year"]]), ""]
    if up is not None:
        lines += ["### Upgrade plan", "", markdown_table(up.cost_by_year), ""]
        if len(up.lines):
            g = up.lines.groupby(["kind", "tier", "year", "new", "to_mbps"]).agg(
                lines=("link_id", "size"), one_off=("one_off", "sum"))
            lines += [markdown_table(g.reset_index()), ""]
        if up.explanation:
            lines += ["Cannot be met:", ""] + [f"- {e}" for e in up.explanation[:20]] + [""]
        if len(up.unmet):
            lines += ["Left out:", "", markdown_table(up.unmet.head(20)), ""]
    for pic in pics:
        lines += [f"![{pic}](capacity/{pic})", ""]
    return ReportSection("Capacity", "\n".join(lines), files)


def _over_ceiling(compliance) -> list[str]:
    """Node ids at the lower end of a trunk over its ceiling, or cut off, in any state."""
    v = compliance.violations
    hit = v[v["rule"].isin(["utilisation", "reachable", "department_access"])]["where"]
    return sorted({w.split(" -- ")[0] for w in hit})


def _extranet_pictures(scenario, cp, sub: Path, lang: str = "zh") -> list[str]:
    """The extranet drawn twice: the sites and divisions breaking a rule before and after."""
    from netplan.plot import save_figure
    from netplan.plot.topology import plot_extranet

    out = []
    topo = cp.loads.topology
    if topo.nodes_of_kind("city").empty:
        return out  # an imported graph: no tiers to draw
    zh = lang == "zh"
    pictures = [("extranet_before", topo, _over_ceiling(cp.compliance),
                 "升级前：超过利用率上限或断开的站点" if zh else
                 "Before the upgrades: sites over a ceiling or cut off")]
    if cp.upgrades is not None and cp.after:
        last = max(cp.after)
        pictures.append(("extranet_after", cp.upgraded(last),
                         _over_ceiling(cp.after[last]),
                         f"升级后（{last}年）：仍违反规则的站点" if zh else
                         f"After the upgrades ({last}): sites still breaking a rule"))
    for name, t, nodes, title in pictures:
        ax = plot_extranet(t, highlight=[n for n in nodes if n in t.nodes.index], title=title,
                           lang=lang)
        save_figure(ax.figure, sub / name)
        out.append(f"{name}.png")
    return out
