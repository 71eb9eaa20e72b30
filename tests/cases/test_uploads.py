"""cases/uploads.py: files are recognised by content, not by name, and stored out of reach."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

from disputes.cases import uploads
from tests.cases.filing import JPEG, PDF, PNG


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        pytest.param(PDF, "application/pdf", id="pdf"),
        pytest.param(PNG, "image/png", id="png"),
        pytest.param(JPEG, "image/jpeg", id="jpeg"),
        pytest.param(b"GIF89a....", None, id="gif"),
        pytest.param(b"<script>alert(1)</script>", None, id="html"),
        pytest.param(b"MZ\x90\x00", None, id="windows-exe"),
    ],
)
def test_sniff_recognises_only_pdf_jpeg_png(head, content_type):
    assert uploads.sniff(head) == content_type


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("发票.PDF", "application/pdf"),
        ("a.jpeg", "image/jpeg"),
        ("a.JPG", "image/jpeg"),
        ("a.png", "image/png"),
        ("a.pdf.exe", None),
        ("no-extension", None),
    ],
)
def test_declared_type_comes_from_the_name_ending(name, content_type):
    assert uploads.declared_type(name) == content_type


def test_write_file_keeps_no_partial_file_and_hides_the_name(app):
    with app.app_context():
        stored = uploads.write_file(FileStorage(io.BytesIO(PDF), filename="../../发票.pdf"))
        path = uploads.path_of(stored.stored_name)

        assert stored.original_name == "发票.pdf"
        assert path.read_bytes() == PDF
        assert list(path.parent.iterdir()) == [path]
        assert uploads.upload_root().resolve() in path.parents

        uploads.delete_stored(stored.stored_name)
        assert not path.parent.exists()


def test_a_relative_upload_folder_is_inside_the_instance_folder(app):
    app.config["UPLOAD_FOLDER"] = "uploads"
    with app.app_context():
        assert uploads.upload_root() == uploads.Path(app.instance_path) / "uploads"


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        pytest.param("A" * 1000 + ".pdf", "A" * 251 + ".pdf", id="ascii"),
        pytest.param("发" * 300 + ".PDF", "发" * 83 + ".PDF", id="chinese-never-split"),
        pytest.param("A" * 251 + ".pdf", "A" * 251 + ".pdf", id="exactly-255-bytes"),
        pytest.param("B" * 300, "B" * 255, id="no-extension"),
        pytest.param("a." + "x" * 300, "a." + "x" * 253, id="no-real-extension"),
    ],
)
def test_a_long_name_is_shortened_to_255_bytes_keeping_its_extension(name, kept):
    assert uploads.clean_name(name) == kept
    assert len(kept.encode()) <= uploads.MAX_NAME_BYTES


def test_a_pdf_with_a_1000_character_name_is_stored_under_a_shortened_name(app):
    storage = FileStorage(io.BytesIO(PDF), filename="维修记录" * 250 + ".pdf")

    with app.app_context():
        content, content_type, name = uploads.check_file(storage)

    assert content_type == "application/pdf"
    assert name.startswith("维修记录")
    assert name.endswith("记.pdf")
    assert len(name.encode()) <= 255
