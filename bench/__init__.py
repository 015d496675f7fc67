"""Benchmarks at national scale (issue 7): ``make bench``; results in docs/performance.md."""
