"""Address plan: hand-computed block sizes and prefixes, a recursive second method for the sizes,
the invariant checker on every plan, exhaustion errors, and the NetBox prefix CSV."""

import csv
import ipaddress
import math
import os

import pytest

from netplan.capacity.addressing import ADDRESSED_KINDS, address_plan, check_address_plan
from netplan.errors import ScenarioError, UnknownNodeError
from netplan.examples import meizhou_2020, tiny_scenario
from netplan.io.netbox_io import NETBOX_PREFIX_COLUMNS, write_netbox_prefixes
from netplan.model.capacity import AddressingSettings
from netplan.topology import build_topology

CITY = "测试省/甲市"
A = f"{CITY}/A县"
A1 = f"{A}/A镇1"
B = f"{CITY}/B区"


@pytest.fixture(scope="module")
def tiny():
    return build_topology(tiny_scenario())


@pytest.fixture(scope="module")
def meizhou():
    return build_topology(meizhou_2020())


def plan_ok(topo, settings):
    plan = address_plan(topo, settings)
    assert check_address_plan(plan, topo) == []
    return plan


# --------------------------------------------------------------------------- by hand

def test_tiny_ipv4_blocks_by_hand(tiny):
    """/16, growth 100 %: department 60 -> 120 + 2 = 122 -> /25; village 12 -> 26 -> /27;
    infrastructure 30 -> 62 -> /26. Town A镇1 = 128 + 64 + 3 x 32 = 288 -> /23; A镇2 = 128 + 64
    + 2 x 32 = 256 -> /24; county A县 = 512 + 256 + 128 + 64 = 960 -> /22; B区 = 256 + 128 + 64
    = 448 -> /23; city = 1024 + 512 + 2 x 128 + 64 = 1856 -> /21; the province has one child,
    so twice it: /20. Placement largest first from 10.8.0.0, ties by node id."""
    plan = plan_ok(tiny, AddressingSettings(ipv4="10.8.0.0/16"))
    got = {n: str(plan.block_of(n)) for n in ("测试省", CITY, A, A1, f"{A}/A镇2", B,
                                              f"{CITY}#公安局", f"{CITY}#卫生健康局")}
    assert got == {
        "测试省": "10.8.0.0/20", CITY: "10.8.0.0/21", A: "10.8.0.0/22", A1: "10.8.0.0/23",
        f"{A}/A镇2": "10.8.2.0/24", B: "10.8.4.0/23",
        f"{CITY}#公安局": "10.8.6.0/25", f"{CITY}#卫生健康局": "10.8.6.128/25",
    }
    assert str(plan.block_of(CITY, infrastructure=True)) == "10.8.7.0/26"
    # inside A镇1: department /25 first, then infrastructure /26, then villages /27 by id
    assert str(plan.block_of(f"{A1}#部门01")) == "10.8.0.0/25"
    assert str(plan.block_of(A1, infrastructure=True)) == "10.8.0.128/26"
    assert [str(plan.block_of(f"{A1}/村00{i}")) for i in (1, 2, 3)] == [
        "10.8.0.192/27", "10.8.0.224/27", "10.8.1.0/27"]
    f = plan.to_frame().set_index(["node_id", "kind"])
    assert f.loc[(f"{A1}#部门01", "department"), "needed"] == 122
    assert f.loc[(f"{A1}/村001", "village"), "needed"] == 26
    assert f.loc[(A1, "infrastructure"), "needed"] == 62
    assert f.loc[(A1, "town"), "needed"] == 122 + 62 + 3 * 26
    assert f.loc[(A1, "town"), "hosts"] == 60 + 30 + 3 * 12
    assert f.loc[(A1, "town"), "children"] == 5
    assert f.loc[(A1, "town"), "utilisation_pct"] == pytest.approx(100 * 262 / 512)


