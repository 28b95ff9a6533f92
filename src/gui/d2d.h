/*
 * d2d.h - the few Direct2D and DirectWrite interfaces the timeline uses, declared in C. Module prefix: d2d_
 * (types, constants), dw_ (DirectWrite).
 *
 * ABI. The Windows SDK's d2d1.h and dwrite.h have no C interface, and mingw-w64's C macros call the
 * struct-returning methods (GetSize, GetPixelSize, GetColor) as if the struct came back in registers,
 * which crashes: the COM ABI (MSVC C++ member functions) returns such a struct through a hidden pointer
 * passed right after `this`, and returns that pointer. So this header declares each interface as a
 * struct whose first member points at a vtable laid out in the exact slot order of the SDK's IDL (every
 * slot up to the last one used; the others are `void *` placeholders of the same size) and declares the
 * struct-returning methods with that hidden pointer spelt out. Types carry our own names so that the
 * header does not clash with d2d1.h where some other file includes it. WIC (wincodec.h) is MIDL-made with
 * a C interface in both SDKs and is used as it is. tests/gui/test_timeline.c calls every method declared
 * here and checks what it returns (a slot off by one returns the wrong thing or crashes).
 */
#ifndef WSK_GUI_D2D_H
#define WSK_GUI_D2D_H

#include <windows.h>
#include <unknwn.h>

/* ---- types (d2d1.h / dcommon.h / d2dbasetypes.h layouts) ---- */

typedef struct d2d_color {
    float r, g, b, a;
} d2d_color;

typedef struct d2d_point {
    float x, y;
} d2d_point;

typedef struct d2d_rect {
    float left, top, right, bottom;
} d2d_rect;

typedef struct d2d_size_f {
    float width, height;
} d2d_size_f;

typedef struct d2d_size_u {
    UINT32 width, height;
} d2d_size_u;

typedef struct d2d_pixel_format {
    UINT32 format;     /* DXGI_FORMAT */
    UINT32 alpha_mode; /* D2D1_ALPHA_MODE */
} d2d_pixel_format;

typedef struct d2d_rt_props { /* D2D1_RENDER_TARGET_PROPERTIES */
    UINT32 type;
    d2d_pixel_format pixel_format;
    float dpi_x, dpi_y;
    UINT32 usage;
    UINT32 min_level;
} d2d_rt_props;

typedef struct d2d_factory_options {
    UINT32 debug_level;
} d2d_factory_options;

#define D2D_FACTORY_SINGLE_THREADED 0u
#define D2D_RT_DEFAULT 0u
#define D2D_RT_SOFTWARE 1u
#define D2D_FORMAT_B8G8R8A8_UNORM 87u /* DXGI_FORMAT_B8G8R8A8_UNORM */
#define D2D_ALPHA_PREMULTIPLIED 1u
#define D2D_ALPHA_IGNORE 3u
#define D2D_USAGE_NONE 0u
#define D2D_ANTIALIAS_PER_PRIMITIVE 0u
#define D2D_ANTIALIAS_ALIASED 1u
#define D2D_DRAW_TEXT_CLIP 2u
#define D2D_MEASURING_NATURAL 0u
#define D2D_ERR_RECREATE_TARGET ((HRESULT)0x8899000CL)

#define DW_FACTORY_SHARED 0u
#define DW_WEIGHT_NORMAL 400u
#define DW_WEIGHT_BOLD 700u
#define DW_STYLE_NORMAL 0u
#define DW_STRETCH_NORMAL 5u
#define DW_ALIGN_LEADING 0u
#define DW_ALIGN_TRAILING 1u
#define DW_ALIGN_CENTER 2u
#define DW_PARA_NEAR 0u
#define DW_PARA_CENTER 2u
#define DW_WRAP_NONE 1u

typedef struct d2d_factory d2d_factory;
typedef struct d2d_target d2d_target;       /* ID2D1RenderTarget */
typedef struct d2d_dc_target d2d_dc_target; /* ID2D1DCRenderTarget */
typedef struct d2d_brush d2d_brush;         /* ID2D1SolidColorBrush */
typedef struct dw_factory dw_factory;
typedef struct dw_fonts dw_fonts;           /* IDWriteFontCollection */
typedef struct dw_format dw_format;         /* IDWriteTextFormat */

