package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"sufficiency/internal/storetest"
)

func TestUserAdminContract(t *testing.T) {
	storetest.RunUserAdmin(t, func(t *testing.T) storetest.UserAdminStore {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "u.db"))
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}
