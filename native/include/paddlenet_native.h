/*
 * paddlenet_native.h: the only public header of libpaddlenet_native, PaddleNet's native shim.
 *
 * ABI rules (see native/README.md):
 *   - C linkage; every export is prefixed PaddleNetNative_.
 *   - Fixed-width types only: int32_t, int64_t, double (IEEE binary64), uint8_t*, float*, UTF-8
 *     const char*, and opaque handle pointers. No size_t, long, bool, enum-typed parameters or structs passed by value.
 *   - Every function returns an int32_t status (PADDLENET_NATIVE_OK == 0 on success), except
 *     PaddleNetNative_GetAbiVersion, which returns the version number itself.
 *   - On failure a human-readable message is kept per thread; read it with
 *     PaddleNetNative_GetLastErrorMessage on the same thread, before the next call.
 *   - Output parameters are written only on success.
 *   - No memory crosses the boundary for the other side to free: callers provide output buffers.
 *     The only objects the shim allocates are opaque handles, released by their Destroy function.
 *   - No callbacks, no global state beyond the thread-local error message.
 *   - Pixel buffers are tightly packed, row-major HWC uint8 (no row padding): height rows of
 *     width * channels bytes.
 *
 * Bump PADDLENET_NATIVE_ABI_VERSION on any change to a signature, a constant's value or a
 * documented behaviour; the managed side refuses to run against any other version.
 */
#ifndef PADDLENET_NATIVE_H
#define PADDLENET_NATIVE_H

#include <stdint.h>

#if defined(_WIN32)
#  if defined(PADDLENET_NATIVE_BUILDING)
#    define PADDLENET_NATIVE_API __declspec(dllexport)
#  else
#    define PADDLENET_NATIVE_API __declspec(dllimport)
#  endif
#else
#  define PADDLENET_NATIVE_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version: PaddleNetNative_GetAbiVersion() returns this value of the header it was built with. */
#define PADDLENET_NATIVE_ABI_VERSION 3

/* ---- Status codes --------------------------------------------------------------------------- */
#define PADDLENET_NATIVE_OK                    0
#define PADDLENET_NATIVE_E_INVALID_ARGUMENT    1  /* null pointer, bad size, unknown code, overlap */
#define PADDLENET_NATIVE_E_BUFFER_TOO_SMALL    2  /* a caller buffer is shorter than required */
#define PADDLENET_NATIVE_E_FILE_OPEN_FAILED    3  /* missing, unreadable, or not a regular file */
#define PADDLENET_NATIVE_E_EMPTY_INPUT         4  /* zero-byte file or buffer */
#define PADDLENET_NATIVE_E_UNKNOWN_FORMAT      5  /* no decoder recognises the file's signature */
#define PADDLENET_NATIVE_E_DECODE_FAILED       6  /* a decoder recognised the data but produced no image */
#define PADDLENET_NATIVE_E_OUT_OF_MEMORY       7
#define PADDLENET_NATIVE_E_BACKEND             8  /* OpenCV raised an error (message says which) */
#define PADDLENET_NATIVE_E_INTERNAL            9  /* anything else; a bug */

/* ---- Decode modes (values equal cv::ImreadModes) -------------------------------------------- */
#define PADDLENET_NATIVE_DECODE_GRAYSCALE 0  /* cv::IMREAD_GRAYSCALE: 1 channel, codec's own luma */
#define PADDLENET_NATIVE_DECODE_COLOR     1  /* cv::IMREAD_COLOR: 3 channels BGR, EXIF orientation
                                                applied, alpha dropped, gray expanded, 16 -> 8 bit */

/* ---- Interpolations (values equal cv::InterpolationFlags) ------------------------------------ */
#define PADDLENET_NATIVE_INTER_NEAREST  0
#define PADDLENET_NATIVE_INTER_LINEAR   1
#define PADDLENET_NATIVE_INTER_CUBIC    2
#define PADDLENET_NATIVE_INTER_AREA     3
#define PADDLENET_NATIVE_INTER_LANCZOS4 4

