package auth

import (
	"context"
	"sufficiency/identity"
	"testing"

	"sufficiency/care"
)

// passwordStore records SetPassword; the rest of AdminStore is not used.
type passwordStore struct {
	identity.AdminStore
	name, hash string
	calls      int
}

func (p *passwordStore) SetPassword(_ context.Context, name, hash string) (int, error) {
	p.name, p.hash = name, hash
	p.calls++
	return 2, nil
}

// TestChangePassword: the new password is hashed (never stored as typed)
// and the store ends the user's sessions; a password outside 12 to 1,024
// characters is refused before the store is asked.
func TestChangePassword(t *testing.T) {
	st := &passwordStore{}
	n, err := ChangePassword(context.Background(), st, "hart", testPassword)
	if err != nil || n != 2 || st.name != "hart" {
		t.Fatalf("ChangePassword: %d %v %+v", n, err, st)
	}
	if ok, err := VerifyPassword(st.hash, testPassword); !ok || err != nil || st.hash == testPassword {
		t.Errorf("stored %q does not verify", st.hash)
	}
	if n, err := ChangePassword(context.Background(), st, "hart", "short"); care.ErrorCode(err) != care.EINVALID || n != 0 || st.calls != 1 {
		t.Errorf("short password: %d %v, %d calls", n, err, st.calls)
	}
}
