"""Import a Carpentries lesson (The Workbench format) as a coursebook course.

    python scripts/import_carpentries.py LESSON_DIR OUT_DIR [--episodes 01-intro,02-filedir] \
        [--source-url URL] [--commit SHA] [--site-url URL]

LESSON_DIR is a checkout of a lesson such as https://github.com/swcarpentry/shell-novice.
Each episode becomes a module; Pandoc fenced divs map onto the content contract:

    ::: objectives / keypoints   → the module's `objectives` / `key_points`
    ::: questions                → a "Questions" admonition at the top of the page
    ::: challenge                → an exercise heading, its text, then `??? solution` blocks
    ::: solution (in a challenge)→ `??? solution "…"`; outside one (setup's OS panels) → `??? note`
    ::: instructor               → `!!! trainer` (at whatever depth it sits)
    ::: callout / discussion / … → `!!! note` / `!!! question` / … with the div's first heading as title
    fig/x.svg                    → modules/NN-slug/images/x.svg (attr_list alt text kept)
    ```output / ```error         → ```text (no Pygments lexer for them)

`teaching:` minutes become `presentation_minutes`; `exercises:` minutes an activity that
lists the episode's challenges. Links to episodes not imported, and to the lesson's other
pages, point at the published lesson. The lesson's licence and authors are kept: LICENSE.md
and AUTHORS are copied, `course.yml` names the licence, and the home page says where the
text comes from and what was changed (CC BY asks for exactly that).

Not carried over (no place in the contract): `questions` (an admonition instead of a key),
the labels of output blocks, learner profiles and the glossary (`learners/reference.md`);
the lesson-wide instructor notes go into the first module's notes, as the contract has no
course-level trainer file. Headings stay as written: episodes that open at `###` get a
`check` warning.
"""

from __future__ import annotations

import argparse
import re
import shutil
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml

FENCE = re.compile(r"^(:{3,})\s*([A-Za-z][\w-]*)?\s*$")
CODE = re.compile(r"^\s*(`{3,}|~{3,})")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(\{[^}]*\})?\s*$")
LINK = re.compile(r"(\]\()([^)\s]+)(\))")
REF_DEF = re.compile(r"^(\s*\[[^\]]+\]:\s*)(\S+)(.*)$")
ADMONITION = {"callout": "note", "challenge": "question", "discussion": "question", "testimonial": "quote",
              "caution": "warning", "warning": "warning", "checklist": "info", "prereq": "info",
              "hint": "tip", "tab": "note", "group-tab": "note", "spoiler": "info"}
COLLAPSED = {"spoiler", "hint"}
LIFTED = {"objectives", "keypoints", "questions"}
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)([^)]*)\)(\{[^}]*\})?")


@dataclass
class Episode:
    """One converted episode: front-matter lists lifted out, the body in coursebook Markdown."""

    slug: str
    title: str
    teaching: int
    exercises: int
    objectives: list[str] = field(default_factory=list)
    key_points: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    challenges: list[str] = field(default_factory=list)
    figures: list[tuple[str, str]] = field(default_factory=list)  # (file name, alt)
    body: str = ""
    instructor_blocks: int = 0


def front_matter(text: str) -> tuple[dict, str]:
    if text.startswith("---"):
        _, head, body = text.split("---", 2)
        return yaml.safe_load(head) or {}, body.lstrip("\n")
    return {}, text


def bullets(lines: list[str]) -> list[str]:
    """The items of a Markdown bullet list (continuation lines joined)."""
    items: list[str] = []
    for line in lines:
        m = re.match(r"^\s*[-*+]\s+(.*)$", line)
        if m:
            items.append(m[1].strip())
        elif line.strip() and items:
            items[-1] += " " + line.strip()
    return items


