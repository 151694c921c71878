"""Fuzz every input surface and print a table of what came out.

For each surface of ``tests/fuzz/strategies.py`` (scenario YAML, inventory CSV and XLSX,
progress file, topology CSV/JSON/GraphML/SNDlib, ``--failure``), hypothesis draws N cases
(the ``fuzz-long`` profile: random seed, N = ``--cases``) and each is read as the command
line reads it. The table gives, per surface: cases run, valid results, netplan errors, the
distinct error messages (numbers, names and quoted values taken out, so that each counts one
*kind*), netplan errors not naming their place, other exceptions (must be 0), and the slowest
case in seconds. Other exceptions and unplaced errors are listed below the table.

Run from the repository root::

    python benchmarks/fuzz_inputs.py --cases 300
    python benchmarks/fuzz_inputs.py --cases 50 --surface "scenario yaml" --kinds
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("NETPLAN_FUZZ_PROFILE", "fuzz-long")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import given, settings  # noqa: E402

from tests.fuzz.strategies import SURFACES, classify  # noqa: E402

_READERS = ("netplan.io.scenario_yaml", "netplan.io.inventory_io", "netplan.io.progress_io",
            "netplan.io.topology_io", "netplan.io.sndlib", "netplan.cli", "openpyxl")


def run_surface(name: str, n_cases: int, seed: int | None) -> dict:
    import importlib

    for module in _READERS:  # import time is not the first case's time
        importlib.import_module(module)
    surface = SURFACES[name]
    stats = {"cases": 0, "valid": 0, "netplan": 0, "unplaced": 0, "other": 0, "max_s": 0.0,
             "kinds": Counter(), "problems": Counter()}
    workdir = Path(tempfile.mkdtemp(prefix="fuzz-"))

    @settings(settings.get_profile("fuzz-long"), max_examples=n_cases, deadline=None,
              derandomize=seed is not None)
    @given(case=surface.cases)
    def one(case):
        outcome, kinds, seconds = classify(surface, case, workdir)
        stats["cases"] += 1
        stats[outcome] += 1
        stats["max_s"] = max(stats["max_s"], seconds)
        if outcome == "netplan":
            stats["kinds"].update(kinds)
        else:
            stats["problems"].update(f"[{outcome}] {k}" for k in kinds)

    one()
    return stats


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=300, help="cases per surface (default 300)")
    p.add_argument("--surface", action="append", choices=list(SURFACES),
                   help="only this surface (repeatable)")
    p.add_argument("--seed", type=int, help="derandomize (a fixed sequence of cases)")
    p.add_argument("--kinds", action="store_true", help="list the distinct error messages")
    args = p.parse_args(argv)
    names = args.surface or list(SURFACES)
    rows, problems, kinds = [], [], Counter()
    t0 = time.perf_counter()
    for name in names:
        s = run_surface(name, args.cases, args.seed)
        rows.append((name, s["cases"], s["valid"], s["netplan"], len(s["kinds"]),
                     s["unplaced"], s["other"], s["max_s"]))
        problems += [(name, k, n) for k, n in s["problems"].most_common()]
        kinds.update({(name, k): n for k, n in s["kinds"].items()})
    head = ("surface", "cases", "valid", "netplan errors", "distinct messages",
            "unplaced errors", "other exceptions", "max s/case")
    widths = [max(len(str(r[i])) if not isinstance(r[i], float) else 6 for r in [head, *rows])
              for i in range(len(head))]
    print(" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for r in rows:
        cells = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in r]
        print(" | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
    total = [sum(r[i] for r in rows) for i in (1, 2, 3)]
    distinct = len({k for _, k in kinds})
    print(f"\nall surfaces: {total[0]} cases, {total[1]} valid, {total[2]} netplan errors, "
          f"{distinct} distinct error messages, {sum(r[5] for r in rows)} unplaced, "
          f"{sum(r[6] for r in rows)} other exceptions, "
          f"{time.perf_counter() - t0:.0f} s")
    if problems:
        print("\nproblems (must be none):")
        for name, k, n in problems:
            print(f"  {name}: {n} x {k}")
    if args.kinds:
        print("\ndistinct error messages:")
        for (name, k), n in sorted(kinds.items()):
            print(f"  {name}: {n} x {k}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
