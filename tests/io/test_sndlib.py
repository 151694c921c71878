"""SNDlib native-format reader: a hand-written network, its errors, and polska from shared."""

from pathlib import Path

import pytest

from netplan.errors import InputFileError
from netplan.io.sndlib import (
    SndlibModel,
    parse_sndlib,
    parse_sndlib_model,
    read_sndlib,
    read_sndlib_model,
)

SNDLIB = Path("/work/shared/benchmarks/sndlib")

NETWORK = """?SNDlib native format; type: network; version: 1.0
# network tiny

META (
  granularity = 1year
)

NODES (
  A ( 13.40 52.50 )
  B ( 10.00 53.55 ) () ()
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

MODEL = """?SNDlib native format; type: model; version: 1.0
# model D-B-E-N-S-A-N-U
LINK_MODEL = BIDIRECTED
NODE_MODEL = NO_NODE_HARDWARE
DEMAND_MODEL = DIRECTED
LINK_CAPACITY_MODEL = EXPLICIT_LINK_CAPACITIES
ROUTING_MODEL = SINGLE_PATH
ADMISSIBLE_PATH_MODEL = ALL_PATHS
HOP_LIMIT_MODEL = IGNORE_HOP_LIMITS
SURVIVABILITY_MODEL = UNRESTRICTED_FLOW_RECONFIGURATION
FIXED_CHARGE_MODEL = NO
OBJECTIVE_MODEL = MINIMIZE_TOTAL_COST
"""


def test_parse_tables(tmp_path):
    (tmp_path / "tiny.txt").write_text(NETWORK, encoding="utf-8")
    (tmp_path / "m.txt").write_text(MODEL, encoding="utf-8")
    inst = read_sndlib(tmp_path / "tiny.txt", tmp_path / "m.txt")
    assert inst.name == "tiny"
    assert str(inst.model) == "D-B-E-N-S-A-N-U"
    topo = inst.topology
    assert list(topo.nodes.index) == ["A", "B", "C"]
    assert set(topo.nodes["kind"]) == {"site"}
    assert list(topo.links["kind"]) == ["link"] * 3
    assert list(topo.links["capacity_mbps"]) == [10, 0, 0]
    # Berlin-Hamburg great circle is about 255 km; 5 us per km
    assert 240 < topo.links["length_km"][0] < 270
    assert topo.links["latency_ms"][0] == pytest.approx(topo.links["length_km"][0] * 0.005)
    links = inst.links
    assert list(links["link_id"]) == ["L_AB", "L_BC", "L_AC"]
    assert links.loc[0, ["pre_installed_capacity", "pre_installed_capacity_cost",
                         "routing_cost", "setup_cost"]].tolist() == [10.0, 2.0, 0.5, 7.0]
    assert inst.modules.values.tolist() == [["L_AB", 10.0, 3.0], ["L_AB", 40.0, 10.0],
                                            ["L_BC", 10.0, 3.0]]
    d = inst.demands
    assert d["demand_id"].tolist() == ["D1", "D2"]
    assert d["routing_unit"].tolist() == [1.0, 2.0]
    assert d["demand_value"].tolist() == [25.0, 4.0]
    assert d["max_path_length"].isna().tolist() == [True, False]
    assert int(d["max_path_length"][1]) == 3
    assert inst.admissible_paths == {"D1": (("L_AB",), ("L_AC", "L_BC"))}
    assert "3 nodes, 3 links, 2 demands" in str(inst)


def test_empty_admissible_paths_and_no_meta():
    text = ("NODES ( a ( 0 0 ) b ( 1 1 ) )\nLINKS ( l ( a b ) 0 0 0 0 ( 1 1 ) )\n"
            "DEMANDS ( d ( a b ) 1 1 UNLIMITED )\nADMISSIBLE_PATHS ( \n)\n")
    inst = parse_sndlib(text)
    assert inst.admissible_paths == {}
    assert inst.model is None


@pytest.mark.parametrize(("text", "line", "words"), [
    ("NODES ( A ( 0 0 ) )\nLINKS ( L ( A Z ) 0 0 0 0 ( 1 1 ) )\nDEMANDS ( )",
     2, "target 'Z' is not a node"),
    ("NODES ( A ( 0 0 ) B ( 1 1 ) )\nLINKS (\n L ( A B ) 0 x 0 0 ( 1 1 ) )\nDEMANDS ( )",
     3, "pre_installed_capacity_cost"),
    ("NODES ( A ( 0 0 ) B ( 1 1 ) )\nLINKS ( L ( A B ) 0 0 0 0 ( 1 ) )\nDEMANDS ( )",
     2, "cost of link L's module"),
    ("NODES ( A ( 0 0 ) B ( 1 1 ) )\nLINKS ( )\nDEMANDS (\n D ( A B ) 1 5 many )",
     4, "max_path_length"),
    ("NODES ( A ( 0 0 ) B ( 1 1 ) )\nLINKS ( )\nDEMANDS ( D ( A B ) 1 5 UNLIMITED",
     3, "')' closing the DEMANDS section"),
])
def test_errors_name_file_line_and_expectation(text, line, words):
    with pytest.raises(InputFileError) as info:
        parse_sndlib(text, source="net.txt")
    msg = str(info.value)
    assert msg.startswith("net.txt: ")
    assert f"line {line}:" in msg
    assert words in msg


def test_missing_section_and_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="the DEMANDS section is missing"):
        parse_sndlib("NODES ( A ( 0 0 ) )\nLINKS ( )")
    with pytest.raises(InputFileError, match="file not found"):
        read_sndlib(tmp_path / "none.txt")


def test_model_file(tmp_path):
    assert str(parse_sndlib_model(MODEL)) == "D-B-E-N-S-A-N-U"
    with pytest.raises(InputFileError, match="line 2: LINK_MODEL: unknown value 'SIDEWAYS'"):
        parse_sndlib_model("# x\nLINK_MODEL = SIDEWAYS\n", source="m.txt")
    with pytest.raises(InputFileError, match="expected KEY = VALUE"):
        parse_sndlib_model("LINK_MODEL UNDIRECTED")
    (tmp_path / "m.txt").write_text("ROUTING_MODEL = SINGLE_PATH\n", encoding="utf-8")
    assert read_sndlib_model(tmp_path / "m.txt") == SndlibModel(routing="S")
    with pytest.raises(ValueError, match="8 letters"):
        SndlibModel.from_string("U-U-M")


def test_polska_from_shared():
    net = SNDLIB / "polska" / "polska.txt"
    if not net.exists():
        pytest.skip("shared SNDlib data absent")
    inst = read_sndlib(net, SNDLIB / "polska" / "models" / "U-U-M-N-C-A-N-U.txt")
    assert (inst.topology.n_nodes, len(inst.links), len(inst.demands)) == (12, 18, 66)
    assert str(inst.model) == "U-U-M-N-C-A-N-U"
    assert inst.links.loc[0, "link_id"] == "Link_0_10"
    assert inst.modules[inst.modules["link_id"] == "Link_0_10"].values.tolist() == [
        ["Link_0_10", 155.0, 156.0], ["Link_0_10", 622.0, 468.0]]
    assert inst.demands.loc[0].tolist()[:5] == ["Demand_0_1", "Gdansk", "Bydgoszcz", 1.0, 195.0]
    assert len(inst.admissible_paths) == 66
    assert inst.admissible_paths["Demand_0_1"][0] == ("Link_0_2", "Link_1_2")
