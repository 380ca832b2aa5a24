/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * failchk.c — Berkeley DB's failure checking (issue 16): a clerk's process
 * killed at any instant (a closed window, the power button, the OOM killer)
 * must never freeze the other dibao processes on the same data directory.
 *
 * Before the environment opens, BDB is told how to name a thread
 * (set_thread_id), how to ask whether one still lives (set_isalive: the
 * process exists) and how many to track (set_thread_count).  The open does
 * not ask for DB_FAILCHK: with DB_REGISTER, an open that finds a dead
 * process recovers the environment from the logs instead (see env.c).
 * Each open store then has a watchdog thread that, once a second, expires
 * lock waits past the lock timeout (lock_detect with DB_LOCK_EXPIRE) and
 * looks at what the store's thread is doing
 * (/proc/self/task/TID/syscall).  Asleep on the same futex for FAILCHK_AFTER
 * seconds, it is waiting in BDB for a holder that
 * is slow or dead: the watchdog runs failchk, which aborts a dead
 * process's transactions and releases its locks, and the waiting thread
 * continues.  When the dead process held one of BDB's internal mutexes, failchk answers
 * DB_RUNRECOVERY: every later call returns it, and store_txn_run (and the
 * read retry) reopen, which runs recovery, and retry.  The console also
 * calls failchk in its idle tick, and a lock wait that expired calls it too.
 *
 * A thread asleep on a mutex whose holder died cannot be woken by BDB 5.3
 * (Debian's is built without failchk broadcast), and failchk itself can hang
 * on glibc's pthread_cond_destroy of a dead waiter's condition variable
 * (both measured); nor stop it spinning on such a mutex, asking isalive
 * about the dead holder over and over (measured too, when joining the
 * environment).  Then, after STUCK_SECS, or at once when failchk answers
 * DB_RUNRECOVERY, the front end's stuck handler is called, told what the
 * process was doing: inside a commit or not, how many transactions it has
 * committed, how much output it sent.  Outside a commit the stuck
 * transaction never committed (the recovery that follows aborts it), so a
 * command that committed and printed nothing yet is executed again from
 * its start (restart.c), a few times at most; otherwise it ends with a
 * message saying what to check.  When no other process is registered in
 * the environment, the broken region files are removed first, so the next
 * start recovers from the logs instead of meeting the same dead mutex.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "store/audit.h"
#include "store/env-int.h"
#include "store/env.h"
#include "store/err.h"

#define THREAD_COUNT 256    /* threads of all processes tracked at once */
#define WATCH_MS 1000       /* how often the watchdog looks */
#define FAILCHK_AFTER 3     /* seconds asleep on one futex: failchk */
#define STUCK_SECS 30       /* seconds asleep on one futex: stuck for good */
#define NOSPACE_MB 16       /* regions (~3 MB) and a log file (10 MB) */
#define SPIN_POLLS 100      /* "dead" answers a second: spinning on its mutex */

/* glibc's pthread_cond_destroy (2.25 and later) waits until every waiter
 * has left the condition variable.  A process killed while it waited in
 * BDB (for a lock, or a mutex) never leaves: when failchk then frees the
 * dead one's locker it destroys that condition variable, and waited for
 * ever (measured: __txn_failchk → __lock_vec → __mutex_refresh →
 * __db_pthread_mutex_destroy → pthread_cond_destroy).  This definition
 * takes the place of glibc's for the whole program (libdb included): with
 * waiters left it returns without waiting, as glibc before 2.25 did; on
 * Linux destroying a condition variable frees nothing, and BDB initialises
 * it again before any reuse.  With no waiter it is glibc's own. */
int
pthread_cond_destroy(pthread_cond_t *cond)
{
	static int (*real)(pthread_cond_t *);
	unsigned wrefs = __atomic_load_n(&cond->__data.__wrefs, __ATOMIC_ACQUIRE);

	if (wrefs >> 3 != 0)
		return 0;
	if (real == NULL)
		real = (int (*)(pthread_cond_t *))dlsym(RTLD_NEXT, "pthread_cond_destroy");
	return real != NULL ? real(cond) : 0;
}

struct failchk {
	pthread_t thread;
	pthread_mutex_t mu;
	int wake[2];             /* a byte on wake[1] ends the wait at once */
	bool stop;
	DB_ENV *env;             /* NULL while the environment is closed */
	pid_t main_tid;          /* the thread that calls the store */
	unsigned checks;         /* failchk calls made (tests, status) */
};

static store_stuck_fn stuck_handler;
/* set while store_close runs: every commit is in the log by then, so
 * stuck there the command has done its work */
static volatile sig_atomic_t closing;
static unsigned long dead_answers;   /* isalive said "dead" (see isalive) */
/* what the process has done (the stuck handler decides from it whether a
 * re-run is safe): inside a commit now, commits done, bytes sent out */
static int in_commit;
static unsigned long commits_done, output_sent;
/* "DIBAO_PENDING_COMMIT=seq:hash" of the commit under way (pending_ok):
 * the re-run settles it (settle.c); made before the commit, read from the
 * handler */
static char pending_note[128];
static int pending_ok;
static char stuck_msg[1024];
static void on_alarm(int sig);

void
store_set_stuck_handler(store_stuck_fn fn)
{
	struct sigaction sa;

	/* translated now: the handler may run from a signal */
	snprintf(stuck_msg, sizeof stuck_msg, "%s",
	    _("another dibao process died while holding the database's internal lock, and this one cannot continue"));
	stuck_handler = fn;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn != NULL ? on_alarm : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGALRM, &sa, NULL);
}

