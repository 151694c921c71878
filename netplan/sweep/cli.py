"""The ``netplan sweep`` subcommand: every variant of a grid, one table, the trade-off plots.

``netplan sweep FILE --grid GRID.yaml --out DIR [--scheduler sync|tcp://HOST:PORT]
[--workers N] [--time-limit S] [--lang zh|en] [--no-plot] [--quiet]`` writes, all at once
when everything succeeded (a new folder that replaces ``DIR`` as a whole; the time and
command line in ``DIR/run-metadata.json``):

- ``DIR/sweep.parquet`` and ``DIR/sweep.csv`` (UTF-8 with BOM, opens in Excel/WPS): one row
  per variant, its parameters and key figures, failed variants with their ``error``;
- ``DIR/cost_vs_growth.png|svg`` and ``DIR/slack_vs_teams.png|svg``.

Exit status: 0 every variant ran; :data:`EXIT_SOME_FAILED` (4) some variant raised (its row
is kept with the error, the others are complete); 2 bad input (the grid, the scenario or a
variant, each problem named), nothing run or written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_parser", "cmd_sweep", "write_sweep", "EXIT_SOME_FAILED"]

EXIT_OK = 0
#: Some variant failed: its row holds the error; every other row is complete.
EXIT_SOME_FAILED = 4


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``sweep`` to the ``netplan`` command's subparsers (``func`` is :func:`cmd_sweep`)."""
    p = subparsers.add_parser(
        "sweep", help="run many variants of a scenario (a grid file) in parallel on Dask; "
        "one table of key figures per variant and the trade-off plots",
        description="Run every variant of GRID (dotted scenario paths and values: their "
        "cross product and/or a list) through the planning pipeline. Exit 0 when every "
        f"variant ran, {EXIT_SOME_FAILED} when some failed (their rows keep the error), 2 on "
        "bad input.")
    p.add_argument("file", help="scenario YAML file")
    p.add_argument("--grid", required=True, metavar="GRID.yaml", help="sweep grid file")
    p.add_argument("--out", required=True, help="output folder (created if missing)")
    p.add_argument("--scheduler", metavar="sync|tcp://HOST:PORT",
                   help="default: $NETPLAN_DASK_SCHEDULER, else a local Dask cluster; "
                   "'sync' runs the variants one by one in this process")
    p.add_argument("--workers", type=int, metavar="N",
                   help="worker processes of the local cluster (default: the CPUs)")
    p.add_argument("--time-limit", type=float, metavar="S", dest="time_limit_s",
                   help="per variant, of the migration scheduler and the upgrade plan each "
                   "(default: the scenario's)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh",
                   help="language of the plots' labels (default zh)")
    p.add_argument("--no-plot", action="store_true", help="skip the pictures")
    p.add_argument("--quiet", action="store_true", help="no progress")
    p.set_defaults(func=cmd_sweep)
    return p


def write_sweep(result, out_dir: Path, *, pictures: bool = True, lang: str = "zh"
                ) -> list[Path]:
    """Write the table (parquet, CSV with BOM) and the plots into ``out_dir``; return the files."""
    out_dir = Path(out_dir)
    df = result.to_frame()
    files = [out_dir / "sweep.parquet", out_dir / "sweep.csv"]
    df.to_parquet(files[0], index=False)
    from netplan.report.tables import write_csv

    write_csv(df, files[1])  # UTF-8 with BOM; text that starts like a formula gets a '
    if pictures:
        from netplan.plot import save_figure
        from netplan.plot.sweep import plot_cost_vs_growth, plot_slack_vs_teams

        for name, fn in (("cost_vs_growth", plot_cost_vs_growth),
                         ("slack_vs_teams", plot_slack_vs_teams)):
            # PNG and SVG, reproducible, Chinese drawn as paths (no font needed to view)
            files += save_figure(fn(df, lang=lang).figure, out_dir / name, dpi=150)
    return files


def cmd_sweep(args) -> int:
    """Run ``netplan sweep``; return the exit status (0, or 4 when some variant failed).

    Bad input raises :class:`~netplan.errors.ScenarioError` (``netplan``'s ``main`` prints
    it and exits with 2) before any variant runs.
    """
    from netplan.report import check_replaceable, replaced_folder
    from netplan.report.metadata import write_run_metadata
    from netplan.sweep.grid import read_grid
    from netplan.sweep.run import run_sweep

    grid = read_grid(args.grid)
    check_replaceable(Path(args.out))  # before the variants run, not after
    if args.workers is not None and args.workers < 1:
        from netplan.errors import NetplanError

        raise NetplanError(f"--workers {args.workers}: must be at least 1")
    result = run_sweep(args.file, grid, scheduler=args.scheduler, workers=args.workers,
                       progress=not args.quiet, time_limit_s=args.time_limit_s)
    with replaced_folder(args.out) as stage:  # --out replaced whole, or left as it was
        write_sweep(result, stage, pictures=not args.no_plot, lang=args.lang)
        write_run_metadata(stage, argv=getattr(args, "argv", None), source=args.file)
    if not args.quiet:
        print(f"netplan: {result}", file=sys.stderr)
        print(f"netplan: wrote {Path(args.out) / 'sweep.parquet'} and sweep.csv", file=sys.stderr)
    for row in result.rows:
        if row.get("error"):  # said even with --quiet
            print(f"netplan: warning: variant {row['variant']} ({row['label']}) failed: "
                  f"{row['error']}", file=sys.stderr)
    return EXIT_SOME_FAILED if result.failed else EXIT_OK
