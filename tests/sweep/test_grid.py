"""Grid files: expansion, dotted paths, and every error named by file, variant and field."""

from pathlib import Path

import pytest

from netplan.errors import ScenarioError
from netplan.examples import scenario_path
from netplan.sweep import apply_variant, parse_grid, read_grid, variant_scenarios
from netplan.sweep.grid import split_path


def test_cross_product_times_list_times_seeds():
    g = parse_grid({"name": "g", "seeds": [1, 2],
                    "grid": {"migration.teams": [1, 2, 3], "demand.growth_pct_per_year": [0, 9]},
                    "variants": [{"capacity.budget": 5}, {"migration.teams": 7}]})
    vs = g.expand()
    assert len(vs) == 3 * 2 * 2 * 2
    assert [v.id for v in vs] == sorted(v.id for v in vs)
    assert len({v.id for v in vs}) == 24 and vs[0].id == "v000" and vs[-1].id == "v023"
    # order: grid points (last key fastest), then listed variants, then seeds
    assert vs[0].params == {"migration.teams": 1, "demand.growth_pct_per_year": 0,
                            "capacity.budget": 5} and vs[0].seed == 1
    assert vs[1].seed == 2
    # a listed variant's value wins over the grid point's for the same path
    assert vs[2].params == {"migration.teams": 7, "demand.growth_pct_per_year": 0}
    assert sorted({(v.params["migration.teams"], v.params["demand.growth_pct_per_year"])
                   for v in vs if "capacity.budget" in v.params}) == \
        [(t, g) for t in (1, 2, 3) for g in (0, 9)]


def test_list_only_and_bundled_grid():
    g = parse_grid({"name": "l", "variants": [{"migration.teams": 2}, {"migration.teams": 4}]})
    assert [v.params for v in g.expand()] == [{"migration.teams": 2}, {"migration.teams": 4}]
    assert g.stages == ("migration", "capacity")
    bundled = read_grid(scenario_path("meizhou-2020-sweep"))
    assert len(bundled.expand()) == 5 * 4 * 5
    assert bundled.grid["capacity.budget"][-1] is None


def test_paths_split_and_apply():
    assert split_path("simulation.failures[1].faults[0].carrier") == \
        ["simulation", "failures", 1, "faults", 0, "carrier"]
    assert split_path("simulation.failures.1.name") == ["simulation", "failures", 1, "name"]
    data = {"simulation": {"failures": [{"name": "a"}, {"name": "b"}]}, "extranet": {}}
    out = apply_variant(data, {"simulation.failures.1.name": "c",
                               "extranet.carriers": ["电信", "联通"], "capacity.budget": 7})
    assert out["simulation"]["failures"][1]["name"] == "c"
    assert out["extranet"]["carriers"] == ["电信", "联通"] and out["capacity"] == {"budget": 7}
    assert data["simulation"]["failures"][1]["name"] == "b"  # not changed in place
    with pytest.raises(KeyError, match=r"no item \[5\] \(the list has 2 items"):
        apply_variant(data, {"simulation.failures[5].name": "x"})
    with pytest.raises(ValueError, match="not a dotted path"):
        split_path("a..b")


def test_grid_file_errors_name_file_path_and_line(write_grid):
    path = write_grid({"name": "bad", "stage": ["migration"],
                       "grid": {"migration.teams": [], "demand.growth_pct_per_year": 5},
                       "stages": ["capacty"], "seeds": ["x"]})
    with pytest.raises(ScenarioError) as err:
        read_grid(path)
    text = str(err.value)
    assert str(path) in text and "5 problems found" in text
    assert "stage: unknown field 'stage'; did you mean 'stages'?" in text
    assert "grid.migration.teams: [] must be a non-empty list" in text
    assert "grid.demand.growth_pct_per_year: 5 must be a non-empty list" in text
    assert "unknown stage capacty; did you mean 'capacity'?" in text
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    teams_line = next(i for i, t in enumerate(lines, 1) if "migration.teams" in t)
    assert f"line {teams_line}: grid.migration.teams" in text
    with pytest.raises(ScenarioError, match="neither `grid:` nor `variants:`"):
        parse_grid({"name": "empty"})


def test_variant_errors_name_grid_variant_and_field(tiny_file, write_grid):
    path = write_grid({"name": "bad", "grid": {"migration.teams": [2, 0],
                                               "migration.teemz": [1]}})
    with pytest.raises(ScenarioError) as err:
        variant_scenarios(tiny_file, read_grid(path))
    text = str(err.value)
    assert text.startswith(f"{path}: ")
    # every variant has the unknown field; v001 also the team count below 1
    assert ("variant v000 (migration.teams=2, migration.teemz=1): migration.teemz: unknown "
            "field 'teemz'") in text and "did you mean 'teams'?" in text
    assert ("variant v001 (migration.teams=0, migration.teemz=1): migration.teams: 0 must be "
            ">= 1 (the variant sets migration.teams=0)") in text
    assert text.count("unknown field 'teemz'") == 2


def test_variant_path_through_a_value_or_past_a_list(tiny_file):
    g = parse_grid({"name": "bad", "variants": [{"migration.teams.x": 1},
                                               {"capacity.years[9]": 2030}]})
    with pytest.raises(ScenarioError) as err:
        variant_scenarios(tiny_file, g)
    text = str(err.value)
    assert "variant v000 (migration.teams.x=1): migration.teams.x: migration.teams: is the " \
           "value 1, not a section" in text
    assert "variant v001 (capacity.years[9]=2030): capacity.years[9]: capacity.years: no " \
           "item [9] (the list has 2 items" in text


def test_inventory_resolves_against_the_scenario_file(tiny_file):
    pairs = variant_scenarios(tiny_file, parse_grid({"name": "g", "grid": {
        "migration.teams": [1, 2]}}))
    assert [s.migration.teams for _, s in pairs] == [1, 2]
    assert {s.inventory.path for _, s in pairs} == {str((tiny_file.parent / "systems.csv")
                                                        .resolve())}


def test_seeds_set_the_sections_the_scenario_has(tiny_file):
    pairs = variant_scenarios(tiny_file, parse_grid({"name": "g", "seeds": [3, 4],
                                                     "variants": [{"migration.teams": 1}]}))
    assert [(v.seed, s.migration.seed, s.simulation.seed) for v, s in pairs] == \
        [(3, 3, 3), (4, 4, 4)]  # no simulation section in the file: it is made


def test_seeds_leave_out_a_missing_migration_section(tmp_path):
    import yaml

    from netplan.examples import TINY_SCENARIO

    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(TINY_SCENARIO, allow_unicode=True), encoding="utf-8")
    pairs = variant_scenarios(path, parse_grid({"name": "g", "seeds": [5],
                                                "variants": [{"demand.growth_pct_per_year": 1}]}))
    assert [(s.migration, s.simulation.seed) for _, s in pairs] == [(None, 5)]


def test_a_listed_variants_error_points_at_its_own_line(tiny_file, write_grid):
    path = write_grid({"name": "l", "variants": [{"migration.teams": 2},
                                                 {"migration.teams": -1}]})
    with pytest.raises(ScenarioError) as err:
        variant_scenarios(tiny_file, read_grid(path))
    (issue,) = err.value.issues
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "-1" in lines[issue.line - 1]
    assert issue.path == "variant v001 (migration.teams=-1): migration.teams"
