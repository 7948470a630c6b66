#!/usr/bin/env python3
"""Build the course: `python build.py` (everything), `python build.py check`, `--help`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from coursebook.cli import run  # noqa: E402

if __name__ == "__main__":
    run()
