"""Agents' photos: checked by content, re-encoded without metadata, served as square thumbnails.

An upload is trusted for nothing: not its name, not its announced type. `photo_validate`
opens it with Pillow and accepts only JPEG, PNG and WebP within the size limits, before
any pixel is decoded (a "decompression bomb" of a few kilobytes that unpacks to gigabytes
is refused on its announced dimensions). `photo_reencode` then draws the pixels into a
brand-new JPEG: orientation applied first, and no EXIF block (GPS position, camera, date)
nor any other metadata carried over.

Thumbnails are squares at the sizes pages use (`THUMBNAIL_SIZES`), written once next to
the photo under a deterministic name (`photos/2026/<id>.jpg` → `photos/2026/<id>-160.jpg`)
and reused; the photo's own name is unique per upload, so a new photo never shows an old
thumbnail.
"""

import contextlib
import logging
import os
import tempfile
import uuid
import warnings
from functools import lru_cache
from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_SIDE = 4000  # pixels, on the upload
PHOTO_STORED_SIDE = 1200  # pixels: the stored photo is never larger than this
PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
PHOTO_JPEG_QUALITY = 85
THUMBNAIL_SIZES = (64, 160, 320)

ERROR_NOT_AN_IMAGE = _("Ce fichier n'est pas une image JPEG, PNG ou WebP.")
ERROR_TOO_HEAVY = _("L'image dépasse 5 Mo.")
ERROR_TOO_LARGE = _("L'image dépasse %(side)s × %(side)s pixels.")


def _open_checked(data: bytes) -> Image.Image:
    """Open `data` as an image without decoding it, or raise the French ValidationError."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(BytesIO(data))
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
            OSError,
            SyntaxError,
            ValueError,
        ) as error:
            raise ValidationError(ERROR_NOT_AN_IMAGE, code="not_an_image") from error
    if image.format not in PHOTO_FORMATS:
        raise ValidationError(ERROR_NOT_AN_IMAGE, code="not_an_image")
    width, height = image.size
    if width > PHOTO_MAX_SIDE or height > PHOTO_MAX_SIDE:
        raise ValidationError(ERROR_TOO_LARGE, code="too_large", params={"side": PHOTO_MAX_SIDE})
    return image


def _read(uploaded) -> bytes:
    if uploaded.size is not None and uploaded.size > PHOTO_MAX_BYTES:
        raise ValidationError(ERROR_TOO_HEAVY, code="too_heavy")
    uploaded.seek(0)
    data = uploaded.read(PHOTO_MAX_BYTES + 1)
    uploaded.seek(0)
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError(ERROR_TOO_HEAVY, code="too_heavy")
    return data


def photo_validate(uploaded) -> None:
    """Raise a ValidationError (in French) unless `uploaded` is a JPEG, PNG or WebP image of
    at most 5 MB and 4000 × 4000 pixels whose content Pillow can verify."""
    data = _read(uploaded)
    image = _open_checked(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.verify()
    except Exception as error:  # Pillow raises many kinds on a corrupt file
        raise ValidationError(ERROR_NOT_AN_IMAGE, code="not_an_image") from error


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels, transparency drawn on white (JPEG has no alpha)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg_bytes(image: Image.Image) -> bytes:
    out = BytesIO()
    # No `exif=`, `icc_profile=` or `comment=`: the new file carries pixels only.
    image.save(out, format="JPEG", quality=PHOTO_JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def photo_reencode(uploaded) -> ContentFile:
    """A new JPEG of the upload (validated again here): oriented, at most 1200 px a side,
    without any metadata. Its name is random, unique per upload."""
    photo_validate(uploaded)
    image = _open_checked(_read(uploaded))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image.load()
            image = ImageOps.exif_transpose(image)
        except Exception as error:
            raise ValidationError(ERROR_NOT_AN_IMAGE, code="not_an_image") from error
    image = _flatten(image)
    image.thumbnail((PHOTO_STORED_SIDE, PHOTO_STORED_SIDE), Image.Resampling.LANCZOS)
    return ContentFile(_jpeg_bytes(image), name=f"{uuid.uuid4().hex}.jpg")


@lru_cache(maxsize=50_000)  # a trombinoscope page asks for 48 of them on every request
def thumbnail_name(photo_name: str, size: int) -> str:
    """`photos/2026/ab12.jpg` → `photos/2026/ab12-160.jpg`."""
    path = PurePosixPath(photo_name)
    return str(path.with_name(f"{path.stem}-{size}.jpg"))


def _write_atomically(name: str, data: bytes) -> None:
    """Write next to the photo; a concurrent request writing the same thumbnail is harmless."""
    path = default_storage.path(name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def thumbnail_generate(photo_name: str, size: int) -> str:
    """Write the `size` px square thumbnail of a stored photo; returns its storage name."""
    if size not in THUMBNAIL_SIZES:
        raise ValueError(f"thumbnail size {size} is not one of {THUMBNAIL_SIZES}")
    with default_storage.open(photo_name, "rb") as stored, Image.open(stored) as image:
        image = _flatten(ImageOps.exif_transpose(image))
        square = ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS)
    name = thumbnail_name(photo_name, size)
    _write_atomically(name, _jpeg_bytes(square))
    return name


def photo_thumbnail_url(agent, size: int) -> str | None:
    """The URL of the agent's photo as a `size` px square, written on first use; None when
    the agent has no photo (or its file is missing or unreadable)."""
    if size not in THUMBNAIL_SIZES:
        raise ValueError(f"thumbnail size {size} is not one of {THUMBNAIL_SIZES}")
    if not agent.photo:
        return None
    name = thumbnail_name(agent.photo.name, size)
    # The row says whether this photo's thumbnails are written (unless a query left the field out).
    known = "photo_thumbnails_of" in agent.__dict__  # not deferred by the query
    if known and agent.photo_thumbnails_of == agent.photo.name:
        return default_storage.url(name)
    if not default_storage.exists(name):
        try:
            thumbnail_generate(agent.photo.name, size)
        except (OSError, ValueError, Image.DecompressionBombError) as error:
            logger.warning("No thumbnail for %s (%s): %s", agent.photo.name, size, error)
            return None
    if known:
        _thumbnails_record(agent)
    return default_storage.url(name)


def _thumbnails_record(agent) -> None:
    """Write the photo's other thumbnails, then say so in the row (once per photo: a page that
    finds the row's mark asks the storage nothing)."""
    photo = agent.photo.name
    try:
        for size in THUMBNAIL_SIZES:
            if not default_storage.exists(thumbnail_name(photo, size)):
                thumbnail_generate(photo, size)
    except (OSError, ValueError, Image.DecompressionBombError):
        return
    type(agent)._default_manager.filter(pk=agent.pk, photo=photo).update(photo_thumbnails_of=photo)
    agent.photo_thumbnails_of = photo


def photo_delete_files(photo_name: str) -> None:
    """Delete a stored photo and every thumbnail of it."""
    if not photo_name:
        return
    for name in [photo_name, *(thumbnail_name(photo_name, size) for size in THUMBNAIL_SIZES)]:
        with contextlib.suppress(OSError):
            default_storage.delete(name)
