"""Sentence embeddings from WordLlama's token vectors, read with numpy alone.

WordLlama (MIT licence, https://github.com/dleemiller/WordLlama) ships a 256-dimension table of
token vectors, one per entry of the Llama 2 tokenizer's 32,000 pieces; a sentence's vector is
the mean of its tokens' vectors. The ``wordllama`` package itself needs numpy 2 and pydantic 2,
which Rasa 3.6 forbids, so the set-up takes only its two data files out of the published wheel
(``python -m bot build-embeddings``, see ``fetch``) and this module reads them:
- the weights (safetensors: an 8-byte header length, a JSON header, then the raw array);
- the tokenizer (Hugging Face ``tokenizer.json``): Llama 2's byte-pair encoding, which we apply
  ourselves (spaces become "▁", pairs merged by rank, unknown characters as UTF-8 bytes).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import struct
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np

DEFAULT_DIR = Path("build/wordllama")
WHEEL = "wordllama==0.4.0.post1"
# The two files we take from the wheel, with their SHA-256, so a changed upload is refused.
FILES = {
    "wordllama/weights/l2_supercat_256.safetensors": (
        "l2_supercat_256.safetensors",
        "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5",
    ),
    "wordllama/tokenizers/l2_supercat_tokenizer_config.json": (
        "l2_supercat_tokenizer_config.json",
        "93248f2a9ec36c7b35f700a033d5f36228aae48db61aee31007fa49062cdeb68",
    ),
}
WEIGHTS_FILE = "l2_supercat_256.safetensors"
TOKENIZER_FILE = "l2_supercat_tokenizer_config.json"
TENSOR = "embedding.weight"
SPACE = "▁"
# Llama 2 has no piece with "▁" after another character (only runs of "▁"), so BPE never
# merges across a word start: each "▁word" chunk can be encoded on its own (and cached).
_CHUNK = re.compile(f"{SPACE}+[^{SPACE}]*|[^{SPACE}]+")
_DTYPES = {"F16": np.float16, "F32": np.float32}


def read_safetensor(path: Path, name: str = TENSOR) -> np.ndarray:
    data = path.read_bytes()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_len])
    info = header[name]
    start, end = info["data_offsets"]
    base = 8 + header_len
    array = np.frombuffer(data[base + start : base + end], dtype=_DTYPES[info["dtype"]])
    return array.reshape(info["shape"])


class BytePairTokenizer:
    """Llama 2's tokenizer (BPE with byte fallback) from a ``tokenizer.json``."""

    def __init__(self, vocab: dict[str, int], merges: list[str]) -> None:
        self.vocab = vocab
        self.ranks = {tuple(m.split(" ", 1)): rank for rank, m in enumerate(merges)}
        self._cache: dict[str, tuple[int, ...]] = {}

    @classmethod
    def from_file(cls, path: Path) -> BytePairTokenizer:
        model = json.loads(path.read_text(encoding="utf-8"))["model"]
        return cls(model["vocab"], model["merges"])

    def ids(self, text: str) -> list[int]:
        # The normaliser: a "▁" before the text and in place of every space (runs kept as typed).
        normal = SPACE + " ".join(text.split()).replace(" ", SPACE)
        out: list[int] = []
        for chunk in _CHUNK.findall(normal):
            cached = self._cache.get(chunk)
            if cached is None:
                cached = self._cache[chunk] = tuple(self._encode(chunk))
            out.extend(cached)
        return out

    def _encode(self, chunk: str) -> list[int]:
        symbols = list(chunk)
        while len(symbols) > 1:
            pairs = [(self.ranks.get((a, b)), i) for i, (a, b) in enumerate(pairwise(symbols))]
            ranked = [(rank, i) for rank, i in pairs if rank is not None]
            if not ranked:
                break
            _, i = min(ranked)
            symbols[i : i + 2] = [symbols[i] + symbols[i + 1]]
        out: list[int] = []
        for symbol in symbols:
            if symbol in self.vocab:
                out.append(self.vocab[symbol])
            else:  # byte fallback: a character the vocabulary lacks, as its UTF-8 bytes
                out.extend(self.vocab[f"<0x{byte:02X}>"] for byte in symbol.encode("utf-8"))
        return out


@dataclass
class SentenceEmbedder:
    """A text's vector: the mean of its token vectors, scaled to length 1 (cosine = dot)."""

    vectors: np.ndarray  # (vocabulary, dimensions), float32
    tokenizer: BytePairTokenizer

    @classmethod
    def load(cls, directory: Path = DEFAULT_DIR) -> SentenceEmbedder:
        vectors = read_safetensor(directory / WEIGHTS_FILE).astype(np.float32)
        return cls(vectors, BytePairTokenizer.from_file(directory / TOKENIZER_FILE))

    @property
    def dimensions(self) -> int:
        return int(self.vectors.shape[1])

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self.tokenizer.ids(text)
            if not ids:
                continue
            mean = self.vectors[ids].mean(axis=0)
            norm = float(np.linalg.norm(mean))
            if norm > 0:
                out[row] = mean / norm
        return out


@lru_cache(maxsize=2)
def load_embedder(directory: str = str(DEFAULT_DIR)) -> SentenceEmbedder:
    return SentenceEmbedder.load(Path(directory))


def files_present(directory: Path = DEFAULT_DIR) -> bool:
    return all((directory / name).exists() for name, _ in FILES.values())


def fingerprint(directory: Path = DEFAULT_DIR) -> str:
    """The pinned hashes (what the set-up fetched), for the training fingerprint."""
    return hashlib.sha256("".join(digest for _, digest in FILES.values()).encode()).hexdigest()[:16]


def extract(wheel: bytes, directory: Path) -> None:
    """Writes the two data files out of the wheel, refusing any whose hash is not the pinned one."""
    directory.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        for member, (name, digest) in FILES.items():
            data = archive.read(member)
            got = hashlib.sha256(data).hexdigest()
            if got != digest:
                raise ValueError(f"{member} in {WHEEL} has SHA-256 {got}, expected {digest}")
            (directory / name).write_bytes(data)


def fetch(directory: Path = DEFAULT_DIR) -> bool:
    """Downloads the wordllama wheel with pip (no dependencies, never installed) and extracts
    the data files. Returns False when they were already there."""
    if files_present(directory):
        return False
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", WHEEL, "--no-deps", "--only-binary", ":all:",
             "--python-version", "3.10", "--platform", "manylinux2014_x86_64", "--quiet", "-d", tmp],
            check=True,
        )
        (wheel,) = Path(tmp).glob("*.whl")
        extract(wheel.read_bytes(), directory)
    return True
