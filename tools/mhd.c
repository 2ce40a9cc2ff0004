/*
 * mhd.c - libmicrohttpd loaded when `nsearch serve` starts a server, not
 * by every nsearch command.  Linked in, the library brought GnuTLS,
 * p11-kit and their constructors into each process: `nsearch --help` ran
 * 2.4 times the instructions of a program linked with ICU alone, and every
 * `nsearch query` from a script paid for it (bench/README.md, "CLI start").
 *
 * The functions serve.c calls are defined here under libmicrohttpd's own
 * names and signatures (microhttpd.h declares them), each forwarding to the
 * library's, found with dlopen/dlsym by the first call that can come
 * first (starting a daemon, making a response); so serve.c reads as plain
 * libmicrohttpd code.  Every other function takes a daemon, a connection
 * or a response, so it runs after the load.
 * The two variadic info calls are forwarded without extra arguments, which
 * is how serve.c asks (client address, bound port).  Only what serve.c
 * uses is here: a call of another MHD function fails to link.
 * NI_MHD_SONAME (the Makefile reads it from the library built against)
 * names the file; serve.c loads it first (serve_mhd_load), and when it
 * cannot be loaded that says why on stderr (as do the two first calls,
 * which then fail with ENOSYS).
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "serve.h"

#ifndef NI_MHD_SONAME
#define NI_MHD_SONAME "libmicrohttpd.so.12"
#endif

static struct {
    struct MHD_Daemon *(*start_va)(unsigned, uint16_t, MHD_AcceptPolicyCallback, void *,
                                   MHD_AccessHandlerCallback, void *, va_list);
    void (*stop)(struct MHD_Daemon *);
    const union MHD_DaemonInfo *(*daemon_info)(struct MHD_Daemon *, enum MHD_DaemonInfoType,
                                                ...);
    const union MHD_ConnectionInfo *(*conn_info)(struct MHD_Connection *,
                                                  enum MHD_ConnectionInfoType, ...);
    int (*values_n)(struct MHD_Connection *, enum MHD_ValueKind, MHD_KeyValueIteratorN,
                    void *);
    enum MHD_Result (*lookup_n)(struct MHD_Connection *, enum MHD_ValueKind, const char *,
                                size_t, const char **, size_t *);
    struct MHD_Response *(*from_buffer)(size_t, void *, enum MHD_ResponseMemoryMode);
    enum MHD_Result (*add_header)(struct MHD_Response *, const char *, const char *);
    enum MHD_Result (*queue)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
    void (*destroy)(struct MHD_Response *);
} mhd;

/* Each symbol into its slot: 0, or -1 with the reason on stderr. */
static int load(void)
{
    static const struct { const char *name; void **slot; } syms[] = {
        { "MHD_start_daemon_va", (void **)&mhd.start_va },
        { "MHD_stop_daemon", (void **)&mhd.stop },
        { "MHD_get_daemon_info", (void **)&mhd.daemon_info },
        { "MHD_get_connection_info", (void **)&mhd.conn_info },
        { "MHD_get_connection_values_n", (void **)&mhd.values_n },
        { "MHD_lookup_connection_value_n", (void **)&mhd.lookup_n },
        { "MHD_create_response_from_buffer", (void **)&mhd.from_buffer },
        { "MHD_add_response_header", (void **)&mhd.add_header },
        { "MHD_queue_response", (void **)&mhd.queue },
        { "MHD_destroy_response", (void **)&mhd.destroy },
    };
    void *lib;
    size_t i;

    if (mhd.start_va)
        return 0;
    if (!(lib = dlopen(NI_MHD_SONAME, RTLD_NOW | RTLD_LOCAL))) {
        fprintf(stderr, "nsearch: serve needs libmicrohttpd (Debian: libmicrohttpd12): %s\n",
                dlerror());
        return -1;
    }
    for (i = 0; i < sizeof syms / sizeof syms[0]; i++)
        if (!(*syms[i].slot = dlsym(lib, syms[i].name))) {
            fprintf(stderr, "nsearch: %s has no %s\n", NI_MHD_SONAME, syms[i].name);
            mhd.start_va = NULL;
            return -1;
        }
    return 0;
}

int serve_mhd_load(void)
{
    return load();
}

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port,
                                    MHD_AcceptPolicyCallback apc, void *apc_cls,
                                    MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
    struct MHD_Daemon *d;
    va_list ap;

    if (load() < 0) {
        errno = ENOSYS;
        return NULL;
    }
    va_start(ap, dh_cls);
    d = mhd.start_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
    va_end(ap);
    return d;
}

void MHD_stop_daemon(struct MHD_Daemon *daemon)
{
    mhd.stop(daemon);
}

const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *daemon,
                                                enum MHD_DaemonInfoType info_type, ...)
{
    return mhd.daemon_info(daemon, info_type);
}

const union MHD_ConnectionInfo *MHD_get_connection_info(struct MHD_Connection *connection,
                                                        enum MHD_ConnectionInfoType info_type,
                                                        ...)
{
    return mhd.conn_info(connection, info_type);
}

int MHD_get_connection_values_n(struct MHD_Connection *connection, enum MHD_ValueKind kind,
                                MHD_KeyValueIteratorN iterator, void *iterator_cls)
{
    return mhd.values_n(connection, kind, iterator, iterator_cls);
}

enum MHD_Result MHD_lookup_connection_value_n(struct MHD_Connection *connection,
                                              enum MHD_ValueKind kind, const char *key,
                                              size_t key_size, const char **value_ptr,
                                              size_t *value_size_ptr)
{
    return mhd.lookup_n(connection, kind, key, key_size, value_ptr, value_size_ptr);
}

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer,
                                                     enum MHD_ResponseMemoryMode mode)
{
    if (load() < 0) {
        errno = ENOSYS;
        return NULL;
    }
    return mhd.from_buffer(size, buffer, mode);
}

enum MHD_Result MHD_add_response_header(struct MHD_Response *response, const char *header,
                                        const char *content)
{
    return mhd.add_header(response, header, content);
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
                                   struct MHD_Response *response)
{
    return mhd.queue(connection, status_code, response);
}

void MHD_destroy_response(struct MHD_Response *response)
{
    mhd.destroy(response);
}
