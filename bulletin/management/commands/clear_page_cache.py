"""Drop every cached readers' page (after writes that bypass the models' signals: bulk loads,
raw SQL, a database restore)."""

from django.core.management.base import BaseCommand

from bulletin.pagecache import bump_generation


class Command(BaseCommand):
    help = "让网站页面缓存全部失效（批量导入或恢复数据库之后使用）"

    def handle(self, *args, **options):
        bump_generation()
        self.stdout.write("页面缓存已失效。")
