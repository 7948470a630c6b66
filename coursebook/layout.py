"""Where every output lives, relative to one language's site root (`site/<lang>/`).

Site, PDFs and slides all link to each other through these functions, so a file name is
decided in one place. Names are ones a participant understands: `handouts/06-ncpc-roles.pdf`.
"""

from __future__ import annotations

from .model import Course, Module, Page


def handout(module: Module) -> str:
    return f"handouts/{module.slug}.pdf"


def workbook(course: Course) -> str:
    return "handouts/workbook.pdf"


def trainers_guide(course: Course) -> str:
    return "handouts/trainers-guide.pdf"


def deck_html(module: Module) -> str:
    return f"slides/{module.slug}.html"


def deck_pdf(module: Module) -> str:
    return f"slides/{module.slug}.pdf"


def deck_handout(module: Module) -> str:
    return f"slides/{module.slug}-handout.pdf"


def deck_pptx(module: Module) -> str:
    return f"slides/{module.slug}.pptx"


def module_page(module: Module) -> str:
    """The participant page of a module (a Markdown path in the site source)."""
    return f"modules/{module.slug}.md"


def trainer_page(module: Module) -> str:
    """The trainer view of a module."""
    return f"trainer/{module.slug}.md"


def reading_page(page: Page) -> str:
    return f"readings/{page.slug}.md"


def course_page(page: Page) -> str:
    return "index.md" if page.slug == "index" else f"{page.slug}.md"


def offline_zip(course: Course) -> str:
    return f"downloads/{course_slug(course)}-{course.lang}-offline.zip"


def course_slug(course: Course) -> str:
    """A name for the course's files that every edition shares and that stays readable in any
    script: from the source-language title (an Arabic or Chinese edition's own title would
    become "untitled"), else the repository's folder name."""
    from .scaffold import slugify

    for name in (course.source_title, course.root.resolve().name):
        if slugify(name) != "untitled":
            return slugify(name)
    return "course"
