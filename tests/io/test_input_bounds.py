"""Bounded, safe reading of every input file: alias and entity bombs, size, depth, tags, numbers.

Each hostile input must give a netplan error naming the place (file and line) quickly, not
expand in memory nor crash with a traceback.
"""

from __future__ import annotations

import json
import time

import pytest
import yaml

import netplan.io.scenario_yaml as sy
from netplan.errors import InputFileError, ScenarioError
from netplan.examples import TINY_SCENARIO
from netplan.io.scenario_yaml import read_scenario


def tiny_yaml() -> str:
    return yaml.safe_dump(json.loads(json.dumps(TINY_SCENARIO, default=str)),
                          allow_unicode=True, sort_keys=False)


def laughs(levels: int, width: int = 9) -> str:
    """A "billion laughs" document: ``levels`` anchors, each repeating the previous ``width`` times.

    It expands to about ``width ** levels`` values (9**9 = 387 million for 9 levels).
    """
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def expanded_size(levels: int, width: int) -> int:
    """Nodes the document of :func:`laughs` expands to, by formula (root mapping, keys, lists)."""
    total = 1  # the root mapping
    sub = 1 + width  # a0: the list and its scalars
    for _ in range(levels):
        total += 1 + sub  # the key and the list it maps to
        sub = 1 + width * sub
    return total


def write(tmp_path, text: str, name: str = "s.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_laughs_size_formula_agrees_with_a_full_expansion():
    # the counter in the loader is checked against this formula below; check the formula first
    def count(v):
        return 1 + (sum(count(k) + count(x) for k, x in v.items()) if isinstance(v, dict)
                    else sum(count(x) for x in v) if isinstance(v, list) else 0)

    assert count(yaml.safe_load(laughs(3, 4))) == expanded_size(3, 4)


def test_alias_bomb_is_refused_fast_naming_the_alias_line(tmp_path):
    # 10 levels of 9: 9**10 = 3.5 billion values if expanded (the review's finding: > 2 min, > 2 GB)
    p = write(tmp_path, laughs(10))
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        read_scenario(p)
    assert time.perf_counter() - t0 < 5  # no expansion: a linear walk over 10 lines
    (issue,) = info.value.issues
    # a0..a5 expand to expanded_size(6, 9) = 597,871 < 1,000,000; a6 adds 9**7 = 4.8 million
    assert expanded_size(6, 9) < sy.MAX_YAML_NODES < expanded_size(7, 9)
    assert issue.line == 7
    assert "*a5" in issue.message and "1,000,000" in issue.message
    assert "remove the anchors and aliases, or write the values out" in issue.hint
    assert str(p) in str(info.value)


def test_the_node_bound_is_exact(tmp_path, monkeypatch):
    # laughs(3, 4) expands to exactly expanded_size(3, 4) = 1 + (2+4) + (2+4*5) + (2+4*21) = 115
    assert expanded_size(3, 4) == 115
    text = laughs(3, 4)
    monkeypatch.setattr(sy, "MAX_YAML_NODES", 115)
    sy._check_events(text, "x")  # at the bound: accepted
    monkeypatch.setattr(sy, "MAX_YAML_NODES", 114)
    with pytest.raises(ScenarioError, match="more than 114 values"):
        sy._check_events(text, "x")


def test_shared_anchors_of_a_real_scenario_still_load(tmp_path):
    # anchors/aliases used as intended (one tier's settings reused) are fine
    text = tiny_yaml().replace("    county:\n      uplink: 1G\n      carriers: 2\n"
                               "      latency_ms: 2",
                               "    county: &county\n      uplink: 1G\n      carriers: 2\n"
                               "      latency_ms: 2")
    text = text.replace("    town:\n      uplink: 200M\n      carriers: 2\n      latency_ms: 1",
                        "    town: *county")
    assert "*county" in text
    scenario, _ = read_scenario(write(tmp_path, text))
    assert scenario.extranet.tiers.town.uplink_mbps == 1000


def test_recursive_alias_is_refused(tmp_path):
    with pytest.raises(ScenarioError, match=r"alias \*a refers to the list or mapping that "
                                            r"contains it") as info:
        read_scenario(write(tmp_path, "name: x\nb:\n  - &a [1, *a]\n"))
    assert info.value.issues[0].line == 3


@pytest.mark.parametrize("depth", [sy.MAX_YAML_DEPTH + 1, 5000, 200_000])
def test_deep_nesting_is_refused(tmp_path, depth):
    p = write(tmp_path, "name: x\nregion: " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(ScenarioError, match=f"nested more than {sy.MAX_YAML_DEPTH} deep") as info:
        read_scenario(p)
    assert info.value.issues[0].line == 2


def test_depth_counts_through_aliases(tmp_path):
    # each anchor is 40 deep; nesting the alias 40 deep makes 80 > 64, though no line nests > 40
    a = "[" * 40 + "1" + "]" * 40
    text = f"a: &a {a}\nb: " + "[" * 40 + "*a" + "]" * 40 + "\n"
    with pytest.raises(ScenarioError, match="nested more than 64 deep") as info:
        read_scenario(write(tmp_path, text))
    assert info.value.issues[0].line == 2


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/name:os.system",
                                 "!!binary", "!!set", "!!omap", "!local"])
