"""aicorpus: Chinese AI-industry news as validated records, Parquet splits and benchmarks.

Data flows one way, one module per step:

* :mod:`aicorpus.sources` reads raw bytes (UTF-8 or GB18030, size limits);
* :mod:`aicorpus.convert` picks one converter per source format (one module each),
  with :mod:`aicorpus.markdown` and :mod:`aicorpus.frontmatter` doing the parsing;
* :mod:`aicorpus.coverage` accounts for every raw line; :mod:`aicorpus.conversion` runs these steps for one file;
* :mod:`aicorpus.validate` checks records against ``schema/`` and across records;
* :mod:`aicorpus.manifest` checks every raw file against the source manifest;
* :mod:`aicorpus.labels` reads and checks the hand labels in ``labels/``;
* :mod:`aicorpus.dedup` finds near-duplicate stories, :mod:`aicorpus.splits` assigns splits;
* :mod:`aicorpus.parquet` writes the files, :mod:`aicorpus.card` the generated documentation;
* :mod:`aicorpus.build` runs those steps; :mod:`aicorpus.review` checks contributed files against the
  published corpus; :mod:`aicorpus.diff` compares two builds; :mod:`aicorpus.project` finds the project
  folder; :mod:`aicorpus.cli` is the thin command line.

:mod:`aicorpus.bench` scores systems on the labels, compares two systems and measures annotator
agreement; :mod:`aicorpus.quantities` normalises numbers for claims.
"""

__version__ = "0.2.0"
#: The day this version of the dataset was first published (Croissant ``datePublished``).
RELEASE_DATE = "2026-12-02"
