/* ctest for libpaddlenet_native: decodes real photos from the shared test data and compares
 * them with OpenCV-Python's stored arrays, and checks every error status.
 *
 * Shared data: $PADDLENET_SHARED, else PADDLENET_DEFAULT_SHARED_DIR (<repo>/../shared).
 * A missing shared file is a failure, never a skip. */
#include "paddlenet_native.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(_WIN32)
#  include <pthread.h>
#endif

static int g_passed = 0;
static int g_failed = 0;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (cond) {                                                                 \
            ++g_passed;                                                             \
        } else {                                                                    \
            ++g_failed;                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                           \
    } while (0)

#define CHECK_STATUS(expr, expected)                                                          \
    do {                                                                                      \
        int32_t status_ = (expr);                                                             \
        if (status_ == (expected)) {                                                          \
            ++g_passed;                                                                       \
        } else {                                                                              \
            ++g_failed;                                                                       \
            fprintf(stderr, "%s:%d: %s returned %d, expected %d (%s)\n", __FILE__, __LINE__,  \
                    #expr, (int)status_, (int)(expected), last_error());                      \
        }                                                                                     \
    } while (0)

static char g_message[4096];

static const char* last_error(void)
{
    int32_t length = 0;
    if (PaddleNetNative_GetLastErrorMessage(g_message, (int32_t)sizeof g_message, &length) != 0) {
        return "<GetLastErrorMessage failed>";
    }
    return g_message;
}

static char g_shared[2048];

static void shared_path(char* out, size_t cap, const char* relative)
{
    snprintf(out, cap, "%s/%s", g_shared, relative);
}

/* Reads a whole file; returns NULL (and reports a failure) when it cannot. */
static unsigned char* read_file(const char* path, long* length)
{
    FILE* f = fopen(path, "rb");
    unsigned char* data;
    long n;
    if (f == NULL) {
        fprintf(stderr, "missing shared file: %s\n", path);
        ++g_failed;
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = (unsigned char*)malloc(n > 0 ? (size_t)n : 1u);
    if (data == NULL || (n > 0 && fread(data, 1, (size_t)n, f) != (size_t)n)) {
        fprintf(stderr, "cannot read %s\n", path);
        ++g_failed;
        fclose(f);
        free(data);
        return NULL;
    }
    fclose(f);
    *length = n;
    return data;
}

static int contains(const unsigned char* data, long length, const char* needle)
{
    const long n = (long)strlen(needle);
    long i;
    for (i = 0; i + n <= length; ++i) {
        if (memcmp(data + i, needle, (size_t)n) == 0) return 1;
    }
    return 0;
}

/* Minimal .npy reader: returns a pointer to the raw data inside *file (uint8 arrays only here)
 * and its byte count. */
static const unsigned char* npy_data(const unsigned char* file, long file_length, long* data_length)
{
    long header;
    if (file_length < 10 || memcmp(file, "\x93NUMPY", 6) != 0) {
        return NULL;
    }
    if (file[6] == 1) {
        header = 10 + (long)(file[8] | (file[9] << 8));
    } else {
        if (file_length < 12) return NULL;
        header = 12 + (long)((unsigned long)file[8] | ((unsigned long)file[9] << 8) |
                             ((unsigned long)file[10] << 16) | ((unsigned long)file[11] << 24));
    }
    if (header > file_length || !contains(file, header, "'|u1'")) {
        return NULL;
    }
    *data_length = file_length - header;
    return file + header;
}

/* Copies a decoded image out and compares it with a stored uint8 array. */
static void check_image_equals_npy(PaddleNetNative_Image* image, const char* npy_relative,
                                   int32_t expect_h, int32_t expect_w, int32_t expect_c)
{
    char path[4096];
    int32_t h = 0, w = 0, c = 0;
    long npy_length = 0, ref_length = 0;
    unsigned char* npy;
    const unsigned char* ref;
    unsigned char* pixels;

    CHECK_STATUS(PaddleNetNative_ImageGetSize(image, &h, &w, &c), PADDLENET_NATIVE_OK);
    CHECK(h == expect_h && w == expect_w && c == expect_c);
    if (h != expect_h || w != expect_w || c != expect_c) {
        fprintf(stderr, "  %s: got %dx%dx%d\n", npy_relative, (int)h, (int)w, (int)c);
        return;
    }
    shared_path(path, sizeof path, npy_relative);
    npy = read_file(path, &npy_length);
    if (npy == NULL) return;
    ref = npy_data(npy, npy_length, &ref_length);
    CHECK(ref != NULL && ref_length == (long)h * w * c);
    pixels = (unsigned char*)malloc((size_t)h * (size_t)w * (size_t)c);
    CHECK_STATUS(PaddleNetNative_ImageCopyTo(image, pixels, (int64_t)h * w * c), PADDLENET_NATIVE_OK);
    if (ref != NULL && ref_length == (long)h * w * c) {
        CHECK(memcmp(pixels, ref, (size_t)ref_length) == 0);
    }
    free(pixels);
    free(npy);
}

/* Compares two byte arrays and, when they differ, says how much. Passes when at most max_count bytes differ,
 * none by more than max_delta (0, 0 for bit-exact). */
static void report_diff(const char* what, const unsigned char* actual, const unsigned char* expected, long n,
                        long max_count, int max_delta_allowed)
{
    long i, count = 0, first = -1;
    int max_delta = 0;
    for (i = 0; i < n; ++i) {
        int d = abs((int)actual[i] - (int)expected[i]);
        if (d != 0) {
            if (first < 0) first = i;
            ++count;
            if (d > max_delta) max_delta = d;
        }
    }
    CHECK(count <= max_count && max_delta <= max_delta_allowed);
    if (count > max_count || max_delta > max_delta_allowed) {
        fprintf(stderr, "  %s: %ld of %ld bytes differ (first at %ld, max |delta| %d)\n", what, count, n, first,
                max_delta);
    }
}

static void test_version(void)
{
    char version[64];
    int32_t length = -1;
    CHECK(PaddleNetNative_GetAbiVersion() == PADDLENET_NATIVE_ABI_VERSION);
    CHECK_STATUS(PaddleNetNative_GetBackendVersion(version, (int32_t)sizeof version, &length),
                 PADDLENET_NATIVE_OK);
    CHECK(length > 0 && version[0] == '4');
}

static void test_decode_file_photo(void)
{
    char path[4096];
    PaddleNetNative_Image* image = NULL;
    shared_path(path, sizeof path, "models/images/imagenet/ILSVRC2012_val_00000010.jpeg");
    CHECK_STATUS(PaddleNetNative_DecodeFile(path, PADDLENET_NATIVE_DECODE_COLOR, &image), PADDLENET_NATIVE_OK);
    CHECK(image != NULL);
    CHECK(last_error()[0] == '\0');
    if (image == NULL) return;
    check_image_equals_npy(image, "models/images/reference/ILSVRC2012_val_00000010.decode.npy", 375, 500, 3);
    CHECK_STATUS(PaddleNetNative_ImageDestroy(image), PADDLENET_NATIVE_OK);
}

static void test_decode_memory_photo(void)
{
    char path[4096];
    long length = 0;
    unsigned char* bytes;
    PaddleNetNative_Image* image = NULL;
    shared_path(path, sizeof path, "models/images/imagenet/egypt_cat.jpg");
    bytes = read_file(path, &length);
    if (bytes == NULL) return;
    CHECK_STATUS(PaddleNetNative_DecodeMemory(bytes, length, PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_OK);
    if (image != NULL) {
        check_image_equals_npy(image, "models/images/reference/egypt_cat.decode.npy", 471, 500, 3);
        PaddleNetNative_ImageDestroy(image);
    }

    /* Truncated bytes: the first 200 bytes of a JPEG (header only) give no image. */
    image = NULL;
    CHECK_STATUS(PaddleNetNative_DecodeMemory(bytes, 200, PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_E_DECODE_FAILED);
    CHECK(image == NULL);
    CHECK(strstr(last_error(), "<memory>") != NULL);
    free(bytes);
}

static void test_decode_gray(void)
{
    char path[4096];
    PaddleNetNative_Image* image = NULL;
    shared_path(path, sizeof path, "models/images/scenes/face2.jpg");
    CHECK_STATUS(PaddleNetNative_DecodeFile(path, PADDLENET_NATIVE_DECODE_GRAYSCALE, &image), PADDLENET_NATIVE_OK);
    if (image == NULL) return;
    check_image_equals_npy(image, "models/images/reference/face2.gray_imread.npy", 64, 64, 1);
    PaddleNetNative_ImageDestroy(image);
}

static void test_decode_errors(void)
{
    char path[4096];
    PaddleNetNative_Image* image = NULL;
    const uint8_t one = 0xFF;

    shared_path(path, sizeof path, "models/images/no_such_file.jpg");
    CHECK_STATUS(PaddleNetNative_DecodeFile(path, PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_E_FILE_OPEN_FAILED);
    CHECK(image == NULL);
    CHECK(strstr(last_error(), "no_such_file.jpg") != NULL);

    shared_path(path, sizeof path, "models/images");
    CHECK_STATUS(PaddleNetNative_DecodeFile(path, PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_E_FILE_OPEN_FAILED);

    shared_path(path, sizeof path, "models/images/odd/empty.jpg");
    CHECK_STATUS(PaddleNetNative_DecodeFile(path, PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_E_EMPTY_INPUT);

    shared_path(path, sizeof path, "models/images/odd/text_named.jpg");
    CHECK_STATUS(PaddleNetNative_DecodeFile(path, PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_E_UNKNOWN_FORMAT);

    shared_path(path, sizeof path, "models/images/odd/header_only.jpg");
    CHECK_STATUS(PaddleNetNative_DecodeFile(path, PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_E_DECODE_FAILED);
    CHECK(strstr(last_error(), "header_only.jpg") != NULL);
    CHECK(image == NULL);

    CHECK_STATUS(PaddleNetNative_DecodeMemory(NULL, 0, PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_E_EMPTY_INPUT);
    CHECK_STATUS(PaddleNetNative_DecodeMemory(&one, 0, PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_E_EMPTY_INPUT);
    CHECK_STATUS(PaddleNetNative_DecodeMemory(&one, 1, PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_E_DECODE_FAILED);
    CHECK_STATUS(PaddleNetNative_DecodeMemory(NULL, 5, PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_DecodeMemory(&one, -1, PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_DecodeMemory(&one, 1, 7, &image), PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_DecodeFile(NULL, PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_DecodeFile("", PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_DecodeFile("x.jpg", PADDLENET_NATIVE_DECODE_COLOR, NULL),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK(image == NULL);
    CHECK_STATUS(PaddleNetNative_ImageDestroy(NULL), PADDLENET_NATIVE_OK);
}

static void test_copy_errors(void)
{
    char path[4096];
    uint8_t small[16];
    int32_t h, w, c;
    PaddleNetNative_Image* image = NULL;
    shared_path(path, sizeof path, "models/images/scenes/face2.jpg");
    CHECK_STATUS(PaddleNetNative_DecodeFile(path, PADDLENET_NATIVE_DECODE_COLOR, &image), PADDLENET_NATIVE_OK);
    if (image == NULL) return;
    CHECK_STATUS(PaddleNetNative_ImageCopyTo(image, small, (int64_t)sizeof small),
                 PADDLENET_NATIVE_E_BUFFER_TOO_SMALL);
    CHECK(strstr(last_error(), "12288") != NULL);
    CHECK_STATUS(PaddleNetNative_ImageCopyTo(image, NULL, 0), PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_ImageGetSize(image, &h, NULL, &c), PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_ImageGetSize(NULL, &h, &w, &c), PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    PaddleNetNative_ImageDestroy(image);
}

static void test_last_error_truncation(void)
{
    char small[5];
    int32_t length = 0;
    PaddleNetNative_Image* image = NULL;
    CHECK_STATUS(PaddleNetNative_DecodeFile("/nonexistent/dir/file.png", PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_E_FILE_OPEN_FAILED);
    CHECK_STATUS(PaddleNetNative_GetLastErrorMessage(small, (int32_t)sizeof small, &length), PADDLENET_NATIVE_OK);
    CHECK(strlen(small) == 4 && length > 4);
    CHECK_STATUS(PaddleNetNative_GetLastErrorMessage(NULL, 0, &length), PADDLENET_NATIVE_OK);
    CHECK(length > 4);
    CHECK_STATUS(PaddleNetNative_GetLastErrorMessage(NULL, 8, &length), PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    /* A successful call clears it. */
    CHECK(PaddleNetNative_GetAbiVersion() == PADDLENET_NATIVE_ABI_VERSION);
    CHECK_STATUS(PaddleNetNative_ImageDestroy(NULL), PADDLENET_NATIVE_OK);
    CHECK(last_error()[0] == '\0');
}

static unsigned char* load_npy(const char* relative, long expect_bytes, unsigned char** owner)
{
    char path[4096];
    long length = 0, data_length = 0;
    const unsigned char* data;
    shared_path(path, sizeof path, relative);
    *owner = read_file(path, &length);
    if (*owner == NULL) return NULL;
    data = npy_data(*owner, length, &data_length);
    CHECK(data != NULL && data_length == expect_bytes);
    if (data == NULL || data_length != expect_bytes) return NULL;
    return *owner + (data - *owner);
}

static void test_resize_and_color(void)
{
    /* Bit-exact, except cubic: the cv2 wheel that made the references runs 8-bit INTER_CUBIC through Intel IPP,
     * which Debian's OpenCV lacks; OpenCV's own cubic is off by one in about 3% of bytes (see native/README.md). */
    static const struct { const char* file; int32_t interpolation; long max_count; int max_delta; } cases[] = {
        {"models/images/reference/face2.resize97x131_linear.npy", PADDLENET_NATIVE_INTER_LINEAR, 0, 0},
        {"models/images/reference/face2.resize97x131_area.npy", PADDLENET_NATIVE_INTER_AREA, 0, 0},
        {"models/images/reference/face2.resize97x131_cubic.npy", PADDLENET_NATIVE_INTER_CUBIC, 131 * 97 * 3 * 4 / 100, 1},
        {"models/images/reference/face2.resize97x131_nearest.npy", PADDLENET_NATIVE_INTER_NEAREST, 0, 0},
        {"models/images/reference/face2.half_linear_32x32.npy", PADDLENET_NATIVE_INTER_LINEAR, 0, 0},
    };
    unsigned char *decode_owner = NULL, *ref_owner = NULL;
    unsigned char* decode = load_npy("models/images/reference/face2.decode.npy", 64 * 64 * 3, &decode_owner);
    uint8_t out[131 * 97 * 3];
    uint8_t gray[64 * 64];
    size_t i;
    if (decode == NULL) { free(decode_owner); return; }

    for (i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        const int32_t dh = strstr(cases[i].file, "half") != NULL ? 32 : 131;
        const int32_t dw = strstr(cases[i].file, "half") != NULL ? 32 : 97;
        const long bytes = (long)dh * dw * 3;
        unsigned char* ref = load_npy(cases[i].file, bytes, &ref_owner);
        CHECK_STATUS(PaddleNetNative_Resize(decode, 64 * 64 * 3, 64, 64, 3, out, bytes, dh, dw,
                                            cases[i].interpolation),
                     PADDLENET_NATIVE_OK);
        if (ref != NULL) {
            report_diff(cases[i].file, out, ref, bytes, cases[i].max_count, cases[i].max_delta);
        }
        free(ref_owner);
    }

    /* 1- and 4-channel inputs and LANCZOS4 run (no reference: sizes only). */
    CHECK_STATUS(PaddleNetNative_Resize(decode, 64 * 64 * 3, 48, 64, 4, out, (int64_t)sizeof out, 20, 30,
                                        PADDLENET_NATIVE_INTER_LANCZOS4),
                 PADDLENET_NATIVE_OK);
    CHECK_STATUS(PaddleNetNative_Resize(decode, 64 * 64 * 3, 64, 64, 1, out, (int64_t)sizeof out, 131, 97,
                                        PADDLENET_NATIVE_INTER_AREA),
                 PADDLENET_NATIVE_OK);

    /* Errors. */
    CHECK_STATUS(PaddleNetNative_Resize(decode, 64 * 64 * 3, 64, 64, 3, out, (int64_t)sizeof out, 131, 97, 5),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_Resize(decode, 64 * 64 * 3, 64, 64, 2, out, (int64_t)sizeof out, 131, 97, 1),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_Resize(decode, 64 * 64 * 3 - 1, 64, 64, 3, out, (int64_t)sizeof out, 131, 97, 1),
                 PADDLENET_NATIVE_E_BUFFER_TOO_SMALL);
    CHECK_STATUS(PaddleNetNative_Resize(decode, 64 * 64 * 3, 64, 64, 3, out, (int64_t)sizeof out - 1, 131, 97, 1),
                 PADDLENET_NATIVE_E_BUFFER_TOO_SMALL);
    CHECK_STATUS(PaddleNetNative_Resize(decode, 64 * 64 * 3, 64, 64, 3, out, (int64_t)sizeof out, 0, 97, 1),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_Resize(decode, 64 * 64 * 3, 32, 32, 3, decode + 16, 32 * 32 * 3, 32, 32, 1),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_Resize(NULL, 0, 64, 64, 3, out, (int64_t)sizeof out, 131, 97, 1),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);

    /* cvtColor against cv2's arrays. */
    {
        unsigned char* ref = load_npy("models/images/reference/face2.rgb.npy", 64 * 64 * 3, &ref_owner);
        CHECK_STATUS(PaddleNetNative_CvtColor(decode, 64 * 64 * 3, 64, 64, PADDLENET_NATIVE_COLOR_BGR2RGB, out,
                                              64 * 64 * 3),
                     PADDLENET_NATIVE_OK);
        if (ref != NULL) CHECK(memcmp(out, ref, 64 * 64 * 3) == 0);
        free(ref_owner);
    }
    {
        unsigned char* ref = load_npy("models/images/reference/face2.gray_cvt.npy", 64 * 64, &ref_owner);
        CHECK_STATUS(PaddleNetNative_CvtColor(decode, 64 * 64 * 3, 64, 64, PADDLENET_NATIVE_COLOR_BGR2GRAY, gray,
                                              (int64_t)sizeof gray),
                     PADDLENET_NATIVE_OK);
        if (ref != NULL) CHECK(memcmp(gray, ref, sizeof gray) == 0);
        free(ref_owner);
    }
    CHECK_STATUS(PaddleNetNative_CvtColor(decode, 64 * 64 * 3, 64, 64, 999, out, (int64_t)sizeof out),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_CvtColor(decode, 64 * 64 * 3, 64, 64, PADDLENET_NATIVE_COLOR_BGR2GRAY, gray,
                                          (int64_t)sizeof gray - 1),
                 PADDLENET_NATIVE_E_BUFFER_TOO_SMALL);
    CHECK_STATUS(PaddleNetNative_CvtColor(decode, 64 * 64 * 3, 64, 64, PADDLENET_NATIVE_COLOR_BGR2RGB, decode,
                                          64 * 64 * 3),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    free(decode_owner);
}

/* ResizeScale equals Resize when fx/fy are the dst/src ratios, derives its size by cvRound, and refuses
 * any other destination size. Drawing changes exactly the pixels it should; Encode round-trips. */
static void test_resize_scale_draw_encode(void)
{
    unsigned char* decode_owner = NULL;
    unsigned char* decode = load_npy("models/images/reference/face2.decode.npy", 64 * 64 * 3, &decode_owner);
    static uint8_t a[97 * 131 * 3], b[97 * 131 * 3];
    static uint8_t canvas[40 * 50 * 3];
    const uint8_t red[3] = {0, 0, 255};
    int32_t tw = 0, th = 0, base = 0, h = 0, w = 0, c = 0;
    int64_t n = 0;
    PaddleNetNative_Buffer* buffer = NULL;
    PaddleNetNative_Image* back = NULL;
    uint8_t* encoded;
    if (decode == NULL) { free(decode_owner); return; }

    CHECK_STATUS(PaddleNetNative_Resize(decode, 64 * 64 * 3, 64, 64, 3, a, (int64_t)sizeof a, 131, 97,
                                        PADDLENET_NATIVE_INTER_LINEAR), PADDLENET_NATIVE_OK);
    CHECK_STATUS(PaddleNetNative_ResizeScale(decode, 64 * 64 * 3, 64, 64, 3, 97.0 / 64.0, 131.0 / 64.0,
                                             PADDLENET_NATIVE_INTER_LINEAR, b, (int64_t)sizeof b, 131, 97),
                 PADDLENET_NATIVE_OK);
    CHECK(memcmp(a, b, 97 * 131 * 3) == 0);
    /* 64 * 0.7 = 44.8 -> 45; a scale that is not 45/64 samples differently from Resize to 45 x 45. */
    CHECK_STATUS(PaddleNetNative_ResizeScale(decode, 64 * 64 * 3, 64, 64, 3, 0.7, 0.7, PADDLENET_NATIVE_INTER_LINEAR,
                                             b, (int64_t)sizeof b, 45, 45), PADDLENET_NATIVE_OK);
    CHECK_STATUS(PaddleNetNative_Resize(decode, 64 * 64 * 3, 64, 64, 3, a, (int64_t)sizeof a, 45, 45,
                                        PADDLENET_NATIVE_INTER_LINEAR), PADDLENET_NATIVE_OK);
    CHECK(memcmp(a, b, 45 * 45 * 3) != 0);
    CHECK_STATUS(PaddleNetNative_ResizeScale(decode, 64 * 64 * 3, 64, 64, 3, 0.7, 0.7, PADDLENET_NATIVE_INTER_LINEAR,
                                             b, (int64_t)sizeof b, 44, 45), PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_ResizeScale(decode, 64 * 64 * 3, 64, 64, 3, -1.0, 0.7, PADDLENET_NATIVE_INTER_LINEAR,
                                             b, (int64_t)sizeof b, 45, 45), PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_ResizeScale(decode, 64 * 64 * 3, 64, 64, 3, 0.7, 0.7, PADDLENET_NATIVE_INTER_LINEAR,
                                             b, 45 * 45 * 3 - 1, 45, 45), PADDLENET_NATIVE_E_BUFFER_TOO_SMALL);

    /* A 2-pixel red outline from (10,5) to (30,20): its corner is red, its inside untouched. */
    memset(canvas, 0, sizeof canvas);
    CHECK_STATUS(PaddleNetNative_DrawRectangle(canvas, (int64_t)sizeof canvas, 40, 50, 3, 10, 5, 30, 20, red, 3, 2,
                                               PADDLENET_NATIVE_LINE_8), PADDLENET_NATIVE_OK);
    CHECK(canvas[(5 * 50 + 10) * 3 + 2] == 255 && canvas[(5 * 50 + 10) * 3] == 0);
    CHECK(canvas[(12 * 50 + 20) * 3 + 2] == 0);
    CHECK_STATUS(PaddleNetNative_DrawRectangle(canvas, (int64_t)sizeof canvas, 40, 50, 3, 0, 0, 5, 5, red, 1, 1,
                                               PADDLENET_NATIVE_LINE_8), PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_DrawRectangle(canvas, (int64_t)sizeof canvas - 1, 40, 50, 3, 0, 0, 5, 5, red, 3, 1,
                                               PADDLENET_NATIVE_LINE_8), PADDLENET_NATIVE_E_BUFFER_TOO_SMALL);
    CHECK_STATUS(PaddleNetNative_GetTextSize("dog 0.9", PADDLENET_NATIVE_FONT_HERSHEY_SIMPLEX, 0.5, 1, &tw, &th, &base),
                 PADDLENET_NATIVE_OK);
    CHECK(tw > 20 && th > 5 && base > 0);
    CHECK_STATUS(PaddleNetNative_DrawText(canvas, (int64_t)sizeof canvas, 40, 50, 3, "A", 2, 38,
                                          PADDLENET_NATIVE_FONT_HERSHEY_SIMPLEX, 0.5, red, 3, 1,
                                          PADDLENET_NATIVE_LINE_8), PADDLENET_NATIVE_OK);
    CHECK_STATUS(PaddleNetNative_DrawText(canvas, (int64_t)sizeof canvas, 40, 50, 3, "A", 2, 38, 7, 0.5, red, 3, 1,
                                          PADDLENET_NATIVE_LINE_8), PADDLENET_NATIVE_E_INVALID_ARGUMENT);

    /* PNG is lossless: encode, decode, compare. */
    CHECK_STATUS(PaddleNetNative_Encode(canvas, (int64_t)sizeof canvas, 40, 50, 3, ".PNG", -1, &buffer),
                 PADDLENET_NATIVE_OK);
    CHECK_STATUS(PaddleNetNative_BufferGetSize(buffer, &n), PADDLENET_NATIVE_OK);
    CHECK(n > 8);
    encoded = (uint8_t*)malloc((size_t)(n > 0 ? n : 1));
    CHECK_STATUS(PaddleNetNative_BufferCopyTo(buffer, encoded, n - 1), PADDLENET_NATIVE_E_BUFFER_TOO_SMALL);
    CHECK_STATUS(PaddleNetNative_BufferCopyTo(buffer, encoded, n), PADDLENET_NATIVE_OK);
    CHECK(encoded[1] == 'P' && encoded[2] == 'N' && encoded[3] == 'G');
    CHECK_STATUS(PaddleNetNative_DecodeMemory(encoded, n, PADDLENET_NATIVE_DECODE_COLOR, &back), PADDLENET_NATIVE_OK);
    CHECK_STATUS(PaddleNetNative_ImageGetSize(back, &h, &w, &c), PADDLENET_NATIVE_OK);
    CHECK(h == 40 && w == 50 && c == 3);
    CHECK_STATUS(PaddleNetNative_ImageCopyTo(back, a, (int64_t)sizeof a), PADDLENET_NATIVE_OK);
    CHECK(memcmp(a, canvas, sizeof canvas) == 0);
    PaddleNetNative_ImageDestroy(back);
    PaddleNetNative_BufferDestroy(buffer);
    free(encoded);
    buffer = NULL;
    CHECK_STATUS(PaddleNetNative_Encode(canvas, (int64_t)sizeof canvas, 40, 50, 3, ".jpg", 90, &buffer),
                 PADDLENET_NATIVE_OK);
    PaddleNetNative_BufferDestroy(buffer);
    CHECK_STATUS(PaddleNetNative_Encode(canvas, (int64_t)sizeof canvas, 40, 50, 3, ".gif", -1, &buffer),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_Encode(canvas, (int64_t)sizeof canvas, 40, 50, 3, ".png", 10, &buffer),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_BufferDestroy(NULL), PADDLENET_NATIVE_OK);
    free(decode_owner);
}

/* Text-detection geometry on hand-built inputs whose answers are known without OpenCV. */
static int has_point(const int32_t* pts, int32_t n, int32_t x, int32_t y)
{
    int32_t i;
    for (i = 0; i < n; ++i) {
        if (pts[2 * i] == x && pts[2 * i + 1] == y) return 1;
    }
    return 0;
}

static int has_corner(const float* c, float x, float y)
{
    int i;
    for (i = 0; i < 4; ++i) {
        if (c[2 * i] > x - 1e-4f && c[2 * i] < x + 1e-4f && c[2 * i + 1] > y - 1e-4f && c[2 * i + 1] < y + 1e-4f) return 1;
    }
    return 0;
}

static void test_geometry(void)
{
    static uint8_t mask[20 * 30];
    static float map[10 * 10];
    int32_t lengths[4], points[64], count = -1;
    int64_t total = -1;
    float rect[5], corners[8];
    double mean = -1.0, m[9];
    int x, y;
    PaddleNetNative_Contours* contours = NULL;
    const int32_t square[8] = {0, 0, 9, 0, 9, 9, 0, 9};
    const int32_t roi[8] = {0, 0, 3, 0, 3, 3, 0, 3};
    const float src4[8] = {0, 0, 10, 0, 10, 5, 0, 5};
    const float dst4[8] = {0, 0, 20, 0, 20, 10, 0, 10};
    const double identity[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    const uint8_t six[6] = {1, 2, 3, 4, 5, 6};
    const uint8_t ccw[6] = {3, 6, 2, 5, 1, 4};
    const uint8_t half[6] = {6, 5, 4, 3, 2, 1};
    uint8_t turned[6], warped[20 * 30], canvas[10 * 10 * 3];
    const uint8_t green[3] = {0, 255, 0};
    const int32_t triangle[6] = {1, 1, 8, 1, 1, 8};

    /* A filled 10 x 6 rectangle at x 5..14, y 3..8: one contour of its 4 corners. */
    memset(mask, 0, sizeof mask);
    for (y = 3; y <= 8; ++y) for (x = 5; x <= 14; ++x) mask[y * 30 + x] = 255;
    CHECK_STATUS(PaddleNetNative_FindContours(mask, (int64_t)sizeof mask, 20, 30, &contours), PADDLENET_NATIVE_OK);
    CHECK_STATUS(PaddleNetNative_ContoursGetSize(contours, &count, &total), PADDLENET_NATIVE_OK);
    CHECK(count == 1 && total == 4);
    CHECK_STATUS(PaddleNetNative_ContoursCopyTo(contours, lengths, 4, points, 7), PADDLENET_NATIVE_E_BUFFER_TOO_SMALL);
    CHECK_STATUS(PaddleNetNative_ContoursCopyTo(contours, lengths, 4, points, 64), PADDLENET_NATIVE_OK);
    CHECK(lengths[0] == 4);
    CHECK(has_point(points, 4, 5, 3) && has_point(points, 4, 14, 3) && has_point(points, 4, 14, 8) &&
          has_point(points, 4, 5, 8));
    CHECK_STATUS(PaddleNetNative_ContoursDestroy(contours), PADDLENET_NATIVE_OK);
    CHECK_STATUS(PaddleNetNative_ContoursDestroy(NULL), PADDLENET_NATIVE_OK);

    /* The tightest rectangle of those corners: centre (9.5, 5.5), sides 9 and 5; its box points are the corners. */
    CHECK_STATUS(PaddleNetNative_MinAreaRect(points, 4, rect), PADDLENET_NATIVE_OK);
    CHECK(rect[0] == 9.5f && rect[1] == 5.5f);
    CHECK((rect[2] == 9.0f && rect[3] == 5.0f) || (rect[2] == 5.0f && rect[3] == 9.0f));
    CHECK_STATUS(PaddleNetNative_BoxPoints(rect, corners), PADDLENET_NATIVE_OK);
    CHECK(has_corner(corners, 5, 3) && has_corner(corners, 14, 3) && has_corner(corners, 14, 8) && has_corner(corners, 5, 8));
    CHECK_STATUS(PaddleNetNative_MinAreaRect(points, 0, rect), PADDLENET_NATIVE_E_INVALID_ARGUMENT);

    /* A ring (the rectangle with a hole) has two contours under RETR_LIST. */
    for (y = 5; y <= 6; ++y) for (x = 8; x <= 11; ++x) mask[y * 30 + x] = 0;
    CHECK_STATUS(PaddleNetNative_FindContours(mask, (int64_t)sizeof mask, 20, 30, &contours), PADDLENET_NATIVE_OK);
    CHECK_STATUS(PaddleNetNative_ContoursGetSize(contours, &count, &total), PADDLENET_NATIVE_OK);
    CHECK(count == 2);
    PaddleNetNative_ContoursDestroy(contours);
    /* An empty mask has none. */
    memset(mask, 0, sizeof mask);
    CHECK_STATUS(PaddleNetNative_FindContours(mask, (int64_t)sizeof mask, 20, 30, &contours), PADDLENET_NATIVE_OK);
    CHECK_STATUS(PaddleNetNative_ContoursGetSize(contours, &count, &total), PADDLENET_NATIVE_OK);
    CHECK(count == 0 && total == 0);
    PaddleNetNative_ContoursDestroy(contours);
    CHECK_STATUS(PaddleNetNative_FindContours(mask, 10, 20, 30, &contours), PADDLENET_NATIVE_E_BUFFER_TOO_SMALL);

    /* map[y][x] = x: the whole square averages 4.5; the region x 2..5 averages 3.5. */
    for (y = 0; y < 10; ++y) for (x = 0; x < 10; ++x) map[y * 10 + x] = (float)x;
    CHECK_STATUS(PaddleNetNative_PolygonMean(map, 100, 10, 10, 0, 0, 9, 9, square, 4, &mean), PADDLENET_NATIVE_OK);
    CHECK(mean > 4.4999 && mean < 4.5001);
    CHECK_STATUS(PaddleNetNative_PolygonMean(map, 100, 10, 10, 2, 0, 5, 3, roi, 4, &mean), PADDLENET_NATIVE_OK);
    CHECK(mean > 3.4999 && mean < 3.5001);
    CHECK_STATUS(PaddleNetNative_PolygonMean(map, 100, 10, 10, 2, 0, 10, 3, roi, 4, &mean), PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_PolygonMean(map, 99, 10, 10, 0, 0, 9, 9, square, 4, &mean), PADDLENET_NATIVE_E_BUFFER_TOO_SMALL);

    /* Doubling both axes is diag(2, 2, 1). */
    CHECK_STATUS(PaddleNetNative_GetPerspectiveTransform(src4, dst4, m), PADDLENET_NATIVE_OK);
    CHECK(fabs(m[0] - 2) < 1e-9 && fabs(m[4] - 2) < 1e-9 && fabs(m[8] - 1) < 1e-9 && fabs(m[1]) < 1e-9 &&
          fabs(m[2]) < 1e-9 && fabs(m[3]) < 1e-9 && fabs(m[5]) < 1e-9 && fabs(m[6]) < 1e-9 && fabs(m[7]) < 1e-9);

    /* The identity warp copies the pixels, cubic or not. */
    for (x = 0; x < 20 * 30; ++x) mask[x] = (uint8_t)(x * 7);
    CHECK_STATUS(PaddleNetNative_WarpPerspective(mask, (int64_t)sizeof mask, 20, 30, 1, identity, warped,
                                                 (int64_t)sizeof warped, 20, 30, PADDLENET_NATIVE_INTER_CUBIC,
                                                 PADDLENET_NATIVE_BORDER_REPLICATE), PADDLENET_NATIVE_OK);
    CHECK(memcmp(mask, warped, sizeof mask) == 0);
    CHECK_STATUS(PaddleNetNative_WarpPerspective(mask, (int64_t)sizeof mask, 20, 30, 1, identity, warped,
                                                 (int64_t)sizeof warped, 20, 30, PADDLENET_NATIVE_INTER_CUBIC, 4),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);

    /* [1 2 3; 4 5 6]: a counter-clockwise quarter turn (numpy rot90) and a half turn. */
    CHECK_STATUS(PaddleNetNative_Rotate(six, 6, 2, 3, 1, PADDLENET_NATIVE_ROTATE_90_COUNTERCLOCKWISE, turned, 6),
                 PADDLENET_NATIVE_OK);
    CHECK(memcmp(turned, ccw, 6) == 0);
    CHECK_STATUS(PaddleNetNative_Rotate(six, 6, 2, 3, 1, PADDLENET_NATIVE_ROTATE_180, turned, 6), PADDLENET_NATIVE_OK);
    CHECK(memcmp(turned, half, 6) == 0);
    CHECK_STATUS(PaddleNetNative_Rotate(six, 6, 2, 3, 1, 3, turned, 6), PADDLENET_NATIVE_E_INVALID_ARGUMENT);
    CHECK_STATUS(PaddleNetNative_Rotate(six, 6, 2, 3, 1, PADDLENET_NATIVE_ROTATE_180, turned, 5),
                 PADDLENET_NATIVE_E_BUFFER_TOO_SMALL);

    /* A filled triangle covers (2, 2) and not (7, 7); an outline leaves (2, 2) alone. */
    memset(canvas, 0, sizeof canvas);
    CHECK_STATUS(PaddleNetNative_DrawPolygon(canvas, (int64_t)sizeof canvas, 10, 10, 3, triangle, 3, 1, green, 3, -1,
                                             PADDLENET_NATIVE_LINE_8), PADDLENET_NATIVE_OK);
    CHECK(canvas[(2 * 10 + 2) * 3 + 1] == 255 && canvas[(7 * 10 + 7) * 3 + 1] == 0);
    memset(canvas, 0, sizeof canvas);
    CHECK_STATUS(PaddleNetNative_DrawPolygon(canvas, (int64_t)sizeof canvas, 10, 10, 3, triangle, 3, 1, green, 3, 1,
                                             PADDLENET_NATIVE_LINE_8), PADDLENET_NATIVE_OK);
    CHECK(canvas[(1 * 10 + 1) * 3 + 1] == 255 && canvas[(3 * 10 + 3) * 3 + 1] == 0);
    CHECK_STATUS(PaddleNetNative_DrawPolygon(canvas, (int64_t)sizeof canvas, 10, 10, 3, triangle, 0, 1, green, 3, 1,
                                             PADDLENET_NATIVE_LINE_8), PADDLENET_NATIVE_E_INVALID_ARGUMENT);
}

#if !defined(_WIN32)
static void* other_thread(void* arg)
{
    int32_t* result = (int32_t*)arg;
    char message[256];
    int32_t length = -1;
    PaddleNetNative_GetLastErrorMessage(message, (int32_t)sizeof message, &length);
    result[0] = length; /* this thread has no error yet */
    PaddleNetNative_CvtColor(NULL, 0, 1, 1, PADDLENET_NATIVE_COLOR_BGR2RGB, NULL, 0);
    PaddleNetNative_GetLastErrorMessage(message, (int32_t)sizeof message, &length);
    result[1] = length;
    return NULL;
}

static void test_last_error_is_per_thread(void)
{
    pthread_t thread;
    int32_t result[2] = {-1, -1};
    char before[sizeof g_message], after[sizeof g_message];
    PaddleNetNative_Image* image = NULL;
    CHECK_STATUS(PaddleNetNative_DecodeFile("/nonexistent/a.jpg", PADDLENET_NATIVE_DECODE_COLOR, &image),
                 PADDLENET_NATIVE_E_FILE_OPEN_FAILED);
    snprintf(before, sizeof before, "%s", last_error());
    CHECK(pthread_create(&thread, NULL, other_thread, result) == 0);
    pthread_join(thread, NULL);
    snprintf(after, sizeof after, "%s", last_error());
    CHECK(result[0] == 0);
    CHECK(result[1] > 0);
    CHECK(strcmp(before, after) == 0 && strstr(after, "a.jpg") != NULL);
}
#endif

/* Text in any script through FreeType: two CJK strings leave ink where the line is and differ from each other; a
 * missing font is named. Builds without FreeType (cross builds) must say fonts are unsupported instead.
 * PADDLENET_TEST_FONT overrides Debian's fonts-droid-fallback CJK font. */
static void test_draw_text_font(void)
{
    static uint8_t a[40 * 80 * 3], b[40 * 80 * 3];
    const uint8_t black[3] = {0, 0, 0};
    const char* env = getenv("PADDLENET_TEST_FONT");
    const char* font = (env != NULL && env[0] != '\0') ? env : "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";
    int32_t supported = -1, advance = -1, ink = 0, differ = 0;
    size_t i;
    CHECK_STATUS(PaddleNetNative_FontsSupported(&supported), PADDLENET_NATIVE_OK);
    memset(a, 255, sizeof a);
    memset(b, 255, sizeof b);
    if (supported == 0) {
        CHECK_STATUS(PaddleNetNative_DrawTextFont(a, (int64_t)sizeof a, 40, 80, 3, font, "\xe7\xba\xaf", 2, 2, 32, black, 3,
                                                  &advance), PADDLENET_NATIVE_E_BACKEND);
        CHECK(strstr(last_error(), "FreeType") != NULL);
        return;
    }
    CHECK(supported == 1);
    /* U+7EAF U+81FB and U+8425 U+517B */
    CHECK_STATUS(PaddleNetNative_DrawTextFont(a, (int64_t)sizeof a, 40, 80, 3, font, "\xe7\xba\xaf\xe8\x87\xbb", 2, 2, 32,
                                              black, 3, &advance), PADDLENET_NATIVE_OK);
    CHECK(advance >= 56 && advance <= 72);
    CHECK_STATUS(PaddleNetNative_DrawTextFont(b, (int64_t)sizeof b, 40, 80, 3, font, "\xe8\x90\xa5\xe5\x85\xbb", 2, 2, 32,
                                              black, 3, &advance), PADDLENET_NATIVE_OK);
    for (i = 0; i < sizeof a; ++i) {
        ink += a[i] < 128;
        differ += a[i] != b[i];
    }
    CHECK(ink > 150 && differ > 150);
    CHECK_STATUS(PaddleNetNative_DrawTextFont(a, (int64_t)sizeof a, 40, 80, 3, "no_such_font.ttf", "x", 0, 0, 12, black, 3,
                                              &advance), PADDLENET_NATIVE_E_FILE_OPEN_FAILED);
    CHECK(strstr(last_error(), "no_such_font.ttf") != NULL);
    CHECK_STATUS(PaddleNetNative_DrawTextFont(a, (int64_t)sizeof a, 40, 80, 3, font, "x", 0, 0, 0, black, 3, &advance),
                 PADDLENET_NATIVE_E_INVALID_ARGUMENT);
}

int main(void)
{
    const char* env = getenv("PADDLENET_SHARED");
    snprintf(g_shared, sizeof g_shared, "%s", (env != NULL && env[0] != '\0') ? env : PADDLENET_DEFAULT_SHARED_DIR);
    printf("shared data: %s\n", g_shared);

    test_version();
    test_decode_file_photo();
    test_decode_memory_photo();
    test_decode_gray();
    test_decode_errors();
    test_copy_errors();
    test_last_error_truncation();
    test_resize_and_color();
    test_resize_scale_draw_encode();
    test_geometry();
    test_draw_text_font();
#if !defined(_WIN32)
    test_last_error_is_per_thread();
#endif

    printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
