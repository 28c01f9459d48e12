"""Upload checks shared by the file fields across the apps.

An uploaded file is served from the site's own origin, by a server that picks its type from the
name's extension: so the extension must say what the content really is (a PNG named .jpg is
refused too), and the content must be what the field takes — an image Pillow reads as JPEG, PNG,
WebP or GIF; a PDF that starts with its header and that pypdf can read. Anything else (HTML, SVG,
a PDF header behind an HTML comment) is refused with a message for the editor.

Files already stored are not read again when their record is saved: they were checked on upload.
"""

import logging
from pathlib import PurePath

from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfReader

logger = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
# Pillow's format name -> the extensions a file of that format may have.
IMAGE_EXTENSIONS = {
    "JPEG": {".jpg", ".jpeg"},
    "PNG": {".png"},
    "WEBP": {".webp"},
    "GIF": {".gif"},
}
IMAGE_TYPES_TEXT = "JPEG、PNG、WebP 或 GIF"

MAX_PDF_BYTES = 200 * 1024 * 1024


def _is_stored(file) -> bool:
    """True for a model's file that is already in storage (not a new upload)."""
    return getattr(file, "_committed", False) is True and bool(getattr(file, "name", ""))


def _extension(file) -> str | None:
    name = getattr(file, "name", None)
    return PurePath(name).suffix.lower() if name else None


class _Rewound:
    """The file read from its start, its position restored afterwards."""

    def __init__(self, file):
        self.file = file

    def __enter__(self):
        self.position = self.file.tell() if hasattr(self.file, "tell") else 0
        self.file.seek(0)
        return self.file

    def __exit__(self, *exc):
        self.file.seek(self.position)


def validate_image_file(file):
    """Refuse uploads that are too large, that Pillow cannot read as a web image, or whose name
    says another type than their content. A file without a name (an image taken out of a Word
    file, named after its format later) is checked by its content only."""
    if _is_stored(file):
        return
    if file.size and file.size > MAX_IMAGE_BYTES:
        raise ValidationError("图片不能超过 8 MB。")
    try:
        with _Rewound(file), Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except Exception as exc:  # Pillow raises many kinds for damaged or non-image files
        raise ValidationError(
            f"无法识别的图片文件，请上传 {IMAGE_TYPES_TEXT} 图片（不接受 SVG、网页等文件）。"
        ) from exc
    if image_format not in IMAGE_EXTENSIONS:
        raise ValidationError(
            f"不支持 {image_format} 格式的图片，请另存为 {IMAGE_TYPES_TEXT} 后上传。"
        )
    extension = _extension(file)
    if extension is not None and extension not in IMAGE_EXTENSIONS[image_format]:
        expected = "、".join(sorted(IMAGE_EXTENSIONS[image_format]))
        raise ValidationError(
            f"文件扩展名“{extension or '（无）'}”与图片的实际格式 {image_format} 不符，"
            f"请改为 {expected} 后重新上传。"
        )
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError("图片尺寸过大，请压缩到 4000 万像素以内。")


def validate_pdf_file(file):
    """Accept only a PDF document: named .pdf, starting with the PDF header (so no browser can
    take it for a web page) and readable by pypdf, with at least one page."""
    if _is_stored(file):
        return
    if file.size and file.size > MAX_PDF_BYTES:
        raise ValidationError("PDF 文件不能超过 200 MB。")
    if _extension(file) != ".pdf":
        raise ValidationError("请上传扩展名为 .pdf 的印刷版 PDF 文件。")
    not_a_pdf = ValidationError("这不是 PDF 文件，请上传印刷版的 PDF。")
    with _Rewound(file):
        if file.read(5) != b"%PDF-":
            raise not_a_pdf
        try:
            reader = PdfReader(file, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise ValidationError("PDF 文件设置了打开密码，请上传未加密的印刷版 PDF。")
            pages = len(reader.pages)
        except ValidationError:
            raise
        except Exception as exc:  # pypdf raises many kinds for damaged files
            logger.info("Refused an uploaded PDF that pypdf cannot read: %r", exc)
            raise ValidationError("PDF 文件已损坏或无法读取，请重新导出后上传。") from exc
    if pages < 1:
        raise ValidationError("PDF 文件没有页面，请上传印刷版的 PDF。")
