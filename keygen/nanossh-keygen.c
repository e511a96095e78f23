/*
 * nanossh-keygen: makes host and user keys, prints fingerprints and public
 * keys, changes passphrases and converts public keys to and from other
 * formats, with output that matches ssh-keygen's line for line.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <bsd/readpassphrase.h>
#include <bsd/stdlib.h>
#include <bsd/string.h>

#include "common/keyfile.h"
#include "protocol/buf.h"
#include "protocol/key.h"
#include "protocol/ssherr.h"

#define PROGNAME		"nanossh-keygen"
#define HOSTKEY_DIR		SYSCONFDIR "/nanossh"
#define PASS_MAX		1024

/* -m formats for -e and -i. */
enum { FMT_RFC4716, FMT_PKCS8, FMT_PEM };

/* -A's keys, in the order ssh-keygen -A makes them. */
static const struct hostkey {
	const char	*hk_name;	/* -t name */
	const char	*hk_short;	/* as -A reports it */
	enum key_type	 hk_type;
	unsigned int	 hk_bits;
	const char	*hk_file;
} hostkeys[] = {
	{ "rsa", "RSA", KEY_RSA, 3072, "ssh_host_rsa_key" },
	{ "ecdsa", "ECDSA", KEY_ECDSA_P256, 256, "ssh_host_ecdsa_key" },
	{ "ed25519", "ED25519", KEY_ED25519, 0, "ssh_host_ed25519_key" },
};

static int quiet;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: " PROGNAME " [-q] -t ed25519 | ecdsa | rsa [-b bits] "
	    "-f file\n"
	    "                      [-N new_passphrase] [-C comment] "
	    "[-Z cipher]\n"
	    "       " PROGNAME " -p [-P old_passphrase] [-N new_passphrase] "
	    "[-Z cipher] -f file\n"
	    "       " PROGNAME " -e [-m RFC4716 | PKCS8 | PEM] [-P passphrase] "
	    "-f file\n"
	    "       " PROGNAME " -i [-m RFC4716 | PKCS8 | PEM] -f file\n"
	    "       " PROGNAME " -l -f file\n"
	    "       " PROGNAME " -y [-P passphrase] -f file\n"
	    "       " PROGNAME " -A [-q]\n"
	    "       " PROGNAME " -V\n");
	exit(1);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs(PROGNAME ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* A file error in one line; errno explains system errors. */
static void __attribute__((noreturn))
die_file(const char *path, int r)
{
	if (r == SSH_ERR_KEY_BAD_PERMISSIONS)
		die("%s: bad permissions: a private key must be a regular file "
		    "that only its owner can access (chmod 600)", path);
	die("%s: %s", path, ssh_err(r));
}

/* "user@host", ssh-keygen's default comment. */
static char *
default_comment(void)
{
	struct passwd *pw;
	char host[HOST_NAME_MAX + 1], *s;

	if ((pw = getpwuid(getuid())) == NULL)
		die("no user name for uid %lu", (unsigned long)getuid());
	if (gethostname(host, sizeof(host)) == -1)
		die("gethostname: %s", strerror(errno));
	host[sizeof(host) - 1] = '\0';
	if (asprintf(&s, "%s@%s", pw->pw_name, host) == -1)
		die("out of memory");
	return s;
}

/* Prompts on the terminal (or reads stdin without one); caller frees. */
static char *
read_pass(const char *prompt)
{
	char buf[PASS_MAX], *s;

	if (readpassphrase(prompt, buf, sizeof(buf), RPP_ECHO_OFF) == NULL)
		die("cannot read passphrase: %s", strerror(errno));
	if ((s = strdup(buf)) == NULL)
		die("out of memory");
	explicit_bzero(buf, sizeof(buf));
	return s;
}

static void
free_pass(char *pass)
{
	if (pass != NULL)
		freezero(pass, strlen(pass));
}

static void
write_buf(const struct buf *b)
{
	if (fwrite(buf_ptr(b), 1, buf_len(b), stdout) != buf_len(b))
		die("write: %s", strerror(errno));
}

static void
print_fingerprint(const struct sshkey *key, const char *comment)
{
	char *fp = NULL;
	int r;

	if ((r = key_fingerprint(key, &fp)) != 0)
		die("fingerprint: %s", ssh_err(r));
	printf("%u %s %s (%s)\n", key_bits(key), fp,
	    comment != NULL && *comment != '\0' ? comment : "no comment",
	    key_type_short(key));
	free(fp);
}

/* Like ssh-keygen: a first line naming a private key means one. */
static int
is_private_file(const char *text)
{
	const char *p = strstr(text, "PRIVATE KEY");

	return p != NULL && p < text + strcspn(text, "\n");
}

/*
 * ssh-keygen -l on a private key: the public key and comment of FILE.pub,
 * else the key file's own public half; the comment from the private key
 * when that can be read without a passphrase.
 */
static void
fingerprint_private(const char *path, const struct buf *file)
{
	struct sshkey *pub = NULL, *priv = NULL;
	char *pubpath = NULL, *comment = NULL;

	if (asprintf(&pubpath, "%s.pub", path) == -1)
		die("out of memory");
	if (keyfile_load_public(pubpath, &pub, &comment) != 0 &&
	    key_private_parse_public(file, &pub) != 0)
		pub = NULL;
	if (pub == NULL || comment == NULL || *comment == '\0') {
		free(comment);
		comment = NULL;
		if (key_private_parse(file, NULL, &priv, &comment) != 0)
			priv = NULL;
	}
	if (pub == NULL && priv == NULL)
		die("%s is not a key file.", path);
	print_fingerprint(pub != NULL ? pub : priv, comment);
	key_free(pub);
	key_free(priv);
	free(comment);
	free(pubpath);
}

static void
do_fingerprint(const char *path)
{
	struct buf *file = NULL;
	struct sshkey *key;
	char *text, *line, *next, *comment;
	size_t nkeys = 0;
	int r;

	if ((r = keyfile_read(path, 0, &file)) != 0)
		die_file(path, r);
	if ((text = buf_dup_string(file)) == NULL)
		die("%s is not a key file.", path);
	if (is_private_file(text)) {
		fingerprint_private(path, file);
		free(text);
		buf_free(file);
		return;
	}
	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line += strspn(line, " \t");
		if (*line == '#' || *line == '\0')
			continue;
		if (key_from_public_line(line, &key, &comment) != 0)
			continue;
		print_fingerprint(key, comment);
		nkeys++;
		key_free(key);
		free(comment);
	}
	free(text);
	buf_free(file);
	if (nkeys == 0)
		die("%s is not a public key file.", path);
}

