"""The fixture course with figures and linked files everywhere: an SVG and a PNG figure with
captions in the module, a JPEG, a decorative image, an activity whose image is `../images/…`,
a reading with its own figure, Spanish versions of two images, a data file, and links to other
course files — from the module, the activity, the reading and the deck."""

from __future__ import annotations

import io
from pathlib import Path

from tests.conftest import write


def svg(words: str, colour: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="320" height="90" viewBox="0 0 320 90">'
            f'<rect width="320" height="90" fill="{colour}"/>'
            f'<text x="16" y="52" font-size="22" font-family="DejaVu Sans">{words}</text></svg>\n')


def raster(colour: tuple[int, int, int], kind: str = "PNG", size: tuple[int, int] = (160, 90)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


MODULE_TEXT = """

## Figures

![Flow from inputs to outputs](images/flow.svg "Inputs become outputs")

![](images/chart.png "Savings by resource"){alt="Bar chart of savings by resource"}

![A photo of the plant](images/plant.jpg)

![](images/rule.png){: .decorative }

Download the [exercise data](files/data.zip), read [the case](../../course/readings/case.md)
and do [the warm-up](activities/warm-up.md).

More on [cleaner production](https://example.org/cleaner-production) on the web.

[![The case's region, linked to the case](images/badge.png)](../../course/readings/case.md)
"""


def make(root: Path) -> Path:
    """Add the figures and files to a copy of tests/fixtures/mini at `root`."""
    mod = root / "modules" / "01-basics"
    images = mod / "images"
    images.mkdir(parents=True, exist_ok=True)
    (images / "flow.svg").write_text(svg("INPUTS FLOW", "#e3efe8"), encoding="utf-8")
    (images / "flow.es.svg").write_text(svg("ENTRADAS FLUJO", "#f3e6d8"), encoding="utf-8")
    (images / "chart.png").write_bytes(raster((40, 120, 80)))
    (images / "chart.es.png").write_bytes(raster((200, 90, 30)))
    (images / "plant.jpg").write_bytes(raster((90, 90, 160), "JPEG"))
    (images / "rule.png").write_bytes(raster((120, 120, 120), size=(300, 4)))
    (images / "sheet.svg").write_text(svg("WORKSHEET", "#eeeeee"), encoding="utf-8")
    (images / "badge.png").write_bytes(raster((20, 160, 160)))  # shown as a link's text
    (mod / "files").mkdir(exist_ok=True)
    (mod / "files" / "data.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip
    for name in ("module.md", "module.es.md"):
        path = mod / name
        path.write_text(path.read_text(encoding="utf-8") + MODULE_TEXT, encoding="utf-8")
    (images / "solution.png").write_bytes(raster((10, 10, 10)))
    (images / "room.png").write_bytes(raster((250, 250, 10)))
    (mod / "files" / "answers.csv").write_text("question,answer\n1,42\n", encoding="utf-8")
    path = mod / "module.md"  # files only trainers see: in a trainer block, in the notes
    path.write_text(path.read_text(encoding="utf-8") + """
!!! trainer "Answers"
    The [answer key](files/answers.csv) and a sketch:

    ![The solution sketched](images/solution.png)
""", encoding="utf-8")
    notes = root / "instructor_notes" / "01-basics.md"
    notes.write_text(notes.read_text(encoding="utf-8")
                     + "\n![How to set the room](../modules/01-basics/images/room.png)\n", encoding="utf-8")
    path = mod / "module.md"  # a link in the front matter too
    path.write_text(path.read_text(encoding="utf-8").replace(
        'readings: ["[[reading:case]]"]', 'readings: ["[[reading:case]]", "[The data sheet](files/data.zip)"]'),
        encoding="utf-8")
    act = mod / "activities" / "warm-up.md"
    act.write_text(act.read_text(encoding="utf-8")
                   + '\n![The worksheet to fill in](../images/sheet.svg "The worksheet")\n'
                   + "\nSee [the case](../../../course/readings/case.md).\n", encoding="utf-8")
    readings = root / "course" / "readings"
    (readings / "images").mkdir(exist_ok=True)
    (readings / "images" / "map.png").write_bytes(raster((30, 60, 150)))
    case = readings / "case.md"
    case.write_text(case.read_text(encoding="utf-8")
                    + '\n![Map of the region](images/map.png "The region")\n'
                    + '\n<figure markdown>\n![The map again](images/map.png)\n'
                    + "<figcaption>Written as a figure block</figcaption>\n</figure>\n"
                    + "\nThe [basics module](../../modules/01-basics/module.md) and its "
                    + "[data](../../modules/01-basics/files/data.zip).\n", encoding="utf-8")
    deck = root / "slides" / "01-basics.md"
    deck.write_text(deck.read_text(encoding="utf-8") + """
---
## A figure

![Flow from inputs to outputs](../modules/01-basics/images/flow.svg)

Read [the case](../course/readings/case.md).

Note:
Point to [the case](../course/readings/case.md) again.
""", encoding="utf-8")
    write(root, "course/index.md", """
        ---
        title: Welcome
        ---
        This mini course has one module: [[module:B]].

        ![A small map](readings/images/map.png)
        """)
    return root
