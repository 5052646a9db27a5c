"""A stand-in for the custom node github.com/stavsap/comfyui-kokoro, for scripts/comfyui-real-smoke.sh only.

config/workflows/tts-kokoro.json needs that node, which downloads a model and cannot run here. This package has the
same node classes, input names, types, combo values (the ones the template uses among them) and output type, so a real
ComfyUI validates the template's wiring exactly as it would with the real node; the speech itself comes from
espeak-ng, so the audio path (AUDIO -> SaveAudio -> /view -> the narration) is real too. Never install it on a
production ComfyUI.
"""
import io
import subprocess
import wave

import numpy as np
import torch

VOICES = ["af_heart", "af_alloy", "af_bella", "af_sarah", "af_sky", "am_adam", "am_michael", "bf_emma", "bf_isabella",
          "bm_george", "bm_lewis"]
LANGUAGES = {"English": "en-us", "English (British)": "en-gb", "French": "fr", "Japanese": "ja", "Hindi": "hi",
             "Mandarin Chinese": "cmn", "Spanish": "es", "Brazilian Portuguese": "pt-br", "Italian": "it"}


class KokoroSpeaker:
    @classmethod
    def INPUT_TYPES(cls):
        return {"required": {"speaker_name": (VOICES, {"default": "af_sarah"})}}

    RETURN_TYPES = ("KOKORO_SPEAKER",)
    RETURN_NAMES = ("speaker",)
    FUNCTION = "select"
    CATEGORY = "kokoro"

    def select(self, speaker_name):
        return ({"speaker": speaker_name},)


class KokoroGenerator:
    @classmethod
    def INPUT_TYPES(cls):
        return {"required": {
            "text": ("STRING", {"multiline": True, "default": "I am a synthesized robot"}),
            "speaker": ("KOKORO_SPEAKER",),
            "speed": ("FLOAT", {"default": 1, "min": 0.1, "max": 4, "step": 0.05}),
            "lang": (list(LANGUAGES), {"default": "English"}),
        }}

    RETURN_TYPES = ("AUDIO",)
    RETURN_NAMES = ("audio",)
    FUNCTION = "generate"
    CATEGORY = "kokoro"

    def generate(self, text, speaker, speed, lang):
        spoken = subprocess.run(["espeak-ng", "-v", LANGUAGES[lang], "-s", str(int(175 * speed)), "--stdout", text],
                                check=True, capture_output=True).stdout
        with wave.open(io.BytesIO(spoken)) as w:
            rate = w.getframerate()
            samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768.0
        # ComfyUI's AUDIO: a [batch, channels, samples] waveform and its rate.
        return ({"waveform": torch.from_numpy(samples.copy()).unsqueeze(0).unsqueeze(0), "sample_rate": rate},)


NODE_CLASS_MAPPINGS = {"KokoroSpeaker": KokoroSpeaker, "KokoroGenerator": KokoroGenerator}