/* Loads a private key, asking for the passphrase only if it needs one. */
static struct sshkey *
load_private(const char *path, const char *passphrase, const char *prompt,
    char **commentp)
{
	struct sshkey *key = NULL;
	char *pass = NULL;
	int r;

	r = keyfile_load_private(path, NULL, 1, &key, commentp);
	if (r == SSH_ERR_KEY_WRONG_PASSPHRASE) {
		if (passphrase != NULL)
			pass = strdup(passphrase);
		else
			pass = read_pass(prompt);
		if (pass == NULL)
			die("out of memory");
		r = keyfile_load_private(path, pass, 1, &key, commentp);
		free_pass(pass);
	}
	if (r != 0)
		die_file(path, r);
	return key;
}

static void
do_print_public(const char *path, const char *passphrase)
{
	struct sshkey *key;
	struct buf *line;
	char *comment = NULL;
	int r;

	key = load_private(path, passphrase, "Enter passphrase: ", &comment);
	if ((line = buf_new()) == NULL)
		die("out of memory");
	if ((r = key_to_public_line(key, comment, line)) != 0)
		die("%s: %s", path, ssh_err(r));
	write_buf(line);
	buf_free(line);
	key_free(key);
	free(comment);
}

/* -m: ssh-keygen's names, in any case. */
static int
parse_format(const char *name)
{
	if (strcasecmp(name, "RFC4716") == 0 || strcasecmp(name, "ssh2") == 0)
		return FMT_RFC4716;
	if (strcasecmp(name, "PKCS8") == 0)
		return FMT_PKCS8;
	if (strcasecmp(name, "PEM") == 0)
		return FMT_PEM;
	die("unsupported conversion format \"%s\" (use RFC4716, PKCS8 or PEM)",
	    name);
}

/*
 * The public key of path for -e: a public key file (its first key), else
 * the public half of a private key, asking for a passphrase only when the
 * file has no public part of its own (an encrypted PEM key).
 */
