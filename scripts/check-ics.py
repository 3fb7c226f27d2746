#!/usr/bin/env python3
"""Check an iCalendar file written by the calendar engine and print its events.

Usage: python3 scripts/check-ics.py FILE.ics   (needs PyPI `icalendar`, tested with 7.3.0)

Fails (exit 1) unless the file is CRLF-terminated with lines of at most 75 octets (RFC 5545 3.1),
parses with `icalendar`, and every event has UID, DTSTAMP, SUMMARY and an all-day DTSTART with an
exclusive DTEND after it. UIDs must be unique. Prints one tab-separated line per event:
UID, first day, last day (included), SUMMARY, DESCRIPTION (line breaks shown as \\n).
"""

import datetime
import sys

from icalendar import Calendar


def fail(message):
    print(f"check-ics: {message}", file=sys.stderr)
    sys.exit(1)


def check_lines(raw):
    if not raw.endswith(b"\r\n"):
        fail("the file must end with CRLF")
    for number, line in enumerate(raw.split(b"\r\n")[:-1], start=1):
        if b"\n" in line or b"\r" in line:
            fail(f"line {number}: bare CR or LF")
        if len(line) > 75:
            fail(f"line {number}: {len(line)} octets, more than 75")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            fail(f"line {number}: folded inside a UTF-8 character, or not UTF-8")


def main():
    if len(sys.argv) != 2:
        fail("usage: check-ics.py FILE.ics")
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    check_lines(raw)
    calendar = Calendar.from_ical(raw.decode("utf-8"))
    name = calendar.get("X-WR-CALNAME") or calendar.get("NAME")
    print(f"calendar\t{name}")
    uids = set()
    count = 0
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "SUMMARY", "DTSTART", "DTEND"):
            if required not in event:
                fail(f"event without {required}: {event.get('UID')}")
        uid = str(event["UID"])
        if uid in uids:
            fail(f"duplicate UID {uid}")
        uids.add(uid)
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        all_day = [type(value) is datetime.date for value in (start, end)]
        if not all(all_day):
            fail(f"{uid}: DTSTART and DTEND must be dates (VALUE=DATE)")
        if end <= start:
            fail(f"{uid}: DTEND {end} must be after DTSTART {start} (it is exclusive)")
        last = end - datetime.timedelta(days=1)
        description = str(event.get("DESCRIPTION", "")).replace("\n", "\\n")
        print(f"{uid}\t{start}\t{last}\t{event['SUMMARY']}\t{description}")
        count += 1
    print(f"{count} events")


if __name__ == "__main__":
    main()
