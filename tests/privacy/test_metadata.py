"""Evidence copies for experts keep pages and pixels and lose the metadata naming the consumer."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Text
from pypdf.generic import NameObject, TextStringObject
from reportlab.pdfgen import canvas

from disputes.privacy.metadata import MetadataError, without_metadata

XMP = b"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Zhang San</dc:creator>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


def identified_pdf() -> bytes:
    """A one-page PDF whose information, XMP and annotation name its author."""
    buffer = BytesIO()
    page = canvas.Canvas(buffer)
    page.setAuthor("Zhang San 13912345678")
    page.setTitle("Zhang San invoice")
    page.drawString(100, 700, "repair order 42")
    page.save()
    writer = PdfWriter(clone_from=PdfReader(BytesIO(buffer.getvalue())))
    writer.xmp_metadata = XMP
    note = writer.add_annotation(0, Text(text="note", rect=(50, 550, 200, 650)))
    note[NameObject("/T")] = TextStringObject("Zhang San")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_copy_has_its_pages_and_no_author():
    original = identified_pdf()
    assert b"Zhang San" in original

    clean = without_metadata(original, "application/pdf")

    reader = PdfReader(BytesIO(clean))
    assert b"Zhang" not in clean
    assert not reader.metadata
    assert reader.xmp_metadata is None
    assert "repair order 42" in reader.pages[0].extract_text()


def photo(fmt: str) -> bytes:
    """A small picture with the owner's name and a GPS position in EXIF (and a PNG text chunk)."""
    exif = Image.Exif()
    exif[0x013B] = "Zhang San"  # Artist
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}  # GPS
    out = BytesIO()
    image = Image.new("RGB", (40, 30), "red")
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", "Zhang San")
        image.save(out, "PNG", exif=exif, pnginfo=text)
    else:
        image.save(out, "JPEG", exif=exif, comment=b"Zhang San")
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png")])
def test_a_photo_copy_has_its_pixels_and_no_exif_or_gps(fmt, content_type):
    original = photo(fmt)
    assert b"Zhang San" in original

    clean = without_metadata(original, content_type)

    assert b"Zhang" not in clean
    with Image.open(BytesIO(clean)) as image:
        assert image.format == fmt
        assert image.size == (40, 30)
        assert not image.getexif()
        assert image.convert("RGB").getpixel((20, 15))[0] > 240


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(b"%PDF-1.4\n%%EOF\n", "application/pdf"), (b"\xff\xd8\xff\xe0" + b"\0" * 64, "image/jpeg")],
)
def test_a_file_that_cannot_be_read_gives_no_copy(data, content_type):
    with pytest.raises(MetadataError):
        without_metadata(data, content_type)
