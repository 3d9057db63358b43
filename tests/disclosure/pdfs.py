"""Test PDFs with known words at known places (fpdf2, Helvetica: extractable text)."""

from fpdf import FPDF

# Where the secret line is drawn on page 1: as fractions of an A4 page (left, top, right,
# bottom), with room around it.
SECRET_BOX = (0.05, 0.28, 0.95, 0.36)


def letter(secret: str, public: str, pages: int = 2) -> bytes:
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_font("helvetica", size=14)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_xy(20, 30)
        pdf.cell(0, 10, f"{public} sida {number}")
        if number == 1:
            pdf.set_xy(20, 90)  # 90 mm of 297: 0.30 of the page
            pdf.cell(0, 10, secret)
            pdf.set_xy(20, 200)
            pdf.cell(0, 10, f"{public} nederst")
    pdf.set_title(secret)  # a leak through metadata, if the copy kept it
    pdf.set_subject(secret)
    return bytes(pdf.output())
