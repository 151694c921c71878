"""``run-metadata.json``: when and how a run was made — the one file that differs between runs.

Every other file a run writes is a function of the scenario, its inputs and the seed (the
same bytes in another working directory, with another ``PYTHONHASHSEED``, on another day);
the wall-clock facts — the time written, how long each stage took, the machine, the command
line — are kept here, in one clearly named place. The file is also the mark that lets a later
run replace the folder as a whole (:func:`netplan.report.replaced_folder`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import sys
from pathlib import Path

from netplan.report._staging import METADATA_FILE

__all__ = ["write_run_metadata", "METADATA_FILE"]


def _sha256(path: str | None) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else None
    except OSError:
        return None


def write_run_metadata(out_dir: str | Path, *, argv: list[str] | None, source: str | None,
                       stages=(), not_met: list[str] = (), seed: int | None = None) -> Path:
    """Write :data:`METADATA_FILE` into ``out_dir`` and return its path.

    Parameters
    ----------
    out_dir : str or Path
        The run's (new) output folder.
    argv : list of str, optional
        The command line (without the program name).
    source : str, optional
        The scenario file; its absolute path and SHA-256 are recorded.
    stages : iterable of StageRecord
        Each stage's name, status, wall time and error.
    not_met : list of str
        The ``netplan: not met:`` lines of the run (empty: every target met).
    seed : int, optional
        The random seed the run used.

    Examples
    --------
    >>> import json, tempfile
    >>> path = write_run_metadata(tempfile.mkdtemp(), argv=["run", "x.yaml"], source=None)
    >>> sorted(json.loads(path.read_text()))[:3]
    ['argv', 'complete', 'netplan_version']
    """
    from netplan import __version__

    record = {
        "netplan_version": __version__,
        "written": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "argv": list(argv) if argv is not None else None,
        "scenario_file": str(Path(source).resolve()) if source else None,
        "scenario_sha256": _sha256(source),
        "seed": seed,
        "complete": all(s.status != "failed" for s in stages),
        "not_met": list(not_met),
        "stages": [{"stage": s.name, "status": s.status, "seconds": round(s.seconds, 3),
                    "error": s.error} for s in stages],
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }
    path = Path(out_dir) / METADATA_FILE
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
