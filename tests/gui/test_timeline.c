/* The timeline pane under Wine (Windows only: no native build).
 *   test_timeline d2d     every method src/gui/d2d.h declares, called and checked (slot order, struct returns)
 *   test_timeline render  a wskgen trace drawn into a WIC bitmap: bars where tl.h's column formula puts the
 *                         sockets' times, in their phase colours; the axis; the selection; the cursor
 *   test_timeline export  the PNG export read back: size, signature, a bar's pixel
 *   test_timeline input   a click on a bar notifies the parent with that socket; arrows, +, -, Home, header
 *                         collapse, Shift+drag, drag pan, wheel scroll, Ctrl+wheel zoom around the pointer,
 *                         the tooltip, axis labels in the list's format and zone
 *   test_timeline gaps    lost events: gap markers at their columns
 *   test_timeline filter  the list's filter, built on another thread (as the list's filter job does)
 *                         while the pane draws the old state: then only matching sockets keep rows
 *   test_timeline frame   a 200,000-event trace: primitives per frame bounded by the pixels; frame times printed
 *   test_timeline wskview WSKVIEW.EXE DEMO.ETL  the pane in the viewer: a click on a bar selects the socket's
 *                         event in the event list, its row in the socket table (the list not filtered) and
 *                         shows it in the detail pane; File > Export Timeline as PNG writes the pane; the
 *                         list's filter (socket.pid == P) leaves P's rows in the exported timeline
 *   test_timeline screen  what WM_PAINT put on the screen (the DC render target), read back from the window:
 *                         the bars where the times say; WSK_TL_HOLD_MS keeps the window up that long (for
 *                         the screenshot in docs/)
 * Expected places come from the engine's socket times (gen_result) through
 * col(t) = floor((t - t0) * width / (t1 - t0)), computed here. */
#define COBJMACROS
#include <windows.h>
#include <commctrl.h>
#include <objbase.h>
#include <unknwn.h>
#include <wincodec.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "d2d.h"
#include "dpi.h"
#include "sock_find.h"
#include "timeline.h"
#include "wsk/afd.h"
#include "wsk/gen.h"
#include "wsk/load.h"

#include "mainwnd.h"  /* MW_CLASS_NAME */
#include "resource.h" /* the main window's ids */

#define W 800
#define H 300

typedef struct trace {
    etl_file *f;
    store *st;
    sock_model *sm;
    gen_result res;
    int ok;
} trace;

/* Loads an .etl file as the viewer does. 0 on success. */
static int trace_open(trace *tr, const char *path)
{
    char err[256];
    load_stats ls;
    load_job job;

    if (etl_open(path, &tr->f, err, sizeof err) != ETL_OK || store_create(1u << 20, &tr->st) != 0 ||
        sock_model_create(&tr->sm) != 0) {
        check_failures++;
        fprintf(stderr, "%s: open: %s\n", path, err);
        return -1;
    }
    memset(&job, 0, sizeof job);
    job.file = tr->f;
    job.events = tr->st;
    job.sockets = tr->sm;
    CHECK(load_file(&job, &ls) == 0);
    tr->ok = 1;
    return 0;
}

static void trace_load(trace *tr, const char *scenario, uint64_t events, uint32_t lose)
{
    char path[512], err[256];
    gen_options o;
    gen_file_options fo;

    memset(tr, 0, sizeof *tr);
    snprintf(path, sizeof path, "%s/tlw-%s.etl", check_tmp_dir(), scenario);
    gen_options_default(&o);
    o.scenario = scenario;
    o.events = events;
    memset(&fo, 0, sizeof fo);
    fo.process_table = 1;
    fo.lose = lose;
    if (gen_write_etl(path, &o, &fo, &tr->res, err, sizeof err) != 0) {
        check_failures++;
        fprintf(stderr, "%s: %s\n", scenario, err);
        return;
    }
    trace_open(tr, path);
    remove(path);
}

static void trace_free(trace *tr)
{
    sock_model_destroy(tr->sm);
    store_destroy(tr->st);
    etl_close(tr->f);
    gen_result_free(&tr->res);
}

static int32_t expect_col(uint64_t t, uint64_t t0, uint64_t t1, int32_t width)
{
    return (int32_t)((t - t0) * (uint64_t)width / (t1 - t0));
}

/* ---- pixels ---- */

typedef struct pixels {
    UINT w, h;
    BYTE *p; /* 32bpp (P)BGRA, stride w * 4 */
} pixels;

static UINT32 px_rgb(const pixels *px, int x, int y)
{
    const BYTE *q;
    if (x < 0 || y < 0 || (UINT)x >= px->w || (UINT)y >= px->h)
        return 0xFFFFFFFFu;
    q = px->p + ((size_t)y * px->w + (size_t)x) * 4;
    return ((UINT32)q[2] << 16) | ((UINT32)q[1] << 8) | q[0];
}

static int px_from_source(IWICBitmapSource *src, pixels *out)
{
    UINT w = 0, h = 0;
    BYTE *p;
    if (IWICBitmapSource_GetSize(src, &w, &h) != S_OK || !w || !h)
        return -1;
    p = (BYTE *)malloc((size_t)w * h * 4);
    if (!p)
        return -1;
    if (IWICBitmapSource_CopyPixels(src, NULL, w * 4, w * h * 4, p) != S_OK) {
        free(p);
        return -1;
    }
    out->w = w;
    out->h = h;
    out->p = p;
    return 0;
}

static IWICImagingFactory *wic_factory(void)
{
    IWICImagingFactory *wic = NULL;
    if (CoCreateInstance(&CLSID_WICImagingFactory, NULL, CLSCTX_INPROC_SERVER, &IID_IWICImagingFactory,
                         (void **)&wic) != S_OK)
        return NULL;
    return wic;
}

static IWICBitmap *wic_bitmap(IWICImagingFactory *wic, UINT w, UINT h)
{
    IWICBitmap *b = NULL;
    if (IWICImagingFactory_CreateBitmap(wic, w, h, &GUID_WICPixelFormat32bppPBGRA, WICBitmapCacheOnLoad, &b) !=
        S_OK)
        return NULL;
    return b;
}

/* A PNG file's pixels (converted to 32bpp PBGRA), and its first 8 bytes checked as the PNG signature. */
static int png_read(IWICImagingFactory *wic, const wchar_t *path, pixels *out)
{
    IWICBitmapDecoder *dec = NULL;
    IWICBitmapFrameDecode *frame = NULL;
    IWICBitmapSource *conv = NULL;
    unsigned char sig[8] = {0};
    FILE *fp = _wfopen(path, L"rb");
    int rc = -1;

    if (!fp)
        return -1;
    if (fread(sig, 1, 8, fp) != 8 || memcmp(sig, "\x89PNG\r\n\x1a\n", 8) != 0) {
        fclose(fp);
        return -1;
    }
    fclose(fp);
    if (IWICImagingFactory_CreateDecoderFromFilename(wic, path, NULL, GENERIC_READ, WICDecodeMetadataCacheOnDemand,
                                                     &dec) == S_OK &&
        IWICBitmapDecoder_GetFrame(dec, 0, &frame) == S_OK &&
        WICConvertBitmapSource(&GUID_WICPixelFormat32bppPBGRA, (IWICBitmapSource *)frame, &conv) == S_OK)
        rc = px_from_source(conv, out);
    if (conv)
        IWICBitmapSource_Release(conv);
    if (frame)
        IWICBitmapFrameDecode_Release(frame);
    if (dec)
        IWICBitmapDecoder_Release(dec);
    return rc;
}

/* ---- d2d: every declared method ---- */

static int near_f(float a, float b)
{
    return a - b < 0.01f && b - a < 0.01f;
}

