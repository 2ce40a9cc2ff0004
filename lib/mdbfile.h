/*
 * mdbfile.h - LMDB's data file read without LMDB: the layout of its page
 * headers and meta pages (LMDB 0.9, mdb.c MDB_page, MDB_meta, MDB_db;
 * native byte order, 64-bit page numbers), and the check store.c makes
 * before LMDB maps a file (store.c's top comment says why).
 */
#ifndef NI_MDBFILE_H
#define NI_MDBFILE_H

/* A page header is 16 bytes: page number, pad, flags at 10, then the
 * free-space bounds or, on an overflow page, the u32 count of its pages
 * at 12. */
#define NI_MDB_PAGE_HDR 16
#define NI_MDB_OFF_FLAGS 10
#define NI_MDB_OFF_PAGES 12
#define NI_MDB_P_OVERFLOW 0x04

/*
 * Reads both meta pages of data_path (the data.mdb of the index in path)
 * as LMDB does (mdb_env_read_header: a meta page, magic, data version 1,
 * a page size; the one with the larger transaction id is the snapshot),
 * requires their transaction ids to be consecutive (transaction N writes
 * meta page N % 2: a damaged id would make LMDB read an older snapshot)
 * and the file to hold every page up to the newest one's last page (or,
 * when it holds every page of the previous snapshot, to lack only pages
 * the free-page tree lists: a commit's pages allocated and freed in it,
 * which LMDB never writes, when a crash or power loss came before
 * ni_txn_commit padded the file), and both tree roots below it.  0 (also when the file cannot be
 * opened: LMDB then says why), NI_ECORRUPT naming what is wrong, NI_EIO.
 */
int ni_mdbfile_check(const char *path, const char *data_path);

/*
 * Empties data_path (the data.mdb of the index in path) when its creation
 * was cut short by a power loss: LMDB writes a new file's two meta pages
 * (transaction 0) without syncing them, so a power loss before the first
 * commit can leave them torn, and LMDB refuses such a file for ever.  A
 * file no larger than two pages of this system in which no meta page
 * names a committed transaction never held anything.  It is emptied
 * (LMDB then starts it again) only when no process has the index open:
 * there is no lock.mdb (LMDB makes it first), or LMDB's lock on its byte
 * 0, which every process holds while the index is open, can be taken (a
 * creator still at work is left alone).
 * Returns 1 when it emptied the file, else 0.
 */
int ni_mdbfile_reset_unborn(const char *path, const char *data_path);

/*
 * Syncs the directory path of a new index, so that its data.mdb stays
 * after a power loss (POSIX keeps a new file's name once its directory is
 * synced; LMDB syncs only the file), and its parent too when made_dir
 * (this process made the directory).  0, or NI_EIO.
 */
int ni_mdbfile_sync_new(const char *path, int made_dir);

#endif
