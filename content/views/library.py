"""The resource library: folders (each with its audience), documents with their versions, the
private download (after the folder's permission check, never a public media address)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from content import selectors, services
from content.forms import DocumentForm, FolderForm, VersionForm
from content.models import Document, Folder
from content.permissions import can_add_documents, can_edit_document, can_manage_library, can_read_library
from intranet.audiences import AudienceForm, AudienceSpec, audience_describe
from intranet.permissions import RuleRequiredMixin
from intranet.shortcuts import form_add_service_error, paginate
from intranet.uploads import KINDS

PAGE_SIZE = 30


class ReaderMixin(RuleRequiredMixin):
    rule = staticmethod(can_read_library)


class ManagerMixin(RuleRequiredMixin):
    rule = staticmethod(can_manage_library)


def _audience(folder: Folder) -> str:
    spec = AudienceSpec.from_json(folder.audience)
    return audience_describe(spec=AudienceSpec(everyone=True) if spec.is_empty else spec)


class LibraryIndexView(ReaderMixin, TemplateView):
    template_name = "content/library_index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            folders=selectors.folder_children(user=user, folder=None),
            recent=selectors.document_list_recent(user=user),
            can_manage=can_manage_library(user),
            **kwargs,
        )


class FolderDetailView(ReaderMixin, TemplateView):
    template_name = "content/folder_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        folder = selectors.folder_get_readable(user=user, slug=self.kwargs["slug"])
        page = paginate(self.request, selectors.document_list(folder=folder), PAGE_SIZE)
        return super().get_context_data(
            folder=folder,
            ancestors=selectors.folder_ancestors(folder),
            children=selectors.folder_children(user=user, folder=folder),
            page_obj=page,
            documents=page.object_list,
            can_add=can_add_documents(user, folder),
            can_manage=can_manage_library(user),
            audience=_audience(folder),
            **kwargs,
        )


class FolderFormView(ManagerMixin, View):
    template_name = "content/folder_form.html"

    def get_folder(self) -> Folder | None:
        return get_object_or_404(Folder, slug=self.kwargs["slug"]) if "slug" in self.kwargs else None

    def _render(self, request, folder, form, audience_form, status=200):
        context = {"folder": folder, "form": form, "audience_form": audience_form}
        return render(request, self.template_name, context, status=status)

    def get(self, request, slug=None):
        folder = self.get_folder()
        spec = AudienceSpec.from_json(folder.audience) if folder else AudienceSpec(everyone=True)
        audience_form = AudienceForm(initial=AudienceForm.initial_from(spec), prefix="public")
        initial = (
            {"parent": request.GET["parent"]} if folder is None and request.GET.get("parent", "").isdigit() else {}
        )
        return self._render(request, folder, FolderForm(instance=folder, initial=initial), audience_form)

    def post(self, request, slug=None):
        folder = self.get_folder()
        form = FolderForm(request.POST, instance=Folder.objects.get(pk=folder.pk) if folder else None)
        audience_form = AudienceForm(request.POST, prefix="public")
        if form.is_valid() and audience_form.is_valid():
            data = form.cleaned_data
            values = {
                "title": data["title"],
                "description": data["description"],
                "parent": data["parent"],
                "moderator": data["moderator"],
                "position": data["position"],
                "audience": audience_form.spec,
            }
            try:
                if folder is None:
                    folder = services.folder_create(user=request.user, **values)
                else:
                    folder = services.folder_update(folder=folder, user=request.user, **values)
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Le dossier est enregistré."))
                return redirect(folder)
        return self._render(request, folder, form, audience_form, status=400)


class DocumentCreateView(ReaderMixin, View):
    template_name = "content/document_form.html"

    def get_folder(self, slug) -> Folder:
        folder = selectors.folder_get_readable(user=self.request.user, slug=slug)
        if not can_add_documents(self.request.user, folder):
            raise PermissionDenied
        return folder

    def get(self, request, slug):
        folder = self.get_folder(slug)
        form = DocumentForm(initial={"owner": request.user.pk})
        return render(request, self.template_name, {"folder": folder, "form": form})

    def post(self, request, slug):
        folder = self.get_folder(slug)
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.document_create(
                    user=request.user,
                    folder=folder,
                    title=data["title"],
                    description=data["description"],
                    owner=data["owner"],
                    review_on=data["review_on"],
                    upload=data["file"],
                )
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Le document est ajouté."))
                return redirect(document)
        return render(request, self.template_name, {"folder": folder, "form": form}, status=400)


class DocumentDetailView(ReaderMixin, TemplateView):
    template_name = "content/document_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        document = selectors.document_get_readable(user=user, pk=self.kwargs["pk"])
        versions = list(selectors.document_versions(document))
        return super().get_context_data(
            document=document,
            ancestors=[*selectors.folder_ancestors(document.folder), document.folder],
            versions=versions,
            can_edit=can_edit_document(user, document),
            can_delete=can_add_documents(user, document.folder),
            **kwargs,
        )


class DocumentEditView(ReaderMixin, View):
    template_name = "content/document_form.html"

    def get_document(self, pk) -> Document:
        document = selectors.document_get_readable(user=self.request.user, pk=pk)
        if not can_edit_document(self.request.user, document):
            raise PermissionDenied
        return document

    def _folders(self, user):
        visible = selectors.folder_visible_ids(user=user)
        folders = Folder.objects.filter(pk__in=visible).order_by("title")
        return folders if can_manage_library(user) else folders.filter(moderator=user)

    def get(self, request, pk):
        document = self.get_document(pk)
        form = DocumentForm(instance=document, folders=self._folders(request.user))
        return render(request, self.template_name, {"document": document, "folder": document.folder, "form": form})

    def post(self, request, pk):
        document = self.get_document(pk)
        form = DocumentForm(request.POST, instance=Document.objects.get(pk=pk), folders=self._folders(request.user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.document_update(
                    document=document,
                    user=request.user,
                    title=data["title"],
                    description=data["description"],
                    owner=data["owner"],
                    review_on=data["review_on"],
                    folder=data.get("folder"),
                )
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Le document est enregistré."))
                return redirect(document)
        context = {"document": document, "folder": document.folder, "form": form}
        return render(request, self.template_name, context, status=400)


class DocumentVersionAddView(DocumentEditView):
    template_name = "content/document_version_form.html"

    def get(self, request, pk):
        document = self.get_document(pk)
        return render(request, self.template_name, {"document": document, "form": VersionForm()})

    def post(self, request, pk):
        document = self.get_document(pk)
        form = VersionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                version = services.document_version_add(
                    document=document,
                    user=request.user,
                    upload=form.cleaned_data["file"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("La version %(number)s est en ligne.") % {"number": version.number})
                return redirect(document)
        return render(request, self.template_name, {"document": document, "form": form}, status=400)


class DocumentDeleteView(ReaderMixin, View):
    template_name = "content/document_delete.html"

    def get_document(self, pk) -> Document:
        document = selectors.document_get_readable(user=self.request.user, pk=pk)
        if not can_add_documents(self.request.user, document.folder):
            raise PermissionDenied
        return document

    def get(self, request, pk):
        return render(request, self.template_name, {"document": self.get_document(pk)})

    def post(self, request, pk):
        document = self.get_document(pk)
        folder = document.folder
        services.document_delete(document=document, user=request.user)
        messages.success(request, _("Le document est supprimé."))
        return redirect(folder)


def _file_response(version) -> FileResponse:
    """The stored file as an attachment, in a sandbox: whatever it holds, the browser neither
    guesses its type nor runs it."""
    kind = KINDS[version.kind]
    response = FileResponse(
        version.file.open("rb"), as_attachment=True, filename=version.filename, content_type=kind.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


class DocumentDownloadView(ReaderMixin, View):
    """The current version, for whoever may open the document's folder; each download counts."""

    def get(self, request, pk, number=None):
        document = selectors.document_get_readable(user=request.user, pk=pk)
        version = document.current if number is None else document.versions.filter(number=number).first()
        if version is None:
            raise Http404
        services.document_download_count(document=document)
        return _file_response(version)
