/*
 * timeline.c - the timeline pane (timeline.h): draws tl_layout's primitives with Direct2D.
 *
 * Resources, as Direct2D wants them: the factories and the DirectWrite text formats (device independent)
 * are made once per pane (the formats again when the DPI changes); the DC render target and its brush
 * (device resources) on the first paint and again after EndDraw said D2DERR_RECREATE_TARGET. The target is
 * an ID2D1DCRenderTarget bound to the WM_PAINT DC rather than an HWND target: its output also reaches
 * the screen under Wine + Xvfb, where screenshots are taken. The target runs at 96 DPI so that one DIP is
 * one pixel: the layout is in pixels and the pane scales row heights and fonts itself.
 *
 * One frame: tl_layout into a buffer sized by tl_layout_bound, then one Direct2D call per primitive (plus
 * the labels' text), so the count of primitives is the frame's cost (under Wine's software Direct2D about
 * 1 ms each on the 2-core build machine: test_timeline frame prints it).
 */
#define COBJMACROS /* WIC has a C interface: its macros are safe (no struct returns) */
#include "timeline.h"

#include <commctrl.h>
#include <objbase.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unknwn.h>
#include <wincodec.h>
#include <windowsx.h>

#include <wsk/afd.h>

#include "d2d.h"
#include "dpi.h"
#include "filedlg.h"
#include "utf.h"

#ifndef WM_DPICHANGED_AFTERPARENT
#define WM_DPICHANGED_AFTERPARENT 0x02E3
#endif

#define TLW_ROW96 18
#define TLW_HEADER96 20
#define TLW_AXIS96 24
#define TLW_FONT96 12.0f
#define TLW_DRAG_PX 4
#define TLW_MENU_FIT 1
#define TLW_MENU_EXPORT 2
#define TLW_RETRY_TIMER 1 /* a paint skipped while the model's writer held it */

typedef struct tlw_state {
    HWND hwnd, tip;
    UINT dpi;
    /* the trace */
    const sock_model *sockets;
    const etl_header *header;
    etl_zone zone;
    uint64_t origin;  /* != 0: times as seconds since it (the list's "since first" format) */
    tl *t;
    tl_view v;
    int has_view;
    int building; /* tlw_set_building until the next tlw_set_index */
    /* tlw_set_model_lock: the model is still written (a running capture) */
    int (*model_begin)(void *user);
    void (*model_end)(void *user);
    void *model_user;
    /* device independent */
    d2d_factory *factory;
    dw_factory *dwrite;
    dw_format *text, *bold;
    const wchar_t *family; /* one of tlw_pick_family's list */
    /* device dependent */
    d2d_dc_target *target;
    d2d_brush *brush;
    /* a frame */
    tl_prim *prims;
    size_t prims_cap, last_prims;
    unsigned frames;
    int debug;
    double last_ms; /* the previous WM_PAINT, bind to EndDraw (WSK_TL_DEBUG shows it) */
    /* the mouse */
    int dragging, range, moved;
    int down_x, down_y, last_x, cur_x;
    uint32_t hover;
    wchar_t tip_text[768];
} tlw_state;

static const UINT32 tlw_phase_colors[TL_PH_COUNT] = {
    0xB8C4D0, /* created */
    0xF2C14E, /* connecting */
    0x7FB3E6, /* idle */
    0x1F6FD1, /* transferring */
    0x9A8FB8, /* closing */
    0x5CB85C, /* listening */
    0xD62728, /* failed */
    0xFF7F0E, /* aborted */
    0xDDDDDD, /* pre-existing */
};
static const UINT32 tlw_tick_colors[TL_TICK_COUNT] = {
    0x0B3D91, /* send */
    0x127A3A, /* receive */
    0x4B2C83, /* both */
    0xB00000, /* error */
    0xE05A00, /* abort */
};
#define TLW_RGB_BACK 0xFFFFFF
#define TLW_RGB_AXIS_BACK 0xF0F0F0
#define TLW_RGB_AXIS 0x606060
#define TLW_RGB_TEXT 0x202020
#define TLW_RGB_HEADER 0xE4E8EE
#define TLW_RGB_SELECTION 0xFFF1B8
#define TLW_RGB_GAP 0xC00060
#define TLW_RGB_CURSOR 0xE0007A
#define TLW_RGB_RANGE 0x3399FF

static const char *const tlw_phase_names[TL_PH_COUNT] = {
    "created", "connecting", "connected, idle", "transferring", "closing",
    "listening", "failed", "aborted", "opened before the trace",
};

UINT32 tlw_phase_rgb(int phase)
{
    return phase >= 0 && phase < TL_PH_COUNT ? tlw_phase_colors[phase] : 0;
}

UINT32 tlw_tick_rgb(int tick)
{
    return tick >= 0 && tick < TL_TICK_COUNT ? tlw_tick_colors[tick] : 0;
}

static d2d_color tlw_color(UINT32 rgb, float alpha)
{
    d2d_color c;

    c.r = (float)((rgb >> 16) & 0xFF) / 255.0f;
    c.g = (float)((rgb >> 8) & 0xFF) / 255.0f;
    c.b = (float)(rgb & 0xFF) / 255.0f;
    c.a = alpha;
    return c;
}

