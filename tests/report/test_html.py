"""The HTML report: verdicts with independently computed numbers, both languages, escaping."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from netplan.errors import Issue, NetplanError
from netplan.examples import TINY_SCENARIO, tiny_migration
from netplan.model.capacity import CapacitySettings
from netplan.model.scenario import Scenario
from netplan.report.findings import Finding, findings
from netplan.report.html import render_html, write_html_report
from netplan.report.i18n import LANGUAGES, sentence
from netplan.report.run_results import RunResults, StageRecord
from netplan.topology import build_topology, reachability, summarize, survivability

#: Access lines 100M (1.5 a year) or 200M; a second carrier's line costs 0.5 one-off.
CAPACITY = {
    "years": [2020],
    "catalogue": {"access": [{"capacity": "100M", "yearly": 1.5},
                             {"capacity": "200M", "one_off": 0.3, "yearly": 2.5}]},
    "new_lines": {"access": {"one_off": 0.5}},
}
EVIL = "<script>alert(1)</script>"


def _png(path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, 1])
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=50)
    plt.close(fig)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The tiny scenario's stages through the Python API, and a topology picture."""
    from netplan.capacity import plan_capacity
    from netplan.io.cloud_systems_io import systems_on_cloud
    from netplan.migration.plan import plan_migration
    from netplan.simulation import validate_interconnect

    out = tmp_path_factory.mktemp("run")
    s, inv = tiny_migration()
    s = s.model_copy(update={"capacity": CapacitySettings.model_validate(CAPACITY)})
    topo = build_topology(s)
    rr = RunResults(s, source="tiny.yaml")
    rr.topology, rr.summary = topo, summarize(topo)
    rr.reach, rr.surv = reachability(topo), survivability(topo)
    _png(out / "topology" / "topology.png")
    rr.stages.append(StageRecord("topology", "done", 0.5, ["topology/topology.png"]))
    rr.plan = plan_migration(s, inv, topology=topo, backend="heuristic", time_limit_s=2)
    rr.stages.append(StageRecord("migration", "done", 0.5))
    rr.capacity = plan_capacity(s, topo, inventory=inv, migration=rr.plan)
    rr.stages.append(StageRecord("capacity", "done", 0.5))
    systems = systems_on_cloud(s, None, plan=rr.plan)
    rr.validation = validate_interconnect(s, rr.capacity.upgrades.upgraded(2020),
                                          systems=systems, duration_s=300)
    rr.stages.append(StageRecord("simulation", "done", 2.0))
    return rr, out


@pytest.fixture(scope="module")
def pages(run):
    rr, out = run
    return {lang: write_html_report(rr, out, lang=lang).read_text(encoding="utf-8")
            for lang in LANGUAGES}


def _block(page: str, section: str) -> str:
    """The text of one section of the page, tags stripped."""
    m = re.search(rf'<section id="{section}">(.*?)</section>', page, flags=re.S)
    assert m, section
    return html.unescape(re.sub(r"<[^>]+>", " ", m.group(1)))


def test_hand_counts(run):
    """The tiny scenario by hand: 5 single-homed departments, 5 new lines, 10 万元."""
    rr, _ = run
    v = rr.capacity.compliance.violations
    # 2 county + 3 town departments, one carrier each: cut off when it fails
    assert len(v) == 5 and set(v["rule"]) == {"reachable"}
    up = rr.capacity.upgrades
    assert int(up.lines["new"].sum()) == 5
    assert up.cost == pytest.approx(5 * (0.5 + 1.5))  # new line + a year's 100M rent


