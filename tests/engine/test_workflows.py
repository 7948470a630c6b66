"""The publishing templates for forks are valid and run the project's own commands."""

from __future__ import annotations

import contextlib
import io
import os

import yaml

from tests.conftest import ROOT


def test_github_pages_workflow() -> None:
    flow = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text())
    assert set(flow["jobs"]) == {"check", "build", "deploy"}
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    check = [s.get("run", "") for s in flow["jobs"]["check"]["steps"]]
    assert "bash scripts/setup.sh" in check and ".venv/bin/python build.py check --strict" in check
    build = flow["jobs"]["build"]
    assert build["needs"] == "check" and "matrix" in build["strategy"]
    assert any("--lang ${{ matrix.lang }}" in s.get("run", "") for s in build["steps"])
    uses = [s.get("uses", "") for s in flow["jobs"]["deploy"]["steps"]]
    assert uses[-1].startswith("actions/deploy-pages@")
    # the step that lists the languages runs as Python against this repository's course.yml
    step = flow["jobs"]["check"]["steps"][-1]["run"]
    code = step.split('-c "', 1)[1].split('" >>', 1)[0]
    namespace: dict = {}
    out = io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(ROOT)
        with contextlib.redirect_stdout(out):
            exec(code, namespace)  # noqa: S102 - our own template's code
    finally:
        os.chdir(cwd)
    assert out.getvalue().startswith('languages=["en"')


def test_gitlab_pages_pipeline() -> None:
    pipe = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text())
    assert pipe["stages"] == ["check", "build", "deploy"]
    assert pipe["check"]["script"] == [".venv/bin/python build.py check --strict"]
    assert pipe["build"]["extends"] == ".build-language"
    assert pipe["pages"]["artifacts"]["paths"] == ["public"]
    assert "bash scripts/setup.sh" in pipe["default"]["before_script"]
