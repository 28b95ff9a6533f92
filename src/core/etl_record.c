/*
 * etl_record.c - trace records inside a buffer's payload: framing (size,
 * timestamp; all the iterator needs to order records) and the full decode of
 * every header type into an etl_event.
 */
#include "etl_internal.h"

/* Fixed header sizes and where the size and timestamp live, per TRACE_HEADER_TYPE_*. */
enum {
    ETL_HT_SYSTEM32 = 0x01, ETL_HT_SYSTEM64 = 0x02, ETL_HT_COMPACT32 = 0x03, ETL_HT_COMPACT64 = 0x04,
    ETL_HT_FULL32 = 0x0A, ETL_HT_INSTANCE32 = 0x0B, ETL_HT_ERROR = 0x0D, ETL_HT_MESSAGE = 0x0F,
    ETL_HT_PERFINFO32 = 0x10, ETL_HT_PERFINFO64 = 0x11, ETL_HT_EVENT32 = 0x12, ETL_HT_EVENT64 = 0x13,
    ETL_HT_FULL64 = 0x14, ETL_HT_INSTANCE64 = 0x15,
};

/* MESSAGE_TRACE_HEADER option flags, in the order their items appear. */
enum {
    ETL_MSG_SEQUENCE = 0x0001, ETL_MSG_GUID = 0x0002, ETL_MSG_COMPONENT_ID = 0x0004,
    ETL_MSG_TIMESTAMP = 0x0008, ETL_MSG_PERFTIMESTAMP = 0x0010, ETL_MSG_SYSTEMINFO = 0x0020,
    ETL_MSG_POINTER32 = 0x0040, ETL_MSG_POINTER64 = 0x0080,
};

static const etl_guid etl_null_guid = {0, 0, 0, {0}};

#define ETL_ERROR_HEADER_SIZE 8u /* layout undocumented: only the size word is trusted */

/* Kernel hook groups (Group byte of a SYSTEM/COMPACT/PERFINFO HookId) to the MOF class GUIDs that
 * consumers report for them (NT Kernel Logger event classes). */