class Converter:
    """Turns Workbench Markdown into coursebook Markdown, one file at a time."""

    def __init__(self, episodes: list[str], site_url: str, fig_prefix: str, files: dict[str, str]):
        self.episodes = episodes          # slugs imported: links between them stay relative
        self.site_url = site_url.rstrip("/") + "/"
        self.fig_prefix = fig_prefix      # where fig/ went, relative to the converted file
        self.files = files                # data files: lesson path → path relative to the output

    def link(self, target: str) -> str:
        """A link of the lesson, rewritten for the converted course."""
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#", target, re.I):
            return target
        path, _, anchor = target.partition("#")
        anchor = f"#{anchor}" if anchor else ""
        name = Path(path).name
        if path.startswith("fig/"):
            return self.fig_prefix + name + anchor
        if path in self.files:
            return self.files[path] + anchor
        stem = Path(name).stem
        if name.endswith(".md") and stem in self.episodes and "/" not in path.strip("./"):
            return f"../{stem}/module.md{anchor}"
        if name.endswith(".md"):  # another page of the lesson, not imported: the published one
            return f"{self.site_url}{stem}.html{anchor}"
        return target

    def convert(self, text: str, episode: Episode | None = None) -> str:
        out: list[str] = []
        stack: list[dict] = []  # open divs: kind, indent of their content, pending title
        in_code = None
        for raw in text.split("\n"):
            line = raw.rstrip()
            code = CODE.match(line)
            lifted = any(d["kind"] in LIFTED for d in stack)
            indent = "    " * sum(1 for d in stack if d["indents"])
            if in_code is None and (fence := FENCE.match(line)):
                if fence[2] and stack and stack[-1].get("title_pending") and stack[-1]["kind"] not in LIFTED:
                    self._title(stack, None, out)
                if fence[2]:
                    stack.append(self._open(fence[2].lower(), stack, out, indent, episode))
                elif stack:
                    self._close(stack.pop(), out, episode)
                continue
            if in_code is not None:
                if code and code[1][0] == in_code[0] and len(code[1]) >= len(in_code):
                    in_code = None
            elif code:
                in_code = code[1]
                line = re.sub(r"^(\s*`{3,})\s*(output|error|source)\b", r"\1text", line)
            if lifted:
                stack[-1]["lines"].append(line)
                continue
            if in_code is None and not code:
                if stack and stack[-1].get("title_pending"):
                    heading = HEADING.match(line)
                    if heading:
                        self._title(stack, heading[2], out)
                        continue
                    if line.strip():
                        self._title(stack, None, out)
                line = LINK.sub(lambda m: m[1] + self.link(m[2]) + m[3], line)
                line = REF_DEF.sub(lambda m: m[1] + self.link(m[2]) + m[3], line)
                if line.startswith("# "):
                    line = "#" + line  # the title is the page's only h1
                line = IMAGE.sub(self._image(episode), line)
            out.append(indent + line if line else "")
        return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"

    def _image(self, episode: Episode | None):
        """The Workbench's `![](fig/x.svg){alt='…'}` as `![…](images/x.svg)`: alt text in the
        brackets is the form every Markdown tool reads, however long or quoted it is."""

        def replace(m: re.Match) -> str:
            attrs = m[4] or ""
            given = re.search(r"""\balt=(?:"([^"]*)"|'([^']*)')""", attrs)
            alt = m[1] or (next(g for g in given.groups() if g is not None) if given else "")
            rest = re.sub(r"""\s*\balt=(?:"[^"]*"|'[^']*')""", "", attrs)
            rest = "" if re.fullmatch(r"\{:?\s*\}", rest) else rest
            if episode is not None:
                episode.figures.append((Path(m[2]).name, alt))
            alt = alt.replace("[", "\\[").replace("]", "\\]")
            return f"![{alt}]({m[2]}{m[3]}){rest}"

        return replace

    def _open(self, kind: str, stack: list[dict], out: list[str], indent: str,
              episode: Episode | None) -> dict:
        div = {"kind": kind, "lines": [], "indents": True, "title_pending": True, "indent": indent}
        if kind in LIFTED:
            div.update(indents=False, title_pending=False)
        elif kind == "challenge" and not stack:
            div["indents"] = False  # an exercise: a heading and text, its solutions after it
        elif kind == "instructor" and episode is not None:
            episode.instructor_blocks += 1
        return div

    def _title(self, stack: list[dict], title: str | None, out: list[str]) -> None:
        """Write the opening line of a div, now that its first heading (its title) is known."""
        div = stack[-1]
        div["title_pending"] = False
        title = title.replace('"', "'") if title else title
        kind = div["kind"]
        pad = div["indent"]
        if kind == "challenge" and not div["indents"]:
            out += [f"### Challenge: {title}" if title else "### Challenge", ""]
            div["title"] = title or "Challenge"
            return
        if kind == "solution":
            inside = any(d["kind"] == "challenge" for d in stack[:-1])
            marker = "??? solution" if inside else "??? note"
            out += [f'{pad}{marker} "{title or "Solution"}"', ""]
            return
        if kind == "instructor":
            out += [f'{pad}!!! trainer "{title or "Instructor note"}"', ""]
            return
        name = ADMONITION.get(kind, "note")
        opener = "???" if kind in COLLAPSED else "!!!"
        out += [f'{pad}{opener} {name} "{title or kind.capitalize()}"' if title or kind != "callout"
                else f"{pad}{opener} {name}", ""]

    def _close(self, div: dict, out: list[str], episode: Episode | None) -> None:
        if div.get("title_pending"):  # an empty div: nothing to write
            return
        if div["kind"] in LIFTED and episode is not None:
            items = bullets(div["lines"])
            {"objectives": episode.objectives, "keypoints": episode.key_points,
             "questions": episode.questions}[div["kind"]].extend(items)
        elif div["kind"] == "challenge" and episode is not None and div.get("title"):
            episode.challenges.append(div["title"])
        out.append("")


