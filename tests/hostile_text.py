"""A hypothesis strategy for text that once broke things: unpaired surrogates (half an emoji), control
characters, mixed scripts, emoji, combining marks and direction overrides. Used by the gateway fuzzing
and the red-flag fuzzing."""

from __future__ import annotations

from hypothesis import strategies as st

# Letters of other scripts, no Latin letters or digits: surrounding a red-flag message with these
# must not change what it says in English.
OTHER_SCRIPTS = "пожалуйстаこんにちは你好مرحباשלוםγειάनमस्ते"
SYMBOLS = "\U0001F494\U0001F600\u2764\ufe0f\u200d\u0301\u0308?!.,;:-()[]\"'…“”‘’"
CONTROLS = [chr(c) for c in range(0x00, 0x20)] + ["\x7f", "\x85", "\u202e", "\u202d", "\u2028", "\ufeff"]
UNPAIRED_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d"]

pieces = st.one_of(
    st.sampled_from(list(OTHER_SCRIPTS)),
    st.sampled_from(list(SYMBOLS)),
    st.sampled_from(CONTROLS),
    st.sampled_from(UNPAIRED_SURROGATES),
    st.just(" "),
)
hostile_text = st.lists(pieces, max_size=12).map("".join)
