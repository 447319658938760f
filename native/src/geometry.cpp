// Text-detection geometry: cv::findContours, cv::minAreaRect, cv::boxPoints, the masked mean PaddleOCR
// scores boxes with, and cv::getPerspectiveTransform. Inputs are caller buffers; only the contours
// handle is allocated here.
#include "shim_internal.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <vector>

struct PaddleNetNative_Contours {
    std::vector<std::vector<cv::Point>> contours;
};

namespace paddlenet_native {
namespace {

// Bounds point counts so that 2 * count int32 values fit any buffer size computation.
constexpr int32_t kMaxPoints = 1 << 28;

}  // namespace
}  // namespace paddlenet_native

using namespace paddlenet_native;

extern "C" {

PADDLENET_NATIVE_API int32_t PaddleNetNative_FindContours(const uint8_t* mask, int64_t length,
                                                          int32_t height, int32_t width,
                                                          PaddleNetNative_Contours** contours)
{
    ClearError();
    const char* fn = "PaddleNetNative_FindContours";
    if (mask == nullptr || contours == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: mask and contours must not be null", fn);
    }
    const int64_t bytes = PackedSize(height, width, 1);
    if (bytes < 0) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: size must be positive (got %d x %d)", fn,
                        static_cast<int>(height), static_cast<int>(width));
    }
    if (length < bytes) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL, "%s: mask holds %lld bytes, %d x %d needs %lld", fn,
                        static_cast<long long>(length), static_cast<int>(height), static_cast<int>(width),
                        static_cast<long long>(bytes));
    }
    return Guarded(fn, [&]() -> int32_t {
        const cv::Mat in(height, width, CV_8UC1, const_cast<uint8_t*>(mask));
        auto* handle = new PaddleNetNative_Contours();
        try {
            // OpenCV >= 3.2 leaves the source untouched; the Mat header only wraps the caller's bytes.
            cv::findContours(in, handle->contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
        } catch (...) {
            delete handle;
            throw;
        }
        *contours = handle;
        return PADDLENET_NATIVE_OK;
    });
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_ContoursGetSize(const PaddleNetNative_Contours* contours,
                                                             int32_t* count, int64_t* total_points)
{
    ClearError();
    if (contours == nullptr || count == nullptr || total_points == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "PaddleNetNative_ContoursGetSize: arguments must not be null");
    }
    int64_t total = 0;
    for (const auto& c : contours->contours) {
        total += static_cast<int64_t>(c.size());
    }
    *count = static_cast<int32_t>(contours->contours.size());
    *total_points = total;
    return PADDLENET_NATIVE_OK;
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_ContoursCopyTo(const PaddleNetNative_Contours* contours,
                                                            int32_t* lengths, int32_t lengths_capacity,
                                                            int32_t* points, int64_t points_capacity)
{
    ClearError();
    const char* fn = "PaddleNetNative_ContoursCopyTo";
    if (contours == nullptr || lengths == nullptr || points == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: arguments must not be null", fn);
    }
    int64_t total = 0;
    for (const auto& c : contours->contours) {
        total += static_cast<int64_t>(c.size());
    }
    const auto count = static_cast<int64_t>(contours->contours.size());
    if (lengths_capacity < count || points_capacity < 2 * total) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL,
                        "%s: %lld contours of %lld points need %lld lengths and %lld coordinates, got %d and %lld",
                        fn, static_cast<long long>(count), static_cast<long long>(total),
                        static_cast<long long>(count), static_cast<long long>(2 * total),
                        static_cast<int>(lengths_capacity), static_cast<long long>(points_capacity));
    }
    int64_t k = 0;
    for (int64_t i = 0; i < count; ++i) {
        const auto& c = contours->contours[static_cast<size_t>(i)];
        lengths[i] = static_cast<int32_t>(c.size());
        for (const cv::Point& p : c) {
            points[k++] = p.x;
            points[k++] = p.y;
        }
    }
    return PADDLENET_NATIVE_OK;
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_ContoursDestroy(PaddleNetNative_Contours* contours)
{
    ClearError();
    delete contours;
    return PADDLENET_NATIVE_OK;
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_MinAreaRect(const int32_t* points, int32_t count, float* rect)
{
    ClearError();
    const char* fn = "PaddleNetNative_MinAreaRect";
    if (points == nullptr || rect == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: points and rect must not be null", fn);
    }
    if (count < 1 || count > kMaxPoints) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: count must be 1..%d (got %d)", fn,
                        static_cast<int>(kMaxPoints), static_cast<int>(count));
    }
    return Guarded(fn, [&]() -> int32_t {
        // Integer points, as cv2 gets a contour: the hull is taken in int before OpenCV goes to float.
        const cv::Mat in(count, 1, CV_32SC2, const_cast<int32_t*>(points));
        const cv::RotatedRect r = cv::minAreaRect(in);
        rect[0] = r.center.x;
        rect[1] = r.center.y;
        rect[2] = r.size.width;
        rect[3] = r.size.height;
        rect[4] = r.angle;
        return PADDLENET_NATIVE_OK;
    });
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_BoxPoints(const float* rect, float* corners)
{
    ClearError();
    const char* fn = "PaddleNetNative_BoxPoints";
    if (rect == nullptr || corners == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: rect and corners must not be null", fn);
    }
    for (int i = 0; i < 5; ++i) {
        if (!std::isfinite(rect[i])) {
            return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: rect[%d] is not finite", fn, i);
        }
    }
    return Guarded(fn, [&]() -> int32_t {
        const cv::RotatedRect r(cv::Point2f(rect[0], rect[1]), cv::Size2f(rect[2], rect[3]), rect[4]);
        cv::Mat out(4, 2, CV_32F, corners);
        cv::boxPoints(r, out);
        if (out.data != reinterpret_cast<uint8_t*>(corners)) {
            return SetError(PADDLENET_NATIVE_E_INTERNAL, "%s: OpenCV reallocated the destination", fn);
        }
        return PADDLENET_NATIVE_OK;
    });
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_PolygonMean(const float* map, int64_t length,
                                                         int32_t height, int32_t width,
                                                         int32_t x0, int32_t y0, int32_t x1, int32_t y1,
                                                         const int32_t* points, int32_t count,
                                                         double* mean)
{
    ClearError();
    const char* fn = "PaddleNetNative_PolygonMean";
    if (map == nullptr || points == nullptr || mean == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: arguments must not be null", fn);
    }
    const int64_t elements = PackedSize(height, width, 1);
    if (elements < 0) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: size must be positive (got %d x %d)", fn,
                        static_cast<int>(height), static_cast<int>(width));
    }
    if (length < elements) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL, "%s: map holds %lld floats, %d x %d needs %lld", fn,
                        static_cast<long long>(length), static_cast<int>(height), static_cast<int>(width),
                        static_cast<long long>(elements));
    }
    if (x0 < 0 || y0 < 0 || x1 < x0 || y1 < y0 || x1 >= width || y1 >= height) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: region x %d..%d, y %d..%d is not inside %d x %d", fn,
                        static_cast<int>(x0), static_cast<int>(x1), static_cast<int>(y0), static_cast<int>(y1),
                        static_cast<int>(width), static_cast<int>(height));
    }
    if (count < 1 || count > kMaxPoints) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: count must be 1..%d (got %d)", fn,
                        static_cast<int>(kMaxPoints), static_cast<int>(count));
    }
    return Guarded(fn, [&]() -> int32_t {
        const cv::Mat full(height, width, CV_32FC1, const_cast<float*>(map));
        const cv::Mat roi = full(cv::Rect(x0, y0, x1 - x0 + 1, y1 - y0 + 1));
        cv::Mat mask = cv::Mat::zeros(roi.rows, roi.cols, CV_8UC1);
        std::vector<cv::Point> poly(static_cast<size_t>(count));
        for (int32_t i = 0; i < count; ++i) {
            poly[static_cast<size_t>(i)] = cv::Point(points[2 * i], points[2 * i + 1]);
        }
        const cv::Point* pts = poly.data();
        const int n = count;
        cv::fillPoly(mask, &pts, &n, 1, cv::Scalar(1), cv::LINE_8);
        *mean = cv::mean(roi, mask)[0];
        return PADDLENET_NATIVE_OK;
    });
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_GetPerspectiveTransform(const float* src, const float* dst,
                                                                     double* matrix)
{
    ClearError();
    const char* fn = "PaddleNetNative_GetPerspectiveTransform";
    if (src == nullptr || dst == nullptr || matrix == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: arguments must not be null", fn);
    }
    for (int i = 0; i < 8; ++i) {
        if (!std::isfinite(src[i]) || !std::isfinite(dst[i])) {
            return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: point coordinate %d is not finite", fn, i);
        }
    }
    return Guarded(fn, [&]() -> int32_t {
        cv::Point2f s[4];
        cv::Point2f d[4];
        for (int i = 0; i < 4; ++i) {
            s[i] = cv::Point2f(src[2 * i], src[2 * i + 1]);
            d[i] = cv::Point2f(dst[2 * i], dst[2 * i + 1]);
        }
        const cv::Mat m = cv::getPerspectiveTransform(s, d, cv::DECOMP_LU);
        if (m.rows != 3 || m.cols != 3 || m.type() != CV_64F) {
            return SetError(PADDLENET_NATIVE_E_INTERNAL, "%s: OpenCV returned a %d x %d matrix of type %d", fn,
                            m.rows, m.cols, m.type());
        }
        for (int r = 0; r < 3; ++r) {
            for (int c = 0; c < 3; ++c) {
                matrix[r * 3 + c] = m.at<double>(r, c);
            }
        }
        return PADDLENET_NATIVE_OK;
    });
}

}  // extern "C"