static const etl_guid etl_group_guids[] = {
    {0x68fdd900, 0x4a3e, 0x11d1, {0x84, 0xf4, 0x00, 0x00, 0xf8, 0x04, 0x64, 0xe3}}, /* 0x00 EventTrace header */
    {0x3d6fa8d4, 0xfe05, 0x11d0, {0x9d, 0xda, 0x00, 0xc0, 0x4f, 0xd7, 0xba, 0x7c}}, /* 0x01 DiskIo */
    {0x3d6fa8d3, 0xfe05, 0x11d0, {0x9d, 0xda, 0x00, 0xc0, 0x4f, 0xd7, 0xba, 0x7c}}, /* 0x02 PageFault */
    {0x3d6fa8d0, 0xfe05, 0x11d0, {0x9d, 0xda, 0x00, 0xc0, 0x4f, 0xd7, 0xba, 0x7c}}, /* 0x03 Process */
    {0x90cbdc39, 0x4a3e, 0x11d1, {0x84, 0xf4, 0x00, 0x00, 0xf8, 0x04, 0x64, 0xe3}}, /* 0x04 FileIo */
    {0x3d6fa8d1, 0xfe05, 0x11d0, {0x9d, 0xda, 0x00, 0xc0, 0x4f, 0xd7, 0xba, 0x7c}}, /* 0x05 Thread */
    {0x9a280ac0, 0xc8e0, 0x11d1, {0x84, 0xe2, 0x00, 0xc0, 0x4f, 0xb9, 0x98, 0xa2}}, /* 0x06 TcpIp */
    {0x3282fc76, 0xfeed, 0x498e, {0x8a, 0xa7, 0xe7, 0x0f, 0x45, 0x9d, 0x43, 0x0e}}, /* 0x07 Job */
    {0xbf3a50c5, 0xa9c9, 0x4988, {0xa0, 0x05, 0x2d, 0xf0, 0xb7, 0xc8, 0x0f, 0x80}}, /* 0x08 UdpIp */
    {0xae53722e, 0xc863, 0x11d2, {0x86, 0x59, 0x00, 0xc0, 0x4f, 0xa3, 0x21, 0xa1}}, /* 0x09 Registry */
    {0x13976d09, 0xa327, 0x438c, {0x95, 0x0b, 0x7f, 0x03, 0x19, 0x28, 0x15, 0xc7}}, /* 0x0A DbgPrint */
    {0x01853a65, 0x418f, 0x4f36, {0xae, 0xfc, 0xdc, 0x0f, 0x1d, 0x2f, 0xd2, 0x35}}, /* 0x0B SystemConfig */
    {0x99134383, 0x5248, 0x43fc, {0x83, 0x4b, 0x52, 0x94, 0x54, 0xe7, 0x5d, 0xf3}}, /* 0x0C spare */
    {0x42695762, 0xea50, 0x497a, {0x90, 0x68, 0x5c, 0xbb, 0xb3, 0x5e, 0x0b, 0x95}}, /* 0x0D Wnf */
    {0x0268a8b6, 0x74fd, 0x4302, {0x9d, 0xd0, 0x6e, 0x8f, 0x17, 0x95, 0xc0, 0xcf}}, /* 0x0E Pool */
    {0xce1dbfb4, 0x137e, 0x4da6, {0x87, 0xb0, 0x3f, 0x59, 0xaa, 0x10, 0x2c, 0xbc}}, /* 0x0F PerfInfo */
    {0x222962ab, 0x6180, 0x4b88, {0xa8, 0x25, 0x34, 0x6b, 0x75, 0xf2, 0xa2, 0x4a}}, /* 0x10 Heap */
    {0x89497f50, 0xeffe, 0x4440, {0x8c, 0xf2, 0xce, 0x6b, 0x1c, 0xdc, 0xac, 0xa7}}, /* 0x11 Object */
    {0xe43445e0, 0x0903, 0x48c3, {0xb8, 0x78, 0xff, 0x0f, 0xcc, 0xeb, 0xdd, 0x04}}, /* 0x12 Power */
    {0xa9152f00, 0x3f58, 0x4bee, {0x92, 0xa1, 0x70, 0xc7, 0xd0, 0x79, 0xd5, 0xdd}}, /* 0x13 ModBound */
    {0x2cb15d1d, 0x5fc1, 0x11d2, {0xab, 0xe1, 0x00, 0xa0, 0xc9, 0x11, 0xf5, 0x18}}, /* 0x14 ImageLoad */
    {0xb2d14872, 0x7c5b, 0x463d, {0x84, 0x19, 0xee, 0x9b, 0xf7, 0xd2, 0x3e, 0x04}}, /* 0x15 Dpc */
    {0x7687a439, 0xf752, 0x45b8, {0xb7, 0x41, 0x32, 0x1a, 0xec, 0x0f, 0x8d, 0xf9}}, /* 0x16 Cc */
    {0x3ac66736, 0xcc59, 0x4cff, {0x81, 0x15, 0x8d, 0xf5, 0x0e, 0x39, 0x81, 0x6b}}, /* 0x17 CritSec */
    {0xdef2fe46, 0x7bd6, 0x4b80, {0xbd, 0x94, 0xf5, 0x7f, 0xe2, 0x0d, 0x0c, 0xe3}}, /* 0x18 StackWalk */
    {0x9aec974b, 0x5b8e, 0x4118, {0x9b, 0x92, 0x31, 0x86, 0xd8, 0x00, 0x2c, 0xe5}}, /* 0x19 Ums */
    {0x45d8cccd, 0x539f, 0x4b72, {0xa8, 0xb7, 0x5c, 0x68, 0x31, 0x42, 0x60, 0x9a}}, /* 0x1A Alpc */
    {0xd837ca92, 0x12b9, 0x44a5, {0xad, 0x6a, 0x3a, 0x65, 0xb3, 0x57, 0x8a, 0xa8}}, /* 0x1B SplitIo */
    {0xc861d0e2, 0xa2c1, 0x4d36, {0x9f, 0x9c, 0x97, 0x0b, 0xab, 0x94, 0x3a, 0x12}}, /* 0x1C ThreadPool */
    {0x7f2a405c, 0x69b5, 0x4bf9, {0xa1, 0xf5, 0x30, 0xe8, 0xf1, 0xaf, 0xab, 0x5e}}, /* 0x1D Hypervisor */
    {0x2ce9a149, 0xeffe, 0x42f0, {0xa6, 0x35, 0xa1, 0xd3, 0x9e, 0x26, 0xc8, 0xf2}}, /* 0x1E HypervisorX */
};

