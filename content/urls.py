from django.urls import path

from content.views import library, managers, news, news_writing, pages

app_name = "content"

urlpatterns = [
    # News
    path("actualites/", news.NewsListView.as_view(), name="news-list"),
    path("actualites/<int:pk>/", news.NewsDetailView.as_view(), name="news-detail"),
    path("actualites/<int:pk>/image/", news.NewsImageView.as_view(), name="news-image"),
    path("actualites/redaction/", news_writing.NewsManageView.as_view(), name="news-manage"),
    path("actualites/nouvelle/", news_writing.NewsFormView.as_view(), name="news-create"),
    path("actualites/<int:pk>/modifier/", news_writing.NewsFormView.as_view(), name="news-edit"),
    path("actualites/<int:pk>/apercu/", news_writing.NewsPreviewView.as_view(), name="news-preview"),
    path("actualites/<int:pk>/soumettre/", news_writing.NewsSubmitView.as_view(), name="news-submit"),
    path("actualites/<int:pk>/relecture/", news_writing.NewsReviewView.as_view(), name="news-review"),
    path("actualites/<int:pk>/renvoyer/", news_writing.NewsReturnView.as_view(), name="news-return"),
    path("actualites/<int:pk>/retirer/", news_writing.NewsUnpublishView.as_view(), name="news-unpublish"),
    path("actualites/<int:pk>/supprimer/", news_writing.NewsDeleteView.as_view(), name="news-delete"),
    path("actualites/redacteurs/", news_writing.EditorListView.as_view(), name="editor-list"),
    path("actualites/redacteurs/<int:pk>/retirer/", news_writing.EditorRemoveView.as_view(), name="editor-remove"),
    path("actualites/flux/", news.FeedSettingsView.as_view(), name="feed-settings"),
    path("actualites/flux/renouveler/", news.FeedResetView.as_view(), name="feed-reset"),
    path("actualites/flux/<str:token>.atom", news.news_feed, name="news-feed"),
    # Pages
    path("pages/", pages.PageIndexView.as_view(), name="page-index"),
    path("pages/nouvelle/", pages.PageFormView.as_view(), name="page-create"),
    path("pages/<slug:slug>/", pages.PageDetailView.as_view(), name="page-detail"),
    path("pages/<slug:slug>/modifier/", pages.PageFormView.as_view(), name="page-edit"),
    path("pages/<slug:slug>/historique/", pages.PageHistoryView.as_view(), name="page-history"),
    path("pages/<slug:slug>/historique/<int:number>/", pages.PageRevisionView.as_view(), name="page-revision"),
    path("pages/<slug:slug>/historique/<int:number>/retablir/", pages.PageRestoreView.as_view(), name="page-restore"),
    path("pages/<slug:slug>/relue/", pages.PageReviewedView.as_view(), name="page-reviewed"),
    path("pages/<slug:slug>/supprimer/", pages.PageDeleteView.as_view(), name="page-delete"),
    # The resource library
    path("ressources/", library.LibraryIndexView.as_view(), name="library-index"),
    path("ressources/dossiers/nouveau/", library.FolderFormView.as_view(), name="folder-create"),
    path("ressources/documents/<int:pk>/", library.DocumentDetailView.as_view(), name="document-detail"),
    path("ressources/documents/<int:pk>/modifier/", library.DocumentEditView.as_view(), name="document-edit"),
    path(
        "ressources/documents/<int:pk>/nouvelle-version/",
        library.DocumentVersionAddView.as_view(),
        name="document-version-add",
    ),
    path("ressources/documents/<int:pk>/supprimer/", library.DocumentDeleteView.as_view(), name="document-delete"),
    path(
        "ressources/documents/<int:pk>/telecharger/", library.DocumentDownloadView.as_view(), name="document-download"
    ),
    path(
        "ressources/documents/<int:pk>/versions/<int:number>/telecharger/",
        library.DocumentDownloadView.as_view(),
        name="document-version-download",
    ),
    path("ressources/<slug:slug>/", library.FolderDetailView.as_view(), name="folder-detail"),
    path("ressources/<slug:slug>/modifier/", library.FolderFormView.as_view(), name="folder-edit"),
    path("ressources/<slug:slug>/ajouter/", library.DocumentCreateView.as_view(), name="document-create"),
    # The managers' space: its page, the questions and answers, moderation
    path("espace-managers/", managers.ManagersSpaceView.as_view(), name="managers-space"),
    path("espace-managers/questions/", managers.QuestionListView.as_view(), name="question-list"),
    path("espace-managers/questions/nouvelle/", managers.QuestionCreateView.as_view(), name="question-create"),
    path("espace-managers/questions/<int:pk>/", managers.QuestionDetailView.as_view(), name="question-detail"),
    path("espace-managers/questions/<int:pk>/utile/", managers.AnswerUsefulView.as_view(), name="question-useful"),
    path("espace-managers/questions/<int:pk>/masquer/", managers.QuestionHideView.as_view(), name="question-hide"),
    path("espace-managers/reponses/<int:pk>/masquer/", managers.AnswerHideView.as_view(), name="answer-hide"),
]
