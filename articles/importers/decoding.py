"""Turning an uploaded file's bytes into text, with a clear error when that is impossible."""

import codecs

from .errors import ImportFileError

# Control characters that never occur in extracted print text; many of them mean a binary file.
_BINARY_CONTROLS = set(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27}


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK, to str with LF."""
    if not data or not data.strip():
        raise ImportFileError("文件是空的，请选择印刷版导出的文本文件。")
    if data.startswith(codecs.BOM_UTF8):
        text = _decode(data[len(codecs.BOM_UTF8) :], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16")
    else:
        _reject_binary(data)
        text = _decode_either(data)
    _reject_binary(text.encode("utf-8", "surrogatepass"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportFileError("文件是空的，请选择印刷版导出的文本文件。")
    return text


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _undecodable(data, exc.start) from exc


def _decode_either(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as gb_error:
            # The encoding that got further is the file's; its failure is the line to name.
            position = max(utf8_error.start, gb_error.start)
            raise _undecodable(data, position) from gb_error


def _undecodable(data: bytes, position: int) -> ImportFileError:
    return ImportFileError(
        "无法识别文件编码：这一行有既不是 UTF-8 也不是 GB18030/GBK 的字节。"
        "请用文本编辑器另存为 UTF-8 后再导入。",
        line=data[:position].count(b"\n") + 1,
    )


def _reject_binary(data: bytes):
    sample = data[:65536]
    if b"\x00" in sample or sum(b in _BINARY_CONTROLS for b in sample) > len(sample) // 100:
        raise ImportFileError(
            "这不是文本文件（看起来是二进制文件，如 PDF、Word 或图片）。"
            "请导入从印刷版 PDF 导出的 .txt 文本；Word 稿件请使用“从 Word 导入”。"
        )
