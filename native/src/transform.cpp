// Pixel transforms on caller-owned packed HWC uint8 buffers: cv::resize and cv::cvtColor,
// wrapped without copies (the cv::Mat headers point at the caller's memory).
#include "shim_internal.h"

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace paddlenet_native {
namespace {

bool IsValidInterpolation(int32_t interpolation)
{
    return interpolation >= PADDLENET_NATIVE_INTER_NEAREST &&
           interpolation <= PADDLENET_NATIVE_INTER_LANCZOS4;
}

// Source and destination channel counts of a supported conversion code, or false.
bool ColorChannels(int32_t code, int* source, int* destination)
{
    switch (code) {
        case PADDLENET_NATIVE_COLOR_BGRA2BGR: *source = 4; *destination = 3; return true;
        case PADDLENET_NATIVE_COLOR_BGRA2RGB: *source = 4; *destination = 3; return true;
        case PADDLENET_NATIVE_COLOR_BGR2RGB: *source = 3; *destination = 3; return true;
        case PADDLENET_NATIVE_COLOR_BGR2GRAY: *source = 3; *destination = 1; return true;
        case PADDLENET_NATIVE_COLOR_RGB2GRAY: *source = 3; *destination = 1; return true;
        case PADDLENET_NATIVE_COLOR_GRAY2BGR: *source = 1; *destination = 3; return true;
        case PADDLENET_NATIVE_COLOR_BGRA2GRAY: *source = 4; *destination = 1; return true;
        case PADDLENET_NATIVE_COLOR_RGBA2GRAY: *source = 4; *destination = 1; return true;
        default: return false;
    }
}

}  // namespace
}  // namespace paddlenet_native

using namespace paddlenet_native;

