/* SPDX-License-Identifier: GPL-2.0 */
/*
 * modctl.h - load and unload nspid_map from a test, with the
 * init_module/delete_module syscalls (no modprobe, any kernel). The .ko
 * comes from $NSPID_MODULE, which the VM's init exports.
 */
#ifndef NSPID_MODCTL_H
#define NSPID_MODCTL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "map.h"
#include "oracle.h"

#define MOD_NAME	"nspid_map"

static void *mod_image;
static size_t mod_len;

/* The module's bytes, read once. -1 when there is no module to test. */
static int mod_read_image(void)
{
	const char *path = getenv("NSPID_MODULE");
	struct stat st;
	int fd;

	if (mod_image)
		return 0;
	if (!path || !*path)
		return -1;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !st.st_size) {
		close(fd);
		return -1;
	}
	mod_image = malloc(st.st_size);
	if (!mod_image || read(fd, mod_image, st.st_size) != st.st_size) {
		free(mod_image);
		mod_image = NULL;
		close(fd);
		return -1;
	}
	mod_len = st.st_size;
	close(fd);
	return 0;
}

/* 0 or -errno. */
static int mod_load(void)
{
	if (mod_read_image())
		return -ENOENT;
	return syscall(SYS_init_module, mod_image, mod_len, "") ? -errno : 0;
}

/* One try: 0 or -errno. */
static int mod_unload(void)
{
	return syscall(SYS_delete_module, MOD_NAME, O_NONBLOCK) ? -errno : 0;
}

static int is_busy(int err)
{
	return err == -EBUSY || err == -EAGAIN || err == -EWOULDBLOCK;
}

/*
 * Unload, retrying while busy (readers hold the file, on kernels that
 * refuse then). 0, or the last -errno.
 */
static int mod_unload_retry(long max_tries)
{
	long i;
	int r = -EBUSY;

	for (i = 0; i < max_tries && is_busy(r); i++) {
		r = mod_unload();
		if (is_busy(r))
			usleep(i < 100 ? 50 : 1000);
	}
	return r;
}

/*
 * Unload while other threads keep opening the file. Where an open file
 * pins the module (before 3.10, RHEL 6: nspid_pin_module()), four threads
 * looping open/ioctl/close on two CPUs are seldom all closed at once, and
 * 20,000 refused O_NONBLOCK tries fail (RHEL 6.8: EAGAIN after 26 s) or,
 * where each try is a stop_machine() with two kthread creations (2.6.32.69,
 * about 12 ms a try), run past the test's timeout. So after 100 refused
 * tries unload without O_NONBLOCK: before 3.13 ("module:
 * remove rmmod --wait option") the kernel then marks the module going, so
 * that try_module_get() and with it every new open fails, and waits for
 * the open files to close. 0, or the last -errno.
 */
static inline int mod_unload_while_opened(void)
{
	int r = mod_unload_retry(100);

	if (is_busy(r))
		r = syscall(SYS_delete_module, MOD_NAME, 0) ? -errno : 0;
	return r;
}

/*
 * Is the entry listed in /proc? Read the directory rather than look the
 * path up: before 4.17 a removed proc entry whose dentry an open file still
 * pins stays reachable by path (access() succeeds) until the last descriptor
 * is closed; 4.17 (commit 1da4d377f943, "proc: revalidate misc dentries":
 * absent in 4.15, present in 4.18) makes the lookup fail at once. The
 * directory listing loses the entry the moment remove_proc_entry() or
 * proc_remove() runs on every kernel, so a module that forgets to remove
 * it is still caught.
 */
static int map_exists(void)
{
	const char *name = strrchr(MAP_PATH, '/') + 1;
	struct dirent *de;
	int found = 0;
	DIR *d;

	d = opendir("/proc");
	if (!d)
		return 0;
	while (!found && (de = readdir(d)))
		found = !strcmp(de->d_name, name);
	closedir(d);
	return found;
}

/*
 * Does a path lookup of /proc/nspid_map find a re-created entry while a
 * descriptor of the removed one is still open? Only from 4.17 (commit
 * 1da4d377f943, proc_misc_d_revalidate). Before, that descriptor pins the
 * old, hashed dentry and every lookup returns it, so opening the reloaded
 * module's file fails with ENOENT (proc_reg_open() on a removed entry)
 * until the last such descriptor is closed. The entry is listed in /proc
 * meanwhile (map_exists()). A kernel property, not the module's.
 */
static inline int proc_lookup_sees_reloaded_entry(void)
{
	return kernel_at_least(4, 17);
}

/*
 * An open() that found the entry just before remove_proc_entry() took its
 * file operations away: before 3.10, proc_reg_open() answers EINVAL there
 * (2.6.32.69 fs/proc/inode.c: "if (!pde->proc_fops) ... return -EINVAL");
 * 3.10's use_pde() rework, and RHEL 6.8's backport, answer ENOENT. Seen
 * only with two CPUs (the lookup and the removal run at the same time).
 */
static inline int open_raced_removal(int err)
{
	return err == EINVAL && !kernel_at_least(3, 10);
}

/*
 * The fixture of the tests that unload the module: loaded when a test
 * starts, loaded again (if the test left it out) when it ends. A test file
 * defines MODCTL_FIXTURE before including this header, after
 * kselftest_harness.h, to get it.
 */
#ifdef MODCTL_FIXTURE
FIXTURE(mod) {
	int dummy;
};

FIXTURE_SETUP(mod)
{
	if (mod_read_image())
		SKIP(return, "no module image ($NSPID_MODULE unset or unreadable)");
	ASSERT_TRUE(map_exists()) TH_LOG("module not loaded at test start");
}

FIXTURE_TEARDOWN(mod)
{
	int r;

	if (map_exists())
		return;
	r = mod_load();
	EXPECT_EQ(0, r) TH_LOG("reloading the module: %s", strerror(-r));
}
#endif /* MODCTL_FIXTURE */

#endif /* NSPID_MODCTL_H */
