/*
 * rx.c - regular expressions for the filter language: a recursive-descent
 * parser builds a small tree, the tree compiles to a program of a few opcodes,
 * and a Pike VM runs the program over the text once, keeping every live thread
 * in a sparse set so that each program counter is visited once per character.
 */
#include "wsk/rx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RX_MAX_PROG 4096
#define RX_MAX_PATTERN 1024
#define RX_INF (-1)

enum node_kind { N_EMPTY, N_CHAR, N_ANY, N_CLASS, N_BOL, N_EOL, N_CAT, N_ALT, N_REPEAT };

typedef struct node {
    uint8_t kind;
    uint8_t ch;
    uint16_t cls;
    int a, b;     /* children (CAT, ALT) or child in a (REPEAT) */
    int min, max; /* REPEAT bounds, max RX_INF = unbounded */
} node;

enum op { I_CHAR, I_ANY, I_CLASS, I_SPLIT, I_JMP, I_MATCH, I_BOL, I_EOL };

typedef struct inst {
    uint8_t op;
    uint8_t ch;
    uint16_t cls;
    int x, y;
} inst;

typedef struct class_set {
    uint8_t bits[32];
} class_set;

struct rx {
    inst *prog;
    int prog_len;
    class_set *classes;
    int class_count;
    unsigned flags;
    /* Pike VM workspace: two sparse sets of program counters and an expansion stack. */
    int *dense[2];
    int *sparse[2];
    int *stack;
};

typedef struct parser {
    const char *p;
    const char *start;
    const char *end;
    unsigned flags;
    node *nodes;
    int node_count, node_cap;
    class_set *classes;
    int class_count, class_cap;
    const char *err;
    size_t err_pos;
} parser;

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int upper(int c)
{
    return (c >= 'a' && c <= 'z') ? c - 32 : c;
}

static void fail(parser *ps, const char *msg)
{
    if (!ps->err) {
        ps->err = msg;
        ps->err_pos = (size_t)(ps->p - ps->start);
    }
}

static int new_node(parser *ps, uint8_t kind)
{
    if (ps->node_count == ps->node_cap) {
        fail(ps, "pattern too complex");
        return -1;
    }
    node *n = &ps->nodes[ps->node_count];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    return ps->node_count++;
}

static int new_class(parser *ps)
{
    if (ps->class_count == ps->class_cap) {
        fail(ps, "too many character classes");
        return -1;
    }
    memset(&ps->classes[ps->class_count], 0, sizeof(class_set));
    return ps->class_count++;
}

static void class_add(class_set *c, int ch)
{
    c->bits[(unsigned)ch >> 3] |= (uint8_t)(1u << (ch & 7));
}

static int class_has(const class_set *c, int ch)
{
    return (c->bits[(unsigned)ch >> 3] >> (ch & 7)) & 1;
}

/* Adds the set named by a shorthand escape letter (d, w, s and their negations). */
static int class_add_shorthand(class_set *c, int letter)
{
    class_set tmp;
    memset(&tmp, 0, sizeof tmp);
    switch (lower(letter)) {
    case 'd':
        for (int ch = '0'; ch <= '9'; ch++)
            class_add(&tmp, ch);
        break;
    case 'w':
        for (int ch = 0; ch < 256; ch++)
            if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_')
                class_add(&tmp, ch);
        break;
    case 's':
        class_add(&tmp, ' ');
        for (int ch = '\t'; ch <= '\r'; ch++)
            class_add(&tmp, ch);
        break;
    default:
        return 0;
    }
    int negate = letter >= 'A' && letter <= 'Z';
    for (int i = 0; i < 32; i++)
        c->bits[i] |= (uint8_t)(negate ? ~tmp.bits[i] : tmp.bits[i]);
    return 1;
}

/* An escaped literal: \t \n \r or a backslash before punctuation. Returns -1 when invalid. */
static int escape_literal(int c)
{
    switch (c) {
    case 't':
        return '\t';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    default:
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            return -1;
        return c;
    }
}

static int parse_alt(parser *ps, int depth);

