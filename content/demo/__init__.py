"""Demo data of the content app: a year of news (a few « à la une », one for the managers, one
for the lycées' partners, one scheduled, one waiting for review, one sent back), the pages, the
library with the managers' space of seed 002 and a few questions and answers. Idempotent: nothing
is added when the demo news exist.

By subject: `news` (its items in `news_data`), `pages`, `library` (its documents in
`library_data`), `questions` (the managers' space); `common` holds what they share.
"""

from content.demo.library import library_seed
from content.demo.news import news_seed
from content.demo.pages import pages_seed
from content.demo.questions import questions_seed

__all__ = ["demo_seed", "library_seed", "news_seed", "pages_seed", "questions_seed"]


def demo_seed(*, stdout) -> None:
    news_seed(stdout=stdout)
    pages_seed(stdout=stdout)
    library_seed(stdout=stdout)
    questions_seed(stdout=stdout)
