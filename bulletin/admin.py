from django.contrib import admin

from .models import Publication


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "publisher", "phone", "email"]
    search_fields = ["name", "publisher"]
    prepopulated_fields = {}
    fieldsets = [
        (None, {"fields": ["name", "slug", "running_head", "publisher", "description"]}),
        ("联系方式", {"fields": ["phone", "email"]}),
    ]
