/* ssherr.c: names for the error codes of ssherr.h. */
#include <errno.h>
#include <string.h>

#include "protocol/ssherr.h"

static const char *const err_names[] = {
	[0] = "success",
	[1] = "unexpected internal error",
	[2] = "memory allocation failed",
	[3] = "incomplete message",
	[4] = "invalid format",
	[5] = "bignum is negative",
	[6] = "string is too large",
	[7] = "bignum is too large",
	[9] = "insufficient buffer space",
	[10] = "invalid argument",
	[13] = "key type does not match",
	[14] = "unknown or unsupported key type",
	[15] = "elliptic curve does not match",
	[18] = "unknown or unsupported certificate type",
	[19] = "invalid certificate signing key",
	[20] = "invalid elliptic curve value",
	[21] = "incorrect signature",
	[22] = "error in libcrypto",
	[23] = "unexpected bytes remain after decoding",
	[24] = "unexpected system error",
	[25] = "invalid certificate",
	[28] = "DH GEX group out of range",
	[29] = "disconnected",
	[30] = "message authentication code incorrect",
	[31] = "no matching cipher found",
	[32] = "no matching MAC found",
	[33] = "no matching compression method found",
	[34] = "no matching key exchange method found",
	[35] = "no matching host key type found",
	[36] = "no host key loaded",
	[37] = "protocol version mismatch",
	[38] = "could not read protocol version",
	[41] = "file changed while reading",
	[42] = "key encrypted using unsupported cipher",
	[43] = "incorrect passphrase supplied to decrypt private key",
	[44] = "bad permissions",
	[45] = "certificate does not match key",
	[46] = "key not found",
	[49] = "internal error: buffer is read-only",
	[50] = "KRL file has invalid magic number",
	[51] = "key is revoked",
	[52] = "connection closed",
	[53] = "connection timed out",
	[54] = "connection corrupted",
	[55] = "protocol error",
	[56] = "invalid key length",
	[58] = "signature algorithm not supported",
	[59] = "requested feature not supported",
	[61] = "limit exceeded",
	[62] = "message not allowed in this state",
	[63] = "file exists",
	[64] = "key file asks for more KDF rounds than allowed",
};

const char *
ssh_err(int n)
{
	if (n == SSH_ERR_SYSTEM_ERROR)
		return strerror(errno);
	if (n > 0 || n < SSH_ERR_MIN || err_names[-n] == NULL)
		return "unknown error";
	return err_names[-n];
}
