/*
 * etl_time.c - session clock -> FILETIME (integer math, no overflow), time
 * text in UTC / the trace machine's zone (TIME_ZONE_INFORMATION rules) / the
 * viewer's zone, GUID text, and the names of kinds and status codes.
 */
#include "etl_internal.h"

#include <stdio.h>

#define ETL_FT_PER_SEC 10000000ull
#define ETL_FT_PER_MIN (60ull * ETL_FT_PER_SEC)
#define ETL_FT_PER_DAY (86400ull * ETL_FT_PER_SEC)
/* Days from 1601-01-01 (FILETIME epoch) to 1970-01-01. */
#define ETL_DAYS_1601_TO_1970 134774

void etl_timecvt_init(etl_timecvt *c, const etl_header *h)
{
    c->start = h->start_time;
    c->ref = h->ref_raw;
    c->num = 1;
    c->den = 1;
    if (h->clock_type == 3 && h->cpu_speed_mhz) {
        c->num = 10; /* 100 ns units per cycle = 10 / MHz */
        c->den = h->cpu_speed_mhz;
    } else if (h->clock_type != 2 && h->perf_freq) {
        c->num = ETL_FT_PER_SEC;
        c->den = h->perf_freq;
    }
    c->mul = (c->num % c->den == 0) ? c->num / c->den : 0;
}

/* a * num / den for a < 2^64 without overflow where the result fits; saturates otherwise. */
static uint64_t etl_muldiv(uint64_t a, uint64_t num, uint64_t den)
{
    uint64_t q = a / den, r = a % den, hi, lo, rem;
    int i;
    if (num && q > UINT64_MAX / num)
        return UINT64_MAX;
    hi = q * num;
    /* r * num / den with r < den: 128-bit product by halves, then long division. */
    {
        uint64_t rl = r & 0xFFFFFFFFu, rh = r >> 32, nl = num & 0xFFFFFFFFu, nh = num >> 32;
        uint64_t ll = rl * nl, lh = rl * nh, hl = rh * nl, hh = rh * nh;
        uint64_t mid = (ll >> 32) + (lh & 0xFFFFFFFFu) + (hl & 0xFFFFFFFFu);
        uint64_t phi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
        uint64_t plo = (mid << 32) | (ll & 0xFFFFFFFFu);
        if (phi == 0) {
            lo = plo / den;
        } else {
            /* The quotient fits in 64 bits because r < den. */
            rem = 0;
            lo = 0;
            for (i = 127; i >= 0; i--) {
                uint64_t bit = i >= 64 ? (phi >> (i - 64)) & 1 : (plo >> i) & 1;
                int carry = (rem >> 63) != 0;
                rem = rem << 1 | bit;
                if (carry || rem >= den) {
                    rem -= den;
                    if (i < 64)
                        lo |= 1ull << i;
                }
            }
        }
    }
    return hi > UINT64_MAX - lo ? UINT64_MAX : hi + lo;
}

uint64_t etl_timecvt_apply(const etl_timecvt *c, int64_t raw)
{
    uint64_t mag, d;
    int neg = raw < c->ref;
    mag = neg ? (uint64_t)c->ref - (uint64_t)raw : (uint64_t)raw - (uint64_t)c->ref;
    if (c->mul)
        d = (mag > UINT64_MAX / c->mul) ? UINT64_MAX : mag * c->mul;
    else
        d = etl_muldiv(mag, c->num, c->den);
    if (neg)
        return d > c->start ? 0 : c->start - d;
    return d > UINT64_MAX - c->start ? UINT64_MAX : c->start + d;
}

uint64_t etl_raw_to_filetime(const etl_header *h, int64_t raw)
{
    etl_timecvt c;
    etl_timecvt_init(&c, h);
    return etl_timecvt_apply(&c, raw);
}

/* ---- calendar ----------------------------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (era arithmetic, valid for any year >= 0). */
static int64_t etl_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* March-based month */
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void etl_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era;
    unsigned doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    *y = (int64_t)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y += *m <= 2;
}

static unsigned etl_days_in_month(int64_t y, unsigned m)
{
    static const unsigned char dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28u + (unsigned)leap : dm[m - 1];
}