static int parse_class(parser *ps)
{
    int idx = new_class(ps);
    if (idx < 0)
        return -1;
    class_set *c = &ps->classes[idx];
    int negate = 0;
    ps->p++; /* '[' */
    if (ps->p < ps->end && *ps->p == '^') {
        negate = 1;
        ps->p++;
    }
    int first = 1;
    while (ps->p < ps->end && (*ps->p != ']' || first)) {
        int lo = (unsigned char)*ps->p++;
        first = 0;
        if (lo == '\\') {
            if (ps->p >= ps->end)
                break;
            int e = (unsigned char)*ps->p++;
            if (class_add_shorthand(c, e))
                continue;
            lo = escape_literal(e);
            if (lo < 0) {
                ps->p--;
                fail(ps, "unknown escape in class");
                return -1;
            }
        }
        int hi = lo;
        if (ps->p + 1 < ps->end && *ps->p == '-' && ps->p[1] != ']') {
            ps->p++;
            hi = (unsigned char)*ps->p++;
            if (hi == '\\') {
                if (ps->p >= ps->end)
                    break;
                hi = escape_literal((unsigned char)*ps->p++);
            }
            if (hi < lo) {
                ps->p--;
                fail(ps, "range out of order");
                return -1;
            }
        }
        for (int ch = lo; ch <= hi; ch++) {
            class_add(c, ch);
            if (ps->flags & RX_ICASE) {
                class_add(c, lower(ch));
                class_add(c, upper(ch));
            }
        }
    }
    if (ps->p >= ps->end) {
        fail(ps, "missing ]");
        return -1;
    }
    ps->p++; /* ']' */
    if (negate)
        for (int i = 0; i < 32; i++)
            c->bits[i] = (uint8_t)~c->bits[i];
    int n = new_node(ps, N_CLASS);
    if (n >= 0)
        ps->nodes[n].cls = (uint16_t)idx;
    return n;
}

static int parse_atom(parser *ps, int depth)
{
    char c = *ps->p;
    int n;
    switch (c) {
    case '(':
        ps->p++;
        if (ps->end - ps->p >= 2 && ps->p[0] == '?' && ps->p[1] == ':')
            ps->p += 2;
        n = parse_alt(ps, depth + 1);
        if (n < 0)
            return -1;
        if (ps->p >= ps->end || *ps->p != ')') {
            fail(ps, "missing )");
            return -1;
        }
        ps->p++;
        return n;
    case '[':
        return parse_class(ps);
    case '.':
        ps->p++;
        return new_node(ps, N_ANY);
    case '^':
        ps->p++;
        return new_node(ps, N_BOL);
    case '$':
        ps->p++;
        return new_node(ps, N_EOL);
    case '*':
    case '+':
    case '?':
    case '{':
        fail(ps, "nothing to repeat");
        return -1;
    case '\\': {
        ps->p++;
        if (ps->p >= ps->end) {
            fail(ps, "trailing backslash");
            return -1;
        }
        int e = (unsigned char)*ps->p;
        int idx;
        if (lower(e) == 'd' || lower(e) == 'w' || lower(e) == 's') {
            ps->p++;
            idx = new_class(ps);
            if (idx < 0)
                return -1;
            class_add_shorthand(&ps->classes[idx], e);
            n = new_node(ps, N_CLASS);
            if (n >= 0)
                ps->nodes[n].cls = (uint16_t)idx;
            return n;
        }
        int lit = escape_literal(e);
        if (lit < 0) {
            fail(ps, "unknown escape");
            return -1;
        }
        ps->p++;
        n = new_node(ps, N_CHAR);
        if (n >= 0)
            ps->nodes[n].ch = (uint8_t)((ps->flags & RX_ICASE) ? lower(lit) : lit);
        return n;
    }
    default:
        ps->p++;
        n = new_node(ps, N_CHAR);
        if (n >= 0)
            ps->nodes[n].ch = (uint8_t)((ps->flags & RX_ICASE) ? lower((unsigned char)c) : (unsigned char)c);
        return n;
    }
}

static int parse_number(parser *ps, int *out)
{
    int v = 0, digits = 0;
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9' && digits < 4) {
        v = v * 10 + (*ps->p++ - '0');
        digits++;
    }
    *out = v;
    return digits;
}

static int parse_repeat(parser *ps, int depth)
{
    int n = parse_atom(ps, depth);
    while (n >= 0 && ps->p < ps->end) {
        int min, max;
        char c = *ps->p;
        if (c == '*') {
            min = 0, max = RX_INF;
        } else if (c == '+') {
            min = 1, max = RX_INF;
        } else if (c == '?') {
            min = 0, max = 1;
        } else if (c == '{') {
            const char *brace = ps->p++;
            if (!parse_number(ps, &min)) {
                ps->p = brace;
                fail(ps, "expected a number after {");
                return -1;
            }
            max = min;
            if (ps->p < ps->end && *ps->p == ',') {
                ps->p++;
                if (!parse_number(ps, &max))
                    max = RX_INF;
            }
            if (ps->p >= ps->end || *ps->p != '}') {
                fail(ps, "expected }");
                return -1;
            }
            if (max != RX_INF && max < min) {
                fail(ps, "repeat bounds out of order");
                return -1;
            }
            if (min > 100 || max > 100) {
                fail(ps, "repeat count above 100");
                return -1;
            }
        } else {
            break;
        }
        ps->p++;
        int r = new_node(ps, N_REPEAT);
        if (r < 0)
            return -1;
        ps->nodes[r].a = n;
        ps->nodes[r].min = min;
        ps->nodes[r].max = max;
        n = r;
    }
    return n;
}