#define D2D_UNKNOWN_SLOTS(T)                                                  \
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(T * self, REFIID riid, void **out); \
    ULONG(STDMETHODCALLTYPE *AddRef)(T * self);                               \
    ULONG(STDMETHODCALLTYPE *Release)(T * self)

/* ---- ID2D1Factory {06152247-6f50-465a-9245-118bfd3b6007} ---- */
typedef struct d2d_factory_vtbl {
    D2D_UNKNOWN_SLOTS(d2d_factory);
    void *ReloadSystemMetrics;
    void(STDMETHODCALLTYPE *GetDesktopDpi)(d2d_factory *self, float *dpi_x, float *dpi_y);
    void *CreateRectangleGeometry;
    void *CreateRoundedRectangleGeometry;
    void *CreateEllipseGeometry;
    void *CreateGeometryGroup;
    void *CreateTransformedGeometry;
    void *CreatePathGeometry;
    void *CreateStrokeStyle;
    void *CreateDrawingStateBlock;
    HRESULT(STDMETHODCALLTYPE *CreateWicBitmapRenderTarget)(d2d_factory *self, IUnknown *wic_bitmap,
                                                            const d2d_rt_props *props, d2d_target **out);
    void *CreateHwndRenderTarget;
    void *CreateDxgiSurfaceRenderTarget;
    HRESULT(STDMETHODCALLTYPE *CreateDCRenderTarget)(d2d_factory *self, const d2d_rt_props *props,
                                                     d2d_dc_target **out);
} d2d_factory_vtbl;
struct d2d_factory {
    const d2d_factory_vtbl *vtbl;
};

/* ---- ID2D1RenderTarget {2cd90694-12e2-11dc-9fed-001143a055f9} (ID2D1Resource first) ---- */
#define D2D_TARGET_SLOTS(T)                                                                               \
    D2D_UNKNOWN_SLOTS(T);                                                                                 \
    void *GetFactory;                                                                                     \
    void *CreateBitmap;                                                                                   \
    void *CreateBitmapFromWicBitmap;                                                                      \
    void *CreateSharedBitmap;                                                                             \
    void *CreateBitmapBrush;                                                                              \
    HRESULT(STDMETHODCALLTYPE *CreateSolidColorBrush)(T * self, const d2d_color *color,                   \
                                                      const void *brush_props, d2d_brush **out);          \
    void *CreateGradientStopCollection;                                                                   \
    void *CreateLinearGradientBrush;                                                                      \
    void *CreateRadialGradientBrush;                                                                      \
    void *CreateCompatibleRenderTarget;                                                                   \
    void *CreateLayer;                                                                                    \
    void *CreateMesh;                                                                                     \
    void(STDMETHODCALLTYPE *DrawLine)(T * self, d2d_point p0, d2d_point p1, d2d_brush *brush, float width, \
                                      void *stroke_style);                                                \
    void(STDMETHODCALLTYPE *DrawRectangle)(T * self, const d2d_rect *rect, d2d_brush *brush, float width,  \
                                           void *stroke_style);                                           \
    void(STDMETHODCALLTYPE *FillRectangle)(T * self, const d2d_rect *rect, d2d_brush *brush);             \
    void *DrawRoundedRectangle;                                                                           \
    void *FillRoundedRectangle;                                                                           \
    void *DrawEllipse;                                                                                    \
    void *FillEllipse;                                                                                    \
    void *DrawGeometry;                                                                                   \
    void *FillGeometry;                                                                                   \
    void *FillMesh;                                                                                       \
    void *FillOpacityMask;                                                                                \
    void *DrawBitmap; /* DrawText_ below: windows.h makes DrawText a macro */                             \
    void(STDMETHODCALLTYPE *DrawText_)(T * self, const WCHAR *text, UINT32 len, dw_format *format,         \
                                      const d2d_rect *layout, d2d_brush *brush, UINT32 options,           \
                                      UINT32 measuring);                                                  \
    void *DrawTextLayout;                                                                                 \
    void *DrawGlyphRun;                                                                                   \
    void *SetTransform;                                                                                   \
    void *GetTransform;                                                                                   \
    void(STDMETHODCALLTYPE *SetAntialiasMode)(T * self, UINT32 mode);                                     \
    UINT32(STDMETHODCALLTYPE *GetAntialiasMode)(T * self);                                                \
    void *SetTextAntialiasMode;                                                                           \
    void *GetTextAntialiasMode;                                                                           \
    void *SetTextRenderingParams;                                                                         \
    void *GetTextRenderingParams;                                                                         \
    void *SetTags;                                                                                        \
    void *GetTags;                                                                                        \
    void *PushLayer;                                                                                      \
    void *PopLayer;                                                                                       \
    void *Flush;                                                                                          \
    void *SaveDrawingState;                                                                               \
    void *RestoreDrawingState;                                                                            \
    void(STDMETHODCALLTYPE *PushAxisAlignedClip)(T * self, const d2d_rect *clip, UINT32 antialias);       \
    void(STDMETHODCALLTYPE *PopAxisAlignedClip)(T * self);                                                \
    void(STDMETHODCALLTYPE *Clear)(T * self, const d2d_color *color);                                     \
    void(STDMETHODCALLTYPE *BeginDraw)(T * self);                                                         \
    HRESULT(STDMETHODCALLTYPE *EndDraw)(T * self, UINT64 * tag1, UINT64 * tag2);                          \
    void *GetPixelFormat;                                                                                 \
    void(STDMETHODCALLTYPE *SetDpi)(T * self, float dpi_x, float dpi_y);                                  \
    void(STDMETHODCALLTYPE *GetDpi)(T * self, float *dpi_x, float *dpi_y);                                \
    /* struct returns: the hidden result pointer after self */                                           \
    d2d_size_f *(STDMETHODCALLTYPE *GetSize)(T * self, d2d_size_f * ret);                                 \
    d2d_size_u *(STDMETHODCALLTYPE *GetPixelSize)(T * self, d2d_size_u * ret);                            \
    void *GetMaximumBitmapSize;                                                                           \
    void *IsSupported

