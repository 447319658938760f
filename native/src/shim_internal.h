// Private helpers shared by the shim's source files. Not installed; the public ABI is
// include/paddlenet_native.h only.
#ifndef PADDLENET_NATIVE_SHIM_INTERNAL_H
#define PADDLENET_NATIVE_SHIM_INTERNAL_H

#include "paddlenet_native.h"

#include <opencv2/core.hpp>

#include <cstdint>
#include <exception>
#include <new>

#if defined(__GNUC__) || defined(__clang__)
#  define PN_PRINTF_LIKE(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#  define PN_PRINTF_LIKE(fmt_index, first_arg)
#endif

namespace paddlenet_native {

// Records a printf-formatted message as this thread's last error and returns status.
int32_t SetError(int32_t status, const char* format, ...) PN_PRINTF_LIKE(2, 3);

// Clears this thread's last error; every export calls it first.
void ClearError();

// Copies text into a caller buffer with GetLastErrorMessage's truncation rules.
int32_t CopyString(const char* text, char* buffer, int32_t capacity, int32_t* length);

// Byte count of a packed height x width x channels uint8 image, or -1 when a dimension is not
// positive or the product overflows int64.
int64_t PackedSize(int32_t height, int32_t width, int32_t channels);

// True when [a, a + a_len) and [b, b + b_len) share a byte.
bool Overlaps(const void* a, int64_t a_len, const void* b, int64_t b_len);

// Runs body (returning a status) and turns any C++ exception into a status and a message, so
// that no exception ever crosses the C boundary.
template <typename Body>
int32_t Guarded(const char* function, Body&& body) noexcept
{
    try {
        return body();
    } catch (const cv::Exception& e) {
        return SetError(PADDLENET_NATIVE_E_BACKEND, "%s: OpenCV error: %s", function, e.what());
    } catch (const std::bad_alloc&) {
        return SetError(PADDLENET_NATIVE_E_OUT_OF_MEMORY, "%s: out of memory", function);
    } catch (const std::exception& e) {
        return SetError(PADDLENET_NATIVE_E_INTERNAL, "%s: %s", function, e.what());
    } catch (...) {
        return SetError(PADDLENET_NATIVE_E_INTERNAL, "%s: unknown C++ exception", function);
    }
}

}  // namespace paddlenet_native

#endif  // PADDLENET_NATIVE_SHIM_INTERNAL_H
