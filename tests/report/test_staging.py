"""The output folder is replaced as a whole, or left as it was: never a mix, nothing lost."""

import os
from pathlib import Path

import pytest

from netplan.errors import NetplanError
from netplan.report import METADATA_FILE, replaced_folder


def _earlier_run(out: Path) -> None:
    out.mkdir()
    (out / METADATA_FILE).write_text('{"run": "earlier"}', encoding="utf-8")
    (out / "old.csv").write_text("old", encoding="utf-8")


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_run_replaces_the_folder_and_no_old_file_lingers(tmp_path):
    out = tmp_path / "out"
    _earlier_run(out)
    with replaced_folder(out) as new:
        (new / METADATA_FILE).write_text('{"run": "new"}', encoding="utf-8")
        (new / "sub").mkdir()
        (new / "sub" / "new.csv").write_text("new", encoding="utf-8")
        assert _tree(out)["old.csv"] == "old"  # untouched until the run succeeded
    assert _tree(out) == {METADATA_FILE: '{"run": "new"}', "sub/new.csv": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing staged left


def test_a_failed_run_leaves_the_folder_as_it_was(tmp_path):
    out = tmp_path / "out"
    _earlier_run(out)
    before = _tree(out)
    with pytest.raises(RuntimeError), replaced_folder(out) as new:
        (new / "half.csv").write_text("half", encoding="utf-8")
        raise RuntimeError("stage failed")
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_crash_in_the_swap_puts_the_old_folder_back(tmp_path, monkeypatch):
    # the second rename (new folder into place) fails: the old folder must come back whole
    out = tmp_path / "out"
    _earlier_run(out)
    before = _tree(out)
    real = os.replace
    calls = []

    def flaky(src, dst):
        calls.append((Path(src).name, Path(dst).name))
        if len(calls) == 2:
            raise OSError("disk full")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(OSError, match="disk full"), replaced_folder(out) as new:
        (new / "new.csv").write_text("new", encoding="utf-8")
    assert len(calls) == 3  # old away, new in (failed), old back
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_folder_netplan_did_not_write_is_refused_and_kept(tmp_path):
    home = tmp_path / "documents"
    home.mkdir()
    (home / "thesis.docx").write_text("years of work", encoding="utf-8")
    with pytest.raises(NetplanError, match="did not write"), replaced_folder(home):
        pass
    assert _tree(home) == {"thesis.docx": "years of work"}


def test_an_empty_or_missing_folder_is_written(tmp_path):
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "empty", tmp_path / "missing" / "deep"):
        with replaced_folder(out) as new:
            (new / METADATA_FILE).write_text("{}", encoding="utf-8")
        assert _tree(out) == {METADATA_FILE: "{}"}
