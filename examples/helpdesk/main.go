// Command helpdesk is a demo helpdesk backend that shows surveyflow working
// end to end: a JSON webhook API (conversation closed, contact message,
// supervisor review, sweep), the e-mailed rating-link page of package
// ratingpage, and a dashboard of CSAT and NPS with confidence intervals,
// per-agent and per-group rankings, a weekly trend, the score distribution,
// the registry of ratings and a CSV export.
//
// On first start it seeds 90 days of conversations by driving the real
// engine with a fake clock, then serves on the system clock:
//
//	go run ./examples/helpdesk                      # SQLite in the user cache directory
//	go run ./examples/helpdesk -postgres "$SURVEYFLOW_POSTGRES_URL"
//	go run ./examples/helpdesk -addr 0.0.0.0:8080 -base-url https://helpdesk.example
//	go run ./examples/helpdesk -conversation-url 'https://helpdesk.example/c/{conversation}'
//
// and opens http://127.0.0.1:8080/. It logs every request and the engine's
// decisions (why a conversation was or was not surveyed) with log/slog on
// standard error, and shuts down gracefully on SIGINT or SIGTERM.
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/store/postgres"
	"github.com/surveyflow/surveyflow/store/sqlite"
	_ "modernc.org/sqlite"
)

// options are the command's flags.
type options struct {
	addr     string
	port     int
	portSet  bool // -port was given
	baseURL  string
	convURL  string
	dbPath   string
	pgURL    string
	secret   string
	days     int
	perDay   int
	seedOnly bool
	fresh    bool
	logLevel slog.Level
	// telemetry serves the engine's OpenTelemetry metrics and spans.
	telemetry bool
	// ready, when set, is called with the server's URL once it serves.
	ready  func(url string)
	noSeed bool
	// retention is how long the tenant's free text is kept; zero keeps
	// it for good.
	retention time.Duration
}

// shutdownSignals end the server gracefully: Ctrl-C, and what service
// managers and container runtimes send.
var shutdownSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

func main() {
	os.Exit(cli(os.Args[1:], os.Stderr))
}

// cli runs the command with args until a shutdown signal, and returns its
// exit code.
func cli(args []string, logw io.Writer) int {
	var o options
	fs := flag.NewFlagSet("helpdesk", flag.ContinueOnError)
	fs.SetOutput(logw)
	fs.StringVar(&o.addr, "addr", "127.0.0.1", "address to listen on: a host, or host:port")
	fs.IntVar(&o.port, "port", 8080, "port to listen on when -addr names none (0 picks a free one)")
	fs.StringVar(&o.baseURL, "base-url", "", "absolute URL the e-mailed rating links start with (default: http:// and the listening address)")
	fs.StringVar(&o.convURL, "conversation-url", "", "link each rating of the registry to its conversation in your helpdesk: a URL in which {conversation} stands for the conversation's ID, e.g. 'https://helpdesk.example/c/{conversation}'")
	fs.StringVar(&o.dbPath, "db", defaultDB(), "SQLite database file")
	fs.BoolVar(&o.fresh, "fresh", false, "delete the SQLite database first, so the seed runs again")
	fs.StringVar(&o.pgURL, "postgres", "", "PostgreSQL URL; when set, the data lives there instead of in -db")
	fs.StringVar(&o.secret, "secret", os.Getenv("HELPDESK_SECRET"), "key of the rating links and forms, at least 32 bytes (default: random, so links die with the process)")
	fs.IntVar(&o.days, "days", 90, "days of history to seed")
	fs.IntVar(&o.perDay, "per-day", 40, "conversations a weekday in the seed")
	fs.BoolVar(&o.seedOnly, "seed-only", false, "seed the database and exit")
	fs.BoolVar(&o.noSeed, "no-seed", false, "never seed, even an empty database")
	fs.Func("retention", "how long comments, replies and names are kept, e.g. 90d (default: for good); older ones are removed at start and by every POST /api/sweep", func(s string) (err error) {
		o.retention, err = eligibility.ParseDuration(s)
		if err == nil && o.retention <= 0 {
			err = errors.New("must be positive")
		}
		return err
	})
	fs.BoolVar(&o.telemetry, "telemetry", true, "observe the engine with OpenTelemetry and serve its metrics and newest spans at /api/telemetry")
	fs.TextVar(&o.logLevel, "log-level", slog.LevelDebug, "least level logged: debug (why a conversation was not surveyed), info (requests, surveys sent, answers), warn or error")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	fs.Visit(func(f *flag.Flag) { o.portSet = o.portSet || f.Name == "port" })
	ctx, stop := signal.NotifyContext(context.Background(), shutdownSignals...)
	defer stop()
	if err := run(ctx, o, logw); err != nil {
		fmt.Fprintln(logw, "helpdesk:", err)
		return 1
	}
	return 0
}

