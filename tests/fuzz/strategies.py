"""Hypothesis strategies over every input surface, and the property they must all satisfy.

A *surface* is one way hostile bytes enter netplan: a scenario YAML file, an inventory CSV or
XLSX, a progress file, a topology (CSV, JSON, GraphML, SNDlib), a ``--failure`` spec. Each
:class:`Surface` pairs a strategy drawing a *case* (the file's bytes, or the spec) with a
``run(case, workdir)`` that writes the case and reads it the way the command line does.

The property (:func:`check`): ``run`` returns a result, or raises a
:class:`~netplan.errors.NetplanError` whose message names the place (the file, and a line,
row or field where the reader locates one); never another exception; never longer than the
profile's deadline. The tests in this folder run each surface under the ``fuzz-ci`` profile
(small, fixed seed); ``benchmarks/fuzz_inputs.py`` runs ``fuzz-long``.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import os
import re
import string
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from netplan.errors import NetplanError, ScenarioError

# --------------------------------------------------------------------------- profiles

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
# fuzz-ci: a fixed sequence of cases (derandomize), no shrinking (a failure is reported as
# drawn: shrinking a slow case can take minutes), nothing written to .hypothesis/.
settings.register_profile("fuzz-ci", max_examples=20, deadline=timedelta(seconds=5),
                          derandomize=True, database=None, suppress_health_check=_QUIET,
                          phases=(Phase.explicit, Phase.generate), print_blob=False)
settings.register_profile("fuzz-long", max_examples=500, deadline=timedelta(seconds=10),
                          derandomize=False, database=None, suppress_health_check=_QUIET)

#: The profile of this run: ``fuzz-ci`` unless ``NETPLAN_FUZZ_PROFILE`` names another. Used
#: as a decorator (``@FUZZ``), so that other tests' hypothesis settings are left alone.
FUZZ = settings.get_profile(os.environ.get("NETPLAN_FUZZ_PROFILE", "fuzz-ci"))

# --------------------------------------------------------------------------- hostile values

#: Numbers that break naive code: huge, negative, non-finite, just past float precision.
NUMBERS = st.sampled_from([0, 1, -1, -7, 3, 10**9, 10**100, -(10**100), 2**53 + 1, 2**63,
                           0.5, -0.25, 1e308, 1e-320, math.inf, -math.inf, math.nan])

#: Text that breaks naive code: formulas, markup, control and bidi characters, dates in odd
#: forms, full-width digits, YAML-looking words, very long text.
TEXTS = st.sampled_from([
    "", " ", "=1+1", "+1", "-1", "@SUM(A1)", '=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\u202eevil", "\u200b",
    "NaN", "nan", "inf", "-inf", "null", "None", "yes", "no", "是", "否", "√", "1e400",
    "0x10", "1,000", "１２", "12%", "150%", "-5%", "2020-02-30", "2020/13/01", "20200101",
    "31/12/2020", "2020年1月1日", "２０２０年１月１日", "1900-01-01", "9999-12-31",
    "2020-01-01T00:00", "\t", "a\nb", "a,b", 'a"b', "a;b;c", "电信", "市公安局/人口库",
    "x" * 300, "💥", "\x7f", "\\", "../../etc/passwd", "${HOME}", "%s%n", "-- ", " -- ",
])

#: Any short text, from a wide alphabet (CJK, punctuation, controls).
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)

SCALARS = st.one_of(NUMBERS, TEXTS, ANY_TEXT, st.none(), st.booleans(), st.integers(),
                    st.floats(allow_nan=True, allow_infinity=True), st.dates())

#: Any YAML-representable value: scalars, and small lists and mappings of them.
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6)


def cell_texts() -> st.SearchStrategy[str]:
    """Text of one table cell: hostile or random."""
    return st.one_of(TEXTS, ANY_TEXT, NUMBERS.map(str), st.dates().map(str),
                     st.integers(-5, 400).map(str))


# --------------------------------------------------------------------------- the property


@dataclass(frozen=True)
class Surface:
    """One input surface: a strategy of cases and how to feed a case to netplan.

    ``run(case, workdir)`` returns the file name (or the spec text) an error must name, and
    the result; it raises what netplan raises.
    """

    name: str
    cases: st.SearchStrategy
    run: Callable[[object, Path], tuple[str, object]]


#: The text each surface's errors must contain (its file name or flag).
_PLACE: dict[str, str] = {}


def assert_placed(surface: Surface, exc: NetplanError) -> None:
    """A netplan error names its place and every issue says something."""
    text = str(exc)
    where = _PLACE.get(surface.name, "")
    assert text.strip(), f"{surface.name}: an empty error message"
    assert "Traceback" not in text, f"{surface.name}: a traceback in the message:\n{text}"
    assert where in text, f"{surface.name}: the error does not name {where!r}:\n{text}"
    if isinstance(exc, ScenarioError):
        assert exc.issues, f"{surface.name}: a ScenarioError with no issue"
        for issue in exc.issues:
            assert issue.message.strip(), f"{surface.name}: an issue with no message"


def check(surface: Surface, case: object, workdir: Path) -> str:
    """Run one case and assert the property; return ``"valid"`` or ``"error"``.

    A NetplanError that does not name its place fails (AssertionError); any other exception
    propagates, failing the test.
    """
    try:
        surface.run(case, workdir)
    except NetplanError as exc:
        assert_placed(surface, exc)
        return "error"
    return "valid"


def normalise(message: str) -> str:
    """One error message with the case's names and numbers taken out, to count its *kind*."""
    text = re.sub(r"(['\"“”‘’«»「」]).*?\1", "Q", message)  # quoted values
    text = re.sub(r"\{.*?\}|\[.*?\]|\(.*?\)", "(…)", text)  # bracketed details
    text = re.sub(r"[^\x00-\x7f…]+", "X", text)  # names in Chinese or any other script
    text = re.sub(r"\b[\w./-]*\.(csv|xlsx|yaml|json|graphml|txt)\b", "F", text)
    text = re.sub(r"[-+]?\d[\d,._]*(e[-+]?\d+)?", "N", text)
    text = re.sub(r"\b(did you mean|allowed here|close ids?|the scenario has|e\.g\.).*$",
                  r"\1 …", text)
    return re.sub(r"\s+", " ", text).strip()


