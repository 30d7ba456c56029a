"""intranet/images.py: photos checked by content, re-encoded without metadata, thumbnails."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.template import Context, Template
from django.test import RequestFactory
from PIL import ExifTags, Image

from intranet import images
from intranet.directory.services.profile import agent_profile_update
from intranet.models import Agent
from tests.factories import AgentFactory
from tests.intranet.directory.images import image_bytes, upload


def _open(content) -> Image.Image:
    content.seek(0)
    return Image.open(BytesIO(content.read()))


def test_png_with_gps_exif_comes_back_as_jpeg_without_any_exif():
    data = image_bytes("PNG", gps=True)
    assert Image.open(BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test file does carry GPS
    result = _open(images.photo_reencode(upload(data)))
    assert result.format == "JPEG"
    assert dict(result.getexif()) == {}
    assert "exif" not in result.info
    assert result.size == (640, 480)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted(fmt):
    result = _open(images.photo_reencode(upload(image_bytes(fmt), name=f"photo.{fmt.lower()}")))
    assert result.format == "JPEG"


def test_orientation_is_applied_before_the_exif_goes():
    data = image_bytes("JPEG", size=(400, 200), orientation=6)  # "rotate 90° clockwise to display"
    result = _open(images.photo_reencode(upload(data, name="p.jpg", content_type="image/jpeg")))
    assert result.size == (200, 400)
    assert dict(result.getexif()) == {}


def test_an_html_file_named_jpg_is_refused_in_french():
    fake = upload(b"<!DOCTYPE html><html><script>alert(1)</script></html>", name="photo.jpg", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        images.photo_validate(fake)
    assert error.value.messages == ["Ce fichier n'est pas une image JPEG, PNG ou WebP."]


def test_a_gif_is_refused():
    out = BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(ValidationError, match="JPEG, PNG ou WebP"):
        images.photo_validate(upload(out.getvalue(), name="photo.png"))


def test_a_truncated_image_is_refused():
    data = image_bytes("PNG")
    with pytest.raises(ValidationError, match="JPEG, PNG ou WebP"):
        images.photo_reencode(upload(data[: len(data) // 2]))


def test_a_file_over_5_mb_is_refused():
    heavy = upload(image_bytes("PNG") + b"\0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        images.photo_validate(heavy)
    assert error.value.messages == ["L'image dépasse 5 Mo."]


def test_an_image_over_4000_pixels_is_refused_before_decoding():
    # A PNG of 5000 × 5000 black pixels compresses to a few kilobytes.
    out = BytesIO()
    Image.new("L", (5000, 5000)).save(out, format="PNG")
    data = out.getvalue()
    assert len(data) < 200_000
    with pytest.raises(ValidationError) as error:
        images.photo_validate(upload(data))
    assert "4000 × 4000 pixels" in error.value.messages[0]


def test_a_decompression_bomb_header_is_refused(monkeypatch):
    monkeypatch.setattr(images, "PHOTO_MAX_SIDE", 100_000)  # only Pillow's own guard left
    out = BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, format="PNG")  # 144 Mpx > Pillow's 89 Mpx, in 1 bit
    data = out.getvalue()
    with pytest.raises(ValidationError, match="JPEG, PNG ou WebP"):
        images.photo_validate(upload(data))


def test_the_stored_photo_is_at_most_1200_pixels():
    result = _open(images.photo_reencode(upload(image_bytes("PNG", size=(3000, 1500)))))
    assert result.size == (1200, 600)


@pytest.mark.django_db
@pytest.mark.parametrize("size", images.THUMBNAIL_SIZES)
def test_thumbnails_are_squares_of_the_size_asked_and_written_once(size):
    agent = AgentFactory()
    agent_profile_update(agent=agent, user=agent, data={"photo": upload(image_bytes("PNG", size=(900, 500)))})
    url = images.photo_thumbnail_url(agent, size)
    name = images.thumbnail_name(agent.photo.name, size)
    assert url == default_storage.url(name)
    with default_storage.open(name) as stored:
        thumb = Image.open(stored)
        assert thumb.size == (size, size)
        assert thumb.format == "JPEG"
    written = default_storage.get_modified_time(name)
    assert images.photo_thumbnail_url(agent, size) == url
    assert default_storage.get_modified_time(name) == written


@pytest.mark.django_db
def test_a_missing_thumbnail_is_generated_on_first_use_and_the_row_remembers_them():
    agent = AgentFactory()
    agent_profile_update(agent=agent, user=agent, data={"photo": upload(image_bytes("PNG"))})
    names = [images.thumbnail_name(agent.photo.name, size) for size in images.THUMBNAIL_SIZES]
    Agent.objects.filter(pk=agent.pk).update(photo_thumbnails_of="")  # a photo stored without them
    agent = Agent.objects.get(pk=agent.pk)
    for name in names:
        default_storage.delete(name)
    assert images.photo_thumbnail_url(agent, 64) == default_storage.url(names[0])
    assert all(default_storage.exists(name) for name in names)  # every size, once
    assert Agent.objects.get(pk=agent.pk).photo_thumbnails_of == agent.photo.name


@pytest.mark.django_db
def test_known_thumbnails_are_served_without_asking_the_storage():
    agent = AgentFactory()
    agent_profile_update(agent=agent, user=agent, data={"photo": upload(image_bytes("PNG"))})
    agent = Agent.objects.get(pk=agent.pk)
    assert agent.photo_thumbnails_of == agent.photo.name  # written with the photo
    name = images.thumbnail_name(agent.photo.name, 160)
    default_storage.delete(name)  # behind the row's back: the row is believed
    assert images.photo_thumbnail_url(agent, 160) == default_storage.url(name)
    assert not default_storage.exists(name)


def test_an_unknown_thumbnail_size_is_an_error():
    with pytest.raises(ValueError, match="not one of"):
        images.photo_thumbnail_url(AgentFactory.build(), 100)


def _render(agent, viewer, size=160):
    request = RequestFactory().get("/")
    request.user = viewer
    return Template("{% load agent_photos %}{% agent_photo agent size %}").render(
        Context({"agent": agent, "request": request, "size": size})
    )


@pytest.mark.django_db
def test_the_tag_shows_the_thumbnail_with_alt_and_dimensions(agent, manager):
    agent_profile_update(agent=agent, user=agent, data={"photo": upload(image_bytes("PNG"))})
    html = _render(agent, manager)
    assert f'src="{images.photo_thumbnail_url(agent, 160)}"' in html
    assert 'alt="Photo de Hélène Dupont"' in html
    assert 'width="160" height="160"' in html


@pytest.mark.django_db
def test_a_hidden_photo_shows_initials_to_colleagues_but_the_photo_to_the_agent_and_hr(agent, manager, rh):
    agent_profile_update(agent=agent, user=agent, data={"photo": upload(image_bytes("PNG")), "show_photo": False})
    assert "<img" not in _render(agent, manager)
    assert ">HD</span>" in _render(agent, manager)
    assert "<img" in _render(agent, agent)
    assert "<img" in _render(agent, rh)


@pytest.mark.django_db
def test_partners_never_see_photos(agent, partenaire):
    agent_profile_update(agent=agent, user=agent, data={"photo": upload(image_bytes("PNG"))})
    assert "<img" not in _render(agent, partenaire, size=64)


@pytest.mark.django_db
def test_without_a_photo_the_tag_shows_initials(agent, manager):
    html = _render(agent, manager, size=64)
    assert 'class="agent-avatar agent-initials agent-initials-64 "' in html
    assert 'aria-hidden="true">HD<' in html
