"""The upload service (app.imports.services.upload): one note per file, in the user's language."""

import pytest
from django.utils import translation

from app.imports.models import ImportFile
from app.imports.services.upload import store_uploads
from tests.imports.conftest import good_rows, upload_file, workbook_bytes

pytestmark = pytest.mark.django_db


def test_every_file_gets_its_note_and_a_refused_one_does_not_stop_the_others(importer):
    files = [
        upload_file("notlar.txt", b"metin"),  # refused outright: nothing kept
        upload_file("bos.xlsx", workbook_bytes([])),  # kept, but cannot be imported
        upload_file("iyi.xlsx", workbook_bytes(good_rows())),
    ]

    refused, failed, good = store_uploads(files=files, user_id=importer.id)

    assert refused.import_file is None and refused.is_error and "desteklenmeyen dosya türü" in refused.text
    assert failed.import_file.status == ImportFile.Status.FAILED and failed.is_error
    assert failed.text.startswith("“bos.xlsx” içe aktarılamaz: ")
    assert good.import_file.status == ImportFile.Status.VALIDATED and not good.is_error
    assert good.text == "“iyi.xlsx” yüklendi: 3 geçerli, 0 hatalı satır. Önizlemeyi kontrol edip onaylayın."
    assert sorted(ImportFile.objects.values_list("original_name", flat=True)) == ["bos.xlsx", "iyi.xlsx"]


def test_notes_speak_english_under_en(importer):
    with translation.override("en"):
        (note,) = store_uploads(files=[upload_file("iyi.xlsx", workbook_bytes(good_rows()))], user_id=importer.id)

    assert note.text == "“iyi.xlsx” uploaded: 3 valid rows, 0 with errors. Check the preview and confirm."
