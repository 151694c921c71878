"""The words of the HTML report in Chinese and English: labels, column names, sentences.

Sentences are never taken from the algorithms' English summaries: a
:class:`~netplan.report.findings.Finding` carries fields (names, numbers, dates) and this
module composes its sentence from a per-language template, so the Chinese page has no
English sentence in it. Names from the scenario (places, departments, systems) pass through
as they are.

Examples
--------
>>> from netplan.report.findings import Finding
>>> f = Finding("finding.access_short", "warning", {"place": "市数据局",
...     "need_mbps": 260.0, "lines": "2 × 100M", "after": "2 × 1G"})
>>> sentence(f, "zh")
'市数据局的接入带宽不足：需 260 Mbps，现有 2 × 100M；升级方案将其提升为 2 × 1G'
>>> sentence(f, "en")
"市数据局's access is short: 260 Mbps needed on 2 × 100M; the upgrade plan raises it to 2 × 1G"
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable

from netplan.errors import NetplanError

__all__ = ["LANGUAGES", "check_language", "label", "column", "value", "sentence", "mbps_text",
           "number", "case_name", "state_name"]

#: The languages of the report, the default first.
LANGUAGES = ("zh", "en")


def check_language(lang: str) -> str:
    """Return ``lang`` when the report speaks it, else raise a :class:`NetplanError`.

    Examples
    --------
    >>> check_language("en")
    'en'
    """
    if lang not in LANGUAGES:
        raise NetplanError(f"lang={lang!r} is not a report language; choose one of "
                           + ", ".join(repr(x) for x in LANGUAGES))
    return lang


# --------------------------------------------------------------------------- labels

#: Headings, badges and short labels: key -> (zh, en).
LABELS: dict[str, tuple[str, str]] = {
    "title": ("电子政务外网与政务云迁移规划报告", "E-government extranet and cloud migration plan"),
    "verdicts": ("结论", "Verdicts"),
    "findings": ("主要问题与建议", "The worst findings"),
    "no_findings": ("未发现需要处理的问题。", "Nothing needs attention."),
    "details": ("详细结果", "Details"),
    "run_info": ("运行信息", "About this run"),
    "timings": ("各阶段", "Stages"),
    "scenario_file": ("情景文件", "Scenario file"),
    "version": ("netplan 版本", "netplan version"),
    "written": ("生成时间与各阶段用时", "Time written and stage times"),
    "warnings": ("情景警告", "Scenario warnings"),
    "no_warnings": ("无", "none"),
    "incomplete": ("本次运行未完成", "This run is incomplete"),
    "incomplete_stage": ("阶段“{stage}”失败：", "stage “{stage}” failed: "),
    "incomplete_note": ("以下仅列出已完成阶段的结果；失败阶段之后的阶段未运行。",
                        "Only the stages that ran are shown below; the stages after the "
                        "failed one did not run."),
    "stage_skipped": ("本阶段已跳过：", "This stage was skipped: "),
    "stage_failed": ("本阶段失败：", "This stage failed: "),
    "stage_not_run": ("本阶段未运行。", "This stage did not run."),
    "more_rows": ("另有 {n:,} 行见 {csv}", "{n:,} more rows in {csv}"),
    "more_rows_nocsv": ("另有 {n:,} 行未列出", "{n:,} more rows not shown"),
    "ok": ("达标", "PASS"),
    "fail": ("未达标", "FAIL"),
    "incomplete_badge": ("不完整", "INCOMPLETE"),
    "info": ("说明", "NOTE"),
    "critical": ("严重", "SEVERE"),
    "warning": ("需处理", "TO DO"),
    "stage.topology": ("网络拓扑", "Topology"),
    "stage.migration": ("系统迁移上云", "Migration to the cloud"),
    "stage.capacity": ("带宽与容量", "Bandwidth and capacity"),
    "stage.simulation": ("互联互通验证（仿真）", "Interconnect validation (simulation)"),
    "stage.timeline": ("政策时间表", "Policy timeline"),
    "stage.quarterly": ("季度进展报告", "Quarterly progress report"),
    "topology.summary": ("各层级节点与线路", "Nodes and links per tier"),
    "topology.reach": ("可达性（按层级）", "Reachability per tier"),
    "topology.surv": ("生存性（按层级）", "Survivability per tier"),
    "topology.spofs": ("单点故障（articulation points）", "Single points of failure "
                       "(articulation points)"),
    "topology.bridges": ("桥（单条线路故障即断开）", "Bridges (single links whose loss cuts "
                         "nodes off)"),
    "topology.carriers": ("运营商故障影响", "Carrier failures"),
    "migration.milestones": ("迁移节点", "Milestones"),
    "migration.progress": ("季度进展预测", "Quarterly progress projection"),
    "migration.schedule": ("迁移排期", "Schedule"),
    "migration.solver": ("求解器", "Scheduler"),
    "migration.explanation": ("无法按期完成的原因", "Why the milestones cannot be met"),
    "capacity.checked": ("现网达标检查（按规则）", "Compliance of the provisioned network, "
                         "per rule"),
    "capacity.by_rule": ("不达标项（按规则与情形）", "Violations per rule and state"),
    "capacity.worst": ("缺口最大的不达标项", "Largest shortfalls"),
    "capacity.cost": ("升级费用（按年）", "Upgrade cost per year"),
    "capacity.lines": ("升级线路（汇总）", "Lines upgraded (grouped)"),
    "capacity.unmet": ("未满足的要求", "Requirements not met"),
    "capacity.after": ("升级后复核", "Re-checked after the upgrades"),
    "capacity.cloud": ("政务云资源", "Cloud node"),
    "capacity.shrink": ("缩容建议", "Shrink (缩容) proposals"),
    "capacity.solver": ("求解器", "Solver"),
    "simulation.verdict": ("按情形与层级的验证结论", "Verdict per case and tier"),
    "simulation.failing": ("未达服务水平的单位", "Units failing their service levels"),
    "simulation.effect": ("升级前后对比", "Before and after the upgrades"),
    "simulation.cutovers": ("割接窗口", "Cutover windows"),
    "timeline.table": ("政策目标", "Policy targets"),
    "quarterly.table": ("季度指标", "Quarterly measures"),
    "pictures": ("图", "Pictures"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "policy_target": ("政策目标", "target"),
    "what.reach": ("网络连通", "Connectivity"),
    "what.compliance": ("带宽目标", "Bandwidth targets"),
    "what.milestones": ("迁移节点", "Migration milestones"),
    "what.cloud": ("政务云资源利用率", "Cloud utilisation"),
    "what.validation": ("互联互通验证", "Interconnect validation"),
}


def label(key: str, lang: str, **params) -> str:
    """The label ``key`` in ``lang``, formatted with ``params``; unknown keys pass through.

    Examples
    --------
    >>> label("more_rows", "zh", n=1234, csv="loads.csv")
    '另有 1,234 行见 loads.csv'
    """
    pair = LABELS.get(key)
    text = key if pair is None else pair[LANGUAGES.index(lang)]
    return text.format(**params) if params else text


# --------------------------------------------------------------------------- columns

#: Table column names: column -> (zh, en). A column not listed keeps its name.
COLUMNS: dict[str, tuple[str, str]] = {
    "stage": ("阶段", "stage"), "status": ("状态", "status"), "seconds": ("用时（秒）", "seconds"),
    "tier": ("层级", "tier"), "kind": ("类型", "kind"), "nodes": ("节点数", "nodes"),
    "links": ("线路数", "links"),
    "carrier": ("运营商", "carrier"),
    "carriers": ("运营商", "carriers"),
    "node_id": ("节点", "node"), "name": ("名称", "name"), "source": ("起点", "from"),
    "target": ("终点 / 目标", "to / target"), "link_id": ("线路编号", "link"),
    "dual_homed": ("双归属比例", "dual-homed"), "single_homed": ("单归属", "single-homed"),
    "reach_all": ("全部可达", "reach all"), "unreachable": ("不可达", "unreachable"),
    "bridges": ("桥", "bridges"), "spofs": ("单点故障", "SPOFs"),
    "nodes_cut_off": ("断开节点数", "nodes cut off"),
    "sites_cut_off_any": ("断网站点数", "sites cut off"),
    "nodes_behind_spofs": ("单点故障后节点", "nodes behind SPOFs"),
    "max_sites_cut_off_by_spof": ("单点最多断网站点", "most sites cut off by one SPOF"),
    "lost_any": ("失联节点", "nodes losing a target"),
    "milestone": ("节点目标", "milestone"), "date": ("日期", "date"),
    "required": ("要求", "required"), "on_cloud": ("已上云", "on the cloud"),
    "met": ("是否达成", "met"), "slack_weeks": ("提前（周）", "slack (weeks)"),
    "reached_on": ("达成日期", "reached on"), "inventoried": ("清单系统数", "inventoried"),
    "next_target": ("下一目标（系统数）", "next target (systems)"),
    "next_target_due": ("下一目标日期", "next target due"),
    "platform_connected": ("接入共享交换平台", "connected to the platform"),
    "platform_connected_pct": ("接入比例（%）", "connected (%)"),
    "system_id": ("系统编号", "system id"), "department": ("部门", "department"),
    "group": ("迁移组", "move group"), "start_week": ("开始周", "start week"),
    "cutover_week": ("割接周", "cutover week"), "start_date": ("开始日期", "start date"),
    "cutover_date": ("割接日期", "cutover date"), "duration_weeks": ("工期（周）", "weeks"),
    "teams": ("团队", "teams"), "data_tb": ("数据量（TB）", "data (TB)"), "vcpu": ("vCPU", "vCPU"),
    "criticality": ("重要性", "criticality"), "risk": ("风险", "risk"),
    "rule": ("规则", "rule"), "cases": ("检查情形数", "cases checked"),
    "violations": ("不达标项", "violations"), "where": ("位置", "where"),
    "provisioned": ("现有", "provisioned"), "shortfall": ("缺口", "shortfall"),
    "unit": ("单位", "unit"), "state": ("情形", "state"), "year": ("年份", "year"),
    "detail": ("说明", "detail"), "worst_shortfall": ("最大缺口", "worst shortfall"),
    "one_off": ("一次性费用", "one-off"), "yearly": ("新增年租", "added yearly rent"),
    "total": ("合计", "total"), "discounted": ("折现后", "discounted"),
    "new": ("新建线路", "new line"), "from_mbps": ("原带宽（Mbps）", "from (Mbps)"),
    "to_mbps": ("新带宽（Mbps）", "to (Mbps)"), "need_mbps": ("需要（Mbps）", "need (Mbps)"),
    "reason": ("原因", "reason"), "cost_alone": ("单独满足费用", "cost alone"),
    "plan_year": ("规划年份", "plan year"),
    "case": ("情形", "case"), "units": ("单位数", "units"), "checks": ("检查项", "checks"),
    "failed_checks": ("未通过检查", "failed checks"),
    "failed_units": ("未通过单位", "failed units"),
    "verdict": ("结论", "verdict"), "worst": ("最差", "worst"), "county": ("县（区）", "county"),
    "town": ("镇（街道）", "town"), "unit_name": ("单位", "unit"),
    "destinations": ("目的地", "destinations"), "bottleneck": ("瓶颈", "bottleneck"),
    "bottleneck_offered_mbps": ("瓶颈负载（Mbps）", "bottleneck load (Mbps)"),
    "bottleneck_capacity_mbps": ("瓶颈容量（Mbps）", "bottleneck capacity (Mbps)"),
    "capacity_to_pass_mbps": ("达标所需容量（Mbps）", "capacity to pass (Mbps)"),
    "systems_on_cloud": ("上云系统", "systems on the cloud"),
    "before": ("升级前", "before"), "after": ("升级后", "after"),
    "transfers": ("迁移传输数", "transfers"), "gb": ("数据量（GB）", "GB"),
    "last_finish_h": ("最晚完成（小时）", "last finish (h)"),
    "window_h": ("窗口（小时）", "window (h)"),
    "late": ("超时", "late"), "week": ("周", "week"),
    "idle_pct": ("闲置率（%）", "idle (%)"), "action": ("措施", "action"),
    "resource": ("资源", "resource"), "allocated": ("已分配", "allocated"),
    "capacity": ("容量", "capacity"), "utilisation_pct": ("利用率（%）", "utilisation (%)"),
    "occupancy_pct": ("占用率（%）", "occupancy (%)"),
    "due": ("期限", "due"), "planned": ("计划", "planned"), "achieved": ("实际", "achieved"),
    "gap": ("差距", "gap"),
    "measure": ("指标", "measure"),
    "slack_days": ("提前（天）", "slack (days)"),
    "disposition": ("处置", "disposition"), "systems": ("系统数", "systems"),
    "lines": ("线路数", "lines"),
    "divisions": ("行政区划数", "divisions"), "departments": ("部门数", "departments"),
    "uplink": ("上联带宽", "uplink"),
    "objective": ("目标值", "objective"), "bound": ("下界", "bound"),
    "backend": ("算法", "backend"), "stopped_by": ("停止原因", "stopped by"),
    "gap_pct": ("差距（%）", "gap (%)"), "cost": ("费用", "cost"),
    "not_checked": ("未检查项", "not checked"), "offered": ("负载", "offered"),
    "cuts_off": ("断开的目标", "cuts off"),
    "unconfirmed_checks": ("未确认检查", "unconfirmed checks"),
    "confirmed": ("已确认", "confirmed"),
    "measured_s_to_confirm": ("确认所需仿真时长（秒）", "measured s to confirm"),
}


#: Column name patterns: regex -> (zh, en) with ``{0}`` the captured word (a target, carrier).
_COLUMN_PATTERNS: tuple[tuple[str, tuple[str, str]], ...] = (
    (r"lost_(.+)", ("{0}故障失联", "lost with {0} down")),
    (r"(vcpu|memory_gb|storage_tb|network_mbps)_allocated", ("{0}已分配", "{0} allocated")),
    (r"(vcpu|memory_gb|storage_tb|network_mbps)_proposed", ("{0}建议", "{0} proposed")),
    (r"(vcpu|memory_gb|storage_tb|network_mbps)_used", ("{0}已用", "{0} used")),
    (r"(vcpu|memory_gb|storage_tb|network_mbps)_freed", ("{0}释放", "{0} freed")),
    (r"reach_(.+)_pct", ("可达{0}（%）", "reach {0} (%)")),
    (r"max_hops_(.+)", ("至{0}最多跳数", "max hops to {0}")),
    (r"max_latency_ms_(.+)", ("至{0}最大时延（ms）", "max latency to {0} (ms)")),
    (r"sites_cut_off_(.+)", ("与{0}断开站点", "sites cut off from {0}")),
    (r"(.+)_mbps", ("{0}（Mbps）", "{0} (Mbps)")),
    (r"(.+)_pct", ("{0}（%）", "{0} (%)")),
)


def column(name: object, lang: str) -> str:
    """The header of column ``name`` in ``lang`` (its own name when unknown).

    Examples
    --------
    >>> column("shortfall", "zh"), column("lost_电信", "zh"), column("whatever_x", "zh")
    ('缺口', '电信故障失联', 'whatever_x')
    """
    k = LANGUAGES.index(lang)
    pair = COLUMNS.get(str(name))
    if pair is not None:
        return pair[k]
    for pattern, texts in _COLUMN_PATTERNS:
        m = re.fullmatch(pattern, str(name))
        if m:
            word = m.group(1)
            inner = COLUMNS.get(word)
            word = inner[k] if inner else (value(word, lang) if word in VALUES else word)
            return texts[k].format(word)
    return str(name)


# --------------------------------------------------------------------------- values

#: Categorical values shown in tables and sentences: value -> (zh, en).
VALUES: dict[str, tuple[str, str]] = {
    "met": ("已达成", "met"), "missed": ("未达成", "missed"), "at risk": ("有风险", "at risk"),
    "not planned": ("未安排", "not planned"),
    "PASS": ("通过", "PASS"), "FAIL": ("未通过", "FAIL"),
    "pass": ("通过", "pass"), "fail": ("未通过", "fail"),
    "INCONCLUSIVE": ("未能确认", "INCONCLUSIVE"),
    "done": ("完成", "done"), "failed": ("失败", "failed"), "skipped": ("跳过", "skipped"),
    "province": ("省", "province"), "city": ("市", "city"), "county": ("县（区）", "county"),
    "town": ("镇（街道）", "town"), "village": ("村（社区）", "village"),
    "department": ("部门", "department"), "pop": ("运营商接入点", "carrier POP"),
    "cloud": ("政务云", "cloud"), "platform": ("共享交换平台", "exchange platform"),
    "egress": ("互联网出口", "internet egress"), "internet": ("互联网", "internet"),
    "uplink": ("上联", "uplink"), "access": ("接入", "access"),
    "datacenter": ("数据中心", "data centre"), "interconnect": ("互联互通", "interconnect"),
    "normal": ("正常运行", "normal operation"),
    "internet_egress": ("互联网出口带宽", "internet egress bandwidth"),
    "backbone": ("至省骨干带宽", "backbone to the province"),
    "min_carriers": ("运营商数量（2+N）", "carriers (2+N)"),
    "department_access": ("部门接入带宽", "department access bandwidth"),
    "village_coverage": ("村级覆盖", "village coverage"),
    "reachable": ("故障时连通", "reachable when a carrier fails"),
    "utilisation": ("线路负载不超过利用率上限", "line load within its ceiling"),
    "cloud_utilisation": ("政务云资源利用率下限", "cloud utilisation floor"),
    "cloud_ceiling": ("政务云容量上限", "cloud occupancy ceiling"),
    "platform_connected": ("接入共享交换平台比例", "systems connected to the platform"),
    "migrate": ("迁移", "migrate"), "keep": ("保留", "keep"), "retire": ("下线", "retire"),
    "integrate": ("整合", "integrate"), "stay": ("保留", "stay"),
    "revoke": ("回收", "revoke"), "shrink": ("缩容", "shrink"),
    "systems_on_cloud": ("上云系统数", "systems on the cloud"),
    "optimal": ("最优", "optimal"),
    "feasible": ("可行（未证明最优）", "feasible (not proven optimal)"),
    "nothing_to_do": ("无需升级", "nothing to do"),
    "infeasible": ("部分要求无法满足", "infeasible"),
    "over_budget": ("超出预算", "over budget"), "no_solution": ("未找到方案", "no solution"),
    "vcpu": ("vCPU", "vCPU"), "memory_gb": ("内存（GB）", "memory (GB)"),
    "storage_tb": ("存储（TB）", "storage (TB)"),
    "network_mbps": ("网络带宽（Mbps）", "network (Mbps)"),
    "True": ("是", "yes"), "False": ("否", "no"),
}


def value(v: object, lang: str) -> str:
    """A categorical value in ``lang``: known words translated, carrier states named.

    Examples
    --------
    >>> value("at risk", "zh"), value("carrier:电信", "zh"), value("电信 down", "en")
    ('有风险', '电信故障', '电信 down')
    """
    text = str(v)
    pair = VALUES.get(text)
    if pair is not None:
        return pair[LANGUAGES.index(lang)]
    parts = [x.strip() for x in text.split(",")]
    if len(parts) > 1 and all(x in VALUES for x in parts):  # e.g. cuts_off "cloud,platform"
        return ("、" if lang == "zh" else ", ").join(value(x, lang) for x in parts)
    m = re.fullmatch(r"(all|\d+) systems by (\d{4}-\d{2}-\d{2})", text)
    if m:  # a dated target's name, as the migration planner writes it
        n, day = m.groups()
        if lang == "zh":
            return f"{day} 前{'全部' if n == 'all' else f' {n} 个'}系统上云"
        return text
    return state_name(text, lang) if (":" in text or text.endswith(" down")) else text


def state_name(state: str, lang: str) -> str:
    """A load state or failure case in words: ``normal``, ``carrier:电信``, ``link:12``.

    Examples
    --------
    >>> state_name("carrier:联通", "en"), state_name("link:12", "zh")
    ('联通 down', '线路 12 故障')
    """
    if state == "normal":
        return value("normal", lang)
    m = re.fullmatch(r"carrier:(.+)", state) or re.fullmatch(r"(.+) down", state)
    if m:
        return f"{m.group(1)}故障" if lang == "zh" else f"{m.group(1)} down"
    m = re.fullmatch(r"link:(\d+)", state)
    if m:
        return f"线路 {m.group(1)} 故障" if lang == "zh" else f"line {m.group(1)} down"
    return state


case_name = state_name


# --------------------------------------------------------------------------- numbers


def number(x: object, digits: int = 1) -> str:
    """A number for people: thousands separated, at most ``digits`` decimals, no trailing 0.

    Examples
    --------
    >>> number(4597.8675), number(12.0), number(0.25, 2)
    ('4,597.9', '12', '0.25')
    """
    if x is None:
        return ""
    try:
        f = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(f):
        return ""
    if math.isinf(f):
        return "∞"
    text = f"{f:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def mbps_text(mbps: float) -> str:
    """A line capacity as carriers sell it: ``100M``, ``1G``, ``2.5G``.

    Examples
    --------
    >>> mbps_text(100), mbps_text(1000), mbps_text(2500)
    ('100M', '1G', '2.5G')
    """
    return f"{mbps / 1000:g}G" if mbps >= 1000 else f"{mbps:g}M"


def _date(d: object) -> str:
    return d.isoformat() if isinstance(d, dt.date) else str(d)


# --------------------------------------------------------------------------- sentences


def _join(items, lang: str) -> str:
    items = [str(i) for i in items]
    return ("、" if lang == "zh" else ", ").join(items)


def _list_sep(lang: str) -> str:
    return "；" if lang == "zh" else "; "


#: What a violation of each rule is, in words: rule -> (zh, en).
PROBLEMS: dict[str, tuple[str, str]] = {
    "utilisation": ("线路负载超过上限", "lines over their ceiling"),
    "reachable": ("故障时断网", "cut off when a carrier fails"),
    "department_access": ("部门接入带宽不足", "department access short"),
    "internet_egress": ("互联网出口带宽不足", "internet egress short"),
    "backbone": ("至省骨干带宽不足", "backbone short"),
    "min_carriers": ("运营商数量不足", "too few carriers"),
    "village_coverage": ("村级覆盖不足", "villages not covered"),
}


def _rules(counts: dict, lang: str) -> str:
    k = LANGUAGES.index(lang)
    names = {r: PROBLEMS[r][k] if r in PROBLEMS else value(r, lang) for r in counts}
    if lang == "zh":
        return "、".join(f"{names[r]} {n:,} 项" for r, n in counts.items())
    return ", ".join(f"{names[r]} {n:,}" for r, n in counts.items())


def _not_checked(items: list[dict], lang: str) -> str:
    out = []
    for it in items:
        k = it["kind"]
        if k == "single_line_states":
            out.append("单条线路故障情形未计算" if lang == "zh"
                       else "single-line failure states not loaded")
        elif k == "dropping_states":
            out.append(f"{it['n']:,} 个单线路故障情形未按故障利用率上限复核" if lang == "zh" else
                       f"{it['n']:,} single-line failure states not judged against the "
                       "failure ceiling")
        else:
            out.append(str(it.get("text", k)))
    return _join(out, lang)


def _incomplete_tail(p: dict, lang: str) -> str:
    parts = []
    if p.get("not_checked"):
        parts.append(("检查不完整：" if lang == "zh" else "check incomplete: ")
                     + _not_checked(p["not_checked"], lang))
    return ("（" + "；".join(parts) + "）" if lang == "zh" else " (" + "; ".join(parts) + ")"
            ) if parts else ""


def _v_not_run(p, lang):
    stage = label(f"stage.{p['stage']}", lang)
    what = label(f"what.{p['what']}", lang)
    status = p.get("status")
    if lang == "zh":
        how = {"failed": "失败", "skipped": "已跳过"}.get(status, "未运行")
        return f"{what}：未判断（“{stage}”阶段{how}）"
    how = {"failed": "failed", "skipped": "was skipped"}.get(status, "did not run")
    return f"{what}: not judged (the {stage} stage {how})"


def _v_reach(p, lang):
    if p["unreachable"] == 0:
        return ("网络连通：全部部门和村（社区）均可连通政务云、共享交换平台和省骨干网"
                if lang == "zh" else "Connectivity: every department and village office reaches "
                "the cloud, the exchange platform and the province backbone")
    return (f"网络连通：{p['unreachable']:,} 个站点无法连通全部目标" if lang == "zh" else
            f"Connectivity: {p['unreachable']:,} sites miss a destination")


def _v_compliance(p, lang):
    when_zh = "现网（升级前）" if p["which"] == "provisioned" else "实施升级方案后"
    when_en = "Provisioned network" if p["which"] == "provisioned" else "After the upgrade plan"
    years = p.get("years") or []
    yrs = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
    if p["violations"] == 0:
        if lang == "zh":
            head = f"{when_zh}带宽目标全部达标" + (f"（{yrs} 年，正常及各类故障情形）" if yrs
                                                 else "（正常及各类故障情形）")
        else:
            head = (f"{when_en}: every bandwidth target met" +
                    (f" ({yrs}, normal operation and every failure checked)" if yrs else
                     " (normal operation and every failure checked)"))
        return head + _incomplete_tail(p, lang)
    if lang == "zh":
        head = (f"{when_zh}带宽目标未全部达标：{p['violations']:,} 项不达标，涉及 "
                f"{p['places']:,} 处（{_rules(p['by_rule'], lang)}）")
    else:
        head = (f"{when_en}: targets NOT all met, {p['violations']:,} violations at "
                f"{p['places']:,} places ({_rules(p['by_rule'], lang)})")
    return head + _incomplete_tail(p, lang)


def _v_cost(p, lang):
    cur = p["currency"]
    status = p["status"]
    if status == "no_catalogue":
        return ("升级费用：情景未提供线路目录（capacity.catalogue），未生成升级方案" if lang == "zh"
                else "Upgrade cost: no upgrade plan (the scenario has no capacity.catalogue)")
    if status == "nothing_to_do":
        return ("升级费用：无需升级，现网满足全部要求" if lang == "zh"
                else "Upgrade cost: none, the network meets every requirement")
    if status == "no_solution":
        return ("升级费用：未找到升级方案" if lang == "zh"
                else "Upgrade cost: no upgrade plan found")
    per_year = _list_sep(lang).join(
        (f"{y} 年 {number(t)}" if lang == "zh" else f"{y}: {number(t)}")
        for y, t in p["per_year"])
    if lang == "zh":
        text = (f"升级费用：合计 {number(p['total'])} {cur}（折现后 {number(p['discounted'])} "
                f"{cur}）；每年：{per_year}；{p['upgrades']:,} 条线路扩容、{p['new_lines']:,} "
                f"条新建线路；单价为情景文件设定的假设值（capacity.catalogue），非运营商报价")
    else:
        text = (f"Upgrade cost: {number(p['total'])} {cur} in all ({number(p['discounted'])} "
                f"{cur} discounted); per year: {per_year}; {p['upgrades']:,} lines upgraded, "
                f"{p['new_lines']:,} new lines; at the scenario's assumed prices "
                "(capacity.catalogue), not carrier quotes")
    if status == "feasible":
        text += (f"；求解在时间上限内停止，未证明费用最低（差距 {number(p.get('gap_pct'), 2)}%）"
                 if lang == "zh" else
                 f"; the solver stopped at its time limit: not proven least-cost "
                 f"(gap {number(p.get('gap_pct'), 2)}%)")
    elif status == "infeasible":
        text += (f"；另有 {p['unmet']:,} 项要求任何目录选项都无法满足" if lang == "zh" else
                 f"; {p['unmet']:,} requirements no catalogue option can meet")
    elif status == "over_budget":
        text += (f"；受预算 {number(p.get('budget'))} {cur} 限制，{p['unmet']:,} 项要求未满足"
                 if lang == "zh" else f"; within the budget of {number(p.get('budget'))} "
                 f"{cur}, {p['unmet']:,} requirements are left out")
    return text


def _v_milestones(p, lang):
    items = []
    for m in p["milestones"]:
        what = (("全部系统" if m["all"] else f"{m['required']:,} 个系统") if lang == "zh" else
                ("all systems" if m["all"] else f"{m['required']:,} systems"))
        if lang == "zh":
            when = (f"提前 {m['slack_weeks']} 周" if m["met"] and m["slack_weeks"] else
                    "按期" if m["met"] else
                    (f"延迟 {m['late_weeks']} 周" if m.get("late_weeks") is not None
                     else "无法达成"))
            items.append(f"{m['date']} 前{'' if m['all'] else ' '}{what}上云：{when}")
        else:
            when = (f"{m['slack_weeks']} weeks early" if m["met"] and m["slack_weeks"] else
                    "on time" if m["met"] else
                    (f"{m['late_weeks']} weeks late" if m.get("late_weeks") is not None
                     else "never"))
            items.append(f"{what} on the cloud by {m['date']}: {when}")
    sep = _list_sep(lang)
    if p["feasible"]:
        head = ("迁移节点全部按期完成" if lang == "zh" else "Migration milestones all met")
        tail = (f"；最后一个系统于 {p['finish']} 上云" if lang == "zh" and p.get("finish") else
                f"; the last system is on the cloud on {p['finish']}" if p.get("finish") else "")
    else:
        proven = p["proven"]
        head = (("迁移节点无法全部按期完成（已证明）" if proven else
                 "迁移节点未找到全部按期完成的方案（未证明不可能）") if lang == "zh" else
                ("Migration milestones: NOT all met (proven impossible)" if proven else
                 "Migration milestones: no plan found meeting them all (not proven "
                 "impossible)"))
        tail = ((f"；不考虑期限时，最后一个系统于 {p['finish']} 上云" if lang == "zh" else
                 f"; without the deadlines the last system is on the cloud on {p['finish']}")
                if p.get("finish") else "")
    return head + ("：" if lang == "zh" else ": ") + sep.join(items) + tail if items else \
        head + tail


def _v_cloud(p, lang):
    util, floor = p["utilisation_pct"], p["floor_pct"]
    if floor is None:
        return (f"政务云资源利用率：{number(util)}%（情景未设下限）" if lang == "zh" else
                f"Cloud utilisation: {number(util)}% (the scenario sets no floor)")
    if p["met"]:
        return (f"政务云资源利用率：{number(util)}%，达到 {number(floor)}% 的要求" if lang == "zh"
                else f"Cloud utilisation: {number(util)}%, at or above the {number(floor)}% "
                "floor")
    text = (f"政务云资源利用率：{number(util)}%，低于 {number(floor)}% 的要求" if lang == "zh"
            else f"Cloud utilisation: {number(util)}%, BELOW the {number(floor)}% floor")
    if p.get("shrink"):
        after = p["after_shrink_pct"]
        ok = after >= floor
        if lang == "zh":
            text += (f"；对 {p['shrink']} 个系统缩容后为 {number(after)}%，"
                     + ("可达标" if ok else "仍不达标"))
        else:
            text += (f"; shrinking {p['shrink']} systems brings it to {number(after)}%, "
                     + ("which meets it" if ok else "still short"))
    return text


def _v_validation(p, lang):
    net = (("升级后网络" if p["upgraded"] else "现网") if lang == "zh" else
           ("the upgraded network" if p["upgraded"] else "the provisioned network"))
    cases = []
    for c in p["cases"]:
        name = case_name(c["case"], lang)
        n, u = c["failed_units"], c.get("unconfirmed", 0)
        if lang == "zh":
            cases.append(f"{name}未通过（{n:,} 个单位）" if not c["passed"] else
                         f"{name}未能确认（{u:,} 项检查）" if u else f"{name}通过")
        else:
            cases.append(f"{name} FAILED ({n:,} units)" if not c["passed"] else
                         f"{name} inconclusive ({u:,} checks)" if u else f"{name} passed")
    body = ("、" if lang == "zh" else ", ").join(cases)
    unsure = p.get("unconfirmed", 0)
    conf = p.get("confidence")
    if lang == "zh":
        word = ("未全部通过" if not p["passed"] else "未能全部确认" if unsure else "全部通过")
        text = f"互联互通验证（{net}）{word}：{body}"
        if unsure and conf:
            text += f"；{unsure:,} 项检查在 {number(100 * conf)}% 置信度下未能确认，需延长仿真"
        if p.get("censored"):
            text += (f"；{p['censored']:,} 条流在仿真结束时尚未完成，按其界值计入，"
                     "结论不完全确定")
    else:
        word = ("FAILED" if not p["passed"] else "inconclusive" if unsure else "passed")
        text = f"Interconnect validation on {net} {word}: {body}"
        if unsure and conf:
            text += (f"; {unsure:,} checks are not confirmed at {number(100 * conf)}% "
                     "confidence: simulate longer")
        if p.get("censored"):
            text += (f"; {p['censored']:,} flows were still running at the end and count at "
                     "their bounds, so the verdict is not certain")
    return text


def _v_timeline(p, lang):
    counts = p["counts"]
    order = ["met", "at risk", "missed", "not planned"]
    keys = [k for k in order if counts.get(k)] + [k for k in counts if k not in order]
    if lang == "zh":
        return (f"政策时间表：{p['total']:,} 项目标中，"
                + "、".join(f"{value(k, lang)} {counts[k]:,} 项" for k in keys))
    return (f"Policy timeline: of {p['total']:,} targets, "
            + ", ".join(f"{counts[k]:,} {value(k, lang)}" for k in keys))


def _v_cutovers(p, lang):
    if p["late"] == 0:
        return (f"割接窗口：{p['weeks']} 个最繁忙周的全部数据迁移均在窗口内完成" if lang == "zh"
                else f"Cutover windows: every transfer of the {p['weeks']} busiest weeks "
                "finishes in its window")
    return (f"割接窗口：{p['late']:,} 项数据迁移无法在维护窗口内完成" if lang == "zh" else
            f"Cutover windows: {p['late']:,} transfers do not finish in their window")


def _f_access_short(p, lang):
    more = p.get("more", 0)
    if lang == "zh":
        text = f"{p['place']}的接入带宽不足：需 {number(p['need_mbps'], 0)} Mbps，现有 {p['lines']}"
        text += f"；升级方案将其提升为 {p['after']}" if p.get("after") else "；升级方案未解决"
        if more:
            fixed = "，均已纳入升级方案" if p.get("more_fixed") else ""
            text += f"（另有 {more:,} 个部门接入带宽不足{fixed}）"
        return text
    text = (f"{p['place']}'s access is short: {number(p['need_mbps'], 0)} Mbps needed on "
            f"{p['lines']}")
    text += (f"; the upgrade plan raises it to {p['after']}" if p.get("after") else
             "; the upgrade plan does not fix it")
    if more:
        text += (f" ({more:,} more departments are short"
                 + (", all in the upgrade plan)" if p.get("more_fixed") else ")"))
    return text


def _link_state(p, lang):
    link = p.get("state_link")
    if not link:
        return state_name(p["state"], lang)
    what = value(link["kind"], lang)
    if lang == "zh":
        return f"{link['place']}的{link['carrier']}{what}线路故障"
    return f"{link['place']}'s {link['carrier']} {what} line down"


def _f_uplink_short(p, lang):
    tier = value(p["tier"], lang)
    st = _link_state(p, lang)
    if lang == "zh":
        text = (f"{p['count']:,} 处{tier}上联带宽不足，最严重的是{p['place']}的{p['carrier']}上联："
                f"{p['year']} 年{st}时需 {number(p['need_mbps'], 0)} Mbps，现有 {p['lines']}")
        return text + (f"；升级方案将其提升为 {p['after']}" if p.get("after") else
                       "；升级方案未解决")
    text = (f"{p['count']:,} {tier} uplinks are short; the worst, {p['place']}'s {p['carrier']} "
            f"uplink, needs {number(p['need_mbps'], 0)} Mbps in {p['year']} ({st}) on "
            f"{p['lines']}")
    return text + (f"; the upgrade plan raises it to {p['after']}" if p.get("after") else
                   "; the upgrade plan does not fix it")


def _f_trunk_short(p, lang):
    what = value(p["kind"], lang)
    st = state_name(p["state"], lang)
    if lang == "zh":
        return (f"{p['count']:,} 条{what}线路负载超过上限，最严重的是{p['place']}："
                f"{p['year']} 年{st}时需 {number(p['need_mbps'], 0)} Mbps，现有 "
                f"{mbps_text(p['have_mbps'])}" + ("；升级方案已解决" if p.get("fixed") else
                                                   "；升级方案未解决"))
    return (f"{p['count']:,} {what} lines run over their ceiling; the worst, {p['place']}, "
            f"needs {number(p['need_mbps'], 0)} Mbps in {p['year']} ({st}) on "
            f"{mbps_text(p['have_mbps'])}" + ("; the upgrade plan fixes it" if p.get("fixed")
                                              else "; the upgrade plan does not fix it"))


def _f_single_homed(p, lang):
    tiers = p["tiers"]  # list of (tier, count)
    if lang == "zh":
        who = "、".join(f"{n:,} 个{value(t, lang)}{'部门' if p['kind'] == 'department' else ''}"
                       for t, n in tiers)
        text = f"{who}只有一家运营商的线路，该运营商故障时断网"
        if p.get("new_lines"):
            text += f"；升级方案为其中 {p['new_lines']:,} 个新建第二家运营商的接入线路"
        elif p["kind"] == "department":
            text += "；升级方案未解决"
        else:
            text += "；建议按需增加第二条线路"
        return text
    noun = "departments" if p["kind"] == "department" else "offices"
    who = ", ".join(f"{n:,} {value(t, lang)} {noun}" for t, n in tiers)
    text = f"{who} are single-homed (one carrier's lines): that carrier down cuts them off"
    if p.get("new_lines"):
        text += f"; the upgrade plan gives {p['new_lines']:,} of them a second carrier's line"
    elif p["kind"] == "department":
        text += "; the upgrade plan does not fix it"
    else:
        text += "; add a second line where it matters"
    return text


def _f_policy_floor(p, lang):
    rule = value(p["rule"], lang)
    st = state_name(p["state"], lang)
    if lang == "zh":
        return (f"{p['place']}的{rule}不足：{st}时要求 {mbps_text(p['required'])}，现有 "
                f"{mbps_text(p['provisioned'])}" + ("；升级方案已解决" if p.get("fixed") else ""))
    return (f"{p['place']}: {rule} short in {st}: {mbps_text(p['required'])} required, "
            f"{mbps_text(p['provisioned'])} provisioned"
            + ("; the upgrade plan fixes it" if p.get("fixed") else ""))


def _f_violation(p, lang):
    rule = value(p["rule"], lang)
    if lang == "zh":
        return f"{p['count']:,} 项“{rule}”不达标，例如 {p['place']}"
    return f"{p['count']:,} violations of “{rule}”, e.g. {p['place']}"


def _f_cloud_low(p, lang):
    if lang == "zh":
        text = (f"政务云资源利用率偏低：{number(p['utilisation_pct'])}%，要求不低于 "
                f"{number(p['floor_pct'])}%")
        if p.get("shrink"):
            text += (f"；建议对 {p['shrink']} 个系统缩容（其中回收 {p['revoke']} 个），"
                     f"利用率可提升至 {number(p['after_shrink_pct'])}%")
        return text
    text = (f"Cloud utilisation is low: {number(p['utilisation_pct'])}% against a "
            f"{number(p['floor_pct'])}% floor")
    if p.get("shrink"):
        text += (f"; shrink {p['shrink']} systems ({p['revoke']} revoked) to bring it to "
                 f"{number(p['after_shrink_pct'])}%")
    return text


def _f_cloud_expand(p, lang):
    if lang == "zh":
        return (f"政务云需扩容：{value(p['resource'], lang)}占用将超过 "
                f"{number(p['ceiling_pct'])}% 上限，"
                f"需在 {p['by']} 前增加 {number(p['added'])}")
    return (f"The cloud node needs expanding: {value(p['resource'], lang)} goes over the "
            f"{number(p['ceiling_pct'])}% ceiling; add {number(p['added'])} by {p['by']}")


def _f_validation_fail(p, lang):
    tier = value(p["tier"], lang)
    cases = ("、" if lang == "zh" else ", ").join(
        (f"{case_name(c, lang)} {n:,} 个" if lang == "zh" else f"{case_name(c, lang)}: {n:,}")
        for c, n in p["cases"])
    if p.get("cut"):
        if lang == "zh":
            return (f"运营商故障时 {p['units']:,} 个{tier}单位断网（无可用路由；{cases}），例如 "
                    f"{p['example']}；需为其增加另一家运营商的线路")
        return (f"{p['units']:,} {tier} units are cut off when a carrier fails (no route left; "
                f"{cases}), e.g. {p['example']}; give them a second carrier's line")
    need = p.get("need_mbps")
    if lang == "zh":
        text = f"{p['units']:,} 个{tier}单位达不到服务水平（{cases}），例如 {p['example']}"
        if p.get("bottleneck"):
            text += (f"：瓶颈为 {p['bottleneck']}，负载 {number(p['offered_mbps'], 0)} Mbps / "
                     f"容量 {number(p['capacity_mbps'], 0)} Mbps")
            if need:
                text += f"，约需 {number(need, 0)} Mbps 可达标"
        return text
    text = (f"{p['units']:,} {tier} units miss their service levels ({cases}), e.g. "
            f"{p['example']}")
    if p.get("bottleneck"):
        text += (f": bottleneck {p['bottleneck']}, {number(p['offered_mbps'], 0)} Mbps offered "
                 f"to {number(p['capacity_mbps'], 0)} Mbps")
        if need:
            text += f", passes at about {number(need, 0)} Mbps"
    return text


def _f_milestone_missed(p, lang):
    what = (("全部系统" if p["all"] else f"{p['required']:,} 个系统") if lang == "zh" else
            ("all systems" if p["all"] else f"{p['required']:,} systems"))
    if p.get("reached_on"):
        return (f"{p['date']} 前{what}上云的目标无法达成：预计 {p['reached_on']} 达成，"
                f"延迟 {p['late_weeks']} 周；需增加迁移团队或调整期限" if lang == "zh" else
                f"{what} on the cloud by {p['date']} is missed: reached on {p['reached_on']}, "
                f"{p['late_weeks']} weeks late; add migration teams or move the date")
    return (f"{p['date']} 前{what}上云的目标无法达成" if lang == "zh" else
            f"{what} on the cloud by {p['date']} cannot be reached")


def _f_unmet(p, lang):
    if lang == "zh":
        return f"升级方案有 {p['count']:,} 项要求未满足，例如 {p['place']}"
    return f"The upgrade plan leaves {p['count']:,} requirements unmet, e.g. {p['place']}"


def _f_spof(p, lang):
    if lang == "zh":
        return (f"{p['place']}一旦故障，{p['sites']:,} 个站点将断网；建议为其配置冗余")
    return (f"If {p['place']} fails, {p['sites']:,} sites are cut off; give it a redundant "
            "path or equipment")


def _f_carrier_down(p, lang):
    if lang == "zh":
        return f"{p['carrier']}故障时 {p['nodes']:,} 个节点断网"
    return f"With {p['carrier']} down, {p['nodes']:,} nodes are cut off"


def _f_timeline(p, lang):
    st = value(p["status"], lang)
    if lang == "zh":
        text = f"政策目标“{p['target']}”（期限 {p['due']}）{st}"
        if p.get("slack_days") is not None and p["slack_days"] < 0:
            text += f"，延迟 {-p['slack_days']:,} 天"
        return text
    text = f"Policy target “{p['target']}” (due {p['due']}) is {st}"
    if p.get("slack_days") is not None and p["slack_days"] < 0:
        text += f", {-p['slack_days']:,} days late"
    return text


def _f_quarterly(p, lang):
    measure = value(p["measure"], lang)
    if lang == "zh":
        return (f"{p['date']} 季度{measure}落后计划：计划 {number(p['planned'])}，实际 "
                f"{number(p['achieved'])}")
    return (f"{measure} at {p['date']} is behind plan: {number(p['planned'])} planned, "
            f"{number(p['achieved'])} achieved")


_SENTENCES: dict[str, Callable[[dict, str], str]] = {
    "verdict.not_run": _v_not_run,
    "verdict.reach": _v_reach,
    "verdict.compliance": _v_compliance,
    "verdict.cost": _v_cost,
    "verdict.milestones": _v_milestones,
    "verdict.cloud": _v_cloud,
    "verdict.validation": _v_validation,
    "verdict.cutovers": _v_cutovers,
    "verdict.timeline": _v_timeline,
    "finding.access_short": _f_access_short,
    "finding.uplink_short": _f_uplink_short,
    "finding.trunk_short": _f_trunk_short,
    "finding.single_homed": _f_single_homed,
    "finding.policy_floor": _f_policy_floor,
    "finding.violation": _f_violation,
    "finding.cloud_low": _f_cloud_low,
    "finding.cloud_expand": _f_cloud_expand,
    "finding.validation_fail": _f_validation_fail,
    "finding.milestone_missed": _f_milestone_missed,
    "finding.unmet": _f_unmet,
    "finding.spof": _f_spof,
    "finding.carrier_down": _f_carrier_down,
    "finding.timeline": _f_timeline,
    "finding.quarterly": _f_quarterly,
}


def sentence(finding, lang: str) -> str:
    """The sentence of a :class:`~netplan.report.findings.Finding` in ``lang`` (plain text).

    Raises
    ------
    NetplanError
        ``lang`` is not one of :data:`LANGUAGES`, or the finding's kind has no sentence.
    """
    check_language(lang)
    fn = _SENTENCES.get(finding.kind)
    if fn is None:
        raise NetplanError(f"finding kind {finding.kind!r} has no sentence; known: "
                           + ", ".join(sorted(_SENTENCES)))
    return fn(finding.params, lang)
