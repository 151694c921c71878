"""``netplan sweep``: parquet + CSV (BOM) + plots written atomically, exit codes 0 / 4 / 2."""

import argparse

import pandas as pd
import pytest

from netplan.errors import ScenarioError
from netplan.sweep.cli import EXIT_SOME_FAILED, add_parser, cmd_sweep


def _args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="netplan")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_sweep_writes_parquet_csv_and_plots(tiny_file, write_grid, tmp_path, capsys):
    grid = write_grid({"name": "cli", "stages": ["migration", "capacity"],
                       "grid": {"demand.growth_pct_per_year": [0, 50],
                                "migration.teams": [1, 2]}})
    out = tmp_path / "out"
    args = _args(["sweep", str(tiny_file), "--grid", str(grid), "--out", str(out),
                  "--scheduler", "sync"])
    assert args.func is cmd_sweep
    assert args.func(args) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["cost_vs_growth.png", "cost_vs_growth.svg", "run-metadata.json",
                     "slack_vs_teams.png", "slack_vs_teams.svg", "sweep.csv", "sweep.parquet"]
    assert (out / "sweep.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    pq = pd.read_parquet(out / "sweep.parquet")
    csv = pd.read_csv(out / "sweep.csv", encoding="utf-8-sig")
    assert pq["variant"].tolist() == csv["variant"].tolist() == ["v000", "v001", "v002", "v003"]
    assert pq["upgrade_cost"].tolist() == pytest.approx([0, 0, 3.6, 3.6])
    assert csv["label"][0] == "demand.growth_pct_per_year=0, migration.teams=1"
    assert "中" not in "".join(p.name for p in out.iterdir())
    assert "wrote" in capsys.readouterr().err
    # no staging folder left beside the output
    assert [p.name for p in tmp_path.iterdir() if "staging" in p.name] == []


def test_failed_variant_exits_4_and_keeps_its_row(tiny_file, write_grid, tmp_path, capsys,
                                                  monkeypatch):
    import netplan.sweep.run as run

    real = run.evaluate_variant

    def flaky(scenario, **kw):
        if scenario.migration.teams == 2:
            raise RuntimeError("boom")
        return real(scenario, **kw)

    monkeypatch.setattr(run, "evaluate_variant", flaky)
    grid = write_grid({"name": "f", "stages": ["migration"],
                       "variants": [{"migration.teams": 1}, {"migration.teams": 2}]})
    out = tmp_path / "out"
    args = _args(["sweep", str(tiny_file), "--grid", str(grid), "--out", str(out),
                  "--scheduler", "sync", "--quiet", "--no-plot", "--lang", "en"])
    assert cmd_sweep(args) == EXIT_SOME_FAILED == 4
    df = pd.read_parquet(out / "sweep.parquet")
    assert df["error"].tolist() == ["", "RuntimeError: boom"]
    err = capsys.readouterr().err
    assert "variant v001 (migration.teams=2) failed: RuntimeError: boom" in err
    assert "wrote" not in err  # --quiet


def test_bad_variant_raises_before_anything_is_written(tiny_file, write_grid, tmp_path):
    grid = write_grid({"name": "b", "grid": {"migration.teams": [0]}})
    out = tmp_path / "out"
    args = _args(["sweep", str(tiny_file), "--grid", str(grid), "--out", str(out)])
    with pytest.raises(ScenarioError, match="variant v000 .*migration.teams: 0 must be >= 1"):
        cmd_sweep(args)
    assert not out.exists()