static void test_d2d(void)
{
    d2d_factory *f = NULL;
    dw_factory *dw = NULL;
    dw_fonts *fonts = NULL;
    dw_format *fmt = NULL;
    IWICImagingFactory *wic = wic_factory();
    IWICBitmap *bmp = NULL;
    d2d_target *rt = NULL;
    d2d_dc_target *dc = NULL;
    void *dc_again = NULL;
    d2d_brush *br = NULL;
    d2d_rt_props props;
    d2d_factory_options opts = {0};
    d2d_color red = {1, 0, 0, 1}, blue = {0, 0, 1, 1}, green = {0, 1, 0, 1}, got;
    d2d_rect r;
    d2d_point a, b;
    d2d_size_f sf;
    d2d_size_u su;
    float dx = 0, dy = 0;
    UINT32 index = 99;
    BOOL exists = FALSE;
    pixels px = {0};
    int text_px = 0;
    HDC mem = NULL;
    HBITMAP dib = NULL;
    BYTE *bits = NULL;

    CHECK(wic != NULL);
    CHECK(D2D1CreateFactory(D2D_FACTORY_SINGLE_THREADED, &d2d_iid_factory, &opts, (void **)&f) == S_OK && f);
    CHECK(DWriteCreateFactory(DW_FACTORY_SHARED, &dw_iid_factory, (IUnknown **)&dw) == S_OK && dw);
    if (!wic || !f || !dw)
        goto cleanup;
    f->vtbl->GetDesktopDpi(f, &dx, &dy);
    CHECK(dx >= 96.0f && dy >= 96.0f);

    /* DirectWrite: fonts and a text format, each Set read back through its Get */
    CHECK(dw->vtbl->GetSystemFontCollection(dw, &fonts, FALSE) == S_OK && fonts);
    if (fonts) {
        CHECK(fonts->vtbl->GetFontFamilyCount(fonts) > 0);
        CHECK(fonts->vtbl->FindFamilyName(fonts, L"DejaVu Sans", &index, &exists) == S_OK);
        CHECK(exists && index < fonts->vtbl->GetFontFamilyCount(fonts));
        exists = TRUE;
        CHECK(fonts->vtbl->FindFamilyName(fonts, L"No Such Family 7", &index, &exists) == S_OK && !exists);
    }
    CHECK(dw->vtbl->CreateTextFormat(dw, L"DejaVu Sans", NULL, DW_WEIGHT_BOLD, DW_STYLE_NORMAL, DW_STRETCH_NORMAL,
                                     13.5f, L"", &fmt) == S_OK && fmt);
    if (!fmt)
        goto cleanup;
    CHECK(near_f(fmt->vtbl->GetFontSize(fmt), 13.5f));
    CHECK_U64(fmt->vtbl->GetFontWeight(fmt), DW_WEIGHT_BOLD);
    CHECK(fmt->vtbl->SetTextAlignment(fmt, DW_ALIGN_CENTER) == S_OK);
    CHECK_U64(fmt->vtbl->GetTextAlignment(fmt), DW_ALIGN_CENTER);
    CHECK(fmt->vtbl->SetParagraphAlignment(fmt, DW_PARA_CENTER) == S_OK);
    CHECK_U64(fmt->vtbl->GetParagraphAlignment(fmt), DW_PARA_CENTER);
    CHECK(fmt->vtbl->SetWordWrapping(fmt, DW_WRAP_NONE) == S_OK);
    CHECK_U64(fmt->vtbl->GetWordWrapping(fmt), DW_WRAP_NONE);
    CHECK(fmt->vtbl->SetTextAlignment(fmt, DW_ALIGN_LEADING) == S_OK);

    /* A WIC render target: sizes (struct returns), DPI, antialias mode, a brush */
    bmp = wic_bitmap(wic, 64, 40);
    CHECK(bmp != NULL);
    if (!bmp)
        goto cleanup;
    memset(&props, 0, sizeof props);
    props.type = D2D_RT_SOFTWARE;
    props.pixel_format.format = D2D_FORMAT_B8G8R8A8_UNORM;
    props.pixel_format.alpha_mode = D2D_ALPHA_PREMULTIPLIED;
    props.dpi_x = props.dpi_y = 96.0f;
    CHECK(f->vtbl->CreateWicBitmapRenderTarget(f, (IUnknown *)bmp, &props, &rt) == S_OK && rt);
    if (!rt)
        goto cleanup;
    memset(&su, 0, sizeof su);
    CHECK(rt->vtbl->GetPixelSize(rt, &su) == &su);
    CHECK_U64(su.width, 64);
    CHECK_U64(su.height, 40);
    CHECK(rt->vtbl->GetSize(rt, &sf) == &sf && near_f(sf.width, 64) && near_f(sf.height, 40));
    rt->vtbl->SetDpi(rt, 192.0f, 192.0f);
    rt->vtbl->GetDpi(rt, &dx, &dy);
    CHECK(near_f(dx, 192.0f) && near_f(dy, 192.0f));
    rt->vtbl->GetSize(rt, &sf); /* in DIPs: half the pixels at 192 DPI */
    CHECK(near_f(sf.width, 32) && near_f(sf.height, 20));
    rt->vtbl->SetDpi(rt, 96.0f, 96.0f);
    rt->vtbl->SetAntialiasMode(rt, D2D_ANTIALIAS_ALIASED);
    CHECK_U64(rt->vtbl->GetAntialiasMode(rt), D2D_ANTIALIAS_ALIASED);
    CHECK(rt->vtbl->CreateSolidColorBrush(rt, &red, NULL, &br) == S_OK && br);
    if (!br)
        goto cleanup;
    CHECK(br->vtbl->GetColor(br, &got) == &got && near_f(got.r, 1) && near_f(got.g, 0) && near_f(got.b, 0));
    br->vtbl->SetOpacity(br, 0.5f);
    CHECK(near_f(br->vtbl->GetOpacity(br), 0.5f));
    br->vtbl->SetOpacity(br, 1.0f);

    rt->vtbl->BeginDraw(rt);
    rt->vtbl->Clear(rt, &red);
    br->vtbl->SetColor(br, &blue);
    br->vtbl->GetColor(br, &got);
    CHECK(near_f(got.b, 1) && near_f(got.r, 0));
    r.left = 10, r.top = 5, r.right = 20, r.bottom = 15;
    rt->vtbl->FillRectangle(rt, &r, br);
    br->vtbl->SetColor(br, &green);
    a.x = 0, a.y = 20.5f, b.x = 64, b.y = 20.5f;
    rt->vtbl->DrawLine(rt, a, b, br, 1.0f, NULL); /* row 20 */
    r.left = 30.5f, r.top = 2.5f, r.right = 40.5f, r.bottom = 12.5f;
    rt->vtbl->DrawRectangle(rt, &r, br, 1.0f, NULL); /* outline through (30, 2) .. (40, 12) */
    r.left = 50, r.top = 0, r.right = 64, r.bottom = 5;
    rt->vtbl->PushAxisAlignedClip(rt, &r, D2D_ANTIALIAS_ALIASED);
    r.left = 50, r.top = 0, r.right = 64, r.bottom = 15;
    rt->vtbl->FillRectangle(rt, &r, br); /* only rows 0..4 inside the clip */
    rt->vtbl->PopAxisAlignedClip(rt);
    r.left = 0, r.top = 22, r.right = 64, r.bottom = 40;
    br->vtbl->SetColor(br, &blue);
    rt->vtbl->DrawText_(rt, L"Wg", 2, fmt, &r, br, D2D_DRAW_TEXT_CLIP, D2D_MEASURING_NATURAL);
    CHECK(rt->vtbl->EndDraw(rt, NULL, NULL) == S_OK);
    CHECK(px_from_source((IWICBitmapSource *)bmp, &px) == 0);
    if (px.p) {
        CHECK_U64(px_rgb(&px, 0, 0), 0xFF0000);
        CHECK_U64(px_rgb(&px, 10, 5), 0x0000FF);
        CHECK_U64(px_rgb(&px, 19, 14), 0x0000FF);
        CHECK_U64(px_rgb(&px, 20, 15), 0xFF0000);
        CHECK_U64(px_rgb(&px, 5, 20), 0x00FF00);
        CHECK_U64(px_rgb(&px, 5, 19), 0xFF0000);
        CHECK_U64(px_rgb(&px, 35, 2), 0x00FF00);
        CHECK_U64(px_rgb(&px, 35, 7), 0xFF0000);
        CHECK_U64(px_rgb(&px, 55, 4), 0x00FF00);
        CHECK_U64(px_rgb(&px, 55, 10), 0xFF0000);
        for (int y = 22; y < 40; y++)
            for (int x = 0; x < 64; x++)
                text_px += px_rgb(&px, x, y) != 0xFF0000;
        printf("text pixels: %d\n", text_px);
        CHECK(text_px > 20);
    }

    /* A DC render target bound to a DIB section's DC, reached through QueryInterface too */
    {
        BITMAPINFO bi;
        RECT rc = {0, 0, 32, 16};
        memset(&bi, 0, sizeof bi);
        bi.bmiHeader.biSize = sizeof bi.bmiHeader;
        bi.bmiHeader.biWidth = 32;
        bi.bmiHeader.biHeight = -16;
        bi.bmiHeader.biPlanes = 1;
        bi.bmiHeader.biBitCount = 32;
        mem = CreateCompatibleDC(NULL);
        dib = CreateDIBSection(mem, &bi, DIB_RGB_COLORS, (void **)&bits, NULL, 0);
        CHECK(mem && dib && bits);
        if (!dib)
            goto cleanup;
        SelectObject(mem, dib);
        props.type = D2D_RT_DEFAULT;
        props.pixel_format.alpha_mode = D2D_ALPHA_IGNORE;
        CHECK(f->vtbl->CreateDCRenderTarget(f, &props, &dc) == S_OK && dc);
        if (!dc)
            goto cleanup;
        CHECK(dc->vtbl->QueryInterface(dc, &d2d_iid_dc_target, &dc_again) == S_OK && dc_again == (void *)dc);
        if (dc_again)
            ((IUnknown *)dc_again)->lpVtbl->Release((IUnknown *)dc_again);
        CHECK(dc->vtbl->BindDC(dc, mem, &rc) == S_OK);
        D2D_RELEASE(br);
        CHECK(dc->vtbl->CreateSolidColorBrush(dc, &blue, NULL, &br) == S_OK && br);
        dc->vtbl->BeginDraw(dc);
        dc->vtbl->Clear(dc, &green);
        r.left = 4, r.top = 4, r.right = 8, r.bottom = 8;
        if (br)
            dc->vtbl->FillRectangle(dc, &r, br);
        CHECK(dc->vtbl->EndDraw(dc, NULL, NULL) == S_OK);
        GdiFlush();
        CHECK_U64(((UINT32 *)bits)[0] & 0xFFFFFF, 0x00FF00);
        CHECK_U64(((UINT32 *)bits)[5 * 32 + 5] & 0xFFFFFF, 0x0000FF);
    }
cleanup:
    free(px.p);
    D2D_RELEASE(br);
    D2D_RELEASE(dc);
    D2D_RELEASE(rt);
    D2D_RELEASE(fmt);
    D2D_RELEASE(fonts);
    D2D_RELEASE(dw);
    D2D_RELEASE(f);
    if (dib)
        DeleteObject(dib);
    if (mem)
        DeleteDC(mem);
    if (bmp)
        IWICBitmap_Release(bmp);
    if (wic)
        IWICImagingFactory_Release(wic);
}

/* ---- the pane ---- */

static UINT32 g_notified_socket = TL_NONE;
static uint64_t g_notified_row = UINT64_MAX;
static unsigned g_notifications;

