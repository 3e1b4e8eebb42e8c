"""Files ecf writes: private, never through a planted link, never half-written, never left behind; the report finds
a home when the input's folder is read-only, someone else's or full."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import worker, write_csv

from ecf import files

ROOT = Path(__file__).resolve().parent.parent
VICTIM, ATTACKER = 65533, 65534  # two unprivileged users, for the tests that need a second person
AS_ROOT = os.geteuid() == 0 and shutil.which("setpriv") is not None


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A folder other users can reach (pytest's own tmp folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="ecf-h13-"))
    folder.chmod(0o755)
    yield folder
    subprocess.run(["chmod", "-R", "u+rwx", str(folder)], check=False)
    shutil.rmtree(folder, ignore_errors=True)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def bad_file(folder: Path) -> Path:
    """A month with one row in error, so `ecf import` writes a report."""
    return write_csv(folder / "hr_2026-10-31.csv", [worker("004512"), worker("004513", FTE="7")])


def ecf_as(user: int | None, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "COLUMNS": "120"}
    env["PYTHONPATH"] = str(ROOT)
    prefix = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] if user is not None else []
    return subprocess.run(
        [*prefix, sys.executable, "-m", "ecf.cli.main", "--db", str(home / "ecf.sqlite3"), *args],
        capture_output=True, text=True, env=env, cwd=str(home), timeout=120,
    )  # fmt: skip


def test_the_writer_makes_private_files_and_replaces_a_planted_link_without_following_it(tmp_path: Path):
    victim = tmp_path / "precious.txt"
    victim.write_text("mine")
    target = tmp_path / "report.csv"
    target.symlink_to(victim)
    files.write_bytes(target, b"report")
    assert victim.read_text() == "mine"
    assert not target.is_symlink() and target.read_bytes() == b"report"
    assert mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(files.TEMP_SUFFIX)] == []


def test_share_group_makes_files_0640(tmp_path: Path):
    files.set_share_group(True)
    try:
        assert mode(files.write_bytes(tmp_path / "a.csv", b"x")) == 0o640
    finally:
        files.set_share_group(False)


def test_not_overwriting_refuses_an_existing_name_even_a_dangling_link(tmp_path: Path):
    target = tmp_path / "export.xlsx"
    target.symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError):
        files.write_bytes(target, b"x", overwrite=False)
    assert target.is_symlink() and not (tmp_path / "nowhere").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["export.xlsx"]


def test_a_failure_part_way_leaves_neither_the_target_nor_a_temporary_file(tmp_path: Path):
    with pytest.raises(RuntimeError), files.open_private(tmp_path / "out.csv", "w") as handle:
        handle.write("half")
        raise RuntimeError("disk gone")
    assert list(tmp_path.iterdir()) == []


def test_the_data_folder_is_tightened_to_0700(tmp_path: Path):
    folder = tmp_path / "ecf-tracker"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    files.private_folder(folder)
    assert mode(folder) == 0o700


def test_the_import_report_is_private_whatever_the_input_mode(tmp_path: Path):
    source = bad_file(tmp_path)
    source.chmod(0o666)
    done = ecf_as(None, tmp_path, "import", str(source))
    assert done.returncode == 1, done.stderr
    report = tmp_path / "hr_2026-10-31.errors.csv"
    assert mode(report) == 0o600


TERM_SCRIPT = """
import sys, time
from pathlib import Path
from ecf import files
files.remove_on_terminate()
with files.open_private(Path(sys.argv[1]), "w") as handle:
    handle.write("Okafor, Ada\\n")
    handle.flush()
    print("writing", flush=True)
    time.sleep(30)