void
store_commit_begin(uint64_t seq, const unsigned char hash[32])
{
	char hx[65];
	int n = 0;
	if (seq != 0) {
		hex32(hash, hx);
		n = snprintf(pending_note, sizeof pending_note, "%s=%llu:%s", STORE_PENDING_VAR, (unsigned long long)seq, hx);
	}
	__atomic_store_n(&pending_ok, n > 0 && (size_t)n < sizeof pending_note, __ATOMIC_SEQ_CST);
	__atomic_store_n(&in_commit, 1, __ATOMIC_SEQ_CST);
}

void
store_commit_end(void)
{
	/* counted before the flag drops: never seen outside a commit and
	 * with the commit uncounted */
	__atomic_add_fetch(&commits_done, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&in_commit, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&pending_ok, 0, __ATOMIC_SEQ_CST);
}

void
store_note_output(unsigned long n)
{
	__atomic_add_fetch(&output_sent, n, __ATOMIC_SEQ_CST);
}

static int
isalive(DB_ENV *env, pid_t pid, db_threadid_t tid, u_int32_t flags)
{
	(void)env;
	(void)tid;
	(void)flags;
	/* every thread of a live process is alive: ours are the caller and
	 * the watchdog, both ending only with the process or the store */
	if (pid == getpid())
		return 1;
	if (kill(pid, 0) == 0 || errno == EPERM)
		return 1;
	/* BDB 5.3 polls this in a loop while it waits for a mutex a dead
	 * process held (measured: a spin, not a sleep); the watchdog counts */
	__atomic_add_fetch(&dead_answers, 1, __ATOMIC_RELAXED);
	return 0;
}

/* issue 17: BDB asks for the thread's id on every cursor call (a third
 * of `check`'s CPU was the getpid system call): the pid is kept, and
 * forgotten in a forked child */
static pid_t own_pid;
static pthread_once_t own_pid_once = PTHREAD_ONCE_INIT;

static void
own_pid_forget(void)
{
	__atomic_store_n(&own_pid, 0, __ATOMIC_RELAXED);
}

static void
own_pid_init(void)
{
	(void)pthread_atfork(NULL, NULL, own_pid_forget);
}

static void
thread_id(DB_ENV *env, pid_t *pid, db_threadid_t *tid)
{
	(void)env;
	pid_t p = __atomic_load_n(&own_pid, __ATOMIC_RELAXED);
	if (p == 0) {
		(void)pthread_once(&own_pid_once, own_pid_init);
		p = getpid();
		__atomic_store_n(&own_pid, p, __ATOMIC_RELAXED);
	}
	*pid = p;
	if (tid != NULL)
		*tid = pthread_self();
}