def test_unsafe_or_unknown_tags_are_refused_with_their_line(tmp_path, tag):
    text = tiny_yaml().replace("name: tiny", f"name: tiny\ndescription: {tag} [\"echo hi\"]")
    with pytest.raises(ScenarioError) as info:
        read_scenario(write(tmp_path, text))
    (issue,) = info.value.issues
    assert issue.line == 2 and "is not allowed" in issue.message
    assert tag.split(":")[0].split(" ")[0] in issue.message


def test_core_tags_are_accepted(tmp_path):
    text = tiny_yaml().replace("name: tiny", "name: !!str tiny")
    assert read_scenario(write(tmp_path, text))[0].name == "tiny"


@pytest.mark.parametrize(("value", "what"), [(".inf", "not a finite number"),
                                             ("-.inf", "not a finite number"),
                                             (".nan", "not a finite number"),
                                             (str(10**100), "too large a number"),
                                             (str(-(10**20)), "too large a number")])
def test_non_finite_and_huge_numbers_are_refused_with_their_line(tmp_path, value, what):
    text = tiny_yaml().replace("      latency_ms: 5", f"      latency_ms: {value}")
    assert value in text
    line = text.splitlines().index(f"      latency_ms: {value}") + 1
    with pytest.raises(ScenarioError) as info:
        read_scenario(write(tmp_path, text))
    (issue,) = info.value.issues
    assert issue.line == line and what in issue.message
    assert issue.path == "extranet.tiers.city.latency_ms"


def test_largest_exact_whole_number_is_accepted(tmp_path):
    text = tiny_yaml().replace("  vcpu: 1000", f"  vcpu: {2**53}")
    assert read_scenario(write(tmp_path, text))[0].cloud[0].vcpu == 2**53


def test_file_size_is_checked_before_reading(tmp_path, monkeypatch):
    p = write(tmp_path, tiny_yaml())
    size = p.stat().st_size
    monkeypatch.setattr(sy, "MAX_INPUT_BYTES", size - 1)

    def no_read(self):  # the size must be refused before the bytes are read
        raise AssertionError("read the file")

    monkeypatch.setattr(type(p), "read_bytes", no_read)
    with pytest.raises(ScenarioError) as info:
        read_scenario(p)
    assert f"{size:,} bytes, above the {size - 1:,}-byte limit" in str(info.value)
    assert str(p) in str(info.value)


def test_file_at_the_size_limit_is_read(tmp_path, monkeypatch):
    p = write(tmp_path, tiny_yaml())
    monkeypatch.setattr(sy, "MAX_INPUT_BYTES", p.stat().st_size)
    assert read_scenario(p)[0].name == "tiny"


def test_the_documented_limit_is_50_mib():
    assert sy.MAX_INPUT_BYTES == 50 * 2**20


# --------------------------------------------------------------------------- GraphML


def graphml(prolog: str, node_id: str) -> str:
    return ('<?xml version="1.0"?>\n' + prolog
            + '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
            '<graph edgedefault="undirected">'
            f'<node id="{node_id}"/></graph></graphml>\n')