def kinds_of(exc: NetplanError) -> list[str]:
    """The normalised message of each issue (or the whole message) of a netplan error."""
    if isinstance(exc, ScenarioError) and exc.issues:
        return [normalise(i.message) for i in exc.issues]
    return [normalise(str(exc))]


def classify(surface: Surface, case: object, workdir: Path) -> tuple[str, list[str], float]:
    """``(outcome, kinds, seconds)`` of one case, never raising: for the benchmark.

    ``outcome`` is ``valid``, ``netplan`` (a NetplanError naming its place), ``unplaced``
    (a NetplanError that does not) or ``other`` (any other exception; its kind holds the
    type, message and last frame).
    """
    t0 = time.perf_counter()
    try:
        surface.run(case, workdir)
        outcome, kinds = "valid", []
    except NetplanError as exc:
        kinds = kinds_of(exc)
        try:
            assert_placed(surface, exc)
            outcome = "netplan"
        except AssertionError as bad:
            outcome, kinds = "unplaced", [str(bad).splitlines()[0][:160]]
    except Exception as exc:  # noqa: BLE001 - counted: the benchmark must go on
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        outcome = "other"
        kinds = [f"{type(exc).__name__}: {str(exc)[:100]} "
                 f"({Path(frame.filename).name}:{frame.lineno})"]
    return outcome, kinds, time.perf_counter() - t0


# --------------------------------------------------------------------------- scenario YAML


@cache
def _base_scenarios() -> tuple[dict, ...]:
    from netplan.examples import TINY_SCENARIO, scenario_path

    tiny = json.loads(json.dumps(TINY_SCENARIO, default=str))
    if FUZZ.max_examples < 100:  # fuzz-ci: the national one takes ~0.5 s a case to validate
        return (tiny,)
    national = yaml.safe_load(Path(scenario_path("national-synthetic")).read_text("utf-8"))
    return tiny, national


