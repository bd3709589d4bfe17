"""What the site's plugins (db/datasette/plugins/, loaded by `datasette --plugins-dir`) share: their
configuration, written into the metadata by db.metadata."""
from pathlib import Path


def config(datasette):
    return datasette.plugin_config("nianbao") or {}


def database(datasette):
    """The nianbao database of this server (Datasette names it after the file)."""
    name = config(datasette).get("database")
    return datasette.get_database(name) if name in datasette.databases else datasette.get_database()


def archive_dir(datasette):
    """The archive directory: the metadata holds it relative to the database's directory (db.serve), so
    /-/metadata.json shows no absolute server path. None when the server has no archive."""
    relative = config(datasette).get("archive_dir")
    if not relative:
        return None
    return (Path(database(datasette).path).resolve().parent / relative).resolve()
