"""Malformed scenario files: every problem is reported at once, by YAML path and line, in words.

Each case edits a small valid scenario (``BASE``, whose line numbers are shown on the right) and
checks that :func:`netplan.io.read_scenario` raises :class:`ScenarioError` with an issue at the
exact path, with the specific words in its message and hint, and on the right line.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from netplan.errors import Issue, ScenarioError
from netplan.examples import list_scenarios, scenario_path
from netplan.io import read_scenario, scenario_json_schema
from netplan.model.diagnose import carriers_in_use
from netplan.topology import build_topology
from netplan.units import parse_bandwidth_mbps

BASE = """\
name: tiny
region:
  name: 甲市
  provinces:
    - name: 测试省
      cities:
        - name: 甲市
          counties:
            - name: A县
              towns:
                - {name: A镇1, villages: 3}
                - {name: A镇2, villages: 2}
            - name: B区
              towns: [B街道]
              villages: 1
extranet:
  carriers: [电信, 联通]
  tiers:
    city: {uplink: 1G, carriers: 2, latency_ms: 5}
    county:
      uplink: 1G
      carriers: 2
      latency_ms: 2
    town: {uplink: 200M, carriers: 2, latency_ms: 1}
    village: {uplink: 20M, carriers: 1, latency_ms: 1}
  departments:
    city: {names: [公安局, 卫生健康局], access: 100M, carriers: 2}
    county: {count: 1, access: 100M}
    town: {count: 1, access: 100M}
  internet_egress: {capacity: 10G, carriers: 2}
cloud:
  - name: 政务云
    vcpu: 1000
    memory_gb: 4000
    storage_tb: 100
    uplink: 10G
    cities: [甲市]
exchange_platform: {name: 共享交换平台, uplink: 1G}
targets:
  internet_egress: 10G
  backbone: 1G
  department_access: 100M
  systems_on_cloud:
    - {by: 2020-12-31, systems: 10}
    - {by: 2021-12-31, systems: all}
  report_dates: ["03-30", "06-30"]
  timeline:
    - {name: 清单完成, date: 2020-06-30, kind: three_lists}
