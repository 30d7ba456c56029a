"""Reading a page as a browser would: CSS selectors over the parsed HTML (tinyhtml5 and cssselect2
come with WeasyPrint)."""

import cssselect2
import tinyhtml5


class Page:
    def __init__(self, html: str):
        self.root = cssselect2.ElementWrapper.from_html_root(tinyhtml5.parse(html, namespace_html_elements=False))

    def all(self, selector: str) -> list:
        return [wrapper.etree_element for wrapper in self.root.query_all(selector)]

    def one(self, selector: str):
        found = self.all(selector)
        assert len(found) == 1, f"{selector}: {len(found)} elements"
        return found[0]

    def text(self, selector: str) -> str:
        return " ".join(" ".join("".join(element.itertext()).split()) for element in self.all(selector))

    def by_id(self, element_id: str):
        return self.one(f'[id="{element_id}"]')

    def title(self) -> str:
        return " ".join("".join(self.one("title").itertext()).split())


def text_of(response) -> str:
    """What a reader sees of a response's page (its `main`, else its body), as one line of words."""
    page = Page(response.content.decode() if hasattr(response, "content") else response)
    return page.text("main") or page.text("body")
