"""``netplan run`` as a pipeline step: version, stage failures, exit codes, what-ifs, replan.

All on the tiny scenario of ``tests/test_cli.py`` (two counties, eight systems), without
pictures, so that each command takes seconds.
"""

from __future__ import annotations

import pandas as pd
import pytest

from netplan.cli import (
    EXIT_INFEASIBLE,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_TARGET_MISSED,
    main,
)
from tests.test_cli import Broken, _set, _write_case


def _quick(command: str, path, out, *extra: str) -> list[str]:
    return [command, str(path), "--out", str(out), "--no-plot", "--quiet", *extra]


def test_version(capsys):
    from netplan import __version__

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"netplan {__version__}"


def test_schedule_meeting_every_target_exits_0_and_an_impossible_deadline_exits_5(
        tmp_path, capsys):
    good = _write_case(Broken("good"), tmp_path / "good")
    assert main(_quick("schedule", good, tmp_path / "a")) == EXIT_OK, capsys.readouterr().err
    # 人口库 alone takes 2 weeks: every system by the end of the first week is impossible
    late = _write_case(Broken("late", _set(("targets", "systems_on_cloud"),
                                           [{"by": "2020-01-12", "systems": "all"}])),
                       tmp_path / "late")
    assert main(_quick("schedule", late, tmp_path / "b")) == EXIT_INFEASIBLE
    err = capsys.readouterr().err
    assert "netplan: no plan: " in err and "all systems by 2020-01-12" in err
    assert "netplan: not met: migration milestones: Targets NOT met" in err
    # the outputs are complete all the same: the report and the tables say why
    assert (tmp_path / "b" / "report.html").exists()
    assert (tmp_path / "b" / "migration" / "milestones.csv").exists()


def test_a_failing_stage_keeps_the_earlier_stages_and_marks_the_report_incomplete(
        tmp_path, capsys, monkeypatch):
    import netplan.capacity

    def boom(*args, **kwargs):
        raise RuntimeError("capacity boom")

    monkeypatch.setattr(netplan.capacity, "plan_capacity", boom)
    path = _write_case(Broken("good"), tmp_path / "case")
    out = tmp_path / "out"
    assert main(_quick("run", path, out, "--duration", "60s")) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: capacity boom" in err
    assert "the capacity stage wrote nothing" in err
    # topology and migration finished before it: their files are in place
    assert (out / "topology" / "topology_summary.csv").exists()
    assert (out / "migration" / "schedule.csv").exists()
    assert not (out / "capacity").exists() and not (out / "simulation").exists()
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "INCOMPLETE: the capacity stage failed (RuntimeError: capacity boom)" in index
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "capacity boom" in page
    assert not list(tmp_path.glob(".out.*"))


def test_teams_what_if_replaces_the_scenarios_teams(tmp_path):
    path = _write_case(Broken("good", _set(("migration", "teams"), 1)), tmp_path / "case")
    main(_quick("schedule", path, tmp_path / "one"))
    main(_quick("schedule", path, tmp_path / "three", "--teams", "3"))
    one = pd.read_csv(tmp_path / "one" / "migration" / "weekly_load.csv", encoding="utf-8-sig")
    three = pd.read_csv(tmp_path / "three" / "migration" / "weekly_load.csv",
                        encoding="utf-8-sig")
    assert set(one["teams_capacity"]) == {1} and set(three["teams_capacity"]) == {3}


def test_replan_moves_only_what_the_progress_file_leaves(tmp_path, capsys):
    path = _write_case(Broken("good"), tmp_path / "case")
    progress = tmp_path / "case" / "progress.csv"
    progress.write_text("item_kind,item_id,event,date\n"
                        "system,市公安局/人口库,inventoried,2020-01-03\n"
                        "system,市公安局/人口库,migrated,2020-01-19\n", encoding="utf-8")
    out = tmp_path / "out"
    rc = main(_quick("replan", path, out, "--progress", str(progress), "--as-of", "2020-01-20"))
    assert rc in (EXIT_OK, EXIT_TARGET_MISSED), capsys.readouterr().err
    sched = pd.read_csv(out / "migration" / "schedule.csv", encoding="utf-8-sig")
    assert "市公安局/人口库" not in set(sched["system_id"])
    assert pd.to_datetime(sched["start_date"]).min() >= pd.Timestamp("2020-01-20")
    assert (out / "policy" / "quarterly_report.xlsx").exists()


def test_replan_needs_its_progress_file_and_date(tmp_path, capsys):
    path = _write_case(Broken("good"), tmp_path / "case")
    with pytest.raises(SystemExit) as exc:
        main(["replan", str(path), "--out", str(tmp_path / "o")])
    assert exc.value.code == 2
    assert "--progress" in capsys.readouterr().err


def test_a_broken_progress_file_is_bad_input_before_anything_runs(tmp_path, capsys):
    path = _write_case(Broken("good"), tmp_path / "case")
    progress = tmp_path / "case" / "progress.csv"
    progress.write_text("item_kind,item_id,event,date\nsystem,市公安局/无此系统,migrated,"
                        "2020-01-19\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(_quick("run", path, out, "--progress", str(progress), "--as-of",
                       "2020-01-20")) == 2
    err = capsys.readouterr().err
    assert "progress.csv row" in err and "市公安局/无此系统" in err
    assert not out.exists()