"""
# Lines of BASE: 1 name · 2 region · 8 counties: · 9 A县 · 13 B区 · 14 towns: [B街道]
# · 16 extranet · 17 carriers · 18 tiers · 19 city · 20 county: · 21 uplink · 22 carriers
# · 23 latency_ms · 24 town · 25 village · 27 departments.city · 31 cloud · 32 - name · 33 vcpu
# · 37 cities · 39 targets · 43 systems_on_cloud · 46 report_dates · 48 timeline[0]

UNCHECKED = -1  # a case whose line is not asserted


def _section(start: str, end: str) -> str:
    """The text of BASE from the line starting with ``start`` up to the one with ``end``."""
    return BASE[BASE.index(start) : BASE.index(end)]


def edited(*edits: tuple[str, str]) -> str:
    """BASE with each ``(old, new)`` replacement made; ``old`` must occur exactly once."""
    text = BASE
    for old, new in edits:
        assert text.count(old) == 1, f"edit target not unique in BASE: {old!r}"
        text = text.replace(old, new)
    return text


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    path: str
    words: tuple[str, ...]
    hint: tuple[str, ...] = ()
    line: int | None = UNCHECKED


CASES = [
    # ---- YAML and file level
    Case("yaml-syntax-bad-indent",
         edited(("      carriers: 2\n      latency_ms: 2",
                 "     carriers: 2\n      latency_ms: 2")),
         "", ("not valid YAML",), ("indentation",), line=22),
    Case("yaml-syntax-unclosed-bracket",
         edited(("  carriers: [电信, 联通]", "  carriers: [电信, 联通")),
         "", ("not valid YAML", "flow sequence that starts on line 17"), line=18),
    Case("yaml-tab-indent",
         edited(("    vcpu: 1000\n", "    vcpu: 1000\n\tmemory_gb: 1\n")),
         "", ("not valid YAML", "'\\t'"), ("tabs",), line=34),
    Case("yaml-duplicate-key",
         edited(("      latency_ms: 2\n", "      latency_ms: 2\n      uplink: 10G\n")),
         "extranet.tiers.county.uplink", ("key 'uplink' appears twice",), ("keep one",), line=24),
    Case("yaml-key-not-text",
         edited(("name: tiny\n", "name: tiny\n? [a, b]\n: 1\n")),
         "", ("a key must be plain text", "['a', 'b']"), line=2),
    Case("top-level-list", "- name: tiny\n- region: 甲市\n",
         "", ("must hold a mapping of sections", "got list"), line=None),
    Case("top-level-scalar", "tiny\n", "", ("must hold a mapping", "got str"), line=None),
    Case("empty-file", "", "", ("the file is empty",), ("name, region and extranet",), line=None),
    Case("only-comments", "# a scenario, one day\n\n", "", ("the file is empty",), line=None),
    # ---- structure
    Case("missing-extranet", edited((_section("extranet:", "cloud:"), "")),
         "extranet", ("is required but missing",), ("add `extranet:`",), line=None),
    Case("missing-tier", edited(("    village: {uplink: 20M, carriers: 1, latency_ms: 1}\n", "")),
         "extranet.tiers.village", ("is required but missing",), ("add `village:`",), line=18),
    Case("unknown-field-did-you-mean", edited(("      uplink: 1G\n", "      uplnk: 1G\n")),
         "extranet.tiers.county.uplnk", ("unknown field 'uplnk'",), ("did you mean 'uplink'?",),
         line=21),
    Case("unknown-section-did-you-mean", edited(("extranet:\n", "extranett:\n")),
         "extranett", ("unknown field 'extranett'",), ("did you mean 'extranet'?",), line=16),
    Case("region-is-a-list", edited((_section("region:", "extranet:"), "region: [甲市]\n")),
         "region", ('["甲市"] must be a mapping', "name, provinces, synthetic"), line=2),
    Case("tier-is-a-bandwidth", edited(("    city: {uplink: 1G, carriers: 2, latency_ms: 5}",
                                         "    city: 1G")),
         "extranet.tiers.city", ('"1G" must be a mapping', "uplink, carriers, latency_ms"),
         line=19),
    Case("empty-value", edited(("name: tiny", "name:")), "name", ("an empty value must be text",),
         line=1),
    # ---- bandwidths and numbers
    Case("bad-bandwidth", edited(("      uplink: 1G\n", '      uplink: "1 Gbs"\n')),
         "extranet.tiers.county.uplink",
         ('"1 Gbs" is not a bandwidth; write e.g. "1G" or "1000 Mbps"',), line=21),
    Case("bandwidth-in-bytes", edited(("town: {uplink: 200M", "town: {uplink: 200MB")),
         "extranet.tiers.town.uplink", ('"200MB" is in bytes, not bits', "1 MB/s = 8 Mbps"),
         line=24),
    Case("access-in-bytes", edited(("county: {count: 1, access: 100M}",
                                    "county: {count: 1, access: 100MB}")),
         "extranet.departments.county.access", ('"100MB" is in bytes',), line=28),
    Case("negative-latency", edited(("latency_ms: 2\n", "latency_ms: -2\n")),
         "extranet.tiers.county.latency_ms", ("-2 must be >= 0",), line=23),
    Case("string-for-float", edited(("latency_ms: 2\n", "latency_ms: fast\n")),
         "extranet.tiers.county.latency_ms", ('"fast" is not a number',), ("e.g. 2.5",), line=23),
    Case("string-for-int", edited(("vcpu: 1000", "vcpu: many")),
         "cloud[0].vcpu", ('"many" is not a whole number',), ("e.g. 12",), line=33),
    Case("percent-above-100", edited(("  department_access: 100M\n",
                                      "  department_access: 100M\n  village_coverage_pct: 120\n")),
         "targets.village_coverage_pct", ("120 must be <= 100",), line=43),
    # ---- carriers
    Case("tier-carriers-zero", edited(("      carriers: 2\n", "      carriers: 0\n")),
         "extranet.tiers.county.carriers", ("0 must be >= 1",), line=22),
    Case("no-carriers-listed", edited(("  carriers: [电信, 联通]", "  carriers: []")),
         "extranet.carriers", ("needs at least 1 item",), line=17),
    Case("tier-more-carriers-than-listed",
         edited(("  carriers: [电信, 联通]", "  carriers: [电信]")),
         "extranet.tiers.city.carriers",
         ("2 carriers asked for but extranet.carriers lists only 1",),
         ("lower it to 1",), line=19),
    Case("egress-more-carriers-than-listed",
         edited(("  carriers: [电信, 联通]", "  carriers: [电信]")),
         "extranet.internet_egress.carriers", ("2 carriers asked for", "lists only 1"), line=30),
    Case("child-more-carriers-than-parent", edited(("      carriers: 2\n", "      carriers: 1\n")),
         "extranet.tiers.town.carriers",
         ("town nodes use 2 carriers but their county parents only 1",),
         ("raise extranet.tiers.county.carriers",), line=24),
    Case("duplicate-carriers", edited(("  carriers: [电信, 联通]", "  carriers: [电信, 电信]")),
         "extranet.carriers", ("carrier names repeat: 电信",), line=17),
    # ---- region
    Case("duplicate-counties", edited(("- name: B区", "- name: A县")),
         "region.provinces[0].cities[0].counties", ("county names repeat: A县",), line=8),
    Case("duplicate-towns", edited(("{name: A镇2, villages: 2}", "{name: A镇1, villages: 2}")),
         "region.provinces[0].cities[0].counties[0]", ("town names repeat: A镇1",), line=9),
    Case("towns-count-without-villages",
         edited(("              towns: [B街道]\n              villages: 1\n",
                 "              towns: 1\n")),
         "region.provinces[0].cities[0].counties[1]",
         ("villages is missing", "`towns` given as a count"), line=13),
    Case("villages-disagree-with-towns",
         edited(("                - {name: A镇2, villages: 2}\n",
                 "                - {name: A镇2, villages: 2}\n              villages: 9\n")),
         "region.provinces[0].cities[0].counties[0]",
         ("villages=9 but the listed towns have 5",), line=9),
    Case("towns-neither-count-nor-list", edited(("              towns: [B街道]\n",
                                                 "              towns: many\n")),
         "region.provinces[0].cities[0].counties[1].towns",
         ('"many" must be a whole number or a list',), line=14),
    Case("provinces-and-synthetic",
         edited(("  provinces:\n", "  synthetic: {provinces: 1, cities: 1, counties: 2, towns: 3, "
                                   "villages: 6}\n  provinces:\n")),
         "region", ("both `provinces` and `synthetic` are given", "keep exactly one"), line=2),
    Case("neither-provinces-nor-synthetic",
         edited((_section("  provinces:", "extranet:"), ""), ("cities: [甲市]", "cities: every")),
         "region", ("neither `provinces` nor `synthetic` is given",), line=2),
    Case("several-provinces-without-province-tier",
         edited(("extranet:\n", "    - name: 乙省\n      cities:\n        - name: 乙市\n"
                                "          counties: [{name: C县, towns: 1, villages: 1}]\n"
                                "extranet:\n")),
         "extranet.tiers.province", ("several provinces",), ("add extranet.tiers.province",),
         line=22),
    # ---- departments, cloud
    Case("department-count-and-names",
         edited(("city: {names: [公安局, 卫生健康局]",
                 "city: {count: 2, names: [公安局, 卫生健康局]")),
         "extranet.departments.city", ("both `count` (2) and `names`", "keep exactly one"),
         line=27),
    Case("unknown-cloud-city", edited(("cities: [甲市]", "cities: [乙市]")),
         "cloud[0].cities[0]", ('"乙市" is not a city of the region',), ("甲市",), line=37),
    Case("cloud-cities-wrong-literal", edited(("cities: [甲市]", "cities: all")),
         "cloud[0].cities", ('"all" is not allowed',), ("'every'",), line=37),
    # ---- dates and targets
    Case("impossible-iso-date", edited(("date: 2020-06-30", "date: 2020-13-45")),
         "targets.timeline[0].date", ('"2020-13-45" is not a date', "month"),
         ("YYYY-MM-DD",), line=48),
    Case("date-with-slashes", edited(("date: 2020-06-30", "date: 2020/06/30")),
         "targets.timeline[0].date", ('"2020/06/30" is not a date',), ("YYYY-MM-DD",), line=48),
    Case("systems-on-cloud-out-of-order",
         edited(("{by: 2020-12-31, systems: 10}\n    - {by: 2021-12-31, systems: all}",
                 "{by: 2021-12-31, systems: 10}\n    - {by: 2020-12-31, systems: all}")),
         "targets.systems_on_cloud", ("not in date order",), ("earliest first",), line=43),
    Case("systems-on-cloud-all-not-last",
         edited(("{by: 2020-12-31, systems: 10}\n    - {by: 2021-12-31, systems: all}",
                 "{by: 2020-12-31, systems: all}\n    - {by: 2021-12-31, systems: 20}")),
         "targets.systems_on_cloud", ("'all' is followed by a later target",),
         ("put the 'all' target last",), line=43),
    Case("report-date-wrong-form", edited(('["03-30", "06-30"]', '["3/30", "06-30"]')),
         "targets.report_dates[0]", ('"3/30" is not a month and day', 'MM-DD, e.g. "03-30"'),
         line=46),
    Case("report-date-impossible", edited(('["03-30", "06-30"]', '["03-30", "13-45"]')),
         "targets.report_dates[1]", ('"13-45" is not a day of the year',), line=46),
    Case("report-dates-not-a-list", edited(('["03-30", "06-30"]', '"03-30"')),
         "targets.report_dates", ('"03-30" must be a list',), line=46),
    Case("blackout-ends-before-it-starts",
         edited(("\ncloud:\n", "\nmigration:\n  start: 2020-05-04\n  blackouts:\n"
                               "    - {name: 春节, start: 2021-02-21, end: 2021-02-08}\ncloud:\n")),
         "migration.blackouts[0]", ("end 2021-02-08 is before start 2021-02-21",), line=34),
    Case("year-out-of-range", edited(("name: tiny\n", "name: tiny\nyear: 1900\n")),
         "year", ("1900 must be >= 1990",), line=2),
    # ---- demand and simulation
    Case("demand-in-bytes",
         edited(("\ncloud:\n", "\ndemand:\n  village_mbps: 1MB\ncloud:\n")),
         "demand.village_mbps", ('"1MB" is in bytes, not bits',), line=32),
    Case("demand-shares-not-one",
         edited(("\ncloud:\n", "\ndemand:\n  shares: {cloud: 0.9, platform: 0.2, province: 0, "
                               "internet: 0}\ncloud:\n")),
         "demand.shares", ("add up to 1.1, not 1",), line=32),
    Case("demand-unknown-tier",
         edited(("\ncloud:\n", "\ndemand:\n  department_mbps: {village: 2M}\ncloud:\n")),
         "demand.department_mbps.village", (),  line=UNCHECKED),
    Case("fault-two-targets",
         edited(("\ncloud:\n", "\nsimulation:\n  failures:\n    - name: x\n      faults: "
                               "[{carrier: 电信, cloud: 政务云}]\ncloud:\n")),
         "simulation.failures[0].faults[0]", ("exactly one of `carrier`, `link` and `cloud`",
                                              "carrier, cloud"), line=34),
    Case("fault-unknown-carrier",
         edited(("\ncloud:\n", "\nsimulation:\n  failures:\n    - name: x\n      faults: "
                               "[{carrier: 铁通}]\ncloud:\n")),
         "simulation.failures[0].faults[0].carrier", ('"铁通" is not a carrier',),
         ("电信, 联通",), line=UNCHECKED),
    Case("fault-on-a-carrier-no-tier-uses",
         edited(("  carriers: [电信, 联通]", "  carriers: [电信, 联通, 广电]"),
                ("\ncloud:\n", "\nsimulation:\n  failures:\n    - name: x\n      faults: "
                               "[{carrier: 广电}]\ncloud:\n")),
         "simulation.failures[0].faults[0].carrier", ('"广电" has no line in the extranet',
                                                      "pass without testing anything"),
         ("fail one of 电信, 联通",), line=UNCHECKED),
    Case("service-level-p99-below-p95",
         edited(("\ncloud:\n", "\nsimulation:\n  service_levels:\n    town: "
                               "{throughput_mbps: 5, latency_p95_ms: 200, latency_p99_ms: 100}"
                               "\ncloud:\n")),
         "simulation.service_levels.town", ("p99 cannot be below p95",), line=33),
    Case("warmup-not-below-duration",
         edited(("\ncloud:\n", "\nsimulation:\n  duration_s: 600\n  warmup_s: 900\ncloud:\n")),
         "simulation", ("warmup_s=900 is not below duration_s=600",), line=UNCHECKED),
    # ---- migration.triage: a TriagePolicy, checked with the rest (it was an untyped dict:
    # `netplan validate` said OK and `netplan schedule` died in pydantic)
    Case("triage-misspelt-key",
         edited(("\ncloud:\n", "\nmigration:\n  start: 2020-05-04\n  triage: {unused_month: 6}"
                               "\ncloud:\n")),
         "migration.triage.unused_month", ("unknown field 'unused_month'",),
         ("did you mean 'unused_months'?",), line=33),
    Case("triage-unknown-scope",
         edited(("\ncloud:\n", "\nmigration:\n  start: 2020-05-04\n  triage:\n"
                               "    low_scopes: [内部]\ncloud:\n")),
         "migration.triage.low_scopes", ('not usage scopes: "内部"', "内部科室"), line=34),
    Case("triage-threshold-out-of-range",
         edited(("\ncloud:\n", "\nmigration:\n  start: 2020-05-04\n  triage:\n"
                               "    zombie_min_criteria: 6\ncloud:\n")),
         "migration.triage.zombie_min_criteria", ("6 must be <= 5",), line=34),
    # ---- inventory
    Case("inventory-file-missing",
         edited(("\ncloud:\n", "\ninventory: {path: systems.csv}\ncloud:\n")),
         "inventory.path", ('file "systems.csv" not found',), ("relative to the scenario file",),
         line=31),
    Case("inventory-encoding-wrong-literal",
         edited(("\ncloud:\n", "\ninventory: {path: systems.csv, encoding: latin1}\ncloud:\n")),
         "inventory.encoding", ('"latin1" is not allowed',), ("'gbk'", "'utf-8'"), line=31),
]

assert len({c.id for c in CASES}) == len(CASES)
assert sum(c.line not in (UNCHECKED, None) for c in CASES) >= 10


def _raise_issues(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        read_scenario(path)
    return info.value


def _render(issues: list[Issue]) -> str:
    return "\n".join(f"  {i.path!r} line={i.line}: {i.message} | {i.hint}" for i in issues)


def test_base_scenario_is_valid(write_file: Callable[..., Path]) -> None:
    scenario, warnings = read_scenario(write_file(BASE))
    assert warnings == []
    assert scenario.extranet.tiers.county.uplink_mbps == 1000
    assert [t.name for t in scenario.region.provinces[0].cities[0].counties[1].town_list()] == [
        "B街道"
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_malformed_scenario(case: Case, write_file: Callable[..., Path]) -> None:
    path = write_file(case.text)
    err = _raise_issues(path)
    assert err.source == str(path)
    at_path = [i for i in err.issues if i.path == case.path]
    assert at_path, f"no issue at {case.path!r}; got:\n{_render(err.issues)}"
    matching = [
        i for i in at_path
        if all(w in i.message for w in case.words) and all(w in i.hint for w in case.hint)
    ]
    assert matching, (
        f"no issue at {case.path!r} says {case.words} (hint {case.hint}); got:\n"
        f"{_render(err.issues)}"
    )
    issue = matching[0]
    assert issue.severity == "error"
    if case.line != UNCHECKED:
        assert issue.line == case.line, f"{issue} is on line {issue.line}, expected {case.line}"
    # The rendered error names the file and the issue as "line N: path: message; hint".
    rendered = str(err)
    assert rendered.startswith(f"{path}: ")
    assert str(issue) in rendered
    if issue.path:
        assert f"{issue.path}: {issue.message}" in str(issue)


def test_bad_bandwidth_message_is_exact(write_file: Callable[..., Path]) -> None:
    err = _raise_issues(write_file(edited(("      uplink: 1G\n", '      uplink: "1 Gbs"\n'))))
    [issue] = err.issues
    assert issue == Issue(
        "extranet.tiers.county.uplink",
        '"1 Gbs" is not a bandwidth; write e.g. "1G" or "1000 Mbps"',
        line=21,
    )
    assert str(issue) == (
        'line 21: extranet.tiers.county.uplink: "1 Gbs" is not a bandwidth; '
        'write e.g. "1G" or "1000 Mbps"'
    )


def test_three_independent_errors_are_reported_at_once(write_file: Callable[..., Path]) -> None:
    text = edited(
        ("      uplink: 1G\n", '      uplink: "1 Gbs"\n'),  # extranet
        ("vcpu: 1000", "vcpu: -1"),  # cloud
        ("name: tiny\n", "name: tiny\nyaer: 2020\n"),  # top level
    )
    err = _raise_issues(write_file(text))
    got = {(i.path, i.line) for i in err.errors}
    assert got == {
        ("extranet.tiers.county.uplink", 22),
        ("cloud[0].vcpu", 34),
        ("yaer", 2),
    }, _render(err.issues)
    assert str(err).splitlines()[0].endswith("3 problems found")


def test_every_diagnose_error_is_reported(write_file: Callable[..., Path]) -> None:
    err = _raise_issues(write_file(edited(("  carriers: [电信, 联通]", "  carriers: [电信]"))))
    assert [i.path for i in err.errors] == [
        "extranet.tiers.city.carriers",
        "extranet.tiers.county.carriers",
        "extranet.tiers.town.carriers",
        "extranet.internet_egress.carriers",
    ]


def test_a_carrier_no_tier_uses_is_a_warning(write_file: Callable[..., Path]) -> None:
    # BASE's city core takes 2 carriers (tiers.city.carriers: 2): a third listed carrier gets
    # no line anywhere; before this check it was silently ignored (no warning, no failure case)
    scenario, warnings = read_scenario(write_file(
        edited(("  carriers: [电信, 联通]", "  carriers: [电信, 联通, 广电]"))))
    [w] = warnings
    assert (w.path, w.severity, w.line) == ("extranet.carriers[2]", "warning", 17)
    assert '"广电" is listed but no tier uses it' in w.message
    assert "raise extranet.tiers.city.carriers to 3" in w.hint
    # second method: the built topology has no line of it
    assert build_topology(scenario).carriers == ["电信", "联通"]
    assert carriers_in_use(scenario) == ["电信", "联通"]


@pytest.mark.parametrize("name", ["meizhou-2020", "guangdong-2020"])
def test_carriers_in_use_are_the_topology_carriers(name: str) -> None:
    scenario = read_scenario(scenario_path(name))[0]
    assert carriers_in_use(scenario) == build_topology(scenario).carriers


def test_province_uplinks_use_carriers_the_city_cores_do_not() -> None:
    # a multi-province region (the national scenario, made small) whose city cores take only
    # the first carrier: the 3-carrier province uplinks still give all three a line
    scenario = read_scenario(scenario_path("national-synthetic"))[0]
    region = scenario.region.model_copy(update={"synthetic": scenario.region.synthetic.model_copy(
        update={"provinces": 2, "cities": 2, "counties": 2, "towns": 2, "villages": 2})})
    tiers = scenario.extranet.tiers
    tiers = tiers.model_copy(update={"city": tiers.city.model_copy(update={"carriers": 1}),
                                     "county": tiers.county.model_copy(update={"carriers": 1}),
                                     "town": tiers.town.model_copy(update={"carriers": 1})})
    small = scenario.model_copy(update={
        "region": region, "extranet": scenario.extranet.model_copy(update={"tiers": tiers})})
    assert carriers_in_use(small) == ["电信", "联通", "移动"]
    assert build_topology(small).carriers == ["电信", "联通", "移动"]


# --------------------------------------------------------------------------- encodings, binary


def _meizhou_text() -> str:
    return scenario_path("meizhou-2020").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_other_encodings_load_identically(encoding: str,
                                          write_file: Callable[..., Path]) -> None:
    text = _meizhou_text()
    first = write_file(text, "utf8.yaml")
    # the scenario names its inventory, relative to the scenario file: copy it alongside
    shutil.copy(scenario_path("meizhou-2020").with_name("meizhou-2020-systems.csv"), first.parent)
    utf8 = read_scenario(first)
    other_path = write_file(text, f"{encoding}.yaml", encoding=encoding)
    raw = other_path.read_bytes()
    if encoding == "gbk":
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")  # the test would prove nothing if GBK bytes were also UTF-8
    else:
        assert raw.startswith(b"\xef\xbb\xbf")
    assert read_scenario(other_path) == utf8
    assert utf8[0].region.provinces[0].cities[0].counties[3].town_list()[0].name == "大柘镇"


@pytest.mark.parametrize(
    ("content", "words", "line"),
    [
        (bytes(range(256)) * 4, "the file is binary", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "the file is binary", None),
        (b"\xff\xfe\xfd" * 100, "neither UTF-8 nor GBK/GB18030", None),
        (b"name: tiny\nregion: \x1a\n", "character #x001A is not allowed", 2),
    ],
    ids=["all-bytes", "png", "undecodable", "control-character"],
)
def test_binary_garbage_is_a_clear_error(content: bytes, words: str, line: int | None,
                                         write_file: Callable[..., Path]) -> None:
    err = _raise_issues(write_file(content))
    [issue] = err.issues
    assert words in issue.message
    assert issue.hint
    assert issue.line == line


def test_missing_file(tmp_path: Path) -> None:
    err = _raise_issues(tmp_path / "nowhere.yaml")
    assert "file not found" in err.issues[0].message


# --------------------------------------------------------------------------- bundled scenarios

_EXPECTED_BUNDLED = {"meizhou-2020", "guangdong-2020", "national-synthetic"}


@pytest.mark.parametrize("name", sorted(set(list_scenarios()) | _EXPECTED_BUNDLED))
def test_bundled_scenario_loads_without_issues(name: str) -> None:
    if name not in list_scenarios():
        pytest.skip(f"{name}.yaml is not bundled yet")
    scenario, warnings = read_scenario(scenario_path(name))
    assert [w for w in warnings if w.severity == "error"] == []
    assert scenario.name == name


# --------------------------------------------------------------------------- JSON Schema


def _resolve(schema: dict, node: dict) -> dict:
    ref = node.get("$ref")
    if ref is None:
        return node
    assert ref.startswith("#/$defs/")
    return schema["$defs"][ref.removeprefix("#/$defs/")]


def test_json_schema_structure() -> None:
    schema = scenario_json_schema()
    json.dumps(schema)  # plain JSON
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert {"region", "extranet", "targets"} <= set(schema["properties"])
    assert {"name", "region", "extranet"} <= set(schema["required"])
    assert schema["additionalProperties"] is False

    extranet = _resolve(schema, schema["properties"]["extranet"])
    tiers = _resolve(schema, extranet["properties"]["tiers"])
    county = _resolve(schema, tiers["properties"]["county"])
    uplink = county["properties"]["uplink"]
    assert "uplink" in county["required"] and "uplink_mbps" not in county["properties"]
    types = {alt["type"] for alt in uplink["anyOf"]}
    assert types == {"integer", "string"}
    [text] = [alt for alt in uplink["anyOf"] if alt["type"] == "string"]
    pattern = re.compile(text["pattern"])
    for accepted in ["10G", "1Gbps", "100M", "100 Mbps", "2.5 Gb/s", "千兆", "万兆", "512k"]:
        assert pattern.search(accepted), accepted
        if accepted != "512k":  # the schema checks the form; whole Mbps is the loader's job
            parse_bandwidth_mbps(accepted)
    for rejected in ["1 Gbs", "100MB", "fast", "-5M"]:
        assert not pattern.search(rejected), rejected


def test_json_schema_validates_meizhou() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = scenario_json_schema()
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    data = yaml.safe_load(_meizhou_text())
    data = json.loads(json.dumps(data, default=str))  # YAML dates -> ISO strings, as in JSON
    assert [e.message for e in validator.iter_errors(data)] == []
    # and the schema catches what the loader catches, at least in form
    data["extranet"]["tiers"]["county"]["uplink"] = "1 Gbs"
    data["extranet"]["tiers"]["county"]["uplnk"] = "1G"
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert {tuple(e.absolute_path) for e in errors} == {
        ("extranet", "tiers", "county"),
        ("extranet", "tiers", "county", "uplink"),
    }


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_non_finite_numbers_are_refused_by_the_model_itself(value):
    # the YAML loader refuses .inf/.nan with their line; data built in Python (a notebook,
    # a sweep variant) reaches the model directly, which must refuse them too
    import copy

    from netplan.examples import TINY_SCENARIO
    from netplan.io.scenario_yaml import parse_scenario

    data = copy.deepcopy(TINY_SCENARIO)
    data["extranet"]["tiers"]["city"]["latency_ms"] = value
    with pytest.raises(ScenarioError, match="extranet.tiers.city.latency_ms.*finite"):
        parse_scenario(data)