def yaml_block(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100).strip()


def page(meta: dict, body: str) -> str:
    return f"---\n{yaml_block(meta)}\n---\n{body}"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def import_lesson(lesson: Path, out: Path, wanted: list[str], source_url: str, commit: str,
                  site_url: str) -> list[Episode]:
    """Write the course for the `wanted` episodes of `lesson` into `out`."""
    config = yaml.safe_load((lesson / "config.yaml").read_text(encoding="utf-8"))
    slugs = [Path(e).stem for e in config.get("episodes") or []]
    slugs = [s for s in slugs if not wanted or s in wanted]
    data_files = {"data/shell-lesson-data.zip": "files/shell-lesson-data.zip"}
    episodes: list[Episode] = []
    for number, slug in enumerate(slugs, start=1):
        meta, body = front_matter((lesson / "episodes" / f"{slug}.md").read_text(encoding="utf-8"))
        ep = Episode(slug, meta["title"], int(meta.get("teaching") or 0), int(meta.get("exercises") or 0))
        files = {k: "../../course/" + v for k, v in data_files.items()}
        ep.body = Converter(slugs, site_url, "images/", files).convert(body, ep)
        episodes.append(ep)
        folder = out / "modules" / f"{number:02d}-{slug.split('-', 1)[1]}"
        write_module(folder, number, ep)
        for name, _ in ep.figures:
            (folder / "images").mkdir(parents=True, exist_ok=True)
            shutil.copy(lesson / "episodes" / "fig" / name, folder / "images" / name)
    write_course(lesson, out, config, episodes, slugs, source_url, commit, site_url, data_files)
    return episodes


def module_folder(number: int, ep: Episode) -> str:
    return f"{number:02d}-{ep.slug.split('-', 1)[1]}"


