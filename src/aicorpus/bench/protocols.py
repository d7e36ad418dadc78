"""Evaluation protocols: which labelled items a baseline learns from, tunes on and is scored on.

Every protocol cuts the labelled items into folds of three disjoint parts:

* ``train``: what the model is fitted on;
* ``validation``: what it may tune on (thresholds, hyperparameters), then refit on
  together with ``train``;
* ``test``: what it is scored on, never seen before it predicts.

The protocols:

``fixed_split`` (the default, the official benchmark)
    The published splits: train, validation, test (``splits/items``).
``grouped_cv``
    5-fold cross-validation over every labelled item, the folds grouped by
    near-duplicate cluster (``splits/near-duplicates.jsonl``) so that one story never
    sits on both sides. Scored once on the pooled out-of-fold predictions.
``time_held_out``
    Items published before :data:`TIME_CUTOFF` train, items published on or after it
    are the test; undated items (``published`` null: two seed documents) are left out.
    The corpus has two periods, linux.cn 2023-01 to 2024-01 and the AI daily
    2026-01 to 2026-04. A cutoff between them would test the AI daily as a whole
    and so measure a change of publisher as much as a change of time (that is
    ``source_held_out``). 2026-03-01 falls inside the later period: the training side
    has every linux.cn item and the AI daily's first five weeks, the test side its
    last six weeks (about as many topic-labelled items as the official test split; the
    README's results table gives the counts), so the publisher is known and what
    changes is time: new models, products and companies the training side never mentions.
``source_held_out``
    Items of every publisher but :data:`HELD_OUT_SOURCE` train (linux.cn and the four
    seed publishers); the AI Daily Blog is the test: a machine-written daily with
    GitHub Trending entries, a genre the training side does not have.

**What plays validation.** In every protocol the validation part is the training
side's items of the official ``validation`` split, and the rest of the training side
trains: in ``fixed_split`` that is the validation split itself; in ``grouped_cv`` the
validation-split items of the four training folds; in ``time_held_out`` validation
items published before the cutoff; in ``source_held_out`` the validation items of the
training publishers. Near-duplicate clusters never straddle splits, so validation
shares no story with train, and it never holds an item of the test part: tuning never
sees the test side, not even its publisher or its weeks.

>>> items = [{"id": "a", "split": "train", "published": "2023-05-01", "source": "linux.cn"},
...          {"id": "b", "split": "validation", "published": "2023-06-01", "source": "linux.cn"},
...          {"id": "c", "split": "test", "published": "2026-03-02", "source": "AI Daily Blog"}]
>>> [(f.train, f.validation, f.test) for f in folds("time_held_out", items, groups=[0, 1, 2])]
[([0], [1], [2])]
"""

from __future__ import annotations

from dataclasses import dataclass

PROTOCOLS: tuple[str, ...] = ("fixed_split", "grouped_cv", "time_held_out", "source_held_out")
DEFAULT = "fixed_split"
FOLDS = 5
#: Items published before this date train, items on or after it are the test (see the module docstring for why).
TIME_CUTOFF = "2026-03-01"
#: The publisher (``source`` column) held out by ``source_held_out``.
HELD_OUT_SOURCE = "AI Daily Blog"

DESCRIPTIONS: dict[str, str] = {
    "fixed_split": "trained on the train split, tuned on validation, scored on test",
    "grouped_cv": f"{FOLDS}-fold cross-validation over all labelled items, grouped by near-duplicate cluster",
    "time_held_out": f"items published before {TIME_CUTOFF} train, items on or after it are the test (undated items left out)",
    "source_held_out": f"every publisher but {HELD_OUT_SOURCE} trains, {HELD_OUT_SOURCE} is the test",
}


@dataclass(frozen=True)
class Fold:
    """Indices into the item list: fit on ``train``, tune on ``validation``, score on ``test``."""

    train: list[int]
    validation: list[int]
    test: list[int]


def folds(protocol: str, items: list[dict], groups: list[int]) -> list[Fold]:
    """The folds of ``protocol`` over ``items`` (dicts with ``split``, ``published``, ``source``).

    ``groups`` gives each item's near-duplicate cluster (used by ``grouped_cv`` only).
    A protocol whose test or training side is empty on these items (a small copy of the
    corpus without the held-out publisher, say) has no fold.

    >>> items = [{"id": str(k), "split": s, "published": None, "source": "x"} for k, s in enumerate(["train", "validation", "test"])]
    >>> folds("fixed_split", items, [0, 1, 2])
    [Fold(train=[0], validation=[1], test=[2])]
    >>> folds("source_held_out", items, [0, 1, 2])
    []
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r}; use one of {', '.join(PROTOCOLS)}")
    if len(groups) != len(items):
        raise ValueError(f"{len(items)} items but {len(groups)} groups; give one near-duplicate cluster per item")
    everything = list(range(len(items)))
    if protocol == "fixed_split":
        side = [k for k in everything if items[k]["split"] != "test"]
        out = [_fold(items, side, [k for k in everything if items[k]["split"] == "test"])]
    elif protocol == "grouped_cv":
        if len(set(groups)) < FOLDS:
            return []
        from sklearn.model_selection import GroupKFold  # here: the card imports this module for its descriptions

        out = []
        for train_idx, test_idx in GroupKFold(n_splits=FOLDS).split(everything, groups=groups):
            out.append(_fold(items, [int(k) for k in train_idx], [int(k) for k in test_idx]))
    elif protocol == "time_held_out":
        dated = [k for k in everything if items[k].get("published")]
        # ISO dates and date-times compare as strings; the cutoff is a date, so a date-time on it is "on or after"
        out = [_fold(items, [k for k in dated if items[k]["published"][:10] < TIME_CUTOFF],
                     [k for k in dated if items[k]["published"][:10] >= TIME_CUTOFF])]
    else:
        out = [_fold(items, [k for k in everything if items[k].get("source") != HELD_OUT_SOURCE],
                     [k for k in everything if items[k].get("source") == HELD_OUT_SOURCE])]
    return [f for f in out if f.test and (f.train or f.validation)]


def _fold(items: list[dict], side: list[int], test: list[int]) -> Fold:
    """Split the training side into train and validation by the official split (see the module docstring)."""
    return Fold(train=[k for k in side if items[k]["split"] != "validation"],
                validation=[k for k in side if items[k]["split"] == "validation"], test=list(test))