def test_zh_verdicts(run, pages):
    rr, _ = run
    text = _block(pages["zh"], "verdicts")
    assert "网络连通：全部部门和村（社区）均可连通" in text
    assert "现网（升级前）带宽目标未全部达标：5 项不达标，涉及 5 处（故障时断网 5 项）" in text
    assert "实施升级方案后带宽目标全部达标（2020 年" in text
    assert "升级费用：合计 10 万元（折现后 10 万元）" in text
    assert "0 条线路扩容、5 条新建线路" in text
    assert "单价为情景文件设定的假设值" in text
    # the last cutover is in week 5 (Sunday 2020-02-16): 6 weeks before 2020-03-29
    weeks = (dt.date(2020, 3, 29) - rr.plan.finish_date).days // 7
    assert weeks == 6
    assert f"2020-03-29 前全部系统上云：提前 {weeks} 周" in text
    # per case: pass when no check of it fails (counted here, not by the report)
    t = rr.validation.table
    confirmed = t["confirmed"] if "confirmed" in t else pd.Series(True, index=t.index)
    for case in rr.validation.cases:
        failed = t[(t["case"] == case) & ~t["ok"]]["unit"].nunique()
        unsure = int(((t["case"] == case) & ~confirmed).sum())
        name = "正常运行" if case == "normal" else case.replace(" down", "故障")
        expect = (f"{name}未通过（{failed} 个单位）" if failed else
                  f"{name}未能确认（{unsure} 项检查）" if unsure else f"{name}通过")
        assert expect in text
    assert "互联互通验证（升级后网络）" in text


def test_en_verdicts(run, pages):
    rr, _ = run
    text = _block(pages["en"], "verdicts")
    assert "Provisioned network: targets NOT all met, 5 violations at 5 places" in text
    assert "Upgrade cost: 10 万元 in all (10 万元 discounted)" in text
    assert "at the scenario's assumed prices" in text
    assert "all systems on the cloud by 2020-03-29: 6 weeks early" in text
    assert "Interconnect validation on the upgraded network" in text
    assert 'lang="en"' in pages["en"] and 'lang="zh-CN"' in pages["zh"]


def test_findings_grouped(run, pages):
    rr, _ = run
    kinds = [f.kind for f in findings(rr) if not f.is_verdict]
    assert kinds.count("finding.single_homed") == 2  # the departments, the villages
    assert len(kinds) <= 8
    text = _block(pages["zh"], "findings")
    assert "2 个县（区）部门、3 个镇（街道）部门只有一家运营商的线路" in text
    assert "升级方案为其中 5 个新建第二家运营商的接入线路" in text
    assert "6 个村（社区）只有一家运营商的线路" in text  # 3 + 2 + 1 villages


def test_no_english_sentence_in_zh_verdicts(pages):
    for section in ("verdicts", "findings"):
        text = _block(pages["zh"], section)
        assert not re.search(r"[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,}){2,}", text), text


def test_zh_headers_translated(pages):
    page = pages["zh"]
    assert "<th>阶段</th>" in page and "<th>状态</th>" in page
    assert "用时（秒）" not in page  # wall times are in run-metadata.json, not on the page
    assert "<th>stage</th>" not in page


def test_picture_embedded_as_png(pages):
    from PIL import Image

    srcs = re.findall(r'src="data:image/png;base64,([^"]+)"', pages["zh"])
    assert len(srcs) == 1
    data = base64.b64decode(srcs[0])
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(io.BytesIO(data)) as im:
        im.verify()


def test_self_contained(pages):
    for page in pages.values():
        assert "http://" not in page and "https://" not in page
        assert "<script" not in page
        assert "@page { size: A4; margin: 15mm; }" in page
        assert '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei"' in page


def test_written_atomically(run, pages):
    _, out = run
    assert (out / "report.html").is_file()
    assert not list(out.glob(".report-*"))


def test_unknown_language(run):
    rr, out = run
    with pytest.raises(NetplanError, match="'zh', 'en'"):
        write_html_report(rr, out, lang="fr")


def _evil_scenario() -> Scenario:
    data = dict(TINY_SCENARIO)
    data["extranet"] = dict(data["extranet"], departments=dict(
        data["extranet"]["departments"],
        city={"names": [EVIL, "卫生健康局"], "access": "100M", "carriers": 1}))
    return Scenario.model_validate(data)


class _Frame:
    def __init__(self, df: pd.DataFrame):
        self.df = df

    def to_frame(self) -> pd.DataFrame:
        return self.df


