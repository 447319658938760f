// Decoding: cv::imread / cv::imdecode behind an opaque handle, so that the caller can size its
// own buffer (ImageGetSize) before the pixels are copied out (ImageCopyTo).
#include "shim_internal.h"

#include <opencv2/imgcodecs.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

struct PaddleNetNative_Image {
    cv::Mat pixels;  // CV_8UC3 (BGR) or CV_8UC1, continuous
};

namespace paddlenet_native {
namespace {

bool IsValidMode(int32_t mode)
{
    return mode == PADDLENET_NATIVE_DECODE_COLOR || mode == PADDLENET_NATIVE_DECODE_GRAYSCALE;
}

const char* ModeName(int32_t mode)
{
    return mode == PADDLENET_NATIVE_DECODE_COLOR ? "IMREAD_COLOR" : "IMREAD_GRAYSCALE";
}

// Wraps a decoded Mat in a new handle, checking what the mode promises.
int32_t Publish(cv::Mat&& mat, int32_t mode, const char* source, PaddleNetNative_Image** image)
{
    const int expected = mode == PADDLENET_NATIVE_DECODE_COLOR ? CV_8UC3 : CV_8UC1;
    if (mat.type() != expected || mat.dims != 2) {
        return SetError(PADDLENET_NATIVE_E_INTERNAL,
                        "'%s': OpenCV returned an image of type %d with %d dimensions for %s "
                        "(expected type %d, 2 dimensions)",
                        source, mat.type(), mat.dims, ModeName(mode), expected);
    }
    if (!mat.isContinuous()) {
        mat = mat.clone();
    }
    auto* handle = new PaddleNetNative_Image{std::move(mat)};
    *image = handle;
    return PADDLENET_NATIVE_OK;
}

}  // namespace
}  // namespace paddlenet_native

using namespace paddlenet_native;

extern "C" {

PADDLENET_NATIVE_API int32_t PaddleNetNative_DecodeFile(const char* path_utf8, int32_t mode,
                                                        PaddleNetNative_Image** image)
{
    ClearError();
    if (path_utf8 == nullptr || image == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_DecodeFile: path and image must not be null");
    }
    if (path_utf8[0] == '\0') {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "PaddleNetNative_DecodeFile: path is empty");
    }
    if (!IsValidMode(mode)) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_DecodeFile: unknown decode mode %d", static_cast<int>(mode));
    }
    return Guarded("PaddleNetNative_DecodeFile", [&]() -> int32_t {
        // cv::imread only says "no image"; these checks recover the reason first.
        struct stat info {};
        if (stat(path_utf8, &info) != 0) {
            const int err = errno;
            return SetError(PADDLENET_NATIVE_E_FILE_OPEN_FAILED, "'%s': cannot open: %s", path_utf8,
                            std::generic_category().message(err).c_str());
        }
        if ((info.st_mode & S_IFMT) == S_IFDIR) {
            return SetError(PADDLENET_NATIVE_E_FILE_OPEN_FAILED, "'%s': cannot open: is a directory",
                            path_utf8);
        }
        // A FIFO would block fopen until a writer appears and a device never ends: regular files only.
        if ((info.st_mode & S_IFMT) != S_IFREG) {
            return SetError(PADDLENET_NATIVE_E_FILE_OPEN_FAILED,
                            "'%s': cannot open: not a regular file (FIFO, socket or device)", path_utf8);
        }
        std::FILE* probe = std::fopen(path_utf8, "rb");
        if (probe == nullptr) {
            const int err = errno;
            return SetError(PADDLENET_NATIVE_E_FILE_OPEN_FAILED, "'%s': cannot open: %s", path_utf8,
                            std::generic_category().message(err).c_str());
        }
        std::fclose(probe);
        if (info.st_size == 0) {
            return SetError(PADDLENET_NATIVE_E_EMPTY_INPUT, "'%s': the file is empty (0 bytes)", path_utf8);
        }
        if (!cv::haveImageReader(path_utf8)) {
            return SetError(PADDLENET_NATIVE_E_UNKNOWN_FORMAT,
                            "'%s': not an image in a format this OpenCV %s build can read "
                            "(the format is taken from the bytes, not the file name)",
                            path_utf8, CV_VERSION);
        }
        cv::Mat mat = cv::imread(path_utf8, mode);
        if (mat.empty()) {
            return SetError(PADDLENET_NATIVE_E_DECODE_FAILED,
                            "'%s': the decoder recognised the format but could not decode the image "
                            "(truncated or corrupt data)",
                            path_utf8);
        }
        return Publish(std::move(mat), mode, path_utf8, image);
    });
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_DecodeMemory(const uint8_t* data, int64_t length,
                                                          int32_t mode,
                                                          PaddleNetNative_Image** image)
{
    ClearError();
    if (image == nullptr || length < 0 || (data == nullptr && length > 0)) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_DecodeMemory: image must not be null, and data must not be "
                        "null unless length is 0 (length %lld)",
                        static_cast<long long>(length));
    }
    if (!IsValidMode(mode)) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_DecodeMemory: unknown decode mode %d", static_cast<int>(mode));
    }
    if (length == 0) {
        return SetError(PADDLENET_NATIVE_E_EMPTY_INPUT, "<memory>: the buffer is empty (0 bytes)");
    }
    if (length > INT_MAX) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "<memory>: %lld bytes is more than OpenCV's 2 GiB limit for one buffer",
                        static_cast<long long>(length));
    }
    return Guarded("PaddleNetNative_DecodeMemory", [&]() -> int32_t {
        const cv::Mat encoded(1, static_cast<int>(length), CV_8UC1, const_cast<uint8_t*>(data));
        cv::Mat mat = cv::imdecode(encoded, mode);
        if (mat.empty()) {
            // cv::imdecode does not say whether no decoder matched or the matching one failed.
            return SetError(PADDLENET_NATIVE_E_DECODE_FAILED,
                            "<memory>: %lld bytes are not an image OpenCV %s can decode (unknown "
                            "format, or truncated or corrupt data)",
                            static_cast<long long>(length), CV_VERSION);
        }
        return Publish(std::move(mat), mode, "<memory>", image);
    });
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_ImageGetSize(const PaddleNetNative_Image* image,
                                                          int32_t* height, int32_t* width,
                                                          int32_t* channels)
{
    ClearError();
    if (image == nullptr || height == nullptr || width == nullptr || channels == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_ImageGetSize: arguments must not be null");
    }
    *height = image->pixels.rows;
    *width = image->pixels.cols;
    *channels = image->pixels.channels();
    return PADDLENET_NATIVE_OK;
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_ImageCopyTo(const PaddleNetNative_Image* image,
                                                         uint8_t* destination, int64_t capacity)
{
    ClearError();
    if (image == nullptr || destination == nullptr || capacity < 0) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT,
                        "PaddleNetNative_ImageCopyTo: image and destination must not be null");
    }
    const cv::Mat& m = image->pixels;
    const int64_t needed = PackedSize(m.rows, m.cols, m.channels());
    if (capacity < needed) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL,
                        "PaddleNetNative_ImageCopyTo: destination holds %lld bytes, the image needs "
                        "%lld (%d x %d x %d)",
                        static_cast<long long>(capacity), static_cast<long long>(needed), m.rows,
                        m.cols, m.channels());
    }
    std::memcpy(destination, m.data, static_cast<std::size_t>(needed));
    return PADDLENET_NATIVE_OK;
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_ImageDestroy(PaddleNetNative_Image* image)
{
    ClearError();
    delete image;
    return PADDLENET_NATIVE_OK;
}

}  // extern "C"
