"""The exit codes of `nianbao`, defined once: the command line returns them, `nianbao --help` lists
them (HELP, made from MEANING), the tests compare with them."""
import textwrap
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    SOURCE_NOT_OK = 3
    UNPARSED = 4
    LOCKED = 5
    UNRECOGNISED = 6
    ARCHIVE_PROBLEMS = 7


MEANING = {
    ExitCode.OK: "success",
    ExitCode.ERROR: "unexpected error (a crash: the traceback is printed; or a crawl that could not open its "
                    "archive)",
    ExitCode.USAGE: "usage or configuration error (bad arguments, registry, settings or source ids; build: no "
                    "archived document under --data)",
    ExitCode.SOURCE_NOT_OK: "crawl, nightly: the crawl ran but a source was not ok (blocked, unreachable, or "
                            "incomplete_list: a column listed fewer rows than it declares; nightly: or went empty); "
                            "nightly still rebuilds and releases the database",
    ExitCode.UNPARSED: "parse: some documents could not be parsed (over the time or memory limit, not a regular "
                       "file, ...), or print the template's labels but no table was read (each says so; the "
                       "others were parsed)",
    ExitCode.LOCKED: "nightly: another nightly run holds the lock on the data directory; this one did nothing",
    ExitCode.UNRECOGNISED: "probe: the page is on no platform the crawler knows (what it saw is printed)",
    ExitCode.ARCHIVE_PROBLEMS: "build, nightly: the database was built and put in place, but part of the archive "
                               "could not be used (a torn WARC record, a report body missing; listed in the "
                               "archive_problems table); check-archive: the archive has torn or unreadable records",
}

HELP = "exit status:\n" + "\n".join(
    textwrap.fill(text, width=100, initial_indent=f"  {code.value}  ", subsequent_indent="     ")
    for code, text in MEANING.items())