static struct sshkey *
load_any_public(const char *path, const char *passphrase)
{
	struct buf *file = NULL;
	struct sshkey *key = NULL, *priv;
	char *text, *line, *next;
	int r;

	if ((r = keyfile_read(path, 0, &file)) != 0)
		die_file(path, r);
	if ((text = buf_dup_string(file)) == NULL)
		die("%s: not a key file", path);
	if (is_private_file(text)) {
		r = key_private_parse_public(file, &key);
		if (r == SSH_ERR_KEY_WRONG_PASSPHRASE) {
			priv = load_private(path, passphrase,
			    "Enter passphrase: ", NULL);
			if ((r = key_demote(priv, &key)) != 0)
				die("%s: %s", path, ssh_err(r));
			key_free(priv);
		} else if (r != 0)
			die_file(path, r);
	} else {
		for (line = text; line != NULL && key == NULL; line = next) {
			if ((next = strchr(line, '\n')) != NULL)
				*next++ = '\0';
			line += strspn(line, " \t");
			if (*line == '#' || *line == '\0')
				continue;
			if ((r = key_from_public_line(line, &key, NULL)) != 0)
				die("%s: not a public key file: %s", path,
				    ssh_err(r));
		}
		if (key == NULL)
			die("%s: not a public key file", path);
	}
	free(text);
	buf_free(file);
	return key;
}

/* ssh-keygen -e: an OpenSSH key's public half in another format. */
static void
do_export(const char *path, int fmt, const char *passphrase)
{
	struct sshkey *key;
	struct buf *out;
	char *user, *comment;
	int r;

	key = load_any_public(path, passphrase);
	if ((out = buf_new()) == NULL)
		die("out of memory");
	switch (fmt) {
	case FMT_RFC4716:
		/* ssh-keygen's own comment; the key's is not kept. */
		user = default_comment();
		if (asprintf(&comment, "%u-bit %s, converted by %s from OpenSSH",
		    key_bits(key), key_type_short(key), user) == -1)
			die("out of memory");
		r = key_to_rfc4716(key, comment, out);
		free(comment);
		free(user);
		break;
	case FMT_PKCS8:
		r = key_to_pem_public(key, KEY_PEM_PKCS8, out);
		break;
	default:
		r = key_to_pem_public(key, KEY_PEM_PEM, out);
		break;
	}
	if (r != 0)
		die("%s: cannot export %s key: %s", path, key_type_short(key),
		    ssh_err(r));
	write_buf(out);
	buf_free(out);
	key_free(key);
}

/*
 * ssh-keygen -i: a public key in another format printed as an OpenSSH
 * public key line.  Like ssh-keygen, private keys are not converted here.
 */
static void
do_import(const char *path, int fmt)
{
	struct sshkey *key = NULL;
	struct buf *file = NULL, *line;
	char *text;
	int r;

	if ((r = keyfile_read(path, 0, &file)) != 0)
		die_file(path, r);
	if (buf_len(file) > KEY_CONVERT_MAX_INPUT)
		die("%s: too large for a public key (more than %u bytes)", path,
		    (unsigned int)KEY_CONVERT_MAX_INPUT);
	if ((text = buf_dup_string(file)) == NULL)
		die("%s: not a key file", path);
	if (is_private_file(text))
		die("%s: is a private key; -i reads public keys (rewrite a PEM "
		    "or PKCS#8 private key in OpenSSH format with -p)", path);
	free(text);
	if (fmt == FMT_RFC4716)
		r = key_from_rfc4716(file, &key, NULL);
	else
		r = key_from_pem_public(file, fmt == FMT_PKCS8 ?
		    KEY_PEM_PKCS8 : KEY_PEM_PEM, &key);
	if (r != 0)
		die("%s: not a %s public key: %s", path, fmt == FMT_RFC4716 ?
		    "RFC 4716" : fmt == FMT_PKCS8 ? "PKCS#8" : "PEM",
		    ssh_err(r));
	if ((line = buf_new()) == NULL)
		die("out of memory");
	if ((r = key_to_public_line(key, NULL, line)) != 0)
		die("%s: %s", path, ssh_err(r));
	write_buf(line);
	buf_free(line);
	buf_free(file);
	key_free(key);
}

/* The new passphrase from -N, else asked for twice. */
static char *
new_passphrase(const char *newpass, const char *prompt)
{
	char *pass, *again;

	if (newpass != NULL) {
		if ((pass = strdup(newpass)) == NULL)
			die("out of memory");
		return pass;
	}
	pass = read_pass(prompt);
	again = read_pass("Enter same passphrase again: ");
	if (strcmp(pass, again) != 0)
		die("passphrases do not match");
	free_pass(again);
	return pass;
}

/*
 * ssh-keygen -p: rewrites a private key (OpenSSH, or legacy PEM and PKCS#8
 * as openssl writes them) in OpenSSH format with a new passphrase, keeping
 * its comment.
 */
