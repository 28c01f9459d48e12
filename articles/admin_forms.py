"""The admin form of an article: the body is edited in django-prose-editor, not as raw HTML.

The editor is a form widget only (Article.body stays a TextField, no migration). What it may
produce is listed once in BODY_EXTENSIONS and matches bulletin/html.py's allow-list, which
Article.save() still applies to every save (tests/articles/test_editor.py holds the two together).
"""

import copy

from django import forms
from django.templatetags.static import static
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media

from .models import Article

# Toolbar groups as buttons (the library's default folds paragraph and headings into an English
# dropdown); the buttons get Chinese titles from static/js/bulletin_editor.js.
MENU_GROUPS = [
    {"group": "blockType -lists"},
    {"group": "lists"},
    {"group": "nodes -blockType -lists"},
    {"group": "marks"},
    {"group": "link"},
    {"group": "table"},
    {"group": "history"},
    {"group": "utility"},
]

# Extension name -> configuration. Names starting with "Bulletin", WordPaste and ArticleImages
# come from static/js/bulletin_editor.js; the rest are the library's.
BODY_EXTENSIONS = {
    "Menu": {"groups": MENU_GROUPS},
    # The title is the page's <h1>; body headings (小标题) are h3 and h4, as the print-text
    # importer writes them. h1/h2/h5/h6 from Word are read as one of the two.
    "BulletinHeading": {"levels": [3, 4]},
    "Bold": True,
    "Italic": True,
    # Kept so that footnote marks and units (m²) of imported Word articles survive editing.
    "Superscript": True,
    "Subscript": True,
    "HardBreak": True,
    "BulletList": True,
    # Print uses plain 1. 2. 3.; no list-type dialog.
    "OrderedList": {"enableListAttributes": False},
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    # No "open in new window": the sanitizer allows no target attribute.
    "BulletinLink": {"enableTarget": False},
    # Block images (<img src alt>), inserted from the article's own images only.
    "Image": True,
    "ArticleImages": {"images": []},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "WordPaste": True,
    "Fullscreen": True,
}


class BodyEditorWidget(AdminProseEditorWidget):
    """The admin prose editor, with this project's extension module and Chinese dialog words."""

    @property
    def media(self):
        return super().media + Media(js=["js/prose_editor_zh.js"])

    def get_config(self):
        config = super().get_config()
        # Resolved per render: the static URL depends on STATIC_URL (and a manifest in production).
        config["js_modules"] = [*config.get("js_modules", []), static("js/bulletin_editor.js")]
        return config


class ArticleAdminForm(forms.ModelForm):
    body = ProseEditorFormField(
        label=Article._meta.get_field("body").verbose_name,
        required=False,
        widget=BodyEditorWidget,
        config={"extensions": BODY_EXTENSIONS},
        help_text="小标题用工具栏的 h3/h4 按钮；从 Word、WPS 粘贴时保留段落、小标题、列表和表格，"
        "字体、字号、颜色等格式自动去除。图片请先在下方“稿件图片”中上传并保存，再用图片按钮插入。"
        "保存时自动清除不安全的内容。",
    )

    class Meta:
        model = Article
        # The admin builds the form from ArticleAdmin's fieldsets; this names what the form adds.
        fields = ["body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each article offers its own images: the widget's configuration is copied per form,
        # never changed on the class-level field that every form shares.
        widget = self.fields["body"].widget
        widget.config = copy.deepcopy(widget.config)
        widget.config["extensions"]["ArticleImages"] = {"images": self.article_images()}

    def article_images(self):
        if not self.instance.pk:
            return []
        images = []
        for number, image in enumerate(self.instance.images.all(), start=1):
            if not image.image:
                continue
            label = f"{number}. {image.caption or image.image.name.rsplit('/', 1)[-1]}"
            images.append({"src": image.image.url, "alt": image.alt, "label": label})
        return images
