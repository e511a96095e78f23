/* config.c: nanosshd's settings (stub; the table-driven parser follows). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/config.h"
#include "protocol/ssherr.h"

struct cfg {
	char *path;
	struct cfg_settings global;
};

int
cfg_load(const char *path, const char *const *overrides, size_t noverrides,
    struct cfg **cfgp, char **errsp)
{
	*cfgp = NULL;
	if (errsp != NULL)
		*errsp = strdup("config: not implemented yet\n");
	return SSH_ERR_INTERNAL_ERROR;
}

void
cfg_free(struct cfg *cfg)
{
	free(cfg);
}

const struct cfg_settings *
cfg_global(const struct cfg *cfg)
{
	return &cfg->global;
}

const char *
cfg_path(const struct cfg *cfg)
{
	return cfg->path;
}

int
cfg_effective(const struct cfg *cfg, const char *user,
    const char *const *groups, size_t ngroups, const char *addr,
    struct cfg_settings **outp)
{
	*outp = NULL;
	return SSH_ERR_INTERNAL_ERROR;
}

void
cfg_settings_free(struct cfg_settings *s)
{
	free(s);
}

int
cfg_dump(const struct cfg_settings *s, FILE *out)
{
	return SSH_ERR_INTERNAL_ERROR;
}

int
cfg_listen_split(const char *spec, char **hostp, char **portp)
{
	*hostp = *portp = NULL;
	return SSH_ERR_INTERNAL_ERROR;
}

const char *
cfg_log_level_name(int level)
{
	static const char *const names[] = { "error", "info", "verbose", "debug" };

	if (level < 0 || level > CFG_LOG_DEBUG)
		return "unknown";
	return names[level];
}