def _paths(data: object, prefix: tuple = ()) -> list[tuple]:
    """Every path (a tuple of keys and indexes) into nested dicts and lists."""
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _get_parent(data, path):
    for key in path[:-1]:
        data = data[key]
    return data


def _deep(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


@st.composite
def scenario_dicts(draw) -> dict:
    """A shipped scenario (tiny; in fuzz-long also the synthetic national one), 1-3 fields
    mutated."""
    data = copy.deepcopy(draw(st.sampled_from(_base_scenarios())))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _get_parent(data, path)
        key = path[-1]
        op = draw(st.sampled_from(["replace", "replace", "replace", "delete", "unknown_key",
                                   "deep", "enormous", "empty"]))
        if op == "replace":
            parent[key] = draw(VALUES)
        elif op == "delete":
            del parent[key]
        elif op == "unknown_key" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["uplnk", "colour", "x", "名称", "towns2"]))] = 1
        elif op == "deep":
            parent[key] = _deep(draw(st.integers(10, 200)))
        elif op == "enormous":
            # PyYAML's pure-Python loader reads ~3,000 lines a second on a loaded machine
            parent[key] = [draw(TEXTS)] * draw(st.integers(50, 500))
        elif op == "empty":
            parent[key] = draw(st.sampled_from([{}, [], "", None]))
    return data


_TEXT_EDITS = ["none", "truncate", "alias_bomb", "recursive_alias", "anchor_reuse", "tag",
               "tab", "bom", "gbk", "utf16", "latin1", "nul", "duplicate_key", "flow_junk",
               "multi_doc", "empty", "binary"]


