"""learnsoc benchmarks: scale runs and side-by-side comparisons with peer tools."""
