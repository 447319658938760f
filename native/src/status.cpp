// Thread-local last-error message, ABI/version queries and small shared helpers.
#include "shim_internal.h"

#include <opencv2/core/version.hpp>

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace paddlenet_native {
namespace {

constexpr int kMessageCapacity = 2048;

// Fixed-size per-thread storage: no allocation, no destructor to run at thread exit.
thread_local char t_message[kMessageCapacity];
thread_local int32_t t_message_length = 0;

}  // namespace

int32_t SetError(int32_t status, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    const int written = std::vsnprintf(t_message, sizeof t_message, format, args);
    va_end(args);
    if (written < 0) {
        t_message[0] = '\0';
        t_message_length = 0;
    } else {
        t_message_length = written < kMessageCapacity ? written : kMessageCapacity - 1;
    }
    return status;
}

void ClearError()
{
    t_message[0] = '\0';
    t_message_length = 0;
}

int32_t CopyString(const char* text, char* buffer, int32_t capacity, int32_t* length)
{
    if (capacity < 0 || (capacity > 0 && buffer == nullptr)) {
        return PADDLENET_NATIVE_E_INVALID_ARGUMENT;
    }
    const std::size_t full = std::strlen(text);
    if (capacity > 0) {
        const std::size_t room = static_cast<std::size_t>(capacity) - 1;
        const std::size_t n = full < room ? full : room;
        std::memcpy(buffer, text, n);
        buffer[n] = '\0';
    }
    if (length != nullptr) {
        *length = static_cast<int32_t>(full);
    }
    return PADDLENET_NATIVE_OK;
}

int64_t PackedSize(int32_t height, int32_t width, int32_t channels)
{
    if (height <= 0 || width <= 0 || channels <= 0) {
        return -1;
    }
    const int64_t pixels = static_cast<int64_t>(height) * static_cast<int64_t>(width);  // < 2^62
    if (pixels > INT64_MAX / channels) {
        return -1;
    }
    return pixels * channels;
}

bool Overlaps(const void* a, int64_t a_len, const void* b, int64_t b_len)
{
    const auto pa = reinterpret_cast<std::uintptr_t>(a);
    const auto pb = reinterpret_cast<std::uintptr_t>(b);
    return pa < pb + static_cast<std::uintptr_t>(b_len) && pb < pa + static_cast<std::uintptr_t>(a_len);
}

}  // namespace paddlenet_native

using namespace paddlenet_native;

extern "C" {

PADDLENET_NATIVE_API int32_t PaddleNetNative_GetAbiVersion(void)
{
    return PADDLENET_NATIVE_ABI_VERSION;
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_GetLastErrorMessage(char* buffer, int32_t capacity,
                                                                 int32_t* length)
{
    // Deliberately does not clear the message: reading it twice gives the same text.
    if (capacity < 0 || (capacity > 0 && buffer == nullptr)) {
        return PADDLENET_NATIVE_E_INVALID_ARGUMENT;
    }
    return CopyString(t_message_length > 0 ? t_message : "", buffer, capacity, length);
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_GetBackendVersion(char* buffer, int32_t capacity,
                                                               int32_t* length)
{
    ClearError();
    const int32_t status = CopyString(CV_VERSION, buffer, capacity, length);
    if (status != PADDLENET_NATIVE_OK) {
        return SetError(status, "PaddleNetNative_GetBackendVersion: buffer is null with capacity %d",
                        static_cast<int>(capacity));
    }
    return status;
}

}  // extern "C"
