"""Benchmarks of coursebook, written to bench/RESULTS.md. Run: .venv/bin/python bench/run.py

Measures (medians of several runs, on this machine):
- a clean build of the default course, every language, with an empty render cache;
- `python build.py` after a real one-sentence edit to a module and to one translation, run as a
  command (each checked: the outputs that show the text changed and show the new sentence),
  `serve`'s save-to-page time over HTTP, and `check` (as a command, and inside a process);
- the floors, in the same run: `mkdocs build` of the generated site sources alone, and
  WeasyPrint rendering the very same PDF documents directly, one after another;
- synthetic courses of 20, 100 and 200 modules × 3 languages, to show how time grows;
- page weight of a module page (gzip, cold cache, fonts included), handout sizes, offline zip;
- the site build time of both engines, MkDocs + Material and Zensical, on the same generated
  site sources (`--engines-only` measures just that and updates its section of RESULTS.md).
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.edits import USER_ENV, Edit, as_a_user, rebuild_after, serve_edits, touched  # noqa: E402
from bench.make_course import make_course  # noqa: E402
from coursebook import jobs as jobs_module  # noqa: E402
from coursebook.build import Options, build  # noqa: E402


def copy_course(dest: Path) -> Path:
    """A copy of the repository's course (content, workshops, theme, config), built apart from it."""
    for name in ("course", "modules", "slides", "instructor_notes", "workshops", "theme"):
        shutil.copytree(ROOT / name, dest / name)
    for name in ("mkdocs.yml", "AUTHORING.md"):
        shutil.copy(ROOT / name, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


@dataclass
class Stat:
    """A measure: median and spread (min–max) of its runs."""

    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def __str__(self) -> str:
        if len(self.runs) == 1:
            return f"{self.runs[0]:.2f} (1 run)"
        return f"{self.median:.2f} ({min(self.runs):.2f}–{max(self.runs):.2f})"


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def timed_cpu(fn) -> tuple[float, float]:
    """(wall, CPU) seconds of `fn`: CPU time of this process, of the children it waited for (the
    job pool's workers, Chromium) and of those still running when it ends (a worker the pool did
    not wait for, and what it waited for): not moved by idle cores or waits, though a busy
    neighbour of this virtual machine slows both."""
    def cpu() -> float:
        return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
                   for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) + _running_descendants()
    start_cpu, start = cpu(), time.perf_counter()
    fn()
    return time.perf_counter() - start, cpu() - start_cpu


def _running_descendants() -> float:
    """CPU seconds of this process's descendants that are still running, each with the children
    it waited for (`/proc/PID/stat`: utime, stime, cutime, cstime)."""
    parent: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after the command's name
        except OSError:
            continue  # ended meanwhile
        pid = int(stat.parent.name)
        parent[pid] = int(fields[1])
        times[pid] = sum(int(x) for x in fields[11:15]) / tick
    me, total = os.getpid(), 0.0
    for pid in times:
        up = parent.get(pid)
        while up and up != me:
            up = parent.get(up)
        if up == me:
            total += times[pid]
    return total


def serve_runs(runs: int) -> int:
    """Edits timed in `serve`: each costs seconds, not a build, so more of them, a steadier median."""
    return max(runs, 7)


def measure(runs: int, fn, before=None, after=None) -> Stat:
    """`fn` timed `runs` times; `before` and `after` each run are not timed."""
    times = []
    for i in range(runs):
        if before:
            before(i)
        times.append(timed(fn))
        if after:
            after(i)
    return Stat(times)


def median_of(runs: int, fn) -> float:
    return measure(runs, fn).median


def full_build(root: Path, out: Path) -> None:
    build(Options(root, out=out, verbosity=0, clean=True))


