"""Validation of uploaded evidence files (repair materials, objection evidence).

The type is decided from the content, never from the name or the client's
Content-Type: a file is accepted only as PDF, JPEG or PNG, and refused when it
could be something else as well. The whole file is read in chunks (never only
its head) and refused when it

- does not start with a PDF, JPEG or PNG signature (HTML, SVG, GIF, archives …);
- carries markup a browser would run (HTML/SVG/XML in the head, ``<script``,
  ``<html``, ``<iframe`` anywhere);
- carries a ZIP archive anywhere (local header, central directory or end record:
  a polyglot that also opens as an archive);
- is a PDF with active content (``/JavaScript``, ``/JS``, ``/Launch``, embedded
  files, rich media, XFA forms), also when the names are ``#xx``-escaped or inside
  Flate-compressed object streams;
- is a JPEG or PNG that Pillow cannot decode completely (or too many pixels).

The size is capped by ``settings.UPLOAD_MAX_BYTES`` (``file_too_large``, 413);
every other refusal is ``file_type`` (415).
"""

import re
import unicodedata
import zlib

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import FileRejected, FileTooLarge

# (content type, extension, signature at offset 0, Pillow format)
SIGNATURES = (
    ("application/pdf", "pdf", b"%PDF-", None),
    ("image/jpeg", "jpg", b"\xff\xd8\xff", "JPEG"),
    ("image/png", "png", b"\x89PNG\r\n\x1a\n", "PNG"),
)

HEAD_BYTES = 1024
CHUNK_BYTES = 64 * 1024
# Markup a browser would sniff as HTML/SVG/XML, looked for in the head of every file.
_HEAD_ACTIVE = re.compile(rb"<\s*(html|script|svg|body|iframe|!doctype|\?xml)", re.IGNORECASE)
# Markup that has no business anywhere in a PDF or an image (XMP metadata legitimately holds <?xml, so not that).
_ANYWHERE_ACTIVE = re.compile(rb"<\s*(script|html|iframe)[\s>/]", re.IGNORECASE)
# A ZIP local file header (with a plausible "version needed") or an end-of-central-directory record of a
# one-disk archive: what unzip needs to open the file as an archive (a polyglot). The extra bytes after the
# four-byte magic keep random image or compressed data from matching by chance.
_ZIP_RECORD = re.compile(rb"PK\x03\x04[\x00-\x3f]\x00|PK\x05\x06\x00\x00\x00\x00")
# Longest pattern a chunk boundary could cut in two; chunks overlap by this much.
_OVERLAP = 64
# PDF names (case-sensitive, as in PDF) that run code, open other programs or smuggle files.
_PDF_ACTIVE_NAMES = {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA",
                     b"SubmitForm", b"ImportData"}
_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r /<>\[\]()%{}]+)")
# Names long enough never to occur by chance in binary data: looked for in every byte of the file.
_PDF_LONG_ACTIVE_NAMES = {name for name in _PDF_ACTIVE_NAMES if len(name) > 3}
_PDF_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n)")
_PDF_ENDSTREAM = b"endstream"
# Total bytes inflated from a PDF's compressed streams when looking for hidden names (a bomb guard).
_PDF_INFLATE_BUDGET = 64 * 1024 * 1024
# Images larger than this many pixels are refused (decompression bombs).
MAX_IMAGE_PIXELS = 60_000_000

_SAFE_NAME = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def _too_large(limit: int) -> FileTooLarge:
    return FileTooLarge(_("文件超过 %(mb)s MB 的上限。") % {"mb": round(limit / (1024 * 1024), 1)},
                        details={"max_bytes": limit})


def _chunks(uploaded_file):
    uploaded_file.seek(0)
    if hasattr(uploaded_file, "chunks"):
        yield from uploaded_file.chunks(CHUNK_BYTES)
    else:
        while chunk := uploaded_file.read(CHUNK_BYTES):
            yield chunk


def _pdf_names(data: bytes) -> set[bytes]:
    """The PDF names in ``data``, with ``#xx`` escapes decoded."""
    names = set()
    for match in _PDF_NAME.finditer(data):
        name = match.group(1)
        if b"#" in name:
            name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name)
        names.add(name)
    return names


def _refuse_active_pdf():
    raise FileRejected(_("PDF 文件含有脚本、启动程序或内嵌文件等活动内容，不予接收。"))


