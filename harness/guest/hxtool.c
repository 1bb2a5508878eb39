// SPDX-License-Identifier: GPL-2.0
/*
 * hxtool: the guest's timing helper for `make bench` (static, no libc
 * surprises).  Every command prints one number on stdout:
 *
 *   hxtool write FILE STRING       ns for open(O_TRUNC) + write + close
 *   hxtool write-ipi FILE STRING   the same, then the function-call IPIs
 *                                  (CAL line of /proc/interrupts, all
 *                                  CPUs) taken meanwhile: "NS IPIS"
 *   hxtool append-each FILE NAMES  ns to append each line of NAMES with
 *                                  its own open(O_APPEND)/write/close
 *   hxtool write-all FILE NAMES    ns to write all lines of NAMES through
 *                                  one open; partial writes are resumed
 *   hxtool read FILE               ns to read FILE to its end
 *   hxtool getppid N               ns per getppid() over N calls
 *   hxtool insmod FILE             ns for finit_module() of FILE
 *   hxtool rmmod NAME              ns for delete_module() of NAME
 *   hxtool try FILE t|a CHUNK DATA open FILE (t: O_TRUNC, a: O_APPEND),
 *                                  write DATA in writes of CHUNK bytes
 *                                  (0: one write; a short write goes on
 *                                  from where it stopped), close; prints
 *                                  "ok" or the errno name of the first
 *                                  call that failed ("write EINVAL")
 *
 * Exit status 1 and a message on stderr when a call fails.  write-ipi
 * reads the counters in the same process right around the write, so no
 * fork, exec or pipe of a shell falls into the count.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void fail(const char *what, const char *arg)
{
	fprintf(stderr, "hxtool: %s %s: %s\n", what, arg, strerror(errno));
	exit(1);
}

/* Write all of buf, resuming after partial writes. */
static void write_full(int fd, const char *buf, size_t len, const char *name)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail("write", name);
		}
		buf += n;
		len -= n;
	}
}

/* open(flags) + write of all of buf + close, as one shell redirection does. */
static void put_file(const char *file, int flags, const char *buf, size_t len)
{
	int fd = open(file, O_WRONLY | flags);

	if (fd < 0)
		fail("open", file);
	write_full(fd, buf, len, file);
	if (close(fd))
		fail("close", file);
}

static const char *errno_name(int e)
{
	static char num[16];

	switch (e) {
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EBUSY: return "EBUSY";
	case ENODEV: return "ENODEV";
	case ENOMEM: return "ENOMEM";
	case EPERM: return "EPERM";
	case E2BIG: return "E2BIG";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ENOSPC: return "ENOSPC";
	case EFAULT: return "EFAULT";
	case ERANGE: return "ERANGE";
	case ESRCH: return "ESRCH";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	}
	snprintf(num, sizeof(num), "E%d", e);
	return num;
}

/* hxtool try: what a writer of FILE is told, call by call. */
static int cmd_try(const char *file, const char *mode, long chunk,
		   const char *data)
{
	size_t len = strlen(data), off = 0;
	int fd = open(file, O_WRONLY | (*mode == 'a' ? O_APPEND : O_TRUNC));

	if (fd < 0) {
		printf("open %s\n", errno_name(errno));
		return 0;
	}
	while (off < len) {
		size_t n = chunk > 0 && (size_t)chunk < len - off ? chunk : len - off;
		ssize_t w = write(fd, data + off, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			printf("write %s\n", w < 0 ? errno_name(errno) : "0");
			close(fd);
			return 0;
		}
		off += w;
	}
	if (close(fd)) {
		printf("close %s\n", errno_name(errno));
		return 0;
	}
	printf("ok\n");
	return 0;
}

static char *slurp(const char *path, size_t *lenp)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0 || !buf)
		fail("open", path);
	while ((n = read(fd, buf + len, cap - len)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				fail("realloc", path);
		}
	}
	if (n < 0)
		fail("read", path);
	close(fd);
	*lenp = len;
	return buf;
}