def floors(root: Path, out: Path) -> tuple[float, float]:
    """(mkdocs build of the generated sources, WeasyPrint on the same documents), seconds."""
    captured: list = []
    original = jobs_module.Runner.submit

    def capture(self, jobs):
        captured.extend(jobs)
        return original(self, jobs)

    jobs_module.Runner.submit = capture
    try:
        build(Options(root, out=out, verbosity=0))
    finally:
        jobs_module.Runner.submit = original
    configs = sorted((root / ".build").glob("*/mkdocs.yml"))

    def mkdocs() -> None:
        for config in configs:
            with tempfile.TemporaryDirectory() as tmp:
                subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", tmp],
                               check=True, capture_output=True)

    pdf_jobs = [j for j in captured if j.out.suffix == ".pdf"]

    def weasyprint() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            for i, job in enumerate(pdf_jobs):
                job.func(*job.args, out=Path(tmp) / f"{i}.pdf")

    return median_of(3, mkdocs), median_of(3, weasyprint)


def engine_times(root: Path, runs: int) -> dict[str, float]:
    """Seconds to build every edition's generated site source, per engine (plain builds,
    without coursebook's passes after them), medians of `runs`."""
    build(Options(root, out=root / "site", outputs=("site",), verbosity=0))
    configs = sorted((root / ".build").glob("*/mkdocs.yml"))
    bin_dir = Path(sys.executable).parent

    def mkdocs() -> None:
        for config in configs:
            with tempfile.TemporaryDirectory() as tmp:
                subprocess.run([str(bin_dir / "mkdocs"), "build", "-q", "-f", str(config), "-d", tmp],
                               check=True, capture_output=True)

    def zensical() -> None:
        for config in configs:
            subprocess.run([str(bin_dir / "zensical"), "build", "--clean", "-f", str(config)],
                           check=True, capture_output=True, cwd=config.parent)

    return {"mkdocs": median_of(runs, mkdocs), "zensical": median_of(runs, zensical)}


def engine_lines(times: dict[str, float], langs: int) -> list[str]:
    return ["## Site engines (default course, same generated sources)", "",
            f"Plain `mkdocs build -f` / `zensical build --clean -f` of the {langs} editions' "
            "`.build/<lang>/mkdocs.yml`, one after another.", "",
            "| engine | seconds | relative |", "|---|---|---|",
            f"| MkDocs + Material | {times['mkdocs']:.2f} | 1.00 |",
            f"| Zensical 0.0.73 | {times['zensical']:.2f} | {times['zensical'] / times['mkdocs']:.2f} |"]


