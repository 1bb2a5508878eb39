// SPDX-License-Identifier: GPL-2.0
/*
 * Filter files: what a set_ftrace_filter or set_ftrace_notrace write
 * selects, resolved through our name tables (names.c), never a kallsyms
 * call per site.
 *
 * A write is a list of tokens separated by white space, each as upstream
 * takes it:
 *
 *   [!]pattern                 the sites whose function name matches
 *                              (filter_parse_regex(): full name, "foo*",
 *                              "*foo", "*foo*" or a glob); '!' removes
 *   [!]N                       the N-th line of available_filter_functions
 *   [!][pattern]:mod:[!]module the matching sites of the matching modules
 *                              (an empty pattern: all their sites; an
 *                              empty module: every module; "!module":
 *                              the kernel and every other module)
 *
 * Exact names and prefixes resolve through the sorted name index in
 * O(log n + k) per chunk, the other patterns by one scan of the distinct
 * names.  A token that selects nothing is refused (-EINVAL), except a
 * :mod: token (upstream remembers it for a module loaded later; that
 * cache is not ours yet).  Other commands (func:cmd:param) are part 2:
 * -EOPNOTSUPP.
 *
 * A token may span writes, as with upstream's parser ("dd bs=1"): what
 * follows a write's last white space is kept by the open file (the
 * writer's carry) until a later write or the close ends it.  A write of
 * more than a page is taken up to its last white space within the first
 * page (a short write: the writer goes on with the rest).  A token longer
 * than upstream's parser takes (FILTER_TOKEN_MAX) is refused, -EINVAL.
 *
 * Each write is applied whole or not at all: its tokens are resolved into
 * a new site set, which replaces the file's pending set only if every
 * token was good.  As upstream does, the pending set starts empty when the
 * file is opened with O_TRUNC ('>'), from the published set otherwise
 * ('>>'), and is published when the file is closed, unless a write of
 * that open was refused: then nothing is published, not even the
 * truncation (upstream publishes what it took).  Readers list the
 * published set (listing.c), holding a reference to it: a writer
 * replacing it never changes what a reader walks.
 *
 * Beside upstream's core, the files are tracefs'
 * ftrace_core/set_ftrace_{filter,notrace} and no ops uses their sets: a
 * kselftest compares what they select with upstream's files.  When our
 * core runs ftrace, they are the global ops' filter and notrace sets.
 *
 * Locking: filter_lock protects the published sets (written under it,
 * read under it with a reference taken); resolving holds
 * ftrace_core_chunks_lock (records.c) so that the chunks stay listed.
 * Order: filter_lock > ftrace_core_chunks_lock > ftrace_core_names_lock.
 * A chunk marked dropped (a going module's, live core) is listed still
 * but selected by no token: its sites left the sets already.
 */
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "../trace.h"
#include "internal.h"

/* Longest write taken at once (upstream's parser buffer is a page too). */
#define FILTER_WRITE_MAX	PAGE_SIZE
/* The longest token, as upstream's parser (FTRACE_BUFF_MAX less its NUL) */
#define FILTER_TOKEN_MAX	(KSYM_SYMBOL_LEN + 3)

static DEFINE_MUTEX(filter_lock);

/* The published sets of set_ftrace_filter and set_ftrace_notrace. */
static struct ftrace_sites *filter_sets[2] = {
	FTRACE_SITES_NONE_SET, FTRACE_SITES_NONE_SET,
};

/* One open for writing: the set it will publish. */
struct filter_file {
	struct ftrace_filter_writer w;
};

/* What one token asks for. */
struct filter_token {
	struct ftrace_name_pattern func;
	struct ftrace_name_pattern mod;
	bool has_mod;
	bool exclude_mod;	/* :mod:!module */
	bool is_index;
	unsigned long index;	/* 1-based line of the listing */
};

/* Upstream's match kinds as ours; MATCH_INDEX is handled before. */
static notrace enum ftrace_name_match filter_kind(enum regex_type t)
{
	switch (t) {
	case MATCH_FRONT_ONLY:
		return FTRACE_NAME_FRONT;
	case MATCH_MIDDLE_ONLY:
		return FTRACE_NAME_MIDDLE;
	case MATCH_END_ONLY:
		return FTRACE_NAME_END;
	case MATCH_GLOB:
		return FTRACE_NAME_GLOB;
	default:
		return FTRACE_NAME_FULL;
	}
}

