"""Every CLI command on a corpus of broken inputs: exit 2, a message naming the place, no
traceback, and ``--out`` not created (or, when it is a file, unchanged).

The corpus is written by the test into ``tmp_path``, around the hand-countable tiny scenario
(its 8-system inventory, a 60 s simulation), so that each command, which must stop before it
runs anything, returns in well under a second. Commands run in-process through
:func:`netplan.cli.main`; two cases also run as a subprocess, to see the real exit status.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from netplan.cli import main

FILE_COMMANDS = ["validate", "topology", "schedule", "capacity", "simulate", "run", "replan",
                 "sweep"]
OUT_COMMANDS = [c for c in FILE_COMMANDS if c != "validate"]

GRID = "name: g\nstages: [migration]\ngrid:\n  migration.teams: [1, 2]\n"
PROGRESS = "事项类型,编号,事件,日期\n系统,市公安局/人口库,已梳理,2020-01-10\n"


def _scenario() -> dict:
    from netplan.examples import TINY_SCENARIO

    data = copy.deepcopy(TINY_SCENARIO)
    data["targets"] = dict(data["targets"], systems_on_cloud=[
        {"by": "2020-02-02", "systems": 3}, {"by": "2020-03-29", "systems": "all"}])
    data["migration"] = {"start": "2020-01-06", "end": "2020-03-29", "teams": 1,
                         "time_limit_s": 2}
    data["inventory"] = {"path": "systems.csv"}
    data["simulation"] = {"duration_s": 60, "warmup_s": 5, "failures": [], "cutover_weeks": 1}
    return data


def _inventory_csv() -> str:
    import tempfile

    from netplan.examples import tiny_migration
    from netplan.io.inventory_io import write_inventory

    with tempfile.TemporaryDirectory() as d:
        return write_inventory(tiny_migration()[1], Path(d) / "systems.csv").read_text(
            encoding="utf-8-sig")


INVENTORY = _inventory_csv()
HEADER, FIRST, *REST = INVENTORY.splitlines()
assert FIRST.startswith("市公安局/人口库,人口库,市公安局,")  # row 2: 人口库, vCPU 16
assert ",16,64,2,1," in FIRST


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _laughs(levels: int = 10) -> str:
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * 9) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _gbk_broken_field() -> tuple[bytes, int]:
    """The tiny scenario in GBK with the city uplink's latency in words, and that line."""
    text = _yaml(_scenario()).replace("latency_ms: 5", "latency_ms: 五毫秒", 1)
    line = next(k for k, ln in enumerate(text.splitlines(), 1) if "五毫秒" in ln)
    return text.encode("gbk"), line


GBK_SCENARIO, GBK_LINE = _gbk_broken_field()


def _columns_dropped(name: str) -> str:
    cols = HEADER.split(",")
    k = cols.index(name)
    rows = [r.split(",") for r in INVENTORY.splitlines()]
    assert all(len(r) == len(cols) for r in rows)  # no quoted commas in the tiny inventory
    return "\n".join(",".join(c for j, c in enumerate(r) if j != k) for r in rows) + "\n"


@dataclass(frozen=True)
class Case:
    id: str
    words: tuple[str, ...]  # in stderr: the file, and the row or line where there is one
    commands: tuple[str, ...] = tuple(FILE_COMMANDS)
    scenario: bytes | None = None  # the scenario file's bytes (default: the tiny scenario)
    inventory: str | None = None  # systems.csv (default: the tiny inventory)
    progress: str | None = None  # progress.csv, passed with --progress where it applies
    extra: tuple[str, ...] = ()  # more arguments
    missing_scenario: bool = False
    out_is_file: bool = False
    xfail: dict[str, str] = field(default_factory=dict)  # command -> the CLI bug


