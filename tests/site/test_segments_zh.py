"""Chinese words for search kept between builds (`render/segments_zh.py`): a process that splits
text it split before gives jieba's words without loading jieba's dictionary (1.5 s)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

SPLIT = """
import json, sys, warnings
from pathlib import Path
from types import SimpleNamespace
warnings.simplefilter("ignore")
import jieba
from coursebook.render import segments_zh
config = SimpleNamespace(plugins={"material/search": SimpleNamespace(config=%(search)s)})
segments_zh.install(config, Path(sys.argv[1]))
words = ["\\u200b".join(jieba.cut(t.encode("utf-8"))) for t in sys.argv[2:]]
segments_zh.save()
print(json.dumps({"words": words, "dictionary_loaded": jieba.dt.initialized}))
"""


def _split(folder: Path, *texts: str, search: str = "{}") -> dict:
    done = subprocess.run([sys.executable, "-c", SPLIT % {"search": search}, str(folder), *texts],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_words_split_before_come_back_without_loading_the_dictionary(tmp_path: Path) -> None:
    first = _split(tmp_path, "清洁生产中心的培训课程", "可持续消费")
    assert first["dictionary_loaded"] and (tmp_path / "memo.sqlite").is_file()
    assert first["words"][0].count("\u200b") >= 2  # split into words, not kept whole

    again = _split(tmp_path, "清洁生产中心的培训课程", "可持续消费")
    assert again == {"words": first["words"], "dictionary_loaded": False}

    new = _split(tmp_path, "清洁生产中心的培训课程", "资源效率")  # text never split: jieba itself
    assert new["dictionary_loaded"] and new["words"][0] == first["words"][0]


def test_a_course_with_its_own_jieba_dictionary_is_split_by_jieba_every_time(tmp_path: Path) -> None:
    own = '{"jieba_dict_user": "words.txt"}'
    _split(tmp_path, "清洁生产中心", search=own)
    assert _split(tmp_path, "清洁生产中心", search=own)["dictionary_loaded"]
