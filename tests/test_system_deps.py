"""`make test` on a fresh machine: scripts/system-deps names what is missing, in French, when it cannot install.

The script runs with a PATH of our own making: every command it looks for is there except Chromium, and `id`
answers a non-root user, so the script must stop with one line naming the package instead of calling apt-get.
"""

import os
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "system-deps"


def _fake_path(tmp_path: Path, *, missing: set[str], uid: str) -> str:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for command in ("bash", "grep", "fc-list", "pdftotext", "pdfinfo", "pdffonts", "redis-server", "pg_ctlcluster"):
        if command in missing:
            continue
        real = shutil.which(command)
        target = bin_dir / command
        if real:
            target.symlink_to(real)
        else:  # not on this machine: a stand-in that says it exists (and lists a DejaVu font for fc-list)
            target.write_text("#!/bin/sh\necho DejaVuSans.ttf\n")
            target.chmod(0o755)
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (bin_dir / "id").chmod(0o755)
    (bin_dir / "apt-get").write_text("#!/bin/sh\necho apt-get called >&2\nexit 99\n")
    (bin_dir / "apt-get").chmod(0o755)
    return str(bin_dir)


def test_a_user_without_root_is_told_which_packages_to_install(tmp_path):
    path = _fake_path(tmp_path, missing={"chromium", "pdffonts"}, uid="1000")
    result = subprocess.run(
        [shutil.which("bash"), str(SCRIPT)], env={**os.environ, "PATH": path}, capture_output=True, text=True
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Paquets système manquants" in lines[0] and "chromium" in lines[0] and "poppler-utils" in lines[0]
    assert "apt-get called" not in result.stderr


def test_nothing_missing_installs_nothing(tmp_path):
    path = _fake_path(tmp_path, missing=set(), uid="1000")
    (Path(path) / "chromium").write_text("#!/bin/sh\n")
    (Path(path) / "chromium").chmod(0o755)
    result = subprocess.run(
        [shutil.which("bash"), str(SCRIPT)], env={**os.environ, "PATH": path}, capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout == result.stderr == ""
