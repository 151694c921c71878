"""The command line: outputs written only on success, readable errors, exit codes."""

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
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


def test_run_writes_report(tmp_path, capsys):
    out = tmp_path / "out"
    # 联通 down cuts off the villages it alone serves: a missed target, exit 1, not an error
    assert main(["run", _fast_meizhou(tmp_path), "--out", str(out), "--quiet",
                 "--duration", "2min", "--failure", "carrier:联通"]) == 1
    err = capsys.readouterr().err
    assert "netplan: not met: interconnect validation:" in err
    assert "carrier:联通 village FAIL" in err
    assert (out / "report.html").stat().st_size > 100_000
    with pd.ExcelFile(out / "tables.xlsx") as book:
        assert {"contents", "topology-topology_summary"} <= set(book.sheet_names)
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
    # the capacity section: loads, compliance, the plan re-checked; the simulation on the
    # upgraded network, with the units the upgrade makes pass
    for name in ("loads.csv", "loads_worst.csv", "compliance.csv", "upgrades.csv",
                 "upgrades.xlsx", "cost_by_year.csv", "compliance_after.csv", "cloud_weekly.csv",
                 "hosts.csv", "netbox_prefixes.csv", "utilisation.png"):
        assert (out / "capacity" / name).exists(), name
    after = pd.read_csv(out / "capacity" / "compliance_after.csv", encoding="utf-8-sig")
    assert len(after) == 0
    assert "## Capacity" in index and "Simulated on the network upgraded by the plan" in index
    # (--compare-provisioned: tests/test_cli_run.py, on the tiny scenario)
    # nothing staged is left behind
    assert not list(tmp_path.glob(".out.*"))