extern "C" {

PADDLENET_NATIVE_API int32_t PaddleNetNative_Resize(const uint8_t* src, int64_t src_length,
                                                    int32_t src_height, int32_t src_width,
                                                    int32_t channels, uint8_t* destination,
                                                    int64_t dst_capacity, int32_t dst_height,
                                                    int32_t dst_width, int32_t interpolation)
{
    ClearError();
    if (src == nullptr || destination == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_Resize: source and destination must not be null");
    }
    if (channels != 1 && channels != 3 && channels != 4) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_Resize: channels must be 1, 3 or 4 (got %d)", static_cast<int>(channels));
    }
    if (!IsValidInterpolation(interpolation)) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_Resize: unknown interpolation %d", static_cast<int>(interpolation));
    }
    const int64_t src_bytes = PackedSize(src_height, src_width, channels);
    const int64_t dst_bytes = PackedSize(dst_height, dst_width, channels);
    if (src_bytes < 0 || dst_bytes < 0) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_Resize: sizes must be positive (source %d x %d, destination %d x %d)",
                        static_cast<int>(src_height), static_cast<int>(src_width),
                        static_cast<int>(dst_height), static_cast<int>(dst_width));
    }
    if (src_length < src_bytes) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL,
                        "PaddleNetNative_Resize: source holds %lld bytes, %d x %d x %d needs %lld",
                        static_cast<long long>(src_length), static_cast<int>(src_height),
                        static_cast<int>(src_width), static_cast<int>(channels),
                        static_cast<long long>(src_bytes));
    }
    if (dst_capacity < dst_bytes) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL,
                        "PaddleNetNative_Resize: destination holds %lld bytes, %d x %d x %d needs %lld",
                        static_cast<long long>(dst_capacity), static_cast<int>(dst_height),
                        static_cast<int>(dst_width), static_cast<int>(channels),
                        static_cast<long long>(dst_bytes));
    }
    if (Overlaps(src, src_bytes, destination, dst_bytes)) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_Resize: source and destination overlap");
    }
    return Guarded("PaddleNetNative_Resize", [&]() -> int32_t {
        const cv::Mat in(src_height, src_width, CV_8UC(channels), const_cast<uint8_t*>(src));
        cv::Mat out(dst_height, dst_width, CV_8UC(channels), destination);
        cv::resize(in, out, cv::Size(dst_width, dst_height), 0.0, 0.0, interpolation);
        if (out.data != destination) {
            return SetError(PADDLENET_NATIVE_E_INTERNAL,
                            "PaddleNetNative_Resize: OpenCV reallocated the destination");
        }
        return PADDLENET_NATIVE_OK;
    });
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_ResizeScale(const uint8_t* src, int64_t src_length,
                                                         int32_t src_height, int32_t src_width,
                                                         int32_t channels, double fx, double fy,
                                                         int32_t interpolation,
                                                         uint8_t* destination, int64_t dst_capacity,
                                                         int32_t dst_height, int32_t dst_width)
{
    ClearError();
    if (src == nullptr || destination == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_ResizeScale: source and destination must not be null");
    }
    if (channels != 1 && channels != 3 && channels != 4) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_ResizeScale: channels must be 1, 3 or 4 (got %d)", static_cast<int>(channels));
    }
    if (!IsValidInterpolation(interpolation)) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_ResizeScale: unknown interpolation %d", static_cast<int>(interpolation));
    }
    if (!(std::isfinite(fx) && fx > 0.0 && std::isfinite(fy) && fy > 0.0)) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_ResizeScale: fx and fy must be finite and positive (got %g, %g)", fx, fy);
    }
    const int64_t src_bytes = PackedSize(src_height, src_width, channels);
    if (src_bytes < 0) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_ResizeScale: source size must be positive (got %d x %d)",
                        static_cast<int>(src_height), static_cast<int>(src_width));
    }
    // The size cv::resize derives from fx/fy (saturate_cast<int> of a double is cvRound).
    const double derived_w = static_cast<double>(src_width) * fx;
    const double derived_h = static_cast<double>(src_height) * fy;
    if (derived_w >= 2147483647.0 || derived_h >= 2147483647.0 ||
        cvRound(derived_w) != dst_width || cvRound(derived_h) != dst_height) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_ResizeScale: destination %d x %d is not the size OpenCV derives "
                        "from %d x %d with fx %.17g, fy %.17g",
                        static_cast<int>(dst_height), static_cast<int>(dst_width),
                        static_cast<int>(src_height), static_cast<int>(src_width), fx, fy);
    }
    const int64_t dst_bytes = PackedSize(dst_height, dst_width, channels);
    if (dst_bytes < 0) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_ResizeScale: the scaled size %d x %d is empty",
                        static_cast<int>(dst_height), static_cast<int>(dst_width));
    }
    if (src_length < src_bytes) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL,
                        "PaddleNetNative_ResizeScale: source holds %lld bytes, needs %lld",
                        static_cast<long long>(src_length), static_cast<long long>(src_bytes));
    }
    if (dst_capacity < dst_bytes) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL,
                        "PaddleNetNative_ResizeScale: destination holds %lld bytes, needs %lld",
                        static_cast<long long>(dst_capacity), static_cast<long long>(dst_bytes));
    }
    if (Overlaps(src, src_bytes, destination, dst_bytes)) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_ResizeScale: source and destination overlap");
    }
    return Guarded("PaddleNetNative_ResizeScale", [&]() -> int32_t {
        const cv::Mat in(src_height, src_width, CV_8UC(channels), const_cast<uint8_t*>(src));
        cv::Mat out(dst_height, dst_width, CV_8UC(channels), destination);
        // Empty dsize: OpenCV takes fx/fy as the inverse scales, exactly as cv2.resize(img, None, fx=, fy=).
        cv::resize(in, out, cv::Size(), fx, fy, interpolation);
        if (out.data != destination) {
            return SetError(PADDLENET_NATIVE_E_INTERNAL,
                            "PaddleNetNative_ResizeScale: OpenCV reallocated the destination");
        }
        return PADDLENET_NATIVE_OK;
    });
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_CvtColor(const uint8_t* src, int64_t src_length,
                                                      int32_t height, int32_t width, int32_t code,
                                                      uint8_t* destination, int64_t dst_capacity)
{
    ClearError();
    if (src == nullptr || destination == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_CvtColor: source and destination must not be null");
    }
    int source_channels = 0;
    int destination_channels = 0;
    if (!ColorChannels(code, &source_channels, &destination_channels)) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_CvtColor: unsupported conversion code %d", static_cast<int>(code));
    }
    const int64_t src_bytes = PackedSize(height, width, source_channels);
    const int64_t dst_bytes = PackedSize(height, width, destination_channels);
    if (src_bytes < 0 || dst_bytes < 0) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_CvtColor: size must be positive (got %d x %d)",
                        static_cast<int>(height), static_cast<int>(width));
    }
    if (src_length < src_bytes) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL,
                        "PaddleNetNative_CvtColor: source holds %lld bytes, %d x %d x %d needs %lld",
                        static_cast<long long>(src_length), static_cast<int>(height),
                        static_cast<int>(width), source_channels, static_cast<long long>(src_bytes));
    }
    if (dst_capacity < dst_bytes) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL,
                        "PaddleNetNative_CvtColor: destination holds %lld bytes, %d x %d x %d needs %lld",
                        static_cast<long long>(dst_capacity), static_cast<int>(height),
                        static_cast<int>(width), destination_channels,
                        static_cast<long long>(dst_bytes));
    }
    if (Overlaps(src, src_bytes, destination, dst_bytes)) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_CvtColor: source and destination overlap");
    }
    return Guarded("PaddleNetNative_CvtColor", [&]() -> int32_t {
        const cv::Mat in(height, width, CV_8UC(source_channels), const_cast<uint8_t*>(src));
        cv::Mat out(height, width, CV_8UC(destination_channels), destination);
        cv::cvtColor(in, out, code, destination_channels);
        if (out.data != destination) {
            return SetError(PADDLENET_NATIVE_E_INTERNAL,
                            "PaddleNetNative_CvtColor: OpenCV reallocated the destination");
        }
        return PADDLENET_NATIVE_OK;
    });
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_WarpPerspective(const uint8_t* src, int64_t src_length,
                                                             int32_t src_height, int32_t src_width,
                                                             int32_t channels, const double* matrix,
                                                             uint8_t* destination, int64_t dst_capacity,
                                                             int32_t dst_height, int32_t dst_width,
                                                             int32_t interpolation, int32_t border_mode)
{
    ClearError();
    const char* fn = "PaddleNetNative_WarpPerspective";
    if (src == nullptr || destination == nullptr || matrix == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: source, matrix and destination must not be null", fn);
    }
    if (channels != 1 && channels != 3 && channels != 4) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: channels must be 1, 3 or 4 (got %d)", fn,
                        static_cast<int>(channels));
    }
    if (!IsValidInterpolation(interpolation) || interpolation == PADDLENET_NATIVE_INTER_AREA) {
        // warpPerspective has no area mode (OpenCV maps it to linear); refuse rather than surprise.
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: unsupported interpolation %d", fn,
                        static_cast<int>(interpolation));
    }
    if (border_mode != PADDLENET_NATIVE_BORDER_CONSTANT && border_mode != PADDLENET_NATIVE_BORDER_REPLICATE) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: unsupported border mode %d", fn,
                        static_cast<int>(border_mode));
    }
    for (int i = 0; i < 9; ++i) {
        if (!std::isfinite(matrix[i])) {
            return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: matrix[%d] is not finite", fn, i);
        }
    }
    const int64_t src_bytes = PackedSize(src_height, src_width, channels);
    const int64_t dst_bytes = PackedSize(dst_height, dst_width, channels);
    if (src_bytes < 0 || dst_bytes < 0) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: sizes must be positive (got %d x %d -> %d x %d)", fn,
                        static_cast<int>(src_height), static_cast<int>(src_width), static_cast<int>(dst_height),
                        static_cast<int>(dst_width));
    }
    if (src_length < src_bytes || dst_capacity < dst_bytes) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL, "%s: buffers hold %lld and %lld bytes, need %lld and %lld",
                        fn, static_cast<long long>(src_length), static_cast<long long>(dst_capacity),
                        static_cast<long long>(src_bytes), static_cast<long long>(dst_bytes));
    }
    if (Overlaps(src, src_bytes, destination, dst_bytes)) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: source and destination overlap", fn);
    }
    return Guarded(fn, [&]() -> int32_t {
        const cv::Mat in(src_height, src_width, CV_8UC(channels), const_cast<uint8_t*>(src));
        cv::Mat out(dst_height, dst_width, CV_8UC(channels), destination);
        const cv::Mat m(3, 3, CV_64F, const_cast<double*>(matrix));
        cv::warpPerspective(in, out, m, cv::Size(dst_width, dst_height), interpolation, border_mode);
        if (out.data != destination) {
            return SetError(PADDLENET_NATIVE_E_INTERNAL, "%s: OpenCV reallocated the destination", fn);
        }
        return PADDLENET_NATIVE_OK;
    });
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_Rotate(const uint8_t* src, int64_t src_length,
                                                    int32_t src_height, int32_t src_width,
                                                    int32_t channels, int32_t code,
                                                    uint8_t* destination, int64_t dst_capacity)
{
    ClearError();
    const char* fn = "PaddleNetNative_Rotate";
    if (src == nullptr || destination == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: source and destination must not be null", fn);
    }
    if (channels != 1 && channels != 3 && channels != 4) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: channels must be 1, 3 or 4 (got %d)", fn,
                        static_cast<int>(channels));
    }
    if (code != PADDLENET_NATIVE_ROTATE_90_CLOCKWISE && code != PADDLENET_NATIVE_ROTATE_180 &&
        code != PADDLENET_NATIVE_ROTATE_90_COUNTERCLOCKWISE) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: unknown rotation %d", fn, static_cast<int>(code));
    }
    const int64_t bytes = PackedSize(src_height, src_width, channels);
    if (bytes < 0) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: size must be positive (got %d x %d)", fn,
                        static_cast<int>(src_height), static_cast<int>(src_width));
    }
    if (src_length < bytes || dst_capacity < bytes) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL, "%s: buffers hold %lld and %lld bytes, need %lld", fn,
                        static_cast<long long>(src_length), static_cast<long long>(dst_capacity),
                        static_cast<long long>(bytes));
    }
    if (Overlaps(src, bytes, destination, bytes)) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: source and destination overlap", fn);
    }
    return Guarded(fn, [&]() -> int32_t {
        const cv::Mat in(src_height, src_width, CV_8UC(channels), const_cast<uint8_t*>(src));
        const bool quarter = code != PADDLENET_NATIVE_ROTATE_180;
        cv::Mat out(quarter ? src_width : src_height, quarter ? src_height : src_width, CV_8UC(channels), destination);
        cv::rotate(in, out, code);
        if (out.data != destination) {
            return SetError(PADDLENET_NATIVE_E_INTERNAL, "%s: OpenCV reallocated the destination", fn);
        }
        return PADDLENET_NATIVE_OK;
    });
}

}  // extern "C"
