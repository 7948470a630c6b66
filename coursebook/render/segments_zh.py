"""Chinese split into words for search, kept between builds.

Material's search plugin splits each run of Chinese text into words with jieba (Chinese has no
spaces), and jieba loads its dictionary (1.5 s here) in every process that splits anything: the
site of a Chinese edition and its participant site, at every rebuild of that edition, though
only the edited pages are indexed again. Here each run's words are kept in the build's memo
(`memo_db.Memo`, by the text and jieba's version), so a rebuild loads the dictionary only for
Chinese text it has never split. The words are jieba's own: only the dictionary load is saved.
A course that gives jieba dictionaries of its own (`jieba_dict`, `jieba_dict_user` in the search
plugin's settings) is split by jieba every time.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..memo_db import Memo

_STORE: dict[tuple[int, Path], Memo] = {}  # per process (a forked participant build opens its own) and folder
_FOLDER: list[Path] = []  # where the store is: the build folder of the edition being built


def install(config: Any, folder: Path) -> None:
    """Keep the words jieba finds for `config`'s site (an MkDocs config) in `folder/memo.sqlite`."""
    jieba = sys.modules.get("jieba")  # imported by Material's search plugin, if jieba is installed
    if jieba is None:
        return
    search = config.plugins.get("material/search") or config.plugins.get("search")
    own = search is not None and any(getattr(search, "config", {}).get(k) for k in ("jieba_dict", "jieba_dict_user"))
    real = getattr(jieba.cut, "coursebook_real", jieba.cut)
    jieba.cut = real if own else _kept(real, getattr(jieba, "__version__", "?"))
    _FOLDER[:] = [folder]


def _kept(real: Callable[..., Iterator[str]], version: str) -> Callable[..., Iterator[str]]:
    def cut(sentence: str | bytes, *args: object, **kwargs: object) -> Iterator[str]:
        if args or kwargs:  # Material asks with the text alone
            return real(sentence, *args, **kwargs)
        text = sentence.decode("utf-8") if isinstance(sentence, bytes) else sentence
        store = _store()
        key = store.key("jieba", version, text)
        words = store.get(key)
        if not isinstance(words, list):
            words = list(real(sentence))
            store.put(key, words)
        return iter(words)

    cut.coursebook_real = real  # type: ignore[attr-defined]
    return cut


def _store() -> Memo:
    key = (os.getpid(), _FOLDER[0])
    if key not in _STORE:
        _STORE[key] = Memo(_FOLDER[0] / "memo.sqlite")
    return _STORE[key]


def save() -> None:
    """Write the words found since the last call (after each engine run)."""
    if _FOLDER and (os.getpid(), _FOLDER[0]) in _STORE:
        _STORE[os.getpid(), _FOLDER[0]].flush()
