"""The exit codes of `nianbao`, defined once: the command line returns them, `nianbao --help` lists
them, the tests compare with them."""
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0             # success
    ERROR = 1          # unexpected error (a crash; the traceback is printed)
    USAGE = 2          # usage or configuration error: bad arguments, registry, settings, source ids
    SOURCE_NOT_OK = 3  # crawl, nightly: the crawl ran but a source was not ok (blocked or unreachable)
    UNPARSED = 4       # parse: some documents could not be parsed (the others were)


HELP = """exit status:
  0  success
  1  unexpected error (a crash: the traceback is printed)
  2  usage or configuration error (bad arguments, registry, settings or source ids; build: no
     archived document under --data)
  3  crawl, nightly: the crawl ran but a source was not ok (blocked or unreachable); nightly still
     rebuilds the database from the archive
  4  parse: some documents could not be parsed (each has its error; the others were parsed)"""
