"""Building a store from its configuration: a mapping with `kind` ("filesystem", the
default, with `path`; or "s3" with `bucket` and the options below), as given in
DIARIUM_FILE_STORE and in each entry of DIARIUM_ARCHIVE_LOCATIONS (docs/configuration.md).

S3 options: bucket (required), prefix, endpoint_url, region, addressing_style
(auto|path|virtual), profile, access_key_id, secret_access_key, session_token, verify_tls
(true, false or a CA bundle path), part_size (bytes, at least 5 MiB; default 8 MiB),
conditional_writes (default true), checksums (when_supported|when_required), connections.
Credentials may also come from boto3's usual places (AWS_* variables, a profile, an instance
role); they are never stored in the database (`public_options`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import Store

KINDS = ("filesystem", "s3")
SECRETS = frozenset({"access_key_id", "secret_access_key", "session_token"})
S3_OPTIONS = frozenset({"bucket", "prefix", "endpoint_url", "region", "addressing_style",
                        "profile", "verify_tls", "part_size", "conditional_writes",
                        "checksums", "connections"}) | SECRETS
_cache: dict[str, Store] = {}
_lock = threading.Lock()


def check(name: str, config: Mapping) -> dict:
    """The configuration, checked (ImproperlyConfigured names what is wrong)."""
    kind = str(config.get("kind") or "filesystem")
    options = {k: v for k, v in config.items() if k not in {"kind", "name"}}
    if kind == "filesystem":
        if not options.get("path"):
            raise ImproperlyConfigured(f"store {name!r}: a filesystem store needs a path")
        unknown = set(options) - {"path"}
    elif kind == "s3":
        if not options.get("bucket"):
            raise ImproperlyConfigured(f"store {name!r}: an s3 store needs a bucket")
        unknown = set(options) - S3_OPTIONS
    else:
        raise ImproperlyConfigured(f"store {name!r}: unknown kind {kind!r} (use one of "
                                   f"{', '.join(KINDS)})")
    if unknown:
        raise ImproperlyConfigured(f"store {name!r}: unknown options {sorted(unknown)}")
    return {"kind": kind, **options}


def public_options(config: Mapping) -> dict:
    """The options that may be stored and shown: without credentials."""
    return {k: v for k, v in config.items() if k not in SECRETS | {"kind", "name", "path"}}


def where(config: Mapping) -> str:
    """A readable address: the folder, or s3://bucket/prefix."""
    if config.get("kind", "filesystem") == "s3":
        prefix = str(config.get("prefix") or "").strip("/")
        return f"s3://{config['bucket']}/{prefix + '/' if prefix else ''}"
    return str(Path(str(config["path"])).expanduser().resolve())


def build(name: str, config: Mapping) -> Store:
    checked = check(name, config)
    if checked["kind"] == "s3":
        from .s3 import S3Store

        return S3Store(name, checked)
    from .local import LocalStore

    return LocalStore(name, Path(where(checked)))


def store_for(name: str, config: Mapping) -> Store:
    """The store for a configuration, made once per process (an S3 client is costly to
    make and safe to share between threads)."""
    key = json.dumps([name, dict(config)], sort_keys=True, default=str)
    with _lock:
        found = _cache.get(key)
        if found is None:
            found = _cache[key] = build(name, config)
        return found