/*
 * Split @tok ("[!]func[:mod:[!]module]", changed in place) into @t.
 * Returns whether it removes sites ('!'), or an error.
 */
static notrace int filter_parse(char *tok, struct filter_token *t)
{
	char *cmd, *param = NULL, *search;
	enum regex_type type;
	int not, mnot;

	memset(t, 0, sizeof(*t));
	cmd = strchr(tok, ':');
	if (cmd) {
		*cmd++ = '\0';
		param = strchr(cmd, ':');
		if (param)
			*param++ = '\0';
		if (strcmp(cmd, "mod"))
			return -EOPNOTSUPP;	/* function commands: part 2 */
		if (!param)
			return -EINVAL;
	}
	type = filter_parse_regex(tok, strlen(tok), &search, &not);
	if (type == MATCH_INDEX) {
		if (param || kstrtoul(search, 0, &t->index) || !t->index)
			return -EINVAL;
		t->is_index = true;
		return not;
	}
	t->func.type = filter_kind(type);
	t->func.str = search;
	t->func.len = strlen(search);
	if (param) {
		type = filter_parse_regex(param, strlen(param), &search, &mnot);
		t->has_mod = true;
		t->exclude_mod = mnot;
		t->mod.type = type == MATCH_INDEX ? FTRACE_NAME_FULL
						  : filter_kind(type);
		t->mod.str = search;
		t->mod.len = strlen(search);
	}
	return not;
}

/* Does the token's module part take chunk @c? */
static notrace bool filter_takes_chunk(const struct filter_token *t,
				       const struct ftrace_chunk *c)
{
	const char *modname = c->mod ? c->mod->name : NULL;

	if (c->dropped)		/* a going module's, out of the filters */
		return false;
	if (!t->has_mod)
		return true;
	if (!t->mod.len)	/* every module, or with '!' the kernel */
		return t->exclude_mod == !modname;
	return (modname && ftrace_name_matches(&t->mod, modname)) !=
	       t->exclude_mod;
}

struct filter_collect {
	struct ftrace_ipvec *v;
	const struct ftrace_chunk *c;
};

static notrace int filter_push(void *data, unsigned int site)
{
	struct filter_collect *fc = data;

	if (ftrace_chunk_site_gone(fc->c, site))
		return 0;
	return ftrace_ipvec_push(fc->v, fc->c->ip[site], GFP_KERNEL);
}

/* The N-th listed site, or -EINVAL past the last. */
static notrace int filter_by_index(unsigned long index, struct ftrace_ipvec *v)
{
	struct ftrace_chunk *c;
	unsigned int i;

	for (c = ftrace_chunk_next(NULL); c; c = ftrace_chunk_next(c))
		for (i = 0; i < c->nr; i++)
			if (!ftrace_chunk_site_gone(c, i) && !--index)
				return c->dropped ? 0 :	/* selects nothing */
				       ftrace_ipvec_push(v, c->ip[i],
							 GFP_KERNEL);
	return -EINVAL;
}

/* The sites one token selects, into @v. */
static notrace int filter_resolve(const struct filter_token *t,
				  struct ftrace_ipvec *v)
{
	struct filter_collect fc = { .v = v };
	struct ftrace_chunk *c;
	unsigned int i;
	int ret;

