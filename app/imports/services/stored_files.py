"""The bytes of an upload: kept in the database, read through a local file.

The database copy (ImportFileChunk) is the original: every host that reaches the database reads
it, and the nightly pg_dump backs it up. The copy under MEDIA_ROOT that the receiving web host
writes is only a shortcut for that host, used when it is there and its SHA-256 is the upload's
(docs/imports.md, "Stored files").
"""

import hashlib
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

from django.utils.translation import gettext as _

from app.imports.models import ImportFile, ImportFileChunk
from app.imports.services.reading import UnreadableFile

logger = logging.getLogger(__name__)


def store_content(*, import_file_id: int, content: IO[bytes]) -> None:
    """Save the upload's bytes in the database, from the start of `content`, in pieces of
    CHUNK_BYTES. Call it in the transaction that creates the ImportFile."""
    content.seek(0)
    number = 0
    # Piece 0 even for an empty file: a file with no piece at all is one never stored.
    while (data := content.read(ImportFileChunk.CHUNK_BYTES)) or number == 0:
        ImportFileChunk.objects.create(import_file_id=import_file_id, number=number, data=data)
        number += 1
    content.seek(0)


def has_content(import_file_id: int) -> bool:
    return ImportFileChunk.objects.filter(import_file_id=import_file_id).exists()


@contextmanager
def local_copy(import_file: ImportFile) -> Iterator[Path]:
    """The upload as a file on this host, for the readers (they open paths): the MEDIA_ROOT copy
    when this host has it and its SHA-256 is the upload's, otherwise the database's bytes written
    to a temporary file, deleted on exit.

    Raises UnreadableFile when neither copy is there, or when what is there is not the upload
    (its SHA-256 differs).
    """
    disk = _disk_path(import_file)
    if disk is not None and (not import_file.sha256 or sha256_of(disk) == import_file.sha256):
        yield disk
        return
    if not has_content(import_file.pk):
        raise _changed() if disk else UnreadableFile(_("Yüklenen dosya sunucuda bulunamadı; yeniden yükleyin."))
    if disk is not None:
        logger.warning("disk copy of import file %s differs from the upload; reading the database's", import_file.pk)
    with tempfile.TemporaryDirectory(prefix="macmerkezi-import-") as directory:
        # The stored name's suffix: the readers see the same kind of name as on the web host.
        path = Path(directory) / f"upload{PurePosixPath(import_file.file.name or import_file.original_name).suffix}"
        digest = _write_content(import_file.pk, path)
        if import_file.sha256 and digest != import_file.sha256:
            raise _changed()
        yield path


def _changed() -> UnreadableFile:
    return UnreadableFile(_("Dosya yüklendikten sonra değişmiş; yeniden yükleyin."))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(ImportFileChunk.CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _disk_path(import_file: ImportFile) -> Path | None:
    if not import_file.file:
        return None
    path = Path(import_file.file.path)
    return path if path.is_file() else None


def _write_content(import_file_id: int, path: Path) -> str:
    """Write the stored pieces to `path`, one at a time; returns the SHA-256 of what was written."""
    digest = hashlib.sha256()
    pieces = ImportFileChunk.objects.filter(import_file_id=import_file_id).order_by("number")
    with path.open("wb") as handle:
        # One piece in memory at a time (pk, then each piece by itself, whatever the backend's cursors).
        for pk in pieces.values_list("pk", flat=True):
            data = bytes(ImportFileChunk.objects.values_list("data", flat=True).get(pk=pk))
            digest.update(data)
            handle.write(data)
    return digest.hexdigest()
