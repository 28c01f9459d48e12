"""An uploaded print file kept on the server between the import's preview and its confirmation.

The confirm form carries only a signed token, never the text: a whole issue's text sent back in
a form field can exceed the request size limit (DATA_UPLOAD_MAX_MEMORY_SIZE) and would make the
browser upload it twice. The files wait in the data folder, outside MEDIA_ROOT (never served),
so every web worker sharing the data folder finds them; an upload not confirmed within
MAX_AGE is refused and pruned.
"""

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing

MAX_AGE = 3600  # seconds between the preview and the confirmation
FOLDER = "import-tmp"
SALT = "issues.import_uploads"


class KeptUploadError(Exception):
    """The token is expired, altered, someone else's, or its files are gone (a Chinese message)."""


@dataclass(frozen=True)
class KeptUpload:
    text: str
    pdf_path: Path | None  # the print PDF the text was read from, if it came from one
    key: str

    def discard(self):
        for path in _paths(self.key):
            path.unlink(missing_ok=True)


def folder() -> Path:
    return Path(settings.DATA_DIR) / FOLDER


def keep(*, text: str, pdf: bytes | None, user) -> str:
    """Store the decoded text (and the print PDF) of an upload; return the token for it."""
    prune()
    key = secrets.token_hex(16)
    text_path, pdf_path = _paths(key)
    text_path.parent.mkdir(parents=True, exist_ok=True)
    if pdf is not None:
        pdf_path.write_bytes(pdf)
    text_path.write_text(text, encoding="utf-8")
    return signing.dumps({"key": key, "user": user.pk, "pdf": pdf is not None}, salt=SALT)


def load(token: str, *, user) -> KeptUpload:
    """The upload a token stands for; KeptUploadError when it cannot be used."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise KeptUploadError(
            f"上传的文件已超过 {MAX_AGE // 60} 分钟未确认导入，已经失效，请重新上传。"
        ) from exc
    except signing.BadSignature as exc:
        raise KeptUploadError("导入标识无效（可能被改动过），请重新上传文件。") from exc
    if not isinstance(data, dict) or data.get("user") != user.pk:
        raise KeptUploadError("导入标识无效（不是您上传的文件），请重新上传文件。")
    text_path, pdf_path = _paths(str(data.get("key", "")))
    try:
        text = text_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KeptUploadError("上传的文件已不在服务器上（可能已被清理），请重新上传。") from exc
    if data.get("pdf") and not pdf_path.is_file():
        raise KeptUploadError("上传的 PDF 已不在服务器上（可能已被清理），请重新上传。")
    return KeptUpload(text=text, pdf_path=pdf_path if data.get("pdf") else None, key=data["key"])


def prune(*, now=None):
    """Delete kept uploads older than MAX_AGE (their tokens have expired)."""
    cutoff = (now or time.time()) - MAX_AGE
    # Earlier versions kept print PDFs under MEDIA_ROOT, which the proxy serves: none of them can
    # be confirmed any more.
    legacy = Path(settings.MEDIA_ROOT) / FOLDER
    for path in [*_files(folder()), *_files(legacy)]:
        try:
            if path.parent == legacy or path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:  # pruned by another worker meanwhile
            pass


def _files(path: Path) -> list[Path]:
    return [item for item in path.iterdir() if item.is_file()] if path.is_dir() else []


def _paths(key: str) -> tuple[Path, Path]:
    if not re.fullmatch(r"[0-9a-f]{32}", key):  # never a path outside the folder
        raise KeptUploadError("导入标识无效，请重新上传文件。")
    return folder() / f"{key}.txt", folder() / f"{key}.pdf"