static LRESULT CALLBACK host_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg == WM_NOTIFY && ((NMHDR *)lp)->code == TLWN_SELECT) {
        g_notified_socket = ((tlw_notify *)lp)->socket;
        g_notified_row = ((tlw_notify *)lp)->row;
        g_notifications++;
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

static HWND make_pane(HWND *host)
{
    WNDCLASSW wc;
    HINSTANCE inst = GetModuleHandleW(NULL);
    HWND pane;

    memset(&wc, 0, sizeof wc);
    wc.lpfnWndProc = host_proc;
    wc.hInstance = inst;
    wc.lpszClassName = L"TlwTestHost";
    RegisterClassW(&wc);
    *host = CreateWindowExW(0, L"TlwTestHost", L"timeline test", WS_POPUP | WS_VISIBLE, 0, 0, W, H, NULL, NULL,
                            inst, NULL);
    if (!*host)
        return NULL;
    pane = tlw_create(*host, 100, inst);
    if (pane)
        SetWindowPos(pane, NULL, 0, 0, W, H, SWP_NOZORDER | SWP_SHOWWINDOW);
    return pane;
}

/* The pane's frame at its client size. */
static int render(HWND pane, IWICImagingFactory *wic, pixels *px)
{
    RECT rc;
    IWICBitmap *bmp = GetClientRect(pane, &rc) && rc.right > 0 && rc.bottom > 0
                          ? wic_bitmap(wic, (UINT)rc.right, (UINT)rc.bottom)
                          : NULL;
    int ok = -1;
    free(px->p);
    memset(px, 0, sizeof *px);
    if (bmp && tlw_render_bitmap(pane, (IUnknown *)bmp) == S_OK)
        ok = px_from_source((IWICBitmapSource *)bmp, px);
    if (bmp)
        IWICBitmap_Release(bmp);
    CHECK(ok == 0);
    return ok;
}

static int is_phase_rgb(UINT32 c)
{
    for (int i = 0; i < TL_PH_COUNT; i++)
        if (tlw_phase_rgb(i) == c)
            return 1;
    return 0;
}

/* The column's colour under the bar's top quarter (ticks of sends and receives sit in the middle third). */
static void check_bars(trace *tr, HWND pane, const pixels *px, size_t min)
{
    const tl_view *v = tlw_view(pane);
    size_t checked = 0;

    for (size_t i = 0; i < tr->res.socket_count; i++) {
        const gen_socket *g = &tr->res.sockets[i];
        int s = find_socket(tr->sm, g->endpoint, g->generation);
        int32_t y, x0, x1;
        uint64_t end;
        CHECK(s >= 0);
        if (s < 0)
            continue;
        y = tl_socket_y(v, (uint32_t)s);
        if (y == INT32_MIN || y < v->axis_h || y + v->row_h > H)
            continue; /* off screen */
        end = g->closed ? g->closed : tl_last_time(v->model);
        x0 = expect_col(g->pre_existing ? tl_first_time(v->model) : g->created, v->t0, v->t1, v->width);
        x1 = expect_col(end, v->t0, v->t1, v->width);
        y += v->row_h / 4;
        for (int32_t x = x0; x <= x1 && x < W; x++) {
            UINT32 c = px_rgb(px, x, y);
            if (v->cursor && x == tl_col(v, v->cursor))
                continue; /* the cursor line is drawn over the bars */
            if (!is_phase_rgb(c) && c != tlw_tick_rgb(TL_TICK_ERROR) && c != tlw_tick_rgb(TL_TICK_ABORT)) {
                fprintf(stderr, "socket %d column %d (bar %d..%d): colour %06X is no phase\n", s, x, x0, x1,
                        (unsigned)c);
                check_failures++;
                break;
            }
        }
        if (x0 > 0)
            CHECK_U64(px_rgb(px, x0 - 1, y), (uint32_t)s == v->selected ? 0xFFF1B8 : 0xFFFFFF);
        if (x1 + 1 < W)
            CHECK_U64(px_rgb(px, x1 + 1, y), (uint32_t)s == v->selected ? 0xFFF1B8 : 0xFFFFFF);
        checked++;
    }
    printf("bars checked: %lu\n", (unsigned long)checked);
    CHECK(checked >= min);
}

/* The tooltip names what the engine says of the socket: process, PID, remote address, bytes, the error. */
static void check_tip(HWND pane, int x, int y, const trace *tr, const gen_socket *g, int s)
{
    wchar_t tip[768];
    char text[1536], want[160];

    (void)tr;
    CHECK(tlw_tip_at(pane, x, y, tip, 768) > 0);
    WideCharToMultiByte(CP_UTF8, 0, tip, -1, text, (int)sizeof text, NULL, NULL);
    printf("tooltip: %s\n", text);
    snprintf(want, sizeof want, "Socket %d  %s (PID %lu)", s, g->process ? g->process : "(unknown)",
             (unsigned long)g->pid);
    CHECK(strstr(text, want) != NULL);
    if (g->remote.family) {
        afd_format_address(&g->remote, want, sizeof want);
        CHECK(strstr(text, want) != NULL);
    }
    snprintf(want, sizeof want, "sent %llu bytes in %llu sends, received %llu bytes in %llu receives",
             (unsigned long long)g->bytes_sent, (unsigned long long)g->sends, (unsigned long long)g->bytes_received,
             (unsigned long long)g->receives);
    CHECK(strstr(text, want) != NULL);
    if (g->has_error) {
        snprintf(want, sizeof want, "error 0x%08lX", (unsigned long)g->error);
        CHECK(strstr(text, want) != NULL);
    }
}

static void test_render(void)
{
    trace tr, ref;
    HWND host = NULL, pane = NULL;
    IWICImagingFactory *wic = wic_factory();
    pixels px = {0};
    const tl_view *v;
    tl_prim *prims = NULL;
    size_t n, bound, labels = 0;

    trace_load(&tr, "multi-process", 0, 0);
    trace_load(&ref, "refused", 0, 0);
    CHECK(wic != NULL);
    if (!tr.ok || !ref.ok || !wic)
        goto cleanup;
    pane = make_pane(&host);
    CHECK(pane != NULL);
    if (!pane)
        goto cleanup;
    CHECK(tlw_set_trace(pane, tr.st, tr.sm, NULL, ETL_ZONE_UTC));
    v = tlw_view(pane);
    CHECK(v && v->width == W && v->height == H);
    if (v) { /* rows scale with the DPI (wine.gui_timeline_render144 runs this at 144) */
        UINT dpi = dpi_for_window(pane);
        printf("dpi %u: row %d, header %d, axis %d px\n", dpi, v->row_h, v->header_h, v->axis_h);
        CHECK_U64(v->row_h, (uint64_t)MulDiv(18, (int)dpi, 96));
        CHECK_U64(v->axis_h, (uint64_t)MulDiv(24, (int)dpi, 96));
        if (getenv("WSK_WINE_DPI"))
            CHECK_U64(dpi, strtoul(getenv("WSK_WINE_DPI"), NULL, 10));
    }
    if (!v || render(pane, wic, &px) != 0)
        goto cleanup;
    printf("font: %ls\n", tlw_font_family(pane));
    CHECK(wcscmp(tlw_font_family(pane), L"DejaVu Sans") == 0 || wcscmp(tlw_font_family(pane), L"Segoe UI") == 0);
    check_bars(&tr, pane, &px, 3);

    /* the primitives counted are the frame's: what tl_layout gives for this view */
    bound = tl_layout_bound(v);
    prims = (tl_prim *)malloc(bound * sizeof *prims);
    CHECK(prims != NULL);
    if (!prims)
        goto cleanup;
    n = tl_layout(v, prims, bound);
    printf("primitives: %lu (bound %lu)\n", (unsigned long)tlw_last_primitives(pane), (unsigned long)bound);
    CHECK_U64(tlw_last_primitives(pane), n);
    /* the axis: its ticks in the axis colour, the band's background between them, labels' text */
    for (size_t i = 0; i < n; i++) {
        if (prims[i].type != TL_P_AXIS || prims[i].x + 2 >= W)
            continue;
        CHECK_U64(px_rgb(&px, prims[i].x, v->axis_h - 3), 0x606060);
        if (prims[i].kind == 1) {
            int dark = 0;
            labels++;
            for (int y = 0; y < v->axis_h - 6; y++)
                for (int x = prims[i].x + 3; x < prims[i].x + 60 && x < W; x++)
                    dark += (px_rgb(&px, x, y) & 0xFF) < 0x80;
            CHECK(dark > 10);
        }
    }
    printf("axis labels: %lu\n", (unsigned long)labels);
    CHECK(labels >= 2);
    CHECK_U64(px_rgb(&px, 1, v->axis_h - 1), 0x606060);

    /* the selection: the socket's row past its bar takes the highlight; the cursor line its colour */
    {
        const gen_socket *g = NULL;
        int s = -1;
        int32_t y, x0;
        uint64_t cursor = (v->t0 + v->t1) / 2;
        for (size_t i = 0; i < tr.res.socket_count && !g; i++) /* one created well after the start */
            if (!tr.res.sockets[i].pre_existing && expect_col(tr.res.sockets[i].created, v->t0, v->t1, v->width) > 10)
                g = &tr.res.sockets[i];
        CHECK(g != NULL);
        if (g)
            s = find_socket(tr.sm, g->endpoint, g->generation);
        CHECK(s >= 0);
        if (s < 0)
            goto cleanup;
        tlw_set_selection(pane, (uint32_t)s, cursor);
        if (render(pane, wic, &px) != 0)
            goto cleanup;
        y = tl_socket_y(v, (uint32_t)s) + v->row_h / 4;
        x0 = expect_col(g->created, v->t0, v->t1, v->width);
        CHECK_U64(px_rgb(&px, x0 - 2, y), 0xFFF1B8);
        CHECK_U64(px_rgb(&px, x0 - 2, tl_socket_y(v, (uint32_t)s) + v->row_h - 1), 0xFFF1B8);
        CHECK_U64(px_rgb(&px, x0 - 2, tl_socket_y(v, (uint32_t)s) - 1), 0xFFFFFF); /* the row above: not */
        CHECK(is_phase_rgb(px_rgb(&px, x0, y)));
        CHECK_U64(px_rgb(&px, tl_col(v, cursor), H - 2), 0xE0007A);
        check_bars(&tr, pane, &px, 3); /* the bars still in their colours over the highlight */
    }

    /* a failed connect: its bar ends in the failed colour, its error marked */
    CHECK(tlw_set_trace(pane, ref.st, ref.sm, NULL, ETL_ZONE_UTC));
    v = tlw_view(pane);
    if (!v || render(pane, wic, &px) != 0)
        goto cleanup;
    check_bars(&ref, pane, &px, 1);
    {
        size_t failed = 0;
        for (size_t i = 0; i < ref.res.socket_count; i++) {
            const gen_socket *g = &ref.res.sockets[i];
            int s = find_socket(ref.sm, g->endpoint, g->generation);
            int32_t y, x0, x1, fx = 0, ex = 0;
            if (s < 0 || g->outcome != GEN_OUT_FAILED)
                continue;
            y = tl_socket_y(v, (uint32_t)s) + v->row_h / 4;
            x0 = expect_col(g->created, v->t0, v->t1, v->width);
            x1 = expect_col(g->closed ? g->closed : tl_last_time(v->model), v->t0, v->t1, v->width);
            for (int32_t x = x0; x <= x1; x++) {
                fx += px_rgb(&px, x, y) == tlw_phase_rgb(TL_PH_FAILED);
                ex += px_rgb(&px, x, y) == tlw_tick_rgb(TL_TICK_ERROR);
            }
            CHECK(fx + ex > 0);
            CHECK(ex > 0);
            check_tip(pane, x1, y, &ref, g, s);
            failed++;
        }
        CHECK(failed > 0);
    }
cleanup:
    free(prims);
    free(px.p);
    if (host)
        DestroyWindow(host);
    if (wic)
        IWICImagingFactory_Release(wic);
    if (tr.ok)
        trace_free(&tr);
    if (ref.ok)
        trace_free(&ref);
}

static void test_export(void)
{
    trace tr;
    HWND host = NULL, pane = NULL;
    IWICImagingFactory *wic = wic_factory();
    pixels px = {0}, want = {0};
    wchar_t path[600];
    char upath[512];

    trace_load(&tr, "multi-process", 0, 0);
    if (!tr.ok || !wic)
        goto cleanup;
    pane = make_pane(&host);
    CHECK(pane && tlw_set_trace(pane, tr.st, tr.sm, NULL, ETL_ZONE_UTC));
    if (!pane)
        goto cleanup;
    snprintf(upath, sizeof upath, "%s/tlw-export-%lu.png", check_tmp_dir(), (unsigned long)GetCurrentProcessId());
    MultiByteToWideChar(CP_UTF8, 0, upath, -1, path, 600);
    CHECK(tlw_export_png(pane, path) == S_OK);
    CHECK(png_read(wic, path, &px) == 0);
    CHECK_U64(px.w, W);
    CHECK_U64(px.h, H);
    /* the file holds what the pane draws: the same pixels as a render, bars where the times say */
    if (px.p && render(pane, wic, &want) == 0) {
        CHECK(memcmp(px.p, want.p, (size_t)W * H * 4) == 0);
        check_bars(&tr, pane, &px, 3);
    }
    remove(upath);
cleanup:
    free(px.p);
    free(want.p);
    if (host)
        DestroyWindow(host);
    if (wic)
        IWICImagingFactory_Release(wic);
    if (tr.ok)
        trace_free(&tr);
}

static void pump(void)
{
    MSG m;
    while (PeekMessageW(&m, NULL, 0, 0, PM_REMOVE)) {
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
}

/* The tooltip's start time: the time of day as the list formats it (UTC without a header), or seconds since
 * origin. */
static void check_tip_time(HWND pane, int x, int y, uint64_t created, uint64_t origin)
{
    wchar_t tip[768];
    char text[1536], full[64], want[80];
    const char *tod;

    tlw_tip_at(pane, x, y, tip, 768);
    WideCharToMultiByte(CP_UTF8, 0, tip, -1, text, (int)sizeof text, NULL, NULL);
    if (origin) {
        snprintf(want, sizeof want, "from %llu.%07llu for", (unsigned long long)((created - origin) / 10000000u),
                 (unsigned long long)((created - origin) % 10000000u));
    } else {
        etl_format_time(NULL, ETL_ZONE_UTC, created, full, sizeof full);
        tod = strchr(full, ' ');
        snprintf(want, sizeof want, "from %s for", tod ? tod + 1 : full);
    }
    if (!strstr(text, want)) {
        fprintf(stderr, "tooltip without \"%s\": %s\n", want, text);
        check_failures++;
    }
}

/* label is full (digits, then '.', seven fraction digits, then the suffix) with fraction digits left out at the
 * end, only zeros (an axis tick is a multiple of its step), the '.' too when none is left. */
static int label_fits(const char *label, const char *full, const char *suffix)
{
    const char *dot = strchr(full, '.');
    size_t keep = strlen(label) - (strlen(label) >= strlen(suffix) ? strlen(suffix) : 0), k;

    if (!dot || strlen(label) < strlen(suffix) || strcmp(label + keep, suffix) != 0 ||
        strncmp(label, full, keep) != 0 || keep > (size_t)(dot - full) + 8 || keep == (size_t)(dot - full) + 1 ||
        keep < (size_t)(dot - full))
        return 0;
    for (k = keep > (size_t)(dot - full) ? keep : (size_t)(dot - full) + 1; k < (size_t)(dot - full) + 8; k++)
        if (full[k] != '0')
            return 0;
    return 1;
}

/* Every labelled axis tick of the pane's frame: its label is the time of day as the list shows it in the zone
 * (header may be NULL: UTC), or seconds since origin when origin != 0. */
static void check_axis_labels(HWND pane, const etl_header *header, etl_zone zone, uint64_t origin)
{
    const tl_view *v = tlw_view(pane);
    size_t cap = v ? tl_layout_bound(v) : 0, n, checked = 0;
    tl_prim *p = cap ? (tl_prim *)malloc(cap * sizeof *p) : NULL;
    wchar_t wl[64];
    char label[128], full[64], suffix[16];

    CHECK(p != NULL);
    if (!p)
        return;
    n = tl_layout(v, p, cap);
    for (size_t i = 0; i < n && i < cap; i++) {
        if (p[i].type != TL_P_AXIS || !p[i].kind)
            continue;
        tlw_axis_label(pane, p[i].time, wl, 64);
        WideCharToMultiByte(CP_UTF8, 0, wl, -1, label, (int)sizeof label, NULL, NULL);
        if (origin) {
            uint64_t d = p[i].time >= origin ? p[i].time - origin : origin - p[i].time;
            snprintf(full, sizeof full, "%s%llu.%07llu", p[i].time >= origin ? "" : "-",
                     (unsigned long long)(d / 10000000u), (unsigned long long)(d % 10000000u));
            suffix[0] = 0;
        } else {
            char all[64];
            const char *tod;
            etl_format_time(header, zone, p[i].time, all, sizeof all);
            tod = strchr(all, ' ');
            snprintf(full, sizeof full, "%s", tod ? tod + 1 : all);
            snprintf(suffix, sizeof suffix, "%s", strlen(full) > 16 ? full + 16 : "");
        }
        if (!label_fits(label, full, suffix)) {
            fprintf(stderr, "axis label \"%s\" at %llu is not \"%s\" cut to its step\n", label,
                    (unsigned long long)p[i].time, full);
            check_failures++;
        }
        if (checked++ == 0)
            printf("axis label \"%s\" (%s)\n", label, full);
    }
    CHECK(checked >= 2);
    free(p);
}

static void test_input(void)
{
    trace tr;
    HWND host = NULL, pane = NULL;
    const tl_view *v;
    uint64_t t0, t1;
    uint32_t first;
    wchar_t tip[8];

    trace_load(&tr, "multi-process", 0, 0);
    if (!tr.ok)
        goto cleanup;
    pane = make_pane(&host);
    CHECK(pane && tlw_set_trace(pane, tr.st, tr.sm, NULL, ETL_ZONE_UTC));
    if (!pane || !(v = tlw_view(pane)))
        goto cleanup;
    UpdateWindow(pane);
    pump();
    CHECK(tlw_frames(pane) >= 1); /* WM_PAINT drew through the DC target */
    /* a click in the middle of the last socket's bar */
    {
        const gen_socket *g = &tr.res.sockets[tr.res.socket_count - 1];
        int s = find_socket(tr.sm, g->endpoint, g->generation);
        int32_t x0 = expect_col(g->created, v->t0, v->t1, v->width);
        int32_t x1 = expect_col(g->closed ? g->closed : tl_last_time(v->model), v->t0, v->t1, v->width);
        int32_t y = tl_socket_y(v, (uint32_t)s) + v->row_h / 4;
        LPARAM at = MAKELPARAM((x0 + x1) / 2, y);
        CHECK(s >= 0);
        SendMessageW(pane, WM_LBUTTONDOWN, MK_LBUTTON, at);
        SendMessageW(pane, WM_LBUTTONUP, 0, at);
        CHECK_U64(g_notifications, 1);
        CHECK_U64(g_notified_socket, (uint32_t)s);
        CHECK_U64(v->selected, (uint32_t)s);
        check_tip(pane, (x0 + x1) / 2, y, &tr, g, s);
        CHECK(tlw_tip_at(pane, (x0 + x1) / 2, 2, tip, 8) == 0 && tip[0] == 0); /* the axis band: none */
        check_tip_time(pane, (x0 + x1) / 2, y, g->created, 0);
        tlw_set_time_origin(pane, tl_first_time(v->model)); /* the list's "since first" */
        check_tip_time(pane, (x0 + x1) / 2, y, g->created, tl_first_time(v->model));
        tlw_set_time_origin(pane, 0);
    }
    /* arrows: the next socket row in display order (tl_view_step), notified */
    first = tl_view_step(v, TL_NONE, 1);
    tlw_set_selection(pane, first, 0);
    SendMessageW(pane, WM_KEYDOWN, VK_DOWN, 0);
    CHECK_U64(v->selected, tl_view_step(v, first, 1));
    CHECK_U64(g_notified_socket, v->selected);
    SendMessageW(pane, WM_KEYDOWN, VK_UP, 0);
    CHECK_U64(v->selected, first);
    /* + zooms in around the middle, Home fits everything again */
    t0 = v->t0;
    t1 = v->t1;
    SendMessageW(pane, WM_KEYDOWN, VK_ADD, 0);
    CHECK(v->t1 - v->t0 < t1 - t0);
    SendMessageW(pane, WM_KEYDOWN, VK_HOME, 0);
    CHECK_U64(v->t0, t0);
    CHECK_U64(v->t1, t1);
    /* Shift+drag selects a range to zoom into */
    SendMessageW(pane, WM_LBUTTONDOWN, MK_LBUTTON | MK_SHIFT, MAKELPARAM(200, 100));
    SendMessageW(pane, WM_MOUSEMOVE, MK_LBUTTON | MK_SHIFT, MAKELPARAM(400, 100));
    SendMessageW(pane, WM_LBUTTONUP, MK_SHIFT, MAKELPARAM(400, 100));
    CHECK(v->t0 >= t0 + (t1 - t0) / 4 - (t1 - t0) / 400 && v->t1 <= t0 + (t1 - t0) / 2 + (t1 - t0) / 400);
    CHECK_U64(g_notifications, 3);
    /* a click on a group header collapses it (its sockets' lines go), a second one expands it */
    {
        size_t lines = v->nlines, count = tl_group_at(v->model, 0)->count;
        LPARAM at = MAKELPARAM(50, v->axis_h + 2); /* the first line: group 0's header */
        CHECK(v->lines[0] == (TL_LINE_HEADER | 0));
        SendMessageW(pane, WM_LBUTTONDOWN, MK_LBUTTON, at);
        SendMessageW(pane, WM_LBUTTONUP, 0, at);
        CHECK_U64(v->nlines, lines - count);
        CHECK(v->collapsed[0]);
        SendMessageW(pane, WM_LBUTTONDOWN, MK_LBUTTON, at);
        SendMessageW(pane, WM_LBUTTONUP, 0, at);
        CHECK_U64(v->nlines, lines);
        CHECK_U64(g_notifications, 3); /* headers select nothing */
    }
    /* the mouse wheel scrolls rows, three a notch, within the content (the pane made low enough to scroll) */
    {
        POINT pt = {300, 60};
        int64_t area, max;
        uint64_t at, span;
        SetWindowPos(pane, NULL, 0, 0, W, v->axis_h + 4 * v->row_h, SWP_NOZORDER | SWP_NOMOVE);
        area = v->height - v->axis_h;
        max = v->line_y[v->nlines] > area ? v->line_y[v->nlines] - area : 0;
        CHECK_U64((uint64_t)area, 4 * (uint64_t)v->row_h);
        CHECK(max > 3 * v->row_h); /* the trace has rows to scroll */
        CHECK_U64((uint64_t)v->scroll_y, 0);
        ClientToScreen(pane, &pt);
        SendMessageW(pane, WM_MOUSEWHEEL, MAKEWPARAM(0, (WORD)(-WHEEL_DELTA)), MAKELPARAM(pt.x, pt.y));
        CHECK_U64((uint64_t)v->scroll_y, 3 * (uint64_t)v->row_h);
        SendMessageW(pane, WM_MOUSEWHEEL, MAKEWPARAM(0, (WORD)(-10 * WHEEL_DELTA)), MAKELPARAM(pt.x, pt.y));
        CHECK_U64((uint64_t)v->scroll_y, (uint64_t)max); /* clamped to the last row */
        SendMessageW(pane, WM_MOUSEWHEEL, MAKEWPARAM(0, 10 * WHEEL_DELTA), MAKELPARAM(pt.x, pt.y));
        CHECK_U64((uint64_t)v->scroll_y, 0);
        SetWindowPos(pane, NULL, 0, 0, W, H, SWP_NOZORDER | SWP_NOMOVE);
        pt.x = 300;
        pt.y = 150;
        ClientToScreen(pane, &pt);
        /* Ctrl+wheel zooms in around the pointer: the time under it stays, the span is 1 / 1.25 */
        SendMessageW(pane, WM_KEYDOWN, VK_HOME, 0);
        at = tl_x_to_time(v, 300);
        span = v->t1 - v->t0;
        SendMessageW(pane, WM_MOUSEWHEEL, MAKEWPARAM(MK_CONTROL, WHEEL_DELTA), MAKELPARAM(pt.x, pt.y));
        CHECK(v->t1 - v->t0 + 64 >= span * 4 / 5 && v->t1 - v->t0 <= span * 4 / 5 + 64);
        CHECK(tl_x_to_time(v, 300) + span / W >= at && tl_x_to_time(v, 300) <= at + span / W);
        /* a drag pans: 100 px to the right shows what was 100 px to the left; it selects nothing */
        span = v->t1 - v->t0;
        t0 = v->t0;
        SendMessageW(pane, WM_LBUTTONDOWN, MK_LBUTTON, MAKELPARAM(300, 150));
        SendMessageW(pane, WM_MOUSEMOVE, MK_LBUTTON, MAKELPARAM(350, 150));
        SendMessageW(pane, WM_MOUSEMOVE, MK_LBUTTON, MAKELPARAM(400, 150));
        SendMessageW(pane, WM_LBUTTONUP, 0, MAKELPARAM(400, 150));
        CHECK_U64(v->t1 - v->t0, span);
        /* 100 of 800 px, in two moves; a FILETIME in a double is good to ~32 units: within a pixel */
        CHECK(v->t0 + span / W >= t0 - span / 8 && v->t0 <= t0 - span / 8 + span / W);
        CHECK_U64(g_notifications, 3);
        /* - zooms out around the middle: twice the span */
        SendMessageW(pane, WM_KEYDOWN, VK_SUBTRACT, 0);
        CHECK(v->t1 - v->t0 + 64 >= span * 2 && v->t1 - v->t0 <= span * 2 + 64);
    }
    /* axis labels: the list's time of day in UTC without a trace header; in the trace machine's zone with
     * one (UTC+05:30 here); seconds since the first event in the list's "since first" format */
    {
        etl_header h;
        SendMessageW(pane, WM_KEYDOWN, VK_HOME, 0);
        check_axis_labels(pane, NULL, ETL_ZONE_UTC, 0);
        memset(&h, 0, sizeof h);
        h.tz.bias = -330;
        h.tz.standard_bias = 0;
        CHECK(tlw_set_trace(pane, tr.st, tr.sm, &h, ETL_ZONE_TRACE));
        if (!(v = tlw_view(pane)))
            goto cleanup;
        check_axis_labels(pane, &h, ETL_ZONE_TRACE, 0);
        {
            wchar_t wl[64];
            tlw_axis_label(pane, tl_first_time(v->model), wl, 64);
            CHECK(wcsstr(wl, L"+05:30") != NULL);
        }
        tlw_set_time_origin(pane, tl_first_time(v->model));
        check_axis_labels(pane, &h, ETL_ZONE_TRACE, tl_first_time(v->model));
        tlw_set_time_origin(pane, 0);
    }
cleanup:
    if (host)
        DestroyWindow(host);
    if (tr.ok)
        trace_free(&tr);
}

/* Lost events: a gap marker, the gap colour at 60 % over the rows area, at each mark's column. */
static void test_gaps(void)
{
    trace tr;
    HWND host = NULL, pane = NULL;
    IWICImagingFactory *wic = wic_factory();
    const tl_view *v;
    pixels px = {0};
    size_t marks = 0;
    int y;

    trace_load(&tr, "multi-process", 0, 2);
    if (!tr.ok || !wic)
        goto cleanup;
    pane = make_pane(&host);
    CHECK(pane && tlw_set_trace(pane, tr.st, tr.sm, NULL, ETL_ZONE_UTC));
    if (!pane || !(v = tlw_view(pane)) || render(pane, wic, &px) != 0)
        goto cleanup;
    y = v->axis_h + (int)v->line_y[v->nlines] + 4; /* below the rows: white under the marker */
    CHECK(y < H);
    for (uint64_t r = 0; r < store_count(tr.st); r++) {
        const store_row *row = store_row_at(tr.st, r);
        UINT32 c;
        int x;
        if (!(row->flags & STORE_ROW_LOST))
            continue;
        marks++;
        x = tl_col(v, row->time);
        if (x < 0 || x >= W)
            continue;
        c = px_rgb(&px, x, y);
        /* 0.6 * C00060 + 0.4 * FFFFFF = D966A0, give or take rounding */
        if (abs((int)(c >> 16) - 0xD9) > 2 || abs((int)((c >> 8) & 0xFF) - 0x66) > 2 || abs((int)(c & 0xFF) - 0xA0) > 2) {
            fprintf(stderr, "gap at column %d: %06X\n", x, (unsigned)c);
            check_failures++;
        }
        c = px_rgb(&px, x, v->axis_h - 8); /* not over the axis band: its background or an axis tick */
        CHECK(c == 0xF0F0F0 || c == 0x606060);
    }
    printf("lost-event marks: %lu\n", (unsigned long)marks);
    CHECK(marks > 0);
cleanup:
    free(px.p);
    if (host)
        DestroyWindow(host);
    if (wic)
        IWICImagingFactory_Release(wic);
    if (tr.ok)
        trace_free(&tr);
}

/* The list's filter: only one process's sockets keep rows; below them the pane is empty. */
/* What the list's filter job does for the timeline (worker.c): select the rows, build the pane's filter from
 * them, on its own thread. */
typedef struct filter_job {
    const tl *index;
    filt *f;
    const filt_ctx *c;
    tl_filter *out;
    int rc;
} filter_job;

static DWORD WINAPI filter_job_main(void *arg)
{
    filter_job *j = (filter_job *)arg;
    uint64_t n = store_count(j->c->events), kept;
    uint32_t *rows = (uint32_t *)malloc((size_t)(n ? n : 1) * sizeof *rows);

    j->rc = -1;
    if (rows) {
        kept = filt_select(j->f, j->c, 0, n, rows);
        j->rc = tl_filter_build(j->index, j->f, j->c, rows, kept, &j->out);
    }
    free(rows);
    return 0;
}

static void test_filter(void)
{
    trace tr;
    HWND host = NULL, pane = NULL;
    IWICImagingFactory *wic = wic_factory();
    const tl_view *v;
    filt *f = NULL;
    filt_error fe;
    filt_ctx c;
    pixels px = {0};
    char text[64];
    uint32_t pid;
    size_t shown = 0, n;
    int32_t bottom;
    filter_job job;
    HANDLE th;
    tl *other = NULL;
    tl_filter *foreign = NULL;

    trace_load(&tr, "multi-process", 0, 0);
    if (!tr.ok || !wic)
        goto cleanup;
    pane = make_pane(&host);
    CHECK(pane && tlw_set_trace(pane, tr.st, tr.sm, NULL, ETL_ZONE_UTC));
    if (!pane || !(v = tlw_view(pane)))
        goto cleanup;
    n = sock_model_count(tr.sm);
    pid = tr.res.sockets[0].pid;
    snprintf(text, sizeof text, "socket.pid == %lu", (unsigned long)pid);
    CHECK(filt_compile(text, &f, &fe) == 0);
    memset(&c, 0, sizeof c);
    c.events = tr.st;
    c.sockets = tr.sm;
    c.trace_end = tl_last_time(v->model);
    /* built on another thread while the pane draws: until it is applied, the pane shows every socket */
    memset(&job, 0, sizeof job);
    job.index = tlw_index(pane);
    job.f = f;
    job.c = &c;
    CHECK(job.index == v->model);
    th = CreateThread(NULL, 0, filter_job_main, &job, 0, NULL);
    CHECK(th != NULL);
    if (!th)
        goto cleanup;
    for (int k = 0; k < 3; k++)
        CHECK(render(pane, wic, &px) == 0);
    WaitForSingleObject(th, INFINITE);
    CloseHandle(th);
    CHECK(job.rc == 0 && job.out != NULL);
    CHECK_U64(v->nlines, n + tl_group_count(v->model));
    /* one built for another index of the same trace changes nothing */
    CHECK(tl_create(tr.st, tr.sm, &other) == 0);
    if (other && tl_filter_build(other, f, &c, NULL, 0, &foreign) == 0) {
        CHECK(tlw_apply_filter(pane, foreign));
        CHECK_U64(v->nlines, n + tl_group_count(v->model));
    }
    tl_destroy(other);
    CHECK(tlw_apply_filter(pane, job.out));
    for (uint32_t s = 0; s < n; s++) {
        int mine = sock_model_at(tr.sm, s)->pid == pid;
        CHECK((tl_socket_y(v, s) != INT32_MIN) == mine);
        shown += mine;
    }
    CHECK(shown > 0 && shown < n);
    CHECK_U64(v->nlines, shown + 1);
    if (render(pane, wic, &px) != 0)
        goto cleanup;
    check_bars(&tr, pane, &px, shown);
    bottom = v->axis_h + (int32_t)v->line_y[v->nlines] + 1;
    for (int y = bottom; y < H; y += 7)
        for (int x = 0; x < W; x += 13)
            if (px_rgb(&px, x, y) != 0xFFFFFF) {
                fprintf(stderr, "(%d, %d) below the rows: %06X\n", x, y, (unsigned)px_rgb(&px, x, y));
                check_failures++;
                y = H;
                break;
            }
    /* no filter: every socket again */
    CHECK(tlw_apply_filter(pane, NULL));
    CHECK_U64(v->nlines, n + tl_group_count(v->model));
cleanup:
    filt_free(f);
    free(px.p);
    if (host)
        DestroyWindow(host);
    if (wic)
        IWICImagingFactory_Release(wic);
    if (tr.ok)
        trace_free(&tr);
}

static double ms_since(LARGE_INTEGER a)
{
    LARGE_INTEGER b, f;
    QueryPerformanceCounter(&b);
    QueryPerformanceFrequency(&f);
    return (double)(b.QuadPart - a.QuadPart) * 1000.0 / (double)f.QuadPart;
}

/* A bulk trace (200,000 events): what a frame costs through WM_PAINT (DC target) and into a WIC bitmap, and
 * the primitives it takes, which the level of detail bounds by the pixels (at most a bar rectangle and a
 * tick per column of each visible row, a header per line, a gap and an axis tick per column, the cursor and
 * the selection), whatever the trace holds. Figures only: no timed assertion. */
static void test_frame(void)
{
    trace tr;
    HWND host = NULL, pane = NULL;
    IWICImagingFactory *wic = wic_factory();
    const tl_view *v;
    pixels px = {0};
    LARGE_INTEGER t;
    unsigned frames;
    size_t rows, limit;
    double ms;
    int i;

    trace_load(&tr, "all", 200000, 0);
    if (!tr.ok || !wic)
        goto cleanup;
    pane = make_pane(&host);
    CHECK(pane && tlw_set_trace(pane, tr.st, tr.sm, NULL, ETL_ZONE_UTC));
    if (!pane || !(v = tlw_view(pane)))
        goto cleanup;
    frames = tlw_frames(pane);
    QueryPerformanceCounter(&t);
    for (i = 0; i < 10; i++) {
        RedrawWindow(pane, NULL, NULL, RDW_INVALIDATE | RDW_UPDATENOW);
        pump();
    }
    ms = ms_since(t) / 10;
    CHECK_U64(tlw_frames(pane), frames + 10);
    rows = (size_t)(H - v->axis_h) / (size_t)(v->header_h < v->row_h ? v->header_h : v->row_h) + 2;
    limit = rows * 2 * W + rows + 2 * W + 2;
    printf("%lu events, %lu sockets: %lu primitives per frame (limit %lu), WM_PAINT %.2f ms per frame\n",
           (unsigned long)store_count(tr.st), (unsigned long)sock_model_count(tr.sm),
           (unsigned long)tlw_last_primitives(pane), (unsigned long)limit, ms);
    CHECK(tlw_last_primitives(pane) > 0 && tlw_last_primitives(pane) <= limit);
    QueryPerformanceCounter(&t);
    for (i = 0; i < 5; i++)
        if (render(pane, wic, &px) != 0)
            break;
    printf("WIC bitmap %.2f ms per frame\n", ms_since(t) / 5);
    /* the wheel scrolls rows: three per notch, and no further back than the top */
    SendMessageW(pane, WM_MOUSEWHEEL, MAKEWPARAM(0, (WORD)(-WHEEL_DELTA)), MAKELPARAM(W / 2, H / 2));
    CHECK_U64(v->scroll_y, 3 * v->row_h);
    SendMessageW(pane, WM_MOUSEWHEEL, MAKEWPARAM(0, 2 * WHEEL_DELTA), MAKELPARAM(W / 2, H / 2));
    CHECK_U64(v->scroll_y, 0);
    /* zoomed in 1000 times on the busiest part: still bounded */
    SendMessageW(pane, WM_MOUSEWHEEL, MAKEWPARAM(MK_CONTROL, 120), MAKELPARAM(W / 2, H / 2));
    for (i = 0; i < 30; i++)
        SendMessageW(pane, WM_MOUSEWHEEL, MAKEWPARAM(MK_CONTROL, 120), MAKELPARAM(W / 2, H / 2));
    RedrawWindow(pane, NULL, NULL, RDW_INVALIDATE | RDW_UPDATENOW);
    printf("zoomed to %.3f ms across: %lu primitives\n", (double)(v->t1 - v->t0) / 1e4,
           (unsigned long)tlw_last_primitives(pane));
    CHECK(tlw_last_primitives(pane) <= limit);
cleanup:
    free(px.p);
    if (host)
        DestroyWindow(host);
    if (wic)
        IWICImagingFactory_Release(wic);
    if (tr.ok)
        trace_free(&tr);
}

/* The pane's pixels as the screen has them (a DIB section BitBlt from the window's DC). */
static int grab(HWND pane, pixels *px)
{
    BITMAPINFO bi;
    HDC wdc = GetDC(pane), mem = CreateCompatibleDC(wdc);
    HBITMAP dib;
    BYTE *bits = NULL;
    int ok = -1;

    memset(&bi, 0, sizeof bi);
    bi.bmiHeader.biSize = sizeof bi.bmiHeader;
    bi.bmiHeader.biWidth = W;
    bi.bmiHeader.biHeight = -H;
    bi.bmiHeader.biPlanes = 1;
    bi.bmiHeader.biBitCount = 32;
    dib = CreateDIBSection(mem, &bi, DIB_RGB_COLORS, (void **)&bits, NULL, 0);
    if (dib && bits) {
        HGDIOBJ old = SelectObject(mem, dib);
        if (BitBlt(mem, 0, 0, W, H, wdc, 0, 0, SRCCOPY)) {
            GdiFlush();
            px->w = W;
            px->h = H;
            px->p = (BYTE *)malloc((size_t)W * H * 4);
            if (px->p) {
                memcpy(px->p, bits, (size_t)W * H * 4);
                ok = 0;
            }
        }
        SelectObject(mem, old);
        DeleteObject(dib);
    }
    DeleteDC(mem);
    ReleaseDC(pane, wdc);
    return ok;
}

static void test_screen(void)
{
    trace tr;
    HWND host = NULL, pane = NULL;
    pixels px = {0};
    const tl_view *v;
    unsigned frames;
    char hold[32];

    trace_load(&tr, "multi-process", 0, 0);
    if (!tr.ok)
        goto cleanup;
    pane = make_pane(&host);
    CHECK(pane && tlw_set_trace(pane, tr.st, tr.sm, NULL, ETL_ZONE_UTC));
    if (!pane || !(v = tlw_view(pane)))
        goto cleanup;
    tlw_set_selection(pane, tl_view_step(v, TL_NONE, 2), v->t0 + (v->t1 - v->t0) / 3);
    frames = tlw_frames(pane);
    RedrawWindow(pane, NULL, NULL, RDW_INVALIDATE | RDW_UPDATENOW);
    pump();
    CHECK(tlw_frames(pane) > frames);
    CHECK(grab(pane, &px) == 0);
    if (px.p) {
        printf("primitives: %lu\n", (unsigned long)tlw_last_primitives(pane));
        check_bars(&tr, pane, &px, 3);
        CHECK_U64(px_rgb(&px, 0, tl_socket_y(v, v->selected) + v->row_h - 1), 0xFFF1B8);
        CHECK_U64(px_rgb(&px, tl_col(v, v->cursor), H - 2), 0xE0007A);
    }
    if (GetEnvironmentVariableA("WSK_TL_HOLD_MS", hold, sizeof hold) > 0) {
        DWORD until = GetTickCount() + (DWORD)strtoul(hold, NULL, 10);
        while ((LONG)(until - GetTickCount()) > 0) {
            pump();
            Sleep(20);
        }
    }
cleanup:
    free(px.p);
    if (host)
        DestroyWindow(host);
    if (tr.ok)
        trace_free(&tr);
}

/* ---- in wskview.exe itself ---- */

static const char *g_wskview, *g_demo;

static HWND find_main(DWORD pid)
{
    HWND w = NULL;
    DWORD owner = 0;
    while ((w = FindWindowExW(NULL, w, MW_CLASS_NAME, NULL)) != NULL) {
        GetWindowThreadProcessId(w, &owner);
        if (owner == pid)
            return w;
    }
    return NULL;
}

/* A cell of a list view in another process (LVM_GETITEMTEXTW through a block allocated there). */
static void remote_cell(HANDLE proc, HWND list, int item, int sub, wchar_t *out, int cap)
{
    const SIZE_T text_at = 512;
    BYTE *base = (BYTE *)VirtualAllocEx(proc, NULL, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    LVITEMW it;
    SIZE_T done = 0;

    out[0] = 0;
    if (!base)
        return;
    memset(&it, 0, sizeof it);
    it.iSubItem = sub;
    it.pszText = (wchar_t *)(base + text_at);
    it.cchTextMax = cap < 256 ? cap : 256;
    if (WriteProcessMemory(proc, base, &it, sizeof it, &done) && done == sizeof it &&
        SendMessageW(list, LVM_GETITEMTEXTW, (WPARAM)item, (LPARAM)base) >= 0 &&
        ReadProcessMemory(proc, base + text_at, out, (SIZE_T)it.cchTextMax * sizeof(wchar_t), &done))
        out[it.cchTextMax - 1] = 0;
    else
        out[0] = 0;
    VirtualFreeEx(proc, base, 0, MEM_RELEASE);
}

/* A visible top-level window of class cls in process pid, waited for up to ms. */
static HWND wait_top_window(DWORD pid, const wchar_t *cls, int ms)
{
    for (int waited = 0; waited <= ms; waited += 100, Sleep(100)) {
        HWND w = NULL;
        DWORD owner = 0;
        while ((w = FindWindowExW(NULL, w, cls, NULL)) != NULL) {
            GetWindowThreadProcessId(w, &owner);
            if (owner == pid && IsWindowVisible(w))
                return w;
        }
    }
    return NULL;
}

/* The socket table's selected row names the socket: its local and remote addresses as the table writes them,
 * one row selected, and the event list not filtered to it (count unchanged). */
static void check_socket_table(HANDLE proc, HWND main_w, const trace *tr, uint32_t sock)
{
    HWND table = GetDlgItem(main_w, IDC_SOCKETS), list = GetDlgItem(main_w, IDC_EVENTLIST);
    const sock_info *so = sock_model_at(tr->sm, sock);
    wchar_t cell[256];
    char got[256], want[256];
    LRESULT pos = -1;

    for (int i = 0; i < 40 && pos < 0; i++, Sleep(50))
        pos = SendMessageW(table, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);
    CHECK(pos >= 0);
    CHECK_U64((uint64_t)SendMessageW(table, LVM_GETSELECTEDCOUNT, 0, 0), 1);
    if (pos < 0)
        return;
    remote_cell(proc, table, (int)pos, 2, cell, 256); /* STAB_COL_LOCAL */
    WideCharToMultiByte(CP_UTF8, 0, cell, -1, got, (int)sizeof got, NULL, NULL);
    afd_format_address(&so->local, want, sizeof want);
    CHECK_STR(got, want);
    printf("socket table row %ld: local %s", (long)pos, got);
    remote_cell(proc, table, (int)pos, 3, cell, 256); /* STAB_COL_REMOTE */
    WideCharToMultiByte(CP_UTF8, 0, cell, -1, got, (int)sizeof got, NULL, NULL);
    afd_format_address(&so->remote, want, sizeof want);
    CHECK_STR(got, want);
    printf(", remote %s\n", got);
    CHECK_U64((uint64_t)SendMessageW(list, LVM_GETITEMCOUNT, 0, 0), store_count(tr->st));
}

/* Reads the socket table's column col for every row ("a / b" cells: a + b) into out[0..n). 0 when read. */
static int socket_column_sums(HANDLE proc, HWND table, int col, uint64_t *out, size_t n)
{
    wchar_t cell[128];

    for (size_t pos = 0; pos < n; pos++) {
        unsigned long long a = 0, b = 0;
        remote_cell(proc, table, (int)pos, col, cell, 128);
        if (swscanf(cell, L"%llu / %llu", &a, &b) != 2)
            return -1;
        out[pos] = a + b;
    }
    return 0;
}

/* A click on the socket table's header item col (its rectangle read through a block in the viewer). */
static void click_socket_header(HANDLE proc, HWND table, int col)
{
    HWND header = (HWND)SendMessageW(table, LVM_GETHEADER, 0, 0);
    RECT *remote = (RECT *)VirtualAllocEx(proc, NULL, sizeof(RECT), MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    RECT rc;
    SIZE_T done = 0;
    int x, y;

    CHECK(header != NULL && remote != NULL);
    if (!header || !remote)
        goto cleanup;
    CHECK(SendMessageW(header, HDM_GETITEMRECT, (WPARAM)col, (LPARAM)remote) &&
          ReadProcessMemory(proc, remote, &rc, sizeof rc, &done) && done == sizeof rc);
    /* Wine's header takes clicks inside its window only: the table scrolls the item into view first */
    SendMessageW(table, LVM_SCROLL, (WPARAM)rc.left, 0);
    x = (rc.left + rc.right) / 2;
    y = (rc.top + rc.bottom) / 2;
    /* as the mouse does it: Wine's header takes the press where the pointer last moved */
    SendMessageW(header, WM_MOUSEMOVE, 0, MAKELPARAM(x, y));
    SendMessageW(header, WM_LBUTTONDOWN, MK_LBUTTON, MAKELPARAM(x, y));
    SendMessageW(header, WM_LBUTTONUP, 0, MAKELPARAM(x, y));
    SendMessageW(table, LVM_SCROLL, (WPARAM)-rc.left, 0);
cleanup:
    if (remote)
        VirtualFreeEx(proc, remote, 0, MEM_RELEASE);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The socket table's order, computed on a job thread and swapped in: failures first by default (failed and
 * aborted sockets, then those with an error, then the rest); a click on "Sends / Receives" sorts by sends plus
 * receives (the cells read in table order equal this process's socket model's sums sorted), a second click the
 * other way round. */
static void check_socket_sort(HANDLE proc, HWND main_w, const trace *tr)
{
    HWND table = GetDlgItem(main_w, IDC_SOCKETS);
    size_t n = sock_model_count(tr->sm), i;
    uint64_t *want = (uint64_t *)calloc(n ? n : 1, sizeof *want), *got = (uint64_t *)calloc(n ? n : 1, sizeof *got);
    int last_rank = 0, tries, pass;
    wchar_t outcome[32], error[64];

    CHECK(want && got && n > 1);
    CHECK_U64((uint64_t)SendMessageW(table, LVM_GETITEMCOUNT, 0, 0), n);
    if (!want || !got || n < 2)
        goto cleanup;
    for (i = 0; i < n; i++) {
        int rank;
        remote_cell(proc, table, (int)i, 5, outcome, 32); /* STAB_COL_OUTCOME */
        remote_cell(proc, table, (int)i, 6, error, 64);   /* STAB_COL_ERROR */
        rank = !wcscmp(outcome, L"failed") || !wcscmp(outcome, L"aborted") ? 0 : error[0] ? 1 : 2;
        CHECK(rank >= last_rank);
        last_rank = rank;
    }
    for (i = 0; i < n; i++)
        want[i] = sock_model_at(tr->sm, i)->sends + sock_model_at(tr->sm, i)->receives;
    qsort(want, n, sizeof *want, cmp_u64);
    for (pass = 0; pass < 2; pass++) {
        click_socket_header(proc, table, 9); /* STAB_COL_SENDS */
        /* the order arrives from a job: read until it is the expected one, or 5 s */
        for (tries = 0, i = 0; tries < 100 && i < n; tries++) {
            if (tries)
                Sleep(50);
            i = 0;
            if (socket_column_sums(proc, table, 9, got, n) == 0)
                while (i < n && got[i] == want[pass == 0 ? i : n - 1 - i])
                    i++;
        }
        printf("socket table sorted by sends + receives (%s): %lu of %lu rows as expected, %llu to %llu\n",
               pass == 0 ? "ascending" : "descending", (unsigned long)i, (unsigned long)n,
               (unsigned long long)got[0], (unsigned long long)got[n - 1]);
        CHECK_U64(i, n);
    }
cleanup:
    free(want);
    free(got);
}

/* File > Export Timeline as PNG through the Save dialog, read back (32bpp). 0 when written and read. */
static int export_menu_png(DWORD pid, HWND main_w, IWICImagingFactory *wic, pixels *png)
{
    wchar_t path[MAX_PATH], full[MAX_PATH];
    char upath[512];
    HWND dlg, name;
    int i, rc;

    snprintf(upath, sizeof upath, "%s/tlw-menu-export-%lu.png", check_tmp_dir(), (unsigned long)pid);
    MultiByteToWideChar(CP_UTF8, 0, upath, -1, path, MAX_PATH);
    GetFullPathNameW(path, MAX_PATH, full, NULL);
    DeleteFileW(full); /* no overwrite question */
    CHECK(PostMessageW(main_w, WM_COMMAND, MAKEWPARAM(IDM_FILE_EXPORT_TIMELINE, 0), 0));
    dlg = wait_top_window(pid, L"#32770", 15000);
    CHECK(dlg != NULL);
    if (!dlg)
        return -1;
    name = GetDlgItem(dlg, 0x47c); /* the file name box: cmb13 (Explorer style), else edt1 */
    if (!name)
        name = GetDlgItem(dlg, 0x480);
    CHECK(name != NULL);
    if (!name) {
        PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDCANCEL, BN_CLICKED), 0);
        return -1;
    }
    SendMessageW(name, WM_SETTEXT, 0, (LPARAM)full);
    PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDOK));
    for (i = 0; i < 100 && IsWindow(dlg); i++)
        Sleep(100);
    CHECK(!IsWindow(dlg));
    SendMessageW(main_w, WM_NULL, 0, 0); /* the command (written in it) has returned */
    free(png->p);
    memset(png, 0, sizeof *png);
    rc = png_read(wic, full, png);
    CHECK(rc == 0);
    DeleteFileW(full);
    return rc;
}

