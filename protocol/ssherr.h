/*
 * ssherr.h: the one table of error codes.  Every function in nanossh that
 * can fail returns 0 or one of these negative values; ssh_err() names them.
 * The numbers follow OpenSSH's ssherr.h; a gap is a code nothing here
 * returns.
 */
#ifndef NANOSSH_SSHERR_H
#define NANOSSH_SSHERR_H

#define SSH_ERR_SUCCESS			0
#define SSH_ERR_INTERNAL_ERROR		-1
#define SSH_ERR_ALLOC_FAIL		-2
#define SSH_ERR_MESSAGE_INCOMPLETE	-3
#define SSH_ERR_INVALID_FORMAT		-4
#define SSH_ERR_BIGNUM_IS_NEGATIVE	-5
#define SSH_ERR_STRING_TOO_LARGE	-6
#define SSH_ERR_BIGNUM_TOO_LARGE	-7
#define SSH_ERR_NO_BUFFER_SPACE		-9
#define SSH_ERR_INVALID_ARGUMENT	-10
#define SSH_ERR_KEY_TYPE_MISMATCH	-13
#define SSH_ERR_KEY_TYPE_UNKNOWN	-14
#define SSH_ERR_EC_CURVE_MISMATCH	-15
#define SSH_ERR_KEY_CERT_UNKNOWN_TYPE	-18
#define SSH_ERR_KEY_CERT_INVALID_SIGN_KEY -19
#define SSH_ERR_KEY_INVALID_EC_VALUE	-20
#define SSH_ERR_SIGNATURE_INVALID	-21
#define SSH_ERR_LIBCRYPTO_ERROR		-22
#define SSH_ERR_UNEXPECTED_TRAILING_DATA -23
#define SSH_ERR_SYSTEM_ERROR		-24
#define SSH_ERR_KEY_CERT_INVALID	-25
#define SSH_ERR_DH_GEX_OUT_OF_RANGE	-28
#define SSH_ERR_DISCONNECTED		-29
#define SSH_ERR_MAC_INVALID		-30
#define SSH_ERR_NO_CIPHER_ALG_MATCH	-31
#define SSH_ERR_NO_MAC_ALG_MATCH	-32
#define SSH_ERR_NO_COMPRESS_ALG_MATCH	-33
#define SSH_ERR_NO_KEX_ALG_MATCH	-34
#define SSH_ERR_NO_HOSTKEY_ALG_MATCH	-35
#define SSH_ERR_NO_HOSTKEY_LOADED	-36
#define SSH_ERR_PROTOCOL_MISMATCH	-37
#define SSH_ERR_NO_PROTOCOL_VERSION	-38
#define SSH_ERR_FILE_CHANGED		-41
#define SSH_ERR_KEY_UNKNOWN_CIPHER	-42
#define SSH_ERR_KEY_WRONG_PASSPHRASE	-43
#define SSH_ERR_KEY_BAD_PERMISSIONS	-44
#define SSH_ERR_KEY_CERT_MISMATCH	-45
#define SSH_ERR_KEY_NOT_FOUND		-46
#define SSH_ERR_BUFFER_READ_ONLY	-49
#define SSH_ERR_KRL_BAD_MAGIC		-50
#define SSH_ERR_KEY_REVOKED		-51
#define SSH_ERR_CONN_CLOSED		-52
#define SSH_ERR_CONN_TIMEOUT		-53
#define SSH_ERR_CONN_CORRUPT		-54
#define SSH_ERR_PROTOCOL_ERROR		-55
#define SSH_ERR_KEY_LENGTH		-56
#define SSH_ERR_SIGN_ALG_UNSUPPORTED	-58
#define SSH_ERR_FEATURE_UNSUPPORTED	-59
#define SSH_ERR_LIMIT_EXCEEDED		-61
#define SSH_ERR_STATE_VIOLATION		-62
#define SSH_ERR_FILE_EXISTS		-63
#define SSH_ERR_KEY_KDF_ROUNDS		-64	/* KEY_KDF_MAX_ROUNDS, key.h */
/* Keep ssh_err() in ssherr.c in step with this list. */
#define SSH_ERR_MIN			-64

/* Returns a static description of an error code; never NULL. */
const char *ssh_err(int n);

#endif
