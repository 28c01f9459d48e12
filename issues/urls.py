from django.urls import path

from . import views

app_name = "issues"

urlpatterns = [
    path("<int:year>/<int:number>/", views.issue_detail, name="detail"),
]