/* failchk reports what it freed ("BDB2053 Freeing read locks for locker
 * …") through the message callback, which defaults to stdout: a command's
 * output is not the place */
static void
quiet(const DB_ENV *env, const char *msg)
{
	(void)env;
	(void)msg;
}

int
store_failchk_setup(DB_ENV *env)
{
	int ret;
	env->set_msgcall(env, quiet);
	/* regions written whole when made: a full disk shows at open, with a
	 * message, never as SIGBUS on a page of a sparse region file later */
	if ((ret = env->set_flags(env, DB_REGION_INIT, 1)) != 0)
		return ret;
	/* and log files written whole when made: BDB sizes a new one as a
	 * sparse file, so every later commit, and even a read-only command's
	 * open (it logs the opened files), needed new blocks and failed on a
	 * full disk; now a full disk shows only when a new log file is due */
	if ((ret = env->log_set_config(env, DB_LOG_ZERO, 1)) != 0)
		return ret;
	if ((ret = env->set_thread_count(env, THREAD_COUNT)) != 0 ||
	    (ret = env->set_isalive(env, isalive)) != 0 ||
	    (ret = env->set_thread_id(env, thread_id)) != 0)
		return ret;
	return 0;
}

static int
check_locked(struct failchk *fc)
{
	int ret;
	if (fc->env == NULL)
		return 0;
	fc->checks++;
	/* the caller holds fc->mu, which the watchdog waits for: should
	 * these hang on a dead process's mutex, the alarm ends it */
	if (stuck_handler != NULL)
		alarm(STUCK_SECS);
	(void)fc->env->lock_detect(fc->env, 0, DB_LOCK_EXPIRE, NULL);
	ret = fc->env->failchk(fc->env, 0);
	alarm(0);
	return ret;
}

/* The futex address the main thread waits on, or 0 when it is not in
 * futex(2) (/proc/self/task/TID/syscall: "202 0xADDR ..." on x86-64; any
 * architecture: the number of SYS_futex). */
