"""Running sweeps: key figures checked by hand and against direct calls, the same table on a
local Dask cluster and synchronously, failing variants as error rows."""

import datetime as dt

import pandas as pd
import pytest

from netplan.examples import tiny_migration
from netplan.io.inventory_io import read_inventory
from netplan.migration.plan import plan_migration
from netplan.sweep import SweepResult, evaluate_variant, parse_grid, run_sweep, variant_scenarios

GRID = {"name": "tiny", "grid": {"demand.growth_pct_per_year": [0, 50],
                                 "migration.teams": [1, 2]}}


@pytest.fixture(scope="module")
def _cluster_and_sync(tmp_path_factory):
    """The 4-variant sweep, once on a LocalCluster of 2 worker processes, once synchronously."""
    import yaml

    from netplan.io.inventory_io import write_inventory
    from tests.sweep.conftest import tiny_sweep_data  # the fixture's data, made again here

    folder = tmp_path_factory.mktemp("scenario")
    write_inventory(tiny_migration()[1], folder / "systems.csv")
    path = folder / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny_sweep_data(), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    g = parse_grid(GRID)
    cluster = run_sweep(path, g, workers=2, progress=False)
    sync = run_sweep(path, g, scheduler="sync", progress=False)
    return path, cluster, sync


def test_cluster_and_sync_give_the_same_table(_cluster_and_sync):
    _, cluster, sync = _cluster_and_sync
    assert cluster.scheduler == "local:2 workers" and sync.scheduler == "sync"
    a, b = cluster.to_frame(wall_clock=False), sync.to_frame(wall_clock=False)
    assert "seconds" not in a and "cpu_seconds" not in a
    assert {"seconds", "cpu_seconds"} <= set(cluster.to_frame())
    pd.testing.assert_frame_equal(a, b)
    assert cluster.ok and sync.ok and cluster.failed == []


def test_key_figures_by_hand(_cluster_and_sync):
    _, _, sync = _cluster_and_sync
    df = sync.to_frame().set_index("variant")
    assert list(df.index) == ["v000", "v001", "v002", "v003"]
    assert df[["demand.growth_pct_per_year", "migration.teams"]].values.tolist() == \
        [[0, 1], [0, 2], [50, 1], [50, 2]]
    # the tiny extranet: 25 nodes, 35 links (counted in netplan.examples)
    assert set(df["nodes"]) == {25} and set(df["links"]) == {35}
    # 6 villages send 10 Mbps on a 20M uplink (ceiling 70%: 14 Mbps). With 50% growth 2021's
    # 15 Mbps needs the 50M module: per village 0.2 one-off + (1.0 - 0.6) rent = 0.6 万元
    assert df["upgrade_cost"].tolist() == pytest.approx([0, 0, 3.6, 3.6])
    assert df["upgrade_cost_2020"].tolist() == [0, 0, 0, 0]
    assert df["upgrade_cost_2021"].tolist() == pytest.approx([0, 0, 3.6, 3.6])
    assert df["upgrade_status"].tolist() == ["nothing_to_do"] * 2 + ["optimal"] * 2
    # one team: the last cutover on Sunday 2020-02-16 (netplan.examples.tiny_migration)
    assert df.loc["v000", "finish_date"] == dt.date(2020, 2, 16)
    assert df["migration_feasible"].all() and (df["milestones_met"] == 2).all()


def test_rows_match_direct_calls(_cluster_and_sync):
    path, _, sync = _cluster_and_sync
    df = sync.to_frame().set_index("variant")
    for variant, scenario in variant_scenarios(path, parse_grid(GRID)):
        inv = read_inventory(scenario.inventory.path)
        plan = plan_migration(scenario, inv)
        ms = plan.milestones()
        assert df.loc[variant.id, "finish_date"] == plan.finish_date
        assert df.loc[variant.id, "min_slack_weeks"] == ms["slack_weeks"].min()
    # two teams finish no later than one
    assert df.loc["v001", "finish_date"] <= df.loc["v000", "finish_date"]


