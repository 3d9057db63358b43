"""S3 ingest throughput: `diarium archive ingest` into an S3 location (validate, upload in
parts, read back from the server and verify) against plain boto3 uploads of the same bytes
to the same server (a moto server on a local port, started here), in the same run.

    python bench/s3_throughput.py [--large-files 2] [--large-mib 256] [--small-files 2000]

Needs the "bench" extra (moto[server]). Prints figures; asserts nothing. Everything is made
in a temporary folder and removed afterwards. moto keeps objects in its own process (in
memory and temporary files), so the figures compare the two clients against one server;
they are not a prediction for MinIO or a cloud provider."""

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _archive as A

# _archive puts the repository on the path; the tests' helper starts the moto server.
s3server = importlib.import_module("tests.s3server")
KEYS = s3server.CREDENTIALS
REGION = KEYS["region"]


def new_bucket(client, name: str) -> str:
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


def plain_uploads(client, bucket: str, files: list[Path], root: Path, threads: int) -> float:
    from boto3.s3.transfer import TransferConfig

    config = TransferConfig(multipart_threshold=8 << 20, multipart_chunksize=8 << 20,
                            max_concurrency=threads, use_threads=threads > 1)
    started = time.perf_counter()
    for path in files:
        client.upload_file(str(path), bucket, str(path.relative_to(root)), Config=config)
    return time.perf_counter() - started


JOB_SECONDS = ("from diarium.archive.models import IngestJob; j = IngestJob.objects.filter("
               "kind='ingest').first(); print((j.finished_at - j.started_at).total_seconds())")


def diarium_ingest(work: Path, url: str, bucket: str, package: Path) -> tuple[float, float,
                                                                             str]:
    """(seconds of the process, seconds of the ingest job itself, the job's log)."""
    env = A.instance(work)
    env["DIARIUM_ARCHIVE_LOCATIONS"] = json.dumps([{
        "name": "bucket", "kind": "s3", "bucket": bucket, "endpoint_url": url, **KEYS}])
    seconds, _rss = A.ingest(env, package)
    job = subprocess.run([*A.DIARIUM, "shell", "-v0", "-c", JOB_SECONDS], env=env,
                         check=True, capture_output=True, text=True)
    return seconds, float(job.stdout), A.job_log(env)


def measure(label: str, package: Path, work: Path, client, url: str) -> None:
    files = A.payload(package)
    everything = sorted(p for p in package.rglob("*") if p.is_file())
    size = A.size_of(everything)
    A.openssl(files)  # warm the page cache for both
    one = plain_uploads(client, new_bucket(client, f"plain-1-{work.name}"), everything,
                        package, 1)
    ten = plain_uploads(client, new_bucket(client, f"plain-10-{work.name}"), everything,
                        package, 10)
    whole, seconds, log = diarium_ingest(work / "instance", url,
                                         new_bucket(client, f"ingest-{work.name}"), package)
    shutil.rmtree(work / "instance")
    print(f"\n{label}: {len(everything)} files, {size / 1e6:.0f} MB")
    print(f"  boto3 upload_file, 1 thread            {one:7.2f} s  {A.mb_s(size, one):7.0f} MB/s")
    print(f"  boto3 upload_file, 10 threads          {ten:7.2f} s  {A.mb_s(size, ten):7.0f} MB/s")
    print(f"  diarium archive ingest (1 S3 copy)     {seconds:7.2f} s  "
          f"{A.mb_s(size, seconds):7.0f} MB/s  (the job; {whole:.2f} s with start-up and "
          "the search index)")
    print(f"  ingest / plain upload: {one / seconds:.2f} (1 thread), {ten / seconds:.2f} "
          "(10 threads)  (higher is faster; the ingest also validates the SIP and reads "
          "every object back from the server)")
    for line in log.splitlines():
        if " done:" in line:
            print(f"    {line.split(' ', 1)[1]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large-files", type=int, default=2)
    parser.add_argument("--large-mib", type=int, default=256)
    parser.add_argument("--small-files", type=int, default=2000)
    options = parser.parse_args()
    print(f"{os.cpu_count()} cores; moto server on a local port; the same bytes go up twice "
          "with plain boto3 and once through the ingest")
    server, url = s3server.start()
    client = s3server.client(url)
    try:
        with tempfile.TemporaryDirectory(prefix="diarium-bench-") as folder:
            work = Path(folder)
            if options.large_files:
                files = A.large_files(work / "payload", options.large_files, options.large_mib)
                package = A.package_of_large(work / "large", "bench-large", files)
                (work / "l").mkdir()
                measure(f"{options.large_files} × {options.large_mib} MiB", package,
                        work / "l", client, url)
                shutil.rmtree(work / "large")
            if options.small_files:
                package = A.package_of_small(work / "small", "bench-small", options.small_files)
                (work / "s").mkdir()
                measure(f"{options.small_files} small files", package, work / "s", client, url)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
