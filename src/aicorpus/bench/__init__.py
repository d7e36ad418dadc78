"""Benchmark scoring for the two labeled tasks: topic tagging and claim extraction.

``metrics`` holds the scorers (plain functions on Python lists, sklearn style) and
their bootstrap confidence intervals; ``predictions`` reads a system's JSONL
predictions with precise errors; ``score`` ties both to the gold labels of one split.
"""
