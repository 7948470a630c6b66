"""Benchmarks of coursebook, written to bench/RESULTS.md. Run: .venv/bin/python bench/run.py

Measures (medians of several runs, on this machine):
- a full build of the default course, every language, with an empty render cache;
- a rebuild after editing one module (the cache reuses everything else);
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
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_course import make_course  # noqa: E402
from coursebook import jobs as jobs_module  # noqa: E402
from coursebook.build import Options, build  # noqa: E402


def copy_course(dest: Path) -> Path:
    """A copy of the repository's course (content, theme, config), built apart from it."""
    for name in ("course", "modules", "slides", "instructor_notes", "theme"):
        shutil.copytree(ROOT / name, dest / name)
    for name in ("mkdocs.yml", "AUTHORING.md"):
        shutil.copy(ROOT / name, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_of(runs: int, fn, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(timed(fn))
    return statistics.median(times)


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


def growth_lines(sizes: list[int], times: list[float]) -> list[str]:
    """How time grows: linear growth (fixed cost + cost per module-language) has a constant
    marginal cost, so compare the marginal cost of each step between sizes."""
    if len(sizes) < 2:
        return []
    steps = [(times[i + 1] - times[i]) / ((sizes[i + 1] - sizes[i]) * 3) for i in range(len(sizes) - 1)]
    described = ", ".join(f"{a} → {b} modules: {s:.3f} s" for a, b, s in zip(sizes, sizes[1:], steps, strict=False))
    ratio = steps[-1] / steps[0]
    verdict = "linear" if ratio <= 1.05 else f"a little worse than linear (× {ratio:.2f})" if ratio <= 1.3 else \
        f"worse than linear (× {ratio:.2f})"
    why = ("" if ratio <= 1.05 else " Handouts and decks cost the same per module at any size; the workbook and "
           "the trainer's guide are one document per language, whose WeasyPrint layout grows a little faster than "
           "their length. They are started first, while handouts and decks fill the other cores.")
    return ["", f"Marginal cost per added module-language: {described}; growth is {verdict}.{why}"]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB memory, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per median (default 3)")
    parser.add_argument("--sizes", default="20,100,200", help="synthetic course sizes in modules")
    parser.add_argument("--engines-only", action="store_true", help="measure only the two site engines")
    args = parser.parse_args()
    if args.engines_only:
        return engines_only(args.runs)
    work = Path(tempfile.mkdtemp(prefix="coursebook-bench-"))
    site = work / "site"
    lines = []
    course = copy_course(work / "course")  # never touches the repository's own .build or files

    full = median_of(args.runs, lambda: full_build(course, site))
    module = course / "modules" / "06-ncpc-roles" / "module.md"
    original = module.read_text(encoding="utf-8")
    counter = iter(range(1000))
    try:
        rebuild = median_of(args.runs, lambda: build(Options(course, out=site, verbosity=0)),
                            before=lambda: module.write_text(original + f"\n<!-- bench edit {next(counter)} -->\n",
                                                             encoding="utf-8"))
    finally:
        module.write_text(original, encoding="utf-8")
    mk, wp = floors(course, site)
    engine_section = engine_lines(engine_times(course, args.runs), len(list((course / ".build").glob("*/mkdocs.yml"))))
    weight = page_weight(site)
    langs = sorted(p.name for p in site.iterdir() if p.is_dir())
    handouts = sorted((site / "en" / "handouts").glob("*.pdf"))
    zips = sorted((site / "en" / "downloads").glob("*.zip"))

    lines += ["# Benchmark results", "", f"Measured by `bench/run.py` on {time.strftime('%Y-%m-%d')}; "
              f"medians of {args.runs} runs unless noted.", "", f"Machine: {machine()}.", "",
              "## Default course", "", "| measure | seconds | target |", "|---|---|---|",
              f"| full build, languages {', '.join(langs)}, empty cache | {full:.2f} | ≤ 1.3 × floors |",
              f"| floor: `mkdocs build` of the generated site sources | {mk:.2f} | |",
              f"| floor: WeasyPrint on the same PDF documents, one by one | {wp:.2f} | |",
              f"| ratio full build / (sum of floors) | {full / (mk + wp):.2f} | ≤ 1.3 |",
              f"| rebuild after editing one module | {rebuild:.2f} | ≤ 15% of full: {rebuild / full:.1%} |",
              "", "## Synthetic courses (3 languages)", "", "| modules | seconds | seconds per module-language |",
              "|---|---|---|"]
    sizes, times = [int(x) for x in args.sizes.split(",") if x], []
    for n in sizes:
        synthetic = make_course(work / f"syn{n}", n, ["en", "es", "fr"])
        t = median_of(args.runs, lambda synthetic=synthetic: full_build(synthetic, synthetic / "site"))
        lines.append(f"| {n} | {t:.1f} | {t / (n * 3):.3f} |")
        times.append(t)
        shutil.rmtree(synthetic)
    lines += growth_lines(sizes, times)
    lines += ["", "## Sizes", "", "| output | KB |", "|---|---|",
              f"| module page, gzip, cold cache, fonts and scripts included | {weight:.0f} |"]
    lines += [f"| handout `{p.name}` | {p.stat().st_size / 1024:.0f} |" for p in handouts]
    lines += [f"| offline zip `{p.name}` | {p.stat().st_size / 1024:.0f} |" for p in zips]
    lines += ["", *engine_section]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.rmtree(work)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