/* ---- Colour conversions (values equal cv::ColorConversionCodes) ------------------------------ */
#define PADDLENET_NATIVE_COLOR_BGRA2BGR  1  /* also RGBA2RGB: drop the 4th channel */
#define PADDLENET_NATIVE_COLOR_BGRA2RGB  3  /* also RGBA2BGR */
#define PADDLENET_NATIVE_COLOR_BGR2RGB   4  /* also RGB2BGR */
#define PADDLENET_NATIVE_COLOR_BGR2GRAY  6
#define PADDLENET_NATIVE_COLOR_RGB2GRAY  7
#define PADDLENET_NATIVE_COLOR_GRAY2BGR  8  /* also GRAY2RGB */
#define PADDLENET_NATIVE_COLOR_BGRA2GRAY 10
#define PADDLENET_NATIVE_COLOR_RGBA2GRAY 11

/* ---- Drawing (values equal cv::LineTypes and cv::HersheyFonts) -------------------------------- */
#define PADDLENET_NATIVE_LINE_8          8   /* 8-connected, what cv2 draws by default */
#define PADDLENET_NATIVE_LINE_AA         16  /* anti-aliased */
#define PADDLENET_NATIVE_FONT_HERSHEY_SIMPLEX 0

/* ---- Border modes (values equal cv::BorderTypes) ---------------------------------------------- */
#define PADDLENET_NATIVE_BORDER_CONSTANT  0  /* filled with 0 */
#define PADDLENET_NATIVE_BORDER_REPLICATE 1

/* ---- Rotations (values equal cv::RotateFlags) ------------------------------------------------- */
#define PADDLENET_NATIVE_ROTATE_90_CLOCKWISE        0
#define PADDLENET_NATIVE_ROTATE_180                 1
#define PADDLENET_NATIVE_ROTATE_90_COUNTERCLOCKWISE 2  /* what numpy's rot90 does */

/* An encoded image (PNG/JPEG bytes) owned by the shim. Create with PaddleNetNative_Encode, read with
 * PaddleNetNative_BufferGetSize / _BufferCopyTo, release with PaddleNetNative_BufferDestroy. */
typedef struct PaddleNetNative_Buffer PaddleNetNative_Buffer;

/* A decoded image owned by the shim. Create with PaddleNetNative_Decode*, release with
 * PaddleNetNative_ImageDestroy. A handle may be read from several threads at once. */
typedef struct PaddleNetNative_Image PaddleNetNative_Image;

/* The contours found by PaddleNetNative_FindContours, owned by the shim. Read with
 * PaddleNetNative_ContoursGetSize / _ContoursCopyTo, release with PaddleNetNative_ContoursDestroy. */
typedef struct PaddleNetNative_Contours PaddleNetNative_Contours;

/* ---- Library ---------------------------------------------------------------------------------- */

/* Returns PADDLENET_NATIVE_ABI_VERSION (not a status). */
PADDLENET_NATIVE_API int32_t PaddleNetNative_GetAbiVersion(void);

/* Copies this thread's last error message (UTF-8) into buffer, truncated to capacity - 1 bytes
 * and NUL-terminated; *length (may be null) receives the full length without the NUL.
 * An empty message means the last call on this thread succeeded. buffer may be null when
 * capacity is 0 (to query the length). */
PADDLENET_NATIVE_API int32_t PaddleNetNative_GetLastErrorMessage(char* buffer, int32_t capacity,
                                                                 int32_t* length);

/* Writes OpenCV's version string (e.g. "4.6.0") like GetLastErrorMessage does. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_GetBackendVersion(char* buffer, int32_t capacity,
                                                               int32_t* length);

/* ---- Decoding --------------------------------------------------------------------------------- */

