"""``report.html``: the one self-contained page a bureau puts in front of its leaders.

The page opens with the verdicts (one line each, in words a bureau reads), then the worst
findings (what each means and what to do), then one section per stage with its key tables
(the first rows, the rest in the CSV files beside it) and pictures (embedded as base64 PNG),
the policy timeline and the quarterly report when the run has them, and the run's times,
scenario file, version and warnings. It needs no network: CSS is inline, pictures are data
URIs, and the Chinese glyphs it uses are embedded from the bundled Noto Sans CJK SC font
(subset to the page's characters) when fontTools is available. Every value from the inputs
is escaped (Jinja2 autoescape).

Chinese (``lang="zh"``, the default) or English (``"en"``): headings, labels, column headers
and sentences come from :mod:`netplan.report.i18n`; the algorithms' English free text
(reasons, details, explanations) is left out of the Chinese page (it is in the CSV files and
``index.md``).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import math
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from netplan.report import i18n
from netplan.report._staging import METADATA_FILE
from netplan.report.findings import Finding, findings, place_name

__all__ = ["write_html_report", "render_html", "TEMPLATE_GLOB"]

#: Package data the page needs (for setup.cfg).
TEMPLATE_GLOB = "report/templates/*.j2"
#: Rows of a table shown on the page (the rest are in its CSV).
MAX_ROWS = 20
#: Pictures wider than this (pixels) are scaled down to it.
MAX_PICTURE_PX = 1800
#: Columns of free English text from the algorithms, left out of the Chinese page.
_FREE_TEXT = ("reason", "detail", "worst", "reason_before", "reason_after")
#: Columns whose values are words to translate.
_WORD_COLUMNS = ("tier", "kind", "status", "verdict", "rule", "state", "case", "measure",
                 "disposition", "action", "resource", "before", "after", "stage", "milestone",
                 "cuts_off", "destinations")
#: Integer columns shown without thousands separators (years, weeks, ids).
_PLAIN_INT = ("year", "plan_year", "week", "start_week", "cutover_week", "link_id", "group")
#: Severity -> badge label key.
_BADGE = {"ok": "ok", "fail": "fail", "incomplete": "incomplete_badge", "warning": "warning",
          "info": "info", "critical": "critical"}
#: Picture captions by file name (a name not listed is captioned by itself).
_CAPTIONS = {
    "topology.png": ("电子政务外网拓扑", "The extranet"),
    "gantt.png": ("迁移排期（甘特图）", "Migration schedule (Gantt chart)"),
    "load.png": ("每周资源占用", "Weekly load"),
    "utilisation.png": ("各类线路最高利用率（升级前后）", "Worst utilisation per link class, "
                        "before and after"),
    "extranet_before.png": ("升级前违反规则的站点", "Sites breaking a rule before the upgrades"),
    "extranet_after.png": ("升级后仍违反规则的站点", "Sites still breaking a rule after them"),
    "cloud.png": ("政务云资源占用与利用率", "Cloud occupancy and utilisation"),
    "validation.png": ("互联互通验证结论", "Interconnect validation"),
}


def write_html_report(results, out_dir: Path, *, lang: str = "zh") -> Path:
    """Write ``out_dir/report.html`` (atomically) and return its path.

    Parameters
    ----------
    results : RunResults
        What the run computed; its pictures are read from ``out_dir``.
    out_dir : Path
        The run's output folder.
    lang : {"zh", "en"}
        Language of the page.

    Returns
    -------
    Path

    Raises
    ------
    NetplanError
        ``lang`` is not a report language.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.report.run_results import RunResults, StageRecord
    >>> from netplan.topology import build_topology, reachability
    >>> s = tiny_scenario()
    >>> t = build_topology(s)
    >>> rr = RunResults(s, topology=t, reach=reachability(t),
    ...                 stages=[StageRecord("topology", "done")])
    >>> path = write_html_report(rr, Path(tempfile.mkdtemp()), lang="en")
    >>> path.name, "Connectivity: every department" in path.read_text(encoding="utf-8")
    ('report.html', True)
    """
    i18n.check_language(lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    text = render_html(results, out_dir, lang=lang)
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html.tmp", dir=out_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a report is for reading
        path = out_dir / "report.html"
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def render_html(results, out_dir: Path, *, lang: str = "zh", embed_font: bool = True) -> str:
    """The page as a string (see :func:`write_html_report`).

    Parameters
    ----------
    results : RunResults
    out_dir : Path
        Where the run's pictures are.
    lang : {"zh", "en"}
    embed_font : bool
        Embed the bundled CJK font, subset to the page's characters (needs fontTools).

    Returns
    -------
    str
    """
    import jinja2

    i18n.check_language(lang)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    template = env.get_template("report.html.j2")
    ctx = _context(results, Path(out_dir), lang)
    page = template.render(**ctx, font_css="")
    if embed_font:
        css = _font_css(page)
        if css:
            page = template.render(**ctx, font_css=css)
    return page


# --------------------------------------------------------------------------- context


def _context(results, out_dir: Path, lang: str) -> dict:
    from netplan import __version__

    def t(key: str, **kw) -> str:
        return i18n.label(key, lang, **kw)

    all_found = findings(results)
    verdicts = [_item(f, lang) for f in all_found if f.is_verdict]
    worst = [_item(f, lang) for f in all_found if not f.is_verdict]
    failed = [{"stage": t(f"stage.{s.name}"), "error": s.error or ""}
              for s in results.stages if s.status == "failed"]
    sections = [_topology_section(results, out_dir, lang),
                _migration_section(results, out_dir, lang),
                _capacity_section(results, out_dir, lang),
                _simulation_section(results, out_dir, lang)]
    if results.timeline is not None:
        sections.append(_frame_section("timeline", results.timeline.to_frame(), lang,
                                       "timeline.table", "timeline.csv"))
    if results.quarterly is not None:
        sections.append(_frame_section("quarterly", results.quarterly.to_frame(), lang,
                                       "quarterly.table", "quarterly.csv"))
    s = results.scenario
    return {
        "lang": lang, "html_lang": "zh-CN" if lang == "zh" else "en", "t": t,
        "title": f"{s.region.name} {t('title')}", "scenario_name": s.name,
        "description": s.description or "", "verdicts": verdicts, "worst": worst,
        "failed": failed, "complete": results.complete,
        "sections": [x for x in sections if x is not None],
        "timings": _table(_timings(results, lang), lang, max_rows=50),
        # the file's name, not its path: the page is the same from any working directory
        "source": Path(results.source).name if results.source else "", "version": __version__,
        "metadata_file": METADATA_FILE,
        "warnings": [str(w) for w in results.warnings],
    }


def _timings(results, lang: str) -> pd.DataFrame:
    df = results.timings_frame().drop(columns="seconds")  # seconds: run-metadata.json
    return df.assign(stage=[i18n.label(f"stage.{x}", lang) for x in df["stage"]])


def _item(f: Finding, lang: str) -> dict:
    return {"severity": f.severity, "badge": i18n.label(_BADGE[f.severity], lang),
            "text": i18n.sentence(f, lang)}


def _stage_note(results, name: str, lang: str) -> str:
    rec = results.stage(name)
    if rec is None:
        return i18n.label("stage_not_run", lang)
    if rec.status == "skipped":
        return i18n.label("stage_skipped", lang) + (rec.error or "")
    if rec.status == "failed":
        return i18n.label("stage_failed", lang) + (rec.error or "")
    return ""


def _section(results, name: str, lang: str) -> dict:
    return {"id": name, "title": i18n.label(f"stage.{name}", lang),
            "note": _stage_note(results, name, lang), "blocks": []}


def _add_table(sec: dict, heading: str, df, lang: str, csv: str | None = None, *,
               max_rows: int = MAX_ROWS, places: tuple = (), nodes=None) -> None:
    """Add a table block; the node ids in columns ``places`` shown as place names."""
    if df is None or not len(df.columns):
        return
    if places and nodes is not None and len(df):
        head = df.head(max_rows).copy()
        for col in places:
            head[col] = [_where_place(nodes, w) for w in head[col]]
        df = pd.concat([head, df.iloc[max_rows:]])
    sec["blocks"].append({"type": "table", "heading": i18n.label(heading, lang),
                          "table": _table(df, lang, csv=csv, max_rows=max_rows)})


def _add_text(sec: dict, text: str) -> None:
    sec["blocks"].append({"type": "text", "text": text})


def _add_pictures(sec: dict, results, out_dir: Path, names: list[str], lang: str) -> None:
    pics = []
    for name in names:
        path = results.picture(out_dir, name)
        if path is None or not path.is_file():
            continue
        data = base64.b64encode(_png_bytes(path)).decode("ascii")
        cap = _CAPTIONS.get(name)
        caption = cap[i18n.LANGUAGES.index(lang)] if cap else _caption(name, lang)
        pics.append({"src": f"data:image/png;base64,{data}", "caption": caption,
                     "name": name})
    if pics:
        sec["blocks"].append({"type": "pictures", "pictures": pics})


def _png_bytes(path: Path) -> bytes:
    """The picture as PNG, at most :data:`MAX_PICTURE_PX` wide, in 128 colours (≈ 5 × smaller).

    The original is kept when Pillow is missing or the result is not smaller.
    """
    raw = path.read_bytes()
    try:
        from PIL import Image
    except ImportError:
        return raw
    with Image.open(io.BytesIO(raw)) as im:
        im = im.convert("RGB")
        w, h = im.size
        if w > MAX_PICTURE_PX:
            im = im.resize((MAX_PICTURE_PX, max(1, round(h * MAX_PICTURE_PX / w))),
                           Image.BILINEAR)
        q = im.quantize(colors=128, method=Image.Quantize.FASTOCTREE,
                        dither=Image.Dither.NONE)
        buf = io.BytesIO()
        q.save(buf, "PNG", compress_level=6)
    out = buf.getvalue()
    return out if len(out) < len(raw) else raw


def _caption(name: str, lang: str) -> str:
    stem = Path(name).stem
    if stem.startswith("topology_") and stem.endswith("_down"):
        carrier = stem[len("topology_"):-len("_down")]
        return f"{carrier}故障时受影响的节点" if lang == "zh" else f"Nodes hit with {carrier} down"
    for suffix, zh, en in (("-utilisation", "线路利用率", "link utilisation"),
                           ("-latency", "请求时延", "request latency")):
        if stem.endswith(suffix):
            case = stem[:-len(suffix)].split("-", 1)[-1]
            case = i18n.case_name(case.replace("-down", " down"), lang)
            return f"{case}：{zh}" if lang == "zh" else f"{case}: {en}"
    return stem


def _files_named(results, folder: str, suffix: str) -> list[str]:
    return [Path(f).name for f in results.files()
            if f.startswith(f"{folder}/") and f.endswith(suffix)]


# --------------------------------------------------------------------------- sections


def _topology_section(results, out_dir: Path, lang: str) -> dict:
    sec = _section(results, "topology", lang)
    topo = results.topology
    if topo is not None:
        carriers = "、".join(topo.carriers) if lang == "zh" else ", ".join(topo.carriers)
        _add_text(sec, f"{topo.n_nodes:,} 个节点、{topo.n_links:,} 条线路；运营商：{carriers}"
                  if lang == "zh" else
                  f"{topo.n_nodes:,} nodes, {topo.n_links:,} links; carriers: {carriers}")
    if results.summary is not None:
        _add_table(sec, "topology.summary", results.summary.to_frame(), lang,
                   "topology/topology_summary.csv")
    if results.reach is not None:
        _add_table(sec, "topology.reach", results.reach.by_tier(), lang,
                   "topology/reachability_by_tier.csv")
    surv = results.surv
    if surv is not None:
        _add_table(sec, "topology.surv", surv.to_frame(), lang,
                   "topology/survivability_by_tier.csv")
        nodes = None if topo is None else topo.nodes
        _add_table(sec, "topology.spofs", surv.articulation_points, lang, "topology/spofs.csv",
                   max_rows=10, places=("node_id",), nodes=nodes)
        _add_table(sec, "topology.bridges", surv.bridges, lang, "topology/bridges.csv",
                   max_rows=10, places=("source", "target"), nodes=nodes)
    _add_pictures(sec, results, out_dir,
                  ["topology.png", *_files_named(results, "topology", "_down.png")], lang)
    return sec


def _migration_section(results, out_dir: Path, lang: str) -> dict:
    sec = _section(results, "migration", lang)
    plan = results.plan
    if plan is None:
        return sec
    s = plan.schedule
    gap = "" if s.gap is None else f"{s.gap:.2%}"
    stop = s.stopped_by or ""
    rows = [{"backend": s.backend, "status": s.status.value, "objective": s.objective,
             "bound": s.bound, "gap": gap, "stopped_by": stop}]  # times: run-metadata.json
    _add_table(sec, "migration.milestones", plan.milestones(), lang, "migration/milestones.csv")
    _add_table(sec, "migration.solver", pd.DataFrame(rows), lang)
    if plan.explanation and lang == "en":
        sec["blocks"].append({"type": "list", "heading": i18n.label("migration.explanation",
                                                                    lang),
                              "items": list(plan.explanation)})
    progress = plan.progress(results.scenario.targets.report_dates)
    _add_table(sec, "migration.progress", progress, lang, "migration/progress.csv")
    sched = plan.to_frame()
    keep = ["name", "department", "tier", "group", "start_date", "cutover_date",
            "duration_weeks", "data_tb"]
    _add_table(sec, "migration.schedule", sched[[c for c in keep if c in sched.columns]], lang,
               "migration/schedule.csv")
    _add_pictures(sec, results, out_dir, ["gantt.png", "load.png"], lang)
    return sec


def _where_place(nodes, where: str) -> str:
    parts = str(where).split(" -- ")
    if len(parts) == 2:
        return f"{place_name(nodes, parts[0])} — {place_name(nodes, parts[1])}"
    return place_name(nodes, parts[0])


def _state_words(topo, state: str, lang: str) -> str:
    """A load state in words; a single line down is named by its ends and carrier."""
    if str(state).startswith("link:"):
        try:
            r = topo.links.iloc[int(str(state).split(":", 1)[1])]
        except (ValueError, IndexError):
            return i18n.state_name(str(state), lang)
        ends = f"{place_name(topo.nodes, r['source'])}—{place_name(topo.nodes, r['target'])}"
        carrier = r["carrier"] or ""
        return (f"{ends} {carrier}线路故障" if lang == "zh" else f"{ends} {carrier} line down")
    return i18n.state_name(str(state), lang)


def _capacity_section(results, out_dir: Path, lang: str) -> dict:
    sec = _section(results, "capacity", lang)
    cp = results.capacity
    if cp is None:
        return sec
    nodes = cp.loads.topology.nodes
    c = cp.compliance
    _add_table(sec, "capacity.checked", c.checked.rename(columns={"target": "required"}), lang,
               "capacity/compliance_checked.csv")
    v = c.violations
    if len(v):
        words = {x: _state_words(cp.loads.topology, x, lang) for x in v["state"].unique()}
        v = v.assign(state=v["state"].map(words))
        by = (v.groupby(["rule", "state"], sort=False)
              .agg(violations=("where", "size"), worst_shortfall=("shortfall", "max"))
              .reset_index().sort_values("violations", ascending=False, kind="stable"))
        _add_table(sec, "capacity.by_rule", by, lang, "capacity/compliance.csv")
        worst = v.sort_values("shortfall", ascending=False, kind="stable")
        _add_table(sec, "capacity.worst", worst, lang, "capacity/compliance.csv",
                   places=("where",), nodes=nodes)
    up = cp.upgrades
    if up is not None:
        rows = [{"status": up.status, "cost": up.cost, "bound": up.bound,
                 "gap_pct": up.gap_pct}]  # wall times are in run-metadata.json
        _add_table(sec, "capacity.solver", pd.DataFrame(rows), lang)
        _add_table(sec, "capacity.cost", up.cost_by_year, lang, "capacity/cost_by_year.csv")
        if len(up.lines):
            g = (up.lines.groupby(["kind", "tier", "year", "new", "to_mbps"])
                 .agg(lines=("link_id", "size"), one_off=("one_off", "sum")).reset_index())
            _add_table(sec, "capacity.lines", g, lang, "capacity/upgrades.csv")
        if len(up.unmet):
            _add_table(sec, "capacity.unmet", up.unmet, lang, "capacity/unmet.csv")
        if up.explanation and lang == "en":
            sec["blocks"].append({"type": "list", "heading": i18n.label("capacity.unmet", lang),
                                  "items": list(up.explanation[:20])})
        if cp.after:
            after = pd.DataFrame([{"year": y, "violations": len(a.violations),
                                   "not_checked": len(a.not_checked)}
                                  for y, a in cp.after.items()])
            _add_table(sec, "capacity.after", after, lang, "capacity/compliance_after.csv")
    if cp.cloud is not None and len(cp.cloud.weekly):
        last = cp.cloud.final()
        rows = []
        for r in ("vcpu", "memory_gb", "storage_tb", "network_mbps"):
            rows.append({"resource": r, "allocated": last.get(f"{r}_allocated"),
                         "capacity": last.get(f"{r}_capacity"),
                         "occupancy_pct": last.get(f"{r}_occupancy_pct"),
                         "utilisation_pct": last.get(f"{r}_utilisation_pct")})
        _add_table(sec, "capacity.cloud", pd.DataFrame(rows), lang, "capacity/cloud_weekly.csv")
        if len(cp.cloud.shrink):
            sh = cp.cloud.shrink
            keep = ["name", "department", "idle_pct", "action",
                    *[f"{r}_{x}" for r in ("vcpu", "memory_gb", "storage_tb")
                      for x in ("allocated", "proposed")]]
            _add_table(sec, "capacity.shrink", sh[[c for c in keep if c in sh.columns]], lang,
                       "capacity/cloud_shrink.csv")
    _add_pictures(sec, results, out_dir, ["utilisation.png", "extranet_before.png",
                                          "extranet_after.png", "cloud.png"], lang)
    return sec


def _simulation_section(results, out_dir: Path, lang: str) -> dict:
    sec = _section(results, "simulation", lang)
    v = results.validation
    if v is None:
        return sec
    drop = ["systems_on_cloud"]
    _add_table(sec, "simulation.verdict", v.verdict().drop(columns=drop), lang,
               "simulation/verdict.csv", max_rows=40)
    fu = v.failing_units()
    if len(fu):
        _add_table(sec, "simulation.failing", fu.drop(columns=drop + ["severity"]), lang,
                   "simulation/failing_units.csv")
    if results.before is not None:
        rows = []
        b, a = results.before.failing_units(), fu
        for case in v.cases:
            rows.append({"case": case,
                         "before": int((b["case"] == case).sum()) if len(b) else 0,
                         "after": int((a["case"] == case).sum()) if len(a) else 0})
        sec["blocks"].append({"type": "table",
                              "heading": i18n.label("simulation.effect", lang),
                              "table": _table(pd.DataFrame(rows), lang,
                                              csv="simulation/upgrade_effect.csv",
                                              words=("case",))})
    if results.cutovers is not None and len(results.cutovers.weeks):
        _add_table(sec, "simulation.cutovers", results.cutovers.weeks, lang,
                   "simulation/cutover_weeks.csv")
    _add_pictures(sec, results, out_dir,
                  ["validation.png", *_files_named(results, "simulation", "-utilisation.png"),
                   *_files_named(results, "simulation", "-latency.png")], lang)
    return sec


def _frame_section(name: str, df: pd.DataFrame, lang: str, heading: str, csv: str) -> dict:
    sec = {"id": name, "title": i18n.label(f"stage.{name}", lang), "note": "", "blocks": []}
    table = _table(df, lang, csv=csv, max_rows=40)
    if "target" in df.columns:  # a policy target's name, not a link's far end
        table["headers"][list(df.columns).index("target")] = i18n.label("policy_target", lang)
    sec["blocks"].append({"type": "table", "heading": i18n.label(heading, lang),
                          "table": table})
    return sec


# --------------------------------------------------------------------------- tables


def _cell(v, col: str, lang: str, words) -> str:
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return i18n.label("yes" if bool(v) else "no", lang)
    if isinstance(v, (float, np.floating)) and math.isnan(v):
        return ""
    if col in words and isinstance(v, str):
        return i18n.value(v, lang)
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if v == v.normalize() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (int, np.integer)):
        return str(int(v)) if col in _PLAIN_INT else f"{int(v):,}"
    if isinstance(v, (float, np.floating)):
        return i18n.number(v, 2)
    return str(v)


def _table(df: pd.DataFrame, lang: str, *, csv: str | None = None, max_rows: int = MAX_ROWS,
           words=_WORD_COLUMNS) -> dict:
    """Headers, formatted rows (the first ``max_rows``) and the note on the rest."""
    if lang == "zh":
        df = df.drop(columns=[c for c in _FREE_TEXT if c in df.columns])
    shown = df.head(max_rows)
    cols = [str(c) for c in shown.columns]
    numeric = [pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(
        shown[c]) for c in shown.columns]
    rows = [[_cell(v, col, lang, words) for v, col in zip(row, cols, strict=True)]
            for row in shown.itertuples(index=False, name=None)]
    more = len(df) - len(shown)
    note = ""
    if more > 0:
        note = (i18n.label("more_rows", lang, n=more, csv=csv) if csv else
                i18n.label("more_rows_nocsv", lang, n=more))
    return {"headers": [i18n.column(c, lang) for c in cols], "numeric": numeric, "rows": rows,
            "more": note}


# --------------------------------------------------------------------------- font


def _font_css(page: str) -> str:
    """An ``@font-face`` with the bundled CJK font subset to the page's characters ("" if none).

    Only characters outside ASCII are kept (Latin text uses the system sans-serif); the
    subset is WOFF (zlib), so no brotli is needed.
    """
    try:
        from fontTools import subset
        from fontTools.ttLib import TTCollection, TTFont
    except ImportError:
        return ""
    from netplan.plot._style import bundled_font_path

    path = bundled_font_path()
    if path is None:
        return ""
    chars = {ch for ch in page if ord(ch) > 0x7E}
    if not chars:
        return ""
    if path.lower().endswith(".ttc"):
        font = TTCollection(path).fonts[0]
    else:
        font = TTFont(path)
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []
    options.name_IDs = [1, 2]
    options.hinting = False
    options.notdef_outline = True
    # no layout tables (plain CJK text needs none; decompiling them is most of the time), and
    # FFTM, which fontTools would log as "not subset"
    options.drop_tables = [*options.drop_tables, "FFTM", "GSUB", "GPOS", "GDEF", "BASE",
                           "JSTF", "kern", "morx"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    buf = io.BytesIO()
    font.flavor = "woff"
    font.recalcTimestamp = False  # keep the font's own date: the same page on every run
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return ('@font-face { font-family: "NetplanCJK"; font-style: normal; font-weight: 400; '
            f'src: url(data:font/woff;base64,{data}) format("woff"); }}')
