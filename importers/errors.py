class ImportFailed(Exception):
    """An import that cannot go on; the message is meant for the person who ran it."""