#define ETL_GROUP_PROCESS 0x03
#define ETL_GROUP_IMAGE 0x14
#define ETL_PROCESS_TYPE_LEGACY_IMAGE 10 /* Process group, type 10: the pre-Vista image load hook */

/* Bytes of PEBS index and PMC counters after a SYSTEM/COMPACT/PERFINFO header (version word). */
static uint32_t etl_kernel_extras(uint16_t version_word)
{
    return ((version_word & 0x8000u) ? 8u : 0u) + 8u * ((version_word >> 8) & 7u);
}

static uint32_t etl_message_items_size(uint16_t flags, uint32_t *time_at)
{
    uint32_t at = 8;
    if (flags & ETL_MSG_SEQUENCE)
        at += 4;
    if (flags & ETL_MSG_COMPONENT_ID)
        at += 4;
    else if (flags & ETL_MSG_GUID)
        at += 16;
    *time_at = (flags & ETL_MSG_TIMESTAMP) ? at : 0;
    if (flags & (ETL_MSG_TIMESTAMP | ETL_MSG_PERFTIMESTAMP))
        at += 8;
    if (flags & ETL_MSG_SYSTEMINFO)
        at += 8;
    return at;
}

etl_frame_status etl_record_frame(const uint8_t *pl, uint32_t len, uint32_t off, etl_frame *fr)
{
    const uint8_t *p = pl + off;
    uint32_t avail = len - off;
    uint32_t marker, size, min, time_at = 0;
    uint8_t flags, type;
    int kernel = 0;

    if (avail < 4) {
        fr->why = "bytes left over after the last record";
        return ETL_FRAME_CORRUPT;
    }
    marker = etl_rd32(p);
    if (marker == 0xFFFFFFFFu)
        return ETL_FRAME_END;
    flags = (uint8_t)(marker >> 24);
    type = (uint8_t)(marker >> 16);
    if ((flags & 0xC0) == 0xC0) {
        switch (type) {
        case ETL_HT_SYSTEM32: case ETL_HT_SYSTEM64:
            kernel = 1; min = 0x20; size = avail >= 6 ? etl_rd16(p + 4) : 0; time_at = 0x10; break;
        case ETL_HT_COMPACT32: case ETL_HT_COMPACT64:
            kernel = 1; min = 0x18; size = avail >= 6 ? etl_rd16(p + 4) : 0; time_at = 0x10; break;
        case ETL_HT_PERFINFO32: case ETL_HT_PERFINFO64:
            kernel = 1; min = 0x10; size = avail >= 6 ? etl_rd16(p + 4) : 0; time_at = 0x08; break;
        case ETL_HT_FULL32: case ETL_HT_FULL64:
            min = 0x30; size = marker & 0xFFFF; time_at = 0x10; break;
        case ETL_HT_INSTANCE32: case ETL_HT_INSTANCE64:
            min = 0x48; size = marker & 0xFFFF; time_at = 0x10; break;
        case ETL_HT_EVENT32: case ETL_HT_EVENT64:
            min = 0x50; size = marker & 0xFFFF; time_at = 0x10; break;
        case ETL_HT_ERROR:
            min = ETL_ERROR_HEADER_SIZE; size = marker & 0xFFFF; time_at = 0; break;
        default:
            fr->why = "unknown trace header type";
            return ETL_FRAME_CORRUPT;
        }
        if (kernel && size >= min && size <= avail)
            min += etl_kernel_extras(etl_rd16(p));
    } else if ((flags & 0xD0) == 0x90) {
        type = ETL_HT_MESSAGE;
        size = marker & 0xFFFF;
        min = size >= 8 && size <= avail ? etl_message_items_size(etl_rd16(p + 6), &time_at) : 8;
    } else {
        fr->why = "not a trace header";
        return ETL_FRAME_CORRUPT;
    }
    if (size < min) {
        fr->why = "record size smaller than its header";
        return ETL_FRAME_CORRUPT;
    }
    if (size > avail) {
        fr->why = "record extends past the buffer's valid bytes";
        return ETL_FRAME_CORRUPT;
    }
    fr->size = size;
    fr->step = (size + 7u) & ~7u;
    if (fr->step > avail)
        fr->step = avail;
    fr->header_type = type;
    fr->has_time = (uint8_t)(time_at != 0);
    fr->raw_time = time_at ? (int64_t)etl_rd64(p + time_at) : 0;
    return ETL_FRAME_OK;
}

