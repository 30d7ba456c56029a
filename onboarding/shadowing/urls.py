app_name = "shadowing"

urlpatterns = []