def test_workbook_keeps_formula_like_text_as_text(tmp_path):
    import openpyxl

    from netplan.report.tables import write_csv, write_workbook

    (tmp_path / "t").mkdir()
    write_csv(pd.DataFrame({"unit": ["=HYPERLINK(\"http://x\")", "市公安局"], "mbps": [1, 2]}),
              tmp_path / "t" / "units.csv")
    write_workbook(tmp_path, ["t/units.csv"], tmp_path / "tables.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "tables.xlsx")["t-units"]
    assert ws["A2"].data_type == "s" and ws["A2"].value.startswith("=HYPERLINK")
    assert ws["B3"].value == 2
    contents = pd.read_excel(tmp_path / "tables.xlsx", sheet_name="contents")
    assert contents.to_dict("records") == [{"table": "t/units.csv", "sheet": "t-units",
                                            "rows": 2, "columns": 2}]


def test_progress_bars_on_a_terminal_and_plain_lines_off_it(tmp_path, capsys, monkeypatch):
    import io
    import sys

    path = _write_case(Broken("good"), tmp_path / "case")
    args = ["topology", str(path), "--out", str(tmp_path / "plain"), "--no-plot"]
    assert main(args) == EXIT_OK
    plain = capsys.readouterr().err
    assert "netplan: [topology 1/2] building the four-tier extranet …" in plain

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Terminal()
    monkeypatch.setattr(sys, "stderr", tty)
    args[3] = str(tmp_path / "bar")
    assert main(args) == EXIT_OK
    bars = tty.getvalue()
    assert "[topology 1/2]" not in bars  # a bar, not lines
    assert "topology (" in bars and " s)" in bars  # the stage with its elapsed time


def test_a_target_no_plan_can_meet_exits_5_with_the_explanation(tmp_path, capsys, monkeypatch):
    import netplan.capacity
    from netplan.errors import InfeasiblePlanError

    def impossible(*args, **kwargs):
        raise InfeasiblePlanError("系统 大数据平台 needs 900 vCPU; the largest host has 96")

    monkeypatch.setattr(netplan.capacity, "plan_capacity", impossible)
    path = _write_case(Broken("good"), tmp_path / "case")
    out = tmp_path / "out"
    assert main(_quick("capacity", path, out)) == EXIT_INFEASIBLE
    err = capsys.readouterr().err
    assert "netplan: no plan: 系统 大数据平台 needs 900 vCPU; the largest host has 96" in err
    assert "Traceback" not in err


def test_the_run_metadata_holds_the_time_and_the_pages_do_not(tmp_path):
    import json
    import re

    path = _write_case(Broken("good"), tmp_path / "case")
    out = tmp_path / "out"
    assert main(_quick("schedule", path, out)) in (EXIT_OK, EXIT_TARGET_MISSED)
    meta = json.loads((out / "run-metadata.json").read_text(encoding="utf-8"))
    assert meta["argv"][:2] == ["schedule", str(path)]
    assert meta["scenario_file"] == str(path.resolve())
    assert [s["stage"] for s in meta["stages"]] == ["migration", "policy"]
    assert all(s["seconds"] >= 0 for s in meta["stages"])
    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")  # an ISO time of day
    assert stamp.match(meta["written"])
    for page in ("index.md", "report.html"):
        assert not stamp.search((out / page).read_text(encoding="utf-8")), page


def test_a_folder_netplan_did_not_write_is_not_replaced(tmp_path, capsys):
    path = _write_case(Broken("good"), tmp_path / "case")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(_quick("schedule", path, mine)) == EXIT_INPUT
    assert "did not write" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_sigterm_leaves_the_output_folder_as_it_was_and_no_staging(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    path = _write_case(Broken("good"), tmp_path / "case")
    out = tmp_path / "out"
    out.mkdir()
    (out / "run-metadata.json").write_text("{}", encoding="utf-8")
    with subprocess.Popen([sys.executable, "-m", "netplan.cli", "run", str(path), "--out",
                           str(out), "--no-plot"], stderr=subprocess.PIPE, text=True) as proc:
        for line in proc.stderr:  # stop it once a stage is under way: the new folder exists
            if "[migration" in line:
                break
        assert list(tmp_path.glob(".out.new-*"))  # the run is writing its new folder
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        err = proc.stderr.read()
        assert proc.wait(timeout=60) == 130, err
    assert "Traceback" not in err
    assert [p.name for p in out.iterdir()] == ["run-metadata.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "out"]  # nothing left behind


def test_a_scenario_too_large_for_the_machine_is_refused_before_anything_runs(
        tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NETPLAN_MEMORY_MIB", "10")  # the tiny run needs some 250 MiB
    path = _write_case(Broken("good"), tmp_path / "case")
    out = tmp_path / "out"
    assert main(_quick("run", path, out)) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "needs about" in err and "MiB" in err and "NETPLAN_MEMORY_MIB" in err
    assert not out.exists()


def test_compare_provisioned_lists_what_the_upgrades_change(tmp_path):
    # city departments on 10M access: the 100M department-access target makes the plan upgrade
    # them, and the simulation runs on both networks
    slow = Broken("slow-access", _set(("extranet", "departments", "city", "access"), "10M"))
    path = _write_case(slow, tmp_path / "case")
    text = path.read_text(encoding="utf-8")  # and a catalogue to upgrade them from
    path.write_text(text + "capacity:\n  catalogue:\n    access:\n"
                    "    - {capacity: 100M, one_off: 1}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(_quick("run", path, out, "--duration", "60s", "--compare-provisioned")) in (
        EXIT_OK, EXIT_TARGET_MISSED)
    effect = pd.read_csv(out / "simulation" / "upgrade_effect.csv", encoding="utf-8-sig")
    assert len(effect) and set(effect["after"]) <= {"pass", "fail"}
