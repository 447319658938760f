// Text in any script with a TrueType/OpenType font through FreeType, for OCR visualisations (OpenCV's Hershey
// fonts are ASCII only and its freetype module lives in opencv_contrib). Compiled against FreeType where the
// build found it (PADDLENET_NATIVE_HAVE_FREETYPE); elsewhere the calls report that fonts are not supported.
#include "shim_internal.h"

#include <string>
#include <vector>

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
// One FreeType library and the faces of a call (opening a face reads only the font's tables).
struct Faces {
    FT_Library library = nullptr;
    std::vector<FT_Face> faces;
    ~Faces()
    {
        for (FT_Face f : faces) {
            FT_Done_Face(f);
        }
        if (library != nullptr) {
            FT_Done_FreeType(library);
        }
    }
};

// font_paths: one or more font files separated by '\n'; each code point is drawn with the first that has it
// (CJK fallback fonts such as Droid Sans Fallback have no Latin glyphs).
int32_t OpenFaces(const char* fn, const char* font_paths, int32_t pixel_height, Faces& f)
{
    if (FT_Init_FreeType(&f.library) != 0) {
        return SetError(PADDLENET_NATIVE_E_BACKEND, "%s: FreeType failed to initialise", fn);
    }
    std::string all(font_paths);
    size_t start = 0;
    while (start <= all.size()) {
        size_t end = all.find('\n', start);
        if (end == std::string::npos) {
            end = all.size();
        }
        const std::string path = all.substr(start, end - start);
        start = end + 1;
        if (path.empty()) {
            continue;
        }
        FT_Face face = nullptr;
        if (FT_New_Face(f.library, path.c_str(), 0, &face) != 0) {
            return SetError(PADDLENET_NATIVE_E_FILE_OPEN_FAILED,
                            "%s: cannot open font '%s' (missing or not a TrueType/OpenType file)", fn, path.c_str());
        }
        f.faces.push_back(face);
        if (FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(pixel_height)) != 0) {
            return SetError(PADDLENET_NATIVE_E_BACKEND, "%s: font '%s' has no %d px size", fn, path.c_str(),
                            static_cast<int>(pixel_height));
        }
    }
    if (f.faces.empty()) {
        return SetError(PADDLENET_NATIVE_E_INVALID_ARGUMENT, "%s: no font path given", fn);
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
        Faces f;
        if (int32_t status = OpenFaces(fn, font_path, pixel_height, f)) {
            return status;
        }
        // (x, y) is the top-left of the line, as PIL's ImageDraw.text: the baseline sits one ascender (of the
        // first font) below.
        const long ascender = f.faces[0]->size->metrics.ascender >> 6;
        long pen = x;
        const unsigned char* p = reinterpret_cast<const unsigned char*>(text_utf8);
        while (*p != 0) {
            const uint32_t cp = NextCodePoint(p);
            FT_Face face = f.faces[0];
            for (FT_Face candidate : f.faces) {
                if (FT_Get_Char_Index(candidate, cp) != 0) {
                    face = candidate;
                    break;
                }
            }
            if (FT_Load_Char(face, cp, FT_LOAD_RENDER) != 0) {
                continue;  // a glyph FreeType cannot render is skipped, never fatal
            }
            const FT_GlyphSlot g = face->glyph;
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
