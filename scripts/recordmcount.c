// SPDX-License-Identifier: GPL-2.0
/*
 * recordmcount - record the __fentry__/mcount call sites of relocatable
 * objects in a __mcount_loc section, for dynamic ftrace.
 *
 * Usage: recordmcount [-w] file.o...
 *
 * Kbuild runs it on every C object compiled with $(CC_FLAGS_FTRACE) when
 * the compiler cannot emit the table itself (FTRACE_MCOUNT_USE_RECORDMCOUNT).
 * For each file: read it whole, validate it, compute the complete new image
 * in memory (recordmcount_sites.c), write that to a temporary file in the
 * same directory and rename() it over the original.  So a file is either
 * left byte-for-byte as it was (errors, nothing to do, already processed)
 * or replaced by a complete new object; it is never half-written.
 *
 * -w prints a warning for each call turned into a NOP because its section
 * is not traced, and for each reference to __fentry__/mcount that is not a
 * direct call.
 *
 * Exit status: 0 if every file was processed or left alone on purpose,
 * 1 if any file failed (each failure is one line on stderr naming the file).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "recordmcount.h"

static int read_file(int fd, struct rm_elf *e, struct stat *st)
{
	size_t done = 0;

	if (fstat(fd, st))
		return rm_fail(e, "stat: %s", strerror(errno));
	if (!S_ISREG(st->st_mode))
		return rm_fail(e, "not a regular file");
	e->size = (size_t)st->st_size;
	e->buf = malloc(e->size ? e->size : 1);
	if (!e->buf)
		return rm_fail(e, "out of memory for %zu bytes", e->size);
	while (done < e->size) {
		ssize_t n = read(fd, e->buf + done, e->size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return rm_fail(e, "read: %s",
				       n ? strerror(errno) : "file shrank");
		done += (size_t)n;
	}
	return 0;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Write the new image (e->buf, then the tail @tail) to a new file beside
 * e->path, then rename it over e->path.
 */
static int replace_file(struct rm_elf *e, const struct rm_buf *tail,
			mode_t mode)
{
	size_t len = strlen(e->path);
	char *tmp = malloc(len + sizeof(".rmcXXXXXX"));
	int fd, err = 0;

	if (!tmp)
		return rm_fail(e, "out of memory");
	memcpy(tmp, e->path, len);
	memcpy(tmp + len, ".rmcXXXXXX", sizeof(".rmcXXXXXX"));
	fd = mkstemp(tmp);
	if (fd < 0) {
		rm_fail(e, "cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	errno = 0;
	if (fchmod(fd, mode & 07777) || write_all(fd, e->buf, e->size) ||
	    write_all(fd, tail->p, tail->len))
		err = errno ? errno : EIO;
	if (close(fd) && !err)
		err = errno;
	if (!err && rename(tmp, e->path))
		err = errno;
	if (err) {
		unlink(tmp);
		rm_fail(e, "cannot write the new object: %s", strerror(err));
	}
	free(tmp);
	return err ? -1 : 0;
}

static enum rm_result process(struct rm_elf *e, bool warn,
			      struct rm_stats *st)
{
	struct rm_buf tail = { 0 };
	enum rm_result res = RM_ERROR;
	struct stat sb;
	int fd;

	fd = open(e->path, O_RDONLY);
	if (fd < 0) {
		rm_fail(e, "cannot open: %s", strerror(errno));
		return RM_ERROR;
	}
	if (!read_file(fd, e, &sb) && !rm_elf_parse(e))
		res = rm_record(e, warn, &tail, st);
	close(fd);
	if (res == RM_REWRITTEN && replace_file(e, &tail, sb.st_mode))
		res = RM_ERROR;
	free(tail.p);
	return res;
}

static int do_file(const char *path, bool warn)
{
	struct rm_elf e = { .path = path };
	struct rm_stats st;
	enum rm_result res = process(&e, warn, &st);

	free(e.buf);
	free(e.sh);
	switch (res) {
	case RM_ERROR:
		fprintf(stderr, "recordmcount: %s: %s\n", path, e.err);
		return 1;
	case RM_ALREADY_DONE:
		fprintf(stderr, "recordmcount: %s: __mcount_loc already present, left unchanged\n",
			path);
		return 0;
	default:
		return 0;
	}
}

int main(int argc, char **argv)
{
	bool warn = false;
	int i, failed = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-w")) {
			fprintf(stderr, "recordmcount: unknown option %s\n",
				argv[i]);
			fprintf(stderr, "usage: recordmcount [-w] file.o...\n");
			return 1;
		}
		warn = true;
	}
	if (i == argc) {
		fprintf(stderr, "usage: recordmcount [-w] file.o...\n");
		return 1;
	}
	for (; i < argc; i++)
		failed |= do_file(argv[i], warn);
	return failed;
}
