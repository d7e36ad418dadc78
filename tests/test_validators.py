"""jsonschema-rs gives the verdict on every record and jsonschema explains the failures: the two must agree.

Where they could part is in how a ``pattern`` reads (JSON Schema patterns are
ECMA-262; Python's ``re`` takes ``\\d`` for any Unicode digit and lets ``$``
match before a final newline), so the tricky values below aim there.
"""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aicorpus.validate import RecordValidator, schema_issues, validator, value_errors
from conftest import ROOT

TRICKY = [
    "２０２３-０１-０１", "١٢٣٤-٠١-٠١", "2023-01-01\n", "2023-04-25T10:45:52+08:00\n", "2023-04-25T10:45:52Z",
    "https://a.cn/x", "https://a.cn/x\n", "https://a.cn/\ufeffx", "https://a.cn/\x1cx", "https://a.cn/\x85x",
    "https://a.cn/\u3000x", "https://a.cn/\u00a0x", "https://", "/a\rb", "/", "/a", "",
    "linuxcn-15754", "linuxcn-15754\n", "linuxcn-１５７５４", "linuxcn-15754-0a1b2c3d", "linuxcn-15754-0a1b2c3d\n",
    "wechat-0123456789ab", "wechat-0123456789AB", "raw/a.txt", "raw/../a.txt", "../a.txt", "/raw/a.txt", "a\\b", "a\x00b",
    "1.0", "1.0\n", "１.０", "0" * 64, "0" * 64 + "\n", "utf-8", "linuxcn", "train", "x" * 300,
]


