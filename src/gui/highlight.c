/*
 * highlight.c - highlight rules and their colours (see highlight.h).
 */
#if defined(_MSC_VER) && !defined(_CRT_SECURE_NO_WARNINGS)
#define _CRT_SECURE_NO_WARNINGS /* _snwprintf: its length is checked here */
#endif
#include "highlight.h"

#include <stdio.h>
#include <string.h>

#include "resource.h"
#include "settings.h"

#define HL_SECTION L"highlight"

struct hl_colour {
    const wchar_t *name;
    COLORREF rgb;
};

/* Light enough for black text; none is the lost-events orange of eventlist.c. */
static const struct hl_colour hl_palette[] = {
    { L"Yellow", RGB(255, 245, 150) }, { L"Green", RGB(190, 240, 190) }, { L"Blue", RGB(190, 215, 255) },
    { L"Pink", RGB(255, 200, 220) },   { L"Purple", RGB(220, 200, 255) }, { L"Cyan", RGB(180, 240, 240) },
    { L"Grey", RGB(215, 215, 215) },   { L"Red", RGB(255, 170, 170) },
};
#define HL_COLOURS ((int)(sizeof hl_palette / sizeof hl_palette[0]))

int hl_colour_count(void)
{
    return HL_COLOURS;
}

const wchar_t *hl_colour_name(int colour)
{
    return colour >= 0 && colour < HL_COLOURS ? hl_palette[colour].name : L"";
}

COLORREF hl_colour_rgb(int colour)
{
    return colour >= 0 && colour < HL_COLOURS ? hl_palette[colour].rgb : RGB(255, 255, 255);
}

static void hl_changed(hl_state *h)
{
    /* 0 marks an empty memo entry, so the generation skips it when it wraps. */
    if (++h->generation == 0)
        h->generation = 1;
}

BOOL hl_add(hl_state *h, const char *text, int colour, char *err, size_t cap)
{
    filt *f = NULL;
    filt_error fe;
    hl_rule *r;

    if (h->count >= HL_MAX_RULES) {
        snprintf(err, cap, "There are %d rules already", HL_MAX_RULES);
        return FALSE;
    }
    if (!text[0] || strlen(text) >= HL_TEXT_CAP) {
        snprintf(err, cap, text[0] ? "The rule is too long" : "Type a filter expression");
        return FALSE;
    }
    if (filt_compile(text, &f, &fe) != 0) {
        snprintf(err, cap, "Column %u: %s", (unsigned)fe.column, fe.message);
        return FALSE;
    }
    r = &h->rules[h->count];
    snprintf(r->text, sizeof r->text, "%s", text);
    r->colour = colour >= 0 && colour < HL_COLOURS ? colour : h->count % HL_COLOURS;
    r->f = f;
    h->count++;
    hl_changed(h);
    return TRUE;
}

void hl_remove(hl_state *h, int index)
{
    if (index < 0 || index >= h->count)
        return;
    filt_free(h->rules[index].f);
    memmove(&h->rules[index], &h->rules[index + 1], (size_t)(h->count - index - 1) * sizeof h->rules[0]);
    h->count--;
    hl_changed(h);
}

void hl_set_colour(hl_state *h, int index, int colour)
{
    if (index < 0 || index >= h->count || colour < 0 || colour >= HL_COLOURS)
        return;
    h->rules[index].colour = colour;
    hl_changed(h); /* the memo keeps rule indexes, not colours, but the list must repaint anyway */
}

void hl_free(hl_state *h)
{
    while (h->count > 0)
        hl_remove(h, h->count - 1);
}

void hl_load(hl_state *h)
{
    int i;

    hl_free(h);
    hl_changed(h);
    for (i = 0; i < HL_MAX_RULES; i++) {
        wchar_t key[16], wtext[HL_TEXT_CAP], wcolour[32];
        char text[HL_TEXT_CAP * 3], err[160];
        int colour = -1, c;
        _snwprintf(key, 16, L"Rule%d", i + 1);
        key[15] = L'\0';
        if (!set_get_text(HL_SECTION, key, wtext, HL_TEXT_CAP))
            break;
        _snwprintf(key, 16, L"Colour%d", i + 1);
        key[15] = L'\0';
        if (set_get_text(HL_SECTION, key, wcolour, 32))
            for (c = 0; c < HL_COLOURS; c++)
                if (lstrcmpiW(wcolour, hl_palette[c].name) == 0)
                    colour = c;
        if (WideCharToMultiByte(CP_UTF8, 0, wtext, -1, text, (int)sizeof text, NULL, NULL))
            hl_add(h, text, colour, err, sizeof err); /* a rule that no longer compiles is dropped */
    }
}

