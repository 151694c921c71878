"""The simulation section of a run's report: validation, link loads, time series, cutovers."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from netplan.report.tables import markdown_table, markdown_text, write_csv
from netplan.report.topology_report import ReportSection

__all__ = ["write_simulation_report", "case_slug"]

#: Trunk kinds whose utilisation time series are written (access lines are summarised only).
_SERIES_KINDS = ("uplink", "interconnect", "datacenter", "egress")


def case_slug(index: int, name: str) -> str:
    """A file-name-safe label of a case: ``00-normal``, ``01-电信-down``.

    Examples
    --------
    >>> case_slug(1, "电信 down / 联通")
    '01-电信-down-联通'
    """
    slug = re.sub(r"[^\w]+", "-", name, flags=re.UNICODE).strip("-") or "case"
    return f"{index:02d}-{slug}"


def write_simulation_report(scenario, validation, out_dir: Path, *, cutovers=None,
                            pictures: bool = True, before=None,
                            lang: str = "zh", network: str | None = None) -> ReportSection:
    """Write the simulation outputs into ``out_dir/simulation``; return the report section.

    Files: ``validation.csv`` (every site × destination × case, with the numbers, service
    levels and verdict), ``verdict.csv`` (per case and tier), ``failing.csv``,
    ``failing_units.csv``, ``worst_paths.csv``; per case ``<case>-links.csv`` (mean and peak
    utilisation per trunk), ``<case>-utilisation.csv`` (time series of the uplink,
    interconnect, data-centre and egress trunks) and ``<case>-events.csv`` (faults and
    recoveries); with a cutover validation ``cutover_weeks.csv`` and
    ``cutover_transfers.csv``; with ``pictures`` per case ``<case>-utilisation.png`` and
    ``<case>-latency.png``, and ``validation.png``.

    Which systems on the cloud loaded the lines (``validation.systems``) is the section's
    first line and the first column of every table.

    With ``before`` (the validation of the provisioned network, when ``validation`` is the
    upgraded network's), the section says so and ``upgrade_effect.csv`` lists every unit that
    fails on either: before, after, and whether the upgrade made it pass. Without it,
    ``network`` (e.g. "the network upgraded by the plan (2020)") says which network was
    simulated.
    """
    sub = Path(out_dir) / "simulation"
    sub.mkdir(parents=True, exist_ok=True)
    files: list[str] = []
    systems = validation.systems

    def csv(df: pd.DataFrame, name: str, index: bool = False) -> None:
        if index:  # the setting goes first, before the index (time_s) too
            df, index = df.reset_index(), False
        if "systems_on_cloud" not in df.columns:
            df = df.copy()
            df.insert(0, "systems_on_cloud", systems)
        elif list(df.columns).index("systems_on_cloud") != 0:
            df = df[["systems_on_cloud", *[c for c in df.columns if c != "systems_on_cloud"]]]
        write_csv(df, sub / name, index=index)
        files.append(f"simulation/{name}")

    verdict = validation.verdict()
    csv(validation.to_frame(), "validation.csv")
    csv(verdict, "verdict.csv")
    csv(validation.failing(), "failing.csv")
    worst = validation.worst_paths()
    csv(worst, "worst_paths.csv")
    pics: list[str] = []
    runs = []
    for i, (case, result) in enumerate(validation.results.items()):
        slug = case_slug(i, case)
        csv(result.link_utilisation(), f"{slug}-links.csv")
        keep = result.trunks["kind"].isin(_SERIES_KINDS).to_numpy()
        series = result.utilisation.loc[:, keep].copy()
        labels = result.trunks.loc[keep]
        series.columns = [f"{s} -- {t}" for s, t in zip(labels["source"], labels["target"],
                                                         strict=True)]
        csv(series, f"{slug}-utilisation.csv", index=True)
        csv(result.events, f"{slug}-events.csv")
        st = result.stats
        runs.append({"systems_on_cloud": systems, "case": case, "flows": st["flows"],
                     "measured": st["measured"],
                     "measured_s": round(st["measured_to_s"] - st["measured_from_s"], 1),
                     "probe_mbps": round(st.get("probe_mbps", 0.0), 1),
                     # no wall time: the page is the same on every run (times: run-metadata.json)
                     "simulated_s": round(st["simulated_s"], 1)})
        if pictures:
            pics += _pictures(result, sub, slug, lang)
    if pictures:
        pics += _save(sub, "validation.png", "plot_validation", validation, lang)
    files += [f"simulation/{p}" for p in pics]

    lines = [f"## Simulation — {markdown_text(scenario.name)} · systems on the cloud: "
             f"{markdown_text(systems)}", "",
             f"**Systems on the cloud: {markdown_text(systems)}** (`simulation.systems_on_cloud`, "
             "`--systems today|planned|YYYY-MM-DD`): their traffic loads their departments' "
             "lines in every case and table below.", "",
             "Flow-level simulation of the busy hour: every department and village office sends "
             "bulk flows, platform sync jobs and interactive requests to the cloud node, the "
             "exchange platform, the province backbone and the internet; links share their "
             "capacity max-min fairly, each direction of a line with its full capacity "
             "(full duplex). Each failure case is simulated separately and every "
             "site is checked against its tier's service levels (纵向省市县、横向各部门). "
             "Flows still running at the end count at their bounds (FCT and latency at "
             "least, throughput at most what the run saw), and more than "
             f"{scenario.simulation.max_unfinished_pct:g}% of a unit's flows still running "
             "and already past the service level fails it. A failing unit names its "
             "bottleneck (the busiest link direction on its routes against the capacity in "
             "force) and the capacity at which it would "
             "pass (M/G/1 processor-sharing estimate).", "",
             f"Each verdict must hold at {validation.confidence:.0%} one-sided confidence "
             "(t bound on the mean throughput; chi-square bound on the exponential latency "
             "excess for p95/p99; Clopper–Pearson on the share of requests over the level for "
             "failures): a check that does not is *unconfirmed* and its tier is INCONCLUSIVE, "
             f"not PASS ({validation.unconfirmed} unconfirmed checks). Every case is simulated "
             "for a pilot first and again, longer, only when an unconfirmed verdict needs it "
             "(`measured_s`); units whose busy-hour rates give too few samples send probe "
             "requests and transfers (their load, `probe_mbps`, is simulated too).", "",
             markdown_table(pd.DataFrame(runs)), "", "### Verdict per tier", "",
             markdown_table(verdict), ""]
    failing = validation.failing_units()
    csv(failing, "failing_units.csv")
    if len(failing):
        lines += ["### What fails", ""]
        for case, g in failing.groupby("case", sort=False):
            by_tier = g.groupby("tier", sort=False).size()
            cut = g["reason"].str.startswith("cut off").sum()
            lines.append(f"- **{markdown_text(case)}**: {len(g)} units fail ("
                         + ", ".join(f"{t} {n}" for t, n in by_tier.items())
                         + f"); {cut} of them are cut off (no surviving route).")
        lines += ["", markdown_table(failing[["systems_on_cloud", "case", "tier", "county",
                                              "unit_name", "destinations", "reason",
                                              "bottleneck", "bottleneck_offered_mbps",
                                              "bottleneck_capacity_mbps",
                                              "capacity_to_pass_mbps"]].round(1),
                                     max_rows=30), ""]
    if network is not None and before is None:  # which network these verdicts are of
        lines[2:2] = [f"**Simulated on {network}.**"
                      + (" `--compare-provisioned` also simulates the provisioned network."
                         if "upgraded" in network else ""), ""]
    if before is not None:
        effect = _upgrade_effect(before, validation)
        csv(effect, "upgrade_effect.csv")
        fixed = effect[(effect["before"] == "fail") & (effect["after"] == "pass")]
        still = effect[effect["after"] == "fail"]
        lines[2:2] = ["**Simulated on the network upgraded by the capacity plan** (see the "
                      "capacity section); the provisioned network was simulated too, with the "
                      "same seed.", "",
                      f"The upgrade makes {len(fixed)} failing (case, unit) pairs pass; "
                      f"{len(still)} still fail after it (`simulation/upgrade_effect.csv`).",
                      ""]
        if len(effect):
            lines += ["### Before and after the upgrades", "",
                      markdown_table(effect, max_rows=40), ""]
    lines += ["### Worst paths", "", markdown_table(worst, max_rows=20), ""]
    if cutovers is not None:
        csv(cutovers.weeks, "cutover_weeks.csv")
        csv(cutovers.transfers, "cutover_transfers.csv")
        lines += ["### Cutover windows", "",
                  "The weeks with the most cutover data, simulated in their maintenance window "
                  "alongside off-peak traffic: does every transfer finish in the window?", "",
                  markdown_table(cutovers.weeks.assign(systems_on_cloud=systems)[
                      ["systems_on_cloud", *cutovers.weeks.columns]])
                  if len(cutovers.weeks) else
                  "No cutover transfers in the plan.", ""]
    for pic in pics:
        if pic.endswith(".png"):
            lines += [f"![{pic}](simulation/{pic})", ""]
    return ReportSection("Simulation", "\n".join(lines), files)


def _upgrade_effect(before, after) -> pd.DataFrame:
    """Per (case, unit) failing before or after: its verdict on each network."""
    cols = ["case", "tier", "county", "unit_name"]
    b = before.failing_units()[cols + ["reason"]].assign(before="fail")
    a = after.failing_units()[cols + ["reason"]].assign(after="fail")
    both = b.merge(a, on=cols, how="outer", suffixes=("_before", "_after"))
    both["before"] = both["before"].fillna("pass")
    both["after"] = both["after"].fillna("pass")
    return both.sort_values(["after", "case", "tier"], kind="stable").reset_index(drop=True)


def _pictures(result, sub: Path, slug: str, lang: str = "zh") -> list[str]:
    out = _save(sub, f"{slug}-utilisation.png", "plot_link_utilisation", result, lang)
    out += _save(sub, f"{slug}-latency.png", "plot_request_latency", result, lang)
    return out


def _save(sub: Path, name: str, function: str, obj, lang: str = "zh") -> list[str]:
    """Draw ``function(obj)``; write it as PNG and SVG; return both names."""
    from netplan.plot import save_figure
    from netplan.plot import simulation as plots

    fig = getattr(plots, function)(obj, lang=lang)
    fig = getattr(fig, "figure", fig)
    save_figure(fig, sub / Path(name).stem)
    return [name, str(Path(name).with_suffix(".svg"))]
