"""The one sanitiser of rich text written by people (newsletter blocks, the welcome guide's
chapters…): nh3 with a named allow-list, applied by the services on save.

Each allow-list has its editor (`RichTextWidget(allow_list=…)`): the editor offers exactly what the
list keeps, so that what a person writes is what is saved. Only structure survives: paragraphs,
headings, emphasis, lists, quotes, links (http, https, mailto) and, in the guide, tables. No
`style`, no `class`, no `on*`; links get `rel="noopener noreferrer"`.
"""

from dataclasses import dataclass, field

import nh3

URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed with their content (not only their tags): what they hold is code, not text.
CLEAN_CONTENT_TAGS = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "template",
        "noscript",
        "textarea",
        "select",
        "title",
    }
)


@dataclass(frozen=True)
class AllowList:
    tags: frozenset[str]
    attributes: dict[str, frozenset[str]] = field(default_factory=dict)
    # The editor's extensions (django-prose-editor's names) that produce these tags and nothing else.
    editor: dict = field(default_factory=dict)
    # Tags an older text may hold and the editor reads as one of its own (<b> as bold…).
    aliases: frozenset[str] = frozenset()

    def kept_tags(self) -> frozenset[str]:
        return self.tags | self.aliases


_TEXT_TAGS = frozenset({"p", "br", "strong", "em", "u", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote"})
_TEXT_EDITOR = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": sorted(URL_SCHEMES)},
}
_TABLE_TAGS = frozenset({"table", "thead", "tbody", "tr", "th", "td"})

ALLOW_LISTS: dict[str, AllowList] = {
    # Newsletter blocks: text with headings, lists and links.
    "rich_text": AllowList(
        tags=_TEXT_TAGS,
        attributes={"a": frozenset({"href", "title"}), "ol": frozenset({"start"})},
        editor=_TEXT_EDITOR,
        aliases=frozenset({"b", "i"}),
    ),
    # The welcome guide's chapters: the same, and tables (the guide's contacts, timetables).
    "guide": AllowList(
        tags=_TEXT_TAGS | _TABLE_TAGS,
        attributes={
            "a": frozenset({"href", "title"}),
            "ol": frozenset({"start"}),
            "th": frozenset({"scope", "colspan", "rowspan"}),
            "td": frozenset({"colspan", "rowspan"}),
        },
        editor=_TEXT_EDITOR | {"Table": True, "TableRow": True, "TableHeader": True, "TableCell": True},
        aliases=frozenset({"b", "i"}),
    ),
}


def _drop_empty(tag: str, attribute: str, value: str) -> str | None:
    """An attribute left empty (the editor's link title) is not kept."""
    return value if value.strip() else None


def sanitize(html: str | None, *, allow_list: str) -> str:
    """The HTML a person wrote, with only what the named allow-list keeps."""
    rules = ALLOW_LISTS[allow_list]
    cleaned = nh3.clean(
        html or "",
        tags=set(rules.kept_tags()),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in rules.attributes.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_drop_empty,
    ).strip()
    # An editor left empty sends one empty paragraph.
    return "" if cleaned in ("<p></p>", "<p><br></p>") else cleaned
