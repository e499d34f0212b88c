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
//
// and opens http://127.0.0.1:8080/.
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/surveyflow/surveyflow/store/postgres"
	"github.com/surveyflow/surveyflow/store/sqlite"
	_ "modernc.org/sqlite"
)

// options are the command's flags.
type options struct {
	addr     string
	port     int
	dbPath   string
	pgURL    string
	secret   string
	days     int
	perDay   int
	seedOnly bool
	fresh    bool
	// ready, when set, is called with the server's URL once it serves.
	ready  func(url string)
	noSeed bool
}

func main() {
	var o options
	flag.StringVar(&o.addr, "addr", "127.0.0.1", "address to listen on")
	flag.IntVar(&o.port, "port", 8080, "port to listen on (0 picks a free one)")
	flag.StringVar(&o.dbPath, "db", defaultDB(), "SQLite database file")
	flag.BoolVar(&o.fresh, "fresh", false, "delete the SQLite database first, so the seed runs again")
	flag.StringVar(&o.pgURL, "postgres", "", "PostgreSQL URL; when set, the data lives there instead of in -db")
	flag.StringVar(&o.secret, "secret", os.Getenv("HELPDESK_SECRET"), "key of the rating links and forms, at least 32 bytes (default: random, so links die with the process)")
	flag.IntVar(&o.days, "days", 90, "days of history to seed")
	flag.IntVar(&o.perDay, "per-day", 40, "conversations a weekday in the seed")
	flag.BoolVar(&o.seedOnly, "seed-only", false, "seed the database and exit")
	flag.BoolVar(&o.noSeed, "no-seed", false, "never seed, even an empty database")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "helpdesk:", err)
		os.Exit(1)
	}
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
	db, err := sql.Open("sqlite", "file:"+o.dbPath+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=synchronous(NORMAL)")
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

// seedSQLiteFile seeds a new SQLite file: the engine plays the 90 days on
// an in-memory SQLite database through the same SQLite store (2–3 times
// faster than committing each step to disk, see BenchmarkSeed), which
// VACUUM INTO then writes to o.dbPath in one go.
func seedSQLiteFile(ctx context.Context, o options, secret []byte, logger *log.Logger) error {
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
	logger.Printf("seeding %d days of conversations…", o.days)
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
	logger.Printf("seeded %s", stats)
	return nil
}

// run opens the store, seeds it when empty and serves until ctx ends.
func run(ctx context.Context, o options, logw io.Writer) error {
	logger := log.New(logw, "helpdesk: ", 0)
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
	ln, err := net.Listen("tcp", net.JoinHostPort(o.addr, fmt.Sprint(o.port)))
	if err != nil {
		return err
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String()
	a, err := newApp(config{store: st, baseURL: base, secret: secret})
	if err != nil {
		return err
	}
	done, err := a.seeded(ctx)
	if err != nil {
		return err
	}
	if !done && !seeded && !o.noSeed {
		logger.Printf("seeding %d days of conversations…", o.days)
		stats, err := a.seed(ctx, time.Now().UTC().Truncate(time.Minute), o.days, o.perDay, 1)
		if err != nil {
			return err
		}
		logger.Printf("seeded %s", stats)
	}
	if o.seedOnly {
		return nil
	}
	srv := &http.Server{Handler: a.handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	logger.Printf("dashboard on %s/", base)
	if o.ready != nil {
		go o.ready(base)
	}
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
