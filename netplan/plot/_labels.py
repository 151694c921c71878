"""The words netplan's figures are labelled with, in Chinese (``"zh"``) and English (``"en"``).

Every plot function takes ``lang`` and looks its titles, axis labels and legend entries up
here with :func:`label`. Names that come from the scenario (places, units, carriers, systems,
failure cases) are never translated: they are drawn as the scenario spells them.
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "LABELS", "check_lang", "label", "tier_name"]

#: The languages a figure can be labelled in.
LANGUAGES = ("zh", "en")

#: ``key -> (zh, en)``; the texts may hold ``str.format`` fields.
LABELS: dict[str, tuple[str, str]] = {
    # tiers
    "tier.national": ("国家骨干", "national backbone"),
    "tier.province": ("省级骨干", "province backbone"),
    "tier.city": ("市级", "city"),
    "tier.county": ("县级", "county"),
    "tier.town": ("镇级", "town"),
    "tier.village": ("村级", "village"),
    # simulation
    "sim.fault_span": ("故障至恢复", "fault to recovery"),
    "sim.fault.carrier": ("{name} 中断", "{name} down"),
    "sim.fault.link": ("链路 {name} 中断", "link {name} down"),
    "sim.normal": ("正常运行", "normal operation"),
    "sim.time_s": ("时间（秒）", "time (s)"),
    "sim.utilisation_pct": ("利用率（%）", "utilisation (%)"),
    "sim.capacity": ("100% 容量", "100% capacity"),
    "sim.util_title": ("链路利用率{case}", "Link utilisation{case}"),
    "sim.util_title_top": ("链路利用率{case}：最忙的 {n} 条（按 {rank}）与其余 {rest} 条的分布",
                           "Link utilisation{case}: the {n} busiest (by {rank}) and the other "
                           "{rest}"),
    "sim.rank.p95": ("p95", "p95"),
    "sim.rank.peak": ("峰值", "peak"),
    "sim.rank.mean": ("平均", "mean"),
    "sim.band_median": ("其余 {n} 条：中位数", "other {n}: median"),
    "sim.band_p90": ("其余 {n} 条：p90", "other {n}: p90"),
    "sim.band_max": ("其余 {n} 条：最大", "other {n}: max"),
    "sim.band_p50_p90": ("其余 {n} 条：中位数至 p90", "other {n}: median to p90"),
    "sim.hist_x": ("链路数", "trunks"),
    "sim.hist_title": ("全部链路按{rank}利用率", "All trunks by {rank} utilisation"),
    "sim.tier": ("层级", "tier"),
    "sim.mean": ("{name} 平均", "{name} mean"),
    "sim.p95": ("{name} p95", "{name} p95"),
    "sim.others": ("其余 {n} 组", "other {n}"),
    "sim.latency_x": ("请求开始时间（秒，{w} 秒窗口）", "request start (s, {w} s windows)"),
    "sim.latency_y": ("请求时延（毫秒）", "request latency (ms)"),
    "sim.latency_title": ("业务请求时延：平均与 p95{case}", "Request latency: mean and p95{case}"),
    "sim.case": ("（{case}）", " ({case})"),
    "sim.failed_share": ("未通过检查占比（%）", "checks failed (%)"),
    "sim.tier_axis": ("层级（标注：未通过/检查数）", "tier (labels: failed/checks)"),
    "sim.validation_title": ("互联互通验证：{p} 项 PASS，{f} 项 FAIL（用例 × 层级）",
                             "Interconnection check: {p} PASS, {f} FAIL (case × tier)"),
    "sim.validation_more": ("，{n} 项 {v}", ", {n} {v}"),
    "sim.cases": ("用例", "case"),
    # migration
    "mig.criticality": ("重要程度 {k}", "criticality {k}"),
    "mig.group": ("同批切换组（依赖环）", "move group (dependency cycle)"),
    "mig.blackout": ("封网期（春节等）", "change freeze (Spring Festival ...)"),
    "mig.milestone": ("{day}：{want} 个系统上云", "{day}: {want} systems on the cloud"),
    "mig.milestone_all": ("{day}：全部 {want} 个系统上云",
                          "{day}: all {want} systems on the cloud"),
    "mig.weeks_from": ("周（自 {start} 起）", "weeks (from {start})"),
    "mig.title": ("迁移计划{relaxed}：{n} 个系统，{d} 个部门",
                  "Migration plan{relaxed}: {n} systems, {d} departments"),
    "mig.title_some": ("迁移计划{relaxed}：{n} 个系统，{d} 个部门（共 {total} 个部门中系统最多的）",
                       "Migration plan{relaxed}: {n} systems, {d} departments (of {total}, "
                       "those with the most systems)"),
    "mig.relaxed": ("（时间目标无法满足：不含时间目标的计划）",
                    " (the dated targets cannot be met: the plan without them)"),
    "mig.teams_capacity": ("可用团队", "teams available"),
    "mig.teams_used": ("在迁团队", "teams migrating"),
    "mig.teams": ("团队", "teams"),
    "mig.load_title": ("每周资源占用", "Weekly resource use"),
    "mig.cloud_share": ("云 {name} 占用率", "cloud {name} occupancy"),
    "mig.floor": ("利用率目标 {v}%", "utilisation target {v}%"),
    # capacity
    "cap.vcpu": ("vCPU", "vCPU"),
    "cap.memory_gb": ("内存", "memory"),
    "cap.storage_tb": ("存储", "storage"),
    "cap.network_mbps": ("网络", "network"),
    "cap.occupancy": ("占用率（已分配 / 容量）", "occupancy (allocated / capacity)"),
    "cap.utilisation": ("利用率（已使用 / 已分配）", "utilisation (used / allocated)"),
    "cap.occupancy_of": ("{name} 占用率", "{name} occupancy"),
    "cap.utilisation_of": ("{name} 利用率", "{name} utilisation"),
    "cap.ceiling": ("扩容阈值 {v}%", "expansion ceiling {v}%"),
    "cap.floor": ("利用率目标 {v}%", "utilisation target {v}%"),
    "cap.after_shrink": ("缩容后利用率 {v}%", "utilisation after shrinking {v}%"),
    "cap.week0": ("周（第 0 周截至 {d}）", "week (week 0 ends {d})"),
    "cap.today": ("现状", "today"),
    "cap.cloud_title": ("{node}：资源占用率与利用率", "{node}: occupancy and utilisation"),
    "cap.before": ("升级前", "before the upgrades"),
    "cap.after": ("升级后", "after the upgrades"),
    "cap.worst_pct": ("最高利用率（%）", "worst utilisation (%)"),
    "cap.tier_title": ("各层链路最高利用率（所有故障状态、规划年）",
                       "Worst link utilisation per tier (every failure state and plan year)"),
    "cap.limit": ("100% 容量", "100% capacity"),
    "cap.kind.uplink": ("上联", "uplink"),
    "cap.kind.access": ("接入", "access"),
    "cap.kind.egress": ("互联网出口", "internet egress"),
    "cap.kind.datacenter": ("数据中心", "data centre"),
    "cap.kind.interconnect": ("互联", "interconnect"),
    # topology
    "topo.title": ("{place}电子政务外网拓扑", "{place} e-government extranet"),
    "topo.title_county": ("{place}电子政务外网拓扑（{county}）",
                          "{place} e-government extranet: {county}"),
    "topo.affected": ("（红色：受影响节点）", " (red: affected sites)"),
    "topo.down_title": ("（{carriers}中断）", " ({carriers} down)"),
    "topo.summary_row": ("汇总", "totals"),
    "topo.core_row": ("市级核心", "city core"),
    "topo.below.1": ("市县镇村 · 部门", "cities ...,\ndepts"),
    "topo.below.1d": ("市县镇村部门", "cities ...,\ndepts"),
    "topo.below.4": ("村 · 部门", "villages,\ndepts"),
    "topo.below.3": ("镇村 · 部门", "towns,\nvillages,\ndepts"),
    "topo.below.2": ("县镇村 · 部门", "counties,\ntowns,\nvillages,\ndepts"),
    "topo.below.4d": ("村 · 部门", "villages,\ndepts"),
    "topo.below.3d": ("镇村部门", "towns,\nvillages,\ndepts"),
    "topo.below.2d": ("县镇村部门", "counties,\ntowns,\nvillages,\ndepts"),
    "topo.core": ("{name}城域网核心", "{name} metro core"),
    "topo.national_box": ("国家电子政务外网骨干", "national e-government backbone"),
    "topo.province_box": ("{name}　省级骨干网", "{name} province backbone"),
    "topo.pop": ("运营商接入点（POP）", "carrier point of presence (POP)"),
    "topo.egress": ("互联网出口", "internet egress"),
    "topo.cloud": ("政务云节点", "government cloud"),
    "topo.platform": ("共享交换平台", "data exchange platform"),
    "topo.departments": ("部门（每级汇总）", "departments (per division)"),
    "topo.agg.4": ("村（每镇汇总）", "villages (per town)"),
    "topo.agg.3": ("镇·村（每县汇总）", "towns · villages (per county)"),
    "topo.agg.2": ("县·镇·村（每市汇总）", "counties · towns · villages (per city)"),
    "topo.agg.1": ("市·县·镇·村（每省汇总）",
                   "cities · counties · towns · villages (per province)"),
    "topo.agg.1d": ("市·县·镇·村·部门（每省汇总）",
                    "cities · counties · towns · villages · depts (per province)"),
    "topo.agg.3d": ("镇·村·部门（每县汇总）", "towns · villages · depts (per county)"),
    "topo.agg.2d": ("县·镇·村·部门（每市汇总）",
                    "counties · towns · villages · depts (per city)"),
    "topo.parallel": ("{n}条并行链路", "{n} parallel links"),
    "topo.parallel_1": ("1条链路", "1 link"),
    "topo.dedicated": ("数据中心专线", "data-centre line"),
    "topo.down": ("{carrier} (中断)", "{carrier} (down)"),
    "topo.hit": ("受影响（标注 受影响数/总数）", "affected (labels: affected/total)"),
    "topo.dept_count": ("部门×{n}", "{n} depts"),
    "topo.dept_hit": ("{a}/{n}部门", "{a}/{n} depts"),
    "topo.unit.city": ("{n}市", "{n} cities"),
    "topo.unit_hit.city": ("{a}/{n}市", "{a}/{n} cities"),
    "topo.unit.county": ("{n}县", "{n} counties"),
    "topo.unit.town": ("{n}镇", "{n} towns"),
    "topo.unit.village": ("{n}村", "{n} villages"),
    "topo.unit_hit.county": ("{a}/{n}县", "{a}/{n} counties"),
    "topo.unit_hit.town": ("{a}/{n}镇", "{a}/{n} towns"),
    "topo.unit_hit.village": ("{a}/{n}村", "{a}/{n} villages"),
    "topo.all_country": ("全国", "China"),
}


def check_lang(lang: str) -> str:
    """Return ``lang`` when it is one of :data:`LANGUAGES`; raise ``ValueError`` otherwise.

    Examples
    --------
    >>> check_lang("en")
    'en'
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang={lang!r}: figures are labelled in {' or '.join(LANGUAGES)}")
    return lang


def label(key: str, lang: str = "zh", **fields) -> str:
    """The text of ``key`` in ``lang``, with ``fields`` filled in.

    Parameters
    ----------
    key : str
        A key of :data:`LABELS`, e.g. ``"mig.criticality"``.
    lang : str
        ``"zh"`` or ``"en"``.
    **fields
        Values of the text's ``str.format`` fields.

    Returns
    -------
    str

    Examples
    --------
    >>> label("mig.criticality", "zh", k=3), label("mig.criticality", "en", k=3)
    ('重要程度 3', 'criticality 3')
    """
    zh, en = LABELS[key]
    text = zh if check_lang(lang) == "zh" else en
    return text.format(**fields) if fields else text


def tier_name(tier: str, lang: str = "zh") -> str:
    """Display name of a tier (``"county"`` → 县级 / county); an unknown tier as it is.

    Examples
    --------
    >>> tier_name("town"), tier_name("town", "en"), tier_name("core")
    ('镇级', 'town', 'core')
    """
    key = f"tier.{tier}"
    return label(key, lang) if key in LABELS else str(tier)
