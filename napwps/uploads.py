"""Uploads are read no further than the largest file any page accepts (settings.UPLOAD_MAX_BYTES).

Django streams an uploaded file to memory or to a temporary file, however large it is, before any
view sees it (middleware reading request.POST parses the body first). `BoundedUploadHandler`, first
in FILE_UPLOAD_HANDLERS, stops passing a file's bytes on once it exceeds the limit: the part already
written is dropped, the rest is read and discarded, and the file is missing from request.FILES. Its
field name is kept in `request.upload_too_large` so that the page can say why, instead of "required".
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


def too_large(request) -> set[str]:
    """The names of the file fields of this request that were larger than UPLOAD_MAX_BYTES."""
    return getattr(request, "upload_too_large", set())


class BoundedUploadHandler(FileUploadHandler):
    """Skip any uploaded file larger than settings.UPLOAD_MAX_BYTES (see the module's docstring)."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            if self.request is not None:
                if not hasattr(self.request, "upload_too_large"):
                    self.request.upload_too_large = set()
                self.request.upload_too_large.add(self.field_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) makes the file