@st.composite
def scenario_files(draw) -> bytes:
    """The bytes of a scenario file: a mutated scenario, dumped, with a text-level edit."""
    data = draw(scenario_dicts())
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: 20 times faster
    text = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=None)
    lines = text.splitlines()
    edit = draw(st.sampled_from(_TEXT_EDITS))
    at = draw(st.integers(0, max(len(lines) - 1, 0)))
    encoding = "utf-8"
    if edit == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif edit == "alias_bomb":
        levels = draw(st.integers(2, 12))
        bomb = ["lol0: &l0 [a, a, a, a, a, a, a, a, a, a]"] + [
            f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, levels)]
        text = "\n".join(bomb) + "\n" + text
    elif edit == "recursive_alias":
        text = text + "loop: &r [1, *r]\n"
    elif edit == "anchor_reuse":
        text = text.replace("carriers: 2", "carriers: &c 2", 1).replace(
            "carriers: 1", "carriers: *c", 1)
    elif edit == "tag":
        tag = draw(st.sampled_from(["!!python/object/apply:os.system", "!!binary",
                                    "!!python/name:os.system", "!!set", "!custom", "!!str",
                                    "!!int", "!!float", "!!timestamp", "!!omap"]))
        lines.insert(at, f"tagged: {tag} {draw(st.sampled_from(['x', '[1]', '{a: 1}', '']))}")
        text = "\n".join(lines) + "\n"
    elif edit == "tab":
        lines[at] = "\t" + lines[at]
        text = "\n".join(lines) + "\n"
    elif edit == "bom":
        text = "\ufeff" + text
    elif edit in ("gbk", "utf16", "latin1"):
        encoding = {"gbk": "gbk", "utf16": "utf-16", "latin1": "latin-1"}[edit]
    elif edit == "nul":
        text = text[: len(text) // 2] + "\x00" + text[len(text) // 2:]
    elif edit == "duplicate_key" and lines:
        lines.insert(at, lines[at])
        text = "\n".join(lines) + "\n"
    elif edit == "flow_junk":
        lines.insert(at, draw(st.sampled_from(["{", "[", "]", "- -", ": :", "? ", "&", "*x",
                                               "'unterminated", "key: 'a", "%YAML 9.9"])))
        text = "\n".join(lines) + "\n"
    elif edit == "multi_doc":
        text = text + "---\nname: second\n"
    elif edit == "empty":
        text = draw(st.sampled_from(["", "\n", "# only a comment\n", "~\n", "[]\n", "42\n"]))
    elif edit == "binary":
        return draw(st.binary(min_size=1, max_size=200))
    return text.encode(encoding, errors="replace")


def _run_scenario(case: bytes, workdir: Path):
    from netplan.io.scenario_yaml import read_scenario

    path = workdir / "scenario.yaml"
    path.write_bytes(case)
    return "scenario.yaml", read_scenario(path)


SCENARIO_YAML = Surface("scenario yaml", scenario_files(), _run_scenario)
_PLACE["scenario yaml"] = "scenario.yaml"

# --------------------------------------------------------------------------- tables


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-bom":
        return "\ufeff".encode() + text.encode("utf-8")
    return text.encode(encoding, errors="replace")


ENCODINGS = st.sampled_from(["utf-8", "utf-8", "utf-8-bom", "gbk", "gb18030", "utf-16",
                             "latin-1"])


@st.composite
def table_texts(draw, columns: dict[str, st.SearchStrategy], required: tuple[str, ...],
                extra: tuple[str, ...] = ("备注", "colour", "")) -> str:
    """A CSV table: a header (some columns dropped, repeated, misspelt or extra) and rows."""
    names = list(columns)
    header = [c for c in names if c in required or draw(st.booleans())]
    if draw(st.integers(0, 4)) == 0 and header:  # drop a (maybe required) column
        header.remove(draw(st.sampled_from(header)))
    if draw(st.integers(0, 5)) == 0 and header:  # repeat one
        header.append(draw(st.sampled_from(header)))
    if draw(st.integers(0, 4)) == 0:  # an extra or misspelt one
        header.append(draw(st.sampled_from([*extra, *(h[:-1] for h in header if len(h) > 2)])))
    header = draw(st.permutations(header))
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row = [draw(st.one_of(columns[c], cell_texts()) if draw(st.integers(0, 3)) == 0
                    else columns[c]) if c in columns else draw(cell_texts()) for c in header]
        if draw(st.integers(0, 6)) == 0:  # a ragged row
            row = row[: draw(st.integers(0, len(row)))] + draw(st.lists(cell_texts(),
                                                                          max_size=2))
        rows.append(row)
    if rows and draw(st.integers(0, 4)) == 0:  # a duplicate row (duplicate id)
        rows.append(list(draw(st.sampled_from(rows))))

    def cell(v: str) -> str:
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n\r') else v

    lines = [",".join(cell(c) for c in r) for r in [header, *rows]]
    if draw(st.integers(0, 8)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(
            ["", ",,,", "# comment", '"unterminated', "\x00", "梅州市XX局政务信息系统情况清单"])))
    return "\n".join(lines) + ("\n" if draw(st.booleans()) else "")


@st.composite
def table_files(draw, columns, required, *, empty_ok: bool = True) -> bytes:
    """The bytes of a CSV table in one of several encodings, or an empty or binary file."""
    kind = draw(st.integers(0, 20))
    if kind == 0 and empty_ok:
        return draw(st.sampled_from([b"", b"\n", b"\xef\xbb\xbf", b"\r\n\r\n"]))
    if kind == 1:
        return draw(st.binary(max_size=100))
    return _encode(draw(table_texts(columns, required)), draw(ENCODINGS))


_IDS = ["市公安局/人口库", "市公安局/警务通", "市民政局/低保", "A县/医保", "x", ""]
INVENTORY_COLUMNS = {
    "系统编号": st.sampled_from(_IDS),
    "系统名称": st.sampled_from(["人口库", "警务通", "低保", "医保", "门户"]),
    "所属部门": st.sampled_from(["市公安局", "市民政局", "A县医保局"]),
    "层级": st.sampled_from(["市级", "县级", "city", "county", "省级"]),
    "服务区域": st.sampled_from(["甲市", "A县", "B区", "Z县"]),
    "vCPU": st.integers(-2, 64).map(str), "内存GB": st.integers(-2, 512).map(str),
    "存储TB": st.floats(-1, 50, allow_nan=False).map(lambda v: f"{v:.2f}"),
    "迁移数据量TB": st.floats(0, 10, allow_nan=False).map(lambda v: f"{v:.1f}"),
    "重要程度": st.integers(0, 6).map(str), "风险等级": st.integers(0, 6).map(str),
    "依赖系统": st.sampled_from(["", "市公安局/人口库", "市公安局/不存在", "x;x",
                              "市公安局/人口库、市民政局/低保"]),
    "最近更新": st.sampled_from(["2019-01-30", "2019/1/30", "2019年1月30日", "30/01/2019"]),
    "资源闲置率": st.sampled_from(["45", "45%", "101", "-3", "abc"]),
    "涉密": st.sampled_from(["是", "否", "Y", "maybe"]),
    "已上云": st.sampled_from(["是", "否", "true", ""]),
    "迁移周数": st.integers(-1, 60).map(str),
    "system_id": st.sampled_from(_IDS), "name": st.sampled_from(["a", "b"]),
}


