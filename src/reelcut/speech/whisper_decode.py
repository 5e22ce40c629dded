"""How each 30 s window is decoded: Whisper's own decode where it hears speech, one short
look where it does not (issue 20).

faster-whisper decodes a window at temperature 0 with beam search and, when the words fail
Whisper's checks (mean log-probability under -1.0, or text so repetitive it compresses more
than 2.4 times), samples it again at temperatures 0.2 ... 1.0, five candidates each. Crowd
noise and game sound that the voice-activity gate lets through is where this goes wrong: the
beam search falls into a loop ("see you next time, see you next time, ...", "Mm-hmm, mm, mm")
and runs to its 224-token limit, and the loop then fails the repetition check and is sampled
again. On the windows ``make`` reads from a 90-minute broadcast (bench/RESULTS.md, issue 20)
the looping first pass was 1.5 s of CPU per window against 0.1 s for a window that decodes
normally, and the 3-minute gaming footage of tests/e2e/test_highlights.py spent 2.7 s of 4.7
sampling three more loops; every one of these windows was thrown away in the end.

Whisper rates each window's chance of holding no speech before it decodes a word (its first
step). Where that rating is at most the no-speech threshold (0.6), the window is decoded
exactly as faster-whisper always did, fallback included: that is what keeps the words of talk
under noise (bench/speech.py). Where Whisper rates the window probably not speech:

- the temperature-0 pass runs with a short token limit (:data:`LOOK_TOKENS`); a decode that
  reaches it repeating itself, to its end, is a loop over noise, and the window is handed back
  as unconfident (mean log-probability -inf) so that faster-whisper's own no-speech rule skips
  it whole (no word alignment, no second look at its tail);
- a decode that reaches the limit without repeating is decoded again without it (dense talk
  Whisper doubted: a lecture window that opens on a laugh rated 0.66);
- there is no sampling fallback: sampling noise finds other noise (every sampled window of
  the runs above ended dropped, as silence or by :func:`reelcut.speech.whisper.heard_as_speech`),
  and a repetitive or unsure result of the one look is dropped by the same rule.

The rating costs one decoding step of the encoded window.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from faster_whisper import WhisperModel
from faster_whisper.transcribe import get_compression_ratio

#: The token limit of the look at a window Whisper rates probably not speech (faster-whisper's
#: ``max_new_tokens``; CTranslate2 stops at half the prompt and this, 96 tokens, as it stops
#: at 224 of its default 448): above what the doubted windows of real talk measured (66 and 92
#: tokens in the lecture of bench/sentence_cuts.py), well under the 224 a loop runs to.
LOOK_TOKENS = 192
#: The end of a capped look that must repeat itself for the look to count as a loop: a loop
#: runs on to the cap, so its last tokens repeat; a window that opens on a chant and goes on
#: into commentary does not, and judged on the whole look the chant alone could have made it
#: "a loop" and dropped the commentary with it (review of 1b006a2).
TAIL_TOKENS = 48
#: Tokens short of the cap at which a look still counts as cut off by it: CTranslate2's exact
#: cap (half its maximum length, or the limit asked) is its own detail, and one token either
#: way must not make a cut-off look pass for one that ended by itself.
_CAP_SLACK = 4


def is_loop(ratio: float, tail: str, most: float) -> bool:
    """Whether a look cut off by its token limit is a loop: its text repeats itself (compresses
    more than ``most``) and so does its end (``tail``, its last :data:`TAIL_TOKENS` tokens)."""
    return ratio > most and get_compression_ratio(tail) > most


class GuardedWhisperModel(WhisperModel):  # type: ignore[misc]
    """faster-whisper's model with the per-window decode policy of this module."""

    def generate_with_fallback(
        self, encoder_output: Any, prompt: list[int], tokenizer: Any, options: Any
    ) -> tuple[Any, float, float, float]:
        threshold = options.no_speech_threshold
        if (
            threshold is None
            or options.max_new_tokens is not None
            or len(prompt) + LOOK_TOKENS > self.max_length
        ):
            return super().generate_with_fallback(encoder_output, prompt, tokenizer, options)
        first = self.model.generate(
            encoder_output,
            [prompt],
            max_length=len(prompt) + 1,
            return_no_speech_prob=True,
            beam_size=1,
            suppress_blank=options.suppress_blank,
            suppress_tokens=options.suppress_tokens,
        )[0]
        if first.no_speech_prob <= threshold:  # Whisper hears speech: its own decode, unchanged
            return super().generate_with_fallback(encoder_output, prompt, tokenizer, options)
        once = dataclasses.replace(options, temperatures=[0.0])
        look = dataclasses.replace(once, max_new_tokens=LOOK_TOKENS)
        found = super().generate_with_fallback(encoder_output, prompt, tokenizer, look)
        result, _logprob, temperature, ratio = found
        tokens = result.sequences_ids[0]
        if len(tokens) < (len(prompt) + LOOK_TOKENS) // 2 - _CAP_SLACK:  # ended by itself
            return found
        most = options.compression_ratio_threshold
        tail = tokenizer.decode(tokens[-TAIL_TOKENS:]).strip()
        if most is not None and is_loop(ratio, tail, most):
            return result, float("-inf"), temperature, ratio  # skipped whole
        return super().generate_with_fallback(encoder_output, prompt, tokenizer, once)
