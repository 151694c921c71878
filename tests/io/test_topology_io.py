"""Topology formats: exact round trips, a hand-drawn CSV inventory, malformed CSVs, topohub."""

import json
import warnings
from collections import Counter

import networkx as nx
import pandas as pd
import pytest
import topohub

from netplan.errors import InputFileError
from netplan.examples import meizhou_2020, tiny_scenario
from netplan.io import (
    from_topohub,
    read_csv_topology,
    read_graphml,
    read_json,
    write_graphml,
    write_json,
)
from netplan.topology import build_topology, reachability, survivability

FORMATS = {
    "graphml": (write_graphml, read_graphml),
    "json": (write_json, read_json),
}


def assert_same_topology(a, b):
    pd.testing.assert_frame_equal(a.nodes, b.nodes, check_index_type=True)
    pd.testing.assert_frame_equal(a.links, b.links, check_index_type=True)
    assert (a.name, a.root) == (b.name, b.root)


def raw_topohub(key):
    with warnings.catch_warnings():
        # topohub.get leaves its JSON file for the garbage collector to close
        warnings.simplefilter("ignore", ResourceWarning)
        return topohub.get(key)


# --------------------------------------------------------------------------- round trips


@pytest.fixture(scope="module")
def tiny():
    return build_topology(tiny_scenario())


@pytest.fixture(scope="module")
def meizhou():
    return build_topology(meizhou_2020())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("which", ["tiny", "meizhou"])
def test_round_trip_gives_identical_tables(fmt, which, request, tmp_path):
    topo = request.getfixturevalue(which)
    write, read = FORMATS[fmt]
    path = tmp_path / f"topo.{fmt}"
    write(topo, path)
    back = read(path)
    assert_same_topology(topo, back)
    # the built topology has missing lengths (NaN), which must come back as NaN, not 0
    assert back.links["length_km"].isna().sum() == topo.links["length_km"].isna().sum() > 0
    assert (back.links["carrier"] == "").sum() == (topo.links["carrier"] == "").sum() > 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_keeps_gappy_link_ids_and_missing_capacity(fmt, tiny, tmp_path):
    # link ids with gaps (a carrier taken out), and a graph with no capacity at all (<NA>)
    write, read = FORMATS[fmt]
    for i, topo in enumerate([tiny.without(carrier="电信"), from_topohub("sndlib/polska")]):
        path = tmp_path / f"t{i}.{fmt}"
        write(topo, path)
        assert_same_topology(topo, read(path))
    assert read(path).links["capacity_mbps"].isna().all()


def test_files_are_plain_networkx_formats(tiny, tmp_path):
    write_graphml(tiny, tmp_path / "t.graphml")
    write_json(tiny, tmp_path / "t.json")
    g = nx.read_graphml(tmp_path / "t.graphml", force_multigraph=True)
    data = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    h = nx.node_link_graph(data, edges="edges")
    for graph in (g, h):
        assert (graph.number_of_nodes(), graph.number_of_edges()) == (25, 35)
        assert (graph.graph["name"], graph.graph["root"]) == ("tiny", "测试省")
    assert data["netplan_format"] == 1
    assert "测试省" in (tmp_path / "t.json").read_text(encoding="utf-8")  # not \\u escapes
    # each link is written from its source (the lower end) to its target
    first = data["edges"][0]
    link0 = tiny.links.loc[0]
    assert (first["source"], first["target"], first["key"]) == (link0["source"],
                                                                 link0["target"], 0)


def test_read_errors_name_the_file(tmp_path):
    with pytest.raises(InputFileError, match="file not found"):
        read_graphml(tmp_path / "missing.graphml")
    (tmp_path / "bad.graphml").write_text("<graphml><graph>", encoding="utf-8")
    with pytest.raises(InputFileError, match="not a readable GraphML file"):
        read_graphml(tmp_path / "bad.graphml")
    (tmp_path / "bad.json").write_text('{"nodes": [', encoding="utf-8")
    with pytest.raises(InputFileError, match="not valid JSON"):
        read_json(tmp_path / "bad.json")
    (tmp_path / "new.json").write_text(
        '{"netplan_format": 2, "nodes": [], "edges": []}', encoding="utf-8")
    with pytest.raises(InputFileError, match="netplan_format=2 is not supported"):
        read_json(tmp_path / "new.json")
    (tmp_path / "dangling.json").write_text(
        '{"nodes": [{"id": "a"}], "edges": [{"source": "a", "target": "b", "key": 0}]}',
        encoding="utf-8")
    with pytest.raises(InputFileError, match=r"edges\[0\]: edge joins 'b'"):
        read_json(tmp_path / "dangling.json")
    (tmp_path / "cap.json").write_text(
        '{"nodes": [{"id": "a"}, {"id": "b"}],'
        ' "edges": [{"source": "a", "target": "b", "key": 0, "capacity_mbps": "fast"}]}',
        encoding="utf-8")
    with pytest.raises(InputFileError, match="cap.json link 0: capacity_mbps='fast' is not whole"):
        read_json(tmp_path / "cap.json")