def _run_inventory_csv(case: bytes, workdir: Path):
    from netplan.io.inventory_io import read_inventory

    path = workdir / "systems.csv"
    path.write_bytes(case)
    return "systems.csv", read_inventory(path)


INVENTORY_CSV = Surface("inventory csv",
                        table_files(INVENTORY_COLUMNS, ("系统名称", "所属部门")),
                        _run_inventory_csv)
_PLACE["inventory csv"] = "systems.csv"


@st.composite
def xlsx_tables(draw) -> list[list[object]]:
    """Rows of an XLSX inventory: text, numbers, dates, formulas and blanks."""
    text = draw(table_texts(INVENTORY_COLUMNS, ("系统名称", "所属部门")))
    import csv
    import io

    try:
        rows: list[list[object]] = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        rows = [["系统名称", "所属部门"]]
    for r in rows[1:]:
        if r and draw(st.integers(0, 3)) == 0:
            r[draw(st.integers(0, len(r) - 1))] = draw(st.one_of(
                NUMBERS, st.dates(), st.datetimes(), st.just("=1+1"), st.just("=A1"),
                st.none(), st.booleans()))
    return rows


def _run_inventory_xlsx(case: list, workdir: Path):
    import openpyxl

    from netplan.io.inventory_io import read_inventory

    path = workdir / "systems.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, row in enumerate(case, start=1):
        for c, v in enumerate(row, start=1):
            if isinstance(v, float) and not math.isfinite(v):
                v = str(v)  # openpyxl cannot store these as numbers
            if isinstance(v, str):
                v = "".join(ch for ch in v if ch >= " " or ch in "\t\n\r")  # XML-legal text
            ws.cell(r, c, v)
    wb.save(path)
    return "systems.xlsx", read_inventory(path)


INVENTORY_XLSX = Surface("inventory xlsx", xlsx_tables(), _run_inventory_xlsx)
_PLACE["inventory xlsx"] = "systems.xlsx"

PROGRESS_COLUMNS = {
    "事项类型": st.sampled_from(["系统", "链路", "部门", "system", "link", "", "卫星"]),
    "编号": st.sampled_from(["市公安局/人口库", "市公安局/警务通", "甲市 -- A县", "无此系统",
                           "A县 -- A县", ""]),
    "事件": st.sampled_from(["已梳理", "已迁移上云", "已下线", "已接入平台", "migrated",
                           "已升级", "飞走了", ""]),
    "日期": st.sampled_from(["2020-01-10", "2020/2/3", "2020年3月1日", "2021-01-01",
                           "2020-02-30", "tomorrow", ""]),
    "备注": cell_texts(),
}


@cache
def _tiny_inventory():
    from netplan.examples import tiny_migration

    return tiny_migration()[1]


@st.composite
def progress_cases(draw) -> tuple[bytes, bool, dt.date | None]:
    data = draw(table_files(PROGRESS_COLUMNS, ("编号", "事件", "日期")))
    return data, draw(st.booleans()), draw(st.one_of(st.none(), st.dates(
        dt.date(2019, 1, 1), dt.date(2021, 12, 31))))


def _run_progress(case, workdir: Path):
    from netplan.io.progress_io import read_progress

    data, with_inventory, as_of = case
    path = workdir / "progress.csv"
    path.write_bytes(data)
    return "progress.csv", read_progress(path, inventory=_tiny_inventory() if with_inventory
                                         else None, as_of=as_of)


