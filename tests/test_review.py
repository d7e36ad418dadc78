"""The review of contributed files stays light: its word rule and cosine are dedup's, without scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest

from aicorpus import dedup
from aicorpus.errors import AicorpusError
from aicorpus.project import find_root
from aicorpus.review import document_cosines, words
from conftest import DATA, ROOT, SEEDS


def texts() -> list[str]:
    paths = [*SEEDS.values(), *sorted(p for p in (DATA / "dev-corpus").rglob("*.md") if p.name != "README.md")]
    return [p.read_text(encoding="utf-8") for p in paths]


def test_words_are_dedups_words():
    for text in texts():
        assert words(text) == dedup.words(text)


def test_document_cosines_are_dedups_tfidf_cosines():
    docs = texts()
    new, published = docs[:3], docs[3:]
    matrix = dedup.vectorize([*published, *new])  # what the near-copy check computed with scikit-learn
    expected = (matrix[len(published) :] @ matrix[: len(published)].T).toarray()
    got = np.array(document_cosines(new, published))
    assert got.shape == expected.shape
    assert np.abs(got - expected).max() < 0.01  # float32 and hashed buckets there, exact words here
    assert expected.max() > 0.1  # the texts do share words: the comparison is not of zeros


def test_an_edited_copy_is_close_and_another_story_is_not():
    text = SEEDS["004"].read_text(encoding="utf-8")
    edited = text.replace("重磅炸弹", "大新闻")
    [[same, other]] = document_cosines([edited], [text, SEEDS["001"].read_text(encoding="utf-8")])
    assert same > 0.95 and other < 0.5


def test_the_project_is_found_from_any_folder_inside_it(tmp_path):
    assert find_root(ROOT / "src" / "aicorpus" / "bench") == ROOT
    assert find_root(ROOT) == ROOT
    (tmp_path / "p" / "splits" / "items").mkdir(parents=True)  # a clone of the published dataset
    (tmp_path / "p" / "deep" / "er").mkdir(parents=True)
    assert find_root(tmp_path / "p" / "deep" / "er") == (tmp_path / "p").resolve()
    with pytest.raises(AicorpusError) as err:
        find_root(tmp_path)
    assert err.value.issue.rule == "no-project" and err.value.issue.file == tmp_path.resolve().as_posix()
    assert "--root" in err.value.issue.hint