def test_growth_and_broadcast_boundaries(tiny):
    """Without growth a LAN of h hosts needs h + 2: 62 -> /26, 63 -> /25."""
    p62 = plan_ok(tiny, AddressingSettings(ipv4="10.0.0.0/16", growth_pct=0,
                                           hosts_per_department=62))
    p63 = plan_ok(tiny, AddressingSettings(ipv4="10.0.0.0/16", growth_pct=0,
                                           hosts_per_department=63))
    assert p62.block_of(f"{CITY}#公安局").prefixlen == 26
    assert p63.block_of(f"{CITY}#公安局").prefixlen == 25
    # 12 hosts at 50 % -> 18 + 2 = 20 -> /27; at 25 % -> 15 + 2 = 17 -> /27; 7 hosts at 0 -> /28
    p = plan_ok(tiny, AddressingSettings(ipv4="10.0.0.0/16", growth_pct=0, hosts_per_village=7))
    assert p.block_of(f"{A1}/村001").prefixlen == 28
    p = plan_ok(tiny, AddressingSettings(ipv4="10.0.0.0/16", growth_pct=50, hosts_per_village=14))
    assert p.block_of(f"{A1}/村001").prefixlen == 27  # 21 + 2 = 23


def test_tiny_ipv6_blocks_by_hand(tiny):
    """Villages /60 (16 /64s), departments /56 (256), infrastructure /60; an aggregate needs
    twice (100 % growth) the LAN space below it. A镇1: LANs 256 + 16 + 48 = 320 -> 640, children
    288 -> 1024 = /54. A镇2: 304 -> 608 -> /54. A县: LANs 320 + 304 + 256 + 16 = 896 -> 1792;
    children 1024 + 1024 + 256 + 16 = 2320 -> 4096 = /52."""
    plan = plan_ok(tiny, AddressingSettings(ipv4="10.8.0.0/16", ipv6="240e:6b0::/32"))
    assert str(plan.block_of(A1, "ipv6")) == "240e:6b0::/54"
    assert str(plan.block_of(f"{A}/A镇2", "ipv6")) == "240e:6b0:0:400::/54"
    assert str(plan.block_of(A, "ipv6")) == "240e:6b0::/52"
    assert str(plan.block_of(f"{A1}#部门01", "ipv6")) == "240e:6b0::/56"
    assert str(plan.block_of(A1, "ipv6", infrastructure=True)) == "240e:6b0:0:100::/60"
    assert str(plan.block_of(f"{A1}/村001", "ipv6")) == "240e:6b0:0:110::/60"
    f = plan.to_frame()
    v6 = f[f["family"] == "ipv6"].set_index(["node_id", "kind"])
    assert v6.loc[(A1, "town"), "needed"] == 640
    assert v6.loc[(A1, "town"), "addresses"] == 1024
    assert (v6["unit"] == "/64").all()
    # the IPv4 plan is the same with or without IPv6
    v4 = address_plan(tiny, AddressingSettings(ipv4="10.8.0.0/16")).to_frame()
    assert f[f["family"] == "ipv4"].reset_index(drop=True).equals(v4)


# --------------------------------------------------------------------------- second method

def _reference_prefixlens(topo, s, family):
    """Block prefix lengths by plain recursion over the node table (second method)."""
    nodes = topo.nodes[topo.nodes["kind"].isin(ADDRESSED_KINDS)]
    children = {}
    for nid, parent in zip(nodes.index, nodes["parent"], strict=True):
        children.setdefault(parent, []).append(nid)
    g = 1 + s.growth_pct / 100

    def pow2(x):
        return 1 << max(0, math.ceil(math.log2(x)))

    def lan(kind):
        if family == "ipv4":
            hosts = {"village": s.hosts_per_village, "department": s.hosts_per_department,
                     "infrastructure": s.hosts_per_division}[kind]
            need = math.ceil(hosts * g - 1e-9) + 2
            return pow2(need), need
        plen = s.ipv6_department_prefix if kind == "department" else s.ipv6_village_prefix
        return 1 << (64 - plen), 1 << (64 - plen)

    out = {}
    bits = 32 if family == "ipv4" else 64  # IPv6 sizes in /64s: prefixlen = 64 - log2

    def size(nid):  # -> (block size, LAN need below it)
        kind = nodes.at[nid, "kind"]
        if kind in ("village", "department"):
            blk, need = lan(kind)
            out[(nid, kind)] = bits - int(math.log2(blk))
            return blk, need
        parts = [size(c) for c in children.get(nid, [])]
        if kind in ("city", "county", "town") and s.hosts_per_division > 0:
            blk, need = lan("infrastructure")
            out[(nid, "infrastructure")] = bits - int(math.log2(blk))
            parts.append((blk, need))
        below = sum(n for _, n in parts)  # LAN need below, growth never compounded
        need = below if family == "ipv4" else math.ceil(below * g - 1e-9)
        want = max(need, sum(b for b, _ in parts))
        if len(parts) == 1:
            want = max(want, 2 * parts[0][0])
        blk = pow2(want)
        out[(nid, kind)] = bits - int(math.log2(blk))
        return blk, below

    size(topo.root)
    return out


