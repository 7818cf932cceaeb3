import numpy as np

from triage.duplicates.core import minhash, simhash, winnowing
from triage.duplicates.core.diffnorm import tokenize


def test_it_estimates_jaccard_close_to_the_truth():
    a = [f"line {i}" for i in range(200)]
    b = [f"line {i}" for i in range(100, 300)]  # true Jaccard 1/3
    assert abs(minhash.jaccard(minhash.minhash_of(a), minhash.minhash_of(b)) - 1 / 3) < 0.1


def test_it_packs_into_512_bytes_and_back():
    signature = minhash.minhash_of(["a", "b"])
    packed = minhash.pack(signature)
    assert len(packed) == 512 and np.array_equal(minhash.unpack(packed), signature)


def test_it_gives_identical_sets_identical_band_keys_and_empty_sets_none():
    keys = minhash.band_keys(minhash.minhash_of(["x", "y"]))
    assert len(keys) == minhash.BANDS and keys == minhash.band_keys(minhash.minhash_of(["y", "x"]))
    assert minhash.band_keys(minhash.minhash_of([])) == []
    assert minhash.jaccard(minhash.minhash_of([]), minhash.minhash_of([])) == 0.0


def test_it_scores_many_rows_at_once_like_one_by_one():
    rows = [minhash.minhash_of([str(i), str(i + 1), "z"]) for i in range(5)]
    query = minhash.minhash_of(["1", "2", "z"])
    many = minhash.jaccard_many(query, np.stack(rows))
    assert [round(float(x), 4) for x in many] == [round(minhash.jaccard(query, r), 4) for r in rows]


def test_simhash_keeps_near_texts_near_and_far_texts_far():
    base = simhash.simhash64(tokenize("the quick brown fox jumps over the lazy dog again and again"))
    near = simhash.simhash64(tokenize("the quick brown fox jumps over the lazy cat again and again"))
    far = simhash.simhash64(tokenize("completely different words about parsing python source code"))
    assert simhash.similarity(base, near) > simhash.similarity(base, far)
    assert -(1 << 63) <= base < (1 << 63)


def test_winnowing_sees_a_copied_block_inside_a_larger_change():
    block = tokenize("def f ( x ) : return x * 2 + helper ( x , y )")
    larger = tokenize("import os") + block + tokenize("print ( f ( 3 ) )")
    small, big = winnowing.fingerprints(block), winnowing.fingerprints(larger)
    assert winnowing.containment(small, big) == 1.0
    assert winnowing.containment(big, small) < 1.0
    assert winnowing.shared_count(small, big) == len(small)