static tlw_state *tlw_get(HWND hwnd)
{
    return (tlw_state *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
}

/* ---- time text ---- */

static void tlw_time_text(const tlw_state *s, uint64_t ft, uint64_t step, wchar_t *buf, size_t cap)
{
    char text[64];
    const char *p = text;
    char *dot;
    size_t digits = 7;
    uint64_t unit = 1;

    if (s->origin) {
        uint64_t d = ft >= s->origin ? ft - s->origin : s->origin - ft;
        snprintf(text, sizeof text, "%s%llu.%07llu", ft >= s->origin ? "" : "-", (unsigned long long)(d / 10000000u),
                 (unsigned long long)(d % 10000000u));
    } else {
        /* An axis shows the time of day (no date); the zone suffix stays. */
        etl_format_time(s->header, s->header ? s->zone : ETL_ZONE_UTC, ft, text, sizeof text);
        p = strchr(text, ' ');
        p = p ? p + 1 : text;
    }
    /* With the fraction digits the step needs. */
    dot = strchr(text, '.');
    if (dot && step > 0 && strlen(dot) >= 8) {
        while (digits > 0 && unit * 10 <= step) {
            unit *= 10;
            digits--;
        }
        if (digits < 7) {
            size_t keep = digits ? (size_t)(dot - text) + 1 + digits : (size_t)(dot - text);
            memmove(text + keep, dot + 8, strlen(dot + 8) + 1);
        }
    }
    utf_widen(p, buf, cap);
}

/* ---- resources ---- */

static void tlw_release_device(tlw_state *s)
{
    D2D_RELEASE(s->brush);
    D2D_RELEASE(s->target);
}

static void tlw_release_formats(tlw_state *s)
{
    D2D_RELEASE(s->text);
    D2D_RELEASE(s->bold);
}

/* The first family of the list the system has; the last one when none is found (DirectWrite then
 * substitutes what it can). Wine's own fonts do not draw through DirectWrite, a real TrueType one does. */
static void tlw_pick_family(tlw_state *s)
{
    static const wchar_t *const families[] = {L"Segoe UI", L"DejaVu Sans", L"Liberation Sans", L"Arial",
                                              L"Tahoma"};
    dw_fonts *fonts = NULL;
    size_t i, pick = sizeof families / sizeof families[0] - 1;

    if (s->dwrite->vtbl->GetSystemFontCollection(s->dwrite, &fonts, FALSE) == S_OK && fonts) {
        for (i = 0; i < sizeof families / sizeof families[0]; i++) {
            UINT32 index = 0;
            BOOL exists = FALSE;
            if (fonts->vtbl->FindFamilyName(fonts, families[i], &index, &exists) == S_OK && exists) {
                pick = i;
                break;
            }
        }
        fonts->vtbl->Release(fonts);
    }
    s->family = families[pick];
}

static HRESULT tlw_make_format(tlw_state *s, UINT32 weight, dw_format **out)
{
    dw_format *f = NULL;
    float size = TLW_FONT96 * (float)s->dpi / 96.0f;
    HRESULT hr = s->dwrite->vtbl->CreateTextFormat(s->dwrite, s->family, NULL, weight, DW_STYLE_NORMAL,
                                                   DW_STRETCH_NORMAL, size, L"", &f);

    if (hr != S_OK)
        return hr;
    f->vtbl->SetWordWrapping(f, DW_WRAP_NONE);
    f->vtbl->SetParagraphAlignment(f, DW_PARA_CENTER);
    f->vtbl->SetTextAlignment(f, DW_ALIGN_LEADING);
    *out = f;
    return S_OK;
}

/* Device-independent resources: once (text formats again after a DPI change). */
static HRESULT tlw_independent(tlw_state *s)
{
    HRESULT hr = S_OK;

    if (!s->factory) {
        d2d_factory_options o = {0};
        hr = D2D1CreateFactory(D2D_FACTORY_SINGLE_THREADED, &d2d_iid_factory, &o, (void **)&s->factory);
        if (hr != S_OK)
            return hr;
    }
    if (!s->dwrite) {
        hr = DWriteCreateFactory(DW_FACTORY_SHARED, &dw_iid_factory, (IUnknown **)&s->dwrite);
        if (hr != S_OK)
            return hr;
        tlw_pick_family(s);
    }
    if (!s->text && (hr = tlw_make_format(s, DW_WEIGHT_NORMAL, &s->text)) != S_OK)
        return hr;
    if (!s->bold && (hr = tlw_make_format(s, DW_WEIGHT_BOLD, &s->bold)) != S_OK)
        return hr;
    return hr;
}

static d2d_rt_props tlw_props(UINT32 type, UINT32 alpha)
{
    d2d_rt_props p;

    memset(&p, 0, sizeof p);
    p.type = type;
    p.pixel_format.format = D2D_FORMAT_B8G8R8A8_UNORM;
    p.pixel_format.alpha_mode = alpha;
    p.dpi_x = p.dpi_y = 96.0f; /* one DIP = one pixel: the pane scales itself */
    return p;
}

static HRESULT tlw_device(tlw_state *s)
{
    HRESULT hr;
    d2d_rt_props p;
    d2d_color black = tlw_color(0, 1.0f);

    if (s->target)
        return S_OK;
    p = tlw_props(D2D_RT_DEFAULT, D2D_ALPHA_IGNORE);
    hr = s->factory->vtbl->CreateDCRenderTarget(s->factory, &p, &s->target);
    if (hr != S_OK)
        return hr;
    hr = s->target->vtbl->CreateSolidColorBrush(s->target, &black, NULL, &s->brush);
    if (hr != S_OK)
        tlw_release_device(s);
    return hr;
}

/* ---- drawing ---- */

static void tlw_fill(d2d_target *rt, d2d_brush *b, float l, float t, float r, float btm, UINT32 rgb, float a)
{
    d2d_rect rc;
    d2d_color c = tlw_color(rgb, a);

    rc.left = l;
    rc.top = t;
    rc.right = r;
    rc.bottom = btm;
    b->vtbl->SetColor(b, &c);
    rt->vtbl->FillRectangle(rt, &rc, b);
}

static void tlw_text(d2d_target *rt, d2d_brush *b, dw_format *f, const wchar_t *text, float l, float t, float r,
                     float btm, UINT32 rgb)
{
    d2d_rect rc;
    d2d_color c = tlw_color(rgb, 1.0f);

    rc.left = l;
    rc.top = t;
    rc.right = r;
    rc.bottom = btm;
    b->vtbl->SetColor(b, &c);
    rt->vtbl->DrawText_(rt, text, (UINT32)wcslen(text), f, &rc, b, D2D_DRAW_TEXT_CLIP, D2D_MEASURING_NATURAL);
}

static void tlw_header_text(const tlw_state *s, uint32_t g, int collapsed, wchar_t *buf, size_t cap)
{
    const tl_group *gr = tl_group_at(s->t, g);
    char text[256];

    /* U+25B8 / U+25BE: the group's collapsed or expanded mark */
    snprintf(text, sizeof text, "%s %s  PID %lu  (%lu of %lu sockets)", collapsed ? "\xE2\x96\xB8" : "\xE2\x96\xBE",
             gr->name ? gr->name : gr->pid ? "(name unknown)" : "(owner unknown)", (unsigned long)gr->pid,
             (unsigned long)gr->shown, (unsigned long)gr->count);
    utf_widen(text, buf, cap);
}

static int tlw_grow(tlw_state *s, size_t need)
{
    tl_prim *p;

    if (need <= s->prims_cap)
        return 0;
    p = (tl_prim *)realloc(s->prims, need * sizeof *p);
    if (!p)
        return -1;
    s->prims = p;
    s->prims_cap = need;
    return 0;
}

/* Draws view v (the pane's, or a copy at another size) into rt; returns the primitives drawn. */
static size_t tlw_draw(tlw_state *s, d2d_target *rt, d2d_brush *b, const tl_view *v)
{
    d2d_color back = tlw_color(TLW_RGB_BACK, 1.0f);
    float w = (float)v->width, h = (float)v->height, axis = (float)v->axis_h;
    float inset = (float)(v->row_h >= 9 ? v->row_h / 9 : 1);
    size_t n = 0, i;
    uint64_t step = 0;
    wchar_t text[256];

    rt->vtbl->SetAntialiasMode(rt, D2D_ANTIALIAS_ALIASED); /* crisp 1-pixel columns: pixels mean times */
    rt->vtbl->Clear(rt, &back);
    tlw_fill(rt, b, 0, 0, w, axis, TLW_RGB_AXIS_BACK, 1.0f);
    if (s->t && s->has_view) {
        size_t bound = tl_layout_bound(v);
        if (tlw_grow(s, bound) == 0) {
            n = tl_layout(v, s->prims, s->prims_cap);
            if (n > s->prims_cap)
                n = s->prims_cap;
        }
        step = tl_axis_step(v);
    }
    if (!s->t)
        tlw_text(rt, b, s->text, s->building ? TLW_BUILDING : L"No trace loaded", 8, axis, w, axis + 24,
                 TLW_RGB_AXIS);
    /* Rows may reach under the axis band: clip them to the rows area, then draw the axis on top. */
    {
        d2d_rect clip;
        clip.left = 0;
        clip.top = axis;
        clip.right = w;
        clip.bottom = h;
        rt->vtbl->PushAxisAlignedClip(rt, &clip, D2D_ANTIALIAS_ALIASED);
    }
    for (i = 0; i < n; i++) {
        const tl_prim *p = &s->prims[i];
        float l = (float)p->x, t = (float)p->y, r = (float)(p->x + p->w), btm = (float)(p->y + p->h);
        switch (p->type) {
        case TL_P_SELECTION:
            tlw_fill(rt, b, l, t, r, btm, TLW_RGB_SELECTION, 1.0f);
            break;
        case TL_P_HEADER:
            tlw_fill(rt, b, l, t, r, btm - 1, TLW_RGB_HEADER, 1.0f);
            tlw_header_text(s, p->ref, p->kind == 1, text, sizeof text / sizeof text[0]);
            tlw_text(rt, b, s->bold, text, l + 4, t, r, btm, TLW_RGB_TEXT);
            break;
        case TL_P_BAR: /* inset: neighbouring rows stay apart */
            tlw_fill(rt, b, l, t + inset, r, btm - inset, tlw_phase_rgb(p->kind), 1.0f);
            break;
        case TL_P_TICK: /* sends and receives in the middle third, so the phase shows around them;
                           errors and aborts over the whole row */
            if (p->kind == TL_TICK_ERROR || p->kind == TL_TICK_ABORT)
                tlw_fill(rt, b, l, t, r, btm, tlw_tick_rgb(p->kind), 1.0f);
            else
                tlw_fill(rt, b, l, t + (float)(p->h / 3), r, btm - (float)(p->h / 3), tlw_tick_rgb(p->kind), 1.0f);
            break;
        case TL_P_GAP:
            tlw_fill(rt, b, l, t, r, btm, TLW_RGB_GAP, 0.6f);
            break;
        case TL_P_CURSOR:
            tlw_fill(rt, b, l, t, r, btm, TLW_RGB_CURSOR, 1.0f);
            break;
        default:
            break;
        }
    }
    rt->vtbl->PopAxisAlignedClip(rt);
    for (i = 0; i < n; i++) {
        const tl_prim *p = &s->prims[i];
        if (p->type != TL_P_AXIS)
            continue;
        tlw_fill(rt, b, (float)p->x, (float)p->y, (float)(p->x + p->w), (float)(p->y + p->h), TLW_RGB_AXIS, 1.0f);
        if (p->kind == 1) {
            tlw_time_text(s, p->time, step, text, sizeof text / sizeof text[0]);
            tlw_text(rt, b, s->text, text, (float)p->x + 3, 0, (float)p->x + (float)(v->label_px ? v->label_px : 90) * 2,
                     axis - 6, TLW_RGB_TEXT);
        }
    }
    tlw_fill(rt, b, 0, axis - 1, w, axis, TLW_RGB_AXIS, 1.0f);
    if (s->range) {
        int a = s->down_x < s->cur_x ? s->down_x : s->cur_x, z = s->down_x < s->cur_x ? s->cur_x : s->down_x;
        tlw_fill(rt, b, (float)a, axis, (float)z, h, TLW_RGB_RANGE, 0.25f);
    }
    if (s->debug) {
        char line[64];
        snprintf(line, sizeof line, "%lu primitives, frame %u, previous %.1f ms", (unsigned long)n, s->frames + 1,
                 s->last_ms);
        utf_widen(line, text, sizeof text / sizeof text[0]);
        tlw_text(rt, b, s->text, text, w - 320, h - 20, w - 4, h, TLW_RGB_TEXT);
    }
    return n;
}

static void tlw_paint(tlw_state *s)
{
    PAINTSTRUCT ps;
    RECT rc;
    HDC dc = BeginPaint(s->hwnd, &ps);
    HRESULT hr;
    LARGE_INTEGER t0, t1, freq;

    QueryPerformanceCounter(&t0);
    GetClientRect(s->hwnd, &rc);
    hr = tlw_independent(s);
    if (hr == S_OK)
        hr = tlw_device(s);
    if (hr == S_OK)
        hr = s->target->vtbl->BindDC(s->target, dc, &rc);
    if (hr == S_OK) {
        d2d_target *rt = d2d_dc_as_target(s->target);
        rt->vtbl->BeginDraw(rt);
        s->last_prims = tlw_draw(s, rt, s->brush, &s->v);
        hr = rt->vtbl->EndDraw(rt, NULL, NULL);
        s->frames++;
        QueryPerformanceCounter(&t1);
        QueryPerformanceFrequency(&freq);
        s->last_ms = (double)(t1.QuadPart - t0.QuadPart) * 1000.0 / (double)freq.QuadPart;
        if (hr == D2D_ERR_RECREATE_TARGET) {
            /* The device went away: new device resources on the next paint. */
            tlw_release_device(s);
            InvalidateRect(s->hwnd, NULL, FALSE);
        }
    } else {
        FillRect(dc, &rc, (HBRUSH)(COLOR_WINDOW + 1));
    }
    EndPaint(s->hwnd, &ps);
}

HRESULT tlw_render_bitmap(HWND hwnd, IUnknown *wic_bitmap)
{
    tlw_state *s = tlw_get(hwnd);
    d2d_target *rt = NULL;
    d2d_brush *b = NULL;
    d2d_rt_props p;
    d2d_color black = tlw_color(0, 1.0f);
    d2d_size_u size;
    tl_view v;
    HRESULT hr;

    if (!s)
        return E_INVALIDARG;
    hr = tlw_independent(s);
    if (hr != S_OK)
        goto cleanup;
    p = tlw_props(D2D_RT_SOFTWARE, D2D_ALPHA_PREMULTIPLIED);
    hr = s->factory->vtbl->CreateWicBitmapRenderTarget(s->factory, wic_bitmap, &p, &rt);
    if (hr != S_OK)
        goto cleanup;
    hr = rt->vtbl->CreateSolidColorBrush(rt, &black, NULL, &b);
    if (hr != S_OK)
        goto cleanup;
    rt->vtbl->GetPixelSize(rt, &size);
    /* The same view at the bitmap's size: the lines are shared, only read by tl_layout. */
    v = s->v;
    v.width = (int32_t)size.width;
    v.height = (int32_t)size.height;
    rt->vtbl->BeginDraw(rt);
    s->last_prims = tlw_draw(s, rt, b, &v);
    hr = rt->vtbl->EndDraw(rt, NULL, NULL);
cleanup:
    D2D_RELEASE(b);
    D2D_RELEASE(rt);
    return hr;
}

HRESULT tlw_export_png(HWND hwnd, const wchar_t *path)
{
    IWICImagingFactory *wic = NULL;
    IWICBitmap *bmp = NULL;
    IWICStream *stream = NULL;
    IWICBitmapEncoder *enc = NULL;
    IWICBitmapFrameEncode *frame = NULL;
    WICPixelFormatGUID fmt = GUID_WICPixelFormat32bppPBGRA;
    RECT rc;
    HRESULT hr;
    UINT w, h;

    GetClientRect(hwnd, &rc);
    w = rc.right > 0 ? (UINT)rc.right : 1;
    h = rc.bottom > 0 ? (UINT)rc.bottom : 1;
    hr = CoCreateInstance(&CLSID_WICImagingFactory, NULL, CLSCTX_INPROC_SERVER, &IID_IWICImagingFactory,
                          (void **)&wic);
    if (hr != S_OK)
        goto cleanup;
    hr = IWICImagingFactory_CreateBitmap(wic, w, h, &GUID_WICPixelFormat32bppPBGRA, WICBitmapCacheOnLoad, &bmp);
    if (hr != S_OK)
        goto cleanup;
    hr = tlw_render_bitmap(hwnd, (IUnknown *)bmp);
    if (hr != S_OK)
        goto cleanup;
    hr = IWICImagingFactory_CreateStream(wic, &stream);
    if (hr == S_OK)
        hr = IWICStream_InitializeFromFilename(stream, path, GENERIC_WRITE);
    if (hr == S_OK)
        hr = IWICImagingFactory_CreateEncoder(wic, &GUID_ContainerFormatPng, NULL, &enc);
    if (hr == S_OK)
        hr = IWICBitmapEncoder_Initialize(enc, (IStream *)stream, WICBitmapEncoderNoCache);
    if (hr == S_OK)
        hr = IWICBitmapEncoder_CreateNewFrame(enc, &frame, NULL);
    if (hr == S_OK)
        hr = IWICBitmapFrameEncode_Initialize(frame, NULL);
    if (hr == S_OK)
        hr = IWICBitmapFrameEncode_SetSize(frame, w, h);
    if (hr == S_OK)
        hr = IWICBitmapFrameEncode_SetPixelFormat(frame, &fmt);
    if (hr == S_OK)
        hr = IWICBitmapFrameEncode_WriteSource(frame, (IWICBitmapSource *)bmp, NULL);
    if (hr == S_OK)
        hr = IWICBitmapFrameEncode_Commit(frame);
    if (hr == S_OK)
        hr = IWICBitmapEncoder_Commit(enc);
cleanup:
    if (frame)
        IWICBitmapFrameEncode_Release(frame);
    if (enc)
        IWICBitmapEncoder_Release(enc);
    if (stream)
        IWICStream_Release(stream);
    if (bmp)
        IWICBitmap_Release(bmp);
    if (wic)
        IWICImagingFactory_Release(wic);
    return hr;
}

BOOL tlw_export_dialog(HWND hwnd)
{
    wchar_t path[MAX_PATH * 4] = L"timeline.png";
    HWND owner = GetAncestor(hwnd, GA_ROOT);

    if (!owner)
        owner = hwnd;
    if (!fdlg_save(owner, L"PNG image (*.png)\0*.png\0", L"png", NULL, path, MAX_PATH * 4))
        return FALSE;
    if (tlw_export_png(hwnd, path) == S_OK)
        return TRUE;
    MessageBoxW(owner, L"The timeline could not be written as PNG.", L"Export", MB_ICONERROR | MB_OK);
    return FALSE;
}

/* ---- the view ---- */

static void tlw_sizes(tlw_state *s)
{
    s->v.row_h = dpi_scale(TLW_ROW96, s->dpi);
    s->v.header_h = dpi_scale(TLW_HEADER96, s->dpi);
    s->v.axis_h = dpi_scale(TLW_AXIS96, s->dpi);
    s->v.label_px = dpi_scale(150, s->dpi);
    s->v.hit_px = dpi_scale(3, s->dpi);
}

static void tlw_drop_trace(tlw_state *s)
{
    if (s->has_view)
        tl_view_free(&s->v);
    s->has_view = 0;
    tl_destroy(s->t);
    s->t = NULL;
    s->sockets = NULL;
    s->hover = TL_NONE;
}

BOOL tlw_set_index(HWND hwnd, tl *index, const sock_model *sockets, const etl_header *header, etl_zone zone)
{
    tlw_state *s = tlw_get(hwnd);
    RECT rc;
    BOOL ok = TRUE;

    if (!s) {
        tl_destroy(index);
        return FALSE;
    }
    tlw_drop_trace(s);
    if (s->building) {
        s->building = 0;
        SetWindowTextW(hwnd, TLW_NAME);
    }
    s->header = header;
    s->zone = zone;
    if (index) {
        s->t = index;
        GetClientRect(hwnd, &rc);
        tl_view_init(&s->v, s->t, rc.right, rc.bottom, dpi_scale(TLW_ROW96, s->dpi),
                     dpi_scale(TLW_HEADER96, s->dpi), dpi_scale(TLW_AXIS96, s->dpi));
        tlw_sizes(s);
        s->v.axis_origin = s->origin;
        if (tl_view_sync(&s->v) != 0) {
            tl_view_free(&s->v);
            tl_destroy(s->t);
            s->t = NULL;
            ok = FALSE;
        } else {
            s->has_view = 1;
            s->sockets = sockets;
        }
    }
    InvalidateRect(hwnd, NULL, FALSE);
    return ok;
}

BOOL tlw_set_trace(HWND hwnd, const store *events, const sock_model *sockets, const etl_header *header,
                   etl_zone zone)
{
    tl *index = NULL;

    if (events && sockets && tl_create(events, sockets, &index) != 0) {
        tlw_set_index(hwnd, NULL, NULL, header, zone);
        return FALSE;
    }
    return tlw_set_index(hwnd, index, sockets, header, zone);
}

void tlw_set_building(HWND hwnd)
{
    tlw_state *s = tlw_get(hwnd);

    if (!s)
        return;
    tlw_drop_trace(s);
    s->building = 1;
    SetWindowTextW(hwnd, TLW_BUILDING);
    InvalidateRect(hwnd, NULL, FALSE);
}

void tlw_set_zone(HWND hwnd, etl_zone zone)
{
    tlw_state *s = tlw_get(hwnd);

    if (!s)
        return;
    s->zone = zone;
    InvalidateRect(hwnd, NULL, FALSE);
}

void tlw_set_time_origin(HWND hwnd, uint64_t origin)
{
    tlw_state *s = tlw_get(hwnd);

    if (!s)
        return;
    s->origin = origin;
    if (s->has_view)
        s->v.axis_origin = origin;
    InvalidateRect(hwnd, NULL, FALSE);
}

const tl *tlw_index(HWND hwnd)
{
    tlw_state *s = tlw_get(hwnd);

    return s && s->has_view ? s->t : NULL;
}

BOOL tlw_apply_filter(HWND hwnd, tl_filter *tf)
{
    tlw_state *s = tlw_get(hwnd);

    if (!s || !s->has_view) {
        tl_filter_free(tf);
        return FALSE;
    }
    tl_filter_apply(s->t, tf);
    if (tl_view_sync(&s->v) != 0)
        return FALSE;
    tl_view_scroll(&s->v, 0);
    InvalidateRect(hwnd, NULL, FALSE);
    return TRUE;
}

void tlw_set_selection(HWND hwnd, uint32_t socket, uint64_t cursor)
{
    tlw_state *s = tlw_get(hwnd);

    if (!s || !s->has_view)
        return;
    s->v.selected = socket;
    s->v.cursor = cursor;
    if (socket != TL_NONE)
        tl_view_reveal(&s->v, socket);
    InvalidateRect(hwnd, NULL, FALSE);
}

size_t tlw_axis_label(HWND hwnd, uint64_t ft, wchar_t *buf, size_t cap)
{
    tlw_state *s = tlw_get(hwnd);

    if (!s || !cap)
        return 0;
    tlw_time_text(s, ft, s->has_view ? tl_axis_step(&s->v) : 1, buf, cap);
    return wcslen(buf);
}

const tl_view *tlw_view(HWND hwnd)
{
    tlw_state *s = tlw_get(hwnd);

    return s && s->has_view ? &s->v : NULL;
}

size_t tlw_last_primitives(HWND hwnd)
{
    tlw_state *s = tlw_get(hwnd);

    return s ? s->last_prims : 0;
}

unsigned tlw_frames(HWND hwnd)
{
    tlw_state *s = tlw_get(hwnd);

    return s ? s->frames : 0;
}

const wchar_t *tlw_font_family(HWND hwnd)
{
    tlw_state *s = tlw_get(hwnd);

    return s && s->family ? s->family : L"";
}

/* ---- interaction ---- */

static void tlw_notify_parent(tlw_state *s, uint32_t socket, uint64_t row, uint64_t time)
{
    tlw_notify n;

    memset(&n, 0, sizeof n);
    n.hdr.hwndFrom = s->hwnd;
    n.hdr.idFrom = (UINT_PTR)GetDlgCtrlID(s->hwnd);
    n.hdr.code = TLWN_SELECT;
    n.socket = socket;
    n.row = row;
    n.time = time;
    SendMessageW(GetParent(s->hwnd), WM_NOTIFY, n.hdr.idFrom, (LPARAM)&n);
}

static void tlw_select(tlw_state *s, uint32_t socket, uint64_t row, uint64_t time)
{
    s->v.selected = socket;
    if (socket != TL_NONE)
        tl_view_reveal(&s->v, socket);
    InvalidateRect(s->hwnd, NULL, FALSE);
    tlw_notify_parent(s, socket, row, time);
}

static void tlw_click(tlw_state *s, int x, int y)
{
    tl_hit hit;

    tl_hit_test(&s->v, x, y, &hit);
    switch (hit.what) {
    case TL_HIT_HEADER:
        tl_view_toggle_group(&s->v, hit.group);
        InvalidateRect(s->hwnd, NULL, FALSE);
        break;
    case TL_HIT_ROW:
    case TL_HIT_BAR:
        tlw_select(s, hit.socket, UINT64_MAX, hit.time);
        break;
    case TL_HIT_TICK:
        tlw_select(s, hit.socket, hit.row, hit.time);
        break;
    default:
        break;
    }
}

static void tlw_format_duration(uint64_t d, char *buf, size_t cap)
{
    if (d >= 10000000ull * 60)
        snprintf(buf, cap, "%.1f min", (double)d / 6e8);
    else if (d >= 10000000ull)
        snprintf(buf, cap, "%.3f s", (double)d / 1e7);
    else
        snprintf(buf, cap, "%.3f ms", (double)d / 1e4);
}

static void tlw_tooltip_text(const tlw_state *s, uint32_t sock, int x, wchar_t *buf, size_t cap)
{
    tl_tooltip tt;
    const sock_info *si;
    char local[96], remote[96], start[64], dur[32], text[768];
    wchar_t wstart[64];
    size_t n;

    buf[0] = 0;
    si = sock_model_at(s->sockets, sock);
    if (!si || tl_tooltip_at(&s->v, sock, x, &tt) != 0)
        return;
    local[0] = remote[0] = 0;
    afd_format_address(&si->local, local, sizeof local);
    afd_format_address(&si->remote, remote, sizeof remote);
    tlw_time_text(s, tt.start, 1, wstart, sizeof wstart / sizeof wstart[0]);
    if (WideCharToMultiByte(CP_UTF8, 0, wstart, -1, start, (int)sizeof start, NULL, NULL) == 0)
        start[0] = 0;
    tlw_format_duration(tt.duration, dur, sizeof dur);
    snprintf(text, sizeof text,
             "Socket %lu  %s (PID %lu)\r\n%s \xE2\x86\x92 %s\r\n%s%s, %s\r\nfrom %s for %s\r\n"
             "sent %llu bytes in %llu sends, received %llu bytes in %llu receives",
             (unsigned long)sock, tt.process ? tt.process : "(unknown)", (unsigned long)tt.pid,
             local[0] ? local : "?", remote[0] ? remote : "?",
             tt.phase < TL_PH_COUNT ? tlw_phase_names[tt.phase] : "?", tt.transferring ? " (transferring)" : "",
             sock_outcome_name((sock_outcome)tt.outcome), start, dur, (unsigned long long)tt.bytes_sent,
             (unsigned long long)tt.sends, (unsigned long long)tt.bytes_received, (unsigned long long)tt.receives);
    n = strlen(text);
    if (tt.has_error)
        snprintf(text + n, sizeof text - n, "\r\nerror 0x%08lX", (unsigned long)tt.error);
    utf_widen(text, buf, cap);
}

/* The socket whose bar or tick is under (x, y), or TL_NONE. */
static uint32_t tlw_tip_socket(const tlw_state *s, int x, int y)
{
    tl_hit hit;

    if (!s->has_view)
        return TL_NONE;
    tl_hit_test(&s->v, x, y, &hit);
    return hit.what == TL_HIT_BAR || hit.what == TL_HIT_TICK ? hit.socket : TL_NONE;
}

size_t tlw_tip_at(HWND hwnd, int x, int y, wchar_t *buf, size_t cap)
{
    tlw_state *s = tlw_get(hwnd);
    uint32_t sock;

    if (!s || cap == 0)
        return 0;
    buf[0] = 0;
    sock = tlw_tip_socket(s, x, y);
    if (sock != TL_NONE)
        tlw_tooltip_text(s, sock, x, buf, cap);
    return wcslen(buf);
}

static void tlw_hover(tlw_state *s, int x, int y)
{
    uint32_t sock = tlw_tip_socket(s, x, y);

    if (sock != s->hover) {
        s->hover = sock;
        SendMessageW(s->tip, TTM_ACTIVATE, sock != TL_NONE, 0);
        SendMessageW(s->tip, TTM_UPDATE, 0, 0);
    }
}

static void tlw_step(tlw_state *s, int delta)
{
    uint32_t next = tl_view_step(&s->v, s->v.selected, delta);

    if (next != TL_NONE)
        tlw_select(s, next, UINT64_MAX, 0);
}

static void tlw_key(tlw_state *s, WPARAM key)
{
    double mid = s->v.width / 2.0;

    switch (key) {
    case VK_HOME:
        tl_view_fit_all(&s->v);
        break;
    case VK_ADD:
    case VK_OEM_PLUS:
        tl_view_zoom(&s->v, mid, 2.0);
        break;
    case VK_SUBTRACT:
    case VK_OEM_MINUS:
        tl_view_zoom(&s->v, mid, 0.5);
        break;
    case VK_LEFT:
        tl_view_pan(&s->v, s->v.width / 10.0);
        break;
    case VK_RIGHT:
        tl_view_pan(&s->v, -s->v.width / 10.0);
        break;
    case VK_UP:
        tlw_step(s, -1);
        return;
    case VK_DOWN:
        tlw_step(s, 1);
        return;
    case VK_PRIOR:
        tl_view_scroll(&s->v, -(s->v.height - s->v.axis_h));
        break;
    case VK_NEXT:
        tl_view_scroll(&s->v, s->v.height - s->v.axis_h);
        break;
    default:
        return;
    }
    InvalidateRect(s->hwnd, NULL, FALSE);
}

static void tlw_context_menu(tlw_state *s, int x, int y)
{
    HMENU m = CreatePopupMenu();
    int cmd;

    if (!m)
        return;
    AppendMenuW(m, MF_STRING | (s->has_view ? 0 : MF_GRAYED), TLW_MENU_FIT, L"&Fit all\tHome");
    AppendMenuW(m, MF_STRING, TLW_MENU_EXPORT, L"&Export as PNG...");
    if (x == -1 && y == -1) { /* from the keyboard */
        POINT pt = {0, 0};
        ClientToScreen(s->hwnd, &pt);
        x = pt.x;
        y = pt.y;
    }
    cmd = (int)TrackPopupMenu(m, TPM_RETURNCMD | TPM_RIGHTBUTTON, x, y, 0, s->hwnd, NULL);
    DestroyMenu(m);
    if (cmd == TLW_MENU_FIT) {
        tl_view_fit_all(&s->v);
        InvalidateRect(s->hwnd, NULL, FALSE);
    } else if (cmd == TLW_MENU_EXPORT) {
        tlw_export_dialog(s->hwnd);
    }
}

static void tlw_make_tip(tlw_state *s)
{
    TOOLINFOW ti;

    s->tip = CreateWindowExW(WS_EX_TOPMOST, TOOLTIPS_CLASSW, NULL, WS_POPUP | TTS_NOPREFIX | TTS_ALWAYSTIP,
                             CW_USEDEFAULT, CW_USEDEFAULT, CW_USEDEFAULT, CW_USEDEFAULT, s->hwnd, NULL,
                             (HINSTANCE)GetWindowLongPtrW(s->hwnd, GWLP_HINSTANCE), NULL);
    if (!s->tip)
        return;
    memset(&ti, 0, sizeof ti);
    ti.cbSize = sizeof ti;
    ti.uFlags = TTF_IDISHWND | TTF_SUBCLASS;
    ti.hwnd = s->hwnd;
    ti.uId = (UINT_PTR)s->hwnd;
    ti.lpszText = LPSTR_TEXTCALLBACKW;
    SendMessageW(s->tip, TTM_ADDTOOLW, 0, (LPARAM)&ti);
    SendMessageW(s->tip, TTM_SETMAXTIPWIDTH, 0, dpi_scale(600, s->dpi));
    SendMessageW(s->tip, TTM_ACTIVATE, FALSE, 0);
}

static LRESULT tlw_handle(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    tlw_state *s = tlw_get(hwnd);

    if (msg == WM_NCCREATE) {
        s = (tlw_state *)calloc(1, sizeof *s);
        if (!s)
            return FALSE;
        s->hwnd = hwnd;
        s->hover = TL_NONE;
        s->debug = GetEnvironmentVariableW(L"WSK_TL_DEBUG", NULL, 0) > 0;
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)s);
        return DefWindowProcW(hwnd, msg, wp, lp);
    }
    if (!s)
        return DefWindowProcW(hwnd, msg, wp, lp);
    switch (msg) {
    case WM_CREATE:
        s->dpi = dpi_for_window(hwnd);
        tlw_make_tip(s);
        return 0;
    case WM_DPICHANGED_AFTERPARENT:
        s->dpi = dpi_for_window(hwnd);
        tlw_release_formats(s);
        if (s->has_view) {
            tlw_sizes(s);
            tl_view_sync(&s->v);
        }
        InvalidateRect(hwnd, NULL, FALSE);
        return 0;
    case WM_SIZE:
        if (s->has_view) {
            s->v.width = LOWORD(lp);
            s->v.height = HIWORD(lp);
            tl_view_scroll(&s->v, 0);
        }
        InvalidateRect(hwnd, NULL, FALSE);
        return 0;
    case WM_ERASEBKGND:
        return 1;
    case WM_PAINT:
        tlw_paint(s);
        return 0;
    case WM_GETDLGCODE:
        return DLGC_WANTARROWS | DLGC_WANTCHARS;
    case WM_KEYDOWN:
        if (s->has_view)
            tlw_key(s, wp);
        return 0;
    case WM_MOUSEWHEEL:
        if (s->has_view) {
            int delta = GET_WHEEL_DELTA_WPARAM(wp);
            POINT pt;
            pt.x = GET_X_LPARAM(lp);
            pt.y = GET_Y_LPARAM(lp);
            ScreenToClient(hwnd, &pt);
            if (GET_KEYSTATE_WPARAM(wp) & MK_CONTROL)
                tl_view_zoom(&s->v, pt.x, delta > 0 ? 1.25 : 0.8);
            else
                tl_view_scroll(&s->v, -(int64_t)delta * 3 * s->v.row_h / WHEEL_DELTA);
            InvalidateRect(hwnd, NULL, FALSE);
        }
        return 0;
    case WM_LBUTTONDOWN:
        SetFocus(hwnd);
        if (s->has_view) {
            SetCapture(hwnd);
            s->dragging = 1;
            s->moved = 0;
            s->range = (wp & MK_SHIFT) != 0;
            s->down_x = s->last_x = s->cur_x = GET_X_LPARAM(lp);
            s->down_y = GET_Y_LPARAM(lp);
        }
        return 0;
    case WM_MOUSEMOVE:
        if (s->dragging) {
            int x = GET_X_LPARAM(lp);
            if (abs(x - s->down_x) >= TLW_DRAG_PX || abs(GET_Y_LPARAM(lp) - s->down_y) >= TLW_DRAG_PX)
                s->moved = 1;
            if (s->moved && !s->range) {
                tl_view_pan(&s->v, x - s->last_x);
                tl_view_scroll(&s->v, s->down_y - GET_Y_LPARAM(lp));
                s->down_y = GET_Y_LPARAM(lp);
            }
            s->last_x = s->cur_x = x;
            if (s->moved)
                InvalidateRect(hwnd, NULL, FALSE);
        } else {
            tlw_hover(s, GET_X_LPARAM(lp), GET_Y_LPARAM(lp));
        }
        return 0;
    case WM_LBUTTONUP:
        if (s->dragging) {
            int x = GET_X_LPARAM(lp), range = s->range, moved = s->moved;
            ReleaseCapture(); /* WM_CAPTURECHANGED clears the drag state: read above */
            s->dragging = 0;
            if (!moved) {
                tlw_click(s, x, GET_Y_LPARAM(lp));
            } else if (range && x != s->down_x) {
                tl_view_zoom_range(&s->v, tl_x_to_time(&s->v, s->down_x), tl_x_to_time(&s->v, x));
            }
            s->range = 0;
            InvalidateRect(hwnd, NULL, FALSE);
        }
        return 0;
    case WM_CAPTURECHANGED:
        s->dragging = 0;
        s->range = 0;
        return 0;
    case WM_CONTEXTMENU:
        tlw_context_menu(s, GET_X_LPARAM(lp), GET_Y_LPARAM(lp));
        return 0;
    case WM_NOTIFY: {
        NMHDR *h = (NMHDR *)lp;
        if (h->hwndFrom == s->tip && h->code == TTN_GETDISPINFOW) {
            NMTTDISPINFOW *di = (NMTTDISPINFOW *)lp;
            POINT pt;
            GetCursorPos(&pt);
            ScreenToClient(hwnd, &pt);
            s->tip_text[0] = 0;
            if (s->hover != TL_NONE)
                tlw_tooltip_text(s, s->hover, pt.x, s->tip_text, sizeof s->tip_text / sizeof s->tip_text[0]);
            di->lpszText = s->tip_text;
            return 0;
        }
        break;
    }
    case WM_NCDESTROY:
        tlw_drop_trace(s);
        tlw_release_device(s);
        tlw_release_formats(s);
        D2D_RELEASE(s->dwrite);
        D2D_RELEASE(s->factory);
        free(s->prims);
        free(s);
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, 0);
        return DefWindowProcW(hwnd, msg, wp, lp);
    default:
        break;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