/* Years whose FILETIMEs fit comfortably in an int64_t (SYSTEMTIME stops at 30827). */
#define ETL_MIN_YEAR 1601
#define ETL_MAX_YEAR 30000
/* Offsets and biases beyond a day are garbage: the header is not to be trusted that far. */
#define ETL_MAX_BIAS 1440

/* FILETIME (signed 100 ns since 1601) of a local SYSTEMTIME-style transition in year y:
 * year == 0 means "the day_of_week's day-th occurrence in month (5 = last)". 0 when the
 * SYSTEMTIME is not a valid transition. */
static int etl_transition(const etl_systemtime *st, int64_t y, int64_t *out)
{
    unsigned day;
    int64_t days;
    if (st->month < 1 || st->month > 12 || st->hour > 23 || st->minute > 59 || st->second > 59 ||
        st->milliseconds > 999)
        return 0;
    if (st->year != 0) {
        y = st->year;
        day = st->day;
    } else {
        int64_t first;
        unsigned wd_first, nth;
        if (st->day_of_week > 6)
            return 0;
        first = etl_days_from_civil(y, st->month, 1);
        /* 1970-01-01 was a Thursday (4). */
        wd_first = (unsigned)(((first % 7) + 7 + 4) % 7);
        nth = st->day < 1 ? 1 : (st->day > 5 ? 5 : st->day);
        day = 1 + (st->day_of_week + 7 - wd_first) % 7 + 7 * (nth - 1);
        while (day > etl_days_in_month(y, st->month))
            day -= 7;
    }
    if (y < ETL_MIN_YEAR || y > ETL_MAX_YEAR || day < 1 || day > etl_days_in_month(y, st->month))
        return 0;
    days = etl_days_from_civil(y, st->month, day) + ETL_DAYS_1601_TO_1970;
    *out = days * (int64_t)ETL_FT_PER_DAY +
           ((int64_t)st->hour * 3600 + (int64_t)st->minute * 60 + st->second) * (int64_t)ETL_FT_PER_SEC +
           (int64_t)st->milliseconds * 10000;
    return 1;
}

static int32_t etl_trace_offset(const etl_timezone *tz, uint64_t ft)
{
    int64_t t = (int64_t)(ft > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : ft);
    int64_t bias = tz->bias, sbias = tz->standard_bias, dbias = tz->daylight_bias;
    int64_t y, start = 0, end = 0;
    unsigned m, d;
    int in_dst;

    if (bias < -ETL_MAX_BIAS || bias > ETL_MAX_BIAS || sbias < -ETL_MAX_BIAS || sbias > ETL_MAX_BIAS ||
        dbias < -ETL_MAX_BIAS || dbias > ETL_MAX_BIAS)
        return 0;
    if (tz->standard_date.month == 0 || tz->daylight_date.month == 0)
        return (int32_t)-(bias + sbias);
    etl_civil_from_days((t / (int64_t)ETL_FT_PER_DAY) - ETL_DAYS_1601_TO_1970, &y, &m, &d);
    /* Transition dates are local wall-clock times: DST starts at daylight_date in standard time
     * and ends at standard_date in daylight time. */
    if (!etl_transition(&tz->daylight_date, y, &start) || !etl_transition(&tz->standard_date, y, &end))
        return (int32_t)-(bias + sbias);
    start += (bias + sbias) * (int64_t)ETL_FT_PER_MIN;
    end += (bias + dbias) * (int64_t)ETL_FT_PER_MIN;
    if (start < end)
        in_dst = t >= start && t < end;
    else
        in_dst = t >= start || t < end; /* southern hemisphere: DST spans the new year */
    return (int32_t)-(bias + (in_dst ? dbias : sbias));
}

int32_t etl_zone_offset_minutes(const etl_header *h, etl_zone zone, uint64_t filetime)
{
    if (zone == ETL_ZONE_TRACE && h)
        return etl_trace_offset(&h->tz, filetime);
    if (zone == ETL_ZONE_VIEWER)
        return plat_local_offset_minutes(filetime);
    return 0;
}