/* Decodes the file at path_utf8 exactly as cv::imread(path, mode) does (the format comes from the
 * bytes, not the name). On success *image receives a new handle. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_DecodeFile(const char* path_utf8, int32_t mode,
                                                        PaddleNetNative_Image** image);

/* Decodes an encoded image held in memory exactly as cv::imdecode(buffer, mode) does. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_DecodeMemory(const uint8_t* data, int64_t length,
                                                          int32_t mode,
                                                          PaddleNetNative_Image** image);

/* Size of a decoded image: rows, columns and channels (1 or 3). */
PADDLENET_NATIVE_API int32_t PaddleNetNative_ImageGetSize(const PaddleNetNative_Image* image,
                                                          int32_t* height, int32_t* width,
                                                          int32_t* channels);

/* Copies the pixels (height * width * channels bytes, packed HWC, BGR for colour) to destination,
 * which must hold at least that many bytes. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_ImageCopyTo(const PaddleNetNative_Image* image,
                                                         uint8_t* destination, int64_t capacity);

/* Releases a handle. A null handle is accepted and ignored. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_ImageDestroy(PaddleNetNative_Image* image);

/* ---- Transforms ------------------------------------------------------------------------------- */

/* cv::resize(src, dst, Size(dst_width, dst_height), 0, 0, interpolation) on packed HWC uint8
 * with 1, 3 or 4 channels. src holds src_height * src_width * channels bytes (src_length at
 * least that), destination at least dst_height * dst_width * channels (dst_capacity).
 * The buffers must not overlap. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_Resize(const uint8_t* src, int64_t src_length,
                                                    int32_t src_height, int32_t src_width,
                                                    int32_t channels, uint8_t* destination,
                                                    int64_t dst_capacity, int32_t dst_height,
                                                    int32_t dst_width, int32_t interpolation);

/* cv::cvtColor(src, dst, code) on packed HWC uint8, for the PADDLENET_NATIVE_COLOR_* codes above.
 * The source channel count follows from code (BGR.. 3, BGRA.. and RGBA.. 4, GRAY.. 1), as does the
 * destination's. The buffers must not overlap. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_CvtColor(const uint8_t* src, int64_t src_length,
                                                      int32_t height, int32_t width, int32_t code,
                                                      uint8_t* destination, int64_t dst_capacity);

/* cv::resize(src, dst, Size(), fx, fy, interpolation): the scale-factor form PaddleDetection uses.
 * OpenCV derives the output size as (cvRound(src_width * fx), cvRound(src_height * fy)) and, unlike
 * PaddleNetNative_Resize, samples with fx and fy themselves rather than dst/src ratios. The caller
 * computes that size to allocate destination; dst_height / dst_width must equal it, or the call fails
 * with PADDLENET_NATIVE_E_INVALID_ARGUMENT. fx and fy must be finite and positive. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_ResizeScale(const uint8_t* src, int64_t src_length,
                                                         int32_t src_height, int32_t src_width,
                                                         int32_t channels, double fx, double fy,
                                                         int32_t interpolation,
                                                         uint8_t* destination, int64_t dst_capacity,
                                                         int32_t dst_height, int32_t dst_width);

/* cv::warpPerspective(src, dst, M, Size(dst_width, dst_height), interpolation, border_mode) on packed
 * HWC uint8 with 1, 3 or 4 channels; matrix holds the 3x3 row-major M (double) that maps source to
 * destination, as cv2 takes it. border_mode is PADDLENET_NATIVE_BORDER_CONSTANT (0) or _REPLICATE.
 * The buffers must not overlap. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_WarpPerspective(const uint8_t* src, int64_t src_length,
                                                             int32_t src_height, int32_t src_width,
                                                             int32_t channels, const double* matrix,
                                                             uint8_t* destination, int64_t dst_capacity,
                                                             int32_t dst_height, int32_t dst_width,
                                                             int32_t interpolation, int32_t border_mode);

/* cv::rotate(src, dst, code) for the PADDLENET_NATIVE_ROTATE_* codes. A quarter turn swaps the
 * destination's height and width: destination holds src_width rows of src_height pixels. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_Rotate(const uint8_t* src, int64_t src_length,
                                                    int32_t src_height, int32_t src_width,
                                                    int32_t channels, int32_t code,
                                                    uint8_t* destination, int64_t dst_capacity);

/* ---- Geometry (text detection post-processing) ------------------------------------------------ */