def test_failing_variant_is_an_error_row(tiny_file, monkeypatch):
    import netplan.sweep.run as run

    real = run.evaluate_variant

    def flaky(scenario, **kw):
        if scenario.migration.teams == 2:
            raise RuntimeError("solver crashed")
        return real(scenario, **kw)

    monkeypatch.setattr(run, "evaluate_variant", flaky)
    r = run_sweep(tiny_file, parse_grid(dict(GRID, stages=["migration"])), scheduler="sync",
                  progress=False)
    assert r.failed == ["v001", "v003"] and not r.ok
    df = r.to_frame()
    assert df["error"].tolist() == ["", "RuntimeError: solver crashed", "",
                                    "RuntimeError: solver crashed"]
    assert df["migration_feasible"].isna().tolist() == [False, True, False, True]
    assert "2 failed: v001, v003" in str(r)


def test_progress_lines_when_not_a_terminal(tiny_file, capsys):
    run_sweep(tiny_file, parse_grid({"name": "p", "variants": [{"migration.teams": 1}],
                                     "stages": ["migration"]}), scheduler="sync")
    err = capsys.readouterr().err
    assert "sweep p: 1 variants" in err and "[1/1] v000 done" in err


def test_evaluate_variant_stages(tiny_file):
    (_, scenario), = variant_scenarios(tiny_file, parse_grid({"name": "e", "variants": [
        {"migration.teams": 1}]}))
    row = evaluate_variant(scenario, stages=["migration"])
    assert "upgrade_cost" not in row and row["migration_feasible"] is True
    with pytest.raises(ValueError, match="unknown stage"):
        evaluate_variant(scenario, stages=["capcity"])


def test_parameter_columns_keep_numbers_and_write_lists_as_json():
    rows = ({"variant": "v0", "label": "", "seed": None, "param:capacity.budget": None,
             "param:extranet.carriers": ["电信"], "error": "", "seconds": 1.0},
            {"variant": "v1", "label": "", "seed": None, "param:capacity.budget": 300,
             "param:extranet.carriers": ["电信", "联通"], "error": "", "seconds": 1.0})
    df = SweepResult("x", ("capacity",), ("capacity.budget", "extranet.carriers"), rows)\
        .to_frame()
    assert df["capacity.budget"].isna().tolist() == [True, False]
    assert df["capacity.budget"].dtype.kind == "f"
    assert df["extranet.carriers"].tolist() == ['["电信"]', '["电信", "联通"]']


def test_existing_cluster_by_address_and_by_environment(tiny_file, monkeypatch):
    import logging

    from distributed import LocalCluster

    g = parse_grid({"name": "addr", "stages": ["migration"],
                    "variants": [{"migration.teams": 1}, {"migration.teams": 2}]})
    sync = run_sweep(tiny_file, g, scheduler="sync", progress=False)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None, scheduler_kwargs={"dashboard_address": ":0"},
                      silence_logs=logging.ERROR) as cluster:
        address = cluster.scheduler_address
        by_address = run_sweep(tiny_file, g, scheduler=address, progress=False)
        monkeypatch.setenv("NETPLAN_DASK_SCHEDULER", address)
        by_env = run_sweep(tiny_file, g, progress=False)
    assert by_address.scheduler == by_env.scheduler == address
    for r in (by_address, by_env):
        pd.testing.assert_frame_equal(r.to_frame(wall_clock=False),
                                      sync.to_frame(wall_clock=False))


def test_simulation_stage_matches_a_direct_validation(tiny_file):
    from netplan.io.cloud_systems_io import systems_on_cloud
    from netplan.simulation import validate_interconnect
    from netplan.topology import build_topology

    g = parse_grid({"name": "sim", "stages": ["simulation"], "seeds": [7],
                    "variants": [{"simulation.duration_s": 300, "simulation.warmup_s": 60,
                                  "simulation.failures": [{"name": "电信 down",
                                                           "faults": [{"carrier": "电信"}]}]}]})
    r = run_sweep(tiny_file, g, scheduler="sync", progress=False)
    row = r.to_frame().iloc[0]
    assert row["error"] == "" and "upgrade_cost" not in row and "migration_feasible" not in row
    # the same by hand: no migration stage, so today's systems on the provisioned network
    ((_, scenario),) = variant_scenarios(tiny_file, g)
    assert scenario.simulation.seed == 7
    inv = read_inventory(scenario.inventory.path)
    v = validate_interconnect(scenario, build_topology(scenario),
                              systems=systems_on_cloud(scenario, inventory=inv))
    assert (row["simulation_passed"], row["failing_units"]) == (v.passed, len(v.failing_units()))