	lockdep_assert_held(&ftrace_core_chunks_lock);
	if (t->is_index)
		return filter_by_index(t->index, v);
	for (c = ftrace_chunk_next(NULL); c; c = ftrace_chunk_next(c)) {
		const struct ftrace_names *n;

		if (!filter_takes_chunk(t, c))
			continue;
		n = ftrace_chunk_names(c);
		if (IS_ERR(n))
			return PTR_ERR(n);
		fc.c = c;
		if (t->has_mod && !t->func.len) {	/* all its sites */
			for (i = 0; i < c->nr; i++) {
				if (!ftrace_names_named(n, i))
					continue;
				ret = filter_push(&fc, i);
				if (ret)
					return ret;
			}
			continue;
		}
		ret = ftrace_names_match(n, &t->func, filter_push, &fc);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * Apply one token to *@set (replaced by the result); with @named, the
 * sites a token without '!' selects are appended to @named too (one
 * sort at the end of the write, not a merge per token).
 */
static notrace int filter_apply(char *tok, struct ftrace_sites **set,
				struct ftrace_ipvec *named)
{
	unsigned int i;
	struct ftrace_ipvec v = {};
	struct ftrace_sites *s, *res;
	struct filter_token t;
	int not, ret;

	not = filter_parse(tok, &t);
	if (not < 0)
		return not;
	mutex_lock(&ftrace_core_chunks_lock);
	ret = filter_resolve(&t, &v);
	mutex_unlock(&ftrace_core_chunks_lock);
	if (!ret && !v.nr && !t.has_mod)
		ret = -EINVAL;	/* selects nothing */
	for (i = 0; !ret && named && !not && i < v.nr; i++)
		ret = ftrace_ipvec_push(named, v.ip[i], GFP_KERNEL);
	if (ret) {
		ftrace_ipvec_free(&v);
		return ret;
	}
	s = ftrace_sites_from(v.ip, v.nr, GFP_KERNEL);
	ftrace_ipvec_free(&v);
	if (IS_ERR(s))
		return PTR_ERR(s);
	res = not ? ftrace_sites_minus(*set, s, GFP_KERNEL)
		  : ftrace_sites_union(*set, s, GFP_KERNEL);
	ftrace_sites_put(s);
	if (IS_ERR(res))
		return PTR_ERR(res);
	ftrace_sites_put(*set);
	*set = res;
	return 0;
}

/**
 * ftrace_filter_write_tokens() - apply a write's tokens to a set, whole
 * @buf: the tokens, separated by white space (changed in place)
 * @set: the set; replaced by the result only if every token is good
 *
 * Context: process context; takes ftrace_core_chunks_lock; may sleep.
 * Return: 0, or the first bad token's error (@set unchanged).
 */
notrace int ftrace_filter_write_tokens(char *buf, struct ftrace_sites **set)
{
	return ftrace_filter_write_named(buf, set, NULL);
}

/**
 * ftrace_filter_write_named() - apply a write's tokens to a set, whole,
 * and say which sites they named
 * @buf: the tokens, separated by white space (changed in place)
 * @set: the set; replaced by the result only if every token is good
 * @named: NULL, or a set that gains the sites the tokens without '!'
 *         selected (only if every token is good): named afresh by the
 *         writer, they are no longer stale (live_stale.c)
 *
 * Context: process context; takes ftrace_core_chunks_lock; may sleep.
 * Return: 0, or the first bad token's error (@set, @named unchanged).
 */
notrace int ftrace_filter_write_named(char *buf, struct ftrace_sites **set,
				      struct ftrace_sites **named)
{
	struct ftrace_sites *work = ftrace_sites_get(*set), *s, *res;
	struct ftrace_ipvec seen = {};
	char *tok;
	int ret = 0;

	while ((tok = strsep(&buf, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (strlen(tok) > FILTER_TOKEN_MAX) {
			ret = -EINVAL;
			break;
		}
		ret = filter_apply(tok, &work, named ? &seen : NULL);
		if (ret)
			break;
	}
	if (!ret && named) {
		s = ftrace_sites_from(seen.ip, seen.nr, GFP_KERNEL);
		res = IS_ERR(s) ? s : ftrace_sites_union(*named, s, GFP_KERNEL);
		ret = PTR_ERR_OR_ZERO(res);
		if (!IS_ERR(s))
			ftrace_sites_put(s);
		if (!ret) {
			ftrace_sites_put(*named);
			*named = res;
		}
	}
	ftrace_ipvec_free(&seen);
	if (ret) {
		ftrace_sites_put(work);
		return ret;
	}
	ftrace_sites_put(*set);
	*set = work;
	return 0;
}

static notrace bool filter_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/*
 * filter_copy_write() - a filter file write's complete tokens
 * @ubuf: the user's buffer
 * @cnt: its length; set to what is taken
 * @carry: the open file's unfinished token (kmalloc'ed, or NULL), which
 *         this write continues; replaced by what follows the write's last
 *         white space
 *
 * A write longer than a page is taken up to its last white space within
 * the first page (a short write: the writer goes on with the rest).
 *
 * Context: process context; may sleep.
 * Return: the carried token and the write up to its last white space,
 * NUL-terminated (kfree() it; it may hold no token), or an ERR_PTR():
 * -EFAULT, -ENOMEM, -EINVAL (a token longer than FILTER_TOKEN_MAX, or a
 * page without white space).
 */
static notrace char *filter_copy_write(const char __user *ubuf, size_t *cnt,
				       char **carry)
{
	size_t head = *carry ? strlen(*carry) : 0;
	size_t take = min_t(size_t, *cnt, FILTER_WRITE_MAX - 1);
	size_t len = head + take, end;
	char *buf, *rest = NULL;

	buf = kmalloc(len + 1, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	if (head)
		memcpy(buf, *carry, head);
	if (copy_from_user(buf + head, ubuf, take)) {
		kfree(buf);
		return ERR_PTR(-EFAULT);
	}
	buf[len] = '\0';
	/* just past the last white space, 0 if none */
	for (end = len; end && !filter_space(buf[end - 1]); end--)
		;
	if (take < *cnt) {
		if (end <= head) {
			kfree(buf);
			return ERR_PTR(-EINVAL);
		}
		*cnt = end - head;
	} else if (len - end > FILTER_TOKEN_MAX) {
		kfree(buf);
		return ERR_PTR(-EINVAL);
	} else if (end < len) {
		rest = kstrdup(buf + end, GFP_KERNEL);
		if (!rest) {
			kfree(buf);
			return ERR_PTR(-ENOMEM);
		}
	}
	buf[end] = '\0';
	kfree(*carry);
	*carry = rest;
	return buf;
}

static notrace struct ftrace_sites *
filter_get_published(struct ftrace_sites **pub)
{
	struct ftrace_sites *s;

	mutex_lock(&filter_lock);
	s = ftrace_sites_get(*pub);
	mutex_unlock(&filter_lock);
	return s;
}

/**
 * ftrace_filter_chunk_gone() - take a going module's sites out of the
 * published filter and notrace sets
 * @c: the module's chunk, still listed
 *
 * So that a module loaded later at the same addresses is not filtered
 * by a stale entry (upstream clears them from its hashes too).  Sets
 * still pending in an open file keep them until published: the listing
 * shows only listed sites, and the next module's load is what matters.
 *
 * Context: process context; takes filter_lock; may sleep.
 */
notrace void ftrace_filter_chunk_gone(struct ftrace_chunk *c)
{
	struct ftrace_sites *gone, *res;
	unsigned int k;

	gone = ftrace_sites_from(c->ip, c->nr, GFP_KERNEL);
	if (IS_ERR(gone)) {
		pr_err("ftrace core: no memory to drop module %s's sites from the filter\n",
		       c->mod ? c->mod->name : "?");
		return;
	}
	mutex_lock(&filter_lock);
	for (k = 0; k < ARRAY_SIZE(filter_sets); k++) {
		res = ftrace_sites_minus(filter_sets[k], gone, GFP_KERNEL);
		if (IS_ERR(res))
			continue;
		ftrace_sites_put(filter_sets[k]);
		filter_sets[k] = res;
	}
	mutex_unlock(&filter_lock);
	ftrace_sites_put(gone);
}

/* The published set of a file: i_private is 0 (filter) or 1 (notrace). */
static notrace struct ftrace_sites **filter_pub(const struct inode *inode)
{
	return &filter_sets[(uintptr_t)inode->i_private];
}

static notrace int filter_open(struct inode *inode, struct file *file)
{
	struct ftrace_sites **pub = filter_pub(inode);
	struct filter_file *ff;

	if (!(file->f_mode & FMODE_WRITE))
		return ftrace_listing_open_sites(file,
						 filter_get_published(pub));
	if (file->f_mode & FMODE_READ)
		return -EINVAL;	/* one or the other, not both */
	ff = kzalloc(sizeof(*ff), GFP_KERNEL);
	if (!ff)
		return -ENOMEM;
	ff->w.pending = (file->f_flags & O_TRUNC) ? FTRACE_SITES_NONE_SET
						  : filter_get_published(pub);
	file->private_data = ff;
	return 0;
}

/* A writer's complete tokens: its own take, or into its pending set. */
static notrace int filter_writer_take(struct ftrace_filter_writer *w, char *buf)
{
	if (w->take)
		return w->take(w, buf);
	return ftrace_filter_write_tokens(buf, &w->pending);
}

/**
 * ftrace_filter_write_set() - one write of a filter-like file, applied
 * to the set its writer will publish
 * @ubuf: the write
 * @cnt: its length
 * @ppos: the file position, advanced by what was taken
 * @w: the writer: its pending set is replaced by the result only if
 *     every token is good, else it is marked refused
 *
 * Context: process context; may sleep.
 * Return: bytes taken, or the first bad token's error (the pending set
 * unchanged).
 */
notrace ssize_t ftrace_filter_write_set(const char __user *ubuf, size_t cnt,
					loff_t *ppos,
					struct ftrace_filter_writer *w)
{
	char *buf;
	int ret;

	if (!cnt)
		return 0;
	buf = filter_copy_write(ubuf, &cnt, &w->carry);
	if (IS_ERR(buf)) {
		ret = PTR_ERR(buf);
	} else {
		ret = filter_writer_take(w, buf);
		kfree(buf);
	}
	if (ret) {
		w->refused = true;
		return ret;
	}
	*ppos += cnt;
	return cnt;
}

/**
 * ftrace_filter_writer_end() - a writer closes: the token its last write
 * left unfinished is applied
 * @w: the writer; its carry is freed
 * @name: the file's name, for the log
 *
 * An error there cannot reach the writer: it is logged, and nothing is
 * published.
 *
 * Context: process context; may sleep.
 * Return: true if the pending set is to be published (no write and not
 * the last token refused); false if the caller drops it.
 */
notrace bool ftrace_filter_writer_end(struct ftrace_filter_writer *w,
				      const char *name)
{
	int ret;

	if (w->carry && !w->refused) {
		ret = filter_writer_take(w, w->carry);
		if (ret) {
			pr_warn_ratelimited("ftrace: %s: last token refused (%d): nothing applied\n",
					    name, ret);
			w->refused = true;
		}
	}
	kfree(w->carry);
	w->carry = NULL;
	return !w->refused;
}

static notrace ssize_t filter_write(struct file *file, const char __user *ubuf,
				    size_t cnt, loff_t *ppos)
{
	struct filter_file *ff = file->private_data;

	return ftrace_filter_write_set(ubuf, cnt, ppos, &ff->w);
}

static notrace int filter_release(struct inode *inode, struct file *file)
{
	struct ftrace_sites **pub = filter_pub(inode);
	struct filter_file *ff = file->private_data;
	struct ftrace_sites *old;

	if (!(file->f_mode & FMODE_WRITE))
		return ftrace_listing_release(inode, file);
	if (!ftrace_filter_writer_end(&ff->w, file_dentry(file)->d_name.name)) {
		ftrace_sites_put(ff->w.pending);
		kfree(ff);
		return 0;
	}
	mutex_lock(&filter_lock);
	old = *pub;
	*pub = ff->w.pending;
	mutex_unlock(&filter_lock);
	ftrace_sites_put(old);
	kfree(ff);
	return 0;
}

static notrace loff_t filter_llseek(struct file *file, loff_t offset,
				    int whence)
{
	if (file->f_mode & FMODE_WRITE)
		return file->f_pos;	/* a write appends tokens */
	return seq_lseek(file, offset, whence);
}

const struct file_operations ftrace_core_filter_fops = {
	.open = filter_open,
	.read = seq_read,
	.write = filter_write,
	.llseek = filter_llseek,
	.release = filter_release,
};