/* The pane says it is building its index (its window text, timeline.h). */
static int pane_building(HWND tlw)
{
    wchar_t text[64];

    return GetWindowTextW(tlw, text, 64) > 0 && wcscmp(text, TLW_BUILDING) == 0;
}

/* The demo again through File > Recent Files with the pane shown: the loader builds the index right after the
 * rows (no job: the pane never says it is building), and the pane draws the socket's bar at (x, y) again. */
static void check_reload_with_pane(DWORD pid, HWND main_w, HWND tlw, const trace *tr, int x, int y)
{
    IWICImagingFactory *wic = wic_factory();
    HWND list = GetDlgItem(main_w, IDC_EVENTLIST);
    pixels png = {0};
    int i, building = 0, drawn = 0;

    CHECK(wic != NULL && IsWindowVisible(tlw));
    if (!wic)
        goto cleanup;
    SendMessageW(main_w, WM_COMMAND, IDM_FILE_RECENT_FIRST, 0);
    for (i = 0; i < 400 && (uint64_t)SendMessageW(list, LVM_GETITEMCOUNT, 0, 0) != store_count(tr->st); i++) {
        Sleep(25);
        building += pane_building(tlw);
    }
    CHECK_U64((uint64_t)SendMessageW(list, LVM_GETITEMCOUNT, 0, 0), store_count(tr->st));
    /* the index comes with the end of the load, a message or two after the last rows */
    for (i = 0; i < 5 && !drawn; i++) {
        if (export_menu_png(pid, main_w, wic, &png) != 0)
            goto cleanup;
        drawn = is_phase_rgb(px_rgb(&png, x, y));
        building += pane_building(tlw);
    }
    printf("reloaded with the pane shown: bar colour %06X at (%d, %d) after %d export(s), building seen %d times\n",
           (unsigned)px_rgb(&png, x, y), x, y, i, building);
    CHECK(drawn);
    CHECK_U64(building, 0);
cleanup:
    free(png.p);
    if (wic)
        IWICImagingFactory_Release(wic);
}