static int parse_cat(parser *ps, int depth)
{
    int left = -1;
    while (ps->p < ps->end && *ps->p != '|' && *ps->p != ')') {
        int right = parse_repeat(ps, depth);
        if (right < 0)
            return -1;
        if (left < 0) {
            left = right;
        } else {
            int c = new_node(ps, N_CAT);
            if (c < 0)
                return -1;
            ps->nodes[c].a = left;
            ps->nodes[c].b = right;
            left = c;
        }
    }
    return left < 0 ? new_node(ps, N_EMPTY) : left;
}

static int parse_alt(parser *ps, int depth)
{
    if (depth > 64) {
        fail(ps, "groups nested too deeply");
        return -1;
    }
    int left = parse_cat(ps, depth);
    while (left >= 0 && ps->p < ps->end && *ps->p == '|') {
        ps->p++;
        int right = parse_cat(ps, depth);
        if (right < 0)
            return -1;
        int a = new_node(ps, N_ALT);
        if (a < 0)
            return -1;
        ps->nodes[a].a = left;
        ps->nodes[a].b = right;
        left = a;
    }
    return left;
}

typedef struct emitter {
    inst *prog;
    int len;
    const node *nodes;
    int overflow;
} emitter;

static int emit(emitter *e, uint8_t op, int x, int y)
{
    if (e->len == RX_MAX_PROG) {
        e->overflow = 1;
        return 0;
    }
    inst *i = &e->prog[e->len];
    memset(i, 0, sizeof *i);
    i->op = op;
    i->x = x;
    i->y = y;
    return e->len++;
}

static void compile_node(emitter *e, int n, int depth);

static void compile_star(emitter *e, int child, int depth)
{
    int split = emit(e, I_SPLIT, 0, 0);
    e->prog[split].x = e->len;
    compile_node(e, child, depth);
    emit(e, I_JMP, split, 0);
    e->prog[split].y = e->len;
}

static void compile_optional(emitter *e, int child, int depth)
{
    int split = emit(e, I_SPLIT, 0, 0);
    e->prog[split].x = e->len;
    compile_node(e, child, depth);
    e->prog[split].y = e->len;
}

static void compile_node(emitter *e, int n, int depth)
{
    const node *nd = &e->nodes[n];
    if (e->overflow)
        return;
    switch (nd->kind) {
    case N_EMPTY:
        break;
    case N_CHAR: {
        int i = emit(e, I_CHAR, 0, 0);
        e->prog[i].ch = nd->ch;
        break;
    }
    case N_ANY:
        emit(e, I_ANY, 0, 0);
        break;
    case N_CLASS: {
        int i = emit(e, I_CLASS, 0, 0);
        e->prog[i].cls = nd->cls;
        break;
    }
    case N_BOL:
        emit(e, I_BOL, 0, 0);
        break;
    case N_EOL:
        emit(e, I_EOL, 0, 0);
        break;
    case N_CAT:
        compile_node(e, nd->a, depth);
        compile_node(e, nd->b, depth);
        break;
    case N_ALT: {
        int split = emit(e, I_SPLIT, 0, 0);
        e->prog[split].x = e->len;
        compile_node(e, nd->a, depth);
        int jmp = emit(e, I_JMP, 0, 0);
        e->prog[split].y = e->len;
        compile_node(e, nd->b, depth);
        e->prog[jmp].x = e->len;
        break;
    }
    case N_REPEAT:
        for (int k = 0; k < nd->min && !e->overflow; k++)
            compile_node(e, nd->a, depth);
        if (nd->max == RX_INF)
            compile_star(e, nd->a, depth);
        else
            for (int k = nd->min; k < nd->max && !e->overflow; k++)
                compile_optional(e, nd->a, depth);
        break;
    default:
        break;
    }
}

