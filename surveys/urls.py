from django.urls import path

from surveys import results_urls, views

app_name = "surveys"

urlpatterns = [
    path("", views.MySurveysView.as_view(), name="survey-mine"),
    path("confidentialite/", views.PrivacyView.as_view(), name="privacy"),
    path("r/<str:token>/", views.TokenAnswerView.as_view(), name="answer-token"),
    path("<int:pk>/repondre/", views.SurveyAnswerView.as_view(), name="survey-answer"),
    path("gestion/", views.SurveyManageListView.as_view(), name="survey-manage"),
    path("gestion/nouvelle/", views.SurveyCreateView.as_view(), name="survey-create"),
    path("gestion/<int:pk>/", views.SurveyBuildView.as_view(), name="survey-build"),
    path("gestion/<int:pk>/modifier/", views.SurveyEditView.as_view(), name="survey-edit"),
    path("gestion/<int:pk>/apercu/", views.SurveyPreviewView.as_view(), name="survey-preview"),
    path("gestion/<int:pk>/copier/", views.SurveyCopyView.as_view(), name="survey-copy"),
    path("gestion/<int:pk>/supprimer/", views.SurveyDeleteView.as_view(), name="survey-delete"),
    path("gestion/<int:pk>/publier/", views.SurveyPublishView.as_view(), name="survey-publish"),
    path("gestion/<int:pk>/cloturer/", views.SurveyCloseView.as_view(), name="survey-close"),
    path("gestion/<int:pk>/inviter/", views.SurveyInviteView.as_view(), name="survey-invite"),
    path("gestion/<int:pk>/invitations/", views.InvitationListView.as_view(), name="invitation-list"),
    path("gestion/<int:pk>/relancer/", views.SurveyRemindView.as_view(), name="survey-remind"),
    path("gestion/<int:pk>/sessions/nouvelle/", views.SessionCreateView.as_view(), name="session-create"),
    path("gestion/<int:pk>/sections/nouvelle/", views.SectionCreateView.as_view(), name="section-create"),
    path("gestion/sections/<int:pk>/modifier/", views.SectionEditView.as_view(), name="section-edit"),
    path("gestion/sections/<int:pk>/supprimer/", views.SectionDeleteView.as_view(), name="section-delete"),
    path("gestion/sections/<int:pk>/deplacer/", views.SectionMoveView.as_view(), name="section-move"),
    path("gestion/sections/<int:pk>/questions/nouvelle/", views.QuestionCreateView.as_view(), name="question-create"),
    path("gestion/questions/<int:pk>/modifier/", views.QuestionEditView.as_view(), name="question-edit"),
    path("gestion/questions/<int:pk>/supprimer/", views.QuestionDeleteView.as_view(), name="question-delete"),
    path("gestion/questions/<int:pk>/deplacer/", views.QuestionMoveView.as_view(), name="question-move"),
]

# The results side (results page, charts, exports) lives in its own module.
urlpatterns += results_urls.urlpatterns
