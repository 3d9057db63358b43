"""make-sip against bagit-python's make_bag on the same small files, in the same run.

    python bench/make_sip.py [--counts 1000,10000,50000] [--repeat 3] [--modes zip,copy]

For each count a folder of small text files (in folders of 1,000) and its metadata CSV are
made once. Then, `--repeat` times, each tool in turn (the order rotates from one repeat to
the next) gets a fresh copy of the folder (made just before and synced, so every tool reads
it from the page cache) and runs in a child process of its own; the child times only the
call (make_sip / make_bag, after imports and Django's setup), and its CPU time (user +
system) and peak resident memory come from the kernel (wait4). Nothing is deleted until
every run of a count is over: on this kind of disk deleting thousands of files slows the
file creation that follows.

- bagit: `bagit.make_bag(folder)` as it comes (SHA-256 and SHA-512, one process), which
  moves the files into data/ (a rename per top-level entry) and hashes each; the baseline.
- bagit sha256: `bagit.make_bag(folder, checksums=["sha256"])`, one digest like make-sip.
- make-sip copy: the default, every file copied into the package (a new file per file).
- make-sip zip: `--zip`, one ZIP file.
- create floor: creating as many empty files as there are files to copy (`os.open(O_CREAT)` +
  `close`), timed the same way: what copy mode costs before any byte is read or written.

Every make-sip package is checked with Diarium's validator once (not timed). Prints the
median wall seconds and CPU seconds of the repeats, the ratios bagit / make-sip of both
(1.0 = as fast as bagit; the goal is at least 0.5; the machine is shared, so wall time is
the noisier of the two), and the peak RSS of the make-sip child, whose growth with the count
shows the memory per file. Prints figures; asserts nothing."""

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
CPU = """
def cpu():
    times = os.times()
    return times.user + times.system
"""
CHILD_MAKE_SIP = CHILD_SETUP + CPU + """
from pathlib import Path
from diarium.archive.makesip import make_sip
source, metadata, out, mode = sys.argv[1:5]
import resource
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started, used = time.perf_counter(), cpu()
path = make_sip(Path(source), Path(metadata), Path(out), as_zip=mode == "zip")
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": cpu() - used,
                  "setup_rss": before, "path": str(path)}))
"""
CHILD_BAGIT = """
import json, os, sys, time
import bagit
""" + CPU + """
started, used = time.perf_counter(), cpu()
bagit.make_bag(sys.argv[1], **({"checksums": ["sha256"]} if sys.argv[2] == "sha256" else {}))
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": cpu() - used}))
"""
CHILD_CREATE = """
import json, os, sys, time
""" + CPU + """
root, count = sys.argv[1], int(sys.argv[2])
started, used = time.perf_counter(), cpu()
for number in range(count):
    folder = os.path.join(root, f"{number // 1000:03d}")
    if number % 1000 == 0:
        os.makedirs(folder)
    os.close(os.open(os.path.join(folder, f"f{number}"), os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                     0o644))
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": cpu() - used}))
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
    shutil.copytree(source, target)
    os.sync()  # what earlier steps left to write does not land in the next timing
    return target


def run_tool(tool: str, work: Path, run: str, source: Path, metadata: Path, count: int
             ) -> tuple[dict, int]:
    if tool in ("bagit", "bagit sha256"):
        return child(CHILD_BAGIT, str(fresh_copy(source, work / f"{tool.replace(' ', '-')}-{run}")),
                     tool.removeprefix("bagit").strip() or "default")
    if tool == "create floor":
        os.sync()
        return child(CHILD_CREATE, str(work / f"floor-{run}"), str(count))
    copy = fresh_copy(source, work / f"copy-{tool}-{run}")
    return child(CHILD_MAKE_SIP, str(copy), str(metadata), str(work / f"out-{tool}-{run}"),
                 tool)


def measure(work: Path, count: int, repeat: int, modes: list[str]) -> dict:
    source, metadata = generate(work / "input", count)
    tools = ["bagit", "bagit sha256", "create floor", *modes]
    wall: dict[str, list[float]] = {tool: [] for tool in tools}
    cpu: dict[str, list[float]] = {tool: [] for tool in tools}
    rss: dict[str, int] = {}
    setup_rss: dict[str, int] = {}
    valid: dict[str, str] = {}
    for number in range(repeat):
        order = tools[number % len(tools):] + tools[:number % len(tools)]
        for tool in order:
            result, peak = run_tool(tool, work, str(number), source, metadata, count)
            wall[tool].append(result["seconds"])
            cpu[tool].append(result["cpu"])
            if tool in modes:
                rss[tool] = max(rss.get(tool, 0), peak)
                setup_rss[tool] = result["setup_rss"]
                if tool not in valid:
                    report, _rss = child(CHILD_VALIDATE, result["path"])
                    valid[tool] = (f"valid, {report['files']} files" if report["valid"]
                                   else "NOT VALID")
    shutil.rmtree(work)
    return {"wall": {k: statistics.median(v) for k, v in wall.items()},
            "cpu": {k: statistics.median(v) for k, v in cpu.items()},
            "rss": rss, "setup_rss": setup_rss, "valid": valid}


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
            bagit, bagit_cpu = found["wall"]["bagit"], found["cpu"]["bagit"]
            print(f"\n{count:,} files (median of {options.repeat}; ratio = bagit / this, "
                  "goal ≥ 0.5)", flush=True)
            for tool in ("bagit", "bagit sha256", "create floor", *modes):
                seconds, cpu = found["wall"][tool], found["cpu"][tool]
                label = tool if tool not in modes else f"make-sip {tool}"
                line = (f"  {label:<16} wall {seconds:6.2f} s (ratio {bagit / seconds:4.2f})  "
                        f"CPU {cpu:6.2f} s (ratio {bagit_cpu / cpu:4.2f})")
                if tool in modes:
                    line += (f"  peak RSS {found['rss'][tool] / 1024:4.0f} MiB (after setup "
                             f"{found['setup_rss'][tool] / 1024:.0f})  {found['valid'][tool]}")
                print(line, flush=True)
    if len(rows) > 1:
        (first, a), (last, b) = rows[0], rows[-1]
        print(f"\nfrom {first:,} to {last:,} files: peak RSS growth per mode " + ", ".join(
            f"{mode} {(b['rss'][mode] - a['rss'][mode]) / 1024:+.0f} MiB" for mode in modes))


if __name__ == "__main__":
    main()