def test_read_json_of_a_foreign_node_link_graph(tmp_path):
    # networkx's own node-link output: int ids, no keys, edges under "links", no netplan_format
    g = nx.path_graph(3)
    nx.set_edge_attributes(g, 2.5, "latency_ms")
    data = nx.node_link_data(g, edges="links")
    (tmp_path / "path.json").write_text(json.dumps(data), encoding="utf-8")
    topo = read_json(tmp_path / "path.json")
    assert list(topo.nodes.index) == ["0", "1", "2"]
    assert topo.links[["source", "target"]].values.tolist() == [["0", "1"], ["1", "2"]]
    assert topo.links["latency_ms"].tolist() == [2.5, 2.5]
    assert topo.links["capacity_mbps"].isna().all() and topo.root is None


# --------------------------------------------------------------------------- CSV inventory
#
# The hand-drawn network (5 sites, 6 links; each link's source is its lower end):
#
#                      P  广东省骨干 (province, the root)
#           link 0   /   \   link 1
#       电信 10G    /     \    联通 10G
#                  /       \
#    梅州市  C1 ------------- C2  汕头市       link 2: C1–C2, no carrier, 10 Gbps
#            ||
#            ||  link 3: 电信 1G, link 4: 联通 千兆 (two parallel links)
#            ||
#    梅县区  K
#            |   link 5: 电信 100M
#    城东镇  T
#
# By hand: P–C1–C2 is a cycle and K–C1 is doubled, so the only bridge is link 5 (K–T), which
# cuts off 1 node (T). Articulation points: C1 (cuts off K and T: 2 nodes) and K (cuts off T).
# P is not one: C1 and C2 stay joined through link 2. Carrier failures: without 电信 (links 0,
# 3, 5), C1 still reaches P via C2 (links 2, 1) and K via link 4, but T's only link is 电信, so
# T alone is cut off; without 联通 (links 1, 4), C2 reaches P via C1 and K keeps link 3: nobody.

SITES_EN = """node_id,name,kind,tier,parent,remarks
P,广东省骨干,province,province,,
C1,梅州市,city,city,P,
C2,汕头市,city,city,P,核心机房
K,梅县区,county,county,C1,
T,城东镇,town,town,K,
"""
LINKS_EN = """source,target,carrier,capacity,latency_ms,length_km,kind,tier
C1,P,电信,10G,5,120,uplink,province
C2,P,联通,10000,6,,uplink,
C1,C2,,10 Gbps,3,200,interconnect,
K,C1,电信,1G,2,35,,
K,C1,联通,千兆,2.5,,,
T,K,电信,100M,1,12,,
"""
# the same network with Chinese headers, and the columns in another order
SITES_ZH = """节点编号,类型,层级,名称,上级,备注
P,province,province,广东省骨干,,
C1,city,city,梅州市,P,
C2,city,city,汕头市,P,核心机房
K,county,county,梅县区,C1,
T,town,town,城东镇,K,
"""
LINKS_ZH = """起点,终点,运营商,带宽,时延_ms,长度_km,类型,层级
C1,P,电信,10G,5,120,uplink,province
C2,P,联通,10000,6,,uplink,
C1,C2,,10 Gbps,3,200,interconnect,
K,C1,电信,1G,2,35,,
K,C1,联通,千兆,2.5,,,
T,K,电信,100M,1,12,,
"""


def write_csvs(folder, sites, links, encoding="utf-8"):
    folder.mkdir(exist_ok=True)
    (folder / "sites.csv").write_bytes(sites.encode(encoding))
    (folder / "links.csv").write_bytes(links.encode(encoding))
    return folder / "sites.csv", folder / "links.csv"


@pytest.fixture
def hand(tmp_path):
    return read_csv_topology(*write_csvs(tmp_path / "en", SITES_EN, LINKS_EN), name="hand")


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_csv_chinese_headers_give_the_same_tables(hand, tmp_path, encoding):
    zh = read_csv_topology(*write_csvs(tmp_path / "zh", SITES_ZH, LINKS_ZH, encoding),
                           name="hand")
    assert_same_topology(hand, zh)