/* cv::findContours(mask, RETR_LIST, CHAIN_APPROX_SIMPLE) on a packed height x width uint8 mask
 * (non-zero is foreground; the mask is not modified). On success *contours receives a new handle
 * holding the contours in OpenCV's order. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_FindContours(const uint8_t* mask, int64_t length,
                                                          int32_t height, int32_t width,
                                                          PaddleNetNative_Contours** contours);

/* Number of contours and of points over all of them. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_ContoursGetSize(const PaddleNetNative_Contours* contours,
                                                             int32_t* count, int64_t* total_points);

/* Copies each contour's point count to lengths (count entries) and all points, contour after
 * contour, to points as x, y int32 pairs (2 * total_points entries). */
PADDLENET_NATIVE_API int32_t PaddleNetNative_ContoursCopyTo(const PaddleNetNative_Contours* contours,
                                                            int32_t* lengths, int32_t lengths_capacity,
                                                            int32_t* points, int64_t points_capacity);

/* Releases a contours handle. A null handle is accepted and ignored. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_ContoursDestroy(PaddleNetNative_Contours* contours);

/* cv::minAreaRect over count >= 1 integer points (x, y pairs). rect receives 5 floats: centre x,
 * centre y, width, height and angle in degrees, exactly the RotatedRect OpenCV returns. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_MinAreaRect(const int32_t* points, int32_t count,
                                                         float* rect);

/* cv::boxPoints of the RotatedRect in rect (5 floats as MinAreaRect writes them): corners receives
 * 4 x, y float pairs in OpenCV's order. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_BoxPoints(const float* rect, float* corners);

/* The mean of a float32 map over a polygon, as PaddleOCR scores a text box: a uint8 mask of the
 * region x0..x1, y0..y1 (inclusive, inside the height x width map) is filled with
 * cv::fillPoly(mask, [points], 1) (8-connected, points relative to (x0, y0), count >= 1), and *mean
 * receives cv::mean(map[y0:y1+1, x0:x1+1], mask)[0] (0 when the mask is empty). */
PADDLENET_NATIVE_API int32_t PaddleNetNative_PolygonMean(const float* map, int64_t length,
                                                         int32_t height, int32_t width,
                                                         int32_t x0, int32_t y0, int32_t x1, int32_t y1,
                                                         const int32_t* points, int32_t count,
                                                         double* mean);

/* cv::getPerspectiveTransform(src, dst) (DECOMP_LU) for 4 source and 4 destination float points
 * (x, y pairs): matrix receives the 3x3 row-major double matrix, whatever OpenCV returns for
 * degenerate points. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_GetPerspectiveTransform(const float* src, const float* dst,
                                                                     double* matrix);

/* ---- Drawing (in place on a caller-owned packed HWC uint8 image with 1, 3 or 4 channels) ---------
 * color holds color_length == channels bytes in the image's own channel order. Shapes are clipped to
 * the image; coordinates may lie outside it. */

