package postgres

import (
	"testing"

	"sufficiency/internal/storetest"
)

func TestUserAdminContract(t *testing.T) {
	dbURL := testDatabase(t)
	storetest.RunUserAdmin(t, func(t *testing.T) storetest.UserAdminStore { return openSchema(t, dbURL) })
}
