"""Files the conversion tests make themselves: office documents, scans, hostile files."""

import io
import zipfile
from pathlib import Path

import pikepdf
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

OOXML_PKG = "http://schemas.openxmlformats.org/package/2006"
OOXML_DOC = "http://schemas.openxmlformats.org/officeDocument/2006"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Types xmlns="{OOXML_PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{WORD_MAIN}"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Relationships xmlns="{OOXML_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{OOXML_DOC}/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    "</Relationships>"
)


def docx(path: Path, *paragraphs: str) -> Path:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)
    return path


def zip_bomb_docx(path: Path) -> Path:
    """A DOCX-shaped ZIP whose document unpacks to a gigabyte of zeros."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(1024):
                member.write(block)
    return path


def scanned_letter(path: Path, lines: list[str]) -> Path:
    """A page of Swedish text as a 300 dpi greyscale JPEG, as a scanner would make it."""
    image = Image.new("L", (2480, 1200), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 64)
    for number, line in enumerate(lines):
        draw.text((160, 160 + number * 110), line, fill=0, font=font)
    image.save(path, "JPEG", quality=92, dpi=(300, 300))
    return path


def encrypted_pdf(source: Path, path: Path) -> Path:
    with pikepdf.open(source) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="hemligt", owner="hemligt"))
    return path


def pdf_with_javascript(path: Path) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)"))
    pdf.Root.OpenAction = action
    buffer = io.BytesIO()
    pdf.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path