static void
do_change_passphrase(const char *path, const char *oldpass,
    const char *newpass, const char *cipher)
{
	struct sshkey *key;
	char *comment = NULL, *pass;
	int r;

	key = load_private(path, oldpass, "Enter old passphrase: ", &comment);
	pass = new_passphrase(newpass,
	    "Enter new passphrase (empty for no passphrase): ");
	if ((r = keyfile_rewrite_private(path, key, pass, comment,
	    cipher)) != 0)
		die("saving key %s: %s", path, ssh_err(r));
	free_pass(pass);
	if (!quiet)
		printf("Your identification has been saved with the new "
		    "passphrase.\n");
	key_free(key);
	free(comment);
}

/*
 * 0 to go ahead, 1 to overwrite an existing file after the user said
 * yes; without a terminal to ask on, an existing file is an error.
 */
static int
confirm_overwrite(const char *path)
{
	struct stat st;
	char answer[16];

	if (stat(path, &st) == -1) {
		if (errno != ENOENT)
			die("%s: %s", path, strerror(errno));
		return 0;
	}
	if (!isatty(STDIN_FILENO))
		die("%s already exists; not overwriting it.", path);
	printf("%s already exists.\n", path);
	printf("Overwrite (y/n)? ");
	fflush(stdout);
	if (fgets(answer, sizeof(answer), stdin) == NULL ||
	    (answer[0] != 'y' && answer[0] != 'Y'))
		exit(1);
	return 1;
}

static enum key_type
parse_type(const char *name, unsigned int *bitsp)
{
	if (strcasecmp(name, "ed25519") == 0)
		return KEY_ED25519;
	if (strcasecmp(name, "ecdsa") == 0)
		return KEY_ECDSA_P256;
	if (strcasecmp(name, "rsa") == 0)
		return KEY_RSA;
	switch (key_type_from_name(name)) {
	case KEY_ED25519:
		return KEY_ED25519;
	case KEY_ECDSA_P256:
		*bitsp = *bitsp == 0 ? 256 : *bitsp;
		return KEY_ECDSA_P256;
	case KEY_ECDSA_P384:
		*bitsp = *bitsp == 0 ? 384 : *bitsp;
		return KEY_ECDSA_P384;
	case KEY_ECDSA_P521:
		*bitsp = *bitsp == 0 ? 521 : *bitsp;
		return KEY_ECDSA_P521;
	case KEY_RSA:
		return KEY_RSA;
	default:
		die("unknown key type %s (use ed25519, ecdsa or rsa)", name);
	}
}

static void
check_bits(enum key_type type, unsigned int bits)
{
	if (type == KEY_RSA && bits != 0 && bits < 2048)
		die("Invalid RSA key length: minimum is 2048 bits");
	if (type == KEY_RSA && bits > 16384)
		die("Invalid RSA key length: maximum is 16384 bits");
	if (type == KEY_ECDSA_P256 && bits != 0 && bits != 256 &&
	    bits != 384 && bits != 521)
		die("Invalid ECDSA key length: valid lengths are 256, 384 "
		    "or 521 bits");
}

static void
do_generate(const char *typename, unsigned int bits, const char *path,
    const char *newpass, const char *comment, const char *cipher)
{
	struct sshkey *key = NULL;
	char *pass = NULL, *defcomment = NULL, *fp = NULL;
	enum key_type type;
	int overwrite, r;

	type = parse_type(typename, &bits);
	check_bits(type, bits);
	if (path == NULL)
		die("no output file given (use -f file)");
	overwrite = confirm_overwrite(path);
	if (!quiet)
		printf("Generating public/private %s key pair.\n", typename);
	if ((r = key_generate(type, bits, &key)) != 0)
		die("key generation failed: %s", ssh_err(r));
	pass = new_passphrase(newpass,
	    "Enter passphrase (empty for no passphrase): ");
	if (comment == NULL)
		comment = defcomment = default_comment();
	if ((r = keyfile_save_cipher(path, key, pass, comment, cipher,
	    overwrite)) != 0) {
		if (r == SSH_ERR_FILE_EXISTS)
			die("%s already exists; not overwriting it.", path);
		die("saving key %s: %s", path, ssh_err(r));
	}
	free_pass(pass);
	if (!quiet) {
		if ((r = key_fingerprint(key, &fp)) != 0)
			die("fingerprint: %s", ssh_err(r));
		printf("Your identification has been saved in %s\n", path);
		printf("Your public key has been saved in %s.pub\n", path);
		printf("The key fingerprint is:\n%s %s\n", fp, comment);
		free(fp);
	}
	key_free(key);
	free(defcomment);
}