/* The exported PNG holds what the pane shows: the pane's size, the clicked bar's colour where a render of the
 * same view has it, the selection highlight left of the bar, the axis line. */
static void check_export_menu(DWORD pid, HWND main_w, HWND tlw, HWND pane, int x, int y)
{
    IWICImagingFactory *wic = wic_factory();
    pixels png = {0}, want = {0};
    RECT rc;
    int x0;

    CHECK(wic != NULL && GetClientRect(tlw, &rc));
    if (!wic || export_menu_png(pid, main_w, wic, &png) != 0)
        goto cleanup;
    CHECK_U64(png.w, (uint64_t)rc.right);
    CHECK_U64(png.h, (uint64_t)rc.bottom);
    if (render(pane, wic, &want) != 0)
        goto cleanup;
    CHECK(is_phase_rgb(px_rgb(&png, x, y)));
    CHECK_U64(px_rgb(&png, x, y), px_rgb(&want, x, y));
    CHECK_U64(px_rgb(&png, 1, tlw_view(pane)->axis_h - 1), 0x606060);
    for (x0 = x; x0 > 0 && is_phase_rgb(px_rgb(&png, x0 - 1, y)); x0--)
        ;
    if (x0 > 0)
        CHECK_U64(px_rgb(&png, x0 - 1, y), 0xFFF1B8); /* left of the bar: the selected row's highlight */
    printf("exported %ux%u, bar colour %06X at (%d, %d), bar from column %d\n", png.w, png.h,
           (unsigned)px_rgb(&png, x, y), x, y, x0);
cleanup:
    free(png.p);
    free(want.p);
    if (wic)
        IWICImagingFactory_Release(wic);
}