@pytest.mark.parametrize("settings", [
    AddressingSettings(ipv4="10.64.0.0/10", ipv6="240e:6b0::/32"),
    AddressingSettings(ipv4="10.64.0.0/10", ipv6="240e:6b0::/32", growth_pct=30,
                       hosts_per_department=40, hosts_per_village=5, hosts_per_division=0,
                       ipv6_department_prefix=60, ipv6_village_prefix=64),
])
def test_meizhou_sizes_match_recursion_and_are_packed(meizhou, settings):
    plan = plan_ok(meizhou, settings)
    f = plan.to_frame()
    for family in ("ipv4", "ipv6"):
        rows = f[(f["family"] == family) & (f["kind"] != "supernet")]
        plens = {(n, k): ipaddress.ip_network(p).prefixlen
                 for n, k, p in zip(rows["node_id"], rows["kind"], rows["prefix"], strict=True)}
        ref = _reference_prefixlens(meizhou, settings, family)
        assert plens == ref
        # packed: each parent's children tile a prefix of it from its first address
        nets = [ipaddress.ip_network(p) for p in rows["prefix"]]
        by_parent = {}
        for net, parent in zip(nets, rows["parent_prefix"], strict=True):
            by_parent.setdefault(parent, []).append(net)
        for parent, kids in by_parent.items():
            kids.sort(key=lambda n: int(n.network_address))
            pnet = ipaddress.ip_network(parent)
            assert kids[0].network_address == pnet.network_address
            for a, b in zip(kids, kids[1:], strict=False):
                assert int(a.broadcast_address) + 1 == int(b.network_address)
            sizes = [k.num_addresses for k in kids]
            assert sizes == sorted(sizes, reverse=True)  # largest first
    assert (f["kind"] == "infrastructure").any() == (settings.hosts_per_division > 0)


def test_deterministic_and_unique_prefixes(meizhou):
    s = AddressingSettings(ipv4="10.64.0.0/10", ipv6="240e:6b0::/32", hosts_per_division=0)
    a, b = address_plan(meizhou, s).to_frame(), address_plan(meizhou, s).to_frame()
    assert a.equals(b)
    assert a["prefix"].is_unique  # a single-child division gets twice its child


# --------------------------------------------------------------------------- the checker

def test_checker_catches_broken_plans(tiny):
    plan = plan_ok(tiny, AddressingSettings(ipv4="10.8.0.0/16"))
    b = plan.blocks
    v2 = b.index[(b["node_id"] == f"{A1}/村002") & (b["kind"] == "village")][0]
    v1_offset = b.loc[(b["node_id"] == f"{A1}/村001") & (b["kind"] == "village"), "offset"]
    broken = b.copy()
    broken.loc[v2, "offset"] = int(v1_offset.iloc[0])  # on top of its sibling
    problems = check_address_plan(type(plan)(plan.name, plan.settings, broken), tiny)
    assert any("repeats" in p for p in problems)
    broken = b.copy()
    broken.loc[v2, "offset"] = 1 << 12  # outside its town, in B区
    problems = check_address_plan(type(plan)(plan.name, plan.settings, broken), tiny)
    assert any("not inside its parent" in p for p in problems)
    broken = b.copy()
    broken.loc[v2, "prefixlen"] = 29  # smaller than its need of 26
    problems = check_address_plan(type(plan)(plan.name, plan.settings, broken), tiny)
    assert any("needed 26" in p for p in problems)


# --------------------------------------------------------------------------- errors