// listenAddress is the host:port to listen on: -addr when it names a port,
// else -addr with -port.
func listenAddress(o options) (string, error) {
	if _, port, err := net.SplitHostPort(o.addr); err == nil {
		if o.portSet && port != strconv.Itoa(o.port) {
			return "", fmt.Errorf("-addr %s names port %s and -port says %d: give the port once", o.addr, port, o.port)
		}
		return o.addr, nil
	}
	return net.JoinHostPort(o.addr, strconv.Itoa(o.port)), nil
}

// defaultDB is the SQLite file of the demo: in the user's cache directory,
// so that running the demo leaves nothing in the repository.
func defaultDB() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "helpdesk.db"
	}
	return filepath.Join(dir, "surveyflow", "helpdesk.db")
}

// openStore opens and migrates the store the options name; close releases it.
func openStore(ctx context.Context, o options) (st store, close func(), err error) {
	if o.pgURL != "" {
		cfg, err := pgxpool.ParseConfig(o.pgURL)
		if err != nil {
			return nil, nil, fmt.Errorf("postgres: %w", err)
		}
		// A demo can lose its last writes in a server crash: commit
		// without waiting for the WAL flush, which makes the seed's
		// thousands of single-statement transactions several times faster.
		// (A URL that sets synchronous_commit keeps its own.)
		if _, set := cfg.ConnConfig.RuntimeParams["synchronous_commit"]; !set {
			cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
		}
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			return nil, nil, fmt.Errorf("postgres: %w", err)
		}
		pg, err := postgres.New(pool)
		if err != nil {
			pool.Close()
			return nil, nil, err
		}
		if err := pg.Migrate(ctx); err != nil {
			pool.Close()
			return nil, nil, fmt.Errorf("postgres: %w", err)
		}
		return pg, pool.Close, nil
	}
	db, err := sql.Open("sqlite", sqliteDSN(o.dbPath))
	if err != nil {
		return nil, nil, err
	}
	lite, err := sqlite.New(db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if err := lite.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("sqlite %s: %w", o.dbPath, err)
	}
	return lite, func() { db.Close() }, nil
}

// sqliteDSN opens the demo's SQLite file: WAL mode, a busy timeout, and
// secure_delete, so that what an erasure or the retention period removes
// is overwritten in the file, not left in its free space.
func sqliteDSN(path string) string {
	return "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=synchronous(NORMAL)&_pragma=secure_delete(ON)"
}