typedef struct d2d_target_vtbl {
    D2D_TARGET_SLOTS(d2d_target);
} d2d_target_vtbl;
struct d2d_target {
    const d2d_target_vtbl *vtbl;
};

/* ---- ID2D1DCRenderTarget {1c51bc64-de61-46fd-9899-63a5d8f03950}: a render target, then BindDC ---- */
typedef struct d2d_dc_target_vtbl {
    D2D_TARGET_SLOTS(d2d_dc_target);
    HRESULT(STDMETHODCALLTYPE *BindDC)(d2d_dc_target *self, HDC dc, const RECT *sub_rect);
} d2d_dc_target_vtbl;
struct d2d_dc_target {
    const d2d_dc_target_vtbl *vtbl;
};

/* The DC target is a render target (same slots first): drawing code takes a d2d_target. */
static __inline d2d_target *d2d_dc_as_target(d2d_dc_target *t)
{
    return (d2d_target *)(void *)t;
}

/* ---- ID2D1SolidColorBrush: ID2D1Resource, ID2D1Brush, then its own ---- */
typedef struct d2d_brush_vtbl {
    D2D_UNKNOWN_SLOTS(d2d_brush);
    void *GetFactory;
    void(STDMETHODCALLTYPE *SetOpacity)(d2d_brush *self, float opacity);
    void *SetTransform;
    float(STDMETHODCALLTYPE *GetOpacity)(d2d_brush *self);
    void *GetTransform;
    void(STDMETHODCALLTYPE *SetColor)(d2d_brush *self, const d2d_color *color);
    d2d_color *(STDMETHODCALLTYPE *GetColor)(d2d_brush *self, d2d_color *ret);
} d2d_brush_vtbl;
struct d2d_brush {
    const d2d_brush_vtbl *vtbl;
};

