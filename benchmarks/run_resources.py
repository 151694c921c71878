"""Memory and time of the ``netplan`` commands per scenario, beside their estimate.

The estimate is :mod:`netplan.resources`'s.

Each command runs in a fresh process (``netplan <command> <scenario> --out <tmp> --no-plot
--quiet``); while it runs, the resident set sizes of it and of its children (the simulation's
process pool) are sampled every 0.2 s with ``psutil`` and summed: ``peak_MiB`` is the largest
sum seen, ``proc_MiB`` the largest single process (``ru_maxrss`` of the children, what
``/usr/bin/time -v`` calls "Maximum resident set size"). ``cpu_s`` is the user + system time
of the command and its children; ``wall_s`` the wall clock. ``load`` is the 1-minute load
average before / after the command (the machine may be shared: wall times are then noisy;
``cpu_s`` and the memory much less). ``est_MiB`` and ``est_s`` are
:func:`netplan.resources.estimate_run_resources` for the command's stages.

A command still running after ``--timeout`` seconds (default 1200) is stopped (its process
group killed) and marked ``stopped``.

Usage
-----
From the repository root::

    python benchmarks/run_resources.py                         # meizhou and guangdong
    python benchmarks/run_resources.py --only meizhou --commands topology,topology,topology
    python benchmarks/run_resources.py --only national --commands topology --timeout 1200

Notes
-----
This is a script, not a test: it prints a table and exits 0. Needs ``psutil`` for the summed
peak (without it only ``proc_MiB`` is measured).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SCENARIOS = {"meizhou": "meizhou-2020", "guangdong": "guangdong-2020",
             "national": "national-synthetic"}
COMMANDS = ("topology", "capacity", "schedule", "simulate", "run")


def _stages(command: str, scenario) -> list[str]:
    """The stages a command runs (as ``netplan.cli`` chooses them)."""
    has_plan = scenario.inventory is not None and scenario.migration is not None
    return {"topology": ["topology"],
            "capacity": (["migration", "capacity"] if has_plan else ["capacity"]),
            "schedule": ["migration", "policy"],
            "simulate": ["simulation"],
            "run": ["topology", "migration", "capacity", "simulation", "policy"]}[command]


def _tree_rss_mib(proc) -> float:
    import psutil

    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0.0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total / (1024 * 1024)


def measure(path: str, command: str, timeout_s: float) -> dict:
    """Run one command in a fresh process group; wall, CPU and memory."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - only the per-process peak then
        psutil = None
    out = tempfile.mkdtemp(prefix="netplan-res-")
    errfile = open(os.path.join(out, "stderr.txt"), "w+b")  # noqa: SIM115 - closed below
    load0 = os.getloadavg()[0]
    t = time.perf_counter()
    child = subprocess.Popen(["netplan", command, path, "--out", os.path.join(out, "o"),
                              "--no-plot", "--quiet"], stdout=subprocess.DEVNULL,
                             stderr=errfile, start_new_session=True)
    proc = psutil.Process(child.pid) if psutil else None
    peak, stopped, usage = 0.0, False, None
    while usage is None:
        # os.wait4: this child's own rusage (it and the descendants it waited for)
        pid, status, ru = os.wait4(child.pid, os.WNOHANG)
        if pid:
            usage, child.returncode = ru, os.waitstatus_to_exitcode(status)
            break
        if proc is not None:
            peak = max(peak, _tree_rss_mib(proc))
        if not stopped and time.perf_counter() - t > timeout_s:
            os.killpg(child.pid, signal.SIGKILL)
            stopped = True
        time.sleep(0.2)
    wall = time.perf_counter() - t
    errfile.seek(0)
    err = errfile.read()
    errfile.close()
    shutil.rmtree(out, ignore_errors=True)
    proc_mib = usage.ru_maxrss / 1024  # KiB on Linux
    return {"wall_s": wall,
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_MiB": max(peak, proc_mib) if proc is not None else float("nan"),
            "proc_MiB": proc_mib, "exit": "stopped" if stopped else str(child.returncode),
            "load": f"{load0:.1f}/{os.getloadavg()[0]:.1f}",
            "stderr": err.decode(errors="replace").strip().splitlines()[-1:] if err else []}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="meizhou,guangdong", metavar="NAMES",
                        help=f"comma-separated subset of {','.join(SCENARIOS)} (default "
                        "%(default)s)")
    parser.add_argument("--commands", default=",".join(COMMANDS), metavar="NAMES",
                        help="comma-separated commands, repeat one to see the noise "
                        "(default %(default)s)")
    parser.add_argument("--timeout", type=float, default=1200.0, metavar="S",
                        help="stop a command after S seconds (default %(default)s)")
    args = parser.parse_args(argv)
    keys = [k.strip() for k in args.only.split(",") if k.strip()]
    commands = [c.strip() for c in args.commands.split(",") if c.strip()]
    bad = [k for k in keys if k not in SCENARIOS] + [c for c in commands if c not in COMMANDS]
    if bad:
        parser.error(f"unknown {', '.join(bad)}; scenarios {', '.join(SCENARIOS)}, commands "
                     f"{', '.join(COMMANDS)}")

    from netplan.examples import load_example, scenario_path
    from netplan.resources import estimate_run_resources

    rows = []
    for key in keys:
        name = SCENARIOS[key]
        scenario = load_example(name)
        for command in commands:
            est = estimate_run_resources(scenario, stages=_stages(command, scenario))
            print(f"netplan {command} {name} ...", file=sys.stderr, flush=True)
            got = measure(str(scenario_path(name)), command, args.timeout)
            rows.append({"scenario": name, "command": command, **got,
                         "est_MiB": est.peak_memory_mib, "est_s": est.seconds})
            print(f"  {got['wall_s']:.1f} s wall, {got['cpu_s']:.1f} s CPU, peak "
                  f"{got['peak_MiB']:.0f} MiB (largest process {got['proc_MiB']:.0f} MiB), "
                  f"estimate {est.peak_memory_mib:.0f} MiB {est.seconds:.0f} s, load "
                  f"{got['load']}", file=sys.stderr, flush=True)
            if got["exit"] not in ("0", "1"):
                print(f"  exit {got['exit']}: {' '.join(got['stderr'])}", file=sys.stderr)

    print(f"netplan command resources — {os.cpu_count()} CPUs; peak_MiB: summed RSS of the "
          "process tree (sampled), proc_MiB: largest single process (ru_maxrss)")
    print()
    head = (f"{'scenario':<20} {'command':<9} {'wall_s':>8} {'cpu_s':>8} {'peak_MiB':>9} "
            f"{'proc_MiB':>9} {'est_MiB':>8} {'est_s':>8} {'exit':>7} {'load':>9}")
    print(head)
    for r in rows:
        print(f"{r['scenario']:<20} {r['command']:<9} {r['wall_s']:8.1f} {r['cpu_s']:8.1f} "
              f"{r['peak_MiB']:9.0f} {r['proc_MiB']:9.0f} {r['est_MiB']:8.0f} "
              f"{r['est_s']:8.1f} {r['exit']:>7} {r['load']:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
