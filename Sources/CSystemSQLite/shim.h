// The system's SQLite (Debian: libsqlite3-dev), used by the SQL practice sandbox for what
// sqlite-nio's bundled copy does not expose: authorizer, progress handler, limits, interrupts.
// sqlite-nio prefixes its own symbols, so the two libraries never clash.
#include <sqlite3.h>
#include <signal.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

// sqlite3_db_config is variadic, which Swift cannot call; this fixes the form used for on/off options.
static inline int groundwork_sqlite3_db_config_flag(sqlite3 *db, int option, int enabled) {
    return sqlite3_db_config(db, option, enabled, (int *)0);
}

// The sandbox process asks to be killed when the server that started it dies (Linux; prctl is
// variadic too). Elsewhere it notices when its input closes.
static inline void groundwork_die_with_parent(void) {
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
}
