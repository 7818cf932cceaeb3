from ingestion.core.git_log import parse_diff, parse_log, parse_record

HEADER = b"%s\x00%s\x00Ada\x00ada@example.org\x001700000000\x00Bob\x00bob@example.org\x001700000100\x00%s\x00"


def record(sha: bytes, parents: bytes, message: bytes, diff: bytes = b"") -> bytes:
    return HEADER % (sha, parents, message) + diff


def test_it_replaces_bytes_that_are_not_utf8():
    parsed = parse_record(record(b"a" * 40, b"", b"caf\xff\n"))
    assert parsed.message == "caf\ufffd"
    assert parsed.committed_at.timestamp() == 1700000100


def test_it_reads_statuses_renames_and_binary_counts():
    diff = (
        b"\x00\n:100644 100644 1 2 R090\x00old.py\x00new.py\x00:000000 100644 0 3 A\x00logo.png\x00"
        b":100644 000000 4 0 D\x00gone.md\x00"
        b"2\t1\t\x00old.py\x00new.py\x00-\t-\tlogo.png\x000\t7\tgone.md\x00"
    )
    files = {f.path: f for f in parse_diff(diff)}
    assert (files["new.py"].status, files["new.py"].previous_path, files["new.py"].additions) == (
        "RENAMED",
        "old.py",
        2,
    )
    assert files["logo.png"].is_binary and files["logo.png"].status == "ADDED"
    assert (files["gone.md"].status, files["gone.md"].deletions) == ("REMOVED", 7)


def test_it_splits_a_stream_at_any_chunk_boundary():
    stream = b"".join(b"\x1e" + record(bytes([97 + i]) * 40, b"", b"m%d" % i) for i in range(5))
    chunks = [stream[i : i + 7] for i in range(0, len(stream), 7)]
    assert [c.message for c in parse_log(chunks)] == [f"m{i}" for i in range(5)]


def test_it_reads_merge_parents():
    parsed = parse_record(record(b"a" * 40, b"b" * 40 + b" " + b"c" * 40, b"Merge"))
    assert parsed.parents == ["b" * 40, "c" * 40]
