// SPDX-License-Identifier: GPL-2.0
/*
 * container.c - cgroup paths to containers.
 *
 * Each runtime names its cgroups its own way; each matcher below knows one
 * family, looks at the path's components from the root down, and the
 * first component that any matcher takes decides (so Docker in Docker is
 * the outer container, the one the host runs). The shapes, from the
 * runtimes' documented layouts:
 *
 *   Docker, cgroupfs driver      /docker/<id>
 *   Docker, systemd driver       /system.slice/docker-<id>.scope
 *   Kubernetes, cgroupfs         /kubepods[/burstable|/besteffort]/pod<uid>/<id>
 *   Kubernetes, systemd          /kubepods.slice/kubepods-burstable.slice/
 *                                kubepods-burstable-pod<uid_>.slice/
 *                                cri-containerd-<id>.scope | crio-<id>.scope |
 *                                docker-<id>.scope
 *   containerd (CRI)             cri-containerd-<id>.scope
 *   CRI-O                        crio-<id>.scope, crio-conmon-<id>.scope
 *   Podman                       /machine.slice/libpod-<id>.scope[/container],
 *                                libpod-conmon-<id>.scope, /libpod_parent/libpod-<id>
 *   LXC 1.x/2.x                  /lxc/<name>
 *   LXC 3.x                      /lxc.payload/<name>, /lxc.monitor/<name>
 *   LXC 4+, LXD                  /lxc.payload.<name>, /lxc.monitor.<name>
 *   systemd-nspawn               /machine.slice/machine-<name>.scope (systemd
 *                                escapes '-' in <name> as \x2d)
 */
#include <stdio.h>
#include <string.h>

#include "container.h"

#define MAX_COMPS 64

struct comp {
	const char *s;
	size_t len;
};