static unsigned long
main_futex(pid_t tid)
{
	char path[64], line[256];
	FILE *f;
	long nr;
	unsigned long addr = 0;

	snprintf(path, sizeof path, "/proc/self/task/%ld/syscall", (long)tid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	if (fgets(line, sizeof line, f) == NULL || sscanf(line, "%ld %lx", &nr, &addr) != 2 || nr != SYS_futex)
		addr = 0;
	fclose(f);
	return addr;
}

/* Is the thread sleeping in BDB's own back-off (__os_yield: select(2) with
 * no descriptors; dibao itself never calls select)?  BDB loops so, without
 * a mutex, on a cache page a dead process held latched (a DB->close or a
 * checkpoint writing the cache: measured, for ever). */
static bool
main_yields(pid_t tid)
{
	char path[64], line[256];
	FILE *f;
	long nr;
	unsigned long nfds = 1;

	snprintf(path, sizeof path, "/proc/self/task/%ld/syscall", (long)tid);
	if ((f = fopen(path, "re")) == NULL)
		return false;
	if (fgets(line, sizeof line, f) == NULL || sscanf(line, "%ld %lx", &nr, &nfds) != 2)
		nr = -1;
	fclose(f);
	return nfds == 0 && (
#ifdef SYS_select
	    nr == SYS_select ||
#endif
#ifdef SYS_pselect6
	    nr == SYS_pselect6 ||
#endif
	    false);
}

static char stuck_dir[4096];   /* the data directory of the open store */

/* Is any other process registered in the environment (DB_REGISTER holds a
 * lock in __db.register for each process using it)?  F_GETLK ignores our
 * own locks. */
static bool
others_registered(const char *dir)
{
	char path[4200];
	struct flock fl;
	int fd;
	bool others = true;

	snprintf(path, sizeof path, "%s/__db.register", dir);
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
		return errno != ENOENT;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 0;
	fl.l_len = 0;
	if (fcntl(fd, F_GETLK, &fl) == 0)
		others = fl.l_type != F_UNLCK;
	close(fd);
	return others;
}

static void
stuck(void)
{
	/* no one else uses the environment: its regions, left broken by the
	 * dead process, go, and the next start recovers from the logs */
	if (stuck_dir[0] != '\0' && !others_registered(stuck_dir)) {
		for (int i = 1; i < 100; i++) {
			char path[4200];
			snprintf(path, sizeof path, "%s/__db.%03d", stuck_dir, i);
			if (unlink(path) != 0 && errno == ENOENT)
				break;
		}
	}
	if (stuck_handler != NULL) {
		struct store_stuck s = {
			.msg = stuck_msg,
			.closing = closing != 0,
			.in_commit = __atomic_load_n(&in_commit, __ATOMIC_SEQ_CST) != 0,
			.commits = __atomic_load_n(&commits_done, __ATOMIC_SEQ_CST),
			.output = __atomic_load_n(&output_sent, __ATOMIC_SEQ_CST),
			.pending = __atomic_load_n(&pending_ok, __ATOMIC_SEQ_CST) ? pending_note : NULL,
		};
		stuck_handler(&s);
	}
}

/* The registry holds one 25-byte line per process ("%24lu\n", its pid;
 * "X…0\n" free), each locked by its process with fcntl.  Our line is
 * rewritten to name pid 0: the re-executed process (the same pid) would
 * otherwise be refused (BDB1528, one handle per process), and the line,
 * no longer locked once exec closes the file, is a dead registrant's: the
 * new process's open recovers the environment, which drops this
 * process's stuck transaction, locks and thread slots. */
void
store_failchk_release(void)
{
	char path[4200], line[25], mine[26];
	int fd;
	ssize_t n;

	if (stuck_dir[0] == '\0')
		return;
	snprintf(path, sizeof path, "%s/__db.register", stuck_dir);
	snprintf(mine, sizeof mine, "%24lu\n", (unsigned long)getpid());
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
		return;
	for (off_t pos = 0; (n = pread(fd, line, sizeof line, pos)) == (ssize_t)sizeof line; pos += n) {
		if (memcmp(line, mine, sizeof line) == 0) {
			snprintf(mine, sizeof mine, "%24lu\n", 0UL);
			(void)!pwrite(fd, mine, sizeof line, pos);
			break;
		}
	}
	/* closing a descriptor of the file drops every fcntl lock this
	 * process holds on it: its registration ends now */
	close(fd);
}

void
store_failchk_closing(void)
{
	closing = 1;
}

/* The watchdog's own BDB calls may hang: lock_detect on a region mutex a
 * dead process held, failchk in glibc's pthread_cond_destroy of a dead
 * waiter's condition variable (both measured).  An alarm bounds them. */
static void
on_alarm(int sig)
{
	(void)sig;
	stuck();
}

static void *
watch(void *arg)
{
	struct failchk *fc = arg;
	unsigned long last = 0, last_dead = 0;
	int same = 0, spinning = 0, yielding = 0;

	pthread_mutex_lock(&fc->mu);
	while (!fc->stop) {
		/* a relative wait on a pipe, not a condition variable's absolute
		 * time: a shifted clock (libfaketime in the tests, a clerk's
		 * clock set back) must not turn it into a spin or an error */
		struct pollfd pfd = {.fd = fc->wake[0], .events = POLLIN};
		pthread_mutex_unlock(&fc->mu);
		(void)poll(&pfd, 1, WATCH_MS);
		pthread_mutex_lock(&fc->mu);
		if (fc->stop)
			break;
		/* BDB enforces lock timeouts only when a detector runs */
		if (fc->env != NULL) {
			/* it waits for ever on a mutex a dead process held: the
			 * alarm ends that (see on_alarm) */
			if (stuck_handler != NULL)
				alarm(STUCK_SECS);
			(void)fc->env->lock_detect(fc->env, 0, DB_LOCK_EXPIRE, NULL);
			alarm(0);
		}
		/* the store's thread sleeps on one futex only inside BDB, and
		 * never for seconds unless a holder is slow or dead */
		unsigned long addr = main_futex(fc->main_tid);
		same = addr != 0 && addr == last ? same + 1 : 0;
		last = addr;
		/* or in BDB's back-off loop, waiting for a dead holder's page:
		 * counted like a futex sleep (a pseudo address) */
		yielding = addr == 0 && main_yields(fc->main_tid) ? yielding + 1 : 0;
		if (yielding > 0)
			same = yielding;
		/* or spinning on a dead holder's mutex: BDB asks isalive about
		 * the dead process again and again, every second */
		unsigned long dead = __atomic_load_n(&dead_answers, __ATOMIC_RELAXED);
		spinning = dead - last_dead >= SPIN_POLLS ? spinning + 1 : 0;
		last_dead = dead;
		if (spinning >= STUCK_SECS) {
			pthread_mutex_unlock(&fc->mu);
			stuck();
			pthread_mutex_lock(&fc->mu);
			spinning = 0;
		}
		if (same == FAILCHK_AFTER && fc->env != NULL) {
			/* a dead holder's transactions aborted and locks released:
			 * the waiting thread continues */
			int ret;
			fc->checks++;
			if (stuck_handler != NULL)
				alarm(STUCK_SECS);
			ret = fc->env->failchk(fc->env, 0);
			alarm(0);
			if (ret == DB_RUNRECOVERY) {
				/* it held a mutex: nothing wakes our thread */
				pthread_mutex_unlock(&fc->mu);
				stuck();
				pthread_mutex_lock(&fc->mu);
			}
		} else if (same >= STUCK_SECS) {
			pthread_mutex_unlock(&fc->mu);
			stuck();
			pthread_mutex_lock(&fc->mu);
			same = 0;
		}
	}
	pthread_mutex_unlock(&fc->mu);
	return NULL;
}

int
store_failchk_start(struct store *st)
{
	struct failchk *fc;

	if (st->fc != NULL)
		return 0;
	if ((fc = calloc(1, sizeof *fc)) == NULL)
		return ENOMEM;
	if (pipe2(fc->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		free(fc);
		return EAGAIN;
	}
	pthread_mutex_init(&fc->mu, NULL);
	fc->main_tid = (pid_t)syscall(SYS_gettid);
	if (pthread_create(&fc->thread, NULL, watch, fc) != 0) {
		close(fc->wake[0]);
		close(fc->wake[1]);
		pthread_mutex_destroy(&fc->mu);
		free(fc);
		return EAGAIN;
	}
	st->fc = fc;
	closing = 0;   /* a store opened after another closed (restore, encrypt) */
	snprintf(stuck_dir, sizeof stuck_dir, "%s", st->dir);
	return 0;
}

void
store_failchk_env(struct store *st, DB_ENV *env)
{
	if (st->fc == NULL)
		return;
	pthread_mutex_lock(&st->fc->mu);
	st->fc->env = env;
	pthread_mutex_unlock(&st->fc->mu);
}

void
store_failchk_end(struct store *st)
{
	struct failchk *fc = st->fc;
	if (fc == NULL)
		return;
	pthread_mutex_lock(&fc->mu);
	fc->stop = true;
	fc->env = NULL;
	pthread_mutex_unlock(&fc->mu);
	(void)!write(fc->wake[1], "x", 1);
	pthread_join(fc->thread, NULL);
	close(fc->wake[0]);
	close(fc->wake[1]);
	pthread_mutex_destroy(&fc->mu);
	free(fc);
	st->fc = NULL;
}

int
store_failchk(struct store *st)
{
	int ret = 0;
	if (st->fc != NULL) {
		pthread_mutex_lock(&st->fc->mu);
		ret = check_locked(st->fc);
		pthread_mutex_unlock(&st->fc->mu);
	} else if (st->env != NULL) {
		ret = st->env->failchk(st->env, 0);
	}
	return ret;
}

bool
store_failchk_old_regions(struct store *st)
{
	DB_ENV *env;

	/* the shared regions of a dibao before failure checking have no
	 * thread table (BDB1505); they hold nothing the logs lack: remove
	 * them, unless a process still uses them (then the error stands) */
	if (st->last_ret != EINVAL || strstr(st->bdb_msg, "BDB1505") == NULL)
		return false;
	if (db_env_create(&env, 0) != 0)
		return false;
	return env->remove(env, st->dir, 0) == 0;
}

/* Region files are mapped into memory, and Berkeley DB 5.3 leaves holes in
 * them (DB_REGION_INIT notwithstanding: measured, 304 KB of a 504 KB
 * __db.003 on disk); the first touch of a page in a hole on a full disk is
 * SIGBUS, no error (measured: `check` in __memp_alloc, reading pages no
 * command had read since the regions were made).  Each open fills the
 * holes with blocks (fallocate within the size, never beyond): then no
 * later touch needs the disk.  Already whole files cost nothing; a file
 * system without fallocate is left as it is.  0, or an errno (ENOSPC: the
 * disk is full now, said at open instead of as SIGBUS later). */
int
store_regions_back(const char *dir)
{
	for (int i = 1; i < 100; i++) {
		char path[4200];
		struct stat sb;
		int fd, r = 0;

		snprintf(path, sizeof path, "%s/__db.%03d", dir, i);
		if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
			return errno == ENOENT ? 0 : errno;
		if (fstat(fd, &sb) != 0)
			r = errno;
		else if (sb.st_size > 0 && (off_t)sb.st_blocks * 512 < sb.st_size &&
		    fallocate(fd, 0, 0, sb.st_size) != 0)
			r = errno;
		close(fd);
		if (r != 0 && r != EOPNOTSUPP && r != ENOSYS)
			return r;
	}
	return 0;
}

int
store_failchk_nospace(struct store *st, struct err *e)
{
	struct statvfs vs;
	unsigned long long free_mb = 0;

	/* a full disk while the regions were being made: the empty or partial
	 * region files it left would block every later start (BDB1546); they
	 * go unless another process uses the environment */
	if (st->last_ret != ENOSPC)
		return -1;
	if (!others_registered(st->dir)) {
		for (int i = 1; i < 100; i++) {
			char path[4200];
			snprintf(path, sizeof path, "%s/__db.%03d", st->dir, i);
			if (unlink(path) != 0 && errno == ENOENT)
				break;
		}
	}
	if (statvfs(st->dir, &vs) == 0)
		free_mb = (unsigned long long)vs.f_bavail * vs.f_frsize >> 20;
	return err_set(e, E_STORAGE,
	    _("the disk holding %s is full (%llu MB free): opening the database needs about %d MB; free some space and run the command again"),
	    st->dir, free_mb, NOSPACE_MB);
}

/* Remove the environment's shared region files (__db.0NN) when no process
 * uses the environment any more.  With DB_REGISTER and DB_FAILCHK together,
 * an open that finds a killed process repairs it with failchk rather than
 * recovery (BDB's __envreg_add): the killed process's attachment stays
 * counted in the region, and env->remove without DB_FORCE answers EBUSY for
 * ever after (a replication process restarted after a kill -9, issue 18).
 * The registry's fcntl locks, which the kernel drops with a dead process,
 * say who really uses it: the registry's exclusive lock (the byte BDB takes
 * before registering) is held while they are looked at and the regions go,
 * so no process joins half-way. */
int
store_regions_remove(const char *dir, int (*setup)(DB_ENV *env, void *baton), void *baton)
{
	char path[4200];
	struct flock fl;
	DB_ENV *env;
	int fd, ret;

	if ((ret = db_env_create(&env, 0)) != 0)
		return ret;
	if (setup != NULL && (ret = setup(env, baton)) != 0) {
		env->close(env, 0);
		return ret;
	}
	if ((ret = env->remove(env, dir, 0)) != EBUSY)
		return ret;
	snprintf(path, sizeof path, "%s/__db.register", dir);
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
		return EBUSY;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 1;   /* BDB's REGISTRY_EXCL_LOCK */
	fl.l_len = 1;
	if (fcntl(fd, F_SETLKW, &fl) != 0) {
		close(fd);
		return EBUSY;
	}
	ret = EBUSY;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type == F_UNLCK &&
	    db_env_create(&env, 0) == 0) {
		if (setup != NULL && (ret = setup(env, baton)) != 0)
			env->close(env, 0);
		else
			ret = env->remove(env, dir, DB_FORCE);
	}
	close(fd);   /* drops the lock */
	return ret;
}