BOOL hl_save(const hl_state *h)
{
    BOOL ok = TRUE;
    int i;

    for (i = 0; i < HL_MAX_RULES; i++) {
        wchar_t key[16], ckey[16], wtext[HL_TEXT_CAP];
        _snwprintf(key, 16, L"Rule%d", i + 1);
        key[15] = L'\0';
        _snwprintf(ckey, 16, L"Colour%d", i + 1);
        ckey[15] = L'\0';
        if (i >= h->count) {
            ok = set_put_text(HL_SECTION, key, NULL) && set_put_text(HL_SECTION, ckey, NULL) && ok;
            continue;
        }
        if (!MultiByteToWideChar(CP_UTF8, 0, h->rules[i].text, -1, wtext, HL_TEXT_CAP))
            wtext[0] = L'\0';
        wtext[HL_TEXT_CAP - 1] = L'\0';
        ok = set_put_text(HL_SECTION, key, wtext) &&
             set_put_text(HL_SECTION, ckey, hl_palette[h->rules[i].colour].name) && ok;
    }
    return ok;
}

int hl_rule_for(hl_state *h, trc_trace *t, uint64_t row)
{
    hl_memo *m;
    int i;

    if (!h->count || !t || !t->done || t->failed || row > UINT32_MAX)
        return -1;
    if (t != h->trace || t->serial != h->trace_serial) {
        h->trace = t;
        h->trace_serial = t->serial;
        hl_changed(h);
    }
    m = &h->memo[row % HL_MEMO];
    if (m->generation == h->generation && m->row == (uint32_t)row)
        return m->rule;
    h->evaluated++;
    m->row = (uint32_t)row;
    m->generation = h->generation;
    m->rule = -1;
    for (i = 0; i < h->count; i++)
        if (filt_match_event(h->rules[i].f, &t->ctx, row)) {
            m->rule = i;
            break;
        }
    return m->rule;
}

LRESULT hl_custom_draw(hl_state *h, evl_model *m, NMLVCUSTOMDRAW *cd, LRESULT evl_result)
{
    uint64_t pos = (uint64_t)cd->nmcd.dwItemSpec;
    int rule;

    if (cd->nmcd.dwDrawStage == CDDS_PREPAINT)
        return evl_result | CDRF_NOTIFYITEMDRAW;
    if (cd->nmcd.dwDrawStage != CDDS_ITEMPREPAINT || (evl_result & CDRF_NEWFONT) || !m->trace || pos >= m->count)
        return evl_result;
    rule = hl_rule_for(h, m->trace, evl_row_at(m, pos));
    if (rule < 0)
        return evl_result;
    cd->clrText = RGB(0, 0, 0);
    cd->clrTextBk = hl_palette[h->rules[rule].colour].rgb;
    return evl_result | CDRF_NEWFONT;
}

/* ---- Edit > Highlighting... ---------------------------------------------------------------------- */

