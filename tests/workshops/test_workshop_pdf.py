"""Workshop PDFs, read back: the pack's cover and dated agenda (weekdays across a month end, in
English and Spanish), blank public sign-in sheets, the evaluation form (standard and from
course.yml), the trainer's guide for a workshop (its modules only, copies counted from the
participants), and the private sign-in sheets and certificates (non-Latin names, Arabic RTL)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from coursebook.agenda import compute_agenda
from coursebook.build import Options, load_courses
from coursebook.context import Context
from coursebook.jobs import Job, cached
from coursebook.model import Course
from coursebook.render.workshop_pdf import css_string, private_jobs, public_jobs
from coursebook.workshop import Participant, Workshop, WorkshopDay, WorkshopSlot
from tests.conftest import ROOT, write

KITCHEN = ROOT / "tests" / "fixtures" / "kitchen"
PEOPLE = [Participant("Zhāng Wěi 张伟", "Tsinghua University", "zw@example.org"),
          Participant("José Núñez", "Universidad de Piura", "jn@example.org"),
          Participant("Ada <b>Lovelace</b>", "Analytical & Co", "ada@example.org")]
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 20">'  # no size of its own (as UNEP's logo)
        '<rect width="60" height="20" fill="#1b6b4a"/></svg>')


def pdf_text(pdf: Path, layout: bool = False) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def kitchen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kitchen-sink course with a logo and an Arabic edition (its text untranslated)."""
    root = tmp_path_factory.mktemp("workshop") / "course-repo"
    shutil.copytree(KITCHEN, root)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    write(root, "theme/assets/logo.svg", LOGO)
    yml = root / "course" / "course.yml"
    text = yml.read_text(encoding="utf-8").replace("  url: https://example.org\n",
                                                   "  url: https://example.org\n  logo: theme/assets/logo.svg\n")
    yml.write_text(text.replace("languages: [es]", "languages: [es, ar]"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def editions(kitchen: Path) -> dict[str, Course]:
    return {c.lang: c for c in load_courses(Options(kitchen, verbosity=0))}


def workshop(course: Course, start: date, modules: list[str] | None = None, people: list[Participant] = (),
             expected: int | None = None, slug: str = "lima-2027", title: str = "Lima workshop") -> Workshop:
    """A workshop as the loader makes one: the edition restricted to `modules`, its agenda
    dated from `start` (one day after another)."""
    if modules:
        course = dataclasses.replace(course, modules=[course.module(x) for x in modules])
    tz = ZoneInfo("America/Lima")
    days = []
    for d in [d for d in compute_agenda(course) if any(s.kind == "session" for s in d.slots)]:
        day = start + timedelta(days=d.number - 1)

        def at(minutes: int, day: date = day) -> datetime:
            return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=tz)
        days.append(WorkshopDay(d.number, day, [
            WorkshopSlot(at(s.start), at(s.end), s.title, s.kind, s.module.id if s.module else None,
                         s.activity.slug if s.activity else None) for s in d.slots]))
    return Workshop(slug=slug, path=Path(f"workshops/{slug}.yml"), title=title, lang=course.lang,
                    timezone="America/Lima", start_date=start, venue="Hotel <Bolívar>", city="Lima",
                    organiser="CNP+L Perú", trainers=["Ana Torres", "Luis Peña"],
                    modules=[m.id for m in course.modules], course=course, days=days,
                    participants=list(people), expected_participants=expected)


def run(jobs: list[Job]) -> dict[str, Path]:
    """Run the jobs here, as the job runner would: a document assembled from chapters (the
    pack, the guide) gets its chapters' results, rendered first into a cache of its own, as
    `jobs.Runner` gives them; the documents written, by name (not the chapters)."""
    documents = [job for job in jobs if job.out.parent.name != "chapters"]
    for job in documents:
        job.out.parent.mkdir(parents=True, exist_ok=True)
        if job.after:
            cache = job.out.parent.parent.parent / "chapters-cache"
            job.func(*job.args, inputs=tuple(cached(j, cache) for j in job.after), out=job.out)
        else:
            job.func(*job.args, out=job.out)
    return {job.out.name: job.out for job in documents}


def context(root: Path) -> Context:
    return Context(root, root / ".build", verbosity=0, serial=True)


def two_days(course: Course) -> Course:
    """The edition with a short schedule, so that the kitchen course takes two days."""
    days = [{"start": "09:00", "end": "10:30", "breaks": []}, {"start": "09:00", "end": "12:00", "breaks": []}]
    schedule = course.config.schedule.model_validate({"days": days})
    return dataclasses.replace(course, config=course.config.model_copy(update={"schedule": schedule}))


@pytest.fixture(scope="module")
def lima(editions: dict[str, Course], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A two-day English workshop across a month end, with three participants: public and private PDFs."""
    w = workshop(two_days(editions["en"]), date(2027, 3, 31), people=PEOPLE)
    assert [d.date for d in w.days] == [date(2027, 3, 31), date(2027, 4, 1)]
    out = tmp_path_factory.mktemp("lima")
    ctx = context(editions["en"].root)
    public = run(public_jobs(w, ctx, out / "docs"))
    private = run(private_jobs(w, ctx, out / "private" / w.slug))
    return {**public, **{f"private/{k}": v for k, v in private.items()}}


def test_files_and_places(lima: dict[str, Path]) -> None:
    assert {k: v.relative_to(v.parents[2 if "/" not in k else 1]).as_posix() for k, v in lima.items()} == {
        "pack.pdf": "workshops/lima-2027/pack.pdf", "sign-in.pdf": "workshops/lima-2027/sign-in.pdf",
        "evaluation.pdf": "workshops/lima-2027/evaluation.pdf",
        "trainers-guide.pdf": "workshops/lima-2027/trainers-guide.pdf",
        "private/sign-in.pdf": "lima-2027/sign-in.pdf", "private/certificates.pdf": "lima-2027/certificates.pdf"}


def test_pack_cover_agenda_and_handouts(lima: dict[str, Path]) -> None:
    reader = PdfReader(lima["pack.pdf"])
    cover = reader.pages[0].extract_text()
    for x in ("Lima workshop", "Kitchen sink course", "Workshop pack", "Hotel <Bolívar>, Lima", "CNP+L Perú",
              "Wednesday, March 31, 2027 – Thursday, April 1, 2027", "Ana Torres, Luis Peña"):
        assert x in cover, x
    body = pdf_text(lima["pack.pdf"])
    # the dated agenda, across the month end, with its times
    assert "Day 1 — Wednesday, March 31, 2027" in body and "Day 2 — Thursday, April 1, 2027" in body
    assert "09:00–09:25" in body and "Times are local (America/Lima)." in body
    # the included modules' handouts, then a blank sign-in sheet per day and the evaluation form
    assert "Inputs and outputs" in body and "A long deck" in body
    assert body.index("Day 2 — Thursday") < body.index("Figure FL.1") < body.rindex("Sign-in sheet — Day 1")
    assert body.rindex("Sign-in sheet — Day 1") < body.rindex("Sign-in sheet — Day 2") < body.rindex("Evaluation form")


def test_public_files_have_no_participant(lima: dict[str, Path]) -> None:
    for name in ("pack.pdf", "sign-in.pdf", "evaluation.pdf", "trainers-guide.pdf"):
        body = pdf_text(lima[name]) + str(PdfReader(lima[name]).metadata)
        for p in PEOPLE:
            for x in (p.name, p.email, p.organisation, "张伟", "Núñez", "Lovelace"):
                assert x not in body, (name, x)


def test_blank_sign_in_sheets(lima: dict[str, Path]) -> None:
    reader = PdfReader(lima["sign-in.pdf"])
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) == 2  # one sheet per day, 20 blank rows on one page
    assert "Sign-in sheet — Day 1" in pages[0] and "Wednesday, March 31, 2027" in pages[0]
    assert "Sign-in sheet — Day 2" in pages[1] and "Thursday, April 1, 2027" in pages[1]
    for page in pages:
        assert "Signature" in page and "20" in page.split() and "21" not in page.split()


def test_private_sign_in_names_in_order(lima: dict[str, Path]) -> None:
    pages = [p.extract_text() for p in PdfReader(lima["private/sign-in.pdf"]).pages]
    assert len(pages) == 2
    for page in pages:
        positions = [page.index(p.name) for p in PEOPLE]  # escaped: "<b>" is text, in the order given
        assert positions == sorted(positions)
        assert "Tsinghua University" in page and "Analytical & Co" in page
        assert "zw@example.org" not in page  # emails are never printed


def test_certificates(lima: dict[str, Path]) -> None:
    pdf = lima["private/certificates.pdf"]
    reader = PdfReader(pdf)
    assert len(reader.pages) == len(PEOPLE)
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) > float(box.height)  # landscape (A4: the kitchen's paper)
        assert round(float(box.width)) == 842
    pages = pdf_text(pdf).split("\f")
    for page, person in zip(pages, PEOPLE, strict=False):
        assert person.name in page
        for x in ("Certificate of attendance", "Kitchen sink course", "Lima workshop",
                  "held in Lima, Wednesday, March 31, 2027 – Thursday, April 1, 2027", "FL. Material flows",
                  "CNP+L Perú", "Organiser", "Ana Torres", "Luis Peña", "Trainer"):
            assert x in " ".join(page.split()), x
    used = fonts(pdf)
    assert "CJK" in used and "Noto-Serif-Bold" in used  # 张伟 from a CJK face, the Latin name from Noto Serif
    assert all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in used.splitlines()[2:])  # embedded


def test_evaluation_form(lima: dict[str, Path]) -> None:
    pages = [p.extract_text() for p in PdfReader(lima["evaluation.pdf"]).pages]
    assert len(pages) == 1
    for x in ("Evaluation form", "FL. Material flows", "DA. Cleaning the data", "LG. A long deck",
              "The workshop as a whole", "Poor", "Excellent", "1. What was most useful to you, and why?",
              "4. Any other comments?"):
        assert x in pages[0], x


def test_guide_agenda_checklist(lima: dict[str, Path]) -> None:
    body = " ".join(pdf_text(lima["trainers-guide.pdf"]).split())
    assert "Trainer's guide" in body and "Day 2 — Thursday, April 1, 2027" in body
    assert "Copies for 3 participants" in body
    assert "Handout FL. Material flows: 3" in body and "Evaluation form — one per participant: 3" in body
    assert "Sign-in sheet — one per day: 2" in body and "Certificate of attendance — one per participant: 3" in body
    assert "Exercise data — one per pair (FL): 2" in body  # ceil(3 / 2) pairs
    assert "TRAINERMARK" in body  # trainer notes: this is the guide


def test_guide_only_its_modules_and_expected_count(editions: dict[str, Course], tmp_path: Path) -> None:
    w = workshop(editions["en"], date(2027, 5, 3), modules=["DA"], expected=12)
    jobs = public_jobs(w, context(editions["en"].root), tmp_path)
    files = run([j for j in jobs if j.out.name == "trainers-guide.pdf"])
    body = " ".join(pdf_text(files["trainers-guide.pdf"]).split())
    assert "DA. Cleaning the data" in body and "Material flows" not in body and "A long deck" not in body
    assert "Copies for 12 participants" in body and "Handout DA. Cleaning the data: 12" in body
    assert "Certificate of attendance — one per participant" not in body  # no list, no certificates
    assert private_jobs(w, context(editions["en"].root), tmp_path / "private") == []


def test_spanish_one_day_subset(editions: dict[str, Course], tmp_path: Path) -> None:
    w = workshop(editions["es"], date(2027, 3, 31), modules=["DA"], slug="quito-2027", title="Taller de Quito")
    assert len(w.days) == 1
    files = run(public_jobs(w, context(editions["es"].root), tmp_path))
    cover = PdfReader(files["pack.pdf"]).pages[0].extract_text()
    assert "miércoles, 31 de marzo de 2027" in cover and "Carpeta del taller" in cover
    body = pdf_text(files["pack.pdf"])
    assert "Día 1 — miércoles, 31 de marzo de 2027" in body and "Día 2" not in body
    assert "Hoja de asistencia — Día 1" in body and "Formulario de evaluación" in body
    evaluation = pdf_text(files["evaluation.pdf"])
    assert "Deficiente" in evaluation and "Excelente" in evaluation and "¿Qué se debería mejorar?" in evaluation
    assert "Material flows" not in evaluation and "Flujos" not in evaluation  # only the workshop's module


def test_arabic_certificate_rtl(editions: dict[str, Course], tmp_path: Path) -> None:
    w = workshop(editions["ar"], date(2027, 3, 31), modules=["DA"], people=[Participant("ليلى حسن"), PEOPLE[1]],
                 slug="cairo", title="ورشة القاهرة")
    ctx = context(editions["ar"].root)
    files = run(private_jobs(w, ctx, tmp_path))
    pack = run([j for j in public_jobs(w, ctx, tmp_path) if j.out.name == "pack.pdf"])["pack.pdf"]
    cover = pdf_text(pack).split("\f")[0]
    assert "ملف ورشة العمل" in cover and "2027" in cover and "ليلى" not in pdf_text(pack)
    assert "Kitchen sink course" not in cover.split("\n")[0]  # no running header on the cover
    pdf = files["certificates.pdf"]
    body = pdf_text(pdf)
    assert "شهادة حضور" in body and "José Núñez" in body
    # pdftotext gives Arabic words in visual order: compare without direction marks and word order
    words = set(body.replace("\u202b", " ").replace("\u202c", " ").split())
    assert {"ليلى", "حسن"} <= words and "Noto-Naskh-Arabic" in fonts(pdf)
    html = pdf_write_html(w, tmp_path)
    assert '<html lang="ar" dir="rtl">' in html
    # right to left: the first signatory (the organiser) is printed on the right of the page
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(pdf), str(png)], check=True)
    layout = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                            text=True, check=True).stdout
    assert x_of(layout, "CNP+L") > x_of(layout, "Ana") > x_of(layout, "Luis")


def x_of(bbox_html: str, word: str) -> float:
    m = re.search(r'<word xMin="([\d.]+)"[^>]*>' + re.escape(word), bbox_html)
    assert m, word
    return float(m[1])


def pdf_write_html(w: Workshop, tmp_path: Path) -> str:
    """The HTML a certificate job renders (its first argument)."""
    jobs = private_jobs(w, context(w.course.root), tmp_path)
    return next(j for j in jobs if j.out.name == "certificates.pdf").args[0]


def test_evaluation_from_course_yml(kitchen: Path, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(kitchen, root)
    with (root / "course" / "course.yml").open("a", encoding="utf-8") as f:
        f.write('evaluation:\n  scale: [Bad, "<i>OK</i>", Great]\n  questions: ["Was the room warm enough?"]\n')
    write(root, "course/course.es.yml", (root / "course" / "course.es.yml").read_text(encoding="utf-8")
          + 'evaluation:\n  questions: ["¿Hacía calor en la sala?"]\n')
    courses = {c.lang: c for c in load_courses(Options(root, verbosity=0, languages=["en", "es"]))}
    for lang, question, scale in (("en", "Was the room warm enough?", "<i>OK</i>"),
                                  ("es", "¿Hacía calor en la sala?", "<i>OK</i>")):
        w = workshop(courses[lang], date(2027, 3, 31), modules=["FL"])
        files = run([j for j in public_jobs(w, context(root), tmp_path / lang) if j.out.name == "evaluation.pdf"])
        body = pdf_text(files["evaluation.pdf"])
        assert question in body and scale in body and "Great" in body  # the scale: course.yml's, as text
        assert "Any other comments?" not in body and "Poor" not in body


# ---- the workshop loader's own workshops: the repository's examples and the small course's ----

@pytest.fixture(scope="module")
def example_pdfs(examples: dict[str, Workshop], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Lima example's pack and guide, the Quito example's pack and evaluation form, and
    both private folders (their participant lists are fictitious)."""
    out = tmp_path_factory.mktemp("examples")
    ctx = Context(ROOT, out / ".build", verbosity=0, serial=True)
    wanted = {"lima-2027": ("pack.pdf", "trainers-guide.pdf"), "quito-2027": ("pack.pdf", "evaluation.pdf")}
    files = {}
    for slug, names in wanted.items():
        w = examples[slug]
        jobs = [j for j in public_jobs(w, ctx, out / "docs") if j.out.name in names]
        files |= {f"{slug}/{k}": v for k, v in run(jobs).items()}
        files |= {f"{slug}/private/{k}": v for k, v in run(private_jobs(w, ctx, out / "private" / slug)).items()}
    return files


def test_examples_public_pack_keeps_names_private(examples: dict[str, Workshop], example_pdfs: dict[str, Path]) -> None:
    for slug in ("lima-2027", "quito-2027"):
        w = examples[slug]
        assert w.participants  # the examples have (fictitious) lists
        pack = pdf_text(example_pdfs[f"{slug}/pack.pdf"])
        private = pdf_text(example_pdfs[f"{slug}/private/certificates.pdf"])
        for p in w.participants:
            assert p.name not in pack and p.name.split()[0] not in pack.split()
            assert (p.email or "@") not in pack
            assert " ".join(p.name.split()) in " ".join(private.split()) or p.name.split()[-1] in private


def test_examples_dated_agendas(example_pdfs: dict[str, Path]) -> None:
    lima = pdf_text(example_pdfs["lima-2027/pack.pdf"])
    assert "Day 1 — Wednesday, March 31, 2027" in lima and "Day 2 — Thursday, April 1, 2027" in lima
    assert "08:30–08:45" in lima  # course.yml's day start
    quito = pdf_text(example_pdfs["quito-2027/pack.pdf"])
    assert "Día 1 — miércoles, 12 de mayo de 2027" in quito and "Día 2" not in quito
    assert "IV. Intercambio de experiencias" not in quito  # module IV is not in this workshop
    form = pdf_text(example_pdfs["quito-2027/evaluation.pdf"], layout=True)
    rows = [m[1] for m in re.finditer(r"^\s*([IVX]+)\. ", form, re.M)]
    assert rows == ["I", "II", "III", "V", "VI"]  # a rating row per module, in the workshop's order


def test_examples_guide_counts_copies(examples: dict[str, Workshop], example_pdfs: dict[str, Path]) -> None:
    body = " ".join(pdf_text(example_pdfs["lima-2027/trainers-guide.pdf"]).split())
    n = len(examples["lima-2027"].participants)
    assert f"Copies for {n} participants" in body
    assert f"Course agenda — one per participant (I): {n}" in body
    assert f"Tool cards — one set per pair (V): {(n + 1) // 2}" in body
    assert "Table 1 of the Seoul report (reading) — one per group (IV)" in body  # no count for groups
    checklist = body[body.index(f"Copies for {n} participants"):]
    assert checklist.count("Evaluation form — one per participant") == 1  # module VII's notes list it


def test_small_course_letter_certificates(tmp_path: Path) -> None:
    """The loader's own fixture (a Spanish workshop of the Letter-sized small course, a participant
    named in Arabic): certificates on Letter landscape pages, the name found in the text."""
    from coursebook.workshop import load_workshops
    from tests.workshops.conftest import mini_with_workshops

    root = mini_with_workshops(tmp_path / "repo")
    options = Options(root, verbosity=0)
    courses = {c.lang: c for c in load_courses(options)}
    (w,) = load_workshops(root, courses, options.report)
    files = run(private_jobs(w, context(root), tmp_path / "private"))
    reader = PdfReader(files["certificates.pdf"])
    assert len(reader.pages) == 2
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [792, 612]  # Letter, landscape
    body = pdf_text(files["certificates.pdf"])
    assert "Certificado de asistencia" in body and "José Núñez" in body
    assert {"مريم", "العلي"} <= set(body.replace("\u202b", " ").replace("\u202c", " ").split())
    assert "Taller <b>Quito</b> | 2027" in body  # the title as text
    jobs = public_jobs(w, context(root), tmp_path / "docs")
    public = run([j for j in jobs if j.out.name in ("sign-in.pdf", "evaluation.pdf")])
    for name in ("sign-in.pdf", "evaluation.pdf"):  # a blank sheet of 20 rows, the form: one Letter page each
        reader = PdfReader(public[name])
        assert len(reader.pages) == len(w.days) == 1 and round(float(reader.pages[0].mediabox[3])) == 792, name
        assert "Taller <b>Quito</b> | 2027 · Licencia: CC BY 4.0" in pdf_text(public[name])  # the footer, as text


def test_css_string_keeps_text_inside_the_string() -> None:
    value = css_string('R&D "x" \\ </style><script>; } a')
    assert str(value).count('"') == 2 and "<" not in value and "\\\\" not in value and "&" not in value
    assert value == '"R\\26 D \\22 x\\22  \\5c  \\3c /style\\3e \\3c script\\3e ; } a"'