int rx_compile(const char *pattern, unsigned flags, rx **out, size_t *err_pos, char *err, size_t err_len)
{
    parser ps;
    rx *r = NULL;
    int ok = 0;
    size_t len = strlen(pattern);

    memset(&ps, 0, sizeof ps);
    ps.start = ps.p = pattern;
    ps.end = pattern + len;
    ps.flags = flags;
    if (len > RX_MAX_PATTERN) {
        fail(&ps, "pattern longer than 1024 characters");
        goto cleanup;
    }
    ps.node_cap = (int)len * 2 + 4;
    ps.class_cap = (int)len + 1;
    ps.nodes = malloc(sizeof(node) * (size_t)ps.node_cap);
    ps.classes = malloc(sizeof(class_set) * (size_t)ps.class_cap);
    r = calloc(1, sizeof *r);
    if (!ps.nodes || !ps.classes || !r) {
        fail(&ps, "out of memory");
        goto cleanup;
    }
    int root = parse_alt(&ps, 0);
    if (root >= 0 && ps.p < ps.end)
        fail(&ps, "unmatched )");
    if (ps.err)
        goto cleanup;

    emitter e = {malloc(sizeof(inst) * RX_MAX_PROG), 0, ps.nodes, 0};
    r->prog = e.prog;
    if (!e.prog) {
        fail(&ps, "out of memory");
        goto cleanup;
    }
    compile_node(&e, root, 0);
    emit(&e, I_MATCH, 0, 0);
    if (e.overflow) {
        ps.p = ps.start;
        fail(&ps, "pattern too large once repeats are expanded");
        goto cleanup;
    }
    r->prog_len = e.len;
    r->flags = flags;
    r->classes = ps.classes;
    r->class_count = ps.class_count;
    ps.classes = NULL;
    for (int k = 0; k < 2; k++) {
        r->dense[k] = calloc((size_t)e.len, sizeof(int));
        r->sparse[k] = calloc((size_t)e.len, sizeof(int));
    }
    r->stack = malloc(sizeof(int) * (size_t)(2 * e.len + 1));
    if (!r->dense[0] || !r->dense[1] || !r->sparse[0] || !r->sparse[1] || !r->stack) {
        fail(&ps, "out of memory");
        goto cleanup;
    }
    ok = 1;

cleanup:
    free(ps.nodes);
    free(ps.classes);
    if (!ok) {
        rx_free(r);
        if (err_pos)
            *err_pos = ps.err_pos;
        if (err && err_len)
            snprintf(err, err_len, "%s", ps.err ? ps.err : "invalid pattern");
        return -1;
    }
    *out = r;
    return 0;
}

void rx_free(rx *r)
{
    if (!r)
        return;
    free(r->prog);
    free(r->classes);
    for (int k = 0; k < 2; k++) {
        free(r->dense[k]);
        free(r->sparse[k]);
    }
    free(r->stack);
    free(r);
}

typedef struct thread_list {
    int *dense;
    int *sparse;
    int count;
} thread_list;

static int list_has(const thread_list *l, int pc)
{
    int i = l->sparse[pc];
    return i >= 0 && i < l->count && l->dense[i] == pc;
}

/* Adds pc and everything reachable from it without consuming a character.
 * Returns 1 when MATCH is reachable. */
static int add_thread(rx *r, thread_list *l, int pc0, size_t pos, size_t len)
{
    int sp = 0;
    r->stack[sp++] = pc0;
    while (sp > 0) {
        int pc = r->stack[--sp];
        if (list_has(l, pc))
            continue;
        l->sparse[pc] = l->count;
        l->dense[l->count++] = pc;
        const inst *in = &r->prog[pc];
        switch (in->op) {
        case I_MATCH:
            return 1;
        case I_JMP:
            r->stack[sp++] = in->x;
            break;
        case I_SPLIT:
            /* A pc is expanded once per step and pushes at most two, so 2 * prog_len + 1 bounds the stack. */
            r->stack[sp++] = in->y;
            r->stack[sp++] = in->x;
            break;
        case I_BOL:
            if (pos == 0)
                r->stack[sp++] = pc + 1;
            break;
        case I_EOL:
            if (pos == len)
                r->stack[sp++] = pc + 1;
            break;
        default:
            break;
        }
    }
    return 0;
}

int rx_search(rx *r, const char *text, size_t len)
{
    thread_list lists[2] = {{r->dense[0], r->sparse[0], 0}, {r->dense[1], r->sparse[1], 0}};
    thread_list *cur = &lists[0], *next = &lists[1];
    int icase = (r->flags & RX_ICASE) != 0;

    for (size_t pos = 0;; pos++) {
        if (add_thread(r, cur, 0, pos, len))
            return 1;
        if (pos == len)
            return 0;
        int c = (unsigned char)text[pos];
        int folded = icase ? lower(c) : c;
        next->count = 0;
        for (int i = 0; i < cur->count; i++) {
            const inst *in = &r->prog[cur->dense[i]];
            int step;
            switch (in->op) {
            case I_CHAR:
                step = in->ch == folded;
                break;
            case I_ANY:
                step = c != '\n';
                break;
            case I_CLASS:
                step = class_has(&r->classes[in->cls], c);
                break;
            default:
                step = 0;
                break;
            }
            if (step && add_thread(r, next, cur->dense[i] + 1, pos + 1, len))
                return 1;
        }
        thread_list *t = cur;
        cur = next;
        next = t;
    }
}
