"""The agents' avatars: their initials, white on a colour, as small JPEGs."""

import io
import unicodedata
from functools import cache

from PIL import Image, ImageDraw, ImageFont

AVATAR_SIZE = 256


@cache
def _avatar_font():
    return ImageFont.load_default(size=AVATAR_SIZE * 2 // 5)


@cache  # the colour follows the initials: a few hundred images serve thousands of agents
def avatar_jpeg(*, initials: str, colour: str) -> bytes:
    """A square of `colour` with white initials, as a small JPEG. Pillow's built-in font
    has no accented capitals: "Élodie Étienne" is drawn "EE"."""
    letters = unicodedata.normalize("NFKD", initials).encode("ascii", "ignore").decode() or "?"
    image = Image.new("RGB", (AVATAR_SIZE, AVATAR_SIZE), colour)
    ImageDraw.Draw(image).text(
        (AVATAR_SIZE / 2, AVATAR_SIZE / 2), letters, fill="white", font=_avatar_font(), anchor="mm"
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()
