// Encoding: cv::imencode into a shim-owned buffer handle, so that the caller can size its own
// buffer (BufferGetSize) before the bytes are copied out (BufferCopyTo), as decoding does.
#include "shim_internal.h"

#include <opencv2/imgcodecs.hpp>

#include <cctype>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

struct PaddleNetNative_Buffer {
    std::vector<uint8_t> bytes;
};

namespace paddlenet_native {
namespace {

// ".png" / ".jpg" / ".jpeg" in any case -> the lower-case extension, else empty.
std::string NormalizeExtension(const char* extension)
{
    std::string e(extension);
    for (char& c : e) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return e == ".png" || e == ".jpg" || e == ".jpeg" ? e : std::string();
}

}  // namespace
}  // namespace paddlenet_native

using namespace paddlenet_native;

extern "C" {

PADDLENET_NATIVE_API int32_t PaddleNetNative_Encode(const uint8_t* src, int64_t src_length,
                                                    int32_t height, int32_t width, int32_t channels,
                                                    const char* extension, int32_t quality,
                                                    PaddleNetNative_Buffer** buffer)
{
    ClearError();
    const char* fn = "PaddleNetNative_Encode";
    if (src == nullptr || extension == nullptr || buffer == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: arguments must not be null", fn);
    }
    if (channels != 1 && channels != 3 && channels != 4) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: channels must be 1, 3 or 4 (got %d)", fn,
                        static_cast<int>(channels));
    }
    const std::string ext = NormalizeExtension(extension);
    if (ext.empty()) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: unsupported extension '%s' (use .png, .jpg or .jpeg)",
                        fn, extension);
    }
    const bool png = ext == ".png";
    if (quality != -1 && (quality < 0 || quality > (png ? 9 : 100))) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: quality %d is out of range for %s", fn,
                        static_cast<int>(quality), ext.c_str());
    }
    const int64_t bytes = PackedSize(height, width, channels);
    if (bytes < 0) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: size must be positive (got %d x %d)", fn,
                        static_cast<int>(height), static_cast<int>(width));
    }
    if (src_length < bytes) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL, "%s: source holds %lld bytes, needs %lld", fn,
                        static_cast<long long>(src_length), static_cast<long long>(bytes));
    }
    return Guarded(fn, [&]() -> int32_t {
        const cv::Mat in(height, width, CV_8UC(channels), const_cast<uint8_t*>(src));
        std::vector<int> params;
        if (quality != -1) {
            params = {png ? cv::IMWRITE_PNG_COMPRESSION : cv::IMWRITE_JPEG_QUALITY, quality};
        }
        auto handle = new PaddleNetNative_Buffer();
        bool ok = false;
        try {
            ok = cv::imencode(ext, in, handle->bytes, params);
        } catch (...) {
            delete handle;
            throw;
        }
        if (!ok) {
            delete handle;
            return SetError(PADDLENET_NATIVE_E_BACKEND, "%s: cv::imencode(%s) returned false", fn, ext.c_str());
        }
        *buffer = handle;
        return PADDLENET_NATIVE_OK;
    });
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_BufferGetSize(const PaddleNetNative_Buffer* buffer, int64_t* length)
{
    ClearError();
    if (buffer == nullptr || length == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "PaddleNetNative_BufferGetSize: arguments must not be null");
    }
    *length = static_cast<int64_t>(buffer->bytes.size());
    return PADDLENET_NATIVE_OK;
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_BufferCopyTo(const PaddleNetNative_Buffer* buffer,
                                                          uint8_t* destination, int64_t capacity)
{
    ClearError();
    if (buffer == nullptr || destination == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "PaddleNetNative_BufferCopyTo: arguments must not be null");
    }
    const int64_t n = static_cast<int64_t>(buffer->bytes.size());
    if (capacity < n) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL,
                        "PaddleNetNative_BufferCopyTo: destination holds %lld bytes, needs %lld",
                        static_cast<long long>(capacity), static_cast<long long>(n));
    }
    if (n > 0) {
        std::memcpy(destination, buffer->bytes.data(), static_cast<size_t>(n));
    }
    return PADDLENET_NATIVE_OK;
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_BufferDestroy(PaddleNetNative_Buffer* buffer)
{
    ClearError();
    delete buffer;
    return PADDLENET_NATIVE_OK;
}

}  // extern "C"
