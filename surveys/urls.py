from django.urls import path

from surveys import results_urls
from surveys.views import answering, building, questionnaire, survey_actions

app_name = "surveys"

urlpatterns = [
    path("", answering.MySurveysView.as_view(), name="survey-mine"),
    path("confidentialite/", answering.PrivacyView.as_view(), name="privacy"),
    path("r/<str:token>/", answering.TokenAnswerView.as_view(), name="answer-token"),
    path("<int:pk>/repondre/", answering.SurveyAnswerView.as_view(), name="survey-answer"),
    path("gestion/", building.SurveyManageListView.as_view(), name="survey-manage"),
    path("gestion/nouvelle/", building.SurveyCreateView.as_view(), name="survey-create"),
    path("gestion/<int:pk>/", building.SurveyBuildView.as_view(), name="survey-build"),
    path("gestion/<int:pk>/modifier/", building.SurveyEditView.as_view(), name="survey-edit"),
    path("gestion/<int:pk>/apercu/", building.SurveyPreviewView.as_view(), name="survey-preview"),
    path("gestion/<int:pk>/copier/", survey_actions.SurveyCopyView.as_view(), name="survey-copy"),
    path("gestion/<int:pk>/supprimer/", survey_actions.SurveyDeleteView.as_view(), name="survey-delete"),
    path("gestion/<int:pk>/publier/", survey_actions.SurveyPublishView.as_view(), name="survey-publish"),
    path("gestion/<int:pk>/cloturer/", survey_actions.SurveyCloseView.as_view(), name="survey-close"),
    path("gestion/<int:pk>/inviter/", survey_actions.SurveyInviteView.as_view(), name="survey-invite"),
    path("gestion/<int:pk>/invitations/", survey_actions.InvitationListView.as_view(), name="invitation-list"),
    path("gestion/<int:pk>/relancer/", survey_actions.SurveyRemindView.as_view(), name="survey-remind"),
    path("gestion/<int:pk>/sessions/nouvelle/", survey_actions.SessionCreateView.as_view(), name="session-create"),
    path("gestion/<int:pk>/sections/nouvelle/", questionnaire.SectionCreateView.as_view(), name="section-create"),
    path("gestion/sections/<int:pk>/modifier/", questionnaire.SectionEditView.as_view(), name="section-edit"),
    path("gestion/sections/<int:pk>/supprimer/", questionnaire.SectionDeleteView.as_view(), name="section-delete"),
    path("gestion/sections/<int:pk>/deplacer/", questionnaire.SectionMoveView.as_view(), name="section-move"),
    path(
        "gestion/sections/<int:pk>/questions/nouvelle/",
        questionnaire.QuestionCreateView.as_view(),
        name="question-create",
    ),
    path("gestion/questions/<int:pk>/modifier/", questionnaire.QuestionEditView.as_view(), name="question-edit"),
    path("gestion/questions/<int:pk>/supprimer/", questionnaire.QuestionDeleteView.as_view(), name="question-delete"),
    path("gestion/questions/<int:pk>/deplacer/", questionnaire.QuestionMoveView.as_view(), name="question-move"),
]

# The results side (results page, charts, exports) lives in its own module.
urlpatterns += results_urls.urlpatterns