def _check_pdf(uploaded_file):
    """Look for active names in the PDF's objects: outside the streams, and inside compressed object streams.

    The long names (``/JavaScript``, ``/Launch`` …) were already looked for in every byte while streaming;
    this adds the short ones (``/JS``, ``/XFA``), which binary stream data (images, fonts) could contain by
    chance, and the dictionaries packed in Flate-compressed object streams (``/Type /ObjStm``).
    """
    uploaded_file.seek(0)
    data = uploaded_file.read()
    budget = _PDF_INFLATE_BUDGET
    outside = []
    position = 0
    for match in _PDF_STREAM.finditer(data):
        if match.start() < position:
            continue  # "stream" inside a stream body already skipped
        dictionary = data[max(position, match.start() - 2048):match.start()]
        outside.append(data[position:match.start()])
        end = data.find(_PDF_ENDSTREAM, match.end())
        end = len(data) if end < 0 else end
        if b"/ObjStm" in dictionary:
            if budget <= 0:
                raise FileRejected(_("PDF 文件压缩内容过大，不予接收。"))
            try:
                inflated = zlib.decompressobj().decompress(data[match.end():end], budget)
            except zlib.error as exc:
                raise FileRejected(_("PDF 文件结构损坏，不予接收。")) from exc
            budget -= len(inflated)
            if _pdf_names(inflated) & _PDF_ACTIVE_NAMES:
                _refuse_active_pdf()
        position = end
    outside.append(data[position:])
    if _pdf_names(b"\n".join(outside)) & _PDF_ACTIVE_NAMES:
        _refuse_active_pdf()


def _check_image(uploaded_file, pillow_format: str):
    """The image must decode completely as the format its signature claims."""
    from PIL import Image

    try:
        uploaded_file.seek(0)
        with Image.open(uploaded_file, formats=[pillow_format]) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise FileRejected(_("图片像素过多，不予接收。"))
            image.verify()
        uploaded_file.seek(0)
        with Image.open(uploaded_file, formats=[pillow_format]) as image:
            image.load()
    except FileRejected:
        raise
    except Exception as exc:  # noqa: BLE001 — Pillow raises many kinds for broken images
        raise FileRejected(_("图片文件已损坏或无法识别，不予接收。")) from exc
    finally:
        uploaded_file.seek(0)


def validate_upload(uploaded_file) -> tuple[str, str]:
    """Check an uploaded file's size and content; return ``(content_type, extension)``.

    Raises ``FileTooLarge`` (413 ``file_too_large``) above ``settings.UPLOAD_MAX_BYTES``
    and ``FileRejected`` (415 ``file_type``) for anything but a clean PDF, JPEG or PNG.
    The file is read in chunks from the start to the end and left at position 0.
    """
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise _too_large(limit)
    kind = None
    total = 0
    tail = b""
    for chunk in _chunks(uploaded_file):
        if not chunk:
            continue
        if kind is None:
            head = chunk[:HEAD_BYTES]
            for candidate in SIGNATURES:
                if head.startswith(candidate[2]):
                    kind = candidate
                    break
            else:
                raise FileRejected(_("仅接受 PDF、JPEG 或 PNG 文件（按文件内容识别）。"))
            if _HEAD_ACTIVE.search(head):
                raise FileRejected(_("文件包含网页或脚本内容，不予接收。"))
        total += len(chunk)
        if total > limit:
            raise _too_large(limit)
        window = tail + chunk
        if _ZIP_RECORD.search(window):
            raise FileRejected(_("文件中夹带压缩包内容，不予接收。"))
        if _ANYWHERE_ACTIVE.search(window):
            raise FileRejected(_("文件包含网页或脚本内容，不予接收。"))
        if kind[0] == "application/pdf" and _pdf_names(window) & _PDF_LONG_ACTIVE_NAMES:
            _refuse_active_pdf()
        tail = window[-_OVERLAP:]
    if kind is None:
        raise FileRejected(_("文件为空。"))
    if kind[0] == "application/pdf":
        _check_pdf(uploaded_file)
    else:
        _check_image(uploaded_file, kind[3])
    uploaded_file.seek(0)
    return kind[0], kind[1]


def sniff(data: bytes) -> tuple[str, str]:
    """``(content_type, extension)`` of in-memory ``data``; the same checks as ``validate_upload``."""
    import io

    return validate_upload(io.BytesIO(data))


def safe_filename(name: str, *, max_length: int = 120) -> str:
    """The client's file name, kept for display only: no path, no control or odd characters, bounded length.

    Files are stored under generated names; this one is only shown and offered back on download.
    """
    base = unicodedata.normalize("NFKC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _SAFE_NAME.sub("_", base)
    base = re.sub(r"_{2,}", "_", base).strip("._") or "file"
    if len(base) > max_length:
        stem, dot, ext = base.rpartition(".")
        if dot and 0 < len(ext) <= 8:
            base = f"{stem[: max_length - len(ext) - 1]}.{ext}"
        else:
            base = base[:max_length]
    return base.strip("._") or "file"
