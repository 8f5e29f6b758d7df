"""Files the browser saves: the content types and the one way to name a download.

Download names are Chinese ("统计报表-20260501-20260531.xlsx"), so they go in RFC 6266's
`filename*` (UTF-8, percent-encoded), which every browser the bureau uses reads.
"""

from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """`content` as a file to save under `filename`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
