// Text in any script with a TrueType/OpenType font through FreeType, for OCR visualisations (OpenCV's Hershey
// fonts are ASCII only and its freetype module lives in opencv_contrib). Compiled against FreeType where the
// build found it (PADDLENET_NATIVE_HAVE_FREETYPE); elsewhere the calls report that fonts are not supported.
#include "shim_internal.h"

#include <string>

#ifdef PADDLENET_NATIVE_HAVE_FREETYPE
#  include <ft2build.h>
#  include FT_FREETYPE_H
#endif

namespace paddlenet_native {
namespace {

// Next code point of a UTF-8 string (U+FFFD for a malformed sequence), advancing p.
uint32_t NextCodePoint(const unsigned char*& p)
{
    const uint32_t c = *p++;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (c >= 0x80 && extra == 0) {
        return 0xFFFD;
    }
    uint32_t cp = extra == 3 ? (c & 0x07) : extra == 2 ? (c & 0x0F) : extra == 1 ? (c & 0x1F) : c;
    for (; extra > 0; --extra) {
        if ((*p & 0xC0) != 0x80) {
            return 0xFFFD;
        }
        cp = (cp << 6) | (*p++ & 0x3F);
    }
    return cp;
}

#ifdef PADDLENET_NATIVE_HAVE_FREETYPE
// One FreeType library + face for the duration of a call (opening a face reads only the font's tables).
struct Face {
    FT_Library library = nullptr;
    FT_Face face = nullptr;
    ~Face()
    {
        if (face != nullptr) {
            FT_Done_Face(face);
        }
        if (library != nullptr) {
            FT_Done_FreeType(library);
        }
    }
};

int32_t OpenFace(const char* fn, const char* font_path, int32_t pixel_height, Face& f)
{
    if (FT_Init_FreeType(&f.library) != 0) {
        return SetError(PADDLENET_NATIVE_E_BACKEND, "%s: FreeType failed to initialise", fn);
    }
    if (FT_New_Face(f.library, font_path, 0, &f.face) != 0) {
        return SetError(PADDLENET_NATIVE_E_FILE_OPEN_FAILED, "%s: cannot open font '%s' (missing or not a TrueType/OpenType file)",
                        fn, font_path);
    }
    if (FT_Set_Pixel_Sizes(f.face, 0, static_cast<FT_UInt>(pixel_height)) != 0) {
        return SetError(PADDLENET_NATIVE_E_BACKEND, "%s: font '%s' has no %d px size", fn, font_path,
                        static_cast<int>(pixel_height));
    }
    return PADDLENET_NATIVE_OK;
}
#endif

}  // namespace
}  // namespace paddlenet_native

using namespace paddlenet_native;

extern "C" {

PADDLENET_NATIVE_API int32_t PaddleNetNative_FontsSupported(int32_t* supported)
{
    ClearError();
    if (supported == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "PaddleNetNative_FontsSupported: supported must not be null");
    }
#ifdef PADDLENET_NATIVE_HAVE_FREETYPE
    *supported = 1;
#else
    *supported = 0;
#endif
    return PADDLENET_NATIVE_OK;
}

PADDLENET_NATIVE_API int32_t PaddleNetNative_DrawTextFont(uint8_t* image, int64_t length, int32_t height,
                                                          int32_t width, int32_t channels,
                                                          const char* font_path, const char* text_utf8,
                                                          int32_t x, int32_t y, int32_t pixel_height,
                                                          const uint8_t* color, int32_t color_length,
                                                          int32_t* advance)
{
    ClearError();
    const char* fn = "PaddleNetNative_DrawTextFont";
    if (image == nullptr || font_path == nullptr || text_utf8 == nullptr || color == nullptr || advance == nullptr) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: arguments must not be null", fn);
    }
    if ((channels != 1 && channels != 3 && channels != 4) || color_length != channels) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: channels %d and color components %d must be equal (1, 3 or 4)",
                        fn, static_cast<int>(channels), static_cast<int>(color_length));
    }
    const int64_t bytes = PackedSize(height, width, channels);
    if (bytes < 0 || length < bytes) {
        return SetError(PADDLENET_NATIVE_E_BUFFER_TOO_SMALL, "%s: image holds %lld bytes, %d x %d x %d needs more",
                        fn, static_cast<long long>(length), static_cast<int>(height), static_cast<int>(width),
                        static_cast<int>(channels));
    }
    if (pixel_height < 1 || pixel_height > 4096) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: pixel height %d is not in [1, 4096]", fn,
                        static_cast<int>(pixel_height));
    }
#ifndef PADDLENET_NATIVE_HAVE_FREETYPE
    (void)x;
    (void)y;
    (void)NextCodePoint;
    *advance = 0;
    return SetError(PADDLENET_NATIVE_E_BACKEND, "%s: this build of the shim has no FreeType (fonts are not supported)", fn);
#else
    return Guarded(fn, [&]() -> int32_t {
        Face f;
        if (int32_t status = OpenFace(fn, font_path, pixel_height, f)) {
            return status;
        }
        // (x, y) is the top-left of the line, as PIL's ImageDraw.text: the baseline sits one ascender below.
        const long ascender = f.face->size->metrics.ascender >> 6;
        long pen = x;
        const unsigned char* p = reinterpret_cast<const unsigned char*>(text_utf8);
        while (*p != 0) {
            const uint32_t cp = NextCodePoint(p);
            if (FT_Load_Char(f.face, cp, FT_LOAD_RENDER) != 0) {
                continue;  // a glyph FreeType cannot render is skipped, never fatal
            }
            const FT_GlyphSlot g = f.face->glyph;
            const FT_Bitmap& bm = g->bitmap;
            const long left = pen + g->bitmap_left;
            const long top = y + ascender - g->bitmap_top;
            for (unsigned int r = 0; r < bm.rows; ++r) {
                const long yy = top + static_cast<long>(r);
                if (yy < 0 || yy >= height) {
                    continue;
                }
                const unsigned char* src = bm.buffer + static_cast<long>(r) * bm.pitch;
                for (unsigned int c = 0; c < bm.width; ++c) {
                    const long xx = left + static_cast<long>(c);
                    const unsigned int a = src[c];
                    if (a == 0 || xx < 0 || xx >= width) {
                        continue;
                    }
                    uint8_t* px = image + (yy * width + xx) * channels;
                    for (int32_t k = 0; k < channels; ++k) {
                        px[k] = static_cast<uint8_t>((color[k] * a + px[k] * (255 - a) + 127) / 255);
                    }
                }
            }
            pen += g->advance.x >> 6;
        }
        *advance = static_cast<int32_t>(pen - x);
        return PADDLENET_NATIVE_OK;
    });
#endif
}

}  // extern "C"
