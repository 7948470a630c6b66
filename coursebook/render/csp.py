"""A Content-Security-Policy for every built site page: scripts only from the site's own files
and the theme's inline scripts, by hash; nothing from the network.

Material writes a few inline scripts (`__md_scope`, whose text depends on the page's depth,
the palette, the content tabs' hash) and the engine one more (main.html), so `script-src`
cannot be a constant without 'unsafe-inline', which would let an injected `onerror` run.
Instead each page gets the hashes of the inline scripts it holds outside its content, after
MkDocs has written it. Course text cannot add one: the sanitiser removes every <script> from
it, and the content (<article>) is left out of the hashing anyway.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from ..write import put, replace_text

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
# the content of a page (left out of the hashing): Material's <article>, a deck's slides
CONTENT = re.compile(r'<article class="md-content__inner.*?</article>|<div class="slides">.*</section>', re.S)
CHARSET = '<meta charset="utf-8">'
# file:// pages: 'self' does not cover file: URLs in every browser, so file: is named too
# (a page opened from disk can read the disk anyway); Material's search worker runs in an
# iframe from the iframe-worker shim there (frame-src), over http in a worker (worker-src)
POLICY = ("default-src 'self' file:; script-src 'self' file: {hashes}; style-src 'self' file: 'unsafe-inline'; "
          "img-src 'self' file: data:; font-src 'self' file: data:; connect-src 'self' file:; "
          "worker-src 'self' file: blob:; frame-src 'self' file: blob:; object-src 'none'; base-uri 'none'; "
          "form-action 'none'")


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def policy(page: str, extra: tuple[str, ...] = ()) -> str:
    """The policy for one built page: the hashes of the theme's inline scripts in it."""
    outside = CONTENT.sub("", page)
    hashes = {_hash(m[2]) for m in INLINE_SCRIPT.finditer(outside) if "json" not in m[1].lower()}
    return POLICY.format(hashes=" ".join(sorted(hashes | set(extra))))


def _speaker_view(notes_js: Path) -> tuple[str, ...]:
    """reveal.js's speaker view is written by notes.js into a new window, which inherits the
    deck's policy: the hash of its one inline script, read from notes.js."""
    if not notes_js.is_file():
        return ()
    code = notes_js.read_text(encoding="utf-8")
    start, end = code.find("<script>"), code.find("<\\/script>")
    if start < 0 or end < start:
        return ()
    return (_hash(code[start + len("<script>"):end].replace("\\\\", "\\")),)


def add_policy(site: Path) -> None:
    """Put the policy into every HTML page of a built edition, first in <head> (before any
    script). Files are replaced, not rewritten: a cached edition shares them by hard links."""
    speaker = _speaker_view(site / "slides" / "reveal" / "notes.js")
    for path in site.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        if CHARSET not in page or "Content-Security-Policy" in page:
            continue
        csp = policy(page, speaker if '<div class="reveal"' in page else ())
        meta = f'{CHARSET}\n<meta http-equiv="Content-Security-Policy" content="{csp}">'
        replace_text(path, page.replace(CHARSET, meta, 1))


# iframe-worker (Material's search from file://) writes its bootstrap as an inline script into
# an iframe, which inherits the page's policy and so would refuse it: the site's copy of the
# shim loads the same bootstrap from a file beside it instead
SHIM_INLINE = ('<script>postMessage=${c};importScripts=${d};addEventListener("error",({error})=>'
               '{parent.dispatchEvent(new ErrorEvent("error",{filename:"${e}",error}))})<\\/script>')
SHIM_FILE = '<script src="${__iwBoot}" data-worker="${e}"><\\/script>'
SHIM_BOOT = """/* iframe-worker's bootstrap (from its shim, where it is an inline script) as a file, so that
   the site's Content-Security-Policy needs no 'unsafe-inline' (coursebook/render/csp.py). */
(function () {
  var worker = document.currentScript.getAttribute("data-worker");
  postMessage = function (s, n) { parent.postMessage(s, n || "*"); };
  importScripts = function (...s) {
    return s.reduce(function (n, e) {
      return n.then(function () {
        return new Promise(function (r) {
          var t = document.createElement("script");
          t.src = e; t.onload = r; document.body.appendChild(t);
        });
      });
    }, Promise.resolve());
  };
  addEventListener("error", function (event) {
    parent.dispatchEvent(new ErrorEvent("error", {filename: worker, error: event.error}));
  });
})();
"""


def write_shim(source: Path, folder: Path) -> None:
    """The iframe-worker shim as `iframe-worker.js`, its bootstrap in `iframe-worker-boot.js`."""
    code = source.read_text(encoding="utf-8")
    if code.count(SHIM_INLINE) != 1:
        raise RuntimeError(f"{source}: not the iframe-worker 1.0 shim that csp.py knows how to adapt")
    # the bootstrap lies in workers/: Material's search worker takes the iframe's first
    # script[src], cut at "/worker", as the folder of its lunr language files (es, fr, ar …)
    boot = ('var __iwBoot=document.currentScript.src'
            '.replace(/iframe-worker\\.js([?#].*)?$/,"workers/iframe-worker-boot.js");')
    put(folder / "iframe-worker.js", boot + code.replace(SHIM_INLINE, SHIM_FILE))
    put(folder / "workers" / "iframe-worker-boot.js", SHIM_BOOT)
