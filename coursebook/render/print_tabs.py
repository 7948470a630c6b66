"""Content tabs (`=== "Python"`) on paper: a printed page cannot switch tabs, so each tab's
content is printed one after the other under its label, instead of radio buttons and a row of
labels that the browser would have paired."""

from __future__ import annotations

TABS = '//div[contains(concat(" ", normalize-space(@class), " "), " tabbed-set ")]'


def print_tabs(html: str) -> str:
    """The HTML with every tab set laid out for print (labels as small headings)."""
    if "tabbed-set" not in html:
        return html
    import lxml.html

    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for tabs in root.xpath(TABS):
        labels = [x.text_content() for x in tabs.xpath('./div[contains(@class, "tabbed-labels")]/label')]
        blocks = tabs.xpath('./div[contains(@class, "tabbed-content")]/div[contains(@class, "tabbed-block")]')
        printed = lxml.html.Element("div", {"class": "tabbed-print"})
        for label, block in zip(labels, blocks, strict=False):
            title = lxml.html.Element("p", {"class": "tab-label"})
            title.text = label
            printed.append(title)
            printed.append(block)
        printed.tail = tabs.tail
        tabs.getparent().replace(tabs, printed)
    out = lxml.html.tostring(root, encoding="unicode")
    return out[len("<div>"):-len("</div>")]
