package postgres

import (
	"testing"

	"sufficiency/internal/storetest"
)

func TestAuthContract(t *testing.T) {
	dbURL := testDatabase(t)
	storetest.RunAuth(t, func(t *testing.T) storetest.AuthStore { return openSchema(t, dbURL) })
}
