"""Write the sample files of the make-sip payroll example (docs/make-sip.md).

    python docs/examples/payroll/generate.py OUT_DIR

Creates, in OUT_DIR, the files that docs/examples/payroll/metadata.csv describes: a yearly
payroll summary (CSV) per year 1996-2010 and an employment record (plain text) for each of
three employees. Everyone in them is invented; the identity numbers are made up, with valid
check digits. The output is the same on every run, so the metadata file matches it."""

import csv
import random
import sys
from pathlib import Path

EMPLOYEES = [  # (employee number, name, personnummer, position, start year, end year)
    ("1001", "Astrid Exempel", "19580314-3584", "Lönehandläggare", 1996, 2010),
    ("1002", "Bertil Prov", "19621105-5675", "Vaktmästare", 1996, 2004),
    ("1003", "Cecilia Test", "19750622-9181", "Undersköterska", 2001, 2010),
]
YEARS = range(1996, 2011)


def payroll(year: int, rng: random.Random) -> list[list[str]]:
    rows = [["anstallningsnummer", "namn", "befattning", "arslon_kr", "skatt_kr",
             "semesterdagar"]]
    for number, name, _pnr, position, first, last in EMPLOYEES:
        if first <= year <= last:
            salary = 180_000 + (year - 1996) * 6_000 + rng.randrange(0, 20_000, 100)
            rows.append([number, name, position, str(salary), str(round(salary * 0.31)),
                         str(25 + rng.randrange(0, 6))])
    return rows


def main(out: Path) -> None:
    rng = random.Random(1996)  # fixed seed: the same files on every run
    for year in YEARS:
        target = out / "lonelistor" / f"lonelista-{year}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter=";").writerows(payroll(year, rng))
    for number, name, pnr, position, first, last in EMPLOYEES:
        target = out / "anstallda" / f"{number}-anstallning.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            f"Anställningsuppgifter\n\nAnställningsnummer: {number}\nNamn: {name}\n"
            f"Personnummer: {pnr}\nBefattning: {position}\n"
            f"Anställd: {first}-01-01\nSlutade: {last}-12-31\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