static long long cmd_write(const char *file, const char *str)
{
	long long t0 = now_ns();

	put_file(file, O_TRUNC, str, strlen(str));
	return now_ns() - t0;
}

/* Sum of the CAL counters of all CPUs. */
static long long cal_count(void)
{
	size_t len;
	char *buf = slurp("/proc/interrupts", &len), *p, *end;
	long long sum = 0;

	buf = realloc(buf, len + 1);
	if (!buf)
		fail("realloc", "/proc/interrupts");
	buf[len] = 0;
	p = strstr(buf, "CAL:");
	if (!p)
		fail("find CAL in", "/proc/interrupts");
	p += 4;
	for (;;) {
		long long v = strtoll(p, &end, 10);

		if (end == p)
			break;
		sum += v;
		p = end;
	}
	free(buf);
	return sum;
}

static void cmd_write_ipi(const char *file, const char *str)
{
	long long c0 = cal_count(), t0 = now_ns(), t1, c1;

	put_file(file, O_TRUNC, str, strlen(str));
	t1 = now_ns();
	c1 = cal_count();
	printf("%lld %lld\n", t1 - t0, c1 - c0);
}

static long long cmd_append_each(const char *file, const char *names)
{
	size_t len;
	char *buf = slurp(names, &len), *p = buf, *end = buf + len;
	long long t0 = now_ns();

	while (p < end) {
		char *nl = memchr(p, '\n', end - p);
		size_t l = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		put_file(file, O_APPEND, p, l);
		p += l;
	}
	return now_ns() - t0;
}

static long long cmd_write_all(const char *file, const char *names)
{
	size_t len;
	char *buf = slurp(names, &len);
	long long t0 = now_ns();

	put_file(file, O_TRUNC, buf, len);
	return now_ns() - t0;
}

static long long cmd_read(const char *file)
{
	static char buf[1 << 16];
	long long t0 = now_ns();
	int fd = open(file, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		fail("open", file);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0)
		fail("read", file);
	close(fd);
	return now_ns() - t0;
}

static long long cmd_getppid(long n)
{
	long long t0 = now_ns();
	long i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	return (now_ns() - t0) / n;
}

static long long cmd_insmod(const char *file)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	long long t0;

	if (fd < 0)
		fail("open", file);
	t0 = now_ns();
	if (syscall(SYS_finit_module, fd, "", 0))
		fail("finit_module", file);
	t0 = now_ns() - t0;
	close(fd);
	return t0;
}

static long long cmd_rmmod(const char *name)
{
	long long t0 = now_ns();

	if (syscall(SYS_delete_module, name, O_NONBLOCK))
		fail("delete_module", name);
	return now_ns() - t0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	long long r;

	if (!strcmp(c, "write") && argc == 4) {
		r = cmd_write(argv[2], argv[3]);
	} else if (!strcmp(c, "write-ipi") && argc == 4) {
		cmd_write_ipi(argv[2], argv[3]);
		return 0;
	} else if (!strcmp(c, "append-each") && argc == 4) {
		r = cmd_append_each(argv[2], argv[3]);
	} else if (!strcmp(c, "write-all") && argc == 4) {
		r = cmd_write_all(argv[2], argv[3]);
	} else if (!strcmp(c, "read") && argc == 3) {
		r = cmd_read(argv[2]);
	} else if (!strcmp(c, "getppid") && argc == 3 && atol(argv[2]) > 0) {
		r = cmd_getppid(atol(argv[2]));
	} else if (!strcmp(c, "insmod") && argc == 3) {
		r = cmd_insmod(argv[2]);
	} else if (!strcmp(c, "rmmod") && argc == 3) {
		r = cmd_rmmod(argv[2]);
	} else if (!strcmp(c, "try") && argc == 6 &&
		   (!strcmp(argv[3], "t") || !strcmp(argv[3], "a"))) {
		return cmd_try(argv[2], argv[3], atol(argv[4]), argv[5]);
	} else {
		fprintf(stderr, "usage: hxtool write|write-ipi|append-each|write-all|read|getppid|insmod|rmmod|try ...\n");
		return 2;
	}
	printf("%lld\n", r);
	return 0;
}
