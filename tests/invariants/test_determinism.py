"""Determinism: ``netplan run`` twice gives byte-identical outputs, wherever and however run.

The two runs are separate processes with different ``PYTHONHASHSEED`` (set and dict-of-set
iteration orders differ), working directories and scenario paths (relative, absolute); every
file they write must be identical byte for byte — tables, workbooks, pictures (PNG, SVG), the
report — except ``run-metadata.json``, the one file with the time, the command line and the
paths. The pictures are drawn (no ``--no-plot``): they are outputs too.

This replaces the in-process "same scenario and seed give byte-identical tables" check of
``tests/test_cli_run.py`` (CSV only, one process, one hash seed).
"""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

from tests.test_cli import Broken, _write_case

#: The one file allowed to differ between two runs (time, argv, paths, platform).
METADATA = "run-metadata.json"
RUN = "import sys; from netplan.cli import main; sys.exit(main(sys.argv[1:]))"


def _start(scenario: str, cwd: Path, out: Path, hash_seed: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    return subprocess.Popen(
        [sys.executable, "-c", RUN, "run", scenario, "--out", str(out), "--duration", "60s",
         "--quiet"], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_run_twice_in_other_folders_and_hash_seeds_gives_identical_files(tmp_path):
    scenario = _write_case(Broken("good"), tmp_path / "case")
    other = tmp_path / "elsewhere"
    other.mkdir()
    # at once: the two runs share nothing but the scenario's files
    runs = [_start("scenario.yaml", scenario.parent, tmp_path / "a", "1"),
            _start(str(scenario), other, tmp_path / "b", "2")]
    for run in runs:
        _, err = run.communicate(timeout=600)
        text = err.decode("utf-8", "replace")
        assert run.returncode in (0, 1), text  # 1: the tiny plan misses targets, said
        assert "Traceback" not in text, text
    a, b = tmp_path / "a", tmp_path / "b"
    files = _files(a)
    assert files == _files(b)
    kinds = {Path(f).suffix for f in files}
    assert {".csv", ".xlsx", ".png", ".svg", ".html", ".md", ".json"} <= kinds
    assert METADATA in files
    compared = [f for f in files if f != METADATA]
    same, differ, errors = filecmp.cmpfiles(a, b, compared, shallow=False)
    assert errors == []
    assert differ == [], f"{len(differ)} of {len(compared)} files differ: {differ}"
    assert len(same) == len(compared) > 60