void tlw_set_model_lock(HWND hwnd, int (*begin)(void *user), void (*end)(void *user), void *user)
{
    tlw_state *s = tlw_get(hwnd);

    if (!s)
        return;
    s->model_begin = begin;
    s->model_end = end;
    s->model_user = user;
}

/* The messages whose handling reads the socket model (through the index's bars, labels and tooltips). */
static int tlw_reads_model(UINT msg)
{
    return msg == WM_PAINT || msg == WM_MOUSEMOVE || msg == WM_LBUTTONDOWN || msg == WM_LBUTTONUP ||
           msg == WM_KEYDOWN || msg == WM_MOUSEWHEEL || msg == WM_NOTIFY || msg == WM_CONTEXTMENU;
}

/* With a model lock, those messages are handled only holding it, never waiting: a busy model skips a paint
 * (tried again 100 ms later) or a mouse or key message. */
static LRESULT CALLBACK tlw_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    tlw_state *s = tlw_get(hwnd);
    LRESULT rc;

    if (s && msg == WM_TIMER && wp == TLW_RETRY_TIMER) {
        KillTimer(hwnd, TLW_RETRY_TIMER);
        InvalidateRect(hwnd, NULL, FALSE);
        return 0;
    }
    if (!s || !s->t || !s->model_begin || !tlw_reads_model(msg))
        return tlw_handle(hwnd, msg, wp, lp);
    if (!s->model_begin(s->model_user)) {
        if (msg != WM_PAINT)
            return DefWindowProcW(hwnd, msg, wp, lp);
        ValidateRect(hwnd, NULL);
        SetTimer(hwnd, TLW_RETRY_TIMER, 100, NULL);
        return 0;
    }
    rc = tlw_handle(hwnd, msg, wp, lp);
    s->model_end(s->model_user);
    return rc;
}

BOOL tlw_register(HINSTANCE inst)
{
    WNDCLASSEXW wc;

    memset(&wc, 0, sizeof wc);
    wc.cbSize = sizeof wc;
    if (GetClassInfoExW(inst, TLW_CLASS, &wc))
        return TRUE;
    wc.cbSize = sizeof wc;
    wc.lpfnWndProc = tlw_proc;
    wc.hInstance = inst;
    wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
    wc.lpszClassName = TLW_CLASS;
    return RegisterClassExW(&wc) != 0;
}

HWND tlw_create(HWND parent, int id, HINSTANCE inst)
{
    if (!tlw_register(inst))
        return NULL;
    return CreateWindowExW(0, TLW_CLASS, TLW_NAME, WS_CHILD | WS_TABSTOP | WS_CLIPSIBLINGS, 0, 0, 0, 0, parent,
                           (HMENU)(INT_PTR)id, inst, NULL);
}
