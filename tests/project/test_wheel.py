"""The wheel built from this repository carries everything a build needs: installed into a
fresh virtual environment, it starts and builds a digest outside the repository (#16)."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO


def _run(*args: str | Path, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_the_wheel_installs_and_builds_a_new_digest_outside_the_repository(
        tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels, REPO,
         cwd=tmp_path)
    env = tmp_path / "env"
    venv.create(env, with_pip=True)
    py = env / "bin" / "python"
    # The dependencies come from the test's own environment (one path line, none of its
    # .pth files run, so not its editable digest); the package itself from the wheel only.
    site = Path(_run(py, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                     cwd=tmp_path).strip())
    _run(py, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--find-links",
         wheels, "paper-digest", cwd=tmp_path)
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    where = _run(py, "-c", "import digest; print(digest.__file__)", cwd=tmp_path)
    assert Path(where.strip()).is_relative_to(site)
    digest = env / "bin" / "digest"
    from digest import __version__
    assert __version__ in _run(digest, "--version", cwd=tmp_path)
    _run(digest, "init", "lab", "--name", "Astro Lab", "--url",
         "https://astro-lab.github.io/papers/", cwd=tmp_path)
    lab = tmp_path / "lab"
    (lab / "content" / "papers" / "exoplanet-winds.md").write_text(
        "---\ntitle: Winds on a hot exoplanet\ndate: 2026-11-02\n---\n\n"
        "We measure winds on a hot Jupiter from its helium outflow.\n", encoding="utf-8")
    _run(digest, "check", cwd=lab)
    out = _run(digest, "build", cwd=lab)
    assert "Built 1 papers" in out
    built = lab / "site"
    home = (built / "index.html").read_text("utf-8")
    assert "<title>Astro Lab</title>" in home and "Paper Digest" not in home
    assert (built / "assets" / "search.js").is_file()  # the package's theme assets
    assert (built / "papers" / "exoplanet-winds" / "index.html").is_file()
    assert any((built / "pagefind").glob("pagefind-entry.json"))
