from django.urls import path

from . import views

app_name = "issues"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("<int:year>/", views.year_archive, name="year"),
    path("<int:year>/<int:number>/", views.IssueDetailView.as_view(), name="detail"),
    path("<int:year>/<int:number>/proof/", views.issue_proof, name="proof"),
]
