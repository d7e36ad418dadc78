"""aicorpus: Chinese AI-industry news as validated records, Parquet splits and benchmarks.

The pipeline reads raw documents (:mod:`aicorpus.sources`), converts them with one
converter per source format (:mod:`aicorpus.convert`), validates every record
(:mod:`aicorpus.validate`), assigns splits (:mod:`aicorpus.splits`) and writes
Parquet (:mod:`aicorpus.parquet`); :mod:`aicorpus.build` runs those steps in order.
"""

__version__ = "0.1.0"
#: The day this version of the dataset was first published (Croissant ``datePublished``).
RELEASE_DATE = "2026-11-25"
