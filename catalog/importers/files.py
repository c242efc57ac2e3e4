"""Opening a catalog file: plain or gzip, and which of the two formats it is."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CSV = "csv"
OFFLINE_DB = "offline-db"
FORMATS = (CSV, OFFLINE_DB)

_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class CatalogFileError(Exception):
    """The file as a whole cannot be imported (missing, compressed in an unknown way, wrong format)."""


@contextmanager
def open_catalog(path: Path) -> Iterator[io.BufferedIOBase]:
    """The file's bytes, decompressed if it is gzip (told by its content, not its name)."""
    try:
        raw = path.open("rb")
    except OSError as error:
        raise CatalogFileError(f"cannot open {path}: {error.strerror}") from error
    with raw:
        magic = raw.read(4)
        raw.seek(0)
        if magic == _ZSTD_MAGIC:
            # Python 3.13 has no zstd module, and a dependency for one download is not worth it.
            plain = (
                path.with_suffix("")
                if path.suffix == ".zst"
                else path.with_name(path.name + ".out")
            )
            raise CatalogFileError(
                f"{path} is zstd-compressed, which the importer cannot read. Decompress it first"
                f" with `zstd -d {path} -o {plain}` (Debian: apt-get install zstd), then import {plain}."
            )
        if magic.startswith(_GZIP_MAGIC):
            with gzip.GzipFile(fileobj=raw) as unzipped:
                yield unzipped
        else:
            yield raw


def detect_format(path: Path, stream: io.BufferedIOBase) -> str:
    """CSV or offline-db from the name (.csv, .jsonl, .json, each maybe .gz), else the content."""
    suffixes = [suffix.lower() for suffix in path.suffixes if suffix.lower() != ".gz"]
    if suffixes and suffixes[-1] == ".csv":
        return CSV
    if suffixes and suffixes[-1] in {".jsonl", ".json"}:
        return OFFLINE_DB
    try:
        start = stream.peek(64)
    except (OSError, EOFError) as error:
        raise CatalogFileError(f"cannot read {path}: {error}") from error
    return OFFLINE_DB if start.lstrip().startswith(b"{") else CSV
