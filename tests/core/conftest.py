from tests.s3server import bucket, s3_endpoint  # noqa: F401 - fixtures
