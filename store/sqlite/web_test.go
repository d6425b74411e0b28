package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"sufficiency/internal/storetest"
)

func TestAuthContract(t *testing.T) {
	storetest.RunAuth(t, func(t *testing.T) storetest.AuthStore {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "w.db"))
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}