def test_csv_tables_by_hand(hand, tmp_path):
    assert (hand.n_nodes, hand.n_links) == (5, 6)
    assert hand.root == "P"  # the only province
    assert list(hand.nodes.index) == ["P", "C1", "C2", "K", "T"]
    assert hand.nodes["kind"].value_counts().to_dict() == {"city": 2, "province": 1,
                                                           "county": 1, "town": 1}
    assert hand.nodes.loc["K", ["name", "parent"]].tolist() == ["梅县区", "C1"]
    links = hand.links
    assert links["capacity_mbps"].tolist() == [10_000, 10_000, 10_000, 1_000, 1_000, 100]
    assert links["carrier"].tolist() == ["电信", "联通", "", "电信", "联通", "电信"]
    assert links["kind"].tolist() == ["uplink", "uplink", "interconnect", "link", "link", "link"]
    # link 0 names its tier; the others take the tier of their lower-tier end
    assert links["tier"].tolist() == ["province", "city", "city", "county", "county", "town"]
    assert links["length_km"].isna().tolist() == [False, True, False, False, True, False]
    assert links["latency_ms"].sum() == pytest.approx(5 + 6 + 3 + 2 + 2.5 + 1)
    assert hand.carriers == ["电信", "联通"]
    assert list(hand.links.dtypes.astype(str)) == ["str"] * 5 + ["Int64", "float64", "float64"]
    # without a name, the folder holding sites.csv names the topology
    assert read_csv_topology(tmp_path / "en" / "sites.csv", tmp_path / "en" / "links.csv").name \
        == "en"


def test_csv_survivability_matches_the_drawing(hand):
    s = survivability(hand)
    assert s.bridges["link_id"].tolist() == [5]
    assert s.bridges["nodes_cut_off"].tolist() == [1]
    ap = s.articulation_points.set_index("node_id")["nodes_cut_off"].to_dict()
    assert ap == {"C1": 2, "K": 1}
    lost = s.carrier_failures.groupby("carrier")["lost_any"].sum().to_dict()
    assert lost == {"电信": 1, "联通": 0}
    assert list(s.affected_by_carrier("电信")) == ["T"]
    assert s.tiers_hit_by("电信") == ["town"]
    assert list(s.affected_by_node("C1")) == ["K", "T"]
    r = reachability(hand, targets=("root",), kinds=None)
    assert r.all_reach
    # T → K → C1 → P: 1 + 2 + 5 ms over 3 links
    assert r.table.loc["T", ["hops_root", "latency_ms_root"]].tolist() == [3.0, 8.0]


def problems(tmp_path, sites=SITES_EN, links=LINKS_EN, encoding="utf-8", **kw):
    with pytest.raises(InputFileError) as info:
        read_csv_topology(*write_csvs(tmp_path / "bad", sites, links, encoding), **kw)
    return {i.path: i for i in info.value.issues}


def test_csv_unknown_node_in_a_link(tmp_path):
    bad = LINKS_EN.replace("K,C1,联通", "K,C9,联通")
    got = problems(tmp_path, links=bad)
    issue = got["links.csv row 6, column target"]
    assert issue.message == 'node "C9" is not a node_id in sites.csv'
    assert issue.hint == "add it to sites.csv or fix the id"
    assert len(got) == 1


def test_csv_duplicate_node_id(tmp_path):
    bad = SITES_EN.replace("K,梅县区", "C2,梅县区")
    got = problems(tmp_path, sites=bad)
    assert got["sites.csv row 5, column node_id"].message == \
        'node_id "C2" is already used on row 4'
    # and the links to K are now links to an unknown node, reported in the same error
    assert "links.csv row 5, column source" in got


def test_csv_bad_bandwidth(tmp_path):
    bad = LINKS_EN.replace("10000,6", "1GB,6").replace("100M,1", "fast,1")
    got = problems(tmp_path, links=bad)
    assert got["links.csv row 3, column capacity"].message.startswith('"1GB" is in bytes')
    msg = got["links.csv row 7, column capacity"].message
    assert msg.startswith('"fast" is not a bandwidth') and 'write e.g. "1G"' in msg


def test_csv_negative_and_non_numeric_latency(tmp_path):
    bad = LINKS_EN.replace("千兆,2.5", "千兆,-2.5").replace("100M,1", "100M,1ms")
    got = problems(tmp_path, links=bad)
    neg = got["links.csv row 6, column latency_ms"]
    assert neg.message == "latency_ms -2.5 is negative" and ">= 0" in neg.hint
    assert got["links.csv row 7, column latency_ms"].message == 'latency_ms "1ms" is not a number'