/* ---- IDWriteFactory {b859ee5a-d838-4b5b-a2e8-1adc7d93db48} ---- */
typedef struct dw_factory_vtbl {
    D2D_UNKNOWN_SLOTS(dw_factory);
    HRESULT(STDMETHODCALLTYPE *GetSystemFontCollection)(dw_factory *self, dw_fonts **out, BOOL check_updates);
    void *CreateCustomFontCollection;
    void *RegisterFontCollectionLoader;
    void *UnregisterFontCollectionLoader;
    void *CreateFontFileReference;
    void *CreateCustomFontFileReference;
    void *CreateFontFace;
    void *CreateRenderingParams;
    void *CreateMonitorRenderingParams;
    void *CreateCustomRenderingParams;
    void *RegisterFontFileLoader;
    void *UnregisterFontFileLoader;
    HRESULT(STDMETHODCALLTYPE *CreateTextFormat)(dw_factory *self, const WCHAR *family, IUnknown *collection,
                                                 UINT32 weight, UINT32 style, UINT32 stretch, float size,
                                                 const WCHAR *locale, dw_format **out);
} dw_factory_vtbl;
struct dw_factory {
    const dw_factory_vtbl *vtbl;
};

/* ---- IDWriteFontCollection {a84cee02-3eea-4eee-a827-87c1a02a0fcc} ---- */
typedef struct dw_fonts_vtbl {
    D2D_UNKNOWN_SLOTS(dw_fonts);
    UINT32(STDMETHODCALLTYPE *GetFontFamilyCount)(dw_fonts *self);
    void *GetFontFamily;
    HRESULT(STDMETHODCALLTYPE *FindFamilyName)(dw_fonts *self, const WCHAR *name, UINT32 *index, BOOL *exists);
} dw_fonts_vtbl;
struct dw_fonts {
    const dw_fonts_vtbl *vtbl;
};

/* ---- IDWriteTextFormat {9c906818-31d7-4fd3-a151-7c5e225db55a} ---- */
typedef struct dw_format_vtbl {
    D2D_UNKNOWN_SLOTS(dw_format);
    HRESULT(STDMETHODCALLTYPE *SetTextAlignment)(dw_format *self, UINT32 alignment);
    HRESULT(STDMETHODCALLTYPE *SetParagraphAlignment)(dw_format *self, UINT32 alignment);
    HRESULT(STDMETHODCALLTYPE *SetWordWrapping)(dw_format *self, UINT32 wrapping);
    void *SetReadingDirection;
    void *SetFlowDirection;
    void *SetIncrementalTabStop;
    void *SetTrimming;
    void *SetLineSpacing;
    UINT32(STDMETHODCALLTYPE *GetTextAlignment)(dw_format *self);
    UINT32(STDMETHODCALLTYPE *GetParagraphAlignment)(dw_format *self);
    UINT32(STDMETHODCALLTYPE *GetWordWrapping)(dw_format *self);
    void *GetReadingDirection;
    void *GetFlowDirection;
    void *GetIncrementalTabStop;
    void *GetTrimming;
    void *GetLineSpacing;
    void *GetFontCollection;
    void *GetFontFamilyNameLength;
    void *GetFontFamilyName;
    UINT32(STDMETHODCALLTYPE *GetFontWeight)(dw_format *self);
    void *GetFontStyle;
    void *GetFontStretch;
    float(STDMETHODCALLTYPE *GetFontSize)(dw_format *self);
} dw_format_vtbl;
struct dw_format {
    const dw_format_vtbl *vtbl;
};

/* IIDs (mingw's import libraries lack IID_IDWriteFactory; the SDK's need d2d1.h: so all are here). */
static const GUID d2d_iid_factory = {0x06152247, 0x6f50, 0x465a, {0x92, 0x45, 0x11, 0x8b, 0xfd, 0x3b, 0x60, 0x07}};
static const GUID d2d_iid_dc_target = {0x1c51bc64, 0xde61, 0x46fd, {0x98, 0x99, 0x63, 0xa5, 0xd8, 0xf0, 0x39, 0x50}};
static const GUID dw_iid_factory = {0xb859ee5a, 0xd838, 0x4b5b, {0xa2, 0xe8, 0x1a, 0xdc, 0x7d, 0x93, 0xdb, 0x48}};

/* d2d1.dll and dwrite.dll exports (d2d1.lib, dwrite.lib). */
HRESULT WINAPI D2D1CreateFactory(UINT32 type, REFIID riid, const d2d_factory_options *options, void **out);
HRESULT WINAPI DWriteCreateFactory(UINT32 type, REFIID riid, IUnknown **out);

#define D2D_RELEASE(p)                  \
    do {                                \
        if (p) {                        \
            (p)->vtbl->Release(p);      \
            (p) = NULL;                 \
        }                               \
    } while (0)

#endif
