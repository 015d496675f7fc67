"""Validation of uploaded evidence files (repair materials, objection evidence).

The type is decided from the content, never from the name or the client's
Content-Type: a file is accepted only as PDF, JPEG or PNG, and refused when it
could be something else as well (HTML or script in a PDF's head, an image that
carries a ZIP archive). The size is capped by ``settings.UPLOAD_MAX_BYTES``.
"""

import re

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import FileRejected, FileTooLarge

# (content type, extension, signature at offset 0)
SIGNATURES = (
    ("application/pdf", "pdf", b"%PDF-"),
    ("image/jpeg", "jpg", b"\xff\xd8\xff"),
    ("image/png", "png", b"\x89PNG\r\n\x1a\n"),
)

HEAD_BYTES = 1024
# Markup a browser would sniff as HTML/SVG/script, looked for in the head of every file.
_ACTIVE_CONTENT = re.compile(rb"<\s*(html|script|svg|body|iframe|!doctype|\?xml)", re.IGNORECASE)
# A ZIP end-of-central-directory record: the file also opens as an archive (a polyglot).
_ZIP_MARKERS = (b"PK\x05\x06",)
_SAFE_NAME = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def _read_all(uploaded_file) -> bytes:
    uploaded_file.seek(0)
    chunks = []
    total = 0
    limit = settings.UPLOAD_MAX_BYTES
    for chunk in uploaded_file.chunks() if hasattr(uploaded_file, "chunks") else [uploaded_file.read()]:
        total += len(chunk)
        if total > limit:
            raise FileTooLarge(
                _("文件超过 %(mb)s MB 的上限。") % {"mb": round(limit / (1024 * 1024), 1)},
                details={"max_bytes": limit},
            )
        chunks.append(chunk)
    uploaded_file.seek(0)
    return b"".join(chunks)


def sniff(data: bytes) -> tuple[str, str]:
    """``(content_type, extension)`` decided from ``data``; raises ``FileRejected`` otherwise."""
    for content_type, extension, magic in SIGNATURES:
        if data.startswith(magic):
            break
    else:
        raise FileRejected(_("仅接受 PDF、JPEG 或 PNG 文件（按文件内容识别）。"))
    if _ACTIVE_CONTENT.search(data[:HEAD_BYTES]):
        raise FileRejected(_("文件包含网页或脚本内容，不予接收。"))
    if any(marker in data for marker in _ZIP_MARKERS):
        raise FileRejected(_("文件中夹带压缩包内容，不予接收。"))
    return content_type, extension


def validate_upload(uploaded_file) -> tuple[str, str]:
    """Check an uploaded file's size and content; return ``(content_type, extension)``.

    Raises ``FileTooLarge`` (413 ``file_too_large``) above ``settings.UPLOAD_MAX_BYTES``
    and ``FileRejected`` (415 ``file_type``) for anything but a clean PDF, JPEG or PNG.
    """
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        raise FileTooLarge(
            _("文件超过 %(mb)s MB 的上限。") % {"mb": round(settings.UPLOAD_MAX_BYTES / (1024 * 1024), 1)},
            details={"max_bytes": settings.UPLOAD_MAX_BYTES},
        )
    data = _read_all(uploaded_file)
    if not data:
        raise FileRejected(_("文件为空。"))
    return sniff(data)


def safe_filename(name: str, *, max_length: int = 120) -> str:
    """The client's file name, kept for display only: no path, no control or odd characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _SAFE_NAME.sub("_", base).strip("._") or "file"
    return base[-max_length:]
