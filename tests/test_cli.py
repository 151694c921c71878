"""The command line: outputs written only on success, readable errors, exit codes."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from netplan.cli import main
from netplan.examples import scenario_path

MEIZHOU = str(scenario_path("meizhou-2020"))


def test_validate_ok(capsys):
    assert main(["validate", MEIZHOU]) == 0
    assert "OK" in capsys.readouterr().out


def test_validate_bad_exits_2_with_path_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    text = Path(MEIZHOU).read_text(encoding="utf-8")
    text = text.replace("    county:\n      uplink: 1G", '    county:\n      uplink: "1 Gbs"', 1)
    bad.write_text(text, encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert 'extranet.tiers.county.uplink: "1 Gbs" is not a bandwidth' in err
    line = next(i for i, t in enumerate(text.splitlines(), 1) if '"1 Gbs"' in t)
    assert f"line {line}:" in err
    assert "Traceback" not in err


def test_schema_is_json(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"region", "extranet", "targets"} <= set(schema["properties"])


def _fast_meizhou(tmp_path):
    """Meizhou with a 5-second scheduler budget (the inventory copied alongside)."""
    src = Path(MEIZHOU)
    shutil.copy(src.with_name("meizhou-2020-systems.csv"), tmp_path)
    text = (src.read_text(encoding="utf-8").replace("time_limit_s: 60", "time_limit_s: 5")
            .replace("cutover_weeks: 3", "cutover_weeks: 1"))
    path = tmp_path / "meizhou-fast.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_run_writes_report(tmp_path):
    out = tmp_path / "out"
    assert main(["run", _fast_meizhou(tmp_path), "--out", str(out), "--quiet",
                 "--duration", "4min", "--failure", "carrier:联通"]) == 0
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "梅州市" in index and "topology/topology_summary.csv" in index
    summary = pd.read_csv(out / "topology" / "topology_summary.csv", encoding="utf-8-sig")
    assert summary.set_index("tier").loc["village", "nodes"] == 2234
    assert (out / "topology" / "topology.png").stat().st_size > 10_000
    for name in ("carrier_failures.csv", "bridges.csv", "spofs.csv", "survivability.md"):
        assert (out / "topology" / name).exists()
    # the migration section: schedule, milestones, the three lists, charts
    sched = pd.read_csv(out / "migration" / "schedule.csv", encoding="utf-8-sig")
    triage = pd.read_csv(out / "migration" / "triage.csv", encoding="utf-8-sig")
    assert len(triage) == 236
    assert len(sched) == (triage["disposition"] == "migrate").sum()
    ms = pd.read_csv(out / "migration" / "milestones.csv", encoding="utf-8-sig")
    assert ms["met"].all()
    for name in ("gantt.png", "load.png", "schedule.xlsx", "progress.csv",
                 "lists/三张清单.xlsx"):
        assert (out / "migration" / name).exists(), name
    assert "## Migration" in index
    # the simulation section: validation per case and the heaviest cutover week
    verdict = pd.read_csv(out / "simulation" / "verdict.csv", encoding="utf-8-sig")
    assert set(verdict["case"]) == {"normal", "carrier:联通"}
    weeks = pd.read_csv(out / "simulation" / "cutover_weeks.csv", encoding="utf-8-sig")
    assert len(weeks) == 1
    for name in ("00-normal-utilisation.png", "01-carrier-联通-latency.png", "validation.png"):
        assert (out / "simulation" / name).stat().st_size > 5_000, name
    assert "## Simulation" in index
    # nothing staged is left behind
    assert not list(tmp_path.glob(".out.staging-*"))


def test_failed_run_writes_nothing_and_keeps_old_output(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nregion: [\n", encoding="utf-8")
    assert main(["run", str(bad), "--out", str(out), "--quiet"]) == 2
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert not list(tmp_path.glob(".out.staging-*"))


def test_missing_file(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_console_script_runs():
    """The installed entry point answers (as a new user would call it)."""
    r = subprocess.run([sys.executable, "-m", "netplan.cli", "validate", MEIZHOU],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("args", [["run"], ["topology", MEIZHOU]])
def test_usage_errors_exit_2(args):
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2


def test_simulate_names_the_departments_a_carrier_outage_cuts_off(tmp_path):
    from netplan.examples import meizhou_2020
    from netplan.topology import build_topology, survivability

    out = tmp_path / "sim"
    assert main(["simulate", MEIZHOU, "--out", str(out), "--quiet", "--no-plot",
                 "--duration", "4min", "--failure", "carrier:电信", "--seed", "1"]) == 0
    units = pd.read_csv(out / "simulation" / "failing_units.csv", encoding="utf-8-sig")
    cut = units[(units["case"] == "carrier:电信") & units["reason"].str.startswith("cut off")]
    # the independent reference: the survivability analysis of the same outage
    topo = build_topology(meizhou_2020())
    lost = topo.nodes.loc[survivability(topo).affected_by_carrier("电信")]
    deps = lost[lost["kind"] == "department"]
    for tier in ("county", "town"):
        assert (cut["tier"] == tier).sum() == (deps["tier"] == tier).sum() > 0
    towns_with_lost_villages = lost.loc[lost["kind"] == "village", "parent"].nunique()
    assert (cut["tier"] == "village").sum() == towns_with_lost_villages
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "### What fails" in index and "cut off" in index


@pytest.mark.parametrize("args, message", [
    (["--failure", "carrier:铁通"], "no carrier '铁通'"),
    (["--failure", "cloud:nowhere"], "no cloud node 'nowhere'"),
    (["--failure", "power:all"], "write carrier:NAME"),
    (["--failure", "carrier:电信@soon"], "not a duration"),
    (["--duration", "2min"], "not longer than the warm-up"),
])
def test_simulate_bad_options_exit_2_and_write_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert main(["simulate", MEIZHOU, "--out", str(out), "--quiet", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_simulate_bad_duration_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["simulate", MEIZHOU, "--out", "x", "--duration", "an hour"])
    assert exc.value.code == 2
    assert "not a duration" in capsys.readouterr().err


def test_scenario_failure_with_unknown_carrier_is_refused(tmp_path, capsys):
    text = Path(MEIZHOU).read_text(encoding="utf-8").replace("faults: [{carrier: 移动}]",
                                                             "faults: [{carrier: 铁通}]")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "simulation.failures[2].faults[0].carrier" in err and "铁通" in err
