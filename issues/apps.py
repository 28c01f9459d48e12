from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = "期刊"

    def ready(self):
        # An issue's revisions hold its section order and staff credits (its articles have
        # revisions of their own).
        import reversion

        from .models import Issue, IssueCredit, IssueSection

        for model in (IssueSection, IssueCredit):
            if not reversion.is_registered(model):
                reversion.register(model)
        if not reversion.is_registered(Issue):
            reversion.register(Issue, follow=["section_entries", "credits"])