static int is_hex(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* The value of a lowercase hex digit is_hex() accepted. */
static unsigned int hex_digit(char ch)
{
	return ch <= '9' ? (unsigned int)(ch - '0') : (unsigned int)(ch - 'a' + 10);
}

/* A container id: 64 lowercase hex digits. */
static int is_id(const char *s, size_t len)
{
	return len == CT_ID_MAX && is_hex(s, len);
}

static int has_prefix(const struct comp *c, const char *pfx)
{
	size_t n = strlen(pfx);

	return c->len >= n && !memcmp(c->s, pfx, n);
}

static int has_suffix(const struct comp *c, const char *sfx)
{
	size_t n = strlen(sfx);

	return c->len >= n && !memcmp(c->s + c->len - n, sfx, n);
}

static int is(const struct comp *c, const char *word)
{
	return c->len == strlen(word) && !memcmp(c->s, word, c->len);
}

static void set_id(struct container *c, const char *rt, const char *s,
		   size_t len)
{
	c->runtime = rt;
	memcpy(c->id, s, len);
	c->id[len] = '\0';
}

int container_set_name(struct container *c, const char *rt, const char *s,
		       size_t len)
{
	size_t i;

	if (!len || len > CT_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return 0;
	c->runtime = rt;
	memcpy(c->name, s, len);
	c->name[len] = '\0';
	return 1;
}

/* "<pfx><id><sfx>" with sfx ".scope" or nothing: 1 and the id set. */
static int scope_id(const struct comp *k, const char *pfx, int scope,
		    const char *rt, struct container *c)
{
	size_t p = strlen(pfx), s = scope ? strlen(".scope") : 0;

	if (!has_prefix(k, pfx) || (scope && !has_suffix(k, ".scope")) ||
	    k->len != p + CT_ID_MAX + s || !is_id(k->s + p, CT_ID_MAX))
		return 0;
	set_id(c, rt, k->s + p, CT_ID_MAX);
	return 1;
}

/* Docker: /docker/<id> (cgroupfs) or docker-<id>.scope (systemd). */
static int match_docker(const struct comp *k, size_t n, struct container *c)
{
	if (is(&k[0], "docker") && n > 1 && is_id(k[1].s, k[1].len)) {
		set_id(c, "docker", k[1].s, k[1].len);
		return 1;
	}
	return scope_id(&k[0], "docker-", 1, "docker", c);
}

/* containerd's CRI plugin under systemd: cri-containerd-<id>.scope */
static int match_containerd(const struct comp *k, size_t n,
			    struct container *c)
{
	(void)n;
	return scope_id(&k[0], "cri-containerd-", 1, "containerd", c);
}

/* CRI-O: crio-<id>.scope, and its monitor crio-conmon-<id>.scope */
static int match_crio(const struct comp *k, size_t n, struct container *c)
{
	(void)n;
	return scope_id(&k[0], "crio-conmon-", 1, "crio-conmon", c) ||
	       scope_id(&k[0], "crio-", 1, "crio", c);
}

/* Podman: libpod-<id>.scope (systemd), libpod-<id> (cgroupfs), and its
 * monitor libpod-conmon-<id>.scope */
static int match_podman(const struct comp *k, size_t n, struct container *c)
{
	(void)n;
	return scope_id(&k[0], "libpod-conmon-", 1, "podman-conmon", c) ||
	       scope_id(&k[0], "libpod-", 1, "podman", c) ||
	       scope_id(&k[0], "libpod-", 0, "podman", c);
}

/* The pod uid of "pod<uid>" (cgroupfs) or "kubepods[-qos]-pod<uid_>.slice"
 * (systemd, '-' written as '_'); 1 and c->pod set. */
static int pod_uid(const struct comp *k, struct container *c)
{
	const char *u = NULL, *m;
	size_t len = 0, i;

	if (has_prefix(k, "pod")) {
		u = k->s + 3;
		len = k->len - 3;
	} else if (has_prefix(k, "kubepods-") && has_suffix(k, ".slice")) {
		for (m = k->s + k->len - 6; m > k->s + 8; m--)
			if (!memcmp(m - 4, "-pod", 4))
				break;
		if (m <= k->s + 8)
			return 0;
		u = m;
		len = (size_t)(k->s + k->len - 6 - m);
	}
	if (!u || !len || len > CT_POD_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		char ch = u[i] == '_' ? '-' : u[i];

		if (ch != '-' && !is_hex(&ch, 1))
			return 0;
		c->pod[i] = ch;
	}
	c->pod[len] = '\0';
	return 1;
}

/*
 * Kubernetes: kubepods[.slice], QoS levels, the pod, then the container:
 * a bare id (cgroupfs driver; the runtime is not in the path) or one of
 * the runtimes' scopes (systemd driver).
 */
static int match_kubepods(const struct comp *k, size_t n,
			  struct container *c)
{
	size_t i;

	if (!is(&k[0], "kubepods") && !is(&k[0], "kubepods.slice"))
		return 0;
	for (i = 1; i < n && !pod_uid(&k[i], c); i++)
		;
	if (i >= n)
		return 0;
	if (i + 1 < n && is_id(k[i + 1].s, k[i + 1].len)) {
		set_id(c, "kubepods", k[i + 1].s, k[i + 1].len);
		return 1;
	}
	if (i + 1 < n && (match_containerd(&k[i + 1], 1, c) ||
			  match_crio(&k[i + 1], 1, c) ||
			  match_docker(&k[i + 1], 1, c)))
		return 1;
	c->runtime = "kubepods";	/* the pod's own cgroup */
	return 1;
}

/* LXC and LXD: /lxc/<name>, /lxc.payload/<name>, /lxc.payload.<name>,
 * and the monitor's /lxc.monitor[./]<name> */
static int match_lxc(const struct comp *k, size_t n, struct container *c)
{
	static const struct {
		const char *word, *rt;
	} dirs[] = {
		{ "lxc", "lxc" }, { "lxc.payload", "lxc" },
		{ "lxc.monitor", "lxc-monitor" },
	}, dots[] = {
		{ "lxc.payload.", "lxc" }, { "lxc.monitor.", "lxc-monitor" },
	};
	size_t i, p;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (is(&k[0], dirs[i].word) && n > 1)
			return container_set_name(c, dirs[i].rt, k[1].s, k[1].len);
	for (i = 0; i < sizeof(dots) / sizeof(dots[0]); i++) {
		p = strlen(dots[i].word);
		if (has_prefix(&k[0], dots[i].word))
			return container_set_name(c, dots[i].rt, k[0].s + p, k[0].len - p);
	}
	return 0;
}

/* systemd-nspawn (machined): machine-<name>.scope, \xNN unescaped */
static int match_nspawn(const struct comp *k, size_t n, struct container *c)
{
	char name[CT_NAME_MAX + 1];
	const char *s = k[0].s + 8, *end = k[0].s + k[0].len - 6;
	size_t len = 0;
	unsigned int v;

	(void)n;
	if (!has_prefix(&k[0], "machine-") || !has_suffix(&k[0], ".scope") ||
	    end <= s)
		return 0;
	while (s < end && len < CT_NAME_MAX) {
		/*
		 * Decoded by hand: the path is not NUL-terminated, and sscanf()
		 * reads its whole input to the NUL first (the fuzzer found it).
		 */
		v = end - s >= 4 && s[0] == '\\' && s[1] == 'x' && is_hex(s + 2, 2) ?
			hex_digit(s[2]) << 4 | hex_digit(s[3]) : 0;
		if (v) {
			name[len++] = (char)v;
			s += 4;
		} else {
			name[len++] = *s++;
		}
	}
	if (s < end)
		return 0;
	return container_set_name(c, "nspawn", name, len);
}

typedef int (*matcher)(const struct comp *k, size_t n, struct container *c);

static const matcher matchers[] = {
	match_kubepods, match_docker, match_containerd, match_crio,
	match_podman, match_lxc, match_nspawn,
};

int container_from_path(const char *path, size_t len, struct container *c)
{
	struct comp k[MAX_COMPS];
	const char *p = path, *end = path + len, *slash;
	size_t n = 0, i, m;

	memset(c, 0, sizeof(*c));
	while (p < end && n < MAX_COMPS) {
		slash = memchr(p, '/', (size_t)(end - p));
		if (!slash)
			slash = end;
		if (slash > p) {
			k[n].s = p;
			k[n].len = (size_t)(slash - p);
			n++;
		}
		p = slash + 1;
	}
	for (i = 0; i < n; i++)
		for (m = 0; m < sizeof(matchers) / sizeof(matchers[0]); m++) {
			if (matchers[m](&k[i], n - i, c))
				return 1;
			memset(c, 0, sizeof(*c));
		}
	return 0;
}

/* The path of a "hierarchy:controllers:path" line; NULL if malformed. */
static const char *line_path(const char *s, size_t len, size_t *plen,
			     int *unified)
{
	const char *c1 = memchr(s, ':', len), *c2;

	if (!c1)
		return NULL;
	c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - s));
	if (!c2)
		return NULL;
	*unified = c1 - s == 1 && s[0] == '0' && c2 == c1 + 1;
	*plen = len - (size_t)(c2 + 1 - s);
	return c2 + 1;
}

