"""The staff API's schema leaves the open public API out (it has a schema of its own)."""


def without_public_api(endpoints):
    return [e for e in endpoints if not e[0].startswith("/api/public/")]