static void etl_kernel_provider(etl_event *ev)
{
    uint8_t group = (uint8_t)(ev->hook_id >> 8);
    uint8_t type = (uint8_t)ev->hook_id;
    if (group == ETL_GROUP_PROCESS && type == ETL_PROCESS_TYPE_LEGACY_IMAGE)
        group = ETL_GROUP_IMAGE;
    if (group < sizeof etl_group_guids / sizeof etl_group_guids[0]) {
        ev->provider = etl_group_guids[group];
        ev->flags |= ETL_EV_HAS_PROVIDER;
    }
}

/* Extended data items of an EVENT_HEADER record: inline, each {u16 total, u16 type,
 * u16 linkage, u16 data size, data}, chained while bit 0 of the linkage word is set. */
static int etl_decode_ext(const uint8_t *rec, uint32_t size, etl_event *ev, uint32_t *data_at,
                          const char **why)
{
    uint32_t at = 0x50;
    for (;;) {
        uint32_t total, dsize;
        uint16_t linkage;
        if (at + 8 > size) {
            *why = "extended data item past the end of the record";
            return -1;
        }
        total = etl_rd16(rec + at);
        linkage = etl_rd16(rec + at + 4);
        dsize = etl_rd16(rec + at + 6);
        if (total < 8 || (total & 7) || dsize + 8 > total || at + total > size) {
            *why = "extended data item with an impossible size";
            return -1;
        }
        if (ev->ext_count < ETL_MAX_EXT) {
            etl_ext_item *x = &ev->ext[ev->ext_count];
            x->type = etl_rd16(rec + at + 2);
            x->size = (uint16_t)dsize;
            x->data = rec + at + 8;
        }
        ev->ext_count++;
        at += total;
        if (!(linkage & 1))
            break;
    }
    *data_at = at;
    return 0;
}

