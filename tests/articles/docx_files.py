"""Real Word files for the .docx import tests, written with python-docx."""

import io
import zipfile

import docx
from PIL import Image

IMAGE_ALT = "调研座谈现场"


def image_bytes(image_format="PNG", color="red", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, image_format)
    return buffer.getvalue()


def docx_bytes(fill):
    """A .docx file as bytes; ``fill(document)`` writes its content."""
    document = docx.Document()
    fill(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_picture(document, data, alt=""):
    shape = document.add_picture(io.BytesIO(data))
    if alt:
        # python-docx has no API for alternative text; Word keeps it in docPr's descr.
        shape._inline.docPr.set("descr", alt)
    return shape


def write_full_article(document):
    document.add_paragraph("关于提升委员履职能力的调研报告", style="Title")
    document.add_paragraph("——以某市政协为例")
    document.add_paragraph("吴 宁 艾粤敏")
    document.add_heading("一、基本情况", level=1)
    paragraph = document.add_paragraph("全市政协委员")
    paragraph.add_run("积极建言献策").bold = True
    paragraph.add_run("，有委员在稿中写下 <script>alert(1)</script> 这样的字样。")
    document.add_heading("（一）委员结构", level=2)
    document.add_paragraph("界别分布合理", style="List Bullet")
    document.add_paragraph("年龄结构优化", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for row, cells in enumerate([("界别", "人数"), ("经济界", "12")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    add_picture(document, image_bytes(), alt=IMAGE_ALT)
    document.add_paragraph("协商于民、协商为民。", style="Quote")
    document.add_paragraph("下一步，将继续深化调研成果运用。")


def full_article_docx():
    return docx_bytes(write_full_article)


def zip_bytes(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_replaced_part(data, name, content):
    """The .docx ``data`` with one part of the zip replaced by ``content``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return zip_bytes({n: (content if n == name else source.read(n)) for n in source.namelist()})
