"""Peak-memory measurement for benchmark workers (Linux /proc, one process per case)."""

from __future__ import annotations

from pathlib import Path

_STATUS = Path("/proc/self/status")


def _field(name: str) -> int:
    for line in _STATUS.read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) * 1024
    return 0


def rss_bytes() -> int:
    """Return the current resident set size in bytes (0 where /proc is missing)."""
    return _field("VmRSS") if _STATUS.exists() else 0


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS counter (VmHWM) to the current RSS; False if not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_bytes() -> int:
    """Return the peak resident set size (VmHWM) in bytes since the last reset."""
    return _field("VmHWM") if _STATUS.exists() else 0
