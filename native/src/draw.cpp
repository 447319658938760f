// Drawing in place on caller-owned packed HWC uint8 images (cv::rectangle, cv::putText) and
// cv::getTextSize, for detection visualisations.
#include "shim_internal.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <vector>

namespace paddlenet_native {
namespace {

// Validates an image buffer and a colour of the image's channel count; returns a status.
int32_t CheckCanvas(const char* function, const uint8_t* image, int64_t length, int32_t height,
                    int32_t width, int32_t channels, const uint8_t* color, int32_t color_length)
{
    if (image == nullptr || color == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: image and color must not be null", function);
    }
    if (channels != 1 && channels != 3 && channels != 4) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: channels must be 1, 3 or 4 (got %d)",
                        function, static_cast<int>(channels));
    }
    if (color_length != channels) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: color has %d components, the image %d channels",
                        function, static_cast<int>(color_length), static_cast<int>(channels));
    }
    const int64_t bytes = PackedSize(height, width, channels);
    if (bytes < 0) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: size must be positive (got %d x %d)",
                        function, static_cast<int>(height), static_cast<int>(width));
    }
    if (length < bytes) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL, "%s: image holds %lld bytes, %d x %d x %d needs %lld",
                        function, static_cast<long long>(length), static_cast<int>(height),
                        static_cast<int>(width), static_cast<int>(channels), static_cast<long long>(bytes));
    }
    return PADDLENET_NATIVE_OK;
}

bool IsValidLineType(int32_t line_type)
{
    return line_type == PADDLENET_NATIVE_LINE_8 || line_type == PADDLENET_NATIVE_LINE_AA;
}

cv::Scalar ToScalar(const uint8_t* color, int32_t n)
{
    cv::Scalar s;
    for (int32_t i = 0; i < n; ++i) {
        s[i] = color[i];
    }
    return s;
}

bool IsValidFont(int32_t font_face, double font_scale)
{
    return font_face == PADDLENET_NATIVE_FONT_HERSHEY_SIMPLEX && std::isfinite(font_scale) && font_scale > 0.0;
}

}  // namespace
}  // namespace paddlenet_native

using namespace paddlenet_native;

extern "C" {

PADDLENET_NATIVE_API int32_t PaddleNetNative_DrawRectangle(uint8_t* image, int64_t length,
                                                           int32_t height, int32_t width,
                                                           int32_t channels, int32_t x1, int32_t y1,
                                                           int32_t x2, int32_t y2,
                                                           const uint8_t* color, int32_t color_length,
                                                           int32_t thickness, int32_t line_type)
{
    ClearError();
    const char* fn = "PaddleNetNative_DrawRectangle";
    if (int32_t status = CheckCanvas(fn, image, length, height, width, channels, color, color_length)) {
        return status;
    }
    if (!IsValidLineType(line_type) || thickness == 0 || thickness < -1 || thickness > 1024) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: bad line type %d or thickness %d", fn,
                        static_cast<int>(line_type), static_cast<int>(thickness));
    }
    return Guarded(fn, [&]() -> int32_t {
        cv::Mat canvas(height, width, CV_8UC(channels), image);
        cv::rectangle(canvas, cv::Point(x1, y1), cv::Point(x2, y2), ToScalar(color, color_length), thickness,
                      line_type);
        return PADDLENET_NATIVE_OK;
    });
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_DrawText(uint8_t* image, int64_t length, int32_t height,
                                                      int32_t width, int32_t channels,
                                                      const char* text_utf8, int32_t x, int32_t y,
                                                      int32_t font_face, double font_scale,
                                                      const uint8_t* color, int32_t color_length,
                                                      int32_t thickness, int32_t line_type)
{
    ClearError();
    const char* fn = "PaddleNetNative_DrawText";
    if (int32_t status = CheckCanvas(fn, image, length, height, width, channels, color, color_length)) {
        return status;
    }
    if (text_utf8 == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: text must not be null", fn);
    }
    if (!IsValidFont(font_face, font_scale) || !IsValidLineType(line_type) || thickness < 1 || thickness > 1024) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: bad font %d, scale %g, line type %d or thickness %d",
                        fn, static_cast<int>(font_face), font_scale, static_cast<int>(line_type),
                        static_cast<int>(thickness));
    }
    return Guarded(fn, [&]() -> int32_t {
        cv::Mat canvas(height, width, CV_8UC(channels), image);
        cv::putText(canvas, text_utf8, cv::Point(x, y), font_face, font_scale, ToScalar(color, color_length),
                    thickness, line_type, false);
        return PADDLENET_NATIVE_OK;
    });
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_GetTextSize(const char* text_utf8, int32_t font_face,
                                                         double font_scale, int32_t thickness,
                                                         int32_t* width, int32_t* height,
                                                         int32_t* baseline)
{
    ClearError();
    const char* fn = "PaddleNetNative_GetTextSize";
    if (text_utf8 == nullptr || width == nullptr || height == nullptr || baseline == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: arguments must not be null", fn);
    }
    if (!IsValidFont(font_face, font_scale) || thickness < 1 || thickness > 1024) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: bad font %d, scale %g or thickness %d", fn,
                        static_cast<int>(font_face), font_scale, static_cast<int>(thickness));
    }
    return Guarded(fn, [&]() -> int32_t {
        int base = 0;
        const cv::Size size = cv::getTextSize(text_utf8, font_face, font_scale, thickness, &base);
        *width = size.width;
        *height = size.height;
        *baseline = base;
        return PADDLENET_NATIVE_OK;
    });
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_DrawPolygon(uint8_t* image, int64_t length,
                                                         int32_t height, int32_t width,
                                                         int32_t channels, const int32_t* points,
                                                         int32_t count, int32_t closed,
                                                         const uint8_t* color, int32_t color_length,
                                                         int32_t thickness, int32_t line_type)
{
    ClearError();
    const char* fn = "PaddleNetNative_DrawPolygon";
    if (int32_t status = CheckCanvas(fn, image, length, height, width, channels, color, color_length)) {
        return status;
    }
    if (points == nullptr || count < 1 || count > (1 << 24)) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: need 1..%d points (got %d%s)", fn, 1 << 24,
                        static_cast<int>(count), points == nullptr ? ", null" : "");
    }
    if (!IsValidLineType(line_type) || thickness == 0 || thickness < -1 || thickness > 1024) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: bad line type %d or thickness %d", fn,
                        static_cast<int>(line_type), static_cast<int>(thickness));
    }
    return Guarded(fn, [&]() -> int32_t {
        cv::Mat canvas(height, width, CV_8UC(channels), image);
        std::vector<cv::Point> poly(static_cast<size_t>(count));
        for (int32_t i = 0; i < count; ++i) {
            poly[static_cast<size_t>(i)] = cv::Point(points[2 * i], points[2 * i + 1]);
        }
        const cv::Point* pts = poly.data();
        const int n = count;
        if (thickness == -1) {
            cv::fillPoly(canvas, &pts, &n, 1, ToScalar(color, color_length), line_type);
        } else {
            cv::polylines(canvas, &pts, &n, 1, closed != 0, ToScalar(color, color_length), thickness, line_type);
        }
        return PADDLENET_NATIVE_OK;
    });
}

}  // extern "C"
