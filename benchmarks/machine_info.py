"""What machine and software a benchmark ran on, for benchmarks/compare's report.

Reads /proc/cpuinfo (CPU model; the flags that matter for speed: avx2, fma, f16c, avx512*,
neon/asimd and ARM's dot-product and fp16 extensions), the core count, the load average, the
host name, the date, and edgert's version from `git describe` (the checkout the ert binary was
built from is not known for sure, so `ert --version` is recorded too).
"""

import datetime
import os
import platform
import socket
import subprocess

# CPU flags worth knowing next to a speed figure, as /proc/cpuinfo spells them.
SPEED_FLAGS = ("avx", "avx2", "fma", "f16c", "avx_vnni", "neon", "asimd", "asimddp", "asimdhp",
               "fphp", "i8mm", "bf16", "sve", "sve2")


def _cpuinfo():
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def _first_field(text, keys):
    for key in keys:
        for line in text.splitlines():
            name, sep, value = line.partition(":")
            if sep and name.strip() == key and value.strip():
                return value.strip()
    return None


def cpu_model(text):
    """x86 says "model name"; ARM kernels say "Hardware", "Processor" or only part numbers."""
    model = _first_field(text, ("model name", "Hardware", "Processor", "cpu model"))
    if model:
        return model
    part = _first_field(text, ("CPU part",))
    impl = _first_field(text, ("CPU implementer",))
    if part:
        return f"ARM implementer {impl or '?'} part {part}"
    return platform.processor() or platform.machine() or "unknown"


def speed_flags(text):
    flags = set((_first_field(text, ("flags", "Features")) or "").split())
    found = [f for f in SPEED_FLAGS if f in flags]
    found += sorted(f for f in flags if f.startswith("avx512"))
    return found


def load_average():
    try:
        return os.getloadavg()
    except OSError:
        return None


def git_describe(repo):
    try:
        out = subprocess.run(["git", "-C", repo, "describe", "--always", "--dirty", "--tags"],
                             capture_output=True, text=True, check=True, timeout=30)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def ert_version(ert):
    try:
        out = subprocess.run([ert, "--version"], capture_output=True, text=True, check=True,
                             timeout=30)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def collect(repo, ert):
    """Everything above as a dict; values that cannot be read are None."""
    text = _cpuinfo()
    now = datetime.datetime.now(datetime.timezone.utc)
    return {
        "date": now.strftime("%Y-%m-%d"),
        "time_utc": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "host": socket.gethostname(),
        "arch": platform.machine(),
        "kernel": platform.release(),
        "cpu": cpu_model(text),
        "cores": os.cpu_count(),
        "flags": speed_flags(text),
        "load_average_start": load_average(),
        "edgert_git": git_describe(repo),
        "ert_version": ert_version(ert),
        "python": platform.python_version(),
    }
