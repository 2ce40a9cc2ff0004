/*
 * record.h - the stored-fields record of a document: the fields of an
 * ni_doc in one zstd-compressed value, optionally made with the index's
 * compression dictionary.  Pure codec, no I/O.
 */
#ifndef NI_RECORD_H
#define NI_RECORD_H

#include "buf.h"

typedef struct ni_record_codec ni_record_codec;
typedef struct ni_record_dict ni_record_dict;

#define NI_RECORD_DICT_MAX (110 * 1024)

int ni_record_codec_new(ni_record_codec **out);
void ni_record_codec_free(ni_record_codec *c);

/*
 * A compression dictionary from its stored bytes (copied).  NI_ECORRUPT
 * when they are not a zstd dictionary.  Immutable: one dictionary may be
 * shared by codecs of several threads.
 */
int ni_record_dict_new(ni_record_dict **out, const unsigned char *bytes, size_t len);
void ni_record_dict_free(ni_record_dict *d);
/* 1 when d (may be NULL) has exactly these bytes. */
int ni_record_dict_same(const ni_record_dict *d, const unsigned char *bytes, size_t len);

/*
 * Trains a dictionary on n packed tails (ni_record_pack) laid end to end
 * in samples, sizes[i] bytes each; its bytes replace out's contents.
 * NI_ENOTFOUND when the samples are too few or too small for one.
 */
int ni_record_dict_train(ni_buf *out, const unsigned char *samples, const size_t *sizes,
                         size_t n);

/* The dictionary (borrowed; NULL for none) the codec encodes with and
 * decodes dictionary records with.  It must outlive its use by c. */
void ni_record_codec_set_dict(ni_record_codec *c, const ni_record_dict *d);

/* Appends the encoded record of doc to out. */
int ni_record_encode(ni_record_codec *c, ni_buf *out, const ni_doc *doc);

/* Appends the uncompressed tail of doc (its fields but id and date) to out.
 * NI_EINVAL when the document is too large to store (what ni_record_check
 * tells beforehand), NI_ENOMEM. */
int ni_record_pack(ni_buf *out, const ni_doc *doc);

/* 0 when doc can be stored, NI_EINVAL when it is too large. */
int ni_record_check(const ni_doc *doc);

/* Appends the record of id, date (with how it was written: ni_doc's
 * date_offset and date_form, valid as ni_index_add checks them) and a
 * packed tail to out. */
int ni_record_encode_packed(ni_record_codec *c, ni_buf *out, const char *id, size_t id_len,
                            int64_t date, int date_offset, unsigned date_form,
                            const unsigned char *plain, size_t plain_len);

/*
 * Decodes data[0..len) into doc, whose strings point into scratch (reused,
 * grown as needed; valid until scratch changes).  NI_ECORRUPT for bytes that
 * are not a record.
 */
int ni_record_decode(ni_record_codec *c, ni_buf *scratch, ni_doc *doc,
                     const unsigned char *data, size_t len);

/*
 * Decodes only the plain fields (id and date, with its offset and form) of data[0..len), pointing
 * into data; the others are left NULL.  No allocation, no decompression.
 * NI_ECORRUPT for bad bytes.
 */
int ni_record_decode_head(ni_doc *doc, const unsigned char *data, size_t len);

#endif
