package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
)

// Bookkeeping is how a store's dialect records the migrations it applied
// in the table surveyflow_migrations.
type Bookkeeping struct {
	// Table creates surveyflow_migrations unless it exists, with at least
	// the columns version (integer, the primary key) and name.
	Table string
	// Record inserts one applied migration; its two parameters are the
	// version and the file name.
	Record string
}

// Migrate applies the migrations of fsys whose version is above the
// highest one recorded, in version order, and records each, all through
// tx, a connection inside a transaction. The caller holds the transaction
// (and whatever lock keeps other instances out) and commits it, so a
// failure applies nothing.
func Migrate(ctx context.Context, tx Conn, fsys fs.FS, b Bookkeeping) error {
	if _, err := tx.Exec(ctx, b.Table); err != nil {
		return err
	}
	var current int
	err := tx.Query(ctx, "SELECT COALESCE(MAX(version), 0) FROM surveyflow_migrations", nil, func(rows Rows) error {
		if !rows.Next() {
			if err := rows.Err(); err != nil {
				return err
			}
			return errors.New("no highest version")
		}
		return rows.Scan(&current)
	})
	if err != nil {
		return err
	}
	files, err := Migrations(fsys)
	if err != nil {
		return err
	}
	for _, f := range files {
		if f.Version <= current {
			continue
		}
		if _, err := tx.Exec(ctx, f.SQL); err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		if _, err := tx.Exec(ctx, b.Record, f.Version, f.Name); err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return nil
}