PROGRESS = Surface("progress csv", progress_cases(), _run_progress)
_PLACE["progress csv"] = "progress.csv"

# --------------------------------------------------------------------------- topologies

SITE_COLUMNS = {
    "node_id": st.sampled_from(["P", "C", "K", "T", "C", "Z", ""]),
    "name": st.sampled_from(["省", "市", "县", "镇", ""]),
    "kind": st.sampled_from(["province", "city", "county", "town", "village", "pop", "moon"]),
    "tier": st.sampled_from(["province", "city", "county", "town", "village", "galaxy"]),
    "parent": st.sampled_from(["", "P", "C", "K", "nowhere"]),
}
LINK_COLUMNS = {
    "source": st.sampled_from(["P", "C", "K", "T", "Z", ""]),
    "target": st.sampled_from(["P", "C", "K", "T", "nowhere", ""]),
    "capacity": st.sampled_from(["10G", "1G", "100M", "0", "-1G", "1e400G", "fast", "", "10"]),
    "latency_ms": st.sampled_from(["1", "0", "-1", "nan", "inf", "x", ""]),
    "carrier": st.sampled_from(["电信", "联通", ""]),
    "length_km": st.sampled_from(["10", "-5", "nan", ""]),
    "kind": st.sampled_from(["uplink", "link", "interconnect", "wormhole", ""]),
}


@st.composite
def csv_topologies(draw) -> tuple[bytes, bytes]:
    return (draw(table_files(SITE_COLUMNS, ("node_id", "name", "kind", "tier"))),
            draw(table_files(LINK_COLUMNS, ("source", "target", "capacity", "latency_ms"))))


def _run_csv_topology(case, workdir: Path):
    from netplan.io.topology_io import read_csv_topology

    sites, links = workdir / "sites.csv", workdir / "links.csv"
    sites.write_bytes(case[0])
    links.write_bytes(case[1])
    return "sites.csv", read_csv_topology(sites, links)


CSV_TOPOLOGY = Surface("topology csv", csv_topologies(), _run_csv_topology)
_PLACE["topology csv"] = ".csv"  # either file may be the one at fault

#: A small topology in netplan's node-link JSON: a province, a city, two counties, a town.
TOPOLOGY_JSON = {
    "netplan_format": 1, "directed": False, "multigraph": True,
    "graph": {"name": "hand", "root": "P"},
    "nodes": [
        {"id": "P", "kind": "province", "tier": "province", "name": "省"},
        {"id": "C", "kind": "city", "tier": "city", "name": "市", "parent": "P"},
        {"id": "K1", "kind": "county", "tier": "county", "name": "县一", "parent": "C"},
        {"id": "K2", "kind": "county", "tier": "county", "name": "县二", "parent": "C"},
        {"id": "T", "kind": "town", "tier": "town", "name": "镇", "parent": "K1"},
    ],
    "links": [
        {"source": "C", "target": "P", "key": 0, "link_id": 0, "kind": "uplink",
         "tier": "city", "carrier": "电信", "capacity_mbps": 10000, "latency_ms": 2.0},
        {"source": "K1", "target": "C", "key": 0, "link_id": 1, "kind": "uplink",
         "tier": "county", "carrier": "电信", "capacity_mbps": 1000, "latency_ms": 1.0},
        {"source": "K2", "target": "C", "key": 0, "link_id": 2, "kind": "uplink",
         "tier": "county", "carrier": "联通", "capacity_mbps": 1000, "latency_ms": 1.0},
        {"source": "T", "target": "K1", "key": 0, "link_id": 3, "kind": "uplink",
         "tier": "town", "carrier": "电信", "capacity_mbps": 100, "latency_ms": 0.5},
    ],
}


