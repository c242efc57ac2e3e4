"""The form that takes a MyAnimeList list export for import."""

from __future__ import annotations

import gzip
import io
import zlib

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from userlists.mal import ListFileError, MalEntry, parse_list

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Unpacked, a list of 30,000 anime is about 20 MB; a file that unpacks to more is a zip bomb,
# or at least more than one request should parse.
MAX_LIST_BYTES = 20 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


class MalImportForm(forms.Form):
    file = forms.FileField(
        label="MyAnimeList export",
        help_text=f"The .xml.gz or .xml file, at most {filesizeformat(MAX_UPLOAD_BYTES)}.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xml,.gz,application/xml,application/gzip"}
        ),
    )

    def clean_file(self) -> list[MalEntry]:
        """The file's entries, parsed; the cleaned value is the list, not the upload."""
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; the limit is "
                f"{filesizeformat(MAX_UPLOAD_BYTES)}. Upload the .xml.gz MyAnimeList gives you."
            )
        try:
            return parse_list(_unpacked(upload.read()))
        except ListFileError as error:
            raise forms.ValidationError(str(error)) from error


def _unpacked(data: bytes) -> bytes:
    """The XML, ungzipped if it came gzipped (told by its first bytes, not its name)."""
    if not data.startswith(_GZIP_MAGIC):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
            xml = unzipped.read(MAX_LIST_BYTES + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise ListFileError("The file looks gzipped but is damaged or incomplete.") from error
    if len(xml) > MAX_LIST_BYTES:
        raise ListFileError(
            f"The list unpacks to more than {filesizeformat(MAX_LIST_BYTES)}, too large to import."
        )
    return xml
