"""Hostile names for the output-safety tests: formulas for spreadsheets, markup for the page.

:func:`hostile_case` writes the tiny scenario (two counties, eight systems) with its name,
sites, departments and systems renamed to these strings, and its inventory as CSV.
"""

from __future__ import annotations

from pathlib import Path

#: Text a spreadsheet would run as a formula.
FORMULAS = ('=HYPERLINK("http://x","y")', "+1+1", "-1+1", "@SUM(A1)")
#: Markup a browser would run: the brief's four, as given.
MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
          '"><svg onload=alert(1)>', "javascript:alert(1)")
#: Markup that leaves a mark in the DOM if it ever runs (what headless Chromium can see).
MARKERS = ("<script>document.documentElement.dataset.pwned='script'</script>",
           "<img src=x onerror=\"document.documentElement.dataset.pwned='img'\">",
           "\"><svg onload=\"document.documentElement.dataset.pwned='svg'\">")


def hostile_inventory():
    """The tiny inventory with its departments, systems and sites named like the above."""
    from netplan.examples import tiny_migration
    from netplan.migration.inventory import Inventory, default_system_id

    inv = tiny_migration()[1]
    f, m = FORMULAS, MARKUP
    dept = {"市公安局": f[0], "市民政局": f[2], "市档案馆": f[3], "A县医疗保障局": f[1],
            "市政务服务数据管理局": m[0]}
    name = {"人口库": f[0], "警务通": f[1], "低保": f[2], "救助": f[3], "旧OA": m[0],
            "档案": m[1], "门户": m[2], "县医保": m[3]}
    site = {"A县": f[3]}
    # ids: "<department>/<name>" without the commas (which separate ids in depends_on)
    ids = {s.system_id: default_system_id(dept.get(s.department, s.department),
                                          name.get(s.name, s.name)).replace(",", " ")
           for s in inv.systems}
    return Inventory(tuple(
        s.model_copy(update={"department": dept.get(s.department, s.department),
                             "name": name.get(s.name, s.name),
                             "site": site.get(s.site, s.site), "system_id": ids[s.system_id],
                             "depends_on": tuple(ids[d] for d in s.depends_on)})
        for s in inv.systems))


def hostile_case(folder: Path) -> Path:
    """Write ``folder/scenario.yaml`` and ``folder/systems.csv``; return the scenario's path."""
    import yaml

    from netplan.io.inventory_io import write_inventory
    from tests.test_cli import _tiny_scenario_data

    f, m = FORMULAS, MARKUP
    data = _tiny_scenario_data()
    data["name"] = m[3] + " " + m[0]
    data["description"] = " ".join(MARKERS)
    county_a, county_b = data["region"]["provinces"][0]["cities"][0]["counties"]
    county_a["name"] = f[3]
    county_a["towns"][0]["name"] = f[1]
    county_a["towns"][1]["name"] = m[2]
    county_b["name"] = m[1]
    county_b["towns"][0]["name"] = f[2]
    data["extranet"]["departments"]["city"]["names"] = [f[0], MARKERS[1]]
    folder.mkdir(parents=True)
    (folder / "scenario.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                          encoding="utf-8")
    write_inventory(hostile_inventory(), folder / "systems.csv")
    return folder / "scenario.yaml"


def run_hostile(folder: Path) -> Path:
    """``netplan run`` (no pictures) on :func:`hostile_case`; the output folder."""
    from netplan.cli import main

    path = hostile_case(folder / "case")
    out = folder / "out"
    code = main(["run", str(path), "--out", str(out), "--no-plot", "--quiet",
                 "--duration", "60s"])
    assert code in (0, 1), code  # planned (targets met or missed): every table is written
    return out
