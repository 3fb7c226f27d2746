#!/usr/bin/env python3
"""Checks the open data with the standards' own tools (tests/open_data.rs runs it).

    check-open-data.py DIR

DIR holds what the server served: release packages (`*.release.json`), record packages
(`*.record.json`), the bulk file's releases (`bulk.jsonl`), CSV files with their Table Schema
descriptors (`NAME.csv`, `NAME.schema.json`).

- Every package goes through lib-cove-ocds (the validator behind the OCDS Data Review Tool)
  with the OCDS 1.1.5 schema and the two declared extensions, vendored under tests/data/ocds/:
  nothing is downloaded (any other request fails).
- Every release of the bulk file validates against the same patched release schema.
- Each record's compiledRelease equals what ocdsmerge computes from the package's releases.
- Each CSV validates against its descriptor with frictionless.

Prints one JSON summary line; exits 1 with the problems on stderr if anything fails.
"""

import json
import pathlib
import sys
import warnings

import io

import requests
import urllib3
from requests.adapters import HTTPAdapter

ROOT = pathlib.Path(__file__).resolve().parent.parent
VENDORED = ROOT / "tests" / "data" / "ocds"
EXTENSIONS = {
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_enquiry_extension/v1.1.5/": VENDORED
    / "enquiry_extension",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/v1.1.5/": VENDORED
    / "location_extension",
}
# The registry's reader fetches an extension as its GitHub archive.
ARCHIVES = {
    f"https://github.com/open-contracting-extensions/{name}/archive/v1.1.5.zip": (name, VENDORED / directory)
    for name, directory in [
        ("ocds_enquiry_extension", "enquiry_extension"),
        ("ocds_location_extension", "location_extension"),
    ]
}
# What the record package schema refers to (jsonref follows it).
STANDARD = {"https://standard.open-contracting.org/schema/1__1__5/": VENDORED / "standard" / "schema"}


