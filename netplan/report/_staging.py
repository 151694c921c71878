"""Write a run's outputs to a staging folder and move them into place only when all succeeded."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["staged_output", "replaced_folder", "check_replaceable", "METADATA_FILE"]


@contextlib.contextmanager
def staged_output(out_dir: str | Path) -> Iterator[Path]:
    """Yield a temporary folder; on success move its files into ``out_dir``.

    On an exception nothing in ``out_dir`` changes and the staging folder is removed, so a
    failed step never leaves half-written output. Files already in ``out_dir`` that the step
    does not write are kept; files it writes again are replaced one by one (atomic renames on
    the same file system). A run stages each step into the new folder of
    :func:`replaced_folder`, which then replaces the output folder as a whole.
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


#: The file every netplan output folder holds: when and how it was written (the only file of a
#: run that differs between two runs of the same scenario and seed), and the mark that lets a
#: later run replace the folder.
METADATA_FILE = "run-metadata.json"


def check_replaceable(out: Path) -> None:
    """Raise unless ``out`` is missing, empty, or a folder netplan wrote (it holds the mark)."""
    from netplan.errors import NetplanError

    if not out.exists():
        return
    if not out.is_dir():
        raise NetplanError(f"--out {out} is a file, not a folder; name a folder")
    if (out / METADATA_FILE).is_file() or not any(out.iterdir()):
        return
    raise NetplanError(
        f"--out {out} is a folder netplan did not write (it has files and no {METADATA_FILE}); "
        "a run replaces its output folder as a whole, so name a new or empty folder, or move "
        "the files away first")


@contextlib.contextmanager
def replaced_folder(out_dir: str | Path) -> Iterator[Path]:
    """Yield a new sibling folder of ``out_dir``; on success it replaces ``out_dir`` whole.

    The run writes into ``.NAME.new-*`` beside ``out_dir``. On success the old folder is
    renamed away (``.NAME.old-*``), the new one renamed into place and the old one removed:
    two renames on the same file system, so a crash at any point leaves either the old folder
    or the new one under ``out_dir`` — never a mix — and no file of an earlier run lingers
    beside the new ones. On an exception nothing in ``out_dir`` changes and the new folder is
    removed.

    Raises
    ------
    NetplanError
        When ``out_dir`` is a file, or a non-empty folder without :data:`METADATA_FILE` (a
        folder netplan did not write: it is not replaced, nothing is lost).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> with replaced_folder(root / "out") as new:
    ...     _ = (new / METADATA_FILE).write_text("{}")
    ...     _ = (new / "a.csv").write_text("x")
    >>> with replaced_folder(root / "out") as new:
    ...     _ = (new / METADATA_FILE).write_text("{}")
    >>> sorted(p.name for p in (root / "out").iterdir())  # a.csv did not linger
    ['run-metadata.json']
    """
    out = Path(out_dir)
    check_replaceable(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        yield new
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    check_replaceable(out)  # checked again: something may have written there meanwhile
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old / out.name)
    try:
        os.replace(new, out)
    except BaseException:
        if old is not None:  # put the old folder back: nothing is lost
            os.replace(old / out.name, out)
            shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(new, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