def test_failed_run_writes_nothing_and_keeps_old_output(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nregion: [\n", encoding="utf-8")
    assert main(["run", str(bad), "--out", str(out), "--quiet"]) == 2
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert not list(tmp_path.glob(".out.*"))


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


def test_simulate_names_the_departments_a_carrier_outage_cuts_off(tmp_path, capsys):
    from netplan.examples import meizhou_2020
    from netplan.topology import build_topology, survivability

    out = tmp_path / "sim"
    # the provisioned network fails with 电信 down: a missed target (1), not an error
    assert main(["simulate", MEIZHOU, "--out", str(out), "--quiet", "--no-plot",
                 "--duration", "4min", "--failure", "carrier:电信", "--seed", "1"]) == 1
    assert "netplan: not met: interconnect validation: " in capsys.readouterr().err
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
    (["--duration", "50s"], "not longer than the warm-up"),  # Meizhou's warm-up: 60 s
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


def test_failing_a_listed_carrier_without_lines_is_refused(tmp_path, capsys):
    # 广电 added to extranet.carriers: no tier takes it (the city core takes the first 3), so
    # it has no line; "--failure carrier:广电" would simulate normal operation and pass
    text = Path(MEIZHOU).read_text(encoding="utf-8")
    assert "carriers: [电信, 联通, 移动]" in text
    scenario = tmp_path / "mz.yaml"
    inventory = str(Path(MEIZHOU).parent / "meizhou-2020-systems.csv")
    text = text.replace("carriers: [电信, 联通, 移动]", "carriers: [电信, 联通, 移动, 广电]", 1)
    scenario.write_text(text.replace("meizhou-2020-systems.csv", inventory), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["simulate", str(scenario), "--out", str(out), "--quiet",
                 "--failure", "carrier:广电"]) == 2
    err = capsys.readouterr().err
    assert "carrier '广电' has no line" in err and "Traceback" not in err
    assert not out.exists()


def test_scenario_failure_with_unknown_carrier_is_refused(tmp_path, capsys):
    text = Path(MEIZHOU).read_text(encoding="utf-8").replace("faults: [{carrier: 移动}]",
                                                             "faults: [{carrier: 铁通}]")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "simulation.failures[2].faults[0].carrier" in err and "铁通" in err


# --------------------------------------------------------------------------- broken scenarios
#
# Every command on a set of broken tiny scenarios (the hand-countable tiny extranet with its
# 8-system inventory, a 60-second simulation without failure cases): bad input exits 2 with a
# message naming the problem, never a traceback and never the internal-error safety net, and
# leaves --out as it was; an infeasible plan is explained, not raised.

COMMANDS = ["validate", "topology", "schedule", "capacity", "simulate", "run"]


def _tiny_scenario_data() -> dict:
    import copy

    from netplan.examples import TINY_SCENARIO

    data = copy.deepcopy(TINY_SCENARIO)
    data["targets"]["systems_on_cloud"] = [{"by": "2020-02-02", "systems": 3},
                                           {"by": "2020-03-29", "systems": "all"}]
    data["migration"] = {"start": "2020-01-06", "end": "2020-03-29", "teams": 1,
                         "time_limit_s": 2}
    data["inventory"] = {"path": "systems.csv"}
    data["simulation"] = {"duration_s": 60, "warmup_s": 5, "failures": [], "cutover_weeks": 1}
    return data


def _tiny_inventory_csv() -> str:
    import tempfile

    from netplan.examples import tiny_migration
    from netplan.io.inventory_io import write_inventory

    with tempfile.TemporaryDirectory() as d:
        path = write_inventory(tiny_migration()[1], Path(d) / "systems.csv")
        return path.read_text(encoding="utf-8-sig")


TINY_CSV = _tiny_inventory_csv()
# 人口库's row: "...,16,64,2,1,0,5,3,<依赖系统>,..." (vCPU 16, memory 64 GB, storage 2 TB,
# data 1 TB, 0 Mbps, criticality 5, risk 3, then its dependencies); 档案's (classified):
# "...,0,0,0,0,0,3,3,<依赖系统>,,,,,是,..."
POP_ROW = "政务外网,市级,甲市,16,64,2,1,0,5,3,,"
ARCHIVE_ROW = "政务外网,市级,甲市,0,0,0,0,0,3,3,,,,,,是"
assert TINY_CSV.count(POP_ROW) == 1 and TINY_CSV.count(ARCHIVE_ROW) == 1


def _set(keys: tuple, value):
    def edit(data: dict) -> None:
        cur = data
        for k in keys[:-1]:
            cur = cur.setdefault(k, {})
        cur[keys[-1]] = value
    return edit


def _bad_numbers(csv: str) -> str:
    # 人口库's vCPU "八" (a Chinese numeral), its usage scope 全省 (not a scope)
    return csv.replace(POP_ROW, POP_ROW.replace(",16,", ",八,")).replace(
        "市公安局/人口库,人口库,市公安局,,本部门", "市公安局/人口库,人口库,市公安局,,全省")


@dataclass(frozen=True)
class Broken:
    id: str
    edit: object = None  # edits the scenario dict
    text: str | None = None  # the scenario file's text instead
    csv: bytes | None = None  # the inventory file's bytes (UTF-8 with BOM by default)
    words: tuple[str, ...] = ()  # in stderr (bad input) or in index.md (explained plan)
    bad: bool = True  # bad input (exit 2) or a plan that is explained (exit 0)


BROKEN = [
    Broken("catalogue-unknown-class",
           _set(("capacity", "catalogue"), {"uplink/moon": [{"capacity": "1G"}]}),
           words=("capacity.catalogue", "'uplink/moon' is not a link class")),
    Broken("catalogue-capacity-in-bytes",
           _set(("capacity", "catalogue"), {"access": [{"capacity": "100MB"}]}),
           words=("capacity.catalogue.access[0].capacity",)),
    Broken("dedicated-network-unknown-site",
           _set(("capacity", "dedicated_networks"),
                [{"name": "专网", "department": "市公安局", "sites": ["火星县"],
                  "busy_hour": "10M", "year": 2020}]),
           words=("capacity.dedicated_networks[0].sites[0]", '"火星县" is not a division')),
    Broken("forbidden-unknown-carrier", _set(("capacity", "forbidden_carriers"), ["铁通"]),
           words=('capacity.forbidden_carriers[0]: "铁通" is not a carrier',)),
    Broken("addressing-host-bits-set", _set(("addressing",), {"ipv4": "10.0.0.1/8"}),
           words=("addressing.ipv4", "is not a network address")),
    Broken("malformed-yaml", text="name: tiny\nregion: [\n",
           words=("line 3: not valid YAML",)),
    Broken("unknown-carrier", _set(("simulation", "failures"),
                                   [{"name": "x", "faults": [{"carrier": "铁通"}]}]),
           words=('"铁通" is not a carrier of the extranet', "use one of: 电信, 联通")),
    Broken("triage-key-misspelt", _set(("migration", "triage"), {"unused_month": 6}),
           words=("migration.triage.unused_month: unknown field 'unused_month'",
                  "did you mean 'unused_months'?")),
    Broken("inventory-missing", _set(("inventory", "path"), "nowhere.csv"),
           words=('inventory.path: file "nowhere.csv" not found',)),
    Broken("inventory-bad-rows", csv=_bad_numbers(TINY_CSV).encode("utf-8-sig"),
           words=('systems.csv row 2, column vCPU: "八" is not a number',
                  "systems.csv row 2, column 使用范围")),
    Broken("inventory-gbk-bad-rows", csv=_bad_numbers(TINY_CSV).encode("gbk"),
           words=('systems.csv row 2, column vCPU: "八" is not a number',)),
    Broken("inventory-binary", csv=b"\x00\x01\x02" * 100,
           words=("systems.csv: the file is binary", "a table is a CSV text file")),
    Broken("inventory-depends-on-itself",
           csv=TINY_CSV.replace(POP_ROW, POP_ROW[:-1] + "市公安局/人口库,").encode("utf-8-sig"),
           words=('column 依赖系统: system "市公安局/人口库" depends on itself',)),
    Broken("earliest-unknown-system",
           _set(("migration", "earliest"), {"市公安局/人口系统": "2020-02-01"}),
           words=('migration.earliest.市公安局/人口系统: "市公安局/人口系统" is not a system id',
                  "did you mean 市公安局/人口库?")),
    Broken("milestone-more-than-the-inventory",
           _set(("targets", "systems_on_cloud"), [{"by": "2020-03-29", "systems": 230}]),
           words=("230 systems on the cloud by 2020-03-29 asked for, but the inventory lists "
                  "only 8",)),
    # 8 systems: 旧OA retired, 档案 kept (classified), 门户 already there: 6 at most
    Broken("milestone-more-than-can-migrate",
           _set(("targets", "systems_on_cloud"), [{"by": "2020-03-29", "systems": 7}]),
           words=("not met", "2020-03-29", "7 cannot be reached by any plan"), bad=False),
    # a dependency cycle 人口库 → 档案 → 警务通 → 人口库 through a system that stays (档案):
    # not bad input (cycles are move groups; one through a kept system ties nothing)
    Broken("depends-on-cycle-through-a-kept-system",
           csv=TINY_CSV.replace(POP_ROW, POP_ROW[:-1] + "市档案馆/档案,").replace(
               ARCHIVE_ROW, ARCHIVE_ROW.replace(",3,3,,", ",3,3,市公安局/警务通,")).encode(
                   "utf-8-sig"), bad=False),
    # all 8 by the end of the first week: 人口库 alone takes 2 weeks
    Broken("impossible-deadline",
           _set(("targets", "systems_on_cloud"), [{"by": "2020-01-12", "systems": "all"}]),
           words=("not met", "2020-01-12"), bad=False),
]


def _write_case(case: Broken, folder: Path) -> Path:
    import yaml

    folder.mkdir()
    data = _tiny_scenario_data()
    if case.edit is not None:
        case.edit(data)
    text = case.text if case.text is not None else yaml.safe_dump(data, allow_unicode=True,
                                                                   sort_keys=False)
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    (folder / "systems.csv").write_bytes(case.csv if case.csv is not None
                                         else TINY_CSV.encode("utf-8-sig"))
    return folder / "scenario.yaml"


def _args(command: str, path: Path, out: Path) -> list[str]:
    if command == "validate":
        return ["validate", str(path)]
    extra = ["--duration", "60s"] if command in ("simulate", "run") else []
    return [command, str(path), "--out", str(out), "--no-plot", "--quiet", *extra]


def _params():
    for case in BROKEN:
        for command in COMMANDS:
            yield pytest.param(case, command, id=f"{case.id}-{command}")


@pytest.mark.parametrize(("case", "command"), list(_params()))
def test_broken_scenario_gets_a_message_not_a_traceback(case, command, tmp_path, capsys):
    path = _write_case(case, tmp_path / "case")
    out = tmp_path / "out"  # the output of an earlier run
    out.mkdir()
    (out / "run-metadata.json").write_text("{}", encoding="utf-8")
    (out / "earlier.txt").write_text("from the earlier run", encoding="utf-8")
    rc = main(_args(command, path, out))
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "out"]  # no staging left
    if case.bad:
        assert rc == 2, err
        for words in case.words:
            assert words in err, err
        assert written == ["earlier.txt", "run-metadata.json"]  # untouched
    else:
        # 1: a target missed, 5: no plan meets them (both said on stderr), not an error
        assert rc in (0, 1, 5), err
        assert (rc == 1) == ("netplan: not met:" in err and "netplan: no plan:" not in err), err
        assert (rc == 5) == ("netplan: no plan:" in err), err
        if command != "validate":  # validate writes nothing
            assert "earlier.txt" not in written  # the folder was replaced whole
        if command in ("schedule", "run") and case.words:
            index = (out / "index.md").read_text(encoding="utf-8")
            for words in case.words:
                assert words.lower() in index.lower(), index


def test_good_tiny_scenario_runs_every_command(tmp_path, capsys):
    # the control: the same files without a fault pass every command
    path = _write_case(Broken("good"), tmp_path / "case")
    for command in COMMANDS:
        out = tmp_path / f"out-{command}"
        rc = main(_args(command, path, out))
        err = capsys.readouterr().err
        assert rc in (0, 1) and (rc == 1) == ("netplan: not met:" in err), err
        assert command == "validate" or (out / "index.md").exists()
        assert command == "validate" or (out / "report.html").exists()
    assert main(["schema", "--out", str(tmp_path / "schema.json")]) == 0
    assert json.loads((tmp_path / "schema.json").read_text(encoding="utf-8"))["properties"]


def test_schema_into_a_missing_folder_is_an_error_not_a_traceback(tmp_path, capsys):
    assert main(["schema", "--out", str(tmp_path / "no" / "such" / "schema.json")]) == 2
    err = capsys.readouterr().err
    assert "No such file or directory" in err and "Traceback" not in err


def test_an_unexpected_exception_is_reported_as_an_internal_error(tmp_path, capsys,
                                                                  monkeypatch):
    import netplan.topology

    def boom(scenario):
        raise RuntimeError("boom")

    monkeypatch.setattr(netplan.topology, "build_topology", boom)
    path = _write_case(Broken("good"), tmp_path / "case")
    out = tmp_path / "out"
    assert main(["topology", str(path), "--out", str(out), "--quiet", "--no-plot"]) == 3
    err = capsys.readouterr().err
    assert err.strip() == ("netplan: internal error: RuntimeError: boom — please report it; "
                           "nothing was written.")
    assert not out.exists()


def test_validate_checks_a_progress_file_as_the_planning_commands_read_it(tmp_path, capsys):
    path = _write_case(Broken("good"), tmp_path / "case")
    good = tmp_path / "good.csv"
    good.write_text("item_kind,item_id,event,date\n"
                    "system,市公安局/人口库,migrated,2020-01-19\n", encoding="utf-8")
    assert main(["validate", str(path), "--progress", str(good)]) == 0
    assert "good.csv: 1 progress record(s)" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("item_kind,item_id,event,date\n"
                   "system,市公安局/人口库,migrated,2020-01-19\n"
                   "system,市公安局/人口库,migrated,2020-02-30\n", encoding="utf-8")
    assert main(["validate", str(path), "--progress", str(bad)]) == 2
    assert "bad.csv row 3, column date" in capsys.readouterr().err


def test_validate_checks_a_site_and_link_inventory(tmp_path, capsys):
    from netplan.examples import tiny_scenario
    from netplan.io.topology_io import write_graphml
    from netplan.topology import build_topology

    path = _write_case(Broken("good"), tmp_path / "case")
    topo = build_topology(tiny_scenario())
    write_graphml(topo, tmp_path / "net.graphml")
    assert main(["validate", str(path), "--topology", str(tmp_path / "net.graphml")]) == 0
    assert f"{topo.n_nodes:,} sites, {topo.n_links:,} links" in capsys.readouterr().out
    sites, links = tmp_path / "sites.csv", tmp_path / "links.csv"
    sites.write_text("node_id,name,kind,tier\np,省,province,province\nc,市,city,city\n",
                     encoding="utf-8")
    links.write_text("source,target,capacity,latency_ms\np,c,1G,2\nc,x,1G,2\n", encoding="utf-8")
    assert main(["validate", str(path), "--topology", f"{sites},{links}"]) == 2
    err = capsys.readouterr().err
    assert "links.csv row 3" in err and "Traceback" not in err
    assert main(["validate", str(path), "--topology", str(tmp_path / "net.xlsx")]) == 2
