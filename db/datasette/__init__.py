"""What the site's plugins (db/datasette/plugins/, loaded by `datasette --plugins-dir`) share: their
configuration, written into the metadata by db.metadata."""


def config(datasette):
    return datasette.plugin_config("nianbao") or {}


def database(datasette):
    """The nianbao database of this server (Datasette names it after the file)."""
    name = config(datasette).get("database")
    return datasette.get_database(name) if name in datasette.databases else datasette.get_database()
