"""The crawler's named errors. Library code raises these and never exits; the command line
(`nianbao/cli.py`) turns them into exit codes (`nianbao/exitcodes.py`)."""


class ConfigurationError(Exception):
    """The crawl cannot start as asked: a bad registry, an unknown source, unusable settings."""


class RegistryError(ConfigurationError, ValueError):
    """The sources registry (crawler/sources.yaml or NIANBAO_REGISTRY) is unreadable or invalid, or a
    source id asked for is not in it."""


class SettingsError(ConfigurationError):
    """A settings module that cannot be imported, a malformed KEY=VALUE, or settings that do not fit
    the crawl asked for (replica-only settings without a replica, a replica without its routing)."""


class CrawlError(Exception):
    """The crawl ran but could not work: a crawler could not open its archive or the crawl state."""
