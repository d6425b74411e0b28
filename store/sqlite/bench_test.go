package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"sufficiency/internal/storetest"
	"sufficiency/store"
)

// BenchmarkImport runs the stores' import benchmark on a fresh SQLite file.
//
//	go test ./store/sqlite -run '^$' -bench Import -benchtime 1x
func BenchmarkImport(b *testing.B) {
	storetest.BenchImport(b, func(b *testing.B) store.Store {
		db, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		return db
	})
}