static size_t etl_format_parts(uint64_t ft, char date_sep, const char *suffix, char *buf, size_t len)
{
    int64_t y;
    unsigned mo, d;
    uint64_t days = ft / ETL_FT_PER_DAY, rest = ft % ETL_FT_PER_DAY;
    unsigned secs = (unsigned)(rest / ETL_FT_PER_SEC), frac = (unsigned)(rest % ETL_FT_PER_SEC);
    int n;
    etl_civil_from_days((int64_t)days - ETL_DAYS_1601_TO_1970, &y, &mo, &d);
    n = snprintf(buf, len, "%04lld-%02u-%02u%c%02u:%02u:%02u.%07u%s", (long long)y, mo, d, date_sep, secs / 3600,
                 secs / 60 % 60, secs % 60, frac, suffix);
    return n < 0 ? 0 : (size_t)n;
}

size_t etl_format_time(const etl_header *h, etl_zone zone, uint64_t filetime, char *buf, size_t len)
{
    int32_t off;
    char suffix[8];
    uint64_t local;
    if (zone == ETL_ZONE_UTC)
        return etl_format_parts(filetime, ' ', "Z", buf, len);
    off = etl_zone_offset_minutes(h, zone, filetime);
    {
        uint64_t shift = (uint64_t)(off < 0 ? -(int64_t)off : (int64_t)off) * ETL_FT_PER_MIN;
        if (off < 0)
            local = shift > filetime ? 0 : filetime - shift;
        else
            local = shift > UINT64_MAX - filetime ? UINT64_MAX : filetime + shift;
    }
    snprintf(suffix, sizeof suffix, "%c%02d:%02d", off < 0 ? '-' : '+', (off < 0 ? -off : off) / 60 % 100,
             (off < 0 ? -off : off) % 60);
    return etl_format_parts(local, ' ', suffix, buf, len);
}

size_t etl_format_iso_utc(uint64_t filetime, char *buf, size_t len)
{
    return etl_format_parts(filetime, 'T', "Z", buf, len);
}

/* ---- GUIDs and names ---------------------------------------------------------------------------- */

void etl_guid_format(const etl_guid *g, char *buf)
{
    snprintf(buf, 37, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", (unsigned)g->data1, (unsigned)g->data2,
             (unsigned)g->data3, g->data4[0], g->data4[1], g->data4[2], g->data4[3], g->data4[4], g->data4[5],
             g->data4[6], g->data4[7]);
}

static int etl_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int etl_guid_parse(const char *text, etl_guid *out)
{
    uint8_t b[16];
    size_t i = 0, nb = 0;
    int braced;
    etl_guid g;
    if (!text)
        return -1;
    braced = text[0] == '{';
    if (braced)
        i++;
    while (nb < 16) {
        int hi, lo;
        if (nb == 4 || nb == 6 || nb == 8 || nb == 10) {
            if (text[i] != '-')
                return -1;
            i++;
        }
        hi = etl_hexval(text[i]);
        lo = hi < 0 ? -1 : etl_hexval(text[i + 1]);
        if (lo < 0)
            return -1;
        b[nb++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    if (braced && text[i++] != '}')
        return -1;
    if (text[i] != '\0')
        return -1;
    g.data1 = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    g.data2 = (uint16_t)(b[4] << 8 | b[5]);
    g.data3 = (uint16_t)(b[6] << 8 | b[7]);
    memcpy(g.data4, b + 8, 8);
    *out = g;
    return 0;
}

int etl_guid_equal(const etl_guid *a, const etl_guid *b)
{
    return a->data1 == b->data1 && a->data2 == b->data2 && a->data3 == b->data3 &&
           memcmp(a->data4, b->data4, 8) == 0;
}

const char *etl_kind_name(etl_kind k)
{
    static const char *const names[ETL_KIND_COUNT] = {"system", "compact", "perfinfo", "full",
                                                      "instance", "event", "message", "error"};
    return (unsigned)k < ETL_KIND_COUNT ? names[k] : "unknown";
}

const char *etl_status_text(etl_status s)
{
    switch (s) {
    case ETL_OK: return "ok";
    case ETL_E_IO: return "the file could not be read";
    case ETL_E_NOMEM: return "out of memory";
    case ETL_E_EMPTY: return "the file is empty";
    case ETL_E_FORMAT: return "not an .etl file";
    case ETL_E_ARG: return "invalid argument";
    case ETL_E_NOTFOUND: return "no such record";
    }
    return "unknown error";
}
