"""Upload checks shared by image fields across the apps."""

from django.core.exceptions import ValidationError
from PIL import Image

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000


def validate_image_file(file):
    """Reject uploads that are too large or that Pillow cannot read as an image."""
    if file.size and file.size > MAX_IMAGE_BYTES:
        raise ValidationError("图片不能超过 8 MB。")
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            width, height = image.size
            image.verify()
    except Exception as exc:  # Pillow raises many kinds for damaged files
        raise ValidationError("无法识别的图片文件，请上传 JPEG、PNG 或 WebP 图片。") from exc
    finally:
        file.seek(position)
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError("图片尺寸过大，请压缩到 4000 万像素以内。")


MAX_PDF_BYTES = 200 * 1024 * 1024


def validate_pdf_file(file):
    """Accept only files that really are PDF documents (by their first bytes, not their name)."""
    if file.size and file.size > MAX_PDF_BYTES:
        raise ValidationError("PDF 文件不能超过 200 MB。")
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(1024)
    finally:
        file.seek(position)
    if b"%PDF-" not in head:
        raise ValidationError("这不是 PDF 文件，请上传印刷版的 PDF。")
