// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz.c - mutation fuzzer for scripts/recordmcount, built with
 * -fsanitize=address,undefined together with recordmcount_elf.c and
 * recordmcount_sites.c (everything but file I/O).
 *
 * Usage: fuzz ITERATIONS SEED CRASHFILE OBJ...
 *
 * Each iteration takes one of the seed objects, applies 1-4 random
 * mutations (bit flips, random bytes, "interesting" values written over
 * ELF header, section header, symbol and relocation fields, truncation),
 * and runs the tool's whole in-memory path on an exact-size copy, so that
 * any read or write outside the object is caught by ASan.  When the tool
 * produces a new image, that image must itself parse, and a second run on
 * it must change nothing.  A sanitizer report, a failed property or an
 * iteration running longer than 10 s writes the input to CRASHFILE and
 * exits non-zero.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sanitizer/common_interface_defs.h>

#include "recordmcount.h"

struct seed {
	unsigned char *buf;
	size_t size;
	u64 shoff;
	size_t shentsize;
	unsigned int shnum;
};

static const char *crash_path;
static unsigned char *cur;
static size_t cur_len;
static u64 rng_state;

static u64 rnd(void)
{
	/* xorshift64*: reproducible from the seed on the command line */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static void save_input(void)
{
	int fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0) {
		if (write(fd, cur, cur_len) < 0)
			_exit(4);
		close(fd);
	}
}

static void on_alarm(int sig)
{
	(void)sig;
	save_input();
	_exit(3);
}

static void fail(const char *what, unsigned long iter)
{
	fprintf(stderr, "fuzz: iteration %lu: %s (input saved to %s)\n",
		iter, what, crash_path);
	save_input();
	exit(2);
}

static int load_seed(const char *path, struct seed *s)
{
	FILE *f = fopen(path, "rb");
	struct rm_elf e = { .path = path };
	long n;

	if (!f || fseek(f, 0, SEEK_END))
		return -1;
	n = ftell(f);
	if (n <= 0)
		return -1;
	rewind(f);
	s->size = (size_t)n;
	s->buf = malloc(s->size);
	if (!s->buf || fread(s->buf, 1, s->size, f) != s->size)
		return -1;
	fclose(f);
	e.buf = s->buf;
	e.size = s->size;
	if (rm_elf_parse(&e)) {
		fprintf(stderr, "fuzz: seed %s: %s\n", path, e.err);
		return -1;
	}
	s->shentsize = rm_shdr_size(&e);
	s->shnum = e.shnum;
	s->shoff = e.is64 ? rm_get_le(s->buf + 0x28, 8) :
			    rm_get_le(s->buf + 0x20, 4);
	free(e.sh);
	return 0;
}

static u64 interesting(size_t size)
{
	static const u64 vals[] = {
		0, 1, 2, 4, 8, 0x7f, 0x80, 0xff, 0xff00, 0xfeff, 0xffff,
		0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe,
		0x7fffffffffffffffULL, 0xffffffffffffffffULL,
	};
	u64 v = vals[rnd() % ARRAY_SIZE(vals)];

	switch (rnd() % 4) {
	case 0:
		return size;
	case 1:
		return size - 1 - rnd() % 16;
	default:
		return v;
	}
}

static void put_word(unsigned char *p, size_t len, size_t at, int width,
		     u64 v)
{
	if (at + width <= len)
		rm_set_le(p + at, width, v);
}

static void mutate(const struct seed *s, unsigned char *p, size_t *len)
{
	static const int widths[] = { 2, 4, 8 };
	int width = widths[rnd() % 3];
	size_t at;

	switch (rnd() % 6) {
	case 0:		/* flip a bit anywhere */
		at = rnd() % *len;
		p[at] ^= 1u << (rnd() % 8);
		break;
	case 1:		/* random byte anywhere */
		p[rnd() % *len] = (unsigned char)rnd();
		break;
	case 2:		/* interesting value in the ELF header */
		put_word(p, *len, rnd() % 0x34, width, interesting(*len));
		break;
	case 3:		/* interesting value in one section header */
		at = s->shoff + (rnd() % s->shnum) * s->shentsize +
		     rnd() % s->shentsize;
		put_word(p, *len, at, width, interesting(*len));
		break;
	case 4:		/* interesting value anywhere, aligned */
		at = (rnd() % *len) & ~(size_t)(width - 1);
		put_word(p, *len, at, width, interesting(*len));
		break;
	default:	/* truncate */
		*len = 1 + rnd() % *len;
		break;
	}
}