/* The last pixel row of the exported timeline holding a bar (a phase colour), below the axis band (axis_h - 1
 * when none): the cursor line and gap markers run the full height, bars stop at the last socket row. */
static int last_drawn_row(const pixels *png, int axis_h)
{
    for (int y = (int)png->h - 1; y >= axis_h; y--)
        for (int x = 0; x < (int)png->w; x++)
            if (is_phase_rgb(px_rgb(png, x, y)))
                return y;
    return axis_h - 1;
}

/* The list's filter reaches the timeline in wskview (built on the filter job, applied when it is done): with
 * `socket.pid == P` the exported timeline ends after P's group, a header and its sockets' rows. */
static void check_filter_reaches_timeline(DWORD pid, HWND main_w, const trace *tr, HWND pane, uint32_t sock)
{
    IWICImagingFactory *wic = wic_factory();
    HWND list = GetDlgItem(main_w, IDC_EVENTLIST), combo = GetDlgItem(main_w, IDC_FILTER);
    HWND edit = FindWindowExW(combo, NULL, L"Edit", NULL);
    uint32_t owner = sock_model_at(tr->sm, sock)->pid;
    const tl_view *v = tlw_view(pane);
    pixels png = {0};
    wchar_t text[64];
    uint64_t want_rows = 0, mine = 0;
    int before, after, height, i;

    CHECK(wic != NULL && edit != NULL && v != NULL);
    if (!wic || !edit || !v || export_menu_png(pid, main_w, wic, &png) != 0)
        goto cleanup;
    before = last_drawn_row(&png, v->axis_h) - v->axis_h;
    for (size_t s = 0; s < sock_model_count(tr->sm); s++)
        mine += sock_model_at(tr->sm, s)->pid == owner;
    for (uint64_t r = 0; r < store_count(tr->st); r++) {
        uint32_t s = store_row_at(tr->st, r)->socket;
        want_rows += s < sock_model_count(tr->sm) && sock_model_at(tr->sm, s)->pid == owner;
    }
    _snwprintf(text, 64, L"socket.pid == %lu", (unsigned long)owner);
    text[63] = 0;
    SendMessageW(edit, WM_SETTEXT, 0, (LPARAM)text);
    PostMessageW(main_w, WM_COMMAND, MAKEWPARAM(IDM_FILTER_APPLY, 0), 0);
    for (i = 0; i < 200 && (uint64_t)SendMessageW(list, LVM_GETITEMCOUNT, 0, 0) != want_rows; i++)
        Sleep(50);
    CHECK_U64((uint64_t)SendMessageW(list, LVM_GETITEMCOUNT, 0, 0), want_rows);
    if (export_menu_png(pid, main_w, wic, &png) != 0)
        goto cleanup;
    after = last_drawn_row(&png, v->axis_h) - v->axis_h;
    height = v->header_h + (int)mine * v->row_h; /* P's header and rows */
    printf("timeline drawn down to %d px below the axis before the filter, %d with %ls (%lu sockets: %d px)\n",
           before, after, text, (unsigned long)mine, height);
    CHECK(mine > 0 && (int)png.h - v->axis_h > height + v->row_h);
    CHECK(before >= height + v->row_h / 2); /* more rows than P's */
    CHECK(after < height && after >= height - v->row_h / 2); /* P's last row, and nothing under it */
    PostMessageW(main_w, WM_COMMAND, MAKEWPARAM(IDM_FILTER_CLEAR, 0), 0);
    for (i = 0; i < 200 && (uint64_t)SendMessageW(list, LVM_GETITEMCOUNT, 0, 0) != store_count(tr->st); i++)
        Sleep(50);
cleanup:
    free(png.p);
    if (wic)
        IWICImagingFactory_Release(wic);
}

