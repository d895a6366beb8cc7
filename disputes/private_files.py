"""How a private file (an attachment, an export, a bulletin) leaves the server.

Only after a view has checked who asks. The answer is never cached by a
shared cache, never sniffed into another type, and a document is always a
download: a PDF or spreadsheet shown inline could run what it carries. A
sandboxed policy covers the rest should a browser show it anyway.
"""

from django.http import FileResponse

# Where a file is shown inline (re-encoded photos), it may be kept this long by the browser.
PRIVATE_MAX_AGE = 3600


def private_file_response(
    file, *, filename: str, content_type: str, inline: bool = False
) -> FileResponse:
    """Stream an open file; `inline` only for images the platform re-encoded itself."""
    response = FileResponse(
        file, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"private, max-age={PRIVATE_MAX_AGE}"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