/* ssh-keygen -A: every missing default host key, no passphrase. */
static void
do_gen_all_hostkeys(const char *dir)
{
	struct sshkey *key;
	struct stat st;
	char *path, *pubpath, *comment;
	size_t i;
	int r, first = 1;

	if (mkdir(dir, 0755) == 0) {
		/* 0755 whatever the umask: nanosshd reads the .pub files. */
		if (chmod(dir, 0755) == -1)
			die("chmod %s: %s", dir, strerror(errno));
	} else if (errno != EEXIST)
		die("mkdir %s: %s", dir, strerror(errno));
	comment = default_comment();
	for (i = 0; i < sizeof(hostkeys) / sizeof(hostkeys[0]); i++) {
		if (asprintf(&path, "%s/%s", dir, hostkeys[i].hk_file) == -1 ||
		    asprintf(&pubpath, "%s.pub", path) == -1)
			die("out of memory");
		if (stat(path, &st) == 0) {
			free(path);
			free(pubpath);
			continue;
		}
		if (errno != ENOENT)
			die("%s: %s", path, strerror(errno));
		/* A public half without its private key is stale. */
		if (unlink(pubpath) == -1 && errno != ENOENT)
			die("%s: %s", pubpath, strerror(errno));
		if (first && !quiet)
			printf("%s: generating new host keys: ", PROGNAME);
		first = 0;
		if (!quiet) {
			printf("%s ", hostkeys[i].hk_short);
			fflush(stdout);
		}
		if ((r = key_generate(hostkeys[i].hk_type, hostkeys[i].hk_bits,
		    &key)) != 0)
			die("generating %s key: %s", hostkeys[i].hk_name,
			    ssh_err(r));
		if ((r = keyfile_save(path, key, NULL, comment, 0)) != 0)
			die("saving key %s: %s", path, ssh_err(r));
		key_free(key);
		free(path);
		free(pubpath);
	}
	if (!first && !quiet)
		printf("\n");
	free(comment);
}

int
main(int argc, char **argv)
{
	const char *typename = NULL, *path = NULL, *newpass = NULL;
	const char *pass = NULL, *comment = NULL, *errstr = NULL;
	const char *cipher = NULL;
	unsigned int bits = 0;
	int ch, mode = 0, fmt = -1;

	while ((ch = getopt(argc, argv, "Ab:C:ef:ilm:N:pP:qt:VyZ:")) != -1) {
		switch (ch) {
		case 'A':
		case 'e':
		case 'i':
		case 'l':
		case 'p':
		case 'y':
			if (mode != 0 && mode != ch)
				usage();
			mode = ch;
			break;
		case 'b':
			bits = (unsigned int)strtonum(optarg, 1, 65536, &errstr);
			if (errstr != NULL)
				die("bits %s is %s", optarg, errstr);
			break;
		case 'C':
			comment = optarg;
			break;
		case 'f':
			path = optarg;
			break;
		case 'm':
			fmt = parse_format(optarg);
			break;
		case 'N':
			newpass = optarg;
			break;
		case 'P':
			pass = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 't':
			typename = optarg;
			break;
		case 'V':
			printf(PROGNAME " " PACKAGE_VERSION "\n");
			return 0;
		case 'Z':
			if (!key_private_cipher_known(optarg))
				die("unknown cipher %s for key files", optarg);
			cipher = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	/* Accepted only where they mean something. */
	if (fmt != -1 && mode != 'e' && mode != 'i')
		die("-m only goes with -e or -i");
	if (cipher != NULL && mode != 0 && mode != 'p')
		die("-Z only goes with making a key or with -p");
	if (fmt == -1)
		fmt = FMT_RFC4716;
	/* Output order must match what ssh-keygen prints. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	switch (mode) {
	case 'A':
		do_gen_all_hostkeys(path != NULL ? path : HOSTKEY_DIR);
		break;
	case 'l':
		if (path == NULL)
			die("no key file given (use -f file)");
		do_fingerprint(path);
		break;
	case 'y':
		if (path == NULL)
			die("no key file given (use -f file)");
		do_print_public(path, pass);
		break;
	case 'e':
	case 'i':
	case 'p':
		if (path == NULL)
			die("no key file given (use -f file)");
		if (mode == 'e')
			do_export(path, fmt, pass);
		else if (mode == 'i')
			do_import(path, fmt);
		else
			do_change_passphrase(path, pass, newpass, cipher);
		break;
	default:
		if (typename == NULL)
			usage();
		do_generate(typename, bits, path, newpass, comment, cipher);
		break;
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		die("write: %s", strerror(errno));
	return 0;
}