def zipped(directory, top):
    """A vendored directory as the ZIP archive of its repository (a first entry for the top
    directory, as GitHub's archives have and the profile builder expects)."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(f"{top}/", "")
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                z.write(path, f"{top}/{path.relative_to(directory)}")
    return buffer.getvalue()


class VendoredOnly(HTTPAdapter):
    """Serves the vendored files; any other URL is an error (no network in the tests)."""

    def send(self, request, **kwargs):
        if request.url in ARCHIVES:
            name, directory = ARCHIVES[request.url]
            return self.answer(request, True, zipped(directory, f"{name}-1.1.5"))
        for prefix, directory in {**EXTENSIONS, **STANDARD}.items():
            if request.url.startswith(prefix):
                path = directory / request.url[len(prefix) :]
                found = path.is_file()
                return self.answer(request, found, path.read_bytes() if found else b"")
        raise requests.ConnectionError(f"no download in the tests: {request.url}")

    def answer(self, request, found, body):
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(body),
            status=200 if found else 404,
            preload_content=False,
            request_url=request.url,
            headers={"Content-Type": "application/octet-stream"},
        )
        return self.build_response(request, raw)


# Every requests session of every library gets the vendored files, and nothing else.
_VENDORED_ONLY = VendoredOnly()
requests.Session.get_adapter = lambda self, url: _VENDORED_ONLY

import jsonschema  # noqa: E402
import libcoveocds.config  # noqa: E402
from libcoveocds.api import ocds_json_output  # noqa: E402
from libcoveocds.schema import SchemaOCDS  # noqa: E402
import ocdsmerge  # noqa: E402
import frictionless  # noqa: E402


STANDARD_ZIP = zipped(VENDORED / "standard", "standard-1__1__5")


def config():
    c = libcoveocds.config.LibCoveOCDSConfig()
    c.config["standard_zip"] = STANDARD_ZIP
    c.config["context"] = "api"
    return c


problems = []


def check_package(path, data, record):
    out = ocds_json_output("", json_data=data, lib_cove_ocds_config=config(), record_pkg=record)
    errors = out.get("validation_errors") or []
    if errors:
        problems.append(f"{path.name}: schema errors {json.dumps(errors, ensure_ascii=False)[:2000]}")
    invalid = out.get("extensions", {}).get("invalid_extension")
    if invalid:
        problems.append(f"{path.name}: extensions not applied {invalid}")
    if out.get("additional_fields_count"):
        problems.append(f"{path.name}: fields outside the schema {out.get('additional_fields')}")
    closed = out.get("additional_closed_codelist_values")
    if closed:
        problems.append(f"{path.name}: values outside closed codelists {closed}")
    return out


def main(directory):
    directory = pathlib.Path(directory)
    summary = {"release_packages": 0, "record_packages": 0, "releases": 0, "bulk_releases": 0, "csv_rows": 0}
    patched = None
    releases_by_ocid = {}
    release_packages = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.release.json"))}
    record_packages = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.record.json"))}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # lib-cove-ocds rebuilds the patched schema at each call (a fifth of a second): every
        # release goes through it in one package, every record in another; each package's own
        # fields are checked below against the same package schemas.
        for packages, record, key in [(release_packages, False, "releases"), (record_packages, True, "records")]:
            if not packages:
                continue
            combined = dict(next(iter(packages.values())))
            combined[key] = [item for package in packages.values() for item in package[key]]
            check_package(pathlib.Path(f"all {key}"), combined, record)
        for name, data in release_packages.items():
            summary["release_packages"] += 1
            summary["releases"] += len(data["releases"])
            for release in data["releases"]:
                releases_by_ocid.setdefault(release["ocid"], []).append(release)
        summary["record_packages"] = len(record_packages)
        schema_obj = SchemaOCDS(
            package_data={"version": "1.1", "extensions": list(EXTENSIONS_URLS)}, lib_cove_ocds_config=config()
        )
        patched = schema_obj.get_schema_obj()
        package_schemas = {
            record: SchemaOCDS(
                package_data={"version": "1.1", "extensions": list(EXTENSIONS_URLS)},
                lib_cove_ocds_config=config(),
                record_pkg=record,
            ).get_pkg_schema_obj(deref=True)
            for record in (False, True)
        }
    for packages, record in [(release_packages, False), (record_packages, True)]:
        validator = jsonschema.Draft4Validator(package_schemas[record], format_checker=jsonschema.FormatChecker())
        for name, data in packages.items():
            for error in sorted(validator.iter_errors(data), key=str)[:3]:
                problems.append(f"{name}: {error.message} at {list(error.absolute_path)}")
    if schema_obj.invalid_extension:
        problems.append(f"extensions not applied: {schema_obj.invalid_extension}")
    if "enquiries" not in json.dumps(patched):
        problems.append("the enquiry extension was not applied to the schema")

    merger = ocdsmerge.Merger(schema=patched)
    for path in sorted(directory.glob("*.record.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for record in data["records"]:
            releases = releases_by_ocid.get(record["ocid"])
            if releases is None:
                problems.append(f"{path.name}: no release package for {record['ocid']}")
                continue
            expected = merger.create_compiled_release(releases)
            if expected != record["compiledRelease"]:
                problems.append(
                    f"{path.name}: compiledRelease differs from ocdsmerge's\n"
                    f"  ours:     {json.dumps(record['compiledRelease'], sort_keys=True, ensure_ascii=False)[:3000]}\n"
                    f"  ocdsmerge: {json.dumps(expected, sort_keys=True, ensure_ascii=False)[:3000]}"
                )

    validator = jsonschema.Draft4Validator(patched, format_checker=jsonschema.FormatChecker())
    bulk = directory / "bulk.jsonl"
    if bulk.exists():
        for n, line in enumerate(bulk.read_text(encoding="utf-8").splitlines(), 1):
            release = json.loads(line)
            errors = sorted(validator.iter_errors(release), key=str)
            if errors:
                problems.append(f"bulk.jsonl line {n}: {errors[0].message} at {list(errors[0].absolute_path)}")
            summary["bulk_releases"] += 1

    for path in sorted(directory.glob("*.csv")):
        schema = directory / (path.stem + ".schema.json")
        descriptor = json.loads(schema.read_text(encoding="utf-8"))
        report = frictionless.validate(
            frictionless.Resource(
                path=path.name, basepath=str(directory), schema=frictionless.Schema.from_descriptor(descriptor)
            ),
        )
        if not report.valid:
            flat = report.flatten(["rowNumber", "fieldName", "type", "note"])
            problems.append(f"{path.name}: {flat[:10]}")
        with open(path, encoding="utf-8-sig", newline="") as f:
            summary["csv_rows"] += max(sum(1 for _ in __import__("csv").reader(f)) - 1, 0)

    print(json.dumps(summary))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)


EXTENSIONS_URLS = [prefix + "extension.json" for prefix in EXTENSIONS]

if __name__ == "__main__":
    main(sys.argv[1])