int etl_record_decode(const etl_file *f, const uint8_t *pl, uint32_t len, uint32_t off, uint32_t buf,
                      const etl_frame *fr, etl_event *ev, const char **why)
{
    const uint8_t *rec = pl + off;
    const etl_buffer_info *b = &f->bufs[buf];
    uint32_t size = fr->size, data_at;
    uint8_t type = fr->header_type;
    (void)len;

    /* Every field is assigned (no memset: a string store of this size costs more than the decode). */
    ev->handle = (uint64_t)buf << 32 | off;
    ev->header_type = type;
    ev->cpu = b->cpu;
    ev->flags = (b->flags & (ETL_BUFFER_FLAG_EVENTS_LOST | ETL_BUFFER_FLAG_BUFFER_LOST)) ? ETL_EV_LOST_BEFORE : 0;
    ev->pid = ev->tid = 0;
    ev->provider = etl_null_guid;
    ev->hook_id = ev->id = ev->task = 0;
    ev->version = ev->channel = ev->level = ev->opcode = 0;
    ev->keyword = 0;
    ev->header_flags = ev->event_property = 0;
    ev->activity_id = etl_null_guid;
    ev->message_number = ev->message_flags = 0;
    ev->message_sequence = ev->component_id = 0;
    ev->instance_id = ev->parent_instance_id = 0;
    ev->parent_guid = etl_null_guid;
    ev->ext_count = 0;
    ev->record = rec;
    ev->record_len = size;
    if (fr->has_time) {
        ev->flags |= ETL_EV_HAS_TIME;
        ev->raw_time = fr->raw_time;
        ev->time = etl_timecvt_fast(&f->tc, fr->raw_time);
    } else {
        ev->raw_time = 0;
        ev->time = 0;
    }

    switch (type) {
    case ETL_HT_SYSTEM32: case ETL_HT_SYSTEM64:
    case ETL_HT_COMPACT32: case ETL_HT_COMPACT64:
    case ETL_HT_PERFINFO32: case ETL_HT_PERFINFO64: {
        uint16_t vw = etl_rd16(rec);
        uint32_t hdr;
        if (type <= ETL_HT_SYSTEM64) {
            ev->kind = ETL_KIND_SYSTEM;
            hdr = 0x20;
        } else if (type <= ETL_HT_COMPACT64) {
            ev->kind = ETL_KIND_COMPACT;
            hdr = 0x18;
        } else {
            ev->kind = ETL_KIND_PERFINFO;
            hdr = 0x10;
        }
        ev->pointer_size = (uint8_t)((type & 1) ? 4 : 8);
        ev->version = (uint8_t)vw;
        ev->hook_id = etl_rd16(rec + 6);
        ev->opcode = (uint8_t)ev->hook_id;
        if (ev->kind != ETL_KIND_PERFINFO) {
            ev->tid = etl_rd32(rec + 8);
            ev->pid = etl_rd32(rec + 0xC);
            ev->flags |= ETL_EV_HAS_PID;
        }
        etl_kernel_provider(ev);
        data_at = hdr + etl_kernel_extras(vw);
        break;
    }
    case ETL_HT_FULL32: case ETL_HT_FULL64:
    case ETL_HT_INSTANCE32: case ETL_HT_INSTANCE64:
        ev->kind = (type == ETL_HT_FULL32 || type == ETL_HT_FULL64) ? ETL_KIND_FULL : ETL_KIND_INSTANCE;
        ev->pointer_size = (uint8_t)((type == ETL_HT_FULL32 || type == ETL_HT_INSTANCE32) ? 4 : 8);
        ev->opcode = rec[4];
        ev->level = rec[5];
        ev->version = (uint8_t)etl_rd16(rec + 6);
        ev->tid = etl_rd32(rec + 8);
        ev->pid = etl_rd32(rec + 0xC);
        etl_rdguid(rec + 0x18, &ev->provider);
        ev->flags |= ETL_EV_HAS_PID | ETL_EV_HAS_PROVIDER;
        data_at = 0x30;
        if (ev->kind == ETL_KIND_INSTANCE) {
            ev->instance_id = etl_rd32(rec + 0x30);
            ev->parent_instance_id = etl_rd32(rec + 0x34);
            etl_rdguid(rec + 0x38, &ev->parent_guid);
            data_at = 0x48;
        }
        break;
    case ETL_HT_EVENT32: case ETL_HT_EVENT64:
        ev->kind = ETL_KIND_EVENT;
        ev->pointer_size = (uint8_t)(type == ETL_HT_EVENT32 ? 4 : 8);
        ev->header_flags = etl_rd16(rec + 4);
        ev->event_property = etl_rd16(rec + 6);
        ev->tid = etl_rd32(rec + 8);
        ev->pid = etl_rd32(rec + 0xC);
        etl_rdguid(rec + 0x18, &ev->provider);
        ev->id = etl_rd16(rec + 0x28);
        ev->version = rec[0x2A];
        ev->channel = rec[0x2B];
        ev->level = rec[0x2C];
        ev->opcode = rec[0x2D];
        ev->task = etl_rd16(rec + 0x2E);
        ev->keyword = etl_rd64(rec + 0x30);
        etl_rdguid(rec + 0x40, &ev->activity_id);
        ev->flags |= ETL_EV_HAS_PID | ETL_EV_HAS_PROVIDER;
        data_at = 0x50;
        if ((ev->header_flags & 1) && etl_decode_ext(rec, size, ev, &data_at, why) != 0)
            return -1;
        break;
    case ETL_HT_MESSAGE: {
        uint32_t at = 8, time_at;
        ev->kind = ETL_KIND_MESSAGE;
        ev->message_number = etl_rd16(rec + 4);
        ev->message_flags = etl_rd16(rec + 6);
        ev->pointer_size = (uint8_t)((ev->message_flags & ETL_MSG_POINTER32)   ? 4
                                     : (ev->message_flags & ETL_MSG_POINTER64) ? 8
                                                                               : f->hdr.pointer_size);
        data_at = etl_message_items_size(ev->message_flags, &time_at);
        if (ev->message_flags & ETL_MSG_SEQUENCE) {
            ev->message_sequence = etl_rd32(rec + at);
            at += 4;
        }
        if (ev->message_flags & ETL_MSG_COMPONENT_ID) {
            ev->component_id = etl_rd32(rec + at);
            at += 4;
        } else if (ev->message_flags & ETL_MSG_GUID) {
            etl_rdguid(rec + at, &ev->provider);
            ev->flags |= ETL_EV_HAS_PROVIDER;
            at += 16;
        }
        if (ev->message_flags & (ETL_MSG_TIMESTAMP | ETL_MSG_PERFTIMESTAMP))
            at += 8;
        if (ev->message_flags & ETL_MSG_SYSTEMINFO) {
            ev->tid = etl_rd32(rec + at);
            ev->pid = etl_rd32(rec + at + 4);
            ev->flags |= ETL_EV_HAS_PID;
        }
        break;
    }
    default: /* ETL_HT_ERROR */
        ev->kind = ETL_KIND_ERROR;
        ev->pointer_size = (uint8_t)f->hdr.pointer_size;
        data_at = ETL_ERROR_HEADER_SIZE;
        break;
    }
    if (data_at > size) {
        *why = "record too short for its header";
        return -1;
    }
    ev->data = rec + data_at;
    ev->data_len = size - data_at;
    return 0;
}

