"""The theme's files as MkDocs lists them (the static files it copies into the site): the
installed themes' folders listed once per process, a course's own folder at every build."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import material

from coursebook.render import engines

MATERIAL = str(Path(material.__file__).parent / "templates")


def test_listing_is_jinjas_and_sees_a_new_file_in_the_courses_folder(tmp_path: Path, monkeypatch) -> None:
    custom = tmp_path / "overrides"
    (custom / "assets").mkdir(parents=True)
    (custom / "main.html").write_text("{% extends 'base.html' %}", encoding="utf-8")
    loader = jinja2.FileSystemLoader([str(custom), MATERIAL])
    assert engines._list_templates(loader) == jinja2.FileSystemLoader([str(custom), MATERIAL]).list_templates()

    walked: list[str] = []
    real_walk = os.walk
    monkeypatch.setattr(os, "walk", lambda top, **kw: (walked.append(str(top)), real_walk(top, **kw))[1])
    (custom / "assets" / "extra.css").write_text("p{}", encoding="utf-8")  # added between two builds
    names = engines._list_templates(loader)
    assert "assets/extra.css" in names and "main.html" in names
    assert ".icons/material/home.svg" in names  # Material's files, from the first listing
    assert walked == [str(custom)]  # the installed theme was not walked again
