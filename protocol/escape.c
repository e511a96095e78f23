/* escape.c: untrusted bytes made safe for a log line (escape.h). */
#include "protocol/escape.h"

char *
str_escape(char *dst, size_t dstsize, const uint8_t *src, size_t len)
{
	size_t i, o = 0;
	uint8_t c;

	if (dstsize == 0)
		return dst;
	for (i = 0; i < len; i++) {
		c = src[i];
		if (c == '\\') {
			if (dstsize - o < 3)
				break;
			dst[o++] = '\\';
			dst[o++] = '\\';
		} else if (c >= 0x20 && c < 0x7f) {
			if (dstsize - o < 2)
				break;
			dst[o++] = (char)c;
		} else {
			if (dstsize - o < 5)
				break;
			dst[o++] = '\\';
			dst[o++] = (char)('0' + ((c >> 6) & 7));
			dst[o++] = (char)('0' + ((c >> 3) & 7));
			dst[o++] = (char)('0' + (c & 7));
		}
	}
	dst[o] = '\0';
	return dst;
}
