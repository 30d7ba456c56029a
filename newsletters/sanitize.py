"""Rich text of the newsletter turned into readable plain text for the e-mail's text part, and the
edito's paragraphs. Sanitising is `intranet.sanitize` (allow-list « rich_text »)."""

import re
from html import escape
from html.parser import HTMLParser

# A paragraph with nothing in it: the editor's blank line (Enter pressed twice).
_EMPTY_PARAGRAPH = re.compile(r"<p(\s[^>]*)?>(\s|&nbsp;|\xa0|<br>)*</p>")
_TRAILING_EMPTY_PARAGRAPH = re.compile(r"<p(\s[^>]*)?>(\s|&nbsp;|\xa0|<br>)*</p>$")


def paragraphs_html(text: str) -> str:
    """Plain text (the edito) as escaped paragraphs."""
    blocks = [block.strip() for block in (text or "").replace("\r\n", "\n").split("\n\n")]
    return "".join("<p>" + escape(block).replace("\n", "<br>") + "</p>" for block in blocks if block)


def blank_lines_kept(html: str) -> str:
    """The one rendering rule of blank lines, for the web page, the e-mail and the PDF: an empty
    paragraph is drawn as a line of its own. A browser folds an empty `<p>` to nothing while mail
    clients draw it; `<p><br></p>` is a blank line in both (and the text part keeps it too)."""
    html = (html or "").strip()
    while (start := _EMPTY_PARAGRAPH.match(html)) is not None:  # none before the text, nor after it
        html = html[start.end() :].lstrip()
    while (end := _TRAILING_EMPTY_PARAGRAPH.search(html)) is not None:
        html = html[: end.start()].rstrip()
    return _EMPTY_PARAGRAPH.sub(lambda match: f"<p{match.group(1) or ''}><br></p>", html)


class _TextWriter(HTMLParser):
    """Sanitised HTML → text: headings underlined, list items with "- " or "1. ", links as
    "text (url)", paragraphs separated by a blank line."""

    HEADINGS = {"h2": "=", "h3": "-", "h4": "-"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.lists: list[list] = []  # [kind, counter]
        self.links: list[str | None] = []
        self.link_text: list[str] = []
        self.heading: str | None = None

    def _flush(self, *, paragraph: bool = False):
        text = " ".join("".join(self.current).split(" "))
        lines = [" ".join(line.split()) for line in text.split("\n")]
        text = "\n".join(line for line in lines).strip()
        self.current = []
        if not text:
            if paragraph:  # a blank line the writer left between two paragraphs
                self.blocks.append(_BLANK)
            return
        if self.heading:
            text = f"{text}\n{self.HEADINGS[self.heading] * min(len(text), 60)}"
        self.blocks.append(text)

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "blockquote", "h2", "h3", "h4"):
            self._flush()
            self.heading = tag if tag in self.HEADINGS else None
        elif tag in ("ul", "ol"):
            self._flush()
            if not self.lists:
                self.blocks.append(_LIST_START)
            self.lists.append([tag, 0])
        elif tag == "li":
            self._flush()
            prefix = "- "
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                prefix = f"{self.lists[-1][1]}. "
            indent = "  " * max(len(self.lists) - 1, 0)
            self.current.append(indent + prefix)
        elif tag == "br":
            self.current.append("\n")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
            self.link_text = []

    def handle_endtag(self, tag):
        if tag in ("p", "blockquote", "h2", "h3", "h4", "li"):
            self._flush(paragraph=tag == "p")
            self.heading = None
        elif tag in ("ul", "ol"):
            self._flush()
            if self.lists:
                self.lists.pop()
        elif tag == "a" and self.links:
            href = self.links.pop()
            text = "".join(self.link_text).strip()
            if href and href.removeprefix("mailto:") != text:
                self.current.append(f" ({href.removeprefix('mailto:')})")

    def handle_data(self, data):
        if self.links:
            self.link_text.append(data)
        self.current.append(data)

    def text(self) -> str:
        self._flush()
        # List items follow each other without blank lines.
        out: list[str] = []
        merge = False
        for block in self.blocks:
            if block is _LIST_START:
                merge = False
                continue
            if block is _BLANK:
                if out:  # one more line between the paragraphs around it, as on the web page
                    out[-1] += "\n"
                merge = False
                continue
            if merge and out and _is_item(block) and _is_item(out[-1].rsplit("\n", 1)[-1]):
                out[-1] += "\n" + block
            else:
                out.append(block)
            merge = True
        return "\n\n".join(out).rstrip("\n")


_LIST_START = "\x00"
_BLANK = "\x01"


def _is_item(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith("- ") or (stripped[:1].isdigit() and ". " in stripped[:5])


def rich_text_to_plain(html: str) -> str:
    writer = _TextWriter()
    writer.feed(html or "")
    writer.close()
    return writer.text()