def test_csv_unknown_kind_and_tier(tmp_path):
    sites = SITES_EN.replace("C1,梅州市,city", "C1,梅州市,城市")
    links = LINKS_EN.replace("uplink,province", "uplink,metro").replace(",interconnect,",
                                                                         ",fibre,")
    got = problems(tmp_path, sites=sites, links=links)
    kind = got["sites.csv row 3, column kind"]
    assert kind.message == 'kind "城市" is not a node kind' and "city" in kind.hint
    assert got["links.csv row 2, column tier"].message == 'tier "metro" is not a tier'
    assert got["links.csv row 4, column kind"].message == 'kind "fibre" is not a link kind'


def test_csv_missing_required_column(tmp_path):
    bad = "\n".join(",".join(line.split(",")[:4] + line.split(",")[5:])
                    for line in LINKS_EN.splitlines())  # drop latency_ms
    got = problems(tmp_path, links=bad)
    issue = got["links.csv header"]
    assert issue.message == "missing required column latency_ms"
    assert "时延_ms" in issue.hint


def test_csv_empty_file(tmp_path):
    got = problems(tmp_path, sites="")
    assert got["sites.csv"].message == "the file is empty"
    assert "node_id, name, kind, tier" in got["sites.csv"].hint


def test_csv_chinese_header_is_quoted_in_the_path(tmp_path):
    bad = LINKS_ZH.replace("1G,2", "1 千兆,2")
    got = problems(tmp_path, sites=SITES_ZH, links=bad, encoding="gbk")
    assert got["links.csv row 5, column 带宽"].message.startswith('"1 千兆" is not a bandwidth')


def test_csv_misspelt_column_and_unknown_root(tmp_path):
    bad = LINKS_EN.replace("carrier,capacity", "carier,capacity")
    got = problems(tmp_path, links=bad, root="C")
    assert got["links.csv header"].message == "unknown column 'carier'"
    assert got["links.csv header"].hint == "did you mean carrier?"
    assert got["root"].message == 'root "C" is not a node_id in sites.csv'
    assert got["root"].hint in ("did you mean C1, C2?", "did you mean C2, C1?")


def test_csv_every_problem_is_reported_at_once(tmp_path):
    sites = SITES_EN.replace("T,城东镇,town,town", "T,城东镇,town,hamlet")
    links = (LINKS_EN.replace("10G,5", "10G,-5").replace("100M,1,12", "100M,1,-12")
             .replace("K,C1,电信", "X,C1,电信"))
    with pytest.raises(InputFileError) as info:
        read_csv_topology(*write_csvs(tmp_path / "bad", sites, links))
    paths = [i.path for i in info.value.issues]
    assert paths == [
        "sites.csv row 6, column tier",
        "links.csv row 2, column latency_ms",
        "links.csv row 5, column source",
        "links.csv row 7, column length_km",
    ]
    assert "4 problems found" in str(info.value)


# --------------------------------------------------------------------------- topohub


def test_topohub_polska_against_the_raw_graph():
    raw = raw_topohub("sndlib/polska")
    topo = from_topohub("sndlib/polska")
    assert (topo.n_nodes, topo.n_links) == (len(raw["nodes"]), len(raw["edges"])) == (12, 18)
    names = {n["id"]: n["name"] for n in raw["nodes"]}
    assert list(topo.nodes.index) == [n["name"] for n in raw["nodes"]]  # names are unique
    assert set(topo.nodes["kind"]) == {"site"} and set(topo.nodes["tier"]) == {""}
    degree = Counter()
    for e in raw["edges"]:
        degree[names[e["source"]]] += 1
        degree[names[e["target"]]] += 1
    assert topo.root == degree.most_common(1)[0][0] == "Warsaw"
    dist = [e["dist"] for e in raw["edges"]]
    assert topo.links["length_km"].tolist() == dist
    assert topo.links["latency_ms"].tolist() == pytest.approx([d * 0.005 for d in dist])
    assert topo.links["capacity_mbps"].isna().all()
    r = reachability(topo, targets=("root",), kinds=None)
    assert len(r.table) == 12 and r.all_reach


def test_topohub_duplicate_names_fall_back_to_ids():
    raw = raw_topohub("topozoo/Cernet")
    names = [n["name"] for n in raw["nodes"]]
    assert len(set(names)) < len(names)  # CERNET names several nodes alike
    topo = from_topohub("topozoo/Cernet")
    assert list(topo.nodes.index) == [str(n["id"]) for n in raw["nodes"]]
    assert topo.nodes["name"].tolist() == names
    assert topo.n_links == len(raw["edges"])


def test_topohub_unknown_key():
    with pytest.raises(InputFileError) as info:
        from_topohub("sndlib/polsak")
    issue = info.value.issues[0]
    assert issue.message == "topohub has no graph 'sndlib/polsak'"
    assert "did you mean sndlib/polska" in issue.hint and "topozoo/Abilene" in issue.hint