/* wskview.exe with the demo trace: View > Timeline shows the pane (class WskTimeline in the timeline's place);
 * a click on a socket's bar selects that socket's event in the event list (the event a pane of the same size
 * in this process reports for the same click) and shows the socket in the detail pane. */
static void test_wskview(void)
{
    trace tr;
    HWND host = NULL, pane = NULL, main_w = NULL, tlw, list, detail;
    PROCESS_INFORMATION pi;
    STARTUPINFOW si;
    wchar_t cmd[1200], cls[32], text[4096];
    char want[64], got[4096];
    RECT rc;
    const tl_view *v;
    uint32_t sock;
    int i, x, y;
    LRESULT sel = -1;
    uint64_t expect_row;
    BOOL shown_before = FALSE;

    memset(&tr, 0, sizeof tr);
    memset(&pi, 0, sizeof pi);
    if (!g_wskview || !g_demo) {
        fprintf(stderr, "usage: test_timeline wskview WSKVIEW.EXE DEMO.ETL\n");
        check_failures++;
        return;
    }
    if (trace_open(&tr, g_demo) != 0)
        goto cleanup;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    _snwprintf(cmd, 1200, L"\"%hs\" \"%hs\"", g_wskview, g_demo);
    cmd[1199] = 0;
    CHECK(CreateProcessW(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    if (!pi.hProcess)
        goto cleanup;
    WaitForInputIdle(pi.hProcess, 20000);
    for (i = 0; i < 400 && !main_w; i++, Sleep(50))
        main_w = find_main(pi.dwProcessId);
    CHECK(main_w != NULL);
    if (!main_w)
        goto cleanup;
    list = GetDlgItem(main_w, IDC_EVENTLIST);
    detail = GetDlgItem(main_w, IDC_DETAIL_TEXT);
    for (i = 0; i < 400 && (uint64_t)SendMessageW(list, LVM_GETITEMCOUNT, 0, 0) != store_count(tr.st); i++)
        Sleep(50);
    CHECK_U64((uint64_t)SendMessageW(list, LVM_GETITEMCOUNT, 0, 0), store_count(tr.st));
    Sleep(500); /* the socket model arrives with "loaded" (TRC_MSG_DONE), just after the last rows */
    /* View > Timeline, unless the settings kept it shown (put back as it was at the end: the settings are
     * the Wine prefix's, shared with the other GUI tests) */
    tlw = GetDlgItem(main_w, IDC_TIMELINE);
    shown_before = tlw && IsWindowVisible(tlw);
    if (!shown_before)
        SendMessageW(main_w, WM_COMMAND, IDM_VIEW_TIMELINE, 0);
    CHECK(tlw && IsWindowVisible(tlw));
    CHECK(GetClassNameW(tlw, cls, 32) && wcscmp(cls, TLW_CLASS) == 0);
    /* Hidden during the load, the pane had no index: showing it starts a job that builds one; the pane's
     * window text says so until the index arrives (the bars drawn below are from it). */
    for (i = 0; i < 200 && tlw && pane_building(tlw); i++)
        Sleep(50);
    printf("timeline index after %d ms%s\n", i * 50, shown_before ? " (shown during the load)" : "");
    CHECK(tlw && !pane_building(tlw));
    if (!tlw || !GetClientRect(tlw, &rc))
        goto cleanup;
    /* the same pane here, at the same size: where the first socket's bar is, and what a click there reports */
    pane = make_pane(&host);
    if (!pane)
        goto cleanup;
    SetWindowPos(pane, NULL, 0, 0, rc.right, rc.bottom, SWP_NOZORDER);
    CHECK(tlw_set_trace(pane, tr.st, tr.sm, NULL, ETL_ZONE_UTC));
    if (!(v = tlw_view(pane)))
        goto cleanup;
    CHECK(v->width == rc.right && v->height == rc.bottom);
    sock = tl_view_step(v, TL_NONE, 1);
    CHECK(sock != TL_NONE);
    if (sock == TL_NONE)
        goto cleanup;
    {
        const sock_info *so = sock_model_at(tr.sm, sock);
        uint64_t end = so->closed ? so->closed : tl_last_time(v->model);
        int32_t x0 = tl_col(v, so->created), x1 = tl_col(v, end);
        x = (x0 < 0 ? 0 : x0) + ((x1 >= v->width ? v->width - 1 : x1) - (x0 < 0 ? 0 : x0)) / 2;
        y = tl_socket_y(v, sock) + v->row_h / 4;
        snprintf(want, sizeof want, "Socket 0x%llx", (unsigned long long)so->endpoint);
    }
    g_notifications = 0;
    SendMessageW(pane, WM_LBUTTONDOWN, MK_LBUTTON, MAKELPARAM(x, y));
    SendMessageW(pane, WM_LBUTTONUP, 0, MAKELPARAM(x, y));
    CHECK_U64(g_notifications, 1);
    CHECK_U64(g_notified_socket, sock);
    /* the event to select: the tick's under the pointer, else the socket's first */
    expect_row = g_notified_row != UINT64_MAX ? g_notified_row : sock_model_at(tr.sm, sock)->first_row;
    /* in wskview */
    PostMessageW(tlw, WM_LBUTTONDOWN, MK_LBUTTON, MAKELPARAM(x, y));
    PostMessageW(tlw, WM_LBUTTONUP, 0, MAKELPARAM(x, y));
    for (i = 0; i < 100; i++, Sleep(50)) {
        sel = SendMessageW(list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);
        if (sel >= 0)
            break;
    }
    printf("clicked (%d, %d): socket %lu, list selection %ld\n", x, y, (unsigned long)sock, (long)sel);
    CHECK(sel >= 0 && (uint64_t)sel < store_count(tr.st));
    CHECK_U64((uint64_t)sel, expect_row); /* the plain view: list position = store row */
    if (sel >= 0 && (uint64_t)sel < store_count(tr.st))
        CHECK_U64(store_row_at(tr.st, (uint64_t)sel)->socket, sock);
    text[0] = 0;
    SendMessageW(detail, WM_GETTEXT, 4096, (LPARAM)text);
    WideCharToMultiByte(CP_UTF8, 0, text, -1, got, (int)sizeof got, NULL, NULL);
    if (!strstr(got, want)) {
        fprintf(stderr, "the detail pane does not show \"%s\": %.200s\n", want, got);
        check_failures++;
    }
    check_socket_table(pi.hProcess, main_w, &tr, sock);
    check_export_menu(pi.dwProcessId, main_w, tlw, pane, x, y);
    check_filter_reaches_timeline(pi.dwProcessId, main_w, &tr, pane, sock);
    check_socket_sort(pi.hProcess, main_w, &tr);
    check_reload_with_pane(pi.dwProcessId, main_w, tlw, &tr, x, y);
cleanup:
    if (main_w) {
        if (!shown_before && IsWindowVisible(GetDlgItem(main_w, IDC_TIMELINE)))
            SendMessageW(main_w, WM_COMMAND, IDM_VIEW_TIMELINE, 0);
        PostMessageW(main_w, WM_CLOSE, 0, 0);
        CHECK(WaitForSingleObject(pi.hProcess, 20000) == WAIT_OBJECT_0);
    }
    if (pi.hProcess) {
        if (WaitForSingleObject(pi.hProcess, 0) != WAIT_OBJECT_0)
            TerminateProcess(pi.hProcess, 1);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
    }
    if (host)
        DestroyWindow(host);
    if (tr.ok)
        trace_free(&tr);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    if (FAILED(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED))) {
        fprintf(stderr, "CoInitializeEx failed\n");
        return 1;
    }
    dpi_init();
    {
        static const check_case cases[] = {
            {"d2d", test_d2d}, {"render", test_render}, {"export", test_export}, {"input", test_input},
            {"screen", test_screen}, {"filter", test_filter},
            {"frame", test_frame}, {"wskview", test_wskview},
            {"gaps", test_gaps}};
        if (argc > 3) {
            g_wskview = argv[2];
            g_demo = argv[3];
            if (GetFileAttributesA(g_wskview) == INVALID_FILE_ATTRIBUTES ||
                GetFileAttributesA(g_demo) == INVALID_FILE_ATTRIBUTES) {
                printf("skip: %s or %s is missing (the cross build makes both)\n", g_wskview, g_demo);
                CoUninitialize();
                return 77;
            }
        }
        for (size_t i = 0; i < CHECK_COUNT(cases); i++)
            if (strcmp(mode, cases[i].name) == 0) {
                int rc = check_run(&cases[i], 1);
                CoUninitialize();
                return rc;
            }
    }
    fprintf(stderr, "usage: test_timeline d2d|render|export|input|screen|filter|frame|gaps|wskview\n");
    CoUninitialize();
    return 2;
}