const etl_ext_item *etl_ext_find(const etl_event *ev, uint16_t type)
{
    uint32_t i, n = ev->ext_count < ETL_MAX_EXT ? ev->ext_count : ETL_MAX_EXT;
    for (i = 0; i < n; i++)
        if (ev->ext[i].type == type)
            return &ev->ext[i];
    return NULL;
}

int etl_ext_related_activity(const etl_event *ev, etl_guid *out)
{
    const etl_ext_item *x = etl_ext_find(ev, ETL_EXT_RELATED_ACTIVITYID);
    if (!x || x->size < 16)
        return -1;
    etl_rdguid(x->data, out);
    return 0;
}

int etl_ext_process_start_key(const etl_event *ev, uint64_t *out)
{
    const etl_ext_item *x = etl_ext_find(ev, ETL_EXT_PROCESS_START_KEY);
    if (!x || x->size < 8)
        return -1;
    *out = etl_rd64(x->data);
    return 0;
}

uint32_t etl_ext_stack(const etl_event *ev, uint64_t *match_id, uint64_t *addrs, uint32_t max)
{
    const etl_ext_item *x = etl_ext_find(ev, ETL_EXT_STACK_TRACE64);
    uint32_t width = 8, n, i;
    if (!x) {
        x = etl_ext_find(ev, ETL_EXT_STACK_TRACE32);
        width = 4;
    }
    if (!x || x->size < 8)
        return 0;
    n = (uint32_t)(x->size - 8) / width;
    if (match_id)
        *match_id = etl_rd64(x->data);
    for (i = 0; i < n && i < max && addrs; i++)
        addrs[i] = width == 8 ? etl_rd64(x->data + 8 + 8 * i) : etl_rd32(x->data + 8 + 4 * i);
    return n;
}