@st.composite
def json_topologies(draw) -> bytes:
    """The hand topology with links dangling, looping, duplicated; fields of wrong types."""
    data = copy.deepcopy(TOPOLOGY_JSON)
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["dangling", "self_loop", "dup_node", "dup_link", "field",
                                   "drop", "no_nodes", "not_object"]))
        nodes, links = data.get("nodes"), data.get("links")
        if not isinstance(nodes, list) or not isinstance(links, list):
            break
        if op == "dangling" and links:
            draw(st.sampled_from(links))[draw(st.sampled_from(["source", "target"]))] = "Z"
        elif op == "self_loop" and links:
            link = draw(st.sampled_from(links))
            link["target"] = link["source"]
        elif op == "dup_node" and nodes:
            nodes.append(copy.deepcopy(draw(st.sampled_from(nodes))))
        elif op == "dup_link" and links:
            links.append(copy.deepcopy(draw(st.sampled_from(links))))
        elif op == "field":
            item = draw(st.sampled_from(nodes + links + [data["graph"]]))
            if isinstance(item, dict) and item:
                item[draw(st.sampled_from(sorted(item)))] = draw(VALUES)
        elif op == "drop":
            item = draw(st.sampled_from([data, *nodes, *links]))
            if isinstance(item, dict) and item:
                del item[draw(st.sampled_from(sorted(item)))]
        elif op == "no_nodes":
            data["nodes"] = draw(st.sampled_from([[], None, {}, "x"]))
        elif op == "not_object":
            data = draw(st.sampled_from([[], "x", 1, None]))
            break
    text = json.dumps(data, ensure_ascii=False, allow_nan=True, default=str)
    if draw(st.integers(0, 6)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return _encode(text, draw(ENCODINGS))


def _run_json_topology(case: bytes, workdir: Path):
    from netplan.io.topology_io import read_json

    path = workdir / "topology.json"
    path.write_bytes(case)
    return "topology.json", read_json(path)


JSON_TOPOLOGY = Surface("topology json", json_topologies(), _run_json_topology)
_PLACE["topology json"] = "topology.json"


@cache
def _graphml_text() -> str:
    import tempfile

    from netplan.io.topology_io import read_json, write_graphml

    d = Path(tempfile.mkdtemp())
    (d / "t.json").write_text(json.dumps(TOPOLOGY_JSON, ensure_ascii=False), encoding="utf-8")
    write_graphml(read_json(d / "t.json"), d / "t.graphml")
    return (d / "t.graphml").read_text(encoding="utf-8")


@st.composite
def graphml_files(draw) -> bytes:
    """The hand topology as GraphML, edited: ids, attributes, DTDs, broken XML."""
    text = _graphml_text()
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["dangling", "self_loop", "dup_node", "value", "drop_key",
                                   "doctype", "truncate", "junk"]))
        if op == "dangling":
            text = text.replace('target="P"', 'target="Z"', 1)
        elif op == "self_loop":
            text = text.replace('source="K1" target="C"', 'source="K1" target="K1"', 1)
        elif op == "dup_node":
            m = re.search(r"<node .*?</node>", text, re.S)
            if m:
                text = text[: m.end()] + m.group(0) + text[m.end():]
        elif op == "value":
            values = re.findall(r">([^<>]+)</data>", text)
            if values:
                old = draw(st.sampled_from(values))
                new = draw(TEXTS).replace("&", "&amp;").replace("<", "&lt;")
                text = text.replace(f">{old}</data>", f">{new}</data>", 1)
        elif op == "drop_key":
            text = re.sub(r"<key [^>]*/>", "", text, count=1)
        elif op == "doctype":
            text = text.replace("<graphml", '<!DOCTYPE graphml [<!ENTITY a "aaaa">]>\n<graphml', 1)
        elif op == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        elif op == "junk":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(["<", "&", "&x;", "]]>", "<node>", "\x01"])) \
                + text[at:]
    return _encode(text, draw(st.sampled_from(["utf-8", "utf-8", "gbk", "utf-16"])))


def _run_graphml(case: bytes, workdir: Path):
    from netplan.io.topology_io import read_graphml

    path = workdir / "topology.graphml"
    path.write_bytes(case)
    return "topology.graphml", read_graphml(path)


GRAPHML = Surface("topology graphml", graphml_files(), _run_graphml)
_PLACE["topology graphml"] = "topology.graphml"

