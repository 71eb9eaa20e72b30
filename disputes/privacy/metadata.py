"""Evidence copies without the metadata that can name the consumer, for readers who must not learn
who filed (experts).

A PDF carries its author and title in the document information and XMP, and annotations carry
their author; a photo carries EXIF (camera owner, GPS position) and text chunks. The copy keeps
the pages and the pixels and drops everything else. pypdf rewrites the PDF; Pillow re-encodes the
image from its pixels alone (a JPEG with its own quantisation tables, so it keeps its quality).
"""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject

#: Page and annotation entries that hold who made or edited the document, not what it shows.
PAGE_KEYS = ("/Metadata", "/PieceInfo")
ANNOTATION_KEYS = ("/T", "/Popup", "/RC")


class MetadataError(Exception):
    """The file cannot be read well enough to make a clean copy."""


def without_metadata(data: bytes, content_type: str) -> bytes:
    """Return a copy of PDF, JPEG or PNG `data` without metadata (MetadataError if unreadable)."""
    if content_type == "application/pdf":
        return _clean_pdf(data)
    if content_type in ("image/jpeg", "image/png"):
        return _clean_image(data)
    raise MetadataError(content_type)


def _clean_pdf(data: bytes) -> bytes:
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise MetadataError("encrypted")
        writer = PdfWriter()
        for page in reader.pages:
            copied = writer.add_page(page)
            for key in PAGE_KEYS:
                copied.pop(NameObject(key), None)
            for ref in copied.get("/Annots") or []:
                annotation = ref.get_object()
                for key in ANNOTATION_KEYS:
                    annotation.pop(NameObject(key), None)
        writer.metadata = None
        out = BytesIO()
        writer.write(out)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise MetadataError(str(error)) from error
    return out.getvalue()


def _clean_image(data: bytes) -> bytes:
    try:
        with Image.open(BytesIO(data)) as image:
            kind = image.format
            upright = ImageOps.exif_transpose(image)
            if upright.mode in ("P", "PA"):
                upright = upright.convert("RGBA")
            # A new image from the pixels alone: no EXIF, XMP, comment or text chunk goes along.
            pixels = Image.frombytes(upright.mode, upright.size, upright.tobytes())
            out = BytesIO()
            if kind == "JPEG":
                pixels.save(out, "JPEG", qtables=image.quantization)
            else:
                pixels.save(out, "PNG")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as error:
        raise MetadataError(str(error)) from error
    return out.getvalue()