static void hl_dlg_fill(HWND dlg, const hl_state *h, int select)
{
    HWND lv = GetDlgItem(dlg, IDC_HL_LIST);
    int i;

    ListView_DeleteAllItems(lv);
    for (i = 0; i < h->count; i++) {
        LVITEMW it;
        wchar_t text[HL_TEXT_CAP];
        if (!MultiByteToWideChar(CP_UTF8, 0, h->rules[i].text, -1, text, HL_TEXT_CAP))
            text[0] = L'\0';
        text[HL_TEXT_CAP - 1] = L'\0';
        ZeroMemory(&it, sizeof it);
        it.mask = LVIF_TEXT;
        it.iItem = i;
        it.pszText = (wchar_t *)hl_colour_name(h->rules[i].colour);
        if (ListView_InsertItem(lv, &it) >= 0)
            ListView_SetItemText(lv, i, 1, text);
    }
    if (select >= 0 && select < h->count)
        ListView_SetItemState(lv, select, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
}

static void hl_dlg_error(HWND dlg, const char *utf8)
{
    wchar_t text[200];

    if (!MultiByteToWideChar(CP_UTF8, 0, utf8, -1, text, 200))
        text[0] = L'\0';
    text[199] = L'\0';
    SetDlgItemTextW(dlg, IDC_HL_ERROR, text);
}

typedef struct hl_dlg {
    hl_state *h;
    BOOL changed;
} hl_dlg;

static INT_PTR CALLBACK hl_dlg_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    hl_dlg *d = (hl_dlg *)GetWindowLongPtrW(dlg, DWLP_USER);
    HWND lv = GetDlgItem(dlg, IDC_HL_LIST);
    int sel = ListView_GetNextItem(lv, -1, LVNI_SELECTED);

    switch (msg) {
    case WM_INITDIALOG: {
        LVCOLUMNW lc;
        RECT rc;
        int c;
        SetWindowLongPtrW(dlg, DWLP_USER, lp);
        d = (hl_dlg *)lp;
        ListView_SetExtendedListViewStyle(lv, LVS_EX_FULLROWSELECT);
        GetClientRect(lv, &rc);
        ZeroMemory(&lc, sizeof lc);
        lc.mask = LVCF_TEXT | LVCF_WIDTH;
        lc.cx = rc.right / 5;
        lc.pszText = L"Colour";
        ListView_InsertColumn(lv, 0, &lc);
        lc.cx = rc.right - rc.right / 5 - GetSystemMetrics(SM_CXVSCROLL);
        lc.pszText = L"Filter";
        ListView_InsertColumn(lv, 1, &lc);
        for (c = 0; c < HL_COLOURS; c++)
            SendDlgItemMessageW(dlg, IDC_HL_COLOUR, CB_ADDSTRING, 0, (LPARAM)hl_palette[c].name);
        SendDlgItemMessageW(dlg, IDC_HL_COLOUR, CB_SETCURSEL, (WPARAM)(d->h->count % HL_COLOURS), 0);
        hl_dlg_fill(dlg, d->h, 0);
        return TRUE;
    }
    case WM_NOTIFY: {
        const NMLISTVIEW *nm = (const NMLISTVIEW *)lp;
        if (nm->hdr.idFrom == IDC_HL_LIST && nm->hdr.code == LVN_ITEMCHANGED && (nm->uNewState & LVIS_SELECTED)
            && nm->iItem >= 0 && nm->iItem < d->h->count)
            SendDlgItemMessageW(dlg, IDC_HL_COLOUR, CB_SETCURSEL, (WPARAM)d->h->rules[nm->iItem].colour, 0);
        return FALSE;
    }
    case WM_COMMAND:
        switch (LOWORD(wp)) {
        case IDC_HL_ADD: {
            wchar_t wtext[HL_TEXT_CAP];
            char text[HL_TEXT_CAP * 3], err[200];
            int colour = (int)SendDlgItemMessageW(dlg, IDC_HL_COLOUR, CB_GETCURSEL, 0, 0);
            GetDlgItemTextW(dlg, IDC_HL_TEXT, wtext, HL_TEXT_CAP);
            if (!WideCharToMultiByte(CP_UTF8, 0, wtext, -1, text, (int)sizeof text, NULL, NULL))
                text[0] = '\0';
            if (!hl_add(d->h, text, colour, err, sizeof err)) {
                hl_dlg_error(dlg, err);
                return TRUE;
            }
            hl_dlg_error(dlg, "");
            SetDlgItemTextW(dlg, IDC_HL_TEXT, L"");
            SendDlgItemMessageW(dlg, IDC_HL_COLOUR, CB_SETCURSEL, (WPARAM)(d->h->count % HL_COLOURS), 0);
            hl_dlg_fill(dlg, d->h, d->h->count - 1);
            d->changed = TRUE;
            return TRUE;
        }
        case IDC_HL_REMOVE:
            if (sel >= 0) {
                hl_remove(d->h, sel);
                hl_dlg_fill(dlg, d->h, sel < d->h->count ? sel : d->h->count - 1);
                d->changed = TRUE;
            }
            return TRUE;
        case IDC_HL_RECOLOUR:
            if (sel >= 0) {
                hl_set_colour(d->h, sel, (int)SendDlgItemMessageW(dlg, IDC_HL_COLOUR, CB_GETCURSEL, 0, 0));
                hl_dlg_fill(dlg, d->h, sel);
                d->changed = TRUE;
            }
            return TRUE;
        case IDOK:
        case IDCANCEL:
            EndDialog(dlg, IDOK);
            return TRUE;
        default:
            break;
        }
        break;
    default:
        break;
    }
    return FALSE;
}

BOOL hl_dialog(HWND owner, hl_state *h)
{
    hl_dlg d;

    d.h = h;
    d.changed = FALSE;
    DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_HIGHLIGHT), owner, hl_dlg_proc, (LPARAM)&d);
    return d.changed;
}