SNDLIB_NETWORK = """?SNDlib native format; type: network; version: 1.0
# network tiny

NODES (
  A ( 13.40 52.50 )
  B ( 10.00 53.55 )
  C ( 11.58 48.14 )
)

LINKS (
  L_AB ( A B ) 10.00 2.00 0.50 7.00 ( 10.00 3.00 40.00 10.00 )
  L_BC ( B C ) 0.00 0.00 0.00 0.00 ( 10.00 3.00 )
  L_AC ( A C ) 0.00 0.00 0.00 0.00 ( )
)

DEMANDS (
  D1 ( A B ) 1 25.00 UNLIMITED
  D2 ( B C ) 2 4.00 3
)

ADMISSIBLE_PATHS (
  D1 (
    P_0 ( L_AB )
    P_1 ( L_AC L_BC )
  )
)
"""

_SNDLIB_TOKENS = ["(", ")", "A", "Z", "L_AB", "-1", "nan", "inf", "1e400", "x", "UNLIMITED",
                  "NODES", "LINKS", "#", "?", "0", "99999999999999999999"]


@st.composite
def sndlib_files(draw) -> bytes:
    """The tiny SNDlib network, edited token by token and line by line."""
    lines = SNDLIB_NETWORK.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["token", "drop_line", "dup_line", "self_loop", "dangling"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "token":
            toks = lines[i].split()
            if toks:
                toks[draw(st.integers(0, len(toks) - 1))] = draw(st.one_of(
                    st.sampled_from(_SNDLIB_TOKENS), ANY_TEXT))
                lines[i] = " ".join(toks)
        elif op == "drop_line":
            del lines[i]
        elif op == "dup_line":
            lines.insert(i, lines[i])
        elif op == "self_loop":
            lines = [ln.replace("( A B )", "( A A )", 1) for ln in lines]
        elif op == "dangling":
            lines = [ln.replace("( B C )", "( B Q )", 1) for ln in lines]
        if not lines:
            break
    return _encode("\n".join(lines) + "\n", draw(st.sampled_from(["utf-8", "gbk", "utf-16"])))


def _run_sndlib(case: bytes, workdir: Path):
    from netplan.io.sndlib import read_sndlib

    path = workdir / "network.txt"
    path.write_bytes(case)
    return "network.txt", read_sndlib(path)


SNDLIB = Surface("topology sndlib", sndlib_files(), _run_sndlib)
_PLACE["topology sndlib"] = "network.txt"

# --------------------------------------------------------------------------- --failure

_FAULT_NAMES = ["电信", "联通", "移动", "政务云", "无此云", "甲市 -- A县", "A -- B", "--", "",
                " ", "测试省/甲市#电信 -- 测试省/甲市"]
_WHEN = ["", "@0", "@300+600", "@5min+10min", "@-5+10", "@x+y", "@1e400+1", "@+", "@50%",
         "@150%", "@-1%", "@abc%", "@1h+", "@@", "%", "+10"]

FAILURE_SPECS = st.one_of(
    st.builds(lambda kind, name, when: f"{kind}{name}{when}",
              st.sampled_from(["carrier:", "link:", "cloud:", "node:", "", ":", "CARRIER:"]),
              st.one_of(st.sampled_from(_FAULT_NAMES), ANY_TEXT),
              st.one_of(st.sampled_from(_WHEN), ANY_TEXT.map(lambda t: "@" + t))),
    st.text(alphabet=string.printable + "电信联通@%+:-", max_size=30),
)


def _run_failure(case: str, workdir: Path):
    import argparse

    from netplan.cli import _simulation_options

    args = argparse.Namespace(failure=[case], seed=None, duration=None, systems=None,
                              compare_provisioned=False)
    return "--failure", _simulation_options(args, _tiny())


@cache
def _tiny():
    from netplan.examples import tiny_scenario

    return tiny_scenario()


FAILURE = Surface("--failure spec", FAILURE_SPECS, _run_failure)
_PLACE["--failure spec"] = "--failure"

#: Every surface, by name.
SURFACES = {s.name: s for s in (SCENARIO_YAML, INVENTORY_CSV, INVENTORY_XLSX, PROGRESS,
                                CSV_TOPOLOGY, JSON_TOPOLOGY, GRAPHML, SNDLIB, FAILURE)}
