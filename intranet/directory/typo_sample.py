"""A sample of one-slip typos of agents' names, to measure the directory search's typo
tolerance (its recall): the bench prints it at 10,000 agents (bench/directory_search.py) and
a test holds it on a fixed list of names. Not used by the site itself.

One typo per name word of 4 letters or more, the four slips in turn: a letter dropped, a
letter added, a letter replaced, two neighbouring letters swapped; positions and letters
drawn from a seeded generator, so a given list of names always gives the same sample.
"""

import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from intranet.directory.search import normalise

SLIPS = ("deletion", "insertion", "substitution", "transposition")
MIN_LETTERS = 4
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_WORDS = re.compile(r"[^a-z]+")


@dataclass(frozen=True)
class Typo:
    word: str  # the name word, normalised ("lambert")
    slip: str  # one of SLIPS
    typed: str  # what was typed ("lambrt")


def one_slip(word: str, slip: str, rng: random.Random) -> str:
    """`word` with one slip of the given kind; never `word` itself."""
    if slip == "deletion":
        i = rng.randrange(len(word))
        return word[:i] + word[i + 1 :]
    if slip == "insertion":
        i = rng.randrange(len(word) + 1)
        return word[:i] + rng.choice(_LETTERS) + word[i:]
    if slip == "transposition":
        positions = [i for i in range(len(word) - 1) if word[i] != word[i + 1]]
        if positions:
            i = rng.choice(positions)
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    i = rng.randrange(len(word))  # substitution (and a transposition of "aaaa")
    return word[:i] + rng.choice([letter for letter in _LETTERS if letter != word[i]]) + word[i + 1 :]


def name_words(names: Iterable[str]) -> list[str]:
    """The distinct normalised words of 4 letters or more of these names, sorted."""
    words = {word for name in names for word in _WORDS.split(normalise(name)) if len(word) >= MIN_LETTERS}
    return sorted(words)


def typo_sample(names: Iterable[str], *, seed: int = 2026, size: int | None = None) -> list[Typo]:
    """One typo per name word (or `size` words drawn from them), the slips in turn."""
    rng = random.Random(seed)  # noqa: S311 (not cryptography)
    words = name_words(names)
    if size is not None and size < len(words):
        words = sorted(rng.sample(words, size))
    slips = [SLIPS[n % len(SLIPS)] for n in range(len(words))]
    return [Typo(word, slip, one_slip(word, slip, rng)) for word, slip in zip(words, slips, strict=True)]


def recall(sample: list[Typo], found_words: Callable[[str], Iterable[str]]) -> tuple[float, list[Typo]]:
    """The share of the sample whose word is among the names found for what was typed
    (`found_words(typed)`: the normalised names of the matches), and the typos missed."""
    missed = [typo for typo in sample if not any(typo.word in _WORDS.split(name) for name in found_words(typo.typed))]
    return (1 - len(missed) / len(sample)) if sample else 1.0, missed