def test_graphml_entity_bomb_is_refused(tmp_path):
    from netplan.io.topology_io import read_graphml

    ents = ['<!ENTITY l0 "lollollollol">'] + [
        f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 10)]
    p = tmp_path / "bomb.graphml"
    p.write_text(graphml("<!DOCTYPE graphml [\n" + "\n".join(ents) + "\n]>\n", "&l9;"),
                 encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(InputFileError, match="declares a DTD") as info:
        read_graphml(p)
    assert time.perf_counter() - t0 < 5
    assert "bomb.graphml" in str(info.value)


def test_graphml_external_entity_is_refused(tmp_path):
    from netplan.io.topology_io import read_graphml

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    p = tmp_path / "xxe.graphml"
    p.write_text(graphml(f'<!DOCTYPE graphml [<!ENTITY x SYSTEM "file://{secret}">]>\n', "&x;"),
                 encoding="utf-8")
    with pytest.raises(InputFileError, match="declares a DTD") as info:
        read_graphml(p)
    assert "TOPSECRET" not in str(info.value)


def test_graphml_size_is_bounded(tmp_path, monkeypatch):
    from netplan.io.topology_io import read_graphml

    p = tmp_path / "t.graphml"
    p.write_text(graphml("", "a"), encoding="utf-8")
    monkeypatch.setattr(sy, "MAX_INPUT_BYTES", 10)
    with pytest.raises(InputFileError, match="byte limit") as info:
        read_graphml(p)
    assert "t.graphml" in str(info.value)


# --------------------------------------------------------------------------- inventory tables

INVENTORY_CSV = "系统名称,所属部门\n人口库,市公安局\n警务通,市公安局\n"


def test_inventory_csv_row_bound(tmp_path, monkeypatch):
    from netplan.io.inventory_io import read_inventory

    p = tmp_path / "systems.csv"
    p.write_text(INVENTORY_CSV + "\n" * 10, encoding="utf-8")  # 3 rows + 10 blank = 13
    monkeypatch.setattr(sy, "MAX_TABLE_ROWS", 13)
    assert len(read_inventory(p).systems) == 2
    monkeypatch.setattr(sy, "MAX_TABLE_ROWS", 12)
    with pytest.raises(InputFileError, match="more than 12 rows") as info:
        read_inventory(p)
    assert "systems.csv" in str(info.value)


@pytest.mark.parametrize("encoding", ["auto", "gbk"])
def test_inventory_csv_size_bound_whatever_the_encoding(tmp_path, monkeypatch, encoding):
    from netplan.io.inventory_io import read_inventory

    p = tmp_path / "systems.csv"
    p.write_bytes(INVENTORY_CSV.encode("gbk"))
    monkeypatch.setattr(sy, "MAX_INPUT_BYTES", p.stat().st_size - 1)
    with pytest.raises(InputFileError, match="byte limit") as info:
        read_inventory(p, encoding=encoding)
    assert "systems.csv" in str(info.value)


def test_inventory_csv_with_nul_bytes_in_an_explicit_encoding(tmp_path):
    from netplan.io.inventory_io import read_inventory

    p = tmp_path / "systems.csv"
    p.write_bytes(INVENTORY_CSV.encode("utf-8") + b"x\x00y,z\n")
    with pytest.raises(InputFileError, match="NUL bytes") as info:
        read_inventory(p, encoding="utf-8")
    assert "systems.csv" in str(info.value)


def _xlsx(path, cells: dict[str, object]):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for ref, v in cells.items():
        ws[ref] = v
    wb.save(path)
    return path


def test_xlsx_zip_bomb_is_refused_before_opening(tmp_path, monkeypatch):
    import zipfile

    from netplan.io.inventory_io import read_inventory

    p = _xlsx(tmp_path / "systems.xlsx", {"A1": "系统名称", "B1": "所属部门", "A2": "x", "B2": "y"})
    with zipfile.ZipFile(p, "a", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/padding.bin", b"\0" * 3_000_000)  # 3 MB that deflate to ~3 kB
    assert p.stat().st_size < 100_000
    monkeypatch.setattr(sy, "MAX_UNZIPPED_BYTES", 2_000_000)
    with pytest.raises(InputFileError, match="unzips to") as info:
        read_inventory(p)
    assert "systems.xlsx" in str(info.value) and "2,000,000-byte limit" in str(info.value)


def test_xlsx_row_bound_counts_the_gap_before_a_far_row(tmp_path, monkeypatch):
    from netplan.io.inventory_io import read_inventory

    p = _xlsx(tmp_path / "systems.xlsx", {"A1": "系统名称", "B1": "所属部门", "A2": "x",
                                          "B2": "y", "A500": "z", "B500": "w"})
    monkeypatch.setattr(sy, "MAX_TABLE_ROWS", 500)
    assert [s.name for s in read_inventory(p).systems] == ["x", "z"]
    monkeypatch.setattr(sy, "MAX_TABLE_ROWS", 499)
    with pytest.raises(InputFileError, match="more than 499 rows"):
        read_inventory(p)


def test_xlsx_cell_bound(tmp_path, monkeypatch):
    from netplan.io.inventory_io import read_inventory

    # the first row reaches column 1000 (ALL): 1000 cells; the second has 2
    p = _xlsx(tmp_path / "systems.xlsx", {"A1": "系统名称", "B1": "所属部门", "ALL1": "备注",
                                          "A2": "x", "B2": "y"})
    monkeypatch.setattr(sy, "MAX_TABLE_CELLS", 1002)
    assert len(read_inventory(p).systems) == 1
    monkeypatch.setattr(sy, "MAX_TABLE_CELLS", 1001)
    with pytest.raises(InputFileError, match="more than 1,001 cells"):
        read_inventory(p)


def test_xlsx_with_a_wrong_declared_dimension_is_read_whole(tmp_path):
    import zipfile

    from netplan.io.inventory_io import read_inventory

    p = _xlsx(tmp_path / "src.xlsx", {"A1": "系统名称", "B1": "所属部门", "C1": "内存GB",
                                      "A2": "x", "B2": "y", "C2": 64})
    q = tmp_path / "systems.xlsx"
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(q, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:C2" />' in data
                data = data.replace(b'<dimension ref="A1:C2" />', b'<dimension ref="A1" />')
            dst.writestr(info, data)
    (system,) = read_inventory(q).systems
    assert (system.name, system.department, system.memory_gb) == ("x", "y", 64)


# --------------------------------------------------------------------------- other data files


def _readers():
    from netplan.io.binpack_io import read_binpack_csv, read_bpp
    from netplan.io.psplib import read_optima, read_psplib
    from netplan.io.sndlib import read_sndlib, read_sndlib_model
    from netplan.io.topology_io import read_json

    return {"sndlib": read_sndlib, "sndlib model": read_sndlib_model, "bpp": read_bpp,
            "binpack csv": read_binpack_csv, "psplib": read_psplib, "optima": read_optima,
            "topology json": read_json}


@pytest.mark.parametrize("reader", list(_readers()))
def test_every_data_reader_has_the_size_bound(tmp_path, monkeypatch, reader):
    p = tmp_path / "data.txt"
    p.write_text("x" * 100, encoding="utf-8")
    monkeypatch.setattr(sy, "MAX_INPUT_BYTES", 99)
    with pytest.raises(InputFileError, match="100 bytes, above the 99-byte limit") as info:
        _readers()[reader](p)
    assert "data.txt" in str(info.value)


@pytest.mark.parametrize("reader", list(_readers()))
def test_every_data_reader_refuses_binary_and_undecodable_files(tmp_path, reader):
    p = tmp_path / "data.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputFileError, match="binary") as info:
        _readers()[reader](p)
    assert "data.txt" in str(info.value)
    p.write_bytes(b"\xff\xfe\xfd\x80\x81 not text")  # neither UTF-8 nor GB18030
    with pytest.raises(InputFileError, match="neither UTF-8 nor GBK") as info:
        _readers()[reader](p)


def test_topology_json_nested_too_deep(tmp_path):
    from netplan.io.topology_io import read_json

    p = tmp_path / "t.json"
    p.write_text('{"nodes": ' + "[" * 100_000 + "]" * 100_000 + ', "links": []}',
                 encoding="utf-8")
    with pytest.raises(InputFileError, match="nested too deep") as info:
        read_json(p)
    assert "t.json" in str(info.value)


def test_topology_csv_row_bound(tmp_path, monkeypatch):
    from netplan.io.topology_io import read_csv_topology

    sites = tmp_path / "sites.csv"
    sites.write_text("node_id,name,kind,tier\nP,省,province,province\nC,市,city,city\n",
                     encoding="utf-8")  # 3 rows, 3 newlines
    links = tmp_path / "links.csv"
    links.write_text("source,target,capacity,latency_ms\nC,P,10G,2\n", encoding="utf-8")
    monkeypatch.setattr(sy, "MAX_TABLE_ROWS", 3)
    assert read_csv_topology(sites, links).n_links == 1
    monkeypatch.setattr(sy, "MAX_TABLE_ROWS", 2)
    with pytest.raises(InputFileError, match="more than 2 rows") as info:
        read_csv_topology(sites, links)
    assert "sites.csv" in str(info.value)


# --------------------------------------------------------------------------- found by fuzzing


def test_topology_json_duplicate_node_id_is_a_named_error(tmp_path):
    # raised ValueError from Topology.from_columns before (found by tests/fuzz)
    from netplan.io.topology_io import read_json

    nodes = [{"id": "P", "kind": "province", "tier": "province", "name": "省"},
             {"id": "C", "kind": "city", "tier": "city", "name": "市", "parent": "P"},
             {"id": "C", "kind": "city", "tier": "city", "name": "市", "parent": "P"}]
    links = [{"source": "C", "target": "P", "key": 0, "capacity_mbps": 10, "latency_ms": 1}]
    p = tmp_path / "t.json"
    p.write_text(json.dumps({"nodes": nodes, "links": links}), encoding="utf-8")
    with pytest.raises(InputFileError, match="node id 'C' occurs twice") as info:
        read_json(p)
    assert "t.json node 2" in str(info.value)


@pytest.mark.parametrize("text", ["\ufeff\ufeff\n", "\ufeff\ufeff\r\n\r\n", "\r\n"])
def test_topology_csv_of_blank_lines_is_a_named_error(tmp_path, text):
    # raised pandas' EmptyDataError before (found by tests/fuzz)
    from netplan.io.topology_io import read_csv_topology

    sites, links = tmp_path / "sites.csv", tmp_path / "links.csv"
    sites.write_bytes(text.encode("utf-8"))  # a second BOM survives read_text's utf-8-sig
    links.write_text("source,target,capacity,latency_ms\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_csv_topology(sites, links)
    assert "sites.csv" in str(info.value)
