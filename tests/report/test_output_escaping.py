"""Markup in the inputs stays text: report.html (parsed, no browser) and index.md.

The names of the scenario, its sites and departments and the inventory's systems are the
strings of :mod:`tests.report.hostile` (``<script>alert(1)</script>``,
``<img src=x onerror=alert(1)>``, ``"><svg onload=alert(1)>``, ``javascript:alert(1)`` and
ones that would mark the DOM). The page is parsed with :mod:`html.parser`: no element or
attribute comes from an input, and every hostile string is there as text.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.report.hostile import MARKERS, MARKUP

#: Elements that run or load something; none may come from an input.
ACTIVE = {"script", "svg", "iframe", "object", "embed", "frame", "frameset", "math", "link",
          "base", "form", "meta", "style", "template"}
#: The page's own active elements: its head (charset, viewport, generator) and one stylesheet.
OWN = {("meta", 3), ("style", 1)}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> _Page:
    p = _Page()
    p.feed(page)
    p.close()
    return p


def problems(page: str) -> list[str]:
    """What in ``page`` could run: active elements beyond the page's own, event handlers,
    script URLs, pictures that are not embedded PNGs."""
    p = parse(page)
    out = []
    counts: dict[str, int] = {}
    for tag, attrs in p.tags:
        if tag in ACTIVE:
            counts[tag] = counts.get(tag, 0) + 1
        for name, value in attrs.items():
            if name.startswith("on"):
                out.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value and (
                    value.strip().lower().startswith(("javascript:", "vbscript:"))):
                out.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and not attrs.get("src", "").startswith("data:image/png;base64,"):
            out.append(f"<img src={attrs.get('src')!r}>")
    out += [f"{n} <{t}> elements" for t, n in counts.items() if (t, n) not in OWN]
    return out


def test_the_checker_sees_raw_markup():
    raw = "<html><head><meta charset=utf-8></head><body>" + "".join(MARKUP) + "</body></html>"
    found = problems(raw)
    assert "1 <script> elements" in found and "1 <svg> elements" in found
    assert "<img onerror=...>" in found and "<svg onload=...>" in found
    assert problems('<a href=" JavaScript:alert(1)">x</a>') == [
        "<a href=' JavaScript:alert(1)'>"]


@pytest.fixture(scope="module")
def page(hostile_run) -> str:
    return (hostile_run / "report.html").read_text(encoding="utf-8")


def test_no_element_or_attribute_from_the_inputs(page):
    assert problems(page) == []


def test_every_hostile_name_is_shown_as_text(page):
    text = "".join(parse(page).text)
    for s in (*MARKUP, *MARKERS):
        assert s in text, s


def test_links_are_the_pages_own(page):
    hrefs = {a.get("href") for t, a in parse(page).tags if t == "a"}
    assert hrefs == {"run-metadata.json"}


def test_index_md_has_no_markup_from_the_inputs(hostile_run):
    md = (hostile_run / "index.md").read_text(encoding="utf-8")
    assert len(md.split("\n## ")) >= 5  # the title and the stages' sections, all checked
    body = md
    for raw in ("<script", "<img", "<svg", "](javascript:"):
        assert raw not in body, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