CORPUS = [
    Case("malformed-yaml", ("scenario.yaml", "line 3", "not valid YAML"),
         scenario=b"name: tiny\nregion: [\n"),
    Case("binary-file", ("scenario.yaml", "binary"),
         scenario=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20),
    Case("gbk-broken-field", ("scenario.yaml", f"line {GBK_LINE}",
                              "extranet.tiers.city.latency_ms", '"五毫秒" is not a number'),
         scenario=GBK_SCENARIO),
    Case("alias-bomb", ("scenario.yaml", "line 7", "alias *a5",
                        "remove the anchors and aliases"), scenario=_laughs().encode()),
    Case("nonexistent-file", ("nowhere.yaml", "not found"), missing_scenario=True),
    Case("inventory-missing-column", ("systems.csv", "所属部门"),
         inventory=_columns_dropped("所属部门")),
    Case("inventory-duplicate-id", ("systems.csv row 10", "市公安局/人口库"),
         inventory=INVENTORY + FIRST + "\n"),
    Case("inventory-dangling-dependency",
         ("systems.csv row 2, column 依赖系统", "市公安局/不存在"),
         inventory=INVENTORY.replace(FIRST, FIRST.replace(",5,3,,", ",5,3,市公安局/不存在,", 1))),
    Case("inventory-text-in-number", ("systems.csv row 2, column vCPU", '"十六"'),
         inventory=INVENTORY.replace(FIRST, FIRST.replace(",16,64,", ",十六,64,", 1))),
    Case("inventory-no-rows", ("systems.csv",), inventory=HEADER + "\n"),
    Case("progress-broken", ("progress.csv row 2", "飞走了"),
         commands=("validate", "schedule", "run", "replan"),
         progress="事项类型,编号,事件,日期\n系统,市公安局/人口库,飞走了,2020-01-10\n"),
    Case("failure-unknown-carrier", ("--failure", "铁通"), commands=("simulate", "run"),
         extra=("--failure", "carrier:铁通")),
    Case("failure-unknown-cloud", ("--failure", "无此云"), commands=("simulate", "run"),
         extra=("--failure", "cloud:无此云@50%")),
    Case("failure-malformed", ("--failure",), commands=("simulate", "run"),
         extra=("--failure", "satellite:1")),
    Case("bad-as-of", ("--as-of", "2020-13-45"), commands=("validate", "schedule", "run",
                                                           "replan"),
         extra=("--as-of", "2020-13-45")),
    Case("negative-teams", ("--teams", "-1"), commands=("schedule", "run", "replan"),
         extra=("--teams", "-1")),
    Case("out-is-a-file", ("out",), commands=tuple(OUT_COMMANDS), out_is_file=True),
]


def _write(case: Case, folder: Path) -> Path:
    folder.mkdir()
    scenario = folder / ("nowhere.yaml" if case.missing_scenario else "scenario.yaml")
    if not case.missing_scenario:
        scenario.write_bytes(case.scenario if case.scenario is not None
                             else _yaml(_scenario()).encode())
    (folder / "systems.csv").write_text(case.inventory if case.inventory is not None
                                        else INVENTORY, encoding="utf-8-sig")
    (folder / "progress.csv").write_text(case.progress or PROGRESS, encoding="utf-8-sig")
    (folder / "grid.yaml").write_text(GRID, encoding="utf-8")
    return scenario


def _argv(case: Case, command: str, scenario: Path, out: Path) -> list[str]:
    folder = scenario.parent
    argv = [command, str(scenario)]
    if command != "validate":
        argv += ["--out", str(out), "--no-plot", "--quiet"]
    if command == "sweep":
        argv += ["--grid", str(folder / "grid.yaml")]
    if command in ("simulate", "run"):
        argv += ["--duration", "60s"]
    as_of_given = "--as-of" in case.extra
    if command == "replan" or (case.progress and command in ("validate", "schedule", "run")):
        argv += ["--progress", str(folder / "progress.csv")]
        if not as_of_given:
            argv += ["--as-of", "2020-02-01"]
    return argv + list(case.extra)


def _params():
    for case in CORPUS:
        for command in case.commands:
            marks = ([pytest.mark.xfail(strict=True, reason=case.xfail[command])]
                     if command in case.xfail else [])
            yield pytest.param(case, command, id=f"{case.id}-{command}", marks=marks)


def _run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse's usage errors
        return exc.code


@pytest.mark.parametrize(("case", "command"), list(_params()))
def test_broken_input_exits_2_naming_the_place(case, command, tmp_path, capsys):
    scenario = _write(case, tmp_path / "in")
    out = tmp_path / "out"
    if case.out_is_file:
        out.write_text("not a folder", encoding="utf-8")
    rc = _run(_argv(case, command, scenario, out))
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text, text
    assert "internal error" not in text, text
    assert rc == 2, text
    for words in case.words:
        assert words in captured.err, captured.err
    if case.out_is_file:
        assert out.read_text(encoding="utf-8") == "not a folder"
    else:
        assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["in"] + (["out"] if case.out_is_file else []))  # no staging folder left


def test_schema_out_into_a_file_exits_2(tmp_path, capsys):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file", encoding="utf-8")
    rc = _run(["schema", "--out", str(blocker / "schema.json")])
    err = capsys.readouterr().err
    assert rc == 2 and "Traceback" not in err and "internal error" not in err, err
    assert "blocker" in err
    assert blocker.read_text(encoding="utf-8") == "a file"


@pytest.mark.parametrize(("case_id", "command"), [("alias-bomb", "validate"),
                                                  ("binary-file", "run")])
def test_broken_input_as_a_subprocess(case_id, command, tmp_path):
    case = next(c for c in CORPUS if c.id == case_id)
    scenario = _write(case, tmp_path / "in")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "netplan.cli",
                           *_argv(case, command, scenario, out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    for words in case.words:
        assert words in proc.stderr
    assert not out.exists()
