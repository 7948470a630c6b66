"""Generate a synthetic course of N modules × L languages, for measuring how build time grows.

    python bench/make_course.py OUT --modules 100 --languages en,es,fr

Each module has about 600 words of text, one activity, trainer notes and an 8-slide deck,
like a module of the default course; every other language gets a full translation.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

WORDS = ("cleaner production reduces waste at the source while sustainable consumption asks how "
         "products are chosen used and discarded by households firms and governments ").split()


def paragraph(seed: int, words: int = 100) -> str:
    return " ".join(WORDS[(seed + i * 7) % len(WORDS)] for i in range(words)).capitalize() + "."


def module_files(n: int, lang: str | None) -> dict[str, str]:
    sfx = f".{lang}" if lang else ""
    slug = f"{n:03d}-topic-{n}"
    mid = f"M{n}"
    title = f"Topic {n}" + (f" ({lang})" if lang else "")
    head = (f"---\nid: {mid}\ntitle: {title}\norder: {n}\npresentation_minutes: 20\n"
            f"objectives: [Explain topic {n}, Apply topic {n}]\nkey_points: [Point one, Point two]\n---\n")
    if lang:
        head = f"---\ntitle: {title}\nobjectives: [Explain topic {n}, Apply topic {n}]\n---\n"
    body = "\n\n".join(f"## Section {k}\n\n{paragraph(n + k)}\n\n{paragraph(n * k)}" for k in range(1, 4))
    body += f"\n\nSee [[slide:{mid}-2]] and [[activity:exercise-{n}]].\n"
    act_head = (f"---\ntitle: Exercise {n}\nminutes: 20\ngrouping: Groups of 4\nmaterials: [Flip chart]\n"
                f"output: A list\nslide: {mid}-3\n---\n") if not lang else f"---\ntitle: Exercise {n}\n---\n"
    notes_head = ("---\npreparation_minutes: 10\nmaterials: [Markers]\nsteps:\n  - minutes: 20\n"
                  f"    do: Present [[slide:{mid}-2]].\n  - minutes: 20\n    activity: exercise-{n}\n"
                  "    do: Run the exercise.\n---\n") if not lang else "---\n---\n"
    deck = "\n---\n".join(
        f"## Slide {k}\n\n- {paragraph(k, 8)}\n- {paragraph(k + 1, 8)}\n\nNote:\n{paragraph(k, 30)}"
        for k in range(2, 10))
    return {
        f"modules/{slug}/module{sfx}.md": head + body,
        f"modules/{slug}/activities/exercise-{n}{sfx}.md": act_head + "1. " + paragraph(n, 40) + "\n",
        f"instructor_notes/{slug}{sfx}.md": notes_head + paragraph(n, 80) + "\n",
        f"slides/{slug}{sfx}.md": deck + "\n",
    }


def make_course(out: Path, modules: int, languages: list[str]) -> Path:
    if out.exists():
        shutil.rmtree(out)
    source, others = languages[0], languages[1:]
    days = max(1, modules * 60 // 420 + 1)
    day = ('    - start: "09:00"\n      end: "17:00"\n      breaks:\n'
           '        - {name: Lunch, time: "12:30", minutes: 60}\n')
    files = {
        "course/course.yml": (
            "title: Synthetic course\norganisation: {name: Bench Centre}\nlicence: CC BY 4.0\n"
            f"version: '1'\nlanguage: {source}\nlanguages: [{', '.join(others)}]\n"
            "paper: A4\nschedule:\n  days:\n" + day * days),
        "course/index.md": "---\ntitle: Home\n---\n" + paragraph(1) + "\n",
    }
    for n in range(1, modules + 1):
        files.update(module_files(n, None))
        for lang in others:
            files.update(module_files(n, lang))
    for lang in others:
        files[f"course/index.{lang}.md"] = "---\ntitle: Home\n---\n" + paragraph(2) + "\n"
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return out


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", type=Path)
    p.add_argument("--modules", type=int, default=20)
    p.add_argument("--languages", default="en,es,fr")
    a = p.parse_args()
    print(make_course(a.out, a.modules, a.languages.split(",")))
