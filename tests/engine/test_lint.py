"""The code stays ruff-clean: part of the suite so CI enforces it."""

import subprocess
import sys

from tests.conftest import ROOT


def test_ruff_clean() -> None:
    paths = ["coursebook", "tests", "bench", "build.py"]
    result = subprocess.run([sys.executable, "-m", "ruff", "check", *paths],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
