"""The HTML report in a real browser: headless Chromium renders it and shows the verdicts.

Also the hostile report (names that are markup, :mod:`tests.report.hostile`): no script from
an input runs and no dialog opens. Chromium's ``--dump-dom`` gives the DOM after the page's
scripts (and, with ``--virtual-time-budget``, its failed image loads) have run; a copy of the
page that first replaces ``alert``/``confirm``/``prompt`` by functions that mark the DOM shows
whether any was called. Skipped when Chromium is not installed (CI does not install it).
"""

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
    import tempfile

    # the background-networking flags: on a closed network Chromium would otherwise keep
    # trying to reach Google's hosts; a fresh profile each time
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                               "--hide-scrollbars", "--disable-quic", "--no-first-run",
                               "--disable-background-networking", "--disable-component-update",
                               "--disable-sync", f"--user-data-dir={profile}", *args],
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


#: Put before everything else in a copy of the page: a dialog marks the DOM instead of opening.
_TRAP = ("<script>for (const f of ['alert', 'confirm', 'prompt']) { window[f] = function () {"
         " document.documentElement.setAttribute('data-dialog', f); }; }</script>")


def _dom_of(page, tmp_path, name: str) -> str:
    """The DOM of a copy of ``page`` with :data:`_TRAP` first, after 3 s of virtual time."""
    text = page.read_text(encoding="utf-8") if hasattr(page, "read_text") else page
    copy = tmp_path / name
    copy.write_text(_TRAP + text, encoding="utf-8")
    done = _chromium("--virtual-time-budget=3000", "--dump-dom", copy.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout.decode("utf-8")


def test_the_trap_catches_markup_that_runs(tmp_path):
    """The method can fail: the same strings, not escaped, do run and do open dialogs."""
    from tests.report.hostile import MARKERS, MARKUP

    dom = _dom_of("<p>" + "".join(MARKUP) + "</p>", tmp_path, "raw-alert.html")
    assert 'data-dialog="alert"' in dom
    dom = _dom_of("<p>" + "".join(MARKERS[:2]) + "</p>", tmp_path, "raw-marker.html")
    assert 'data-pwned="' in dom


def test_no_script_from_the_inputs_runs_and_no_dialog_opens(hostile_run, tmp_path):
    from tests.report.hostile import MARKUP
    from tests.report.test_output_escaping import problems

    dom = _dom_of(hostile_run / "report.html", tmp_path, "report.html")
    head = dom[:dom.index(">") + 1]  # <html lang=... data-...>: the marks would be here
    assert "data-dialog" not in head and "data-pwned" not in head, head
    # the DOM as the browser built it: one <script> (the trap's), nothing else active
    assert [p for p in problems(dom) if p != "1 <script> elements"] == []
    assert dom.count("<script") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # shown as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in dom
    assert MARKUP[3] in dom