def engines_only(runs: int) -> None:
    """Measure the two engines alone; replace (or add) their section of RESULTS.md."""
    work = Path(tempfile.mkdtemp(prefix="coursebook-bench-"))
    course = copy_course(work / "course")
    times = engine_times(course, runs)
    lines = engine_lines(times, len(list((course / ".build").glob("*/mkdocs.yml"))))
    shutil.rmtree(work)
    results = ROOT / "bench" / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    head, sep, tail = text.partition("## Site engines")
    rest = tail[tail.find("\n## "):] if sep and "\n## " in tail else ""
    results.write_text(head.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n" + rest, encoding="utf-8")
    print("\n".join(lines))


def page_weight(site: Path) -> float:
    """KB transferred (gzip) for a cold load of a module page, fonts and scripts included."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from tests.conftest import CHROMIUM_ARGS, Served

    server = Served(site)
    total = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        urls: list[str] = []
        page.on("requestfinished", lambda r: urls.append(r.url))
        page.goto(f"{server.url}/en/modules/06-ncpc-roles.html", wait_until="networkidle")
        browser.close()
    for url in set(urls):
        path = site / url.split("/", 3)[3].split("?")[0].split("#")[0]
        if path.is_file():
            total += len(gzip.compress(path.read_bytes(), mtime=0))
    server.close()
    return total / 1024


def growth_lines(sizes: list[int], times: list[float], what: str) -> str:
    """How `what` (wall or CPU time) grows: linear growth (fixed cost + cost per module-language)
    has a constant marginal cost, so compare the marginal cost of each step between sizes."""
    steps = [(times[i + 1] - times[i]) / ((sizes[i + 1] - sizes[i]) * 3) for i in range(len(sizes) - 1)]
    described = ", ".join(f"{a} → {b} modules: {s:.3f} s" for a, b, s in zip(sizes, sizes[1:], steps, strict=False))
    ratio = steps[-1] / steps[0]
    verdict = "linear" if ratio <= 1.05 else f"a little worse than linear (× {ratio:.2f})" if ratio <= 1.3 else \
        f"worse than linear (× {ratio:.2f})"
    return f"- {what} per added module-language: {described}; growth is {verdict}."


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB memory, Python {platform.python_version()}, {platform.system()}"


CHECKED = "modules/06-ncpc-roles/module.es.md"  # the translation `check_times` edits before each run


def _prose_lines(text: str) -> list[int]:
    """1-based lines of body paragraphs (not front matter, code, headings or lists)."""
    lines, out, fence = text.split("\n"), [], False
    start = lines.index("---", 1) + 1 if lines[0] == "---" else 0
    for n, line in enumerate(lines[start:], start + 1):
        if line.startswith(("```", "~~~")):
            fence = not fence
        elif not fence and line[:1].isalpha():
            out.append(n)
    return out


def _broken_link(root: Path, original: str, i: int) -> tuple[str, int]:
    """Write `CHECKED` with a broken link appended to a different paragraph line each run (run i);
    return the link's target and line."""
    lines = original.split("\n")
    at = _prose_lines(original)[i * 7 % len(_prose_lines(original))]
    target = f"files/missing-{i}.csv"
    lines[at - 1] += f" [datos]({target})"
    (root / CHECKED).write_text("\n".join(lines), encoding="utf-8")
    return target, at


def _assert_reported(output: str, target: str, line: int) -> None:
    """`check` reports the new broken link at its file:line, and no link of an earlier run."""
    mine = [x for x in output.splitlines() if "missing-" in x]
    assert len(mine) == 1 and mine[0].startswith(f"{CHECKED}:{line}: error") and target in mine[0], output


def check_times(root: Path, runs: int) -> tuple[Stat, Stat]:
    """`python build.py check` as a command (process start and imports included; the child runs
    without PYTHONDONTWRITEBYTECODE, so its modules load from bytecode as a user's do), and the
    same validation inside a running process (what `serve` pays on each edit). Before each run a
    real edit: a broken link added to a different line of `CHECKED` (the previous one removed);
    each run's output must report it at that file:line, and no other."""
    from coursebook.build import load_courses
    from coursebook.diagnostics import CourseError

    original = (root / CHECKED).read_text(encoding="utf-8")
    command = as_a_user("check", "-q", "--root", str(root))
    edits: list[tuple[str, int]] = []
    outputs: list[str] = []

    def before(i: int) -> None:
        edits.append(_broken_link(root, original, i))

    def command_after(i: int) -> None:
        _assert_reported(outputs[-1], *edits[-1])

    def run_command() -> None:
        done = subprocess.run(command, capture_output=True, text=True, env=USER_ENV)
        assert done.returncode == 1, done.stderr  # the broken link is an error
        outputs.append(done.stderr)

    def run_inside() -> None:
        try:
            load_courses(Options(root, verbosity=0))
        except CourseError as exc:
            outputs.append("\n".join(d.format() for d in exc.diagnostics))
        else:
            raise AssertionError("check found no broken link")

    subprocess.run(command, capture_output=True, env=USER_ENV)  # warm: the unedited course's check cache
    try:
        cli = measure(runs, run_command, before, command_after)
        (root / CHECKED).write_text(original, encoding="utf-8")
        load_courses(Options(root, verbosity=0))  # warm: imports, Markdown, the config check
        warm = measure(runs, run_inside, lambda i: before(runs + i), command_after)
    finally:
        (root / CHECKED).write_text(original, encoding="utf-8")
    return cli, warm


def default_course(work: Path, runs: int) -> tuple[list[str], Path, Path]:
    """The default course: clean build, floors, real edits, serve, check."""
    course = copy_course(work / "course")  # never touches the repository's own .build or files
    site = work / "site"
    full = measure(runs, lambda: full_build(course, site))
    mk, wp = floors(course, site)
    slug = "06-ncpc-roles"
    module = Edit(course, f"modules/{slug}/module.md", [f"en/modules/{slug}.html", f"en/handouts/{slug}.pdf",
                                                        "en/handouts/workbook.pdf", "en/handouts/trainers-guide.pdf"])
    translation = Edit(course, f"modules/{slug}/module.es.md", [f"es/modules/{slug}.html", f"es/handouts/{slug}.pdf",
                                                                "es/handouts/workbook.pdf"], word="Medida")
    edit_module = Stat(rebuild_after(module, runs, site))
    edit_translation = Stat(rebuild_after(translation, runs, site))
    serve_default = Stat(serve_edits(Edit(course, f"modules/{slug}/module.md", [], word="Preview"),
                                     serve_runs(runs), f"en/modules/{slug}.html"))
    check_cli, check_warm = check_times(course, max(runs, 9))  # cheap: more runs, a steadier median
    langs = sorted(p.name for p in site.iterdir() if p.is_dir())
    ratio = full.median / (mk + wp)
    lines = ["## Default course", "",
             f"Languages {', '.join(langs)}. Seconds: median (min–max) of {runs} runs ({serve_runs(runs)} for `serve`, "
             f"{max(runs, 9)} for `check`). Each edit adds one sentence "
             "to the first paragraph of the file, a different one each run, to the built, unedited course; the "
             "rebuild, `python build.py` run as a command (a new process: its start, its imports and the import of "
             "WeasyPrint by its render workers' fork server counted), is then checked: each listed output changed "
             "and shows the sentence (HTML, and PDFs read back with pdftotext).", "",
             "| measure | seconds | target | met |", "|---|---|---|---|",
             f"| clean build, empty cache | {full} | | |",
             f"| floor: `mkdocs build` of the generated site sources | {mk:.2f} | | |",
             f"| floor: WeasyPrint on the same PDF documents, one by one | {wp:.2f} | | |",
             f"| clean build / sum of floors | {ratio:.2f} | ≤ 1.3 | {'yes' if ratio <= 1.3 else 'no'} |",
             f"| `python build.py` after a sentence in `modules/{slug}/module.md` | {edit_module} | ≤ 15% of clean: "
             f"{edit_module.median / full.median:.1%} | "
             f"{'yes' if edit_module.median <= 0.15 * full.median else 'no'} |",
             f"| `python build.py` after a sentence in `modules/{slug}/module.es.md` | {edit_translation} | ≤ 10% of "
             f"clean: {edit_translation.median / full.median:.1%} | "
             f"{'yes' if edit_translation.median <= 0.10 * full.median else 'no'} |",
             f"| `serve`: save → the edited page over HTTP | {serve_default} | ≤ 2 | "
             f"{'yes' if serve_default.median <= 2 else 'no'} |",
             f"| `python build.py check` (a new process) after an edit: a broken link added to `{CHECKED}`, "
             f"reported at its line | {check_cli} | ≤ 0.5 | "
             f"{'yes' if check_cli.median <= 0.5 else 'no'} |",
             f"| the same validation in a running process (`serve`) | {check_warm} | ≤ 0.5 | "
             f"{'yes' if check_warm.median <= 0.5 else 'no'} |", "",
             "What each edit's rebuild rendered (last run):", "",
             f"- module: checked {', '.join(f'`{x}`' for x in module.outputs)}; {touched(module.touched[-1])}",
             f"- translation: checked {', '.join(f'`{x}`' for x in translation.outputs)}; "
             f"{touched(translation.touched[-1])}", ""]
    return lines, course, site


def synthetic(work: Path, sizes: list[int], runs: int, progress=None) -> list[str]:
    """Synthetic courses × 3 languages: clean build (one run: the biggest take minutes) and a
    one-module edit's rebuild (median of `runs`), to show how each grows with the course."""
    lines = ["## Synthetic courses (3 languages)", "",
             "Each module ~600 words, an activity, trainer notes, an 8-slide deck, translated into es and fr. "
             "The edit adds a sentence to module 1 (checked in its page, handout and workbook); the rebuild is "
             f"`python build.py` run as a command. Medians of {runs} runs ({serve_runs(runs)} for `serve`).", "",
             "| modules | clean build, s | s per module-language | clean build, CPU s | "
             "rebuild after a one-module edit, s | `serve` save → page, s |", "|---|---|---|---|---|---|"]
    times: list[float] = []
    cpus: list[float] = []
    rebuilds: list[float] = []
    notes: list[str] = []
    stages: list[dict[str, float]] = []
    in_process: list[float] = []
    workers: list[dict[str, float]] = []
    for n in sizes:
        course = make_course(work / f"syn{n}", n, ["en", "es", "fr"])
        clean, clean_cpu = timed_cpu(lambda course=course: full_build(course, course / "site"))
        slug = "001-topic-1"
        edit = Edit(course, f"modules/{slug}/module.md",
                    [f"en/modules/{slug}.html", f"en/handouts/{slug}.pdf", "en/handouts/workbook.pdf"])
        rebuild = Stat(rebuild_after(edit, runs, course / "site"))
        preview = Stat(serve_edits(Edit(course, f"modules/{slug}/module.md", [], word="Preview"),
                                   serve_runs(runs), f"en/modules/{slug}.html", languages=["en"]))
        lines.append(f"| {n} | {clean:.1f} | {clean / (n * 3):.3f} | {clean_cpu:.1f} | {rebuild} | {preview} |")
        times.append(clean)
        cpus.append(clean_cpu)
        rebuilds.append(rebuild.median)
        notes.append(f"- {n} modules, the rebuild's {touched(edit.touched[-1])}")
        stages.append(edit.touched[-1].stages)
        workers.append(edit.touched[-1].jobs_cpu)
        in_process.append(edit.in_process[-1])
        if progress:
            progress([*lines, "", *notes])
        shutil.rmtree(course)
    grows = len(rebuilds) > 1 and rebuilds[-1] > 1.5 * rebuilds[0]
    slope = (rebuilds[-1] - rebuilds[0]) / ((sizes[-1] - sizes[0]) * 3) * 1000 if grows else 0
    why = [f"A one-module edit's rebuild renders the same documents and pages at every size, yet its time grows "
           f"with the course ({' → '.join(f'{x:.1f}' for x in rebuilds)} s: {slope:.0f} ms per module-language). "
           "Where it grows, stage by stage, in the one more rebuild made in this process (so without Python's "
           "start, the imports and the workers' fork server's import of WeasyPrint, which a command pays at every "
           "size); "
           "under it, the CPU time the render workers spent meanwhile — on two cores, the build's own process "
           "and the workers share them, so both add to the rebuild:"]
    return [*lines, "", "What each rebuild rendered (last run):", "", *notes, "",
            *(why if grows else ["Stage by stage, the one more rebuild made in this process, and the CPU time "
                                 "its render workers spent meanwhile:"]), "",
            *stage_table(sizes, stages, in_process, workers), *growth_of(sizes, times, cpus)]


REST, WHOLE = "the rest (setup, writing `site/`)", "**the whole rebuild, in process**"


def stage_table(sizes: list[int], stages: list[dict[str, float]], totals: list[float],
                workers: list[dict[str, float]]) -> list[str]:
    """The build's stages (`Context.timed`) as rows, one column per course size: each stage
    with its parts (indented names) under it, those of every edition (`  en: site`) summed;
    then the render workers' CPU time (`Rendered.jobs_cpu`), spent while the stages ran."""
    rows: dict[str, list[float]] = {}
    for i, times in enumerate(stages):
        for name, seconds in times.items():
            rows.setdefault(_row(name), [0.0] * len(sizes))[i] += seconds
    order: list[str] = []
    parts: list[str] = []
    for name in rows:  # a part ends before its stage, so it was recorded first
        if name.startswith("↳"):
            parts.append(name)
        else:
            order, parts = [*order, name, *parts], []
    order += parts
    rows[REST] = [t - sum(rows[k][i] for k in order if not k.startswith("↳")) for i, t in enumerate(totals)]
    rows[WHOLE] = totals
    cpu = [f"*render workers, CPU s:* {WORKERS[k]}" for k in WORKERS]
    for k, name in zip(WORKERS, cpu, strict=True):
        rows[name] = [w.get(k, 0.0) for w in workers]
    return ["| stage, s | " + " | ".join(f"{n} modules" for n in sizes) + " |", "|---|" + "---|" * len(sizes),
            *(f"| {name} | " + " | ".join(f"{x:.2f}" for x in rows[name]) + " |"
              for name in [*order, REST, WHOLE, *cpu])]


WORKERS = {"documents": "handouts, chapters and decks rendered", "assemblies": "books assembled from chapters"}


def _row(stage: str) -> str:
    """A stage's row: a part of one (`  …`) marked, one edition's part (`  en: site`) as every edition's."""
    if not stage.startswith("  "):
        return stage
    lang, sep, part = stage.strip().partition(": ")
    return f"↳ each edition's {part}" if sep and " " not in lang else f"↳ {stage.strip()}"


def growth_of(sizes: list[int], times: list[float], cpus: list[float]) -> list[str]:
    """How a clean build grows from one size to the next, in wall and CPU time."""
    if len(sizes) < 2:
        return []
    return ["", "Clean build (one run per size, the biggest last: on this virtual machine the same build "
            "took up to a fifth longer an hour later, in CPU time as in wall time, so read the growth with "
            "that margin):", "", growth_lines(sizes, times, "wall time"), growth_lines(sizes, cpus, "CPU time")]


def save(lines: list[str]) -> None:
    """Write RESULTS.md: after each part, so that a long run stopped early keeps what it measured."""
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per median (default 3)")
    parser.add_argument("--sizes", default="20,100,200", help="synthetic course sizes in modules")
    parser.add_argument("--engines-only", action="store_true", help="measure only the two site engines")
    args = parser.parse_args()
    if args.engines_only:
        return engines_only(args.runs)
    work = Path(tempfile.mkdtemp(prefix="coursebook-bench-"))
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "unknown"
    lines = ["# Benchmark results", "",
             f"Measured by `bench/run.py` on {time.strftime('%Y-%m-%d')}, at commit {commit}.", "",
             f"Machine: {machine()}.", ""]
    default, course, site = default_course(work, args.runs)
    lines += default
    save(lines + ["_Synthetic courses, sizes and engines: still being measured._"])
    weight = page_weight(site)
    handouts = sorted((site / "en" / "handouts").glob("*.pdf"))
    zips = sorted((site / "en" / "downloads").glob("*.zip"))
    engine_section = engine_lines(engine_times(course, args.runs), len(list((course / ".build").glob("*/mkdocs.yml"))))
    lines += synthetic(work, [int(x) for x in args.sizes.split(",") if x], args.runs,
                       lambda rows: save(lines + rows + ["", "_Larger courses: still being measured._"]))
    lines += ["", "## Sizes", "", "| output | KB |", "|---|---|",
              f"| module page, gzip, cold cache, fonts and scripts included | {weight:.0f} |"]
    lines += [f"| handout `{p.name}` | {p.stat().st_size / 1024:.0f} |" for p in handouts]
    lines += [f"| offline zip `{p.name}` | {p.stat().st_size / 1024:.0f} |" for p in zips]
    lines += ["", *engine_section]
    save(lines)
    shutil.rmtree(work)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
