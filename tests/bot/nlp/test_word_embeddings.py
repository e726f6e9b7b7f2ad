"""WordLlama's files read without the wordllama package: tokenizer, weights, the pinned download."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest

from bot.nlp import word_embeddings
from bot.nlp.word_embeddings import BytePairTokenizer, SentenceEmbedder, extract, read_safetensor


def _tokenizer() -> BytePairTokenizer:
    pieces = ["<unk>", *(f"<0x{b:02X}>" for b in range(256)), "▁", "c", "a", "r", "e", "▁c", "ar", "▁car", "▁care", "s"]
    merges = ["▁ c", "a r", "▁c ar", "▁car e"]
    return BytePairTokenizer({p: i for i, p in enumerate(pieces)}, merges)


def test_merges_follow_rank_and_spaces_start_words() -> None:
    tok = _tokenizer()
    vocab = tok.vocab
    assert tok.ids("care") == [vocab["▁care"]]
    assert tok.ids("cares  care") == [vocab["▁care"], vocab["s"], vocab["▁care"]]


def test_characters_outside_the_vocabulary_fall_back_to_bytes() -> None:
    tok = _tokenizer()
    assert tok.ids("é") == [tok.vocab["▁"], tok.vocab["<0xC3>"], tok.vocab["<0xA9>"]]


def _safetensors(array: np.ndarray) -> bytes:
    header = json.dumps({"embedding.weight": {"dtype": "F16", "shape": list(array.shape),
                                              "data_offsets": [0, array.nbytes]}}).encode()
    return struct.pack("<Q", len(header)) + header + array.astype(np.float16).tobytes()


def test_safetensors_weights_are_read_with_numpy(tmp_path: Path) -> None:
    array = np.arange(12, dtype=np.float16).reshape(3, 4)
    (tmp_path / "w.safetensors").write_bytes(_safetensors(array))
    assert np.array_equal(read_safetensor(tmp_path / "w.safetensors"), array)


def test_a_sentence_vector_is_the_normalised_mean_of_its_tokens() -> None:
    tok = _tokenizer()
    vectors = np.zeros((len(tok.vocab), 2), dtype=np.float32)
    vectors[tok.vocab["▁care"]] = [3.0, 0.0]
    vectors[tok.vocab["s"]] = [0.0, 3.0]
    embedder = SentenceEmbedder(vectors, tok)
    out = embedder.embed(["cares", ""])
    assert np.allclose(out[0], [2**-0.5, 2**-0.5])
    assert np.allclose(out[1], [0.0, 0.0])  # no tokens: a zero vector, not NaN


def test_a_wheel_whose_files_are_not_the_pinned_ones_is_refused(tmp_path: Path, monkeypatch) -> None:
    good, bad = b"weights", b"something else"
    monkeypatch.setattr(word_embeddings, "FILES", {
        "pkg/w.bin": ("w.bin", hashlib.sha256(good).hexdigest()),
    })

    def wheel(data: bytes) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("pkg/w.bin", data)
        return buffer.getvalue()

    extract(wheel(good), tmp_path / "ok")
    assert (tmp_path / "ok" / "w.bin").read_bytes() == good
    with pytest.raises(ValueError, match="SHA-256"):
        extract(wheel(bad), tmp_path / "bad")


@pytest.mark.skipif(not word_embeddings.files_present(), reason="run `python -m bot build-embeddings` first")
def test_the_real_vectors_put_related_questions_closer_than_unrelated_ones() -> None:
    embedder = word_embeddings.load_embedder()
    a, b, c = embedder.embed(["who pays for a care home", "nursing home fees", "can i get a wheelchair"])
    assert float(a @ b) > float(a @ c)
