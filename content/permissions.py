"""Who may do what with news, pages, the resource library and the managers' space. Views and
services ask these rules; templates receive their answers.

News:
- communication officers and administrators (« publishers ») write, review, publish, withdraw
  any news item and name the editors;
- editors (agents named by communication) and HR draft news and submit them for review; they edit
  their own items until they are published;
- everybody reads a published item from its publication date on when they are in its audience
  (the shared rule of intranet.audiences): partners only the items addressed to partners.
"""

from intranet.audiences import AudienceSpec, audience_includes, audience_member
from intranet.roles import Role, has_role, is_internal, person_flag


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def can_publish_news(user) -> bool:
    return is_internal(user) and has_role(user, Role.COMMUNICATION, Role.ADMIN)


def is_news_editor(user) -> bool:
    """Named by communication (a `content.Editor` row), kept on the user object."""
    if not is_internal(user):
        return False
    from content.models import Editor

    return person_flag(user, "news-editor", lambda: Editor.objects.filter(agent=user).exists())


def can_write_news(user) -> bool:
    return can_publish_news(user) or (is_internal(user) and has_role(user, Role.HR)) or is_news_editor(user)


def can_edit_news(user, news) -> bool:
    """Publishers edit any item; its author until it is published."""
    if can_publish_news(user):
        return True
    return can_write_news(user) and news.author_id == user.pk and news.status != news.Status.PUBLISHED


def can_read_news_list(user) -> bool:
    return _signed_in(user)


def can_read_news(user, news) -> bool:
    if not _signed_in(user):
        return False
    if can_edit_news(user, news):
        return True
    if not news.is_live:
        return False
    return audience_includes(spec=AudienceSpec.from_json(news.audience), member=audience_member(user))


# --- Pages: read by the administration's agents; communication and administrators write them all,
# a page's owner writes their own page (and confirms it is still true).


def can_read_pages(user) -> bool:
    return is_internal(user) and user.is_active


def can_manage_pages(user) -> bool:
    """Create, move, delete pages and edit any of them."""
    return is_internal(user) and has_role(user, Role.COMMUNICATION, Role.ADMIN)


def can_edit_page(user, page) -> bool:
    return can_manage_pages(user) or (can_read_pages(user) and page.owner_id == user.pk)


# --- The library: a folder is read by those in its audience and in every audience above it;
# communication and administrators manage everything, a folder's moderator its documents, a
# document's owner that document.


def can_read_library(user) -> bool:
    return _signed_in(user)


def can_manage_library(user) -> bool:
    return is_internal(user) and has_role(user, Role.COMMUNICATION, Role.ADMIN)


def folder_audience_includes(user, folder) -> bool:
    """The folder's own audience (an empty one: every agent of the administration)."""
    spec = AudienceSpec.from_json(folder.audience)
    if spec.is_empty:
        spec = AudienceSpec(everyone=True)
    return audience_includes(spec=spec, member=audience_member(user))


def can_add_documents(user, folder) -> bool:
    return can_manage_library(user) or (is_internal(user) and folder.moderator_id == user.pk)


def can_edit_document(user, document, folder=None) -> bool:
    folder = folder or document.folder
    return can_add_documents(user, folder) or (is_internal(user) and document.owner_id == user.pk)


# --- The managers' space (seed 002): its folders, the questions and answers, the webinars. Managers
# (those with reports or heading a unit) ask and answer; the asker marks the useful answer;
# communication, administrators and the moderator of a folder for managers hide a question or an
# answer, with a reason.


def _is_managers_folder_moderator(user) -> bool:
    """Moderates a folder of the library whose audience names the managers (kept on the user)."""
    from content.models import Folder

    def compute():
        audiences = Folder.objects.filter(moderator=user).values_list("audience", flat=True)
        return any(Role.MANAGER.value in AudienceSpec.from_json(audience).roles for audience in audiences)

    return person_flag(user, "managers-folder-moderator", compute)


def can_moderate_questions(user) -> bool:
    return is_internal(user) and (can_manage_library(user) or _is_managers_folder_moderator(user))


def can_use_managers_space(user) -> bool:
    """Read the space, ask and answer: managers, and those who moderate it."""
    return is_internal(user) and user.is_active and (has_role(user, Role.MANAGER) or can_moderate_questions(user))


def can_mark_useful(user, question) -> bool:
    return can_use_managers_space(user) and question.author_id == user.pk and not question.is_hidden
