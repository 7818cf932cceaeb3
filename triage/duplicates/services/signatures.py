"""Store a head's channel signatures and its retrieval index rows, and rebuild signatures
from stored rows for scoring."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.utils import timezone

from ingestion.models import PullRequest
from triage.duplicates.core import minhash, winnowing
from triage.duplicates.core.retrieval import dir_prefixes, index_keys
from triage.duplicates.core.signature import SIGNATURE_VERSION, PRSignature
from triage.duplicates.core.signature import ChannelSignature as PureChannelSignature
from triage.duplicates.core.text import clean_body, clean_title, pull_request_references, words
from triage.duplicates.models import ChangedPath, ChannelSignature, LshBucketEntry, Symbol
from triage.duplicates.models.choices import SymbolKind

#: index keys that live in lsh_bucket_entries (bucket id = the key itself or its hash)
TEXT_INDEXES = ("band", "ref", "word", "test")


def bucket_id(kind: str, value: object) -> int:
    """A BIGINT bucket id for a key: LSH band keys already are one, others are hashed."""
    if kind == "band":
        return int(value)  # type: ignore[call-overload]
    digest = hashlib.blake2b(f"{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@transaction.atomic
def signatures_store(*, pull_request: PullRequest, head_sha: str, signature: PRSignature) -> None:
    """Idempotent: storing the same head twice leaves one set of rows."""
    repository_id = pull_request.repository_id
    written_at = timezone.now()
    for channel, sig in signature.channels.items():
        ChannelSignature.objects.update_or_create(
            pull_request=pull_request, head_sha=head_sha, channel=channel, signature_version=SIGNATURE_VERSION,
            defaults={
                # The revision that processes caching decoded signatures compare with
                # (triage.duplicates.core.signature_cache): a rewrite must change it.
                "computed_at": written_at,
                "repository_id": repository_id,
                "canonical_diff_hash": sig.canonical_diff_hash,
                "simhash64": sig.simhash64,
                "minhash": minhash.pack(sig.minhash),
                "minhash_shingle_count": sig.shingle_count,
                "winnow_fingerprints": winnowing.pack(sig.winnow),
                "winnow_count": len(sig.winnow),
                "paths_json": sig.paths,
                "exports_json": [{"name": name} for name in sorted(sig.exports)],
                "symbols_json": sorted(sig.declarations),
                "imports_json": sorted(sig.imports),
                "test_intent_json": sig.test_intent,
                "doc_structure_json": sig.doc_structure,
                "size_metrics_json": sig.size_metrics,
                "errors_json": sig.errors,
            },
        )
        ChangedPath.objects.bulk_create(
            [
                ChangedPath(
                    repository_id=repository_id, pull_request=pull_request, head_sha=head_sha, channel=channel,
                    path=path, **{f"dir_prefix_{i + 1}": prefix for i, prefix in enumerate(dir_prefixes(path))},
                )
                for path in sig.paths
            ],
            ignore_conflicts=True,
        )
        symbol_rows = [(SymbolKind.DECL, name) for name in sig.declarations]
        symbol_rows += [(SymbolKind.EXPORT, name) for name in sig.exports]
        symbol_rows += [(SymbolKind.IMPORT, name) for name in sig.imports]
        Symbol.objects.bulk_create(
            [
                Symbol(repository_id=repository_id, pull_request=pull_request, head_sha=head_sha, kind=kind,
                       symbol=name[:300])
                for kind, name in symbol_rows
            ],
            ignore_conflicts=True,
        )
    LshBucketEntry.objects.bulk_create(
        [
            LshBucketEntry(repository_id=repository_id, index_name=kind, bucket_id=bucket_id(kind, value),
                           pull_request=pull_request, head_sha=head_sha)
            for kind, value in index_keys(signature)
            if kind in TEXT_INDEXES
        ],
        ignore_conflicts=True,
    )


def signatures_store_many(heads: list[tuple[PullRequest, str, PRSignature]], *, batch_size: int = 5000) -> None:
    """Bulk version of `signatures_store` for backfills of many new heads (rows that exist
    already are left as they are)."""
    signatures, paths, symbols, buckets = [], [], [], []
    for pull_request, head_sha, signature in heads:
        common = {"repository_id": pull_request.repository_id, "pull_request": pull_request, "head_sha": head_sha}
        for channel, sig in signature.channels.items():
            signatures.append(ChannelSignature(
                **common, channel=channel, signature_version=SIGNATURE_VERSION,
                canonical_diff_hash=sig.canonical_diff_hash, simhash64=sig.simhash64,
                minhash=minhash.pack(sig.minhash), minhash_shingle_count=sig.shingle_count,
                winnow_fingerprints=winnowing.pack(sig.winnow), winnow_count=len(sig.winnow),
                paths_json=sig.paths, exports_json=[{"name": name} for name in sorted(sig.exports)],
                symbols_json=sorted(sig.declarations), imports_json=sorted(sig.imports),
                test_intent_json=sig.test_intent, doc_structure_json=sig.doc_structure,
                size_metrics_json=sig.size_metrics, errors_json=sig.errors,
            ))
            paths += [
                ChangedPath(**common, channel=channel, path=path,
                            **{f"dir_prefix_{i + 1}": prefix for i, prefix in enumerate(dir_prefixes(path))})
                for path in sig.paths
            ]
            symbols += [Symbol(**common, kind=SymbolKind.DECL, symbol=name[:300]) for name in sig.declarations]
            symbols += [Symbol(**common, kind=SymbolKind.IMPORT, symbol=name[:300]) for name in sig.imports]
        buckets += [
            LshBucketEntry(**common, index_name=kind, bucket_id=bucket_id(kind, value))
            for kind, value in index_keys(signature) if kind in TEXT_INDEXES
        ]
    with transaction.atomic():
        for model, rows in ((ChannelSignature, signatures), (ChangedPath, paths), (Symbol, symbols),
                            (LshBucketEntry, buckets)):
            model.objects.bulk_create(rows, batch_size=batch_size, ignore_conflicts=True)


def signature_from_values(
    rows: list[tuple | list], *, title: str, body: str, number: int | None = None, branch: str = ""
) -> PRSignature:
    """The scoring view of stored `pr_channel_signatures` values (raw lines are not stored, so
    nothing else is needed), one tuple per channel: channel, canonical diff hash, simhash64,
    minhash bytes, shingle count, winnow bytes, then the JSON columns paths, symbols, imports,
    exports, test intent, doc structure, size metrics and errors, as a list or as the text of
    one JSON array (how the retrieval query returns them)."""
    channels = {}
    for channel, diff_hash, simhash64, packed_minhash, shingles, packed_winnow, documents in rows:
        paths, symbols, imports, exports, intent, structure, sizes, errors = (
            json.loads(documents) if isinstance(documents, str) else documents
        )
        channels[channel] = PureChannelSignature(
            channel=channel,
            paths=list(paths),
            canonical_diff_hash=diff_hash,
            simhash64=simhash64 or 0,
            minhash=minhash.unpack(bytes(packed_minhash)) if packed_minhash else minhash.minhash_of([]),
            shingle_count=shingles,
            winnow=winnowing.unpack(bytes(packed_winnow)) if packed_winnow else winnowing.fingerprints([]),
            declarations=set(symbols),
            exports={entry["name"] for entry in exports},
            imports=set(imports),
            test_intent=intent,
            doc_structure=structure,
            size_metrics=sizes,
            errors=list(errors),
        )
    cleaned_title, cleaned_body = clean_title(title, body), clean_body(body)
    return PRSignature(channels=channels, title=cleaned_title, body=cleaned_body, title_words=words(cleaned_title),
                       references=pull_request_references(title, body, number=number, branch=branch))