def write_module(folder: Path, number: int, ep: Episode) -> None:
    mid = f"S{number}"
    questions = ""
    if ep.questions:
        questions = '!!! question "Questions"\n\n' + "".join(f"    - {q}\n" for q in ep.questions) + "\n"
    meta = {"id": mid, "title": ep.title, "presentation_minutes": ep.teaching,
            "objectives": ep.objectives, "key_points": ep.key_points,
            "sources": [f"Software Carpentry, The Unix Shell, episodes/{ep.slug}.md"]}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "module.md").write_text(page(meta, "\n" + questions + ep.body), encoding="utf-8")
    if ep.exercises and ep.challenges:
        listing = "".join(f"{i}. {c}\n" for i, c in enumerate(ep.challenges, 1))
        activity = {"title": f"Challenges: {ep.title}", "minutes": ep.exercises,
                    "grouping": "Individually, then compare with a neighbour",
                    "output": "An answer to each challenge, checked against its solution"}
        text = (f"Work through the challenges of [[module:{mid}]] in order, on your own computer:\n\n"
                f"{listing}\nOpen each solution only once you have an answer.\n")
        (folder / "activities").mkdir(exist_ok=True)
        (folder / "activities" / f"{slugify(ep.slug)}-challenges.md").write_text(page(activity, "\n" + text),
                                                                                  encoding="utf-8")


def write_course(lesson: Path, out: Path, config: dict, episodes: list[Episode], slugs: list[str],
                 source_url: str, commit: str, site_url: str, data_files: dict[str, str]) -> None:
    (out / "course" / "files").mkdir(parents=True, exist_ok=True)
    (out / "instructor_notes").mkdir(exist_ok=True)
    (out / "slides").mkdir(exist_ok=True)
    for src, dest in data_files.items():
        if (lesson / "episodes" / src).is_file():
            shutil.copy(lesson / "episodes" / src, out / "course" / dest)
    for name in ("LICENSE.md", "AUTHORS", "CITATION"):
        if (lesson / name).is_file():
            shutil.copy(lesson / name, out / name)
    total = sum(e.teaching + (e.exercises if e.challenges else 0) for e in episodes)
    course = {
        "title": config.get("title", "Lesson"),
        "subtitle": "A Software Carpentry lesson, imported into coursebook",
        "organisation": {"name": "The Carpentries", "url": "https://carpentries.org"},
        "authors": ["Software Carpentry contributors (see AUTHORS)"],
        "licence": "CC BY 4.0",
        "version": commit[:7] or "1.0",
        "language": "en",
        "paper": "A4",
        "audience": "Researchers new to the command line",
        "schedule": {"days": [{"start": "09:00", "end": "17:00" if total > 200 else "13:00",
                               "breaks": [{"name": "Coffee break", "time": "10:30", "minutes": 15}]
                               + ([{"name": "Lunch", "time": "12:30", "minutes": 60}] if total > 200 else [])}]},
    }
    (out / "course" / "course.yml").write_text(yaml_block(course) + "\n", encoding="utf-8")
    # the home page: the lesson's index, its prerequisites, and the attribution CC BY requires
    _, index = front_matter((lesson / "index.md").read_text(encoding="utf-8"))
    conv = Converter(slugs, site_url, "images/", data_files)
    names = ", ".join(f"[[module:S{i}]]" for i in range(1, len(episodes) + 1))
    attribution = textwrap.dedent(f"""
        ## About this edition

        This course is *{course['title']}*, a lesson by [Software Carpentry]({site_url}),
        © The Carpentries, licensed under
        [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/). Source:
        [{source_url.split("//")[-1]}]({source_url}) (commit `{commit[:7]}`).
        Authors: see the `AUTHORS` file beside this course; cite as in `CITATION`.

        **Changes:** only the first {len(episodes)} episodes ({names}) were imported, by
        `scripts/import_carpentries.py`: the Carpentries' fenced divs became admonitions,
        challenges became exercises with collapsed solutions, instructor notes became
        trainer-only notes, and each episode got a short slide deck made from its objectives and
        key points. Start with the [setup](setup.md) page.
        """)
    (out / "course" / "index.md").write_text(page({"title": course["title"]}, "\n" + conv.convert(index)
                                                   + attribution), encoding="utf-8")
    setup_meta, setup = front_matter((lesson / "learners" / "setup.md").read_text(encoding="utf-8"))
    setup_conv = Converter(slugs, site_url, "images/", data_files)
    (out / "course" / "setup.md").write_text(
        page({"title": setup_meta.get("title", "Setup"), "order": 1,
              "sources": ["Software Carpentry, The Unix Shell, learners/setup.md"]},
             "\n" + setup_conv.convert(setup)), encoding="utf-8")
    general = instructor_sections(lesson, site_url, slugs)
    for number, ep in enumerate(episodes, start=1):
        slug = module_folder(number, ep)
        steps = [{"minutes": max(ep.teaching, 1),
                  "do": f"Teach the episode by live coding; keep [[slide:S{number}-2]] up for its questions."}]
        if ep.exercises and ep.challenges:
            steps.append({"minutes": ep.exercises, "activity": f"{slugify(ep.slug)}-challenges",
                          "do": "Give each challenge a few minutes; take answers from the room before "
                                "showing the solution."})
        notes = {"preparation_minutes": 10 if number > 1 else 30,
                 "materials": ["Projector", "A second screen for the instructor notes"],
                 "steps": steps}
        body = ("The instructor notes written inside this episode are kept as trainer-only text"
                f" ({ep.instructor_blocks} of them).\n" if ep.instructor_blocks else
                "The episode has no instructor notes of its own.\n")
        if number == 1:
            body += "\n" + general
        (out / "instructor_notes" / f"{slug}.md").write_text(page(notes, "\n" + body), encoding="utf-8")
        (out / "slides" / f"{slug}.md").write_text(deck(number, ep), encoding="utf-8")


