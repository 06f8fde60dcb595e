"""Benchmarks of quiz_widgets; ``python -m benchmarks`` runs them all (see README.md)."""
