"""How stored files (uploaded materials and evidence, signed documents) are handed out.

Always as an attachment, never rendered by the browser in the site's origin: ``Content-Disposition:
attachment``, ``X-Content-Type-Options: nosniff``, a sandboxing CSP and no caching by shared caches.
The caller has already checked that the user may see the file.
"""

from django.http import FileResponse


def private_file_response(fileobj, *, filename: str, content_type: str) -> FileResponse:
    """A download of ``fileobj`` offered as ``filename`` with the headers above."""
    response = FileResponse(fileobj, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
