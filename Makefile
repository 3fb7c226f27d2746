# The two commands of the README. Everything else is in scripts/.
#
#   make run    installs what is missing, builds in release, serves http://127.0.0.1:3000 with demo data
#   make test   every check: format, clippy (server and browser), Rust tests on SQLite and
#               PostgreSQL, Playwright journeys in Chromium against the release server
.PHONY: run test build
run:
	scripts/run.sh
test:
	scripts/test.sh
build:
	scripts/build.sh
