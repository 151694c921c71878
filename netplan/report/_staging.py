"""Write a run's outputs to a staging folder and move them into place only when all succeeded."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["staged_output"]


@contextlib.contextmanager
def staged_output(out_dir: str | Path) -> Iterator[Path]:
    """Yield a temporary folder; on success move its files into ``out_dir``.

    On an exception nothing in ``out_dir`` changes and the staging folder is removed, so a
    failed run never leaves half-written output. Files already in ``out_dir`` that the run
    does not write are kept; files it writes again are replaced one by one (atomic renames on
    the same file system).
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        from netplan.errors import NetplanError

        raise NetplanError(f"--out {out} is a file, not a folder; name a folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        yield stage
        out.mkdir(parents=True, exist_ok=True)
        for src in sorted(stage.rglob("*")):
            if src.is_dir():
                continue
            dst = out / src.relative_to(stage)
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
