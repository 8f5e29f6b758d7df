"""The portal's upload size guard and its message."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _


class EvidenceSizeLimit(FileUploadHandler):
    """Drops any uploaded file past the evidence cap while the other fields are read.

    The request is still parsed to the end, so what the worker typed survives and the
    page can say which file was too large. Nothing past the cap is kept in memory or
    on disk.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.EVIDENCE_MAX_BYTES
        self.too_large: list[str] = []
        self._received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._received = 0

    def receive_data_chunk(self, raw_data, start):
        self._received += len(raw_data)
        if self._received > self.limit:
            self.too_large.append(self.file_name or "")
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


def too_large_message(names) -> str:
    limit = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
    return _("文件“%(names)s”太大：每个文件不能超过%(limit)sMB。请压缩照片或分开上传。") % {
        "names": "、".join(n for n in names if n) or "?",
        "limit": limit,
    }
