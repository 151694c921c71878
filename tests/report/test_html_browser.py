"""The HTML report in a real browser: headless Chromium renders it and shows the verdicts."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from netplan.examples import tiny_scenario
from netplan.report.html import write_html_report
from netplan.report.run_results import RunResults, StageRecord
from netplan.topology import build_topology, reachability, summarize, survivability

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def _chromium(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                           "--hide-scrollbars", *args],
                          capture_output=True, timeout=60, check=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from netplan.capacity import plan_capacity

    out = tmp_path_factory.mktemp("browser")
    s = tiny_scenario()
    topo = build_topology(s)
    rr = RunResults(s, source="tiny.yaml", topology=topo, summary=summarize(topo),
                    reach=reachability(topo), surv=survivability(topo),
                    capacity=plan_capacity(s, topo, single_links=False),
                    stages=[StageRecord("topology", "done", 0.1),
                            StageRecord("capacity", "done", 0.1)])
    return write_html_report(rr, out, lang="zh")


def test_dom_has_the_verdicts(page):
    done = _chromium("--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    dom = done.stdout.decode("utf-8")
    assert '<section id="verdicts">' in dom
    assert "网络连通：全部部门和村（社区）均可连通政务云" in dom
    assert "现网（升级前）带宽目标未全部达标：5 项不达标" in dom


def test_screenshot_is_not_blank(page, tmp_path):
    from PIL import Image

    shot = tmp_path / "report.png"
    done = _chromium(f"--screenshot={shot}", "--window-size=1240,1754", page.as_uri())
    assert shot.is_file(), done.stderr.decode(errors="replace")[-2000:]
    with Image.open(shot) as im:
        assert im.size == (1240, 1754)
        lo, hi = im.convert("L").getextrema()
        colours = len(im.convert("RGB").getcolors(maxcolors=1 << 20) or [])
    assert hi - lo > 100 and colours > 50  # text and badges, not one flat colour
