from django.urls import path

from bulletin.pagecache import public_page

from . import views

app_name = "issues"

urlpatterns = [
    path("", public_page(views.archive), name="archive"),
    path("<int:year>/", public_page(views.year_archive), name="year"),
    path("<int:year>/<int:number>/", public_page(views.IssueDetailView.as_view()), name="detail"),
    path("<int:year>/<int:number>/proof/", views.issue_proof, name="proof"),
]
