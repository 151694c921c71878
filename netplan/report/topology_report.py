"""The topology section of a run's report: tables (CSV), pictures and a Markdown summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from netplan.model.scenario import Scenario
from netplan.report.tables import markdown_table, markdown_text, write_csv
from netplan.topology import (
    ReachabilityResult,
    SurvivabilityResult,
    Topology,
    TopologySummary,
)

__all__ = ["write_topology_report", "draw_topology_pictures", "picture_markdown",
           "ReportSection"]

#: Above this many cities the picture shows one carrier-failure view only (it is slow to draw).
_MANY_CITIES = 25


@dataclass(frozen=True)
class ReportSection:
    """A report section: its title, Markdown body and the files it wrote (relative paths)."""

    title: str
    markdown: str
    files: list[str]
    skipped: str | None = None  #: why the stage had nothing to do (None: it ran)


def write_topology_report(
    scenario: Scenario,
    topology: Topology,
    summary: TopologySummary,
    reach: ReachabilityResult,
    surv: SurvivabilityResult,
    out_dir: Path,
    *,
    pictures: bool = True,
    progress=None,
    lang: str = "zh",
) -> ReportSection:
    """Write the topology tables and pictures into ``out_dir``; return the report section.

    Files: ``topology_summary.csv``, ``reachability_by_tier.csv``, ``reachability.csv``,
    ``survivability_by_tier.csv``, ``carrier_failures.csv``, ``bridges.csv``, ``spofs.csv``,
    ``survivability.md`` and, with ``pictures``, those of :func:`draw_topology_pictures`.
    """
    out_dir = Path(out_dir)
    sub = out_dir / "topology"
    sub.mkdir(parents=True, exist_ok=True)
    files: list[str] = []

    def csv(df, name: str, index: bool = False) -> None:
        write_csv(df, sub / name, index=index)
        files.append(f"topology/{name}")

    summary_df = summary.to_frame()
    reach_tier = reach.by_tier()
    surv_tier = surv.to_frame()
    csv(summary_df, "topology_summary.csv")
    csv(reach_tier, "reachability_by_tier.csv")
    csv(reach.to_frame(), "reachability.csv", index=True)
    csv(surv_tier, "survivability_by_tier.csv")
    csv(surv.carrier_failures, "carrier_failures.csv")
    csv(surv.bridges, "bridges.csv")
    csv(surv.articulation_points, "spofs.csv")  # ranked by the sites cut off from any target

    pics: list[tuple[str, str]] = []
    if pictures:
        if progress:
            progress("drawing the extranet")
        drawn, pics = draw_topology_pictures(scenario, topology, surv, out_dir, lang=lang)
        files += drawn

    args = (scenario, topology, summary_df, reach, reach_tier, surv, surv_tier, pics)
    (sub / "survivability.md").write_text(_markdown(*args, prefix=""), encoding="utf-8")
    files.append("topology/survivability.md")
    return ReportSection("Topology", _markdown(*args, prefix="topology/"), files)


def draw_topology_pictures(scenario: Scenario, topology: Topology, surv: SurvivabilityResult,
                           out_dir: Path, *, lang: str = "zh"
                           ) -> tuple[list[str], list[tuple[str, str]]]:
    """Draw the extranet pictures into ``out_dir/topology`` (PNG and SVG each).

    The overview, one view per carrier down (its links grey, the nodes it cuts off red) and,
    for one city, a detail per county (its towns). Returns the files written (relative to
    ``out_dir``) and the (caption, PNG path) pairs for the Markdown page.
    """
    from netplan.plot import plot_county, plot_extranet, save_figure

    sub = Path(out_dir) / "topology"
    sub.mkdir(parents=True, exist_ok=True)
    files: list[str] = []
    pics: list[tuple[str, str]] = []
    zh = lang == "zh"
    carriers = topology.carriers
    n_cities = int((topology.nodes["kind"] == "city").sum())
    if n_cities > _MANY_CITIES:
        carriers = carriers[:1]

    def picture(ax, stem: str, caption: str) -> None:
        save_figure(ax.figure, sub / stem)
        files.extend([f"topology/{stem}.png", f"topology/{stem}.svg"])
        pics.append((caption, f"topology/{stem}.png"))

    region = scenario.region.name
    picture(plot_extranet(topology, lang=lang,
                          title=f"{region} 电子政务外网" if zh else f"{region} extranet"),
            "topology", "extranet")
    for carrier in carriers:
        hit = surv.affected_by_carrier(carrier)
        title = (f"{region}：{carrier}故障时受影响节点（{len(hit)}个）" if zh else
                 f"{region}: nodes affected when {carrier} is down ({len(hit):,})")
        picture(plot_extranet(topology, highlight=hit, down=carrier, title=title, lang=lang),
                f"topology_{_safe(carrier)}_down", f"carrier {carrier} down")
    if n_cities == 1:  # one city: a detail per county (its towns)
        for county in topology.nodes_of_kind("county"):
            name = topology.nodes.loc[county, "name"]
            picture(plot_county(topology, county, lang=lang), f"county_{_safe(name)}",
                    f"county {name}")
    return files, pics


def picture_markdown(pics: list[tuple[str, str]]) -> str:
    """Markdown image lines for (caption, path) pairs."""
    return "\n".join(f"![{markdown_text(caption)}]({path})\n" for caption, path in pics)


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text)


def _markdown(scenario, topology, summary_df, reach, reach_tier, surv, surv_tier, pics, *,
              prefix: str) -> str:
    md = markdown_text  # names from the inputs: inert in Markdown
    root = topology.root.replace("`", "'")  # in a code span: only a backquote could end it
    lines = [
        f"## Topology — {md(scenario.region.name)}",
        "",
        f"{topology.n_nodes:,} nodes, {topology.n_links:,} links, carriers: "
        f"{md(', '.join(topology.carriers))}. Root (province backbone): `{root}`.",
        "",
        "### Nodes and links per tier",
        "",
        markdown_table(summary_df),
        "",
        "### Reachability (departments and villages)",
        "",
        f"{md(reach)}. Verdict: **{'PASS' if reach.all_reach else 'FAIL'}** — "
        + ("every department and village reaches the cloud node, the exchange platform and the "
           "province backbone." if reach.all_reach else
           f"{len(reach.unreachable())} nodes miss a target (see reachability.csv)."),
        "",
        markdown_table(reach_tier),
        "",
        "### Survivability",
        "",
        "One carrier down at a time (nodes losing at least one of cloud / platform / province):",
        "",
    ]
    for carrier in topology.carriers:
        tiers = surv.tiers_hit_by(carrier)
        n = len(surv.affected_by_carrier(carrier))
        lines.append(f"- **{md(carrier)}** down: {n:,} nodes cut off; tiers hit: "
                     f"{', '.join(tiers) if tiers else 'none'}")
    lines += [
        "",
        markdown_table(surv_tier),
        "",
        f"Single links whose loss cuts nodes off (bridges): {len(surv.bridges):,}; "
        f"single points of failure (articulation points): {len(surv.articulation_points):,}.",
        "",
        "Largest single points of failure, ranked by the sites (departments and village "
        "offices) each one's failure cuts off from the cloud, the platform or the province "
        f"(`sites_cut_off_any`); `nodes_cut_off` counts the nodes that lose the root "
        f"`{root}`:",
        "",
        markdown_table(surv.articulation_points, max_rows=10),
        "",
    ]
    for caption, path in pics:
        lines += [f"![{md(caption)}]({prefix}{Path(path).name})", ""]
    return "\n".join(lines)
