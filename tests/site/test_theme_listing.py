"""The theme's files as MkDocs lists them (the static files it copies into the site): the
installed themes' folders listed once per process, a course's own folder at every build, the
hidden files left out (MkDocs drops them) — and MkDocs copies the very same files."""

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
    (custom / ".hidden.css").write_text("p{}", encoding="utf-8")
    listed = jinja2.FileSystemLoader([str(custom), MATERIAL]).list_templates()
    assert engines._list_templates(loader) == [x for x in listed if not x.startswith(".") and "/." not in x]

    walked: list[str] = []
    real_walk = os.walk
    monkeypatch.setattr(os, "walk", lambda top, **kw: (walked.append(str(top)), real_walk(top, **kw))[1])
    (custom / "assets" / "extra.css").write_text("p{}", encoding="utf-8")  # added between two builds
    names = engines._list_templates(loader)
    assert "assets/extra.css" in names and "main.html" in names
    assert any(x.startswith("assets/javascripts/") for x in names)  # Material's files, from the first listing
    assert ".icons/material/home.svg" not in names and ".hidden.css" not in names
    assert walked == [str(custom)]  # the installed theme was not walked again


def test_mkdocs_copies_the_same_theme_files_with_the_listing(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    custom = tmp_path / "overrides"
    (custom / "assets" / ".cache").mkdir(parents=True)
    (custom / "assets" / "extra.css").write_text("p{}", encoding="utf-8")
    (custom / "assets" / ".cache" / "x.css").write_text("p{}", encoding="utf-8")
    (custom / ".editorconfig").write_text("root = true", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\ntheme:\n  name: material\n  custom_dir: overrides\n",
                                         encoding="utf-8")

    def copied(patched: bool) -> list[str]:
        config = load_config(str(tmp_path / "mkdocs.yml"))
        if patched:
            engines._compile_once(config.theme, tmp_path / "jinja")
        files = Files([])
        files.add_files_from_theme(config.theme.get_env(), config)
        return sorted(f.src_uri for f in files)

    plain = copied(False)
    assert "assets/extra.css" in plain and len(plain) > 30
    assert copied(True) == plain