int container_from_cgroup(const char *text, size_t len, struct container *c)
{
	const char *p, *end = text + len, *nl, *path;
	size_t plen;
	int pass, unified;

	/* pass 0: the v2 line; pass 1: every v1 line */
	for (pass = 0; pass < 2; pass++) {
		for (p = text; p < end; p = nl + 1) {
			nl = memchr(p, '\n', (size_t)(end - p));
			if (!nl)
				nl = end;
			path = line_path(p, (size_t)(nl - p), &plen, &unified);
			if (path && unified == !pass &&
			    container_from_path(path, plen, c))
				return 1;
		}
	}
	memset(c, 0, sizeof(*c));
	return 0;
}

void container_label(const struct container *c, char *buf, size_t size)
{
	if (!c || !c->runtime)
		snprintf(buf, size, "-");
	else if (c->id[0] && c->name[0])
		snprintf(buf, size, "%s:%.12s(%s)", c->runtime, c->id, c->name);
	else if (c->id[0])
		snprintf(buf, size, "%s:%.12s", c->runtime, c->id);
	else if (c->name[0])
		snprintf(buf, size, "%s:%s", c->runtime, c->name);
	else if (c->pod[0])
		snprintf(buf, size, "%s:pod%s", c->runtime, c->pod);
	else
		snprintf(buf, size, "%s", c->runtime);
}

int container_match(const struct container *c, const char *q)
{
	size_t n = strlen(q), rl;

	if (!c->runtime || !n)
		return 0;
	if (!strcmp(c->name, q))
		return 2;
	rl = strlen(c->runtime);
	/* "docker:0123" names the runtime too */
	if (n > rl && !strncmp(q, c->runtime, rl) && q[rl] == ':') {
		q += rl + 1;
		n -= rl + 1;
		if (!strcmp(c->name, q))
			return 2;
	}
	if (n && c->id[0] && n <= CT_ID_MAX && !strncmp(c->id, q, n))
		return 1;
	return 0;
}