def test_escaped_and_incomplete(tmp_path):
    from netplan.capacity import plan_capacity

    s = _evil_scenario()
    topo = build_topology(s)
    cp = plan_capacity(s, topo, single_links=False)
    rr = RunResults(s, source=f"{EVIL}.yaml", topology=topo, summary=summarize(topo),
                    reach=reachability(topo), surv=survivability(topo), capacity=cp,
                    warnings=[Issue("extranet", f"name {EVIL}", severity="warning")],
                    stages=[StageRecord("topology", "done", 0.1),
                            StageRecord("capacity", "done", 0.2),
                            StageRecord("simulation", "failed", 0.3,
                                        error=f"unit {EVIL}: boom")])
    assert not rr.complete
    for lang in LANGUAGES:
        page = render_html(rr, tmp_path, lang=lang, embed_font=False)
        assert EVIL not in page and "<script" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        banner = re.search(r'<div class="banner" id="incomplete".*?</div>', page, flags=re.S)
        assert banner and "boom" in banner.group(0)
        assert ("互联互通验证（仿真）" if lang == "zh" else "Interconnect validation") \
            in banner.group(0)
        # the stages that ran are still shown
        assert 'id="stage-topology"' in page and 'id="stage-capacity"' in page
    zh = render_html(rr, tmp_path, lang="zh", embed_font=False)
    text = _block(zh, "verdicts")
    assert "互联互通验证：未判断（“互联互通验证（仿真）”阶段失败）" in text
    # the city department with one line is cut off when its carrier fails: named, escaped
    raw = re.search(r'<section id="stage-capacity">(.*?)</section>', zh, flags=re.S).group(1)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw


def test_timeline_and_quarterly(run, tmp_path):
    rr, _ = run
    timeline = pd.DataFrame({
        "target": ["120个以上系统迁移上云", "全部系统迁移上云", "共享交换平台升级完成", EVIL],
        "kind": ["systems_on_cloud"] * 4,
        "due": [dt.date(2020, 12, 31), dt.date(2021, 12, 31), dt.date(2020, 9, 30),
                dt.date(2022, 1, 1)],
        "planned": [dt.date(2020, 11, 8), None, dt.date(2020, 10, 10), None],
        "status": ["met", "not planned", "missed", "at risk"],
        "slack_days": [53, None, -10, None], "required": [120, 190, None, None],
        "achieved": [139, None, None, None]})
    quarterly = pd.DataFrame({
        "date": [dt.date(2020, 6, 30)] * 2 + [dt.date(2020, 9, 30)] * 2,
        "measure": ["systems_on_cloud", "platform_connected_pct"] * 2,
        "planned": [10, 50.0, 40, 60.0], "achieved": [12, 40.0, None, None],
        "gap": [2, -10.0, None, None]})
    r2 = RunResults(rr.scenario, stages=[StageRecord("topology", "done")],
                    topology=rr.topology, reach=rr.reach,
                    timeline=_Frame(timeline), quarterly=_Frame(quarterly))
    zh = render_html(r2, tmp_path, lang="zh", embed_font=False)
    verdicts = _block(zh, "verdicts")
    assert "政策时间表：4 项目标中，已达成 1 项、有风险 1 项、未达成 1 项、未安排 1 项" in verdicts
    worst = _block(zh, "findings")
    assert "政策目标“共享交换平台升级完成”（期限 2020-09-30）未达成，延迟 10 天" in worst
    assert "接入共享交换平台比例" in worst or "platform_connected_pct" in worst
    tl = _block(zh, "stage-timeline")
    assert "有风险" in tl and "at risk" not in tl and "政策目标" in tl
    assert EVIL not in zh and "&lt;script&gt;alert(1)&lt;/script&gt;" in zh
    assert 'id="stage-quarterly"' in zh
    en = render_html(r2, tmp_path, lang="en", embed_font=False)
    assert "Policy timeline: of 4 targets, 1 met, 1 at risk, 1 missed, 1 not planned" in en


def test_every_finding_has_both_sentences(run):
    rr, _ = run
    for f in findings(rr):
        for lang in LANGUAGES:
            assert sentence(f, lang)
    with pytest.raises(NetplanError, match="no sentence"):
        sentence(Finding("finding.nope", "info", {}), "zh")


def test_font_subset_embedded(pages):
    m = re.search(r"data:font/woff;base64,([^)]+)\)", pages["zh"])
    if m is None:
        pytest.skip("fontTools or the bundled CJK font is not available")
    assert base64.b64decode(m.group(1))[:4] == b"wOFF"