def _records() -> list[tuple[str, dict]]:
    """Valid records of every kind: the published seed documents and items, and the hand labels."""
    from aicorpus.conversion import convert_file

    out = []
    for path in sorted((ROOT / "raw").glob("*.txt")):
        c = convert_file(path, ROOT)
        out += [("document", c.document)] + [("item", it) for it in c.items[:3]]
    for path in sorted((ROOT / "labels").glob("*.jsonl")):
        out += [("labels", json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()[:2]]
    return out


RECORDS = _records()


def _shape(value) -> object:
    """What a schema can tell apart about a value without reading it: its type, and the shapes of its parts."""
    if isinstance(value, dict):
        return tuple(sorted((k, _shape(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("list", tuple(sorted({repr(_shape(v)) for v in value})))
    return type(value).__name__


def _representative(value):
    """``value`` with every list of objects cut to its first element of each shape (lists of strings stay whole).

    The schemas apply one ``items`` subschema to every element of such a list and have no keyword that
    relates one element or field to another (test_the_schemas_let_list_elements_stand_for_each_other), so
    a mutation at the 30th of 36 claims checks what the same mutation at the first claim of that shape
    checks. One seed label held 36 claims: 465 fields, 18,000 mutations, 90 s of the suite.
    """
    if isinstance(value, dict):
        return {k: _representative(v) for k, v in value.items()}
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        firsts: dict[str, object] = {}
        for v in value:
            firsts.setdefault(repr(_shape(v)), _representative(v))
        return list(firsts.values())
    return value


def _leaves(value, path=()):
    """Paths of every leaf (and of every list and dict, which a mutation can replace whole)."""
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(value, list):
        for n, v in enumerate(value):
            yield from _leaves(v, (*path, n))


def _field_paths(kind: str, record) -> set[tuple]:
    """Every (kind, field path) of a record, list positions left out: what a mutation can reach."""
    return {(kind, tuple("#" if isinstance(k, int) else k for k in p)) for p in _leaves(record)}


def _covering(records: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """The records, in order, that reach a field path no earlier record reaches.

    A mutated value is judged by its own field's rules, the rest of the record being valid (no schema keyword
    relates two values), so one record a path checks what every record with that path would; the hand labels
    alone are hundreds of records with the same fields.
    """
    covered: set[tuple] = set()
    out = []
    for kind, record in records:
        paths = _field_paths(kind, record)
        if not paths <= covered:
            covered |= paths
            out.append((kind, record))
    return out


#: The records of the tricky-value test: every field of every record kind, each list of objects by one element per shape.
TRICKY_RECORDS = _covering([(kind, _representative(record)) for kind, record in RECORDS])


def _set(record, path: tuple, value):
    """A copy of ``record`` with ``value`` at ``path``; only the containers along the path are copied (the rest is shared, never changed)."""
    if not path:
        return value
    out = dict(record) if isinstance(record, dict) else list(record)
    out[path[0]] = _set(record[path[0]], path[1:], value) if path[1:] else value  # the last key may be new
    return out


def _agree(kind: str, record: object) -> None:
    v: RecordValidator = validator(kind)
    if value_errors(record)[0]:  # NaN, infinities, integers past 64 bits, lone surrogates: refused before any schema
        assert v.errors(record) and not v.is_valid(record)
        return
    fast, slow = v.fast.is_valid(record), v.explainer.is_valid(record)
    assert fast == slow, f"{kind}: jsonschema-rs says {fast}, jsonschema says {slow} for {json.dumps(record, ensure_ascii=False)[:300]}"
    # the verdict: jsonschema-rs's, with integers taken strictly (12.0 is a JSON Schema integer, not a Python one)
    assert (v.errors(record) == []) == v.is_valid(record) == (fast and v.strict.is_valid(record))


def test_published_records_are_valid_for_both():
    assert {k for k, _ in RECORDS} == {"document", "item", "labels"}
    for kind, record in RECORDS:
        _agree(kind, record)
        assert validator(kind).fast.is_valid(record)


@pytest.mark.parametrize("n", range(len(TRICKY_RECORDS)))
def test_tricky_values_in_every_field(n):
    kind, record = TRICKY_RECORDS[n]
    invalid = 0
    for path in list(_leaves(record))[1:]:
        for value in TRICKY:
            mutated = _set(record, path, value)
            _agree(kind, mutated)
            invalid += not validator(kind).fast.is_valid(mutated)
    assert invalid > 0  # the values do reach rules that reject them


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12) | st.sampled_from(TRICKY),
                    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
                    max_leaves=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_mutations(data):
    kind, record = data.draw(st.sampled_from(RECORDS))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = list(_leaves(record))[1:]
        path = data.draw(st.sampled_from(paths))
        op = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if op == "replace":
            record = _set(record, path, data.draw(JSON))
        elif op == "delete" and isinstance(_get(record, path[:-1]), dict):
            record = copy.deepcopy(record)
            del _get(record, path[:-1])[path[-1]]
        elif isinstance(_get(record, path[:-1]), dict):  # add an unknown key beside this one
            record = _set(record, (*path[:-1], data.draw(st.text(min_size=1, max_size=8))), data.draw(JSON))
    _agree(kind, record)


def _get(record, path):
    for key in path:
        record = record[key]
    return record


def test_a_disagreement_is_reported_not_let_through():
    # a stand-in for a fast validator that rejects what jsonschema accepts: the record must not pass
    class Strict:
        def is_valid(self, record):
            return False

        def iter_errors(self, record):
            class E:
                message, instance_path, instance = "no", ["id"], record["id"]
            yield E()

    v = RecordValidator({"type": "object"})
    v.fast = Strict()
    [error] = v.errors({"id": "x"})
    assert error.validator == "validators-disagree" and error.json_path == "$.id"


def test_an_issue_names_the_field_and_the_rule():
    kind, record = next(r for r in RECORDS if r[0] == "item")
    [issue] = schema_issues(kind, _set(record, ("links", 0, "url") if record["links"] else ("raw_end",), "２０２３"), file="x.jsonl", line=4)
    assert issue.file == "x.jsonl" and issue.line == 4 and issue.rule in ("pattern", "type")
    assert issue.json_path in ("$.links[0].url", "$.raw_end")


#: Keywords that make one value's validity depend on another value: with any of them, one list element or
#: one field could no longer stand for its siblings in test_tricky_values_in_every_field.
RELATING = {"if", "then", "else", "dependentRequired", "dependentSchemas", "dependencies", "uniqueItems", "contains",
            "minContains", "maxContains", "prefixItems", "minItems", "maxItems", "unevaluatedItems", "unevaluatedProperties"}


def test_the_schemas_let_list_elements_stand_for_each_other():
    """The tricky-value test mutates one element per shape of each list of objects: sound while no schema relates values."""
    from aicorpus.validate import load_schema

    def walk(schema, path):
        if isinstance(schema, dict):
            items = schema.get("items")
            objects = isinstance(items, dict) and "object" in (items.get("type") if isinstance(items.get("type"), list) else [items.get("type")])
            found = RELATING & set(schema)
            if objects or schema.get("type") == "object":
                assert not found, f"{path}: {sorted(found)}"
            for k, v in schema.items():
                walk(v, f"{path}/{k}")
        elif isinstance(schema, list):
            for n, v in enumerate(schema):
                walk(v, f"{path}[{n}]")

    for kind in ("document", "item", "labels"):
        walk(load_schema(kind), kind)

    def paths(kind_records) -> set:
        return set().union(*(_field_paths(kind, r) for kind, r in kind_records))

    assert paths(TRICKY_RECORDS) == paths(RECORDS)  # no field of any record kind is left unmutated
    assert {kind for kind, _ in TRICKY_RECORDS} == {"document", "item", "labels"}
    assert sum(len(list(_leaves(r))) for _, r in TRICKY_RECORDS) < sum(len(list(_leaves(r))) for _, r in RECORDS) / 2