def test_exhaustion_names_the_division(tiny):
    with pytest.raises(ScenarioError) as info:
        address_plan(tiny, AddressingSettings(ipv4="10.8.0.0/22"))
    (issue,) = info.value.issues
    assert issue.path == "addressing.ipv4"
    assert "测试省" in issue.message and "4,096 addresses" in issue.message
    assert "1,024 addresses" in issue.message and "10.8.0.0/22" in issue.message
    assert "甲市" in issue.message  # its largest part
    assert "/20 or shorter" in issue.hint
    with pytest.raises(ScenarioError) as info:
        address_plan(tiny, AddressingSettings(ipv4="10.8.0.0/16", ipv6="240e:6b0::/52"))
    (issue,) = info.value.issues
    assert issue.path == "addressing.ipv6" and "/50 or shorter" in issue.hint
    # exactly enough is fine: the province's /20 is the whole supernet
    plan = plan_ok(tiny, AddressingSettings(ipv4="10.8.0.0/20"))
    assert str(plan.block_of("测试省")) == "10.8.0.0/20"


def test_no_settings_and_unknown_node(tiny):
    with pytest.raises(ScenarioError, match="no addressing section"):
        address_plan(tiny, None)
    plan = address_plan(tiny, AddressingSettings(ipv4="10.8.0.0/16"))
    with pytest.raises(UnknownNodeError):
        plan.block_of(f"{CITY}#电信")  # a POP: inside the city's infrastructure block
    with pytest.raises(UnknownNodeError):
        plan.block_of(A1, "ipv6")
    with pytest.raises(UnknownNodeError):
        plan.block_of(f"{A1}/村001", infrastructure=True)


def test_summary_and_str(tiny):
    plan = plan_ok(tiny, AddressingSettings(ipv4="10.8.0.0/16"))
    s = plan.summary().set_index("kind")
    assert s.loc["village", "blocks"] == 6 and s.loc["village", "prefixlen"] == "/27"
    assert s.loc["county", "prefixlen"] == "/23–/22"
    assert s.loc["department", "blocks"] == 7
    assert s.loc["infrastructure", "blocks"] == 6  # 1 city, 2 counties, 3 towns
    assert "10.8.0.0/16" in str(plan) and "27 blocks" in str(plan)


# --------------------------------------------------------------------------- NetBox CSV

def test_netbox_csv_reads_back(tiny, tmp_path):
    plan = plan_ok(tiny, AddressingSettings(ipv4="10.8.0.0/16", ipv6="240e:6b0::/32"))
    out = write_netbox_prefixes(plan, tmp_path / "prefixes.csv")
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert tuple(reader.fieldnames) == NETBOX_PREFIX_COLUMNS
    assert set(NETBOX_PREFIX_COLUMNS) >= {"prefix", "status", "description"}
    f = plan.to_frame()
    assert [r["prefix"] for r in rows] == list(f["prefix"])
    by_prefix = {r["prefix"]: r for r in rows}
    assert by_prefix["10.8.0.0/22"]["status"] == "container"
    assert by_prefix["10.8.0.0/22"]["description"] == "县(区) 测试省 甲市 A县"
    assert by_prefix["10.8.6.0/25"]["status"] == "active"
    assert by_prefix["10.8.6.0/25"]["description"] == "部门 测试省 甲市 公安局"
    assert by_prefix["10.8.0.128/26"]["description"] == "设备互联 测试省 甲市 A县 A镇1"
    assert by_prefix["240e:6b0:0:110::/60"]["status"] == "active"
    assert {r["status"] for r in rows} == {"container", "active"}
    assert {r["is_pool"] for r in rows} == {"false"}
    assert all(len(r["description"]) <= 200 for r in rows)
    # container exactly when another prefix names it as parent
    parents = set(f["parent_prefix"])
    assert all((r["status"] == "container") == (r["prefix"] in parents) for r in rows)
    assert os.listdir(tmp_path) == ["prefixes.csv"]  # no temp file left


def test_netbox_csv_vrf_families_and_atomic(tiny, tmp_path, monkeypatch):
    plan = address_plan(tiny, AddressingSettings(ipv4="10.8.0.0/16", ipv6="240e:6b0::/32"))
    path = tmp_path / "v4.csv"
    write_netbox_prefixes(plan, path, families=["ipv4"], vrf="政务外网")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames[:2] == ["prefix", "vrf"]
    assert {r["vrf"] for r in rows} == {"政务外网"}
    assert all(":" not in r["prefix"] for r in rows) and len(rows) == 27
    write_netbox_prefixes(plan, path, families=["ipv4"], vrf="政务外网", comments=False)
    with path.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == ["prefix", "vrf", "status", "is_pool", "description"]
    before = path.read_bytes()

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_netbox_prefixes(plan, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["v4.csv"]
