"""make-sip against bagit-python's make_bag on the same small files, in the same run.

    python bench/make_sip.py [--counts 1000,10000,50000] [--repeat 3] [--modes zip,copy]

For each count a folder of small text files (in folders of 1,000) and its metadata CSV are
made once. Then, `--repeat` times and alternating, each tool gets a fresh copy of the folder
(made just before, so both read it from the page cache) and runs in a child process of its
own; the child times only the call (make_sip / make_bag, after imports and Django's setup)
and its peak resident memory is taken from the kernel (ru_maxrss).

- bagit: `bagit.make_bag(folder, checksums=["sha256"], processes=1)`, which moves the files
  into data/ (a rename per top-level entry) and hashes each.
- make-sip copy: the default, every file copied into the package (a new file per file).
- make-sip zip: `--zip`, one ZIP file.
- create floor: creating as many empty files as there are files to copy (`os.open(O_CREAT)` +
  `close`), timed the same way: what copy mode costs before any byte is read or written.

Every make-sip package is checked with Diarium's validator once (not timed). Prints the
median seconds of the repeats, the ratio bagit / make-sip (1.0 = as fast as bagit; the goal
is at least 0.5), and the peak RSS of the make-sip child, whose growth with the count shows
the memory per file. Prints figures; asserts nothing."""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD_SETUP = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")
import django
django.setup()
"""
CHILD_MAKE_SIP = CHILD_SETUP + """
from pathlib import Path
from diarium.archive.makesip import make_sip
source, metadata, out, mode = sys.argv[1:5]
import resource
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
path = make_sip(Path(source), Path(metadata), Path(out), as_zip=mode == "zip")
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "setup_rss": before, "path": str(path)}))
"""
CHILD_BAGIT = """
import json, sys, time
import bagit
started = time.perf_counter()
bagit.make_bag(sys.argv[1], checksums=["sha256"], processes=1)
print(json.dumps({"seconds": time.perf_counter() - started}))
"""
CHILD_CREATE = """
import json, os, sys, time
root, count = sys.argv[1], int(sys.argv[2])
started = time.perf_counter()
for number in range(count):
    folder = os.path.join(root, f"{number // 1000:03d}")
    if number % 1000 == 0:
        os.makedirs(folder)
    os.close(os.open(os.path.join(folder, f"f{number}"), os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                     0o644))
print(json.dumps({"seconds": time.perf_counter() - started}))
"""
CHILD_VALIDATE = CHILD_SETUP + """
from diarium.archive.validation import validate_package
report = validate_package(sys.argv[1])
print(json.dumps({"valid": report.valid, "files": len(report.files)}))
"""


def generate(folder: Path, count: int) -> tuple[Path, Path]:
    """`count` small text files under folder/source and their metadata CSV."""
    source = folder / "source"
    for number in range(count):
        sub = source / f"{number // 1000:03d}"
        if number % 1000 == 0:
            sub.mkdir(parents=True)
        (sub / f"handling-{number:06d}.txt").write_bytes(
            (f"Handling {number} i ärende KS 2024/{number}.\n" * 8).encode())
    metadata = folder / "metadata.csv"
    with metadata.open("w", encoding="utf-8") as out:
        out.write("field,value\ntitle,Bänkleverans\narchive_creator,Kommunstyrelsen\n"
                  "producer_system,Bänksystem 1\nid,bench-sip\n\npath,title,date\n")
        for number in range(count):
            out.write(f"{number // 1000:03d}/handling-{number:06d}.txt,Handling {number},"
                      "2024-01-01\n")
    return source, metadata


def child(code: str, *args: str) -> tuple[dict, int]:
    """(the JSON the child printed, its peak RSS in KiB)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    process = subprocess.Popen([sys.executable, "-c", code, *args], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    out = process.stdout.read().decode() if process.stdout else ""
    err = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"child failed:\n{out}\n{err}")
    return json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss


def fresh_copy(source: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    os.sync()  # what earlier steps left to write does not land in the next timing
    return target


def measure(work: Path, count: int, repeat: int, modes: list[str]) -> dict:
    source, metadata = generate(work / "input", count)
    times: dict[str, list[float]] = {"bagit": [], "create floor": []}
    rss: dict[str, int] = {}
    setup_rss: dict[str, int] = {}
    valid: dict[str, str] = {}
    for _ in range(repeat):
        bag = fresh_copy(source, work / "bag")
        result, _rss = child(CHILD_BAGIT, str(bag))
        times["bagit"].append(result["seconds"])
        shutil.rmtree(bag)
        floor = work / "floor"
        shutil.rmtree(floor, ignore_errors=True)
        os.sync()
        result, _rss = child(CHILD_CREATE, str(floor), str(count))
        times["create floor"].append(result["seconds"])
        shutil.rmtree(floor)
        for mode in modes:
            copy = fresh_copy(source, work / "copy")
            out = work / f"out-{mode}"
            shutil.rmtree(out, ignore_errors=True)
            result, peak = child(CHILD_MAKE_SIP, str(copy), str(metadata), str(out), mode)
            times.setdefault(mode, []).append(result["seconds"])
            rss[mode] = max(rss.get(mode, 0), peak)
            setup_rss[mode] = result["setup_rss"]
            if mode not in valid:
                report, _rss = child(CHILD_VALIDATE, result["path"])
                valid[mode] = (f"valid, {report['files']} files" if report["valid"]
                               else "NOT VALID")
            shutil.rmtree(out)
            shutil.rmtree(copy)
    shutil.rmtree(work / "input")
    return {"times": {k: statistics.median(v) for k, v in times.items()}, "rss": rss,
            "setup_rss": setup_rss, "valid": valid}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", default="1000,10000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--modes", default="zip,copy")
    options = parser.parse_args()
    counts = [int(c) for c in options.counts.split(",")]
    modes = options.modes.split(",")
    rows = []
    with tempfile.TemporaryDirectory(prefix="diarium-bench-make-sip-") as folder:
        for count in counts:
            found = measure(Path(folder) / str(count), count, options.repeat, modes)
            rows.append((count, found))
            bagit = found["times"]["bagit"]
            print(f"\n{count:,} files (median of {options.repeat}; ratio = bagit / make-sip, "
                  "goal ≥ 0.5)")
            print(f"  bagit make_bag(sha256)   {bagit:7.2f} s")
            print(f"  create floor (copy)      {found['times']['create floor']:7.2f} s  "
                  f"ratio {bagit / found['times']['create floor']:.2f}")
            for mode in modes:
                seconds = found["times"][mode]
                print(f"  make-sip {mode:<15} {seconds:7.2f} s  ratio {bagit / seconds:.2f}  "
                      f"peak RSS {found['rss'][mode] / 1024:4.0f} MiB (after setup "
                      f"{found['setup_rss'][mode] / 1024:.0f} MiB)  {found['valid'][mode]}")
    if len(rows) > 1:
        (first, a), (last, b) = rows[0], rows[-1]
        print(f"\nfrom {first:,} to {last:,} files: peak RSS growth per mode " + ", ".join(
            f"{mode} {(b['rss'][mode] - a['rss'][mode]) / 1024:+.0f} MiB" for mode in modes))


if __name__ == "__main__":
    main()