// seedSQLiteFile seeds a new SQLite file: the engine plays the 90 days on
// an in-memory SQLite database through the same SQLite store (2–3 times
// faster than committing each step to disk, see BenchmarkSeed), which
// VACUUM INTO then writes to o.dbPath in one go.
func seedSQLiteFile(ctx context.Context, o options, secret []byte, logger *slog.Logger) error {
	mem, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		return err
	}
	defer mem.Close()
	mem.SetMaxOpenConns(1) // an in-memory database lives in one connection
	st, err := sqlite.New(mem)
	if err != nil {
		return err
	}
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	a, err := newApp(config{store: st, secret: secret})
	if err != nil {
		return err
	}
	logger.Info(fmt.Sprintf("seeding %d days of conversations…", o.days))
	stats, err := a.seed(ctx, time.Now().UTC().Truncate(time.Minute), o.days, o.perDay, 1)
	if err != nil {
		return err
	}
	tmp := o.dbPath + ".seeding"
	_ = os.Remove(tmp)
	if _, err := mem.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return fmt.Errorf("sqlite: writing %s: %w", o.dbPath, err)
	}
	if err := os.Rename(tmp, o.dbPath); err != nil {
		return err
	}
	logger.Info("seeded " + stats.String())
	return nil
}

// run opens the store, seeds it when empty and serves until ctx ends.
func run(ctx context.Context, o options, logw io.Writer) error {
	logger := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: o.logLevel}))
	// The engine's own records are muted while the seed plays its 90 days.
	engineLevel := new(slog.LevelVar)
	engineLevel.Set(o.logLevel)
	engineLogger := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: engineLevel}))
	addr, err := listenAddress(o)
	if err != nil {
		return err
	}
	if err := checkConversationURL(o.convURL); err != nil {
		return err
	}
	if o.secret != "" && len(o.secret) < 32 {
		return errors.New("-secret needs at least 32 bytes")
	}
	secret := []byte(o.secret)
	if len(secret) == 0 {
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return err
		}
	}
	seeded := false
	if o.pgURL == "" {
		if o.fresh {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				if err := os.Remove(o.dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
					return err
				}
			}
		}
		if err := os.MkdirAll(filepath.Dir(o.dbPath), 0o755); err != nil {
			return err
		}
		if _, err := os.Stat(o.dbPath); errors.Is(err, os.ErrNotExist) && !o.noSeed {
			if err := seedSQLiteFile(ctx, o, secret, logger); err != nil {
				return err
			}
			seeded = true
		}
	}
	st, closeStore, err := openStore(ctx, o)
	if err != nil {
		return err
	}
	defer closeStore()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String()
	if o.baseURL != "" {
		base = o.baseURL
	}
	var tel *telemetry
	if o.telemetry {
		if tel, err = newTelemetry(); err != nil {
			return err
		}
		defer tel.shutdown(context.WithoutCancel(ctx)) //nolint:errcheck // in-memory providers
	}
	a, err := newApp(config{store: st, baseURL: base, secret: secret, logger: engineLogger, conversationURL: o.convURL, telemetry: tel,
		retention: o.retention})
	if err != nil {
		return err
	}
	done, err := a.seeded(ctx)
	if err != nil {
		return err
	}
	if !done && !seeded && !o.noSeed {
		logger.Info(fmt.Sprintf("seeding %d days of conversations…", o.days))
		engineLevel.Set(slog.LevelWarn)
		stats, err := a.seed(ctx, time.Now().UTC().Truncate(time.Minute), o.days, o.perDay, 1)
		engineLevel.Set(o.logLevel)
		if err != nil {
			return err
		}
		logger.Info("seeded " + stats.String())
	}
	if o.retention > 0 {
		res, err := a.engine.Retain(ctx)
		if err != nil {
			return err
		}
		logger.Info(fmt.Sprintf("retention of %v: the text of %d surveys removed", o.retention, res.Scrubbed))
	}
	if o.seedOnly {
		return nil
	}
	a.logger = logger // the access log, at the command's level
	srv := &http.Server{Handler: a.handler(), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	stopped := make(chan error, 1)
	go func() {
		<-ctx.Done()
		logger.Info("shutting down")
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		stopped <- srv.Shutdown(shutdown)
	}()
	go a.work(ctx, time.Second)
	logger.Info("dashboard on " + base + "/")
	if o.ready != nil {
		go o.ready("http://" + ln.Addr().String())
	}
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if err := <-stopped; err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	logger.Info("stopped")
	return nil
}
