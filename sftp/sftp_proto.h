/*
 * sftp_proto.h: SFTP version 3 numbers (draft-ietf-secsh-filexfer-02) and
 * the limits of nanossh's server.
 */
#ifndef NANOSSH_SFTP_PROTO_H
#define NANOSSH_SFTP_PROTO_H

#define SFTP_VERSION		3

#define SSH2_FXP_INIT		1
#define SSH2_FXP_VERSION	2
#define SSH2_FXP_OPEN		3
#define SSH2_FXP_CLOSE		4
#define SSH2_FXP_READ		5
#define SSH2_FXP_WRITE		6
#define SSH2_FXP_LSTAT		7
#define SSH2_FXP_FSTAT		8
#define SSH2_FXP_SETSTAT	9
#define SSH2_FXP_FSETSTAT	10
#define SSH2_FXP_OPENDIR	11
#define SSH2_FXP_READDIR	12
#define SSH2_FXP_REMOVE		13
#define SSH2_FXP_MKDIR		14
#define SSH2_FXP_RMDIR		15
#define SSH2_FXP_REALPATH	16
#define SSH2_FXP_STAT		17
#define SSH2_FXP_RENAME		18
#define SSH2_FXP_READLINK	19
#define SSH2_FXP_SYMLINK	20
#define SSH2_FXP_STATUS		101
#define SSH2_FXP_HANDLE		102
#define SSH2_FXP_DATA		103
#define SSH2_FXP_NAME		104
#define SSH2_FXP_ATTRS		105
#define SSH2_FXP_EXTENDED	200
#define SSH2_FXP_EXTENDED_REPLY	201

#define SSH2_FILEXFER_ATTR_SIZE		0x00000001
#define SSH2_FILEXFER_ATTR_UIDGID	0x00000002
#define SSH2_FILEXFER_ATTR_PERMISSIONS	0x00000004
#define SSH2_FILEXFER_ATTR_ACMODTIME	0x00000008
#define SSH2_FILEXFER_ATTR_EXTENDED	0x80000000

#define SSH2_FXF_READ		0x00000001
#define SSH2_FXF_WRITE		0x00000002
#define SSH2_FXF_APPEND		0x00000004
#define SSH2_FXF_CREAT		0x00000008
#define SSH2_FXF_TRUNC		0x00000010
#define SSH2_FXF_EXCL		0x00000020

#define SSH2_FX_OK			0
#define SSH2_FX_EOF			1
#define SSH2_FX_NO_SUCH_FILE		2
#define SSH2_FX_PERMISSION_DENIED	3
#define SSH2_FX_FAILURE			4
#define SSH2_FX_BAD_MESSAGE		5
#define SSH2_FX_NO_CONNECTION		6
#define SSH2_FX_CONNECTION_LOST		7
#define SSH2_FX_OP_UNSUPPORTED		8

/* statvfs@openssh.com f_flag bits */
#define SSH2_FXE_STATVFS_ST_RDONLY	0x00000001
#define SSH2_FXE_STATVFS_ST_NOSUID	0x00000002

/* Limits, also reported by limits@openssh.com. */
#define SFTP_MAX_PACKET		(256 * 1024)	/* request or reply body */
#define SFTP_MAX_READ		(SFTP_MAX_PACKET - 1024)
#define SFTP_MAX_HANDLES	256
#define SFTP_READDIR_BATCH	100	/* names per READDIR reply */
#define SFTP_MAX_IDS		1024	/* users-groups-by-id ids per request */

#endif
