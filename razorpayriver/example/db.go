package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite" // pure-Go SQLite (no cgo), registered as "sqlite"
)

// database is River's driver on Postgres or SQLite, chosen by a URL:
// postgres://... or postgresql://... for Postgres, sqlite:PATH (or
// sqlite://PATH) for a SQLite file, "" for a new SQLite file in a temporary
// directory.
type database struct {
	name  string
	pg    *riverpgxv5.Driver
	lite  *riversqlite.Driver
	close func()
}

func openDatabase(ctx context.Context, url string) (*database, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		pool, err := pgxpool.New(ctx, url)
		if err != nil {
			return nil, fmt.Errorf("open Postgres: %w", err)
		}
		if err := pool.Ping(ctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("connect to Postgres: %w", err)
		}
		d := riverpgxv5.New(pool)
		if err := migrate(ctx, d); err != nil {
			pool.Close()
			return nil, err
		}
		return &database{name: "Postgres", pg: d, close: pool.Close}, nil
	case url == "", strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "//")
		cleanup := func() {}
		if path == "" {
			dir, err := os.MkdirTemp("", "razorpayriver-")
			if err != nil {
				return nil, err
			}
			path = filepath.Join(dir, "river.sqlite3")
			cleanup = func() { _ = os.RemoveAll(dir) }
		}
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
		if err != nil {
			cleanup()
			return nil, fmt.Errorf("open SQLite: %w", err)
		}
		// SQLite allows one writer at a time: River's docs advise a pool of one.
		db.SetMaxOpenConns(1)
		d := riversqlite.New(db)
		if err := migrate(ctx, d); err != nil {
			_ = db.Close()
			cleanup()
			return nil, err
		}
		return &database{name: "SQLite (" + path + ")", lite: d, close: func() { _ = db.Close(); cleanup() }}, nil
	}
	return nil, fmt.Errorf("DATABASE_URL: want postgres://... or sqlite:PATH, got a URL of another scheme")
}

// migrate brings River's schema up to date with River's own migrator.
func migrate[TTx any](ctx context.Context, d riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(d, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