def instructor_sections(lesson: Path, site_url: str, slugs: list[str]) -> str:
    """The lesson-wide instructor notes ('Overall', 'Preparing to Teach'): trainer-only text."""
    path = lesson / "instructors" / "instructor-notes.md"
    if not path.is_file():
        return ""
    _, text = front_matter(path.read_text(encoding="utf-8"))
    keep = re.findall(r"^## (?:Overall|Preparing to Teach)\n.*?(?=^## |\Z)", text, flags=re.M | re.S)
    return Converter(slugs, site_url, "images/", {}).convert("\n".join(keep))


def deck(number: int, ep: Episode) -> str:
    """A short deck per episode: its questions, objectives, first figure and key points."""
    slides = []
    if ep.questions:
        slides.append("## Questions\n\n" + "".join(f"- {q}\n" for q in ep.questions)
                      + "\nNote:\nAsk the room before answering; come back to these at the end.\n")
    if ep.objectives:
        slides.append("## Objectives\n\n" + "".join(f"- {o}\n" for o in ep.objectives)
                      + "\nNote:\nSay what learners will be able to do after this episode.\n")
    if ep.figures:
        name, alt = ep.figures[0]
        folder = module_folder(number, ep)
        alt = alt.replace("[", "\\[").replace("]", "\\]")
        slides.append(f"<!-- slide: layout=image -->\n## {ep.title}\n\n"
                      f"![{alt}](../modules/{folder}/images/{name})\n\nNote:\nWalk through the figure.\n")
    if ep.key_points:
        slides.append("## Key points\n\n" + "".join(f"- {k}\n" for k in ep.key_points)
                      + "\nNote:\nSummarise; ask for remaining questions.\n")
    return "\n---\n".join(slides)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lesson", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--episodes", default="", help="comma-separated episode slugs (default: all)")
    parser.add_argument("--source-url", default="https://github.com/swcarpentry/shell-novice")
    parser.add_argument("--site-url", default="https://swcarpentry.github.io/shell-novice/")
    parser.add_argument("--commit", default="")
    args = parser.parse_args()
    wanted = [e for e in args.episodes.split(",") if e]
    eps = import_lesson(args.lesson, args.out, wanted, args.source_url, args.commit, args.site_url)
    for ep in eps:
        print(f"{ep.slug}: {len(ep.challenges)} challenges, {ep.instructor_blocks} instructor blocks, "
              f"{len(ep.figures)} figures")


if __name__ == "__main__":
    main()
