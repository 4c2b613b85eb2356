"""Uploaded files are judged by size, extension and their real first bytes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.core.errors import ApplicationError
from sinergi.core.uploads import MB, UploadRule, check_upload, check_uploaded_file, size_text

RULE = UploadRule(extensions=("pdf", "jpg", "png"), max_bytes=2 * MB, field="evidence_file")
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def _refusal(code: str, **file) -> str:
    with pytest.raises(ApplicationError) as caught:
        check_upload(RULE, **file)
    assert caught.value.code == code
    (message,) = caught.value.field_errors["evidence_file"]
    assert message == str(caught.value)
    return message


def test_a_real_pdf_is_accepted_with_its_mime_type():
    checked = check_upload(RULE, name="Laporan Juli.PDF", size=1200, head=PDF)
    assert (checked.extension, checked.content_type) == ("pdf", "application/pdf")


def test_a_renamed_program_is_refused_by_its_content():
    assert _refusal("file_content", name="surat.pdf", size=900, head=b"MZ\x90\x00\x03") == (
        "Isi berkas bukan berkas PDF yang sebenarnya (mungkin berkas jenis lain yang diganti "
        "namanya). Unggah berkas PDF, JPG atau PNG, paling besar 2 MB."
    )


def test_an_extension_outside_the_rule_is_refused():
    assert _refusal("file_type", name="data.exe", size=900, head=b"MZ") == (
        "Berkas berakhiran “.exe” tidak diterima di sini. "
        "Unggah berkas PDF, JPG atau PNG, paling besar 2 MB."
    )


def test_empty_and_oversized_files_are_refused_saying_the_limit():
    assert _refusal("file_empty", name="a.pdf", size=0, head=b"").startswith("Berkas kosong.")
    assert _refusal("file_too_large", name="a.pdf", size=2 * MB + 1, head=PDF).startswith(
        "Berkas berukuran 2,1 MB, lebih besar dari batas 2 MB."
    )


def test_an_uploaded_file_is_read_from_its_start_and_left_there():
    upload = SimpleUploadedFile("bukti.pdf", PDF + b"x" * 100)
    upload.read(5)
    assert check_uploaded_file(RULE, upload).extension == "pdf"
    assert upload.tell() == 0


def test_sizes_are_written_in_whole_units():
    assert [size_text(n) for n in (1, 1024, 1536, 5 * MB, 5 * MB + 1)] == [
        "1 KB",
        "1 KB",
        "2 KB",
        "5 MB",
        "5,1 MB",
    ]


def test_a_rule_cannot_name_a_format_without_a_known_signature():
    with pytest.raises(ValueError, match="exe"):
        UploadRule(extensions=("pdf", "exe"), max_bytes=MB)


def test_the_allowed_text_and_accept_attribute_follow_the_rule():
    assert RULE.allowed_text() == "PDF, JPG atau PNG, paling besar 2 MB"
    assert RULE.accept_attribute() == ".pdf,.jpg,.png"
