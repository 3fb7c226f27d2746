#!/usr/bin/env python3
"""Write tests/data/holidays-fr.csv: French public holidays 1990-2100 from the peer library.

Reference library: PyPI `holidays` == 0.109 (pinned: the output is checked in and a newer
release may change names or history). Regenerate with:

    pip install holidays==0.109
    python3 scripts/gen-holidays-reference.py

Regions (named like the Rust `Region` serde values):
- metropole:      holidays.France() without subdivision.
- alsace_moselle: holidays.France(subdiv="6AE") (Alsace). The library also has "57" (Moselle), which
                  must give the same list (checked below); "Alsace-Moselle" is a deprecated alias.
When two holidays fall on the same day (Ascension on 1 May 2008) the library joins their names;
the CSV has one row per holiday.
"""

import csv
import sys
from pathlib import Path

import holidays

PINNED = "0.109"
YEARS = range(1990, 2101)
OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "holidays-fr.csv"


def rows(region, calendar):
    for day in sorted(calendar):
        for name in calendar.get_list(day):
            yield (region, day.isoformat(), name)


def main():
    if holidays.__version__ != PINNED:
        sys.exit(f"holidays {holidays.__version__} installed, {PINNED} expected (see header)")
    metropole = holidays.France(years=YEARS, language="fr")
    alsace = holidays.France(subdiv="6AE", years=YEARS, language="fr")
    moselle = holidays.France(subdiv="57", years=YEARS, language="fr")
    if dict(alsace) != dict(moselle):
        sys.exit("subdivisions 6AE and 57 differ: Alsace-Moselle is no longer one region")
    out = sorted(list(rows("metropole", metropole)) + list(rows("alsace_moselle", alsace)))
    for _, _, name in out:
        if "," in name or '"' in name:
            sys.exit(f"name {name!r} needs CSV quoting, which the Rust test does not parse")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("region", "date", "name"))
        writer.writerows(out)
    print(f"{len(out)} rows written to {OUT}")


if __name__ == "__main__":
    main()