/* cv::rectangle(img, (x1, y1), (x2, y2), color, thickness, line_type): thickness > 0 draws the
 * outline, -1 fills. line_type is PADDLENET_NATIVE_LINE_8 or _LINE_AA. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_DrawRectangle(uint8_t* image, int64_t length,
                                                           int32_t height, int32_t width,
                                                           int32_t channels, int32_t x1, int32_t y1,
                                                           int32_t x2, int32_t y2,
                                                           const uint8_t* color, int32_t color_length,
                                                           int32_t thickness, int32_t line_type);

/* cv::polylines(img, [points], closed, color, thickness, line_type) for thickness >= 1, or
 * cv::fillPoly(img, [points], color, line_type) for thickness -1; points are count >= 1 x, y int32
 * pairs. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_DrawPolygon(uint8_t* image, int64_t length,
                                                         int32_t height, int32_t width,
                                                         int32_t channels, const int32_t* points,
                                                         int32_t count, int32_t closed,
                                                         const uint8_t* color, int32_t color_length,
                                                         int32_t thickness, int32_t line_type);

/* cv::putText(img, text, (x, y), font_face, font_scale, color, thickness, line_type), with (x, y) the
 * bottom-left corner of the text (its baseline). Hershey fonts draw ASCII only: OpenCV shows other
 * characters as '?'. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_DrawText(uint8_t* image, int64_t length, int32_t height,
                                                      int32_t width, int32_t channels,
                                                      const char* text_utf8, int32_t x, int32_t y,
                                                      int32_t font_face, double font_scale,
                                                      const uint8_t* color, int32_t color_length,
                                                      int32_t thickness, int32_t line_type);

/* cv::getTextSize: the text's width and height above the baseline, and the baseline's depth below. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_GetTextSize(const char* text_utf8, int32_t font_face,
                                                         double font_scale, int32_t thickness,
                                                         int32_t* width, int32_t* height,
                                                         int32_t* baseline);

/* Whether this build draws text with TrueType/OpenType fonts (FreeType found at build time): *supported 1 or 0. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_FontsSupported(int32_t* supported);

/* Draws UTF-8 text in any script with the font file font_path (TrueType/OpenType, FreeType; several files separated
 * by '\n': each character is drawn with the first that has it) at pixel_height
 * pixels, (x, y) the top-left of the line as PIL's ImageDraw.text, each glyph's coverage blended over the image
 * in color; *advance receives the line's width. A build without FreeType returns PADDLENET_NATIVE_E_BACKEND; a
 * missing or unreadable font, PADDLENET_NATIVE_E_FILE_OPEN_FAILED naming it. Glyphs the font lacks draw as its
 * missing-glyph shape. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_DrawTextFont(uint8_t* image, int64_t length, int32_t height,
                                                          int32_t width, int32_t channels,
                                                          const char* font_path, const char* text_utf8,
                                                          int32_t x, int32_t y, int32_t pixel_height,
                                                          const uint8_t* color, int32_t color_length,
                                                          int32_t* advance);

/* ---- Encoding ------------------------------------------------------------------------------------ */

/* cv::imencode(extension, img, buf, params) on packed HWC uint8 with 1, 3 (BGR) or 4 (BGRA) channels.
 * extension is ".png", ".jpg" or ".jpeg" (case-insensitive). quality: JPEG 0..100 (IMWRITE_JPEG_QUALITY)
 * or PNG 0..9 (IMWRITE_PNG_COMPRESSION); -1 keeps OpenCV's default (JPEG 95, PNG 1). On success
 * *buffer receives a new handle holding the encoded bytes. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_Encode(const uint8_t* src, int64_t src_length,
                                                    int32_t height, int32_t width, int32_t channels,
                                                    const char* extension, int32_t quality,
                                                    PaddleNetNative_Buffer** buffer);

/* Number of encoded bytes held by buffer. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_BufferGetSize(const PaddleNetNative_Buffer* buffer,
                                                           int64_t* length);

/* Copies the encoded bytes to destination, which must hold at least BufferGetSize bytes. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_BufferCopyTo(const PaddleNetNative_Buffer* buffer,
                                                          uint8_t* destination, int64_t capacity);

/* Releases a buffer handle. A null handle is accepted and ignored. */
PADDLENET_NATIVE_API int32_t PaddleNetNative_BufferDestroy(PaddleNetNative_Buffer* buffer);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PADDLENET_NATIVE_H */
