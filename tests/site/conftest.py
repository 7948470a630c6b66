"""Fixtures of the site tests: the fixture course built once and served over http, and a
variant whose first day overruns (site only, English only: quick to build)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import MINI, Served


@pytest.fixture(scope="session")
def served_mini(mini_site: Path):
    """The built fixture course on http://127.0.0.1:<free port>/."""
    server = Served(mini_site)
    yield server.url
    server.close()


@pytest.fixture(scope="session")
def overrun_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture course with a warm-up too long for its three-hour day."""
    from coursebook.build import Options, build

    root = tmp_path_factory.mktemp("overrun") / "course-repo"
    shutil.copytree(MINI, root, ignore=shutil.ignore_patterns(".build", "site"))
    activity = root / "modules" / "01-basics" / "activities" / "warm-up.md"
    activity.write_text(activity.read_text().replace("minutes: 45", "minutes: 170"))
    build(Options(root, languages=["en"], outputs=(), verbosity=0))
    return root / "site"
