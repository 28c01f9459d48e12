"""Real small files for upload tests: PDFs written by pypdf, images written by Pillow."""

import io

from PIL import Image
from pypdf import PdfWriter


def pdf_bytes(pages=1, user_password=None, owner_password=None):
    """A readable PDF of ``pages`` blank A4 pages, encrypted when a password is given."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if user_password is not None or owner_password is not None:
        writer.encrypt(user_password or "", owner_password, algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(image_format="PNG", color="red", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    return buffer.getvalue()