/* Run the tool on the new image (@obj, then @tail): it must parse and be
 * left alone.
 */
static void check_output(const struct rm_elf *obj, const struct rm_buf *tail,
			 const struct rm_stats *st, unsigned long iter)
{
	struct rm_elf e2 = { .path = "output" };
	struct rm_buf again = { 0 };
	struct rm_stats st2;
	enum rm_result res;

	e2.size = obj->size + tail->len;
	e2.buf = malloc(e2.size);
	if (!e2.buf)
		fail("out of memory", iter);
	memcpy(e2.buf, obj->buf, obj->size);
	if (tail->len)
		memcpy(e2.buf + obj->size, tail->p, tail->len);
	if (rm_elf_parse(&e2)) {
		fprintf(stderr, "fuzz: output does not parse: %s\n", e2.err);
		fail("output image is not a valid object", iter);
	}
	res = rm_record(&e2, false, &again, &st2);
	if (res != (st->sites ? RM_ALREADY_DONE : RM_UNCHANGED))
		fail("second run on the output changed it", iter);
	free(again.p);
	free(e2.buf);
	free(e2.sh);
}

static void run_one(unsigned char *p, size_t len, unsigned long iter,
		    unsigned long *parsed, unsigned long *rewritten)
{
	struct rm_elf e = { .path = "input" };
	struct rm_buf img = { 0 };
	struct rm_stats st;

	/* An exact-size heap copy: any access past the end is an ASan report. */
	e.buf = malloc(len);
	e.size = len;
	if (!e.buf)
		fail("out of memory", iter);
	memcpy(e.buf, p, len);
	if (!rm_elf_parse(&e)) {
		(*parsed)++;
		if (rm_record(&e, false, &img, &st) == RM_REWRITTEN) {
			(*rewritten)++;
			check_output(&e, &img, &st, iter);
		}
	}
	free(img.p);
	free(e.buf);
	free(e.sh);
}

int main(int argc, char **argv)
{
	unsigned long iters, i, parsed = 0, rewritten = 0;
	struct seed *seeds;
	int nseeds, k;

	if (argc < 5) {
		fprintf(stderr, "usage: fuzz ITERATIONS SEED CRASHFILE OBJ...\n");
		return 1;
	}
	iters = strtoul(argv[1], NULL, 0);
	rng_state = strtoull(argv[2], NULL, 0) | 1;
	crash_path = argv[3];
	nseeds = argc - 4;
	seeds = calloc(nseeds, sizeof(*seeds));
	for (k = 0; k < nseeds; k++)
		if (!seeds || load_seed(argv[4 + k], &seeds[k]))
			return 1;
	__sanitizer_set_death_callback(save_input);
	signal(SIGALRM, on_alarm);
	for (i = 0; i < iters; i++) {
		const struct seed *s = &seeds[rnd() % nseeds];
		int m, n = 1 + rnd() % 4;

		free(cur);
		cur = malloc(s->size);
		if (!cur)
			fail("out of memory", i);
		memcpy(cur, s->buf, s->size);
		cur_len = s->size;
		for (m = 0; m < n; m++)
			mutate(s, cur, &cur_len);
		alarm(10);
		run_one(cur, cur_len, i, &parsed, &rewritten);
		alarm(0);
	}
	printf("fuzz: %lu inputs, %lu parsed, %lu rewritten and re-checked, no crash\n",
	       iters, parsed, rewritten);
	return 0;
}
