"""Site codes (Crockford base32) and the payload URL built from them."""

import random

import pytest

from qr import ALPHABET, MAX_CODE_LENGTH, QR_ALPHANUMERIC, next_code, plaque_url, short_url
from qr import validate_code


@pytest.mark.parametrize("code", ["7K", "0A", "Z", "ABCD", "1234", "XYZ9"])
def test_valid_codes(code):
    assert validate_code(code) is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("", "code is empty"),
        ("7k", "lower-case letters; codes are upper-case: '7K'"),
        ("ab", "codes are upper-case: 'AB'"),
        ("7I", "contains 'I': Crockford base32 omits the look-alike letters I, L, O and U"),
        ("L2", "contains 'L': Crockford base32 omits"),
        ("O0", "contains 'O'"),
        ("AU", "contains 'U'"),
        ("7o", "contains 'o': Crockford base32 omits"),
        ("7-K", "contains '-'; use only 0123456789ABCDEFGHJKMNPQRSTVWXYZ"),
        ("7 K", "contains ' '"),
        ("Ắ1", "contains 'Ắ'"),
        ("ABCDE", "is 5 characters long; the maximum is 4"),
    ],
)
def test_bad_codes_explain_the_problem(code, expected):
    assert expected in validate_code(code)


def test_alphabet_is_crockford():
    assert len(ALPHABET) == 32 and not set("ILOU") & set(ALPHABET)
    assert set(ALPHABET) <= QR_ALPHANUMERIC


@pytest.mark.parametrize(
    ("issued", "length", "expected"),
    [
        ([], 2, "2A"),
        (["2A"], 2, "2B"),
        (["2a", "2B"], 2, "2C"),
        ([], 1, "A"),
        ([], 3, "22A"),
        (list("ABCDEFGHJKMNPQRSTVWXYZ"), 1, "2A"),
        ([f"{d}{c}" for d in "23456789" for c in "ABCDEFGHJKMNPQRSTVWXYZ01"
          if c not in "01"], 2, "A2"),
    ],
)
def test_next_code_examples(issued, length, expected):
    assert next_code(issued, length=length) == expected


def _all_codes(length):
    return [code for code in _product(length) if not code.isdigit()]


def _product(length):
    if length == 0:
        return [""]
    return [head + char for head in _product(length - 1) for char in ALPHABET]


def test_next_code_grows_when_a_length_is_exhausted():
    issued = _all_codes(2)
    assert len(issued) == 32 * 32 - 100
    assert next_code(issued) == "22A"


def test_next_code_refuses_when_everything_is_issued():
    with pytest.raises(ValueError, match="every code"):
        next_code(_all_codes(4), length=4)


@pytest.mark.parametrize("length", [0, MAX_CODE_LENGTH + 1])
def test_next_code_rejects_bad_length(length):
    with pytest.raises(ValueError, match="length"):
        next_code([], length=length)


def test_next_code_property_over_many_issued_sets():
    rng = random.Random(20261127)
    pool = _all_codes(2) + ["7", "ZZZ", "7k", "1234"]
    for _ in range(300):
        issued = rng.sample(pool, rng.randrange(len(pool)))
        if rng.random() < 0.5:
            issued = [code.lower() for code in issued]
        code = next_code(issued)
        assert code == next_code(list(reversed(issued)))
        assert code.upper() not in {c.upper() for c in issued}
        assert validate_code(code) is None
        assert not code.isdigit() and len(code) >= 2


def test_next_code_issues_a_sequence_without_repeats():
    issued = []
    for _ in range(1200):
        issued.append(next_code(issued))
    assert len(set(issued)) == len(issued)
    assert {len(code) for code in issued} == {2, 3}


@pytest.mark.parametrize(
    ("site_url", "code", "payload", "short"),
    [
        ("https://disan.example.vn/", "7K", "HTTPS://DISAN.EXAMPLE.VN/Q/7K/",
         "disan.example.vn/q/7k"),
        ("https://disan.example.vn", "7K", "HTTPS://DISAN.EXAMPLE.VN/Q/7K/",
         "disan.example.vn/q/7k"),
        # a sub-path keeps its case: servers match paths case-sensitively
        ("https://example.github.io/di-san/", "0A", "HTTPS://EXAMPLE.GITHUB.IO/di-san/Q/0A/",
         "example.github.io/di-san/q/0a"),
        ("http://Di-San.Example.org/A/b", "ZZZZ", "HTTP://DI-SAN.EXAMPLE.ORG/A/b/Q/ZZZZ/",
         "di-san.example.org/A/b/q/zzzz"),
        ("https://disan.example.vn/di_san/", "7K", "HTTPS://DISAN.EXAMPLE.VN/di_san/Q/7K/",
         "disan.example.vn/di_san/q/7k"),
        ("http://localhost:8000/", "7K", "HTTP://LOCALHOST:8000/Q/7K/", "localhost:8000/q/7k"),
    ],
)
def test_plaque_and_short_urls(site_url, code, payload, short):
    assert plaque_url(site_url, code) == payload
    assert short_url(site_url, code) == short


@pytest.mark.parametrize(
    ("site_url", "code", "message"),
    [
        ("https://disan.example.vn/đi-sản/", "7K", "must be ASCII without spaces"),
        ("https://user@disan.example.vn/", "7K", "must not have a user"),
        ("https://disan.example.vn/?lang=vi", "7K", "query or fragment"),
        ("disan.example.vn", "7K", "must start with http:// or https://"),
        ("ftp://disan.example.vn/", "7K", "must start with http:// or https://"),
        ("https://disan.example.vn/", "7k", "codes are upper-case"),
        ("https://disan.example.vn/", "7I", "look-alike"),
    ],
)
def test_plaque_url_rejects_bad_input(site_url, code, message):
    with pytest.raises(ValueError) as info:
        plaque_url(site_url, code)
    assert message in str(info.value)
