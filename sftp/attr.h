/*
 * attr.h: SFTP v3 file attributes on the wire, and the "ls -l" long name
 * of a directory entry.
 */
#ifndef NANOSSH_SFTP_ATTR_H
#define NANOSSH_SFTP_ATTR_H

#include <sys/stat.h>
#include <stddef.h>
#include <time.h>

#include "sftp/vfs.h"

struct buf;

/* Parses ATTRS from b (extended pairs are read and ignored).  Unknown
 * flag bits are SSH_ERR_INVALID_FORMAT. */
int sftp_attr_get(struct buf *b, struct vfs_attr *a);
/* Appends the ATTRS of st (size, uid/gid, permissions, times). */
int sftp_attr_put_stat(struct buf *b, const struct stat *st);
/* Appends an empty ATTRS (flags 0). */
int sftp_attr_put_none(struct buf *b);
/* "-rw-r--r--    1 user     group        1234 Nov 25 13:00 name" into
 * dst (always terminated); now decides between time and year. */
void sftp_longname(char *dst, size_t dstsize, const char *name,
    const struct stat *st, time_t now);
/* The ten-character mode string ("drwxr-xr-x") into dst[11]. */
void sftp_mode_string(mode_t mode, char dst[11]);

#endif
