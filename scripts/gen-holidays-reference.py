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
- guadeloupe, martinique, guyane, la_reunion, mayotte: holidays.France(subdiv=...) with the
                  département number ("971", "972", "973", "974", "976"); every alias the library
                  lists for it ("GP", "Guadeloupe"...) must give the same list (checked below).
Saint-Pierre-et-Miquelon ("PM", once numbered 975) is a collectivité, not a département, and the
Rust code gives it the metropolitan list: checked below to be what the library gives too.
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

# Rust region -> (subdivision code, aliases of the code in the library).
OVERSEAS = {
    "guadeloupe": ("971", ("GP", "GUA", "Guadeloupe")),
    "martinique": ("972", ("MQ", "Martinique")),
    "guyane": ("973", ("GY", "Guyane")),
    "la_reunion": ("974", ("RE", "LRE", "La Réunion")),
    "mayotte": ("976", ("YT", "MAY", "Mayotte")),
}


def france(subdiv=None):
    return holidays.France(subdiv=subdiv, years=YEARS, language="fr")


def rows(region, calendar):
    for day in sorted(calendar):
        for name in calendar.get_list(day):
            yield (region, day.isoformat(), name)


def main():
    if holidays.__version__ != PINNED:
        sys.exit(f"holidays {holidays.__version__} installed, {PINNED} expected (see header)")
    metropole = france()
    alsace = france("6AE")
    if dict(alsace) != dict(france("57")):
        sys.exit("subdivisions 6AE and 57 differ: Alsace-Moselle is no longer one region")
    if dict(france("PM")) != dict(metropole):
        sys.exit("Saint-Pierre-et-Miquelon (PM) has holidays of its own, not the metropolitan list")
    regions = {"metropole": metropole, "alsace_moselle": alsace}
    for region, (code, aliases) in OVERSEAS.items():
        if code not in holidays.France.subdivisions:
            sys.exit(f"subdivision {code} ({region}) is no longer in the library")
        regions[region] = france(code)
        for alias in aliases:
            if holidays.France.subdivisions_aliases.get(alias) != code:
                sys.exit(f"{alias!r} is no longer an alias of {code} ({region})")
            if dict(france(alias)) != dict(regions[region]):
                sys.exit(f"subdivision {code} and its alias {alias!r} differ ({region})")
    out = sorted(row for region, calendar in regions.items() for row in rows(region, calendar))
    for _, _, name in out:
        if "," in name or '"' in name:
            sys.exit(f"name {name!r} needs CSV quoting, which the Rust test does not parse")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("region", "date", "name"))
        writer.writerows(out)
    print(f"{len(out)} rows written to {OUT}")
    for region in regions:
        print(f"  {region}: {sum(1 for r in out if r[0] == region)} rows")


if __name__ == "__main__":
    main()
