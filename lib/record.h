/*
 * record.h - the stored-fields record of a document: the fields of an
 * ni_doc in one zstd-compressed value.  Pure codec, no I/O.
 */
#ifndef NI_RECORD_H
#define NI_RECORD_H

#include "internal.h"

typedef struct ni_record_codec ni_record_codec;

int ni_record_codec_new(ni_record_codec **out);
void ni_record_codec_free(ni_record_codec *c);

/* Appends the encoded record of doc to out.  NI_EINVAL when the document
 * is too large to store (what ni_record_check tells beforehand), NI_ENOMEM. */
int ni_record_encode(ni_record_codec *c, ni_buf *out, const ni_doc *doc);

/* 0 when doc can be stored, NI_EINVAL when it is too large. */
int ni_record_check(const ni_doc *doc);

/*
 * Decodes data[0..len) into doc, whose strings point into scratch (reused,
 * grown as needed; valid until scratch changes).  NI_ECORRUPT for bytes that
 * are not a record.
 */
int ni_record_decode(ni_record_codec *c, ni_buf *scratch, ni_doc *doc,
                     const unsigned char *data, size_t len);

/*
 * Decodes only the plain fields (id and date) of data[0..len), pointing
 * into data; the others are left NULL.  No allocation, no decompression.
 * NI_ECORRUPT for bad bytes.
 */
int ni_record_decode_head(ni_doc *doc, const unsigned char *data, size_t len);

#endif