"""


def test_kill_term_part_way_through_a_write_leaves_no_temporary_file(tmp_path: Path):
    child = subprocess.Popen(
        [sys.executable, "-c", TERM_SCRIPT, str(tmp_path / "export.csv")], stdout=subprocess.PIPE, text=True,
        cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert child.stdout is not None and child.stdout.readline().strip() == "writing"
    assert any(p.name.endswith(files.TEMP_SUFFIX) for p in tmp_path.iterdir())
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=20) == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not AS_ROOT, reason="needs root to act as two other users")
def test_a_link_planted_by_another_user_in_a_shared_folder_is_never_followed(open_tmp: Path):
    tmp_path = open_tmp
    home = tmp_path / "victim"
    home.mkdir()
    os.chown(home, VICTIM, VICTIM)
    precious = home / "precious.txt"
    precious.write_text("the victim's own file")
    os.chown(precious, VICTIM, VICTIM)
    precious.chmod(0o600)
    for sticky in (True, False):
        shared = tmp_path / f"shared-{sticky}"
        shared.mkdir()
        shared.chmod(0o1777 if sticky else 0o777)
        source = bad_file(shared)
        os.chown(source, VICTIM, VICTIM)
        link = shared / "hr_2026-10-31.errors.csv"
        subprocess.run(["setpriv", f"--reuid={ATTACKER}", f"--regid={ATTACKER}", "--clear-groups",
                        "ln", "-s", str(precious), str(link)], check=True)  # fmt: skip
        done = ecf_as(VICTIM, home, "import", str(source))
        assert done.returncode == 1, done.stderr
        assert precious.read_text() == "the victim's own file" and mode(precious) == 0o600
        assert "Traceback" not in done.stdout + done.stderr
        if sticky:  # the link is the attacker's: it stays, and the report goes to the victim's data folder
            assert link.is_symlink()
            report = home / "data" / "ecf-tracker" / "reports" / "hr_2026-10-31.errors.csv"
            assert "cannot take it" in done.stdout and str(report) in done.stdout.replace("\n", "")
        else:  # the link is replaced by the report, not followed
            report = link
            assert not link.is_symlink()
        assert report.exists() and mode(report) == 0o600 and report.stat().st_uid == VICTIM
        assert mode(home / "data" / "ecf-tracker") == 0o700


@pytest.mark.skipif(not AS_ROOT, reason="needs root to act as another user")
def test_a_read_only_input_folder_puts_the_report_in_the_data_folder(open_tmp: Path):
    tmp_path = open_tmp
    months = tmp_path / "months"
    months.mkdir()
    source = bad_file(months)
    months.chmod(0o555)
    home = tmp_path / "home"
    home.mkdir()
    os.chown(home, VICTIM, VICTIM)
    done = ecf_as(VICTIM, home, "import", str(source))
    assert done.returncode == 1, done.stderr
    assert "PermissionError" not in done.stdout + done.stderr and "internal error" not in done.stderr
    assert (home / "data" / "ecf-tracker" / "reports" / "hr_2026-10-31.errors.csv").exists()
    assert sorted(p.name for p in months.iterdir()) == ["hr_2026-10-31.csv"]


def _mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True).returncode == 0  # fmt: skip


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to mount a small tmpfs")
def test_a_full_disk_leaves_no_empty_report_and_no_traceback(tmp_path: Path):
    full = tmp_path / "full"
    if not _mount_tmpfs(full, "256k"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        source = bad_file(full)
        handle = os.open(full / "filler", os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            with pytest.raises(OSError):
                while True:
                    os.write(handle, b"\0" * 4096)
        finally:
            os.close(handle)
        home = full  # the data folder is on the full disk too: the report cannot go anywhere
        done = ecf_as(None, home, "--db", str(tmp_path / "ecf.sqlite3"), "import", str(source))
        assert done.returncode == 1, done.stderr
        assert "report not saved" in done.stdout and "Traceback" not in done.stdout + done.stderr
        left = [p.name for p in full.rglob("*") if p.is_file()]
        assert sorted(left) == ["filler", "hr_2026-10-31.csv"]
    finally:
        time.sleep(0.1)
        subprocess.run(["umount", str(full)], check=False)


def test_kill_term_during_a_real_export_leaves_no_temporary_file(tmp_path: Path):
    from conftest import SAMPLE

    env = {**{k: v for k, v in os.environ.items() if k != "ECF_DATABASE_URL"}, "XDG_DATA_HOME": str(tmp_path / "d")}
    db = str(tmp_path / "ecf.sqlite3")
    month = SAMPLE / "monthly" / "northmoor_hr_2026-10-31.xlsx"
    subprocess.run([sys.executable, "-m", "ecf.cli.main", "--db", db, "import", str(month)], env=env, cwd=ROOT,
                   capture_output=True, check=True, timeout=120)  # fmt: skip
    out = tmp_path / "out"
    out.mkdir()
    for after in (1.0, 2.0, 3.0):
        child = subprocess.Popen(
            [sys.executable, "-m", "ecf.cli.main", "--db", db, "export", str(out / f"p{after}.xlsx"), "--years", "10"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(after)
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=60)
        assert "Traceback" not in err
        left = [p.name for p in out.iterdir() if not p.name.endswith(".xlsx") or p.name.startswith(".")]
        assert left == [], left
        scratch = tmp_path / "d" / "ecf-tracker" / "tmp"
        assert not scratch.exists() or list(scratch.iterdir()) == []
    for written in out.iterdir():  # an export that finished before the signal is whole and private
        assert mode(written) == 0o600
