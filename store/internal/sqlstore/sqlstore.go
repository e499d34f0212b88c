// Package sqlstore is what the SQL stores (store/sqlite, store/postgres)
// share, so that each keeps only its driver calls, placeholders and
// dialect SQL:
//
//   - Migrate reads the versioned migration files and applies the missing
//     ones through a Conn, recording them as the store's Bookkeeping says;
//   - Encode, Decode, Read and MessageIDs turn a session into the JSON
//     document and the derived column values the stores keep;
//   - Count and List answer the read port (report.Source) with the
//     statements CountSQL and ListSQL build for a Dialect.
//
// It is a module of its own, versioned with the adapters and kept
// backward compatible, so that an adapter release always runs with the
// shared code it was tested with (RELEASING.md says why).
package sqlstore

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/survey"
)

// Migration is one NNNN_description.sql file.
type Migration struct {
	// Version is the file's NNNN prefix.
	Version int
	// Name is the file name.
	Name string
	// SQL is the file's content.
	SQL string
}

// MustSub returns dir of an embedded file system; the directory is there
// at build time, so a failure is a programming error.
func MustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// Migrations reads the *.sql files of fsys in version order; a name without
// a version, or two files with one version, is an error.
func Migrations(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, name := range names {
		var v int
		if _, err := fmt.Sscanf(name, "%04d_", &v); err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %q: name must start with a version such as 0001_", name)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations %q and %q have the same version", out[i-1].Name, out[i].Name)
		}
	}
	return out, nil
}

// Check refuses a session a store cannot key.
func Check(s *survey.Session) error {
	if s == nil || s.TenantID == "" || s.ID == "" {
		return fmt.Errorf("%w: a session needs a TenantID and an ID", survey.ErrInvalidInput)
	}
	return nil
}

// Encode returns the session's JSON document as it will be stored at
// version.
func Encode(s *survey.Session, version int64) ([]byte, error) {
	c := *s // a shallow copy is enough: Marshal only reads it
	c.Version = version
	doc, err := json.Marshal(&c)
	if err != nil {
		return nil, fmt.Errorf("encode session %s: %w", s.ID, err)
	}
	return doc, nil
}

// Decode reads a stored document; the row's version column is the truth.
func Decode(version int64, doc []byte) (*survey.Session, error) {
	s := &survey.Session{}
	if err := json.Unmarshal(doc, s); err != nil {
		return nil, fmt.Errorf("decode session: %w", err)
	}
	s.Version = version
	return s, nil
}

// MessageIDs returns the session's applied inbound message IDs, never nil,
// for the column that routes a redelivered message to its session.
func MessageIDs(s *survey.Session) []string {
	if s.MessageIDs() == nil {
		return []string{}
	}
	return s.MessageIDs()
}

// EffectsAt is when the oldest of the session's pending effects was
// decided, for the column that finds sessions with effects to deliver;
// false when it has none.
func EffectsAt(s *survey.Session) (time.Time, bool) {
	if len(s.Pending) == 0 {
		return time.Time{}, false
	}
	return s.Pending[0].DecidedAt, true
}

// SortByEffects orders claimed sessions as Store.ClaimEffects returns
// them: oldest pending effect first, ties by ID.
func SortByEffects(out []*survey.Session) {
	slices.SortFunc(out, func(a, b *survey.Session) int {
		if c := a.Pending[0].DecidedAt.Compare(b.Pending[0].DecidedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// ScanSessions reads rows of (version, doc) into sessions; the caller
// closes rows.
func ScanSessions(rows Rows) ([]*survey.Session, error) {
	var out []*survey.Session
	for rows.Next() {
		var version int64
		var doc []byte
		if err := rows.Scan(&version, &doc); err != nil {
			return nil, err
		}
		s, err := Decode(version, doc)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
