"""The fixture course with code and maths everywhere: a module with inline code, a Python
block whose last line runs past any margin, inline and display formulas and a `$5 and $6`
that is not maths, and a deck slide with code and both kinds of formula. Built once (en)
for the PDF, site and slide tests of code and maths: the `maths_site` fixture (tests/conftest.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import MINI, ROOT

LONG_TAIL = "WRAPTAIL"  # the end of a code line too long for any page: it must still be printed
MODULE_TEXT = r'''

## Code and maths

Call `energy()` with a mass: the result is $E = mc^2$. A ticket costs $5 and $6 is the fee.

$$
\frac{a}{b}
$$

```python
def energy(mass: float) -> float:
    """Rest energy in joules."""
    c = 299_792_458  # the speed of light in metres per second

    return mass * c ** 2 + len("a string long enough to run past the right margin of the page: WRAPTAIL")
```
'''
SLIDE_TEXT = r"""
---
## Code and maths

```python
def energy(mass):
    return mass * 299_792_458 ** 2
```

$$
\frac{a}{b}
$$

Inline: $E = mc^2$.
"""

def maths_course(root: Path) -> Path:
    """A copy of the mini course, with code and maths added to its module and deck."""
    shutil.copytree(MINI, root)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    module = root / "modules" / "01-basics" / "module.md"
    module.write_text(module.read_text(encoding="utf-8") + MODULE_TEXT, encoding="utf-8")
    deck = root / "slides" / "01-basics.md"
    deck.write_text(deck.read_text(encoding="utf-8") + SLIDE_TEXT, encoding="utf-8")
    return root
