/* Maths rendered by KaTeX in the browser, offline (coursebook copies KaTeX beside the pages).
   pymdownx.arithmatex (generic) leaves $…$ as <span class="arithmatex">\(…\)</span> and $$…$$
   as <div class="arithmatex">\[…\]</div>. KaTeX writes MathML beside the drawing, which screen
   readers read; LaTeX it cannot parse is shown as source, in red, with the error as a tooltip.
   Used by the site (every page, also after Material's instant navigation) and the HTML decks. */
(function () {
  "use strict";
  function render(root) {
    if (!window.katex) { return; }
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      if (el.querySelector(".katex")) { return; }
      var tex = el.textContent.trim().replace(/^\\[([]/, "").replace(/\\[)\]]$/, "");
      katex.render(tex, el, { displayMode: el.tagName === "DIV", throwOnError: false,
                              errorColor: "#b00020" });
    });
  }
  if (window.document$) {
    window.document$.subscribe(function () { render(document.body); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { render(document); });
  } else {
    render(document);
  }
})();
