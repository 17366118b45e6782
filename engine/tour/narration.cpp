#include "tour/narration.h"

#include <cstdlib>
#include <filesystem>
#include <string>

#define MA_NO_GENERATION  // as in miniaudio.cpp, which holds the implementation
#include <miniaudio.h>

namespace vt::tour {

struct Narration::Impl {
    ma_engine engine{};
    bool engineReady = false;
    ma_sound sound{};
    bool soundReady = false;
    bool engineTried = false;
};

Narration::Narration() : impl_(std::make_unique<Impl>()) {}

// Opens the device on first use; no device is not an error: the tour runs silently with captions on
// the clock. VITRINE_NO_AUDIO=1 skips the device (tests). miniaudio's last resort is its null
// backend, a thread that consumes samples in wall-clock time: that counts as no device, so a machine
// without sound (CI) keeps the frame clock and scripted runs stay deterministic.
static bool startEngine(ma_engine& engine, bool& tried) {
    if (tried) return false;
    tried = true;
    const char* off = std::getenv("VITRINE_NO_AUDIO");
    if (off && std::string(off) == "1") return false;
    if (ma_engine_init(nullptr, &engine) != MA_SUCCESS) return false;
    const ma_device* device = ma_engine_get_device(&engine);
    if (!device || !device->pContext || device->pContext->backend == ma_backend_null) {
        ma_engine_uninit(&engine);
        return false;
    }
    return true;
}

Narration::~Narration() {
    stop();
    if (impl_->engineReady) ma_engine_uninit(&impl_->engine);
}

bool Narration::hasDevice() const { return impl_->engineReady; }

Result<void> Narration::play(const std::string& path) {
    stop();
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) return fail("{}: no such narration file", path);
    // Length from a decoder, so it is known with or without a device.
    ma_decoder decoder;
    if (ma_decoder_init_file(path.c_str(), nullptr, &decoder) != MA_SUCCESS)
        return fail("{}: cannot decode the narration (expected WAV, FLAC or MP3)", path);
    ma_uint64 frames = 0;
    ma_decoder_get_length_in_pcm_frames(&decoder, &frames);
    length_ = decoder.outputSampleRate ? float(double(frames) / decoder.outputSampleRate) : 0.0f;
    ma_decoder_uninit(&decoder);
    if (!impl_->engineReady) impl_->engineReady = startEngine(impl_->engine, impl_->engineTried);
    if (impl_->engineReady) {
        // The file decoded above; if the device cannot take it, it is timed on the clock instead.
        if (ma_sound_init_from_file(&impl_->engine, path.c_str(), MA_SOUND_FLAG_STREAM, nullptr, nullptr,
                                    &impl_->sound) == MA_SUCCESS) {
            impl_->soundReady = true;
            if (ma_sound_start(&impl_->sound) != MA_SUCCESS) {
                ma_sound_uninit(&impl_->sound);
                impl_->soundReady = false;
            }
        }
    }
    active_ = true;
    paused_ = false;
    clock_ = 0.0f;
    return {};
}

void Narration::stop() {
    if (impl_->soundReady) {
        ma_sound_uninit(&impl_->sound);
        impl_->soundReady = false;
    }
    active_ = false;
    clock_ = 0.0f;
    length_ = 0.0f;
}

void Narration::setPaused(bool paused) {
    paused_ = paused;
    if (!impl_->soundReady) return;
    if (paused)
        ma_sound_stop(&impl_->sound);
    else
        ma_sound_start(&impl_->sound);
}

void Narration::advance(float seconds) {
    if (active_ && !paused_ && !impl_->soundReady) clock_ += seconds;
}

float Narration::positionSeconds() const {
    if (impl_->soundReady) {
        float cursor = 0.0f;
        ma_sound_get_cursor_in_seconds(&impl_->sound, &cursor);
        return cursor;
    }
    return clock_;
}

bool Narration::finished() const {
    if (!active_) return true;
    if (impl_->soundReady) return ma_sound_at_end(&impl_->sound);
    return clock_ >= length_;
}

}  // namespace vt::tour
